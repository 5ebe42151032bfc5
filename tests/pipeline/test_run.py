"""collect -> enrich -> match -> store over a local server replaying the real fixture feeds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from tests import factories
from tests.support import FEEDS_DIR
from tests.support.http_server import LocalHTTPServer
from veille.core.models import Mention, Source
from veille.pipeline.run import run_source, run_sources

pytestmark = pytest.mark.django_db

WORDPRESS = (FEEDS_DIR / "wordpress-norm2782.rss2.xml").read_bytes()
BLOGGER_COMMENTS = (FEEDS_DIR / "blogger-comments-thread.atom.xml").read_bytes()


@pytest.fixture
def server(settings: Settings) -> Iterator[LocalHTTPServer]:
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    settings.VEILLE_HTTP_TIMEOUT = 0.5
    with LocalHTTPServer() as running:
        yield running


def test_a_second_collection_stores_nothing_twice(server: LocalHTTPServer):
    url = server.add("/wp.xml", WORDPRESS, content_type="application/rss+xml", etag='"v1"')
    source = factories.feed_source(factories.workspace(), url=url)

    first = run_source(source)
    assert first.ok and first.created == first.fetched > 0
    source.refresh_from_db()
    assert source.cursor["etag"] == '"v1"'

    second = run_source(source)
    assert second.ok and second.not_modified and second.created == 0
    assert server.requests[-1].headers["if-none-match"] == '"v1"'

    # The server forgets its ETag: everything comes again, and nothing is stored twice.
    server.add("/wp.xml", WORDPRESS, content_type="application/rss+xml")
    third = run_source(source)
    assert third.created == 0 and third.already_stored == first.created
    assert Mention.objects.count() == first.created


def test_comment_threads_are_linked_to_their_post(server: LocalHTTPServer):
    url = server.add("/comments.atom", BLOGGER_COMMENTS, content_type="application/atom+xml")
    source = factories.feed_source(factories.workspace(), url=url)
    assert run_source(source).ok
    comments = Mention.objects.exclude(kind="post")
    assert comments.exists()
    assert all(comment.in_reply_to_url for comment in comments)


def test_a_failing_source_keeps_its_error_and_the_others_go_on(server: LocalHTTPServer):
    space = factories.workspace()
    broken = factories.feed_source(space, url=server.add("/down.xml", b"oops", status=500))
    slow = factories.feed_source(
        space, url=server.add("/slow.xml", WORDPRESS, delay=2, content_type="application/rss+xml")
    )
    good = factories.feed_source(
        space, url=server.add("/wp.xml", WORDPRESS, content_type="application/rss+xml")
    )
    garbage = factories.feed_source(
        space, url=server.add("/bad.xml", b"<rss><channel><item><title>x</ti", status=200)
    )

    reports = {report.source.pk: report for report in run_sources([broken, slow, good, garbage])}

    assert reports[good.pk].ok and reports[good.pk].created > 0
    assert "500" in reports[broken.pk].error and "/down.xml" in reports[broken.pk].error
    assert "timed out" in reports[slow.pk].error.lower() or "timeout" in reports[slow.pk].error
    assert "/bad.xml" in reports[garbage.pk].error
    for failed in (broken, slow, garbage):
        stored = Source.objects.get(pk=failed.pk)
        assert stored.consecutive_failures == 1
        assert stored.last_error == reports[failed.pk].error
        assert stored.last_success_at is None
    assert Mention.objects.filter(source=good).count() == reports[good.pk].created
    assert not Mention.objects.exclude(source=good).exists()


def test_a_failure_after_success_loses_nothing_already_stored(server: LocalHTTPServer):
    url = server.add("/wp.xml", WORDPRESS, content_type="application/rss+xml")
    source = factories.feed_source(factories.workspace(), url=url)
    stored = run_source(source).created
    server.add("/wp.xml", WORDPRESS, truncate_to=len(WORDPRESS) // 2)
    report = run_source(source)
    assert not report.ok
    assert Mention.objects.count() == stored
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and source.last_success_at is not None
