"""Team performance: how many cases got an answer, how fast, and how often too late."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from veille.core.models import Case, Workspace


@dataclass(frozen=True, slots=True)
class Responsiveness:
    cases: int
    answered: int
    median_first_response: timedelta | None
    p90_first_response: timedelta | None
    sla_breaches: int  # answered after the due time, or still unanswered past it

    @property
    def response_rate(self) -> float | None:
        return None if self.cases == 0 else self.answered / self.cases


def _percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (the usual "inclusive" method)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


# (opened_at, first_response_at, due_at) of a case: rows, not model instances, so that a
# year of a busy workspace (a hundred thousand cases) loads in a fraction of a second.
CaseTimes = tuple[datetime, datetime | None, datetime | None]


def _summarise(cases: list[CaseTimes], now: datetime) -> Responsiveness:
    delays = sorted(
        (answered - opened).total_seconds() for opened, answered, _ in cases if answered is not None
    )
    breaches = sum(1 for _, answered, due in cases if due is not None and (answered or now) > due)
    return Responsiveness(
        cases=len(cases),
        answered=len(delays),
        median_first_response=timedelta(seconds=statistics.median(delays)) if delays else None,
        p90_first_response=timedelta(seconds=_percentile(delays, 0.9)) if delays else None,
        sla_breaches=breaches,
    )


def responsiveness(
    workspace: Workspace, start: datetime, end: datetime, now: datetime | None = None
) -> tuple[Responsiveness, dict[str, Responsiveness]]:
    """For the cases opened in [start, end): the workspace's figures, then each agent's."""
    now = now or timezone.now()
    rows = (
        Case.objects.filter(workspace=workspace, opened_at__gte=start, opened_at__lt=end)
        .order_by()
        .values_list("opened_at", "first_response_at", "due_at", "assignee__username")
    )
    cases: list[CaseTimes] = []
    per_agent: dict[str, list[CaseTimes]] = defaultdict(list)
    for opened, answered, due, username in rows:
        case = (opened, answered, due)
        cases.append(case)
        per_agent[username or ""].append(case)
    return _summarise(cases, now), {
        agent: _summarise(assigned, now) for agent, assigned in sorted(per_agent.items())
    }
