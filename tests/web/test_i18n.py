"""French by default and for browsers asking for it, English on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web import factories
from tests.web.conftest import LOCALE_DIR

pytestmark = pytest.mark.django_db


def test_the_locale_folder_is_the_one_settings_point_at() -> None:
    assert LOCALE_DIR in {Path(path).resolve() for path in settings.LOCALE_PATHS}
    assert (LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [
        ("fr-FR,fr;q=0.9", "fr", ["Connexion", "Nom d’utilisateur", "Mot de passe"]),
        ("en-GB,en;q=0.9", "en", ["Log in", "User name", "Password"]),
    ],
)
def test_the_login_page_speaks_the_browser_language(accept: str, lang: str, words) -> None:
    page = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page


def test_french_is_the_default() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert '<html lang="fr">' in page
    assert "Connexion" in page


@pytest.mark.parametrize(
    ("accept", "words", "absent"),
    [
        ("fr", ["Filtrer", "Se déconnecter", "publication", "positif", "Indifférent"], "Log out"),
        ("en", ["Filter", "Log out", "post", "positive", "All"], "Se déconnecter"),
    ],
)
def test_the_mention_list_is_translated(
    agent_client: Client, space_a, accept: str, words: list[str], absent: str
) -> None:
    factories.mention(space_a, kind="post", sentiment="positive")
    page = agent_client.get(reverse("mentions"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    for word in words:
        assert word in page
    assert absent not in page


def test_the_wrong_password_error_is_in_french() -> None:
    response = Client().post(
        reverse("login"), {"username": "nobody", "password": "x"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_the_language_switcher_sets_english_then_french(agent_client: Client) -> None:
    page = agent_client.get(reverse("mentions"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    # Each language is offered under its own name, whatever the page's language.
    assert 'lang="en">English</option>' in page and 'lang="fr" selected>Français</option>' in page
    assert reverse("set_language") == "/i18n/setlang/"

    response = agent_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    page = agent_client.get(reverse("mentions"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in page and "Log out" in page

    agent_client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = agent_client.get(reverse("mentions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in page and "Se déconnecter" in page
