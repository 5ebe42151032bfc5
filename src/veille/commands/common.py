"""What every `veille` command module shares: Django set-up, output and errors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

console = Console()
errors = Console(stderr=True)

_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10)) | {127: None}

WorkspaceOption = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace name (optional when there is only one)."),
]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON object per line.")]


def setup_django() -> None:
    """Configure Django and bring the schema up to date, once per process."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error for the user and return the Exit to raise."""
    errors.print(Text(f"error: {message}", style="bold red"))
    return typer.Exit(code)


def plain(value: object) -> Text:
    """Untrusted text for the terminal: no Rich markup, no control sequences."""
    return Text(str(value or "").translate(_CONTROL))


def print_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""
