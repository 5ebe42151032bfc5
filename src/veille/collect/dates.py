"""Dates as people and exports write them, in French, English and German, to aware datetimes.

parse_date() reads ISO 8601, epoch seconds, numeric dates (day first unless that cannot be:
"31/12/2024", "12.03.2024 14:05") and written dates ("12 mars 2024 à 14 h 05",
"le 1er mars 2024, 9h", "March 12, 2024 at 2:05 pm", "5. Januar 2020 um 14:05"). A time
without an offset is taken in `default_tz`. It returns None rather than guessing at text
that holds no date; an impossible date ("31/02/2026") is None too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo

MONTHS: dict[str, int] = {}
for number, names in enumerate(
    (
        "janvier january jan janv januar jänner",
        "fevrier february feb fev fevr februar",
        "mars march mar marz maerz",
        "avril april apr avr",
        "mai may",
        "juin june jun juni",
        "juillet july jul juil juli",
        "aout august aug aou",
        "septembre september sep sept",
        "octobre october oct oktober okt",
        "novembre november nov",
        "decembre december dec dezember dez",
    ),
    start=1,
):
    for name in names.split():
        MONTHS[name] = number

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:er|st|nd|rd|th|\.)?"
_YEAR = r"(\d{4})"
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s+{_YEAR}\b")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+{_MONTH}(?!\w)")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}(?!\d)")
_NUMERIC = re.compile(r"\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b")
_YEAR_FIRST = re.compile(r"\b(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\b")
_TIME = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*(?::|h|heures?)\s*(\d{2})?(?:\s*:\s*(\d{2}))?"
    r"(?:\s*([ap])\.?\s?m\b\.?)?|(?<![\d/.\-])(\d{1,2})\s*([ap])\.?\s?m\b\.?",
)
_OFFSET = re.compile(r"(?:\b(?:utc|gmt)\s*)?([+-])(\d{2}):?(\d{2})\s*$|\b(?:utc|gmt|z)\s*$")
_EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$")
_DIGIT = re.compile(r"\d")
# Plausible publication years: beyond them a number is more likely an id than a date.
MIN_YEAR, MAX_YEAR = 1990, 2100


def _fold(text: str) -> str:
    """Lower case without accents, NBSP as a space: "Février" and "fevrier" read alike."""
    if text.isascii():
        return text.lower()  # NFKD leaves ASCII as it is, with nothing to combine
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_iso(value: str, default_tz: tzinfo = UTC) -> datetime | None:
    """An ISO 8601 date or datetime, in UTC; None when `value` is not one."""
    value = value.strip()
    if len(value) < 10 or not value[:4].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed.astimezone(UTC)


def _time_after(text: str, start: int) -> tuple[int, int, int]:
    """(hour, minute, second) written after a date, or midnight."""
    match = _TIME.search(text, start)
    if match is None or match.start() - start > 12:
        return 0, 0, 0
    if match.group(5):
        hour, minute, second, meridiem = int(match.group(5)), 0, 0, match.group(6)
    else:
        hour = int(match.group(1))
        minute = int(match.group(2) or 0)
        second = int(match.group(3) or 0)
        meridiem = match.group(4)
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return 0, 0, 0
    return hour, minute, second


def _offset(text: str) -> tzinfo | None:
    match = _OFFSET.search(text)
    if match is None:
        return None
    if not match.group(1):
        return UTC
    sign = -1 if match.group(1) == "-" else 1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return timezone(sign * delta)


def _build(
    year: int, month: int, day: int, text: str, end: int, default_tz: tzinfo
) -> datetime | None:
    if year < 100:
        year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    hour, minute, second = _time_after(text, end)
    try:
        naive = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return naive.replace(tzinfo=_offset(text) or default_tz).astimezone(UTC)


def _without_year(text: str, reference: datetime, default_tz: tzinfo) -> datetime | None:
    """ "Jun 20th at 12:50 pm" under an article of `reference`: that year, or the next."""
    match = _DAY_MONTH.search(text)
    if match:
        day, month = int(match.group(1)), MONTHS[match.group(2)]
    else:
        match = _MONTH_DAY.search(text)
        if match is None:
            return None
        month, day = MONTHS[match.group(1)], int(match.group(2))
    found = _build(reference.year, month, day, text, match.end(), default_tz)
    if found is not None and found < reference - timedelta(days=1):
        found = _build(reference.year + 1, month, day, text, match.end(), default_tz)
    return found


def parse_date(
    value: str, *, default_tz: tzinfo = UTC, reference: datetime | None = None
) -> datetime | None:
    """The first date written in `value`, as an aware UTC datetime; None when there is none.

    `reference` lets a date written without its year ("le 17 juillet à 22:09") take the
    first such day on or after it.
    """
    if not value:
        return None
    value = value.strip()
    iso = parse_iso(value, default_tz)
    if iso is not None:
        return iso
    if _EPOCH.match(value):
        return datetime.fromtimestamp(float(value), tz=UTC)
    text = _fold(value)
    if _DIGIT.search(text) is None:
        return None  # every pattern below needs a digit: most text under a byline has none
    match = _YEAR_FIRST.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _build(year, month, day, text, match.end(), default_tz)
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
        return _build(year, month, day, text, match.end(), default_tz)
    match = _MONTH_DAY_YEAR.search(text)
    if match:
        month, day, year = MONTHS[match.group(1)], int(match.group(2)), int(match.group(3))
        return _build(year, month, day, text, match.end(), default_tz)
    match = _NUMERIC.search(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        # Day first (the French and most of the world's way) unless that cannot be a date.
        day, month = (second, first) if second > 12 >= first else (first, second)
        return _build(year, month, day, text, match.end(), default_tz)
    if reference is not None:
        return _without_year(text, reference, default_tz)
    return None
