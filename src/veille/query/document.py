"""What a query is matched against: a document's fields, as tokens and values.

Streams are the token sequences that terms search: `content` is the title then the text,
`title`, `author` (the handle then the name) and `url`. Consecutive fields of a stream
are numbered GAP positions apart so that no phrase or NEAR spans two of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from veille.query.lexer import MAX_DISTANCE
from veille.query.normalise import Token, fold, keys, tokens
from veille.query.terms import site_host

GAP = MAX_DISTANCE * 10
STREAM_FIELDS: dict[str, tuple[str, ...]] = {
    "content": ("title", "text"),
    "title": ("title",),
    "author": ("author", "author_name"),
    "url": ("url",),
}


@dataclass(frozen=True, slots=True)
class Document:
    text: str = ""
    title: str = ""
    author: str = ""  # the handle
    author_name: str = ""
    url: str = ""
    lang: str = ""
    platform: str = ""
    kind: str = ""


def stream_tokens(document: Document, stream: str) -> list[Token]:
    found: list[Token] = []
    first = 0
    for name in STREAM_FIELDS[stream]:
        found.extend(tokens(getattr(document, name), name, first))
        first = (found[-1].last if found else first) + GAP
    return found


@lru_cache(maxsize=65_536)
def _host_suffixes(authority: str) -> frozenset[str]:
    labels = site_host(fold(authority)).split(".")
    return frozenset(".".join(labels[index:]) for index in range(len(labels)) if labels[index])


def url_authority(url: str) -> str:
    """The host part of a URL (with its port or user, if any): what site: reads."""
    before, _, after = url.partition("//")
    return (after if before.endswith(":") or not before else url).split("/", 1)[0]


def site_suffixes(url: str) -> frozenset[str]:
    """The host of a URL and every domain above it: blog.example.org, example.org, org."""
    return _host_suffixes(url_authority(url))


@lru_cache(maxsize=4_096)
def _plain_values(name: str, raw: str) -> frozenset[str]:
    value = fold(raw.strip())
    if name == "lang":
        value = value.split("-")[0].split("_")[0]
    return frozenset({value}) if value else frozenset()


def field_values(document: Document, name: str) -> frozenset[str]:
    """The values a site:, lang:, platform: or kind: filter compares with."""
    if name == "site":
        return site_suffixes(document.url) if document.url else frozenset()
    return _plain_values(name, getattr(document, name))


def value_source(document: Document, name: str) -> str:
    """What the values of a site:, lang:, platform: or kind: filter are read from."""
    if name == "site":
        return url_authority(document.url) if document.url else ""
    return getattr(document, name)


@lru_cache(maxsize=4_096)
def named_values(name: str, source: str) -> frozenset[str]:
    """The values read from `source` (see value_source) as keys: site:example.org…"""
    values = _host_suffixes(source) if name == "site" else _plain_values(name, source)
    return frozenset(f"{name}:{value}" for value in values)


ALL_NAMESPACES = frozenset({"author", "url", "site", "lang", "platform", "kind"})


def candidate_keys(document: Document, namespaces: frozenset[str] = ALL_NAMESPACES) -> set[str]:
    """The keys the document offers to the watch index (see requirements).

    Only the field namespaces that some query uses are worth computing.
    """
    found = keys(document.text)
    if document.title:
        found |= keys(document.title)
    if "author" in namespaces:
        for value in (document.author, document.author_name):
            if value:
                found.update("author:" + key for key in keys(value))
    if "url" in namespaces and document.url:
        found.update("url:" + key for key in keys(document.url))
    for name in ("site", "lang", "platform", "kind"):
        if name in namespaces:
            found.update(f"{name}:{value}" for value in field_values(document, name))
    return found
