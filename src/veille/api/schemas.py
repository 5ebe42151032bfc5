"""What the API reads and writes: request bodies and response shapes (in the OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

MAX_PAGE = 200
DEFAULT_PAGE = 50


class ErrorOut(Schema):
    detail: str


class QueryErrorOut(Schema):
    """A watch's query that cannot be read: where (1-based column) and what to do."""

    detail: str
    field: str = "query"
    column: int
    hint: str = ""
    query: str


class WorkspaceOut(Schema):
    id: int
    name: str
    time_zone: str
    default_language: str
    role: str


class AuthorOut(Schema):
    platform: str
    handle: str
    display_name: str
    profile_url: str
    reach: int | None


class WatchMatchOut(Schema):
    id: int
    name: str
    terms: list[str]


class MentionOut(Schema):
    id: int
    url: str
    kind: str
    published_at: datetime
    author: AuthorOut | None
    title: str
    text: str
    language: str
    sentiment: str
    sentiment_score: float | None
    intents: list[str]
    media_category: str
    watches: list[WatchMatchOut]


class MentionPage(Schema):
    items: list[MentionOut]
    limit: int
    offset: int
    count: int | None = Field(None, description="All matches; null when `q` is used.")
    next_offset: int | None = Field(None, description="Offset of the next page, if any.")
    capped: bool = Field(False, description="`q` read only the newest candidates.")


class CorrectionIn(Schema):
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    intents: list[str] | None = None


class WatchOut(Schema):
    id: int
    name: str
    query: str
    kind: str
    languages: list[str]
    active: bool
    created_at: datetime


class WatchIn(Schema):
    name: str
    query: str
    kind: str = "brand"
    languages: list[str] = Field(default_factory=list)
    active: bool = True


class WatchPatch(Schema):
    name: str | None = None
    query: str | None = None
    kind: str | None = None
    languages: list[str] | None = None
    active: bool | None = None


class PersonOut(Schema):
    id: int
    username: str


class EventOut(Schema):
    id: int
    verb: str
    actor: PersonOut | None
    created_at: datetime
    data: dict[str, Any]


class CaseOut(Schema):
    id: int
    status: str
    priority: float
    assignee: PersonOut | None
    opened_at: datetime
    first_response_at: datetime | None
    due_at: datetime | None
    reasons: list[str]
    labels: list[str] = Field(
        description="Names of the case's labels, in alphabetical order ignoring case."
    )
    root: MentionOut


class CasePage(Schema):
    items: list[CaseOut]
    limit: int
    offset: int
    count: int
    next_offset: int | None = None


class CaseDetailOut(CaseOut):
    thread: list[MentionOut]
    events: list[EventOut]


class CaseActionIn(Schema):
    """One action on a case.

    - `assign`: `assignee` is a user id, "me", "next" (round-robin among agents) or null
    - `status`: `status` is one of new, open, pending, replied, ignored, escalated, closed
    - `replied`: the team answered; `reply_url` optionally says where
    - `note`: `text` is a note for the team
    """

    action: Literal["assign", "status", "replied", "note"]
    assignee: int | Literal["me", "next"] | None = None
    status: str = ""
    reply_url: str = ""
    text: str = ""
