"""Pages where owners and managers keep the workspace's saved replies."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.core.models import Event, Workspace
from veille.inbox.models import SavedReply
from veille.inbox.workflow import may_manage
from veille.web.views import workspace_required


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["name", "language", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": 5000})}

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean(self) -> dict:
        cleaned = super().clean()
        taken = SavedReply.objects.filter(
            workspace=self.instance.workspace,
            name=cleaned.get("name"),
            language=cleaned.get("language"),
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A saved reply with this name and language exists."))
        return cleaned


def may_edit(request: HttpRequest) -> bool:
    return may_manage(request.user, request.workspace)


def _require_editor(request: HttpRequest) -> None:
    if not may_edit(request):
        raise PermissionDenied(_("Only owners and managers can change saved replies."))


def _log(request: HttpRequest, verb: str, reply: SavedReply) -> None:
    Event.objects.create(
        workspace=request.workspace,
        actor=request.user,
        verb=verb,
        data={"saved_reply": reply.pk, "name": reply.name, "language": reply.language},
    )


def _save(request: HttpRequest, form: SavedReplyForm, verb: str) -> HttpResponseRedirect:
    reply = form.save(commit=False)
    reply.updated_at = timezone.now()
    reply.save()
    _log(request, verb, reply)
    messages.success(request, _("Saved reply “%(name)s” saved.") % {"name": reply.name})
    return HttpResponseRedirect(reverse("inbox_saved_replies"))


@workspace_required
def saved_replies(request: HttpRequest) -> HttpResponse:
    """The list for every member; the form to add one for owners and managers."""
    form = None
    if may_edit(request):
        form = SavedReplyForm(request.POST or None, workspace=request.workspace)
        if request.method == "POST" and form.is_valid():
            return _save(request, form, "saved_reply.created")
    elif request.method == "POST":
        _require_editor(request)
    return render(
        request,
        "inbox/saved_replies.html",
        {
            "replies": SavedReply.objects.filter(workspace=request.workspace),
            "form": form,
            "can_edit": form is not None,
        },
    )


@workspace_required
def saved_reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    reply = get_object_or_404(SavedReply, pk=pk, workspace=request.workspace)
    form = SavedReplyForm(request.POST or None, instance=reply, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, "saved_reply.changed")
    return render(request, "inbox/saved_reply_edit.html", {"form": form, "reply": reply})


@require_POST
@workspace_required
def saved_reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    reply = get_object_or_404(SavedReply, pk=pk, workspace=request.workspace)
    _log(request, "saved_reply.deleted", reply)
    reply.delete()
    messages.success(request, _("Saved reply “%(name)s” deleted.") % {"name": reply.name})
    return HttpResponseRedirect(reverse("inbox_saved_replies"))
