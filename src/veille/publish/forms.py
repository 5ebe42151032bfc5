"""The form that sets a workspace's account on a platform."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veille.collect.ssrf import UnsafeURLError, split_url
from veille.publish.models import DEFAULT_BLUESKY_SERVICE, Platform, PlatformAccount


class AccountForm(forms.Form):
    platform = forms.ChoiceField(label=gettext_lazy("platform"), choices=Platform.choices)
    service_url = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("instance or server URL"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Mastodon: your instance (https://mastodon.social). Bluesky: your server,"
            " https://bsky.social when left empty."
        ),
    )
    handle = forms.CharField(
        label=gettext_lazy("handle"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Bluesky: the account's handle (brand.bsky.social)."),
    )
    secret = forms.CharField(
        label=gettext_lazy("token or app password"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Mastodon: an access token with the write:statuses and read:search scopes."
            " Bluesky: an app password. Leave empty to keep the one saved."
        ),
    )

    def __init__(self, *args: object, workspace_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace_id = workspace_id

    def clean(self) -> dict:
        cleaned = super().clean()
        platform = cleaned.get("platform")
        url = (cleaned.get("service_url") or "").strip()
        if platform == Platform.BLUESKY and not url:
            url = DEFAULT_BLUESKY_SERVICE
        if platform == Platform.MASTODON and not url:
            self.add_error("service_url", _("Give the Mastodon instance's address."))
        elif url:
            try:
                split_url(url)
            except UnsafeURLError as error:
                self.add_error("service_url", str(error))
        cleaned["service_url"] = url.rstrip("/")
        if platform == Platform.BLUESKY and not (cleaned.get("handle") or "").strip():
            self.add_error("handle", _("Give the Bluesky account's handle."))
        existing = PlatformAccount.objects.filter(
            workspace_id=self.workspace_id, platform=platform
        ).exists()
        if not cleaned.get("secret") and not existing:
            self.add_error("secret", _("Give the token or app password."))
        return cleaned
