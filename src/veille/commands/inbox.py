"""`veille inbox escalate`: escalate cases past their first-response target (for cron)."""

from __future__ import annotations

from typing import Annotated

import typer

from veille.commands.common import console, fail, plain, setup_django

EveryWorkspaceOption = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace name (default: every workspace)."),
]


def escalate(workspace: EveryWorkspaceOption = None) -> None:
    """Escalate cases whose first-response target has passed, and mail their managers."""
    setup_django()
    from veille.core import services
    from veille.inbox.escalation import escalate_breached

    space = None
    if workspace is not None:
        try:
            space = services.get_workspace(workspace)
        except services.VeilleError as error:
            raise fail(str(error)) from None
    done = escalate_breached(workspace=space)
    for escalation in done:
        numbers = ", ".join(f"#{case.pk}" for case in escalation.cases)
        mailed = ", ".join(escalation.notified) or "nobody"
        line = f"{escalation.workspace.name}: escalated {numbers}; mailed {mailed}"
        if escalation.error:
            line += f"; mail failed: {escalation.error}"
        console.print(plain(line))
    if not done:
        console.print("No case to escalate.")
    if any(escalation.error for escalation in done):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    inbox_app = typer.Typer(help="The inbox: cases to answer.", no_args_is_help=True)
    inbox_app.command("escalate")(escalate)
    app.add_typer(inbox_app, name="inbox")
