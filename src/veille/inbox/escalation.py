"""Escalation: a case past its first-response target goes up to a manager, once.

Called after each round of `veille run` and by `veille inbox escalate`. A case is
breached when it is still waiting for its first answer (new, open or pending) and its due
time has passed. It becomes "escalated", goes to a manager of the workspace (the current
assignee keeps it when the workspace has no manager), the managers and owners get one
mail per workspace and run, and the audit log says so. One escalation per breach: a case
escalated for a due time is not escalated again for the same due time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veille.core.models import Case, CaseStatus, Event, Membership, Role, Workspace
from veille.inbox.models import AgentState, sla_of, zone_of

logger = logging.getLogger(__name__)

WAITING = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.PENDING)
MAX_AGE = timedelta(days=7)


@dataclass(slots=True)
class Escalation:
    workspace: Workspace
    cases: list[Case] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)
    error: str = ""


def breached_cases(
    now: datetime, workspace: Workspace | None = None, max_age: timedelta = MAX_AGE
) -> list[Case]:
    """Cases waiting for their first answer past their due time, not yet escalated for it.

    Breaches older than `max_age` are left alone: a backfill of old conversations must not
    escalate (and mail) a year of history at once.
    """
    cases = Case.objects.filter(
        status__in=WAITING,
        first_response_at__isnull=True,
        due_at__lt=now,
        due_at__gte=now - max_age,
    ).select_related("workspace", "assignee", "thread_root")
    if workspace is not None:
        cases = cases.filter(workspace=workspace)
    found = list(cases.order_by("workspace_id", "due_at", "pk"))
    done = set(
        Event.objects.filter(
            case__in=[case.pk for case in found], verb="case.escalated"
        ).values_list("case_id", "data__due_at")
    )
    return [case for case in found if (case.pk, case.due_at.isoformat()) not in done]


def _managers(workspace: Workspace) -> list[AbstractBaseUser]:
    """The workspace's managers who are available, by id; all of them if none is."""
    managers = [
        membership.user
        for membership in Membership.objects.filter(workspace=workspace, role=Role.MANAGER)
        .select_related("user")
        .order_by("user_id")
    ]
    away = set(
        AgentState.objects.filter(
            workspace=workspace, available=False, user__in=managers
        ).values_list("user_id", flat=True)
    )
    return [user for user in managers if user.pk not in away] or managers


def _recipients(workspace: Workspace) -> list[str]:
    emails = (
        Membership.objects.filter(workspace=workspace, role__in=(Role.OWNER, Role.MANAGER))
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


@transaction.atomic
def _escalate(case: Case, managers: list[AbstractBaseUser], now: datetime) -> None:
    previous_status, previous_assignee = case.status, case.assignee
    manager_ids = {user.pk for user in managers}
    if managers and case.assignee_id not in manager_ids:
        # Spread the cases over the managers: the one with the fewest escalated cases.
        load = {
            user.pk: Case.objects.filter(assignee=user, status=CaseStatus.ESCALATED).count()
            for user in managers
        }
        case.assignee = min(managers, key=lambda user: (load[user.pk], user.pk))
    case.status = CaseStatus.ESCALATED
    case.save(update_fields=["status", "assignee"])
    Event.objects.create(
        workspace_id=case.workspace_id,
        verb="case.escalated",
        case=case,
        created_at=now,
        data={
            "due_at": case.due_at.isoformat(),
            "from": previous_status,
            "previous": previous_assignee.pk if previous_assignee else None,
            "assignee": case.assignee_id,
            "assignee_name": case.assignee.get_username() if case.assignee else "",
        },
    )


def _mail(escalation: Escalation) -> None:
    workspace = escalation.workspace
    recipients = _recipients(workspace)
    if not recipients:
        return
    zone = zone_of(sla_of(workspace))
    with translation.override(workspace.default_language or None):
        count = len(escalation.cases)
        subject = ngettext(
            "%(workspace)s: %(count)d case past its first-response target",
            "%(workspace)s: %(count)d cases past their first-response target",
            count,
        ) % {"workspace": workspace.name, "count": count}
        lines = [
            _("These cases were escalated:"),
            "",
        ]
        for case in escalation.cases:
            text = (case.thread_root.text or case.thread_root.title or "").replace("\n", " ")
            lines.append(
                _("#%(number)d, due %(due)s, now with %(who)s: %(text)s")
                % {
                    "number": case.pk,
                    "due": case.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    "who": case.assignee.get_username() if case.assignee else _("nobody"),
                    "text": text[:140],
                }
            )
    try:
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError as error:  # the cases stay escalated; the log says the mail failed
        escalation.error = str(error)
        logger.warning("escalation mail for %s failed: %s", workspace, error)
        return
    escalation.notified = recipients
    Event.objects.create(
        workspace=workspace,
        verb="inbox.escalation_mailed",
        data={"cases": [case.pk for case in escalation.cases], "to": recipients},
    )


def escalate_breached(
    now: datetime | None = None, workspace: Workspace | None = None
) -> list[Escalation]:
    """Escalate every newly breached case (of one workspace, or all), then mail the managers."""
    now = now or timezone.now()
    by_workspace: dict[int, Escalation] = {}
    managers: dict[int, list[AbstractBaseUser]] = defaultdict(list)
    for case in breached_cases(now, workspace):
        escalation = by_workspace.get(case.workspace_id)
        if escalation is None:
            escalation = by_workspace[case.workspace_id] = Escalation(case.workspace)
            managers[case.workspace_id] = _managers(case.workspace)
        _escalate(case, managers[case.workspace_id], now)
        escalation.cases.append(case)
    for escalation in by_workspace.values():
        _mail(escalation)
    return list(by_workspace.values())
