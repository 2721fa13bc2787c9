"""Differences between two objects for people: one `path: old → new` line per changed field, sorted by path.
`kauth compare` and the admission trace both show changes this way.

A plain walk: maps by key, lists by index (an item added or removed at the end is one line), leaves by value
(1 and 1.0 differ, as JSON types). It runs on every admission mutation, so it is kept cheap.
"""

from __future__ import annotations

import json
from collections import abc
from typing import Any

_ABSENT = object()
MAX_CHANGES_SHOWN = 40


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


class ChangeLines(abc.Sequence):
    """The lines of field_changes(before, after) (at most MAX_CHANGES_SHOWN, then a count), worked out only when
    someone reads them: most requests' traces are never explained. `after` is copied now, since the registry
    finishes objects in place (uid, timestamps); `before` must not change afterwards. Paths under `ignore` are
    left out (`metadata.managedFields`)."""

    def __init__(self, before: dict | None, after: dict | None, ignore: tuple[str, ...] = ()):
        from kauth.api.fields import json_copy

        self._objects: tuple | None = (before, json_copy(after))
        self._ignore = ignore
        self._lines: list[str] = []
        self._paths: list[str] = []

    def _made(self) -> list[str]:
        if self._objects is not None:
            before, after = self._objects
            changes = [(path, line) for path, line in field_changes(before or {}, after or {})
                       if not any(path == i or path.startswith((i + ".", i + "[")) for i in self._ignore)]
            lines = [line for _, line in changes]
            if len(lines) > MAX_CHANGES_SHOWN:
                lines = lines[:MAX_CHANGES_SHOWN] + [f"... and {len(lines) - MAX_CHANGES_SHOWN} more"]
            self._lines, self._paths, self._objects = lines, [path for path, _ in changes], None
        return self._lines

    @property
    def paths(self) -> list[str]:
        """Every changed field's path (`spec.containers[0].image`), none left out."""
        self._made()
        return self._paths

    def __getitem__(self, index):
        return self._made()[index]

    def __len__(self) -> int:
        return len(self._made())
