"""Pages of the web interface: the mention list and the workspace switch."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from veille.core.models import Mention, Workspace
from veille.inbox import workflow
from veille.query import Document, Query
from veille.web.forms import MentionFilterForm
from veille.web.middleware import SESSION_KEY
from veille.web.search import highlight, max_candidates, search, spans_of

MENTIONS_PER_PAGE = 50

View = Callable[..., HttpResponse]


def workspace_required(view: View) -> View:
    """Login required, and a page that says so when the user belongs to no workspace."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request, "workspace", None) is None:
            return render(request, "veille/no_workspace.html")
        return view(request, *args, **kwargs)

    return wrapper


def _day_start(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def filter_mentions(
    mentions: QuerySet[Mention], data: dict[str, object], zone: datetime.tzinfo
) -> QuerySet[Mention]:
    """Narrow mentions by the cleaned filter values; dates are days in the workspace zone."""
    if watch := data.get("watch"):
        mentions = mentions.filter(matches__watch=watch)
    for field in ("language", "sentiment", "kind", "media_category"):
        if value := data.get(field):
            mentions = mentions.filter(**{field: value})
    if since := data.get("since"):
        mentions = mentions.filter(published_at__gte=_day_start(since, zone))
    if until := data.get("until"):
        next_day = until + datetime.timedelta(days=1)
        mentions = mentions.filter(published_at__lt=_day_start(next_day, zone))
    return mentions


@workspace_required
def mention_list(request: HttpRequest) -> HttpResponse:
    workspace: Workspace = request.workspace
    form = MentionFilterForm(request.GET or None, workspace=workspace)
    data: dict[str, object] = {}
    if form.is_bound:
        form.is_valid()
        # An invalid field is left out of cleaned_data; the valid ones still apply.
        data = form.cleaned_data
    mentions = (
        Mention.objects.filter(workspace=workspace)
        .select_related("author", "source")
        .prefetch_related("watches", "corrections__author")
    )
    mentions = filter_mentions(mentions, data, timezone.get_current_timezone())
    query = data.get("q")
    capped = False
    bound = max_candidates()
    if isinstance(query, Query):
        found = search(mentions, query)
        capped, bound = found.capped, found.max_candidates
        page = Paginator(found.ids, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
        shown = {mention.pk: mention for mention in mentions.filter(pk__in=page.object_list)}
        page.object_list = [shown[pk] for pk in page.object_list]
        _highlight(page.object_list, query, found.documents)
    else:
        page = Paginator(mentions, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/mentions.html",
        {
            "form": form,
            "page_obj": page,
            "mentions": page.object_list,
            "time_zone": timezone.get_current_timezone_name(),
            "filtered": bool(data and any(data.values())),
            "query_error": form.query_error,
            "capped": capped,
            "max_candidates": bound,
            "can_correct": workflow.may_act(request.user, workspace),
        },
    )


def _highlight(mentions: list[Mention], query: Query, documents: dict[int, Document]) -> None:
    """Give the shown mentions their title and text with the matched spans marked."""
    matches = spans_of(query, ((mention.pk, documents[mention.pk]) for mention in mentions))
    for mention in mentions:
        match = matches.get(mention.pk)
        mention.highlighted_title = highlight(mention.title, match, "title")
        mention.highlighted_text = highlight(mention.text, match, "text", limit=400)


def safe_next_url(request: HttpRequest) -> str:
    """The form's `next` when it stays on this site, else the mention list."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("mentions")


@require_POST
@login_required
def switch_workspace(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("workspace", ""))
    except ValueError:
        raise Http404("no such workspace") from None
    space = get_object_or_404(Workspace, pk=wanted, memberships__user=request.user)
    request.session[SESSION_KEY] = space.pk
    return HttpResponseRedirect(safe_next_url(request))
