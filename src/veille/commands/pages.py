"""`veille import FILE`: bring a CSV, JSONL or XLSX export into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veille.commands.common import WorkspaceOption, console, fail, plain, setup_django


def parse_mapping(value: str) -> dict[str, str]:
    """ "text=message,date=created" as {"text": "message", "date": "created"}."""
    mapping: dict[str, str] = {}
    for pair in value.split(","):
        if not pair.strip():
            continue
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ValueError(f"{pair.strip()!r} is not FIELD=COLUMN")
        mapping[field.strip()] = column.strip()
    return mapping


def import_command(
    file: Annotated[Path, typer.Argument(help="A CSV, JSONL or XLSX export.")],
    workspace: WorkspaceOption = None,
    mapping: Annotated[
        str,
        typer.Option(
            help="Which column holds which field, e.g. text=message,date=created "
            "(fields: text, date, author, url, title, id, kind, parent, platform, language)."
        ),
    ] = "",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on the first bad row instead of skipping it.")
    ] = False,
    media: Annotated[
        str, typer.Option(help="earned, owned (the brand's own channel) or paid.")
    ] = "earned",
) -> None:
    """Import mentions from a file; importing the same file again adds nothing twice."""
    try:
        columns = parse_mapping(mapping)
    except ValueError as error:
        raise fail(f"--mapping: {error}") from None
    path = file.expanduser().resolve()
    if not path.is_file():
        raise fail(f"{file}: not a regular file")
    setup_django()
    from veille.collect.imports import FIELDS
    from veille.core import services
    from veille.core.models import Source
    from veille.pipeline.run import run_source

    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise fail(f"--mapping: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    try:
        space = services.get_workspace(workspace)
    except services.VeilleError as error:
        raise fail(str(error)) from None
    source, _ = Source.objects.get_or_create(
        workspace=space,
        kind="import",
        url=path.as_uri(),
        defaults={"name": path.name, "media_category": media},
    )
    params = {"path": str(path), "strict": strict}
    if columns:
        params["mapping"] = columns
    if source.params != params:
        source.params = params
        source.cursor = {}  # a new mapping reads the same file differently
        source.save(update_fields=["params", "cursor"])
    report = run_source(source)
    for warning in report.warnings:
        console.print(plain(f"warning: {warning}"), style="yellow")
    if report.error:
        raise fail(report.error)
    if report.not_modified:
        console.print(plain(f"{path.name}: unchanged since the last import, nothing to do."))
        return
    console.print(
        plain(
            f"{path.name}: {report.fetched} rows read, {report.created} created, "
            f"{report.already_stored} already stored, {len(report.warnings)} warnings "
            f"(workspace {space.name!r})."
        )
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
