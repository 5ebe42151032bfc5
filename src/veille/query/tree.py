"""A parsed query drawn as a tree, so that its reading is never a surprise."""

from __future__ import annotations

from veille.query.ast import And, FieldValue, Near, Node, Not, Or, Term


def _label(node: Node) -> str:
    if isinstance(node, Term):
        folded = " ".join(word.key + ("*" if word.prefix else "") for word in node.words)
        kind = "phrase" if len(node.words) > 1 else "word"
        where = "" if node.stream == "content" else f" in {node.stream}"
        return f"{kind}{where} {node.source!r} -> {folded}"
    if isinstance(node, FieldValue):
        return f"{node.name} = {node.value}"
    if isinstance(node, Near):
        return f"{'ONEAR' if node.ordered else 'NEAR'}/{node.distance}"
    return type(node).__name__.upper()


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, And | Or):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    if isinstance(node, Near):
        return (node.left, node.right)
    return ()


def render_tree(node: Node) -> str:
    """The tree, one node a line, with box-drawing branches."""
    lines = [_label(node)]

    def walk(parent: Node, indent: str) -> None:
        children = _children(parent)
        for position, child in enumerate(children):
            last = position == len(children) - 1
            lines.append(f"{indent}{'└── ' if last else '├── '}{_label(child)}")
            walk(child, indent + ("    " if last else "│   "))

    walk(node, "")
    return "\n".join(lines)
