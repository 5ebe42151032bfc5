"""Which sources are due, how failing ones back off, and the `veille run` loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests import factories
from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import payload_bytes, quick_politeness
from veille.core.models import Mention, Source
from veille.pipeline import schedule

NOW = factories.START


def unsaved(interval: int = 3600, failures: int = 0, ran: timedelta | None = None) -> Source:
    return Source(
        kind="feed",
        interval=interval,
        consecutive_failures=failures,
        last_run_at=None if ran is None else NOW - ran,
    )


def test_a_source_never_run_is_due() -> None:
    assert schedule.is_due(unsaved(), NOW)


def test_due_once_the_interval_has_passed() -> None:
    assert not schedule.is_due(unsaved(ran=timedelta(minutes=59)), NOW)
    assert schedule.is_due(unsaved(ran=timedelta(minutes=60)), NOW)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (0, timedelta(hours=1)),
        (1, timedelta(hours=2)),
        (3, timedelta(hours=8)),
        (5, timedelta(hours=24)),
        (40, timedelta(hours=24)),
    ],
)
def test_failing_sources_back_off_up_to_a_day(failures: int, wait: timedelta) -> None:
    assert schedule.wait_for(unsaved(failures=failures)) == wait


def test_backoff_exponent_is_capped_at_six() -> None:
    assert schedule.wait_for(unsaved(interval=60, failures=10)) == timedelta(seconds=60 * 64)


def test_a_long_interval_is_not_shortened_by_the_cap() -> None:
    assert schedule.wait_for(unsaved(interval=3 * 86400, failures=2)) == timedelta(days=3)


def test_due_sources_longest_waiting_first() -> None:
    late = unsaved(ran=timedelta(hours=5))
    later = unsaved(ran=timedelta(hours=2))
    fresh = unsaved()
    waiting = unsaved(ran=timedelta(minutes=1))
    assert schedule.due_sources([later, waiting, late, fresh], NOW) == [fresh, late, later]
    assert schedule.seconds_until_next([waiting], NOW) == 59 * 60


@pytest.mark.django_db
def test_run_forever_collects_due_sources_and_stops_on_the_event(settings: Settings) -> None:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    quick_politeness(settings)
    with LocalHTTPServer() as server:
        server.add("/search_by_date", payload_bytes("hackernews/search_by_date_comments.json"))
        space = factories.workspace()
        source = Source.objects.create(
            workspace=space,
            kind="hackernews",
            url="https://hn.algolia.com/?query=apple",
            params={"base": server.base_url, "query": "apple"},
        )
        Source.objects.create(  # not due: it ran a minute ago
            workspace=space,
            kind="hackernews",
            url="https://hn.algolia.com/?query=x",
            params={"base": server.base_url, "query": "x"},
            last_run_at=timezone.now() - timedelta(minutes=1),
        )
        stop = threading.Event()
        reports = []

        def on_report(report) -> None:
            reports.append(report)
            stop.set()

        runs = schedule.run_forever(stop, on_report, idle=0.05)
    assert runs == 1
    assert [r.source.pk for r in reports] == [source.pk]
    assert Mention.objects.count() == 1


@pytest.mark.own_database
def test_veille_run_stops_cleanly_on_sigterm(tmp_path) -> None:
    # Its own SQLite database in tmp_path, whichever database the suite runs on.
    env = {k: v for k, v in os.environ.items() if k != "VEILLE_DATABASE_URL"}
    env |= {"VEILLE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "veille", "run", "--idle", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while "collecting" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert "collecting" in line
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Stopped cleanly" in output
