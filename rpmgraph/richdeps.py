"""The top level of rpm rich (boolean) dependencies, as libsolv prints them.

libsolv's Python bindings can parse ``(a if b)`` but do not expose its parts,
and deciding whether a conditional dependency applies needs them.
"""

from __future__ import annotations

import re

OPERATORS = ("and", "or", "if", "unless", "else", "with", "without")


def nesting_depth(text: str) -> int:
    """How deep the parentheses of ``text`` nest (a loop, not a parser: any depth)."""
    if text.count("(") <= 1:
        return text.count("(")
    depth = deepest = 0
    for char in re.findall(r"[()]", text):
        depth += 1 if char == "(" else -1
        deepest = max(deepest, depth)
    return deepest


def too_deep(capability: str) -> bool:
    """A rich dependency nested deeper than rpmgraph reads (``RPMGRAPH_MAX_RICH_DEPTH``):
    libsolv's parser recurses in C once a level (50,000 levels crash it), and so does
    the resolver's reading of conditions."""
    from rpmgraph.limits import max_rich_depth

    limit = max_rich_depth()
    return capability.startswith("(") and capability.count("(") > limit \
        and nesting_depth(capability) > limit


def split_rich(capability: str) -> tuple[list[str], list[str]] | None:
    """Split ``(A op B [op C])`` into operands and operators; None for a plain capability."""
    text = capability.strip()
    if not (text.startswith("(") and text.endswith(")")):
        return None
    words = _top_level_words(text[1:-1])
    operands: list[str] = []
    operators: list[str] = []
    current: list[str] = []
    for word in words:
        if word in OPERATORS:
            operands.append(" ".join(current))
            operators.append(word)
            current = []
        else:
            current.append(word)
    operands.append(" ".join(current))
    if not operators or any(not o for o in operands):
        return None
    return operands, operators


def _top_level_words(text: str) -> list[str]:
    """Split on spaces outside parentheses, so nested rich dependencies stay whole."""
    words: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == " " and depth == 0:
            if current:
                words.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        current += char
    if current:
        words.append(current)
    return words
