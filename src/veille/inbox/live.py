"""What changed in a workspace's inbox since the last look, read from the audit log.

Every action on a case writes an Event, and event ids only grow, so a page keeps the
id of the newest event it has seen and asks for what came after. The answer carries
each changed case's current state (not a replay of the events), so applying it twice
does no harm.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.core.models import Case, Event, Workspace
from veille.web.templatetags.veille import safe_http_url

MAX_EVENTS = 500


def latest_event_id(workspace: Workspace) -> int:
    return (
        Event.objects.filter(workspace=workspace).order_by("-pk").values_list("pk", flat=True)
    ).first() or 0


def case_state(case: Case) -> dict[str, Any]:
    """A case as the live pages show it; every value is plain text or a number."""
    try:
        reasons = [str(reason) for reason in case.triage.reasons]
    except ObjectDoesNotExist:
        reasons = []
    return {
        "id": case.pk,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "assignee": case.assignee.get_username() if case.assignee else "",
        "priority": round(case.priority),
        "reasons": reasons,
    }


def describe(event: Event) -> str:
    """One line of a case's history, as text."""
    data = event.data or {}
    if event.verb == "case.opened":
        return _("opened the case")
    if event.verb == "case.reopened":
        return _("reopened the case: someone spoke again")
    if event.verb == "case.assigned":
        if name := data.get("assignee_name"):
            return _("assigned it to %(name)s") % {"name": name}
        return _("unassigned it")
    if event.verb == "case.status":
        return _("changed the status from %(old)s to %(new)s") % {
            "old": data.get("from", ""),
            "new": data.get("to", ""),
        }
    if event.verb == "case.replied":
        return _("marked it replied")
    if event.verb == "case.note":
        return _("noted: %(text)s") % {"text": data.get("text", "")}
    if event.verb == "case.labelled":
        return _("added the label %(label)s") % {"label": data.get("label", "")}
    if event.verb == "case.unlabelled":
        return _("removed the label %(label)s") % {"label": data.get("label", "")}
    if event.verb == "case.escalated":
        return _("escalated it: the first-response target was missed; now with %(name)s") % {
            "name": data.get("assignee_name") or _("nobody")
        }
    if event.verb == "case.rule":
        return _rule_line(data)
    return event.verb


def _rule_line(data: dict[str, Any]) -> str:
    values = {
        "rule": data.get("rule", ""),
        "name": data.get("assignee_name", ""),
        "label": data.get("label", ""),
        "priority": data.get("priority", ""),
    }
    action = data.get("action")
    if action == "assigned":
        return _("rule %(rule)s: assigned to %(name)s") % values
    if action == "not_assignable":
        return _("rule %(rule)s: %(name)s can no longer be assigned") % values
    if action == "no_agent":
        return _("rule %(rule)s: no available agent") % values
    if action == "labelled":
        return _("rule %(rule)s: label %(label)s") % values
    if action == "priority":
        return _("rule %(rule)s: priority %(priority)s") % values
    if action == "ignored":
        return _("rule %(rule)s: ignored") % values
    return _("rule %(rule)s") % values


def event_line(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.created_at.isoformat(),
        "at_label": timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
        "actor": event.actor.get_username() if event.actor else "veille",
        "text": describe(event),
        "url": safe_http_url((event.data or {}).get("reply_url", "")) or "",
    }


def changes_since(workspace: Workspace, since: int, case: Case | None = None) -> dict[str, Any]:
    """The newest event id, and the cases changed after `since` with who changed them last.

    With `case`, only that case is reported, together with its new history lines.
    Events are read in id order, at most MAX_EVENTS at a time; the caller asks again
    from the returned id for the rest.
    """
    events = (
        Event.objects.filter(workspace=workspace, pk__gt=since)
        .select_related("actor")
        .order_by("pk")[:MAX_EVENTS]
    )
    events = list(events)
    latest = events[-1].pk if events else since
    touched = [e for e in events if e.case_id is not None]
    if case is not None:
        touched = [e for e in touched if e.case_id == case.pk]
    last_actor: dict[int, str] = {}
    for event in touched:
        last_actor[event.case_id] = event.actor.get_username() if event.actor else ""
    cases = Case.objects.filter(workspace=workspace, pk__in=list(last_actor)).select_related(
        "assignee", "triage"
    )
    changed = [{**case_state(found), "by": last_actor[found.pk]} for found in cases]
    answer: dict[str, Any] = {"latest": latest, "cases": changed}
    if case is not None:
        answer["events"] = [event_line(event) for event in touched]
    return answer
