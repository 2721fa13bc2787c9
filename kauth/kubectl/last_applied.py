"""The kubectl.kubernetes.io/last-applied-configuration annotation, serialised exactly as kubectl does."""

from __future__ import annotations

import copy

ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"


def with_last_applied(obj: dict) -> dict:
    """The object carrying its own configuration in the annotation (kubectl's GetModifiedConfiguration):
    compact JSON with sorted keys of the object without the annotation, `annotations: {}` kept, plus "\\n"."""
    from kauth.kubectl.serialize import to_compact_json

    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(ANNOTATION, None)
    meta["annotations"] = annotations
    configuration = to_compact_json(out) + "\n"
    meta["annotations"] = {**annotations, ANNOTATION: configuration}
    return out


def last_applied(obj: dict) -> str | None:
    return ((obj.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)
