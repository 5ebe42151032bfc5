"""The enrich stage's fold() is a faster copy of the query language's: same results."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.enrich.text import fold
from veille.query.normalise import fold as query_fold


def test_known_cases():
    for text in [
        "Œuvre d’ART à l`Élysée",
        "Ça va 😡 #Génial",
        "Straße ǅ",
        "ＡＢＣ",
        "RT `x`",
        "x\u0301",
        "\x80\u034f",
    ]:
        assert fold(text) == query_fold(text)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_same_as_the_query_fold(text: str):
    assert fold(text) == query_fold(text)
