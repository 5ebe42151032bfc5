"""Measured accuracy: sentiment macro-F1 per class and per language, intent precision and
recall per intent. `veille eval` prints these; docs/accuracy.md publishes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import f1_score, precision_recall_fscore_support

from veille.enrich.intent import INTENTS, detect_intents
from veille.enrich.language import detect_language
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


def sentiment_report(name: str, gold: Sequence[str], predicted: Sequence[str]) -> SentimentReport:
    per_class = f1_score(gold, predicted, labels=list(LABELS), average=None, zero_division=0)
    return SentimentReport(
        name,
        len(gold),
        round(float(per_class.mean()), 3),
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
    gold = [[intent in item["intents"] for intent in INTENTS] for item in items]
    found = []
    for item in items:
        sentiment = item["sentiment"] if use_gold_sentiment else ""
        intents = detect_intents(normalise(item["text"]), sentiment)
        found.append([intent in intents for intent in INTENTS])
    precision, recall, _, support = precision_recall_fscore_support(
        gold, found, average=None, zero_division=0
    )
    return [
        IntentReport(intent, int(s), round(float(p), 3), round(float(r), 3))
        for intent, p, r, s in zip(INTENTS, precision, recall, support, strict=True)
    ]


def language_accuracy() -> float:
    items = own_labelled()
    return round(sum(detect_language(i["text"]) == i["lang"] for i in items) / len(items), 3)
