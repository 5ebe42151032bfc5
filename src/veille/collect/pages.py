"""The page connector: a blog article and its comment thread as mentions.

extract_page() is the pure part (no network). The page is parsed once (lexbor): its
title, author and date come from schema.org JSON-LD, meta tags and common markup (htmldate
searches the page when none gives a date); comments.find_comments() reads the thread; the
article's text comes from a theme's body container (`.entry-content`, Blogger's
`.post-body`, a single `<article>`) or the element holding nearly all the page's prose,
else from trafilatura (favouring precision). The article becomes a "post"; each comment a
"comment" answering the article or a "reply" answering its parent comment's permalink;
pingbacks and trackbacks a "trackback". collect_page() fetches a source's URL
conditionally and extracts it.

Everything comes out as plain text: the HTML is parsed, never kept.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from selectolax.lexbor import LexborHTMLParser, LexborNode

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.comments import Comment, clean_text, common_ancestor, find_comments
from veille.collect.dates import parse_date
from veille.collect.feeds import _LINE, _PARAGRAPH, _collapse, html_to_text
from veille.collect.http import fetch

if TYPE_CHECKING:
    from veille.core.models import Source

# A page is far smaller than a feed archive; anything bigger is not an article.
MAX_PAGE_BYTES = 5 * 1024 * 1024
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Lines that point elsewhere inside an article body ("À lire aussi » …").
_CROSS_LINK = re.compile(
    r"^(?:à lire aussi|a lire aussi|lire aussi|voir aussi|sur le même sujet|read also"
    r"|read more|see also|related|lesen sie auch|mehr zum thema)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class PageExtraction:
    """What extract_page() found: the article, its comments, and warnings for the user."""

    article: RawMention
    comments: list[RawMention]
    warnings: list[str] = field(default_factory=list)

    @property
    def mentions(self) -> list[RawMention]:
        return [self.article, *self.comments]


def decode_html(content: bytes) -> str:
    """The page as text: BOM, then the declared charset, then UTF-8, then Windows-1252."""
    return _decode(content)[0]


def _decode(content: bytes) -> tuple[str, bytes | None]:
    """decode_html(), and the UTF-8 bytes of that text when `content` already is them.

    lexbor parses UTF-8: handing it a page's own bytes spares encoding the decoded text
    back (a strict UTF-8 decoding gives back exactly those bytes).
    """
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", "replace"), None
    declared = _CHARSET.search(content[:4096])
    encodings = ["utf-8"]
    if declared:
        encodings.insert(0, declared.group(1).decode("ascii").lower())
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        utf8 = codecs.lookup(encoding).name == "utf-8"
        return text, content if utf8 else None
    return content.decode("cp1252", "replace"), None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _article_text(text: str) -> str:
    lines = [line for line in clean_text(text).split("\n") if not _CROSS_LINK.match(line)]
    return clean_text("\n".join(lines))


_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": True,
    "deduplicate": False,
    # No second opinion from trafilatura's readability/jusText fallbacks: a third of
    # the extraction time, and the page tests pass on the main extractor alone.
    "fast": True,
}


def _read_article(markup: str, url: str) -> str:
    """The main article's text, by trafilatura (metadata is read separately)."""
    document = trafilatura.bare_extraction(
        markup, url=url, with_metadata=False, **_TRAFILATURA_OPTIONS
    )
    return _article_text(document.text or "") if document is not None else ""


def _searched_date(markup: str) -> datetime | None:
    """htmldate's search of the whole page for its publication date (trafilatura's own)."""
    try:
        found = find_date(markup, extensive_search=False, original_date=True)
    except (ValueError, TypeError, RecursionError):
        return None
    return parse_date(found) if found else None


# -- quick structured path -------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "posting",
        "socialmediaposting",
        "liveblogposting",
    }
)
# Meta tags as (attribute, value) pairs, each meaning meta[attribute="value"].
_META_TITLE = (("property", "og:title"), ("name", "twitter:title"))
_META_DATE = (
    ("property", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("name", "DC.date.issued"),
    ("name", "dcterms.date"),
    ("property", "og:article:published_time"),
)
_META_AUTHOR = (("name", "author"),)
_TITLE_NODES = "h1.entry-title, h1.post-title, .entry-title, h1"
# Bylines, most specific first; a match inside a comment, navigation or sidebar is skipped.
_AUTHOR_NODES = (
    ".entry-meta .author .fn",
    ".entry-meta .author a",
    ".entry-meta .entry-author",
    ".byline .author",
    '[itemprop="author"] [itemprop="name"]',
    ".post-author-name",
    ".post-author .fn",
    ".header-info__author",
    ".author.vcard",
    "span.author",
    ".author-name",
    '[class*="author-name"]',
    '[rel="author"]',
    'a[href*="/author/"]',
)
_BYLINE_PREFIX = re.compile(r"^(?:par|by|von|posted by|written by)\s+", re.IGNORECASE)
# Dates in attributes (machine-readable), then in text; outside comments and sidebars.
_DATE_ATTRIBUTES = (
    ("article time[datetime], .entry-meta time[datetime], time.entry-date[datetime]", "datetime"),
    ('[itemprop="datePublished"][datetime]', "datetime"),
    ("abbr.published[title], abbr.date[title], abbr.updated[title]", "title"),
    ("time[datetime]", "datetime"),
)
_DATE_TEXTS = (
    ".entry-date, .post-date, .date-header, .published, .post-timestamp,"
    ' [class*="published"], [class*="post-date"], .date'
)
# WordPress and Blogger permalinks carry the publication day: /2006/12/04/slug/.
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/([0-3]\d)/")
# Containers that hold an article body and nothing else on the themes that use them
# (WordPress, Blogger), each taken only when the page has exactly one.
_BODY_CONTAINERS = (".entry-content", ".post-body", "article")
# What sits inside such a container without being the article: sharing and "like" bars,
# related posts, forms, navigation, embedded comment sections.
_BODY_NOISE = (
    "script, style, noscript, template, form, nav, aside, iframe, svg, button,"
    " .sharedaddy, .jp-relatedposts, #jp-post-flair, .wpcnt, .addtoany_share_save_container,"
    " .share, .sharing, .social, .related-posts, .yarpp-related, .post-share, .wp-block-buttons,"
    " figcaption, .wp-caption-text, #comments, .comments, .comment-respond,"
    ' [class*="comment"], [id*="comment"]'
)
# Below this much text the container is a teaser or a wrapper: trafilatura decides.
_MIN_BODY_CHARS = 400


def _json_ld(scripts: list[LexborNode]) -> Iterator[dict[str, Any]]:
    """The objects of the page's JSON-LD blocks, @graph entries included."""
    for script in scripts:
        try:
            document = json.loads(script.text(deep=True) or "")
        except (ValueError, RecursionError):  # not JSON, or nested too deep to decode
            continue
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                yield node
                graph = node.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _ld_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _ld_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and "://" not in name:
            names.append(clean_text(name))
    return names


def _meta(metas: list[dict[str, str | None]], wanted: tuple[tuple[str, str], ...]) -> str:
    """The content of the first meta tag (in page order) matching `wanted`, in its order.

    `metas` holds the page's <meta> attributes, read with one query: a CSS query per
    wanted tag would walk the whole tree each time.
    """
    for attribute, value in wanted:
        for attributes in metas:
            if attributes.get(attribute) == value:
                content = (attributes.get("content") or "").strip()
                if content:
                    return content
                break  # css_first's match: the first such tag, even without content
    return ""


@dataclass(slots=True)
class _Metadata:
    title: str = ""
    author: str = ""
    published: datetime | None = None


def _metadata(tree: LexborHTMLParser, url: str, parts: _PageParts) -> _Metadata:
    """Title, author and date from schema.org JSON-LD, meta tags and common markup."""
    found = _Metadata()
    metas = parts.metas
    for node in _json_ld(parts.scripts):
        if not _ld_types(node) & _ARTICLE_TYPES:
            continue
        headline = node.get("headline") or node.get("name")
        if not found.title and isinstance(headline, str):
            found.title = clean_text(html.unescape(headline))
        if not found.author:
            found.author = ", ".join(_ld_names(node.get("author")))
        if found.published is None:
            for key in ("datePublished", "dateCreated"):
                value = node.get(key)
                if isinstance(value, str):
                    found.published = parse_date(value)
                    if found.published is not None:
                        break
    if not found.title:
        found.title = clean_text(html.unescape(_meta(metas, _META_TITLE)))
    for selector in (_TITLE_NODES, "title"):
        if not found.title:
            node = tree.css_first(selector)
            found.title = clean_text(node.text(deep=True)) if node is not None else ""
    if found.published is None:
        value = _meta(metas, _META_DATE)
        found.published = parse_date(value) if value else _markup_date(tree, url)
    if not found.author:
        value = _meta(metas, _META_AUTHOR)
        if not value or "://" in value or not _AUTHOR_LIKE.search(value):
            value = _byline(tree)
        found.author = clean_text(value)
    return found


def _markup_date(tree: LexborHTMLParser, url: str) -> datetime | None:
    """A publication date from the page's markup or its permalink, or None."""
    for selector, attribute in _DATE_ATTRIBUTES:
        for node in tree.css(selector):
            value = node.attributes.get(attribute) or ""
            if value and not _aside(node):
                found = parse_date(value)
                if found is not None:
                    return found
    for node in tree.css(_DATE_TEXTS):
        if not _aside(node):
            found = parse_date(clean_text(node.text(deep=True))[:200])
            if found is not None:
                return found
    canonical = tree.css_first('link[rel="canonical"]')
    for address in (url, (canonical.attributes.get("href") or "") if canonical else ""):
        match = _URL_DATE.search(address or "")
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime(year, month, day, tzinfo=UTC)
            except ValueError:
                continue
    return None


# A meta author that is an opaque id or handle ("link78") is not a name.
_AUTHOR_LIKE = re.compile(r"^[^\d]*[^\W\d_][^\d]*$")


def _within_gate(tree: LexborHTMLParser, selector: str) -> list[LexborNode]:
    """tree.css(selector) for a selector "GATE DESCENDANT" (one descendant combinator).

    Matching a descendant combinator looks up the ancestors of every element that matches
    its right-hand part, all over the page: the elements matching GATE are found first
    (a cheap query), then the selector runs only below the deepest element holding them
    all, where every match lies. lexbor matches ancestors above a query's starting node,
    so this finds the very nodes a query of the whole page finds, in the same order.
    """
    gate = selector.split(" ", 1)[0]
    gates = tree.css(gate)
    return common_ancestor(gates).css(selector) if gates else []


def _byline(tree: LexborHTMLParser) -> str:
    for selector in _AUTHOR_NODES:
        nodes = _within_gate(tree, selector) if " " in selector else tree.css(selector)
        for node in nodes:
            if _aside(node):
                continue
            text = _BYLINE_PREFIX.sub("", clean_text(node.text(deep=True)))
            if 1 < len(text) <= 100:
                return text
    return ""


# Ancestors whose class or id says they are not the article: a comment thread, a sidebar,
# related links. Paragraphs in them neither score nor make a byline. Matched on whole
# class tokens ("sidebar", "comments-list", "site-footer"). Above an <article> or <main>,
# only a comment thread counts: layout wrappers ("content-sidebar-wrap") hold the article.
_COMMENT_TOKEN = re.compile(r"^(?:.*[-_])?(?:comments?|commentlist|respond|replies)(?:[-_].*)?$")
_ASIDE_TOKEN = re.compile(
    r"^(?:.*[-_])?(?:sidebar|widget|related|footer|menu|share|sharing|slider|carousel)(?:[-_].*)?$"
)
# Layout classes that name the page's column arrangement, not a sidebar: Drupal's
# "one-sidebar", Panels' "zen-one-sidebar-second", "no-sidebars", "with-sidebar"...
_LAYOUT_TOKEN = re.compile(
    r"^(?:.*[-_])?(?:no|one|two|three|with|has|without)[-_]sidebars?(?:[-_].*)?$"
)
_CAMEL_HUMP = re.compile(r"([a-z])([A-Z])")
_ASIDE_TAGS = frozenset({"aside", "nav", "footer", "form"})
_TAXONOMY_PREFIXES = ("category-", "tag-", "post-", "format-", "status-", "type-")


def _aside(node: LexborNode, seen: dict[tuple[int, bool], bool] | None = None) -> bool:
    """Whether an ancestor of `node` makes it a comment, sidebar, menu... not the article.

    `seen` remembers the verdict reached from each ancestor already walked (with whether
    the walk was inside an <article> or <main> by then): paragraphs share their ancestors,
    so a page's walks mostly stop at the first one.
    """
    parent = node.parent
    in_article = False
    walked: list[tuple[int, bool]] = []
    verdict = False
    while parent is not None and parent.tag not in ("body", "html"):
        key = (parent.mem_id, in_article)
        if seen is not None:
            known = seen.get(key)
            if known is not None:
                verdict = known
                break
            walked.append(key)
        if _marks_aside(parent, in_article):
            verdict = True
            break
        in_article = in_article or parent.tag in ("article", "main")
        parent = parent.parent
    if seen is not None:
        for key in walked:
            seen[key] = verdict
    return verdict


def _marks_aside(parent: LexborNode, in_article: bool) -> bool:
    if parent.tag in _ASIDE_TAGS and not in_article:
        return True
    attributes = parent.attributes
    marks = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    lowered = marks.lower()
    if lowered != marks:
        # camelCase names are words too: "relatedArticle", "commentsBox", "articleSharing".
        lowered = _CAMEL_HUMP.sub(r"\1-\2", marks).lower()
    marks = lowered
    for token in marks.split():
        if token.startswith(_TAXONOMY_PREFIXES):
            continue  # WordPress's "category-sharing", "tag-comments"...
        if _COMMENT_TOKEN.match(token) or (
            not in_article and _ASIDE_TOKEN.match(token) and not _LAYOUT_TOKEN.match(token)
        ):
            return True
    return False


# html_to_text()'s line breaks, marked in the page's own tree instead of in serialised
# and re-parsed HTML: a paragraph break around each block, a line break at each <br>.
_BREAK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr"
    " section article aside header footer figure figcaption".split()
)


def _container_text(container: LexborNode, noise_nodes: str = _BODY_NOISE) -> str:
    """The container's text without its noise, which is removed from the page's tree.

    What html_to_text(container.html) gives, read without serialising and re-parsing:
    the breaks go into the tree as marker text nodes. One difference: a re-parse moves
    markers between table rows out of the table, so rows ran together; here each row
    is a line.
    """
    for noise in container.css(noise_nodes):
        noise.decompose()
    # One walk, sorting the elements by tag here: lexbor tries each of a list's selectors
    # on every element, which cost more than reading the tag of each once. Each marker
    # goes into its own place in the tree, so the order they go in does not matter.
    for node in container.css("*"):
        tag = node.tag
        if tag in _BREAK_TAGS:
            node.insert_before(_PARAGRAPH)
            node.insert_child(_PARAGRAPH)
        elif tag == "br":
            node.insert_before(_LINE)
        elif tag == "hr":
            node.insert_before(_PARAGRAPH)
    container.strip_tags(["object", "head"], recursive=True)  # the rest is noise above
    return _article_text(_collapse(_PARAGRAPH + (container.text() or "") + _PARAGRAPH))


# The paragraph-scoring reader takes a container only when it holds this share of the
# page's scored paragraphs: an article split across several blocks (a lead apart from
# the body, a paywall teaser) goes to trafilatura.
_MIN_SHARE = 0.85
_MIN_PARAGRAPH_CHARS = 25


def _densest_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose paragraphs hold nearly all of the page's prose, if there is one.

    Each paragraph of some length outside comments, sidebars and the like scores by its
    length and commas (readability's rule); its parent gets the score, its grandparent
    half of it.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    paragraphs: list[tuple[LexborNode, float]] = []
    seen: dict[tuple[int, bool], bool] = {}
    for paragraph in tree.css("p"):
        text = paragraph.text(deep=True).strip()
        if len(text) < _MIN_PARAGRAPH_CHARS or _aside(paragraph, seen):
            continue
        score = 1 + text.count(",") + min(len(text) // 100, 3)
        paragraphs.append((paragraph, score))
        parent = paragraph.parent
        for share, node in ((1.0, parent), (0.5, parent.parent if parent else None)):
            if node is not None:
                scores[node.mem_id] = scores.get(node.mem_id, 0.0) + score * share
                nodes[node.mem_id] = node
    if not scores:
        return None
    best = nodes[max(scores, key=lambda key: scores[key])]
    total = sum(score for _, score in paragraphs)
    inside = 0.0
    for paragraph, score in paragraphs:
        node: LexborNode | None = paragraph
        while node is not None and node.mem_id != best.mem_id:
            node = node.parent
        inside += score if node is not None else 0.0
    return best if inside >= _MIN_SHARE * total else None


def _quick_body(tree: LexborHTMLParser) -> tuple[str, LexborNode | None]:
    """The article text read directly, with its container; ("", None) to ask trafilatura.

    First a theme's body container when the page has exactly one, then the element
    holding nearly all the page's paragraphs. Noise (sharing bars, embedded comments...)
    is removed from the tree on the way: read the comments and metadata first.
    """
    found = _theme_containers(tree)
    for selector in _BODY_CONTAINERS:
        nodes = found[selector] if found is not None else tree.css(selector)
        # The themes' own containers are trusted (Blogger's main column is a "widget");
        # a lone <article> is not when it sits in a sidebar or a comment.
        if len(nodes) == 1 and (selector != "article" or not _aside(nodes[0])):
            text = _container_text(nodes[0])
            if len(text) >= _MIN_BODY_CHARS:
                return text, nodes[0]
            found = None  # the tree changed: the next selectors query it again
    container = _densest_container(tree)
    if container is not None:
        text = _container_text(container)
        if len(text) >= _MIN_BODY_CHARS:
            return text, container
    container = _headline_article(tree)
    if container is not None:
        # Its <header> holds the headline, byline and date (read as metadata), its
        # <footer> credits and tags.
        text = _container_text(container, f"{_BODY_NOISE}, header, footer")
        if len(text) >= _MIN_BODY_CHARS:
            return text, container
    return "", None


_THEME_QUERY = ", ".join(_BODY_CONTAINERS)
_THEME_CLASSES = frozenset(selector[1:] for selector in _BODY_CONTAINERS if selector[0] == ".")


def _theme_containers(tree: LexborHTMLParser) -> dict[str, list[LexborNode]] | None:
    """What tree.css() gives for each of _BODY_CONTAINERS, from one walk of the page.

    lexbor lists each node once per selector of the list that it matches, in page order:
    an <article> once for its tag, any node once per theme class. A node that matched one
    of the two classes without holding exactly one of them as written (lexbor ignores
    their case in quirks mode) is left to a query per selector: None.
    """
    nodes = tree.css(_THEME_QUERY)
    counts: dict[int, int] = {}
    for node in nodes:
        counts[node.mem_id] = counts.get(node.mem_id, 0) + 1
    found: dict[str, list[LexborNode]] = {selector: [] for selector in _BODY_CONTAINERS}
    seen: set[int] = set()
    for node in nodes:
        key = node.mem_id
        if key in seen:
            continue
        seen.add(key)
        classes = counts[key]
        if node.tag == "article":
            found["article"].append(node)
            classes -= 1
        if classes == len(_THEME_CLASSES):
            for name in _THEME_CLASSES:
                found["." + name].append(node)
        elif classes:
            written = _THEME_CLASSES.intersection((node.attributes.get("class") or "").split())
            if len(written) != 1:
                return None
            found["." + next(iter(written))].append(node)
    return found


def _headline_article(tree: LexborHTMLParser) -> LexborNode | None:
    """Among several <article> elements, the only one holding an <h1>: the page's own.

    News and magazine pages list teasers of other articles, each an <article> with a
    smaller heading, around the one the page is about.
    """
    found = None
    for node in tree.css("article"):
        if node.css_first("h1") is None:
            continue
        if found is not None and found.mem_id != node.mem_id:
            if _contains(found, node):
                continue  # an <article> nested in the headline one
            return None
        found = node
    return found if found is not None and not _aside(found) else None


def _contains(ancestor: LexborNode, node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


# Recipe plugins render the recipe itself in a card that article extractors drop as
# boilerplate; on a recipe blog it is the article's heart.
_RECIPE_CARDS = (
    ".wprm-recipe-container, .tasty-recipes, .mv-create-card, "
    '[itemtype="http://schema.org/Recipe"], [itemtype="https://schema.org/Recipe"]'
)


_LD_TYPE = "application/ld+json"
# What the metadata and the recipe card read, found in one walk of the page: lexbor
# matches a selector list in a single walk (a query per selector walks the page again),
# and lists each node in page order, once per selector of the list that it matches.
_PAGE_PARTS = f'meta, script[type="{_LD_TYPE}"], {_RECIPE_CARDS}'


@dataclass(slots=True)
class _PageParts:
    metas: list[dict[str, str | None]]  # the attributes of each <meta>, in page order
    scripts: list[LexborNode]  # the JSON-LD blocks
    recipe: LexborNode | None  # the first recipe card (what css_first(_RECIPE_CARDS) finds)


def _page_parts(tree: LexborHTMLParser) -> _PageParts:
    """The page's <meta> tags, JSON-LD blocks and first recipe card, from one query.

    A node listed more often than its own selector accounts for (a <meta> once, a
    JSON-LD block once) also matched a recipe-card selector; any other node is a card.
    lexbor compares a `type` value regardless of ASCII case, hence the lower().
    """
    nodes = tree.css(_PAGE_PARTS)
    counts: dict[int, int] = {}
    for node in nodes:
        counts[node.mem_id] = counts.get(node.mem_id, 0) + 1
    parts = _PageParts([], [], None)
    seen: set[int] = set()
    for node in nodes:
        key = node.mem_id
        if key in seen:
            continue
        seen.add(key)
        tag, own = node.tag, 0
        if tag == "meta":
            parts.metas.append(node.attributes)
            own = 1
        elif tag == "script" and (node.attributes.get("type") or "").lower() == _LD_TYPE:
            parts.scripts.append(node)
            own = 1
        if parts.recipe is None and counts[key] > own:
            parts.recipe = node
    return parts


def _recipe_card(card: LexborNode | None) -> str:
    if card is None:
        return ""
    return clean_text(html_to_text(card.html or ""))


def _comment_mention(
    comment: Comment, page_url: str, platform: str, fallback_date: datetime
) -> RawMention:
    if comment.is_trackback:
        kind, in_reply_to = "trackback", page_url
    elif comment.parent is not None:
        kind, in_reply_to = "reply", comment.parent.permalink
    else:
        kind, in_reply_to = "comment", page_url
    return RawMention(
        external_id=comment.permalink,
        url=comment.permalink,
        published_at=comment.published_at or fallback_date,
        text=comment.text,
        kind=kind,
        platform=platform,
        author_handle=comment.author_name,
        author_name=comment.author_name,
        author_url=comment.author_url,
        in_reply_to_url=in_reply_to,
    )


def extract_page(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> PageExtraction:
    """The article at `url` and every comment under it; CollectError when it is unusable.

    `url` is the page's address: the article's URL and id, and the base of comment
    permalinks. `fetched_at` (default: now) dates what carries no date of its own.
    """
    size = len(html)
    if size > max_bytes:
        raise CollectError(f"{url}: page too large ({size} bytes, limit {max_bytes})")
    markup, utf8 = _decode(html) if isinstance(html, bytes) else (html, None)
    if not markup or markup.isspace():  # no copy of the page, unlike strip()
        raise CollectError(f"{url}: empty page")
    when = fetched_at or datetime.now(UTC)
    warnings: list[str] = []
    tree = LexborHTMLParser(markup if utf8 is None else utf8)
    # Title, author and date from structured markup; htmldate's slower search of the
    # page (the one trafilatura runs) only when that finds no date.
    parts = _page_parts(tree)
    meta = _metadata(tree, url, parts)
    title, author, published = meta.title, meta.author, meta.published
    if published is None:
        published = _searched_date(markup)
    article_date = published or when
    platform = _host(url)
    thread = find_comments(tree, url, reference=published)
    recipe = _recipe_card(parts.recipe)
    # Most blogs put the article in one container of a well-known theme, or nearly all
    # its paragraphs in one element: read it directly, and leave other pages to
    # trafilatura. This edits the tree, so it comes after the comments.
    text, container = _quick_body(tree)
    if not text:
        text = _read_article(markup, url)
    if recipe and not (container is not None and container.css_first(_RECIPE_CARDS)):
        text = f"{text}\n\n{recipe}".strip()
    if not text and not title:
        warnings.append(f"{url}: no article text found")
    if published is None:
        warnings.append(f"{url}: the article has no date; used the time of collection")
    article = RawMention(
        external_id=url,
        url=url,
        published_at=article_date,
        text=text,
        title=title,
        kind="post",
        platform=platform,
        author_handle=author,
        author_name=author,
    )
    undated = sum(1 for comment in thread if comment.published_at is None)
    if undated:
        noun = "comment has" if undated == 1 else "comments have"
        warnings.append(f"{url}: {undated} {noun} no date; used the article's date")
    comments = [_comment_mention(c, url, platform, article_date) for c in thread]
    return PageExtraction(article, comments, warnings)


def collect_page(source: Source) -> Batch:
    """Fetch `source.url` (conditionally on the cursor) and extract its article and comments."""
    cursor: dict[str, Any] = dict(source.cursor or {})
    result = fetch(
        source.url,
        etag=cursor.get("etag"),
        last_modified=cursor.get("last_modified"),
        accept=PAGE_ACCEPT,
    )
    cursor.update(etag=result.etag, last_modified=result.last_modified)
    if result.not_modified:
        return Batch([], cursor, not_modified=True)
    # Permalinks resolve against the source's own URL, not a redirect target, so that
    # external ids stay stable when a site moves pages around.
    extraction = extract_page(result.content, source.url)
    return Batch(extraction.mentions, cursor, warnings=extraction.warnings)
