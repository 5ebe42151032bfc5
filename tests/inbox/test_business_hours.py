"""Business hours: the first-response clock runs only while the team is at work.

Every expected time below was computed by hand, in Paris wall-clock time.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest

from tests import factories
from veille.inbox.business_hours import (
    WEEKDAYS,
    add_business_time,
    parse_spans,
    week_from_json,
    week_to_json,
)
from veille.inbox.models import WorkspaceSLA, first_response_due

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OFFICE = {day: parse_spans("09:00-18:00", day) for day in WEEKDAYS[:5]}


def _due(local: datetime, minutes: int, week=OFFICE) -> datetime:
    return add_business_time(local, timedelta(minutes=minutes), week, PARIS).astimezone(PARIS)


def test_friday_evening_is_due_on_monday_morning():
    # Friday 20 November 2026, 17:30: 30 minutes on Friday, 90 on Monday from 09:00.
    assert _due(datetime(2026, 11, 20, 17, 30, tzinfo=PARIS), 120) == datetime(
        2026, 11, 23, 10, 30, tzinfo=PARIS
    )


def test_inside_hours_the_target_is_plain_and_before_opening_it_starts_at_nine():
    assert _due(datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), 120) == datetime(
        2026, 11, 18, 12, 0, tzinfo=PARIS
    )
    assert _due(datetime(2026, 11, 18, 7, 12, tzinfo=PARIS), 120) == datetime(
        2026, 11, 18, 11, 0, tzinfo=PARIS
    )
    # Saturday noon: nothing counts until Monday 09:00.
    assert _due(datetime(2026, 11, 21, 12, 0, tzinfo=PARIS), 45) == datetime(
        2026, 11, 23, 9, 45, tzinfo=PARIS
    )


def test_a_long_target_spans_several_days():
    # 20 hours from Wednesday 16:00: 2 h Wed, 9 h Thu, 9 h Fri: due Friday 18:00.
    assert _due(datetime(2026, 11, 18, 16, 0, tzinfo=PARIS), 20 * 60) == datetime(
        2026, 11, 20, 18, 0, tzinfo=PARIS
    )
    # One minute more goes to Monday 09:01.
    assert _due(datetime(2026, 11, 18, 16, 0, tzinfo=PARIS), 20 * 60 + 1) == datetime(
        2026, 11, 23, 9, 1, tzinfo=PARIS
    )


def test_over_the_spring_clock_change_the_due_time_keeps_wall_clock_hours():
    # Friday 27 March 2026 17:30 (UTC+1); clocks go forward on Sunday 29 March.
    # Due Monday 30 March 10:30 in Paris, which is now UTC+2: 08:30 UTC.
    due = add_business_time(
        datetime(2026, 3, 27, 17, 30, tzinfo=PARIS), timedelta(hours=2), OFFICE, PARIS
    )
    assert due.astimezone(PARIS) == datetime(2026, 3, 30, 10, 30, tzinfo=PARIS)
    assert due.utcoffset() == timedelta(0) and (due.hour, due.minute) == (8, 30)


def test_a_night_shift_over_the_autumn_change_lasts_an_hour_longer():
    # A Sunday shift 00:00-04:00: on 25 October 2026 clocks go back at 03:00 to 02:00,
    # so the shift lasts 5 real hours. 4 h 30 from 00:00 ends at 03:30 after the change.
    night = {"sun": parse_spans("00:00-04:00", "sun")}
    due = add_business_time(
        datetime(2026, 10, 25, 0, 0, tzinfo=PARIS), timedelta(minutes=270), night, PARIS
    )
    assert due == datetime(2026, 10, 25, 2, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert due.astimezone(PARIS).strftime("%H:%M %Z") == "03:30 CET"


def test_no_hours_means_every_hour_counts():
    start = datetime(2026, 11, 21, 23, 0, tzinfo=PARIS)
    assert add_business_time(start, timedelta(hours=2), {}, PARIS) == start + timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9h-18h", "is not a span like 09:00-18:00"),
        ("18:00-09:00", "ends before it starts"),
        ("09:00-12:00, 11:00-14:00", "the spans overlap"),
        ("25:00-26:00", "is not a time of day"),
    ],
)
def test_bad_hours_say_what_and_where(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_spans(text, "Monday")
    assert str(error.value).startswith("Monday:")


def test_the_stored_week_round_trips():
    week = {"mon": parse_spans("09:00-12:30, 14:00-24:00", "mon")}
    stored = week_to_json(week)
    assert stored == {"mon": [["09:00", "12:30"], ["14:00", "24:00"]]}
    assert week_from_json(stored) == week


@pytest.mark.django_db
def test_a_case_opened_on_friday_evening_is_due_on_monday():
    space = factories.workspace()
    WorkspaceSLA.objects.create(
        workspace=space,
        first_response_minutes=120,
        time_zone="Europe/Paris",
        business_hours=week_to_json(OFFICE),
    )
    due = first_response_due(space, datetime(2026, 11, 20, 17, 30, tzinfo=PARIS))
    assert due.astimezone(PARIS) == datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)
