"""Throughput of each pipeline stage on the demo's generated feeds (network excluded).

Run by `make bench`; prints figures, asserts nothing. Usage:
    python benchmarks/pipeline_bench.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ["VEILLE_DATA_DIR"] = tempfile.mkdtemp(prefix="veille-bench-")
os.environ.pop("VEILLE_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")


def _rate(work: Callable[[], int], seconds: float) -> tuple[float, int]:
    """Items per second of `work` (which returns how many items it handled), repeated."""
    done, started = 0, time.perf_counter()
    while True:
        done += work()
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each stage")
    seconds = parser.parse_args().seconds

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from veille.collect.feeds import parse_feed
    from veille.core.models import Source, Workspace
    from veille.demo.generator import DEMO_WATCHES, generate
    from veille.enrich.stage import enrich
    from veille.pipeline.match import WatchMatcher
    from veille.pipeline.store import store

    feed_dir = Path(tempfile.mkdtemp(prefix="veille-bench-feeds-"))
    feeds = {path.name: path.read_bytes() for path in generate(feed_dir).files}
    base = "http://127.0.0.1:8000/"

    def parse_all() -> int:
        return sum(len(parse_feed(content, base + name)) for name, content in feeds.items())

    mentions = [m for name, content in feeds.items() for m in parse_feed(content, base + name)]
    space = Workspace.objects.create(name="bench")
    for watch in DEMO_WATCHES:
        space.watches.create(name=watch["name"], query=watch["query"], kind=watch["kind"])
    matcher = WatchMatcher.for_workspace(space)

    def enrich_all() -> int:
        return len(enrich([replace(m) for m in mentions]))

    def match_all() -> int:
        return len(matcher.match(mentions))

    rounds = iter(range(1_000_000))

    def store_all() -> int:
        source = Source.objects.create(workspace=space, kind="feed", url=f"{base}{next(rounds)}")
        return store(source, mentions, {}).created

    source = Source.objects.create(workspace=space, kind="feed", url=base + "again")
    store(source, mentions, {})

    def store_again() -> int:
        return store(source, mentions, {}).already_stored

    print(f"{len(mentions)} generated mentions in {len(feeds)} feeds; {seconds:g} s per stage")
    print(f"{'stage':<28}{'mentions/s':>12}")
    for label, work in [
        ("parse feeds", parse_all),
        ("enrich (language, media)", enrich_all),
        (f"match ({len(DEMO_WATCHES)} watches)", match_all),
        ("store new (SQLite)", store_all),
        ("store again (no-op)", store_again),
    ]:
        rate, _ = _rate(work, seconds)
        print(f"{label:<28}{rate:>12,.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
