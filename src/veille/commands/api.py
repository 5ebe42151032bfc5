"""`veille token create|list|revoke`: personal tokens for the HTTP API (docs/api.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from veille.commands.common import (
    JsonlOption,
    console,
    fail,
    plain,
    print_jsonl,
    setup_django,
    when,
)

token_app = typer.Typer(help="Personal tokens for the HTTP API at /api/.")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="User name the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="A label: what or who uses it.")],
) -> None:
    """Create a token; it is printed once and cannot be shown again."""
    setup_django()
    from django.contrib.auth import get_user_model

    from veille.api.models import ApiToken

    owner = get_user_model().objects.filter(username=user).first()
    if owner is None:
        raise fail(f"no user named {user!r}")
    if not owner.is_active:
        raise fail(f"user {user!r} is inactive")
    label = name.strip()
    if not label:
        raise fail("the token's name is empty")
    token, clear = ApiToken.issue(owner, label)
    console.print(plain(f"Token {token.pk} ({label}) for {user}; copy it now, it is not kept:"))
    typer.echo(clear)


@token_app.command("list")
def token_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    jsonl: JsonlOption = False,
) -> None:
    """List tokens: prefix, owner, use and state (never the tokens themselves)."""
    setup_django()
    from veille.api.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("pk")
    if user is not None:
        tokens = tokens.filter(user__username=user)
    rows = [
        {
            "id": token.pk,
            "user": token.user.get_username(),
            "name": token.name,
            "prefix": token.prefix,
            "created_at": when(token.created_at),
            "last_used_at": when(token.last_used_at),
            "revoked_at": when(token.revoked_at),
        }
        for token in tokens
    ]
    if jsonl:
        print_jsonl(rows)
        return
    table = Table("id", "user", "name", "prefix", "created", "last used", "state")
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        table.add_row(
            str(row["id"]),
            plain(row["user"]),
            plain(row["name"]),
            plain(row["prefix"] + "…"),
            row["created_at"],
            row["last_used_at"] or "never",
            state,
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (see list).")],
) -> None:
    """Revoke a token: requests with it are refused from now on."""
    setup_django()
    from veille.api.models import ApiToken

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise fail(f"no token with id {token_id}")
    if token.revoked:
        console.print(plain(f"Token {token_id} was already revoked."))
        return
    token.revoke()
    console.print(plain(f"Token {token_id} ({token.name}) revoked."))


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token", no_args_is_help=True)
