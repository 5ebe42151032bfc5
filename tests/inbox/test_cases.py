"""Cases opened from what the pipeline stores: one per thread, reopened by new replies."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from veille.core.models import Case, CaseStatus, Event, Mention
from veille.enrich.corrections import correct, mentions_rescored
from veille.inbox.cases import open_cases
from veille.inbox.models import CaseTriage, WorkspaceSLA
from veille.pipeline.store import store

pytestmark = pytest.mark.django_db


def _space(**fields):
    space = factories.workspace()
    space.default_language = "en"
    space.save()
    watch = space.watches.create(name="Azur", query="azur")
    return space, watch


def _raw(number: int, text: str, watch=None, **extra):
    extra.setdefault("published_at", timezone.now() - timedelta(minutes=60 - number))
    mention = factories.raw(number, text, **extra)
    if watch is not None:
        mention.matches = {watch.pk: ["azur"]}
    return mention


def _store(source, mentions):
    result = store(source, mentions, {})
    return open_cases(source.workspace, result.mention_ids)


def test_store_returns_the_ids_of_the_mentions_it_created():
    space, _watch = _space()
    source = factories.feed_source(space)
    first = store(source, [_raw(1, "a"), _raw(2, "b")], {})
    again = store(source, [_raw(1, "a")], {})
    assert len(first.mention_ids) == 2 and again.mention_ids == []


def test_one_case_per_thread_and_unmatched_threads_open_none():
    space, watch = _space()
    source = factories.feed_source(space)
    post = _raw(1, "Le café Azur est bon", watch)
    comment = _raw(2, "D'accord", kind="comment", in_reply_to_url=post.url)
    reply = _raw(3, "Moi aussi", kind="reply", in_reply_to_url=comment.url)
    elsewhere = _raw(4, "Rien à voir")

    _store(source, [post, comment, reply, elsewhere])

    case = Case.objects.get()
    assert case.thread_root.external_id == post.external_id
    assert case.status == CaseStatus.NEW
    assert case.due_at - case.opened_at == timedelta(minutes=120)
    assert Event.objects.filter(case=case, verb="case.opened").count() == 1


def test_the_workspace_target_sets_the_due_time():
    space, watch = _space()
    WorkspaceSLA.objects.create(workspace=space, first_response_minutes=30)
    _store(factories.feed_source(space), [_raw(1, "azur ?", watch)])
    case = Case.objects.get()
    assert case.due_at - case.opened_at == timedelta(minutes=30)


def test_a_new_reply_reopens_a_closed_case_with_an_event():
    space, watch = _space()
    source = factories.feed_source(space)
    post = _raw(1, "Azur, où est ma commande ?", watch)
    _store(source, [post])
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)

    later = _raw(
        5,
        "Toujours rien",
        kind="comment",
        in_reply_to_url=post.url,
        published_at=timezone.now() + timedelta(minutes=1),
    )
    touched = _store(source, [later])

    case.refresh_from_db()
    assert touched == [case]
    assert case.status == CaseStatus.OPEN
    reopened = Event.objects.get(case=case, verb="case.reopened")
    assert reopened.data == {"from": "closed", "to": "open"}
    assert reopened.mention.external_id == later.external_id
    assert Case.objects.count() == 1


def test_comments_on_owned_posts_open_cases_but_the_brand_itself_does_not():
    space, _watch = _space()
    blog = factories.feed_source(space, url="https://brand.example/feed", media_category="owned")
    post = _raw(1, "Notre nouveau café", author_handle="brand")
    _store(blog, [post])
    assert not Case.objects.exists()

    comment = _raw(2, "Il coûte combien ?", kind="comment", in_reply_to_url=post.url)
    _store(blog, [comment])
    case = Case.objects.get()
    assert case.thread_root.external_id == post.external_id

    # The brand's own answer neither opens nor reopens anything, and is not scored.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.REPLIED)
    answer = _raw(
        3,
        "12 euros",
        kind="reply",
        in_reply_to_url=comment.url,
        author_handle="brand",
        published_at=timezone.now() + timedelta(minutes=1),
    )
    _store(blog, [answer])
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED


def test_priority_is_stored_with_its_reasons_and_a_question_beats_praise():
    space, watch = _space()
    source = factories.feed_source(space)
    question = _raw(1, "Azur livre-t-il à Lyon ?", watch, intents=["question"])
    praise = _raw(2, "Azur, le meilleur café", watch, intents=["praise"])
    _store(source, [question, praise])

    asked = Case.objects.get(thread_root__external_id=question.external_id)
    praised = Case.objects.get(thread_root__external_id=praise.external_id)
    assert asked.priority > praised.priority
    assert "question" in CaseTriage.objects.get(case=asked).reasons
    assert CaseTriage.objects.get(case=praised).reasons[0] == "praise"
    assert CaseTriage.objects.get(case=asked).mention.external_id == question.external_id


def test_a_repeat_complainer_ranks_higher_and_says_so():
    space, watch = _space()
    source = factories.feed_source(space)
    earlier = [
        _raw(n, "Azur, encore en retard", watch, intents=["complaint"], author_handle="marie")
        for n in (1, 2)
    ]
    _store(source, earlier)
    scores = list(Case.objects.order_by("opened_at").values_list("priority", flat=True))
    assert scores[1] > scores[0]
    latest = Case.objects.order_by("opened_at").last()
    assert "detractor, complaint no. 2" in latest.triage.reasons


def test_a_brand_reply_collected_from_the_thread_answers_the_case():
    from datetime import timedelta

    from tests import factories
    from veille.core.models import Author, Case, Event, Mention
    from veille.inbox.cases import open_cases

    space = factories.workspace("Marque")
    blog = factories.feed_source(space, url="https://blog.example/feed", media_category="owned")
    brand = Author.objects.create(platform="blog.example", handle="marque")
    reader = Author.objects.create(platform="blog.example", handle="lecteur")
    start = factories.START
    post = Mention.objects.create(
        workspace=space,
        source=blog,
        external_id="p",
        url="https://blog.example/p",
        author=brand,
        published_at=start,
        media_category="owned",
    )
    post.thread_root = post
    post.save()
    question = Mention.objects.create(
        workspace=space,
        source=blog,
        external_id="c1",
        url="https://blog.example/p#c1",
        author=reader,
        parent=post,
        thread_root=post,
        kind="comment",
        published_at=start + timedelta(hours=1),
        text="Vous livrez en Belgique ?",
        media_category="owned",
    )
    answer = Mention.objects.create(
        workspace=space,
        source=blog,
        external_id="c2",
        url="https://blog.example/p#c2",
        author=brand,
        parent=question,
        thread_root=post,
        kind="reply",
        published_at=start + timedelta(hours=3),
        text="Oui, en 48 h !",
        media_category="owned",
    )
    open_cases(space, [post.pk, question.pk, answer.pk])

    case = Case.objects.get()
    assert case.status == "replied"
    assert case.first_response_at == answer.published_at
    assert case.first_response_time == timedelta(hours=2)
    assert Event.objects.filter(case=case, verb="case.replied", data__collected=True).exists()


def test_a_correction_of_the_shown_message_moves_its_case_and_rescores_it():
    space, watch = _space()
    source = factories.feed_source(space)
    _store(source, [_raw(1, "Azur, livraison reçue", watch, sentiment="neutral")])
    case = Case.objects.get(workspace=space)
    triage = CaseTriage.objects.get(case=case)
    assert triage.sentiment == "neutral"
    before = case.priority

    correct(case.thread_root, sentiment="negative")

    triage.refresh_from_db()
    case.refresh_from_db()
    assert triage.sentiment == "negative"
    assert "negative" in triage.reasons
    assert case.priority > before


def test_a_reenrichment_of_many_mentions_updates_the_tonality_shown(monkeypatch):
    space, watch = _space()
    source = factories.feed_source(space)
    _store(source, [_raw(n, f"Azur numéro {n}", watch, sentiment="neutral") for n in range(3)])
    roots = list(Mention.objects.filter(workspace=space))
    Mention.objects.filter(workspace=space).update(sentiment="positive")
    # Above the bound, cases are not scored again one by one: only the tonality follows.
    monkeypatch.setattr("veille.inbox.cases.RESCORED_CASES", 1)
    priorities = dict(Case.objects.values_list("pk", "priority"))

    mentions_rescored.send(sender=None, mention_ids=[m.pk for m in roots])

    assert set(CaseTriage.objects.values_list("sentiment", flat=True)) == {"positive"}
    assert dict(Case.objects.values_list("pk", "priority")) == priorities


def test_the_migration_fills_the_tonality_of_existing_triage_rows():
    backfill = importlib.import_module("veille.inbox.migrations.0004_casetriage_sentiment")
    space, watch = _space()
    source = factories.feed_source(space)
    _store(source, [_raw(1, "Azur ?", watch, sentiment="negative")])
    shown = _raw(2, "Azur !", watch, sentiment="positive")
    _store(source, [_raw(3, "Azur encore", watch, sentiment="neutral"), shown])
    by_text = {c.thread_root.text: c for c in Case.objects.select_related("thread_root")}
    CaseTriage.objects.filter(case=by_text["Azur ?"]).update(mention=None)
    CaseTriage.objects.update(sentiment="")

    with connection.cursor() as cursor:
        cursor.execute(backfill.BACKFILL)

    tonality = dict(CaseTriage.objects.values_list("case__thread_root__text", "sentiment"))
    assert tonality == {"Azur ?": "negative", "Azur !": "positive", "Azur encore": "neutral"}
