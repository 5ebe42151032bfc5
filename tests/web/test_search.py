"""Search in the mention list speaks the query language; the database only prefilters."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.web import factories
from veille.core.models import Mention, Workspace
from veille.query import parse
from veille.web import search

TEXTS = {
    "cafe-bio": "Un café bio chez Brûlerie Azur.",
    "cafe-emploi": "Offre d'emploi : café de la Brûlerie.",
    "the": "Le thé du matin, très bio.",
    "hashtag": "Vive les #MediasSociaux et le café !",
    "coeur": "Un cœur de métier : la torréfaction.",
    "elision": "L’entreprise ouvre une boutique.",
}


@pytest.fixture
def catalogue(space_a: Workspace) -> dict[str, Mention]:
    return {key: factories.mention(space_a, text=text) for key, text in TEXTS.items()}


def _found(client: Client, query: str, **params: str) -> set[str]:
    page = client.get(reverse("mentions"), {"q": query, **params})
    assert page.status_code == 200
    by_text = {text: key for key, text in TEXTS.items()}
    return {by_text[mention.text] for mention in page.context["mentions"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("café", {"cafe-bio", "cafe-emploi", "hashtag"}),
        ("cafe AND bio", {"cafe-bio"}),
        ("café bio", {"cafe-bio"}),
        ("(café OR thé) AND bio", {"cafe-bio", "the"}),
        ("café NOT emploi", {"cafe-bio", "hashtag"}),
        ("café -emploi -bio", {"hashtag"}),
        ('"médias sociaux"', {"hashtag"}),
        ("#mediassociaux OR coeur", {"hashtag", "coeur"}),
        ("entreprise", {"elision"}),
        ("torréf*", {"coeur"}),
        ("café NEAR/3 brulerie", {"cafe-bio", "cafe-emploi"}),
        ("café NEAR/2 brulerie", set()),
        ("brûlerie ONEAR/3 azur", {"cafe-bio"}),
        ("kind:comment", set()),
        ("cafetière", set()),
    ],
)
def test_search_uses_the_query_language(
    agent_client: Client, catalogue: dict[str, Mention], query: str, expected: set[str]
) -> None:
    assert _found(agent_client, query) == expected


@pytest.mark.django_db
def test_a_malformed_search_shows_its_error_and_the_list_stays(
    agent_client: Client, catalogue: dict[str, Mention], settings
) -> None:
    settings.LANGUAGE_CODE = "en"  # the page's default is French
    page = agent_client.get(reverse("mentions"), {"q": 'café OR thé bio <b>"'})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="query-error"' in html and "column" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert len(page.context["mentions"]) == len(TEXTS)  # the bad search is left out


@pytest.mark.django_db
def test_search_combines_with_the_other_filters(
    agent_client: Client, space_a: Workspace, catalogue: dict[str, Mention]
) -> None:
    Mention.objects.filter(pk=catalogue["cafe-bio"].pk).update(language="fr")
    assert _found(agent_client, "café", language="fr") == {"cafe-bio"}


@pytest.mark.django_db
def test_matches_are_highlighted_and_escaped(agent_client: Client, space_a: Workspace) -> None:
    factories.mention(space_a, title="<i>Azur</i>", text='<script>x()</script> azur onerror="y"')

    html = agent_client.get(reverse("mentions"), {"q": "azur"}).content.decode()

    assert "&lt;i&gt;<mark>Azur</mark>&lt;/i&gt;" in html
    assert "&lt;script&gt;x()&lt;/script&gt; <mark>azur</mark> onerror=&quot;y&quot;" in html
    assert "<script>x()" not in html


@pytest.mark.django_db
def test_paging_counts_only_the_exact_matches(agent_client: Client, space_a: Workspace) -> None:
    for number in range(60):
        factories.mention(space_a, text=f"azur {'moka' if number % 2 else 'thé'} {number}")

    first = agent_client.get(reverse("mentions"), {"q": "azur moka"})
    second = agent_client.get(reverse("mentions"), {"q": "azur moka", "page": "2"})

    assert first.context["page_obj"].paginator.count == 30
    assert len(first.context["mentions"]) == 30 and len(second.context["mentions"]) == 30


@pytest.mark.django_db
def test_a_capped_search_says_so(
    agent_client: Client, space_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MAX_CANDIDATES", 3)
    for _ in range(5):
        factories.mention(space_a, text="azur")

    page = agent_client.get(reverse("mentions"), {"q": "azur"})

    assert page.context["capped"] and len(page.context["mentions"]) == 3


@pytest.mark.django_db
def test_another_workspace_is_never_searched(agent_client: Client, space_b: Workspace) -> None:
    factories.mention(space_b, text="azur")
    assert agent_client.get(reverse("mentions"), {"q": "azur"}).context["mentions"] == []


def _prefiltered(space: Workspace, query: str) -> set[int]:
    mentions = Mention.objects.filter(workspace=space)
    return set(search.prefilter(mentions, parse(query)).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_fts_prefilter_narrows_and_follows_changes(
    space_a: Workspace, catalogue: dict[str, Mention]
) -> None:
    assert apps.is_installed("veille.search"), "add veille.search to INSTALLED_APPS"
    ids = {key: mention.pk for key, mention in catalogue.items()}
    if connection.vendor != "sqlite":
        # PostgreSQL has no prefilter yet: every mention stays a candidate, none is lost.
        assert _prefiltered(space_a, "café bio") == set(ids.values())
        return
    assert _prefiltered(space_a, "café bio") == {ids["cafe-bio"]}
    assert _prefiltered(space_a, '"médias sociaux"') == {ids["hashtag"]}
    assert _prefiltered(space_a, "coeur") == {ids["coeur"]}
    assert _prefiltered(space_a, "torré*") == {ids["coeur"]}

    Mention.objects.filter(pk=ids["the"]).update(text="Du café en grains")
    assert ids["the"] in _prefiltered(space_a, "café")
    Mention.objects.filter(pk=ids["cafe-bio"]).delete()
    assert ids["cafe-bio"] not in _prefiltered(space_a, "café")
