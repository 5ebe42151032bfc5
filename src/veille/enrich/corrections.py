"""People's corrections of sentiment and intents: stored as labels, applied to the
mention, and re-applied after any re-enrichment so that no model overwrites them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

from veille.enrich.intent import INTENTS
from veille.enrich.sentiment import LABELS

_SCORES = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


# Sent with `mention_ids` once stored mentions were given new values (a person's
# correction, or a re-enrichment): later stages that keep a copy refresh it.
mentions_rescored = Signal()


class CorrectionError(ValueError):
    """A correction names an unknown sentiment or intent."""


def correct(
    mention: Any,
    *,
    sentiment: str | None = None,
    intents: list[str] | None = None,
    author: Any = None,
) -> list[Any]:
    """Store the corrections of one mention and apply them; returns the new labels."""
    from veille.core.models import Correction

    if sentiment is not None and sentiment not in LABELS:
        raise CorrectionError(f"unknown sentiment {sentiment!r}: use {', '.join(LABELS)}")
    unknown = [i for i in intents or [] if i not in INTENTS]
    if unknown:
        raise CorrectionError(f"unknown intent {unknown[0]!r}: use {', '.join(INTENTS)}")
    labels = []
    if sentiment is not None:
        labels.append(
            Correction(
                workspace_id=mention.workspace_id,
                mention=mention,
                field="sentiment",
                value=sentiment,
                author=author,
            )
        )
    if intents is not None:
        labels.append(
            Correction(
                workspace_id=mention.workspace_id,
                mention=mention,
                field="intents",
                value=sorted(set(intents)),
                author=author,
            )
        )
    for label in labels:
        label.save()
    apply_corrections([mention])
    return labels


def apply_corrections(mentions: Iterable[Any]) -> None:
    """Give stored mentions their latest corrected values (after enrichment, always)."""
    from veille.core.models import Correction, Mention

    by_id = {m.pk: m for m in mentions}
    changed = {}
    for label in Correction.objects.filter(mention_id__in=list(by_id)).order_by("created_at", "id"):
        mention = by_id[label.mention_id]
        if label.field == "sentiment":
            mention.sentiment = label.value
            mention.sentiment_score = _SCORES[label.value]
            mention.sentiment_confidence = 1.0
        else:
            mention.intents = list(label.value)
        changed[mention.pk] = mention
    Mention.objects.bulk_update(
        list(changed.values()),
        ["sentiment", "sentiment_score", "sentiment_confidence", "intents"],
    )
    # Re-enrichment changed every one of them (it ends here), a correction some: the
    # insights' daily roll-ups count sentiment, so their days are counted again.
    from veille.insights.rollups import refresh_for_mentions

    refresh_for_mentions(list(by_id))
    mentions_rescored.send(sender=apply_corrections, mention_ids=list(by_id))


def reenrich_stored(mentions: list[Any], workspace_id: int | None = None) -> None:
    """Enrich stored mentions again (after `veille train`), corrections kept."""
    from veille.core.models import Mention
    from veille.enrich.intent import detect_intents_batch
    from veille.enrich.text import normalise
    from veille.enrich.train import get_models

    texts = [f"{m.title}\n{m.text}".strip() for m in mentions]
    results = get_models(workspace_id).score(texts, [m.language for m in mentions])
    normalised = [normalise(t) for t in texts]
    intents = detect_intents_batch(normalised, [r.label for r in results])
    for mention, result, found in zip(mentions, results, intents, strict=True):
        mention.sentiment = result.label
        mention.sentiment_score = result.score
        mention.sentiment_confidence = result.confidence
        mention.intents = found
    Mention.objects.bulk_update(
        mentions, ["sentiment", "sentiment_score", "sentiment_confidence", "intents"]
    )
    apply_corrections(mentions)


def workspace_examples(workspace_id: int) -> list[tuple[str, str]]:
    """(text, sentiment) of each corrected mention, the latest correction winning."""
    from veille.core.models import Correction

    latest: dict[int, tuple[str, str]] = {}
    for label in (
        Correction.objects.filter(workspace_id=workspace_id, field="sentiment")
        .select_related("mention")
        .order_by("created_at", "id")
    ):
        text = f"{label.mention.title}\n{label.mention.text}".strip()
        latest[label.mention_id] = (text, label.value)
    return list(latest.values())


def workspace_labelled(workspace_id: int) -> list[tuple[str, str, str]]:
    """(text, language, sentiment) of each corrected mention, the latest correction
    winning, oldest first: what `veille eval --workspace` measures the gain on."""
    from veille.core.models import Correction

    latest: dict[int, tuple[str, str, str]] = {}
    for label in (
        Correction.objects.filter(workspace_id=workspace_id, field="sentiment")
        .select_related("mention")
        .order_by("created_at", "id")
    ):
        mention = label.mention
        latest.pop(mention.pk, None)  # keep the order of the latest corrections
        latest[mention.pk] = (
            f"{mention.title}\n{mention.text}".strip(),
            mention.language,
            label.value,
        )
    return list(latest.values())
