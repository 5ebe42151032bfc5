"""`veille report` and `veille export graph`: the dashboard's figures from the command line."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Annotated

import typer

from veille.commands.common import WorkspaceOption, console, fail, plain, setup_django

PeriodOption = Annotated[
    str,
    typer.Option(help="FIRST..LAST, months (2025-01..2025-12) or days (2025-01-15..2025-02-14)."),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="The file to write.")]


def _workspace_and_period(workspace: str | None, period: str):
    setup_django()
    from veille.core import services
    from veille.insights.period import parse_period

    try:
        space = services.get_workspace(workspace)
        return space, parse_period(period, zoneinfo.ZoneInfo(space.time_zone))
    except (services.VeilleError, ValueError) as error:
        raise fail(str(error)) from None


def report(
    period: PeriodOption,
    out: OutOption,
    workspace: WorkspaceOption = None,
    format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    language: Annotated[str, typer.Option(help="fr or en.")] = "fr",
    per: Annotated[str, typer.Option(help="day, week, month or quarter.")] = "month",
) -> None:
    """Write a workspace's report for a period: volume, sentiment, voice, places, community."""
    if format not in ("html", "pdf"):
        raise fail(f"unknown format {format!r}: use html or pdf")
    if language not in ("fr", "en"):
        raise fail(f"unknown language {language!r}: use fr or en")
    if per not in ("day", "week", "month", "quarter"):
        raise fail(f"unknown --per {per!r}: use day, week, month or quarter")
    space, chosen = _workspace_and_period(workspace, period)
    from veille.insights.report import ReportError, html_to_pdf, render_html

    html = render_html(space, chosen, per, language)
    try:
        if format == "html":
            out.write_text(html, encoding="utf-8")
        else:
            html_to_pdf(html, out)
    except (OSError, ReportError) as error:
        raise fail(str(error)) from None
    console.print(
        plain(f"Report of {space.name!r} for {chosen.first_day}..{chosen.last_day}: {out}")
    )


def graph(
    period: PeriodOption,
    out: OutOption,
    workspace: WorkspaceOption = None,
    format: Annotated[str, typer.Option("--format", help="gexf (for Gephi).")] = "gexf",
) -> None:
    """Export the network of authors and sites of a period, for Gephi."""
    if format != "gexf":
        raise fail(f"unknown format {format!r}: use gexf")
    space, chosen = _workspace_and_period(workspace, period)
    from veille.insights.network import conversation_graph, export_gexf

    network = conversation_graph(space, chosen.start, chosen.end)
    try:
        export_gexf(network, out)
    except OSError as error:
        raise fail(f"cannot write {out}: {error}") from None
    console.print(
        plain(
            f"{network.number_of_nodes()} nodes and {network.number_of_edges()} edges "
            f"of {space.name!r} written to {out}"
        )
    )


def schedule(
    every: Annotated[str, typer.Option(help="weekly or monthly.")],
    to: Annotated[list[str], typer.Option(help="An e-mail address (repeatable).")],
    workspace: WorkspaceOption = None,
    language: Annotated[str, typer.Option(help="fr or en.")] = "fr",
) -> None:
    """Mail the report after each complete week or month (sent by `veille reports send`)."""
    setup_django()
    from veille.core import services
    from veille.insights.mailing import schedule_report

    try:
        space = services.get_workspace(workspace)
        added = schedule_report(space, every, to, language)
    except (services.VeilleError, ValueError) as error:
        raise fail(str(error)) from None
    console.print(plain(f"Scheduled: {added}"))


def send() -> None:
    """Send every scheduled report whose period is complete and not sent yet (for cron)."""
    setup_django()
    from veille.insights.mailing import send_due_reports

    sent = send_due_reports()
    for sending in sent:
        line = f"{sending.schedule} {sending.period.first_day}..{sending.period.last_day}"
        console.print(plain(f"{line}: {sending.error or 'sent'}"))
    if not sent:
        console.print("No report due.")
    if any(sending.error for sending in sent):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(report)
    reports_app = typer.Typer(help="Reports mailed on a schedule.", no_args_is_help=True)
    reports_app.command("schedule")(schedule)
    reports_app.command("send")(send)
    app.add_typer(reports_app, name="reports")
    export_app = typer.Typer(help="Export data for other tools.", no_args_is_help=True)
    export_app.command("graph")(graph)
    app.add_typer(export_app, name="export")
