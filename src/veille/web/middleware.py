"""Which workspace a request works in, and its time zone for everything shown."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from veille.core.models import Workspace

SESSION_KEY = "veille_workspace_id"


def member_workspaces(user) -> list[Workspace]:
    """The workspaces a user belongs to; superusers too see only their own memberships."""
    if not user.is_authenticated:
        return []
    return list(Workspace.objects.filter(memberships__user=user).order_by("name"))


def choose_workspace(request: HttpRequest, workspaces: list[Workspace]) -> Workspace | None:
    """The workspace kept in the session if still allowed, else the first one."""
    if not workspaces:
        if SESSION_KEY in request.session:
            del request.session[SESSION_KEY]
        return None
    wanted = request.session.get(SESSION_KEY)
    for space in workspaces:
        if space.pk == wanted:
            return space
    request.session[SESSION_KEY] = workspaces[0].pk
    return workspaces[0]


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class WorkspaceMiddleware:
    """Sets request.workspaces, request.workspace and activates the workspace's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        workspaces = member_workspaces(request.user)
        request.workspaces = workspaces
        request.workspace = choose_workspace(request, workspaces)
        zone = _zone(request.workspace.time_zone) if request.workspace else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
