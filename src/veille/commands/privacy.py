"""`veille privacy export` and `veille privacy forget`: answering a person's request about
what veille holds on them (GDPR access and erasure), for the installation's administrator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from veille.commands.common import console, fail, plain, setup_django

HandleArgument = Annotated[str, typer.Argument(help="The handle as veille shows it (@alice).")]
PlatformOption = Annotated[
    str | None,
    typer.Option(help="mastodon, bluesky, reddit, hackernews, web…; default: every platform."),
]


def _authors(handle: str, platform: str | None) -> list:
    setup_django()
    from veille.core.privacy import PrivacyError, find_authors

    try:
        return find_authors(handle, platform)
    except PrivacyError as error:
        raise fail(str(error)) from None


def export(
    handle: HandleArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="The JSON file to write.")],
    platform: PlatformOption = None,
) -> None:
    """Write everything veille holds about a person to a JSON file (a right-of-access request)."""
    authors = _authors(handle, platform)
    from veille.core.privacy import export_author

    document = export_author(authors)
    try:
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        raise fail(f"cannot write {out}: {error.strerror}") from None
    console.print(
        plain(
            f"{len(document['mentions'])} messages by {len(authors)} author records written "
            f"to {out}; {len(document['messages_by_others_naming_them'])} messages by others "
            "name them (listed, not changed)."
        )
    )


def forget(
    handle: HandleArgument,
    platform: PlatformOption = None,
    reason: Annotated[str, typer.Option(help="Why, for the audit log (no personal data).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person: their messages emptied, their author record deleted, never collected
    again (a right-to-erasure request). Cannot be undone."""
    authors = _authors(handle, platform)
    from veille.core.privacy import forget_author

    names = ", ".join(f"{a.handle} ({a.platform})" for a in authors)
    if not yes and not typer.confirm(f"Forget {names}? This cannot be undone.", default=False):
        raise fail("nothing changed")
    done = forget_author(authors, reason=reason)
    console.print(
        plain(
            f"Forgotten: {done.authors} author records, {done.mentions} messages emptied, "
            f"{done.corrections} corrections deleted. Their messages will not be collected again."
        )
    )


def register(app: typer.Typer) -> None:
    privacy_app = typer.Typer(
        help="A person's requests about their data: a copy, or erasure.", no_args_is_help=True
    )
    privacy_app.command("export")(export)
    privacy_app.command("forget")(forget)
    app.add_typer(privacy_app, name="privacy")
