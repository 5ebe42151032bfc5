"""The feed connector: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x into RawMention.

collect_feed() fetches a source with the polite client and parses it; read_feed() and
parse_feed() are the pure parsing part, for tests and benchmarks. Entries become posts,
comments (Atom threading, WordPress `#comment-N` links), replies (a comment answering a
comment) or trackbacks. Every text field comes out as plain text: HTML is parsed, never
kept, so nothing in a feed can run in veille's pages.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DefusedET
import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from selectolax.lexbor import LexborHTMLParser

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.feeds_fast import read_fast
from veille.collect.http import fetch

JSON_FEED_TYPES = frozenset({"application/feed+json", "application/json"})
# Feedparser reports these when it had to guess the encoding or the server sent a wrong
# media type; the document itself parsed, so they are warnings, not failures.
_HEADER_WARNINGS = (
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
    feedparser.NonXMLContentType,
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Besides the other case, the letters that re.IGNORECASE matches with i, k and s.
_OTHER_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _caseless(names: list[str]) -> str:
    """An alternation of `names` matching what it would under re.IGNORECASE, faster.

    IGNORECASE folds the case of every character it compares; a class per letter does
    not, and the names grouped by their first letter let most tags fail at once.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in groups.items():
        letter = first.lower() + first.upper() + _OTHER_CASES.get(first, "")
        head = f"[{letter}]" if first.isalpha() else re.escape(first)
        tails = [rest for rest in rests if rest]
        if not tails:
            branches.append(head)
        else:
            optional = "?" if len(tails) < len(rests) else ""
            branches.append(f"{head}(?:{_caseless(tails)}){optional}")
    return "|".join(branches)


_DROPPED_TAGS = ["script", "style", "noscript", "template", "head", "iframe", "object", "svg"]
# Whether a fragment holds one of them at all: most do not, and stripping walks the tree.
_DROPPED_TAG = re.compile(rf"<(?:{_caseless(_DROPPED_TAGS)})\b")
# Private-use separators marking where HTML breaks lines, so that collapsing the source's
# own whitespace afterwards cannot lose them.
_PARAGRAPH = "\u2029"
_LINE = "\u2028"
# Each matches the "<" of a tag, the tag name in a lookahead: the replacement is then a
# literal string, inserted without calling back into Python for every match. Tag names
# are matched regardless of case (see _caseless).
_BLOCK_NAMES = (
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr section article aside"
    " header footer figure figcaption hr"
).split()
_BLOCK_TAG = re.compile(rf"<(?=/?(?:{_caseless(_BLOCK_NAMES)})\b)")
_BR_TAG = re.compile(rf"<(?={_caseless(['br'])}\b)")
# HTML collapses ASCII whitespace only, not NBSP. Runs that already are a single space
# are left alone: most matches would be those, each costing a replacement.
_SPACES = re.compile(r"[\t\n\r\f\v][ \t\n\r\f\v]*| [ \t\n\r\f\v]+")
_COMMENT_FRAGMENT = re.compile(r"#(?:comment-|c)\d+$|[?&]showComment=\d+")
_TRACKBACK_TERMS = frozenset({"trackback", "pingback"})


# FeedParserDict.get() maps legacy aliases and warns about some of them; the canonical
# keys are plain dict entries, so read them directly (faster too).
_get = dict.get


@dataclass(slots=True)
class ParsedFeed:
    """What read_feed() found: the mentions, plus warnings worth showing the user."""

    mentions: list[RawMention]
    warnings: list[str] = field(default_factory=list)
    title: str = ""


# -- text ------------------------------------------------------------------------------


def squeeze_spaces(text: str, spaces: str = "\t\n\r\f\v") -> str:
    """_SPACES.sub(" ", text) by str.replace(): each of `spaces` becomes a space, then
    runs of spaces are halved until none is left. A regex stops at every space of the
    text, most of them single spaces between words; replace() runs in C at memchr speed."""
    for char in spaces:
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _collapse(text: str) -> str:
    # Markers are not ASCII whitespace, so one pass over the whole text collapses exactly
    # what a pass per line would.
    text = squeeze_spaces(text)
    if _PARAGRAPH not in text and _LINE not in text:
        return text.strip()
    paragraphs = []
    for paragraph in text.split(_PARAGRAPH):
        if _LINE in paragraph:
            paragraph = "\n".join(line for line in map(str.strip, paragraph.split(_LINE)) if line)
        else:
            paragraph = paragraph.strip()  # most paragraphs: no <br> inside
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment: tags and scripts gone, entities decoded.

    Paragraphs and blocks are separated by a blank line, <br> by a newline.
    """
    if not markup:
        return ""
    if "<" not in markup:
        return _collapse(html.unescape(markup) if "&" in markup else markup)
    marked = _BR_TAG.sub(_LINE + "<", _BLOCK_TAG.sub(_PARAGRAPH + "<", markup))
    tree = LexborHTMLParser(marked)
    if _DROPPED_TAG.search(markup):
        tree.strip_tags(_DROPPED_TAGS, recursive=True)
    root = tree.root
    return _collapse(root.text() if root is not None else "")


def _detail_text(value: str, detail: Any) -> str:
    """A feedparser text construct as plain text, parsing HTML only when it is HTML."""
    if not value:
        return ""
    kind = (_get(detail, "type") if detail else None) or "text/html"
    if kind in _HTML_TYPES:
        return html_to_text(value)
    return _collapse(value)


# -- screening -------------------------------------------------------------------------


def _is_wide(content: bytes) -> bool:
    """UTF-16/32 documents hide `<!ENTITY` from a byte search."""
    return content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:4]


def _declares_entities(content: bytes) -> bool:
    """Whether a document that expat could not parse still looks like it declares entities.

    Declarations live in the DOCTYPE, before the root element; `<!ENTITY` further down
    is text (in CDATA, say).
    """
    if _is_wide(content):
        for codec in ("utf-16-le", "utf-16-be"):
            if "<!ENTITY" in content.decode(codec, "ignore"):
                return True
        return False
    doctype = content.find(b"<!DOCTYPE")
    entity = content.find(b"<!ENTITY")
    return doctype != -1 and entity != -1 and doctype < entity


def screen_xml(content: bytes, url: str) -> None:
    """Refuse a document that declares XML entities (entity expansion, external entities)."""
    if b"<!ENTITY" not in content and not _is_wide(content):
        return  # The cheap, common case: nothing to declare, no full parse needed.
    refused = f"{url}: refused, the feed declares XML entities (possible entity-expansion attack)"
    try:
        DefusedET.fromstring(content)
    except (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden):
        raise CollectError(refused) from None
    except (ParseError, ValueError, LookupError):
        # Not well-formed: feedparser may still recover entries, but not past a DOCTYPE
        # that declares entities.
        if _declares_entities(content):
            raise CollectError(refused) from None


_LEADING_SPACE = re.compile(rb"(\xef\xbb\xbf)?[ \t\r\n]+(?=<\?xml[ \t\r\n])")


def strip_before_declaration(content: bytes) -> bytes:
    """The document without the whitespace some servers send before its XML declaration.

    A declaration must open the document, so a stray blank line before it makes the whole
    feed ill-formed (expat gives up, feedparser falls back to its loose parser, and says so).
    Such a feed is otherwise sound; dropping the whitespace (keeping a UTF-8 BOM) lets
    both the lxml reader and feedparser read it strictly.
    """
    if content[:1].isspace() or content.startswith(b"\xef\xbb\xbf"):
        match = _LEADING_SPACE.match(content)
        if match:
            return (match.group(1) or b"") + content[match.end() :]
    return content


# -- shared helpers ----------------------------------------------------------------------


# The common case, read without urlsplit(): scheme://host/... with a plain host name.
_PLAIN_HOST = re.compile(r"[a-z][a-z0-9+.-]*://([a-z0-9.-]+)(?:[/?#]|$)", re.IGNORECASE)


def _host(url: str) -> str:
    match = _PLAIN_HOST.match(url)
    if match:
        return match.group(1).lower().removeprefix("www.")
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _digest(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        # The same instant as through timegm() for a valid UTC time tuple, without the
        # round trip; timegm() also carries over out-of-range fields (a 60th second).
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError):
        pass
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _iso_to_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _longest(*texts: str) -> str:
    return max(texts, key=len, default="")


def _empty_warning(url: str, count: int) -> str:
    noun = "entry" if count == 1 else "entries"
    return f"{url}: skipped {count} {noun} with neither title nor text"


def _undated_warning(url: str, count: int, fallback: str) -> str:
    noun = "entry has" if count == 1 else "entries have"
    return f"{url}: {count} {noun} no date; used {fallback}"


# -- RSS / Atom ----------------------------------------------------------------------------


def _parse_error(url: str, exc: BaseException) -> str:
    line = getattr(exc, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    return f"{url}: not well-formed XML{where} ({message})"


def _author(entry: Any) -> tuple[str, str, str]:
    """(name, handle, url) of an entry's author."""
    detail = _get(entry, "author_detail") or {}
    name = _get(detail, "name") or ""
    email = _get(detail, "email") or ""
    if not name and not email:
        name = _get(entry, "author") or ""
    return _collapse(name), _collapse(name or email), _get(detail, "href") or ""


def _entry_text(entry: Any) -> str:
    """The longest of an entry's summary and contents as text (the first, on a tie).

    A text is never longer than its source, so the sources are converted longest first
    and one too short to win is not converted at all (a WordPress excerpt next to the
    full post, say).
    """
    seen: set[str] = set()
    sources: list[tuple[str, Any]] = []
    summary = _get(entry, "summary")
    if summary:
        seen.add(summary)
        sources.append((summary, _get(entry, "summary_detail")))
    for content in _get(entry, "content") or ():
        value = _get(content, "value") or ""
        if value and value not in seen:
            seen.add(value)
            sources.append((value, content))
    if len(sources) == 1:
        return _detail_text(*sources[0])
    best, best_index = "", len(sources)
    for index in sorted(range(len(sources)), key=lambda i: -len(sources[i][0])):
        value, detail = sources[index]
        if len(value) < len(best) or (len(value) == len(best) and index > best_index):
            continue
        text = _detail_text(value, detail)
        if len(text) > len(best) or (len(text) == len(best) and index < best_index):
            best, best_index = text, index
    return best


def _is_trackback(entry: Any) -> bool:
    for tag in _get(entry, "tags") or ():
        if (_get(tag, "term") or "").strip().lower() in _TRACKBACK_TERMS:
            return True
    return False


def _feedparser_read(content: bytes, url: str, content_type: str) -> dict[str, Any]:
    # Bytes without HTTP headers are XML whose declaration says the encoding.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    # A file-like object: given bytes or str, feedparser may treat them as a path or a URL
    # and open it itself.
    return feedparser.parse(
        io.BytesIO(content),
        response_headers=headers,
        sanitize_html=False,  # We reduce HTML to plain text ourselves.
        resolve_relative_uris=False,
    )


def _parse_xml_feed(
    content: bytes, url: str, content_type: str, fetched_at: datetime, *, fast: bool = True
) -> ParsedFeed:
    screen_xml(content, url)
    content = strip_before_declaration(content)
    # Well-formed RSS and Atom take the lxml reader; it answers None for anything it does
    # not read exactly as feedparser would, and feedparser reads that.
    quick = read_fast(content, url, content_type) if fast else None
    if quick is not None:
        feed_data, quick_entries = quick
        result: dict[str, Any] = {"feed": feed_data, "entries": quick_entries, "version": "fast"}
    else:
        result = _feedparser_read(content, url, content_type)
    entries = _get(result, "entries") or []
    warnings: list[str] = []
    exc = _get(result, "bozo_exception") if _get(result, "bozo") else None
    if exc is not None:
        if isinstance(exc, _HEADER_WARNINGS):
            warnings.append(f"{url}: {exc}")
        elif entries:
            kept = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
            warnings.append(f"{_parse_error(url, exc)}; kept the {kept} recovered")
        else:
            raise CollectError(_parse_error(url, exc))
    if not _get(result, "version") and not entries:
        raise CollectError(f"{url}: not an RSS, Atom or JSON feed")

    feed = _get(result, "feed") or {}
    feed_title = _detail_text(_get(feed, "title") or "", _get(feed, "title_detail"))
    feed_link = _get(feed, "link") or url
    feed_date = _struct_to_datetime(_get(feed, "updated_parsed") or _get(feed, "published_parsed"))
    fallback_date = feed_date or fetched_at
    undated = empty = 0
    mentions: list[RawMention] = []
    parents: list[dict[str, Any] | None] = []
    comment_ids: set[str] = set()

    for entry in entries:
        link = _get(entry, "link") or ""
        title = _detail_text(_get(entry, "title") or "", _get(entry, "title_detail"))
        text = _entry_text(entry)
        if not title and not text:
            empty += 1
            continue
        published = _struct_to_datetime(
            _get(entry, "published_parsed")
            or _get(entry, "updated_parsed")
            or _get(entry, "created_parsed")
        )
        if published is None:
            undated += 1
            published = fallback_date
        entry_id = _get(entry, "id") or link or _digest(title, published.isoformat(), text[:200])
        name, handle, author_url = _author(entry)

        kind = "post"
        in_reply_to = ""
        thread = _get(entry, "thr_in-reply-to")
        if not isinstance(thread, dict):
            thread = None  # an in-reply-to element without attributes: feedparser keeps text
        if _is_trackback(entry):
            kind = "trackback"
        elif thread:
            kind = "comment"
            in_reply_to = _get(thread, "href") or ""
        elif "#comment-" in link:
            kind = "comment"
            in_reply_to = link.split("#", 1)[0]
        if kind == "comment":
            comment_ids.add(entry_id)
        parents.append(thread or None)

        mentions.append(
            RawMention(
                external_id=entry_id,
                url=link or feed_link,
                published_at=published,
                text=text,
                title=title,
                kind=kind,
                platform=_host(link or feed_link),
                author_handle=handle,
                author_name=name,
                author_url=author_url,
                in_reply_to_url=in_reply_to,
            )
        )

    # A comment answering another comment is a reply; known only once all ids are seen.
    for mention, thread in zip(mentions, parents, strict=True):
        if mention.kind != "comment" or not thread:
            continue
        if _get(thread, "ref") in comment_ids or _COMMENT_FRAGMENT.search(
            _get(thread, "href") or ""
        ):
            mention.kind = "reply"

    if exc is not None and not isinstance(exc, _HEADER_WARNINGS) and not mentions:
        # What could be recovered from a broken document held nothing worth keeping.
        raise CollectError(_parse_error(url, exc))
    if empty:
        warnings.append(_empty_warning(url, empty))
    if undated:
        fallback = "the feed's date" if feed_date else "the time of collection"
        warnings.append(_undated_warning(url, undated, fallback))
    return ParsedFeed(mentions, warnings, feed_title)


# -- JSON Feed -------------------------------------------------------------------------


def _json_authors(node: dict[str, Any]) -> list[dict[str, Any]]:
    authors = node.get("authors")
    if isinstance(authors, list):
        return [a for a in authors if isinstance(a, dict)]
    author = node.get("author")  # JSON Feed 1.0
    return [author] if isinstance(author, dict) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _parse_json_feed(content: bytes, url: str, fetched_at: datetime) -> ParsedFeed:
    try:
        document = json.loads(content)
    except UnicodeDecodeError as exc:
        raise CollectError(f"{url}: JSON feed is not valid UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise CollectError(
            f"{url}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise CollectError(f"{url}: JSON but not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    if not isinstance(items, list):
        raise CollectError(f"{url}: JSON Feed without an items list")

    base = _str(document.get("home_page_url")) or url
    feed_authors = _json_authors(document)
    warnings: list[str] = []
    mentions: list[RawMention] = []
    undated = skipped = empty = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        link = _str(item.get("url")) or _str(item.get("external_url"))
        link = urljoin(base, link) if link else ""
        title = _collapse(_str(item.get("title")))
        text = _longest(
            _collapse(_str(item.get("content_text"))),
            html_to_text(_str(item.get("content_html"))),
            _collapse(_str(item.get("summary"))),
        )
        if not title and not text:
            empty += 1
            continue
        published = _iso_to_datetime(item.get("date_published")) or _iso_to_datetime(
            item.get("date_modified")
        )
        if published is None:
            undated += 1
            published = fetched_at
        raw_id = item.get("id")
        entry_id = (
            str(raw_id)
            if isinstance(raw_id, str | int) and str(raw_id)
            else link or _digest(title, published.isoformat(), text[:200])
        )
        authors = _json_authors(item) or feed_authors
        author = authors[0] if authors else {}
        name = _collapse(_str(author.get("name")))
        mentions.append(
            RawMention(
                external_id=entry_id,
                url=link or base,
                published_at=published,
                text=text,
                title=title,
                platform=_host(link or base),
                author_handle=name,
                author_name=name,
                author_url=_str(author.get("url")),
            )
        )
    if skipped:
        warnings.append(f"{url}: skipped {skipped} items that are not JSON objects")
    if empty:
        warnings.append(_empty_warning(url, empty))
    if undated:
        warnings.append(_undated_warning(url, undated, "the time of collection"))
    return ParsedFeed(mentions, warnings, _collapse(_str(document.get("title"))))


# -- public API --------------------------------------------------------------------------


def _looks_like_json(content: bytes, content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in JSON_FEED_TYPES:
        return True
    return content[:64].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def read_feed(
    content: bytes,
    url: str,
    *,
    content_type: str = "",
    fetched_at: datetime | None = None,
) -> ParsedFeed:
    """Parse a feed document fetched from `url`; raise CollectError when it is unusable.

    `url` is the base for relative links and the name used in messages; `fetched_at`
    (default: now) dates entries that carry no date of their own when the feed has none.
    """
    when = fetched_at or datetime.now(UTC)
    if _looks_like_json(content, content_type):
        return _parse_json_feed(content, url, when)
    return _parse_xml_feed(content, url, content_type, when)


def parse_feed(content: bytes, url: str) -> list[RawMention]:
    """The mentions in a feed document (warnings dropped); see read_feed()."""
    return read_feed(content, url).mentions


def collect_feed(url: str, cursor: dict[str, Any] | None) -> Batch:
    """Fetch and parse the feed at `url`, conditionally on the cursor's validators."""
    cursor = dict(cursor or {})
    result = fetch(url, etag=cursor.get("etag"), last_modified=cursor.get("last_modified"))
    if result.not_modified:
        cursor.update(etag=result.etag, last_modified=result.last_modified)
        return Batch([], cursor, not_modified=True)
    # Relative links and ids resolve against the source's own URL, not the redirect
    # target, so that external ids stay stable when a site moves its feed around.
    parsed = read_feed(result.content, url, content_type=result.headers.get("content-type", ""))
    cursor.update(etag=result.etag, last_modified=result.last_modified)
    return Batch(parsed.mentions, cursor, warnings=parsed.warnings)
