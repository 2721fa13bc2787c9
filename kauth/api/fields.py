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


def struct_fields(type_name: str) -> dict:
    """The JSON fields of one type (name -> type), {} for a type without data (metav1.Time)."""
    return _data()["types"].get(type_name, {})


def unknown_fields(api_version: str, kind: str, obj: dict) -> list[str]:
    """`unknown field "<path>"` for each field of `obj` its kind does not have, and remove those
    fields from `obj` (in place), as decoding into the Go struct does."""
    root = root_type(api_version, kind)
    return [] if root is None else _unknown_in(obj, root, "")


def _unknown_in(obj: dict, root: str, prefix: str) -> list[str]:
    types = _data()["types"]
    found: list[str] = []
    seen: set[str] = set()
    # Depth first in document order, without recursion: bodies may nest thousands of levels deep.
    # An entry with type None is an unknown field, reported when the walk reaches its place.
    stack: list[tuple[Any, Any, str]] = [(obj, root, prefix)]
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
                stack.extend((v, item, _key_path(path, k)) for k, v in reversed(list(value.items())))
            continue
        if type_ in _SCALARS or not isinstance(value, dict):
            continue  # a scalar, or a value of the wrong type (the decoder's type errors are not modelled)
        fields = types[type_]
        entries = []
        for key in list(value):
            if key in fields:
                entries.append((value[key], fields[key], _key_path(path, key)))
            else:
                entries.append((None, None, _key_path(path, key)))
                del value[key]
        stack.extend(reversed(entries))
    return found


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# -- custom resources: pruning by the CRD's structural schema ---------------------------------------

_META_FIELDS = ("apiVersion", "kind", "metadata")


def prune_custom_resource(obj: dict, schema: Any) -> list[str]:
    """What apiextensions-apiserver's decoder finds and removes in a custom resource: unknown fields of
    its metadata (strictly decoded into ObjectMeta after re-encoding, so in sorted-key order), then
    the fields its structural schema does not declare (sorted), each as `unknown field "<path>"`.

    Pruning follows apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go: the root is an
    embedded resource (apiVersion, kind, metadata kept); `x-kubernetes-preserve-unknown-fields` keeps
    what is undeclared below it while declared properties are still pruned; `additionalProperties`
    gives every key a schema. The metadata of embedded resources is not checked here.
    """
    found: list[str] = []
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        obj["metadata"] = json_copy(meta, sort_keys=True)
        found = _unknown_in(obj["metadata"], "V1ObjectMeta", "metadata")
    root = dict(schema) if isinstance(schema, dict) else {}
    root["x-kubernetes-embedded-resource"] = True
    return found + [f'unknown field "{path}"' for path in sorted(_prune(obj, root))]


def _prune(obj: Any, root: dict) -> list[str]:
    pruned: list[str] = []
    stack: list[tuple[Any, Any, str, bool]] = [(obj, root, "", False)]  # (value, schema, path, skipping)
    while stack:
        value, schema, path, skipping = stack.pop()
        if schema is not None and not isinstance(schema, dict):
            schema = {}  # a malformed schema node (CRD validation here is not upstream's): declares nothing
        if not skipping and isinstance(schema, dict) and schema.get("x-kubernetes-preserve-unknown-fields"):
            skipping = True
        if skipping and not isinstance(schema, dict):
            continue  # skipPrune with no schema: keep everything
        if isinstance(value, dict):
            if schema is None:
                for key in list(value):
                    pruned.append(_key_path(path, key))
                    del value[key]
                continue
            properties = schema.get("properties")
            properties = properties if isinstance(properties, dict) else {}
            additional = schema.get("additionalProperties")
            additional_schema = additional if isinstance(additional, dict) else None if additional is True else False
            embedded = schema.get("x-kubernetes-embedded-resource")
            for key in list(value):
                child = value[key]
                if embedded and key in _META_FIELDS and (isinstance(child, dict) if key == "metadata"
                                                         else isinstance(child, str)):
                    continue
                if key in properties:
                    stack.append((child, properties[key], _key_path(path, key), False))
                elif additional_schema is not False:
                    stack.append((child, additional_schema, _key_path(path, key), False))
                elif not skipping:
                    if key not in _META_FIELDS or path:
                        pruned.append(_key_path(path, key))
                    del value[key]
        elif isinstance(value, list):
            items = schema.get("items") if isinstance(schema, dict) else None
            items = items if isinstance(items, dict) else None
            stack.extend((v, items, f"{path}[{i}]", skipping) for i, v in enumerate(value))
    return pruned


def strict_decoding_error(errors: list[str]) -> str:
    """runtime.NewStrictDecodingError(errs).Error()."""
    return "strict decoding error: " + ", ".join(errors)


def json_copy(value: Any, sort_keys: bool = False) -> Any:
    """A deep copy of a JSON value, without recursion: bodies may nest thousands of levels deep.
    `sort_keys` orders every object's keys as Go's json.Marshal writes a map."""
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
