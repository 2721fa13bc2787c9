"""The server-side-apply type of each built-in kind: what structured-merge-diff needs to walk an object.

Every node is a struct (named OpenAPI type: its fields are known), a granular map (each key a field of its
own), a list (atomic, a set of scalars, or an associative list keyed by some of its items' fields) or a leaf.
Built from the two sources kauth already has: the fields and value types of kauth/api/fields.json, and
the `+listType` / `+listMapKey` markers recorded in kauth/api/merge_meta.py (a list not declared there is
atomic, as an unmarked list in the OpenAPI is). The remaining markers, which only server-side apply reads,
are kept below: `+structType=atomic` on a type and `+mapType=atomic` on a field (staging/src/k8s.io/api
*/v1/types.go, apimachinery meta/v1/types.go).

`zero_object` is the Go zero value of a kind as the API server's type converter sees it: a create is
compared against it (handlers/create.go passes scope.Creater.New(kind) as the live object), so a field
that a non-pointer struct always carries (spec, template, strategy) is never "added" itself.
"""

from __future__ import annotations

from typing import Any

from kauth.api import fields as field_data
from kauth.api import merge_meta
from kauth.api.schema import FieldMeta, Schema

SCALAR, STRUCT, MAP, LIST, UNTYPED = "scalar", "struct", "map", "list", "untyped"
ATOMIC, SET, ASSOCIATIVE = "atomic", "set", "map"

# `+structType=atomic` (owned and replaced as one value).
ATOMIC_STRUCTS = frozenset({
    "V1LabelSelector",                                                  # meta/v1
    "V1ObjectReference", "V1LocalObjectReference", "V1TypedLocalObjectReference", "V1TypedObjectReference",
    "V1ConfigMapKeySelector", "V1SecretKeySelector", "V1ObjectFieldSelector", "V1ResourceFieldSelector",
    "V1FileKeySelector", "V1NodeSelector", "V1NodeSelectorTerm", "V1TopologySelectorTerm",  # core/v1
    "V1RoleRef",                                                        # rbac/v1
})

# `+mapType=atomic` on a map field.
ATOMIC_MAPS = frozenset({
    ("V1PodSpec", "nodeSelector"),
    ("V1ServiceSpec", "selector"),
    ("V1ReplicationControllerSpec", "selector"),
})

# Fields the Go zero value of a type carries (json.Marshal writes non-pointer structs and fields without
# omitempty): "struct" for a non-pointer struct, else the JSON of the zero value. Top-level `spec` and
# `status` are non-pointer structs in every built-in kind and are added for all.
ZERO_FIELDS: dict[str, dict[str, Any]] = {
    "V1ObjectMeta": {"creationTimestamp": None},                        # metav1.Time marshals as null
    "V1PodTemplateSpec": {"metadata": "struct", "spec": "struct"},
    "V1PodSpec": {"containers": None},
    "V1PodTemplate": {"template": "struct"},
    "V1DeploymentSpec": {"template": "struct", "strategy": "struct"},
    "V1ReplicaSetSpec": {"template": "struct"},
    "V1DaemonSetSpec": {"template": "struct", "updateStrategy": "struct"},
    "V1StatefulSetSpec": {"template": "struct", "updateStrategy": "struct"},
    "V1JobSpec": {"template": "struct"},
    "V1CronJobSpec": {"jobTemplate": "struct", "schedule": ""},
    "V1JobTemplateSpec": {"metadata": "struct", "spec": "struct"},
    "V1ServiceStatus": {"loadBalancer": "struct"},
    "V1IngressStatus": {"loadBalancer": "struct"},
    "V1NetworkPolicySpec": {"podSelector": "struct"},
    "V1PersistentVolumeClaimSpec": {"resources": "struct"},
    "V1RoleBinding": {"roleRef": "struct"},
    "V1ClusterRoleBinding": {"roleRef": "struct"},
    "V1RoleRef": {"apiGroup": "", "kind": "", "name": ""},
    "V1Role": {"rules": None},
    "V1ClusterRole": {"rules": None},
    "V2HorizontalPodAutoscalerSpec": {"scaleTargetRef": "struct", "maxReplicas": 0},
    "V2CrossVersionObjectReference": {"kind": "", "name": ""},
}

_SCALAR_NAMES = frozenset({"string", "integer", "number", "boolean", "time"})


class TypeNode:
    """One node of an object's type. `kind` is SCALAR, STRUCT, MAP, LIST or UNTYPED (free-form JSON,
    walked as structured-merge-diff's deduced type: maps granular, lists atomic)."""

    __slots__ = ("kind", "atomic", "list_type", "keys", "_type", "_schema", "_element", "_fields", "_name")

    def __init__(self, kind: str, *, atomic: bool = False, list_type: str = ATOMIC, keys: tuple[str, ...] = (),
                 type_: Any = None, schema: Schema | None = None, name: str = "") -> None:
        self.kind = kind
        self.atomic = atomic
        self.list_type = list_type
        self.keys = keys
        self._type = type_
        self._schema = schema
        self._element: TypeNode | None = None
        self._fields: dict[str, TypeNode] = {}
        self._name = name

    def field(self, name: str) -> "TypeNode":
        """The type of a struct's field (or a map's value); untyped for a field the type does not have."""
        if self.kind == MAP:
            return self.element
        if self.kind != STRUCT:
            return UNTYPED_NODE
        found = self._fields.get(name)
        if found is None:
            declared = field_data._data()["types"].get(self._type, {}).get(name)
            meta = self._schema.field(name) if self._schema is not None else None
            found = UNTYPED_NODE if declared is None else _node(declared, meta, (self._type, name) in ATOMIC_MAPS)
            self._fields[name] = found
        return found

    @property
    def element(self) -> "TypeNode":
        """The type of a list's items or a map's values."""
        if self._element is None:
            self._element = UNTYPED_NODE if self.kind == UNTYPED else _node(self._type, None, False, self._schema)
        return self._element

    def zero(self) -> Any:
        """The Go zero value of this struct type as JSON (see ZERO_FIELDS)."""
        if self.kind != STRUCT:
            return None
        out: dict[str, Any] = {}
        wanted = dict(ZERO_FIELDS.get(self._type, {}))
        if self._name:  # a kind's root
            out["metadata"] = self.field("metadata").zero()
            for part in ("spec", "status"):
                if self.field(part).kind == STRUCT:
                    wanted.setdefault(part, "struct")
        for name, zero in wanted.items():
            out[name] = self.field(name).zero() if zero == "struct" else zero
        return out


UNTYPED_NODE = TypeNode(UNTYPED)
SCALAR_NODE = TypeNode(SCALAR)

_CACHE: dict[tuple, TypeNode] = {}


def _node(declared: Any, meta: FieldMeta | None, atomic_map: bool, item_schema: Schema | None = None) -> TypeNode:
    """The node of a declared fields.json type; `meta` is the field's merge metadata, if any."""
    schema = meta.schema if meta is not None else item_schema
    cache_key = (repr(declared), id(meta), atomic_map, id(schema))
    found = _CACHE.get(cache_key)
    if found is not None:
        return found
    if isinstance(declared, list):
        container, item = declared
        if container == "list":
            list_type = (meta.list_type if meta is not None and meta.list_type else ATOMIC)
            keys = meta.list_map_keys if meta is not None else ()
            node = TypeNode(LIST, atomic=list_type == ATOMIC, list_type=list_type, keys=keys, type_=item,
                            schema=schema)
        else:
            node = TypeNode(MAP, atomic=atomic_map, type_=item, schema=schema)
    elif declared in _SCALAR_NAMES:
        node = SCALAR_NODE
    elif declared == "any":
        node = UNTYPED_NODE
    else:
        node = TypeNode(STRUCT, atomic=declared in ATOMIC_STRUCTS, type_=declared, schema=schema)
    _CACHE[cache_key] = node
    return node


def object_type(api_version: str, kind: str, schema: Schema | None) -> TypeNode:
    """The type of a whole object of a built-in kind; untyped for kinds without field data (custom resources)."""
    root = field_data.root_type(api_version, kind)
    if root is None:
        return UNTYPED_NODE
    cache_key = ("root", root, id(schema))
    found = _CACHE.get(cache_key)
    if found is None:
        found = _CACHE[cache_key] = TypeNode(STRUCT, type_=root, schema=schema, name=kind)
    return found


class SchemaNode(TypeNode):
    """A node of a custom resource's type, read from its CRD's structural schema (openAPIV3Schema): objects
    are granular unless `x-kubernetes-map-type: atomic`, arrays atomic unless `x-kubernetes-list-type` says
    set or map (with `x-kubernetes-list-map-keys`), fields the schema does not declare are untyped."""

    __slots__ = ("_openapi",)

    def __init__(self, openapi: Any, root: bool = False) -> None:
        openapi = openapi if isinstance(openapi, dict) else {}
        kind_of = openapi.get("type")
        if kind_of == "array":
            list_type = openapi.get("x-kubernetes-list-type") or ATOMIC
            keys = tuple(openapi.get("x-kubernetes-list-map-keys") or ()) if list_type == ASSOCIATIVE else ()
            super().__init__(LIST, atomic=list_type == ATOMIC, list_type=list_type, keys=keys)
        elif kind_of == "object" or openapi.get("properties") or openapi.get("additionalProperties"):
            super().__init__(STRUCT, atomic=openapi.get("x-kubernetes-map-type") == ATOMIC, name="root" if root else "")
        elif openapi.get("x-kubernetes-preserve-unknown-fields") or not openapi:
            super().__init__(UNTYPED)
        else:
            super().__init__(SCALAR)
        self._openapi = openapi

    def field(self, name: str) -> TypeNode:
        found = self._fields.get(name)
        if found is None:
            properties = self._openapi.get("properties") or {}
            additional = self._openapi.get("additionalProperties")
            if self._name and name == "metadata":
                found = object_type("v1", "ConfigMap", merge_meta.PLAIN).field("metadata")  # ObjectMeta, as for all
            elif name in properties:
                found = SchemaNode(properties[name])
            elif isinstance(additional, dict):
                found = SchemaNode(additional)
            else:
                found = UNTYPED_NODE
            self._fields[name] = found
        return found

    @property
    def element(self) -> TypeNode:
        if self._element is None:
            self._element = SchemaNode(self._openapi.get("items"))
        return self._element

    def zero(self) -> Any:
        return {}


def custom_type(openapi_schema: Any) -> TypeNode:
    """The type of a custom resource of one version, from its CRD's openAPIV3Schema (untyped without one)."""
    # Not cached: the resource table, and so each schema, is rebuilt from the stored CRDs; nodes are lazy.
    return SchemaNode(openapi_schema, root=True) if isinstance(openapi_schema, dict) else UNTYPED_NODE


def zero_object(api_version: str, kind: str, schema: Schema | None) -> dict:
    """The empty object a create is compared against: the kind's Go zero value, with its type meta."""
    node = object_type(api_version, kind, schema)
    zero = node.zero() if node.kind == STRUCT else {"metadata": {"creationTimestamp": None}}
    return {"apiVersion": api_version, "kind": kind, **zero}


__all__ = ["TypeNode", "SchemaNode", "object_type", "custom_type", "zero_object", "SCALAR", "STRUCT", "MAP", "LIST", "UNTYPED", "ATOMIC", "SET",
           "ASSOCIATIVE", "ATOMIC_STRUCTS", "ATOMIC_MAPS"]
