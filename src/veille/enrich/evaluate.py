"""Measured accuracy: sentiment macro-F1 per class and per language, intent precision and
recall per intent. `veille eval` prints these; docs/accuracy.md publishes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from veille.enrich.intent import INTENTS, detect_intents
from veille.enrich.language import detect_language
from veille.enrich.realset import load_real_comments
from veille.enrich.sentiment import LABELS, SentimentModels
from veille.enrich.text import normalise
from veille.enrich.train import load_xlmt, own_labelled


@dataclass(frozen=True, slots=True)
class SentimentReport:
    name: str
    examples: int
    macro_f1: float
    per_class: dict[str, float]


@dataclass(frozen=True, slots=True)
class IntentReport:
    intent: str
    support: int
    precision: float
    recall: float
    found: int = 0  # how many texts the rules gave this intent


def sentiment_report(
    name: str, gold: Sequence[str], predicted: Sequence[str], present_only: bool = False
) -> SentimentReport:
    """Macro-F1 over the three labels, or with `present_only` over those the gold labels
    hold (a few corrections may all be negative: an absent class is not a failure)."""
    per_class = f1_score(gold, predicted, labels=list(LABELS), average=None, zero_division=0)
    averaged = [v for label, v in zip(LABELS, per_class, strict=True) if label in set(gold)]
    return SentimentReport(
        name,
        len(gold),
        round(float(np.mean(averaged if present_only else per_class)), 3),
        {label: round(float(v), 3) for label, v in zip(LABELS, per_class, strict=True)},
    )


def evaluate_sentiment(models: SentimentModels, accurate: bool = False) -> list[SentimentReport]:
    """xlmt-french val (fr), and the held-out part of our own comments, per language."""
    reports = []
    texts, labels = load_xlmt("val")
    predicted = models.score(texts, ["fr"] * len(texts), accurate=accurate)
    reports.append(
        sentiment_report(
            "fr: xlmt-french val", [LABELS[i] for i in labels], [p.label for p in predicted]
        )
    )
    for lang in ("fr", "en"):
        items = [i for i in own_labelled("dev") if i["lang"] == lang]
        if lang == "en":  # no English data is ever trained on: all of it is held out
            items = [i for i in own_labelled() if i["lang"] == lang]
        predicted = models.score([i["text"] for i in items], [lang] * len(items), accurate=accurate)
        reports.append(
            sentiment_report(
                f"{lang}: project comments (held out)",
                [i["sentiment"] for i in items],
                [p.label for p in predicted],
            )
        )
    return reports


def evaluate_intents(use_gold_sentiment: bool = False) -> list[IntentReport]:
    """Rules against the project's labelled comments (all of them: rules are not trained)."""
    items = own_labelled()
    found = [
        detect_intents(normalise(item["text"]), item["sentiment"] if use_gold_sentiment else "")
        for item in items
    ]
    return intent_reports([item["intents"] for item in items], found)


def evaluate_real_intents(
    models: SentimentModels | None = None, split: str | None = None
) -> list[IntentReport]:
    """Rules against the real French comments of ../shared (realset.py), as the stage runs
    them: with the fast tier's sentiment when `models` is given."""
    items = load_real_comments(split=split)
    texts = [item.text for item in items]
    normalised = [normalise(text) for text in texts]
    sentiments = (
        [r.label for r in models.score(texts, ["fr"] * len(texts), normalised=normalised)]
        if models is not None
        else [""] * len(texts)
    )
    found = [
        detect_intents(text, label) for text, label in zip(normalised, sentiments, strict=True)
    ]
    return intent_reports([list(item.intents) for item in items], found)


def intent_reports(
    gold_lists: Sequence[Sequence[str]], found_lists: Sequence[Sequence[str]]
) -> list[IntentReport]:
    """Precision, recall and support per intent (several intents may hold per text)."""
    gold = [[intent in labels for intent in INTENTS] for labels in gold_lists]
    found = [[intent in labels for intent in INTENTS] for labels in found_lists]
    precision, recall, _, support = precision_recall_fscore_support(
        gold, found, average=None, zero_division=0
    )
    found_counts = np.asarray(found, dtype=bool).reshape(-1, len(INTENTS)).sum(axis=0)
    return [
        IntentReport(intent, int(s), round(float(p), 3), round(float(r), 3), int(n))
        for intent, p, r, s, n in zip(
            INTENTS, precision, recall, support, found_counts, strict=True
        )
    ]


@dataclass(frozen=True, slots=True)
class GainReport:
    corrections: int
    method: str  # "held-out 20 %" or "5-fold cross-validation"
    before: SentimentReport
    after: SentimentReport

    @property
    def gain(self) -> float:
        return round(self.after.macro_f1 - self.before.macro_f1, 3)


MIN_CORRECTIONS = 4
HELD_OUT_FROM = 50


def evaluate_workspace_gain(
    labelled: Sequence[tuple[str, str, str]], base: SentimentModels, seed: int = 0
) -> GainReport:
    """The fast tier without and with a workspace's corrections, on corrections it did not
    learn: a seeded 20 % held out from 50 corrections on, k-fold cross-validation (k up to
    5) below. `labelled` is (text, language, sentiment), as corrections.workspace_labelled
    gives. The base model is scored as it is; the workspace model is trained per fold the
    way `veille train --workspace` trains it (fast tier: the embedding tier would take
    minutes per fold). Macro-F1 is over the classes the corrections hold."""
    from veille.enrich.train import train_models

    count = len(labelled)
    if count < MIN_CORRECTIONS:
        raise ValueError(
            f"{count} sentiment correction(s) in this workspace: at least {MIN_CORRECTIONS} "
            "are needed to measure a gain"
        )
    order = np.random.default_rng(seed).permutation(count)
    if count >= HELD_OUT_FROM:
        folds = [order[: count // 5]]
        method = "held-out 20 %"
    else:
        k = min(5, count)
        folds = [order[i::k] for i in range(k)]
        method = f"{k}-fold cross-validation"
    gold: list[str] = []
    before: list[str] = []
    after: list[str] = []
    for fold in folds:
        held = set(fold.tolist())
        test = [labelled[i] for i in sorted(held)]
        learnt = [(text, label) for i, (text, _, label) in enumerate(labelled) if i not in held]
        texts = [text for text, _, _ in test]
        languages = [language for _, language, _ in test]
        workspace = train_models(seed=seed, extra=learnt, accurate=False)
        gold += [label for _, _, label in test]
        before += [r.label for r in base.score(texts, languages)]
        after += [r.label for r in workspace.score(texts, languages)]
    return GainReport(
        count,
        method,
        sentiment_report("before: base model", gold, before, present_only=True),
        sentiment_report("after: with the workspace's corrections", gold, after, present_only=True),
    )


def language_accuracy() -> float:
    items = own_labelled()
    return round(sum(detect_language(i["text"]) == i["lang"] for i in items) / len(items), 3)
