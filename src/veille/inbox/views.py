"""Pages of the inbox: the list of cases to answer, a case with its thread, the actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.alerts.approval import hold_reply, reply_blocked_reason
from veille.core.models import Case, CaseStatus, Mention, Workspace
from veille.inbox import live, manage_views, presence, saved_replies, workflow
from veille.inbox.cases import HANDLED, thread_mentions
from veille.inbox.models import Label
from veille.web.templatetags.veille import safe_http_url
from veille.web.views import workspace_required

CASES_PER_PAGE = 50
ACTIVE = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.ESCALATED)
MAX_INDENT = 6
LOW_VALUE_BELOW = 10

# Banners above the inbox list, from other apps (e.g. a crisis playbook in progress):
# each provider gets the request and returns texts to show (escaped when shown), or [].
InboxBanner = Callable[[HttpRequest], list[str]]
BANNER_PROVIDERS: list[InboxBanner] = []


def register_banner(provider: InboxBanner) -> InboxBanner:
    """Add a banner provider (usable as a decorator); the same one twice is a no-op."""
    if provider not in BANNER_PROVIDERS:
        BANNER_PROVIDERS.append(provider)
    return provider


def banners(request: HttpRequest) -> list[str]:
    return [text for provider in BANNER_PROVIDERS for text in provider(request) if text]


@dataclass(slots=True)
class CaseRow:
    """A case as the list shows it: the message to answer and why it ranks where it does."""

    case: Case
    message: Mention
    reasons: list[str]
    breached: bool
    due_at: datetime | None


def _triage_of(case: Case):
    try:
        return case.triage
    except ObjectDoesNotExist:
        return None


def _sla(case: Case, now: datetime) -> tuple[datetime | None, bool]:
    """The due time still to meet (None once answered) and whether it has passed."""
    if case.due_at is None or case.first_response_at is not None or case.status in HANDLED:
        return None, False
    return case.due_at, case.due_at < now


def _row(case: Case, now: datetime) -> CaseRow:
    triage = _triage_of(case)
    message = (triage.mention if triage else None) or case.thread_root
    due_at, breached = _sla(case, now)
    return CaseRow(case, message, list(triage.reasons) if triage else [], breached, due_at)


def _filtered(
    request: HttpRequest, workspace: Workspace
) -> tuple[QuerySet[Case], str, str, Label | None]:
    cases = Case.objects.filter(workspace=workspace)
    label = None
    wanted = request.GET.get("label", "")
    if wanted.isdigit():
        label = Label.objects.filter(workspace=workspace, pk=int(wanted)).first()
        # A label of another workspace, or deleted since: nothing matches it.
        cases = cases.filter(labels=label) if label else cases.none()
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    elif status != "all":
        status = ""
        cases = cases.filter(status__in=ACTIVE)
    assignee = request.GET.get("assignee", "")
    if assignee == "me":
        cases = cases.filter(assignee=request.user)
    elif assignee == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    else:
        assignee = ""
    return cases, status, assignee, label


@workspace_required
def inbox(request: HttpRequest) -> HttpResponse:
    workspace: Workspace = request.workspace
    cases, status, assignee, label = _filtered(request, workspace)
    cases = (
        cases.select_related(
            "assignee",
            "thread_root__author",
            "thread_root__source",
            "triage__mention__author",
            "triage__mention__source",
        )
        .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
        .order_by("-priority", "-opened_at", "-pk")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    role = workflow.role_in(request.user, workspace)
    can_act = role in workflow.ACTING_ROLES
    return render(
        request,
        "inbox/inbox.html",
        {
            "page_obj": page,
            "rows": [_row(case, now) for case in page.object_list],
            "status": status,
            "assignee": assignee,
            "label": label,
            "labels": list(Label.objects.filter(workspace=workspace)),
            "statuses": CaseStatus.choices,
            "can_act": can_act,
            "available": can_act and workflow.is_available(request.user, workspace),
            "people": workflow.assignable_users(workspace) if can_act else [],
            "views": [
                (view, manage_views.view_url(view)) for view in manage_views.visible_views(request)
            ],
            "filtered": bool(status or assignee or label),
            "low_value_below": LOW_VALUE_BELOW,
            "banners": banners(request),
            "can_edit": role in manage_views.EDITING_ROLES,
            "time_zone": timezone.get_current_timezone_name(),
            "latest_event": live.latest_event_id(workspace),
        },
    )


def _indented(thread: list[Mention]) -> list[tuple[Mention, int]]:
    """The thread in reading order, each reply under its parent, with its depth."""
    present = {mention.pk for mention in thread}
    children: dict[int | None, list[Mention]] = {}
    for mention in thread:
        parent = mention.parent_id if mention.parent_id in present else None
        children.setdefault(parent, []).append(mention)
    ordered: list[tuple[Mention, int]] = []
    stack = [(mention, 0) for mention in reversed(children.get(None, []))]
    while stack:
        mention, depth = stack.pop()
        ordered.append((mention, min(depth, MAX_INDENT)))
        stack.extend((child, depth + 1) for child in reversed(children.get(mention.pk, [])))
    return ordered


def case_in_workspace(request: HttpRequest, pk: int) -> Case:
    """The case if it belongs to the current workspace; anything else does not exist."""
    return get_object_or_404(
        Case.objects.select_related("workspace", "assignee", "thread_root"),
        pk=pk,
        workspace=request.workspace,
    )


@workspace_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_in_workspace(request, pk)
    now = timezone.now()
    due_at, breached = _sla(case, now)
    triage = _triage_of(case)
    can_act = workflow.may_act(request.user, request.workspace)
    message = (triage.mention if triage else None) or case.thread_root
    thread = thread_mentions(case.thread_root)
    prefetch_related_objects(thread, "corrections__author")  # who corrected what, shown
    return render(
        request,
        "inbox/case.html",
        {
            "case": case,
            "thread": _indented(thread),
            "events": case.events.select_related("actor").order_by("created_at", "pk"),
            "reasons": list(triage.reasons) if triage else [],
            "due_at": due_at,
            "breached": breached,
            "statuses": CaseStatus.choices,
            "people": workflow.assignable_users(request.workspace),
            "case_labels": list(case.labels.order_by("name")),
            "labels": list(Label.objects.filter(workspace=request.workspace)),
            "reply_blocked": workflow.reply_blocked(case, request.user) if can_act else None,
            "can_act": can_act,
            "latest_id": triage.mention_id if triage else None,
            "latest_event": live.latest_event_id(request.workspace),
            "others": presence.others_on(case, request.user),
            "original_url": safe_http_url(message.url),
            "saved_replies": (
                saved_replies.for_case(case, message, request.user) if can_act else []
            ),
        },
    )


def _redirect_after(request: HttpRequest, case: Case) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("inbox_case", args=[case.pk])
    return HttpResponseRedirect(target)


def _assignee_from(request: HttpRequest):
    wanted = request.POST.get("assignee", "")
    if wanted == "me":
        return request.user
    if wanted == "":
        return None
    try:
        return get_user_model().objects.get(pk=int(wanted))
    except (ValueError, get_user_model().DoesNotExist):
        raise ValueError(_("No such person.")) from None


@require_POST
@workspace_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = case_in_workspace(request, pk)
    if not workflow.may_act(request.user, case.workspace):
        raise PermissionDenied(_("Viewers cannot change cases."))
    try:
        if action == "assign":
            if request.POST.get("assignee") == "next":
                workflow.assign_round_robin(case, request.user)
            else:
                workflow.assign(case, _assignee_from(request), request.user)
            done = _("Case #%(number)d assigned.")
        elif action == "status":
            workflow.set_status(case, request.POST.get("status", ""), request.user)
            done = _("Case #%(number)d is now %(status)s.")
        elif action == "replied" and reply_blocked_reason(case, request.user):
            hold_reply(case, request.user, request.POST.get("reply_text", ""))
            done = _("Your reply awaits a manager's approval; it was not posted yet.")
        elif action == "replied":
            workflow.mark_replied(
                case,
                request.user,
                request.POST.get("reply_url", ""),
                text=request.POST.get("reply_text", ""),
            )
            done = _("Case #%(number)d marked replied.")
        elif action == "note":
            workflow.add_note(case, request.user, request.POST.get("text", ""))
            done = _("Note added to case #%(number)d.")
        elif action == "label":
            wanted = request.POST.get("label", "")
            label = get_object_or_404(
                Label, pk=int(wanted) if wanted.isdigit() else 0, workspace=case.workspace
            )
            on = request.POST.get("remove", "") != "1"
            workflow.label(case, label, request.user, on=on)
            done = (
                _("Label added to case #%(number)d.")
                if on
                else _("Label removed from case #%(number)d.")
            )
        else:
            raise Http404("no such action")
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"number": case.pk, "status": case.get_status_display()})
    return _redirect_after(request, case)
