"""Differences between two objects for people: one `path: old → new` line per changed field, sorted by path.
`kauth compare` and the admission trace both show changes this way.

A plain walk: maps by key, lists by index (an item added or removed at the end is one line), leaves by value
(1 and 1.0 differ, as JSON types). It runs on every admission mutation, so it is kept cheap.
"""

from __future__ import annotations

import json
from typing import Any

_ABSENT = object()


def field_changes(before: Any, after: Any) -> list[tuple[str, str]]:
    """(path, line) for each field that differs: `spec.replicas: 5 → 2`, `metadata.labels.tier: (none) → "web"`,
    `spec.paused: true → (removed)`; paths as `spec.containers[0].image`."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, Any, Any]] = [("", before, after)]
    while stack:  # iterative: objects may nest deeply
        path, old, new = stack.pop()
        if isinstance(old, dict) and isinstance(new, dict):
            for key in set(old) | set(new):
                stack.append((f"{path}.{key}" if path else str(key), old.get(key, _ABSENT), new.get(key, _ABSENT)))
        elif isinstance(old, list) and isinstance(new, list):
            for i in range(max(len(old), len(new))):
                stack.append((f"{path}[{i}]", old[i] if i < len(old) else _ABSENT, new[i] if i < len(new) else _ABSENT))
        elif old is _ABSENT:
            out.append((path, f"{path}: (none) → {_short(new)}"))
        elif new is _ABSENT:
            out.append((path, f"{path}: {_short(old)} → (removed)"))
        elif type(old) is not type(new) or old != new:
            out.append((path, f"{path}: {_short(old)} → {_short(new)}"))
    return sorted(out)


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
