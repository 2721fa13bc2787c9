"""The kubectl.kubernetes.io/last-applied-configuration annotation, serialised exactly as kubectl does."""

from __future__ import annotations

import copy
from typing import Any

ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"


def with_last_applied(obj: dict, annotate: bool = True) -> dict:
    """The object carrying its own configuration in the annotation (kubectl's GetModifiedConfiguration):
    compact JSON with sorted keys of the object without the annotation, `annotations: {}` kept, plus a newline.
    annotate=False (kubectl diff) leaves the annotation out: the object as the file has it, `annotations: {}`."""
    from kauth.kubectl.serialize import to_compact_json

    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(ANNOTATION, None)
    meta["annotations"] = annotations
    if annotate:
        meta["annotations"] = {**annotations, ANNOTATION: to_compact_json(out) + "\n"}
    return out


def last_applied(obj: dict) -> str | None:
    return ((obj.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)


def annotation_named(patch: Any, placeholder: str) -> Any:
    """A patch for display: the last-applied annotation it sets is shown as `placeholder`, not printed
    (it repeats the whole file). Anything else, a JSON patch's list included, is returned as is."""
    annotations = ((patch.get("metadata") or {}).get("annotations")) if isinstance(patch, dict) else None
    if not isinstance(annotations, dict) or ANNOTATION not in annotations:
        return patch
    return {**patch, "metadata": {**patch["metadata"], "annotations": {**annotations, ANNOTATION: placeholder}}}
