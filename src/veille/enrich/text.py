"""Text normalisation shared by the enrich sub-stages: folding, length caps and tokens."""

from __future__ import annotations

import re

from veille.query.normalise import fold

# Enough to judge a post; a one-megabyte text is judged on its beginning.
MAX_CHARS = 5000

_URL = re.compile(r"https?://\S+|www\.\S+|\bhttps?\b")
_HANDLE = re.compile(r"@\w+")
_REPEATS = re.compile(r"(\w)\1{2,}")
# Words (with their inner apostrophes and hyphens split off), runs of punctuation, and
# single symbols such as emoji: "!!!", "?" and "😡" carry sentiment.
_TOKEN = re.compile(r"\w+|[!?]+|[^\w\s]", re.UNICODE)


def clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS]


def normalise(text: str) -> str:
    """The form models read: folded, links and handles replaced, long repeats shortened."""
    return normalise_folded(fold(clip(text)))


def normalise_folded(folded: str) -> str:
    """normalise() of a text already clipped and folded."""
    folded = _URL.sub(" _url ", folded)
    folded = _HANDLE.sub(" _user ", folded)
    return _REPEATS.sub(r"\1\1", folded)


def tokens(normalised: str) -> list[str]:
    return _TOKEN.findall(normalised)


def words(normalised: str) -> list[str]:
    """Word tokens only, for near-duplicate shingles."""
    return [token for token in _TOKEN.findall(normalised) if token[0].isalnum()]
