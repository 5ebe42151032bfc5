"""Who may see and change what through the API.

A workspace the caller is not a member of answers 404, as if it did not exist; a member
whose role does not allow a change gets 403.
"""

from __future__ import annotations

from collections.abc import Collection

from django.http import HttpRequest
from ninja.errors import HttpError

from veille.core.models import Membership, Role, Workspace

# Who may act on cases and correct mentions (as in veille.inbox.workflow).
ACTING_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.AGENT})
# Who may define what the workspace listens for.
WATCH_EDITORS = frozenset({Role.OWNER, Role.MANAGER})


def membership(request: HttpRequest, workspace_id: int) -> Membership:
    """The caller's membership of the workspace; 404 for a workspace that is not theirs."""
    found = (
        Membership.objects.select_related("workspace")
        .filter(user=request.auth, workspace_id=workspace_id)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not found.")
    return found


def readable(request: HttpRequest, workspace_id: int) -> Workspace:
    return membership(request, workspace_id).workspace


def writable(request: HttpRequest, workspace_id: int, roles: Collection[str]) -> Workspace:
    """The workspace, when the caller's role may make this change; 403 otherwise."""
    found = membership(request, workspace_id)
    if found.role not in roles:
        raise HttpError(403, f"The {found.role} role cannot make this change.")
    return found.workspace
