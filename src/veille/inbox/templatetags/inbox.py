"""Template filters of the inbox."""

from __future__ import annotations

from django import template

from veille.core.models import Event
from veille.inbox.live import describe

register = template.Library()


@register.filter
def describe_event(event: Event) -> str:
    """One line of a case's history, as text (escaped by the template)."""
    return describe(event)
