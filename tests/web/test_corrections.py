"""Correcting a mention from the web app: who may, what is stored, what is shown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web import factories
from veille.core.models import Correction, Event, Mention, Role, Workspace
from veille.enrich.corrections import reenrich_stored

ACTING = (Role.OWNER, Role.MANAGER, Role.AGENT)
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"


def _client(space: Workspace, role: str, username: str | None = None) -> tuple[Client, object]:
    person = factories.user(username)
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def _mention(space: Workspace) -> Mention:
    return factories.mention(
        space,
        text="Colis jamais reçu, service client injoignable",
        language="fr",
        sentiment="positive",
        intents=["praise"],
    )


def _data(mention: Mention, sentiment: str, intents: list[str]) -> dict[str, object]:
    prefix = f"correction-{mention.pk}"
    return {f"{prefix}-sentiment": sentiment, f"{prefix}-intents": intents}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTING)
def test_an_acting_member_corrects_and_sees_who_did(space_a: Workspace, role: str) -> None:
    mention = _mention(space_a)
    client, person = _client(space_a, role, f"corrector-{role}")

    answer = client.post(
        reverse("mention_correct", args=[mention.pk]),
        _data(mention, "negative", ["complaint", "question"]),
        **HTMX,
    )

    assert answer.status_code == 200
    html = answer.content.decode()
    assert f"Corrected by corrector-{role}" in html and "Correction saved." in html
    assert f'id="correction-{mention.pk}"' in html  # the fragment that htmx swaps in
    mention.refresh_from_db()
    assert mention.sentiment == "negative" and mention.sentiment_confidence == 1.0
    assert mention.intents == ["complaint", "question"]
    stored = {c.field: c.value for c in Correction.objects.filter(mention=mention)}
    assert stored == {"sentiment": "negative", "intents": ["complaint", "question"]}
    assert set(Correction.objects.values_list("author", flat=True)) == {person.pk}
    event = Event.objects.get(verb="mention.corrected", mention=mention)
    assert event.actor == person and event.workspace == space_a
    assert event.data == {"sentiment": "negative", "intents": ["complaint", "question"]}


@pytest.mark.django_db
def test_the_correction_survives_re_enrichment_and_stays_shown(space_a: Workspace) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, Role.AGENT, "camille")
    url = reverse("mention_correct", args=[mention.pk])
    client.post(url, _data(mention, "neutral", []))

    reenrich_stored([Mention.objects.get(pk=mention.pk)], space_a.pk)

    mention.refresh_from_db()
    assert mention.sentiment == "neutral" and mention.intents == []
    other, _ = _client(space_a, Role.MANAGER, "dominique")
    again = other.post(url, _data(mention, "neutral", []), **HTMX).content.decode()
    assert "Nothing changed." in again and "Corrected by camille" in again


@pytest.mark.django_db
def test_only_what_changed_is_stored(space_a: Workspace) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, Role.MANAGER)

    same = client.post(
        reverse("mention_correct", args=[mention.pk]),
        _data(mention, "positive", ["praise"]),
        **HTMX,
    )
    assert "Nothing changed." in same.content.decode()
    assert not Correction.objects.exists() and not Event.objects.exists()

    client.post(
        reverse("mention_correct", args=[mention.pk]), _data(mention, "positive", []), **HTMX
    )
    assert list(Correction.objects.values_list("field", "value")) == [("intents", [])]


@pytest.mark.django_db
def test_a_viewer_may_not_correct(space_a: Workspace) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, Role.VIEWER)

    answer = client.post(
        reverse("mention_correct", args=[mention.pk]), _data(mention, "negative", []), **HTMX
    )

    assert answer.status_code == 403
    assert not Correction.objects.exists() and not Event.objects.exists()
    mention.refresh_from_db()
    assert mention.sentiment == "positive"


@pytest.mark.django_db
def test_a_mention_of_another_workspace_does_not_exist_for_you(
    space_a: Workspace, space_b: Workspace
) -> None:
    foreign = _mention(space_b)
    client, _ = _client(space_a, Role.OWNER)

    answer = client.post(
        reverse("mention_correct", args=[foreign.pk]), _data(foreign, "negative", []), **HTMX
    )

    assert answer.status_code == 404
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_strangers_are_sent_to_log_in_and_get_is_refused(space_a: Workspace) -> None:
    mention = _mention(space_a)
    url = reverse("mention_correct", args=[mention.pk])

    anonymous = Client().post(url, _data(mention, "negative", []))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client, _ = _client(space_a, Role.AGENT)
    assert client.get(url).status_code == 405
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_the_csrf_token_is_required(space_a: Workspace) -> None:
    mention = _mention(space_a)
    person = factories.user()
    factories.member(person, space_a, Role.AGENT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    url = reverse("mention_correct", args=[mention.pk])

    refused = client.post(url, _data(mention, "negative", []), **HTMX)
    assert refused.status_code == 403
    assert not Correction.objects.exists()

    client.get(reverse("mentions"))  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, _data(mention, "negative", []), HTTP_X_CSRFTOKEN=token, **HTMX)
    assert accepted.status_code == 200
    assert Correction.objects.filter(mention=mention, value="negative").exists()


@pytest.mark.django_db
def test_a_bad_value_is_refused_with_a_message(space_a: Workspace) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, Role.AGENT)
    url = reverse("mention_correct", args=[mention.pk])

    swapped = client.post(url, _data(mention, "furious", ["gossip"]), **HTMX)
    plain = client.post(url, _data(mention, "furious", []))

    assert swapped.status_code == 200 and plain.status_code == 422
    html = swapped.content.decode()
    assert "furious is not one of the available choices" in html
    assert "gossip is not one of the available choices" in html
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_hostile_names_are_escaped_and_foreign_redirects_refused(space_a: Workspace) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, Role.AGENT, HOSTILE)
    url = reverse("mention_correct", args=[mention.pk])

    answer = client.post(url, _data(mention, "negative", []), **HTMX)
    html = answer.content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    back = client.post(url, _data(mention, "neutral", []) | {"next": "https://evil.example/"})
    assert back.status_code == 302 and back["Location"] == reverse("mentions")
    home = client.post(url, _data(mention, "positive", []) | {"next": "/?page=2"})
    assert home["Location"] == "/?page=2"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "offered"), [(Role.AGENT, True), (Role.VIEWER, False)])
def test_the_mention_list_offers_the_correction_to_acting_members_only(
    space_a: Workspace, role: str, offered: bool
) -> None:
    mention = _mention(space_a)
    client, _ = _client(space_a, role, f"reader-{role}")

    html = client.get(reverse("mentions")).content.decode()

    assert f'id="correction-{mention.pk}"' in html
    assert ("Correct the sentiment or intents" in html) is offered
    assert (reverse("mention_correct", args=[mention.pk]) in html) is offered
