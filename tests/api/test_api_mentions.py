"""GET mentions: filters, paging, the query language; POST a correction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.web import factories
from veille.core.models import Correction, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(space_a):
    """Five mentions of Brand A, an hour apart, the newest first in this list."""
    now = timezone.now()
    marque = factories.watch(space_a, name="Marque", query="azur")
    rival = factories.watch(space_a, name="Rival", query="rival")
    feed = factories.source(space_a)
    specs = [
        ("Le café Azur est excellent", "fr", "positive", "post", (marque,)),
        ("Azur coffee was cold", "en", "negative", "comment", (marque,)),
        ("Rival ouvre une boutique", "fr", "neutral", "post", (rival,)),
        ("Où acheter du café Azur ?", "fr", "neutral", "reply", (marque,)),
        ("Rien à voir", "fr", "neutral", "post", ()),
    ]
    return [
        factories.mention(
            space_a,
            feed=feed,
            text=text,
            language=language,
            sentiment=sentiment,
            kind=kind,
            watches=watches,
            published_at=now - timedelta(hours=hour),
        )
        for hour, (text, language, sentiment, kind, watches) in enumerate(specs)
    ]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_newest_first_with_fields(owner_api, space_a, heard):
    response = owner_api.get(f"/api/workspaces/{space_a.pk}/mentions")
    assert _ids(response) == [m.pk for m in heard]
    first = response.json()["items"][0]
    assert first["text"] == "Le café Azur est excellent"
    assert first["watches"] == [
        {"id": heard[0].matches.get().watch_id, "name": "Marque", "terms": ["veille"]}
    ]
    assert set(first) >= {
        "url",
        "kind",
        "published_at",
        "author",
        "sentiment_score",
        "intents",
        "media_category",
        "language",
        "title",
    }
    assert response.json()["count"] == 5


def test_filters(owner_api, space_a, heard):
    path = f"/api/workspaces/{space_a.pk}/mentions"
    marque = heard[0].matches.get().watch_id
    assert _ids(owner_api.get(path, watch=marque)) == [heard[0].pk, heard[1].pk, heard[3].pk]
    assert _ids(owner_api.get(path, language="en")) == [heard[1].pk]
    assert _ids(owner_api.get(path, sentiment="negative")) == [heard[1].pk]
    assert _ids(owner_api.get(path, kind="reply")) == [heard[3].pk]
    since = (heard[2].published_at - timedelta(minutes=1)).isoformat()
    until = (heard[0].published_at - timedelta(minutes=1)).isoformat()
    assert _ids(owner_api.get(path, since=since, until=until)) == [heard[1].pk, heard[2].pk]


def test_paging_has_a_maximum(owner_api, space_a, heard):
    path = f"/api/workspaces/{space_a.pk}/mentions"
    first = owner_api.get(path, limit=2).json()
    assert [i["id"] for i in first["items"]] == [heard[0].pk, heard[1].pk]
    assert first["next_offset"] == 2
    last = owner_api.get(path, limit=2, offset=4).json()
    assert [i["id"] for i in last["items"]] == [heard[4].pk]
    assert last["next_offset"] is None
    assert owner_api.get(path, limit=201).status_code == 422
    assert owner_api.get(path, offset=-1).status_code == 422


def test_the_query_language(owner_api, space_a, heard):
    path = f"/api/workspaces/{space_a.pk}/mentions"
    assert _ids(owner_api.get(path, q="azur NOT cold")) == [heard[0].pk, heard[3].pk]
    page = owner_api.get(path, q="azur", limit=1).json()
    assert page["next_offset"] == 1 and page["count"] is None
    wrong = owner_api.get(path, q='azur AND ("café')
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "q" and wrong.json()["column"] == 11


def test_a_correction_is_stored_applied_and_audited(apis, space_a, heard):
    mention = heard[1]
    path = f"/api/workspaces/{space_a.pk}/mentions/{mention.pk}/correction"
    response = apis["agent"].post(path, {"sentiment": "neutral", "intents": ["complaint"]})
    assert response.status_code == 200, response.content
    assert response.json()["sentiment"] == "neutral"
    assert response.json()["intents"] == ["complaint"]
    mention.refresh_from_db()
    assert mention.sentiment == "neutral" and mention.intents == ["complaint"]
    assert Correction.objects.filter(mention=mention).count() == 2
    event = Event.objects.get(verb="mention.corrected")
    assert event.mention == mention and event.actor.username == "agent-a"
    assert event.data == {"sentiment": "neutral", "intents": ["complaint"]}


def test_a_bad_correction_is_422_and_changes_nothing(owner_api, space_a, heard):
    path = f"/api/workspaces/{space_a.pk}/mentions/{heard[0].pk}/correction"
    assert owner_api.post(path, {"intents": ["gossip"]}).status_code == 422
    assert owner_api.post(path, {"sentiment": "furious"}).status_code == 422
    assert owner_api.post(path, {}).status_code == 422
    assert not Correction.objects.exists() and not Event.objects.exists()
