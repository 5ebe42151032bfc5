"""The enrich stage: what the pipeline learns about each mention before matching.

Language, media category, sentiment (fast tier for all; accurate tier on request),
intents, entities and near-duplicates, computed for the whole batch at once.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence

from veille.collect.base import RawMention
from veille.enrich.dedupe import find_duplicates
from veille.enrich.entities import extract_entities
from veille.enrich.intent import detect_intents_batch
from veille.enrich.language import detect_language
from veille.enrich.media import media_category_of_folded
from veille.enrich.text import clip, fold, normalise, normalise_folded
from veille.enrich.train import get_models


def enrich(
    mentions: list[RawMention],
    source_category: str = "earned",
    *,
    brand_terms: Sequence[str] = (),
    accurate: bool = False,
    workspace_id: int | None = None,
    timings: dict[str, float] | None = None,
) -> list[RawMention]:
    """Enrich a batch in place and return it.

    `brand_terms`: the workspace's watched names, reported as entities. `accurate`: score
    sentiment with the embedding tier (about 90 posts a second) rather than the fast one.
    `timings`, when given, receives the seconds spent in each sub-stage.

    The garbage collector is paused for the batch (when it was running): the sub-stages
    make many short-lived lists and no reference cycles, and the collector's passes over
    every live object of the process (a batch of mentions, a web app's models) cost about
    a sixth of the stage's time (benchmarks/enrich_bench.py). It runs again on return.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _enrich(mentions, source_category, brand_terms, accurate, workspace_id, timings)
    finally:
        if paused:
            gc.enable()


def _enrich(
    mentions: list[RawMention],
    source_category: str,
    brand_terms: Sequence[str],
    accurate: bool,
    workspace_id: int | None,
    timings: dict[str, float] | None,
) -> list[RawMention]:
    clock = timings if timings is not None else {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        clock[name] = clock.get(name, 0.0) + now - since
        return now

    started = time.perf_counter()
    texts = [clip(f"{m.title}\n{m.text}".strip()) for m in mentions]
    folded = [fold(text) for text in texts]
    for mention, text, folded_text in zip(mentions, texts, folded, strict=True):
        if not mention.language:
            mention.language = detect_language(text)
        mention.media_category = media_category_of_folded(folded_text, source_category)
    started = lap("language", started)
    normalised = [normalise_folded(text) for text in folded]
    started = lap("normalise", started)
    results = get_models(workspace_id).score(
        texts, [m.language for m in mentions], accurate=accurate, normalised=normalised
    )
    for mention, result in zip(mentions, results, strict=True):
        mention.sentiment = result.label
        mention.sentiment_score = result.score
        mention.sentiment_confidence = result.confidence
    started = lap("sentiment", started)
    for mention, intents in zip(
        mentions, detect_intents_batch(normalised, [r.label for r in results]), strict=True
    ):
        mention.intents = intents
    started = lap("intent", started)
    for mention, original in zip(mentions, find_duplicates(normalised), strict=True):
        mention.duplicate_of = mentions[original].external_id if original is not None else ""
    started = lap("dedupe", started)
    for mention, text, folded_text in zip(mentions, texts, folded, strict=True):
        mention.entities = extract_entities(text, brand_terms, folded_text)
    lap("entities", started)
    return mentions


def rescore_matched(mentions: list[RawMention], workspace_id: int | None = None) -> None:
    """Score again, with the accurate tier, the mentions a watch matched.

    Those are the mentions people read and answer; the embedding tier reads them much
    better than the fast one (see docs/accuracy.md) at about 90 mentions a second, which
    is affordable for them and not for everything collected.
    """
    chosen = [mention for mention in mentions if mention.matches and mention.text.strip()]
    if not chosen:
        return
    texts = [clip(f"{m.title}\n{m.text}".strip()) for m in chosen]
    normalised = [normalise(text) for text in texts]
    results = get_models(workspace_id).score(
        texts, [m.language for m in chosen], accurate=True, normalised=normalised
    )
    labels = [result.label for result in results]
    intents = detect_intents_batch(normalised, labels)
    for mention, result, found in zip(chosen, results, intents, strict=True):
        mention.sentiment = result.label
        mention.sentiment_score = result.score
        mention.sentiment_confidence = result.confidence
        mention.intents = found
