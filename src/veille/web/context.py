"""Template context for the header: the user's workspaces and the current one."""

from __future__ import annotations

from django.http import HttpRequest


def workspaces(request: HttpRequest) -> dict[str, object]:
    return {
        "user_workspaces": getattr(request, "workspaces", []),
        "current_workspace": getattr(request, "workspace", None),
    }
