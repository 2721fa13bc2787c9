"""Why client-side apply does what it does, field by field: the three inputs and the patch, for --explain.

A field of the file that live differs from is changed; one that live already has is kept; one that the
last-applied configuration had and the file no longer has is deleted; one that was never applied (set by
another writer, `kubectl scale`, a controller or a default) is left alone.
"""

from __future__ import annotations

import json
from typing import Any

from kauth.kubectl.last_applied import ANNOTATION, annotation_named

MISSING = object()
LIMIT = 40
NEW_LAST_APPLIED = "(the new last-applied configuration)"  # shown for the annotation in the patch


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of an object by path (`spec.template.spec.containers[0].image`); lists of maps by index."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, item in value.items():
            if prefix == "metadata.annotations" and key == ANNOTATION:
                continue
            out.update(leaves(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        for i, item in enumerate(value):
            out.update(leaves(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def explain(original: dict | None, modified: dict, current: dict, patch: dict) -> list[str]:
    """One line per field that matters: what apply does to it and why."""
    applied, wanted, live = leaves(original or {}), leaves(modified), leaves(current)
    lines = []
    for path in sorted(set(applied) | set(wanted)):
        if path.startswith(("metadata.creationTimestamp", "metadata.resourceVersion", "metadata.uid")):
            continue
        want, have = wanted.get(path, MISSING), live.get(path, MISSING)
        if want is not MISSING:
            if want == have:
                lines.append(f"kept      {path} = {_shown(want)}: live already has what the file says")
            elif have is MISSING:
                lines.append(f"added     {path} = {_shown(want)}: in the file, not live")
            else:
                lines.append(f"changed   {path}: {_shown(have)} → {_shown(want)}: the file says so, whoever set it")
        elif have is not MISSING:
            lines.append(f"deleted   {path} (was {_shown(have)}): applied last time, gone from the file")
    never = sorted(p for p in set(live) - set(applied) - set(wanted)
                   if not p.startswith(("metadata", "status")))
    if never:
        lines.append(f"left      {len(never)} field(s) never applied, e.g. " + ", ".join(never[:4]) +
                     ": set by another writer, kubectl scale, a controller or a default; apply leaves them alone")
    if len(lines) > LIMIT:
        lines = lines[:LIMIT] + [f"… and {len(lines) - LIMIT} more"]
    return [f"last-applied (original): {'present' if original is not None else 'absent: nothing will be deleted'}",
            f"patch: {json.dumps(annotation_named(patch, NEW_LAST_APPLIED), sort_keys=True)}", *lines]


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 50 else text[:47] + "..."
