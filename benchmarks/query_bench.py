"""Throughput of the watch matcher: many watches over a stream of generated mentions.

Generates realistic watches (brands with their variants, competitors, topics, exclusions,
NEAR, fields, wildcards) and French-looking mentions (accents, elisions, hashtags, emoji,
a brand named in about one mention in three), then times on one core the pipeline's path,
QueryIndex.terms (which watches match, with the terms found), and QueryIndex.match, which
also gives the spans to highlight (the CLI's and the web app's path). Prints figures
(wall-clock, and CPU time, which a busy machine disturbs less), asserts nothing. Usage:

    python benchmarks/query_bench.py [--mentions 100000] [--watches 1000 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time

from veille.query import Document, QueryIndex, parse

_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo "
    "bré cé dé fé lé mé né ré té vé brû crê flô grâ tor nord zur mar lin vor quel"
).split()
_COMMON = (
    "le la les de des du un une et à en pour avec sur dans par pas plus très mais ou qui que "
    "ce cette mon ton son notre votre leur nous vous ils elles on est sont a ont été fait "
    "vraiment toujours encore jamais hier demain aujourd’hui bien bon bonne mauvais super"
).split()
_TOPICS = (
    "café torréfaction livraison service client prix qualité goût arôme boutique commande "
    "colis retard remboursement avis recommandation expresso moka grains machine tasse "
    "équipe accueil magasin marseille paris lyon emploi recrutement concours cadeau noël "
    "médias sociaux influence partenariat spécialité dégustation atelier"
).split()
_SITES = (
    "blog.exemple.fr lemonde.fr www.ouest-france.fr forum.cafe.example mastodon.social "
    "bsky.app reddit.com news.ycombinator.com medium.com"
).split()
_ELIDED = ("l’", "l'", "d’", "d'", "qu’", "j'", "n’")
_EMOJI = ("☕", "🔥", "😍", "👍", "😡", "🙏")


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


def _brands(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(first word, second word) of invented brand names, all different."""
    seen: set[str] = set()
    brands = []
    while len(brands) < count:
        first, second = _word(rng, rng.randint(2, 3)), _word(rng, rng.randint(2, 3))
        if first not in seen:
            seen.add(first)
            brands.append((first.capitalize(), second.capitalize()))
    return brands


def _query(rng: random.Random, brand: tuple[str, str]) -> str:
    first, second = brand
    name, glued = f'"{first} {second}"', (first + second).lower()
    shape = rng.random()
    if shape < 0.35:
        return f"{name} OR {glued} OR #{first}{second}"
    if shape < 0.55:
        return f"({name} OR {glued}) NOT (emploi OR recrutement OR concours)"
    if shape < 0.70:
        return f"{first} NEAR/4 ({second} OR livraison OR service)"
    if shape < 0.80:
        return f"({name} OR @{glued}) lang:fr"
    if shape < 0.88:
        return f"title:{name} OR site:{glued}.example"
    if shape < 0.95:
        return f"{first.lower()[:4]}* AND (café OR expresso OR moka)"
    topic = rng.sample(_TOPICS, 2)
    return f'"{topic[0]} {topic[1]}" AND {glued}'


def _spelling(rng: random.Random, brand: tuple[str, str]) -> str:
    first, second = brand
    shape = rng.random()
    if shape < 0.4:
        return f"{first} {second}"
    if shape < 0.6:
        return f"{first.upper()} {second.lower()}"
    if shape < 0.8:
        return f"#{first}{second}"
    return f"{rng.choice(_ELIDED)}{first.lower()} {second}"


def _mention(rng: random.Random, brands: list[tuple[str, str]]) -> Document:
    words: list[str] = []
    for _ in range(rng.randint(12, 60)):
        roll = rng.random()
        if roll < 0.5:
            words.append(rng.choice(_COMMON))
        elif roll < 0.85:
            words.append(rng.choice(_TOPICS))
        elif roll < 0.9:
            words.append(rng.choice(_ELIDED) + rng.choice(_TOPICS))
        elif roll < 0.93:
            words.append(rng.choice(_EMOJI))
        else:
            words.append(_word(rng, rng.randint(2, 3)))
    if rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), _spelling(rng, rng.choice(brands)))
    title = " ".join(rng.sample(_TOPICS, 4)).capitalize() if rng.random() < 0.3 else ""
    return Document(
        text=" ".join(words) + rng.choice((".", " !", " ?", "…")),
        title=title,
        author=f"@{_word(rng, 3)}",
        url=f"https://{rng.choice(_SITES)}/{_word(rng, 2)}",
        lang=rng.choice(("fr", "fr", "fr", "en")),
        platform=rng.choice(("blog", "mastodon", "bluesky", "reddit")),
        kind=rng.choice(("post", "comment")),
    )


def bench(watch_count: int, mention_count: int, seed: int) -> None:
    rng = random.Random(seed + watch_count)
    brands = _brands(rng, watch_count)
    started = time.perf_counter()
    queries = {number: parse(_query(rng, brand)) for number, brand in enumerate(brands)}
    index = QueryIndex(queries)
    built = time.perf_counter() - started
    mention_rng = random.Random(seed)
    documents = [_mention(mention_rng, brands) for _ in range(mention_count)]
    print(f"{watch_count:>6} watches: parsed and indexed in {built:.2f} s")
    for label, method in (("terms (pipeline)", index.terms), ("match with spans", index.match)):
        started, cpu = time.perf_counter(), time.process_time()
        matched = sum(1 for document in documents if method(document))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"        {label}: {len(documents):,} mentions in {elapsed:.2f} s = "
            f"{len(documents) / elapsed:,.0f} mentions/s on one core "
            f"({len(documents) / cpu:,.0f}/s of CPU time); "
            f"{matched:,} mentions matched at least one watch"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--watches", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    for count in arguments.watches:
        bench(count, arguments.mentions, arguments.seed)


if __name__ == "__main__":
    main()
