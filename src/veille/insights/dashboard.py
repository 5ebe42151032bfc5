"""Every panel of a workspace's dashboard for a period, as plain data for pages and reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import networkx as nx
from matplotlib.figure import Figure

from veille.core.models import Author, Workspace
from veille.insights import charts
from veille.insights.community import (
    Loyalty,
    SpikeAftermath,
    monthly_cohorts,
    returning_and_one_shot,
    spike_aftermath,
)
from veille.insights.models import Outcome
from veille.insights.network import conversation_graph, ranked_authors
from veille.insights.outcomes import LaggedCorrelation, lagged_correlation
from veille.insights.period import Period
from veille.insights.places import Place, where_people_talk
from veille.insights.rollups import whole_days
from veille.insights.team import Responsiveness, responsiveness
from veille.insights.volume import (
    Tally,
    by_media_category,
    share_of_voice,
    spikes,
    tally_between,
    volume_over_time,
)

TOP_PEOPLE = 10
# The map the dashboard analyses keeps this many busiest and most answered authors.
NETWORK_AUTHORS = 200


@dataclass
class Spike:
    """Consecutive unusual days (a contest, a crisis), and what they left behind."""

    first_day: datetime
    last_day: datetime
    mentions: int
    aftermath: SpikeAftermath


def _spike_runs(
    workspace: Workspace, daily: list[tuple[datetime, Tally]], limit: int = 5
) -> list[Spike]:
    """Spike days two days apart or closer are one event; the biggest events, by date."""
    counts = dict(daily)
    runs: list[list[datetime]] = []
    for day in spikes(daily):
        if runs and day - runs[-1][-1] <= timedelta(days=2):
            runs[-1].append(day)
        else:
            runs.append([day])
    sized = [(sum(counts[day].mentions for day in run), run) for run in runs]
    biggest = sorted(sized, key=lambda pair: -pair[0])[:limit]
    return [
        Spike(
            run[0],
            run[-1],
            mentions,
            spike_aftermath(workspace, run[0], run[-1] + timedelta(days=1)),
        )
        for mentions, run in sorted(biggest, key=lambda pair: pair[1][0])
    ]


@dataclass
class Person:
    name: str
    platform: str
    mentions: int
    influence: float
    community: int


@dataclass
class Dashboard:
    period: Period
    previous: Period
    granularity: str
    series: list[tuple[datetime, Tally]]
    total: Tally
    previous_total: Tally
    volume_chart: str
    sentiment_chart: str
    spikes: list[Spike]
    voice: list[tuple[str, str, Tally, float]]
    voice_chart: str
    places: list[Place]
    media: dict[str, Tally]
    loyalty: Loyalty
    previous_loyalty: Loyalty
    cohorts: dict[str, list[float]]
    influencers: list[Person] = field(default_factory=list)
    ambassadors: list[Person] = field(default_factory=list)
    detractors: list[Person] = field(default_factory=list)
    communities: int = 0
    # The map behind influencers and communities keeps at most this many authors of each
    # kind (busiest, most answered) and this many sites.
    map_limit: int = NETWORK_AUTHORS
    outcomes: list[LaggedCorrelation] = field(default_factory=list)
    team: Responsiveness | None = None
    agents: dict[str, Responsiveness] = field(default_factory=dict)


def _sum(series: list[tuple[datetime, Tally]]) -> Tally:
    return Tally(
        sum(t.mentions for _, t in series),
        sum(t.positive for _, t in series),
        sum(t.negative for _, t in series),
    )


def _people(workspace: Workspace, period: Period) -> dict[str, list[Person] | int]:
    """Influencers and communities from the map of the period's busiest and most answered
    authors (NETWORK_AUTHORS of each); ambassadors and detractors among all its authors."""
    days = whole_days(period.start, period.end, period.zone)
    rolled = days is not None
    # The map's busiest and most answered authors, and the busiest repeatedly positive and
    # negative ones (ambassadors, detractors): one pass over the monthly roll-up.
    ranked = (
        ranked_authors(workspace, days, NETWORK_AUTHORS + 1, TOP_PEOPLE, answered=NETWORK_AUTHORS)
        if days is not None
        else {}
    )
    graph = conversation_graph(
        workspace,
        period.start,
        period.end,
        max_authors=NETWORK_AUTHORS,
        ranked=ranked if rolled else None,
    )
    people = [
        (
            data,
            Person(
                data["label"],
                data.get("platform", ""),
                data["mentions"],
                data["influence"],
                data.get("community", 0),
            ),
        )
        for _, data in graph.nodes(data=True)
        if data["kind"] == "author" and data.get("mentions")
    ]
    by_influence = sorted(people, key=lambda pair: -pair[1].influence)
    if not rolled:  # from the mentions
        by_volume = sorted(people, key=lambda pair: -pair[1].mentions)
        ambassadors = [p for d, p in by_volume if d["ambassador"]][:TOP_PEOPLE]
        detractors = [p for d, p in by_volume if d["detractor"]][:TOP_PEOPLE]
    else:
        sides = _one_sided(ranked, graph)
        ambassadors, detractors = sides["positive"], sides["negative"]
    return {
        "influencers": [p for d, p in by_influence if d["influence"] > 0][:TOP_PEOPLE],
        "ambassadors": ambassadors,
        "detractors": detractors,
        "communities": len({d.get("community") for _, d in graph.nodes(data=True)}),
    }


def _one_sided(
    ranked: dict[str, list[tuple[int, int]]], graph: nx.DiGraph
) -> dict[str, list[Person]]:
    """The ambassadors and detractors ranked_authors chose, with their place on the map."""
    found = [(side, pair) for side in ("positive", "negative") for pair in ranked[side]]
    authors = Author.objects.in_bulk([author for _, (author, _) in found])
    chosen: dict[str, list[Person]] = {"positive": [], "negative": []}
    for side, (author_id, mentions) in found:
        author = authors[author_id]
        node = graph.nodes.get(f"author:{author_id}", {})
        chosen[side].append(
            Person(
                author.display_name or author.handle,
                author.platform,
                mentions,
                node.get("influence", 0.0),
                node.get("community", 0),
            )
        )
    return chosen


def build(
    workspace: Workspace,
    period: Period,
    granularity: str = "week",
    chart_format: str | None = "svg",
) -> Dashboard:
    """Every panel; `chart_format` None leaves the charts out (table downloads)."""

    def chart(draw: Callable[[], Figure], wanted: bool = True) -> str:
        return charts.data_uri(draw(), chart_format) if chart_format and wanted else ""

    previous = period.previous()
    series = volume_over_time(workspace, period.start, period.end, granularity)
    daily = volume_over_time(workspace, period.start, period.end, "day")
    times = [bucket for bucket, _ in series]
    events = _spike_runs(workspace, daily)
    voice = share_of_voice(workspace, period.start, period.end)
    team, agents = responsiveness(workspace, period.start, period.end)
    return Dashboard(
        period=period,
        previous=previous,
        granularity=granularity,
        series=series,
        total=_sum(series),
        previous_total=tally_between(workspace, previous.start, previous.end),
        volume_chart=chart(
            lambda: charts.timeline(
                times,
                [tally.mentions for _, tally in series],
                label="mentions",
                marks=[
                    bucket
                    for bucket in times
                    if any(_same_bucket(bucket, e.first_day, granularity) for e in events)
                ],
            )
        ),
        sentiment_chart=chart(
            lambda: charts.timeline(
                times,
                [tally.net_sentiment for _, tally in series],
                label="net sentiment",
                limits=(-1.05, 1.05),
            ),
            wanted=any(tally.positive or tally.negative for _, tally in series),
        ),
        spikes=events,
        voice=voice,
        voice_chart=chart(
            lambda: charts.bars(
                [name for name, *_ in voice],
                [share * 100 for *_, share in voice],
                label="share of voice (%)",
            ),
            wanted=bool(voice),
        ),
        places=where_people_talk(workspace, period.start, period.end, previous.start, previous.end),
        media=by_media_category(workspace, period.start, period.end),
        loyalty=returning_and_one_shot(workspace, period.start, period.end),
        previous_loyalty=returning_and_one_shot(workspace, previous.start, previous.end),
        cohorts=monthly_cohorts(workspace),
        outcomes=[
            lagged_correlation(workspace, metric, period.first_day, period.last_day)
            for metric in Outcome.objects.filter(
                workspace=workspace, day__gte=period.first_day, day__lte=period.last_day
            )
            .values_list("metric", flat=True)
            .distinct()
            .order_by("metric")
        ],
        team=team,
        agents=agents,
        **_people(workspace, period),
    )


def _same_bucket(bucket: datetime, day: datetime, granularity: str) -> bool:
    local = day.astimezone(bucket.tzinfo)
    if granularity == "day":
        return bucket.date() == local.date()
    if granularity == "week":
        return bucket.isocalendar()[:2] == local.isocalendar()[:2]
    if granularity == "month":
        return (bucket.year, bucket.month) == (local.year, local.month)
    return (bucket.year, (bucket.month - 1) // 3) == (local.year, (local.month - 1) // 3)


def panel_functions(
    workspace: Workspace, period: Period, granularity: str = "week"
) -> dict[str, Callable[[], object]]:
    """Each query `build` runs, by panel, with its comparison period: for benchmarks."""
    previous = period.previous()
    start, end = period.start, period.end

    def spikes_panel() -> object:
        return _spike_runs(workspace, volume_over_time(workspace, start, end, "day"))

    def outcomes_panel() -> object:
        metrics = (
            Outcome.objects.filter(
                workspace=workspace, day__gte=period.first_day, day__lte=period.last_day
            )
            .values_list("metric", flat=True)
            .distinct()
        )
        return [
            lagged_correlation(workspace, metric, period.first_day, period.last_day)
            for metric in metrics
        ]

    return {
        f"volume & net sentiment per {granularity}": lambda: volume_over_time(
            workspace, start, end, granularity
        ),
        "volume per hour, last 7 days (raw rows)": lambda: volume_over_time(
            workspace, end - timedelta(days=7), end, "hour"
        ),
        "comparison period total": lambda: tally_between(workspace, previous.start, previous.end),
        "spikes and their aftermath": spikes_panel,
        "share of voice": lambda: share_of_voice(workspace, start, end),
        "places, with growth": lambda: where_people_talk(
            workspace, start, end, previous.start, previous.end
        ),
        "earned / owned / paid": lambda: by_media_category(workspace, start, end),
        "returning vs one-shot (+ comparison)": lambda: (
            returning_and_one_shot(workspace, start, end),
            returning_and_one_shot(workspace, previous.start, previous.end),
        ),
        "monthly cohorts": lambda: monthly_cohorts(workspace),
        "network: influencers, roles, communities": lambda: _people(workspace, period),
        "team performance": lambda: responsiveness(workspace, start, end),
        "outcomes (lagged correlation)": outcomes_panel,
    }
