"""Small helpers that create test data through the ORM."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from veille.core.models import (
    Author,
    Membership,
    Mention,
    MentionMatch,
    Role,
    Source,
    Watch,
    Workspace,
)

PASSWORD = "correct-horse-battery-42"
_numbers = itertools.count(1)


def user(username: str | None = None, **fields: object) -> AbstractBaseUser:
    name = username or f"user{next(_numbers)}"
    return get_user_model().objects.create_user(username=name, password=PASSWORD, **fields)


def workspace(name: str | None = None, **fields: object) -> Workspace:
    return Workspace.objects.create(name=name or f"Workspace {next(_numbers)}", **fields)


def member(person: AbstractBaseUser, space: Workspace, role: str = Role.AGENT) -> Membership:
    return Membership.objects.create(user=person, workspace=space, role=role)


def watch(space: Workspace, name: str | None = None, **fields: object) -> Watch:
    fields.setdefault("query", "veille")
    return Watch.objects.create(workspace=space, name=name or f"watch {next(_numbers)}", **fields)


def source(space: Workspace, **fields: object) -> Source:
    number = next(_numbers)
    fields.setdefault("name", f"Feed {number}")
    fields.setdefault("url", f"https://feeds.example.org/{number}.xml")
    return Source.objects.create(workspace=space, kind="feed", **fields)


def author(**fields: object) -> Author:
    number = next(_numbers)
    fields.setdefault("platform", "example.org")
    fields.setdefault("handle", f"author{number}")
    fields.setdefault("display_name", f"Author {number}")
    return Author.objects.create(**fields)


def mention(
    space: Workspace,
    *,
    feed: Source | None = None,
    watches: tuple[Watch, ...] = (),
    **fields: object,
) -> Mention:
    number = next(_numbers)
    fields.setdefault("external_id", f"item-{number}")
    fields.setdefault("url", f"https://news.example.org/{number}")
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(minutes=number))
    fields.setdefault("text", f"Mention number {number}")
    found = Mention.objects.create(workspace=space, source=feed or source(space), **fields)
    for matched in watches:
        MentionMatch.objects.create(mention=found, watch=matched, terms=["veille"])
    return found
