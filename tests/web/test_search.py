"""Search in the mention list speaks the query language; the database only prefilters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web import factories
from veille.core.models import Mention, Workspace
from veille.query import Document, QueryIndex, parse
from veille.search import index
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
def test_a_capped_search_says_so(agent_client: Client, space_a: Workspace, settings) -> None:
    settings.VEILLE_SEARCH_MAX_CANDIDATES = 3
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
def test_the_prefilter_narrows_and_follows_changes(
    space_a: Workspace, catalogue: dict[str, Mention]
) -> None:
    """Both databases: SQLite's FTS5 table and PostgreSQL's tsvector table narrow alike."""
    assert apps.is_installed("veille.search"), "add veille.search to INSTALLED_APPS"
    ids = {key: mention.pk for key, mention in catalogue.items()}
    assert _prefiltered(space_a, "café bio") == {ids["cafe-bio"]}
    assert _prefiltered(space_a, '"médias sociaux"') == {ids["hashtag"]}
    assert _prefiltered(space_a, "coeur") == {ids["coeur"]}
    assert _prefiltered(space_a, "torré*") == {ids["coeur"]}
    assert _prefiltered(space_a, "l'entreprise") == {ids["elision"]}
    assert _prefiltered(space_a, "café NOT emploi") == {
        ids["cafe-bio"],
        ids["cafe-emploi"],
        ids["hashtag"],
    }

    Mention.objects.filter(pk=ids["the"]).update(text="Du café en grains")
    assert ids["the"] in _prefiltered(space_a, "café")
    Mention.objects.filter(pk=ids["coeur"]).update(text="Plus rien à voir")
    assert ids["coeur"] not in _prefiltered(space_a, "coeur")
    Mention.objects.filter(pk=ids["cafe-bio"]).delete()
    assert _prefiltered(space_a, "bio") == set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT mention_id FROM search_mention_words")
            assert {row[0] for row in cursor.fetchall()} == set(ids.values()) - {ids["cafe-bio"]}


@pytest.mark.django_db
def test_a_query_with_nothing_to_require_reads_every_candidate(
    space_a: Workspace, catalogue: dict[str, Mention]
) -> None:
    everything = {mention.pk for mention in catalogue.values()}
    assert _prefiltered(space_a, "lang:fr OR site:example.org") == everything
    assert _prefiltered(space_a, "kind:post AND NOT café") == everything


@pytest.mark.django_db
def test_an_old_match_beyond_the_candidate_bound_is_found(space_a: Workspace, settings) -> None:
    """The newest mentions do not match; the prefilter still reaches an older one."""
    settings.VEILLE_SEARCH_MAX_CANDIDATES = 20
    now = timezone.now()
    old = factories.mention(
        space_a, text="Notre #BrûlerieAzur à Marseille", published_at=now - timedelta(days=400)
    )
    for number in range(30):
        factories.mention(space_a, text=f"Un café ordinaire, numéro {number}", published_at=now)
    mentions = Mention.objects.filter(workspace=space_a)

    found = search.search(mentions, parse('"brulerie azur" AND marseille'))

    assert found.ids == [old.pk] and not found.capped
    # With nothing to require, only the newest candidates are read: bounded, and said.
    bounded = search.search(mentions, parse("kind:post"))
    assert bounded.capped and len(bounded.ids) == 20 and old.pk not in bounded.ids


CORPUS = (
    "Les médias sociaux changent la donne",
    "Les medias sociaux, vus par l’équipe",
    "Vive les #MediasSociaux et le café ☕ !",
    "L'entreprise Brûlerie Azur ouvre à Lyon",
    "l’ENTREPRISE ferme ; qu'importe",
    "Un cœur de métier : la torréfaction 🔥",
    "Le COEUR du sujet, la torrefaction artisanale",
    "Café… bio ! Azur, toujours",
    "@brulerie_azur répond : merci 🙏",
    "Torréfacteurs et torréfactrices réunis",
    "Aucun rapport avec la question",
    "Ça marche : ÇA MARCHE vraiment",
    "Marketing, marketplace et market",
    "Noël à l’atelier #Noël2025",
)
QUERIES = (
    "medias sociaux",
    '"médias sociaux"',
    '"medias sociaux" NOT café',
    "#mediassociaux",
    "entreprise",
    "l'entreprise",
    "qu’importe",
    "coeur",
    "cœur AND torréfaction",
    "torréf*",
    "torref* NOT artisanale",
    "market*",
    '"brulerie azur"',
    "brulerie NEAR/3 lyon",
    "@brulerie_azur OR azur",
    "ça AND marche",
    "noel2025 OR #noel2025",
    '"noel 2025"',
    "café OR thé",
    "(café OR cafe) AND (bio OR merci)",
    "title:azur",
    "author:jean OR café",
    "cafetière",
)


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_the_prefilter_keeps_every_exact_match(space_a: Workspace, query: str) -> None:
    """Accents, elisions, prefixes and hashtags: search finds what the matcher finds."""
    created = [factories.mention(space_a, text=text) for text in CORPUS]
    created.append(factories.mention(space_a, title="Brûlerie Azur", text="rien"))
    mentions = Mention.objects.filter(workspace=space_a)
    parsed = parse(query)
    index = QueryIndex({0: parsed})
    expected = {
        mention.pk
        for mention in created
        if index.terms(Document(text=mention.text, title=mention.title))
    }

    assert _prefiltered(space_a, query) >= expected
    assert set(search.search(mentions, parsed).ids) == expected


@pytest.mark.django_db
def test_postgresql_rows_stay_candidates_until_their_words_are_known(
    space_a: Workspace,
) -> None:
    """A stale row, or one too big for a tsvector, is always a candidate (PostgreSQL)."""
    huge = factories.mention(space_a, text="azur " + "x" * 3_000)
    plain = factories.mention(space_a, text="Brûlerie Azur")
    other = factories.mention(space_a, text="rien du tout")
    if connection.vendor != "postgresql":
        assert _prefiltered(space_a, "azur") == {huge.pk, plain.pk}
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_mention_words WHERE stale")
        assert cursor.fetchone()[0] == 3  # nothing computed yet: all candidates
    mentions = Mention.objects.filter(workspace=space_a)
    unknown = RawSQL(index.PG_MATCHING_IDS_SQL, ("'zzz'",))  # noqa: S611
    stale = mentions.filter(id__in=unknown).values_list("pk", flat=True)
    assert set(stale) == {huge.pk, plain.pk, other.pk}

    assert index.refresh_words() == 3
    assert _prefiltered(space_a, "azur") == {huge.pk, plain.pk}  # huge: unindexable
    assert _prefiltered(space_a, "brul*") == {huge.pk, plain.pk}
    assert set(search.search(mentions, parse("azur")).ids) == {huge.pk, plain.pk}
