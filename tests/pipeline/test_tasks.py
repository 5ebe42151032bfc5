"""Scale-out: `veille run` sends due sources to real Celery workers over a real Redis."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.db import connection
from pytest_django.fixtures import Settings
from typer.testing import CliRunner

from tests import factories
from tests.support.http_server import LocalHTTPServer
from tests.support.platforms import payload_bytes
from tests.support.redis_server import redis_url  # noqa: F401 (a fixture)
from veille.cli import app as cli_app
from veille.core.models import Mention, Source
from veille.pipeline.dispatch import Dispatcher
from veille.pipeline.run import SourceReport
from veille.pipeline.tasks import BrokerError, configured_app

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = f"veille-test-{uuid.uuid4().hex}"
# A workspace with one feed source (the URL in argv), in a fresh data directory.
SEED = """
import sys
from veille.commands.common import setup_django
setup_django()
from veille.core.models import Source, Workspace
Source.objects.create(workspace=Workspace.objects.create(name="Azur"), kind="feed", url=sys.argv[1])
"""


@pytest.fixture
def app(redis_url: str) -> Iterator[Celery]:  # noqa: F811
    configured = configured_app(redis_url)
    # A queue of this session's own: nothing an earlier run left in Redis reaches its
    # worker. (Celery keeps its queues once set up: one name for all the tests.)
    configured.conf.task_default_queue = QUEUE
    with start_worker(configured, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield configured


@pytest.fixture
def sources(settings: Settings) -> Iterator[tuple[Source, Source]]:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    with LocalHTTPServer() as server:
        server.add("/search_by_date", payload_bytes("hackernews/search_by_date_comments.json"))
        server.add("/feed.xml", b"overloaded", status=503)
        space = factories.workspace()
        good = Source.objects.create(
            workspace=space,
            kind="hackernews",
            url="https://hn.algolia.com/?query=apple",
            params={"base": server.base_url, "query": "apple"},
        )
        bad = Source.objects.create(workspace=space, kind="feed", url=server.url("/feed.xml"))
        yield good, bad


def _gather(dispatcher: Dispatcher) -> dict[int, SourceReport]:
    """Every report of the tasks in flight (a minute at most)."""
    reports: dict[int, SourceReport] = {}
    deadline = time.monotonic() + 60
    while dispatcher.in_flight and time.monotonic() < deadline:
        dispatcher.gather(lambda report: reports.__setitem__(report.source.pk, report))
        time.sleep(0.05)
    return reports


def test_a_worker_collects_each_due_source_once_and_reports_back(app, sources) -> None:
    good, bad = sources
    dispatcher = Dispatcher(app)
    assert dispatcher.send_due(Source.objects.select_related("workspace")) == 2
    # In flight: not sent again, whatever the scheduler's loop sees meanwhile.
    assert dispatcher.send_due(Source.objects.select_related("workspace")) == 0

    reports = _gather(dispatcher)

    assert set(reports) == {good.pk, bad.pk}
    assert (reports[good.pk].fetched, reports[good.pk].created) == (1, 1)
    assert reports[good.pk].error == ""
    assert "503" in reports[bad.pk].error and "feed.xml" in reports[bad.pk].error
    assert not dispatcher.in_flight
    assert Mention.objects.filter(source=good).count() == 1
    bad.refresh_from_db()
    assert bad.consecutive_failures == 1 and "503" in bad.last_error
    good.refresh_from_db()
    assert good.last_success_at is not None

    # Due again, its cursor forgotten: the same item comes back and is not stored twice.
    Source.objects.filter(pk=good.pk).update(last_run_at=None, cursor={})
    assert dispatcher.send_due(Source.objects.filter(pk=good.pk)) == 1
    again = _gather(dispatcher)[good.pk]
    assert (again.created, again.already_stored) == (0, 1)
    assert Mention.objects.filter(source=good).count() == 1


def _database_url() -> str | None:
    """The suite's PostgreSQL test database as a URL, or None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_veille_run_sends_due_sources_to_a_veille_worker_process(
    tmp_path: Path,
    redis_url: str,  # noqa: F811
    shared_dir: Path,
) -> None:
    # Real processes: the scheduler, and a worker that collects a real recorded feed
    # served on loopback. They share the suite's PostgreSQL database (the scale-out set-up)
    # or, on the SQLite run, a SQLite file of their own (WAL). A Redis database of theirs.
    feed = (shared_dir / "fixtures/feeds/fr-lemonde-une.rss.xml").read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "VEILLE_DATABASE_URL"}
    env |= {
        "VEILLE_DATA_DIR": str(tmp_path),
        "VEILLE_BROKER_URL": redis_url.rsplit("/", 1)[0] + f"/{uuid.uuid4().int % 15 + 1}",
        "VEILLE_ALLOW_PRIVATE_URLS": "1",
        "VEILLE_HOST_MIN_INTERVAL": "0",
        "VEILLE_ACCURATE_SENTIMENT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    shared_database = _database_url()
    if shared_database:
        env["VEILLE_DATABASE_URL"] = shared_database

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)

    with LocalHTTPServer() as server:
        url = server.add("/une.xml", feed, content_type="application/rss+xml")
        if shared_database:
            source = Source.objects.create(workspace=factories.workspace(), kind="feed", url=url)
        else:
            seeded = run("-c", SEED, url)
            assert seeded.returncode == 0, seeded.stderr
        worker = subprocess.Popen(
            [sys.executable, "-m", "veille", "worker", "--concurrency", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ran = run("-m", "veille", "run", "--once")
        finally:
            worker.send_signal(signal.SIGTERM)
            _, worker_log = worker.communicate(timeout=60)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 sources collected." in ran.stdout
    assert [r for r in server.requests if r.path == "/une.xml"], "the worker fetched nothing"
    assert "veille.collect_source" in worker_log  # the task ran in the worker
    if shared_database:
        stored = Mention.objects.filter(source=source).count()
    else:
        with sqlite3.connect(tmp_path / "veille.sqlite3") as database:
            stored = database.execute("SELECT count(*) FROM core_mention").fetchone()[0]
    assert stored > 0
    assert f"{stored} new" in ran.stdout


def test_a_task_for_a_deleted_source_reports_nothing(app, sources) -> None:
    good, _ = sources
    Source.objects.filter(pk=good.pk).delete()
    dispatcher = Dispatcher(app)
    dispatcher.send_due([good])  # sent by a scheduler that read it just before
    assert _gather(dispatcher) == {}
    assert not dispatcher.in_flight


def test_an_unreachable_broker_is_a_clear_error() -> None:
    with pytest.raises(BrokerError, match=r"cannot reach the broker at redis://127\.0\.0\.1:1/0"):
        configured_app("redis://127.0.0.1:1/0")


def test_veille_worker_and_run_say_so_when_the_broker_is_unreachable(settings: Settings) -> None:
    settings.VEILLE_BROKER_URL = "redis://:secret@127.0.0.1:1/0"
    for command in (["worker"], ["run", "--once"]):
        done = CliRunner().invoke(cli_app, command)
        assert done.exit_code == 1
        assert "cannot reach the broker at redis://:***@127.0.0.1:1/0" in done.output
        assert "secret" not in done.output
