"""Watches of a workspace: list, create, change. Owners and managers write; all read.

Every change is written to the audit log as "watch.created" or "watch.updated".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError

from veille.api.access import WATCH_EDITORS, readable, writable
from veille.api.schemas import ErrorOut, QueryErrorOut, WatchIn, WatchOut, WatchPatch
from veille.api.watch_queries import QueryError, parsed_query
from veille.core import services
from veille.core.models import Event, Watch, WatchKind, Workspace

router = Router(tags=["watches"])


def _log(workspace: Workspace, actor: Any, verb: str, watch: Watch, **data: Any) -> None:
    Event.objects.create(
        workspace=workspace,
        actor=actor,
        verb=verb,
        data={"watch": watch.pk, "name": watch.name, **data},
    )


def _checked_changes(watch: Watch, patch: WatchPatch) -> dict[str, Any]:
    """The fields that change, validated as `veille watch add` validates them."""
    wanted = patch.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    if wanted.get("name") is not None:
        name = wanted["name"].strip()
        if not name:
            raise HttpError(422, "The watch name is empty.")
        siblings = Watch.objects.filter(workspace_id=watch.workspace_id).exclude(pk=watch.pk)
        if siblings.filter(name=name).exists():
            raise HttpError(422, f"This workspace already has a watch named {name!r}.")
        changes["name"] = name
    if wanted.get("query") is not None:
        parsed_query(wanted["query"])
        changes["query"] = wanted["query"].strip()
    if wanted.get("kind") is not None:
        if wanted["kind"] not in WatchKind.values:
            raise HttpError(422, f"Unknown watch kind {wanted['kind']!r}.")
        changes["kind"] = wanted["kind"]
    if wanted.get("languages") is not None:
        unknown = sorted(set(wanted["languages"]) - services.LANGUAGE_CODES)
        if unknown:
            raise HttpError(422, f"Unknown language {unknown[0]!r}.")
        changes["languages"] = list(wanted["languages"])
    if wanted.get("active") is not None:
        changes["active"] = wanted["active"]
    return {k: v for k, v in changes.items() if getattr(watch, k) != v}


@router.get("/workspaces/{workspace_id}/watches", response={200: list[WatchOut], 404: ErrorOut})
def list_watches(request: HttpRequest, workspace_id: int) -> list[Watch]:
    return list(readable(request, workspace_id).watches.order_by("name"))


@router.post(
    "/workspaces/{workspace_id}/watches",
    response={201: WatchOut, 403: ErrorOut, 404: ErrorOut, 422: QueryErrorOut | ErrorOut},
)
def create_watch(request: HttpRequest, workspace_id: int, body: WatchIn) -> Status:
    workspace = writable(request, workspace_id, WATCH_EDITORS)
    try:
        parsed_query(body.query)
    except QueryError as error:
        return Status(422, error.body)
    with transaction.atomic():
        try:
            watch = services.add_watch(
                workspace,
                name=body.name,
                query=body.query,
                kind=body.kind,
                languages=body.languages,
            )
        except services.VeilleError as error:
            return Status(422, {"detail": str(error)})
        if not body.active:
            watch.active = False
            watch.save(update_fields=["active"])
        _log(workspace, request.auth, "watch.created", watch, query=watch.query)
    return Status(201, watch)


@router.patch(
    "/workspaces/{workspace_id}/watches/{watch_id}",
    response={200: WatchOut, 403: ErrorOut, 404: ErrorOut, 422: QueryErrorOut | ErrorOut},
)
def update_watch(
    request: HttpRequest, workspace_id: int, watch_id: int, body: WatchPatch
) -> Watch | Status:
    workspace = writable(request, workspace_id, WATCH_EDITORS)
    with transaction.atomic():
        watch = get_object_or_404(
            Watch.objects.select_for_update(), pk=watch_id, workspace=workspace
        )
        try:
            changes = _checked_changes(watch, body)
        except QueryError as error:
            return Status(422, error.body)
        if changes:
            before = {name: getattr(watch, name) for name in changes}
            for name, value in changes.items():
                setattr(watch, name, value)
            watch.save(update_fields=list(changes))
            _log(
                workspace,
                request.auth,
                "watch.updated",
                watch,
                changes={name: [before[name], value] for name, value in changes.items()},
            )
    return watch
