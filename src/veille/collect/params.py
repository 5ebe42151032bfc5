"""Checking a source's parameters when it is added, per kind, with errors that say what.

    parse_source_params("mastodon", "https://piaille.fr/tags/cafe", {})
    -> {"instance": "https://piaille.fr", "hashtag": "cafe"}

The URL fills in what the parameters leave out (a bsky.app post URL is a thread, a
reddit.com comments URL a submission), and source_url() gives platform sources a
canonical URL when the user typed none, which also keeps two identical sources apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from veille.collect.base import CollectError
from veille.collect.bluesky import at_uri
from veille.collect.hackernews import item_id
from veille.collect.platform import param_int, param_str
from veille.collect.reddit import submission_id


class ParamError(CollectError):
    """A source's parameters are missing, unknown or malformed."""


_PAGING = {"limit": (1, 1000), "max_pages": (1, 100), "first_pages": (1, 100)}
_KNOWN = {
    "mastodon": {"instance", "query", "hashtag", "account", "status", "token"},
    "bluesky": {"query", "post", "appview", "lang"},
    "reddit": {"query", "subreddit", "submission", "base"},
    "hackernews": {"query", "tags", "story", "base"},
}
_LIMITS = {"mastodon": 40, "bluesky": 100, "reddit": 100, "hackernews": 1000}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _one_of(kind: str, params: dict[str, Any], names: tuple[str, ...]) -> str:
    chosen = [name for name in names if param_str(params, name)]
    if len(chosen) != 1:
        listed = ", ".join(f"--param {name}=…" for name in names)
        got = f"; got {', '.join(chosen)}" if chosen else ""
        raise ParamError(f"a {kind} source needs exactly one of {listed}{got}")
    return chosen[0]


def _check_url_param(params: dict[str, Any], name: str) -> None:
    value = param_str(params, name)
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise ParamError(f"parameter {name}={value!r} must be an http(s) URL")


def _mastodon(url: str, params: dict[str, Any]) -> None:
    if not param_str(params, "instance"):
        params["instance"] = _origin(url)
    if not params["instance"]:
        raise ParamError("a mastodon source needs --param instance=https://… (or an instance URL)")
    if "://" not in params["instance"]:
        params["instance"] = "https://" + params["instance"]
    params["instance"] = params["instance"].rstrip("/")
    _check_url_param(params, "instance")
    if not any(param_str(params, name) for name in ("query", "hashtag", "account", "status")):
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if len(segments) == 2 and segments[0] == "tags":
            params["hashtag"] = segments[1]
        elif len(segments) == 2 and segments[0].startswith("@") and segments[1].isdigit():
            params["status"] = segments[1]
        elif len(segments) == 1 and segments[0].startswith("@"):
            params["account"] = segments[0][1:]
    mode = _one_of("mastodon", params, ("query", "hashtag", "account", "status"))
    if mode == "hashtag":
        params["hashtag"] = param_str(params, "hashtag").lstrip("#")
    elif mode == "account":
        params["account"] = param_str(params, "account").lstrip("@")


def _bluesky(url: str, params: dict[str, Any]) -> None:
    if not param_str(params, "query") and not param_str(params, "post") and "/post/" in url:
        params["post"] = url
    mode = _one_of("bluesky", params, ("query", "post"))
    if mode == "post":
        params["post"] = at_uri(param_str(params, "post"))
    _check_url_param(params, "appview")


def _reddit(url: str, params: dict[str, Any]) -> None:
    if not param_str(params, "query") and not param_str(params, "submission"):
        if "/comments/" in url:
            params["submission"] = url
    mode = _one_of("reddit", params, ("query", "submission"))
    if mode == "submission":
        params["submission"] = submission_id(param_str(params, "submission"))
    _check_url_param(params, "base")


def _hackernews(url: str, params: dict[str, Any]) -> None:
    if not param_str(params, "query") and not param_str(params, "story") and "id=" in url:
        params["story"] = url
    mode = _one_of("hackernews", params, ("query", "story"))
    if mode == "story":
        params["story"] = item_id(param_str(params, "story"))
    tags = param_str(params, "tags")
    if tags and tags not in ("story", "comment", "story,comment"):
        raise ParamError(f"parameter tags={tags!r}: use story, comment or story,comment")
    _check_url_param(params, "base")


_CHECKS: dict[str, Callable[[str, dict[str, Any]], None]] = {
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "reddit": _reddit,
    "hackernews": _hackernews,
}


def parse_source_params(kind: str, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters to keep for a new source of `kind`, checked and completed.

    Raises ParamError (a CollectError) naming the parameter that is wrong. Kinds without
    rules of their own here (feed, page, import) keep their parameters as given.
    """
    check = _CHECKS.get(kind)
    cleaned = {str(k).strip(): v.strip() if isinstance(v, str) else v for k, v in params.items()}
    if check is None:
        return cleaned
    unknown = sorted(set(cleaned) - _KNOWN[kind] - set(_PAGING))
    if unknown:
        allowed = ", ".join(sorted(_KNOWN[kind] | set(_PAGING)))
        raise ParamError(f"unknown {kind} parameter {', '.join(unknown)} (known: {allowed})")
    try:
        check(url.strip(), cleaned)
        for name, (low, high) in _PAGING.items():
            if name in cleaned:
                top = _LIMITS[kind] if name == "limit" else high
                cleaned[name] = param_int(cleaned, name, 1, low, top)
    except ParamError:
        raise
    except CollectError as error:
        raise ParamError(str(error)) from None
    return {k: v for k, v in cleaned.items() if v != ""}


def source_url(kind: str, params: dict[str, Any]) -> str:
    """A canonical web URL for a platform source (for display and uniqueness)."""
    if kind == "mastodon":
        base = params["instance"]
        if params.get("hashtag"):
            return f"{base}/tags/{quote(params['hashtag'])}"
        if params.get("account"):
            return f"{base}/@{params['account']}"
        if params.get("status"):
            return f"{base}/statuses/{params['status']}"
        return f"{base}/search?{urlencode({'q': params['query']})}"
    if kind == "bluesky":
        if params.get("post"):
            did, _, rkey = params["post"].removeprefix("at://").partition("/app.bsky.feed.post/")
            return f"https://bsky.app/profile/{did}/post/{rkey}"
        return f"https://bsky.app/search?{urlencode({'q': params['query']})}"
    if kind == "reddit":
        if params.get("submission"):
            return f"https://www.reddit.com/comments/{params['submission']}/"
        where = f"/r/{params['subreddit']}" if params.get("subreddit") else ""
        return f"https://www.reddit.com{where}/search/?{urlencode({'q': params['query']})}"
    if kind == "hackernews":
        if params.get("story"):
            return f"https://news.ycombinator.com/item?id={params['story']}"
        return f"https://hn.algolia.com/?{urlencode({'query': params['query']})}"
    return ""
