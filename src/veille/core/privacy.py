"""People's rights over what veille holds about them (GDPR articles 15 and 17).

veille stores what people wrote in public, with their handle and name. When one of them
asks, an administrator can give them a copy of everything held (`export_author`), and
erase it (`forget_author`):

- their messages are emptied, not deleted: text, title, links, entities and the external
  id go, the author link goes, and what remains (a date, a platform, a sentiment, a place
  in a thread) counts in the statistics without saying who or what. Deleting the rows
  instead would delete the conversations the team answered and break the threads others
  replied in;
- their author record goes, with the per-author roll-ups; the daily roll-ups of the days
  concerned are counted again;
- people's corrections of those messages go (they would train a model on empty text);
- a digest of the platform and handle is kept in a suppression list, so that the next
  collection does not bring the messages back (pipeline.store drops them).

Messages by other people that quote or name the person are not changed: they belong to
their authors; the export lists them so that the administrator can judge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from veille.core.models import Author, Correction, Event, ForgottenAuthor, Mention

FORGOTTEN_ID = "forgotten:"


class PrivacyError(ValueError):
    """The request names nobody veille knows, or is malformed."""


def author_digest(platform: str, handle: str) -> str:
    """What the suppression list keeps: not the handle, a digest of it."""
    key = f"{platform.strip().casefold()}\n{handle.strip().casefold()}"
    return hashlib.sha256(key.encode()).hexdigest()


def find_authors(handle: str, platform: str | None = None) -> list[Author]:
    """The author records of this handle (on one platform, or on every one)."""
    handle = handle.strip()
    if not handle:
        raise PrivacyError("give the person's handle (as shown in veille, e.g. @alice)")
    authors = Author.objects.filter(handle__iexact=handle)
    if platform:
        authors = authors.filter(platform__iexact=platform.strip())
    found = list(authors.order_by("platform", "pk"))
    if not found:
        where = f" on {platform}" if platform else ""
        raise PrivacyError(f"no author {handle!r}{where} in this installation")
    return found


def _mention_row(mention: Mention) -> dict[str, Any]:
    return {
        "workspace": mention.workspace.name,
        "source": str(mention.source),
        "kind": mention.kind,
        "published": mention.published_at.isoformat(),
        "collected": mention.collected_at.isoformat(),
        "url": mention.url,
        "title": mention.title,
        "text": mention.text,
        "language": mention.language,
        "sentiment": mention.sentiment,
        "intents": list(mention.intents or []),
        "watches": sorted(match.watch.name for match in mention.matches.all()),
    }


def export_author(authors: list[Author]) -> dict[str, Any]:
    """Everything held about these author records, as plain data (article 15)."""
    mentions = (
        Mention.objects.filter(author__in=authors)
        .select_related("workspace", "source")
        .prefetch_related("matches__watch")
        .order_by("published_at", "pk")
    )
    quoting = Q()
    for author in authors:
        quoting |= Q(text__icontains=author.handle)
    naming = Mention.objects.filter(quoting).exclude(author__in=authors).select_related("source")
    return {
        "exported_at": timezone.now().isoformat(),
        "authors": [
            {
                "platform": author.platform,
                "handle": author.handle,
                "display_name": author.display_name,
                "profile_url": author.profile_url,
                "reach": author.reach,
            }
            for author in authors
        ],
        "mentions": [_mention_row(mention) for mention in mentions],
        "cases_opened_by_their_messages": [
            {"case": mention.case.pk, "workspace": mention.workspace.name}
            for mention in mentions
            if hasattr(mention, "case")
        ],
        "messages_by_others_naming_them": [
            {"url": mention.url, "published": mention.published_at.isoformat()}
            for mention in naming.order_by("published_at", "pk")[:1000]
        ],
    }


@dataclass(slots=True)
class Forgotten:
    authors: int
    mentions: int
    corrections: int


def forget_author(authors: list[Author], *, reason: str = "") -> Forgotten:
    """Erase these author records and empty their messages (article 17); see the module."""
    from veille.insights.rollups import refresh_for_mentions

    with transaction.atomic():
        mentions = Mention.objects.filter(author__in=authors)
        ids = list(mentions.values_list("pk", flat=True))
        workspaces = set(mentions.values_list("workspace_id", flat=True))
        corrections, _ = Correction.objects.filter(mention_id__in=ids).delete()
        Mention.objects.filter(pk__in=ids).update(
            # Its own id keeps (source, external id) unique.
            external_id=Concat(Value(FORGOTTEN_ID), Cast("pk", CharField())),
            url="",
            in_reply_to_url="",
            title="",
            text="",
            entities={},
            author=None,
        )
        for author in authors:
            ForgottenAuthor.objects.get_or_create(
                digest=author_digest(author.platform, author.handle)
            )
        count = len(authors)
        Author.objects.filter(pk__in=[author.pk for author in authors]).delete()
        for workspace_id in sorted(workspaces):
            Event.objects.create(
                workspace_id=workspace_id,
                verb="author.forgotten",
                data={"mentions": len(ids), "reason": reason[:200]},
            )
        refresh_for_mentions(ids)
    return Forgotten(count, len(ids), corrections)


def withheld_keys(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (platform, handle) pairs among `keys` that people asked veille to forget."""
    if not keys or not ForgottenAuthor.objects.exists():
        return set()
    by_digest: dict[str, set[tuple[str, str]]] = {}
    for platform, handle in keys:  # "@Alice" and "@alice" are one person
        by_digest.setdefault(author_digest(platform, handle), set()).add((platform, handle))
    found = ForgottenAuthor.objects.filter(digest__in=list(by_digest)).values_list(
        "digest", flat=True
    )
    return {key for digest in found for key in by_digest[digest]}
