"""Entities: the workspace's brands and products, other capitalised names, @handles,
#hashtags, links and their domains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from veille.enrich.text import fold

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_][\w.]*\w|(?<![\w@/])@\w")
_HASHTAG = re.compile(r"(?<![\w&/])#\w+")
# Two or more capitalised words in a row ("Banque Azur"), or one inside a sentence.
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:de |du |des |la |le )?[A-ZÀ-ÖØ-Þ][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:\n]\s*)$")
_MAX_NAMES = 20


def _domain(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def extract_entities(text: str, brand_terms: Sequence[str] = ()) -> dict[str, list[str]]:
    """Entities of one text; `brand_terms` are the watched names, matched without case or
    accents."""
    links = list(dict.fromkeys(_URL.findall(text)))
    without_links = _URL.sub(" ", text)
    folded = fold(without_links)
    brands = [term for term in brand_terms if term and fold(term) in folded]
    names: list[str] = []
    for match in _NAME.finditer(without_links):
        name = match.group().strip()
        single = " " not in name
        if single and (len(name) < 3 or _SENTENCE_START.search(without_links[: match.start()])):
            continue  # a capital at a sentence's start says nothing
        if name not in names and fold(name) not in {fold(b) for b in brands}:
            names.append(name)
        if len(names) >= _MAX_NAMES:
            break
    return {
        "brands": brands,
        "names": names,
        "handles": list(dict.fromkeys(_HANDLE.findall(without_links))),
        "hashtags": list(dict.fromkeys(_HASHTAG.findall(without_links))),
        "links": links,
        "domains": list(dict.fromkeys(d for d in map(_domain, links) if d)),
    }
