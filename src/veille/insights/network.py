"""The network of who answers whom, and which sites people talk on, for cartography.

Nodes are authors ("author:<id>") and sites ("site:<host>"); an edge from an author to
another author means "replied to", from an author to a site "published there". Weights
count the mentions behind an edge. Communities come from Louvain modularity (seeded, so
the same data gives the same map); influence from PageRank over replies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import networkx as nx

from veille.core.models import Workspace
from veille.insights.volume import mentions_between

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


def conversation_graph(workspace: Workspace, start: datetime, end: datetime) -> nx.DiGraph:
    """Authors and sites of the period, with reply and publication edges, marked up."""
    mentions = mentions_between(workspace, start, end).values_list(
        "author_id",
        "author__handle",
        "author__display_name",
        "author__platform",
        "url",
        "sentiment",
        "parent__author_id",
    )
    graph = nx.DiGraph()
    sentiments: dict[str, Counter[str]] = defaultdict(Counter)
    weights: Counter[tuple[str, str]] = Counter()
    for author_id, handle, name, platform, url, sentiment, parent_author in mentions:
        site = site_of(url)
        if site:
            graph.add_node(f"site:{site}", label=site, kind="site")
        if author_id is None:
            continue
        node = f"author:{author_id}"
        graph.add_node(node, label=name or handle, kind="author", platform=platform)
        sentiments[node][sentiment or "unknown"] += 1
        if site:
            weights[node, f"site:{site}"] += 1
        if parent_author is not None and parent_author != author_id:
            weights[node, f"author:{parent_author}"] += 1
    for (source, target), weight in weights.items():
        if target not in graph:
            graph.add_node(target, label=target, kind="author", platform="")
        graph.add_edge(source, target, weight=weight)
    _mark_up(graph, sentiments)
    return graph


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
