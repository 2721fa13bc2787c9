"""Differences between two objects for people: one `path: old → new` line per changed field, sorted by path
(deepdiff underneath). `kauth compare` and the admission trace both show changes this way."""

from __future__ import annotations

import json
import re
from typing import Any

from deepdiff import DeepDiff


def field_changes(before: Any, after: Any) -> list[tuple[str, str]]:
    """(path, line) for each field that differs: `spec.replicas: 5 → 2`, `metadata.labels.tier: (none) → "web"`,
    `spec.paused: true → (removed)`; paths as `spec.containers[0].image`."""
    diff = DeepDiff(before, after, verbose_level=2)
    out = []
    for kind, items in diff.items():
        for path, value in items.items():
            shown = _path(path)
            if kind in ("values_changed", "type_changes"):
                out.append((shown, f"{shown}: {_short(value['old_value'])} → {_short(value['new_value'])}"))
            elif kind.endswith("_added"):
                out.append((shown, f"{shown}: (none) → {_short(value)}"))
            elif kind.endswith("_removed"):
                out.append((shown, f"{shown}: {_short(value)} → (removed)"))
    return sorted(out)


def _path(deepdiff_path: str) -> str:
    """root['spec']['containers'][0]['image'] -> spec.containers[0].image"""
    text = deepdiff_path.removeprefix("root")
    text = re.sub(r"\['([^']*)'\]", r".\1", text)
    return text.lstrip(".")


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
