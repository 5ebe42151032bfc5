"""The whole enrich stage over 100,000 generated French and English social posts.

Prints mentions per second and the seconds of each sub-stage, and the peak memory.
Target: >= 10,000 mentions/s on one core, peak memory < 1 GiB. Run it on one core:
`taskset -c 0 python benchmarks/enrich_bench.py [COUNT]`. The CPU seconds of the process
are printed too: on a busy machine they tell the stage's own cost better than the clock.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import UTC, datetime

from veille.collect.base import RawMention
from veille.enrich.stage import enrich
from veille.enrich.train import get_models

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
BATCH = 5_000
OPENINGS = ["", "Franchement ", "Bon ", "Alors ", "Honnêtement ", "So ", "Honestly ", "Well "]
FRENCH = [
    "la livraison de {b} est arrivée en retard, je suis déçu",
    "merci à l'équipe {b} pour la réponse rapide, au top",
    "est-ce que {b} livre en Belgique ? je voudrais commander",
    "je participe au #concours de {b} @amie{n} @ami{n}",
    "nouvelle boutique {b} ouverte rue de la Paix à Paris",
    "le service client {b} ne répond jamais, c'est inadmissible",
]
ENGLISH = [
    "my {b} order arrived late again, really disappointed",
    "thanks {b} team for the quick answer, great job",
    "does {b} ship to Canada? I'd like to order one",
    "new {b} store opening downtown next week",
]
BRANDS = ["Lumen", "Fibrea", "Pas de Loup", "Banque Azur", "Kartoz"]


def posts(count: int, seed: int = 7) -> list[RawMention]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    result = []
    for i in range(count):
        template = rng.choice(FRENCH if rng.random() < 0.7 else ENGLISH)
        text = rng.choice(OPENINGS) + template.format(b=rng.choice(BRANDS), n=rng.randint(1, 999))
        text += f" {rng.choice(['', '!', '😀', '😡', '#' + rng.choice(BRANDS).replace(' ', '')])}"
        text += f" ({rng.randint(1, 10**6)})"
        result.append(RawMention(external_id=str(i), url="", published_at=now, text=text))
    return result


def main() -> None:
    get_models()  # load (or train) the model before timing
    mentions = posts(COUNT)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    cpu_started = time.process_time()
    for start in range(0, COUNT, BATCH):
        enrich(mentions[start : start + BATCH], brand_terms=BRANDS, timings=timings)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"{COUNT} mentions in {elapsed:.2f} s: {COUNT / elapsed:,.0f} mentions/s")
    print(f"CPU time {cpu:.2f} s: {COUNT / cpu:,.0f} mentions per CPU second")
    for name, seconds in timings.items():
        print(f"  {name:<10} {seconds:6.2f} s  {COUNT / seconds:>10,.0f}/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
