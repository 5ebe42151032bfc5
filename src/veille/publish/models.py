"""The workspace's own accounts on the platforms where veille can post replies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veille.core.models import Workspace
from veille.core.sealing import UnreadableSecret, seal, unseal

DEFAULT_BLUESKY_SERVICE = "https://bsky.social"


class Platform(models.TextChoices):
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")


class PlatformAccount(models.Model):
    """One account per platform and workspace; replies are posted with it.

    Mastodon: `service_url` is the instance (https://mastodon.social) and `secret` an
    access token with the write:statuses scope. Bluesky: `service_url` is the account's
    PDS (https://bsky.social by default), `handle` its handle and `secret` an app password.
    The secret is stored sealed (veille.core.sealing) and never shown back in full.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="platform_accounts"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    service_url = models.URLField(_("instance or server URL"), max_length=500)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    sealed_secret = models.TextField(_("token or app password (sealed)"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform"], name="one_account_per_platform"
            )
        ]
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle or self.service_url}"

    @property
    def secret(self) -> str:
        """The token or app password; UnreadableSecret when the installation's key changed."""
        return unseal(self.sealed_secret)

    @secret.setter
    def secret(self, plain: str) -> None:
        self.sealed_secret = seal(plain)

    @property
    def masked_secret(self) -> str:
        """Enough of the secret to recognise it, never enough to use it."""
        try:
            secret = self.secret
        except UnreadableSecret:
            return _("unreadable: enter it again")
        if len(secret) <= 8:
            return "••••"
        return "••••" + secret[-4:]
