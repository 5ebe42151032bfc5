"""The Django admin is for owners: superusers, or users who own at least one workspace.

Owners need neither is_staff nor model permissions: the ModelAdmins in veille.core.admin
grant rights from workspace ownership, and show only the objects of owned workspaces.
"""

from __future__ import annotations

import types

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from veille.core.models import Membership, Role

_CACHE_ATTRIBUTE = "_veille_owned_workspace_ids"


def owned_workspace_ids(request: HttpRequest) -> frozenset[int]:
    """Ids of the workspaces the request's user owns, looked up once per request."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    user = request.user
    ids: frozenset[int] = frozenset()
    if user.is_authenticated and user.is_active:
        ids = frozenset(
            Membership.objects.filter(user=user, role=Role.OWNER).values_list(
                "workspace_id", flat=True
            )
        )
    setattr(request, _CACHE_ATTRIBUTE, ids)
    return ids


def may_use_admin(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(owned_workspace_ids(request))


class OwnerAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, letting in owners who are not staff."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the user name and password of a workspace owner. "
            "Both fields may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if user.is_superuser or Membership.objects.filter(user=user, role=Role.OWNER).exists():
            return
        raise forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"username": self.username_field.verbose_name},
        )


def _has_permission(self: AdminSite, request: HttpRequest) -> bool:
    return may_use_admin(request)


def restrict_admin_to_owners(site: AdminSite) -> None:
    site.has_permission = types.MethodType(_has_permission, site)
    site.login_form = OwnerAuthenticationForm
    site.site_header = _("veille administration")
    site.site_title = _("veille administration")
    site.index_title = _("Administration")
