"""Strategic-merge metadata: for each field of an object, how kubectl and the API server merge it.

This is the Python form of the Go struct tags `patchStrategy` / `patchMergeKey` and the
`x-kubernetes-list-type` / `x-kubernetes-list-map-keys` markers of k8s.io/api. Only fields
that carry a strategy, or that lead to fields that carry one, are described; every other
field merges as a plain map (objects) or is replaced whole (lists and scalars).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class FieldMeta:
    """How one field merges.

    strategies: subset of {"merge", "replace", "retainKeys"} (Go's `patchStrategy:"merge,retainKeys"`).
      A list without "merge" is atomic: a patch replaces it whole.
    merge_key: the `patchMergeKey` of a merging list of maps (e.g. "name" for containers);
      None for a merging list of scalars (a set such as finalizers).
    schema: metadata of the value when it is an object, of each item when it is a list,
      of each value when it is a map of objects (e.g. map[string]Container); None when no
      field below has a strategy.
    list_map_keys: the server-side-apply keys (`x-kubernetes-list-map-keys`), which may be
      composite where the strategic merge key is not (container ports: containerPort+protocol).
    list_type: server-side-apply `x-kubernetes-list-type`: "atomic", "set", "map" or None.
    """

    strategies: frozenset[str] = frozenset()
    merge_key: str | None = None
    schema: "Schema | None" = None
    list_map_keys: tuple[str, ...] = ()
    list_type: str | None = None

    @property
    def merges(self) -> bool:
        return "merge" in self.strategies

    @property
    def retains_keys(self) -> bool:
        return "retainKeys" in self.strategies


@dataclass(frozen=True)
class Schema:
    """Strategic-merge metadata of one object node: its fields that need more than the default.

    name: the Go struct's name (ObjectMeta, PodSpec...), which patch errors quote; "" when not declared.
    """

    fields: Mapping[str, FieldMeta] = field(default_factory=dict)
    name: str = ""

    def field(self, name: str) -> FieldMeta | None:
        return self.fields.get(name)

    def lookup(self, name: str) -> FieldMeta:
        """Metadata of `name`, the default (plain map / atomic list) when nothing is declared."""
        return self.fields.get(name) or _DEFAULT


_DEFAULT = FieldMeta()

EMPTY = Schema({})


def obj(struct: str = "", /, **fields: FieldMeta) -> Schema:
    """Shorthand for a Schema from keyword fields: obj("Pod", spec=nested(POD_SPEC))."""
    return Schema(dict(fields), struct)


def nested(schema: Schema) -> FieldMeta:
    """A field whose value is an object with metadata of its own (no strategy on the field itself)."""
    return FieldMeta(schema=schema)


def merge_list(key: str | None, item: Schema | None = None, *, map_keys: tuple[str, ...] | None = None,
               retain_keys: bool = False) -> FieldMeta:
    """`patchStrategy:"merge" patchMergeKey:key`: a list merged by key (or a set of scalars when key is None)."""
    strategies = frozenset({"merge", "retainKeys"} if retain_keys else {"merge"})
    if key is None:
        return FieldMeta(strategies, None, item, (), "set")
    return FieldMeta(strategies, key, item, map_keys if map_keys is not None else (key,), "map")


def retain_keys(schema: Schema | None = None) -> FieldMeta:
    """`patchStrategy:"retainKeys"`: a union struct; keys absent from the patch are cleared."""
    return FieldMeta(frozenset({"retainKeys"}), None, schema)
