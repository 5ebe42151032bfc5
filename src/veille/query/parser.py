"""Query text -> tree, or a QuerySyntaxError that says what, where, and what to do.

Grammar, loosest first (NOT binds tightest):

    query    := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := near ("AND"? near)*          two terms side by side mean AND
    near     := unary (("NEAR/n" | "ONEAR/n") unary)*
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or_expr ")" | word | "phrase" | field ":" (word | "phrase" | "(" or_expr ")")

AND and OR at the same level without parentheses are refused rather than guessed: that
is the classic silent mistake of long queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.query.ast import (
    CONTENT,
    TEXT_FIELDS,
    And,
    Near,
    Node,
    Not,
    Or,
    Term,
)
from veille.query.errors import QuerySyntaxError
from veille.query.lexer import Kind, Lexeme, lex
from veille.query.requirements import rarest, required_clauses
from veille.query.terms import build_term, build_value

_OPERATORS = (Kind.AND, Kind.OR, Kind.NOT, Kind.NEAR)
_OPERAND_STARTS = (Kind.WORD, Kind.PHRASE, Kind.FIELD, Kind.OPEN, Kind.NOT, Kind.MINUS)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its text, its tree, what a mention must contain, and warnings."""

    text: str
    root: Node
    clauses: tuple[frozenset[str], ...]  # see requirements.required_clauses
    warnings: tuple[str, ...] = field(default=())

    @property
    def required(self) -> frozenset[str]:
        """The rarest clause: a matching mention contains at least one of these keys."""
        return rarest(list(self.clauses))


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.warnings: list[str] = []
        self.lexemes = lex(query, self.warnings)
        self.index = 0
        self.field: str | None = None

    # --- helpers ------------------------------------------------------------------------

    @property
    def current(self) -> Lexeme:
        return self.lexemes[self.index]

    def advance(self) -> Lexeme:
        lexeme = self.lexemes[self.index]
        self.index += 1
        return lexeme

    def error(self, message: str, lexeme: Lexeme, hint: str = "") -> QuerySyntaxError:
        return QuerySyntaxError(
            message, self.query, lexeme.start, max(lexeme.end - lexeme.start, 1), hint
        )

    # --- grammar ------------------------------------------------------------------------

    def parse(self) -> Node:
        if self.current.kind is Kind.END:
            raise QuerySyntaxError(
                "the query is empty",
                self.query,
                0,
                hint='give a word or a "phrase" to listen for, e.g. "Ma Marque" OR mamarque',
            )
        node = self.or_expr()
        if self.current.kind is Kind.CLOSE:
            raise self.error(
                "this ) closes no parenthesis", self.current, "remove it, or add the ( it closes"
            )
        assert self.current.kind is Kind.END
        return node

    def or_expr(self) -> Node:
        start = self.current.start
        first, first_size = self.and_expr()
        groups = [first]
        while self.current.kind is Kind.OR:
            operator = self.advance()
            group, size = self.and_expr()
            groups.append(group)
            if first_size > 1 or size > 1:
                raise self.error(
                    "AND and OR are mixed without parentheses",
                    operator,
                    "say which you mean: (a AND b) OR c, or a AND (b OR c); "
                    "two terms side by side count as AND",
                )
        return groups[0] if len(groups) == 1 else Or(tuple(groups), start)

    def and_expr(self) -> tuple[Node, int]:
        """The AND of the operands side by side, and how many there were."""
        start = self.current.start
        children = [self.near()]
        while self.current.kind in (Kind.AND, Kind.COMMA, *_OPERAND_STARTS):
            if self.current.kind is Kind.COMMA:
                raise self.comma_error(self.current)
            if self.current.kind is Kind.AND:
                self.advance()
            children.append(self.near())
        node = children[0] if len(children) == 1 else And(tuple(children), start)
        return node, len(children)

    def near(self) -> Node:
        left = self.unary()
        while self.current.kind is Kind.NEAR:
            operator = self.advance()
            right = self.unary()
            for side in (left, right):
                _check_near_operand(side, operator, self)
            left = Near(left, right, operator.distance, operator.ordered, left.start)
            _check_same_stream(left, operator, self)
        return left

    def unary(self) -> Node:
        if self.current.kind in (Kind.NOT, Kind.MINUS):
            operator = self.advance()
            if self.current.kind in (Kind.END, Kind.CLOSE) or self.current.kind in _OPERATORS:
                raise self.error(
                    f"{operator.text} needs a term after it",
                    operator,
                    f"write {operator.text}{' ' if operator.kind is Kind.NOT else ''}word "
                    "to leave out the mentions that contain it",
                )
            return Not(self.unary(), operator.start)
        return self.primary()

    def primary(self) -> Node:
        lexeme = self.current
        if lexeme.kind is Kind.OPEN:
            return self.group()
        if lexeme.kind is Kind.WORD:
            self.advance()
            return self.leaf(lexeme.text, lexeme.start)
        if lexeme.kind is Kind.PHRASE:
            self.advance()
            return self.leaf(lexeme.text, lexeme.start + 1)
        if lexeme.kind is Kind.FIELD:
            return self.field_expr()
        raise self.missing_operand(lexeme)

    def group(self) -> Node:
        opening = self.advance()
        if self.current.kind is Kind.CLOSE:
            raise QuerySyntaxError(
                "empty parentheses",
                self.query,
                opening.start,
                self.current.end - opening.start,
                "put terms between them, or remove them",
            )
        node = self.or_expr()
        if self.current.kind is not Kind.CLOSE:
            raise self.error("this ( is never closed", opening, "add a ) where the group ends")
        self.advance()
        return node

    def field_expr(self) -> Node:
        name = self.advance()
        if self.field is not None:
            raise self.error(
                f"{name.text}: inside {self.field}:(…): fields do not nest",
                name,
                "close the first field's parentheses before the next field",
            )
        self.field = name.text
        try:
            if self.current.kind is Kind.OPEN:
                node = self.group()
            else:
                node = self.primary()
        finally:
            self.field = None
        return node

    def leaf(self, text: str, start: int) -> Node:
        if self.field is None:
            return build_term(text, self.query, start)
        if self.field in TEXT_FIELDS:
            return build_term(text, self.query, start, TEXT_FIELDS[self.field])
        return build_value(self.field, text, self.query, start)

    def comma_error(self, lexeme: Lexeme) -> QuerySyntaxError:
        return self.error(
            "a comma does not separate terms",
            lexeme,
            "write OR between the terms to find either of them",
        )

    def missing_operand(self, lexeme: Lexeme) -> QuerySyntaxError:
        if lexeme.kind is Kind.COMMA:
            return self.comma_error(lexeme)
        previous = self.lexemes[self.index - 1] if self.index else None
        if lexeme.kind in (Kind.END, Kind.CLOSE) and previous is not None:
            return self.error(
                f"{previous.text} needs a term after it",
                previous,
                f"remove {previous.text}, or add what it applies to",
            )
        if previous is not None and previous.kind in _OPERATORS:
            return self.error(
                f"{previous.text} and {lexeme.text} follow each other: a term is missing",
                lexeme,
                f"put a term between {previous.text} and {lexeme.text}, or remove one of them",
            )
        if lexeme.kind is Kind.CLOSE:
            return self.error("this ) closes no parenthesis", lexeme, "remove it")
        return self.error(
            f"{lexeme.text} needs a term before it",
            lexeme,
            f"add what {lexeme.text} links, or remove it",
        )


def _check_near_operand(node: Node, operator: Lexeme, parser: _Parser) -> None:
    if isinstance(node, Term | Near):
        return
    if isinstance(node, Or):
        for child in node.children:
            _check_near_operand(child, operator, parser)
        return
    raise QuerySyntaxError(
        f"{operator.text} works on words, phrases and OR groups, not on AND, NOT or fields "
        "like site:",
        parser.query,
        node.start,
        hint=f"keep {operator.text} between words or (one OR other); "
        "combine the rest with AND outside",
    )


def _streams(node: Node) -> set[str]:
    if isinstance(node, Term):
        return {node.stream}
    if isinstance(node, Near):
        return _streams(node.left) | _streams(node.right)
    assert isinstance(node, Or)
    return {stream for child in node.children for stream in _streams(child)}


def _check_same_stream(node: Near, operator: Lexeme, parser: _Parser) -> None:
    if len(_streams(node)) > 1:
        raise parser.error(
            f"{operator.text} compares words of one field; these are in "
            f"{' and '.join(sorted(s if s != CONTENT else 'the text' for s in _streams(node)))}",
            operator,
            "put the field before the group: title:(one NEAR/3 other)",
        )


def parse(query: str) -> Query:
    """The tree of a query; raises QuerySyntaxError with the column of the first mistake."""
    parser = _Parser(query)
    root = parser.parse()
    clauses = required_clauses(root)
    if not clauses:
        raise QuerySyntaxError(
            "this query only says what to leave out, so it would match almost every mention",
            query,
            0,
            len(query.rstrip()),
            "add what to listen for: marque NOT recrutement",
        )
    return Query(query, root, tuple(clauses), tuple(parser.warnings))
