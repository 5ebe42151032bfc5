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


def _best(run, rounds: int = ROUNDS) -> float:
    """The best of `rounds` runs, in seconds of this process's CPU time (the machine may be
    shared: CPU time is disturbed less by other processes than wall-clock time)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


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

    seconds = _best(threads)
    print(f"comment threads (selectolax): {len(pages)} pages, {comments} comments")
    print(f"  {comments / seconds:,.0f} comments/s, {len(pages) / seconds:,.1f} pages/s")
    seconds = _best(whole, 3)
    print("extract_page (article, metadata and thread):")
    print(f"  {comments / seconds:,.0f} comments/s, {len(pages) / seconds:,.1f} pages/s")


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
        seconds = _best(lambda: import_file(path), 3)
    print(f"CSV import: {rows:,} rows, {rows / seconds:,.0f} rows/s")


if __name__ == "__main__":
    import django

    django.setup()
    bench_pages()
    bench_import()
