"""Mentions of a workspace: filtered, paged, newest first; and people's corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from veille.api.access import ACTING_ROLES, readable, writable
from veille.api.schemas import (
    DEFAULT_PAGE,
    MAX_PAGE,
    CorrectionIn,
    ErrorOut,
    MentionOut,
    MentionPage,
    QueryErrorOut,
)
from veille.api.serialize import mention_out, with_relations
from veille.api.watch_queries import QueryError, parsed_query
from veille.core.models import Event, Mention, Workspace
from veille.enrich.corrections import CorrectionError, correct
from veille.web.search import search

router = Router(tags=["mentions"])


class MentionFilters(Schema):
    watch: int | None = Field(None, description="Only mentions this watch matched.")
    since: datetime | None = Field(None, description="Published at or after (ISO 8601).")
    until: datetime | None = Field(None, description="Published before (ISO 8601).")
    language: str | None = None
    sentiment: str | None = None
    kind: str | None = None
    q: str | None = Field(None, description="A query in the watch query language.")
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)


def filtered(workspace: Workspace, filters: MentionFilters) -> QuerySet[Mention]:
    mentions = Mention.objects.filter(workspace=workspace)
    if filters.watch is not None:
        mentions = mentions.filter(matches__watch_id=filters.watch)
    if filters.since is not None:
        mentions = mentions.filter(published_at__gte=filters.since)
    if filters.until is not None:
        mentions = mentions.filter(published_at__lt=filters.until)
    for name in ("language", "sentiment", "kind"):
        value = getattr(filters, name)
        if value:
            mentions = mentions.filter(**{name: value})
    return mentions.order_by("-published_at", "-id")


def _page(mentions: QuerySet[Mention], ids: list[int]) -> list[dict[str, Any]]:
    by_id = {m.pk: m for m in with_relations(mentions.filter(pk__in=ids))}
    return [mention_out(by_id[pk]) for pk in ids if pk in by_id]


@router.get(
    "/workspaces/{workspace_id}/mentions",
    response={200: MentionPage, 404: ErrorOut, 422: QueryErrorOut},
)
def list_mentions(
    request: HttpRequest, workspace_id: int, filters: Query[MentionFilters]
) -> dict[str, Any] | Status:
    workspace = readable(request, workspace_id)
    mentions = filtered(workspace, filters)
    start, end = filters.offset, filters.offset + filters.limit
    page = {"limit": filters.limit, "offset": filters.offset}
    if filters.q:
        try:
            query = parsed_query(filters.q, field="q")
        except QueryError as error:
            return Status(422, error.body)
        # One more than the page tells whether a next page exists.
        found = search(mentions, query, limit=end + 1)
        ids = found.ids[start:end]
        more = len(found.ids) > end
        return page | {
            "items": _page(mentions, ids),
            "count": None,
            "next_offset": end if more else None,
            "capped": found.capped,
        }
    count = mentions.count()
    ids = list(mentions.values_list("pk", flat=True)[start:end])
    return page | {
        "items": _page(mentions, ids),
        "count": count,
        "next_offset": end if end < count else None,
    }


@router.post(
    "/workspaces/{workspace_id}/mentions/{mention_id}/correction",
    response={200: MentionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def correct_mention(
    request: HttpRequest, workspace_id: int, mention_id: int, body: CorrectionIn
) -> dict[str, Any]:
    """Correct a mention's sentiment and/or intents (owners, managers, agents)."""
    workspace = writable(request, workspace_id, ACTING_ROLES)
    mention = get_object_or_404(Mention, pk=mention_id, workspace=workspace)
    if body.sentiment is None and body.intents is None:
        raise HttpError(422, "Give a sentiment, intents or both.")
    with transaction.atomic():
        try:
            correct(mention, sentiment=body.sentiment, intents=body.intents, author=request.auth)
        except CorrectionError as error:
            raise HttpError(422, str(error)) from None
        changes: dict[str, Any] = {}
        if body.sentiment is not None:
            changes["sentiment"] = body.sentiment
        if body.intents is not None:
            changes["intents"] = sorted(set(body.intents))
        Event.objects.create(
            workspace=workspace,
            actor=request.auth,
            verb="mention.corrected",
            mention=mention,
            data=changes,
        )
    return mention_out(with_relations(Mention.objects.filter(pk=mention.pk)).get())
