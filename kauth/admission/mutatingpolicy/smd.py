"""An ApplyConfiguration merged into an object with server-side-apply semantics: patch.ApplyStructuredMergeDiff
(k8s.io/apiserver/pkg/admission/plugin/policy/mutating/patch/smd.go) on structured-merge-diff's typed Merge.

The types are kauth's server-side-apply types (kauth/api/apply_types.py): structs and granular maps merge field by
field, associative lists (`+listType=map`) merge item by item on their keys, sets (`+listType=set`) are unions, and
scalars are replaced. Atomic lists, maps and structs are refused, as upstream's validatePatch does ("may not mutate
atomic arrays, maps or structs"), so they are never merged. No field ownership is recorded (upstream neither).

Not as structured-merge-diff: a key field without a value counts as its OpenAPI default only for `protocol` ("TCP",
the one defaulted key of the built-in kinds); paths of unknown fields inside lists are written with indexes
(`[0]`) rather than keys (`[name="x"]`); a null in the configuration removes the field.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from kauth.admission.mutatingpolicy import typed
from kauth.api import fields as field_data
from kauth.api.apply_types import ASSOCIATIVE, LIST, MAP, SET, STRUCT, UNTYPED, SchemaNode, TypeNode


class ApplyError(Exception):
    """The configuration cannot be applied: the text upstream puts after "error applying patch: "."""


_KEY_DEFAULTS = typed.KEY_DEFAULTS


def apply_configuration(live: dict, configuration: dict, type_: TypeNode, api_version: str, kind: str) -> dict:
    """ApplyStructuredMergeDiff: `live` with `configuration` merged in (neither is modified)."""
    configuration = {**configuration, "apiVersion": api_version, "kind": kind}  # SetGroupVersionKind
    errors = _conversion_errors(configuration, type_, api_version, kind)
    if errors:
        raise ApplyError(f"failed to convert patch object to typed object: {_validation_errors(errors)}")
    atomics = _find_atomics("", type_, configuration)
    if atomics:
        raise ApplyError("invalid ApplyConfiguration: may not mutate atomic arrays, maps or structs: "
                         + ", ".join(atomics))
    return _merge(copy.deepcopy(live), configuration, type_)


def _validation_errors(errors: list[str]) -> str:
    # structured-merge-diff ValidationErrors.Error()
    return errors[0] if len(errors) == 1 else "\n".join(["errors:"] + ["  " + e for e in errors])


def _conversion_errors(configuration: dict, type_: TypeNode, api_version: str, kind: str) -> list[str]:
    """typeConverter.ObjectToTyped: fields the kind does not declare, values of the wrong type, list items
    without their keys (typed.py), by the kind's field data or a custom resource's structural schema."""
    root = field_data.root_type(api_version, kind)
    if root is not None:
        return typed.conversion_errors(configuration, root, type_)
    if isinstance(type_, SchemaNode):
        return typed.custom_resource_errors(configuration, type_)
    return []  # a custom resource without a schema is untyped


def _find_atomics(path: str, node: TypeNode, value: Any) -> list[str]:
    """smd.go findAtomics: the paths of atomic maps, structs and lists the configuration sets."""
    found: list[str] = []
    if isinstance(value, dict) and node.kind in (STRUCT, MAP, UNTYPED):
        if node.atomic:
            found.append(path)
        if node.kind == STRUCT:  # only a struct's declared fields are walked (Map.FindField)
            for key, child in value.items():
                if _declares(node, key):
                    found += _find_atomics(f"{path}.{key}", node.field(key), child)
    elif isinstance(value, list) and node.kind in (LIST, UNTYPED):
        if node.kind == UNTYPED or node.atomic:  # a deduced (untyped) list is atomic
            found.append(path)
        element = node.element if node.kind == LIST else node
        for index, item in enumerate(value):
            found += _find_atomics(f"{path}[{index}]", element, item)
    return found


def _declares(node: TypeNode, key: str) -> bool:
    """Whether a struct's type declares the field (apply_types keeps what it was built from privately)."""
    if isinstance(node, SchemaNode):  # a custom resource: its openAPIV3Schema's properties, and metadata
        return key in (node._openapi.get("properties") or {}) or (bool(node._name) and key == "metadata")
    name = getattr(node, "_type", None)
    return isinstance(name, str) and key in field_data.struct_fields(name)


def _merge(live: Any, configuration: Any, node: TypeNode) -> Any:
    """typed.Merge of one value: the configuration's opinion wins, granular containers merge."""
    if isinstance(configuration, dict) and isinstance(live, dict) and not node.atomic and node.kind in (
            STRUCT, MAP, UNTYPED):
        for key, value in configuration.items():
            if value is None:
                live.pop(key, None)
            else:
                live[key] = _merge(live.get(key), value, node.field(key))
        return live
    if (isinstance(configuration, list) and isinstance(live, list) and node.kind == LIST
            and node.list_type in (SET, ASSOCIATIVE)):
        return _merge_list(live, configuration, node)
    return copy.deepcopy(configuration)


def _merge_list(lhs: list, rhs: list, node: TypeNode) -> list:
    """mergingWalker.visitListItems: items in both are merged in place, the configuration's order kept for them,
    new items placed after the live items that precede them."""
    def element(item: Any) -> str:
        if node.list_type == ASSOCIATIVE and isinstance(item, dict):
            return json.dumps([item.get(k, _KEY_DEFAULTS.get(k)) for k in node.keys])
        return json.dumps(item, sort_keys=True)

    lhs_pes, rhs_pes = [element(x) for x in lhs], [element(x) for x in rhs]
    observed_lhs: dict[str, Any] = {}
    for pe, item in zip(lhs_pes, lhs):
        observed_lhs.setdefault(pe, item)
    observed_rhs = dict(zip(rhs_pes, rhs))
    shared = [pe for pe in rhs_pes if pe in observed_lhs]
    next_shared = shared.pop(0) if shared else None
    merged_rhs: set[str] = set()
    out: list = []
    item_type = node.element
    li = ri = 0
    while li < len(lhs_pes) or ri < len(rhs_pes):
        if li < len(lhs_pes) and ri < len(rhs_pes):
            pe = lhs_pes[li]
            if pe == rhs_pes[ri]:
                merged_rhs.add(pe)
                out.append(_merge(copy.deepcopy(observed_lhs[pe]), observed_rhs[pe], item_type))
                li += 1
                ri += 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in observed_rhs and next_shared is not None and next_shared != pe:
                li += 1  # shared with the configuration, but placed later
                continue
        if li < len(lhs_pes):
            pe = lhs_pes[li]
            if pe not in observed_rhs:
                out.append(copy.deepcopy(lhs[li]))
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
                continue
        if ri < len(rhs_pes):
            pe = rhs_pes[ri]
            merged_rhs.add(pe)
            live_item = observed_lhs.get(pe)
            out.append(_merge(copy.deepcopy(live_item), observed_rhs[pe], item_type) if live_item is not None
                       else copy.deepcopy(observed_rhs[pe]))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out
