"""When each source is due, and the loop behind `veille run`.

A source is due once its interval has passed since its last run. A source that keeps
failing waits longer: interval * 2**min(failures, 6), never more than a day, so that a
dead site is not hammered while the others go on at their pace.

run_forever() collects due sources one at a time and sleeps until the next is due. It
checks its stop event between sources only: a source already being collected finishes,
and its batch is stored in one transaction (pipeline.store), so stopping never loses a
fetched batch. Given a Dispatcher (VEILLE_BROKER_URL set), it sends due sources to
Celery workers instead and prints their reports as they come back (pipeline.dispatch).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import close_old_connections, connection
from django.utils import timezone

from veille.core.models import Source
from veille.inbox.escalation import escalate_breached
from veille.pipeline.run import SourceReport, run_source

if TYPE_CHECKING:
    from veille.pipeline.dispatch import Dispatcher

MAX_BACKOFF_EXPONENT = 6
MAX_WAIT = timedelta(hours=24)
# Sleep at most this long at once, so that sources added meanwhile are seen.
MAX_SLEEP = 60.0
# How often the scheduler looks for the workers' reports while tasks are in flight.
DISPATCH_POLL = 0.5


def wait_for(source: Source) -> timedelta:
    """The time to wait between two runs of `source`, its failures counted."""
    base = timedelta(seconds=source.interval)
    if source.consecutive_failures <= 0:
        return base
    backed_off = base * 2 ** min(source.consecutive_failures, MAX_BACKOFF_EXPONENT)
    return min(backed_off, max(MAX_WAIT, base))


def next_run_at(source: Source) -> datetime | None:
    """When `source` is next due; None when it never ran (due at once)."""
    if source.last_run_at is None:
        return None
    return source.last_run_at + wait_for(source)


def is_due(source: Source, now: datetime | None = None) -> bool:
    when = next_run_at(source)
    return when is None or when <= (now or timezone.now())


def due_sources(sources: Iterable[Source], now: datetime | None = None) -> list[Source]:
    """The sources due at `now`, those that waited longest first (never run: first of all)."""
    now = now or timezone.now()
    due = [source for source in sources if is_due(source, now)]
    epoch = datetime.min.replace(tzinfo=now.tzinfo)
    return sorted(due, key=lambda source: (next_run_at(source) or epoch, source.pk or 0))


def seconds_until_next(sources: Iterable[Source], now: datetime | None = None) -> float | None:
    """Seconds until the soonest source is due (0 when one is due), None with no source."""
    now = now or timezone.now()
    waits = [max(0.0, ((next_run_at(source) or now) - now).total_seconds()) for source in sources]
    return min(waits, default=None)


def active_sources() -> list[Source]:
    return list(Source.objects.filter(active=True).select_related("workspace"))


def run_due(
    stop: threading.Event,
    on_report: Callable[[SourceReport], None] | None = None,
    load: Callable[[], list[Source]] = active_sources,
) -> list[SourceReport]:
    """Collect every source due now, one at a time, stopping early when `stop` is set."""
    reports = []
    for source in due_sources(load()):
        if stop.is_set():
            break
        report = run_source(source)
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports


def run_forever(
    stop: threading.Event,
    on_report: Callable[[SourceReport], None] | None = None,
    *,
    load: Callable[[], list[Source]] = active_sources,
    idle: float = MAX_SLEEP,
    dispatcher: Dispatcher | None = None,
) -> int:
    """Keep collecting due sources until `stop` is set; return how many runs were made.

    With a dispatcher, the runs are the workers' (counted as their reports come back).
    """
    runs = 0
    while not stop.is_set():
        if dispatcher is None:
            runs += len(run_due(stop, on_report, load))
        else:
            dispatcher.send_due(load())
            runs += dispatcher.gather(on_report)
        if not stop.is_set():
            escalate_breached()
        # A long-running process must not keep a connection the database has dropped
        # (never inside a transaction: that would end it, as in a test).
        if not connection.in_atomic_block:
            close_old_connections()
        if stop.is_set():
            break
        waiting = load()
        if dispatcher is not None:
            waiting = [s for s in waiting if s.pk not in dispatcher.in_flight]
        pause = seconds_until_next(waiting)
        if dispatcher is not None and dispatcher.in_flight:
            pause = min(pause if pause is not None else idle, DISPATCH_POLL)
        stop.wait(idle if pause is None else min(max(pause, 0.05), idle))
    return runs
