from __future__ import annotations

from tests.query.helpers import find, found


def test_two_terms_side_by_side_mean_and():
    assert found("café bio", "Un café bio")
    assert not found("café bio", "Un café")


def test_and():
    assert found("café AND bio", "bio, et café")
    assert not found("café AND bio", "un thé bio")


def test_or():
    assert found("café OR thé", "un thé")
    assert not found("café OR thé", "une tisane")


def test_not_and_minus():
    assert found("café NOT emploi", "un café")
    assert not found("café NOT emploi", "café : offre d'emploi")
    assert not found("café -emploi", "café : offre d'emploi")
    assert not found('café -"offre d\'emploi"', "café : offre d’emploi")


def test_parentheses_group():
    assert found("(café OR thé) AND bio", "thé bio")
    assert not found("(café OR thé) AND bio", "thé vert")


def test_phrase_needs_the_words_in_a_row():
    assert found('"Brûlerie Azur"', "chez brulerie azur hier")
    assert not found('"Brûlerie Azur"', "brulerie d'azur")


def test_wildcard_suffix():
    assert found("market*", "le Marketing digital")
    assert found('"réseaux soc*"', "les réseaux sociaux")
    assert not found("market*", "le marché")


def test_near_either_order():
    assert found("café NEAR/3 bio", "bio et bon café")
    assert found("café NEAR/3 bio", "café vraiment bio")
    assert not found("café NEAR/2 bio", "bio et bon café")


def test_onear_in_order():
    assert found("café ONEAR/3 bio", "café vraiment bio")
    assert not found("café ONEAR/3 bio", "bio et bon café")


def test_near_between_groups_and_phrases():
    query = '("Brûlerie Azur" OR azurmoka) NEAR/4 (livraison OR retard)'
    assert found(query, "La livraison de la Brûlerie Azur")
    assert not found(query, "La livraison est arrivée hier, puis enfin la Brûlerie Azur")


def test_matched_terms_are_the_query_s_terms_in_its_order():
    match = find('"Brûlerie Azur" OR "Azur Moka"', "J'adore le azur moka de la BRULERIE AZUR !")
    assert match is not None
    assert match.terms == ("Brûlerie Azur", "Azur Moka")


def test_spans_point_into_the_original_text():
    text = "J’adore la Brûlerie — azur !"
    match = find('"brulerie azur"', text)
    assert match is not None
    (span,) = match.spans
    assert (span.field, text[span.start : span.end]) == ("text", "Brûlerie — azur")


def test_spans_of_near_are_both_sides():
    text = "bio et bon café"
    match = find("café NEAR/3 bio", text)
    assert match is not None
    assert [text[s.start : s.end] for s in match.spans] == ["bio", "café"]
