"""A query the API was given, parsed, or a 422 body that says where it is wrong."""

from __future__ import annotations

from typing import Any

from veille.query import Query, QuerySyntaxError, parse


class QueryError(Exception):
    """The query cannot be read; `body` is the QueryErrorOut to answer with."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["detail"])
        self.body = body


def parsed_query(text: str, *, field: str = "query") -> Query:
    try:
        return parse(text)
    except QuerySyntaxError as error:
        raise QueryError(
            {
                "detail": f"The query cannot be read: {error.message} (column {error.column}).",
                "field": field,
                "column": error.column,
                "hint": error.hint,
                "query": error.query,
            }
        ) from None
