"""Text normalisation shared by the enrich sub-stages: folding, length caps and tokens."""

from __future__ import annotations

import re
import unicodedata

# Enough to judge a post; a one-megabyte text is judged on its beginning.
MAX_CHARS = 5000

_URL = re.compile(r"https?://\S+|www\.\S+|\bhttps?\b")
_HANDLE = re.compile(r"@\w+")
_REPEATS = re.compile(r"(\w)\1{2,}")
# Words (with their inner apostrophes and hyphens split off), runs of punctuation, and
# single symbols such as emoji: "!!!", "?" and "😡" carry sentiment.
_TOKEN = re.compile(r"\w+|[!?]+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"(?<!\w)[^\W_]\w*")


_APOSTROPHES = ("’", "‘", "ʼ", "`")
_LIGATURES = (("œ", "oe"), ("æ", "ae"))
_ACCENTS = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strip_marks(match: re.Match[str]) -> str:
    return "".join(char for char in match.group() if not unicodedata.combining(char))


def fold(text: str) -> str:
    """veille.query.normalise.fold(), same result, faster on the texts the stage sees.

    Plain ASCII is only lower-cased; otherwise the few characters that need it are
    replaced, and the combining marks left after the Latin accents are looked for only
    in the non-ASCII runs (emoji, other scripts) rather than character by character.
    """
    if text.isascii():
        return text.lower().replace("`", "'") if "`" in text else text.lower()
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    folded = text.casefold()
    for ligature, replacement in _LIGATURES:
        if ligature in folded:
            folded = folded.replace(ligature, replacement)
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = _ACCENTS.sub("", decomposed)
    if stripped.isascii():
        return stripped
    # As the query's fold: from the decomposed text, so a mark of class 0 in the accents'
    # block (U+034F) is kept in both.
    return _NON_ASCII.sub(_strip_marks, decomposed)


def clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS]


def normalise(text: str) -> str:
    """The form models read: folded, links and handles replaced, long repeats shortened."""
    return normalise_folded(fold(clip(text)))


def normalise_folded(folded: str) -> str:
    """normalise() of a text already clipped and folded."""
    if "http" in folded or "www." in folded:
        folded = _URL.sub(" _url ", folded)
    if "@" in folded:
        folded = _HANDLE.sub(" _user ", folded)
    return _REPEATS.sub(r"\1\1", folded)


def tokens(normalised: str) -> list[str]:
    return _TOKEN.findall(normalised)


def words(normalised: str) -> list[str]:
    """Word tokens only (those of tokens() that start with a letter or digit, so not the
    _url and _user placeholders), for near-duplicate shingles."""
    return _WORD.findall(normalised)
