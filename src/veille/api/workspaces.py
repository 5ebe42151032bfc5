"""GET /api/workspaces: the caller's workspaces, each with the caller's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from veille.api.schemas import WorkspaceOut
from veille.core.models import Membership

router = Router(tags=["workspaces"])


@router.get("/workspaces", response=list[WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    memberships = (
        Membership.objects.filter(user=request.auth)
        .select_related("workspace")
        .order_by("workspace__name")
    )
    return [
        {
            "id": m.workspace.pk,
            "name": m.workspace.name,
            "time_zone": m.workspace.time_zone,
            "default_language": m.workspace.default_language,
            "role": m.role,
        }
        for m in memberships
    ]
