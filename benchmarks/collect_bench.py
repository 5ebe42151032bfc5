"""Parsing and normalising throughput of the connectors, network excluded.

    python benchmarks/collect_bench.py [--seconds 1.0]

Feeds: every fixture feed in ../shared/fixtures/feeds parsed by read_feed() (target:
5,000 items/s on one core). Platforms: each connector's normaliser over its recorded
payloads (JSON decoding included, as a connector pays it too). Rates are per second of
this process's CPU time, which a busy shared machine disturbs less than wall-clock time:
the best of 5 windows, and the mean.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures"
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")

import django  # noqa: E402

django.setup()

from veille.collect.bluesky import normalise_post  # noqa: E402
from veille.collect.feeds import read_feed, strip_before_declaration  # noqa: E402
from veille.collect.feeds_fast import read_fast  # noqa: E402
from veille.collect.hackernews import normalise_hit  # noqa: E402
from veille.collect.mastodon import normalise_statuses  # noqa: E402
from veille.collect.reddit import read_submission  # noqa: E402


def rate(label: str, work: Callable[[], int], seconds: float, windows: int = 5) -> None:
    """Items per second of CPU time (the machine may be shared): the best of `windows`
    windows of seconds/windows each, as other processes slow some windows down, and the
    mean over all of them."""
    best = 0.0
    items_all = cpu_all = wall_all = 0.0
    for _ in range(windows):
        items = rounds = 0
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        while time.process_time() - cpu_started < seconds / windows or rounds == 0:
            items += work()
            rounds += 1
        cpu = time.process_time() - cpu_started
        wall_all += time.perf_counter() - wall_started
        best = max(best, items / cpu)
        items_all += items
        cpu_all += cpu
    print(
        f"{label:<34} {best:>10,.0f} items/s (best window) {items_all / cpu_all:>10,.0f}"
        f" items/s (mean)  ({items_all:.0f} items, {cpu_all:.2f} s CPU,"
        f" {items_all / wall_all:,.0f} items/s wall clock)"
    )


def feeds(only_fast: bool = False) -> Callable[[], int]:
    """All fixture feeds; or only those the lxml fast path reads (not JSON, not ill-formed)."""
    documents = [(p.read_bytes(), p.name) for p in sorted((FIXTURES / "feeds").glob("*.*"))]
    if only_fast:
        documents = [
            (body, name)
            for body, name in documents
            if read_fast(strip_before_declaration(body), f"https://bench.example/{name}", "")
            is not None
        ]

    def work() -> int:
        return sum(
            len(read_feed(body, f"https://bench.example/{name}").mentions)
            for body, name in documents
        )

    return work


def load(name: str) -> bytes:
    return (FIXTURES / "platforms" / name).read_bytes()


def mastodon() -> Callable[[], int]:
    bodies = [
        load("mastodon/context.json"),
        load("mastodon/hashtag_timeline.json"),
        load("mastodon/search_v2.json"),
    ]

    def work() -> int:
        count = 0
        for body in bodies:
            document = json.loads(body)
            if isinstance(document, dict):
                document = document.get("statuses") or [
                    *document.get("ancestors", []),
                    *document.get("descendants", []),
                ]
            count += len(normalise_statuses(document, "mastodon.social", "bench"))
        return count

    return work


def bluesky() -> Callable[[], int]:
    body = load("bluesky/search_posts.json")

    def work() -> int:
        posts = json.loads(body)["posts"]
        return len([normalise_post(post, "bench", "$") for post in posts])

    return work


def reddit() -> Callable[[], int]:
    body = load("reddit/comments.json")

    def work() -> int:
        return len(read_submission(json.loads(body), "bench")[0])

    return work


def hackernews() -> Callable[[], int]:
    replies = [pair["reply"] for pair in json.loads(load("hackernews/algolia_fixtures_2014.json"))]
    body = json.dumps([hit for reply in replies for hit in reply.get("hits", [])]).encode()

    def work() -> int:
        return len([normalise_hit(hit, "bench", "$") for hit in json.loads(body)])

    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per benchmark")
    args = parser.parse_args()
    rate("feeds (read_feed, all fixtures)", feeds(), args.seconds)
    rate("feeds (the well-formed XML ones)", feeds(only_fast=True), args.seconds)
    rate("mastodon statuses", mastodon(), args.seconds)
    rate("bluesky posts", bluesky(), args.seconds)
    rate("reddit comments (543-comment tree)", reddit(), args.seconds)
    rate("hacker news hits", hackernews(), args.seconds)


if __name__ == "__main__":
    main()
