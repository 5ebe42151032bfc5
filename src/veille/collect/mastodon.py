"""The Mastodon connector: search, a hashtag, an account's statuses, or a status's replies.

Parameters (source.params): `instance` (base URL, required) and one of `query`,
`hashtag`, `account` (user or user@host) or `status` (an id on that instance); `token`
(optional, sent as a Bearer token), `limit` (statuses per page, 40), `max_pages` (gap
refill, 10), `first_pages` (pages read by the first collection, 1).

The cursor keeps the newest status id seen; the next run pages back (max_id) until it
meets it, and a catch-up cut short by `max_pages` leaves a gap that later runs fill.
Boosts become "share" mentions pointing at the boosted status, as do quotes;
replies point at their parent's URL when the parent is in the same batch or is a status
of an account local to the instance (whose URL can be built from its id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.feeds import html_to_text
from veille.collect.http import fetch_json
from veille.collect.platform import (
    DEFAULT_FIRST_PAGES,
    DEFAULT_MAX_PAGES,
    Item,
    bearer,
    dig,
    expect,
    param_int,
    param_str,
    parse_iso,
    refill,
    required_time,
    text_of,
)
from veille.core.models import Source

MODES = ("query", "hashtag", "account", "status")


def id_key(status_id: str) -> tuple[int, str]:
    """Sort key of a status id: numeric on Mastodon, fixed-width flakes on Pleroma."""
    return (len(status_id), status_id)


@dataclass(slots=True)
class Instance:
    base: str
    host: str
    headers: dict[str, str]

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return fetch_json(self.base + path, params=params, headers=self.headers)


def instance_of(params: dict[str, Any]) -> Instance:
    base = param_str(params, "instance").rstrip("/")
    if not base:
        raise CollectError("a mastodon source needs an instance (instance=https://…)")
    if "://" not in base:
        base = "https://" + base
    host = (urlsplit(base).hostname or "").lower()
    return Instance(base, host, bearer(params))


# -- normalising -----------------------------------------------------------------------------


def _handle(account: Item, host: str) -> str:
    acct = text_of(account.get("acct"))
    return acct if "@" in acct or not acct else f"{acct}@{host}"


def _local_status_url(account: Item, status_id: str) -> str:
    """The URL of a status by an account local to the instance, from its id."""
    if "@" in text_of(account.get("acct")):
        return ""
    profile = text_of(account.get("url"))
    return f"{profile}/{status_id}" if profile else ""


def _parent_url(status: Item, known: dict[str, str]) -> str:
    parent_id = status.get("in_reply_to_id")
    if not isinstance(parent_id, str) or not parent_id:
        return ""
    if parent_id in known:
        return known[parent_id]
    account_id = status.get("in_reply_to_account_id")
    author = status.get("account") or {}
    if account_id == author.get("id"):
        return _local_status_url(author, parent_id)
    for mentioned in status.get("mentions") or ():
        if isinstance(mentioned, dict) and mentioned.get("id") == account_id:
            return _local_status_url(mentioned, parent_id)
    return ""


def _status_url(status: Item) -> str:
    return text_of(status.get("url")) or text_of(status.get("uri"))


def normalise_status(
    status: Item, host: str, known: dict[str, str], url: str, path: str
) -> RawMention:
    """One status (or boost) as a RawMention; `known` maps ids to URLs for parents."""
    account = expect(status.get("account"), dict, url, f"{path}.account")
    status_id = expect(status.get("id"), str, url, f"{path}.id")
    published = required_time(parse_iso(status.get("created_at")), url, f"{path}.created_at")
    shown = status
    kind = "post"
    parent = ""
    boosted = status.get("reblog")
    if isinstance(boosted, dict):
        shown, kind, parent = boosted, "share", _status_url(boosted)
    elif status.get("in_reply_to_id"):
        kind, parent = "reply", _parent_url(status, known)
    else:
        quoted = (status.get("quote") or {}).get("quoted_status")
        if isinstance(quoted, dict):
            kind, parent = "share", _status_url(quoted)
    return RawMention(
        external_id=text_of(status.get("uri")) or f"{host}:{status_id}",
        url=_status_url(status) or f"https://{host}/statuses/{status_id}",
        published_at=published,
        text=html_to_text(text_of(shown.get("content"))),
        title=text_of(shown.get("spoiler_text")),
        kind=kind,
        platform=host,
        author_handle=_handle(account, host),
        author_name=text_of(account.get("display_name")) or text_of(account.get("username")),
        author_url=text_of(account.get("url")),
        in_reply_to_url=parent,
    )


def normalise_statuses(statuses: list[Item], host: str, url: str) -> list[RawMention]:
    known = {s["id"]: _status_url(s) for s in statuses if isinstance(s.get("id"), str)}
    return [
        normalise_status(expect(status, dict, url, f"$[{i}]"), host, known, url, f"$[{i}]")
        for i, status in enumerate(statuses)
    ]


# -- collecting --------------------------------------------------------------------------------


def _timeline(
    instance: Instance, path: str, params: dict[str, Any], cursor: dict[str, Any], list_path: str
) -> tuple[list[Item], list[str]]:
    """Statuses newer than cursor["newest_id"], paging back with max_id.

    A catch-up that the page limit stopped leaves a gap in cursor["gaps"], which the next
    runs keep filling (max_id from where it stopped, down to the newest id of that time).
    """
    newest = text_of(cursor.get("newest_id"))
    limit = param_int(params, "limit", 40, 1, 40)
    where = instance.base + path

    def fetch_for(floor: Any) -> Callable[[Any], tuple[list[Item], Any]]:
        floor = text_of(floor)

        def fetch_page(max_id: str | None) -> tuple[list[Item], str | None]:
            query: dict[str, Any] = {"limit": limit, "max_id": max_id}
            if floor and list_path == "$":
                query["since_id"] = floor
            if list_path != "$":
                query.update(type="statuses", q=param_str(params, "query"))
            document = instance.get(path, query)
            statuses = (
                expect(document, list, where, "$")
                if list_path == "$"
                else dig(document, "statuses", list, where)
            )
            items = [expect(s, dict, where, f"{list_path}[{i}]") for i, s in enumerate(statuses)]
            ids = [s["id"] for s in items if isinstance(s.get("id"), str)]
            next_max = min(ids, key=id_key) if ids and len(items) >= limit else None
            return items, next_max

        return fetch_page

    def known_for(floor: Any) -> Callable[[Item], bool]:
        floor = text_of(floor)

        def is_known(status: Item) -> bool:
            return bool(floor) and id_key(text_of(status.get("id"))) <= id_key(floor)

        return is_known

    pages = refill(
        fetch_for,
        known_for,
        floor=newest or None,
        gaps=cursor.get("gaps"),
        max_pages=param_int(params, "max_pages", DEFAULT_MAX_PAGES, 1, 100),
        first_pages=param_int(params, "first_pages", DEFAULT_FIRST_PAGES, 1, 100),
        where=where,
    )
    if pages.gaps:
        cursor["gaps"] = pages.gaps
    else:
        cursor.pop("gaps", None)
    return pages.items, pages.warnings


def _account_id(instance: Instance, params: dict[str, Any], cursor: dict[str, Any]) -> str:
    acct = param_str(params, "account").lstrip("@")
    if cursor.get("account") == acct and isinstance(cursor.get("account_id"), str):
        return cursor["account_id"]
    where = f"{instance.base}/api/v1/accounts/lookup"
    found = instance.get("/api/v1/accounts/lookup", {"acct": acct})
    account_id = dig(found, "id", str, where)
    cursor.update(account=acct, account_id=account_id)
    return account_id


def _context(instance: Instance, status_id: str) -> list[Item]:
    """The status, its ancestors and its replies, parents before children."""
    safe_id = quote(status_id, safe="")
    status = instance.get(f"/api/v1/statuses/{safe_id}")
    where = f"{instance.base}/api/v1/statuses/{safe_id}"
    expect(status, dict, where, "$")
    context = instance.get(f"/api/v1/statuses/{safe_id}/context")
    where += "/context"
    ancestors = dig(context, "ancestors", list, where)
    descendants = dig(context, "descendants", list, where)
    return [
        *(expect(s, dict, where, f"$.ancestors[{i}]") for i, s in enumerate(ancestors)),
        status,
        *(expect(s, dict, where, f"$.descendants[{i}]") for i, s in enumerate(descendants)),
    ]


def mode_of(params: dict[str, Any]) -> str:
    chosen = [mode for mode in MODES if param_str(params, mode)]
    if len(chosen) != 1:
        raise CollectError(
            "a mastodon source needs exactly one of query, hashtag, account or status"
            + (f" (got {', '.join(chosen)})" if chosen else "")
        )
    return chosen[0]


def collect_mastodon(source: Source) -> Batch:
    """Collect a Mastodon source; see the module's docstring for its parameters."""
    params = dict(source.params or {})
    instance = instance_of(params)
    cursor = dict(source.cursor or {})
    mode = mode_of(params)
    warnings: list[str] = []
    if mode == "status":
        statuses = _context(instance, param_str(params, "status"))
    elif mode == "query":
        statuses, warnings = _timeline(instance, "/api/v2/search", params, cursor, "$.statuses")
    elif mode == "hashtag":
        tag = quote(param_str(params, "hashtag").lstrip("#"), safe="")
        statuses, warnings = _timeline(
            instance, f"/api/v1/timelines/tag/{tag}", params, cursor, "$"
        )
    else:
        account_id = quote(_account_id(instance, params, cursor), safe="")
        statuses, warnings = _timeline(
            instance, f"/api/v1/accounts/{account_id}/statuses", params, cursor, "$"
        )
    mentions = normalise_statuses(statuses, instance.host, instance.base)
    ids = [s["id"] for s in statuses if isinstance(s.get("id"), str)]
    previous = text_of(cursor.get("newest_id"))
    if ids:
        newest = max(ids, key=id_key)
        if not previous or id_key(newest) > id_key(previous):
            cursor["newest_id"] = newest
    return Batch(mentions, cursor, warnings=warnings)
