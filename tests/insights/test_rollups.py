"""The roll-ups give the panels exactly what the mentions give, and follow every change."""

from __future__ import annotations

import random
import zoneinfo
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests import factories
from veille.collect.base import RawMention
from veille.core.models import Author, Case, Mention, MentionMatch, Workspace
from veille.enrich.corrections import correct
from veille.insights import dashboard
from veille.insights.community import (
    monthly_cohorts,
    raw_monthly_cohorts,
    raw_spike_aftermath,
    spike_aftermath,
)
from veille.insights.models import (
    AuthorDay,
    AuthorFirst,
    AuthorMonth,
    DailyEdge,
    DailyVolume,
    MonthlyAuthor,
    MonthlyCohort,
)
from veille.insights.network import author_roles, conversation_graph, ranked_authors
from veille.insights.period import Period
from veille.insights.rollups import (
    local_midnight,
    reading_mentions,
    rebuild_rollups,
    refresh_for_mentions,
    refresh_rollups,
    whole_days,
)
from veille.insights.volume import tally_between, volume_over_time
from veille.pipeline.store import store

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31), PARIS)
SITES = ["https://www.Blog.example/", "https://blog.example/", "https://forum.example:8443/", ""]


def _generated(seed: int = 7) -> Workspace:
    """Two years of a small brand, written in bulk (no signal) as a migration would find it:
    authors on three platforms and some unknown, replies to anyone (oneself too), sites
    with www. and upper case, empty sentiments, times near local midnights and across the
    daylight-saving changes, a contest in June and cases for the team panel."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    workspace = Workspace.objects.create(name="Azur", time_zone="Europe/Paris")
    watches = [
        workspace.watches.create(name=name, query=name.lower(), kind=kind)
        for name, kind in [("Azur", "brand"), ("Nordet", "competitor"), ("Café", "topic")]
    ]
    source = factories.feed_source(workspace)
    authors = [
        Author.objects.create(platform=rng.choice(["x", "forum", "blog"]), handle=f"p{n}")
        for n in range(40)
    ]
    first = datetime(2025, 1, 1, tzinfo=UTC)
    moments = [first + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)) for _ in range(1500)]
    moments += [datetime(2026, 6, 10, 8, tzinfo=UTC) + timedelta(minutes=n) for n in range(300)]
    # Right around local midnights, and the nights the clocks change.
    for night in [date(2026, 1, 1), date(2026, 3, 29), date(2026, 10, 25), date(2027, 1, 1)]:
        midnight = local_midnight(night, PARIS)
        moments += [midnight - timedelta(seconds=1), midnight, midnight + timedelta(hours=2)]
    mentions = []
    for number, moment in enumerate(moments):
        author = rng.choice(authors) if rng.random() > 0.1 else None
        site = rng.choice(SITES)
        mentions.append(
            Mention(
                workspace=workspace,
                source=source,
                external_id=str(number),
                url=f"{site}{number}" if site else "",
                author=author,
                published_at=moment,
                sentiment=rng.choice(["positive", "negative", "neutral", "neutral", ""]),
                media_category=rng.choice(["earned", "earned", "owned", "paid"]),
            )
        )
    Mention.objects.bulk_create(mentions)
    stored = list(Mention.objects.filter(workspace=workspace).order_by("pk"))
    for mention in stored:
        if rng.random() < 0.3:
            mention.parent = rng.choice(stored)
    Mention.objects.bulk_update(stored, ["parent"])
    MentionMatch.objects.bulk_create(
        MentionMatch(mention=mention, watch=watch, terms=[])
        for mention in stored
        for watch in watches
        if rng.random() < 0.4
    )
    for mention in stored[::10]:
        Case.objects.create(
            workspace=workspace,
            thread_root=mention,
            opened_at=mention.published_at,
            first_response_at=mention.published_at + timedelta(minutes=rng.randrange(1, 300)),
            due_at=mention.published_at + timedelta(hours=2),
        )
    return workspace


def _both(workspace: Workspace, granularity: str) -> tuple[dashboard.Dashboard, ...]:
    rolled = dashboard.build(workspace, YEAR, granularity, chart_format=None)
    with reading_mentions():
        raw = dashboard.build(workspace, YEAR, granularity, chart_format=None)
    return rolled, raw


@pytest.mark.parametrize("granularity", ["day", "week", "month", "quarter"])
def test_every_panel_from_the_rollups_equals_the_mentions(granularity: str):
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    rolled, raw = _both(workspace, granularity)
    assert rolled.total.mentions > 900 and rolled.previous_total.mentions > 600
    assert rolled.spikes and rolled.voice and rolled.places and rolled.ambassadors
    assert rolled.loyalty.returning > 0 and rolled.communities > 1
    assert rolled == raw


def test_cohorts_and_aftermath_equal_the_mentions():
    workspace = _generated(seed=11)
    rebuild_rollups()
    assert monthly_cohorts(workspace) == raw_monthly_cohorts(workspace)
    assert monthly_cohorts(workspace, horizon=3) == raw_monthly_cohorts(workspace, horizon=3)
    spike = (datetime(2026, 6, 10, tzinfo=PARIS), datetime(2026, 6, 11, tzinfo=PARIS))
    assert spike_aftermath(workspace, *spike) == raw_spike_aftermath(workspace, *spike)
    assert spike_aftermath(workspace, *spike).newcomers >= 0


def test_cohorts_follow_an_author_whose_first_month_moves():
    workspace = _generated(seed=5)
    rebuild_rollups(workspace.pk)
    author = Author.objects.create(platform="blog", handle="tardif")
    source = factories.feed_source(workspace, url="https://blog.example/tardif.xml")
    for number, moment in enumerate(
        [datetime(2026, 9, 3, 9, tzinfo=UTC), datetime(2026, 11, 20, 9, tzinfo=UTC)]
    ):
        Mention.objects.create(
            workspace=workspace,
            source=source,
            author=author,
            external_id=f"tardif{number}",
            url=f"https://blog.example/tardif{number}",
            published_at=moment,
            text="Azur",
        )
    assert monthly_cohorts(workspace) == raw_monthly_cohorts(workspace)
    # An older mention found later moves the author to an earlier cohort (signal refresh).
    Mention.objects.create(
        workspace=workspace,
        source=source,
        author=author,
        external_id="tardif-old",
        url="https://blog.example/tardif-old",
        published_at=datetime(2024, 12, 31, 23, 30, tzinfo=UTC),  # 2025-01-01 in Paris
        text="Azur",
    )
    assert AuthorFirst.objects.get(author=author).first_day == date(2025, 1, 1)
    assert monthly_cohorts(workspace) == raw_monthly_cohorts(workspace)
    after = _rows(MonthlyCohort)
    rebuild_rollups(workspace.pk)
    assert _rows(MonthlyCohort) == after


def test_days_are_local_days_and_hours_read_the_mentions():
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    # 2026-01-01 00:00 Paris is 2025-12-31 23:00 UTC: it belongs to 2026's first day.
    day = local_midnight(date(2026, 1, 1), PARIS)
    rolled = dict(volume_over_time(workspace, day, day + timedelta(days=1), "day"))
    assert list(rolled) == [day]
    exact = Mention.objects.filter(
        workspace=workspace, published_at__gte=day, published_at__lt=day + timedelta(days=1)
    ).count()
    assert rolled[day].mentions == exact
    hours = volume_over_time(workspace, day, day + timedelta(days=1), "hour")
    assert sum(tally.mentions for _, tally in hours) == exact
    # A range that does not start at a local midnight reads the mentions, exactly.
    off = day + timedelta(hours=1)
    assert tally_between(workspace, off, off + timedelta(days=1)).mentions == (
        Mention.objects.filter(
            workspace=workspace, published_at__gte=off, published_at__lt=off + timedelta(days=1)
        ).count()
    )


def _rows(model) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
    return sorted(model.objects.values_list(*fields), key=repr)


def test_refreshing_days_is_idempotent_and_matches_a_rebuild():
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    tables = (DailyVolume, AuthorDay, AuthorMonth, AuthorFirst, MonthlyCohort, DailyEdge)
    before = {model: _rows(model) for model in tables}
    days = [date(2026, 1, 1), date(2026, 3, 29), date(2026, 6, 10), date(2026, 6, 11)]
    refresh_rollups(workspace.pk, days)
    refresh_rollups(workspace.pk, days)
    assert {model: _rows(model) for model in before} == before


def test_storing_a_batch_updates_the_panels():
    workspace = Workspace.objects.create(name="Azur", time_zone="Europe/Paris")
    source = factories.feed_source(workspace)
    noon = datetime(2026, 5, 4, 10, tzinfo=UTC)

    def raw(number: int, **extra) -> RawMention:
        values = {
            "external_id": f"m{number}",
            "url": f"https://blog.example/{number}",
            "published_at": noon + timedelta(days=number),
            "text": "Azur",
            "platform": "blog.example",
            "author_handle": f"auteur{number}",
            "sentiment": "positive",
        }
        return RawMention(**(values | extra))

    # A reply arrives before the post it answers; the edge appears when the post does.
    store(source, [raw(1), raw(2, in_reply_to_url="https://blog.example/9")], {})
    rolled = dashboard.build(workspace, YEAR, "month", chart_format=None)
    assert rolled.total.mentions == 2 and rolled.total.positive == 2
    store(source, [raw(9, sentiment="negative", published_at=noon - timedelta(days=30))], {})
    rolled, raw_board = _both(workspace, "month")
    assert rolled == raw_board
    assert (rolled.total.mentions, rolled.total.negative) == (3, 1)
    graph = conversation_graph(workspace, YEAR.start, YEAR.end)
    replier, answered = (f"author:{Author.objects.get(handle=f'auteur{n}').pk}" for n in (2, 9))
    assert graph[replier][answered]["weight"] == 1
    # Storing the same batch again changes nothing.
    store(source, [raw(1), raw(2)], {})
    assert dashboard.build(workspace, YEAR, "month", chart_format=None) == rolled


def test_a_changed_sentiment_updates_the_panels():
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    mentions = list(
        Mention.objects.filter(
            workspace=workspace, published_at__gte=YEAR.start, sentiment="positive"
        )[:20]
    )
    for mention in mentions:
        mention.sentiment = "negative"
    # Bulk writes (corrections, re-enrichment) refresh the days they touched.
    Mention.objects.bulk_update(mentions, ["sentiment"])
    refresh_for_mentions([m.pk for m in mentions])
    rolled, raw = _both(workspace, "week")
    assert rolled == raw
    # Saving one mention refreshes its day by itself.
    one = Mention.objects.filter(workspace=workspace, sentiment="negative").first()
    one.sentiment = "positive"
    one.save()
    rolled, raw = _both(workspace, "week")
    assert rolled == raw


def test_a_correction_by_a_person_updates_the_panels():
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    mention = Mention.objects.filter(
        workspace=workspace, published_at__gte=YEAR.start, sentiment="positive"
    ).first()
    before = dashboard.build(workspace, YEAR, "month", chart_format=None).total

    correct(mention, sentiment="negative")

    after, raw = _both(workspace, "month")
    assert after == raw
    assert after.total.positive == before.positive - 1
    assert after.total.negative == before.negative + 1


def test_the_dashboards_map_keeps_the_busiest_and_most_answered_authors():
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    rolled = conversation_graph(workspace, YEAR.start, YEAR.end, max_authors=5)
    with reading_mentions():
        raw = conversation_graph(workspace, YEAR.start, YEAR.end, max_authors=5)
        whole = conversation_graph(workspace, YEAR.start, YEAR.end)
    authors = [n for n, d in rolled.nodes(data=True) if d["kind"] == "author" and d["mentions"]]
    assert 5 <= len(authors) <= 10 < len(whole)
    assert dict(rolled.nodes(data=True)) == dict(raw.nodes(data=True))
    assert list(rolled.edges(data=True)) == list(raw.edges(data=True))


def test_a_big_workspaces_map_is_bounded_to_what_a_person_can_read():
    """One author kept of each kind: their replies to each other and their busiest site."""
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    rolled = conversation_graph(workspace, YEAR.start, YEAR.end, max_authors=1)
    with reading_mentions():
        raw = conversation_graph(workspace, YEAR.start, YEAR.end, max_authors=1)
        whole = conversation_graph(workspace, YEAR.start, YEAR.end)
    assert dict(rolled.nodes(data=True)) == dict(raw.nodes(data=True))
    assert list(rolled.edges(data=True)) == list(raw.edges(data=True))
    kept = {n for n, d in rolled.nodes(data=True) if d["kind"] == "author"}
    assert 1 <= len(kept) <= 2
    assert all(rolled.nodes[n]["mentions"] for n in kept)  # no one outside the kept authors
    published: dict[str, int] = {}
    for source, target, data in whole.edges(data=True):
        if source in kept and target.startswith("site:"):
            published[target] = published.get(target, 0) + data["weight"]
    assert len(published) > 1
    busiest = min(published, key=lambda site: (-published[site], site))
    assert {n for n, d in rolled.nodes(data=True) if d["kind"] == "site"} == {busiest}
    assert all(target in kept or target == busiest for _, target in rolled.edges)


def test_a_bounded_dashboard_map_equals_the_mentions(monkeypatch: pytest.MonkeyPatch):
    """The dashboard ranks the busiest authors with its ambassadors and detractors (one pass)
    and hands them to the map: the same map as from the mentions, and the ambassadors and
    detractors of all the period's authors, not only the map's."""
    workspace = _generated()
    rebuild_rollups(workspace.pk)
    with reading_mentions():
        everyone = dashboard.build(workspace, YEAR, "month", chart_format=None)
    monkeypatch.setattr(dashboard, "NETWORK_AUTHORS", 5)
    rolled, raw = _both(workspace, "month")
    sides = ("ambassadors", "detractors")
    assert replace(rolled, ambassadors=[], detractors=[]) == replace(
        raw, ambassadors=[], detractors=[]
    )
    for side in sides:
        found = [(p.name, p.mentions) for p in getattr(rolled, side)]
        assert found == [(p.name, p.mentions) for p in getattr(everyone, side)]
    assert rolled.ambassadors and rolled.detractors
    graph = conversation_graph(workspace, YEAR.start, YEAR.end, max_authors=5)
    authors = [n for n, d in graph.nodes(data=True) if d["kind"] == "author" and d["mentions"]]
    assert 5 <= len(authors) <= 10


def test_a_period_not_aligned_on_months_equals_the_mentions(monkeypatch: pytest.MonkeyPatch):
    """Mid-month to mid-month (across a daylight-saving change): every panel the same, the
    bounded map and the cohorts too."""
    monkeypatch.setattr(dashboard, "NETWORK_AUTHORS", 5)
    workspace = _generated(seed=3)
    rebuild_rollups(workspace.pk)
    period = Period(date(2026, 1, 17), date(2026, 4, 9), PARIS)
    rolled = dashboard.build(workspace, period, "week", chart_format=None)
    with reading_mentions():
        raw = dashboard.build(workspace, period, "week", chart_format=None)
    assert replace(rolled, ambassadors=[], detractors=[]) == replace(
        raw, ambassadors=[], detractors=[]
    )
    assert rolled.loyalty.authors > 0 and rolled.total.mentions > 0
    assert monthly_cohorts(workspace) == raw_monthly_cohorts(workspace)


@pytest.mark.parametrize("max_authors", [1, 3, 8])
def test_a_bounded_map_not_aligned_on_months_equals_the_mentions(max_authors: int):
    """Mid-month to mid-month: the busiest and most answered authors are ranked from the
    monthly rows of the whole months and the daily rows of the ends; the map is the one the
    mentions give, with or without the ends."""
    workspace = _generated(seed=13)
    rebuild_rollups(workspace.pk)
    for first, last in [
        (date(2025, 11, 17), date(2026, 4, 8)),
        (date(2026, 2, 1), date(2026, 5, 31)),
    ]:
        period = Period(first, last, PARIS)
        rolled = conversation_graph(workspace, period.start, period.end, max_authors=max_authors)
        with reading_mentions():
            raw = conversation_graph(workspace, period.start, period.end, max_authors=max_authors)
        # Ranked in one pass with the ambassadors and detractors, as the dashboard may.
        days = whole_days(period.start, period.end, PARIS)
        ranked = ranked_authors(workspace, days, max_authors + 1, 3, answered=max_authors)
        handed = conversation_graph(
            workspace, period.start, period.end, max_authors=max_authors, ranked=ranked
        )
        authors = [n for n, d in rolled.nodes(data=True) if d["kind"] == "author"]
        assert max_authors <= len(authors) <= 2 * max_authors
        for graph in (rolled, handed):
            assert dict(graph.nodes(data=True)) == dict(raw.nodes(data=True))
            assert list(graph.edges(data=True)) == list(raw.edges(data=True))


def _monthly(workspace: Workspace, author: Author, month: date) -> tuple[int, ...]:
    """(mentions, positive, negative, answered) of the author's month, zeros without a row."""
    row = MonthlyAuthor.objects.filter(
        workspace=workspace, author=author, month=month.year * 12 + month.month - 1
    ).first()
    return (0, 0, 0, 0) if row is None else (row.mentions, row.positive, row.negative, row.answered)


def _same_after_a_rebuild(workspace: Workspace) -> bool:
    kept = _rows(MonthlyAuthor)
    rebuild_rollups(workspace.pk)
    return bool(kept) and kept == _rows(MonthlyAuthor)


def test_the_monthly_authors_follow_stored_mentions_and_corrections():
    workspace = _generated(seed=17)
    rebuild_rollups(workspace.pk)
    source = factories.feed_source(workspace, url="https://blog.example/nouveau.xml")
    answered = Mention.objects.filter(
        workspace=workspace, author__isnull=False, url__startswith="https://"
    ).first()
    may = date(2026, 5, 1)
    before = _monthly(workspace, answered.author, may)
    reply = RawMention(
        external_id="reponse",
        url="https://blog.example/reponse",
        published_at=datetime(2026, 5, 20, 10, tzinfo=UTC),
        text="Azur",
        platform="blog.example",
        author_handle="nouvelle",
        sentiment="positive",
        in_reply_to_url=answered.url,
    )
    store(source, [reply], {})
    newcomer = Author.objects.get(handle="nouvelle")
    assert Mention.objects.get(external_id="reponse").parent_id == answered.pk
    # By hand: the newcomer's May is one positive mention; the author answered received one
    # more reply in May (the month of the reply), the rest of their May unchanged.
    assert _monthly(workspace, newcomer, may) == (1, 1, 0, 0)
    assert _monthly(workspace, answered.author, may) == (*before[:3], before[3] + 1)
    assert _same_after_a_rebuild(workspace)

    correct(Mention.objects.get(external_id="reponse"), sentiment="negative")
    assert _monthly(workspace, newcomer, may) == (1, 0, 1, 0)
    assert _monthly(workspace, answered.author, may) == (*before[:3], before[3] + 1)
    assert _same_after_a_rebuild(workspace)


def _ranked_from_the_days(workspace, days, busiest: int, top: int) -> dict:
    """The same ranking, computed in Python from the daily author roll-up."""
    totals: dict[int, list[int]] = {}
    for author, n, pos, neg in AuthorDay.objects.filter(
        workspace=workspace,
        day__gte=days[0],
        day__lt=days[1],  # the end is excluded
    ).values_list("author_id", "mentions", "positive", "negative"):
        total = totals.setdefault(author, [0, 0, 0])
        total[0] += n
        total[1] += pos
        total[2] += neg
    order = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    roles = {
        author: author_roles(Counter(positive=pos, negative=neg)) for author, (_, pos, neg) in order
    }
    return {
        "busiest": [(author, n) for author, (n, _, _) in order if n > 0][:busiest],
        "positive": [(a, n) for a, (n, _, _) in order if roles[a].ambassador][:top],
        "negative": [(a, n) for a, (n, _, _) in order if roles[a].detractor][:top],
    }


def test_one_pass_over_the_months_ranks_as_the_days_do():
    """ranked_authors (MonthlyAuthor, and the days of partial months) chooses the same
    busiest authors, ambassadors and detractors as the daily author roll-up."""
    workspace = _generated(seed=23)
    rebuild_rollups(workspace.pk)
    for period in (YEAR, Period(date(2025, 12, 9), date(2026, 7, 20), PARIS)):
        days = whole_days(period.start, period.end, PARIS)
        ranked = ranked_authors(workspace, days, 5, 3)
        assert ranked == _ranked_from_the_days(workspace, days, 5, 3)
        assert len(ranked["busiest"]) == 5 and ranked["positive"] and ranked["negative"]
