"""The admin for owners (see veille.web.admin_site).

Rights come from workspace ownership rather than Django's model permissions: a superuser
sees everything; an owner sees and edits only the objects of the workspaces they own.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from veille.collect.base import CollectError
from veille.collect.ssrf import check_url
from veille.core.models import (
    Author,
    Case,
    Event,
    Membership,
    Mention,
    MentionMatch,
    Source,
    Watch,
    Workspace,
)
from veille.web.admin_site import may_use_admin, owned_workspace_ids

WORKSPACE_BOUND = (Mention, Watch, Source, Case)


def _is_superuser(request: HttpRequest) -> bool:
    return may_use_admin(request) and request.user.is_superuser


class OwnedWorkspaceFilter(admin.SimpleListFilter):
    """Filter by workspace, offering only the workspaces the user may see."""

    title = _("workspace")
    parameter_name = "workspace"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        spaces = Workspace.objects.order_by("name")
        if not request.user.is_superuser:
            spaces = spaces.filter(pk__in=owned_workspace_ids(request))
        return [(str(space.pk), space.name) for space in spaces]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            field = "pk" if queryset.model is Workspace else "workspace_id"
            return queryset.filter(**{field: int(value)})
        return queryset


class OwnedAdmin(admin.ModelAdmin):
    """Rights from ownership of the object's workspace.

    can_* say what anyone may do at all; owners_can_* narrow it for non-superusers.
    """

    can_add = True
    can_change = True
    can_delete = True
    owners_can_add = True
    owners_can_change = True
    owners_can_delete = True
    list_per_page = 50

    def workspace_id_of(self, obj: models.Model) -> int | None:
        return obj.workspace_id

    def restrict_to_owned(self, queryset: QuerySet, owned: frozenset[int]) -> QuerySet:
        return queryset.filter(workspace_id__in=owned)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if _is_superuser(request):
            return queryset
        return self.restrict_to_owned(queryset, owned_workspace_ids(request))

    def _may(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not may_use_admin(request):
            return False
        if request.user.is_superuser:
            return True
        owned = owned_workspace_ids(request)
        return obj is None or self.workspace_id_of(obj) in owned

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        allowed = self.can_add and self._may(request)
        return allowed and (self.owners_can_add or request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        allowed = self.can_change and self._may(request, obj)
        return allowed and (self.owners_can_change or request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        allowed = self.can_delete and self._may(request, obj)
        return allowed and (self.owners_can_delete or request.user.is_superuser)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: object
    ) -> forms.Field | None:
        # Owners may only point at their own workspaces and at objects inside them;
        # the restricted queryset also validates ids typed into raw-id widgets.
        if not _is_superuser(request):
            owned = owned_workspace_ids(request)
            related = db_field.related_model
            if related is Workspace:
                kwargs["queryset"] = Workspace.objects.filter(pk__in=owned)
            elif related in WORKSPACE_BOUND:
                kwargs["queryset"] = related.objects.filter(workspace_id__in=owned)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Workspace)
class WorkspaceAdmin(OwnedAdmin):
    list_display = ("name", "time_zone", "default_language", "created_at")
    search_fields = ("name",)
    owners_can_add = False
    owners_can_delete = False

    def workspace_id_of(self, obj: models.Model) -> int | None:
        return obj.pk

    def restrict_to_owned(self, queryset: QuerySet, owned: frozenset[int]) -> QuerySet:
        return queryset.filter(pk__in=owned)


@admin.register(Membership)
class MembershipAdmin(OwnedAdmin):
    list_display = ("user", "workspace", "role")
    list_filter = ("role", OwnedWorkspaceFilter)
    list_select_related = ("user", "workspace")
    search_fields = ("user__username", "workspace__name")
    raw_id_fields = ("user",)


@admin.register(Watch)
class WatchAdmin(OwnedAdmin):
    list_display = ("name", "workspace", "kind", "active", "created_at")
    list_filter = ("kind", "active", OwnedWorkspaceFilter)
    list_select_related = ("workspace",)
    search_fields = ("name", "query")


class SourceAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=2000, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = ("workspace", "kind", "name", "url", "params", "media_category", "interval")

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if url:
            try:
                check_url(url)
            except CollectError as error:
                raise forms.ValidationError(str(error)) from None
        return url


@admin.register(Source)
class SourceAdmin(OwnedAdmin):
    form = SourceAdminForm
    list_display = (
        "__str__",
        "workspace",
        "kind",
        "media_category",
        "active",
        "last_success_at",
        "consecutive_failures",
    )
    list_filter = ("kind", "media_category", "active", OwnedWorkspaceFilter)
    list_select_related = ("workspace",)
    search_fields = ("name", "url")
    readonly_fields = (
        "cursor",
        "last_run_at",
        "last_success_at",
        "last_error",
        "consecutive_failures",
        "created_at",
    )


@admin.register(Author)
class AuthorAdmin(OwnedAdmin):
    """Authors are shared by all workspaces: owners see those heard in theirs, read-only."""

    list_display = ("__str__", "handle", "platform", "reach")
    search_fields = ("handle", "display_name")
    owners_can_add = False
    owners_can_change = False
    owners_can_delete = False

    def restrict_to_owned(self, queryset: QuerySet, owned: frozenset[int]) -> QuerySet:
        heard = Mention.objects.filter(author=OuterRef("pk"), workspace_id__in=owned)
        return queryset.filter(Exists(heard))

    def _may(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not may_use_admin(request):
            return False
        if request.user.is_superuser or obj is None:
            return True
        return self.restrict_to_owned(
            Author.objects.filter(pk=obj.pk), owned_workspace_ids(request)
        ).exists()


class MentionMatchInline(admin.TabularInline):
    model = MentionMatch
    fields = ("watch", "terms")
    readonly_fields = ("watch", "terms")
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return may_use_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Mention)
class MentionAdmin(OwnedAdmin):
    """Mentions come from collection: only their classification can be corrected here."""

    can_add = False
    list_display = (
        "published_at",
        "__str__",
        "workspace",
        "source",
        "author",
        "kind",
        "language",
        "sentiment",
        "media_category",
    )
    list_filter = ("sentiment", "kind", "media_category", OwnedWorkspaceFilter)
    list_select_related = ("workspace", "source", "author")
    search_fields = ("title", "text", "external_id", "url")
    show_full_result_count = False
    raw_id_fields = ("source", "author", "parent", "thread_root", "duplicate_of")
    readonly_fields = (
        "workspace",
        "source",
        "external_id",
        "url",
        "parent",
        "thread_root",
        "in_reply_to_url",
        "author",
        "published_at",
        "collected_at",
        "title",
        "text",
        "sentiment_score",
        "intents",
        "duplicate_of",
    )
    inlines = (MentionMatchInline,)


@admin.register(Case)
class CaseAdmin(OwnedAdmin):
    list_display = ("__str__", "workspace", "status", "priority", "assignee", "opened_at", "due_at")
    list_filter = ("status", OwnedWorkspaceFilter)
    list_select_related = ("workspace", "assignee")
    raw_id_fields = ("thread_root", "assignee")


@admin.register(Event)
class EventAdmin(OwnedAdmin):
    """The audit log is append-only: nobody adds, changes or deletes it here."""

    can_add = False
    can_change = False
    can_delete = False
    list_display = ("created_at", "workspace", "actor", "verb", "case", "mention")
    list_filter = (OwnedWorkspaceFilter,)
    list_select_related = ("workspace", "actor", "case", "mention")
    search_fields = ("verb",)
    raw_id_fields = ("actor", "case", "mention")
    readonly_fields = ("workspace", "actor", "verb", "case", "mention", "data", "created_at")
