"""What a mention must contain for a query to have a chance: the keys of the watch index.

required_clauses() gives clauses, each a set of keys: any mention the query matches
contains at least one key of every clause. Keys are the normalise module's token keys,
namespaced by field ("author:jean", "site:example.org", "lang:fr"); a key ending with "*"
is a prefix. A title term uses the plain key, since the title is part of the content.

The watch index files a query under its rarest clause and checks the others with set
look-ups before evaluating it. No clause means the query may match a mention without any
positive term (`NOT x`): the parser refuses such a query.
"""

from __future__ import annotations

from veille.query.ast import CONTENT, And, FieldValue, Near, Node, Not, Or, Term, Word

PREFIX_MARK = "*"
_COMMON = frozenset(
    "a au aux avec ce ces d dans de des du elle en est et il j je l la le les leur m mais "
    "me n ne nous on ou par pas pour qu que qui s sa se ses son sur t ta te tu un une vous "
    "an and are as at be by for from in is it of on or that the this to was with".split()
)


def _namespace(stream: str) -> str:
    return "" if stream in (CONTENT, "title") else f"{stream}:"


def _word_cost(word: Word) -> float:
    """Roughly how many mentions carry the word: short and common words are everywhere."""
    base = 50.0 if word.key in _COMMON else 1.0 + 8.0 / max(len(word.key), 1)
    return base * (1.5 if word.prefix else 1.0)


def _key(namespace: str, word: Word) -> str:
    return namespace + word.key + (PREFIX_MARK if word.prefix else "")


def clause_cost(keys: frozenset[str]) -> float:
    return sum(
        _word_cost(Word(key.rstrip(PREFIX_MARK).split(":")[-1], key.endswith(PREFIX_MARK)))
        for key in keys
    )


def rarest(clauses: list[frozenset[str]]) -> frozenset[str]:
    return min(clauses, key=clause_cost)


def required_clauses(node: Node) -> list[frozenset[str]]:
    """Sets of keys a matching mention has one of each; empty when nothing is required."""
    if isinstance(node, Term):
        namespace = _namespace(node.stream)
        return list(dict.fromkeys(frozenset({_key(namespace, word)}) for word in node.words))
    if isinstance(node, FieldValue):
        return [frozenset({f"{node.name}:{node.value}"})]
    if isinstance(node, Not):
        return []
    if isinstance(node, Or):
        union: set[str] = set()
        for child in node.children:
            clauses = required_clauses(child)
            if not clauses:
                return []
            union |= rarest(clauses)
        return [frozenset(union)]
    children = node.children if isinstance(node, And) else (node.left, node.right)
    assert isinstance(node, And | Near)
    return list(dict.fromkeys(clause for child in children for clause in required_clauses(child)))


def excluded_words(node: Node) -> frozenset[str]:
    """Content words whose presence alone rules the query out: an empty set when none.

    Those of the query's top-level `NOT word` and `NOT (word OR word…)` (whole words
    searched in the content, not prefixes or phrases): a mention that holds one of them
    cannot match, whatever else it holds.
    """
    if not isinstance(node, And):
        return frozenset()
    found: set[str] = set()
    for child in node.children:
        if not isinstance(child, Not):
            continue
        inner = child.child
        words = inner.children if isinstance(inner, Or) else (inner,)
        if all(
            isinstance(word, Term)
            and word.stream == CONTENT
            and len(word.words) == 1
            and not word.words[0].prefix
            for word in words
        ):
            found.update(word.words[0].key for word in words if isinstance(word, Term))
    return frozenset(found)
