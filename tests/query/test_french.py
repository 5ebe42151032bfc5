from __future__ import annotations

from tests.query.helpers import found
from veille.query.normalise import fold, tokens


def test_case_and_accents_are_optional_both_ways():
    assert found("medias", "les MÉDIAS")
    assert found("médias", "les medias")
    assert found("coeur", "le cœur")


def test_elisions_with_either_apostrophe():
    assert found("entreprise", "l'entreprise")
    assert found("entreprise", "d’entreprise")
    assert found("l'entreprise", "L’ENTREPRISE")


def test_hashtags_are_split_on_case():
    assert found('"médias sociaux"', "Les #MediasSociaux")
    assert found("mediassociaux", "Les #MediasSociaux")
    assert found('"médias sociaux" AND demain', "#MediasSociaux demain")


def test_punctuation_and_emoji_never_break_a_phrase():
    assert found('"Brûlerie Azur"', "Brûlerie… 😍 Azur!")


def test_words_are_whole():
    assert not found("azur", "azurite")


def test_tokens_keep_offsets_into_the_original_text():
    text = "L’Été #CafeBio"
    assert [(t.key, text[t.start : t.end]) for t in tokens(text, "text")] == [
        ("l", "L"),
        ("ete", "Été"),
        ("#cafebio", "#CafeBio"),
        ("cafebio", "#CafeBio"),
        ("cafe", "Cafe"),
        ("bio", "Bio"),
    ]


def test_fold():
    assert fold("L’Été À Marseille") == "l'ete a marseille"
