"""How text is cut into the words a query compares: French-aware folding and tokens.

Every word is folded (lower case, no accents, œ -> oe) so that `medias` finds « médias »
and the reverse. Apostrophes are not part of words, so elisions fall off by themselves:
« l’entreprise » gives `l` then `entreprise`. Punctuation and emoji are not words either,
so they never stand between the words of a phrase.

A hashtag or an @handle is a word of its own (`#mediassociaux`), the same word without
its sign (`mediassociaux`), and, split on case, underscores and digits, the words it is
made of (`medias`, `sociaux`) at consecutive positions, so that "médias sociaux" finds
« #MediasSociaux ». A token therefore spans one or several positions.

Tokens keep their character offsets in the original text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_COMBINING = "\u0300-\u036f"
_LATIN_ACCENTS = re.compile(f"[{_COMBINING}]+")
# A word: letters and digits, with the combining accents of decomposed (NFD) text.
_WORD = rf"(?:[^\W_]|[{_COMBINING}])+"
# A hashtag or a handle: its sign, not glued to a word before it, then letters, digits, _.
_TAGGED = rf"(?<![\w#@])[#@][\w{_COMBINING}]*[^\W_][\w{_COMBINING}]*"
TOKEN_PATTERN = re.compile(rf"{_TAGGED}|{_WORD}")
SIGNS = "#@"


class Token(NamedTuple):
    """A folded word at positions first..last of a field, from character start to end."""

    key: str
    first: int
    last: int
    field: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe: the form words are compared in."""
    # str.translate looks every character up, raising and clearing a KeyError for each
    # one missing from the table: only translate when a character of the table is there.
    if "’" in text or "‘" in text or "ʼ" in text or "`" in text:
        text = text.translate(_APOSTROPHES)
    folded = text.casefold()
    if "œ" in folded or "æ" in folded:
        folded = folded.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = _LATIN_ACCENTS.sub("", decomposed)
    if stripped.isascii():  # no other combining mark can be left: the common case
        return stripped
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=262_144)
def fold_word(word: str) -> str:
    """fold() for one word, remembered: the same words come back in every mention."""
    if word.isascii():
        return word.lower()
    return fold(word)


def _split_parts(body: str) -> list[tuple[int, int]]:
    """Where the words of a hashtag's body start and end: on case, digits and underscores."""
    parts: list[tuple[int, int]] = []
    start = -1
    previous = ""
    for index, char in enumerate(body):
        if char == "_":
            if start >= 0:
                parts.append((start, index))
            start, previous = -1, ""
            continue
        if unicodedata.combining(char):
            continue
        if start < 0:
            start = index
        elif (
            (char.isupper() and previous.islower())
            or (char.isdigit() != previous.isdigit())
            or (
                char.isupper()
                and previous.isupper()
                and index + 1 < len(body)
                and body[index + 1].islower()
            )
        ):
            parts.append((start, index))
            start = index
        previous = char
    if start >= 0:
        parts.append((start, len(body)))
    return parts


@lru_cache(maxsize=131_072)
def tagged_keys(raw: str) -> tuple[str, str, tuple[tuple[str, int, int], ...]]:
    """A hashtag's or handle's key, its key without the sign, and its parts with offsets."""
    sign, body = raw[0], raw[1:]
    parts = tuple(
        (fold_word(body[start:end]), start + 1, end + 1) for start, end in _split_parts(body)
    )
    whole = "".join(part for part, _, _ in parts)
    return sign + whole, whole, parts


def tokens(text: str, field: str, first_position: int = 0) -> list[Token]:
    """The tokens of a field's text, numbered from first_position."""
    found: list[Token] = []
    position = first_position
    for match in TOKEN_PATTERN.finditer(text):
        raw, start, end = match.group(), match.start(), match.end()
        if raw[0] not in SIGNS:
            found.append(Token(fold_word(raw), position, position, field, start, end))
            position += 1
            continue
        signed, whole, parts = tagged_keys(raw)
        last = position + max(len(parts), 1) - 1
        found.append(Token(signed, position, last, field, start, end))
        found.append(Token(whole, position, last, field, start, end))
        if len(parts) > 1:
            for offset, (part, part_start, part_end) in enumerate(parts):
                found.append(
                    Token(
                        part,
                        position + offset,
                        position + offset,
                        field,
                        start + part_start,
                        start + part_end,
                    )
                )
        position = last + 1
    return found


@lru_cache(maxsize=262_144)
def _raw_keys(raw: str) -> tuple[str, ...]:
    if raw[0] not in SIGNS:
        return (fold_word(raw),)
    signed, whole, parts = tagged_keys(raw)
    return (signed, whole, *(part for part, _, _ in parts))


_PLAIN_WORD_PATTERN = re.compile(r"[^\W_]+")
WORD_PATTERN = re.compile(_WORD)  # a plain word, no hashtag or handle
_FULL_WORD_PATTERN = WORD_PATTERN
_COMBINING_PATTERN = re.compile(f"[{_COMBINING}]")
_TAGGED_PATTERN = re.compile(_TAGGED)


def keys(text: str) -> set[str]:
    """At least the keys of all tokens of a text (maybe a few more): the cheap first look.

    The whole text is lowered and cut into words at once, only the accented words are
    folded one by one; hashtags and handles, which need their case, are read apart.
    """
    pattern = _PLAIN_WORD_PATTERN
    if not text.isascii() and _COMBINING_PATTERN.search(text):
        pattern = _FULL_WORD_PATTERN
    found = set(pattern.findall(text.lower()))
    odd = [word for word in found if not word.isascii()]
    if odd:
        found.difference_update(odd)
        found.update(fold_word(word) for word in odd)
    if "#" in text or "@" in text:
        for raw in set(_TAGGED_PATTERN.findall(text)):
            found.update(_raw_keys(raw))
    return found
