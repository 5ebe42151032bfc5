"""Small builders for test data, shared by the test modules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veille.collect.base import RawMention
from veille.core.models import Source, Workspace

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def workspace(name: str = "Brûlerie Azur") -> Workspace:
    return Workspace.objects.create(name=name)


def feed_source(space: Workspace, url: str = "https://blog.example/feed", **extra) -> Source:
    return Source.objects.create(workspace=space, kind="feed", url=url, **extra)


def raw(number: int, text: str = "", **extra) -> RawMention:
    """The number-th mention of a made-up feed, an hour after the previous one."""
    values = {
        "external_id": f"https://blog.example/{number}",
        "url": f"https://blog.example/{number}",
        "published_at": START + timedelta(hours=number),
        "text": text or f"Message numéro {number}",
        "platform": "blog.example",
        "author_handle": f"auteur{number}",
        "author_name": f"Auteur {number}",
    }
    values.update(extra)
    return RawMention(**values)
