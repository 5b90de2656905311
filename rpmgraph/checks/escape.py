"""Text from metadata made safe for the format it goes into: terminal, Markdown, XML."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def term(text: str) -> str:
    """One terminal line: control characters (escape sequences included) shown as \\xNN."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def md(text: str) -> str:
    """Markdown text that renders literally, also inside a table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", term(text))


def md_code(text: str) -> str:
    """An inline code span; pipes escaped so that it can stand in a table cell."""
    body = term(text).replace("|", "\\|")
    fence = "``" if "`" in body else "`"
    return f"{fence} {body} {fence}" if fence == "``" else f"`{body}`"


def xml_text(text: str) -> str:
    """Text XML can hold; ElementTree escapes <, & and quotes but not control characters."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
