"""Which connector collects which kind of source."""

from __future__ import annotations

from collections.abc import Callable

from veille.collect.base import Batch, CollectError
from veille.collect.bluesky import collect_bluesky
from veille.collect.feeds import collect_feed
from veille.collect.hackernews import collect_hackernews
from veille.collect.imports import collect_import
from veille.collect.mastodon import collect_mastodon
from veille.collect.pages import collect_page
from veille.collect.reddit import collect_reddit
from veille.core.models import Source

Connector = Callable[[Source], Batch]


def _feed(source: Source) -> Batch:
    return collect_feed(source.url, source.cursor)


CONNECTORS: dict[str, Connector] = {
    "feed": _feed,
    "page": collect_page,
    "mastodon": collect_mastodon,
    "bluesky": collect_bluesky,
    "reddit": collect_reddit,
    "hackernews": collect_hackernews,
    "import": collect_import,
}


def collect(source: Source) -> Batch:
    """The collect stage for one source."""
    try:
        connector = CONNECTORS[source.kind]
    except KeyError:
        raise CollectError(f"source {source.pk}: no connector for kind {source.kind!r}") from None
    return connector(source)
