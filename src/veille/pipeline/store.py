"""The store stage: an idempotent write of a batch, with authors, matches and threads.

(source, external id) is unique: storing the same batch twice adds nothing. The batch and
the source's new cursor are written in one transaction, so a crash loses nothing that a
re-run cannot bring back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from veille.collect.base import RawMention
from veille.core.models import Author, Mention, MentionMatch, Source
from veille.core.privacy import withheld_keys
from veille.insights.rollups import refresh_for_mentions

_MAX_THREAD_DEPTH = 100


@dataclass(slots=True)
class StoreResult:
    created: int
    already_stored: int
    mention_ids: list[int] = field(default_factory=list)  # of the mentions created


def _author_key(mention: RawMention) -> tuple[str, str]:
    """(platform, handle) as the author is stored; the handle is "" when unknown."""
    handle = (mention.author_handle or mention.author_name).strip()[:200]
    return (mention.platform[:100], handle) if handle else ("", "")


def _authors(mentions: list[RawMention]) -> dict[tuple[str, str], Author]:
    wanted: dict[tuple[str, str], RawMention] = {}
    for mention in mentions:
        key = _author_key(mention)
        if key[1]:
            wanted.setdefault(key, mention)
    if not wanted:
        return {}
    condition = Q()
    for platform, handle in wanted:
        condition |= Q(platform=platform, handle=handle)
    Author.objects.bulk_create(
        [
            Author(
                platform=platform,
                handle=handle,
                display_name=raw.author_name[:200],
                profile_url=raw.author_url[:2000],
            )
            for (platform, handle), raw in wanted.items()
        ],
        ignore_conflicts=True,
    )
    return {(a.platform, a.handle): a for a in Author.objects.filter(condition)}


def _link_duplicates(source: Source, fresh: dict[str, RawMention], ids: dict[str, int]) -> None:
    """duplicate_of, found by the enrich stage within the batch, as a link between rows.

    The original may be stored already (an earlier run of this source): look it up too.
    """
    wanted = {raw.duplicate_of[:500] for raw in fresh.values() if raw.duplicate_of}
    if not wanted:
        return
    known = dict(ids) | dict(
        Mention.objects.filter(source=source, external_id__in=wanted - set(ids)).values_list(
            "external_id", "pk"
        )
    )
    linked = []
    for key, raw in fresh.items():
        original = known.get(raw.duplicate_of[:500])
        if key in ids and original is not None and original != ids[key]:
            linked.append(Mention(pk=ids[key], duplicate_of_id=original))
    Mention.objects.bulk_update(linked, ["duplicate_of"])


def _link_threads(source: Source, mention_ids: list[int]) -> None:
    """Attach replies to their parents, in this batch and left waiting from earlier ones."""
    workspace = source.workspace_id
    new = list(Mention.objects.filter(pk__in=mention_ids).only("pk", "url", "in_reply_to_url"))
    new_urls = {m.url for m in new if m.url}
    waiting = Mention.objects.filter(workspace_id=workspace, parent__isnull=True).exclude(
        in_reply_to_url=""
    )
    children = list(
        waiting.filter(Q(pk__in=mention_ids) | Q(in_reply_to_url__in=new_urls)).only(
            "pk", "in_reply_to_url"
        )
    )
    parent_urls = {child.in_reply_to_url for child in children}
    parents = {
        m.url: m.pk
        for m in Mention.objects.filter(workspace_id=workspace, url__in=parent_urls).only(
            "pk", "url"
        )
    }
    linked = []
    for child in children:
        parent_id = parents.get(child.in_reply_to_url)
        if parent_id is not None and parent_id != child.pk:
            child.parent_id = parent_id
            linked.append(child)
    Mention.objects.bulk_update(linked, ["parent"])
    _update_thread_roots({m.pk for m in new} | {m.pk for m in linked})


def _update_thread_roots(changed: set[int]) -> None:
    """Every changed mention, and everything below it, points at its thread's first post."""
    while changed:
        roots = _roots_of(changed)
        updates = [
            mention
            for mention in Mention.objects.filter(pk__in=changed).only("pk", "thread_root_id")
            if mention.thread_root_id != roots[mention.pk]
        ]
        for mention in updates:
            mention.thread_root_id = roots[mention.pk]
        Mention.objects.bulk_update(updates, ["thread_root"])
        changed = set(
            Mention.objects.filter(parent_id__in=[m.pk for m in updates]).values_list(
                "pk", flat=True
            )
        )


def _roots_of(mention_ids: set[int]) -> dict[int, int]:
    """The top of each mention's parent chain, loading the chain one level per query."""
    parent_of: dict[int, int | None] = {}
    frontier = set(mention_ids)
    for _ in range(_MAX_THREAD_DEPTH):
        if not frontier:
            break
        parent_of.update(Mention.objects.filter(pk__in=frontier).values_list("pk", "parent_id"))
        frontier = {p for p in parent_of.values() if p is not None and p not in parent_of}
    roots = {}
    for mention_id in mention_ids:
        current, seen = mention_id, {mention_id}
        while (parent := parent_of.get(current)) is not None and parent not in seen:
            seen.add(parent)
            current = parent
        roots[mention_id] = current
    return roots


def store(source: Source, mentions: list[RawMention], cursor: dict[str, Any]) -> StoreResult:
    """Store a batch for a source, skipping what is already there, and keep the cursor."""
    unique: dict[str, RawMention] = {}
    for mention in mentions:
        unique.setdefault(mention.external_id[:500], mention)
    with transaction.atomic():
        known = set(
            Mention.objects.filter(source=source, external_id__in=list(unique)).values_list(
                "external_id", flat=True
            )
        )
        fresh = {key: raw for key, raw in unique.items() if key not in known}
        # People who asked to be forgotten are not collected again (core.privacy).
        withheld = withheld_keys({_author_key(raw) for raw in fresh.values()} - {("", "")})
        if withheld:
            fresh = {key: raw for key, raw in fresh.items() if _author_key(raw) not in withheld}
        authors = _authors(list(fresh.values()))
        now = timezone.now()
        Mention.objects.bulk_create(
            [
                Mention(
                    workspace_id=source.workspace_id,
                    source=source,
                    external_id=key,
                    url=raw.url[:2000],
                    kind=raw.kind,
                    in_reply_to_url=raw.in_reply_to_url[:2000],
                    author=authors.get(_author_key(raw)),
                    published_at=raw.published_at,
                    collected_at=now,
                    title=raw.title,
                    text=raw.text,
                    language=raw.language,
                    sentiment=raw.sentiment,
                    sentiment_score=raw.sentiment_score,
                    sentiment_confidence=raw.sentiment_confidence,
                    intents=raw.intents,
                    entities=raw.entities,
                    media_category=raw.media_category or source.media_category,
                )
                for key, raw in fresh.items()
            ],
            ignore_conflicts=True,
        )
        ids = dict(
            Mention.objects.filter(source=source, external_id__in=list(fresh)).values_list(
                "external_id", "pk"
            )
        )
        MentionMatch.objects.bulk_create(
            [
                MentionMatch(mention_id=ids[key], watch_id=watch_id, terms=terms)
                for key, raw in fresh.items()
                if key in ids
                for watch_id, terms in raw.matches.items()
            ],
            ignore_conflicts=True,
        )
        _link_duplicates(source, fresh, ids)
        _link_threads(source, list(ids.values()))
        refresh_for_mentions(list(ids.values()))  # the dashboard's daily roll-ups
        source.cursor = cursor
        source.save(update_fields=["cursor"])
    return StoreResult(created=len(ids), already_stored=len(known), mention_ids=list(ids.values()))
