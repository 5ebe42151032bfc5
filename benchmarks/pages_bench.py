"""Page extraction and file import throughput, network excluded.

Prints comments/s and pages/s over the real pages in ../shared/fixtures/pages (the
comment-thread reader alone, and the whole extract_page()), and rows/s
of a CSV import, per second of CPU time. Target (issue #4): >= 2,000 comments/s of page
extraction on one core (run it under `taskset -c 0`).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")

from selectolax.lexbor import LexborHTMLParser

from veille.collect.comments import find_comments
from veille.collect.imports import import_file
from veille.collect.pages import extract_page

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "pages"
ROUNDS = 5


def _best(run, rounds: int = ROUNDS) -> tuple[float, float]:
    """The best of `rounds` runs, in seconds of this process's CPU time (the machine may be
    shared: CPU time is disturbed less by other processes than wall-clock time), and the
    best wall-clock time, for comparison."""
    best = best_wall = float("inf")
    for _ in range(rounds):
        started, wall = time.process_time(), time.perf_counter()
        run()
        best = min(best, time.process_time() - started)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best, best_wall


def _report(label: str, comments: int, pages: int, seconds: tuple[float, float]) -> None:
    cpu, wall = seconds
    print(label)
    print(
        f"  {comments / cpu:,.0f} comments/s, {pages / cpu:,.1f} pages/s"
        f"  ({cpu:.3f} s CPU per round; wall clock: {comments / wall:,.0f} comments/s,"
        f" {wall:.3f} s)"
    )


def bench_pages() -> None:
    pages = [(p.name, p.read_text("utf-8", "replace")) for p in sorted(PAGES.glob("*.html"))]
    if not pages:
        sys.exit(f"no pages in {PAGES}")
    url = "https://blog.example/article"
    comments = sum(len(find_comments(LexborHTMLParser(html), url)) for _, html in pages)

    def threads() -> None:
        for _, html in pages:
            find_comments(LexborHTMLParser(html), url)

    def whole() -> None:
        for _, html in pages:
            extract_page(html, url)

    print(f"{len(pages)} pages, {comments} comments")
    _report("comment threads (selectolax):", comments, len(pages), _best(threads))
    _report("extract_page (article, metadata and thread):", comments, len(pages), _best(whole, 3))


def bench_import(rows: int = 50_000) -> None:
    rng = random.Random(4)
    words = "café torréfaction Marseille livraison expresso arabica prix accueil".split()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write("id;texte;publié le;auteur;lien\n")
            for n in range(rows):
                text = " ".join(rng.choices(words, k=12))
                day = 1 + n % 28
                handle.write(
                    f"{n};{text};{day:02d}/03/2024 14:05;u{n % 500};https://x.example/{n}\n"
                )
        seconds, _ = _best(lambda: import_file(path), 3)
    print(f"CSV import: {rows:,} rows, {rows / seconds:,.0f} rows/s")


if __name__ == "__main__":
    import django

    django.setup()
    bench_pages()
    bench_import()
