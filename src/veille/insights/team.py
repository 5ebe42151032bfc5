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


def _summarise(cases: list[Case], now: datetime) -> Responsiveness:
    delays = sorted(
        (case.first_response_at - case.opened_at).total_seconds()
        for case in cases
        if case.first_response_at is not None
    )
    breaches = sum(
        1
        for case in cases
        if case.due_at is not None and (case.first_response_at or now) > case.due_at
    )
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
    cases = list(
        Case.objects.filter(workspace=workspace, opened_at__gte=start, opened_at__lt=end)
        .select_related("assignee")
        .only("opened_at", "first_response_at", "due_at", "assignee__username")
    )
    per_agent: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        per_agent[case.assignee.username if case.assignee else ""].append(case)
    return _summarise(cases, now), {
        agent: _summarise(assigned, now) for agent, assigned in sorted(per_agent.items())
    }
