"""Who to answer first: a priority score with the reasons behind it, shown to the team.

Every point of the score comes with a reason a person can read ("question", "negative",
"reach 12k", "detractor, 4th complaint", "SLA due in 20 min"), so the order of the inbox
explains itself and a team can disagree with it knowingly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words that speak to the person or brand addressed: "vous", "tu", "votre", "you", …
_ADDRESSED = re.compile(r"\b(?:vous|votre|vos|tu|toi|ton|ta|tes|t'|you|your)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Signals:
    """What is known about the latest unanswered message of a conversation."""

    text: str
    sentiment: str = ""
    sentiment_confidence: float | None = None
    intents: tuple[str, ...] = ()
    author_reach: int | None = None
    earlier_complaints: int = 0  # by the same author, in this workspace
    new_replies: int = 0  # in the thread, in the last two hours
    minutes_to_due: float | None = None  # negative once the SLA is breached
    mentions_brand: bool = False  # names the brand or its handle


@dataclass(frozen=True, slots=True)
class Priority:
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _reach(value: int) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 1_000:
        return f"{value // 1000}k"
    return str(value)


def priority(signals: Signals) -> Priority:
    """A score (higher first) and its reasons, from the signals of a conversation."""
    points: list[tuple[float, str]] = []
    intents = set(signals.intents)
    if "spam" in intents:
        return Priority(-50.0, (_("spam or contest hunting"),))
    if "question" in intents:
        points.append((30, _("question")))
    if "complaint" in intents:
        points.append((25, _("complaint")))
    if "purchase_intent" in intents:
        points.append((20, _("purchase intent")))
    if signals.sentiment == "negative":
        points.append((10 * (signals.sentiment_confidence or 0.5), _("negative")))
    if "praise" in intents:
        points.append((5, _("praise")))
    if signals.earlier_complaints:
        nth = signals.earlier_complaints + 1
        points.append(
            (min(10 * signals.earlier_complaints, 30), _("detractor, complaint no. %d") % nth)
        )
    if signals.author_reach:
        points.append(
            (
                min(5 * math.log10(max(signals.author_reach, 1)), 25),
                _("reach %s") % _reach(signals.author_reach),
            )
        )
    if signals.new_replies:
        points.append(
            (
                min(5 * signals.new_replies, 20),
                ngettext(
                    "thread growing: %d new reply",
                    "thread growing: %d new replies",
                    signals.new_replies,
                )
                % signals.new_replies,
            )
        )
    if signals.mentions_brand or _ADDRESSED.search(signals.text):
        points.append((5, _("addressed to you")))
    length = len(signals.text)
    if length >= 300:
        points.append((min(length / 100, 10), _("long, argued message")))
    if signals.minutes_to_due is not None:
        if signals.minutes_to_due < 0:
            points.append((30, _("SLA breached")))
        elif signals.minutes_to_due <= 60:
            points.append((20, _("SLA due in %d min") % round(signals.minutes_to_due)))
    points.sort(key=lambda point: -point[0])
    return Priority(
        round(sum(value for value, _reason in points), 1),
        tuple(reason for value, reason in points if value > 0),
    )
