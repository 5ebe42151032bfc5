from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from veille.core.models import Case, Mention, Workspace
from veille.insights.team import responsiveness

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = datetime(2026, 3, 10, tzinfo=UTC)


@pytest.fixture
def space() -> Workspace:
    """Five cases, each due 60 minutes after it opened.

    ana: answered after 10, 30 and 90 minutes (the last one is late).
    bob: answered after 20 minutes; one case never answered (late by now).
    """
    workspace = Workspace.objects.create(name="Azur")
    source = factories.feed_source(workspace)
    users = {name: get_user_model().objects.create(username=name) for name in ("ana", "bob")}
    plan = [("ana", 10), ("ana", 30), ("ana", 90), ("bob", 20), ("bob", None)]
    for number, (agent, minutes) in enumerate(plan):
        opened = T0 + timedelta(hours=number)
        root = Mention.objects.create(
            workspace=workspace, source=source, external_id=str(number), published_at=opened
        )
        Case.objects.create(
            workspace=workspace,
            thread_root=root,
            assignee=users[agent],
            opened_at=opened,
            due_at=opened + timedelta(minutes=60),
            first_response_at=None if minutes is None else opened + timedelta(minutes=minutes),
        )
    return workspace


def test_workspace_and_agent_figures(space: Workspace):
    overall, agents = responsiveness(space, T0, T0 + timedelta(days=1), now=NOW)
    # Answered delays 10, 20, 30, 90: median 25 min; p90 (inclusive) = 30 + 0.7 * 60 = 72 min.
    assert (overall.cases, overall.answered, overall.response_rate) == (5, 4, 0.8)
    assert overall.median_first_response == timedelta(minutes=25)
    assert overall.p90_first_response == timedelta(minutes=72)
    assert overall.sla_breaches == 2
    ana, bob = agents["ana"], agents["bob"]
    assert (ana.answered, ana.median_first_response, ana.sla_breaches) == (
        3,
        timedelta(minutes=30),
        1,
    )
    assert (bob.response_rate, bob.p90_first_response, bob.sla_breaches) == (
        0.5,
        timedelta(minutes=20),
        1,
    )


def test_an_unanswered_case_is_not_late_before_its_due_time(space: Workspace):
    early = T0 + timedelta(hours=4, minutes=30)  # bob's last case opened at T0 + 4 h
    overall, _ = responsiveness(space, T0, T0 + timedelta(days=1), now=early)
    assert overall.sla_breaches == 1  # only ana's 90-minute answer


def test_no_cases_gives_no_figures(space: Workspace):
    overall, agents = responsiveness(space, NOW, NOW + timedelta(days=1), now=NOW)
    assert overall.response_rate is None and overall.median_first_response is None
    assert agents == {}
