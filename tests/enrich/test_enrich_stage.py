from __future__ import annotations

from datetime import UTC, datetime

import pytest

from veille.collect.base import RawMention
from veille.enrich.dedupe import find_duplicates
from veille.enrich.entities import extract_entities
from veille.enrich.evaluate import evaluate_intents, evaluate_sentiment
from veille.enrich.intent import detect_intents
from veille.enrich.language import detect_language
from veille.enrich.stage import enrich
from veille.enrich.text import normalise
from veille.enrich.train import get_models


def _mention(i: int, text: str) -> RawMention:
    return RawMention(external_id=str(i), url="", published_at=datetime.now(UTC), text=text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Il prodotto è arrivato rotto, vorrei un rimborso per favore.", "it"),
        ("O produto chegou quebrado, quero o reembolso por favor.", "pt"),
        ("Het product kwam kapot aan, ik wil graag mijn geld terug.", "nl"),
        ("ok", "und"),
    ],
)
def test_more_languages(text: str, lang: str):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Service client nul, colis jamais reçu, je suis très déçu", "fr", "negative"),
        ("Merci beaucoup, super accueil, je recommande !", "fr", "positive"),
        ("Terrible service, my parcel never arrived, so disappointed", "en", "negative"),
        ("Love it, great quality, thanks!", "en", "positive"),
    ],
)
def test_clear_sentiment(text: str, lang: str, expected: str):
    (result,) = get_models().score([text], [lang])
    assert result.label == expected
    assert 0 <= result.confidence <= 1 and -1 <= result.score <= 1


def test_fast_tier_reaches_the_target_on_xlmt_val():
    french_val = evaluate_sentiment(get_models())[0]
    assert french_val.macro_f1 >= 0.65


def test_intents():
    assert detect_intents(normalise("Vous livrez en Suisse ?")) == ["question"]
    assert "complaint" in detect_intents(normalise("Remboursement toujours pas reçu"), "negative")
    assert "spam" in detect_intents(normalise("Je participe ! #concours @ami"))
    assert "purchase_intent" in detect_intents(normalise("Je vais commander le pack demain"))
    assert all(r.precision >= 0.7 and r.recall >= 0.7 for r in evaluate_intents())


def test_near_duplicates_link_to_the_earliest():
    base = "La nouvelle gamme de thés Lumen est vraiment excellente, je la recommande à tous"
    texts = [
        base,
        "RT @bob " + base + " !!",
        "Rien à voir : panne de fibre ce matin encore une fois",
    ]
    assert find_duplicates([normalise(t) for t in texts]) == [None, 0, None]


def test_entities():
    found = extract_entities(
        "Merci @lumen_fr pour le café de Banque Azur ! #cafe https://www.lumen.example/a",
        ["lumen"],
    )
    assert found["brands"] == ["lumen"]
    assert found["handles"] == ["@lumen_fr"]
    assert found["hashtags"] == ["#cafe"]
    assert found["domains"] == ["lumen.example"]
    assert "Banque Azur" in found["names"]


@pytest.mark.parametrize("text", ["", "😀😀😀", "x" * 1_000_000, "Привет мир hello 你好 bonjour"])
def test_bad_input_gets_sensible_labels(text: str):
    (mention,) = enrich([_mention(1, text)])
    assert mention.sentiment in {"negative", "neutral", "positive"}
    assert isinstance(mention.intents, list)


def test_stage_fills_every_field():
    mentions = enrich(
        [_mention(1, "Je suis déçu, colis cassé"), _mention(2, "Je suis déçu, colis cassé")]
    )
    assert mentions[0].language == "fr" and mentions[0].sentiment == "negative"
    assert mentions[1].duplicate_of == "1"


def test_only_matched_mentions_are_scored_again_by_the_accurate_tier():
    from datetime import UTC, datetime

    from veille.collect.base import RawMention
    from veille.enrich.stage import rescore_matched

    praise = (
        "Nouvelle box Découverte de Brûlerie Azur reçue, Brésil Cerrado cette fois, "
        "avec de la noisette grillée. Bravo !"
    )
    when = datetime(2026, 3, 1, tzinfo=UTC)
    matched = RawMention("a", "https://x.example/a", when, praise, language="fr")
    matched.matches = {1: ["Brûlerie Azur"]}
    unmatched = RawMention("b", "https://x.example/b", when, praise, language="fr")
    unmatched.sentiment = "untouched"
    rescore_matched([matched, unmatched])
    assert matched.sentiment == "positive"
    assert "praise" in matched.intents
    assert unmatched.sentiment == "untouched"
