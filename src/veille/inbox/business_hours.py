"""Business hours: when the first-response clock runs.

A week is a mapping of weekday ("mon" … "sun") to opening spans of local wall-clock time,
e.g. {"mon": [("09:00", "18:00")], …}. A due time counts only the time inside those spans,
measured as real elapsed time: on the night clocks change, a span from 01:00 to 04:00
lasts two hours in spring and four in autumn, as it does for the people at work.
An empty week means every hour counts.
"""

from __future__ import annotations

import itertools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext as _

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Week = dict[str, list[tuple[time, time]]]
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# A week with opening hours has them within 7 days; the margin covers odd calendars.
_SEARCH_DAYS = 3700


def _clock(hours: str, minutes: str, where: str) -> time:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time.max
    if h > 23 or m > 59:
        raise ValueError(
            _("%(where)s: %(h)s:%(m)s is not a time of day.")
            % {"where": where, "h": hours, "m": minutes}
        )
    return time(h, m)


def parse_spans(text: str, where: str) -> list[tuple[time, time]]:
    """ "09:00-12:30, 14:00-18:00" as spans; empty text is a closed day."""
    spans: list[tuple[time, time]] = []
    for part in text.split(","):
        if not part.strip():
            continue
        found = _SPAN.match(part)
        if found is None:
            raise ValueError(
                _("%(where)s: “%(text)s” is not a span like 09:00-18:00.")
                % {"where": where, "text": part.strip()}
            )
        start = _clock(found[1], found[2], where)
        end = _clock(found[3], found[4], where)
        if end <= start:
            raise ValueError(
                _("%(where)s: “%(text)s” ends before it starts.")
                % {"where": where, "text": part.strip()}
            )
        spans.append((start, end))
    spans.sort()
    for (_s1, end1), (start2, _e2) in itertools.pairwise(spans):
        if start2 < end1:
            raise ValueError(_("%(where)s: the spans overlap.") % {"where": where})
    return spans


def _text(moment: time) -> str:
    return "24:00" if moment == time.max else moment.strftime("%H:%M")


def format_spans(spans: list[tuple[time, time]]) -> str:
    return ", ".join(f"{_text(start)}-{_text(end)}" for start, end in spans)


def week_from_json(stored: dict[str, list[list[str]]] | None) -> Week:
    """The stored form ({"mon": [["09:00", "18:00"]]}) as spans of times."""
    week: Week = {}
    for day in WEEKDAYS:
        spans = (stored or {}).get(day) or []
        text = ", ".join(f"{start}-{end}" for start, end in spans)
        if parsed := parse_spans(text, day):
            week[day] = parsed
    return week


def week_to_json(week: Week) -> dict[str, list[list[str]]]:
    return {
        day: [[_text(start), _text(end)] for start, end in week[day]]
        for day in WEEKDAYS
        if week.get(day)
    }


def _local(day: date, moment: time, zone: zoneinfo.ZoneInfo) -> datetime:
    if moment == time.max:
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return datetime.combine(day, moment, tzinfo=zone)


def add_business_time(
    start: datetime, duration: timedelta, week: Week, zone: zoneinfo.ZoneInfo
) -> datetime:
    """The moment `duration` of business time after `start` (an aware datetime), in UTC."""
    start = start.astimezone(UTC)
    if not any(week.values()):
        return start + duration
    left = duration
    day = start.astimezone(zone).date() - timedelta(days=1)
    for _step in range(_SEARCH_DAYS):
        for opens, closes in week.get(WEEKDAYS[day.weekday()], []):
            begin = max(_local(day, opens, zone).astimezone(UTC), start)
            end = _local(day, closes, zone).astimezone(UTC)
            if end <= begin:
                continue
            if begin + left <= end:
                return begin + left
            left -= end - begin
        day += timedelta(days=1)
    return start + duration
