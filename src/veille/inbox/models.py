"""The inbox's own tables: a workspace's response target and each case's triage."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veille.core.models import Case, Mention, Workspace

DEFAULT_FIRST_RESPONSE_MINUTES = 120


class WorkspaceSLA(models.Model):
    """How soon a workspace promises a first answer to a new conversation."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sla")
    first_response_minutes = models.PositiveIntegerField(
        _("first-response target (minutes)"), default=DEFAULT_FIRST_RESPONSE_MINUTES
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.workspace}: {self.first_response_minutes} min"


def first_response_target(workspace: Workspace) -> timedelta:
    minutes = (
        WorkspaceSLA.objects.filter(workspace=workspace)
        .values_list("first_response_minutes", flat=True)
        .first()
    )
    return timedelta(minutes=DEFAULT_FIRST_RESPONSE_MINUTES if minutes is None else minutes)


class CaseTriage(models.Model):
    """Why a case has its priority, and which message of the thread the score is about.

    Kept beside the score so the inbox list reads both in the same query as the case.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="triage")
    mention = models.ForeignKey(
        Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case triage")
        verbose_name_plural = _("case triages")

    def __str__(self) -> str:
        return f"#{self.case_id}: {', '.join(self.reasons)}"
