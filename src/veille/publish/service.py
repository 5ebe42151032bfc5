"""Post a case's reply in its thread on Mastodon or Bluesky, with the workspace's account.

publish_reply() checks who asks, holds the reply for a manager's approval while a crisis
playbook asks for it (veille.alerts.approval), posts it, then marks the case replied with
the posted reply's URL through the inbox's workflow. Any failure raises PublishError with
a message for people and changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils.translation import gettext as _

from veille.collect.base import CollectError
from veille.collect.bluesky import at_uri, post_url
from veille.core.models import Case, Event, Mention, SourceKind
from veille.core.sealing import UnreadableSecret
from veille.inbox import workflow
from veille.publish.http import PlatformError, get_json, post_json
from veille.publish.models import Platform, PlatformAccount

if TYPE_CHECKING:
    from veille.alerts.models import PendingReply

MAX_TEXT = {Platform.MASTODON: 500, Platform.BLUESKY: 300}
BLUESKY_POST = "app.bsky.feed.post"


class PublishError(ValueError):
    """A reply could not be posted; the message says why, in words for people."""


@dataclass(slots=True)
class PublishOutcome:
    """ "published" with the reply's URL, or "held" with the reply awaiting approval."""

    status: str
    url: str = ""
    pending: PendingReply | None = None


def answered_mention(case: Case) -> Mention:
    """The message the reply answers: the one the triage points at, else the thread root."""
    try:
        mention = case.triage.mention
    except ObjectDoesNotExist:
        mention = None
    return mention or case.thread_root


def platform_of(mention: Mention) -> str | None:
    """The platform veille can post on for this mention, or None."""
    kind = mention.source.kind
    if kind == SourceKind.MASTODON:
        return Platform.MASTODON
    if kind == SourceKind.BLUESKY:
        return Platform.BLUESKY
    return None


def cannot_post_message() -> str:
    return _(
        "Cannot post on this platform: open the original, answer there, then mark the case"
        " replied with your reply's URL."
    )


def account_for(case: Case, platform: str) -> PlatformAccount:
    account = PlatformAccount.objects.filter(workspace_id=case.workspace_id, platform=platform)
    found = account.first()
    if found is None:
        raise PublishError(
            _(
                "This workspace has no %(platform)s account to post with: add one in Platform"
                " accounts."
            )
            % {"platform": Platform(platform).label}
        )
    return found


def _check_text(text: str, platform: str) -> str:
    text = text.strip()
    if not text:
        raise PublishError(_("The reply is empty."))
    limit = MAX_TEXT[Platform(platform)]
    if len(text) > limit:
        raise PublishError(
            _("%(platform)s takes at most %(limit)d characters; this reply has %(count)d.")
            % {"platform": Platform(platform).label, "limit": limit, "count": len(text)}
        )
    return text


def _explain(error: PlatformError, platform: str) -> PublishError:
    label = Platform(platform).label
    if error.status in (401, 403):
        return PublishError(
            _(
                "%(platform)s refused the workspace's credentials (HTTP %(status)d): check the"
                " account in Platform accounts. Nothing was posted."
            )
            % {"platform": label, "status": error.status}
        )
    return PublishError(
        _("%(platform)s did not take the reply: %(detail)s. Nothing was posted.")
        % {"platform": label, "detail": str(error)}
    )


# -- Mastodon ----------------------------------------------------------------------------------


def _mastodon_status_id(account: PlatformAccount, mention: Mention, headers: dict) -> str:
    """The answered status's id on the account's instance (ids differ between instances)."""
    base = account.service_url.rstrip("/")
    wanted = mention.external_id if mention.external_id.startswith("http") else mention.url
    found = get_json(
        base + "/api/v2/search",
        params={"q": wanted, "type": "statuses", "resolve": "true", "limit": 1},
        headers=headers,
    )
    statuses = found.get("statuses") if isinstance(found, dict) else None
    if not statuses or not isinstance(statuses[0], dict) or not statuses[0].get("id"):
        raise PublishError(
            _("%(instance)s cannot find the message answered (%(url)s); it may be deleted.")
            % {"instance": base, "url": wanted}
        )
    return str(statuses[0]["id"])


def _with_mention(text: str, mention: Mention) -> str:
    """Mastodon only notifies people named in a status: start with @handle when missing."""
    handle = mention.author.handle.lstrip("@") if mention.author else ""
    if not handle or f"@{handle}".casefold() in text.casefold():
        return text
    return f"@{handle} {text}"


def post_mastodon(account: PlatformAccount, mention: Mention, text: str, key: str) -> str:
    headers = {"Authorization": f"Bearer {account.secret}"}
    status_id = _mastodon_status_id(account, mention, headers)
    answer = post_json(
        account.service_url.rstrip("/") + "/api/v1/statuses",
        {"status": _with_mention(text, mention), "in_reply_to_id": status_id},
        headers={**headers, "Idempotency-Key": key},
    )
    url = answer.get("url") or answer.get("uri") if isinstance(answer, dict) else None
    if not isinstance(url, str) or not url:
        raise PlatformError("the answer has no url for the posted status", url=account.service_url)
    return url


# -- Bluesky -----------------------------------------------------------------------------------


def _ref(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and isinstance(value.get("uri"), str) and value.get("cid"):
        return {"uri": value["uri"], "cid": str(value["cid"])}
    return None


def _bluesky_refs(base: str, parent_uri: str, token: str) -> tuple[dict, dict]:
    """(root, parent) strong references of the post answered, from getPostThread."""
    endpoint = base + "/xrpc/app.bsky.feed.getPostThread"
    document = get_json(
        endpoint,
        params={"uri": parent_uri, "depth": 0, "parentHeight": 0},
        headers={"Authorization": f"Bearer {token}"},
    )
    thread = document.get("thread") if isinstance(document, dict) else None
    post = thread.get("post") if isinstance(thread, dict) else None
    parent = _ref(post)
    if parent is None:
        raise PublishError(
            _("Bluesky cannot show the message answered (%(uri)s); it may be deleted.")
            % {"uri": parent_uri}
        )
    record = post.get("record") if isinstance(post, dict) else None
    reply = record.get("reply") if isinstance(record, dict) else None
    root = _ref(reply.get("root")) if isinstance(reply, dict) else None
    return root or parent, parent


def post_bluesky(account: PlatformAccount, mention: Mention, text: str) -> str:
    base = account.service_url.rstrip("/")
    try:
        parent_uri = at_uri(
            mention.external_id if mention.external_id.startswith("at://") else mention.url
        )
    except CollectError as error:
        raise PublishError(str(error)) from None
    session = post_json(
        base + "/xrpc/com.atproto.server.createSession",
        {"identifier": account.handle, "password": account.secret},
    )
    token = session.get("accessJwt") if isinstance(session, dict) else None
    did = session.get("did") if isinstance(session, dict) else None
    if not isinstance(token, str) or not isinstance(did, str):
        raise PlatformError("the session answer has no accessJwt or did", url=base)
    root, parent = _bluesky_refs(base, parent_uri, token)
    created_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    answer = post_json(
        base + "/xrpc/com.atproto.repo.createRecord",
        {
            "repo": did,
            "collection": BLUESKY_POST,
            "record": {
                "$type": BLUESKY_POST,
                "text": text,
                "createdAt": created_at,
                "reply": {"root": root, "parent": parent},
            },
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    uri = answer.get("uri") if isinstance(answer, dict) else None
    if not isinstance(uri, str):
        raise PlatformError("the answer has no uri for the created post", url=base)
    return post_url(uri) or f"https://bsky.app/profile/{quote(did)}"


# -- publishing --------------------------------------------------------------------------------


def _check_actor(case: Case, user: AbstractBaseUser) -> None:
    role = workflow.role_in(user, case.workspace)
    if role is None:
        raise PermissionDenied(_("You are not a member of this workspace."))
    if role not in workflow.ACTING_ROLES:
        raise PermissionDenied(_("Viewers cannot change cases."))


def post_now(
    case: Case, text: str, author: AbstractBaseUser, approver: AbstractBaseUser | None = None
) -> str:
    """Post now and mark the case replied; return the reply's URL.

    The inbox's reply checks still apply: a reply held by a playbook goes out through
    veille.alerts.approval.approve_reply, which lets its own case through.
    """
    mention = answered_mention(case)
    platform = platform_of(mention)
    if platform is None:
        raise PublishError(cannot_post_message())
    text = _check_text(text, platform)
    actor = author if workflow.may_act(author, case.workspace) else (approver or author)
    if blocked := workflow.reply_blocked(case, actor):
        raise PublishError(blocked)
    account = account_for(case, platform)
    key = hashlib.sha256(f"veille:{case.pk}:{text}".encode()).hexdigest()[:40]
    try:
        if platform == Platform.MASTODON:
            url = post_mastodon(account, mention, text, key)
        else:
            url = post_bluesky(account, mention, text)
    except PlatformError as error:
        raise _explain(error, platform) from None
    except UnreadableSecret:
        raise PublishError(
            _(
                "The saved secret of the %(platform)s account cannot be read with this "
                "installation's secret key (was it changed?): a manager must enter it again "
                "on the accounts page."
            )
            % {"platform": account.get_platform_display()}
        ) from None
    try:
        workflow.mark_replied(case, actor, url, text=text)
    except ValueError as error:  # a check started refusing while the post was on its way
        marked_error = str(error)
    else:
        marked_error = ""
    Event.objects.create(
        workspace_id=case.workspace_id,
        actor=approver or author,
        verb="reply.published",
        case=case,
        mention=mention,
        data={
            "platform": platform,
            "url": url,
            "author": author.pk,
            "approved_by": approver.pk if approver else None,
            "not_marked_replied": marked_error,
        },
    )
    if marked_error:
        raise PublishError(
            _("The reply was posted (%(url)s) but the case could not be marked replied: %(why)s")
            % {"url": url, "why": marked_error}
        )
    return url


def publish_reply(case: Case, text: str, user: AbstractBaseUser) -> PublishOutcome:
    """Post `text` as `user`'s answer in the case's thread, or hold it for approval."""
    from veille.alerts.approval import hold_reply, reply_blocked_reason

    _check_actor(case, user)
    platform = platform_of(answered_mention(case))
    if platform is None:
        raise PublishError(cannot_post_message())
    text = _check_text(text, platform)
    if reply_blocked_reason(case, user) is not None:
        return PublishOutcome("held", pending=hold_reply(case, user, text))
    return PublishOutcome("published", url=post_now(case, text, user))
