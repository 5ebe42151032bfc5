"""The network of who answers whom, and which sites people talk on, for cartography.

Nodes are authors ("author:<id>") and sites ("site:<host>"); an edge from an author to
another author means "replied to", from an author to a site "published there". Weights
count the mentions behind an edge. Communities come from Louvain modularity (seeded, and
nodes and edges added in a fixed order, so the same data gives the same map); influence
from PageRank over replies. Whole-day ranges are read from the roll-ups (MonthlyAuthor for
the authors' figures, with AuthorDay for partial months; DailyEdge for the edges); other
ranges from the mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import networkx as nx
from django.db import connection
from django.db.models import Sum

from veille.core.models import Author, Workspace
from veille.insights.models import AuthorDay, DailyEdge, MonthlyAuthor
from veille.insights.rollups import month_number, month_start, whole_days
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
    ranked: Ranking | None = None,
) -> nx.DiGraph:
    """Authors and sites of the period, with reply and publication edges, marked up.

    With `max_authors`, when the period has more authors than that, the map keeps the
    busiest authors of the period and the most answered ones (up to max_authors of each),
    their replies to one another and their publications on the max_authors sites where
    they published most, so that a big workspace's map stays readable and quick to
    compute; with fewer authors, nothing changes. For a whole-day period `ranked` may give
    those authors when the caller ranked them already: ranked_authors(workspace, days,
    max_authors + 1, top, answered=max_authors) (the dashboard can, with its ambassadors
    and detractors, in one pass). Without it the map ranks them itself, reading only the
    authors who can be among them.
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
        people, sites, weights = _rolled_parts(workspace, days, max_authors, ranked)
    graph = nx.DiGraph()
    graph.add_nodes_from(
        (site, {"label": site.removeprefix("site:"), "kind": "site"}) for site in sorted(sites)
    )
    graph.add_nodes_from(
        (node, {"label": people[node][0], "kind": "author", "platform": people[node][1]})
        for node in sorted(people, key=_node_order)
    )
    order = {node: _node_order(node) for edge in weights for node in edge}
    edges = sorted(weights.items(), key=lambda item: (order[item[0][0]], order[item[0][1]]))
    for (_, target), _ in edges:
        if target not in graph:
            graph.add_node(target, label=target, kind="author", platform="")
    graph.add_weighted_edges_from((source, target, w) for (source, target), w in edges)
    _mark_up(graph, {node: found[2] for node, found in people.items()})
    return graph


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
    ranked: Ranking | None = None,
) -> Parts:
    """The same parts, from the roll-ups: sentiments count positive, negative and the rest.

    With max_authors, the busiest and most answered authors are ranked from MonthlyAuthor
    (see _rank: only the authors who can be among them are read), unless `ranked` gives
    them (ranked_authors with answered=max_authors), and only their edges are read.
    """
    if max_authors is None:
        return _all_rolled_parts(workspace, days)
    if ranked is None:
        _, ranked = _rank(
            workspace,
            days,
            {
                "busiest": (_BY_MENTIONS, _published, max_authors + 1),
                "answered": (_BY_ANSWERS, _published_and_answered, max_authors),
            },
        )
    if "answered" not in ranked:
        raise ValueError("ranked: rank with ranked_authors(..., answered=max_authors)")
    busiest = ranked["busiest"]
    if len(busiest) <= max_authors:  # not more authors than that: the whole map
        return _all_rolled_parts(workspace, days)
    kept = sorted({author for author, _ in busiest[:max_authors] + ranked["answered"]})
    months, ranges = _period_parts(days)
    totals = _totals(workspace, months, ranges, kept)
    people = _named_people({author: totals.get(author, (0, 0, 0))[:3] for author in kept})
    sites, weights = _kept_edges(workspace, days, kept, max_authors)
    return people, sites, weights


def _kept_edges(
    workspace: Workspace, days: tuple[date, date], kept: list[int], max_sites: int
) -> tuple[set[str], Counter[tuple[str, str]]]:
    """What _bounded keeps of the kept authors' edges, chosen by the database: their replies
    to one another, and their publications on the max_sites sites where they published
    most (ties by name, in code point order as _node_order sorts them)."""
    quote = connection.ops.quote_name
    ids = ", ".join(["%s"] * len(kept))
    in_order = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    # The table's name comes from the model, the values are parameters.
    sql = (
        "WITH edges AS (SELECT author_id, target, SUM(weight) AS weight"  # noqa: S608
        f" FROM {quote(DailyEdge._meta.db_table)}"
        f" WHERE workspace_id = %s AND day >= %s AND day < %s AND author_id IN ({ids})"
        " GROUP BY author_id, target),"
        " sites AS (SELECT target FROM edges WHERE target LIKE 'site:%%' GROUP BY target"
        f" ORDER BY SUM(weight) DESC, target{in_order} LIMIT %s)"
        " SELECT author_id, target, weight FROM edges"
        f" WHERE target IN (SELECT target FROM sites) OR target IN ({ids})"
    )
    params = [workspace.pk, days[0], days[1], *kept, max_sites, *(f"author:{a}" for a in kept)]
    sites: set[str] = set()
    weights: Counter[tuple[str, str]] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for author_id, target, weight in cursor:
            weights[f"author:{author_id}", target] += weight
            if target.startswith("site:"):
                sites.add(target)
    return sites, weights


def _all_rolled_parts(workspace: Workspace, days: tuple[date, date]) -> Parts:
    """Every author, site and edge of the whole-day period, from AuthorDay and DailyEdge."""
    totals = (
        AuthorDay.objects.filter(workspace=workspace, day__gte=days[0], day__lt=days[1])
        .order_by()
        .values("author_id")
        .annotate(n=Sum("mentions"), pos=Sum("positive"), neg=Sum("negative"))
    )
    people = _named_people({row["author_id"]: (row["n"], row["pos"], row["neg"]) for row in totals})
    edges = (
        DailyEdge.objects.filter(workspace=workspace, day__gte=days[0], day__lt=days[1])
        .order_by()
        .values("author_id", "target")
        .annotate(weight=Sum("weight"))
        .values_list("author_id", "target", "weight")
    )
    sites: set[str] = set()
    weights: Counter[tuple[str, str]] = Counter()
    for author_id, target, weight in edges:
        if author_id is not None:
            weights[f"author:{author_id}", target] += weight
        if target.startswith("site:"):
            sites.add(target)
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


def _named_people(
    counts: dict[int, tuple[int, int, int]],
) -> dict[str, tuple[str, str, Counter[str]]]:
    """author node -> (label, platform, sentiments) from (mentions, positive, negative)."""
    people: dict[str, tuple[str, str, Counter[str]]] = {}
    for pk, handle, name, platform in _chunked_names(counts):
        n, pos, neg = counts[pk]
        sentiments = Counter({"positive": pos, "negative": neg, "other": n - pos - neg})
        people[f"author:{pk}"] = (name or handle, platform, +sentiments)
    return people


# Ranking authors over a period from MonthlyAuthor.
#
# MonthlyAuthor holds each author's mentions and replies received per month. A period is
# P parts: its whole months, and at most two partial months at its ends (summed from
# AuthorDay and DailyEdge). ranked_authors reads every author of the period in one pass.
# The map needs only the busiest and the most answered, which can be found without
# reading every author: one whose total over the period is above P × (f − 1) has at least
# f in one part (pigeonhole); so reading exactly the authors with f or more in some part
# (the "candidates", an index range per month), with their exact totals, ranks the top k
# exactly whenever the k-th candidate's total is above P × (f − 1): nobody else can reach
# it. When that check fails, the k-th total found is still a lower bound of the true k-th,
# and f = ceil(that / P) passes next time; with f = 1 every author is read.

Totals = tuple[int, int, int, int]  # mentions, positive, negative, replies received
Ranking = dict[str, list[tuple[int, int]]]
_BY_MENTIONS, _BY_ANSWERS = 0, 3
# A ranked list: which total ranks it, who may enter it, how many to keep.
Wanted = dict[str, tuple[int, Callable[[Totals], bool], int]]
_REPLIES = " AND author_id IS NOT NULL AND target LIKE 'author:%%'"
_CHUNK = 2000  # authors a query (SQLite takes at most 32,766 parameters)


def _published(totals: Totals) -> bool:
    return totals[0] > 0


def _published_and_answered(totals: Totals) -> bool:
    return totals[0] > 0 and totals[3] > 0


def ranked_authors(
    workspace: Workspace, days: tuple[date, date], busiest: int, top: int, answered: int = 0
) -> Ranking:
    """(author, mentions) of the `busiest` busiest authors of a whole-day period ("busiest"),
    and of the `top` busiest repeatedly positive and repeatedly negative ones ("positive",
    "negative", as author_roles decides), most first, ties by id: what the dashboard shows
    as ambassadors and detractors. With `answered`, also (author, replies received) of the
    `answered` most answered authors who published in the period ("answered"): with
    "busiest", what conversation_graph needs to choose the map's authors (its `ranked`).
    One pass over the period's MonthlyAuthor rows (and the daily rows of partial months)."""
    months, ranges = _period_parts(days)
    parts, params = _parts_sql(workspace, months, ranges, None)
    share = Fraction(MIN_POLAR_SHARE).limit_denominator(100)
    side = (
        "SELECT * FROM (SELECT '{name}' AS side, author_id, n FROM totals"
        # side / polar >= share, in integers: side * denominator >= polar * numerator
        " WHERE pos + neg >= %s AND {column} * %s >= (pos + neg) * %s"
        " ORDER BY n DESC, author_id LIMIT %s) {name}"
    )
    # Table names come from the models; the values are parameters.
    sql = (
        "WITH totals AS (SELECT author_id, SUM(n) AS n, SUM(pos) AS pos,"  # noqa: S608
        f" SUM(neg) AS neg, SUM(received) AS received FROM ({parts}) parts GROUP BY author_id)"
        " SELECT * FROM (SELECT 'busiest' AS side, author_id, n FROM totals WHERE n > 0"
        " ORDER BY n DESC, author_id LIMIT %s) busiest"
        f" UNION ALL {side.format(name='positive', column='pos')}"
        f" UNION ALL {side.format(name='negative', column='neg')}"
        " UNION ALL SELECT * FROM (SELECT 'answered' AS side, author_id, received FROM totals"
        " WHERE n > 0 AND received > 0 ORDER BY received DESC, author_id LIMIT %s) answered"
    )
    params += [busiest]
    params += [MIN_POLAR_MENTIONS, share.denominator, share.numerator, top] * 2
    params += [answered]
    ranked: Ranking = {"busiest": [], "positive": [], "negative": []}
    if answered:
        ranked["answered"] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, author, value in cursor.fetchall():
            ranked[name].append((author, value))
    # UNION ALL keeps no order: each list in the order its branch chose.
    for pairs in ranked.values():
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return ranked


def _period_parts(days: tuple[date, date]) -> tuple[list[int], list[tuple[date, date]]]:
    """The whole months of [first, after), and the day ranges left at its ends."""
    first, after = days
    low = month_number(first) + (0 if first.day == 1 else 1)
    high = month_number(after)  # months before this one end by `after`
    if low >= high:
        return [], [days]
    ends = [(first, month_start(low)), (month_start(high), after)]
    return list(range(low, high)), [(a, b) for a, b in ends if a < b]


def _rank(
    workspace: Workspace, days: tuple[date, date], wanted: Wanted
) -> tuple[dict[int, Totals], Ranking]:
    """Exact top lists (see above), and the totals of every author read."""
    months, ranges = _period_parts(days)
    parts = len(months) + len(ranges)
    floors = {
        _BY_MENTIONS: _first_floor(workspace, months, "mentions", wanted, _BY_MENTIONS),
        _BY_ANSWERS: _first_floor(workspace, months, "answered", wanted, _BY_ANSWERS),
    }
    while True:
        totals = _candidate_totals(
            workspace, months, ranges, floors[_BY_MENTIONS], floors[_BY_ANSWERS]
        )
        ranked: Ranking = {}
        lower = dict(floors)
        for name, (column, keep, limit) in wanted.items():
            found = sorted(
                (author for author, figures in totals.items() if keep(figures)),
                key=lambda author, column=column: (-totals[author][column], author),
            )[:limit]
            ranked[name] = [(author, totals[author][column]) for author in found]
            floor = floors[column]
            kth = totals[found[-1]][column] if len(found) == limit and found else 0
            if floor > 1 and kth <= parts * (floor - 1):
                # Someone not read may be above the k-th found: read more next time.
                needed = -(-kth // parts) if kth else floor // 4
                lower[column] = min(lower[column], max(1, min(floor - 1, needed)))
        if lower == floors:
            return totals, ranked
        floors = lower


def _first_floor(
    workspace: Workspace, months: list[int], field: str, wanted: Wanted, column: int
) -> int:
    """A first f for the lists ranked by this column: half the k-th value of the period's
    middle month (1 reads every author, 0 none: no list wants it)."""
    limits = [limit for by, _, limit in wanted.values() if by == column]
    if not limits or not months:
        return 1 if limits else 0
    value = (
        MonthlyAuthor.objects.filter(workspace=workspace, month=months[len(months) // 2])
        .order_by(f"-{field}")
        .values_list(field, flat=True)[max(limits) - 1 : max(limits)]
    )
    return max(1, (next(iter(value), 0) + 1) // 2)


def _candidate_totals(
    workspace: Workspace,
    months: list[int],
    ranges: list[tuple[date, date]],
    floor_mentions: int,
    floor_answers: int,
) -> dict[int, Totals]:
    """author -> totals over the period, of the authors with at least floor_mentions
    mentions or floor_answers replies received in one part (every author when a floor is 1;
    a floor of 0 asks for none): one query finds them, then their totals are read by index,
    _CHUNK authors at a time. Table names come from the models; values are parameters."""
    if 1 in (floor_mentions, floor_answers):
        return _totals(workspace, months, ranges, None)
    quote = connection.ops.quote_name
    monthly = quote(MonthlyAuthor._meta.db_table)
    daily, edge = quote(AuthorDay._meta.db_table), quote(DailyEdge._meta.db_table)
    chosen: list[tuple[str, list[object]]] = []
    if months:
        marks = ", ".join(["%s"] * len(months))
        base = f" FROM {monthly} WHERE workspace_id = %s AND month IN ({marks})"
        for field, floor in (("mentions", floor_mentions), ("answered", floor_answers)):
            if floor > 1:
                chosen.append(
                    (f"SELECT author_id{base} AND {field} >= %s", [workspace.pk, *months, floor])
                )
    for first, after in ranges:
        in_days = " WHERE workspace_id = %s AND day >= %s AND day < %s"
        if floor_mentions > 1:
            chosen.append(
                (
                    f"SELECT author_id FROM {daily}{in_days} GROUP BY author_id"  # noqa: S608
                    " HAVING SUM(mentions) >= %s",
                    [workspace.pk, first, after, floor_mentions],
                )
            )
        if floor_answers > 1:
            chosen.append(
                (
                    f"SELECT CAST(SUBSTR(target, 8) AS INTEGER) FROM {edge}{in_days}"  # noqa: S608
                    f"{_REPLIES} GROUP BY target HAVING SUM(weight) >= %s",
                    [workspace.pk, first, after, floor_answers],
                )
            )
    if not chosen:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ".join(query for query, _ in chosen),
            [value for _, values in chosen for value in values],
        )
        authors = sorted(author for (author,) in cursor.fetchall())
    found: dict[int, Totals] = {}
    for i in range(0, len(authors), _CHUNK):
        found |= _totals(workspace, months, ranges, authors[i : i + _CHUNK])
    return found


def _parts_sql(
    workspace: Workspace,
    months: list[int],
    ranges: list[tuple[date, date]],
    authors: list[int] | None,
) -> tuple[str, list[object]]:
    """SQL for rows (author_id, n, pos, neg, received): one author's figures in one part of
    the period, of these authors (None: of everyone). Table names come from the models."""
    quote = connection.ops.quote_name
    monthly = quote(MonthlyAuthor._meta.db_table)
    daily, edge = quote(AuthorDay._meta.db_table), quote(DailyEdge._meta.db_table)
    among, targets, ids = "", "", []
    if authors is not None:
        marks = ", ".join(["%s"] * len(authors))
        among, targets = f" AND author_id IN ({marks})", f" AND target IN ({marks})"
        ids = list(authors)
    members: list[tuple[str, list[object]]] = []
    if months:  # consecutive: a range (a list of months would multiply the index lookups)
        members.append(
            (
                "SELECT author_id, mentions AS n, positive AS pos, negative AS neg,"  # noqa: S608
                f" answered AS received FROM {monthly} WHERE workspace_id = %s"
                f" AND month >= %s AND month <= %s{among}",
                [workspace.pk, months[0], months[-1], *ids],
            )
        )
    for first, after in ranges:
        in_days = " WHERE workspace_id = %s AND day >= %s AND day < %s"
        span = [workspace.pk, first, after]
        members.append(
            (
                "SELECT author_id, mentions AS n, positive AS pos, negative AS neg,"  # noqa: S608
                f" 0 AS received FROM {daily}{in_days}{among}",
                [*span, *ids],
            )
        )
        members.append(
            (
                "SELECT CAST(SUBSTR(target, 8) AS INTEGER), 0, 0, 0, weight"  # noqa: S608
                f" FROM {edge}{in_days}{_REPLIES}{targets}",
                [*span, *(f"author:{author}" for author in ids)],
            )
        )
    return (
        " UNION ALL ".join(member for member, _ in members),
        [value for _, values in members for value in values],
    )


def _totals(
    workspace: Workspace,
    months: list[int],
    ranges: list[tuple[date, date]],
    authors: list[int] | None,
) -> dict[int, Totals]:
    """author -> totals over the period's parts, of these authors (None: of everyone)."""
    parts, params = _parts_sql(workspace, months, ranges, authors)
    sql = (
        "SELECT author_id, SUM(n), SUM(pos), SUM(neg), SUM(received)"  # noqa: S608
        f" FROM ({parts}) parts GROUP BY author_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {author: (n, pos, neg, received) for author, n, pos, neg, received in cursor}


def _chunked_names(counts: dict[int, tuple[int, int, int]]) -> Iterator[tuple]:
    ids = sorted(counts)
    for i in range(0, len(ids), 5000):
        yield from Author.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "pk", "handle", "display_name", "platform"
        )


def _mark_up(graph: nx.DiGraph, sentiments: dict[str, Counter[str]]) -> None:
    if graph.number_of_nodes() == 0:
        return
    # As graph.to_undirected() makes it (a reply both ways keeps the later edge's weight),
    # without copying every edge's attributes.
    undirected = nx.Graph()
    undirected.add_nodes_from(graph)
    undirected.add_weighted_edges_from(graph.edges(data="weight"))
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
