from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import networkx as nx
import pytest

from tests import factories
from veille.core.models import Author, Mention, Workspace
from veille.insights.network import author_roles, conversation_graph, export_gexf

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture
def space() -> Workspace:
    """Marie posts on her blog; Paul answers her three times, negatively; Lou once, kindly.

    Zoé praises the brand three times on a social site and nobody answers her.
    """
    workspace = Workspace.objects.create(name="Azur")
    source = factories.feed_source(workspace)
    people = {
        n: Author.objects.create(platform="x", handle=n) for n in ("marie", "paul", "lou", "zoe")
    }
    moment = iter(START + timedelta(hours=h) for h in range(100))

    def say(who: str, url: str, sentiment: str, parent: Mention | None = None) -> Mention:
        return Mention.objects.create(
            workspace=workspace,
            source=source,
            external_id=url,
            url=url,
            author=people[who],
            published_at=next(moment),
            sentiment=sentiment,
            parent=parent,
        )

    post = say("marie", "https://www.marie.example/p1", "positive")
    for n in range(3):
        say("paul", f"https://www.marie.example/p1#c{n}", "negative", parent=post)
    say("lou", "https://www.marie.example/p1#c9", "positive", parent=post)
    for n in range(3):
        say("zoe", f"https://social.example/@zoe/{n}", "positive")
    return workspace


def test_replies_and_sites_become_weighted_edges(space: Workspace):
    graph = conversation_graph(space, START, END)
    ids = {graph.nodes[n]["label"]: n for n in graph if graph.nodes[n]["kind"] == "author"}
    assert graph[ids["paul"]][ids["marie"]]["weight"] == 3
    assert graph[ids["lou"]][ids["marie"]]["weight"] == 1
    assert graph[ids["zoe"]]["site:social.example"]["weight"] == 3
    assert "site:marie.example" in graph  # www. is dropped
    # Marie is the one people answer: the most influential author.
    influence = {label: graph.nodes[node]["influence"] for label, node in ids.items()}
    assert max(influence, key=influence.get) == "marie"


def test_ambassadors_detractors_and_communities(space: Workspace):
    graph = conversation_graph(space, START, END)
    by_label = {data["label"]: data for _, data in graph.nodes(data=True)}
    assert by_label["zoe"]["ambassador"] and not by_label["zoe"]["detractor"]
    assert by_label["paul"]["detractor"] and not by_label["paul"]["ambassador"]
    assert not by_label["lou"]["ambassador"]  # one positive mention is not "repeatedly"
    # Zoé's corner of the map is apart from the conversation on Marie's blog.
    assert by_label["zoe"]["community"] != by_label["marie"]["community"]
    assert by_label["paul"]["community"] == by_label["marie"]["community"]


def test_roles_need_repeated_and_one_sided_sentiment():
    assert author_roles(Counter(positive=2, negative=0)).ambassador is False
    assert author_roles(Counter(positive=3, negative=1)).ambassador is True
    assert author_roles(Counter(positive=2, negative=2)) == author_roles(Counter())


def test_gexf_export_opens_in_networkx(space: Workspace, tmp_path: Path):
    path = tmp_path / "azur.gexf"
    export_gexf(conversation_graph(space, START, END), path)
    again = nx.read_gexf(path)
    assert again.number_of_nodes() == 6  # 4 authors, marie.example and social.example
    paul = f"author:{Author.objects.get(handle='paul').pk}"
    marie = f"author:{Author.objects.get(handle='marie').pk}"
    assert again[paul][marie]["weight"] == 3
    assert again.nodes[paul]["detractor"] is True


def _month_of_mentions(
    workspace: Workspace, who: Author, day: datetime, count: int, sentiment: str
) -> None:
    source = workspace.sources.first() or factories.feed_source(workspace)
    Mention.objects.bulk_create(
        Mention(
            workspace=workspace,
            source=source,
            external_id=f"{who.handle}-{day:%Y%m%d}-{n}",
            url=f"https://{who.handle}.example/{day:%Y%m%d}/{n}",
            author=who,
            published_at=day + timedelta(minutes=n),
            sentiment=sentiment,
        )
        for n in range(count)
    )


def test_busiest_authors_of_a_year_are_ranked_exactly_from_the_months():
    """Two authors shout in July only (20 and 19 mentions); Régulier writes 3 positive
    mentions every month (36 in the year), Moyen 2 negative ones (24). Over the year the
    busiest two are Régulier and Moyen although neither leads any month; the ambassador is
    Régulier, the detractor Moyen, and nobody else is repeatedly positive or negative."""
    from veille.insights.network import ranked_authors
    from veille.insights.rollups import rebuild_rollups

    workspace = Workspace.objects.create(name="Azur", time_zone="UTC")
    who = {
        n: Author.objects.create(platform="blog", handle=n)
        for n in ("pic", "rafale", "regulier", "moyen")
    }
    _month_of_mentions(workspace, who["pic"], datetime(2026, 7, 3, tzinfo=UTC), 20, "neutral")
    _month_of_mentions(workspace, who["rafale"], datetime(2026, 7, 9, tzinfo=UTC), 19, "neutral")
    for month in range(1, 13):
        day = datetime(2026, month, 12, tzinfo=UTC)
        _month_of_mentions(workspace, who["regulier"], day, 3, "positive")
        _month_of_mentions(workspace, who["moyen"], day + timedelta(hours=1), 2, "negative")
    rebuild_rollups(workspace.pk)
    year = (datetime(2026, 1, 1).date(), datetime(2027, 1, 1).date())
    ranked = ranked_authors(workspace, year, busiest=2, top=1)
    assert ranked == {
        "busiest": [(who["regulier"].pk, 36), (who["moyen"].pk, 24)],
        "positive": [(who["regulier"].pk, 36)],
        "negative": [(who["moyen"].pk, 24)],
    }
    # Mid-June to mid-August: July whole, and two ends read day by day. Pic (20) and
    # Rafale (19) now lead Régulier (3 + 3 + 3 = 9: the 12th of June, July and August).
    summer = (datetime(2026, 6, 10).date(), datetime(2026, 8, 20).date())
    ranked = ranked_authors(workspace, summer, busiest=3, top=1)
    assert ranked["busiest"] == [
        (who["pic"].pk, 20),
        (who["rafale"].pk, 19),
        (who["regulier"].pk, 9),
    ]
    assert ranked["negative"] == [(who["moyen"].pk, 6)]
