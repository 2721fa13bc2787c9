"""An apply configuration checked against its kind's schema, as typeConverter.ObjectToTyped does before the merge
(patch/smd.go ApplyStructuredMergeDiff): structured-merge-diff's validatingObjectWalker (typed/validate.go).

Object initializers are not typed when the expression compiles (mutation.DynamicTypeResolver gives every
`Object.<path>` field the type dyn), so a field the kind does not have, or a value of the wrong type, is found here,
when the mutation is applied: `.spec.replicas: expected numeric (int or float), got string`.

The schema of a built-in kind is kauth's field data (kauth/api/fields.json): strings and times are string scalars,
integers and numbers numeric, booleans boolean; `any` (IntOrString, RawExtension) takes any value. A custom
resource's is its CRD's structural schema: OpenAPI types, int-or-string any scalar, preserve-unknown-fields open,
apiVersion, kind and an ObjectMeta metadata at the root and in embedded resources. Values are printed as Go prints a
structured-merge-diff value.Value (`%v`: `&{3}`, `%#v`: `&value.valueUnstructured{Value:3}`).

Not as structured-merge-diff: map keys are visited in sorted order (Go's map order is random, and so is which of
several undeclared fields in one object upstream reports: kauth reports the first in sorted order); list items are named by index (`[0]`), not
by their keys (`[name="x"]`).
"""

from __future__ import annotations

from typing import Any

from kauth.api import fields as field_data
from kauth.api.apply_types import ASSOCIATIVE, LIST, SCALAR, UNTYPED, SchemaNode, TypeNode
from kauth.api.jsonpath import go_sharp_v
from kauth.patch.errors import go_sprint, go_type_name

_STRINGS = frozenset({"string", "time"})
_NUMBERS = frozenset({"integer", "number"})
KEY_DEFAULTS = {"protocol": "TCP"}  # the one defaulted list-map key of the built-in kinds


def conversion_errors(configuration: dict, declared: str, node: TypeNode) -> list[str]:
    """The ValidationErrors of a built-in kind's configuration (`declared` its root type name), each
    `<path>: <message>`."""
    errors: list[str] = []
    _walk(configuration, declared, node, "", errors)
    return errors


def _walk(value: Any, declared: Any, node: TypeNode, path: str, errors: list[str]) -> None:
    if value is None or declared is None or declared == "any":
        return  # null is valid for any type; `any` is untyped
    if isinstance(declared, str) and (declared in _STRINGS or declared in _NUMBERS or declared == "boolean"):
        message = _scalar_error(declared, value)
        if message:
            errors.append(f"{path}: {message}")
        return
    if isinstance(declared, list):
        container, item = declared
        if container == "list":
            _walk_list(value, item, node, path, errors)
        elif not isinstance(value, dict):
            errors.append(f"{path}: expected map, got {go_v(value)}")
        else:
            for key in sorted(value):
                _walk(value[key], item, node.element, f"{path}.{key}", errors)
        return
    if not isinstance(value, dict):
        errors.append(f"{path}: expected map, got {go_v(value)}")  # a struct is a map atom
        return
    fields = field_data.struct_fields(declared)
    for key in sorted(value):
        if key not in fields:
            errors.append(f"{path}.{key}: field not declared in schema")
            return  # visitMapItems stops at the first undeclared field
        _walk(value[key], fields[key], node.field(key), f"{path}.{key}", errors)


def custom_resource_errors(configuration: dict, node: SchemaNode) -> list[str]:
    """The ValidationErrors of a custom resource's configuration against its CRD's structural schema."""
    errors: list[str] = []
    _walk_schema(configuration, node, "", errors)
    return errors


_EMBEDDED = ("apiVersion", "kind", "metadata")  # what an embedded resource (and the root) has besides its schema


def _walk_schema(value: Any, node: TypeNode, path: str, errors: list[str]) -> None:
    if value is None or not isinstance(node, SchemaNode) or node.kind == UNTYPED:
        return  # null is valid; an untyped node (preserve-unknown-fields, no schema) takes anything
    schema = node._openapi
    if node.kind == SCALAR:
        message = _schema_scalar_error(schema, value)
        if message:
            errors.append(f"{path}: {message}")
    elif node.kind == LIST:
        if not isinstance(value, list):
            errors.append(f"{path}: expected list, got {go_v(value)}")
            return
        for index, child in enumerate(value):
            problem = _key_error(child, node.keys) if node.list_type == ASSOCIATIVE else ""
            if problem:
                errors.append(f"{path}: element {index}: {problem}")
                return
            _walk_schema(child, node.element, f"{path}[{index}]", errors)
    elif not isinstance(value, dict):
        errors.append(f"{path}: expected map, got {go_v(value)}")
    else:
        _walk_schema_fields(value, node, path, errors)


def _walk_schema_fields(value: dict, node: SchemaNode, path: str, errors: list[str]) -> None:
    schema = node._openapi
    properties = schema.get("properties") or {}
    embedded = bool(node._name) or schema.get("x-kubernetes-embedded-resource")
    for key in sorted(value):
        if key == "metadata" and embedded:
            _walk(value[key], "V1ObjectMeta", node.field(key), f"{path}.{key}", errors)
        elif key in properties or isinstance(schema.get("additionalProperties"), dict):
            _walk_schema(value[key], node.field(key), f"{path}.{key}", errors)
        elif not (embedded and key in _EMBEDDED) and not schema.get("x-kubernetes-preserve-unknown-fields"):
            errors.append(f"{path}.{key}: field not declared in schema")
            return  # visitMapItems stops at the first undeclared field


def _schema_scalar_error(schema: dict, value: Any) -> str:
    """validateScalar for an OpenAPI scalar: int-or-string is untyped (any scalar)."""
    if schema.get("x-kubernetes-int-or-string") or not schema.get("type"):
        if isinstance(value, (dict, list)):
            return f"expected any scalar, got {go_v(value)}"
        return ""
    declared = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}.get(
        schema["type"], "")
    return _scalar_error(declared, value) if declared else ""


def _walk_list(value: Any, item: Any, node: TypeNode, path: str, errors: list[str]) -> None:
    if not isinstance(value, list):
        errors.append(f"{path}: expected list, got {go_v(value)}")
        return
    for index, child in enumerate(value):
        if node.list_type == ASSOCIATIVE:
            problem = _key_error(child, node.keys)
            if problem:
                errors.append(f"{path}: element {index}: {problem}")
                return  # without its key the item has no path: the rest of the list is not checked
        _walk(child, item, node.element, f"{path}[{index}]", errors)


def _key_error(item: Any, keys: tuple[str, ...]) -> str:
    """keyedAssociativeListItemToPathElement's complaint about one item of a list with keys."""
    if item is None:
        return "associative list with keys may not have a null element"
    if not isinstance(item, dict):
        return "associative list with keys may not have non-map elements"
    for key in keys:
        if key not in item and key not in KEY_DEFAULTS:
            return f'associative list with keys has an element that omits key field "{key}" (and doesn\'t have ' \
                   "default value)"
    return ""


def _scalar_error(declared: str, value: Any) -> str:
    """validateScalar."""
    if declared in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected numeric (int or float), got {go_type(value)}"
    elif declared in _STRINGS:
        if not isinstance(value, str):
            return f"expected string, got &value.valueUnstructured{{Value:{go_sharp_v(value)}}}"
    elif not isinstance(value, bool):
        return f"expected boolean, got {go_v(value)}"
    return ""


# -- Go's fmt verbs on a structured-merge-diff value (a *valueUnstructured holding the JSON value) -----------------


def go_type(value: Any) -> str:
    """%T of value.Unstructured()."""
    return "<nil>" if value is None else go_type_name(value)


def go_v(value: Any) -> str:
    """%v of the *valueUnstructured: `&{...}` around the value's %v."""
    return "&{" + go_sprint(value) + "}"
