"""Earned, owned or paid: the source says owned, the text can say paid."""

from __future__ import annotations

import re

from veille.query.normalise import fold

# Disclosure markers of sponsored content, in their folded (lower case, no accent) form.
_PAID_MARKERS = re.compile(
    r"#(?:ad|pub|sponsorise|sponsored|partenariat|partenariatremunere|collab)\b"
    r"|partenariat remunere|collaboration commerciale|contenu sponsorise|sponsored post"
    r"|paid partnership",
)


def media_category(text: str, source_category: str) -> str:
    return media_category_of_folded(fold(text), source_category)


def media_category_of_folded(folded: str, source_category: str) -> str:
    """media_category() of a text already folded (the enrich stage folds it once)."""
    if source_category == "owned":
        return "owned"
    if _PAID_MARKERS.search(folded):
        return "paid"
    return source_category or "earned"
