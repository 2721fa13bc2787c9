"""Field paths and field sets as server-side apply names them, and their FieldsV1 form.

A path is a tuple of path elements, each already in its FieldsV1 spelling (sigs.k8s.io/structured-merge-diff
fieldpath/serialize-pe.go): `f:<name>` a field of a struct or a key of a map, `k:{"name":"x"}` the item of an
associative list (x-kubernetes-list-type: map) with those key fields, `v:<json>` the item of a set list,
`i:<n>` an item by index. A field set is a frozenset of paths; `.` in FieldsV1 marks a path that is itself in
the set while paths below it are too (fieldpath/serialize.go).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

Path = tuple[str, ...]
FieldSet = frozenset  # of Path

FIELD, KEY, VALUE, INDEX = "f:", "k:", "v:", "i:"
_KINDS = (FIELD, KEY, VALUE, INDEX)


class FieldsError(ValueError):
    """A FieldsV1 value that does not decode to a field set."""


def key(fields: Mapping[str, Any]) -> str:
    """`k:{...}`: the key fields sorted by name, their values as compact JSON (PathElement.Key)."""
    return KEY + _json(dict(sorted(fields.items())))


def value(item: Any) -> str:
    return VALUE + _json(item)


def _json(item: Any) -> str:
    text = json.dumps(item, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)  # encoding/json's HTML-safe escaping
    return text


_RANK = {kind: rank for rank, kind in enumerate(_KINDS)}


def _order(element: str) -> tuple[int, str]:
    """PathElement.Compare: field names, then keys, then values, then indexes."""
    return (_RANK.get(element[:2], len(_KINDS)), element)


def to_fields_v1(paths: Iterable[Path]) -> dict:
    """The FieldsV1 object of a field set, ordered as the API server writes it."""
    tree: dict = {}
    members: set[Path] = set()
    for path in paths:
        members.add(path)
        node = tree
        for element in path:
            node = node.setdefault(element, {})
    return _ordered(tree, (), members)


def _ordered(tree: dict, prefix: Path, members: set[Path]) -> dict:
    out: dict = {}
    if tree and prefix and prefix in members:
        out["."] = {}
    for element in sorted(tree, key=_order):
        out[element] = _ordered(tree[element], prefix + (element,), members)
    return out


def from_fields_v1(fields: Any) -> FieldSet:
    """The field set of a FieldsV1 object; FieldsError for anything else (FieldsToSet)."""
    if not isinstance(fields, dict):
        raise FieldsError("expected an object")
    paths: set[Path] = set()
    stack: list[tuple[dict, Path]] = [(fields, ())]
    while stack:
        node, prefix = stack.pop()
        for element, child in node.items():
            if element == ".":
                if prefix:
                    paths.add(prefix)
                continue
            if element[:2] not in _KINDS:
                raise FieldsError(f"unknown path element type: {element!r}")
            if element[:2] in (KEY, VALUE):
                try:
                    json.loads(element[2:])
                except ValueError:
                    raise FieldsError(f"invalid JSON in path element {element!r}") from None
            if not isinstance(child, dict):
                raise FieldsError(f"expected an object below {element!r}")
            path = prefix + (element,)
            if child:
                stack.append((child, path))
            else:
                paths.add(path)
    return frozenset(paths)


def check_fields_v1(fields: Any) -> None:
    """FieldsError unless `fields` has the shape of FieldsV1: objects all the way down, each key `.` or a
    path element. The JSON inside `k:` and `v:` elements is checked when the set is decoded."""
    if not isinstance(fields, dict):
        raise FieldsError("expected an object")
    stack = [fields]
    while stack:
        for element, child in stack.pop().items():
            if not isinstance(child, dict):
                raise FieldsError(f"expected an object below {element!r}")
            if element != "." and element[:2] not in _KINDS:
                raise FieldsError(f"unknown path element type: {element!r}")
            if child:
                stack.append(child)


def contains(fields_v1: dict, path: Path) -> bool:
    """Whether the set a FieldsV1 object encodes holds `path`, read without decoding the set."""
    node = fields_v1
    for element in path:
        node = node.get(element) if isinstance(node, dict) else None
        if node is None:
            return False
    return bool(path) and isinstance(node, dict) and (not node or "." in node)


def without_prefixes(paths: FieldSet, prefixes: Iterable[Path]) -> FieldSet:
    """The paths that are none of `prefixes` and lie below none of them (an ignore filter on reset fields)."""
    by_length: dict[int, set[Path]] = {}
    for prefix in prefixes:
        by_length.setdefault(len(prefix), set()).add(tuple(prefix))
    if not by_length:
        return paths
    if len(by_length) == 1 and 1 in by_length:  # the usual case: top-level fields (status, spec)
        firsts = {q[0] for q in by_length[1]}
        return frozenset(p for p in paths if not p or p[0] not in firsts)
    return frozenset(p for p in paths if not any(p[:n] in found for n, found in by_length.items()))


__all__ = ["Path", "FieldSet", "FieldsError", "FIELD", "key", "value", "to_fields_v1", "from_fields_v1",
           "check_fields_v1", "contains", "without_prefixes"]
