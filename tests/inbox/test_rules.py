"""Inbox rules, applied when the pipeline opens or reopens a case; round-robin rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.web import factories as web_factories
from veille.core.models import Case, CaseStatus, Event, Role
from veille.inbox import workflow
from veille.inbox.cases import open_cases
from veille.inbox.models import AgentState, Label, Rule
from veille.pipeline.store import store

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    found = factories.workspace()
    found.default_language = "en"
    found.save()
    return found


@pytest.fixture
def watch(space):
    return space.watches.create(name="Azur", query="azur")


def _person(space, role=Role.AGENT, name=None):
    person = web_factories.user(name)
    web_factories.member(person, space, role)
    return person


def _open(space, watch, number, text, **extra):
    extra.setdefault("published_at", timezone.now() - timedelta(minutes=60 - number))
    mention = factories.raw(number, text, **extra)
    mention.matches = {watch.pk: ["azur"]}
    source = space.sources.first() or factories.feed_source(space)
    return open_cases(space, store(source, [mention], {}).mention_ids)


def _rule(space, name, position, **fields):
    return Rule.objects.create(workspace=space, name=name, position=position, **fields)


def _rule_events(case):
    return list(
        Event.objects.filter(case=case, verb="case.rule")
        .order_by("pk")
        .values_list("data__rule", "data__action")
    )


def test_the_first_matching_rule_wins_and_is_in_the_history(space, watch):
    vip = _person(space, name="vip-desk")
    _rule(space, "complaints", 0, intent="complaint", assign_to=vip)
    _rule(space, "everything", 1, ignore=True)

    (case,) = _open(space, watch, 1, "Azur, ma commande est en retard", intents=["complaint"])
    case.refresh_from_db()
    assert case.assignee == vip and case.status == CaseStatus.NEW
    assert _rule_events(case) == [("complaints", "assigned")]

    (other,) = _open(space, watch, 2, "Azur, joli logo")
    other.refresh_from_db()
    assert other.status == CaseStatus.IGNORED and other.assignee is None
    assert _rule_events(other) == [("everything", "ignored")]
    page = _client(space, Role.AGENT).get(reverse("inbox_case", args=[case.pk]))
    assert "rule complaints: assigned to vip-desk" in page.content.decode()


def _client(space, role):
    client = Client()
    client.force_login(_person(space, role))
    return client


def test_a_rule_that_continues_lets_the_next_ones_apply(space, watch):
    urgent = Label.objects.create(workspace=space, name="urgent", colour="red")
    _rule(
        space,
        "negative",
        0,
        sentiment="negative",
        add_label=urgent,
        priority_change="raise",
        priority_value=40,
        continue_matching=True,
    )
    _rule(space, "rotation", 1, round_robin=True)
    _rule(space, "never reached", 2, ignore=True)
    agent = _person(space)

    (case,) = _open(space, watch, 1, "Azur, c'est nul", sentiment="negative")
    case.refresh_from_db()
    assert list(case.labels.values_list("name", flat=True)) == ["urgent"]
    assert case.assignee == agent and case.status == CaseStatus.NEW
    assert _rule_events(case) == [
        ("negative", "labelled"),
        ("negative", "priority"),
        ("rotation", "assigned"),
    ]
    assert case.triage.reasons[0] == "rule negative: +40"
    # The raise holds when the case is scored again (a new reply in the thread).
    raised = case.priority
    from veille.inbox.cases import refresh_priority

    assert refresh_priority(case).priority == raised


def test_conditions_on_author_platform_watch_and_keywords(space, watch):
    other_watch = space.watches.create(name="Autre", query="autre")
    _rule(space, "by handle", 0, author="@Marie", platform="blog.example", ignore=True)
    _rule(space, "other watch", 1, watch=other_watch, ignore=True)
    _rule(
        space,
        "delivery",
        2,
        keywords='livraison OR "colis perdu"',
        priority_change="set",
        priority_value=99,
    )

    (by_marie,) = _open(space, watch, 1, "Azur bof", author_handle="marie")
    (lost,) = _open(space, watch, 2, "Azur : mon colis perdu depuis lundi")
    (plain,) = _open(space, watch, 3, "Azur est ouvert dimanche ?")
    for case in (by_marie, lost, plain):
        case.refresh_from_db()
    assert by_marie.status == CaseStatus.IGNORED
    assert lost.status == CaseStatus.NEW and lost.priority == 99
    assert plain.status == CaseStatus.NEW and _rule_events(plain) == []


def test_rules_run_again_when_a_case_is_reopened(space, watch):
    (case,) = _open(space, watch, 1, "Azur ?")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    urgent = Label.objects.create(workspace=space, name="relance")
    _rule(space, "reopened", 0, add_label=urgent)
    post = case.thread_root
    _open(
        space,
        watch,
        5,
        "Toujours rien",
        kind="comment",
        in_reply_to_url=post.url,
        published_at=timezone.now() + timedelta(minutes=1),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert list(case.labels.values_list("name", flat=True)) == ["relance"]


def test_round_robin_skips_unavailable_agents_and_stays_fair(space, watch):
    first, second, third = (_person(space, name=f"rr{n}") for n in range(3))
    _person(space, Role.MANAGER)
    _rule(space, "rotation", 0, round_robin=True)
    workflow.set_available(second, space, False)

    got = [_open(space, watch, n, f"Azur {n}")[0] for n in range(1, 5)]
    assert [Case.objects.get(pk=c.pk).assignee for c in got] == [first, third, first, third]
    workflow.set_available(second, space, True)
    (back,) = _open(space, watch, 9, "Azur encore")
    # The one who waited longest comes next: second never had a case.
    assert Case.objects.get(pk=back.pk).assignee == second
    assert AgentState.objects.get(workspace=space, user=second).available
    assert Event.objects.filter(verb="inbox.availability", actor=second).count() == 2


def test_viewers_cannot_set_their_availability(space):
    viewer = _person(space, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        workflow.set_available(viewer, space, False)
    assert not AgentState.objects.exists()


def test_a_rule_with_a_bad_query_is_refused_with_the_column(space):
    client = _client(space, Role.MANAGER)
    response = client.post(
        reverse("inbox_rules"), {"name": "cassée", "keywords": "livraison AND (", "assign": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "(column" in html and 'class="caret"' in html
    assert not Rule.objects.exists()


def test_managers_create_edit_move_and_delete_rules(space, watch):
    client = _client(space, Role.MANAGER)
    agent = _person(space, name="desk")
    for name in ("a", "b", "c"):
        response = client.post(
            reverse("inbox_rules"),
            {"name": name, "active": "on", "assign": str(agent.pk), "priority_change": ""},
        )
        assert response.status_code == 302, response.content.decode()
    rules = list(Rule.objects.order_by("position"))
    assert [r.name for r in rules] == ["a", "b", "c"] and rules[0].assign_to == agent
    client.post(reverse("inbox_rule_move", args=[rules[2].pk]), {"direction": "up"})
    assert list(Rule.objects.values_list("name", flat=True)) == ["a", "c", "b"]
    client.post(
        reverse("inbox_rule", args=[rules[0].pk]),
        {"name": "a2", "assign": "round-robin", "priority_change": "raise"},
    )
    rules[0].refresh_from_db()
    assert rules[0].name == "a"  # refused: raise needs a number
    client.post(
        reverse("inbox_rule", args=[rules[0].pk]),
        {"name": "a2", "assign": "round-robin", "priority_change": "raise", "priority_value": "5"},
    )
    rules[0].refresh_from_db()
    assert rules[0].name == "a2" and rules[0].round_robin and rules[0].assign_to is None
    client.post(reverse("inbox_rule_delete", args=[rules[1].pk]))
    assert list(Rule.objects.values_list("name", flat=True)) == ["a2", "c"]
    verbs = set(Event.objects.filter(verb__startswith="rule.").values_list("verb", flat=True))
    assert verbs == {"rule.created", "rule.moved", "rule.changed", "rule.deleted"}
