"""The match stage: which of the workspace's active watches each mention speaks of."""

from __future__ import annotations

from veille.collect.base import RawMention
from veille.core.models import Watch, Workspace
from veille.enrich.language import UNDETERMINED
from veille.query.simple import SimpleMatcher


class WatchMatcher:
    """The active watches of a workspace, compiled once per batch."""

    def __init__(self, watches: list[Watch]) -> None:
        self._matcher = SimpleMatcher({watch.pk: watch.query for watch in watches})
        self._languages = {watch.pk: set(watch.languages) for watch in watches}

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> WatchMatcher:
        return cls(list(workspace.watches.filter(active=True)))

    def _speaks(self, watch_id: int, language: str) -> bool:
        wanted = self._languages[watch_id]
        return not wanted or language in wanted or language in ("", UNDETERMINED)

    def match(self, mentions: list[RawMention]) -> list[RawMention]:
        for mention in mentions:
            found = self._matcher.match(f"{mention.title}\n{mention.text}")
            mention.matches = {
                watch_id: terms
                for watch_id, terms in found.items()
                if self._speaks(watch_id, mention.language)
            }
        return mentions
