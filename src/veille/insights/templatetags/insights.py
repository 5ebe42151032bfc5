"""Formatting of the dashboard's figures; every filter returns plain text (autoescaped)."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from veille.core.models import MediaCategory

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value * 100, 0)} %"


@register.filter
def signed(value: float | None) -> str:
    return "—" if value is None else ("+" if value > 0 else "") + number_format(value, 2)


@register.filter
def signed_percent(value: float | None) -> str:
    if value is None:
        return _("new")
    return ("+" if value > 0 else "") + f"{number_format(value * 100, 0)} %"


@register.filter
def change(current: int, previous: int) -> str:
    """Against the comparison period: "+12 %", or the previous count when it was zero."""
    if not previous:
        return _("nothing before") if current else "="
    return signed_percent((current - previous) / previous)


@register.filter
def duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = round(value.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    return f"{hours // 24} {_('days')}"


@register.filter
def heat(share: float) -> int:
    """0 to 5, for the cohort table's shading classes."""
    return min(5, round(share * 5))


@register.filter
def cohort_columns(cohorts: dict[str, list[float]]) -> range:
    return range(max((len(shares) for shares in cohorts.values()), default=0))


@register.filter
def media_label(category: str) -> str:
    try:
        return str(MediaCategory(category).label)
    except ValueError:
        return category


@register.filter
def people_lists(board: object) -> list[tuple[str, list]]:
    return [
        (_("Most answered (influence)"), board.influencers),
        (_("Ambassadors: repeatedly positive"), board.ambassadors),
        (_("Detractors: repeatedly negative"), board.detractors),
    ]
