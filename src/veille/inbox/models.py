"""The inbox's own tables: a workspace's response target and each case's triage."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veille.core.models import Case, Mention, Workspace
from veille.inbox.business_hours import add_business_time, week_from_json

DEFAULT_FIRST_RESPONSE_MINUTES = 120


class WorkspaceSLA(models.Model):
    """How soon a workspace promises a first answer to a new conversation."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sla")
    first_response_minutes = models.PositiveIntegerField(
        _("first-response target (minutes)"), default=DEFAULT_FIRST_RESPONSE_MINUTES
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Of the business hours; empty: the workspace's time zone."),
    )
    # {"mon": [["09:00", "18:00"]], ...}; no day at all means every hour counts.
    business_hours = models.JSONField(_("business hours"), default=dict, blank=True)
    brand_handles = models.TextField(
        _("brand handles"),
        blank=True,
        help_text=_(
            "One a line: the brand's accounts, e.g. @brulerieazur or mastodon:@brulerieazur. "
            "Their replies count as the brand's answer."
        ),
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.workspace}: {self.first_response_minutes} min"


def sla_of(workspace: Workspace) -> WorkspaceSLA:
    """The workspace's settings, unsaved defaults when it has none."""
    found = WorkspaceSLA.objects.filter(workspace=workspace).first()
    return found or WorkspaceSLA(workspace=workspace)


def first_response_target(workspace: Workspace) -> timedelta:
    minutes = (
        WorkspaceSLA.objects.filter(workspace=workspace)
        .values_list("first_response_minutes", flat=True)
        .first()
    )
    return timedelta(minutes=DEFAULT_FIRST_RESPONSE_MINUTES if minutes is None else minutes)


def zone_of(sla: WorkspaceSLA) -> zoneinfo.ZoneInfo:
    for name in (sla.time_zone, sla.workspace.time_zone):
        try:
            return zoneinfo.ZoneInfo(name)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def first_response_due(workspace: Workspace, opened: datetime) -> datetime:
    """When the first answer is due: the target counted in business hours only."""
    sla = sla_of(workspace)
    try:
        week = week_from_json(sla.business_hours)
    except ValueError:  # stored by hand and unreadable: every hour counts
        week = {}
    return add_business_time(
        opened, timedelta(minutes=sla.first_response_minutes), week, zone_of(sla)
    )


def brand_handles(workspace: Workspace) -> list[tuple[str, str]]:
    """(platform or "", handle without its leading @) for each line of the settings."""
    text = (
        WorkspaceSLA.objects.filter(workspace=workspace)
        .values_list("brand_handles", flat=True)
        .first()
    )
    return parse_brand_handles(text or "")


def parse_brand_handles(text: str) -> list[tuple[str, str]]:
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        platform, _sep, handle = line.rpartition(":")
        handle = handle.strip().lstrip("@")
        if handle:
            found.append((platform.strip().lower(), handle))
    return found


class CaseTriage(models.Model):
    """Why a case has its priority, and which message of the thread the score is about.

    Kept beside the score so the inbox list reads both in the same query as the case.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="triage")
    mention = models.ForeignKey(
        Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The tonality of the message the list shows (`mention`, else the thread's root),
    # kept here so that filtering the inbox by tonality reads no mention at all.
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    # Set by a rule: {"rule": name, "change": "raise"|"lower"|"set", "value": 10.0}.
    rule_priority = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case triage")
        verbose_name_plural = _("case triages")

    def __str__(self) -> str:
        return f"#{self.case_id}: {', '.join(self.reasons)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sentiment = self.shown_sentiment()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sentiment"}
        super().save(*args, **kwargs)

    def shown_sentiment(self) -> str:
        """The tonality of the message the inbox list shows for this case."""
        if self.mention_id is not None:
            return self.mention.sentiment
        root = Mention.objects.filter(case__pk=self.case_id).values_list("sentiment", flat=True)
        return root.first() or ""


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


# --- Business hours, brand handles, labels, rules, rotation, saved views (0003) ---

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class LabelColour(models.TextChoices):
    GREY = "grey", _("grey")
    RED = "red", _("red")
    ORANGE = "orange", _("orange")
    YELLOW = "yellow", _("yellow")
    GREEN = "green", _("green")
    BLUE = "blue", _("blue")
    PURPLE = "purple", _("purple")


class Label(models.Model):
    """A workspace's tag for cases ("livraison", "VIP"), in a colour of a fixed palette."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=60)
    colour = models.CharField(
        _("colour"), max_length=8, choices=LabelColour.choices, default=LabelColour.GREY
    )
    cases = models.ManyToManyField(Case, related_name="labels", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_label_per_name")
        ]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.name


class PriorityChange(models.TextChoices):
    NONE = "", _("leave as scored")
    RAISE = "raise", _("raise by")
    LOWER = "lower", _("lower by")
    SET = "set", _("set to")


class Rule(models.Model):
    """Conditions on a new or reopened case and what to do then; the first match wins.

    Empty conditions are not checked; a rule with no condition matches every case.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="inbox_rules")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # Conditions
    watch = models.ForeignKey(
        "core.Watch",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("watch"),
    )
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    intent = models.CharField(_("intent"), max_length=32, blank=True)
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    author = models.CharField(
        _("author"), max_length=200, blank=True, help_text=_("A handle or a name.")
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("A query in the language of watches.")
    )
    # Actions
    assign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assign to"),
    )
    round_robin = models.BooleanField(_("assign round-robin"), default=False)
    add_label = models.ForeignKey(
        Label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("add label"),
    )
    priority_change = models.CharField(
        _("priority"), max_length=8, blank=True, choices=PriorityChange.choices
    )
    priority_value = models.FloatField(_("priority value"), null=True, blank=True)
    ignore = models.BooleanField(_("ignore the case"), default=False)
    continue_matching = models.BooleanField(
        _("continue with the next rules"),
        default=False,
        help_text=_("Otherwise the first matching rule is the last one applied."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.name


class AgentState(models.Model):
    """An agent's availability for round-robin, and their turn in the rotation."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    available = models.BooleanField(_("available"), default=True)
    # The rotation's counter when this agent last got a case: the lowest goes next.
    last_turn = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_agent_state")
        ]
        verbose_name = _("agent availability")
        verbose_name_plural = _("agent availabilities")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.workspace_id} {'on' if self.available else 'off'}"


class SavedView(models.Model):
    """Inbox filters saved under a name, for oneself or for the whole workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    filters = models.JSONField(_("filters"), default=dict)
    shared = models.BooleanField(_("shared with the workspace"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name
