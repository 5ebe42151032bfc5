"""`veille watch check QUERY` and `veille query QUERY < docs.jsonl`: try queries, no database."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from veille.commands.common import console, errors, fail, plain, print_jsonl
from veille.query import Document, Query, QueryIndex, QuerySyntaxError, parse
from veille.query.tree import render_tree

_DOCUMENT_FIELDS = {
    "text": "text",
    "title": "title",
    "author": "author",
    "author_name": "author_name",
    "url": "url",
    "lang": "lang",
    "platform": "platform",
    "kind": "kind",
}
QueryArgument = Annotated[str, typer.Argument(help="The query, in quotes for the shell.")]


def _parse_or_exit(query: str) -> Query:
    try:
        parsed = parse(query)
    except QuerySyntaxError as error:
        raise fail(str(error), code=2) from None
    for warning in parsed.warnings:
        errors.print(plain(f"warning: {warning}"), style="yellow")
    return parsed


def _document(row: Any) -> Document:
    if not isinstance(row, dict) or "id" not in row:
        raise ValueError("not a JSON object with an id")
    values = {name: row.get(key) for key, name in _DOCUMENT_FIELDS.items()}
    return Document(**{name: str(value) for name, value in values.items() if value is not None})


def _spans(document: Document, spans: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [
        {
            "field": span.field,
            "start": span.start,
            "end": span.end,
            "text": getattr(document, span.field)[span.start : span.end],
        }
        for span in spans
    ]


def check(query: QueryArgument) -> None:
    """Check a query and show how it is read, as a tree (exit code 2 when it is wrong)."""
    parsed = _parse_or_exit(query)
    console.print(plain(render_tree(parsed.root)))
    required = ", ".join(sorted(parsed.required))
    console.print(plain(f"A matching mention contains at least one of: {required}"))


def query(query: QueryArgument) -> None:
    """Match a query against JSON lines read from stdin; print each match with its spans.

    Each input line is an object with "id" and "text", and optionally "title", "author",
    "author_name", "url", "lang", "platform" and "kind". Each output line has the "id",
    the "terms" found and their "spans" (field, start, end in characters, text).
    """
    index = QueryIndex({0: _parse_or_exit(query)})
    bad_lines = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            document = _document(row)
        except ValueError as error:
            bad_lines += 1
            errors.print(plain(f"line {number} skipped: {error}"), style="red")
            continue
        found = index.match(document).get(0)
        if found is not None:
            spans = _spans(document, found.spans)
            print_jsonl([{"id": row["id"], "terms": list(found.terms), "spans": spans}])
    if bad_lines:
        raise fail(f"{bad_lines} input lines could not be read (see above)")


def register(app: typer.Typer) -> None:
    app.command("query")(query)
    for group in app.registered_groups:
        if group.name == "watch" and group.typer_instance is not None:
            group.typer_instance.command("check")(check)
