"""Sentiment: negative / neutral / positive, with a score in [-1, 1] and a confidence.

Two tiers (see docs/accuracy.md):

- fast: TF-IDF over word 1-2-grams and in-word character n-grams, logistic regression,
  trained on French; it scores every mention, a whole batch at once;
- accurate: multilingual sentence embeddings and a logistic regression, for the mentions
  that matter (matched by a watch, in the inbox).

English posts, which the French fast model cannot read, go through a small English word
list (lexicon.py) in the fast tier and through the multilingual embeddings in the accurate
tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from veille.enrich import embedding
from veille.enrich.features import FastTfidf
from veille.enrich.lexicon import lexicon_score
from veille.enrich.text import fold, normalise, tokens

LABELS = ("negative", "neutral", "positive")
_NEUTRAL_BAND = 0.2


@dataclass(frozen=True, slots=True)
class SentimentResult:
    label: str
    score: float  # P(positive) - P(negative), in [-1, 1]
    confidence: float  # probability of the label, in [0, 1]

    @classmethod
    def from_probabilities(cls, row: np.ndarray) -> SentimentResult:
        best = int(np.argmax(row))
        return cls(LABELS[best], round(float(row[2] - row[0]), 4), round(float(row[best]), 4))


NO_SENTIMENT = SentimentResult("neutral", 0.0, 0.0)


@dataclass
class FastModel:
    vectoriser: FastTfidf
    classifier: LogisticRegression

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[int],
        c: float = 10.0,
        weights: Sequence[float] | None = None,
    ) -> FastModel:
        vectoriser = FastTfidf(char_range=(2, 5), min_df_char=2)
        matrix = vectoriser.fit_transform([tokens(normalise(text)) for text in texts])
        classifier = LogisticRegression(C=c, max_iter=5000)
        classifier.fit(
            matrix,
            np.asarray(labels),
            sample_weight=None if weights is None else np.asarray(weights),
        )
        return cls(vectoriser, classifier)

    def probabilities(self, normalised: Sequence[str]) -> np.ndarray:
        if not normalised:
            return np.zeros((0, 3))
        matrix = self.vectoriser.transform([tokens(text) for text in normalised])
        return self.classifier.predict_proba(matrix)


@dataclass
class EmbeddingModel:
    classifier: LogisticRegression

    @classmethod
    def train(
        cls,
        vectors: np.ndarray,
        labels: Sequence[int],
        c: float = 3.0,
        weights: Sequence[float] | None = None,
    ) -> EmbeddingModel:
        classifier = LogisticRegression(C=c, max_iter=5000)
        classifier.fit(
            vectors,
            np.asarray(labels),
            sample_weight=None if weights is None else np.asarray(weights),
        )
        return cls(classifier)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 3))
        return self.classifier.predict_proba(embedding.embed(texts))


@dataclass
class SentimentModels:
    """What `veille train` saves: the tiers and how they were made."""

    fast: FastModel | None
    accurate: EmbeddingModel | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def score(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        accurate: bool = False,
        normalised: Sequence[str] | None = None,
    ) -> list[SentimentResult]:
        """Score a batch; `accurate` uses the embedding tier where it is available."""
        if normalised is None:
            normalised = [normalise(text) for text in texts]
        results: list[SentimentResult] = [NO_SENTIMENT] * len(texts)
        use_embeddings = accurate and self.accurate is not None and embedding.available()
        if use_embeddings and self.accurate is not None:
            keep = [i for i, text in enumerate(texts) if text.strip()]
            probabilities = self.accurate.probabilities([texts[i] for i in keep])
            if self.fast is not None:
                french = [k for k, i in enumerate(keep) if languages[i] != "en"]
                fast = self.fast.probabilities([normalised[keep[k]] for k in french])
                probabilities[french] = (probabilities[french] + fast) / 2
            for k, i in enumerate(keep):
                results[i] = SentimentResult.from_probabilities(probabilities[k])
            return results
        english = [i for i, lang in enumerate(languages) if lang == "en" or self.fast is None]
        for i in english:
            results[i] = _lexicon_result(texts[i])
        if self.fast is not None:
            english_set = set(english)
            others = [i for i in range(len(texts)) if i not in english_set and texts[i].strip()]
            probabilities = self.fast.probabilities([normalised[i] for i in others])
            for row, i in zip(probabilities, others, strict=True):
                results[i] = SentimentResult.from_probabilities(row)
        return results


def _lexicon_result(text: str) -> SentimentResult:
    value = lexicon_score(fold(text))
    if value > _NEUTRAL_BAND:
        label = "positive"
    elif value < -_NEUTRAL_BAND:
        label = "negative"
    else:
        label = "neutral"
    # A word list is sure of little: confidence grows with the score, capped.
    confidence = 0.4 + 0.4 * abs(value) if label != "neutral" else 0.4
    return SentimentResult(label, round(value, 4), round(confidence, 4))
