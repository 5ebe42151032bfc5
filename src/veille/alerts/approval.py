"""The approval gate: while a playbook asks for it, agents' replies wait for a manager.

reply_blocked_reason(case) says whether (and why) a reply on the case must be approved
first. Owners and managers are never held. A held reply is a PendingReply; approving it
posts it where veille can (Mastodon, Bluesky) and otherwise lets the agent answer on the
platform and mark the case replied; rejecting it keeps it from going out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.alerts.models import Alert, ApprovalScope, PendingReply, ReplyState
from veille.core.models import Case, Event, Mention
from veille.inbox import workflow

# The case whose approved reply is going out right now: the gate lets it through.
_releasing: ContextVar[int | None] = ContextVar("veille_alerts_releasing", default=None)


@contextmanager
def releasing(case: Case) -> Iterator[None]:
    token = _releasing.set(case.pk)
    try:
        yield
    finally:
        _releasing.reset(token)


def approval_alerts(workspace_id: int) -> QuerySet[Alert]:
    """Active alerts whose playbook asks for approval, oldest first."""
    return (
        Alert.objects.filter(workspace_id=workspace_id, resolved_at__isnull=True)
        .exclude(playbook__approval=ApprovalScope.NONE)
        .select_related("playbook")
        .order_by("started_at", "pk")
    )


def concerned_roots(alert: Alert) -> set[int]:
    """The thread roots of the alert's mentions: the cases it concerns."""
    rows = Mention.objects.filter(pk__in=alert.mention_ids).values_list("pk", "thread_root_id")
    return {root or pk for pk, root in rows}


def blocking_alert(case: Case) -> Alert | None:
    """The first active alert that holds replies on this case, if any."""
    for alert in approval_alerts(case.workspace_id):
        if alert.playbook.approval == ApprovalScope.ALL:
            return alert
        if case.thread_root_id in concerned_roots(alert):
            return alert
    return None


def _approved_by_hand(case: Case, alert: Alert) -> bool:
    """A reply approved to be posted by hand lets its case be marked replied, once."""
    approved = (
        PendingReply.objects.filter(
            case=case, state=ReplyState.APPROVED, reply_url="", decided_at__gte=alert.started_at
        )
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if approved is None:
        return False
    return not Event.objects.filter(
        case=case, verb="case.replied", created_at__gte=approved
    ).exists()


def reply_blocked_reason(case: Case, user: AbstractBaseUser | None = None) -> str | None:
    """Why a reply on `case` must wait for a manager's approval, or None when it need not.

    With `user`, owners and managers are never held (they are the approvers).
    """
    if _releasing.get() == case.pk:
        return None
    if user is not None and workflow.may_manage(user, case.workspace):
        return None
    alert = blocking_alert(case)
    if alert is None or _approved_by_hand(case, alert):
        return None
    return _(
        "A manager must approve replies on this case: the crisis playbook « %(playbook)s » is"
        " active (%(explanation)s)."
    ) % {"playbook": alert.playbook.name, "explanation": alert.explanation}


def reply_check(case: Case, actor: AbstractBaseUser) -> str | None:
    """The check registered with the inbox (veille.inbox.workflow.register_reply_check)."""
    return reply_blocked_reason(case, actor)


def _log(pending: PendingReply, verb: str, actor: AbstractBaseUser, **data: object) -> None:
    Event.objects.create(
        workspace_id=pending.workspace_id,
        actor=actor,
        verb=verb,
        case_id=pending.case_id,
        data={"pending_reply": pending.pk, "alert": pending.alert_id, **data},
    )


def hold_reply(case: Case, user: AbstractBaseUser, text: str) -> PendingReply:
    """Keep an agent's reply until an owner or a manager approves or rejects it."""
    if not workflow.may_act(user, case.workspace):
        raise PermissionDenied(_("Viewers cannot change cases."))
    text = text.strip()
    if not text:
        raise ValueError(_("The reply is empty."))
    if len(text) > workflow.MAX_NOTE_LENGTH:
        raise ValueError(
            _("A reply holds at most %(limit)d characters.") % {"limit": workflow.MAX_NOTE_LENGTH}
        )
    with transaction.atomic():
        pending = PendingReply.objects.create(
            workspace_id=case.workspace_id,
            case=case,
            alert=blocking_alert(case),
            author=user,
            text=text,
        )
        _log(pending, "reply.held", user, text=text)
    return pending


def pending_replies(workspace_id: int) -> QuerySet[PendingReply]:
    return PendingReply.objects.filter(
        workspace_id=workspace_id, state=ReplyState.PENDING
    ).select_related("case__thread_root", "author", "alert__playbook")


def _decide(pending: PendingReply, user: AbstractBaseUser) -> PendingReply:
    if not workflow.may_manage(user, pending.workspace):
        raise PermissionDenied(_("Only owners and managers can approve or reject replies."))
    current = PendingReply.objects.select_related("workspace").get(pk=pending.pk)
    if current.state != ReplyState.PENDING:
        raise ValueError(_("This reply was already decided on."))
    return current


def _settle(current: PendingReply, state: str, user: AbstractBaseUser, url: str = "") -> None:
    """Record the decision, unless someone else decided in the meantime."""
    changed = PendingReply.objects.filter(pk=current.pk, state=ReplyState.PENDING).update(
        state=state, decided_by=user, decided_at=timezone.now(), reply_url=url, error=""
    )
    if not changed:
        raise ValueError(_("This reply was already decided on."))
    current.refresh_from_db()


def approve_reply(pending: PendingReply, user: AbstractBaseUser) -> PendingReply:
    """Approve: post it now where veille can, else leave the agent to post it by hand.

    When posting fails the reply stays pending, with the error, and nothing else changes.
    The post is made outside a database transaction: a slow platform must not lock it.
    """
    from veille.publish.service import PublishError, answered_mention, platform_of, post_now

    current = _decide(pending, user)
    case = Case.objects.select_related("workspace", "thread_root").get(pk=current.case_id)
    url = ""
    if platform_of(answered_mention(case)) is not None:
        try:
            with releasing(case):
                url = post_now(case, current.text, current.author or user, approver=user)
        except PublishError as error:
            PendingReply.objects.filter(pk=current.pk).update(error=str(error))
            raise
    with transaction.atomic():
        _settle(current, ReplyState.APPROVED, user, url)
        _log(current, "reply.approved", user, reply_url=url, posted=bool(url))
    return current


def reject_reply(pending: PendingReply, user: AbstractBaseUser, reason: str = "") -> PendingReply:
    current = _decide(pending, user)
    with transaction.atomic():
        _settle(current, ReplyState.REJECTED, user)
        _log(current, "reply.rejected", user, reason=reason.strip()[:1000])
    return current


def held_on(case: Case) -> QuerySet[PendingReply]:
    """The case's replies awaiting approval (for the case page)."""
    return PendingReply.objects.filter(case=case, state=ReplyState.PENDING)
