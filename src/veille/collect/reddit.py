"""The Reddit connector: a search, or a submission with its whole comment tree.

Parameters (source.params): `query` (search, newest first; `subreddit` restricts it) or
`submission` (an id like "3hahrw" or a reddit.com comments URL); `base` (default
https://www.reddit.com), `limit` (per page, 100), `max_pages` (10), `first_pages` (1),
`max_more` (requests spent loading comments hidden behind "more" stubs, 10; 0 to skip).

Mention URLs are always https://www.reddit.com permalinks whatever `base` says, so that
threads link across sources. Comments answering the submission are "comment", those
answering a comment are "reply". "More" stubs (comments Reddit did not send) are expanded
shallowest first through /api/morechildren, or the parent comment's own listing for a
"continue this thread" stub, up to `max_more` requests; what is left is counted in a
warning. The search cursor keeps the newest created_utc and the fullnames seen then, and
the stretches a catch-up could not page through within `max_pages` (`gaps`: the `after`
token to carry on from), which the next runs fill.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
    param_int,
    param_str,
    refill,
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

# Reddit's /api/morechildren takes at most 100 comment ids per request.
MORECHILDREN_BATCH = 100
DEFAULT_MAX_MORE = 10


@dataclass(slots=True)
class MoreStub:
    """A "more" stub: comments Reddit did not send, under the comment or submission `parent`."""

    parent: str  # fullname, t1_… or t3_…
    children: list[str]  # ids (no t1_ prefix); empty for a "continue this thread" stub
    count: int
    depth: int


@dataclass(slots=True)
class Thread:
    """A submission's comments as read so far, and the stubs still to expand."""

    mentions: list[RawMention] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)  # fullname -> permalink
    stubs: list[MoreStub] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(stub.count for stub in self.stubs)


def _stub(data: Item, depth: int) -> MoreStub | None:
    count = data.get("count")
    children = [c for c in data.get("children") or () if isinstance(c, str) and c]
    parent = text_of(data.get("parent_id"))
    if not parent or (not children and not parent.startswith("t1_")):
        return None  # nothing that could be asked for
    return MoreStub(parent, children, count if isinstance(count, int) and count > 0 else 0, depth)


def _parent_url(thread: Thread, data: Item) -> str:
    """The permalink of a comment's parent, known or rebuilt from its ids."""
    parent = text_of(data.get("parent_id"))
    known = thread.urls.get(parent)
    if known:
        return known
    sub = text_of(data.get("subreddit"))
    link = text_of(data.get("link_id")).removeprefix("t3_")
    if parent.startswith("t1_"):
        return f"{SITE}/r/{sub}/comments/{link}/_/{parent[3:]}/"
    return f"{SITE}/r/{sub}/comments/{link}/"


def _add_comment(thread: Thread, data: Item, parent_url: str, url: str, path: str) -> bool:
    """Add one comment unless the thread already has it; whether it was new."""
    name = text_of(data.get("name")) or f"t1_{text_of(data.get('id'))}"
    if name in thread.urls:
        return False
    comment = normalise_comment(data, parent_url, url, path)
    thread.mentions.append(comment)
    thread.urls[name] = comment.url
    return True


def flatten_comments(
    listing: Any, parent_url: str, url: str, path: str, thread: Thread, depth: int = 0
) -> None:
    """Add a comment listing's comments to `thread`, depth first, and note its "more" stubs."""
    children = dig(listing, "data.children", list, url)
    for i, child in enumerate(children):
        here = f"{path}.data.children[{i}]"
        child = expect(child, dict, url, here)
        data = expect(child.get("data"), dict, url, f"{here}.data")
        if child.get("kind") == "more":
            stub = _stub(data, depth)
            if stub is not None:
                thread.stubs.append(stub)
            continue
        if child.get("kind") != "t1":
            continue
        if not _add_comment(thread, data, parent_url, url, f"{here}.data"):
            continue
        replies = data.get("replies")
        if isinstance(replies, dict):
            own_url = thread.mentions[-1].url
            flatten_comments(replies, own_url, url, f"{here}.data.replies", thread, depth + 1)


def read_thread(document: Any, url: str) -> Thread:
    """A /comments/<id>.json answer: the submission first, then its comments."""
    pair = expect(document, list, url, "$")
    if len(pair) < 2:
        raise CollectError(f"{url}: expected [submission, comments] at $, found {len(pair)} items")
    posts = dig(pair[0], "data.children", list, url)
    if not posts:
        raise CollectError(f"{url}: no submission at $[0].data.children")
    first = expect(posts[0], dict, url, "$[0].data.children[0]")
    data = expect(first.get("data"), dict, url, "$[0].data.children[0].data")
    submission = normalise_submission(data, url, "$[0].data.children[0].data")
    thread = Thread([submission], {submission.external_id: submission.url})
    flatten_comments(pair[1], submission.url, url, "$[1]", thread)
    return thread


def read_submission(document: Any, url: str) -> tuple[list[RawMention], int]:
    """The mentions in a /comments/<id>.json answer, and how many comments were not sent."""
    thread = read_thread(document, url)
    return thread.mentions, thread.missing


def read_morechildren(document: Any, url: str, thread: Thread, depth: int) -> int:
    """Add the comments of a /api/morechildren answer (a flat list, parents first).

    Returns how many were new. Its own "more" stubs join the thread's.
    """
    things = dig(document, "json.data.things", list, url)
    added = 0
    for i, thing in enumerate(things):
        here = f"$.json.data.things[{i}]"
        thing = expect(thing, dict, url, here)
        data = expect(thing.get("data"), dict, url, f"{here}.data")
        if thing.get("kind") == "more":
            stub = _stub(data, depth)
            if stub is not None:
                thread.stubs.append(stub)
        elif thing.get("kind") == "t1":
            added += _add_comment(thread, data, _parent_url(thread, data), url, f"{here}.data")
    return added


def expand_more(thread: Thread, base: str, link_id: str, max_requests: int) -> list[str]:
    """Fetch comments hidden behind "more" stubs, shallowest first; return warnings.

    Stubs listing ids go to /api/morechildren (100 ids a request); a "continue this
    thread" stub (no ids) to the parent comment's own listing. At most `max_requests`
    requests; what is left stays in thread.stubs. A failed request stops the expansion
    (the comments already read are kept) and says why.
    """
    requests = 0
    while thread.stubs and requests < max_requests:
        thread.stubs.sort(key=lambda stub: stub.depth)
        stub = thread.stubs[0]
        requests += 1
        try:
            document, endpoint, rest = _fetch_more(stub, base, link_id)
        except CollectError as exc:
            return [f"could not load more comments: {exc}"]
        thread.stubs.pop(0)
        if rest is not None:
            thread.stubs.insert(0, rest)
        if stub.children:
            read_morechildren(document, endpoint, thread, stub.depth)
        else:
            pair = expect(document, list, endpoint, "$")
            if len(pair) >= 2:
                _add_replies_of(thread, pair[1], endpoint, stub.depth)
    return []


def _fetch_more(stub: MoreStub, base: str, link_id: str) -> tuple[Any, str, MoreStub | None]:
    """The answer for one request on `stub`, its URL, and the part of the stub left over."""
    if not stub.children:
        # "Continue this thread": the parent comment's own listing holds its replies.
        comment_id = quote(stub.parent.removeprefix("t1_"), safe="")
        endpoint = (
            f"{base}/comments/{quote(link_id.removeprefix('t3_'), safe='')}/_/{comment_id}.json"
        )
        query = {"raw_json": 1, "limit": 500, "sort": "new"}
        return fetch_json(endpoint, params=query), endpoint, None
    batch, left = stub.children[:MORECHILDREN_BATCH], stub.children[MORECHILDREN_BATCH:]
    rest = None
    if left:
        rest = MoreStub(stub.parent, left, max(stub.count - len(batch), len(left)), stub.depth)
    endpoint = f"{base}/api/morechildren.json"
    query = {
        "api_type": "json",
        "link_id": link_id,
        "children": ",".join(batch),
        "limit_children": "false",
        "sort": "new",
        "raw_json": 1,
    }
    return fetch_json(endpoint, params=query), endpoint, rest


def _add_replies_of(thread: Thread, listing: Any, url: str, depth: int) -> None:
    """A comment's own listing: the comment again (known), then its replies."""
    children = dig(listing, "data.children", list, url)
    for i, child in enumerate(children):
        here = f"$[1].data.children[{i}]"
        child = expect(child, dict, url, here)
        data = expect(child.get("data"), dict, url, f"{here}.data")
        name = text_of(data.get("name"))
        if child.get("kind") != "t1":
            continue
        if name not in thread.urls:
            _add_comment(thread, data, _parent_url(thread, data), url, f"{here}.data")
        replies = data.get("replies")
        if isinstance(replies, dict) and name in thread.urls:
            flatten_comments(replies, thread.urls[name], url, f"{here}.data.replies", thread, depth)


def _collect_submission(params: dict[str, Any], cursor: dict[str, Any]) -> Batch:
    ident = submission_id(param_str(params, "submission"))
    base = _base(params)
    endpoint = f"{base}/comments/{ident}.json"
    document = fetch_json(endpoint, params={"raw_json": 1, "limit": 500, "sort": "new"})
    thread = read_thread(document, endpoint)
    max_more = param_int(params, "max_more", DEFAULT_MAX_MORE, 0, 1000)
    warnings = expand_more(thread, base, thread.mentions[0].external_id, max_more)
    if thread.missing:
        warnings.append(
            f"{endpoint}: {thread.missing} comments not loaded (Reddit sent 'more' stubs for"
            f" them; max_more={max_more} requests to load them were not enough)"
        )
    return Batch(thread.mentions, cursor, warnings=warnings)


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

    def known_for(floor: Any) -> Callable[[Item], bool]:
        """Already collected: older than the floor's time, or seen at that very second."""
        floor = floor if isinstance(floor, dict) else {}
        created_floor = floor.get("created")
        if isinstance(created_floor, bool) or not isinstance(created_floor, int | float):
            created_floor = None
        names = set(floor.get("names") or ())

        def is_known(data: Item) -> bool:
            created = data.get("created_utc")
            if created_floor is None or not isinstance(created, int | float):
                return False
            return created < created_floor or (
                created == created_floor and data.get("name") in names
            )

        return is_known

    pages = refill(
        lambda floor: fetch_page,  # the listing is the same; only what counts as known moves
        known_for,
        floor=None if newest is None else {"created": newest, "names": sorted(seen_at_newest)},
        gaps=cursor.get("gaps"),
        max_pages=param_int(params, "max_pages", DEFAULT_MAX_PAGES, 1, 100),
        first_pages=param_int(params, "first_pages", DEFAULT_FIRST_PAGES, 1, 100),
        where=endpoint,
    )
    if pages.gaps:
        cursor["gaps"] = pages.gaps
    else:
        cursor.pop("gaps", None)
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
