from __future__ import annotations

import pytest

from tests import factories
from veille.core.models import Author, Mention, MentionMatch
from veille.pipeline.match import WatchMatcher
from veille.pipeline.store import store

pytestmark = pytest.mark.django_db


def test_storing_the_same_batch_twice_adds_nothing_the_second_time():
    space = factories.workspace()
    source = factories.feed_source(space)
    batch = [factories.raw(n) for n in range(5)]

    first = store(source, batch, {"etag": '"v1"'})
    second = store(source, batch, {"etag": '"v1"'})

    assert (first.created, first.already_stored) == (5, 0)
    assert (second.created, second.already_stored) == (0, 5)
    assert Mention.objects.count() == 5
    assert Author.objects.count() == 5


def test_a_batch_repeating_an_item_stores_it_once():
    source = factories.feed_source(factories.workspace())
    result = store(source, [factories.raw(1), factories.raw(1)], {})
    assert result.created == 1
    assert Mention.objects.count() == 1


def test_the_cursor_is_kept_with_the_batch():
    source = factories.feed_source(factories.workspace())
    store(source, [factories.raw(1)], {"etag": '"abc"', "last_modified": "Mon, 02 Mar 2026"})
    source.refresh_from_db()
    assert source.cursor == {"etag": '"abc"', "last_modified": "Mon, 02 Mar 2026"}


def test_the_same_external_id_in_two_sources_is_two_mentions():
    space = factories.workspace()
    one = factories.feed_source(space, url="https://a.example/feed")
    two = factories.feed_source(space, url="https://b.example/feed")
    store(one, [factories.raw(1)], {})
    store(two, [factories.raw(1)], {})
    assert Mention.objects.count() == 2


def test_authors_are_shared_across_mentions_and_batches():
    source = factories.feed_source(factories.workspace())
    store(source, [factories.raw(1, author_handle="marie")], {})
    store(source, [factories.raw(2, author_handle="marie")], {})
    assert Author.objects.filter(handle="marie").count() == 1
    assert Mention.objects.filter(author__handle="marie").count() == 2


def test_replies_are_linked_to_their_parent_and_thread_root_in_any_order():
    source = factories.feed_source(factories.workspace())
    post = factories.raw(1, kind="post")
    comment = factories.raw(2, kind="comment", in_reply_to_url=post.url)
    reply = factories.raw(3, kind="reply", in_reply_to_url=comment.url)

    # The reply arrives first, its parent in a later batch, the post last.
    store(source, [reply], {})
    store(source, [comment], {})
    store(source, [post], {})

    stored = {m.external_id: m for m in Mention.objects.all()}
    root = stored[post.external_id]
    assert stored[comment.external_id].parent == root
    assert stored[reply.external_id].parent == stored[comment.external_id]
    assert {m.thread_root_id for m in stored.values()} == {root.pk}


def test_matches_are_stored_with_their_terms():
    space = factories.workspace()
    watch = space.watches.create(name="Marque", query='"Brûlerie Azur" OR "Azur Moka"')
    space.watches.create(name="Concurrent", query="Nordet")
    source = factories.feed_source(space)
    mentions = [
        factories.raw(1, "J'adore le azur moka de la BRULERIE AZUR !"),
        factories.raw(2, "Rien à voir."),
    ]
    store(source, WatchMatcher.for_workspace(space).match(mentions), {})

    match = MentionMatch.objects.get()
    assert match.watch == watch
    assert sorted(match.terms) == ["Azur Moka", "Brûlerie Azur"]
    assert match.mention.external_id == mentions[0].external_id
