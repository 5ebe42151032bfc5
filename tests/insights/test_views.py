from __future__ import annotations

import base64
import datetime

import networkx as nx
import pytest
from django.test import Client
from django.utils import timezone

from tests.web import factories
from veille.core.models import Role, Workspace

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture
def busy_space(space_a: Workspace) -> Workspace:
    brand = factories.watch(space_a, name=f"Azur {HOSTILE}", kind="brand")
    rival = factories.watch(space_a, name="Nordet", kind="competitor")
    now = timezone.now()
    fan = factories.author(display_name=f"Fan {HOSTILE}", platform="blog.example")
    critic = factories.author(display_name="Critique", platform="social.example")
    for day in range(30):
        factories.mention(
            space_a,
            author=fan,
            published_at=now - datetime.timedelta(days=day, hours=1),
            sentiment="positive",
            watches=(brand,),
        )
    for day in range(6):
        factories.mention(
            space_a,
            author=critic,
            published_at=now - datetime.timedelta(days=day, hours=2),
            sentiment="negative",
            watches=(rival,),
        )
    return space_a


@pytest.mark.django_db
def test_the_dashboard_shows_every_panel_with_figures(agent_client: Client, busy_space):
    page = agent_client.get("/insights/?granularity=day")
    assert page.status_code == 200
    html = page.content.decode()
    for panel in ("volume", "voice", "places", "media", "community", "network", "team"):
        assert f'id="{panel}"' in html
    board = page.context["board"]
    assert board.total.mentions == 36
    assert [(name, tally.mentions) for name, _, tally, _ in board.voice] == [
        (f"Azur {HOSTILE}", 30),
        ("Nordet", 6),
    ]
    assert [person.name for person in board.ambassadors] == [f"Fan {HOSTILE}"]
    assert [person.name for person in board.detractors] == ["Critique"]
    # Charts are SVG images drawn on the server, with text as paths: no label as markup.
    assert board.volume_chart.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(board.volume_chart.split(",", 1)[1]).decode()
    assert "<svg" in svg and "<script" not in svg


@pytest.mark.django_db
def test_untrusted_names_are_escaped(agent_client: Client, busy_space):
    html = agent_client.get("/insights/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_a_broken_period_is_reported_and_the_default_used(agent_client: Client, busy_space):
    page = agent_client.get("/insights/?since=2026-05-01&until=2026-04-01")
    assert page.status_code == 200
    assert page.context["form"].errors
    assert page.context["board"].period.last_day >= page.context["board"].period.first_day


@pytest.mark.django_db
def test_the_graph_downloads_as_gexf(agent_client: Client, busy_space, tmp_path):
    response = agent_client.get("/insights/graph.gexf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="brand-a-')
    path = tmp_path / "graph.gexf"
    path.write_bytes(response.content)
    graph = nx.read_gexf(path)
    assert {data["kind"] for _, data in graph.nodes(data=True)} == {"author", "site"}


@pytest.mark.django_db
def test_only_members_see_a_workspaces_insights(client: Client, busy_space, space_b):
    outsider = factories.user("outsider")
    factories.member(outsider, space_b, Role.VIEWER)
    client.force_login(outsider)
    board = client.get("/insights/").context["board"]
    assert board.total.mentions == 0  # space B's, never space A's
    anonymous = Client().get("/insights/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.django_db
def test_managers_import_outcomes_and_see_the_lagged_link(client: Client, busy_space, settings):
    settings.LANGUAGE_CODE = "en"  # the page's default is French
    from django.core.files.uploadedfile import SimpleUploadedFile

    manager = factories.user("manager")
    factories.member(manager, busy_space, Role.MANAGER)
    client.force_login(manager)
    today = timezone.localdate()
    rows = "\n".join(f"{today - datetime.timedelta(days=d)},{100 + d}" for d in range(1, 20))
    upload = SimpleUploadedFile("visites.csv", f"date,visites\n{rows}\n".encode())
    response = client.post("/insights/outcomes/", {"file": upload}, follow=True)
    assert "Imported visites: 19." in [str(m) for m in response.context["messages"]]
    (found,) = client.get("/insights/").context["board"].outcomes
    assert found.metric == "visites" and found.days == 19 and found.strongest is not None


@pytest.mark.django_db
def test_agents_cannot_import_outcomes_and_errors_name_the_row(
    agent_client: Client, client: Client, busy_space
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = agent_client.post(
        "/insights/outcomes/", {"file": SimpleUploadedFile("x.csv", b"date,v\n2026-01-01,1\n")}
    )
    assert refused.status_code == 403
    owner = factories.user("owner")
    factories.member(owner, busy_space, Role.OWNER)
    client.force_login(owner)
    bad = SimpleUploadedFile("x.csv", b"date,v\n2026-01-01,un\n")
    response = client.post("/insights/outcomes/", {"file": bad}, follow=True)
    assert ["x.csv, row 2, column 'v': 'un' is not a number"] == [
        str(m) for m in response.context["messages"]
    ]


@pytest.mark.django_db
def test_every_table_downloads_as_csv_and_all_as_xlsx(agent_client: Client, busy_space, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    from veille.insights.tables import TABLES

    html = agent_client.get("/insights/").content.decode()
    for name in TABLES:
        assert f"/insights/tables/{name}.csv" in html
        response = agent_client.get(f"/insights/tables/{name}.csv")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
    voice = agent_client.get("/insights/tables/voice.csv", HTTP_ACCEPT_LANGUAGE="en")
    voice = voice.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(voice)))
    assert rows[0][:3] == ["watch", "kind", "mentions"] or rows[0][:3] == [
        "veille",
        "type",
        "mentions",
    ]
    assert [row[0] for row in rows[1:]] == [f"Azur {HOSTILE}", "Nordet"]
    book = load_workbook(io.BytesIO(agent_client.get("/insights/tables/all.xlsx").content))
    assert book.sheetnames == list(TABLES)
    assert book["voice"]["C2"].value == 30
    assert agent_client.get("/insights/tables/secret.csv").status_code == 404


def test_formula_like_text_is_neutralised_in_spreadsheets():
    from veille.insights.tables import to_csv

    assert to_csv((["name"], [['=HYPERLINK("http://x")'], ["-2+3"], ["Zoé"]])).splitlines() == [
        "name",
        '"\'=HYPERLINK(""http://x"")"',
        "'-2+3",
        "Zoé",
    ]


@pytest.mark.django_db
def test_the_network_panel_states_the_bound_of_its_map(agent_client: Client, busy_space, settings):
    settings.LANGUAGE_CODE = "en"
    page = agent_client.get("/insights/?granularity=day")
    html = page.content.decode()
    assert page.context["board"].map_limit == 200
    assert "a map bounded to the 200 busiest authors, the 200 most answered ones" in html
    assert "the GEXF download keeps everyone" in html
