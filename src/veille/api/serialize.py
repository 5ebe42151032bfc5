"""Model instances to the plain dicts the response schemas describe."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from veille.core.models import Case, Event, Mention, MentionMatch


def with_relations(mentions: QuerySet[Mention]) -> QuerySet[Mention]:
    """Load what mention_out() reads in a fixed number of queries."""
    return mentions.select_related("author").prefetch_related(
        Prefetch("matches", queryset=MentionMatch.objects.select_related("watch"))
    )


def person_out(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username()}


def mention_out(mention: Mention) -> dict[str, Any]:
    author = mention.author
    return {
        "id": mention.pk,
        "url": mention.url,
        "kind": mention.kind,
        "published_at": mention.published_at,
        "author": None
        if author is None
        else {
            "platform": author.platform,
            "handle": author.handle,
            "display_name": author.display_name,
            "profile_url": author.profile_url,
            "reach": author.reach,
        },
        "title": mention.title,
        "text": mention.text,
        "language": mention.language,
        "sentiment": mention.sentiment,
        "sentiment_score": mention.sentiment_score,
        "intents": list(mention.intents or []),
        "media_category": mention.media_category,
        "watches": [
            {"id": match.watch_id, "name": match.watch.name, "terms": list(match.terms)}
            for match in mention.matches.all()
        ],
    }


def event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "verb": event.verb,
        "actor": person_out(event.actor),
        "created_at": event.created_at,
        "data": event.data,
    }


def reasons_of(case: Case) -> list[str]:
    """The triage's reasons for the case's priority, when the inbox has scored it."""
    triage = getattr(case, "triage", None)
    return list(triage.reasons) if triage is not None else []


def labels_of(case: Case) -> list[str]:
    """The names of the case's labels, sorted; prefetch "labels" to read them in one query."""
    return sorted(
        (label.name for label in case.labels.all()), key=lambda name: (name.casefold(), name)
    )


def case_out(case: Case, root: Mention | None = None) -> dict[str, Any]:
    return {
        "id": case.pk,
        "status": case.status,
        "priority": case.priority,
        "assignee": person_out(case.assignee),
        "opened_at": case.opened_at,
        "first_response_at": case.first_response_at,
        "due_at": case.due_at,
        "reasons": reasons_of(case),
        "labels": labels_of(case),
        "root": mention_out(root or case.thread_root),
    }
