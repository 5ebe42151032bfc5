"""`veille run` (collect every source on its interval until stopped), `veille worker` (a
Celery worker that collects the sources `veille run` sends it, for scale-out) and `veille
fetch` (show what a source would yield, storing nothing)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from veille.commands.common import console, errors, fail, plain, print_jsonl, setup_django

FETCH_KINDS = ("page", "feed", "mastodon", "bluesky", "reddit", "hackernews")


# -- veille run ------------------------------------------------------------------------------


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop` (finish the current source, then exit); a second
    signal exits at once, which loses at most the batch being fetched, never a stored one."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        name = signal.Signals(signum).name
        errors.print(f"{name}: stopping after the current source (again to stop now)")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def log_report(report: Any) -> None:
    """One line per source run: time, source, counts or error."""
    stamp = datetime.now().strftime("%H:%M:%S")
    line = Text(f"{stamp} ", style="dim")
    line.append_text(plain(f"[{report.source.pk}] {str(report.source)[:60]}: "))
    if report.error:
        line.append(plain(report.error).plain, style="red")
        failures = report.source.consecutive_failures
        line.append(f" (failure {failures}, backing off)", style="red")
    elif report.not_modified:
        line.append("not modified")
    else:
        line.append(f"{report.fetched} fetched, {report.created} new", style="green")
        for warning in report.warnings:
            line.append(f"; {plain(warning).plain}", style="yellow")
    console.print(line)


def run(
    once: Annotated[
        bool, typer.Option("--once", help="Collect the sources due now, then exit.")
    ] = False,
    idle: Annotated[
        float, typer.Option(help="Longest sleep between checks for due sources (seconds).")
    ] = 60.0,
) -> None:
    """Keep every active source collecting on its interval until stopped (Ctrl-C, SIGTERM).

    Failing sources are backed off (interval x 2^failures, at most a day) while the others
    go on. A stop request lets the source being collected finish and store its batch.
    With VEILLE_BROKER_URL set, due sources are sent to `veille worker` processes instead
    of being collected here.
    """
    setup_django()
    from django.conf import settings

    from veille.pipeline import schedule

    dispatcher = _dispatcher() if settings.VEILLE_BROKER_URL else None
    stop = threading.Event()
    with stop_on_signals(stop):
        try:
            if once:
                if dispatcher is None:
                    reports = schedule.run_due(stop, log_report)
                else:
                    reports = _dispatch_once(dispatcher, stop)
                console.print(f"{len(reports)} sources collected.")
                return
            where = "here" if dispatcher is None else "by the workers"
            console.print(f"veille run: collecting {where} (pid {os.getpid()}); Ctrl-C to stop.")
            runs = schedule.run_forever(stop, log_report, idle=idle, dispatcher=dispatcher)
        except KeyboardInterrupt:
            errors.print("stopped at once; the source being collected will be retried")
            raise typer.Exit(130) from None
    console.print(f"Stopped cleanly after {runs} source runs.")
    if dispatcher is not None and dispatcher.in_flight:
        console.print(f"{len(dispatcher.in_flight)} sources are still being collected by workers.")


def _dispatcher() -> Any:
    from veille.pipeline.dispatch import Dispatcher
    from veille.pipeline.tasks import BrokerError, configured_app

    try:
        return Dispatcher(configured_app())
    except BrokerError as error:
        raise fail(str(error)) from None


def _dispatch_once(dispatcher: Any, stop: threading.Event) -> list[Any]:
    """Send the sources due now to the workers and wait for every report."""
    from veille.pipeline.schedule import DISPATCH_POLL, active_sources

    reports: list[Any] = []

    def collected(report: Any) -> None:
        reports.append(report)
        log_report(report)

    dispatcher.send_due(active_sources())
    while dispatcher.in_flight and not stop.is_set():
        dispatcher.gather(collected)
        stop.wait(DISPATCH_POLL)
    return reports


def worker(
    concurrency: Annotated[
        int, typer.Option(help="Sources collected at once by this worker (processes).")
    ] = 2,
    loglevel: Annotated[str, typer.Option(help="Celery's log level.")] = "info",
) -> None:
    """Collect the sources `veille run` sends (scale-out; needs VEILLE_BROKER_URL).

    Run as many workers as needed, on one or several machines sharing the database
    (PostgreSQL) and the broker (Redis). Stop with Ctrl-C or SIGTERM: the sources being
    collected finish first.
    """
    setup_django()
    from veille.pipeline.tasks import BrokerError, configured_app

    if concurrency < 1:
        raise fail("--concurrency must be at least 1")
    try:
        app = configured_app()
    except BrokerError as error:
        raise fail(str(error)) from None
    app.worker_main(
        ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--without-gossip"]
    )


# -- veille fetch ----------------------------------------------------------------------------


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`key=value` options as a dict; a clear error for anything else."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param {pair!r}: expected key=value")
        params[key.strip()] = value
    return params


def mention_row(mention: Any) -> dict[str, Any]:
    return {
        "kind": mention.kind,
        "author": mention.author_handle or mention.author_name,
        "published": mention.published_at.isoformat(),
        "title": mention.title,
        "text": mention.text,
        "url": mention.url,
        "parent": mention.in_reply_to_url,
        "platform": mention.platform,
        "external_id": mention.external_id,
    }


def _setup_without_database() -> None:
    """Django's settings and apps, without touching the database: fetch stores nothing."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
        django.setup()


def fetch(
    url: Annotated[str, typer.Argument(help="The source's URL (a feed, a page, an instance…).")],
    kind: Annotated[str, typer.Option(help="page, feed, mastodon, bluesky, reddit, hackernews.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A source parameter, key=value (repeatable)."),
    ] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per line.")] = False,
) -> None:
    """Show what a source would yield, without storing anything (to debug a source).

    Set VEILLE_ALLOW_PRIVATE_URLS=1 to read from a local server.
    """
    if kind not in FETCH_KINDS:
        raise fail(f"--kind {kind!r}: use one of {', '.join(FETCH_KINDS)}")
    raw_params = parse_params(param or [])
    _setup_without_database()
    from veille.collect.base import CollectError
    from veille.collect.params import parse_source_params
    from veille.collect.registry import collect
    from veille.core.models import Source

    try:
        params = parse_source_params(kind, url, raw_params)
        batch = collect(Source(kind=kind, url=url.strip(), params=params, cursor={}))
    except CollectError as error:
        raise fail(str(error)) from None
    for warning in batch.warnings:
        errors.print(Text(f"warning: {plain(warning).plain}", style="yellow"))
    rows = [mention_row(mention) for mention in batch.mentions]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("kind", "author", "published", "text", "parent", title=plain(url))
    for row in rows:
        table.add_row(
            plain(row["kind"]),
            plain(row["author"]),
            plain(row["published"][:19]),
            plain((row["title"] or row["text"])[:80]),
            plain(row["parent"]),
        )
    console.print(table)
    console.print(f"{len(rows)} mentions; nothing stored.")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("worker")(worker)
    app.command("fetch")(fetch)
