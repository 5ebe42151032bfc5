from __future__ import annotations

from tests.query.helpers import find, found


def test_title():
    assert found("title:azur", "rien", title="Brûlerie Azur")
    assert not found("title:azur", "Brûlerie Azur", title="Autre")


def test_author_handle_and_name():
    assert found("author:jean", "x", author="@jean_dupont")
    assert found('author:"Jean Dupont"', "x", author_name="Jean Dupont")
    assert not found("author:jean", "jean", author="@marie")


def test_site_covers_subdomains_only():
    assert found("site:example.org", "x", url="https://blog.example.org/1")
    assert found("site:example.org", "x", url="https://example.org/1")
    assert not found("site:example.org", "x", url="https://notexample.org/1")


def test_url_words():
    assert found('url:"blog/2026"', "x", url="https://example.org/blog/2026/azur")
    assert not found("url:azur", "azur", url="https://example.org/")


def test_lang():
    assert found("azur lang:fr", "azur", lang="fr-FR")
    assert not found("azur lang:fr", "azur", lang="en")
    assert found("azur lang:(fr OR en)", "azur", lang="en")


def test_platform():
    assert found("azur platform:mastodon", "azur", platform="Mastodon")
    assert not found("azur platform:mastodon", "azur", platform="bluesky")


def test_kind():
    assert found("azur kind:comment", "azur", kind="comment")
    assert not found("azur kind:comment", "azur", kind="post")


def test_hashtag():
    assert found("#MediasSociaux", "vive les #médiasSociaux")
    assert not found("#mediassociaux", "les médias sociaux")


def test_handle():
    assert found("@brulerieazur", "merci @BrulerieAzur !")
    assert not found("@brulerieazur", "merci brulerie azur")


def test_field_terms_are_labelled_with_their_field():
    match = find("title:azur OR site:example.org", "x", title="Azur", url="https://example.org")
    assert match is not None
    assert match.terms == ("title:azur", "site:example.org")
