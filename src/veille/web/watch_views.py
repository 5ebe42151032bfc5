"""The watches of a workspace: the list, the editor, and the live check of a query.

Every member sees the watches and may try a query (the check only reads what the member
can already see in the mention list); owners and managers alone create and edit them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from veille.core.models import Membership, Mention, Role, Watch, Workspace
from veille.query.tree import render_tree
from veille.web.forms import WatchForm, read_query
from veille.web.search import highlight, search, spans_of
from veille.web.views import workspace_required

EDITOR_ROLES = frozenset({Role.OWNER, Role.MANAGER})
PREVIEW_SIZE = 20
MAX_QUERY_LENGTH = 4_000


def can_edit(request: HttpRequest) -> bool:
    role = (
        Membership.objects.filter(user=request.user, workspace=request.workspace)
        .values_list("role", flat=True)
        .first()
    )
    return role in EDITOR_ROLES


@workspace_required
def watch_list(request: HttpRequest) -> HttpResponse:
    watches = (
        Watch.objects.filter(workspace=request.workspace)
        .annotate(mention_count=Count("matches"))
        .order_by("name")
    )
    return render(
        request, "veille/watches/list.html", {"watches": watches, "can_edit": can_edit(request)}
    )


def _editor(request: HttpRequest, watch: Watch | None) -> HttpResponse:
    workspace: Workspace = request.workspace
    editable = can_edit(request)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only owners and managers change watches."))
        form = WatchForm(request.POST, instance=watch, workspace=workspace)
        if form.is_valid():
            form.save()
            return HttpResponseRedirect(reverse("watches"))
        status = 400
    else:
        if watch is None and not editable:
            raise PermissionDenied(_("Only owners and managers create watches."))
        form = WatchForm(instance=watch, workspace=workspace)
        status = 200
    if not editable:
        for bound in form.fields.values():
            bound.disabled = True
    context = {"form": form, "watch": watch, "can_edit": editable, "error": form.query_error}
    return render(request, "veille/watches/edit.html", context, status=status)


@workspace_required
def watch_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@workspace_required
def watch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, get_object_or_404(Watch, pk=pk, workspace=request.workspace))


@workspace_required
def watch_check(request: HttpRequest) -> HttpResponse:
    """An HTML fragment: the query's mistake, or its tree and the stored mentions it finds."""
    text = request.GET.get("query", "")[:MAX_QUERY_LENGTH].strip()
    context: dict[str, object] = {"text": text}
    if text:
        query, error = read_query(text)
        context["error"] = error
        if query is not None:
            mentions = Mention.objects.filter(workspace=request.workspace)
            found = search(mentions, query, limit=PREVIEW_SIZE)
            spans = spans_of(query, found.documents.items())
            shown = Mention.objects.filter(pk__in=found.ids).select_related("author", "source")
            by_id = {mention.pk: mention for mention in shown}
            previews = []
            for pk in found.ids:
                mention, match = by_id[pk], spans.get(pk)
                previews.append(
                    {
                        "mention": mention,
                        "title": highlight(mention.title, match, "title"),
                        "text": highlight(mention.text, match, "text", limit=400),
                        "terms": match.terms if match else (),
                    }
                )
            context.update(
                tree=render_tree(query.root),
                warnings=query.warnings,
                previews=previews,
                capped=found.capped,
                max_candidates=found.max_candidates,
            )
    return render(request, "veille/watches/_check.html", context)
