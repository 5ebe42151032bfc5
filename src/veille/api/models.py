"""Per-user API tokens: only a SHA-256 digest is stored, with a short prefix to tell them apart.

A token is shown once, when it is issued; whoever holds it acts as its user, with that
user's roles. A revoked token stays listed (who had access, and when) but opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_MARK = "vt_"  # noqa: S105 - a visible mark, not a secret
PREFIX_LENGTH = 10  # "vt_" and 7 random characters: enough to recognise, useless to guess
# last_used_at is written at most this often per token, to spare the database a write per call.
USE_RECORD_INTERVAL = timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.user})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """A new token for the user; the clear token is returned here and nowhere else."""
        clear = TOKEN_MARK + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=clear[:PREFIX_LENGTH], digest=digest_of(clear)
        )
        return token, clear

    @classmethod
    def find_active(cls, clear: str) -> ApiToken | None:
        """The live token of that text with an active user, or None."""
        if not clear.startswith(TOKEN_MARK):
            return None
        return (
            cls.objects.select_related("user")
            .filter(digest=digest_of(clear), revoked_at__isnull=True, user__is_active=True)
            .first()
        )

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= USE_RECORD_INTERVAL:
            self.last_used_at = now
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
