"""The parsed form of a query: a tree of terms, field filters and operators.

`start` is the 0-based index in the query text where a node begins, for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Fields searched word by word, like the text; the stream is the tokens they search.
TEXT_FIELDS = {"title": "title", "author": "author", "url": "url"}
# Fields compared as a whole value.
VALUE_FIELDS = ("site", "lang", "platform", "kind")
FIELDS = (*TEXT_FIELDS, *VALUE_FIELDS)
CONTENT = "content"  # title and text: where a term without field is searched


@dataclass(frozen=True, slots=True)
class Word:
    """A folded word of a term; a prefix word ends with * in the query (`market*`)."""

    key: str
    prefix: bool = False

    def matches(self, key: str) -> bool:
        return key.startswith(self.key) if self.prefix else key == self.key


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase (consecutive words) searched in one stream of tokens."""

    words: tuple[Word, ...]
    source: str  # as the user wrote it, without quotes: shown as the matched term
    stream: str = CONTENT
    start: int = field(default=0, compare=False)

    @property
    def label(self) -> str:
        return self.source if self.stream == CONTENT else f"{self.stream}:{self.source}"


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A whole-value filter: site (a domain and its subdomains), lang, platform, kind."""

    name: str
    value: str
    start: int = field(default=0, compare=False)

    @property
    def label(self) -> str:
        return f"{self.name}:{self.value}"


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]
    start: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]
    start: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    start: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides within `distance` words; in this order when `ordered` (ONEAR)."""

    left: Node
    right: Node
    distance: int
    ordered: bool = False
    start: int = field(default=0, compare=False)


Node = Term | FieldValue | And | Or | Not | Near


def leaves(node: Node) -> list[Term | FieldValue]:
    """The terms and filters of a tree, in the order of the query."""
    if isinstance(node, Term | FieldValue):
        return [node]
    if isinstance(node, Not):
        return leaves(node.child)
    if isinstance(node, Near):
        return leaves(node.left) + leaves(node.right)
    return [leaf for child in node.children for leaf in leaves(child)]
