"""What a team does with a case: assign, change status, mark replied, note. Each is audited.

Owners, managers and agents may act; viewers may read only; people outside the
workspace may do nothing. Every action writes an Event in the append-only log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.core.models import Case, CaseStatus, Event, Membership, Role, Workspace
from veille.inbox.models import AgentState, Label
from veille.web.templatetags.veille import safe_http_url

ACTING_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.AGENT})
# Who changes a workspace's settings (rules, playbooks, accounts) and approves replies.
MANAGING_ROLES = frozenset({Role.OWNER, Role.MANAGER})
MAX_NOTE_LENGTH = 5000


def role_in(user: AbstractBaseUser | None, workspace: Workspace | int) -> str | None:
    """The user's role in the workspace, or None for someone outside it."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, workspace=workspace)
        .values_list("role", flat=True)
        .first()
    )


def may_act(user: AbstractBaseUser | None, workspace: Workspace | int) -> bool:
    return role_in(user, workspace) in ACTING_ROLES


def may_manage(user: AbstractBaseUser | None, workspace: Workspace | int) -> bool:
    return role_in(user, workspace) in MANAGING_ROLES


def _check_actor(case: Case, actor: AbstractBaseUser) -> None:
    role = role_in(actor, case.workspace)
    if role is None:
        raise PermissionDenied(_("You are not a member of this workspace."))
    if role not in ACTING_ROLES:
        raise PermissionDenied(_("Viewers cannot change cases."))


def _log(case: Case, actor: AbstractBaseUser, verb: str, **data: object) -> Event:
    return Event.objects.create(
        workspace_id=case.workspace_id, actor=actor, verb=verb, case=case, data=data
    )


def assignable_users(workspace: Workspace) -> list[AbstractBaseUser]:
    """People who may be given a case: the workspace's owners, managers and agents."""
    memberships = (
        Membership.objects.filter(workspace=workspace, role__in=ACTING_ROLES)
        .select_related("user")
        .order_by("user__username")
    )
    return [membership.user for membership in memberships]


@transaction.atomic
def assign(case: Case, user: AbstractBaseUser | None, actor: AbstractBaseUser) -> Case:
    """Give the case to a person who may act in its workspace, or to nobody (None)."""
    _check_actor(case, actor)
    if user is not None and not may_act(user, case.workspace):
        raise ValueError(_("Only owners, managers and agents of this workspace can be assigned."))
    previous = case.assignee_id
    case.assignee = user
    case.save(update_fields=["assignee"])
    _log(
        case,
        actor,
        "case.assigned",
        assignee=user.pk if user else None,
        assignee_name=user.get_username() if user else "",
        previous=previous,
    )
    return case


def _agents(workspace: Workspace) -> list[AbstractBaseUser]:
    return [
        membership.user
        for membership in Membership.objects.filter(workspace=workspace, role=Role.AGENT)
        .select_related("user")
        .order_by("user_id")
    ]


def _turns(workspace: Workspace) -> dict[int, AgentState]:
    return {state.user_id: state for state in AgentState.objects.filter(workspace=workspace)}


def is_available(user: AbstractBaseUser, workspace: Workspace) -> bool:
    """Whether the person takes round-robin cases now (everyone does until they say not)."""
    state = AgentState.objects.filter(workspace=workspace, user=user).first()
    return state is None or state.available


def set_available(user: AbstractBaseUser, workspace: Workspace, available: bool) -> None:
    """An agent says they take round-robin cases, or not (away, busy, off shift)."""
    role = role_in(user, workspace)
    if role is None:
        raise PermissionDenied(_("You are not a member of this workspace."))
    if role not in ACTING_ROLES:
        raise PermissionDenied(_("Viewers cannot change cases."))
    AgentState.objects.update_or_create(
        workspace=workspace, user=user, defaults={"available": available}
    )
    Event.objects.create(
        workspace=workspace, actor=user, verb="inbox.availability", data={"available": available}
    )


def next_in_rotation(workspace: Workspace) -> AbstractBaseUser | None:
    """The available agent whose last round-robin case is the oldest (never: first)."""
    states = _turns(workspace)
    candidates = [
        agent
        for agent in _agents(workspace)
        if agent.pk not in states or states[agent.pk].available
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda agent: (states[agent.pk].last_turn if agent.pk in states else 0, agent.pk),
    )


@transaction.atomic
def take_turn(workspace: Workspace) -> AbstractBaseUser | None:
    """The next agent in the rotation, whose turn is recorded (the rotation is fair)."""
    # Lock the workspace's rotation so two rounds at once do not pick the same agent.
    list(AgentState.objects.select_for_update().filter(workspace=workspace))
    user = next_in_rotation(workspace)
    if user is None:
        return None
    counter = max((state.last_turn for state in _turns(workspace).values()), default=0) + 1
    AgentState.objects.update_or_create(
        workspace=workspace, user=user, defaults={"last_turn": counter}
    )
    return user


@transaction.atomic
def assign_round_robin(case: Case, actor: AbstractBaseUser) -> Case:
    """Assign the case to the next available agent in turn; nothing happens without one."""
    _check_actor(case, actor)
    user = take_turn(case.workspace)
    if user is None:
        raise ValueError(_("This workspace has no available agent to assign to."))
    previous = case.assignee_id
    case.assignee = user
    case.save(update_fields=["assignee"])
    _log(
        case,
        actor,
        "case.assigned",
        assignee=user.pk,
        assignee_name=user.get_username(),
        previous=previous,
        round_robin=True,
    )
    return case


# --- May this reply go out? ------------------------------------------------------------
# Other apps (the crisis playbooks) register a check: given the case and the person about
# to answer, it returns why the reply must wait (a sentence) or None. The first reason wins.
ReplyCheck = Callable[[Case, AbstractBaseUser], str | None]
REPLY_CHECKS: list[ReplyCheck] = []


def register_reply_check(check: ReplyCheck) -> ReplyCheck:
    """Add a check (usable as a decorator); registering the same function twice is a no-op."""
    if check not in REPLY_CHECKS:
        REPLY_CHECKS.append(check)
    return check


def reply_blocked(case: Case, actor: AbstractBaseUser) -> str | None:
    """Why a reply to this case may not go out now, or None when it may."""
    for check in REPLY_CHECKS:
        reason = check(case, actor)
        if reason:
            return reason
    return None


def _record_first_response(case: Case) -> bool:
    if case.first_response_at is not None:
        return False
    case.first_response_at = timezone.now()
    return True


@transaction.atomic
def set_status(case: Case, status: str, actor: AbstractBaseUser) -> Case:
    _check_actor(case, actor)
    if status not in CaseStatus.values:
        raise ValueError(_("Unknown status: %(status)s.") % {"status": status})
    previous = case.status
    case.status = status
    fields = ["status"]
    if status == CaseStatus.REPLIED and _record_first_response(case):
        fields.append("first_response_at")
    case.save(update_fields=fields)
    _log(case, actor, "case.status", **{"from": previous, "to": status})
    return case


@transaction.atomic
def mark_replied(
    case: Case, actor: AbstractBaseUser, reply_url: str = "", *, text: str = ""
) -> Case:
    """The team answered on the platform; the reply's address and text, if given, are kept."""
    _check_actor(case, actor)
    reply_url = reply_url.strip()
    if reply_url and not safe_http_url(reply_url):
        raise ValueError(_("The reply's address must be an http or https URL."))
    text = text.strip()
    if len(text) > MAX_NOTE_LENGTH:
        raise ValueError(
            _("A reply holds at most %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH}
        )
    if blocked := reply_blocked(case, actor):
        raise ValueError(blocked)
    previous = case.status
    case.status = CaseStatus.REPLIED
    first = _record_first_response(case)
    case.save(update_fields=["status", "first_response_at"])
    _log(
        case,
        actor,
        "case.replied",
        reply_url=reply_url,
        text=text,
        first_response=first,
        **{"from": previous},
    )
    return case


@transaction.atomic
def add_note(case: Case, actor: AbstractBaseUser, text: str) -> Event:
    """A note for the team; notes live in the audit log, so they are never rewritten."""
    _check_actor(case, actor)
    text = text.strip()
    if not text:
        raise ValueError(_("A note cannot be empty."))
    if len(text) > MAX_NOTE_LENGTH:
        raise ValueError(
            _("A note holds at most %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH}
        )
    return _log(case, actor, "case.note", text=text)


@transaction.atomic
def label(case: Case, chosen: Label, actor: AbstractBaseUser, *, on: bool = True) -> Case:
    """Put a label of the case's workspace on the case, or take it off."""
    _check_actor(case, actor)
    if chosen.workspace_id != case.workspace_id:
        raise ValueError(_("This label belongs to another workspace."))
    if on:
        chosen.cases.add(case)
    else:
        chosen.cases.remove(case)
    _log(case, actor, "case.labelled" if on else "case.unlabelled", label=chosen.name)
    return case
