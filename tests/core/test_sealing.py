"""Platform secrets are sealed at rest and open only with the installation's keys."""

from __future__ import annotations

import pytest

from veille.core.sealing import UnreadableSecret, seal, unseal

TOKEN = "ZA-yx8pLq-0123456789abcdef"


def test_a_sealed_secret_opens_again_and_does_not_show_the_secret() -> None:
    sealed = seal(TOKEN)
    assert TOKEN not in sealed and sealed.isascii()
    assert seal(TOKEN) != sealed  # a fresh IV each time: equal tokens do not look equal
    assert unseal(sealed) == TOKEN
    assert unseal("") == ""


def test_another_key_cannot_open_it_and_says_what_to_check(settings) -> None:
    sealed = seal(TOKEN)
    settings.SECRET_KEY = "another installation's key, long enough to be realistic"
    with pytest.raises(UnreadableSecret, match="VEILLE_SECRET_KEY"):
        unseal(sealed)


def test_a_rotated_key_still_opens_what_the_old_one_sealed(settings) -> None:
    old = settings.SECRET_KEY
    sealed = seal(TOKEN)
    settings.SECRET_KEY = "the new key after a rotation, long enough to be realistic"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert unseal(sealed) == TOKEN


def test_an_altered_sealed_text_is_refused() -> None:
    sealed = seal(TOKEN)
    altered = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    with pytest.raises(UnreadableSecret):
        unseal(altered)
