from __future__ import annotations

import pytest

from veille.enrich.media import media_category


@pytest.mark.parametrize(
    "text",
    [
        "Mon avis sur ce café #sponsorisé",
        "Partenariat rémunéré avec une brûlerie",
        "Collaboration commerciale : je teste la box",
        "Great coffee #ad",
    ],
)
def test_disclosed_partnerships_are_paid(text: str):
    assert media_category(text, "earned") == "paid"


def test_the_brands_own_channel_stays_owned_even_when_it_says_partnership():
    assert media_category("#sponsorisé", "owned") == "owned"


def test_ordinary_mentions_keep_the_sources_category():
    assert media_category("Organisé en partenariat avec la mairie", "earned") == "earned"
