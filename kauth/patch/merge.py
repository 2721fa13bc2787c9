"""JSON merge patch (RFC 7386), as gopkg.in/evanphx/json-patch.v4 (v4.12) and
k8s.io/apimachinery/pkg/util/jsonmergepatch do it inside kube-apiserver and kubectl.

- `apply_merge_patch`: MergePatch, an `application/merge-patch+json` PATCH body.
- `create_merge_patch`: CreateMergePatch.
- `create_three_way_merge_patch`: CreateThreeWayJSONMergePatch, what client-side `kubectl apply`
  sends for kinds kubectl does not know (custom resources): lists are replaced whole, keys
  removed from the last-applied configuration become null.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable

from kauth.patch import errors
from kauth.patch.errors import PatchError
from kauth.patch.strategic import KUBECTL_PRECONDITIONS, Precondition

__all__ = ["apply_merge_patch", "create_merge_patch", "create_three_way_merge_patch"]


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """Apply `patch` to `target` (MergePatch); inputs are not mutated.

    Upstream quirks kept: nulls inside a value that replaces a non-object are pruned, but an
    array (or scalar) replacing an object is taken as is, nulls inside its objects included;
    null items of arrays are kept. A patch that is not an object is an error ("Invalid JSON
    Patch"), except an array, which becomes the whole result (the API server then fails to
    decode it into the object).
    """
    if patch is None or isinstance(patch, (str, int, float, bool)):
        raise PatchError("Invalid JSON Patch")
    patch = copy.deepcopy(patch)
    if isinstance(patch, list):
        return _prune_array_nulls(patch)
    if target is None:
        raise PatchError("Invalid JSON Document")
    if not isinstance(target, dict):
        return _prune_doc_nulls(patch)
    doc = copy.deepcopy(target)
    _merge_docs(doc, patch)
    return doc


def _merge_docs(doc: dict, patch: dict) -> None:
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
        elif doc.get(key) is None:
            doc[key] = _prune_nulls(value)
        else:
            doc[key] = _merge(doc[key], value)


def _merge(current: Any, patch: Any) -> Any:
    if not isinstance(current, dict):
        return _prune_nulls(patch)
    if not isinstance(patch, dict):
        return patch
    _merge_docs(current, patch)
    return current


def _prune_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return _prune_doc_nulls(value)
    if isinstance(value, list):
        return _prune_array_nulls(value)
    return value


def _prune_doc_nulls(doc: dict) -> dict:
    for key in [k for k, v in doc.items() if v is None]:
        del doc[key]
    for value in doc.values():
        _prune_nulls(value)
    return doc


def _prune_array_nulls(items: list) -> list:
    for value in items:
        if value is not None:
            _prune_nulls(value)
    return items


# -- creating merge patches ----------------------------------------------------------------------

def _json_type(value: Any) -> str:
    """The Go type encoding/json decodes a value into (every number is a float64)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    return type(value).__name__


def _matches_value(a: Any, b: Any) -> bool:
    if _json_type(a) != _json_type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in a and _matches_value(a[k], b[k]) for k in b)
    if isinstance(a, list):
        return _matches_array(a, b)
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def _matches_array(a: list, b: list) -> bool:
    return len(a) == len(b) and all(_matches_value(x, y) for x, y in zip(a, b))


def _get_diff(a: dict, b: dict) -> dict:
    into: dict = {}
    for key, bv in b.items():
        if key not in a:
            into[key] = bv
            continue
        av = a[key]
        if _json_type(av) != _json_type(bv):
            into[key] = bv
        elif isinstance(av, dict):
            sub = _get_diff(av, bv)
            if sub:
                into[key] = sub
        elif isinstance(av, list):
            if not _matches_array(av, bv):
                into[key] = bv
        elif av is not None and not _matches_value(av, bv):
            into[key] = bv
    for key in a:
        if key not in b:
            into[key] = None
    return into


def create_merge_patch(original: dict, modified: dict) -> dict:
    """The merge patch that turns `original` into `modified` (CreateMergePatch)."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        raise PatchError("Invalid JSON Document")
    return copy.deepcopy(_get_diff(original, modified))


def create_three_way_merge_patch(original: dict | None, modified: dict | None, current: dict | None,
                                 preconditions: Iterable[Precondition] = KUBECTL_PRECONDITIONS) -> dict:
    """The JSON merge patch client-side `kubectl apply` sends for an unregistered kind.

    Changes and additions from current to modified, plus deletions (nulls) from original (the
    last-applied configuration) to modified. kubectl passes the apiVersion/kind/name
    preconditions; a failing one raises PreconditionFailedError with the text kubectl v1.32
    prints (`precondition failed for: map[apiVersion:example.com/v1]`: upstream returns a plain
    error here, so kubectl's "At least one of apiVersion, kind and name was changed" never shows).
    """
    original, modified, current = original or {}, modified or {}, current or {}
    add_and_change = _keep_or_delete_null(_get_diff(current, modified), keep_null=False)
    deletions = _keep_or_delete_null(_get_diff(original, modified), keep_null=True)
    if _has_conflicts(add_and_change, deletions):
        raise errors.conflict(add_and_change, deletions)
    patch = copy.deepcopy(deletions)
    _merge_docs(patch, copy.deepcopy(add_and_change))
    for precondition in preconditions:
        if not precondition(patch):
            raise errors.precondition_failed(patch)
    return patch


def _keep_or_delete_null(patch: dict, keep_null: bool) -> dict:
    """Keep only the nulls (deletions) or only the rest (additions and changes)."""
    out: dict = {}
    for key, value in patch.items():
        if value is None:
            if keep_null:
                out[key] = None
        elif isinstance(value, dict):
            if not value:
                # An explicitly empty map is a value, not an empty patch.
                if not keep_null:
                    out[key] = value
                continue
            sub = _keep_or_delete_null(value, keep_null)
            if sub:
                out[key] = sub
        elif not keep_null:
            out[key] = value
    return out


def _normalized(value: Any) -> Any:
    # The patches round-trip through JSON and k8s.io/apimachinery/pkg/util/json: whole numbers
    # come back as int64, the rest as float64.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 63:
        return int(value)
    return value


def _has_conflicts(left: Any, right: Any) -> bool:
    """mergepatch.HasConflicts (JSON merge patch semantics)."""
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        return any(_has_conflicts(v, right[k]) for k, v in left.items() if k in right)
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return True
        return any(_has_conflicts(a, b) for a, b in zip(left, right))
    if left is None or isinstance(left, (str, int, float, bool)):
        a, b = _normalized(left), _normalized(right)
        return type(a) is not type(b) or a != b
    raise PatchError(f"unknown type: {type(left).__name__}")
