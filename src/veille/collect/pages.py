"""The page connector: a blog article and its comment thread as mentions.

extract_page() is the pure part (no network): trafilatura reads the article (title, author,
date, main text, favouring precision), comments.find_comments() reads the thread with
selectolax. The article becomes a "post"; each comment a "comment" answering the article or
a "reply" answering its parent comment's permalink; pingbacks and trackbacks a "trackback".
collect_page() fetches a source's URL conditionally and extracts it.

Everything comes out as plain text: the HTML is parsed, never kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.comments import Comment, clean_text, find_comments
from veille.collect.dates import parse_date
from veille.collect.feeds import html_to_text
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
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", "replace")
    declared = _CHARSET.search(content[:4096])
    encodings = ["utf-8"]
    if declared:
        encodings.insert(0, declared.group(1).decode("ascii").lower())
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", "replace")


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _article_text(text: str) -> str:
    lines = [line for line in clean_text(text).split("\n") if not _CROSS_LINK.match(line)]
    return clean_text("\n".join(lines))


def _read_article(markup: str, url: str) -> tuple[str, str, str, datetime | None]:
    """(title, author, text, date) of the main article."""
    document = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
        # No second opinion from trafilatura's readability/jusText fallbacks: a third of
        # the extraction time, and the page tests pass on the main extractor alone.
        fast=True,
    )
    if document is None:
        return "", "", "", None
    title = clean_text(document.title or "")
    author = clean_text(document.author or "")
    text = _article_text(document.text or "")
    published = parse_date(document.date) if document.date else None
    return title, author, text, published


# Recipe plugins render the recipe itself in a card that article extractors drop as
# boilerplate; on a recipe blog it is the article's heart.
_RECIPE_CARDS = (
    ".wprm-recipe-container, .tasty-recipes, .mv-create-card, "
    '[itemtype="http://schema.org/Recipe"], [itemtype="https://schema.org/Recipe"]'
)


def _recipe_card(tree: LexborHTMLParser) -> str:
    card = tree.css_first(_RECIPE_CARDS)
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
    markup = decode_html(html) if isinstance(html, bytes) else html
    if not markup.strip():
        raise CollectError(f"{url}: empty page")
    when = fetched_at or datetime.now(UTC)
    warnings: list[str] = []
    title, author, text, published = _read_article(markup, url)
    if not text and not title:
        warnings.append(f"{url}: no article text found")
    if published is None:
        warnings.append(f"{url}: the article has no date; used the time of collection")
    article_date = published or when
    platform = _host(url)
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
    tree = LexborHTMLParser(markup)
    if recipe := _recipe_card(tree):
        text = f"{text}\n\n{recipe}".strip()
        article.text = text
    thread = find_comments(tree, url, reference=published)
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
