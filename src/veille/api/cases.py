"""Cases of a workspace's inbox: the list in priority order, one case, and actions on it.

Actions go through veille.inbox.workflow, which checks the actor's role and writes the
audit log; this module only translates HTTP to those calls and their errors to 4xx.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from veille.api.access import ACTING_ROLES, readable, writable
from veille.api.schemas import (
    DEFAULT_PAGE,
    MAX_PAGE,
    CaseActionIn,
    CaseDetailOut,
    CasePage,
    ErrorOut,
)
from veille.api.serialize import case_out, event_out, mention_out, with_relations
from veille.core.models import Case, CaseStatus, Mention, Workspace
from veille.inbox import workflow
from veille.inbox.cases import thread_mentions
from veille.inbox.models import Label

router = Router(tags=["cases"])


class CaseFilters(Schema):
    status: str | None = Field(None, description="One status, or several separated by commas.")
    assignee: str | None = Field(None, description='A user id, "me" or "none".')
    label: int | None = Field(None, description="A label id of the workspace.")
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)


def _cases(workspace: Workspace) -> QuerySet[Case]:
    return (
        Case.objects.filter(workspace=workspace)
        .select_related("assignee", "triage")
        .prefetch_related("labels")
    )


def _filtered(request: HttpRequest, workspace: Workspace, filters: CaseFilters) -> QuerySet[Case]:
    cases = _cases(workspace)
    if filters.status:
        statuses = [s.strip() for s in filters.status.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in CaseStatus.values]
        if unknown:
            raise HttpError(422, f"Unknown status {unknown[0]!r}.")
        cases = cases.filter(status__in=statuses)
    if filters.assignee == "me":
        cases = cases.filter(assignee=request.auth)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        if not filters.assignee.isdigit():
            raise HttpError(422, 'assignee is a user id, "me" or "none".')
        cases = cases.filter(assignee_id=int(filters.assignee))
    if filters.label is not None:
        # A label of another workspace matches nothing here, as an unknown one.
        cases = cases.filter(labels__pk=filters.label, labels__workspace=workspace)
    return cases.order_by("-priority", "opened_at", "pk")


def _roots(cases: list[Case]) -> dict[int, Mention]:
    roots = with_relations(Mention.objects.filter(pk__in=[c.thread_root_id for c in cases]))
    return {mention.pk: mention for mention in roots}


@router.get(
    "/workspaces/{workspace_id}/cases", response={200: CasePage, 404: ErrorOut, 422: ErrorOut}
)
def list_cases(
    request: HttpRequest, workspace_id: int, filters: Query[CaseFilters]
) -> dict[str, Any]:
    """Cases, the most urgent first, each with the reasons of its priority."""
    cases = _filtered(request, readable(request, workspace_id), filters)
    count = cases.count()
    end = filters.offset + filters.limit
    page = list(cases[filters.offset : end])
    roots = _roots(page)
    return {
        "items": [case_out(case, roots[case.thread_root_id]) for case in page],
        "limit": filters.limit,
        "offset": filters.offset,
        "count": count,
        "next_offset": end if end < count else None,
    }


def _detail(case: Case) -> dict[str, Any]:
    thread_ids = [mention.pk for mention in thread_mentions(case.thread_root)]
    by_id = {m.pk: m for m in with_relations(Mention.objects.filter(pk__in=thread_ids))}
    thread = [by_id[pk] for pk in thread_ids if pk in by_id]
    events = case.events.select_related("actor").order_by("created_at", "pk")
    return case_out(case, by_id.get(case.thread_root_id)) | {
        "thread": [mention_out(mention) for mention in thread],
        "events": [event_out(event) for event in events],
    }


@router.get(
    "/workspaces/{workspace_id}/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut}
)
def get_case(request: HttpRequest, workspace_id: int, case_id: int) -> dict[str, Any]:
    """A case with its whole thread (oldest first) and its audit log."""
    case = get_object_or_404(_cases(readable(request, workspace_id)), pk=case_id)
    return _detail(case)


def _assignee(request: HttpRequest, wanted: int | str | None) -> Any:
    if wanted == "me":
        return request.auth
    if wanted is None:
        return None
    found = get_user_model().objects.filter(pk=wanted).first()
    if found is None:
        raise HttpError(422, "No such person.")
    return found


@router.post(
    "/workspaces/{workspace_id}/cases/{case_id}/actions",
    response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def act_on_case(
    request: HttpRequest, workspace_id: int, case_id: int, body: CaseActionIn
) -> dict[str, Any]:
    """Assign, change the status, mark replied or add a note (owners, managers, agents)."""
    workspace = writable(request, workspace_id, ACTING_ROLES)
    case = get_object_or_404(_cases(workspace).select_related("workspace"), pk=case_id)
    actor = request.auth
    try:
        if body.action == "assign" and body.assignee == "next":
            workflow.assign_round_robin(case, actor)
        elif body.action == "assign":
            workflow.assign(case, _assignee(request, body.assignee), actor)
        elif body.action == "status":
            workflow.set_status(case, body.status, actor)
        elif body.action == "replied":
            workflow.mark_replied(case, actor, body.reply_url)
        else:
            workflow.add_note(case, actor, body.text)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "Forbidden.") from None
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    case.refresh_from_db()
    return _detail(case)


def _put_label(
    request: HttpRequest, workspace_id: int, case_id: int, label_id: int, *, on: bool
) -> dict[str, Any]:
    workspace = writable(request, workspace_id, ACTING_ROLES)
    case = get_object_or_404(_cases(workspace).select_related("workspace"), pk=case_id)
    # A label of another workspace is not found here, as an unknown one.
    chosen = get_object_or_404(Label, pk=label_id, workspace=workspace)
    try:
        workflow.label(case, chosen, request.auth, on=on)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "Forbidden.") from None
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    case.refresh_from_db()
    return _detail(case)


@router.post(
    "/workspaces/{workspace_id}/cases/{case_id}/labels/{label_id}",
    response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut},
)
def add_label(
    request: HttpRequest, workspace_id: int, case_id: int, label_id: int
) -> dict[str, Any]:
    """Put one of the workspace's labels on the case (owners, managers, agents)."""
    return _put_label(request, workspace_id, case_id, label_id, on=True)


@router.delete(
    "/workspaces/{workspace_id}/cases/{case_id}/labels/{label_id}",
    response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut},
)
def remove_label(
    request: HttpRequest, workspace_id: int, case_id: int, label_id: int
) -> dict[str, Any]:
    """Take a label off the case (owners, managers, agents)."""
    return _put_label(request, workspace_id, case_id, label_id, on=False)
