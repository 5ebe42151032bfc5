"""Saved replies: variables, unknown placeholders, escaping, and who may change them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.inbox import builders
from tests.web import factories
from veille.core.models import Event, Role
from veille.inbox.models import SavedReply
from veille.inbox.saved_replies import fill, for_case

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
VALUES = {"author": "Léa", "brand": "Azur", "agent": "sam", "url": "https://x.example/1"}


def _member(space, role):
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def test_known_variables_are_filled_in():
    body = "Bonjour {author}, ici {agent} de {brand} : {url}"
    assert fill(body, VALUES) == "Bonjour Léa, ici sam de Azur : https://x.example/1"


@pytest.mark.parametrize(
    "body",
    ["{name}", "{0}", "{author.__class__}", "{", "}", "{{author}}", "{author!r}", "{url:>99}"],
)
def test_anything_else_between_braces_stays_as_written(body):
    expected = body.replace("{author}", "Léa")
    assert fill(body, VALUES) == expected


def test_missing_values_leave_the_placeholder():
    assert fill("Bonjour {author}", {}) == "Bonjour {author}"


def test_a_case_fills_in_its_author_brand_agent_and_url(space_a, agent):
    case = builders.case(space_a, mention={"url": "javascript:alert(1)"})
    case.thread_root.author.display_name = XSS
    case.thread_root.author.save()
    SavedReply.objects.create(workspace=space_a, name="Merci", language="en", body="{url}!")
    SavedReply.objects.create(
        workspace=space_a, name="Bonjour", language="fr", body="Bonjour {author}, {agent} ({brand})"
    )
    filled = for_case(case, case.thread_root, agent)
    assert [reply["name"] for reply in filled] == ["Bonjour", "Merci"]
    assert filled[0]["text"] == f"Bonjour {XSS}, agent (Brand A)"
    assert filled[1]["text"] == "!"  # an unsafe address is never offered


def test_the_composer_data_is_escaped_in_the_case_page(agent_client, space_a):
    case = builders.case(space_a)
    case.thread_root.author.display_name = XSS
    case.thread_root.author.save()
    SavedReply.objects.create(workspace=space_a, name=XSS, language="fr", body=XSS + "{author}")
    html = agent_client.get(reverse("inbox_case", args=[case.pk])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    start = html.index('<script id="saved-replies" type="application/json">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(payload)[0]["text"] == XSS + XSS


def test_the_list_escapes_names_and_bodies(space_a):
    client, _owner = _member(space_a, Role.OWNER)
    SavedReply.objects.create(workspace=space_a, name=XSS, language="fr", body=XSS)
    html = client.get(reverse("inbox_saved_replies")).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_owners_and_managers_add_edit_and_delete(space_a, role):
    client, person = _member(space_a, role)
    data = {"name": "Merci", "language": "fr", "body": "Merci {author} !"}
    response = client.post(reverse("inbox_saved_replies"), data)
    assert response.status_code == 302
    reply = SavedReply.objects.get(workspace=space_a)
    edit = reverse("inbox_saved_reply", args=[reply.pk])
    assert client.post(edit, {**data, "body": "Merci beaucoup"}).status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Merci beaucoup"
    assert client.post(reverse("inbox_saved_reply_delete", args=[reply.pk])).status_code == 302
    assert not SavedReply.objects.exists()
    verbs = list(Event.objects.filter(actor=person).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["saved_reply.created", "saved_reply.changed", "saved_reply.deleted"]


def test_the_same_name_and_language_twice_is_refused(space_a):
    client, _owner = _member(space_a, Role.OWNER)
    data = {"name": "Merci", "language": "fr", "body": "Merci"}
    client.post(reverse("inbox_saved_replies"), data)
    response = client.post(reverse("inbox_saved_replies"), data)
    assert response.status_code == 200
    assert SavedReply.objects.count() == 1


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
def test_agents_and_viewers_read_but_cannot_change(space_a, role):
    client, _person = _member(space_a, role)
    reply = SavedReply.objects.create(workspace=space_a, name="Merci", language="fr", body="x")
    page = client.get(reverse("inbox_saved_replies"))
    assert page.status_code == 200 and "Merci" in page.content.decode()
    assert '<form method="post" action="/inbox/replies/"' not in page.content.decode()
    data = {"name": "Autre", "language": "fr", "body": "y"}
    assert client.post(reverse("inbox_saved_replies"), data).status_code == 403
    edit = reverse("inbox_saved_reply", args=[reply.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, data).status_code == 403
    delete = reverse("inbox_saved_reply_delete", args=[reply.pk])
    assert client.post(delete).status_code == 403
    assert list(SavedReply.objects.values_list("name", flat=True)) == ["Merci"]


def test_another_workspaces_reply_does_not_exist(space_a, space_b):
    client, _owner = _member(space_a, Role.OWNER)
    name = "Réponse type de l'autre marque"
    theirs = SavedReply.objects.create(workspace=space_b, name=name, language="en", body="x")
    assert client.get(reverse("inbox_saved_reply", args=[theirs.pk])).status_code == 404
    delete = reverse("inbox_saved_reply_delete", args=[theirs.pk])
    assert client.post(delete).status_code == 404
    listing = client.get(reverse("inbox_saved_replies")).content.decode()
    assert "Réponse type de l" not in listing


def test_mark_replied_keeps_the_answer_text(agent_client, space_a):
    case = builders.case(space_a)
    url = reverse("inbox_case_action", args=[case.pk, "replied"])
    agent_client.post(url, {"reply_url": "https://x.example/r/1", "reply_text": "Merci Léa"})
    event = Event.objects.get(case=case, verb="case.replied")
    assert event.data["text"] == "Merci Léa"
    assert event.data["reply_url"] == "https://x.example/r/1"
