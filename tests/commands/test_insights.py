from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from tests import factories
from veille.cli import app
from veille.core.models import Author, Mention

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    workspace = factories.workspace("Azur <b>")
    source = factories.feed_source(workspace)
    brand = workspace.watches.create(name="Azur", query="azur", kind="brand")
    fan = Author.objects.create(platform="blog.example", handle="fan", display_name="Fan")
    for day in range(40):
        mention = Mention.objects.create(
            workspace=workspace,
            source=source,
            external_id=str(day),
            url=f"https://blog.example/{day}",
            author=fan,
            published_at=datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=day),
            sentiment="positive" if day % 3 else "negative",
        )
        mention.matches.create(watch=brand, terms=["azur"])
    return workspace


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_html_report_is_self_contained_and_in_the_chosen_language(space, tmp_path: Path):
    out = tmp_path / "report.html"
    result = run("report", "--period", "2026-01..2026-02", "--out", str(out), "--language", "en")
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert '<html lang="en">' in html
    assert "From Jan. 1, 2026 to Feb. 28, 2026" in html
    assert "Azur &lt;b&gt;" in html and "Azur <b>" not in html
    assert "data:image/svg+xml;base64," in html
    assert "<link" not in html  # the stylesheet is inline
    for panel in ("volume", "voice", "places", "media", "community", "network", "team"):
        assert f'id="{panel}"' in html


def test_pdf_report_is_printed_by_chromium(space, tmp_path: Path):
    out = tmp_path / "report.pdf"
    result = run("report", "--period", "2026-01..2026-02", "--out", str(out), "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_size > 20_000  # charts and tables, not a blank page


def test_graph_export_for_gephi(space, tmp_path: Path):
    out = tmp_path / "graph.gexf"
    result = run("export", "graph", "--period", "2026-01-01..2026-01-31", "--out", str(out))
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out)
    assert set(graph.nodes) == {f"author:{Author.objects.get().pk}", "site:blog.example"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13..2026-14"], "is not FIRST..LAST"),
        (["--period", "2026-05..2026-01"], "ends before it starts"),
        (["--period", "2026-01..2026-02", "--format", "docx"], "unknown format"),
        (["--period", "2026-01..2026-02", "--workspace", "Nope"], "no workspace named"),
    ],
)
def test_bad_report_requests_are_refused_clearly(space, tmp_path, args, message):
    result = run("report", "--out", str(tmp_path / "r.html"), *args)
    assert result.exit_code == 1
    assert message in result.output


def test_reports_are_scheduled_from_the_command_line(space):
    from veille.insights.models import ReportSchedule

    result = run(
        "reports",
        "schedule",
        "--every",
        "monthly",
        "--to",
        "cm@azur.example",
        "--to",
        "boss@azur.example",
        "--language",
        "en",
    )
    assert result.exit_code == 0, result.output
    schedule = ReportSchedule.objects.get()
    assert schedule.recipients == ["cm@azur.example", "boss@azur.example"]
    refused = run("reports", "schedule", "--every", "daily", "--to", "cm@azur.example")
    assert refused.exit_code == 1 and "unknown frequency" in refused.output
