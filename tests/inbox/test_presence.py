"""Who else is on a case: heartbeats, drafting, expiry, and the case page's warning."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.inbox import builders
from tests.web import factories
from veille.core.models import Role
from veille.inbox import presence
from veille.inbox.models import Presence

pytestmark = pytest.mark.django_db


def _member(space, role=Role.AGENT, name=None):
    person = factories.user(name)
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def test_others_are_listed_drafters_first_and_not_oneself(agent, space_a):
    case = builders.case(space_a)
    _c, bob = _member(space_a, name="bob")
    _c, alice = _member(space_a, name="alice")
    presence.heartbeat(case, agent, "viewing")
    presence.heartbeat(case, alice, "viewing")
    presence.heartbeat(case, bob, "drafting")
    others = presence.others_on(case, agent)
    assert [(p.username, p.state) for p in others] == [("bob", "drafting"), ("alice", "viewing")]


def test_presence_older_than_the_ttl_is_ignored(agent, space_a):
    case = builders.case(space_a)
    _c, bob = _member(space_a, name="bob")
    now = timezone.now()
    presence.heartbeat(case, bob, "drafting", now=now - datetime.timedelta(seconds=16))
    assert presence.others_on(case, agent, now=now) == []
    presence.heartbeat(case, bob, "drafting", now=now - datetime.timedelta(seconds=14))
    assert [p.username for p in presence.others_on(case, agent, now=now)] == ["bob"]


def test_a_heartbeat_updates_one_row_and_an_unknown_state_means_viewing(agent, space_a):
    case = builders.case(space_a)
    presence.heartbeat(case, agent, "drafting")
    presence.heartbeat(case, agent, "<script>")
    assert list(Presence.objects.values_list("state", flat=True)) == ["viewing"]


def test_the_heartbeat_endpoint_reports_the_others(agent_client, agent, space_a):
    case = builders.case(space_a)
    bob_client, _bob = _member(space_a, name="bob")
    url = reverse("inbox_case_presence", args=[case.pk])
    bob_client.post(url, {"state": "drafting"})
    answer = agent_client.post(url, {"state": "viewing"}).json()
    assert answer == {"present": [{"user": "bob", "state": "drafting"}]}
    assert bob_client.post(url, {"state": "gone"}).status_code == 200
    assert agent_client.post(url, {"state": "viewing"}).json() == {"present": []}
    assert agent_client.get(url).status_code == 405


def test_the_case_page_says_who_is_drafting(agent_client, space_a):
    case = builders.case(space_a)
    _c, bob = _member(space_a, name="bob")
    presence.heartbeat(case, bob, "drafting")
    html = agent_client.get(reverse("inbox_case", args=[case.pk])).content.decode()
    assert "bob (drafting)" in html
    assert "data-collision" in html


def test_viewers_are_present_too_but_cannot_draft_here(space_a):
    case = builders.case(space_a)
    viewer, _person = _member(space_a, Role.VIEWER)
    url = reverse("inbox_case_presence", args=[case.pk])
    assert viewer.post(url, {"state": "viewing"}).status_code == 200
    html = viewer.get(reverse("inbox_case", args=[case.pk])).content.decode()
    assert "data-composer" not in html
