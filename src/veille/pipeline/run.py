"""The local runner: collect -> enrich -> match -> store, one source at a time, in-process.

A source that fails keeps its error and its failure count; the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from veille.alerts.engine import evaluate_playbooks
from veille.collect.base import CollectError
from veille.collect.registry import collect
from veille.core.models import Source
from veille.enrich.stage import enrich, rescore_matched
from veille.inbox.cases import open_cases
from veille.pipeline.match import WatchMatcher
from veille.pipeline.store import store
from veille.search.index import refresh_words

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class SourceReport:
    source: Source
    fetched: int = 0
    created: int = 0
    already_stored: int = 0
    not_modified: bool = False
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


def run_source(source: Source) -> SourceReport:
    report = SourceReport(source)
    started = timezone.now()
    try:
        batch = collect(source)
        report.fetched = len(batch.mentions)
        report.not_modified = batch.not_modified
        report.warnings = batch.warnings
        watches = list(source.workspace.watches.filter(active=True))
        mentions = enrich(
            batch.mentions,
            source.media_category,
            brand_terms=[watch.name for watch in watches if watch.kind != "topic"],
            workspace_id=source.workspace_id,
        )
        mentions = WatchMatcher(watches).match(mentions)
        if settings.VEILLE_ACCURATE_SENTIMENT:
            rescore_matched(mentions, source.workspace_id)
        with transaction.atomic():
            result = store(source, mentions, batch.cursor)
            open_cases(source.workspace, result.mention_ids)
        while refresh_words():  # PostgreSQL's search prefilter learns the new mentions' words
            pass
        report.created, report.already_stored = result.created, result.already_stored
    except CollectError as error:
        report.error = str(error)
    except Exception as error:  # a bug in one source must not stop the others
        logger.exception("collecting source %s failed", source.pk)
        report.error = f"{source.url or source.name}: unexpected {type(error).__name__}: {error}"
    if report.ok:
        try:
            evaluate_playbooks(source.workspace)
        except Exception:  # a playbook bug must not fail the source
            logger.exception("evaluating the playbooks of workspace %s failed", source.workspace_id)
    source.last_run_at = started
    if report.ok:
        source.last_success_at = started
        source.last_error = "; ".join(report.warnings)
        source.consecutive_failures = 0
    else:
        source.last_error = report.error
        source.consecutive_failures += 1
    source.save(
        update_fields=["last_run_at", "last_success_at", "last_error", "consecutive_failures"]
    )
    return report


def run_sources(
    sources: Iterable[Source], on_done: Callable[[SourceReport], None] | None = None
) -> list[SourceReport]:
    reports = []
    for source in sources:
        report = run_source(source)
        reports.append(report)
        if on_done is not None:
            on_done(report)
    return reports
