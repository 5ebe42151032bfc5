"""The Bluesky connector: app.bsky.feed.searchPosts and getPostThread on a public AppView.

Parameters (source.params): `query` (a search) or `post` (a thread: an at:// URI or a
bsky.app post URL); `appview` (default https://public.api.bsky.app/xrpc), `lang`,
`limit` (posts per page, 50), `max_pages` (gap refill, 10), `first_pages` (1).

Post URLs are https://bsky.app/profile/<DID>/post/<rkey>: a reply only knows its
parent's DID, not its handle, and handles change, so the DID form is the one that lets
the store link threads (bsky.app opens both). Authors keep their handle and a handle
profile URL. A quote post is a "share" of the quoted post (with its own text); a reply
is a "reply" to its parent, which wins when a post is both.

The cursor keeps the newest indexedAt seen; searches ask for posts since then (the
`since` parameter) and page back with the API's cursor until they reach it.
"""

from __future__ import annotations

import re
from typing import Any

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.http import fetch_json
from veille.collect.platform import (
    DEFAULT_FIRST_PAGES,
    DEFAULT_MAX_PAGES,
    Item,
    dig,
    expect,
    page_back,
    param_int,
    param_str,
    parse_iso,
    required_time,
    text_of,
)
from veille.core.models import Source

DEFAULT_APPVIEW = "https://public.api.bsky.app/xrpc"
PLATFORM = "bsky.app"
_AT_POST = re.compile(r"^at://([^/]+)/app\.bsky\.feed\.post/([^/?#]+)$")
_WEB_POST = re.compile(r"^https?://(?:www\.)?bsky\.app/profile/([^/]+)/post/([^/?#]+)")


def post_url(at_uri: str) -> str:
    """https://bsky.app/profile/<did>/post/<rkey> for an at:// post URI ("" if not one)."""
    match = _AT_POST.match(at_uri)
    return f"https://{PLATFORM}/profile/{match[1]}/post/{match[2]}" if match else ""


def at_uri(post: str) -> str:
    """An at:// URI from either an at:// URI or a bsky.app post URL."""
    if _AT_POST.match(post):
        return post
    match = _WEB_POST.match(post)
    if match is None:
        raise CollectError(f"{post}: not a Bluesky post (an at:// URI or a bsky.app post URL)")
    return f"at://{match[1]}/app.bsky.feed.post/{match[2]}"


def _embedded_uri(embed: Any) -> str:
    """The URI of the record a post quotes, if it quotes one."""
    if not isinstance(embed, dict):
        return ""
    kind = text_of(embed.get("$type"))
    record = embed.get("record")
    if kind.startswith("app.bsky.embed.recordWithMedia") and isinstance(record, dict):
        record = record.get("record")
    elif not kind.startswith("app.bsky.embed.record"):
        return ""
    return text_of(record.get("uri")) if isinstance(record, dict) else ""


def normalise_post(post: Item, url: str, path: str) -> RawMention:
    """A postView (search hit or thread node) as a RawMention."""
    uri = expect(post.get("uri"), str, url, f"{path}.uri")
    author = expect(post.get("author"), dict, url, f"{path}.author")
    record = expect(post.get("record"), dict, url, f"{path}.record")
    published = parse_iso(record.get("createdAt")) or parse_iso(post.get("indexedAt"))
    handle = text_of(author.get("handle")) or text_of(author.get("did"))
    kind, parent = "post", ""
    reply = record.get("reply")
    quoted = _embedded_uri(record.get("embed"))
    if isinstance(reply, dict):
        kind = "reply"
        parent = post_url(text_of((reply.get("parent") or {}).get("uri")))
    elif quoted:
        kind, parent = "share", post_url(quoted)
    return RawMention(
        external_id=uri,
        url=post_url(uri) or uri,
        published_at=required_time(published, url, f"{path}.record.createdAt"),
        text=text_of(record.get("text")).strip(),
        kind=kind,
        platform=PLATFORM,
        author_handle=handle,
        author_name=text_of(author.get("displayName")),
        author_url=f"https://{PLATFORM}/profile/{handle}" if handle else "",
        in_reply_to_url=parent,
    )


def _appview(params: dict[str, Any]) -> str:
    return (param_str(params, "appview") or DEFAULT_APPVIEW).rstrip("/")


def _search(params: dict[str, Any], cursor: dict[str, Any]) -> tuple[list[Item], list[str]]:
    endpoint = _appview(params) + "/app.bsky.feed.searchPosts"
    newest = text_of(cursor.get("newest_indexed_at"))
    seen_at_newest = set(cursor.get("uris_at_newest") or ())
    limit = param_int(params, "limit", 50, 1, 100)
    query: dict[str, Any] = {
        "q": param_str(params, "query"),
        "sort": "latest",
        "limit": limit,
        "since": newest or None,
        "lang": param_str(params, "lang") or None,
    }

    def fetch_page(token: str | None) -> tuple[list[Item], str | None]:
        document = fetch_json(endpoint, params={**query, "cursor": token})
        posts = dig(document, "posts", list, endpoint)
        items = [expect(p, dict, endpoint, f"$.posts[{i}]") for i, p in enumerate(posts)]
        next_token = document.get("cursor")
        return items, next_token if isinstance(next_token, str) and next_token else None

    def is_known(post: Item) -> bool:
        indexed = text_of(post.get("indexedAt"))
        return bool(newest) and (
            indexed < newest or (indexed == newest and post.get("uri") in seen_at_newest)
        )

    pages = page_back(
        fetch_page,
        is_known,
        has_cursor=bool(newest),
        max_pages=param_int(params, "max_pages", DEFAULT_MAX_PAGES, 1, 100),
        first_pages=param_int(params, "first_pages", DEFAULT_FIRST_PAGES, 1, 100),
        where=endpoint,
    )
    return pages.items, pages.warnings


def _walk_thread(node: Any, url: str, path: str, out: list[tuple[Item, str]]) -> int:
    """Collect the posts of a thread node and its replies; return how many were hidden."""
    if not isinstance(node, dict):
        return 0
    if "post" not in node:  # notFoundPost, blockedPost
        return 1
    out.append((expect(node["post"], dict, url, f"{path}.post"), f"{path}.post"))
    hidden = 0
    for i, reply in enumerate(node.get("replies") or ()):
        hidden += _walk_thread(reply, url, f"{path}.replies[{i}]", out)
    return hidden


def _thread(params: dict[str, Any]) -> tuple[list[tuple[Item, str]], list[str], str]:
    endpoint = _appview(params) + "/app.bsky.feed.getPostThread"
    uri = at_uri(param_str(params, "post"))
    document = fetch_json(endpoint, params={"uri": uri, "depth": 100, "parentHeight": 0})
    thread = dig(document, "thread", dict, endpoint)
    found: list[tuple[Item, str]] = []
    hidden = _walk_thread(thread, endpoint, "$.thread", found)
    warnings = []
    if hidden:
        warnings.append(f"{endpoint}: {hidden} posts of the thread are deleted or blocked")
    return found, warnings, endpoint


def collect_bluesky(source: Source) -> Batch:
    """Collect a Bluesky source; see the module's docstring for its parameters."""
    params = dict(source.params or {})
    cursor = dict(source.cursor or {})
    has_query, has_post = bool(param_str(params, "query")), bool(param_str(params, "post"))
    if has_query == has_post:
        raise CollectError("a bluesky source needs exactly one of query or post")
    if has_post:
        nodes, warnings, endpoint = _thread(params)
        mentions = [normalise_post(post, endpoint, path) for post, path in nodes]
        return Batch(mentions, cursor, warnings=warnings)

    posts, warnings = _search(params, cursor)
    endpoint = _appview(params) + "/app.bsky.feed.searchPosts"
    mentions = [normalise_post(post, endpoint, f"$.posts[{i}]") for i, post in enumerate(posts)]
    indexed = [text_of(p.get("indexedAt")) for p in posts if text_of(p.get("indexedAt"))]
    if indexed:
        newest = max(indexed)
        previous = text_of(cursor.get("newest_indexed_at"))
        at_newest = {p.get("uri") for p in posts if p.get("indexedAt") == newest}
        if newest == previous:
            at_newest |= set(cursor.get("uris_at_newest") or ())
        if newest >= previous:
            cursor["newest_indexed_at"] = newest
            cursor["uris_at_newest"] = sorted(u for u in at_newest if isinstance(u, str))
    return Batch(mentions, cursor, warnings=warnings)
