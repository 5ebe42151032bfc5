"""The permission matrix of the inbox's new actions, through the web.

Every role (owner, manager, agent, viewer) x every action x own and foreign workspace:
owners and managers edit labels, rules and settings; agents act on cases (labels, bulk,
saved views, availability); viewers change nothing (403); what belongs to a workspace
one is not a member of does not exist (404), and nothing of it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tests.inbox import builders
from tests.web import factories
from veille.core.models import CaseStatus, Event, Role, Workspace
from veille.inbox.models import AgentState, Label, Rule, SavedView, WorkspaceSLA

pytestmark = pytest.mark.django_db

ROLES = (Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER)


@dataclass(frozen=True)
class Action:
    name: str
    who: str  # "edit": owners and managers; "act": owners, managers and agents
    # Objects in the workspace -> (url, data); the url names them when `bound`.
    build: Callable[[Workspace], tuple[str, dict]]
    bound: bool


def _label(space):
    return Label.objects.create(workspace=space, name="vip")


def _rule(space):
    return Rule.objects.create(workspace=space, name="r", position=0)


def _two_rules(space):
    _rule(space)
    return Rule.objects.create(workspace=space, name="s", position=1)


def _case_ids(space):
    return [str(builders.case(space).pk), str(builders.case(space).pk)]


ACTIONS = [
    Action(
        "label.create",
        "edit",
        lambda s: (reverse("inbox_labels"), {"name": "new", "colour": "red"}),
        False,
    ),
    Action(
        "label.delete",
        "edit",
        lambda s: (reverse("inbox_label_delete", args=[_label(s).pk]), {}),
        True,
    ),
    Action(
        "rule.create",
        "edit",
        lambda s: (reverse("inbox_rules"), {"name": "new", "assign": "", "ignore": "on"}),
        False,
    ),
    Action(
        "rule.edit",
        "edit",
        lambda s: (reverse("inbox_rule", args=[_rule(s).pk]), {"name": "changed", "assign": ""}),
        True,
    ),
    Action(
        "rule.delete",
        "edit",
        lambda s: (reverse("inbox_rule_delete", args=[_rule(s).pk]), {}),
        True,
    ),
    Action(
        "rule.move",
        "edit",
        lambda s: (reverse("inbox_rule_move", args=[_two_rules(s).pk]), {"direction": "up"}),
        True,
    ),
    Action(
        "settings",
        "edit",
        lambda s: (
            reverse("inbox_settings"),
            {
                "first_response_minutes": "30",
                "time_zone": "Europe/Paris",
                "hours_mon": "09:00-18:00",
                "brand_handles": "@brand",
            },
        ),
        False,
    ),
    Action(
        "case.label",
        "act",
        lambda s: (
            reverse("inbox_case_action", args=[builders.case(s).pk, "label"]),
            {"label": str(_label(s).pk)},
        ),
        True,
    ),
    Action(
        "bulk.assign",
        "act",
        lambda s: (
            reverse("inbox_bulk"),
            {"action": "assign", "assignee": "me", "case": _case_ids(s)},
        ),
        True,
    ),
    Action(
        "bulk.label",
        "act",
        lambda s: (
            reverse("inbox_bulk"),
            {"action": "label", "label": str(_label(s).pk), "case": _case_ids(s)},
        ),
        True,
    ),
    Action(
        "bulk.status",
        "act",
        lambda s: (
            reverse("inbox_bulk"),
            {"action": "status", "status": "closed", "case": _case_ids(s)},
        ),
        True,
    ),
    Action(
        "bulk.ignore",
        "act",
        lambda s: (reverse("inbox_bulk"), {"action": "ignore", "case": _case_ids(s)}),
        True,
    ),
    Action(
        "bulk.ignore_low",
        "act",
        lambda s: (
            reverse("inbox_bulk"),
            {"action": "ignore_low", "below": "100", "x": _case_ids(s)},
        ),
        False,
    ),
    Action(
        "view.save",
        "act",
        lambda s: (reverse("inbox_view_save"), {"name": "mine", "status": "new"}),
        False,
    ),
    Action(
        "availability",
        "act",
        lambda s: (reverse("inbox_availability"), {"available": "0"}),
        False,
    ),
]
ALLOWED = {
    "edit": {Role.OWNER, Role.MANAGER},
    "act": {Role.OWNER, Role.MANAGER, Role.AGENT},
}


def _state(space: Workspace) -> tuple:
    """Everything the actions above may change in a workspace."""
    return (
        sorted(Label.objects.filter(workspace=space).values_list("name", flat=True)),
        sorted(Rule.objects.filter(workspace=space).values_list("name", "position")),
        list(WorkspaceSLA.objects.filter(workspace=space).values_list("first_response_minutes")),
        sorted(space.cases.values_list("status", "assignee")),
        sorted(Label.cases.through.objects.filter(case__workspace=space).values_list("case")),
        list(SavedView.objects.filter(workspace=space).values_list("name")),
        list(AgentState.objects.filter(workspace=space).values_list("user", "available")),
        Event.objects.filter(workspace=space).count(),
    )


def _client(space, role):
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_in_ones_own_workspace(space_a, role, action):
    client, person = _client(space_a, role)
    url, data = action.build(space_a)
    before = _state(space_a)
    response = client.post(url, data)
    if role in ALLOWED[action.who]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _state(space_a) != before
        assert Event.objects.filter(workspace=space_a, actor=person).exists()
    else:
        assert response.status_code == 403
        assert _state(space_a) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_in_a_foreign_workspace(space_a, space_b, role, action):
    client, _person = _client(space_b, role)
    url, data = action.build(space_a)
    before = _state(space_a)
    response = client.post(url, data)
    if action.bound:
        assert response.status_code == 404
    assert _state(space_a) == before


@pytest.mark.parametrize("url_name", ["inbox_labels", "inbox_rules", "inbox_settings"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_settings_pages(space_a, role, url_name):
    client, _person = _client(space_a, role)
    response = client.get(reverse(url_name))
    if url_name == "inbox_settings" and role not in ALLOWED["edit"]:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        editable = 'type="submit" class="primary"' in response.content.decode()
        assert editable == (role in ALLOWED["edit"])


def test_a_foreign_rule_page_does_not_exist(space_a, space_b):
    client, _person = _client(space_b, Role.OWNER)
    rule = _rule(space_a)
    assert client.get(reverse("inbox_rule", args=[rule.pk])).status_code == 404
    html = client.get(reverse("inbox_rules")).content.decode()
    assert reverse("inbox_rule", args=[rule.pk]) not in html


def test_the_status_of_foreign_cases_is_untouched_by_ignore_low(space_a, space_b):
    builders.case(space_a)
    client, _person = _client(space_b, Role.OWNER)
    client.post(reverse("inbox_bulk"), {"action": "ignore_low", "below": "1000"})
    assert not space_a.cases.filter(status=CaseStatus.IGNORED).exists()
