"""The live inbox's JSON: changes since an event id, per workspace, and a case's history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.inbox import builders
from tests.web import factories
from veille.core.models import CaseStatus, Event, Role
from veille.inbox import live, workflow

pytestmark = pytest.mark.django_db


def _client_for(space, role):
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def test_without_since_only_the_newest_event_id_is_given(agent_client, agent, space_a):
    case = builders.case(space_a)
    workflow.assign(case, agent, agent)
    answer = agent_client.get(reverse("inbox_changes")).json()
    assert answer == {"latest": live.latest_event_id(space_a), "cases": []}
    assert answer["latest"] > 0


def test_changes_since_give_each_changed_case_with_who_changed_it(
    agent_client, agent, space_a, settings
):
    settings.LANGUAGE_CODE = "fr"  # labels come in the request's language
    untouched = builders.case(space_a, "rien")
    case = builders.case(space_a)
    since = live.latest_event_id(space_a)
    workflow.assign(case, agent, agent)
    workflow.set_status(case, CaseStatus.CLOSED, agent)
    answer = agent_client.get(reverse("inbox_changes"), {"since": since}).json()
    assert answer["latest"] == live.latest_event_id(space_a) > since
    labels = [found.pop("status_label") for found in answer["cases"]]
    assert labels == ["clos"]
    assert answer["cases"] == [
        {
            "id": case.pk,
            "status": "closed",
            "assignee": "agent",
            "priority": 0,
            "reasons": ["question", "reach 12k"],
            "by": "agent",
        }
    ]
    again = agent_client.get(reverse("inbox_changes"), {"since": answer["latest"]}).json()
    assert again == {"latest": answer["latest"], "cases": []}
    assert untouched.pk not in {found["id"] for found in answer["cases"]}


def test_only_the_callers_workspace_is_reported(agent_client, space_a, space_b):
    theirs = builders.case(space_b)
    outsider, _person = _client_for(space_b, Role.OWNER)
    workflow.set_status(theirs, CaseStatus.CLOSED, _person)
    answer = agent_client.get(reverse("inbox_changes"), {"since": 0}).json()
    assert answer["cases"] == []
    seen = outsider.get(reverse("inbox_changes"), {"since": 0}).json()
    assert [found["id"] for found in seen["cases"]] == [theirs.pk]


def test_viewers_can_read_changes(space_a, agent):
    case = builders.case(space_a)
    viewer, _person = _client_for(space_a, Role.VIEWER)
    workflow.assign(case, agent, agent)
    answer = viewer.get(reverse("inbox_changes"), {"since": 0}).json()
    assert [found["assignee"] for found in answer["cases"]] == ["agent"]
    assert viewer.get(reverse("inbox_case_changes", args=[case.pk])).status_code == 200


def test_a_case_of_another_workspace_does_not_exist(agent_client, space_b):
    theirs = builders.case(space_b)
    for name in ("inbox_case_changes", "inbox_case_presence"):
        url = reverse(name, args=[theirs.pk])
        response = agent_client.post(url) if "presence" in name else agent_client.get(url)
        assert response.status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, space_a):
    response = client.get(reverse("inbox_changes"), {"since": 0})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_bad_since_is_treated_as_missing(agent_client, space_a):
    answer = agent_client.get(reverse("inbox_changes"), {"since": "x<script>"}).json()
    assert answer["cases"] == []


def test_the_case_feed_has_only_its_own_history_lines(agent_client, agent, space_a):
    case = builders.case(space_a)
    other = builders.case(space_a)
    since = live.latest_event_id(space_a)
    workflow.assign(other, agent, agent)
    workflow.mark_replied(case, agent, "https://social.example/@brand/1", text="Merci !")
    workflow.add_note(case, agent, "<b>vu</b>")
    answer = agent_client.get(reverse("inbox_case_changes", args=[case.pk]), {"since": since})
    data = answer.json()
    assert [found["id"] for found in data["cases"]] == [case.pk]
    assert [line["text"] for line in data["events"]] == ["marked it replied", "noted: <b>vu</b>"]
    assert data["events"][0]["url"] == "https://social.example/@brand/1"
    assert data["present"] == []
    assert answer["Cache-Control"].startswith("max-age=0")


def test_unsafe_reply_urls_are_not_passed_on(space_a):
    case = builders.case(space_a)
    event = Event.objects.create(
        workspace=space_a, case=case, verb="case.replied", data={"reply_url": "javascript:x"}
    )
    assert live.event_line(event)["url"] == ""


def test_the_inbox_page_carries_the_newest_event_id(agent_client, agent, space_a):
    case = builders.case(space_a)
    workflow.assign(case, agent, agent)
    html = agent_client.get(reverse("inbox")).content.decode()
    assert f'data-since="{live.latest_event_id(space_a)}"' in html
    assert f'data-case-id="{case.pk}"' in html
    assert reverse("inbox_changes") in html
