"""The match stage: which of the workspace's active watches each mention speaks of."""

from __future__ import annotations

import logging

from veille.collect.base import RawMention
from veille.core.models import Watch, Workspace
from veille.enrich.language import UNDETERMINED
from veille.query import Document, Match, QueryIndex, QuerySyntaxError, parse

logger = logging.getLogger(__name__)


def mention_document(mention: RawMention) -> Document:
    """The fields of a mention that queries search (title:, author:, site:, lang:…)."""
    return Document(
        text=mention.text,
        title=mention.title,
        author=mention.author_handle,
        author_name=mention.author_name,
        url=mention.url,
        lang=mention.language,
        platform=mention.platform,
        kind=mention.kind,
    )


class WatchMatcher:
    """The active watches of a workspace, parsed and indexed once per batch.

    A stored query that no longer parses (written before the query language) is skipped
    with a warning in the log rather than stopping the collection.
    """

    def __init__(self, watches: list[Watch]) -> None:
        queries = {}
        for watch in watches:
            try:
                queries[watch.pk] = parse(watch.query)
            except QuerySyntaxError as error:
                logger.warning("watch %s (%r) is skipped: %s", watch.pk, watch.name, error)
        self._index = QueryIndex(queries)
        self._languages = {watch.pk: set(watch.languages) for watch in watches}

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> WatchMatcher:
        return cls(list(workspace.watches.filter(active=True)))

    def _speaks(self, watch_id: int, language: str) -> bool:
        wanted = self._languages[watch_id]
        return not wanted or language in wanted or language in ("", UNDETERMINED)

    def match_one(self, mention: RawMention) -> dict[int, Match]:
        """The watches a mention matches, with the terms found and their spans."""
        found = self._index.match(mention_document(mention))
        return {
            watch_id: match
            for watch_id, match in found.items()
            if self._speaks(watch_id, mention.language)
        }

    def match(self, mentions: list[RawMention]) -> list[RawMention]:
        """Fill each mention's `matches` with watch id -> the terms found.

        The terms only: spans are worked out when a match is shown (match_one).
        """
        for mention in mentions:
            found = self._index.terms(mention_document(mention))
            mention.matches = {
                watch_id: list(terms)
                for watch_id, terms in found.items()
                if self._speaks(watch_id, mention.language)
            }
        return mentions
