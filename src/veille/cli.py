"""The `veille` command: set up, listen, collect, read, serve, and try the demo.

Django is set up lazily (so that `veille --help` is instant) and the database schema is
brought up to date before any command touches it.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from veille.commands.common import (
    JsonlOption,
    WorkspaceOption,
    console,
    errors,
    fail,
    plain,
    print_jsonl,
    setup_django,
    when,
)

app = typer.Typer(
    help="veille: French-first buzz monitoring and reactive community management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
workspace_app = typer.Typer(help="Brands or clients, each with its own watches and sources.")
watch_app = typer.Typer(help="What to listen for: named queries.")
source_app = typer.Typer(help="Where to listen: feeds, pages, platforms.")
app.add_typer(workspace_app, name="workspace", no_args_is_help=True)
app.add_typer(watch_app, name="watch", no_args_is_help=True)
app.add_typer(source_app, name="source", no_args_is_help=True)

# --- init -------------------------------------------------------------------------------


@app.command()
def init(
    username: Annotated[str | None, typer.Option(help="The first owner's user name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(help="The owner's password (asked for when missing; prefer the prompt)."),
    ] = None,
    email: Annotated[str, typer.Option(help="The owner's e-mail address.")] = "",
    workspace: Annotated[str | None, typer.Option(help="The first workspace's name.")] = None,
    time_zone: Annotated[str, typer.Option(help="The workspace's time zone.")] = "Europe/Paris",
    language: Annotated[str, typer.Option(help="The workspace's default language.")] = "fr",
) -> None:
    """Create the database, the first owner account and the first workspace."""
    setup_django()
    from django.conf import settings

    from veille.core import services

    if services.is_initialised():
        raise fail(
            "veille is already initialised in "
            f"{settings.DATABASES['default']['NAME']}: add workspaces with "
            "`veille workspace add`"
        )
    interactive = sys.stdin.isatty()
    if username is None:
        if not interactive:
            raise fail("--username is required when not run from a terminal")
        username = typer.prompt("Owner user name")
    if workspace is None:
        if not interactive:
            raise fail("--workspace is required when not run from a terminal")
        workspace = typer.prompt("First workspace (a brand or a client)")
    if password is None:
        if not interactive:
            raise fail("--password is required when not run from a terminal")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, space = services.initialise(
            username=username,
            password=password,
            email=email,
            workspace=workspace,
            time_zone=time_zone,
            language=language,
        )
    except services.VeilleError as error:
        raise fail(str(error)) from None
    console.print(
        plain(f"Ready: owner {user.username!r}, workspace {space.name!r}, "),
        plain(f"database {settings.DATABASES['default']['NAME']}"),
    )
    console.print("Next: veille watch add, veille source add, veille collect, veille serve")


# --- workspaces -------------------------------------------------------------------------


@workspace_app.command("add")
def workspace_add(
    name: Annotated[str, typer.Argument(help="The workspace's name.")],
    time_zone: Annotated[str, typer.Option(help="Time zone.")] = "Europe/Paris",
    language: Annotated[str, typer.Option(help="Default language.")] = "fr",
    owner: Annotated[str | None, typer.Option(help="User name of its owner.")] = None,
) -> None:
    """Add a workspace (a brand or a client)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from veille.core import services

    owner_user = None
    if owner is not None:
        owner_user = get_user_model().objects.filter(username=owner).first()
        if owner_user is None:
            raise fail(f"no user named {owner!r}")
    try:
        space = services.add_workspace(
            name, time_zone=time_zone, language=language, owner=owner_user
        )
    except services.VeilleError as error:
        raise fail(str(error)) from None
    console.print(plain(f"Workspace {space.name!r} added."))


@workspace_app.command("list")
def workspace_list(jsonl: JsonlOption = False) -> None:
    """List the workspaces."""
    setup_django()
    from django.db.models import Count

    from veille.core.models import Workspace

    spaces = Workspace.objects.annotate(
        watch_count=Count("watches", distinct=True), source_count=Count("sources", distinct=True)
    )
    rows = [
        {
            "name": space.name,
            "time_zone": space.time_zone,
            "language": space.default_language,
            "watches": space.watch_count,
            "sources": space.source_count,
        }
        for space in spaces
    ]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("name", "time zone", "language", "watches", "sources", title="Workspaces")
    for row in rows:
        table.add_row(*(plain(value) for value in row.values()))
    console.print(table)


# --- watches ----------------------------------------------------------------------------


@watch_app.command("add")
def watch_add(
    name: Annotated[str, typer.Option(help="The watch's name.")],
    query: Annotated[str, typer.Option(help='Terms or "phrases" separated by OR.')],
    workspace: WorkspaceOption = None,
    kind: Annotated[str, typer.Option(help="brand, competitor or topic.")] = "brand",
    language: Annotated[
        list[str] | None, typer.Option(help="Only mentions in this language (repeatable).")
    ] = None,
) -> None:
    """Add a watch: what to listen for."""
    setup_django()
    from veille.core import services

    try:
        space = services.get_workspace(workspace)
        watch = services.add_watch(
            space, name=name, query=query, kind=kind, languages=language or []
        )
    except services.VeilleError as error:
        raise fail(str(error)) from None
    console.print(plain(f"Watch {watch.name!r} added to {space.name!r}."))


@watch_app.command("list")
def watch_list(workspace: WorkspaceOption = None, jsonl: JsonlOption = False) -> None:
    """List the watches of a workspace."""
    setup_django()
    from django.db.models import Count

    from veille.core import services

    try:
        space = services.get_workspace(workspace)
    except services.VeilleError as error:
        raise fail(str(error)) from None
    rows = [
        {
            "id": watch.pk,
            "name": watch.name,
            "kind": watch.kind,
            "query": watch.query,
            "languages": watch.languages,
            "active": watch.active,
            "mentions": watch.mention_count,
        }
        for watch in space.watches.annotate(mention_count=Count("matches"))
    ]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("id", "name", "kind", "query", "languages", "active", "mentions")
    table.title = f"Watches of {space.name}"
    for row in rows:
        row["languages"] = ", ".join(row["languages"]) or "all"
        table.add_row(*(plain(value) for value in row.values()))
    console.print(table)


# --- sources ----------------------------------------------------------------------------


@source_app.command("add")
def source_add(
    url: Annotated[
        str, typer.Argument(help="The feed's or page's URL (optional for platforms).")
    ] = "",
    workspace: WorkspaceOption = None,
    kind: Annotated[
        str, typer.Option(help="feed, page, mastodon, bluesky, reddit or hackernews.")
    ] = "feed",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="key=value, e.g. instance=https://piaille.fr."),
    ] = None,
    name: Annotated[str, typer.Option(help="A name to recognise it by.")] = "",
    interval: Annotated[int, typer.Option(help="Seconds between collections.")] = 3600,
    media: Annotated[
        str, typer.Option(help="earned, owned (the brand's own channel) or paid.")
    ] = "earned",
) -> None:
    """Add a source to collect from (see docs/connectors.md for each kind's parameters)."""
    setup_django()
    from veille.commands.collect import parse_params
    from veille.core import services

    try:
        space = services.get_workspace(workspace)
        source = services.add_source(
            space,
            url=url,
            kind=kind,
            name=name,
            interval=interval,
            media_category=media,
            params=parse_params(param or []),
        )
    except services.VeilleError as error:
        raise fail(str(error)) from None
    console.print(plain(f"Source {source.pk} ({source.url}) added to {space.name!r}."))


@source_app.command("list")
def source_list(workspace: WorkspaceOption = None, jsonl: JsonlOption = False) -> None:
    """List the sources of a workspace, with their last run and last error."""
    setup_django()
    from django.db.models import Count

    from veille.core import services

    try:
        space = services.get_workspace(workspace)
    except services.VeilleError as error:
        raise fail(str(error)) from None
    sources = space.sources.annotate(mention_count=Count("mentions"))
    rows = [
        {
            "id": source.pk,
            "kind": source.kind,
            "name": source.name,
            "url": source.url,
            "media": source.media_category,
            "interval": source.interval,
            "active": source.active,
            "mentions": source.mention_count,
            "last_run": when(source.last_run_at),
            "last_success": when(source.last_success_at),
            "failures": source.consecutive_failures,
            "last_error": source.last_error,
        }
        for source in sources
    ]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("id", "name", "url", "media", "mentions", "last run", "last error")
    table.title = f"Sources of {space.name}"
    for row in rows:
        table.add_row(
            *(plain(row[key]) for key in ("id", "name", "url", "media", "mentions", "last_run")),
            Text(plain(row["last_error"]).plain, style="red"),
        )
    console.print(table)


# --- collect ----------------------------------------------------------------------------


def collect_sources(sources: list[Any]) -> list[Any]:
    """Collect each source with a progress bar; a failing source does not stop the others."""
    from veille.pipeline.run import run_source

    reports = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("Collecting", total=len(sources))
        for source in sources:
            progress.update(task, description=f"Collecting {str(source)[:50]}")
            reports.append(run_source(source))
            progress.advance(task)
        progress.update(task, description="Collected")
    table = Table("source", "fetched", "new", "already stored", "status", title="Collection")
    for report in reports:
        if report.error:
            status = Text(plain(report.error).plain, style="red")
        elif report.not_modified:
            status = Text("not modified")
        else:
            status = Text("ok" + "".join(f"; {w}" for w in report.warnings), style="green")
        table.add_row(
            plain(report.source),
            str(report.fetched),
            str(report.created),
            str(report.already_stored),
            status,
        )
    console.print(table)
    return reports


@app.command()
def collect(
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="Only this workspace's sources.")
    ] = None,
    source: Annotated[int | None, typer.Option(help="Only the source with this id.")] = None,
) -> None:
    """Collect every active source once: fetch, enrich, match and store new mentions.

    A source that fails shows its error and the others go on; the exit code is 1 when any
    source failed.
    """
    setup_django()
    from veille.core import services
    from veille.core.models import Source

    sources = Source.objects.filter(active=True).select_related("workspace")
    try:
        if workspace is not None:
            sources = sources.filter(workspace=services.get_workspace(workspace))
    except services.VeilleError as error:
        raise fail(str(error)) from None
    if source is not None:
        sources = sources.filter(pk=source)
    selected = list(sources)
    if not selected:
        raise fail("no active source to collect: add one with `veille source add URL`")
    reports = collect_sources(selected)
    failed = [report for report in reports if report.error]
    created = sum(report.created for report in reports)
    console.print(f"{created} new mentions from {len(reports)} sources.")
    if failed:
        errors.print(f"{len(failed)} of {len(reports)} sources failed (see above).")
        raise typer.Exit(1)


# --- mentions ---------------------------------------------------------------------------


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), time())
        except ValueError:
            raise fail(f"--since {value!r} is not a date (example: 2026-01-31)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def mentions(
    workspace: WorkspaceOption = None,
    watch: Annotated[str | None, typer.Option(help="Only mentions matching this watch.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Published on or after this date (YYYY-MM-DD).")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. fr.")] = None,
    sentiment: Annotated[str | None, typer.Option(help="negative, neutral or positive.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    jsonl: JsonlOption = False,
) -> None:
    """Show the stored mentions, newest first."""
    setup_django()
    from django.db.models import Prefetch

    from veille.core import services
    from veille.core.models import Mention, MentionMatch, Sentiment

    try:
        space = services.get_workspace(workspace)
    except services.VeilleError as error:
        raise fail(str(error)) from None
    queryset = Mention.objects.filter(workspace=space)
    if watch is not None:
        found = space.watches.filter(name=watch).first()
        if found is None:
            known = ", ".join(space.watches.values_list("name", flat=True)) or "none yet"
            raise fail(f"no watch named {watch!r} in {space.name!r} (known: {known})")
        queryset = queryset.filter(matches__watch=found)
    since_at = _since(since)
    if since_at is not None:
        queryset = queryset.filter(published_at__gte=since_at)
    if language is not None:
        queryset = queryset.filter(language=language)
    if sentiment is not None:
        if sentiment not in Sentiment.values:
            raise fail(f"unknown sentiment {sentiment!r}: use {', '.join(Sentiment.values)}")
        queryset = queryset.filter(sentiment=sentiment)
    queryset = queryset.select_related("author", "source").prefetch_related(
        Prefetch("matches", queryset=MentionMatch.objects.select_related("watch"))
    )
    rows = [
        {
            "id": mention.pk,
            "published": when(mention.published_at),
            "kind": mention.kind,
            "author": (mention.author.display_name or mention.author.handle)
            if mention.author
            else "",
            "source": str(mention.source),
            "language": mention.language,
            "sentiment": mention.sentiment,
            "media": mention.media_category,
            "watches": {match.watch.name: match.terms for match in mention.matches.all()},
            "title": mention.title,
            "text": mention.text,
            "url": mention.url,
        }
        for mention in queryset[: max(limit, 0)]
    ]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("published", "kind", "author", "lang", "watches", "text", title=space.name)
    for row in rows:
        text = (row["title"] + " — " if row["title"] else "") + row["text"]
        table.add_row(
            plain(row["published"][:16]),
            plain(row["kind"]),
            plain(row["author"]),
            plain(row["language"]),
            plain(", ".join(row["watches"])),
            plain(text[:160]),
        )
    console.print(table)
    console.print(f"{len(rows)} shown (at most {limit}; --limit to change).")


# --- serve ------------------------------------------------------------------------------


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "veille.asgi:application",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
        lifespan="off",  # Django does not speak the ASGI lifespan protocol
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web app with uvicorn (ASGI), on 127.0.0.1:8000 by default."""
    setup_django()
    console.print(f"veille on http://{host}:{port}/ (Ctrl+C to stop)")
    _serve(host, port, workers)


# --- demo -------------------------------------------------------------------------------


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web app afterwards.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed of the sample data generator.")] = 2025,
) -> None:
    """Generate a fictional brand's year of conversations, collect it, and serve the app.

    The sample feeds are served on 127.0.0.1 and collected by the real feed connector.
    Data goes to VEILLE_DATA_DIR (default: the "demo" folder of the usual data directory).
    """
    if not os.environ.get("VEILLE_DATA_DIR") and not os.environ.get("VEILLE_DATABASE_URL"):
        from veille.settings import default_data_dir

        os.environ["VEILLE_DATA_DIR"] = str(default_data_dir() / "demo")
    setup_django()
    from veille.demo.run import DEMO_PASSWORD, DEMO_USERNAME, run_demo

    try:
        outcome = run_demo(seed=seed, collect=collect_sources)
    except Exception as error:
        raise fail(f"the demo could not be prepared: {error}") from error
    for line in outcome.summary_lines():
        console.print(plain(line))
    if outcome.failed:
        raise fail(f"{outcome.failed} demo sources failed to collect (see above)")
    if not serve_after:
        return
    console.print(
        Text.assemble(
            ("\nOpen ", ""),
            (f"http://127.0.0.1:{port}/", "bold"),
            ("  and log in as ", ""),
            (DEMO_USERNAME, "bold"),
            (" / ", ""),
            (DEMO_PASSWORD, "bold"),
            ("  (Ctrl+C to stop)", ""),
        )
    )
    _serve("127.0.0.1", port, 1)


def _register_command_modules() -> None:
    """Each area's commands live in veille.commands.<area>, which adds them to the app."""
    import importlib
    import pkgutil

    import veille.commands

    for module in pkgutil.iter_modules(veille.commands.__path__):
        if module.name != "common":
            importlib.import_module(f"veille.commands.{module.name}").register(app)


_register_command_modules()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
