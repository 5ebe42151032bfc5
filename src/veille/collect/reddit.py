"""The Reddit connector: a search, or a submission with its whole comment tree.

Parameters (source.params): `query` (search, newest first; `subreddit` restricts it) or
`submission` (an id like "3hahrw" or a reddit.com comments URL); `base` (default
https://www.reddit.com), `limit` (per page, 100), `max_pages` (10), `first_pages` (1).

Mention URLs are always https://www.reddit.com permalinks whatever `base` says, so that
threads link across sources. Comments answering the submission are "comment", those
answering a comment are "reply"; "more" stubs (comments Reddit did not send) are counted
in a warning. The search cursor keeps the newest created_utc and the fullnames seen then.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.feeds import html_to_text
from veille.collect.http import fetch_json
from veille.collect.platform import (
    DEFAULT_FIRST_PAGES,
    DEFAULT_MAX_PAGES,
    Item,
    advance_time_cursor,
    dig,
    expect,
    from_epoch,
    page_back,
    param_int,
    param_str,
    required_time,
    text_of,
)
from veille.core.models import Source

SITE = "https://www.reddit.com"
PLATFORM = "reddit.com"
_SUBMISSION_URL = re.compile(r"/comments/([a-z0-9]+)", re.IGNORECASE)
_SUBMISSION_ID = re.compile(r"^(?:t3_)?([a-z0-9]+)$", re.IGNORECASE)
_GONE_AUTHORS = frozenset({"", "[deleted]", "[removed]"})


def submission_id(value: str) -> str:
    """The id of a submission given as an id, a fullname (t3_…) or a comments URL."""
    value = value.strip()
    match = _SUBMISSION_URL.search(value) or _SUBMISSION_ID.match(value)
    if match is None:
        raise CollectError(f"{value!r}: not a Reddit submission id or comments URL")
    return match[1].lower()


def _permalink(data: Item) -> str:
    link = text_of(data.get("permalink")).split("?", 1)[0]
    if link:
        return SITE + link if link.startswith("/") else link
    sub = text_of(data.get("subreddit"))
    link_id = text_of(data.get("link_id")).removeprefix("t3_")
    own_id = text_of(data.get("id"))
    if link_id and link_id != own_id:
        return f"{SITE}/r/{sub}/comments/{link_id}/_/{own_id}/"
    return f"{SITE}/r/{sub}/comments/{own_id}/"


def _author(data: Item) -> tuple[str, str]:
    name = text_of(data.get("author"))
    if name in _GONE_AUTHORS:
        return "", ""
    return name, f"{SITE}/user/{quote(name)}"


def _text(data: Item, html_key: str, text_key: str) -> str:
    markup = text_of(data.get(html_key))
    return html_to_text(markup) if markup else text_of(data.get(text_key)).strip()


def normalise_submission(data: Item, url: str, path: str) -> RawMention:
    name, profile = _author(data)
    return RawMention(
        external_id=text_of(data.get("name")) or f"t3_{text_of(data.get('id'))}",
        url=_permalink(data),
        published_at=required_time(from_epoch(data.get("created_utc")), url, f"{path}.created_utc"),
        text=_text(data, "selftext_html", "selftext"),
        title=text_of(data.get("title")).strip(),
        kind="post",
        platform=PLATFORM,
        author_handle=name,
        author_name=name,
        author_url=profile,
    )


def normalise_comment(data: Item, parent_url: str, url: str, path: str) -> RawMention:
    name, profile = _author(data)
    parent_kind = text_of(data.get("parent_id"))[:3]
    return RawMention(
        external_id=text_of(data.get("name")) or f"t1_{text_of(data.get('id'))}",
        url=_permalink(data),
        published_at=required_time(from_epoch(data.get("created_utc")), url, f"{path}.created_utc"),
        text=_text(data, "body_html", "body"),
        kind="reply" if parent_kind == "t1_" else "comment",
        platform=PLATFORM,
        author_handle=name,
        author_name=name,
        author_url=profile,
        in_reply_to_url=parent_url,
    )


def _base(params: dict[str, Any]) -> str:
    return (param_str(params, "base") or SITE).rstrip("/")


# -- a submission and its comments -------------------------------------------------------------


def flatten_comments(
    listing: Any, parent_url: str, url: str, path: str, out: list[RawMention]
) -> int:
    """Append a comment listing's comments, depth first; return the comments left unsent."""
    children = dig(listing, "data.children", list, url)
    missing = 0
    for i, child in enumerate(children):
        here = f"{path}.data.children[{i}]"
        child = expect(child, dict, url, here)
        data = expect(child.get("data"), dict, url, f"{here}.data")
        if child.get("kind") == "more":
            count = data.get("count")
            missing += count if isinstance(count, int) and count > 0 else 0
            continue
        if child.get("kind") != "t1":
            continue
        comment = normalise_comment(data, parent_url, url, f"{here}.data")
        out.append(comment)
        replies = data.get("replies")
        if isinstance(replies, dict):
            missing += flatten_comments(replies, comment.url, url, f"{here}.data.replies", out)
    return missing


def read_submission(document: Any, url: str) -> tuple[list[RawMention], int]:
    """The mentions in a /comments/<id>.json answer, and how many comments were not sent."""
    pair = expect(document, list, url, "$")
    if len(pair) < 2:
        raise CollectError(f"{url}: expected [submission, comments] at $, found {len(pair)} items")
    posts = dig(pair[0], "data.children", list, url)
    if not posts:
        raise CollectError(f"{url}: no submission at $[0].data.children")
    first = expect(posts[0], dict, url, "$[0].data.children[0]")
    submission = normalise_submission(
        expect(first.get("data"), dict, url, "$[0].data.children[0].data"),
        url,
        "$[0].data.children[0].data",
    )
    mentions = [submission]
    missing = flatten_comments(pair[1], submission.url, url, "$[1]", mentions)
    return mentions, missing


def _collect_submission(params: dict[str, Any], cursor: dict[str, Any]) -> Batch:
    ident = submission_id(param_str(params, "submission"))
    endpoint = f"{_base(params)}/comments/{ident}.json"
    document = fetch_json(endpoint, params={"raw_json": 1, "limit": 500, "sort": "new"})
    mentions, missing = read_submission(document, endpoint)
    warnings = []
    if missing:
        warnings.append(
            f"{endpoint}: {missing} comments not loaded (Reddit sent 'more' stubs for them)"
        )
    return Batch(mentions, cursor, warnings=warnings)


# -- search ------------------------------------------------------------------------------------


def _collect_search(params: dict[str, Any], cursor: dict[str, Any]) -> Batch:
    subreddit = param_str(params, "subreddit").removeprefix("r/").strip("/")
    path = f"/r/{quote(subreddit)}/search.json" if subreddit else "/search.json"
    endpoint = _base(params) + path
    newest = cursor.get("newest_created")
    newest = float(newest) if isinstance(newest, int | float) else None
    seen_at_newest = set(cursor.get("names_at_newest") or ())
    query: dict[str, Any] = {
        "q": param_str(params, "query"),
        "sort": "new",
        "limit": param_int(params, "limit", 100, 1, 100),
        "raw_json": 1,
        "restrict_sr": 1 if subreddit else None,
    }

    def fetch_page(after: str | None) -> tuple[list[Item], str | None]:
        document = fetch_json(endpoint, params={**query, "after": after})
        children = dig(document, "data.children", list, endpoint)
        items = [
            expect(
                expect(c, dict, endpoint, f"$.data.children[{i}]").get("data"),
                dict,
                endpoint,
                f"$.data.children[{i}].data",
            )
            for i, c in enumerate(children)
        ]
        token = dig(document, "data", dict, endpoint).get("after")
        return items, token if isinstance(token, str) and token else None

    def is_known(data: Item) -> bool:
        created = data.get("created_utc")
        if newest is None or not isinstance(created, int | float):
            return False
        return created < newest or (created == newest and data.get("name") in seen_at_newest)

    pages = page_back(
        fetch_page,
        is_known,
        has_cursor=newest is not None,
        max_pages=param_int(params, "max_pages", DEFAULT_MAX_PAGES, 1, 100),
        first_pages=param_int(params, "first_pages", DEFAULT_FIRST_PAGES, 1, 100),
        where=endpoint,
    )
    mentions = [
        normalise_submission(data, endpoint, f"$.data.children[{i}].data")
        for i, data in enumerate(pages.items)
    ]
    advance_time_cursor(
        cursor,
        pages.items,
        time_field="created_utc",
        id_field="name",
        newest=newest,
        seen_at_newest=seen_at_newest,
        time_key="newest_created",
        ids_key="names_at_newest",
    )
    return Batch(mentions, cursor, warnings=pages.warnings)


def collect_reddit(source: Source) -> Batch:
    """Collect a Reddit source; see the module's docstring for its parameters."""
    params = dict(source.params or {})
    cursor = dict(source.cursor or {})
    has_query, has_submission = (
        bool(param_str(params, "query")),
        bool(param_str(params, "submission")),
    )
    if has_query == has_submission:
        raise CollectError("a reddit source needs exactly one of query or submission")
    if has_submission:
        return _collect_submission(params, cursor)
    return _collect_search(params, cursor)
