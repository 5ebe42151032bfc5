"""The domain model: who listens (workspaces, people), for what (watches), where (sources),
what was heard (authors, mentions) and what the team does about it (cases, events)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Workspace(models.Model):
    """One brand or one client of a consultant."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    default_language = models.CharField(_("default language"), max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    MANAGER = "manager", _("manager")
    AGENT = "agent", _("agent")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="one_membership_per_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.role})"


class WatchKind(models.TextChoices):
    BRAND = "brand", _("brand")
    COMPETITOR = "competitor", _("competitor")
    TOPIC = "topic", _("topic")


class Watch(models.Model):
    """What to listen for: a named query in a workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="watches")
    name = models.CharField(_("name"), max_length=120)
    query = models.TextField(_("query"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=WatchKind.choices, default=WatchKind.BRAND
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workspace", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_watch_name")
        ]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS / Atom / JSON feed")
    PAGE = "page", _("article page and its comments")
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")
    REDDIT = "reddit", _("Reddit")
    HACKERNEWS = "hackernews", _("Hacker News")
    IMPORT = "import", _("file import (CSV, JSONL, XLSX)")


class MediaCategory(models.TextChoices):
    EARNED = "earned", _("earned")
    OWNED = "owned", _("owned")
    PAID = "paid", _("paid")


class Source(models.Model):
    """Where to collect from, and how far collection got (the cursor)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    media_category = models.CharField(
        _("media category"),
        max_length=8,
        choices=MediaCategory.choices,
        default=MediaCategory.EARNED,
        help_text=_("Owned for the brand's own channels; paid mentions are also detected."),
    )
    interval = models.PositiveIntegerField(_("interval (seconds)"), default=3600)
    cursor = models.JSONField(_("cursor"), default=dict, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workspace", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "url"], name="unique_source_per_workspace"
            )
        ]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name or self.url


class Author(models.Model):
    platform = models.CharField(_("platform"), max_length=100)
    handle = models.CharField(_("handle"), max_length=200)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    profile_url = models.URLField(_("profile URL"), max_length=2000, blank=True)
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="unique_author_handle")
        ]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.display_name or self.handle


class ForgottenAuthor(models.Model):
    """Somebody who asked to be forgotten: their messages are not collected again.

    Only a digest of the platform and handle is kept (veille.core.privacy).
    """

    digest = models.CharField(max_length=64, unique=True)
    forgotten_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forgotten author")
        verbose_name_plural = _("forgotten authors")

    def __str__(self) -> str:
        return self.digest[:12]


class MentionKind(models.TextChoices):
    POST = "post", _("post")
    COMMENT = "comment", _("comment")
    REPLY = "reply", _("reply")
    TRACKBACK = "trackback", _("trackback")
    SHARE = "share", _("share")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")
    POSITIVE = "positive", _("positive")


class Mention(models.Model):
    """One thing somebody said somewhere: a post, a comment, a reply, a share."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mentions")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mentions")
    external_id = models.CharField(max_length=500)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MentionKind.choices, default=MentionKind.POST
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_mentions"
    )
    # What the platform said this replies to, kept until the parent is stored too.
    in_reply_to_url = models.URLField(max_length=2000, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    published_at = models.DateTimeField(_("published"), db_index=True)
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)
    title = models.TextField(_("title"), blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=8, choices=Sentiment.choices, blank=True
    )
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    intents = models.JSONField(_("intents"), default=list, blank=True)
    sentiment_confidence = models.FloatField(_("sentiment confidence"), null=True, blank=True)
    entities = models.JSONField(_("entities"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    media_category = models.CharField(
        _("media category"),
        max_length=8,
        choices=MediaCategory.choices,
        default=MediaCategory.EARNED,
    )
    watches = models.ManyToManyField(
        Watch, through="MentionMatch", related_name="mentions", blank=True
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_external_id_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "-published_at"], name="mention_ws_published"),
            models.Index(fields=["workspace", "url"], name="mention_ws_url"),
        ]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self) -> str:
        return self.title or self.text[:80]


class MentionMatch(models.Model):
    """A mention matched a watch, through these terms."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="matches")
    terms = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "watch"], name="one_match_per_watch")
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.watch_id}: {', '.join(self.terms)}"


class CorrectionField(models.TextChoices):
    SENTIMENT = "sentiment", _("sentiment")
    INTENTS = "intents", _("intents")


class Correction(models.Model):
    """A person's label for a mention: kept over re-enrichment, used by `veille train -w`.

    The latest correction of a field wins; sentiment holds a label, intents a list.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="corrections")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("field"), max_length=16, choices=CorrectionField.choices)
    value = models.JSONField(_("value"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "field"], name="correction_ws_field")]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.mention_id} {self.field}={self.value}"


class CaseStatus(models.TextChoices):
    NEW = "new", _("new")
    OPEN = "open", _("open")
    PENDING = "pending", _("pending")
    REPLIED = "replied", _("replied")
    IGNORED = "ignored", _("ignored")
    ESCALATED = "escalated", _("escalated")
    CLOSED = "closed", _("closed")


class Case(models.Model):
    """The inbox's unit of work: one conversation thread that may deserve an answer."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="cases")
    thread_root = models.OneToOneField(Mention, on_delete=models.CASCADE, related_name="case")
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    priority = models.FloatField(_("priority"), default=0.0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["-priority", "opened_at"]
        indexes = [
            models.Index(fields=["workspace", "status", "-priority"], name="case_inbox"),
            models.Index(fields=["workspace", "opened_at"], name="case_ws_opened"),
            models.Index(
                fields=["workspace", "-priority", "-opened_at", "-id"], name="case_inbox_order"
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def first_response_time(self) -> timedelta | None:
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.opened_at


class AppendOnlyError(Exception):
    """The audit log is append-only: events are never changed or deleted."""


class Event(models.Model):
    """Who did what, when: the append-only audit log."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(_("action"), max_length=64)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    mention = models.ForeignKey(
        Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("events are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("events are append-only and cannot be deleted")
