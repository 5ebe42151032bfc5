"""Entities: the workspace's brands and products, other capitalised names, @handles,
#hashtags, links and their domains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from veille.enrich.text import fold

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_][\w.]*\w|(?<![\w@/])@\w")
_HASHTAG = re.compile(r"(?<![\w&/])#\w+")
# Two or more capitalised words in a row ("Banque Azur"), or one inside a sentence.
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:de |du |des |la |le )?[A-ZÀ-ÖØ-Þ][\w'’-]*)*")
_SENTENCE_ENDS = ".!?…:"
_MAX_NAMES = 20


def _domain(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _starts_a_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text, a sentence or a line."""
    before = text[max(0, start - 200) : start]
    kept = before.rstrip()
    return not kept or kept[-1] in _SENTENCE_ENDS or "\n" in before[len(kept) :]


def extract_entities(
    text: str, brand_terms: Sequence[str] = (), folded: str | None = None
) -> dict[str, list[str]]:
    """Entities of one text; `brand_terms` are the watched names, matched without case or
    accents. `folded`, when given, is fold(text) (the stage folds every text once)."""
    links = list(dict.fromkeys(_URL.findall(text))) if "://" in text else []
    without_links = _URL.sub(" ", text) if links else text
    if folded is None or links:
        folded = fold(without_links)
    folded_brands = _folded_terms(tuple(brand_terms))
    brands = [term for term, key in folded_brands if key in folded]
    brand_keys = {key for term, key in folded_brands if term in brands}
    names: list[str] = []
    for match in _NAME.finditer(without_links):
        name = match.group().strip()
        single = " " not in name
        if single and (len(name) < 3 or _starts_a_sentence(without_links, match.start())):
            continue  # a capital at a sentence's start says nothing
        if name not in names and (not brand_keys or fold(name) not in brand_keys):
            names.append(name)
        if len(names) >= _MAX_NAMES:
            break
    return {
        "brands": brands,
        "names": names,
        "handles": list(dict.fromkeys(_HANDLE.findall(without_links)))
        if "@" in without_links
        else [],
        "hashtags": list(dict.fromkeys(_HASHTAG.findall(without_links)))
        if "#" in without_links
        else [],
        "links": links,
        "domains": list(dict.fromkeys(d for d in map(_domain, links) if d)),
    }


@lru_cache(maxsize=256)
def _folded_terms(terms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((term, fold(term)) for term in terms if term)
