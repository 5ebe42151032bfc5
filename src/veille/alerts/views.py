"""Pages of crisis playbooks: what is going on, what to watch for, replies to approve.

Every member reads; owners and managers change playbooks and watch-lists, resolve alerts
and decide on held replies. Other workspaces' objects do not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.alerts.approval import approve_reply, pending_replies, reject_reply
from veille.alerts.engine import active_alerts, resolve_alert
from veille.alerts.forms import AuthorListForm, PlaybookForm
from veille.alerts.models import Alert, AuthorList, PendingReply, Playbook
from veille.core.models import Event, Mention
from veille.inbox import workflow
from veille.web.views import workspace_required

RECENT_ALERTS = 20


def _require_editor(request: HttpRequest) -> None:
    if not workflow.may_manage(request.user, request.workspace):
        raise PermissionDenied(_("Only owners and managers can change crisis playbooks."))


def _log(request: HttpRequest, verb: str, **data: object) -> None:
    Event.objects.create(workspace=request.workspace, actor=request.user, verb=verb, data=data)


def with_mentions(alerts: list[Alert]) -> list[tuple[Alert, list[Mention]]]:
    """Each alert with its mentions, read in one query."""
    wanted = {pk for alert in alerts for pk in alert.mention_ids}
    found = Mention.objects.select_related("author").in_bulk(wanted)
    return [(alert, [found[pk] for pk in alert.mention_ids if pk in found]) for alert in alerts]


@workspace_required
def overview(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    active = list(active_alerts(workspace))
    recent = list(
        Alert.objects.filter(workspace=workspace, resolved_at__isnull=False).select_related(
            "playbook", "resolved_by"
        )[:RECENT_ALERTS]
    )
    return render(
        request,
        "alerts/overview.html",
        {
            "active": with_mentions(active),
            "recent": recent,
            "pending": pending_replies(workspace.pk),
            "playbooks": Playbook.objects.filter(workspace=workspace).select_related(
                "watch", "author_list"
            ),
            "author_lists": AuthorList.objects.filter(workspace=workspace),
            "can_edit": workflow.may_manage(request.user, workspace),
        },
    )


def _edit(
    request: HttpRequest,
    form_class: type[PlaybookForm] | type[AuthorListForm],
    instance: Playbook | AuthorList | None,
    noun: str,
) -> HttpResponse:
    _require_editor(request)
    form = form_class(request.POST or None, instance=instance, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        verb = f"{noun}.{'changed' if instance else 'created'}"
        _log(request, verb, **{noun: saved.pk, "name": saved.name})
        messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
        return HttpResponseRedirect(reverse("alerts"))
    return render(request, "alerts/edit.html", {"form": form, "instance": instance, "noun": noun})


@workspace_required
def playbook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    playbook = get_object_or_404(Playbook, pk=pk, workspace=request.workspace) if pk else None
    return _edit(request, PlaybookForm, playbook, "playbook")


@workspace_required
def author_list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    found = get_object_or_404(AuthorList, pk=pk, workspace=request.workspace) if pk else None
    return _edit(request, AuthorListForm, found, "author_list")


def _delete(request: HttpRequest, model: type[Playbook] | type[AuthorList], pk: int, noun: str):
    _require_editor(request)
    found = get_object_or_404(model, pk=pk, workspace=request.workspace)
    _log(request, f"{noun}.deleted", **{noun: found.pk, "name": found.name})
    found.delete()
    messages.success(request, _("“%(name)s” deleted.") % {"name": found.name})
    return HttpResponseRedirect(reverse("alerts"))


@require_POST
@workspace_required
def playbook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, Playbook, pk, "playbook")


@require_POST
@workspace_required
def author_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, AuthorList, pk, "author_list")


@require_POST
@workspace_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=pk, workspace=request.workspace)
    try:
        resolve_alert(alert, request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Alert resolved."))
    return HttpResponseRedirect(reverse("alerts"))


@require_POST
@workspace_required
def decide_reply(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    pending = get_object_or_404(PendingReply, pk=pk, workspace=request.workspace)
    if decision not in ("approve", "reject"):
        raise Http404("no such decision")
    try:
        if decision == "approve":
            done = approve_reply(pending, request.user)
            if done.reply_url:
                messages.success(request, _("Reply approved and posted."))
            else:
                messages.success(
                    request,
                    _(
                        "Reply approved: its author can now post it on the platform and mark"
                        " the case replied."
                    ),
                )
        else:
            reject_reply(pending, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Reply rejected."))
    except ValueError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("alerts"))
