"""The inbox's own tables: a workspace's response target and each case's triage."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
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


class PresenceState(models.TextChoices):
    VIEWING = "viewing", _("viewing")
    DRAFTING = "drafting", _("drafting")


class Presence(models.Model):
    """Who has a case open right now, and whether they are writing an answer.

    Refreshed by a heartbeat from the case page; a row not refreshed for a while is stale
    and ignored (see veille.inbox.presence), so a closed tab needs no clean-up to vanish.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=PresenceState.choices, default=PresenceState.VIEWING
    )
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_presence_per_user_and_case")
        ]
        verbose_name = _("presence")
        verbose_name_plural = _("presences")

    def __str__(self) -> str:
        return f"#{self.case_id} {self.user_id} {self.state}"


class ReplyLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class SavedReply(models.Model):
    """A workspace's answer template; {author}, {brand}, {agent} and {url} are filled in."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="saved_replies")
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(
        _("language"), max_length=2, choices=ReplyLanguage.choices, default=ReplyLanguage.FRENCH
    )
    body = models.TextField(
        _("text"),
        max_length=5000,
        help_text=_("Variables: {author}, {brand}, {agent}, {url}."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name", "language"], name="one_saved_reply_per_name"
            )
        ]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
