"""Crisis playbooks: author watch-lists, playbooks, the alerts they raise, held replies."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veille.core.models import Author, Case, Role, Watch, Workspace


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


class AuthorList(models.Model):
    """People whose every word matters ("journalistes"): handles, names or web sites.

    One entry a line: a handle (@jdupont@mastodon.social, jdupont.bsky.social), a name
    (Jeanne Dupont) or a site (lemonde.fr, matching its pages and its sub-domains).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="author_lists")
    name = models.CharField(_("name"), max_length=120)
    entries = models.TextField(
        _("entries"),
        help_text=_("One a line: a handle, a name or a web site."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_author_list_name")
        ]
        verbose_name = _("author watch-list")
        verbose_name_plural = _("author watch-lists")

    def __str__(self) -> str:
        return self.name

    def entry_list(self) -> list[str]:
        return [line.strip() for line in self.entries.splitlines() if line.strip()]

    def matcher(self) -> AuthorMatcher:
        return AuthorMatcher(self.entry_list())

    def matching_entry(self, author: Author | None, url: str = "") -> str | None:
        """The entry that names this author (or the site of `url`), or None."""
        return self.matcher().match(author, url)


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class AuthorMatcher:
    """A watch-list's entries indexed by kind, so that each mention costs a few look-ups."""

    def __init__(self, entries: list[str]) -> None:
        self.handles: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.sites: dict[str, str] = {}
        for entry in entries:
            key = entry.casefold()
            self.handles.setdefault(key.lstrip("@"), entry)
            self.names.setdefault(_name_key(entry), entry)
            if not re.search(r"[\s@]", key):
                site = _host(key if "://" in key else f"https://{key}")
                if "." in site:
                    self.sites.setdefault(site, entry)

    def _site(self, host: str) -> str | None:
        parts = host.split(".")
        for start in range(len(parts) - 1):
            found = self.sites.get(".".join(parts[start:]))
            if found is not None:
                return found
        return None

    def match(self, author: Author | None, url: str = "") -> str | None:
        if author is not None:
            if author.handle and (found := self.handles.get(author.handle.lstrip("@").casefold())):
                return found
            if author.display_name and (found := self.names.get(_name_key(author.display_name))):
                return found
        for host in (_host(url), _host(author.profile_url) if author else ""):
            if host and (found := self._site(host)):
                return found
        return None


class PlaybookKind(models.TextChoices):
    NEGATIVE_BURST = "negative_burst", _("burst of negative mentions")
    LISTED_AUTHOR = "listed_author", _("mention by a listed author")
    VOLUME_SPIKE = "volume_spike", _("volume spike")


class ApprovalScope(models.TextChoices):
    NONE = "none", _("no approval needed")
    CONCERNED = "concerned", _("the cases concerned")
    ALL = "all", _("every case of the workspace")


def default_roles() -> list[str]:
    return [Role.OWNER, Role.MANAGER]


class Playbook(models.Model):
    """A condition to watch for, and what to do while it holds."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="playbooks")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("condition"), max_length=20, choices=PlaybookKind.choices)
    watch = models.ForeignKey(
        Watch,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="playbooks",
        verbose_name=_("watch"),
        help_text=_("Required for a negative burst; optional otherwise."),
    )
    author_list = models.ForeignKey(
        AuthorList,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="playbooks",
        verbose_name=_("author watch-list"),
    )
    threshold = models.PositiveIntegerField(
        _("threshold"),
        default=5,
        help_text=_("Negative mentions needed (burst), or the spike's robust z-score (spike)."),
    )
    window_minutes = models.PositiveIntegerField(_("window (minutes)"), default=60)
    notify_roles = models.JSONField(_("roles to email"), default=default_roles, blank=True)
    approval = models.CharField(
        _("manager's approval before replies"),
        max_length=16,
        choices=ApprovalScope.choices,
        default=ApprovalScope.NONE,
    )
    show_banner = models.BooleanField(_("show a banner in the inbox"), default=True)
    quiet_minutes = models.PositiveIntegerField(
        _("ends after a quiet period of (minutes)"), default=120
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The highest mention id a listed-author check has read (it reads only newer ones).
    scanned_up_to = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_playbook_name")
        ]
        verbose_name = _("crisis playbook")
        verbose_name_plural = _("crisis playbooks")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One episode of a playbook: from its trigger until it is resolved.

    While unresolved it does not notify again; new matching mentions are added to it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="alerts")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="alerts")
    explanation = models.TextField(_("explanation"))
    mention_ids = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(_("last matching mention"), default=timezone.now)
    notified = models.JSONField(_("notified"), default=list, blank=True)
    notify_error = models.TextField(blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["workspace", "resolved_at"], name="alert_ws_active")]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.playbook}: {self.explanation}"

    @property
    def active(self) -> bool:
        return self.resolved_at is None


class ReplyState(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class PendingReply(models.Model):
    """A reply an agent wrote while a playbook asks for a manager's approval."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="pending_replies"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pending_replies")
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="held_replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=16, choices=ReplyState.choices, default=ReplyState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reply_url = models.URLField(max_length=2000, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply awaiting approval")
        verbose_name_plural = _("replies awaiting approval")

    def __str__(self) -> str:
        return f"#{self.case_id} {self.state}"
