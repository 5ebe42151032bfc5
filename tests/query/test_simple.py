from __future__ import annotations

from veille.query.simple import SimpleMatcher, fold, parse_terms


def test_fold_removes_case_accents_and_curly_apostrophes():
    assert fold("L’Été À Marseille") == "l'ete a marseille"


def test_parse_terms_splits_on_or_and_commas_and_strips_quotes():
    assert parse_terms('"Brûlerie Azur" OR moka, espresso or  ') == [
        "Brûlerie Azur",
        "moka",
        "espresso",
    ]


def test_terms_match_whole_words_without_case_or_accents():
    matcher = SimpleMatcher({1: "médias", 2: "café"})
    assert matcher.match("Les MEDIAS parlent du cafe.") == {1: ["médias"], 2: ["café"]}
    assert matcher.match("multimédiasphère et cafetière") == {}


def test_a_phrase_matches_across_any_whitespace():
    matcher = SimpleMatcher({7: '"Brûlerie Azur"'})
    assert matcher.match("chez brulerie\n  azur hier") == {7: ["Brûlerie Azur"]}
    assert matcher.match("brulerie d'azur") == {}
