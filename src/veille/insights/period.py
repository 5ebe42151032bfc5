"""The period a dashboard or report covers, and the one it is compared with."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

GRANULARITIES = [
    ("day", _("day")),
    ("week", _("week")),
    ("month", _("month")),
    ("quarter", _("quarter")),
]


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in UTC-aware datetimes, cut on the workspace's days."""

    first_day: date
    last_day: date
    zone: zoneinfo.ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.zone)

    def previous(self) -> Period:
        """The same number of days just before."""
        length = self.last_day - self.first_day + timedelta(days=1)
        return Period(self.first_day - length, self.first_day - timedelta(days=1), self.zone)


def parse_period(text: str, zone: zoneinfo.ZoneInfo) -> Period:
    """ "2025-01..2025-12" (months) or "2025-01-15..2025-02-14" (days), both ends included."""
    try:
        first, last = (part.strip() for part in text.split(".."))
        if len(first) == 7 and len(last) == 7:
            first_day = date.fromisoformat(first + "-01")
            after = date.fromisoformat(last + "-01") + timedelta(days=32)
            last_day = after.replace(day=1) - timedelta(days=1)
        else:
            first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(
            f"period {text!r} is not FIRST..LAST (e.g. 2025-01..2025-12 or 2025-01-15..2025-02-14)"
        ) from None
    if last_day < first_day:
        raise ValueError(f"period {text!r} ends before it starts")
    return Period(first_day, last_day, zone)


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    granularity = forms.ChoiceField(
        label=_("Per"), choices=GRANULARITIES, required=False, initial="week"
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self, zone: zoneinfo.ZoneInfo, today: date) -> Period:
        """The chosen period; by default the last 365 days up to today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=364)
        return Period(since, until, zone)
