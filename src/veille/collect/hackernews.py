"""The Hacker News connector, over the Algolia HN Search API.

Parameters (source.params): `query` (search_by_date, newest first; `tags` is "story",
"comment" or "story,comment", the default) or `story` (an item id or
news.ycombinator.com/item?id= URL: the story and its whole comment tree, /items/<id>);
`base` (default https://hn.algolia.com/api/v1), `limit` (hits per page, 100),
`max_pages` (10), `first_pages` (1).

Every mention's URL is its news.ycombinator.com/item?id=N page, and a comment's parent
is the item its parent_id names: "comment" under a story, "reply" under a comment. The
search cursor keeps the newest created_at_i and the ids seen at that second, and asks
for created_at_i>=it (a same-second item indexed late is not lost; the ids avoid
counting the others twice).
"""

from __future__ import annotations

import re
from typing import Any

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
    parse_iso,
    required_time,
    text_of,
)
from veille.core.models import Source

DEFAULT_BASE = "https://hn.algolia.com/api/v1"
SITE = "https://news.ycombinator.com"
PLATFORM = "news.ycombinator.com"
_TAGS = {"story": "story", "comment": "comment", "story,comment": "(story,comment)"}
_ITEM_ID = re.compile(r"(?:[?&]id=)?(\d+)$")


def item_url(item_id: Any) -> str:
    return f"{SITE}/item?id={item_id}"


def item_id(value: str) -> str:
    match = _ITEM_ID.search(value.strip())
    if match is None:
        raise CollectError(f"{value!r}: not a Hacker News item id or item URL")
    return match[1]


def _mention(
    ident: str,
    *,
    author: str,
    published: Any,
    title: str,
    markup: str,
    is_comment: bool,
    parent_id: Any,
    story_id: Any,
) -> RawMention:
    kind, parent = "post", ""
    if is_comment:
        kind = "reply" if parent_id is not None and parent_id != story_id else "comment"
        parent = item_url(parent_id) if parent_id is not None else ""
    return RawMention(
        external_id=ident,
        url=item_url(ident),
        published_at=published,
        text=html_to_text(markup),
        title=title,
        kind=kind,
        platform=PLATFORM,
        author_handle=author,
        author_name=author,
        author_url=f"{SITE}/user?id={author}" if author else "",
        in_reply_to_url=parent,
    )


def normalise_hit(hit: Item, url: str, path: str) -> RawMention:
    """One search hit (a story or a comment) as a RawMention."""
    ident = str(expect(hit.get("objectID"), str, url, f"{path}.objectID"))
    tags = hit.get("_tags") or ()
    is_comment = "comment" in tags or hit.get("comment_text") is not None
    published = from_epoch(hit.get("created_at_i")) or parse_iso(hit.get("created_at"))
    return _mention(
        ident,
        author=text_of(hit.get("author")),
        published=required_time(published, url, f"{path}.created_at_i"),
        title="" if is_comment else text_of(hit.get("title")),
        markup=text_of(hit.get("comment_text") if is_comment else hit.get("story_text")),
        is_comment=is_comment,
        parent_id=hit.get("parent_id"),
        story_id=hit.get("story_id"),
    )


def flatten_item(item: Item, url: str, path: str, story_id: Any, out: list[RawMention]) -> None:
    """An /items/<id> tree (a story and nested children) into mentions, parents first."""
    ident = expect(item.get("id"), int, url, f"{path}.id")
    is_comment = item.get("type") == "comment"
    published = from_epoch(item.get("created_at_i")) or parse_iso(item.get("created_at"))
    if item.get("author") is not None or item.get("text") or item.get("title"):
        out.append(
            _mention(
                str(ident),
                author=text_of(item.get("author")),
                published=required_time(published, url, f"{path}.created_at"),
                title="" if is_comment else text_of(item.get("title")),
                markup=text_of(item.get("text")),
                is_comment=is_comment,
                parent_id=item.get("parent_id"),
                story_id=story_id,
            )
        )
    for i, child in enumerate(item.get("children") or ()):
        where = f"{path}.children[{i}]"
        flatten_item(expect(child, dict, url, where), url, where, story_id, out)


def _base(params: dict[str, Any]) -> str:
    return (param_str(params, "base") or DEFAULT_BASE).rstrip("/")


def _collect_story(params: dict[str, Any], cursor: dict[str, Any]) -> Batch:
    ident = item_id(param_str(params, "story"))
    endpoint = f"{_base(params)}/items/{ident}"
    document = expect(fetch_json(endpoint), dict, endpoint, "$")
    story_id = document.get("story_id") or document.get("id")
    mentions: list[RawMention] = []
    flatten_item(document, endpoint, "$", story_id, mentions)
    return Batch(mentions, cursor)


def _collect_search(params: dict[str, Any], cursor: dict[str, Any]) -> Batch:
    endpoint = _base(params) + "/search_by_date"
    tags = param_str(params, "tags") or "story,comment"
    if tags not in _TAGS:
        raise CollectError(f"parameter tags={tags!r}: use story, comment or story,comment")
    newest = cursor.get("newest_created_i")
    newest = newest if isinstance(newest, int) else None
    seen_at_newest = set(cursor.get("ids_at_newest") or ())
    query: dict[str, Any] = {
        "query": param_str(params, "query"),
        "tags": _TAGS[tags],
        "hitsPerPage": param_int(params, "limit", 100, 1, 1000),
        "numericFilters": f"created_at_i>={newest}" if newest is not None else None,
    }

    def fetch_page(page: int | None) -> tuple[list[Item], int | None]:
        number = page or 0
        document = fetch_json(endpoint, params={**query, "page": number or None})
        hits = dig(document, "hits", list, endpoint)
        items = [expect(h, dict, endpoint, f"$.hits[{i}]") for i, h in enumerate(hits)]
        pages = document.get("nbPages")
        more = isinstance(pages, int) and number + 1 < pages
        return items, number + 1 if more else None

    def is_known(hit: Item) -> bool:
        created = hit.get("created_at_i")
        if newest is None or not isinstance(created, int):
            return False
        return created < newest or (created == newest and hit.get("objectID") in seen_at_newest)

    pages = page_back(
        fetch_page,
        is_known,
        has_cursor=newest is not None,
        max_pages=param_int(params, "max_pages", DEFAULT_MAX_PAGES, 1, 100),
        first_pages=param_int(params, "first_pages", DEFAULT_FIRST_PAGES, 1, 100),
        where=endpoint,
    )
    mentions = [normalise_hit(hit, endpoint, f"$.hits[{i}]") for i, hit in enumerate(pages.items)]
    advance_time_cursor(
        cursor,
        pages.items,
        time_field="created_at_i",
        id_field="objectID",
        newest=newest,
        seen_at_newest=seen_at_newest,
        time_key="newest_created_i",
        ids_key="ids_at_newest",
    )
    return Batch(mentions, cursor, warnings=pages.warnings)


def collect_hackernews(source: Source) -> Batch:
    """Collect a Hacker News source; see the module's docstring for its parameters."""
    params = dict(source.params or {})
    cursor = dict(source.cursor or {})
    has_query, has_story = bool(param_str(params, "query")), bool(param_str(params, "story"))
    if has_query == has_story:
        raise CollectError("a hackernews source needs exactly one of query or story")
    if has_story:
        return _collect_story(params, cursor)
    return _collect_search(params, cursor)
