"""Team performance: how many cases got an answer, how fast, and how often too late.

On PostgreSQL the figures are computed by the database in one query (percentile_cont is
the same linear interpolation as the "inclusive" method used here, with GROUPING SETS for
the workspace and each agent), so a busy year is not loaded into Python; on SQLite the
cases' times are read and summarised in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
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
    if connection.vendor == "postgresql":
        return _responsiveness_in_sql(workspace, start, end, now)
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


def _responsiveness_in_sql(
    workspace: Workspace, start: datetime, end: datetime, now: datetime
) -> tuple[Responsiveness, dict[str, Responsiveness]]:
    """responsiveness() computed by PostgreSQL: one row per agent, and one for everyone."""
    delay = "EXTRACT(EPOCH FROM c.first_response_at - c.opened_at)::float8"
    case = connection.ops.quote_name(Case._meta.db_table)
    user = connection.ops.quote_name(get_user_model()._meta.db_table)
    # The tables' names come from the models; the values are parameters.
    sql = (
        "SELECT COALESCE(u.username, '') AS agent, GROUPING(COALESCE(u.username, '')),"  # noqa: S608
        " COUNT(*), COUNT(c.first_response_at),"
        f" percentile_cont(0.5) WITHIN GROUP (ORDER BY {delay}),"
        f" percentile_cont(0.9) WITHIN GROUP (ORDER BY {delay}),"
        " COUNT(*) FILTER (WHERE c.due_at IS NOT NULL"
        " AND COALESCE(c.first_response_at, %s) > c.due_at)"
        f" FROM {case} c LEFT JOIN {user} u ON u.id = c.assignee_id"
        " WHERE c.workspace_id = %s AND c.opened_at >= %s AND c.opened_at < %s"
        " GROUP BY GROUPING SETS ((COALESCE(u.username, '')), ())"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, workspace.pk, start, end])
        rows = cursor.fetchall()
    whole = Responsiveness(0, 0, None, None, 0)
    agents: dict[str, Responsiveness] = {}
    for agent, everyone, cases, answered, median, p90, breaches in rows:
        figures = Responsiveness(
            cases=cases,
            answered=answered,
            median_first_response=None if median is None else timedelta(seconds=median),
            p90_first_response=None if p90 is None else timedelta(seconds=p90),
            sla_breaches=breaches,
        )
        if everyone:
            whole = figures
        else:
            agents[agent] = figures
    return whole, dict(sorted(agents.items()))
