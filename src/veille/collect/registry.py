"""Which connector collects which kind of source."""

from __future__ import annotations

from collections.abc import Callable

from veille.collect.base import Batch, CollectError
from veille.collect.feeds import collect_feed
from veille.core.models import Source

Connector = Callable[[Source], Batch]


def _feed(source: Source) -> Batch:
    return collect_feed(source.url, source.cursor)


CONNECTORS: dict[str, Connector] = {"feed": _feed}


def collect(source: Source) -> Batch:
    """The collect stage for one source."""
    try:
        connector = CONNECTORS[source.kind]
    except KeyError:
        raise CollectError(f"source {source.pk}: no connector for kind {source.kind!r}") from None
    return connector(source)
