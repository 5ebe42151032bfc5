"""Domain operations shared by the CLI, the web app and the demo.

Each raises VeilleError with a message that says what is wrong and where, before
anything is written.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from veille.collect.base import CollectError
from veille.collect.params import parse_source_params, source_url
from veille.collect.ssrf import check_url
from veille.core.models import (
    MediaCategory,
    Membership,
    Role,
    Source,
    SourceKind,
    Watch,
    WatchKind,
    Workspace,
)
from veille.query import QuerySyntaxError, parse

LANGUAGE_CODES = {"fr", "en", "es", "de", "it", "pt", "nl"}


class VeilleError(Exception):
    """A request that cannot be carried out; the message is meant for the user."""


def _choice(value: str, choices: type, what: str) -> str:
    allowed = [str(choice) for choice in choices.values]
    if value not in allowed:
        raise VeilleError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def _time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise VeilleError(f"unknown time zone {name!r} (example: Europe/Paris)") from None
    return name


def _language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise VeilleError(
            f"unknown language {code!r}: use one of {', '.join(sorted(LANGUAGE_CODES))}"
        )
    return code


def is_initialised() -> bool:
    return get_user_model().objects.filter(is_superuser=True).exists()


@transaction.atomic
def initialise(
    *,
    username: str,
    password: str,
    email: str = "",
    workspace: str,
    time_zone: str = "Europe/Paris",
    language: str = "fr",
):
    """The first owner account and the first workspace; refused once done."""
    if is_initialised():
        raise VeilleError(
            "veille is already initialised here: an owner account exists. "
            "Add workspaces with `veille workspace add`, or point VEILLE_DATA_DIR / "
            "VEILLE_DATABASE_URL elsewhere for a new installation."
        )
    User = get_user_model()
    if not username.strip():
        raise VeilleError("the owner's user name is empty")
    user = User(username=username.strip(), email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise VeilleError("password refused: " + " ".join(error.messages)) from None
    user.set_password(password)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    space = add_workspace(workspace, time_zone=time_zone, language=language, owner=user)
    return user, space


def add_workspace(name: str, *, time_zone: str = "Europe/Paris", language: str = "fr", owner=None):
    name = name.strip()
    if not name:
        raise VeilleError("the workspace name is empty")
    if Workspace.objects.filter(name=name).exists():
        raise VeilleError(f"a workspace named {name!r} already exists")
    space = Workspace.objects.create(
        name=name, time_zone=_time_zone(time_zone), default_language=_language(language)
    )
    if owner is not None:
        Membership.objects.create(user=owner, workspace=space, role=Role.OWNER)
    return space


def get_workspace(name: str | None) -> Workspace:
    """The workspace of that name; with no name, the only one there is."""
    names = list(Workspace.objects.values_list("name", flat=True))
    if name is None:
        if len(names) == 1:
            return Workspace.objects.get()
        if not names:
            raise VeilleError("there is no workspace yet: run `veille init` first")
        raise VeilleError(
            f"several workspaces exist, name one with --workspace: {', '.join(names)}"
        )
    try:
        return Workspace.objects.get(name=name)
    except Workspace.DoesNotExist:
        known = ", ".join(names) or "none yet"
        raise VeilleError(f"no workspace named {name!r} (known: {known})") from None


def add_watch(
    workspace: Workspace,
    *,
    name: str,
    query: str,
    kind: str = "brand",
    languages: list[str] | None = None,
) -> Watch:
    name = name.strip()
    if not name:
        raise VeilleError("the watch name is empty")
    try:
        parse(query)
    except QuerySyntaxError as error:
        raise VeilleError(f"the query cannot be read: {error}") from None
    if workspace.watches.filter(name=name).exists():
        raise VeilleError(f"workspace {workspace.name!r} already has a watch named {name!r}")
    return Watch.objects.create(
        workspace=workspace,
        name=name,
        query=query.strip(),
        kind=_choice(kind, WatchKind, "watch kind"),
        languages=[_language(code) for code in languages or []],
    )


def add_source(
    workspace: Workspace,
    *,
    url: str,
    kind: str = "feed",
    name: str = "",
    interval: int = 3600,
    media_category: str = "earned",
    params: dict[str, Any] | None = None,
) -> Source:
    _choice(kind, SourceKind, "source kind")
    _choice(media_category, MediaCategory, "media category")
    url = url.strip()
    try:
        params = parse_source_params(kind, url, params or {})
        url = url or source_url(kind, params)
        if kind != SourceKind.IMPORT:
            check_url(url)
    except CollectError as error:
        raise VeilleError(str(error)) from None
    if interval < 60:
        raise VeilleError(f"interval {interval} s is too short: 60 s at least")
    if workspace.sources.filter(kind=kind, url=url).exists():
        raise VeilleError(f"workspace {workspace.name!r} already collects {url}")
    return Source.objects.create(
        workspace=workspace,
        kind=kind,
        url=url,
        name=name.strip(),
        interval=interval,
        media_category=media_category,
        params=params,
    )
