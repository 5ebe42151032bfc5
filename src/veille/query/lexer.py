"""Query text -> lexemes: words, "phrases", operators, parentheses and field names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from veille.query.ast import FIELDS
from veille.query.errors import QuerySyntaxError

MAX_DISTANCE = 100
_CLOSING_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_STOP = set(' \t\r\n()"“”«»„')
_FIELD = re.compile(r"([A-Za-z]+):")
_NEAR = re.compile(r"(O?NEAR)(?:/(.*))?")
_LOWERCASE_OPERATORS = {"and", "or", "not", "et", "ou", "sauf"}


class Kind(Enum):
    WORD = "word"
    PHRASE = "phrase"
    FIELD = "field"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MINUS = "-"
    NEAR = "NEAR"
    OPEN = "("
    CLOSE = ")"
    COMMA = ","
    END = "end of the query"


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: Kind
    text: str  # a word, a phrase without quotes, a field name, or the operator as written
    start: int
    end: int
    distance: int = 0
    ordered: bool = False

    @property
    def shown(self) -> str:
        return "the end of the query" if self.kind is Kind.END else repr(self.text)


def _near(text: str, query: str, start: int) -> Lexeme:
    match = _NEAR.fullmatch(text)
    assert match is not None
    name, distance = match.group(1), match.group(2)
    example = f"{name}/5"
    if distance is None or not distance.isdigit():
        raise QuerySyntaxError(
            f"{name} needs a number of words after a slash",
            query,
            start,
            len(text),
            f"write {example}: the words are at most 5 words apart",
        )
    number = int(distance)
    if number == 0:
        raise QuerySyntaxError(
            f"{name}/0 can never match: two different words are at least 1 word apart",
            query,
            start,
            len(text),
            f'{name}/1 means side by side; for words in a row, use a "phrase"',
        )
    if number > MAX_DISTANCE:
        raise QuerySyntaxError(
            f"{name}/{number} is too far apart (at most {MAX_DISTANCE} words)",
            query,
            start,
            len(text),
            "to find both words anywhere in the mention, use AND",
        )
    return Lexeme(Kind.NEAR, text, start, start + len(text), number, name == "ONEAR")


def _quoted(query: str, start: int) -> tuple[Lexeme, int]:
    opening = query[start]
    closings = {_CLOSING_QUOTES[opening], '"'}
    index = start + 1
    while index < len(query) and query[index] not in closings:
        index += 1
    if index >= len(query):
        raise QuerySyntaxError(
            "this quote is never closed",
            query,
            start,
            hint=f"add a closing {_CLOSING_QUOTES[opening]} at the end of the phrase",
        )
    return Lexeme(Kind.PHRASE, query[start + 1 : index], start, index + 1), index + 1


def _bare(query: str, start: int, warnings: list[str]) -> tuple[list[Lexeme], int]:
    end = start
    while end < len(query) and query[end] not in _STOP:
        end += 1
    text = query[start:end]
    if text in ("AND", "OR", "NOT"):
        return [Lexeme(Kind[text], text, start, end)], end
    if _NEAR.fullmatch(text):
        return [_near(text, query, start)], end
    if text.lower() in _LOWERCASE_OPERATORS or text.lower().startswith(("near/", "onear/")):
        warnings.append(
            f"column {start + 1}: {text!r} is searched as a word; "
            "operators are written in capitals (AND, OR, NOT, NEAR/n)"
        )
    if text.endswith(","):
        comma = Lexeme(Kind.COMMA, ",", end - 1, end)
        if text == ",":
            return [comma], end
        words, _ = _bare(query[: end - 1], start, warnings)
        return [*words, comma], end
    field = _FIELD.match(text)
    if field is None:
        return [Lexeme(Kind.WORD, text, start, end)], end
    name = field.group(1).lower()
    if name not in FIELDS:
        raise QuerySyntaxError(
            f"unknown field {field.group(1)!r}",
            query,
            start,
            len(field.group(1)),
            f"the fields are {', '.join(FIELDS)}; quote the text to search for it as words",
        )
    colon = start + len(field.group(0))
    lexemes = [Lexeme(Kind.FIELD, name, start, colon)]
    if end > colon:
        lexemes.append(Lexeme(Kind.WORD, query[colon:end], colon, end))
    elif end >= len(query) or query[end] not in '("“«„':
        raise QuerySyntaxError(
            f"{name}: needs a value right after the colon",
            query,
            start,
            colon - start,
            f'write {name}:word, {name}:"a phrase" or {name}:(one OR other), without a space',
        )
    return lexemes, end


def lex(query: str, warnings: list[str] | None = None) -> list[Lexeme]:
    """The lexemes of a query, ending with an END lexeme; lowercase operators warn."""
    warnings = warnings if warnings is not None else []
    found: list[Lexeme] = []
    index = 0
    while index < len(query):
        char = query[index]
        if char.isspace():
            index += 1
        elif char in "()":
            found.append(Lexeme(Kind.OPEN if char == "(" else Kind.CLOSE, char, index, index + 1))
            index += 1
        elif char in _CLOSING_QUOTES:
            lexeme, index = _quoted(query, index)
            found.append(lexeme)
        elif char in "”»":
            raise QuerySyntaxError(
                "this closing quote has no opening quote", query, index, hint="remove it"
            )
        elif char == "-" and index + 1 < len(query) and query[index + 1] not in " \t\r\n)-":
            found.append(Lexeme(Kind.MINUS, char, index, index + 1))
            index += 1
        else:
            lexemes, index = _bare(query, index, warnings)
            found.extend(lexemes)
    found.append(Lexeme(Kind.END, "", len(query), len(query)))
    return found
