"""Each metric on a small dataset whose answers are worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories
from veille.core.models import Author, Mention, Workspace
from veille.insights.community import monthly_cohorts, returning_and_one_shot, spike_aftermath
from veille.insights.volume import by_media_category, share_of_voice, volume_over_time

pytestmark = pytest.mark.django_db

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture
def space() -> Workspace:
    """Five people, seven mentions, in Paris time.

    A: Jan 5 positive + Jan 5 negative (one day)      brand, brand
    B: Jan 5 positive, Feb 10 neutral (two days)      brand, -
    C: Jan 31 23:30 UTC = Feb 1 00:30 in Paris, neg   competitor (paid)
    D: Jan 6 neutral, May 1 positive                  -, -
    E: Dec 20 2025 (before the year) positive         -
    """
    workspace = Workspace.objects.create(name="Azur", time_zone="Europe/Paris")
    brand = workspace.watches.create(name="Azur", query="azur", kind="brand")
    rival = workspace.watches.create(name="Nordet", query="nordet", kind="competitor")
    source = factories.feed_source(workspace)
    people = {name: Author.objects.create(platform="x", handle=name) for name in "ABCDE"}
    rows = [
        ("A", datetime(2026, 1, 5, 9, tzinfo=UTC), "positive", "earned", brand),
        ("A", datetime(2026, 1, 5, 18, tzinfo=UTC), "negative", "earned", brand),
        ("B", datetime(2026, 1, 5, 10, tzinfo=UTC), "positive", "earned", brand),
        ("B", datetime(2026, 2, 10, 10, tzinfo=UTC), "neutral", "owned", None),
        ("C", datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "negative", "paid", rival),
        ("D", datetime(2026, 1, 6, 12, tzinfo=UTC), "neutral", "earned", None),
        ("D", datetime(2026, 5, 1, 12, tzinfo=UTC), "positive", "earned", None),
        ("E", datetime(2025, 12, 20, 12, tzinfo=UTC), "positive", "earned", None),
    ]
    for number, (who, when, sentiment, media, watch) in enumerate(rows):
        mention = Mention.objects.create(
            workspace=workspace,
            source=source,
            external_id=str(number),
            author=people[who],
            published_at=when,
            sentiment=sentiment,
            media_category=media,
        )
        if watch is not None:
            mention.matches.create(watch=watch, terms=[watch.query])
    return workspace


def test_volume_by_month_cuts_months_in_the_workspace_zone(space: Workspace):
    months = {
        bucket.strftime("%Y-%m"): tally
        for bucket, tally in volume_over_time(space, YEAR_START, YEAR_END, "month")
    }
    # January: A+, A-, B+, D (C's Jan 31 23:30 UTC is February in Paris).
    january = months["2026-01"]
    assert (january.mentions, january.positive, january.negative) == (4, 2, 1)
    assert january.net_sentiment == pytest.approx(1 / 3)
    assert january.negative_share == pytest.approx(1 / 4)
    # February: B neutral, C negative -> net -1, half negative.
    february = months["2026-02"]
    assert (february.mentions, february.net_sentiment, february.negative_share) == (2, -1.0, 0.5)
    # May: D positive only. The 2025 mention is outside the range.
    assert months["2026-05"].net_sentiment == 1.0
    assert list(months) == ["2026-01", "2026-02", "2026-05"]


def test_volume_by_day_and_unknown_period(space: Workspace):
    series = volume_over_time(space, YEAR_START, YEAR_END)
    days = [bucket.date().isoformat() for bucket, _ in series]
    assert days == ["2026-01-05", "2026-01-06", "2026-02-01", "2026-02-10", "2026-05-01"]
    with pytest.raises(ValueError, match="unknown period 'fortnight'"):
        volume_over_time(space, YEAR_START, YEAR_END, "fortnight")


def test_share_of_voice_between_brand_and_competitor(space: Workspace):
    rows = share_of_voice(space, YEAR_START, YEAR_END)
    # Brand: A+, A-, B+ = 3 mentions, net (2-1)/3; competitor: C- = 1; shares 3/4 and 1/4.
    assert [(name, kind, share) for name, kind, _, share in rows] == [
        ("Azur", "brand", 0.75),
        ("Nordet", "competitor", 0.25),
    ]
    assert rows[0][2].net_sentiment == pytest.approx(1 / 3)
    assert rows[1][2].net_sentiment == -1.0


def test_earned_owned_paid(space: Workspace):
    media = by_media_category(space, YEAR_START, YEAR_END)
    assert {name: tally.mentions for name, tally in media.items()} == {
        "earned": 5,
        "owned": 1,
        "paid": 1,
    }
    assert media["paid"].net_sentiment == -1.0


def test_returning_versus_one_shot_authors(space: Workspace):
    loyalty = returning_and_one_shot(space, YEAR_START, YEAR_END)
    # A: one day (twice on Jan 5); B: two days; C: one day; D: two days. E is outside.
    assert (loyalty.authors, loyalty.returning, loyalty.one_shot) == (4, 2, 2)
    assert loyalty.returning_share == 0.5


def test_monthly_cohort_retention(space: Workspace):
    cohorts = monthly_cohorts(space)
    # Dec 2025: E, never back. Jan 2026: A, B, D; B back in Feb (+1), D in May (+4).
    # Feb 2026: C (Feb 1 in Paris). The data ends in May 2026.
    assert cohorts["2025-12"] == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert cohorts["2026-01"] == pytest.approx([1.0, 1 / 3, 0.0, 0.0, 1 / 3])
    assert cohorts["2026-02"] == [1.0, 0.0, 0.0, 0.0]
    assert monthly_cohorts(space, horizon=1)["2026-01"] == pytest.approx([1.0, 1 / 3])


def test_what_a_spike_leaves_behind(space: Workspace):
    aftermath = spike_aftermath(
        space, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 10, tzinfo=UTC)
    )
    # Newcomers in Jan 1-10: A, B, D. B is back on Feb 10 (within 90 days of Jan 10);
    # D is back on May 1 (more than 90 days after). A never comes back.
    assert (aftermath.newcomers, aftermath.back_within_3_months) == (3, 1)
    assert aftermath.still_there_after_3_months == 1
    assert aftermath.retention == pytest.approx(1 / 3)


def test_spikes_stand_out_from_the_usual_level():
    from veille.insights.volume import Tally, spikes

    days = [datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 15)]
    counts = [4, 5, 6, 5, 4, 40, 5, 6, 4, 5, 25, 5, 6, 5]
    series = [(day, Tally(n, 0, 0)) for day, n in zip(days, counts, strict=True)]
    # Median 5, MAD 1: day 6 (z = 0.6745 * 35 = 23.6) and day 11 (13.5) are spikes;
    # 6 (z = 0.67) is not.
    assert spikes(series) == [days[5], days[10]]
    assert spikes(series[:4]) == []


def test_places_ranked_with_growth(space: Workspace):
    from veille.insights.places import where_people_talk

    Author.objects.filter(handle__in="AB").update(platform="blog.example")
    Author.objects.filter(handle__in="CDE").update(platform="social.example")
    january = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    december = datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    places = where_people_talk(space, *january, *december)
    # January: blog A+, A-, B+ (3); social D (1) and C at 23:30 UTC on Jan 31 (2).
    # December: social E (1) -> growth +100 %; the blog had nothing -> no growth figure.
    assert [(p.name, p.tally.mentions, p.growth) for p in places] == [
        ("blog.example", 3, None),
        ("social.example", 2, 1.0),
    ]
