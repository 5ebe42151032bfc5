"""The intent rules' look-aheads (a speed device) never hide a match."""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser as parser

import pytest

from veille.enrich import intent

_LOOKAHEAD = re.compile(r"^(\\b)?\(\?=\[([^\]]+)\]\)")


def _firsts(items: list) -> set[str]:
    """Every character a match of the parsed pattern can start with."""
    for op, av in items:
        if op is c.AT or (op is c.ASSERT_NOT and av[0] < 0):
            continue  # \b, ^, a negative look-behind: zero-width, no letter of its own
        if op is c.LITERAL:
            return {chr(av)}
        if op is c.IN:
            found: set[str] = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    found.add(chr(value))
                elif kind is c.RANGE:
                    found |= {chr(x) for x in range(value[0], value[1] + 1)}
                else:
                    raise AssertionError(f"cannot list the first letters of {kind}")
            return found
        if op is c.SUBPATTERN:
            return _firsts(list(av[-1]))
        if op is c.BRANCH:
            return set().union(*(_firsts(list(branch)) for branch in av[1]))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] > 0:
            return _firsts(list(av[2]))
        raise AssertionError(f"cannot list the first letters of {op}")
    raise AssertionError("an empty pattern")


@pytest.mark.parametrize(
    "name",
    [
        "_ASKING",
        "_COMPLAINT",
        "_COMPLAINT_STRONG",
        "_PRAISE",
        "_PRAISE_STRONG",
        "_PURCHASE",
        "_SPAM",
    ],
)
def test_the_look_ahead_allows_every_first_letter(name: str):
    pattern = getattr(intent, name).pattern
    head = _LOOKAHEAD.match(pattern)
    assert head, f"{name} has no look-ahead"
    allowed = set(head.group(2))
    rest = (head.group(1) or "") + pattern[head.end() :]
    needed = _firsts(list(parser.parse(rest)))
    assert needed <= allowed, f"{name} misses {sorted(needed - allowed)}"
    assert allowed <= needed, f"{name} allows needless {sorted(allowed - needed)}"
