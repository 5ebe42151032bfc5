from __future__ import annotations

import pytest

from veille.enrich.language import UNDETERMINED, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Est-ce que vous livrez en Belgique ? Je voudrais commander la box.", "fr"),
        ("Do you ship to Belgium? I would like to order the discovery box.", "en"),
        ("¿Hacen envíos a Bélgica? Me gustaría pedir la caja de descubrimiento.", "es"),
        ("Liefern Sie nach Belgien? Ich möchte die Entdeckungsbox bestellen.", "de"),
    ],
)
def test_common_languages_are_recognised(text: str, expected: str):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "ok !", "😀😀😀", "#concours @ami https://x.example/abc"])
def test_too_little_text_is_undetermined(text: str):
    assert detect_language(text) == UNDETERMINED
