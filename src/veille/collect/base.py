"""What every connector yields: a batch of RawMention, plus the source's new cursor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class CollectError(Exception):
    """A source could not be collected; the message says what went wrong and where."""


@dataclass(slots=True)
class RawMention:
    """A mention as a connector saw it, before it is enriched, matched and stored."""

    external_id: str
    url: str
    published_at: datetime
    text: str
    title: str = ""
    kind: str = "post"  # post / comment / reply / trackback / share
    platform: str = ""
    author_handle: str = ""
    author_name: str = ""
    author_url: str = ""
    in_reply_to_url: str = ""
    # Filled by the enrich stage.
    language: str = ""
    media_category: str = ""
    # Filled by the match stage: watch id -> the terms that matched.
    matches: dict[int, list[str]] = field(default_factory=dict)
    # Filled by the enrich stage (sentiment, intents, entities, near-duplicates).
    sentiment: str = ""
    sentiment_score: float | None = None
    sentiment_confidence: float | None = None
    intents: list[str] = field(default_factory=list)
    entities: dict[str, list[str]] = field(default_factory=dict)
    # The external id of the earliest near-identical mention of the batch, if any.
    duplicate_of: str = ""


@dataclass(slots=True)
class Batch:
    """One connector run: the mentions found and the cursor to keep if they are stored."""

    mentions: list[RawMention]
    cursor: dict[str, Any]
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)
