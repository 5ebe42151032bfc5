"""Posting a case's reply from the case page, and the workspace's platform accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veille.core.models import Case, Event
from veille.inbox import workflow
from veille.publish.forms import AccountForm
from veille.publish.models import PlatformAccount
from veille.publish.service import PublishError, publish_reply
from veille.web.views import workspace_required


@require_POST
@workspace_required
def publish_case_reply(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related("workspace", "thread_root__source"),
        pk=pk,
        workspace=request.workspace,
    )
    if not workflow.may_act(request.user, case.workspace):
        raise PermissionDenied(_("Viewers cannot change cases."))
    try:
        # The case page's composer sends its one text box, reply_text, to both actions.
        outcome = publish_reply(case, request.POST.get("reply_text", ""), request.user)
    except PublishError as error:
        messages.error(request, str(error))
    else:
        if outcome.status == "held":
            messages.warning(
                request, _("Your reply awaits a manager's approval; it was not posted yet.")
            )
        else:
            messages.success(request, _("Reply posted: %(url)s") % {"url": outcome.url})
    return HttpResponseRedirect(reverse("inbox_case", args=[case.pk]))


def _log(request: HttpRequest, verb: str, account: PlatformAccount) -> None:
    Event.objects.create(
        workspace=request.workspace,
        actor=request.user,
        verb=verb,
        data={"platform": account.platform, "service_url": account.service_url},
    )


@workspace_required
def accounts(request: HttpRequest) -> HttpResponse:
    """Every member sees which accounts exist; owners and managers set and remove them."""
    can_edit = workflow.may_manage(request.user, request.workspace)
    form = None
    if can_edit:
        form = AccountForm(request.POST or None, workspace_id=request.workspace.pk)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            account, _created = PlatformAccount.objects.get_or_create(
                workspace=request.workspace,
                platform=data["platform"],
                defaults={"service_url": data["service_url"], "secret": data["secret"]},
            )
            account.service_url = data["service_url"]
            account.handle = data["handle"].strip()
            if data["secret"]:
                account.secret = data["secret"]
            account.updated_at = timezone.now()
            account.updated_by = request.user
            account.save()
            _log(request, "platform_account.saved", account)
            messages.success(request, _("Account saved."))
            return HttpResponseRedirect(reverse("publish_accounts"))
    elif request.method == "POST":
        raise PermissionDenied(_("Only owners and managers can change platform accounts."))
    return render(
        request,
        "publish/accounts.html",
        {
            "accounts": PlatformAccount.objects.filter(workspace=request.workspace),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_POST
@workspace_required
def account_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not workflow.may_manage(request.user, request.workspace):
        raise PermissionDenied(_("Only owners and managers can change platform accounts."))
    account = get_object_or_404(PlatformAccount, pk=pk, workspace=request.workspace)
    _log(request, "platform_account.deleted", account)
    account.delete()
    messages.success(request, _("Account removed."))
    return HttpResponseRedirect(reverse("publish_accounts"))
