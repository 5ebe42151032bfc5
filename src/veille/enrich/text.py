"""Text normalisation shared by the enrich sub-stages: folding, length caps and tokens."""

from __future__ import annotations

import re
import unicodedata

# Enough to judge a post; a one-megabyte text is judged on its beginning.
MAX_CHARS = 5000

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_COMBINING = re.compile("[\u0300-\u036f]")
_URL = re.compile(r"https?://\S+|www\.\S+|\bhttps?\b")
_HANDLE = re.compile(r"@\w+")
_REPEATS = re.compile(r"(\w)\1{2,}")
# Words (with their inner apostrophes and hyphens split off), runs of punctuation, and
# single symbols such as emoji: "!!!", "?" and "😡" carry sentiment.
_TOKEN = re.compile(r"\w+|[!?]+|[^\w\s]", re.UNICODE)


def clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS]


def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return _COMBINING.sub("", decomposed)


def normalise(text: str) -> str:
    """The form models read: folded, links and handles replaced, long repeats shortened."""
    folded = fold(clip(text))
    folded = _URL.sub(" _url ", folded)
    folded = _HANDLE.sub(" _user ", folded)
    return _REPEATS.sub(r"\1\1", folded)


def tokens(normalised: str) -> list[str]:
    return _TOKEN.findall(normalised)


def words(normalised: str) -> list[str]:
    """Word tokens only, for near-duplicate shingles."""
    return [token for token in _TOKEN.findall(normalised) if token[0].isalnum()]
