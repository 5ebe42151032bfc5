"""The intent set built from real French comments, read from ../shared at evaluation time.

The labels live in data/intent-real.jsonl; the comments do not. Each line points at a
comment in the third-party data (../shared, never copied into the repository):

- seeds: {"source": "seeds/<file>", "start": s, "end": e} is the comment's text between
  those character offsets of the article file;
- pages: {"source": "fixtures/pages/<file>", "comment": anchor} is the comment of the
  saved page that veille's own comment finder (veille.collect.comments) gives that anchor;

and "sha" is the first 12 hex digits of the SHA-256 of the comment's text (NFC, runs of
white space made single spaces), checked on reading: a changed or moved text is an error
that names the line, never a silent mislabel. docs/accuracy.md says how it was labelled.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LABELS_FILE = Path(__file__).parent / "data" / "intent-real.jsonl"


class RealSetError(RuntimeError):
    """The labelled real comments cannot be read: ../shared missing or changed."""


@dataclass(frozen=True, slots=True)
class RealComment:
    source: str
    text: str
    intents: tuple[str, ...]
    split: str


def shared_dir() -> Path:
    configured = os.environ.get("VEILLE_SHARED_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "shared"


def text_key(text: str) -> str:
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()[:12]


def load_real_comments(shared: Path | None = None, split: str | None = None) -> list[RealComment]:
    """The labelled comments with their text; `split` "dev" or "test" for one part."""
    shared = shared or shared_dir()
    if not shared.is_dir():
        raise RealSetError(
            f"{shared} not found: the real-comment intent set reads its texts from the "
            "shared third-party data (../shared next to the repository, or $VEILLE_SHARED_DIR)"
        )
    pages: dict[str, dict[str, str]] = {}
    found = []
    with LABELS_FILE.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            where = f"{LABELS_FILE.name} line {number}"
            path = shared / item["source"]
            if not path.is_file():
                raise RealSetError(f"{where}: {path} not found")
            if "comment" in item:
                if item["source"] not in pages:
                    pages[item["source"]] = _page_comments(path)
                text = pages[item["source"]].get(item["comment"])
                if text is None:
                    raise RealSetError(f"{where}: no comment {item['comment']!r} in {path}")
            else:
                text = path.read_text(encoding="utf-8")[item["start"] : item["end"]]
            if text_key(text) != item["sha"]:
                raise RealSetError(f"{where}: the text at {item['source']} changed (hash differs)")
            if split is None or item["split"] == split:
                found.append(
                    RealComment(item["source"], text, tuple(item["intents"]), item["split"])
                )
    return found


def _page_comments(path: Path) -> dict[str, str]:
    from selectolax.lexbor import LexborHTMLParser

    from veille.collect.comments import find_comments

    tree = LexborHTMLParser(path.read_bytes())
    return {c.anchor_id: c.text for c in find_comments(tree, "https://example.org/")}
