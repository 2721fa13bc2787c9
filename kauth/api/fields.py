"""Server-side field validation: the JSON fields each built-in kind has, and which fields of a body
are not among them.

kube-apiserver decodes a request body into the kind's Go struct. With `fieldValidation=Strict` an
unknown field fails the request, with `Warn` (the default) it becomes a warning, with `Ignore` it is
dropped silently; in every mode the unknown field is not stored, because the struct has no place
for it. Field names match case-sensitively (`Spec` is unknown).

Error paths are those of sigs.k8s.io/json's strict decoder: `.` between fields, `[i]` for list
items, map keys as fields (`spec.containers[0].imagee`); in document order, without repeats, at
most 100; nothing is reported below an unknown field. Strategic merge patches go through
runtime.DefaultUnstructuredConverter instead, which sorts its errors (handlers/patch.go).

The fields come from kauth/api/fields.json, generated from the Kubernetes v1.37 OpenAPI types by
tools/gen_fields.py.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"
DIRECTIVES = ("", IGNORE, WARN, STRICT)  # "" is the server's default, Warn (handlers/rest.go)
MAX_ERRORS = 100  # sigs.k8s.io/json stops collecting strict errors here

_SCALARS = frozenset({"string", "integer", "number", "boolean", "time", "any"})


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((resources.files("kauth.api") / "fields.json").read_text())


def root_type(api_version: str, kind: str) -> str | None:
    """The type name of a built-in kind's object, None for kinds without field data (custom resources)."""
    group, _, version = api_version.rpartition("/")
    return _data()["kinds"].get(f"{group}/{version}/{kind}")


def unknown_fields(api_version: str, kind: str, obj: dict) -> list[str]:
    """`unknown field "<path>"` for each field of `obj` its kind does not have, and remove those
    fields from `obj` (in place), as decoding into the Go struct does."""
    root = root_type(api_version, kind)
    if root is None:
        return []
    types = _data()["types"]
    found: list[str] = []
    seen: set[str] = set()
    # Depth first in document order, without recursion: bodies may nest thousands of levels deep.
    # An entry with type None is an unknown field, reported when the walk reaches its place.
    stack: list[tuple[Any, Any, str]] = [(obj, root, "")]
    while stack:
        value, type_, path = stack.pop()
        if type_ is None:
            message = f'unknown field "{path}"'
            if message not in seen and len(found) < MAX_ERRORS:
                seen.add(message)
                found.append(message)
            continue
        if isinstance(type_, list):
            kind_of, item = type_
            if isinstance(item, str) and item in _SCALARS:
                continue
            if kind_of == "list" and isinstance(value, list):
                stack.extend((v, item, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
            elif kind_of == "map" and isinstance(value, dict):
                stack.extend((v, item, f"{path}.{k}" if path else k) for k, v in reversed(list(value.items())))
            continue
        if type_ in _SCALARS or not isinstance(value, dict):
            continue  # a scalar, or a value of the wrong type (the decoder's type errors are not modelled)
        fields = types[type_]
        entries = []
        for key in list(value):
            child_path = f"{path}.{key}" if path else key
            if key in fields:
                entries.append((value[key], fields[key], child_path))
            else:
                entries.append((None, None, child_path))
                del value[key]
        stack.extend(reversed(entries))
    return found


def strict_decoding_error(errors: list[str]) -> str:
    """runtime.NewStrictDecodingError(errs).Error()."""
    return "strict decoding error: " + ", ".join(errors)


def with_sorted_keys(value: Any) -> Any:
    """A copy with every object's keys in sorted order, as Go's json.Marshal writes a map."""
    return json_copy(value, sort_keys=True)


def json_copy(value: Any, sort_keys: bool = False) -> Any:
    """A deep copy of a JSON value, without recursion: bodies may nest thousands of levels deep."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]  # (value, container, slot)
    while stack:
        item, container, slot = stack.pop()
        if isinstance(item, dict):
            copy: Any = {}
            for key in sorted(item) if sort_keys else item:
                copy[key] = None  # the slot, in order; filled when the stack reaches it
                stack.append((item[key], copy, key))
        elif isinstance(item, list):
            copy = [None] * len(item)
            stack.extend((v, copy, i) for i, v in enumerate(item))
        else:
            copy = item
        container[slot] = copy
    return root[0]


def go_json(value: Any) -> str:
    """json.Marshal's text for a JSON value: compact, keys sorted, <, >, & and U+2028/9 escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text
