"""Actions on a case: who may take them, what they change, what the audit log says."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.inbox import builders
from tests.web import factories
from veille.core.models import CaseStatus, Event, Role
from veille.inbox import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(space_a):
    return builders.case(space_a)


def _person(space, role):
    person = factories.user()
    factories.member(person, space, role)
    return person


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.AGENT])
def test_members_who_act_may_assign_and_it_is_logged(case, space_a, role):
    actor = _person(space_a, role)
    workflow.assign(case, actor, actor)
    case.refresh_from_db()
    assert case.assignee == actor
    event = Event.objects.get(case=case, verb="case.assigned")
    assert event.actor == actor
    assert event.data["assignee"] == actor.pk and event.data["previous"] is None


def test_viewers_and_outsiders_may_not_act(case, space_a, space_b):
    viewer = _person(space_a, Role.VIEWER)
    outsider = _person(space_b, Role.OWNER)
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            workflow.set_status(case, CaseStatus.CLOSED, actor)
        with pytest.raises(PermissionDenied):
            workflow.add_note(case, actor, "hello")
    assert not Event.objects.filter(case=case).exists()


def test_a_viewer_cannot_be_assigned(case, space_a, agent):
    with pytest.raises(ValueError, match="can be assigned"):
        workflow.assign(case, _person(space_a, Role.VIEWER), agent)


def test_first_reply_sets_first_response_once(case, agent):
    workflow.mark_replied(case, agent, "https://social.example/@brand/1")
    first = case.first_response_at
    assert case.status == CaseStatus.REPLIED and first is not None
    workflow.set_status(case, CaseStatus.OPEN, agent)
    workflow.mark_replied(case, agent)
    case.refresh_from_db()
    assert case.first_response_at == first
    replies = Event.objects.filter(case=case, verb="case.replied").order_by("pk")
    assert [e.data["first_response"] for e in replies] == [True, False]
    assert replies[0].data["reply_url"] == "https://social.example/@brand/1"


def test_bad_input_is_refused_clearly(case, agent):
    with pytest.raises(ValueError, match="Unknown status"):
        workflow.set_status(case, "done", agent)
    with pytest.raises(ValueError, match="http or https"):
        workflow.mark_replied(case, agent, "javascript:alert(1)")
    with pytest.raises(ValueError, match="empty"):
        workflow.add_note(case, agent, "   ")


def test_notes_and_status_changes_are_events(case, agent):
    workflow.add_note(case, agent, "Client fidèle, répondre vite")
    workflow.set_status(case, CaseStatus.ESCALATED, agent)
    verbs = list(Event.objects.filter(case=case).order_by("pk").values_list("verb", "data"))
    assert verbs == [
        ("case.note", {"text": "Client fidèle, répondre vite"}),
        ("case.status", {"from": "new", "to": "escalated"}),
    ]


def test_round_robin_takes_agents_in_turn(space_a, agent):
    second = _person(space_a, Role.AGENT)
    _person(space_a, Role.VIEWER)
    cases = [builders.case(space_a) for _ in range(3)]
    assigned = [workflow.assign_round_robin(c, agent).assignee for c in cases]
    assert assigned == [agent, second, agent]
