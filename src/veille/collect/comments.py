"""Comment threads in an article page: who said what, when, where, and answering whom.

find_comments() walks a parsed page (selectolax.lexbor) for comment items: WordPress
(`li.comment`, `article.comment`, pingbacks and trackbacks), Blogger, Drupal, SPIP,
schema.org `Comment` / `itemprop="comment"`, and generic elements whose class is
`comment` or ends in `-comment` / `comment-card`, or whose id is `comment-123`. Items
inside navigation, sidebars, widgets ("recent comments") and forms are not comments.

An item whose text, once its author line, date, reply links and nested items are set
aside, is empty is a wrapper (or a bare anchor) and is dropped; its nested items go on.
The parent of an item is the nearest earlier item whose *thread container* (the item
itself, or the list entry that holds it and its answers) encloses it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from veille.collect.dates import parse_date, parse_iso
from veille.collect.feeds import squeeze_spaces

_ITEM_CLASS = re.compile(
    r"^(?:comment|pingback|trackback|(?:.+-)?(?:single-comment|comment-card))$"
)
# The same, searched once over all of a node's tokens, one a line.
_ITEM_CLASSES = re.compile(_ITEM_CLASS.pattern, re.MULTILINE)
# Inline elements are never a whole comment (a report link may well be `id="comment-1"`).
_INLINE_TAGS = frozenset(
    {"a", "span", "i", "b", "em", "strong", "small", "time", "abbr", "cite", "label", "p"}
)
# A list that follows a comment and holds its answers (`</li> <ul class="children">`).
_REPLIES_LIST = re.compile(r"children|child|repl|respons|reponses|antwort")
_ITEM_ID = re.compile(r"^comment-?\d+$")
_TRACKBACK_CLASSES = frozenset({"pingback", "trackback", "comment-type-pingback"})
# What an ancestor's class or id says about the region an item sits in. Walking up from an
# item, the first signal decides: a "recent comments" widget or the reply form is never the
# thread; a comment list is; a sidebar, widget or page header/footer is not, unless a comment
# list came first (some themes put the whole thread in an <aside> or a "widget").
_NEVER_THREAD = re.compile(r"recent|respond|comment-?form|popular|most-commented|related")
_THREAD = re.compile(
    r"^(?:.*[-_])?(?:comments|commentlist|comment[-_]?(?:list|area|thread|threads|wrapper|wrap"
    r"|container|section|items|holder|block|box|ul))$|^comments?[-_]"
)
_NOT_THREAD = re.compile(r"sidebar|widget|menu|navigation|banner|masthead|colophon")
_NEVER_THREAD_TAGS = frozenset({"nav", "form", "template"})
_NOT_THREAD_TAGS = frozenset({"header", "footer", "aside"})
_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "form",
        "textarea",
        "button",
        "select",
        "input",
        "iframe",
        "object",
        "svg",
        "img",
        "picture",
        "video",
        "audio",
        "canvas",
        "head",
    }
)
# Classes of the parts of an item that are about the comment, not what it says.
_META_TOKEN = re.compile(
    r"author|avatar|meta|date|time|reply|repondre|respond|permalink|says|vcard|byline"
    r"|action|vote|like|share|report|signal|flag|edit|footer|header|count|rating|badge"
    r"|moderat|awaiting|user|profile|pseudo|name|info|tools|links?$|nav",
)
# The same, searched once over all of a node's tokens, one a line: "$" ends each token.
_META_TOKENS = re.compile(_META_TOKEN.pattern, re.MULTILINE)
_BODY_SELECTOR = (
    ".comment-content, .comment-text, .comment_text, .commentText, .comment-texte,"
    " .comment-body-text, .comment-message-text, [itemprop=text], [itemprop=commentText],"
    " .epoch-comment-content, .comment-story"
)
_AUTHOR_SELECTOR = (
    "[itemprop=author] [itemprop=name], .comment-author .fn, .comment-author-name, .fn,"
    " [itemprop=author], .author-name, .username, .pseudo, .reviewer"
)
_AUTHOR_TOKEN = re.compile(r"author|user|pseudo|nick|reviewer|name")
_META_PART = re.compile(r"meta|header|byline|info")
_AUTHOR_NOISE = re.compile(
    r"^(?:par|by|von|de)\s+|\s*(?:says|said|dit|a dit|écrit|a écrit|schreibt|sagt)\s*:?\s*$"
    r"|^\s*\d+\.\s*|:$",
    re.IGNORECASE,
)
# Machine-readable dates first (they carry the offset), then dates written for people.
_DATE_ATTRIBUTE_SELECTOR = (
    "time[datetime], [itemprop=dateCreated], [itemprop=datePublished], [itemprop=commentTime],"
    " abbr[title]"
)
_DATE_TEXT_SELECTOR = (
    "time, .comment-metadata, .comment-meta, .commentmetadata, .comment-date, .comment_time,"
    " .comment-time, .date, .published, [class*=meta], [class*=date]"
)
_FRAGMENT = re.compile(r"#((?:comment|c|forum|reply)[-_]?\d+)$")
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "section",
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "figure",
        "figcaption",
        "hr",
    }
)
# Besides the plain space, what clean_text() makes a space (runs of them become one).
_SPACE_CHARS = "\t\r\f\v\u00a0\u2009\u202f"


@dataclass(slots=True)
class Comment:
    """One comment (or trackback) as the page shows it."""

    text: str
    permalink: str
    anchor_id: str
    author_name: str = ""
    author_url: str = ""
    published_at: datetime | None = None
    parent: Comment | None = None
    is_trackback: bool = False

    @property
    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth


def clean_text(text: str) -> str:
    """Collapse spaces (NBSP included) and blank lines, keeping paragraph breaks."""
    # One substitution over the whole text: the class holds no newline, so the lines
    # come out as a substitution per line would leave them.
    lines = squeeze_spaces(text, _SPACE_CHARS).split("\n")
    text = "\n".join([line.strip() for line in lines])
    # Runs of three or more newlines become two. A regex (\n{3,}) stops at every newline
    # in Python's matcher; `in` and replace() run at memchr speed, and each pass shortens
    # every run of three or more until all are down to two (most texts need no pass).
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _tokens(node: LexborNode) -> list[str]:
    attrs = node.attributes
    return (attrs.get("class") or "").lower().split() + (attrs.get("id") or "").lower().split()


def _is_item(node: LexborNode) -> bool:
    attrs = node.attributes
    if attrs.get("itemprop") == "comment" or "schema.org/Comment" in (attrs.get("itemtype") or ""):
        return True
    classes = attrs.get("class")
    if classes and _item_classes(classes):
        return True
    return bool(_ITEM_ID.match((attrs.get("id") or "").lower()))


# A thread's items and their parts repeat a few class attributes: each is read once.
@lru_cache(maxsize=4096)
def _item_classes(classes: str) -> bool:
    # One search over the class tokens, one a line, rather than a match per token.
    return _ITEM_CLASSES.search("\n".join(classes.lower().split())) is not None


def _excluded(node: LexborNode, seen: dict[int, bool] | None = None) -> bool:
    """Whether an item sits in navigation, a sidebar, a widget or a form (see _THREAD).

    `seen` keeps the verdict reached from each ancestor already walked: the items of a
    thread share their ancestors, so later walks stop at the first one.
    """
    parent = node.parent
    walked: list[int] = []
    verdict = False
    while parent is not None and parent.tag not in ("body", "html"):
        if seen is not None:
            known = seen.get(parent.mem_id)
            if known is not None:
                verdict = known
                break
            walked.append(parent.mem_id)
        decided = _thread_verdict(parent)
        if decided is not None:
            verdict = decided
            break
        parent = parent.parent
    if seen is not None:
        for key in walked:
            seen[key] = verdict
    return verdict


def _thread_verdict(parent: LexborNode) -> bool | None:
    """True: what is inside is no thread; False: it is one; None: ask the next ancestor."""
    if parent.tag in _NEVER_THREAD_TAGS:
        return True
    tokens = _tokens(parent)
    if any(_NEVER_THREAD.search(token) for token in tokens):
        return True
    if any(_THREAD.match(token) for token in tokens):
        return False
    if parent.tag in _NOT_THREAD_TAGS or any(_NOT_THREAD.search(t) for t in tokens):
        return True
    return None


def _is_meta(node: LexborNode) -> bool:
    attrs = node.attributes
    # No match spans two tokens (the pattern holds no newline), so the class tokens and
    # the id tokens can be searched apart, each attribute value once per process.
    classes, ident = attrs.get("class"), attrs.get("id")
    return bool((classes and _meta_marks(classes)) or (ident and _meta_marks(ident)))


@lru_cache(maxsize=4096)
def _meta_marks(marks: str) -> bool:
    return _META_TOKENS.search("\n".join(marks.lower().split())) is not None


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _walk_text(node: LexborNode, items: set[int], out: list[str], *, skip_meta: bool) -> None:
    for child in _children(node):
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
            continue
        if tag is None or tag.startswith("!") or tag == "-comment" or tag in _SKIPPED_TAGS:
            continue
        if tag == "br":
            out.append("\n")
            continue
        if child.mem_id in items or (skip_meta and _is_meta(child)):
            continue
        block = tag in _BLOCK_TAGS
        if block:
            out.append("\n")
        _walk_text(child, items, out, skip_meta=skip_meta)
        if block:
            out.append("\n")


def _text(node: LexborNode, items: set[int], *, skip_meta: bool) -> str:
    out: list[str] = []
    _walk_text(node, items, out, skip_meta=skip_meta)
    return clean_text("".join(out))


def _inside(node: LexborNode, item: LexborNode, items: set[int]) -> bool:
    """Whether `node` belongs to `item` itself rather than to an item nested in it."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == item.mem_id:
            return True
        if parent.mem_id in items:
            return False
        parent = parent.parent
    return False


# Below this many items, a query per item costs less than one over the thread's region.
_SHARED_QUERY_ITEMS = 4


class _OwnNodes:
    """What `item.css(selector)` finds that belongs to the item itself (see _inside()).

    Each query parses its selector again (most of what a small one costs), and a top-level
    item's query walks every answer nested in it again: a thread of many items is queried
    once per selector, over the deepest element holding all of them, and each match goes
    to the nearest item above it. lexbor lists a node's matches in page order (once per
    selector of the list it matches), whatever node the query starts from, so each item
    gets what its own query would give, in the same order;
    tests/collect/test_comment_quick_paths.py checks it on every fixture page.
    """

    def __init__(self, nodes: list[LexborNode]) -> None:
        self.items = {node.mem_id for node in nodes}
        self.scope = common_ancestor(nodes) if len(nodes) >= _SHARED_QUERY_ITEMS else None
        self._found: dict[str, dict[int, list[LexborNode]]] = {}
        # The nearest item at or above an element (0: none), for each element met.
        self._owners: dict[int, int] = {}

    def __call__(self, item: LexborNode, selector: str) -> list[LexborNode]:
        if self.scope is None:
            return [node for node in item.css(selector) if _inside(node, item, self.items)]
        found = self._found.get(selector)
        if found is None:
            found = {}
            for node in self.scope.css(selector):
                owner = self._owner(node)
                if owner:
                    found.setdefault(owner, []).append(node)
            self._found[selector] = found
        return found.get(item.mem_id, [])

    def _owner(self, node: LexborNode) -> int:
        """The nearest item strictly above `node` (what _inside() looks for), or 0."""
        owners, items = self._owners, self.items
        walked: list[int] = []
        owner = 0
        parent = node.parent
        while parent is not None:
            key = parent.mem_id
            if key in items:
                owner = key
                break
            known = owners.get(key)
            if known is not None:
                owner = known
                break
            walked.append(key)
            parent = parent.parent
        for key in walked:
            owners[key] = owner
        return owner


def common_ancestor(nodes: list[LexborNode]) -> LexborNode:
    """The deepest element holding every node (the node itself when there is one)."""
    chain: list[LexborNode] = []
    node: LexborNode | None = nodes[0]
    while node is not None:
        chain.append(node)
        node = node.parent
    depth = {ancestor.mem_id: index for index, ancestor in enumerate(chain)}
    lowest = 0
    for node in nodes[1:]:
        current: LexborNode | None = node
        while current is not None and current.mem_id not in depth:
            current = current.parent
        if current is not None:
            lowest = max(lowest, depth[current.mem_id])
    return chain[lowest]


def _first_own(item: LexborNode, selector: str, own: _OwnNodes) -> LexborNode | None:
    found = own(item, selector)
    return found[0] if found else None


def _body_text(item: LexborNode, own: _OwnNodes) -> str:
    items = own.items
    body = _first_own(item, _BODY_SELECTOR, own)
    if body is not None:
        text = _text(body, items, skip_meta=True) or _text(body, items, skip_meta=False)
        if text:
            return text
    return _text(item, items, skip_meta=True)


def _meta_sources(item: LexborNode) -> list[LexborNode]:
    """Where an item's author and date may be: itself, or the <dt> before a <dd> item."""
    sources = [item]
    if item.tag == "dd":
        previous = item.prev
        while previous is not None and previous.tag in ("-text", "-comment"):
            previous = previous.prev
        if previous is not None and previous.tag == "dt":
            sources.append(previous)
    return sources


def _own_nodes(source: LexborNode, items: set[int]) -> Iterator[LexborNode]:
    """The nodes below `source` (elements and comments, in page order) that belong to it,
    not to an item nested in it: a nested item is met, its content is not walked."""
    child = source.child
    while child is not None:
        if child.tag != "-text":
            yield child
            if child.mem_id not in items:
                yield from _own_nodes(child, items)
        child = child.next


def _author_nodes(source: LexborNode, own: _OwnNodes) -> Iterator[LexborNode]:
    """Where the author's name may be, most specific first."""
    items = own.items
    source_id = source.mem_id
    if source_id in items:
        yield from own(source, _AUTHOR_SELECTOR)
    else:  # the <dt> before a <dd> item
        for node in source.css(_AUTHOR_SELECTOR):
            if node.mem_id != source_id and _inside(node, source, items):
                yield node
    # Most items name their author in the elements above: the walk below is rarely needed.
    own = list(_own_nodes(source, items))
    for node in reversed(own):  # the innermost "…author…" element holds only the name
        tokens = _tokens(node)
        if any(_AUTHOR_TOKEN.search(t) and "avatar" not in t for t in tokens):
            yield node
    for node in own:
        if node.tag == "cite":
            yield node
    for node in own:  # "<div class=metas><b>Par Bruno,</b> le 15 mai…": the first bold part
        if any(_META_PART.search(t) for t in _tokens(node)):
            for part in node.css("b, strong, h3, h4, h5, a"):
                if parse_date(part.text()) is None:
                    yield part
                    break


def _author(sources: list[LexborNode], own: _OwnNodes, base: str) -> tuple[str, str]:
    for source in sources:
        for node in _author_nodes(source, own):
            name = clean_text(node.text(separator=" ")).split("\n", 1)[0].split("·", 1)[0]
            name = _AUTHOR_NOISE.sub("", name).strip(" ,:-—·")
            if name and len(name) <= 120:
                break
        else:
            continue
        link = node if node.tag == "a" else node.css_first("a[href]")
        if link is not None and name not in clean_text(link.text(separator=" ")):
            link = None  # a permalink beside the name, not the author's site
        href = (link.attributes.get("href") or "") if link is not None else ""
        url = urljoin(base, href) if href and not href.startswith(("#", "javascript:")) else ""
        return name, url if urlsplit(url).scheme in ("http", "https") else ""
    return "", ""


def _published(
    sources: list[LexborNode], own: _OwnNodes, reference: datetime | None
) -> datetime | None:
    for source in sources:
        # An item's own nodes; the <dt> before a <dd> item is not one, and gives all of its.
        query = partial(own, source) if source.mem_id in own.items else source.css
        for node in query(_DATE_ATTRIBUTE_SELECTOR):
            attrs = node.attributes
            for key in ("datetime", "content", "title"):
                value = attrs.get(key)
                parsed = parse_iso(value) if value else None
                if parsed is not None:
                    return parsed
        for node in query(_DATE_TEXT_SELECTOR):
            parsed = parse_date(clean_text(node.text(separator=" ")), reference=reference)
            if parsed is not None:
                return parsed
    return None


def _anchor(item: LexborNode, own: _OwnNodes) -> str:
    """The fragment that names the comment: its permalink's, or the item's own id."""
    for link in own(item, "a[href*='#']"):
        match = _FRAGMENT.search(link.attributes.get("href") or "")
        if match:
            return match.group(1)
    candidates = [item]
    parent = item.parent
    if parent is not None and parent.tag == "li":
        candidates.append(parent)  # SPIP, Disqus fallbacks: the id is on the list entry
    for node in candidates:
        ident = node.attributes.get("id") or ""
        if ident:
            return ident
    return ""


def _container(item: LexborNode, items: set[int]) -> LexborNode:
    """The element that holds an item and its answers."""
    parent = item.parent
    if parent is None or parent.tag not in ("li", "div", "article", "section"):
        return item
    siblings = [c for c in _children(parent) if c.mem_id in items and c.mem_id != item.mem_id]
    return item if siblings else parent


# A coarse pre-selection done by lexbor in C; _is_item() then decides on the few left.
# A selector list comes back grouped by selector; one :is() selector, matched in a single
# walk of the tree, comes back in page order, each node once.
_MAYBE_ITEM = (
    ":is([class*=omment], [class*=ingback], [class*=rackback], [id*=omment],"
    " [itemprop=comment], [itemtype*=Comment])"
)


def _candidates(tree: LexborHTMLParser) -> list[LexborNode]:
    body = tree.body
    if body is None:
        return []
    seen: dict[int, bool] = {}
    return [
        node
        for node in body.css(_MAYBE_ITEM)
        if node.tag not in _NEVER_ITEM_TAGS and _is_item(node) and not _excluded(node, seen)
    ]


_NEVER_ITEM_TAGS = _SKIPPED_TAGS | _INLINE_TAGS


def _previous_element(node: LexborNode) -> LexborNode | None:
    previous = node.prev
    while previous is not None and not previous.is_element_node:
        previous = previous.prev
    return previous


def _stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


# An anchor urljoin() copies into the fragment as it is: no whitespace or control
# character for urlsplit() to strip, no "#" to split on.
_PLAIN_ANCHOR = re.compile(r"[\w.:-]+")


def _permalinks(page_url: str) -> Callable[[str], str]:
    """urljoin(page_url, "#" + anchor), the page's part of it worked out once."""
    stem = urljoin(page_url, "#x")[:-1]
    if not stem.endswith("#"):
        return lambda anchor: urljoin(page_url, "#" + anchor)
    return lambda anchor: (
        stem + anchor if _PLAIN_ANCHOR.fullmatch(anchor) else urljoin(page_url, "#" + anchor)
    )


def find_comments(
    tree: LexborHTMLParser, page_url: str, *, reference: datetime | None = None
) -> list[Comment]:
    """Every comment of the page, in page order, with its parent when it answers one.

    `reference` (the article's date) gives the year to dates written without one.
    """
    nodes = _candidates(tree)
    if not nodes:
        return []
    permalink = _permalinks(page_url)
    own = _OwnNodes(nodes)
    found: list[tuple[LexborNode, Comment]] = []
    for node in nodes:
        text = _body_text(node, own)
        if not text or text.isdigit():  # a comment counter, not a comment
            continue
        sources = _meta_sources(node)
        name, author_url = _author(sources, own, page_url)
        published = _published(sources, own, reference)
        anchor = _anchor(node, own)
        if not anchor:
            anchor = "comment-" + _stable_id(name, published.isoformat() if published else "", text)
        tokens = set((node.attributes.get("class") or "").lower().split())
        found.append(
            (
                node,
                Comment(
                    text=text,
                    permalink=permalink(anchor),
                    anchor_id=anchor,
                    author_name=name,
                    author_url=author_url,
                    published_at=published,
                    is_trackback=bool(tokens & _TRACKBACK_CLASSES),
                ),
            )
        )
    kept = {node.mem_id for node, _ in found}
    containers = {_container(node, kept).mem_id: comment for node, comment in found}
    # Whether each ancestor met is a list of replies: top-level comments walk up to the
    # root, through the same ancestors.
    reply_lists: dict[int, bool] = {}
    for node, comment in found:
        ancestor = node.parent
        while ancestor is not None:
            parent = containers.get(ancestor.mem_id)
            is_list = reply_lists.get(ancestor.mem_id)
            if parent is None and is_list is None:
                is_list = any(_REPLIES_LIST.search(t) for t in _tokens(ancestor))
                reply_lists[ancestor.mem_id] = is_list
            if parent is None and is_list:
                previous = _previous_element(ancestor)
                if previous is not None:
                    parent = containers.get(previous.mem_id)
            if parent is not None and parent is not comment:
                comment.parent = parent
                break
            ancestor = ancestor.parent
    return [comment for _, comment in found]
