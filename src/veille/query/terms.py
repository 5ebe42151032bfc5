"""The words of a term as the user wrote it, folded the way mentions are (see normalise)."""

from __future__ import annotations

from urllib.parse import urlsplit

from veille.query.ast import CONTENT, FieldValue, Term, Word
from veille.query.errors import QuerySyntaxError
from veille.query.normalise import SIGNS, TOKEN_PATTERN, fold, fold_word, tagged_keys

MIN_PREFIX = 2


def build_term(text: str, query: str, start: int, stream: str = CONTENT) -> Term:
    """A term from its text (a word or a phrase's content) found at `start` in the query.

    `start` is where the text itself begins in the query (inside the quotes).
    """
    words: list[Word] = []
    consumed = 0
    for match in TOKEN_PATTERN.finditer(text):
        stray = text.find("*", consumed, match.start())
        if stray >= 0:
            raise _misplaced_wildcard(query, start + stray)
        raw = match.group()
        key = tagged_keys(raw)[0] if raw[0] in SIGNS else fold_word(raw)
        prefix = text.startswith("*", match.end())
        if prefix and text[match.end() + 1 : match.end() + 2].isalnum():
            raise _misplaced_wildcard(query, start + match.end())
        if prefix and len(key.lstrip(SIGNS)) < MIN_PREFIX:
            raise QuerySyntaxError(
                f"{raw}* is too short a beginning: it would find far too many words",
                query,
                start + match.start(),
                match.end() - match.start() + 1,
                f"give at least {MIN_PREFIX} letters before the *",
            )
        words.append(Word(key, prefix))
        consumed = match.end() + (1 if prefix else 0)
    stray = text.find("*", consumed)
    if stray >= 0:
        raise _misplaced_wildcard(query, start + stray)
    if not words and not text.strip():
        raise QuerySyntaxError(
            "empty phrase: there is no term to search for",
            query,
            start - 1,
            len(text) + 2,
            "put words between the quotes, or remove them",
        )
    if not words:
        raise QuerySyntaxError(
            f"{text.strip()!r} has no term to search for",
            query,
            start,
            len(text),
            "punctuation and emoji are ignored: give at least one word or number",
        )
    return Term(tuple(words), text.strip(), stream, start)


def _misplaced_wildcard(query: str, position: int) -> QuerySyntaxError:
    return QuerySyntaxError(
        "a * goes at the end of a word, to find every word that begins like it",
        query,
        position,
        hint="write market* to find market, marketing, marketplace…",
    )


def build_value(name: str, text: str, query: str, start: int) -> FieldValue:
    """A site:, lang:, platform: or kind: filter; its value is compared as a whole."""
    value = fold(text.strip())
    if "*" in value:
        raise QuerySyntaxError(
            f"{name}: takes a whole value, not a *",
            query,
            start + text.find("*"),
            hint=f"site: already covers subdomains: {name}:example.org"
            if name == "site"
            else f"list the values: {name}:(one OR other)",
        )
    if name == "site":
        value = site_host(value)
    elif name == "lang":
        value = value.split("-")[0].split("_")[0]
    if not value:
        raise QuerySyntaxError(
            f"{name}: needs a value", query, start, max(len(text), 1), f"example: {_EXAMPLES[name]}"
        )
    return FieldValue(name, value, start)


_EXAMPLES = {
    "site": "site:lemonde.fr",
    "lang": "lang:fr",
    "platform": "platform:mastodon",
    "kind": "kind:comment",
}


def site_host(value: str) -> str:
    """The host of a site: value or of a mention's URL, lower case, without port or dot."""
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.strip(".")
