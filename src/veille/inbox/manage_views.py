"""Pages that shape the inbox: labels, rules, settings (service level, brand handles),
saved views, an agent's availability, and bulk actions on the list.

Owners and managers edit labels, rules and settings; agents put labels on cases, act in
bulk, save views and say whether they are available; viewers read; anything of another
workspace does not exist (404). Every change is an event in the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from veille.core.models import Case, CaseStatus, Event
from veille.inbox import workflow
from veille.inbox.forms import LabelForm, RuleForm, SavedViewForm, SettingsForm
from veille.inbox.models import Label, Rule, SavedView, WorkspaceSLA
from veille.web.views import workspace_required

VIEW_FILTERS = ("status", "assignee", "label", "sentiment")
MAX_BULK = 500


def may_edit(request: HttpRequest) -> bool:
    return workflow.may_manage(request.user, request.workspace)


def _require_editor(request: HttpRequest) -> None:
    if not may_edit(request):
        raise PermissionDenied(_("Only owners and managers can change the inbox's settings."))


def _require_actor(request: HttpRequest) -> None:
    if not workflow.may_act(request.user, request.workspace):
        raise PermissionDenied(_("Viewers cannot change cases."))


def _log(request: HttpRequest, verb: str, **data: object) -> None:
    Event.objects.create(workspace=request.workspace, actor=request.user, verb=verb, data=data)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


# --- Labels -------------------------------------------------------------------------------


@workspace_required
def labels(request: HttpRequest) -> HttpResponse:
    form = None
    if may_edit(request):
        form = LabelForm(request.POST or None, workspace=request.workspace)
        if request.method == "POST" and form.is_valid():
            label = form.save()
            _log(request, "label.created", label=label.name, colour=label.colour)
            messages.success(request, _("Label “%(name)s” added.") % {"name": label.name})
            return HttpResponseRedirect(reverse("inbox_labels"))
    elif request.method == "POST":
        _require_editor(request)
    return render(
        request,
        "inbox/labels.html",
        {"labels": Label.objects.filter(workspace=request.workspace), "form": form},
    )


@require_POST
@workspace_required
def label_delete(request: HttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk, workspace=request.workspace)
    _require_editor(request)
    _log(request, "label.deleted", label=label.name)
    label.delete()
    messages.success(request, _("Label “%(name)s” deleted.") % {"name": label.name})
    return HttpResponseRedirect(reverse("inbox_labels"))


# --- Rules --------------------------------------------------------------------------------


def _rules(request: HttpRequest) -> list[Rule]:
    return list(
        Rule.objects.filter(workspace=request.workspace).select_related(
            "watch", "assign_to", "add_label"
        )
    )


@workspace_required
def rules(request: HttpRequest) -> HttpResponse:
    """The rules in order, for every member; the form to add one for owners and managers."""
    form = None
    if may_edit(request):
        form = RuleForm(request.POST or None, workspace=request.workspace)
        if request.method == "POST" and form.is_valid():
            rule = form.save()
            _log(request, "rule.created", rule=rule.pk, name=rule.name)
            messages.success(request, _("Rule “%(name)s” added.") % {"name": rule.name})
            return HttpResponseRedirect(reverse("inbox_rules"))
    elif request.method == "POST":
        _require_editor(request)
    return render(
        request,
        "inbox/rules.html",
        {"rules": _rules(request), "form": form, "can_edit": form is not None},
    )


@workspace_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=pk, workspace=request.workspace)
    _require_editor(request)
    form = RuleForm(request.POST or None, instance=rule, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.updated_at = timezone.now()
        rule.save()
        _log(request, "rule.changed", rule=rule.pk, name=rule.name)
        messages.success(request, _("Rule “%(name)s” saved.") % {"name": rule.name})
        return HttpResponseRedirect(reverse("inbox_rules"))
    return render(request, "inbox/rule_edit.html", {"form": form, "rule": rule})


@require_POST
@workspace_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=pk, workspace=request.workspace)
    _require_editor(request)
    _log(request, "rule.deleted", rule=rule.pk, name=rule.name)
    rule.delete()
    messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
    return HttpResponseRedirect(reverse("inbox_rules"))


@require_POST
@workspace_required
def rule_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a rule one place up or down; positions are renumbered 0, 1, 2…"""
    rule = get_object_or_404(Rule, pk=pk, workspace=request.workspace)
    _require_editor(request)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        messages.error(request, _("Move a rule up or down."))
        return HttpResponseRedirect(reverse("inbox_rules"))
    with transaction.atomic():
        ordered = list(Rule.objects.select_for_update().filter(workspace=request.workspace))
        index = next(i for i, other in enumerate(ordered) if other.pk == rule.pk)
        swap = index - 1 if direction == "up" else index + 1
        if 0 <= swap < len(ordered):
            ordered[index], ordered[swap] = ordered[swap], ordered[index]
        for position, other in enumerate(ordered):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
        _log(request, "rule.moved", rule=rule.pk, name=rule.name, direction=direction)
    return HttpResponseRedirect(reverse("inbox_rules"))


# --- Settings -----------------------------------------------------------------------------


@workspace_required
def inbox_settings(request: HttpRequest) -> HttpResponse:
    """The first-response target with business hours, and the brand's handles."""
    _require_editor(request)
    current = WorkspaceSLA.objects.filter(workspace=request.workspace).first()
    form = SettingsForm(request.POST or None, instance=current, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        sla = form.save()
        _log(
            request,
            "inbox.settings",
            first_response_minutes=sla.first_response_minutes,
            time_zone=sla.time_zone,
            business_hours=sla.business_hours,
            brand_handles=sla.brand_handles,
        )
        messages.success(request, _("Inbox settings saved."))
        return HttpResponseRedirect(reverse("inbox_settings"))
    return render(
        request,
        "inbox/settings.html",
        {"form": form, "workspace_zone": request.workspace.time_zone},
    )


# --- Saved views and availability -----------------------------------------------------------


def visible_views(request: HttpRequest) -> list[SavedView]:
    """The user's own views and those shared with the workspace."""
    views = SavedView.objects.filter(workspace=request.workspace)
    return [view for view in views if view.shared or view.owner_id == request.user.pk]


@require_POST
@workspace_required
def view_save(request: HttpRequest) -> HttpResponse:
    _require_actor(request)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, reverse("inbox"))
    view = form.save(commit=False)
    view.workspace = request.workspace
    view.owner = request.user
    view.filters = {
        key: request.POST[key] for key in VIEW_FILTERS if request.POST.get(key, "").strip()
    }
    view.save()
    _log(request, "view.saved", view=view.pk, name=view.name, shared=view.shared)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return HttpResponseRedirect(view_url(view))


def view_url(view: SavedView) -> str:
    from urllib.parse import urlencode

    query = urlencode({key: view.filters[key] for key in VIEW_FILTERS if key in view.filters})
    return reverse("inbox") + (f"?{query}" if query else "")


@require_POST
@workspace_required
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk, workspace=request.workspace)
    if view.owner_id != request.user.pk and not (view.shared and may_edit(request)):
        if not view.shared:
            raise Http404("no such view")
        raise PermissionDenied(_("Only its author, an owner or a manager can delete this view."))
    _log(request, "view.deleted", view=view.pk, name=view.name)
    view.delete()
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return HttpResponseRedirect(reverse("inbox"))


@require_POST
@workspace_required
def availability(request: HttpRequest) -> HttpResponse:
    available = request.POST.get("available") == "1"
    workflow.set_available(request.user, request.workspace, available)
    if available:
        messages.success(request, _("You are available: round-robin gives you cases."))
    else:
        messages.success(request, _("You are away: round-robin skips you."))
    return _back(request, reverse("inbox"))


# --- Bulk actions -------------------------------------------------------------------------


def assignee_from(request: HttpRequest):
    """The person an assign form names: 'me', nobody (empty) or a user id."""
    wanted = request.POST.get("assignee", "")
    if wanted == "me":
        return request.user
    if wanted == "":
        return None
    try:
        return get_user_model().objects.get(pk=int(wanted))
    except (ValueError, get_user_model().DoesNotExist):
        raise ValueError(_("No such person.")) from None


def _selected(request: HttpRequest) -> list[Case]:
    """The cases ticked; one that is not of this workspace refuses the whole request (404)."""
    ids = set()
    for value in request.POST.getlist("case")[:MAX_BULK]:
        try:
            ids.add(int(value))
        except ValueError:
            raise Http404("no such case") from None
    found = list(
        Case.objects.filter(workspace=request.workspace, pk__in=ids).order_by("-priority", "pk")
    )
    if len(found) != len(ids):
        raise Http404("no such case")
    return found


def _low_value(request: HttpRequest) -> list[Case]:
    """Cases still to handle whose priority is below the threshold given."""
    try:
        threshold = float(request.POST.get("below", ""))
    except ValueError:
        raise ValueError(_("Give the priority below which cases are ignored.")) from None
    return list(
        Case.objects.filter(
            workspace=request.workspace,
            status__in=(CaseStatus.NEW, CaseStatus.OPEN),
            priority__lt=threshold,
        ).order_by("priority", "pk")[:MAX_BULK]
    )


@require_POST
@workspace_required
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on every selected case, each with its own audit event; all or nothing."""
    action = request.POST.get("action", "")
    back = reverse("inbox")
    try:
        cases = _low_value(request) if action == "ignore_low" else _selected(request)
    except ValueError as error:
        _require_actor(request)
        messages.error(request, str(error))
        return _back(request, back)
    if not cases and action != "ignore_low":
        messages.error(request, _("Select at least one case."))
        return _back(request, back)
    _require_actor(request)
    try:
        with transaction.atomic():
            if action == "assign":
                if request.POST.get("assignee") == "next":
                    for case in cases:
                        workflow.assign_round_robin(case, request.user)
                else:
                    person = assignee_from(request)
                    for case in cases:
                        workflow.assign(case, person, request.user)
            elif action in ("label", "unlabel"):
                label = get_object_or_404(
                    Label, pk=_number(request.POST.get("label")), workspace=request.workspace
                )
                for case in cases:
                    workflow.label(case, label, request.user, on=action == "label")
            elif action == "status":
                for case in cases:
                    workflow.set_status(case, request.POST.get("status", ""), request.user)
            elif action in ("ignore", "ignore_low"):
                for case in cases:
                    workflow.set_status(case, CaseStatus.IGNORED, request.user)
            else:
                messages.error(request, _("Unknown action."))
                return _back(request, back)
    except ValueError as error:
        messages.error(request, str(error))
        return _back(request, back)
    messages.success(
        request,
        ngettext("%(count)d case changed.", "%(count)d cases changed.", len(cases))
        % {"count": len(cases)},
    )
    return _back(request, back)


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404("no such label") from None
