"""The Go struct field order in which kubectl writes `-o json` of an object it holds as a typed struct.

kubectl's generators (`create deployment|service|...`, `run`, `expose`) and its `--local` / client dry-run
edits (`set env`, `set image`) print a k8s.io/api struct, and encoding/json writes a struct's fields in
declaration order, embedded `json:",inline"` structs in place: `kind`, `apiVersion`, then `metadata` as
`name`, `generateName`, `namespace`, ..., `creationTimestamp`, `labels`, `annotations`, then `spec`,
`status`. Maps (labels, data, resource lists) keep Go's sorted keys. Objects kubectl got from a server as
unstructured maps are sorted everywhere and do not come through here.

The order of each type is in struct_order_data.py (type name -> field names, from the k8s.io/api v1.32
`types.go` sources; tests/kubectl/gen_struct_order.py regenerates it and says how); which type each field
holds comes from kauth/api/fields.json.
"""

from __future__ import annotations

from kauth.api.fields import root_type, struct_fields
from kauth.kubectl.struct_order_data import FIELD_ORDER
from kauth.kubectl.serialize import InOrder

_SCALARS = frozenset({"string", "integer", "number", "boolean", "time", "any"})


def in_struct_order(obj: dict) -> dict:
    """The object with each struct-typed value an `InOrder` in its Go field order, ready for the JSON
    writer; a kind without a known struct (custom resources, Lists) comes back as it is."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    root = root_type(api_version, kind) if isinstance(api_version, str) and isinstance(kind, str) else None
    return obj if root is None else _ordered(obj, root)


def _ordered(value: object, type_: object) -> object:
    if isinstance(type_, list):
        holding, item = type_
        if holding == "list" and isinstance(value, list):
            return [_ordered(element, item) for element in value]
        if holding == "map" and isinstance(value, dict):
            return {key: _ordered(element, item) for key, element in value.items()}
        return value
    order = FIELD_ORDER.get(type_) if isinstance(type_, str) and type_ not in _SCALARS else None
    if order is None or not isinstance(value, dict):
        return value
    fields = struct_fields(type_)
    # A key the struct lacks would not survive decoding; should one be here, it goes last, sorted.
    keys = [key for key in order if key in value] + sorted(key for key in value if key not in order)
    return InOrder((key, _ordered(value[key], fields.get(key, "any"))) for key in keys)
