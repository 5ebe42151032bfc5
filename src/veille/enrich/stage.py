"""The enrich stage: what the pipeline learns about each mention before matching."""

from __future__ import annotations

from veille.collect.base import RawMention
from veille.enrich.language import detect_language
from veille.enrich.media import media_category


def enrich(mentions: list[RawMention], source_category: str = "earned") -> list[RawMention]:
    for mention in mentions:
        full_text = f"{mention.title}\n{mention.text}".strip()
        mention.language = detect_language(full_text)
        mention.media_category = media_category(full_text, source_category)
    return mentions
