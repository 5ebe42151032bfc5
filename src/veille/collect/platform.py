"""What the platform connectors (Mastodon, Bluesky, Reddit, Hacker News) share.

Reading untrusted JSON with errors that name the URL and the JSON path, parsing times to
UTC, reading a source's parameters, and the gap-refill loop: page back from the newest
item until the previous cursor is reached, within a page limit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from veille.collect.base import CollectError

T = TypeVar("T")
Item = dict[str, Any]

DEFAULT_MAX_PAGES = 10
# The first collection of a source takes only the newest page(s): a watch starts now,
# not with the platform's whole history.
DEFAULT_FIRST_PAGES = 1


class ShapeError(CollectError):
    """An API answered JSON that does not have the expected shape."""


def expect(value: Any, kind: type[T], url: str, path: str) -> T:
    """`value` if it is a `kind`, else a ShapeError naming the URL and the JSON path."""
    if isinstance(value, kind):
        return value
    found = "null" if value is None else type(value).__name__
    raise ShapeError(f"{url}: expected {kind.__name__} at {path}, found {found}")


def dig(document: Any, path: str, kind: type[T], url: str) -> T:
    """The value at a dotted `path` ("data.children") in `document`, of type `kind`."""
    current = document
    walked = "$"
    for key in path.split("."):
        expect(current, dict, url, walked)
        current = current.get(key)
        walked += f".{key}"
    return expect(current, kind, url, walked)


def text_of(value: Any) -> str:
    """A JSON value that should be a string, or "" when it is missing or is not one."""
    return value if isinstance(value, str) else ""


def parse_iso(value: Any) -> datetime | None:
    """An ISO 8601 time ("2025-05-19T17:10:09.561858Z") in UTC, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def from_epoch(value: Any) -> datetime | None:
    """A Unix time in seconds in UTC, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def required_time(value: datetime | None, url: str, path: str) -> datetime:
    if value is None:
        raise ShapeError(f"{url}: missing or unreadable time at {path}")
    return value


# -- parameters ------------------------------------------------------------------------------


def param_str(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return str(value).strip() if value is not None else ""


def param_int(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within [low, high]; a clear error names the parameter."""
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CollectError(f"parameter {name}={value!r} is not a whole number") from None
    if not low <= number <= high:
        raise CollectError(f"parameter {name}={number} is out of range ({low} to {high})")
    return number


def bearer(params: Mapping[str, Any]) -> dict[str, str]:
    token = param_str(params, "token")
    return {"Authorization": f"Bearer {token}"} if token else {}


# -- gap refill --------------------------------------------------------------------------


@dataclass(slots=True)
class Pages:
    """The items new since the cursor, newest first, and why paging stopped early.

    `resume` is the token of the next, older page when the page limit stopped the
    refill before the known items (None otherwise); `gaps` the unfilled stretches to keep
    in the cursor (see refill()).
    """

    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    resume: Any = None
    gaps: list[dict[str, Any]] = field(default_factory=list)


def page_back(
    fetch_page: Callable[[Any], tuple[list[Item], Any]],
    is_known: Callable[[Item], bool],
    *,
    has_cursor: bool,
    max_pages: int,
    first_pages: int,
    where: str,
    start: Any = None,
    resumable: bool = False,
) -> Pages:
    """Page from the newest items (or from the page `start`) back to the first one known.

    `fetch_page(token)` returns a page of items (newest first) and the token of the next,
    older page (None at the end). With no previous cursor, only `first_pages` pages are
    read. When `max_pages` stops the refill before the known items, `resume` is the
    token to carry on from, and a warning says so: that the next run carries on when the
    caller keeps `resume` (`resumable`), else that older items may be missing.
    """
    result = Pages()
    limit = max_pages if has_cursor else first_pages
    token: Any = start
    while True:
        items, token = fetch_page(token)
        result.pages += 1
        fresh = [item for item in items if not is_known(item)]
        result.items.extend(fresh)
        if len(fresh) < len(items) or not items or token is None:
            return result
        if result.pages >= limit:
            break
    if has_cursor:
        result.resume = token
        consequence = (
            "the next collection carries on from there (raise max_pages to catch up faster)"
            if resumable
            else "older items in between may be missing (raise max_pages)"
        )
        result.warnings.append(
            f"{where}: stopped after {result.pages} pages before reaching the previous "
            f"collection; {consequence}"
        )
    return result


def refill(
    fetch_for: Callable[[Any], Callable[[Any], tuple[list[Item], Any]]],
    known_for: Callable[[Any], Callable[[Item], bool]],
    *,
    floor: Any,
    gaps: Any,
    max_pages: int,
    first_pages: int,
    where: str,
) -> Pages:
    """New items since `floor` (the cursor's newest), then the older gaps still unfilled.

    A gap is a stretch that an earlier run could not page through within `max_pages`:
    {"token": the page to carry on from, "floor": the cursor it was paging back to}.
    `fetch_for(floor)` and `known_for(floor)` give the page fetcher and the "already
    have it" test for paging back to a floor. One run spends at most `max_pages` pages:
    first on what is new, then on the gaps, newest first. A gap's token is only moved
    past pages actually read, so the next run carries on where this one stopped and
    nothing between is lost; items are returned once.
    """
    has_cursor = floor is not None
    top = page_back(
        fetch_for(floor),
        known_for(floor),
        has_cursor=has_cursor,
        max_pages=max_pages,
        first_pages=first_pages,
        where=where,
        resumable=True,
    )
    budget = max_pages - top.pages if has_cursor else 0
    left: list[dict[str, Any]] = []
    if top.resume is not None:
        left.append({"token": top.resume, "floor": floor})
    for gap in gaps if isinstance(gaps, list) else ():
        if not isinstance(gap, dict) or gap.get("token") is None:
            continue
        if budget <= 0:
            left.append(gap)
            continue
        part = page_back(
            fetch_for(gap.get("floor")),
            known_for(gap.get("floor")),
            has_cursor=True,
            max_pages=budget,
            first_pages=budget,
            where=where,
            start=gap["token"],
            resumable=True,
        )
        budget -= part.pages
        top.items.extend(part.items)
        top.pages += part.pages
        if part.resume is not None:
            left.append({"token": part.resume, "floor": gap.get("floor")})
    top.gaps = left
    if left and top.resume is None:
        top.warnings.append(
            f"{where}: {len(left)} stretch(es) missed during an earlier catch-up still to"
            " fetch; the next collection carries on (raise max_pages to catch up faster)"
        )
    return top


def advance_time_cursor(
    cursor: dict[str, Any],
    items: list[Item],
    *,
    time_field: str,
    id_field: str,
    newest: float | None,
    seen_at_newest: set[str],
    time_key: str,
    ids_key: str,
) -> None:
    """Move a "newest time, and the ids seen at that time" cursor past `items`.

    Keeping the ids of the newest second lets the next run ask for `time >= newest` and
    still skip what it has: items indexed late within that second are not lost.
    """
    times = [item[time_field] for item in items if isinstance(item.get(time_field), int | float)]
    if not times or (newest is not None and max(times) < newest):
        return
    top = max(times)
    ids = {item.get(id_field) for item in items if item.get(time_field) == top}
    if top == newest:
        ids |= seen_at_newest
    cursor[time_key] = top
    cursor[ids_key] = sorted(found for found in ids if isinstance(found, str))
