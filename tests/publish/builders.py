"""Cases whose message comes from Mastodon or Bluesky, built from the recorded payloads."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.support.platforms import payload
from veille.core.models import Author, Case, Mention, Source, SourceKind, Workspace
from veille.inbox.models import CaseTriage
from veille.publish.models import Platform, PlatformAccount

MASTODON_TOKEN = "mastodon-token-0123456789abcdef"
BLUESKY_PASSWORD = "abcd-efgh-ijkl-mnop"


def _case(space: Workspace, source: Source, author: Author, **mention: object) -> Case:
    root = Mention.objects.create(
        workspace=space,
        source=source,
        author=author,
        published_at=timezone.now() - datetime.timedelta(minutes=5),
        **mention,
    )
    case = Case.objects.create(workspace=space, thread_root=root)
    CaseTriage.objects.create(case=case, mention=root, reasons=["question"])
    return case


def mastodon_case(space: Workspace, copy: int = 0) -> Case:
    """The recorded status (mastodon/status.json) as the message to answer.

    `copy` > 0 makes another case with the same author (its message is not a real status).
    """
    status = payload("mastodon/status.json")
    source, _ = Source.objects.get_or_create(
        workspace=space,
        kind=SourceKind.MASTODON,
        url="https://mastodon.social/tags/azur",
        defaults={"params": {"instance": "https://mastodon.social", "hashtag": "azur"}},
    )
    author, _ = Author.objects.get_or_create(
        platform="mastodon.social",
        handle=status["account"]["acct"],
        defaults={"display_name": "halcy", "profile_url": status["account"]["url"]},
    )
    if copy:
        status["uri"] += f"-{copy}"
        status["url"] += f"-{copy}"
    return _case(
        space,
        source,
        author,
        external_id=status["uri"],
        url=status["url"],
        kind="post",
        text="Ma commande n'est jamais arrivée",
    )


def bluesky_case(space: Workspace, at_uri: str, handle: str = "soubhikbarari.bsky.social") -> Case:
    source = Source.objects.create(
        workspace=space,
        kind=SourceKind.BLUESKY,
        url="https://public.api.bsky.app/xrpc",
        params={"query": "azur"},
    )
    author = Author.objects.create(platform="bsky.app", handle=handle)
    did, rkey = at_uri.removeprefix("at://").split("/app.bsky.feed.post/")
    return _case(
        space,
        source,
        author,
        external_id=at_uri,
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        kind="post",
        text="Toujours pas de réponse du service client",
    )


def mastodon_account(space: Workspace, base_url: str) -> PlatformAccount:
    return PlatformAccount.objects.create(
        workspace=space, platform=Platform.MASTODON, service_url=base_url, secret=MASTODON_TOKEN
    )


def bluesky_account(space: Workspace, base_url: str) -> PlatformAccount:
    return PlatformAccount.objects.create(
        workspace=space,
        platform=Platform.BLUESKY,
        service_url=base_url,
        handle="brulerie-azur.bsky.social",
        secret=BLUESKY_PASSWORD,
    )
