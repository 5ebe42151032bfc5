"""The scheduler's side of scale-out: send due sources to Celery workers, gather reports.

One `veille run` process schedules; any number of `veille worker` processes collect. A
source is never sent again while a task for it is in flight, so two workers never
collect the same source at once; a task with no answer after IN_FLIGHT_LIMIT is given
up (its worker died without the broker noticing) and the source may be sent again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from celery import Celery
from celery.result import AsyncResult

from veille.core.models import Source
from veille.pipeline.run import SourceReport
from veille.pipeline.schedule import due_sources
from veille.pipeline.tasks import COLLECT_TASK

IN_FLIGHT_LIMIT = 3600.0  # seconds


@dataclass(slots=True)
class _Sent:
    result: AsyncResult
    at: float


class Dispatcher:
    """Due sources out to the workers, their reports back, one task per source at most."""

    def __init__(self, app: Celery) -> None:
        self.app = app
        self.in_flight: dict[int, _Sent] = {}

    def send_due(self, sources: Iterable[Source]) -> int:
        """Send every due source that has no task in flight; how many were sent."""
        sent = 0
        for source in due_sources(s for s in sources if s.pk not in self.in_flight):
            result = self.app.send_task(COLLECT_TASK, args=[source.pk])
            self.in_flight[source.pk] = _Sent(result, time.monotonic())
            sent += 1
        return sent

    def gather(self, on_report: Callable[[SourceReport], None] | None = None) -> int:
        """Hand over the reports of finished tasks; how many finished."""
        done = []
        now = time.monotonic()
        for source_id, sent in self.in_flight.items():
            if sent.result.ready():
                done.append((source_id, _report_data(sent.result)))
            elif now - sent.at > IN_FLIGHT_LIMIT:
                done.append((source_id, {"error": "no answer from the workers within an hour"}))
        for source_id, data in done:
            del self.in_flight[source_id]
            source = Source.objects.select_related("workspace").filter(pk=source_id).first()
            if source is not None and not data.get("skipped") and on_report is not None:
                on_report(report_from(source, data))
        return len(done)


def _report_data(result: AsyncResult) -> dict[str, Any]:
    try:
        data = result.get(timeout=1, propagate=True)
    except Exception as error:  # the task itself failed: a bug, or a lost worker
        return {"error": f"the worker failed: {type(error).__name__}: {error}"}
    finally:
        result.forget()
    return data if isinstance(data, dict) else {"error": f"unexpected answer {data!r}"}


def report_from(source: Source, data: dict[str, Any]) -> SourceReport:
    """A worker's answer as the report `veille run` prints."""
    return SourceReport(
        source,
        fetched=int(data.get("fetched", 0)),
        created=int(data.get("created", 0)),
        already_stored=int(data.get("already_stored", 0)),
        not_modified=bool(data.get("not_modified", False)),
        error=str(data.get("error", "")),
        warnings=[str(w) for w in data.get("warnings", [])],
    )
