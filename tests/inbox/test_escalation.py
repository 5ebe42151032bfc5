"""Escalation on breach: status, manager, mail through a real SMTP server (aiosmtpd), once."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from tests.inbox import builders
from tests.web import factories
from veille.cli import app
from veille.core.models import CaseStatus, Event, Role
from veille.inbox import workflow
from veille.inbox.escalation import escalate_breached

pytestmark = pytest.mark.django_db


def _people(space):
    people = {}
    for role, name, mail in (
        (Role.OWNER, "olga", "olga@azur.example"),
        (Role.MANAGER, "max", "max@azur.example"),
        (Role.AGENT, "ana", "ana@azur.example"),
        (Role.VIEWER, "vic", "vic@azur.example"),
    ):
        people[name] = factories.user(name, email=mail)
        factories.member(people[name], space, role)
    return people


def _breached(space, **fields):
    now = timezone.now()
    fields.setdefault("opened_at", now - timedelta(hours=3))
    fields.setdefault("due_at", now - timedelta(hours=1))
    return builders.case(space, "Toujours pas de réponse", **fields)


def test_a_breached_case_goes_to_a_manager_and_the_managers_get_one_mail(smtp, space_a):
    space_a.default_language = "en"  # the mail is written in the workspace's language
    space_a.save(update_fields=["default_language"])
    people = _people(space_a)
    late = _breached(space_a, assignee=people["ana"])
    also_late = _breached(space_a, status=CaseStatus.OPEN)
    builders.case(space_a)  # due in the future
    _breached(space_a, status=CaseStatus.REPLIED)  # answered: no breach
    _breached(space_a, first_response_at=timezone.now() - timedelta(minutes=5))
    # A breach of long ago (an import of old conversations) is history, not an emergency.
    _breached(space_a, due_at=timezone.now() - timedelta(days=30))

    (done,) = escalate_breached()

    assert {case.pk for case in done.cases} == {late.pk, also_late.pk}
    for case in (late, also_late):
        case.refresh_from_db()
        assert case.status == CaseStatus.ESCALATED and case.assignee == people["max"]
    event = Event.objects.get(case=late, verb="case.escalated")
    assert event.data["previous"] == people["ana"].pk and event.data["from"] == "new"
    (message,) = smtp.messages
    assert message["To"] == "max@azur.example, olga@azur.example"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Brand A: 2 cases past their first-response target"
    body = message.get_payload(decode=True).decode()
    assert f"#{late.pk}" in body and "now with max" in body
    assert Event.objects.filter(verb="inbox.escalation_mailed").count() == 1


def test_escalation_happens_once_per_breach(smtp, space_a):
    people = _people(space_a)
    case = _breached(space_a)
    escalate_breached()
    # Someone reopens it without answering: the same breach is not escalated again.
    workflow.set_status(case, CaseStatus.OPEN, people["ana"])
    assert escalate_breached() == []
    assert Event.objects.filter(case=case, verb="case.escalated").count() == 1
    assert len(smtp.messages) == 1


def test_without_a_manager_the_assignee_keeps_the_case(smtp, space_a):
    agent = factories.user("solo", email="solo@a.example")
    factories.member(agent, space_a, Role.AGENT)
    case = _breached(space_a, assignee=agent)
    (done,) = escalate_breached()
    case.refresh_from_db()
    assert case.status == CaseStatus.ESCALATED and case.assignee == agent
    assert done.notified == [] and smtp.messages == []


def test_the_command_escalates_and_says_so(smtp, space_a, space_b):
    _people(space_a)
    case = _breached(space_a)
    _breached(space_b)
    runner = CliRunner()
    result = runner.invoke(app, ["inbox", "escalate", "--workspace", "Brand A"])
    assert result.exit_code == 0, result.output
    assert f"Brand A: escalated #{case.pk}; mailed max@azur.example, olga@azur.example" in (
        result.output
    )
    again = runner.invoke(app, ["inbox", "escalate"])
    assert again.exit_code == 0 and "Brand B: escalated" in again.output
    third = runner.invoke(app, ["inbox", "escalate"])
    assert "No case to escalate." in third.output
    unknown = runner.invoke(app, ["inbox", "escalate", "--workspace", "Nope"])
    assert unknown.exit_code == 1


def test_the_escalation_mail_is_written_in_the_workspace_language(smtp, space_a):
    people = _people(space_a)
    _breached(space_a, assignee=people["ana"])

    escalate_breached()

    (message,) = smtp.messages
    subject = str(make_header(decode_header(message["Subject"])))
    assert "1 dossier a dépassé son délai de première réponse" in subject
