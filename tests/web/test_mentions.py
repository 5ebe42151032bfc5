"""The mention list: workspace isolation, filters, paging, escaping, time zone, query count."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web import factories
from veille.core.models import Role, Workspace
from veille.web.templatetags.veille import safe_http_url

pytestmark = pytest.mark.django_db

ARTICLE = '<article class="mention'


def shown(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def count_mentions(page: str) -> int:
    return page.count(ARTICLE)


@pytest.fixture
def catalogue(space_a: Workspace) -> dict[str, object]:
    """Three mentions of workspace A that differ in every filtered field."""
    coffee = factories.watch(space_a, "Coffee")
    rival = factories.watch(space_a, "Rival")
    blog = factories.source(space_a, name="Blog des gourmets", media_category="earned")
    factories.mention(
        space_a,
        feed=blog,
        watches=(coffee,),
        title="TOKEN-ALPHA",
        text="Un café délicieux",
        language="fr",
        sentiment="positive",
        kind="post",
        media_category="earned",
        published_at=datetime(2024, 3, 10, 12, 0, tzinfo=UTC),
    )
    factories.mention(
        space_a,
        feed=blog,
        watches=(rival,),
        title="TOKEN-BRAVO",
        text="Terrible service at the shop",
        language="en",
        sentiment="negative",
        kind="comment",
        media_category="owned",
        # 00:30 on 12 March in Paris, still the 11th in UTC.
        published_at=datetime(2024, 3, 11, 23, 30, tzinfo=UTC),
    )
    factories.mention(
        space_a,
        feed=blog,
        title="TOKEN-CHARLIE",
        text="Promoción especial",
        language="es",
        sentiment="neutral",
        kind="reply",
        media_category="paid",
        published_at=datetime(2024, 3, 14, 8, 0, tzinfo=UTC),
    )
    return {"coffee": coffee, "rival": rival}


def titles(page: str) -> set[str]:
    return set(re.findall(r"TOKEN-[A-Z]+", page))


def test_the_list_shows_each_mention_with_its_details(agent_client: Client, catalogue) -> None:
    page = shown(agent_client.get(reverse("mentions")))
    assert titles(page) == {"TOKEN-ALPHA", "TOKEN-BRAVO", "TOKEN-CHARLIE"}
    assert "Un café délicieux" in page
    assert "Blog des gourmets" in page
    assert "Coffee" in page and "Rival" in page
    assert 'rel="noopener noreferrer nofollow"' in page
    assert 'target="_blank"' in page


def test_long_texts_are_truncated(agent_client: Client, space_a: Workspace) -> None:
    factories.mention(space_a, text="mot " * 500)
    page = shown(agent_client.get(reverse("mentions")))
    assert "mot " * 120 not in page
    assert "…" in page


def test_the_author_display_name_is_shown(agent_client: Client, space_a: Workspace) -> None:
    factories.mention(space_a, author=factories.author(display_name="Camille Martin"))
    factories.mention(space_a, author=factories.author(handle="sans_nom", display_name=""))
    page = shown(agent_client.get(reverse("mentions")))
    assert "Camille Martin" in page
    assert "sans_nom" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"language": "fr"}, {"TOKEN-ALPHA"}),
        ({"language": "en"}, {"TOKEN-BRAVO"}),
        ({"sentiment": "negative"}, {"TOKEN-BRAVO"}),
        ({"sentiment": "neutral"}, {"TOKEN-CHARLIE"}),
        ({"kind": "comment"}, {"TOKEN-BRAVO"}),
        ({"kind": "reply"}, {"TOKEN-CHARLIE"}),
        ({"media_category": "paid"}, {"TOKEN-CHARLIE"}),
        ({"media_category": "owned"}, {"TOKEN-BRAVO"}),
        # SQLite folds the case of ASCII letters only (see the report on accents).
        ({"q": "DéLICIEUX"}, {"TOKEN-ALPHA"}),
        ({"q": "token-charlie"}, {"TOKEN-CHARLIE"}),
        # Days are the workspace's (Europe/Paris): 23:30 UTC on the 11th is the 12th there.
        ({"since": "2024-03-12"}, {"TOKEN-BRAVO", "TOKEN-CHARLIE"}),
        ({"until": "2024-03-11"}, {"TOKEN-ALPHA"}),
        ({"since": "2024-03-12", "until": "2024-03-12"}, {"TOKEN-BRAVO"}),
        ({"language": "fr", "sentiment": "negative"}, set()),
    ],
)
def test_each_filter_narrows_the_list(
    agent_client: Client, catalogue, params: dict[str, str], expected: set[str]
) -> None:
    page = shown(agent_client.get(reverse("mentions"), params))
    found = titles(page.split('<ol class="mentions">', 1)[-1]) if expected else set()
    assert found == expected
    assert count_mentions(page) == len(expected)


def test_the_watch_filter_keeps_the_mentions_that_watch_matched(
    agent_client: Client, catalogue
) -> None:
    page = shown(agent_client.get(reverse("mentions"), {"watch": catalogue["coffee"].pk}))
    assert count_mentions(page) == 1
    assert "TOKEN-ALPHA" in page


def test_a_watch_of_another_workspace_is_not_a_valid_filter(
    agent_client: Client, catalogue, space_b: Workspace
) -> None:
    foreign = factories.watch(space_b, "Foreign watch")
    factories.mention(space_b, watches=(foreign,), title="TOKEN-FOREIGN")
    page = shown(agent_client.get(reverse("mentions"), {"watch": foreign.pk}))
    assert "TOKEN-FOREIGN" not in page
    assert "Foreign watch" not in page
    assert 'class="field-error"' in page


def test_a_bad_filter_value_is_reported_and_the_others_still_apply(
    agent_client: Client, catalogue
) -> None:
    page = shown(agent_client.get(reverse("mentions"), {"since": "not a date", "language": "en"}))
    assert 'class="field-error"' in page
    assert count_mentions(page) == 1 and "TOKEN-BRAVO" in page


def test_a_member_of_one_workspace_never_sees_another_ones_mentions(
    agent_client: Client, space_a: Workspace, space_b: Workspace
) -> None:
    factories.mention(space_a, title="TOKEN-MINE")
    factories.mention(space_b, title="TOKEN-THEIRS", language="fr")
    for params in ({}, {"q": "TOKEN"}, {"language": "fr"}, {"page": "2"}):
        page = shown(agent_client.get(reverse("mentions"), params))
        assert "TOKEN-THEIRS" not in page


def test_paging_shows_fifty_a_page_and_keeps_the_filters(
    agent_client: Client, space_a: Workspace
) -> None:
    feed = factories.source(space_a)
    for _ in range(120):
        factories.mention(space_a, feed=feed, language="fr")
    for _ in range(7):
        factories.mention(space_a, feed=feed, language="en")

    first = shown(agent_client.get(reverse("mentions"), {"language": "fr"}))
    assert count_mentions(first) == 50
    assert "language=fr&amp;page=2" in first
    assert "language=fr&amp;page=3" in first  # the "last" link

    second = shown(agent_client.get(reverse("mentions"), {"language": "fr", "page": "2"}))
    assert count_mentions(second) == 50
    assert "language=fr&amp;page=1" in second and "language=fr&amp;page=3" in second

    third = shown(agent_client.get(reverse("mentions"), {"language": "fr", "page": "3"}))
    assert count_mentions(third) == 20
    assert "page=4" not in third

    past_the_end = shown(agent_client.get(reverse("mentions"), {"language": "fr", "page": "9"}))
    assert count_mentions(past_the_end) == 20


HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_hostile_mentions_are_shown_as_text_and_never_as_a_script_link(
    agent_client: Client, space_a: Workspace, url: str
) -> None:
    factories.mention(
        space_a,
        title=HOSTILE,
        text=HOSTILE,
        url=url,
        author=factories.author(display_name=HOSTILE),
        feed=factories.source(space_a, name=HOSTILE),
    )
    page = shown(agent_client.get(reverse("mentions")))
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    lowered = page.lower()
    assert 'href="javascript:' not in lowered
    assert 'href=" javascript:' not in lowered
    assert 'href="data:' not in lowered and 'href="vbscript:' not in lowered
    assert 'target="_blank"' not in lowered


def test_an_http_url_is_a_link(agent_client: Client, space_a: Workspace) -> None:
    factories.mention(space_a, url="https://news.example.org/a?b=1&c=<2>")
    page = shown(agent_client.get(reverse("mentions")))
    assert 'href="https://news.example.org/a?b=1&amp;c=&lt;2&gt;"' in page


def test_times_are_shown_in_the_workspace_time_zone(space_b: Workspace) -> None:
    person = factories.user("newyorker")
    factories.member(person, space_b, Role.VIEWER)
    factories.mention(space_b, published_at=datetime(2024, 1, 15, 12, 0, tzinfo=UTC))
    client = Client()
    client.force_login(person)
    page = shown(client.get(reverse("mentions")))
    assert "2024-01-15 07:00" in page
    assert 'datetime="2024-01-15T07:00:00-05:00"' in page
    assert "America/New_York" in page


def test_the_same_instant_in_paris(agent_client: Client, space_a: Workspace) -> None:
    factories.mention(space_a, published_at=datetime(2024, 1, 15, 12, 0, tzinfo=UTC))
    page = shown(agent_client.get(reverse("mentions")))
    assert "2024-01-15 13:00" in page


def _fill(space: Workspace, how_many: int) -> None:
    watches = [factories.watch(space), factories.watch(space)]
    feeds = [factories.source(space), factories.source(space)]
    for number in range(how_many):
        factories.mention(
            space,
            feed=feeds[number % 2],
            author=factories.author(),
            watches=tuple(watches),
            sentiment="positive",
        )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("mentions")).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_mentions(
    agent_client: Client, space_a: Workspace, django_assert_max_num_queries
) -> None:
    _fill(space_a, 5)
    few = _queries(agent_client)
    _fill(space_a, 45)
    with django_assert_max_num_queries(few):
        page = shown(agent_client.get(reverse("mentions")))
    assert count_mentions(page) == 50
    assert few <= 12  # session, workspace, role, count, page, watches and corrections prefetches…


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("javascript:alert(1)", ""),
        ("  https://example.org/", ""),
        ("https://exa\nmple.org/", ""),
        ("https:///no-host", ""),
        ("//example.org/relative", ""),
        ("/local/path", ""),
        ("ftp://example.org/", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_http_url_keeps_only_absolute_http_urls(value: object, expected: str) -> None:
    assert safe_http_url(value) == expected
