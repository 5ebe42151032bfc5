"""The network of who answers whom, and which sites people talk on, for cartography.

Nodes are authors ("author:<id>") and sites ("site:<host>"); an edge from an author to
another author means "replied to", from an author to a site "published there". Weights
count the mentions behind an edge. Communities come from Louvain modularity (seeded, and
nodes and edges added in a fixed order, so the same data gives the same map); influence
from PageRank over replies. Whole-day ranges are read from the roll-ups (AuthorDay for the
authors' sentiment, DailyEdge for the edges); other ranges from the mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import networkx as nx
from django.db import connection
from django.db.models import Sum

from veille.core.models import Author, Workspace
from veille.insights.models import AuthorDay, DailyEdge
from veille.insights.rollups import whole_days
from veille.insights.volume import mentions_between, zone_of

# Repeatedly positive (or negative): at least this many polar mentions, mostly one way.
MIN_POLAR_MENTIONS = 3
MIN_POLAR_SHARE = 2 / 3


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class AuthorRole:
    ambassador: bool
    detractor: bool


def author_roles(sentiments: Counter[str]) -> AuthorRole:
    """Ambassador: repeatedly positive; detractor: repeatedly negative."""
    polar = sentiments["positive"] + sentiments["negative"]
    if polar < MIN_POLAR_MENTIONS:
        return AuthorRole(False, False)
    return AuthorRole(
        ambassador=sentiments["positive"] / polar >= MIN_POLAR_SHARE,
        detractor=sentiments["negative"] / polar >= MIN_POLAR_SHARE,
    )


def conversation_graph(
    workspace: Workspace,
    start: datetime,
    end: datetime,
    max_authors: int | None = None,
    busiest: list[int] | None = None,
) -> nx.DiGraph:
    """Authors and sites of the period, with reply and publication edges, marked up.

    With `max_authors`, when the period has more authors than that, the map keeps the
    busiest authors of the period and the most answered ones (up to max_authors of each),
    their replies to one another and their publications on the max_authors sites where
    they published most, so that a big workspace's map stays readable and quick to
    compute; with fewer authors, nothing changes. `busiest` may give the ids of the
    max_authors + 1 busiest authors of a whole-day period, most first, ties by id, when the
    caller already ranked them (the dashboard does, with its ambassadors and detractors).
    """
    days = whole_days(start, end, zone_of(workspace))
    if days is None:
        people, sites, weights = _raw_parts(workspace, start, end)
        if max_authors is not None and len(people) > max_authors:
            kept = _busiest(people, weights, max_authors)
            weights = Counter({edge: w for edge, w in weights.items() if edge[0] in kept})
            people = {node: found for node, found in people.items() if node in kept}
            people, sites, weights = _bounded(people, weights, max_authors)
    else:
        people, sites, weights = _rolled_parts(workspace, days, max_authors, busiest)
    graph = nx.DiGraph()
    for site in sorted(sites):
        graph.add_node(site, label=site.removeprefix("site:"), kind="site")
    for node in sorted(people, key=_node_order):
        label, platform, _ = people[node]
        graph.add_node(node, label=label, kind="author", platform=platform)
    for (source, target), weight in sorted(weights.items(), key=_edge_order):
        if target not in graph:
            graph.add_node(target, label=target, kind="author", platform="")
        graph.add_edge(source, target, weight=weight)
    _mark_up(graph, {node: found[2] for node, found in people.items()})
    return graph


def _edge_order(item: tuple[tuple[str, str], int]) -> tuple:
    (source, target), _ = item
    return _node_order(source), _node_order(target)


def _node_order(node: str) -> tuple[str, int, str]:
    kind, _, key = node.partition(":")
    return (kind, int(key), "") if key.isdigit() else (kind, 0, key)


def _busiest(
    people: dict[str, tuple[str, str, Counter[str]]],
    weights: Counter[tuple[str, str]],
    limit: int,
) -> set[str]:
    by_volume = sorted(people, key=lambda node: (-people[node][2].total(), _node_order(node)))
    answered: Counter[str] = Counter()
    for (_, target), weight in weights.items():
        if target.startswith("author:") and target in people:
            answered[target] += weight
    by_answers = sorted(answered, key=lambda node: (-answered[node], _node_order(node)))
    return set(by_volume[:limit]) | set(by_answers[:limit])


Parts = tuple[dict[str, tuple[str, str, Counter[str]]], set[str], Counter[tuple[str, str]]]


def _raw_parts(workspace: Workspace, start: datetime, end: datetime) -> Parts:
    """(author node -> (label, platform, sentiments)), site nodes, edge weights."""
    mentions = mentions_between(workspace, start, end).values_list(
        "author_id",
        "author__handle",
        "author__display_name",
        "author__platform",
        "url",
        "sentiment",
        "parent__author_id",
    )
    people: dict[str, tuple[str, str, Counter[str]]] = {}
    sites: set[str] = set()
    weights: Counter[tuple[str, str]] = Counter()
    for author_id, handle, name, platform, url, sentiment, parent_author in mentions:
        site = site_of(url)
        if site:
            sites.add(f"site:{site}")
        if author_id is None:
            continue
        node = f"author:{author_id}"
        found = people.setdefault(node, (name or handle, platform, Counter()))
        found[2][sentiment or "unknown"] += 1
        if site:
            weights[node, f"site:{site}"] += 1
        if parent_author is not None and parent_author != author_id:
            weights[node, f"author:{parent_author}"] += 1
    return people, sites, weights


def _rolled_parts(
    workspace: Workspace,
    days: tuple[date, date],
    max_authors: int | None = None,
    ranked_ids: list[int] | None = None,
) -> Parts:
    """The same parts, from the roll-ups: sentiments count positive, negative and the rest.

    With max_authors, the busiest and most answered authors are chosen by the database
    (the same choice as _busiest), and only their rows are read.
    """
    author_days = AuthorDay.objects.filter(
        workspace=workspace, day__gte=days[0], day__lt=days[1]
    ).order_by()
    edge_days = DailyEdge.objects.filter(
        workspace=workspace, day__gte=days[0], day__lt=days[1]
    ).order_by()
    totals = author_days.values("author_id").annotate(
        n=Sum("mentions"), pos=Sum("positive"), neg=Sum("negative")
    )
    cut = False
    if max_authors is not None:
        if ranked_ids is None:
            ranked_ids = [
                row["author_id"] for row in totals.order_by("-n", "author_id")[: max_authors + 1]
            ]
        busiest, cut = ranked_ids[:max_authors], len(ranked_ids) > max_authors
        if cut:  # more authors than that: choose
            top = _most_answered(workspace, days, max_authors * 2)
            candidates = {int(target.split(":")[1]): received for target, received in top}
            active = set(
                author_days.filter(author_id__in=list(candidates))
                .values_list("author_id", flat=True)
                .distinct()
            )
            ranked = sorted(
                (author for author in candidates if author in active),
                key=lambda author: (-candidates[author], author),
            )
            kept = set(busiest) | set(ranked[:max_authors])
            totals = totals.filter(author_id__in=sorted(kept))
            edge_days = edge_days.filter(author_id__in=sorted(kept))
    counts = {row["author_id"]: (row["n"], row["pos"], row["neg"]) for row in totals}
    people: dict[str, tuple[str, str, Counter[str]]] = {}
    for pk, handle, name, platform in _chunked_names(counts):
        n, pos, neg = counts[pk]
        sentiments = Counter({"positive": pos, "negative": neg, "other": n - pos - neg})
        people[f"author:{pk}"] = (name or handle, platform, +sentiments)
    sites: set[str] = set()
    weights: Counter[tuple[str, str]] = Counter()
    edges = (
        edge_days.values("author_id", "target")
        .annotate(weight=Sum("weight"))
        .values_list("author_id", "target", "weight")
    )
    for author_id, target, weight in edges:
        if author_id is not None:
            weights[f"author:{author_id}", target] += weight
        if target.startswith("site:") and (max_authors is None or author_id is not None):
            sites.add(target)
    if max_authors is not None and cut:
        return _bounded(people, weights, max_authors)
    return people, sites, weights


def _bounded(
    people: dict[str, tuple[str, str, Counter[str]]],
    weights: Counter[tuple[str, str]],
    max_sites: int,
) -> Parts:
    """The map of the kept authors, bounded to what a person can read: their replies to one
    another, and their publications on the max_sites sites where they published most."""
    on_site: Counter[str] = Counter()
    for (_, target), weight in weights.items():
        if target.startswith("site:"):
            on_site[target] += weight
    sites = set(sorted(on_site, key=lambda node: (-on_site[node], _node_order(node)))[:max_sites])
    kept = Counter(
        {edge: weight for edge, weight in weights.items() if edge[1] in people or edge[1] in sites}
    )
    return people, sites, kept


def _most_answered(workspace: Workspace, days: tuple[date, date], limit: int) -> list[tuple]:
    """(target, replies received) of the `limit` most answered authors of the period, with
    every tie of the last one: one pass over the period's edges."""
    edge = connection.ops.quote_name(DailyEdge._meta.db_table)
    # The table's name comes from the model; the values are parameters.
    sql = (
        f"WITH answered AS (SELECT target, SUM(weight) AS received FROM {edge}"  # noqa: S608
        " WHERE workspace_id = %s AND day >= %s AND day < %s"
        " AND target LIKE 'author:%%' AND author_id IS NOT NULL GROUP BY target)"
        " SELECT target, received FROM answered WHERE received >= COALESCE("
        "(SELECT received FROM answered ORDER BY received DESC LIMIT 1 OFFSET %s), 0)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, days[0], days[1], limit - 1])
        return cursor.fetchall()


def _chunked_names(counts: dict[int, tuple[int, int, int]]) -> Iterator[tuple]:
    ids = sorted(counts)
    for i in range(0, len(ids), 5000):
        yield from Author.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "pk", "handle", "display_name", "platform"
        )


def _mark_up(graph: nx.DiGraph, sentiments: dict[str, Counter[str]]) -> None:
    if graph.number_of_nodes() == 0:
        return
    undirected = graph.to_undirected()
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=1)
    for number, members in enumerate(sorted(communities, key=len, reverse=True)):
        for node in members:
            graph.nodes[node]["community"] = number
    replies = graph.edge_subgraph((u, v) for u, v in graph.edges if v.startswith("author:")).copy()
    rank = nx.pagerank(replies, weight="weight") if replies.number_of_edges() else {}
    for node, data in graph.nodes(data=True):
        data["influence"] = float(rank.get(node, 0.0))
        counts = sentiments.get(node, Counter())
        role = author_roles(counts)
        data["mentions"] = sum(counts.values())
        data["ambassador"] = role.ambassador
        data["detractor"] = role.detractor


def export_gexf(graph: nx.DiGraph, path: Path | BinaryIO) -> None:
    """Write the graph for Gephi."""
    nx.write_gexf(graph, path)
