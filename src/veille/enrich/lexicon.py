"""A small English word list with negation: the sentiment tier for English posts.

The project has no labelled English data, so the French-trained fast model does not read
English; this tier, written for the project, does (measured in docs/accuracy.md).
"""

from __future__ import annotations

import re

POSITIVE = frozenset(
    """
    love loved loving lovely like liked great amazing awesome excellent perfect best better
    good nice fantastic wonderful brilliant happy glad delighted recommend recommended thanks
    thank beautiful fast helpful friendly enjoy enjoyed fun super cool impressed favourite
    favorite incredible smooth reliable worth pleased superb delicious yay wow
    """.split()
)
NEGATIVE = frozenset(
    """
    hate hated awful terrible horrible worst worse bad poor broken useless disappointed
    disappointing disappointment scam slow rude refund never angry annoyed annoying fail
    failed failure problem problems issue issues bug buggy waste wasted sucks crap ridiculous
    unacceptable nightmare late missing lost cancel cancelled canceled complaint sad awful
    expensive overpriced dirty wrong damaged fake
    """.split()
)
NEGATORS = frozenset("not no never don't doesn't didn't isn't wasn't can't won't nothing".split())
_POSITIVE_EMOJI = frozenset("😀😃😄😁😊😍🥰😘👍👏🙏❤💕💖✨🎉🔥💯🤩😎🙂")
_NEGATIVE_EMOJI = frozenset("😡😠🤬😞😢😭👎💔😤😒🙄😩😫🤮😖😣")
_WORD = re.compile(r"[a-z']+|[^\w\s]")


def lexicon_score(folded: str) -> float:
    """A score in [-1, 1] from word and emoji counts, flipping words after a negation."""
    positive = negative = 0
    flip = 0
    for token in _WORD.findall(folded):
        if token in NEGATORS:
            flip = 3
            continue
        polarity = (token in POSITIVE or token in _POSITIVE_EMOJI) - (
            token in NEGATIVE or token in _NEGATIVE_EMOJI
        )
        if flip:
            polarity, flip = -polarity, flip - 1
        if polarity > 0:
            positive += 1
        elif polarity < 0:
            negative += 1
    if positive == negative:
        return 0.0
    return (positive - negative) / (positive + negative + 1)
