"""Pages of the inbox: the list of cases to answer, a case with its thread, the actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

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
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.alerts.approval import hold_reply, reply_blocked_reason
from veille.core.models import Case, CaseStatus, Mention, Sentiment, Workspace
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


class Filters(NamedTuple):
    """The list's filters as understood ("" where absent or not understood)."""

    status: str
    assignee: str
    label: Label | None
    sentiment: str


def _filtered(request: HttpRequest, workspace: Workspace) -> tuple[QuerySet[Case], Filters]:
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
    sentiment = request.GET.get("sentiment", "")
    if sentiment in Sentiment.values:
        # The tonality of the message the row shows, kept on the triage row.
        cases = cases.filter(triage__sentiment=sentiment)
    else:
        sentiment = ""
    return cases, Filters(status, assignee, label, sentiment)


# The columns a list row reads; the rest of these wide rows is left in the database.
_MESSAGE_FIELDS = (
    "text",
    "title",
    "published_at",
    "author__display_name",
    "author__handle",
    "author__platform",
    "source__kind",
)
_LIST_FIELDS = (
    "status",
    "priority",
    "due_at",
    "first_response_at",
    *(f"thread_root__{field}" for field in _MESSAGE_FIELDS),
    "triage__reasons",
    *(f"triage__mention__{field}" for field in _MESSAGE_FIELDS),
)
# A stand-in case number: the URLs of each row are built from the URL of this one.
_PK_MARK = 987654321
TEXT_CHARS = 240


def _whole(number: float | None) -> str:
    """A priority rounded half up to a whole number, as the floatformat:"0" filter does."""
    try:
        rounded = int(Decimal(repr(float(number or 0))).quantize(Decimal(1), ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        return ""
    return str(rounded)


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


class _RowMaker:
    """Everything a list row shows, prepared once in Python.

    The template only prints these values (escaped): with 50 rows a page, template tags
    and filters evaluated per row cost more than the SQL.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.zone = timezone.get_current_timezone()
        self.case_url = reverse("inbox_case", args=[_PK_MARK])
        self.assign_url = reverse("inbox_case_action", args=[_PK_MARK, "assign"])
        self.status_url = reverse("inbox_case_action", args=[_PK_MARK, "status"])
        self.statuses = dict(CaseStatus.choices)
        self.unknown_author = _("unknown author")
        self.unassigned = _("unassigned")

    def row(self, case: Case) -> dict[str, Any]:
        triage = _triage_of(case)
        message = (triage.mention if triage else None) or case.thread_root
        due_at, breached = _sla(case, self.now)
        mark, pk = str(_PK_MARK), str(case.pk)
        author = message.author
        published = message.published_at.astimezone(self.zone)
        due = _minute(due_at.astimezone(self.zone)) if due_at else ""
        return {
            "reasons": list(triage.reasons) if triage else [],
            "breached": breached,
            "due_at": due_at,
            "pk": case.pk,
            "status": case.status,
            "status_text": self.statuses.get(case.status, case.status),
            "url": self.case_url.replace(mark, pk),
            "assign_url": self.assign_url.replace(mark, pk),
            "status_url": self.status_url.replace(mark, pk),
            "priority": _whole(case.priority),
            "select_label": _("Select case #%(number)s") % {"number": case.pk},
            "author": str(author) if author else self.unknown_author,
            "platform": author.platform if author else message.source.get_kind_display(),
            "published_iso": published.isoformat(),
            "published": _minute(published),
            "age": _("%(age)s ago") % {"age": timesince(message.published_at, self.now)},
            "text": Truncator(message.text or message.title).chars(TEXT_CHARS),
            "labels": [(label.name, label.colour) for label in case.labels.all()],
            "due_iso": due_at.astimezone(self.zone).isoformat() if due_at else "",
            "sla": (
                _("SLA breached (due %(due)s)") % {"due": due}
                if breached
                else (_("due %(due)s") % {"due": due} if due_at else "")
            ),
            "assignee": case.assignee.get_username() if case.assignee else self.unassigned,
        }


@workspace_required
def inbox(request: HttpRequest) -> HttpResponse:
    workspace: Workspace = request.workspace
    cases, (status, assignee, label, sentiment) = _filtered(request, workspace)
    cases = (
        cases.select_related(
            "assignee",
            "thread_root__author",
            "thread_root__source",
            "triage__mention__author",
            "triage__mention__source",
        )
        .only(*_LIST_FIELDS, f"assignee__{get_user_model().USERNAME_FIELD}")
        .prefetch_related(
            Prefetch("labels", queryset=Label.objects.only("name", "colour").order_by("name"))
        )
        .order_by("-priority", "-opened_at", "-pk")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    role = workflow.role_in(request.user, workspace)
    can_act = role in workflow.ACTING_ROLES
    maker = _RowMaker(timezone.now())
    labels = list(Label.objects.filter(workspace=workspace))
    return render(
        request,
        "inbox/inbox.html",
        {
            "page_obj": page,
            "rows": [maker.row(case) for case in page.object_list],
            "here": request.get_full_path(),
            "status": status,
            "assignee": assignee,
            "label": label,
            "labels": labels,
            "sentiment": sentiment,
            "sentiments": Sentiment.choices,
            "statuses": CaseStatus.choices,
            "can_act": can_act,
            "available": can_act and workflow.is_available(request.user, workspace),
            "people": workflow.assignable_users(workspace) if can_act else [],
            "views": [
                (view, manage_views.view_url(view)) for view in manage_views.visible_views(request)
            ],
            "filtered": bool(status or assignee or label or sentiment),
            "low_value_below": LOW_VALUE_BELOW,
            "banners": banners(request),
            "can_edit": role in workflow.MANAGING_ROLES,
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
                workflow.assign(case, manage_views.assignee_from(request), request.user)
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
