"""JSON written for code review: each small record on a line of its own, so that adding
one package to a closure is a one-line change in a diff. Keys keep the order the
caller gives (callers sort mappings; records list their fields in a fixed order, the
id first), so equal input gives byte-identical text."""

from __future__ import annotations

import json
from typing import Any


def review_json(value: Any) -> str:
    return _dump(value, 0) + "\n"


def _dump(value: Any, level: int) -> str:
    if _is_leafy(value):
        return json.dumps(value, ensure_ascii=False)
    inner = "  " * (level + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, level + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    items = [f"{inner}{_dump(v, level + 1)}" for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"


def _is_leafy(value: Any) -> bool:
    """Scalars, empty containers, and records whose values are all scalars stay on one line."""
    if isinstance(value, dict | list):
        return not value or (isinstance(value, dict) and all(
            not isinstance(v, dict | list) for v in value.values()))
    return True
