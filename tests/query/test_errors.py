from __future__ import annotations

import pytest

from veille.query import QuerySyntaxError, parse

ERRORS = [
    # query, message fragment, column, hint fragment
    ("(café OR thé", "( is never closed", 1, "add a )"),
    ("café)", ") closes no parenthesis", 5, "remove it"),
    ('"Brûlerie Azur', "quote is never closed", 1, 'closing "'),
    ("café AND", "AND needs a term after it", 6, "remove AND"),
    ("OR café", "OR needs a term before it", 1, "add what OR links"),
    ("café AND OR thé", "a term is missing", 10, "put a term between"),
    ("NOT", "NOT needs a term after it", 1, "leave out"),
    ("café NEAR/0 bio", "NEAR/0 can never match", 6, "NEAR/1 means side by side"),
    ("café NEAR bio", "NEAR needs a number", 6, "NEAR/5"),
    ("café NEAR/500 bio", "too far apart", 6, "use AND"),
    ("auteur:jean", "unknown field 'auteur'", 1, "the fields are"),
    ("", "the query is empty", 1, "listen for"),
    ("   ", "the query is empty", 1, "listen for"),
    ("()", "empty parentheses", 1, "put terms"),
    ('""', "empty phrase", 1, "between the quotes"),
    ("café OR thé bio", "AND and OR are mixed", 6, "(a AND b) OR c"),
    ("NOT emploi", "only says what to leave out", 1, "add what to listen for"),
    ("café, thé", "comma does not separate", 5, "write OR"),
    ("title: azur", "needs a value right after the colon", 1, "without a space"),
    ("ma*rket", "a * goes at the end of a word", 3, "market*"),
    ("m*", "too short", 1, "at least 2 letters"),
    ("café NEAR/3 (bio NOT thé)", "works on words, phrases and OR groups", 14, "outside"),
    ("title:azur NEAR/3 bio", "compares words of one field", 12, "title:(one NEAR/3 other)"),
    ("title:(author:x)", "fields do not nest", 8, "close the first"),
    ("🙂", "has no term to search for", 1, "emoji are ignored"),
    ("site:*.example.org", "takes a whole value", 6, "subdomains"),
]


@pytest.mark.parametrize(("query", "message", "column", "hint"), ERRORS)
def test_errors_say_what_where_and_what_to_do(query, message, column, hint):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    error = caught.value
    assert message in error.message
    assert error.column == column
    assert hint in error.hint


def test_the_caret_is_under_the_mistake():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("café AND OR thé")
    lines = str(caught.value).splitlines()
    assert lines[1] == "  café AND OR thé"
    assert lines[2] == "           ^^"
    assert lines[3].startswith("hint: ")


def test_lowercase_operators_are_words_with_a_warning():
    parsed = parse("café or thé")
    assert parsed.warnings and "'or' is searched as a word" in parsed.warnings[0]
