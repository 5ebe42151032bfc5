"""Correcting a mention's sentiment and intents from the web app.

Owners, managers and agents may correct the mentions of their workspaces; a viewer gets
403, and a mention of a workspace the person does not belong to answers 404, as if it did
not exist. The corrections are stored as labels by veille.enrich.corrections (kept over
re-enrichment, learnt by `veille train --workspace`) and written to the audit log as the
API does ("mention.corrected").

The form (templates/web/_correction_form.html) posts with htmx and is swapped by the
answer; without JavaScript it is a plain form and the answer redirects back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from veille.core.models import Event, Mention, Sentiment
from veille.enrich.corrections import CorrectionError, correct
from veille.enrich.intent import INTENTS
from veille.inbox import workflow
from veille.web.views import safe_next_url

TEMPLATE = "web/_correction_form.html"
INTENT_NAMES = {
    "question": _("question"),
    "complaint": _("complaint"),
    "praise": _("praise"),
    "purchase_intent": _("purchase intent"),
    "spam": _("spam"),
}


class CorrectionForm(forms.Form):
    sentiment = forms.ChoiceField(label=_("Sentiment"), choices=Sentiment.choices)
    intents = forms.MultipleChoiceField(
        label=_("Intents"),
        choices=[(name, INTENT_NAMES[name]) for name in INTENTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_mention(cls, mention: Mention) -> CorrectionForm:
        return cls(
            initial={"sentiment": mention.sentiment or "neutral", "intents": mention.intents},
            prefix=f"correction-{mention.pk}",
        )


def may_correct(user: Any, workspace_id: int) -> bool:
    """Whether the person may correct the mentions of this workspace: those who act on cases."""
    return workflow.may_act(user, workspace_id)


def correction_context(
    request: HttpRequest, mention: Mention, form: CorrectionForm | None = None
) -> dict[str, Any]:
    """What the include needs, for a page that shows one mention with its form."""
    return {
        "mention": mention,
        "correction_form": form or CorrectionForm.for_mention(mention),
        "can_correct": may_correct(request.user, mention.workspace_id),
    }


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_POST
@login_required
def correct_mention(request: HttpRequest, pk: int) -> HttpResponse:
    """Store a person's correction of one mention; answer the refreshed form."""
    mention = get_object_or_404(
        Mention.objects.select_related("workspace"),
        pk=pk,
        workspace__memberships__user=request.user,
    )
    if not may_correct(request.user, mention.workspace_id):
        raise PermissionDenied(_("Your role cannot correct mentions."))
    form = CorrectionForm(request.POST, prefix=f"correction-{mention.pk}")
    message = ""
    status = 200
    if form.is_valid():
        sentiment = form.cleaned_data["sentiment"]
        intents = sorted(set(form.cleaned_data["intents"]))
        changes: dict[str, Any] = {}
        if sentiment != mention.sentiment:
            changes["sentiment"] = sentiment
        if intents != sorted(set(mention.intents or [])):
            changes["intents"] = intents
        if changes:
            try:
                with transaction.atomic():
                    correct(
                        mention,
                        sentiment=changes.get("sentiment"),
                        intents=changes.get("intents"),
                        author=request.user,
                    )
                    Event.objects.create(
                        workspace=mention.workspace,
                        actor=request.user,
                        verb="mention.corrected",
                        mention=mention,
                        data=changes,
                    )
            except CorrectionError as error:  # the form's choices make this unlikely
                form.add_error(None, str(error))
                status = 422
            else:
                message = _("Correction saved.")
                form = CorrectionForm.for_mention(mention)
        else:
            message = _("Nothing changed.")
    else:
        status = 422
    if not _is_htmx(request) and status == 200:
        return HttpResponseRedirect(safe_next_url(request))
    # htmx swaps only successful answers: a refused form comes back as 200 with its errors.
    return render(
        request,
        TEMPLATE,
        correction_context(request, mention, form)
        | {"correction_message": message, "correction_next": safe_next_url(request)},
        status=200 if _is_htmx(request) else status,
    )
