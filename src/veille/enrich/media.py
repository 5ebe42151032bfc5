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
    if source_category == "owned":
        return "owned"
    if _PAID_MARKERS.search(fold(text)):
        return "paid"
    return source_category or "earned"
