"""A fast reader for well-formed RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds, on lxml.

feedparser spends most of its time in per-event SAX handlers. This module reads the same
documents as one lxml tree and builds the few entry and feed fields that feeds.py uses,
with the keys and values feedparser would give them (`link`, `id`, `title_detail`,
`summary`, `content`, `author_detail`, `tags`, `thr_in-reply-to`, dates as struct_time...).
It mirrors feedparser's rules where they matter: which element wins when several compete,
relative URIs resolved against xml:base, the first non-empty title, a guid acting as the
link, RSS titles that look like HTML, the repair of UTF-8 read as Latin-1 and of
Windows-1252 code points.

Anything outside that well-trodden subset (a DOCTYPE, an encoding other than UTF-8 or
Latin-1, a text element holding child elements, an extension feedparser reads into one of
those fields, Atom 0.3...) makes read_fast() return None, and the caller falls back to
feedparser: the fast path never guesses. tests/collect/test_feeds_fast.py checks that both
agree, field by field, on every fixture and demo feed.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import itertools
import re
import threading
import time
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from feedparser.datetimes import _parse_date as _feedparser_date
from feedparser.encodings import RE_XML_PI_ENCODING, parse_content_type
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urifixer, make_safe_absolute_uri
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS10_NS = "http://purl.org/rss/1.0/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_XML_ATTR = "{" + XML_NS + "}"
_RDF_ABOUT = "{" + RDF_NS + "}about"
_XML_BASE = _XML_ATTR + "base"

# feedparser's namespace URI -> standard prefix table (URIs compared lowercased).
_PREFIXES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_looks_like_html = _FeedParserMixin.looks_like_html
_map_type = _FeedParserMixin.map_content_type
_C1_CONTROL = re.compile("[\x80-\x9f]")
_LINK_ENTITY = re.compile(r"&([A-Za-z0-9_]+);")
_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
# Attribute names read here: a namespaced attribute of the same local name would shadow them.
_READ_ATTRIBUTES = frozenset(
    {"rel", "type", "href", "url", "uri", "ispermalink", "term", "scheme", "domain", "label"}
    | {"mode", "src", "ref", "base"}
)
_ALLOWED_CODECS = frozenset({"utf-8", "iso8859-1", "ascii"})
_UTF8_BOM = b"\xef\xbb\xbf"

# Element names (feedparser's "prefix_localname") whose handlers write into fields we read,
# or change how later elements are read. Met anywhere the walk below does not expect them,
# they send the document to feedparser.
_FEEDPARSER_HANDLERS = frozenset(
    name[len(kind) :]
    for name in dir(_FeedParserMixin)
    for kind in ("_start_", "_end_")
    if name.startswith(kind)
)
# Handlers that only write keys this module's callers never read.
_HARMLESS = frozenset(
    {
        "enclosure",
        "generator",
        "language",
        "dc_language",
        "width",
        "height",
        "cloud",
        "rights",
        "copyright",
        "dc_rights",
        "subtitle",
        "tagline",
        "expirationdate",
        "newlocation",
        "webmaster",
        "dc_publisher",
        "contributor",
        "dc_contributor",
        "dcterms_valid",
        "url",
        "uri",
        "homepage",
        "name",
        "email",
        "media_content",
        "media_thumbnail",
        "media_player",
        "media_rating",
        "media_credit",
        "media_restriction",
        "media_license",
        "media_group",
        "itunes_image",
        "itunes_link",
        "itunes_block",
        "itunes_explicit",
        "itunes_owner",
        "itunes_name",
        "itunes_email",
        "itunes_subtitle",
        "info",
        "feedburner_browserfriendly",
        "cc_license",
        "creativecommons_license",
        "psc_chapters",
        "psc_chapter",
        "where",
        "geom",
        "georssgeom",
        "georss_where",
        "georss_point",
        "georss_line",
        "georss_polygon",
        "georss_box",
        "gml_point",
        "gml_linestring",
        "gml_polygon",
        "gml_exterior",
        "gml_linearring",
        "gml_pos",
        "gml_poslist",
    }
)
_READ_KEYS = frozenset(
    {
        "title_detail",
        "summary_detail",
        "author_detail",
        "published_parsed",
        "updated_parsed",
        "created_parsed",
    }
)
_SENSITIVE = (_FEEDPARSER_HANDLERS - _HARMLESS) | _READ_KEYS
# Once an entry has a non-empty title, feedparser ignores any <media:title> met at the same
# depth or deeper (MediaRSS titles of pictures inside <media:content>): its title_depth
# check returns before storing anything, and _end_media_title restores title_depth.
_SENSITIVE_TITLED = _SENSITIVE - {"media_title"}
# The children of <image> and <textinput> that keep feedparser in that context.
_IMAGE_CHILDREN = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_TEXTINPUT_CHILDREN = frozenset({"title", "link", "description", "name"})

_PUBLISHED = frozenset({"published", "issued", "pubdate", "dcterms_issued"})
_UPDATED = frozenset({"updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"})
_CREATED = frozenset({"created", "dcterms_created"})
_TITLES = frozenset({"title", "dc_title"})
_DESCRIPTIONS = frozenset({"description", "dc_description"})
_CONTENTS = frozenset({"content", "content_encoded", "fullitem"})
_AUTHORS = frozenset({"author", "dc_author", "dc_creator"})
_CATEGORIES = frozenset({"category", "keywords", "dc_subject"})
_AUTHOR_PARTS = frozenset({"name", "email", "uri", "url", "homepage"})
# Feed-level elements whose values land in keys nobody reads.
_FEED_ASIDES = _AUTHORS | _DESCRIPTIONS | _CREATED | _CATEGORIES | {"managingeditor"}


# -- dates ---------------------------------------------------------------------------------

# The two forms nearly every feed writes, read without feedparser's chain of parsers (it
# tries W3DTF, then RFC 822, ...: an RFC 822 date pays for a failed W3DTF attempt first).
# Each gives the UTC time tuple feedparser's own parser would give; anything else, and
# any value these forms hold that a calendar refuses, goes to feedparser.
_ISO_DATE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:([Zz])|([+-])(\d\d):(\d\d))"
)
_RFC822_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) "
    r"(\d\d):(\d\d):(\d\d) (?:(GMT|UTC|UT|Z)|([+-])(\d\d)(\d\d))"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _utc_tuple(
    year: int, month: int, day: int, clock: tuple[int, int, int], sign: str, offset: tuple[int, int]
) -> time.struct_time:
    stamp = _dt.datetime(year, month, day, *clock)
    hours, minutes = offset
    if sign == "-":
        hours, minutes = -hours, -minutes
    return (stamp - _dt.timedelta(hours=hours, minutes=minutes)).utctimetuple()


def _parse_date(value: str) -> time.struct_time | None:
    """feedparser's _parse_date(), with a quick path for ISO 8601 and RFC 822 dates."""
    try:
        match = _ISO_DATE.fullmatch(value)
        if match is not None:
            year, month, day, hour, minute, second, zulu, sign, tzh, tzm = match.groups()
            return _utc_tuple(
                int(year),
                int(month),
                int(day),
                (int(hour), int(minute), int(second)),
                sign or "+",
                (0, 0) if zulu else (int(tzh), int(tzm)),
            )
        match = _RFC822_DATE.fullmatch(value)
        if match is not None:
            day, month_name, year, hour, minute, second, named, sign, tzh, tzm = match.groups()
            month = _MONTHS.get(month_name)
            if month is not None:
                return _utc_tuple(
                    int(year),
                    month,
                    int(day),
                    (int(hour), int(minute), int(second)),
                    sign or "+",
                    (0, 0) if named else (int(tzh), int(tzm)),
                )
    except (ValueError, OverflowError):
        pass  # 31 February, hour 24...: feedparser's parsers decide
    return _feedparser_date(value)


class _Unsupported(Exception):
    """The document leaves the subset this module reads exactly like feedparser."""


# -- names, bases, text ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _name(tag: str, prefix: str | None) -> str:
    """feedparser's handler name for an element: standard prefix, '_', lowercased name."""
    if tag[0] == "{":
        namespace, _, local = tag[1:].partition("}")
        standard = _PREFIXES.get(namespace.lower())
        if standard is None:
            if "backend.userland.com/rss" in namespace.lower():
                standard = ""
            else:
                standard = prefix or ""
    else:
        standard, local = "", tag
    local = local.lower()
    return f"{standard.lower()}_{local}" if standard else local


# Names that do not depend on the element's prefix (no namespace, or a namespace feedparser
# knows), by tag: a dict look-up is much cheaper than reading `element.prefix`.
_TAG_NAMES: dict[str, str] = {}


def _element_name(element: Any) -> str:
    tag = element.tag
    name = _TAG_NAMES.get(tag)
    if name is not None:
        return name
    if tag[0] != "{" or tag[1:].partition("}")[0].lower() in _PREFIXES:
        name = _name(tag, None)
        if len(_TAG_NAMES) < 4096:
            _TAG_NAMES[tag] = name
        return name
    return _name(tag, element.prefix)


# An absolute http(s) URL that urljoin() would give back unchanged, whatever the base:
# lowercase scheme, a host, no ";" parameters, no empty "?" or "#", no whitespace.
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/?#;\s]+(?:/[^?#;\s]*)?(?:\?[^#;\s]+)?(?:#[^\s]+)?")


def _urljoin(base: str, uri: str) -> str:
    """feedparser's _urljoin(), without expanding a replacement template for every URI."""
    if _PLAIN_ABSOLUTE.fullmatch(uri):
        return uri
    match = _urifixer.match(uri)
    if match is not None and match.end(2) > match.start(2):
        uri = match.group(1) + uri[match.end(2) :]  # "http:///x" -> "http://x"
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


@lru_cache(maxsize=1024)
def _rebase(base: str, declared: str) -> str:
    if base:
        return make_safe_absolute_uri(base, declared) or base
    return _urljoin(base, declared)


def _base_of(element: Any, base: str) -> str:
    attrib = element.attrib
    declared = attrib.get(_XML_BASE, attrib.get("base"))
    return _rebase(base, declared) if declared else base


def _attributes(element: Any) -> dict[str, str]:
    """Attributes as feedparser keys them: names lowercased, `rel` and `type` values too."""
    attributes = {}
    for key, value in element.attrib.items():
        if key[0] == "{":
            local = key.rpartition("}")[2].lower()
            if not key.startswith(_XML_ATTR) and local in _READ_ATTRIBUTES:
                raise _Unsupported
            continue
        key = key.lower()
        attributes[key] = value.lower() if key in ("rel", "type") else value
    return attributes


def _repair(text: str) -> str:
    """feedparser's repair of UTF-8 decoded as Latin-1, then of Windows-1252 code points."""
    if text.isascii():
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    # str.translate() with a dict is slow on long texts; C1 controls are rare, and a
    # document that cannot hold any (see _may_hold_c1) spares the search.
    if not getattr(_local, "c1", True):
        return text
    return text.translate(_cp1252) if _C1_CONTROL.search(text) else text


def _raw_text(element: Any) -> str:
    if len(element):
        raise _Unsupported  # Inline markup: feedparser rebuilds it as XHTML.
    return (element.text or "").strip()


def _check_subtree(element: Any, sensitive: frozenset[str] = _SENSITIVE) -> None:
    for node in element.iter():
        if _element_name(node) in sensitive:
            raise _Unsupported


def _check_children(element: Any) -> None:
    for child in element:
        _check_subtree(child)


# -- text constructs ---------------------------------------------------------------------


def _content_type(attributes: dict[str, str], default: str) -> str:
    content_type = _map_type(attributes.get("type", default))
    mode = attributes.get("mode", "")
    if mode == "base64" or not content_type.startswith("text/"):
        raise _Unsupported  # base64, XHTML (rebuilt as markup by feedparser), XML, binary
    return content_type


def _text_construct(element: Any, default_type: str, atom: bool) -> tuple[str, dict[str, str]]:
    """The value and detail feedparser keeps for a title, summary or content element."""
    attributes = _attributes(element)
    content_type = _content_type(attributes, default_type)
    value = _raw_text(element)
    if not atom and content_type == "text/plain" and _looks_like_html(value):
        content_type = "text/html"
    detail = {"type": content_type}
    src = attributes.get("src")
    if src:
        detail["src"] = src
    return _repair(value), detail


def _plain_value(element: Any, base: str, resolve: bool) -> str:
    value = _raw_text(element)
    if resolve and value:
        value = _urljoin(base, value)
    return _repair(value)


# -- authors -------------------------------------------------------------------------------


class _Authors:
    """feedparser's author bookkeeping (author, author_detail, authors), for one context."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context

    def sync(self) -> None:
        context = self.context
        authors = context.get("authors") or [{}]
        detail = authors[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context["author"] = f"{name} ({email})"
            elif name:
                context["author"] = name
            elif email:
                context["author"] = email
            return
        author, email = context.get("author"), None
        if not author:
            return
        match = _EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            context.setdefault("author_detail", detail)
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def save(self, key: str, value: str) -> None:
        context = self.context
        context.setdefault("author_detail", {})[key] = value
        self.sync()
        context.setdefault("authors", [{}])[-1][key] = value

    def read(self, element: Any, base: str) -> None:
        """An <author>, <dc:creator>...: its own text, then its name, email and URI."""
        self.context.setdefault("authors", []).append({})
        for child in element:
            name = _element_name(child)
            if name == "name":
                self.save("name", _raw_text(child))
            elif name == "email":
                self.save("email", _raw_text(child))
            elif name in ("uri", "url", "homepage"):
                self.save("href", _plain_value(child, _base_of(child, base), resolve=True))
            else:
                _check_subtree(child, _SENSITIVE | _AUTHOR_PARTS)
        own = "".join(child.tail or "" for child in element)
        self.context["author"] = _repair(((element.text or "") + own).strip())
        self.sync()


# -- entries and feed ------------------------------------------------------------------------


def _link_href(attributes: dict[str, str], base: str) -> tuple[bool, str]:
    """(has an href, the resolved href) of a <link>, after feedparser's _enforce_href."""
    href = attributes.get("url", attributes.get("uri", attributes.get("href")))
    if href:
        attributes["href"] = href
    if "href" not in attributes:
        return False, ""
    return True, _urljoin(base, attributes["href"])


def _is_html_alternate(attributes: dict[str, str]) -> bool:
    rel = attributes.setdefault("rel", "alternate")
    attributes.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
    return rel == "alternate" and _map_type(attributes["type"]) in _HTML_TYPES


def _read_entry(element: Any, base: str, atom: bool) -> dict[str, Any]:
    """An item or entry as feedparser's dict."""
    for key in element.attrib:
        if key in ("href", "lastmod"):
            raise _Unsupported
    entry: dict[str, Any] = {}
    about = element.attrib.get(_RDF_ABOUT)
    if about:
        entry["id"] = about
    base = _base_of(element, base)
    authors = _Authors(entry)
    titled = has_content = False
    known = _TAG_NAMES.get  # _element_name()'s cache, without a call per child
    for child in element:
        name = known(child.tag) or _element_name(child)
        if name in _TITLES:
            value, detail = _text_construct(child, "text/plain", atom)
            if not titled:
                entry["title"] = value
                entry["title_detail"] = detail
                titled = bool(value)
        elif name == "link":
            attributes = _attributes(child)
            child_base = _base_of(child, base)
            has_href, href = _link_href(attributes, child_base)
            if has_href:
                if _is_html_alternate(attributes):
                    entry["link"] = href
            else:
                link = _plain_value(child, child_base, resolve=True)
                entry["link"] = _LINK_ENTITY.sub(r"&\g<1>", link.replace("&amp;", "&"))
        elif name in ("guid", "id"):
            is_link = _attributes(child).get("ispermalink", "true") == "true"
            value = _plain_value(child, _base_of(child, base), resolve=is_link)
            entry["id"] = value
            if is_link:
                entry.setdefault("link", value)
        elif name in _DESCRIPTIONS or name == "summary":
            default = "text/html" if name in _DESCRIPTIONS else "text/plain"
            if "summary" in entry and not has_content:
                default = "text/plain"
                has_content = True
                value, detail = _text_construct(child, default, atom)
                entry.setdefault("content", []).append({**detail, "value": value})
            else:
                value, detail = _text_construct(child, default, atom)
                entry["summary"] = value
                entry["summary_detail"] = detail
        elif name in _CONTENTS:
            has_content = True
            default = "text/plain" if name == "content" else "text/html"
            value, detail = _text_construct(child, default, atom)
            entry.setdefault("content", []).append({**detail, "value": value})
            entry.setdefault("summary", value)
        elif name in _PUBLISHED:
            entry["published_parsed"] = _parse_date(_plain_value(child, base, False))
        elif name in _UPDATED:
            entry["updated_parsed"] = _parse_date(_plain_value(child, base, False))
        elif name in _CREATED:
            entry["created_parsed"] = _parse_date(_plain_value(child, base, False))
        elif name in _AUTHORS:
            authors.read(child, _base_of(child, base))
        elif name in _CATEGORIES:
            _read_category(child, entry)
        elif name == "source":
            if len(child):
                raise _Unsupported
            titled = False  # feedparser forgets the title it kept when it leaves a <source>
        elif name == "thr_in-reply-to":
            attributes = _attributes(child)
            if not attributes:
                raise _Unsupported  # feedparser would keep the element's text instead
            entry[name] = attributes
            _check_subtree(child)
        else:
            _check_subtree(child, _SENSITIVE_TITLED if titled else _SENSITIVE)
    return entry


def _read_category(element: Any, entry: dict[str, Any]) -> None:
    attributes = _attributes(element)
    tags = entry.setdefault("tags", [])
    term = attributes.get("term")
    if term or attributes.get("scheme", attributes.get("domain")) or attributes.get("label"):
        tags.append({"term": term})
    value = _plain_value(element, "", resolve=False)
    if not value:
        return
    if tags and not tags[-1]["term"]:
        tags[-1]["term"] = value
    else:
        tags.append({"term": value})


def _check_aside(element: Any, allowed: frozenset[str]) -> None:
    """An <image> or <textinput>: only the children that keep feedparser in its context."""
    for child in element:
        name = _element_name(child)
        if name not in allowed:
            if "_" not in name:
                raise _Unsupported
            _check_subtree(child)
        elif len(child):
            raise _Unsupported


def _read_channel(
    container: Any,
    base: str,
    kind: str,
    feed: dict[str, Any],
    entries: list[dict[str, Any]],
) -> None:
    """The children of <channel> (RSS 2.0), <feed> (Atom) or <rdf:RDF> (RSS 1.0)."""
    atom = kind == "atom"
    entry_name = "entry" if atom else "item"
    # feedparser keeps the first non-empty feed title, and again after each entry or image.
    blocked = False
    known = _TAG_NAMES.get  # _element_name()'s cache, without a call per child
    for child in container:
        name = known(child.tag) or _element_name(child)
        if name == entry_name:
            entries.append(_read_entry(child, base, atom))
            blocked = False
            continue
        if name in _FEED_ASIDES:
            # Blogger lists every label of the blog here, often by the thousand.
            if len(child):
                _check_children(child)
            continue
        child_base = _base_of(child, base)
        if name in _TITLES:
            value, detail = _text_construct(child, "text/plain", atom)
            if not blocked:
                feed["title"] = value
                feed["title_detail"] = detail
                blocked = bool(value)
        elif name == "link":
            attributes = _attributes(child)
            has_href, href = _link_href(attributes, child_base)
            if has_href:
                if _is_html_alternate(attributes):
                    feed["link"] = href
            else:
                link = _plain_value(child, child_base, resolve=True)
                feed["link"] = _LINK_ENTITY.sub(r"&\g<1>", link)
        elif name in ("guid", "id"):
            is_link = _attributes(child).get("ispermalink", "true") == "true"
            value = _plain_value(child, child_base, resolve=is_link)
            if is_link:
                feed.setdefault("link", value)
        elif name in _PUBLISHED:
            feed["published_parsed"] = _parse_date(_plain_value(child, child_base, False))
        elif name in _UPDATED:
            feed["updated_parsed"] = _parse_date(_plain_value(child, child_base, False))
        elif name in ("image", "textinput"):
            _check_aside(child, _IMAGE_CHILDREN if name == "image" else _TEXTINPUT_CHILDREN)
            blocked = False
        elif name == "channel" and kind == "rdf":
            _read_rdf_channel(child, child_base, feed)
        else:
            _check_subtree(child)


def _read_rdf_channel(channel: Any, base: str, feed: dict[str, Any]) -> None:
    """RSS 1.0's <channel> holds the feed's own fields; its items are its siblings."""
    for key in channel.attrib:
        if key in ("href", "lastmod"):
            raise _Unsupported
    nested: list[dict[str, Any]] = []
    _read_channel(channel, base, "rss", feed, nested)
    if nested:
        raise _Unsupported


# -- documents -------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _acceptable_encoding(content: bytes, content_type: str) -> str:
    """The codec feedparser would decode with, when lxml is sure to agree; else ''."""
    media_type, charset = parse_content_type(content_type or "application/xml")
    if not (
        media_type == "application/xml"
        or (media_type.startswith("application/") and media_type.endswith("+xml"))
    ):
        return ""  # text/* and unusual types follow other rules (us-ascii, warnings)
    if b"\x00" in content[:4] or content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return ""  # UTF-16 or UTF-32
    match = RE_XML_PI_ENCODING.match(content.removeprefix(_UTF8_BOM))
    declared = _codec(match.group(1).decode("latin-1")) if match else ""
    if match and not declared:
        return ""
    effective = _codec(charset) if charset else declared or "utf-8"
    if effective != (declared or "utf-8") or effective not in _ALLOWED_CODECS:
        return ""
    if content.startswith(_UTF8_BOM) and effective != "utf-8":
        return ""
    if effective == "ascii" and not content.isascii():
        return ""
    return effective


_local = threading.local()
# feedparser lowercases element names: an <Item> or <ENTRY> is an entry to it too. Such
# documents go to feedparser, so the count below can look for the lowercase names only.
# Every other way of writing the two names, in any namespace, for lxml's tag matcher.
_ODD_CASE_ENTRIES = tuple(
    "{*}" + "".join(letters)
    for word in ("item", "entry")
    for letters in itertools.product(*((c, c.upper()) for c in word))
    if "".join(letters) != word
)


def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
            recover=False,
        )
        _local.parser = parser
    return parser


_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_C1_BYTE = re.compile(b"[\x80-\x9f]")
# A character reference to a C1 control, decimal 128-159 or hexadecimal 80-9F (XML writes
# the "x" in lower case and requires the ";").
_C1_REFERENCE = re.compile(rb"&#(?:x0*[89][0-9a-fA-F]|0*1(?:2[89]|[34][0-9]|5[0-9]));")


def _may_hold_c1(content: bytes, codec: str) -> bool:
    """Whether any text of the document can hold a C1 control (U+0080 to U+009F).

    In UTF-8 one is written \xc2 then \x80-\x9f, in Latin-1 as one byte of that range;
    a character reference (&#150;) can write one anywhere. _repair() only produces such a
    character from one already in the text. Most documents hold none: one search of the
    document spares a search of each of its texts.
    """
    if b"&#" in content and _C1_REFERENCE.search(content) is not None:
        return True
    if codec == "utf-8":
        return _C1_UTF8.search(content) is not None
    if codec == "ascii":
        return False
    return _C1_BYTE.search(content) is not None


def _has_odd_case_entry(root: Any) -> bool:
    """Whether an <Item>, <ENTRY>... is in the document (feedparser lowercases names).

    lxml's matcher keeps only the names the document uses and compares them in C as it
    walks the tree: far quicker than a search of the document's bytes for such names.
    """
    return next(root.iter(*_ODD_CASE_ENTRIES), None) is not None


def _root_kind(root: Any) -> str:
    """'rss', 'rdf' or 'atom' for the roots read here; '' for anything else."""
    tag = root.tag
    namespaces = {uri.lower() for uri in root.nsmap.values()}
    if tag == "rss" or _name(tag, root.prefix) == "rss":
        return "rss"
    if tag == "{" + RDF_NS + "}RDF":
        # feedparser takes its version from the first RSS or Atom namespace declared.
        if RSS10_NS in namespaces and ATOM_NS.lower() not in namespaces:
            return "rdf"
        return ""
    if tag == "{" + ATOM_NS + "}feed":
        if RSS10_NS in namespaces or "http://my.netscape.com/rdf/simple/0.9/" in namespaces:
            return ""
        return "atom"
    return ""


def read_fast(
    content: bytes, url: str, content_type: str
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(feed, entries) as feedparser would give them, or None to let feedparser read it.

    The caller screens the document for entity declarations first.
    """
    codec = _acceptable_encoding(content, content_type)
    if not codec:
        return None
    try:
        tree = etree.fromstring(content, _parser()).getroottree()
    except (etree.XMLSyntaxError, ValueError):
        return None
    docinfo = tree.docinfo
    if docinfo.doctype or _codec(docinfo.encoding or "utf-8") != codec:
        return None
    root = tree.getroot()
    if _has_odd_case_entry(root):
        return None
    kind = _root_kind(root)
    if not kind:
        return None
    _local.c1 = _may_hold_c1(content, codec)
    try:
        return _read_document(root, kind, url)
    except _Unsupported:
        return None
    finally:
        _local.c1 = True


def _read_document(root: Any, kind: str, url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    base = _base_of(root, make_safe_absolute_uri("", url) or url)
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    if kind == "rss":
        for key in root.attrib:
            if key[0] == "{" and not key.startswith(_XML_ATTR):
                raise _Unsupported
        channels = [child for child in root if _element_name(child) == "channel"]
        if len(channels) != 1 or len(root) != 1:
            raise _Unsupported
        channel = channels[0]
        if "href" in channel.attrib or "lastmod" in channel.attrib:
            raise _Unsupported
        _read_channel(channel, _base_of(channel, base), "rss", feed, entries)
    elif kind == "rdf":
        for child in root:
            name = _element_name(child)
            if name not in ("channel", "item", "image", "textinput"):
                raise _Unsupported
        _read_channel(root, base, "rdf", feed, entries)
    else:
        _read_channel(root, base, "atom", feed, entries)
    # Items or entries anywhere else would be entries to feedparser too.
    found = 0
    for node in root.iter("{*}item", "{*}entry"):
        name = _element_name(node)
        if name == "item" or name == "entry":
            found += 1
    if found != len(entries):
        raise _Unsupported
    return feed, entries
