"""Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch (v0.32) does it.

- `apply_patch` is StrategicMergeMapPatch: what kube-apiserver does with an
  `application/strategic-merge-patch+json` body, and `kubectl patch --type strategic`.
- `create_two_way_patch` is CreateTwoWayMergeMapPatch (kubectl edit, kubectl set ...).
- `create_three_way_patch` is CreateThreeWayMergePatch (client-side `kubectl apply`).

The port follows upstream step by step, quirks included, because kubectl's users see them:
- list orders come from Go's own sort algorithms (sort.Sort and sort.SliceStable, ported below);
- diffing sorts the live copy of a merging list of scalars in place, so an unchanged but unsorted
  `finalizers` list still produces a `$setElementOrder` directive;
- `$patch: delete` shifts items inside the live list's backing array and new items are appended
  into the space freed, which changes the order `$setElementOrder` then gives server-only items
  (emulated with Go's slice capacities, see _GoSlice).
Objects are JSON-like dicts; inputs are never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from kauth.api.fields import json_copy
from kauth.api.json_syntax import json_kind
from kauth.api.schema import FieldMeta, Schema
from kauth.patch import errors
from kauth.patch.errors import MAP, SLICE, PatchError, go_sprint

DIRECTIVE = "$patch"
DELETE = "delete"
REPLACE = "replace"
MERGE = "merge"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"

Precondition = Callable[[dict], bool]

__all__ = [
    "apply_patch", "create_two_way_patch", "create_three_way_patch", "merging_maps_have_conflicts",
    "require_key_unchanged", "require_metadata_key_unchanged", "KUBECTL_PRECONDITIONS",
]


# -- public API ----------------------------------------------------------------------------------

def apply_patch(original: dict, patch: dict, schema: Schema | None) -> dict:
    """Apply a strategic merge patch to `original` (StrategicMergeMapPatch).

    `schema=None` means the type has no strategic metadata (a custom resource): kube-apiserver
    refuses strategic merge patches for those (415, the caller's business), and kubectl offers only
    JSON merge patch, so the patch is applied with RFC 7386 semantics (merge.apply_merge_patch).
    """
    if schema is None:
        from kauth.patch.merge import apply_merge_patch

        return apply_merge_patch(original, patch)
    if patch is None:
        return json_copy(original)
    if not isinstance(patch, dict):
        raise PatchError(f"json: cannot unmarshal {json_kind(patch)} into Go value of type map[string]interface {{}}",
                         errors.BAD_REQUEST)
    target = json_copy(original) if original is not None else {}
    return _merge_map(target, json_copy(patch), _Node.root(schema, _struct_of(target)), _APPLY)


def _struct_of(obj: dict) -> str | None:
    """The Go struct StrategicMergePatch gets for a built-in object (kube-apiserver and kubectl patch
    pass the typed object); None where kauth has no field data."""
    from kauth.api.fields import root_type

    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return root_type(api_version, kind)


def create_two_way_patch(original: dict, modified: dict, schema: Schema | None,
                         preconditions: Iterable[Precondition] = ()) -> dict:
    """The patch that turns `original` into `modified` (CreateTwoWayMergeMapPatch).

    `schema=None` diffs without metadata: maps recurse, lists are replaced whole.
    Raises PreconditionFailedError when a precondition rejects the patch (kubectl edit passes
    KUBECTL_PRECONDITIONS and then says "At least one of apiVersion, kind and name was changed").
    """
    node = _Node.root(schema)
    patch = _diff_maps(_copy_map(original), _copy_map(modified), node, _DiffOptions(set_element_order=True))
    _check_preconditions(patch, preconditions)
    return patch


def create_three_way_patch(original: dict | None, modified: dict, current: dict, schema: Schema | None,
                           overwrite: bool = True, preconditions: Iterable[Precondition] = ()) -> dict:
    """The patch client-side `kubectl apply` sends (CreateThreeWayMergePatch).

    original: the last-applied configuration (None or {} when absent), modified: the new manifest
    (with its own last-applied annotation), current: the live object. The patch holds every
    change from current to modified except deletions, plus the deletions from original to
    modified: fields that were never applied are left alone.

    With overwrite=False, raises ConflictError when live changed (since original) a field the
    patch also changes, with upstream's text (`patch:\\n...\\nconflicts with changes made from
    original to current:\\n...`).
    """
    node = _Node.root(schema)
    original, modified, current = _copy_map(original), _copy_map(modified), _copy_map(current)
    # Upstream: delta = current->modified without deletions; deletions = original->modified,
    # deletions only; the patch is delta merged into deletions.
    delta = _diff_maps(current, modified, node, _DiffOptions(set_element_order=True, ignore_deletions=True))
    deletions = _diff_maps(original, modified, node, _DiffOptions(set_element_order=True, ignore_changes=True))
    patch = _merge_map(deletions, delta, node, _THREE_WAY)
    _check_preconditions(patch, preconditions)
    if not overwrite:
        changed = _diff_maps(original, current, node, _DiffOptions())
        if _field_conflicts(patch, changed, node, "", ""):
            raise errors.conflict(patch, changed)
    return patch


def merging_maps_have_conflicts(left: dict, right: dict, schema: Schema | None) -> bool:
    """MergingMapsHaveConflicts: do two strategic patches change a key differently?"""
    return _field_conflicts(left, right, _Node.root(schema), "", "")


def require_key_unchanged(key: str) -> Precondition:
    """mergepatch.RequireKeyUnchanged: the patch must not touch the top-level `key`."""
    return lambda patch: not isinstance(patch, dict) or key not in patch


def require_metadata_key_unchanged(key: str) -> Precondition:
    """mergepatch.RequireMetadataKeyUnchanged: the patch must not touch `metadata.<key>`."""
    def check(patch: dict) -> bool:
        metadata = patch.get("metadata") if isinstance(patch, dict) else None
        return not isinstance(metadata, dict) or key not in metadata
    return check


# What kubectl edit and the JSON-merge-patch path of kubectl apply pass.
KUBECTL_PRECONDITIONS = (require_key_unchanged("apiVersion"), require_key_unchanged("kind"),
                         require_metadata_key_unchanged("name"))


def _check_preconditions(patch: dict, preconditions: Iterable[Precondition]) -> None:
    for precondition in preconditions:
        if not precondition(patch):
            raise errors.precondition_failed(patch)


def _copy_map(value: dict | None) -> dict:
    return json_copy(value) if value else {}


# -- strategic metadata (Go: LookupPatchMeta) ---------------------------------------------------

_NO_META = FieldMeta()


@dataclass(frozen=True)
class _Node:
    """Metadata of one object node. `strict` mirrors PatchMetaFromStruct: no Go struct has a field
    named `$...`, so looking one up fails; without a schema (None) nothing fails.

    `struct` is the node's Go type from kauth.api.fields (a struct's type name, ("list"|"map", item)
    or a scalar), known only where StrategicMergePatch is given the typed object (apply_patch on a
    built-in kind): there, as in forkedjson.LookupPatchMetadataForStruct, a field the struct lacks
    fails. None: unknown, nothing is checked."""

    schema: Schema | None
    strict: bool
    struct: Any = None

    @staticmethod
    def root(schema: Schema | None, struct: Any = None) -> "_Node":
        return _Node(schema, schema is not None, struct if schema is not None else None)

    def lookup(self, key: str) -> tuple["_Node", FieldMeta]:
        """LookupPatchMetadataForStruct: the field `key` of this object."""
        if self.strict and key.startswith("$"):
            raise self._no_field(key)
        meta = self.schema.lookup(key) if self.schema is not None else _NO_META
        return _Node(meta.schema, self.strict, self._field_type(key)), meta

    def lookup_slice(self, key: str) -> tuple["_Node", FieldMeta]:
        """LookupPatchMetadataForSlice: the field `key`, a list, and the node of its items."""
        node, meta = self.lookup(key)
        kind = _go_kind(node.struct)
        if kind == "slice":
            item = node.struct[1]
            if _go_kind(item) == "slice":
                raise PatchError("unexpected slice of slice")
            return replace(node, struct=item), meta
        if kind is not None:
            raise PatchError(f"expected slice or array type, but got: {_go_kind(self.struct)}")
        return node, meta

    def _field_type(self, key: str) -> Any:
        kind = _go_kind(self.struct)
        if kind is None:
            return None
        if kind == "map":
            return self.struct[1]
        if kind != "struct":
            raise PatchError(f"merging an object in json but data type is not map or struct, instead is: {kind}")
        from kauth.api.fields import struct_fields

        fields = struct_fields(self.struct)
        if key not in fields:
            raise self._no_field(key)
        return fields[key]

    def _no_field(self, key: str) -> PatchError:
        if _go_kind(self.struct) == "struct":
            name = _go_struct_name(self.struct)
        else:  # structs we declare carry their Go name; an undeclared one's name is unknown to us
            name = (self.schema.name if self.schema is not None else "") or "Object"
        return PatchError(f'unable to find api field in struct {name} for the json field "{key}"')


def _go_kind(struct: Any) -> str | None:
    """reflect.Kind of a kauth.api.fields type, where it is certain: scalars map onto several Go types
    (int32 or int64, a string or resource.Quantity), so they are not checked (None)."""
    if isinstance(struct, (list, tuple)):
        return "slice" if struct[0] == "list" else "map"
    if struct == "time":
        return "struct"  # metav1.Time: a struct without JSON fields of its own
    if isinstance(struct, str) and struct[:1].isupper():
        return "struct"
    return None


def _go_struct_name(struct: str) -> str:
    """The Go name of an OpenAPI model name: V1Container -> Container, CoreV1Event -> Event."""
    if struct == "time":
        return "Time"
    import re

    return re.sub(r"^(?:[A-Z][a-z]+)*?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])", "", struct)


def _strategy(meta: FieldMeta) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: (retainKeys?, the other strategy or "")."""
    others = [s for s in sorted(meta.strategies) if s != "retainKeys"]
    if len(others) > 1:
        raise PatchError(f"unexpected patch strategy: [{' '.join(sorted(meta.strategies))}]")
    return meta.retains_keys, others[0] if others else ""


# -- Go value semantics -------------------------------------------------------------------------

_GO_TYPES = {type(None): "nil", bool: "bool", int: "int64", float: "float64", str: "string", dict: "map",
             list: "slice"}


def _go_type(value: Any) -> str:
    """The Go type encoding/json decodes a JSON value into (interface{}): one lookup, as this runs per value."""
    found = _GO_TYPES.get(type(value))
    if found is not None:
        return found
    for python_type, go_type in ((bool, "bool"), (int, "int64"), (float, "float64"), (str, "string"),
                                 (dict, "map"), (list, "slice")):
        if isinstance(value, python_type):  # subclasses (a str enum, an OrderedDict) as their base
            return go_type
    return type(value).__name__


def _go_eq(a: Any, b: Any) -> bool:
    """`==` on two interface{} values (maps and slices, uncomparable in Go, never match)."""
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return _go_type(a) == _go_type(b) and a == b


def _deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on decoded JSON."""
    if _go_type(a) != _go_type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b))
    return a == b


def _hkey(value: Any) -> Any:
    """A hashable stand-in for a Go map[interface{}] key."""
    if isinstance(value, (dict, list)):
        return ("unhashable", go_sprint(value))
    return (_go_type(value), value)


def _eq_key(value: Any) -> Any:
    """A hashable key equal for exactly the values `_go_eq` finds equal, or None for maps and slices, which
    never compare equal: what the position and key indexes below look values up by."""
    return None if isinstance(value, (dict, list)) else _hkey(value)


def _slice_element_kind(*slices: list) -> str:
    """sliceElementType: the single element type of the slices ("map", "string", ...)."""
    previous = None
    for s in slices:
        for v in s:
            current = _go_type(v)
            if previous is None:
                previous = current
                if previous == "slice":
                    raise errors.no_list_of_lists()
            elif previous != current:
                raise PatchError(f"list element types are not identical: {go_sprint(list(slices))}")
    if previous is None:
        raise PatchError("no elements in any of the given slices")
    return previous


# -- Go's sort package, ported: list orders depend on its exact algorithms ----------------------

def _go_sort(data: list, less: Callable[[Any, Any], bool]) -> list:
    """sort.Sort (pdqsort) in place; deterministic, and not stable."""
    n = len(data)
    if n > 1:
        _pdqsort(data, lambda i, j: less(data[i], data[j]), 0, n, n.bit_length())
    return data


def _swap(d: list, i: int, j: int) -> None:
    d[i], d[j] = d[j], d[i]


def _insertion_sort(d: list, lt, a: int, b: int) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and lt(j, j - 1):
            _swap(d, j, j - 1)
            j -= 1


def _heap_sort(d: list, lt, a: int, b: int) -> None:
    first, lo, hi = a, 0, b - a

    def sift_down(root: int, hi: int) -> None:
        while True:
            child = 2 * root + 1
            if child >= hi:
                return
            if child + 1 < hi and lt(first + child, first + child + 1):
                child += 1
            if not lt(first + root, first + child):
                return
            _swap(d, first + root, first + child)
            root = child

    for i in range((hi - 1) // 2, -1, -1):
        sift_down(i, hi)
    for i in range(hi - 1, -1, -1):
        _swap(d, first, first + i)
        sift_down(lo, i)


_INCREASING, _DECREASING, _UNKNOWN = 1, 2, 0
_U64 = (1 << 64) - 1


def _pdqsort(d: list, lt, a: int, b: int, limit: int) -> None:
    was_balanced = was_partitioned = True
    while True:
        length = b - a
        if length <= 12:
            _insertion_sort(d, lt, a, b)
            return
        if limit == 0:
            _heap_sort(d, lt, a, b)
            return
        if not was_balanced:
            _break_patterns(d, a, b)
            limit -= 1
        pivot, hint = _choose_pivot(lt, a, b)
        if hint == _DECREASING:
            _reverse_range(d, a, b)
            pivot = (b - 1) - (pivot - a)
            hint = _INCREASING
        if was_balanced and was_partitioned and hint == _INCREASING and _partial_insertion_sort(d, lt, a, b):
            return
        if a > 0 and not lt(a - 1, pivot):
            a = _partition_equal(d, lt, a, b, pivot)
            continue
        mid, was_partitioned = _partition(d, lt, a, b, pivot)
        left_len, right_len = mid - a, b - mid
        threshold = length // 8
        if left_len < right_len:
            was_balanced = left_len >= threshold
            _pdqsort(d, lt, a, mid, limit)
            a = mid + 1
        else:
            was_balanced = right_len >= threshold
            _pdqsort(d, lt, mid + 1, b, limit)
            b = mid


def _partition(d: list, lt, a: int, b: int, pivot: int) -> tuple[int, bool]:
    _swap(d, a, pivot)
    i, j = a + 1, b - 1
    while i <= j and lt(i, a):
        i += 1
    while i <= j and not lt(j, a):
        j -= 1
    if i > j:
        _swap(d, j, a)
        return j, True
    _swap(d, i, j)
    i, j = i + 1, j - 1
    while True:
        while i <= j and lt(i, a):
            i += 1
        while i <= j and not lt(j, a):
            j -= 1
        if i > j:
            break
        _swap(d, i, j)
        i, j = i + 1, j - 1
    _swap(d, j, a)
    return j, False


def _partition_equal(d: list, lt, a: int, b: int, pivot: int) -> int:
    _swap(d, a, pivot)
    i, j = a + 1, b - 1
    while True:
        while i <= j and not lt(a, i):
            i += 1
        while i <= j and lt(a, j):
            j -= 1
        if i > j:
            break
        _swap(d, i, j)
        i, j = i + 1, j - 1
    return i


def _partial_insertion_sort(d: list, lt, a: int, b: int) -> bool:
    i = a + 1
    for _ in range(5):
        while i < b and not lt(i, i - 1):
            i += 1
        if i == b:
            return True
        if b - a < 50:
            return False
        _swap(d, i, i - 1)
        if i - a >= 2:
            for j in range(i - 1, 0, -1):
                if not lt(j, j - 1):
                    break
                _swap(d, j, j - 1)
        if b - i >= 2:
            for j in range(i + 1, b):
                if not lt(j, j - 1):
                    break
                _swap(d, j, j - 1)
    return False


def _break_patterns(d: list, a: int, b: int) -> None:
    length = b - a
    if length >= 8:
        r = length
        modulus = 1 << length.bit_length()
        start = a + (length // 4) * 2 - 1
        for idx in range(start, start + 3):
            r ^= (r << 13) & _U64  # Go's xorshift: << 13, >> 17, << 5
            r ^= r >> 17
            r ^= (r << 5) & _U64
            other = r & (modulus - 1)
            if other >= length:
                other -= length
            _swap(d, idx, a + other)


def _choose_pivot(lt, a: int, b: int) -> tuple[int, int]:
    n = b - a
    swaps = [0]
    i, j, k = a + n // 4, a + n // 4 * 2, a + n // 4 * 3

    def order2(x: int, y: int) -> tuple[int, int]:
        if lt(y, x):
            swaps[0] += 1
            return y, x
        return x, y

    def median(x: int, y: int, z: int) -> int:
        x, y = order2(x, y)
        y, z = order2(y, z)
        x, y = order2(x, y)
        return y

    if n >= 8:
        if n >= 50:
            i, j, k = median(i - 1, i, i + 1), median(j - 1, j, j + 1), median(k - 1, k, k + 1)
        j = median(i, j, k)
    if swaps[0] == 0:
        return j, _INCREASING
    if swaps[0] == 12:
        return j, _DECREASING
    return j, _UNKNOWN


def _reverse_range(d: list, a: int, b: int) -> None:
    i, j = a, b - 1
    while i < j:
        _swap(d, i, j)
        i, j = i + 1, j - 1


def _go_slice_stable(data: list, less: Callable[[Any, Any], bool]) -> list:
    """sort.SliceStable in place: insertion sort on blocks of 20, then SymMerge."""
    d = data
    lt = lambda i, j: less(d[i], d[j])  # noqa: E731
    n = len(d)
    block = 20
    a, b = 0, block
    while b <= n:
        _insertion_sort(d, lt, a, b)
        a, b = b, b + block
    _insertion_sort(d, lt, a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            _sym_merge(d, lt, a, a + block, b)
            a, b = b, b + 2 * block
        m = a + block
        if m < n:
            _sym_merge(d, lt, a, m, n)
        block *= 2
    return d


def _sym_merge(d: list, lt, a: int, m: int, b: int) -> None:
    if m - a == 1:
        i, j = m, b
        while i < j:
            h = (i + j) // 2
            if lt(h, a):
                i = h + 1
            else:
                j = h
        for k in range(a, i - 1):
            _swap(d, k, k + 1)
        return
    if b - m == 1:
        i, j = a, m
        while i < j:
            h = (i + j) // 2
            if not lt(m, h):
                i = h + 1
            else:
                j = h
        for k in range(m, i, -1):
            _swap(d, k, k - 1)
        return
    mid = (a + b) // 2
    n = mid + m
    if m > mid:
        start, r = n - b, mid
    else:
        start, r = a, m
    p = n - 1
    while start < r:
        c = (start + r) // 2
        if not lt(p - c, c):
            start = c + 1
        else:
            r = c
    end = n - start
    if start < m < end:
        _rotate(d, start, m, end)
    if a < start < mid:
        _sym_merge(d, lt, a, start, mid)
    if mid < end < b:
        _sym_merge(d, lt, mid, end, b)


def _rotate(d: list, a: int, m: int, b: int) -> None:
    i, j = m - a, b - m
    while i != j:
        if i > j:
            _swap_range(d, m - i, m, j)
            i -= j
        else:
            _swap_range(d, m - i, m + j - i, i)
            j -= i
    _swap_range(d, m - i, m, i)


def _swap_range(d: list, a: int, b: int, n: int) -> None:
    for i in range(n):
        _swap(d, a + i, b + i)


def _sort_by_string(values: list, key: Callable[[Any], str]) -> list:
    """sort.Sort in place with upstream's Less, sort.StringsAreSorted([key(a), key(b)]) (a <= b); each key is
    rendered once, not at every comparison: the same comparisons, so the same (unstable) order."""
    keyed = _go_sort([(key(v), v) for v in values], lambda x, y: x[0] <= y[0])
    values[:] = [v for _, v in keyed]
    return values


def _sort_scalars(values: list) -> list:
    """sortScalars: sort in place by the %v rendering."""
    return _sort_by_string(values, go_sprint)


def _dedupe_in_place(s: list) -> int:
    """deduplicateScalars on a Go slice: upstream's swap-with-last algorithm, run on `s` in place
    (cells past the new length keep what the swaps left there); returns the new length."""
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _go_eq(s[i], s[j]):
                s[j] = s[length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return length + 1


def _dedupe_scalars(values: list) -> list:
    return values[:_dedupe_in_place(values)]


# -- apply: mergeMap and friends ----------------------------------------------------------------

@dataclass(frozen=True)
class _MergeOptions:
    merge_parallel_list: bool  # apply $deleteFromPrimitiveList/$setElementOrder (server side)
    ignore_unmatched_nulls: bool


_APPLY = _MergeOptions(True, True)
_THREE_WAY = _MergeOptions(False, False)


def _extract_key(key: str, prefix: str) -> str:
    parts = key.split("/", 1)
    if len(parts) <= 1 or parts[0] != prefix:
        if prefix == DELETE_FROM_PRIMITIVE_LIST:
            raise errors.bad_patch_format_for_primitive_list()
        raise errors.bad_patch_format_for_set_element_order_list()
    return parts[1]


def _merge_map(original: dict | None, patch: dict, node: _Node, opts: _MergeOptions) -> dict:
    if DIRECTIVE in patch:
        return _handle_directive_in_merge_map(patch[DIRECTIVE], patch)
    if original is None:
        original = {}
    _apply_retain_keys_directive(original, patch, opts)
    _merge_patch_into_original(original, patch, node, opts)

    # Go ranges over a map in random order. The only keys that interact are `x` and
    # `$deleteFromPrimitiveList/x`; merging first and deleting second is the order that keeps
    # an item both added and deleted out, and the one every non-overlapping patch agrees with.
    keys = sorted(patch, key=lambda k: k.startswith(DELETE_FROM_PRIMITIVE_LIST))
    for key in keys:
        patch_v = patch[key]
        k, is_delete_list = key, False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not opts.merge_parallel_list:
                original[key] = patch_v
                continue
            stripped = _extract_key(key, DELETE_FROM_PRIMITIVE_LIST)
            k, is_delete_list = stripped or key, True

        if patch_v is None:
            original.pop(k, None)
            if opts.ignore_unmatched_nulls:
                continue

        if k not in original or _go_type(original[k]) != _go_type(patch_v):
            if not is_delete_list:
                # Upstream drops nulls and `$patch` maps from values it copies in whole.
                if opts.ignore_unmatched_nulls:
                    _discard_null_values(patch_v)
                _set_without_directives(original, k, patch_v)
            continue

        current = original[k]
        if isinstance(current, dict):
            sub, meta = node.lookup(k)
            _, strategy = _strategy(meta)
            original[k] = patch_v if strategy == REPLACE else _merge_map(current, patch_v, sub, opts)
        elif isinstance(current, list):
            sub, meta = node.lookup_slice(k)
            _, strategy = _strategy(meta)
            original[k] = _merge_slice_handler(current, patch_v, sub, strategy, meta.merge_key or "",
                                               is_delete_list, opts)
        else:
            _set_without_directives(original, k, patch_v)
    return original


def _set_without_directives(target: dict, key: str, value: Any) -> None:
    value, keep = _remove_directives(value)
    if keep:
        target[key] = value
    else:
        target.pop(key, None)


def _handle_directive_in_merge_map(directive: Any, patch: dict) -> dict:
    if directive == REPLACE:
        del patch[DIRECTIVE]
        return patch
    if directive == DELETE:
        return {}
    raise errors.bad_patch_type(directive, patch)


def _remove_directives(value: Any) -> tuple[Any, bool]:
    """removeDirectives: drop maps carrying `$patch` (and the key or item holding them)."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for k in list(value):
            v, keep = _remove_directives(value[k])
            if keep:
                value[k] = v
            else:
                del value[k]
        return value, True
    if isinstance(value, list):
        kept = []
        for v in value:
            v, keep = _remove_directives(v)
            if keep:
                kept.append(v)
        return kept, True
    return value, True


def _discard_null_values(value: Any) -> None:
    if isinstance(value, dict):
        for k in list(value):
            if value[k] is None:
                del value[k]
            else:
                _discard_null_values(value[k])
    elif isinstance(value, list):
        for v in value:
            _discard_null_values(v)


def _apply_retain_keys_directive(original: dict, patch: dict, opts: _MergeOptions) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not opts.merge_parallel_list:
        # Merging two patches (three-way): the directive must agree, and is carried over.
        if RETAIN_KEYS in original:
            if not _deep_equal(original[RETAIN_KEYS], retain):
                raise PatchError(f"{go_sprint(original[RETAIN_KEYS])} and {go_sprint(retain)} are not deep equal: "
                                 "this may happen when calculating the 3-way diff patch")
        else:
            original[RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise errors.bad_patch_format_for_retain_keys()
    allowed = {_hkey(v) for v in retain}
    for k, v in patch.items():
        if v is None or k.startswith(DELETE_FROM_PRIMITIVE_LIST) or k.startswith(SET_ELEMENT_ORDER):
            continue
        if _hkey(k) not in allowed:
            raise errors.bad_patch_format_for_retain_keys()
    for k in list(original):
        if _hkey(k) not in allowed:
            del original[k]


def _merge_patch_into_original(original: dict, patch: dict, node: _Node, opts: _MergeOptions) -> None:
    """mergePatchIntoOriginal: handle each `$setElementOrder/<list>` together with its list."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        if key not in patch:
            continue
        order = patch.pop(key)
        if not opts.merge_parallel_list:
            if key in original:
                if not _deep_equal(original[key], order):
                    raise errors.bad_patch_format_for_set_element_order_list()
            else:
                original[key] = order
        if not isinstance(order, list):
            raise errors.bad_arg_type(SLICE, order)
        list_key = _extract_key(key, SET_ELEMENT_ORDER)
        found_original, found_patch = list_key in original, list_key in patch
        original_list: list = []
        patch_list: list = []
        if found_original:
            original_list = original[list_key]
            if not isinstance(original_list, list):
                raise errors.bad_arg_type(SLICE, original_list)
        if found_patch:
            patch_list = patch[list_key]
            if not isinstance(patch_list, list):
                raise errors.bad_arg_type(SLICE, patch_list)
        sub, meta = node.lookup_slice(list_key)
        _, strategy = _strategy(meta)
        merge_key = meta.merge_key or ""
        _validate_patch_with_set_order_list(patch_list, order, merge_key)

        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged, _ = _remove_directives(patch_list)
        elif found_original and found_patch:
            merged = _merge_slice_handler(original_list, patch_list, sub, strategy, merge_key, False, opts)
        else:
            continue

        if not merge_key:
            patch_items, server_only = _partition_primitives(merged, order)
        else:
            patch_items, server_only = _partition_maps(merged, order, merge_key)
        kind = _slice_element_kind(original_list, patch_list)
        original[list_key] = _normalize_element_order(patch_items, server_only, order, original_list, merge_key, kind)
        patch.pop(list_key, None)


def _validate_patch_with_set_order_list(patch_list: list, order: list, merge_key: str) -> None:
    """Items of the patch list must appear in `$setElementOrder`, in the same relative order."""
    if not order or not patch_list:
        return
    non_delete = _extract_to_delete_items(patch_list)[0] if merge_key else patch_list
    p = s = 0
    while p < len(non_delete) and s < len(order):
        if isinstance(non_delete[p], dict) and DIRECTIVE in non_delete[p]:
            p += 1
            continue
        if _merge_key_value_equal(non_delete[p], order[s], merge_key):
            p += 1
        s += 1
    if p < len(non_delete) and s >= len(order):
        raise PatchError(f"The order in patch list:\n{go_sprint(patch_list)}\n doesn't match "
                         f"{SET_ELEMENT_ORDER} list:\n{go_sprint(order)}\n")


def _merge_key_value_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _go_eq(left, right)
    if not isinstance(left, dict):
        raise errors.bad_arg_type(MAP, left)
    if not isinstance(right, dict):
        raise errors.bad_arg_type(MAP, right)
    if merge_key not in left:
        raise errors.no_merge_key(left, merge_key)
    if merge_key not in right:
        raise errors.no_merge_key(right, merge_key)
    return _go_eq(left[merge_key], right[merge_key])


def _merge_slice_handler(original: Any, patch: Any, node: _Node, strategy: str, merge_key: str,
                         is_delete_list: bool, opts: _MergeOptions) -> list:
    if not isinstance(original, list):
        raise errors.bad_arg_type(SLICE, original)
    if not isinstance(patch, list):
        raise errors.bad_arg_type(SLICE, patch)
    # Deletion lists apply whatever the field's strategy (even to an atomic list).
    if strategy == MERGE or is_delete_list:
        return _merge_slice(original, patch, node, merge_key, opts, is_delete_list)
    return patch


def _merge_slice(original: list, patch: list, node: _Node, merge_key: str, opts: _MergeOptions,
                 is_delete_list: bool) -> list:
    """mergeSlice. `original` stands for the caller's Go slice: like upstream, in-place deletes and
    appends that fit its capacity show through it (callers holding it see the change)."""
    if not original and not patch:
        return original
    kind = _slice_element_kind(original, patch)
    server_order = original
    if kind != "map":
        if opts.merge_parallel_list and is_delete_list:
            doomed = {_hkey(v) for v in patch}
            return [v for v in original if _hkey(v) not in doomed]
        both = original + patch
        merged = both[:_dedupe_in_place(both)]
        if len(both) <= _go_cap(len(original)):  # append(original, patch...) reused the array
            original[:] = both[:len(original)]
    else:
        if not merge_key:
            raise PatchError("cannot merge lists without merge key for type struct")
        backing = _GoSlice(original)
        plain, replace_all = _merge_slice_with_special_elements(backing, patch, merge_key)
        current = _GoSlice(plain) if replace_all else backing
        server_order = current.items()
        # findMapInSliceBasedOnKeyValue for each patch item, kept as an index of first positions (every item is a
        # map here; a merged item keeps its key; an appended one may become the first of its key).
        first: dict[Any, int] = {}

        def remember(index: int, existing: dict) -> None:
            key = _eq_key(existing[merge_key]) if merge_key in existing else None
            if key is not None:
                first.setdefault(key, index)

        for index, existing in enumerate(current.items()):
            remember(index, existing)
        for item in [] if replace_all else plain:
            if merge_key not in item:
                raise errors.no_merge_key(item, merge_key)
            value = item[merge_key]
            key = _eq_key(value)
            index = None if key is None else first.get(key)
            if index is None:
                current = current.append(item)
                remember(current.n - 1, item)
            else:
                current.cells[index] = _merge_map(current.cells[index], item, node, opts)
        merged = current.items()
        original[:] = backing.cells[:len(original)]
        patch = [] if replace_all else plain

    if not merge_key:
        patch_items, server_only = _partition_primitives(merged, patch)
    else:
        patch_items, server_only = _partition_maps(merged, patch, merge_key)
    return _normalize_element_order(patch_items, server_only, patch, server_order, merge_key, kind)


def _go_cap(length: int) -> int:
    """The capacity Go gives a []interface{} decoded from JSON (grown one append at a time)."""
    return 0 if length == 0 else 1 << (length - 1).bit_length()


class _GoSlice:
    """A Go slice: `n` items at the head of a backing array of `len(cells)` (its capacity)."""

    def __init__(self, items: list, cells: list | None = None, n: int | None = None):
        self.cells = cells if cells is not None else list(items) + [None] * (_go_cap(len(items)) - len(items))
        self.n = len(items) if n is None else n

    def items(self) -> list:
        return self.cells[:self.n]

    def append(self, value: Any) -> "_GoSlice":
        if self.n < len(self.cells):
            self.cells[self.n] = value
            return _GoSlice([], self.cells, self.n + 1)
        items = self.items() + [value]
        return _GoSlice(items)

    def delete_at(self, index: int) -> None:
        """`s = append(s[:i], s[i+1:]...)`: shift left in place, the last cell keeps its value."""
        self.cells[index:self.n - 1] = self.cells[index + 1:self.n]
        self.n -= 1


def _merge_slice_with_special_elements(backing: _GoSlice, patch: list, merge_key: str) -> tuple[list, bool]:
    """Apply `$patch: delete` items to `backing` in place; return (the other items, replace?)."""
    plain = []
    replace_all = False
    for item in patch:
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == DELETE:
            if merge_key not in item:
                raise errors.no_merge_key(item, merge_key)
            while (found := _find_map(backing.items(), merge_key, item[merge_key])) is not None:
                backing.delete_at(found[0])
        elif directive == REPLACE:
            replace_all = True  # keep going: other $patch items are still pruned
        elif directive == MERGE:
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise errors.bad_patch_type(directive, item)
    return plain, replace_all


def _find_map(items: list, merge_key: str, value: Any) -> tuple[int, dict] | None:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PatchError(f"value for key {index} is not a map.")
        if merge_key in item and _go_eq(item[merge_key], value):
            return index, item
    return None


def _partition_primitives(items: list, partition_by: list) -> tuple[list, list]:
    wanted = {_hkey(v) for v in partition_by}
    inside = [v for v in items if _hkey(v) in wanted]
    outside = [v for v in items if _hkey(v) not in wanted]
    return inside, outside


def _partition_maps(items: list, partition_by: list, merge_key: str) -> tuple[list, list]:
    inside, outside = [], []
    # findMapInSliceBasedOnKeyValue over partition_by for each item; with maps only in it (the usual case) a set
    # of their keys answers the same, and a non-map keeps the scan so its error comes where upstream's does.
    keys = {_eq_key(p[merge_key]) for p in partition_by if merge_key in p} - {None} \
        if all(isinstance(p, dict) for p in partition_by) else None
    for item in items:
        if not isinstance(item, dict):
            raise errors.bad_arg_type(MAP, item)
        if merge_key not in item:
            raise errors.no_merge_key(item, merge_key)
        value = item[merge_key]
        if keys is None:
            found = _find_map(partition_by, merge_key, value) is not None
        else:
            found = _eq_key(value) in keys
        (inside if found else outside).append(item)
    return inside, outside


class _Positions:
    """Where each item of a list first appears, by merge key value (maps) or by value (scalars), under Go's `==`
    on interface values: maps and slices never match, so they are not indexed. A lookup is O(1) where
    upstream's index() scans the list at every comparison of a sort."""

    def __init__(self, items: list, merge_key: str, kind: str):
        self.merge_key, self.kind = merge_key, kind
        self.first: dict[Any, int] = {}
        for i, item in enumerate(items):
            key = self._key(item)
            if key is not None:
                self.first.setdefault(key, i)

    def _key(self, item: Any) -> Any:
        value = (item.get(self.merge_key) if isinstance(item, dict) else None) if self.kind == "map" else item
        return _eq_key(value)

    def index(self, item: Any) -> int:
        key = self._key(item)
        return -1 if key is None else self.first.get(key, -1)


def _extract_to_delete_items(items: list) -> tuple[list, list]:
    keep, doomed = [], []
    for item in items:
        if not isinstance(item, dict):
            raise errors.bad_arg_type(MAP, item)
        (doomed if item.get(DIRECTIVE) == DELETE else keep).append(item)
    return keep, doomed


def _normalize_slice_order(to_sort: list, order: list, merge_key: str, kind: str) -> list:
    """Sort `to_sort` by the positions of its items in `order`; `$patch: delete` items go last."""
    doomed: list = []
    if kind == "map":
        for items in (to_sort, order):
            for item in items:
                if not isinstance(item, dict):
                    raise errors.bad_arg_type(MAP, item)
                if merge_key not in item:
                    raise errors.no_merge_key(item, merge_key)
        to_sort, doomed = _extract_to_delete_items(to_sort)

    positions = _Positions(order, merge_key, kind)

    def less(a: Any, b: Any) -> bool:
        ia = positions.index(a)
        if ia >= 0:
            ib = positions.index(b)
            if ib >= 0:
                return ia < ib
        return True  # upstream's comparator: unknown items compare as "less"

    return _go_slice_stable(list(to_sort), less) + doomed


def _normalize_element_order(patch: list, server_only: list, patch_order: list, server_order: list,
                             merge_key: str, kind: str) -> list:
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted_slice(server_only, patch, server_order, merge_key, kind)


def _merge_sorted_slice(left: list, right: list, server_order: list, merge_key: str, kind: str) -> list:
    """Interleave server-only items (left) with patch items (right), both already sorted.

    A server-only item goes first only when both items are in the live list and it came first
    there; so without `$setElementOrder`, new patch items land before the live ones.
    """
    positions = _Positions(server_order, merge_key, kind)

    def less(a: Any, b: Any) -> bool:
        ia, ib = positions.index(a), positions.index(b)
        return ia >= 0 and ib >= 0 and ia < ib

    out = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        elif less(left[i], right[j]):
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out


# -- create: diffMaps and friends ---------------------------------------------------------------

@dataclass(frozen=True)
class _DiffOptions:
    set_element_order: bool = False
    ignore_changes: bool = False  # IgnoreChangesAndAdditions
    ignore_deletions: bool = False
    build_retain_keys: bool = False


def _diff_maps(original: dict, modified: dict, node: _Node, opts: _DiffOptions) -> dict:
    patch: dict = {}
    retain: list = []
    for key, mod_v in modified.items():
        if opts.build_retain_keys and mod_v is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = mod_v
            continue
        orig_v = original[key]
        if key == DIRECTIVE:
            if not isinstance(orig_v, str) or not isinstance(mod_v, str):
                raise PatchError(f"invalid value for special key: {DIRECTIVE}")
            if mod_v != orig_v:
                patch[DIRECTIVE] = mod_v
            continue
        if _go_type(orig_v) != _go_type(mod_v):
            if not opts.ignore_changes:
                patch[key] = mod_v
            continue
        if isinstance(orig_v, dict):
            _handle_map_diff(key, orig_v, mod_v, patch, node, opts)
        elif isinstance(orig_v, list):
            _handle_slice_diff(key, orig_v, mod_v, patch, node, opts)
        elif not opts.ignore_changes and not _deep_equal(orig_v, mod_v):
            patch[key] = mod_v
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[RETAIN_KEYS] = _sort_scalars(retain)
    return patch


def _lookup_or_equal(lookup: Callable[[str], tuple[_Node, FieldMeta]], key: str, orig_v: Any,
                     mod_v: Any) -> tuple[_Node, FieldMeta] | None:
    """Metadata of `key`; an unknown field only matters when its value changed."""
    try:
        return lookup(key)
    except PatchError:
        if _deep_equal(orig_v, mod_v):
            return None
        raise


def _handle_map_diff(key: str, orig_v: dict, mod_v: dict, patch: dict, node: _Node, opts: _DiffOptions) -> None:
    found = _lookup_or_equal(node.lookup, key, orig_v, mod_v)
    if found is None:
        return
    sub, meta = found
    retain, strategy = _strategy(meta)
    if strategy == REPLACE:
        if not opts.ignore_changes:
            patch[key] = mod_v
        return
    value = _diff_maps(orig_v, mod_v, sub, replace(opts, build_retain_keys=retain))
    if value:
        patch[key] = value


def _handle_slice_diff(key: str, orig_v: list, mod_v: list, patch: dict, node: _Node, opts: _DiffOptions) -> None:
    found = _lookup_or_equal(node.lookup_slice, key, orig_v, mod_v)
    if found is None:
        return
    sub, meta = found
    retain, strategy = _strategy(meta)
    if strategy != MERGE:
        if not opts.ignore_changes and not _deep_equal(orig_v, mod_v):
            patch[key] = mod_v
        return
    additions, deletions, order = _diff_lists(orig_v, mod_v, sub, meta.merge_key or "",
                                              replace(opts, build_retain_keys=retain))
    if additions:
        patch[key] = additions
    if deletions:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deletions
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def _diff_lists(original: list, modified: list, node: _Node, merge_key: str,
                opts: _DiffOptions) -> tuple[list | None, list | None, list | None]:
    """(patch list, scalar deletion list, $setElementOrder list) for a merging list."""
    if not original:
        if not modified or opts.ignore_changes:
            return None, None, None
        return modified, None, None
    kind = _slice_element_kind(original, modified)
    order = None
    if kind == "map":
        patch_list, deletions = _diff_lists_of_maps(original, modified, node, merge_key, opts)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        order_same = len(original) == len(modified) and all(
            _merge_key_value_equal(o, m, merge_key) for o, m in zip(original, modified))
        patch_list = patch_list + deletions
        if opts.set_element_order and ((not opts.ignore_changes and (patch_list or not order_same))
                                       or (not opts.ignore_deletions and patch_list)):
            order = [{merge_key: item[merge_key]} for item in modified]
        return patch_list, None, order
    if kind == "slice":
        raise errors.no_list_of_lists()
    patch_list, deletions = _diff_lists_of_scalars(original, modified, opts)
    patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
    # `original` was sorted in place above (upstream does the same), so an unchanged but
    # unsorted list still yields a $setElementOrder.
    if opts.set_element_order and ((not opts.ignore_deletions and deletions)
                                   or (not opts.ignore_changes and not _deep_equal(original, modified))):
        order = modified
    return patch_list, deletions, order


def _diff_lists_of_scalars(original: list, modified: list, opts: _DiffOptions) -> tuple[list, list]:
    modified_sorted = _sort_scalars(list(modified))
    _sort_scalars(original)  # in place, as upstream
    additions: list = []
    deletions: list = []
    oi = mi = 0
    while oi < len(original) or mi < len(modified_sorted):
        o_in, m_in = oi < len(original), mi < len(modified_sorted)
        o_str = go_sprint(original[oi]) if o_in else ""
        m_str = go_sprint(modified_sorted[mi]) if m_in else ""
        if o_in and m_in and o_str == m_str:
            oi, mi = oi + 1, mi + 1
        elif not o_in or (m_in and o_str > m_str):
            if not opts.ignore_changes:
                additions.append(modified_sorted[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletions.append(original[oi])
            oi += 1
    return additions, _dedupe_scalars(deletions)


def _diff_lists_of_maps(original: list, modified: list, node: _Node, merge_key: str,
                        opts: _DiffOptions) -> tuple[list, list]:
    patch: list = []
    deletions: list = []
    def by_key(item: Any) -> str:
        return go_sprint(item.get(merge_key))

    original_sorted = _sort_by_string(list(original), by_key)
    modified_sorted = _sort_by_string(list(modified), by_key)

    def entry(items: list, index: int) -> tuple[dict, Any, str]:
        item = items[index]
        if not isinstance(item, dict):
            raise errors.bad_arg_type(MAP, item)
        if merge_key not in item:
            raise errors.no_merge_key(item, merge_key)
        return item, item[merge_key], go_sprint(item[merge_key])

    oi = mi = 0
    while oi < len(original_sorted) or mi < len(modified_sorted):
        o_in, m_in = oi < len(original_sorted), mi < len(modified_sorted)
        if o_in:
            o_item, o_key, o_str = entry(original_sorted, oi)
        if m_in:
            m_item, m_key, m_str = entry(modified_sorted, mi)
        if o_in and m_in and o_str == m_str:
            value = _diff_maps(o_item, m_item, node, opts)
            if value:
                value[merge_key] = m_key
                patch.append(value)
            oi, mi = oi + 1, mi + 1
        elif not o_in or (m_in and o_str > m_str):
            if not opts.ignore_changes:
                patch.append(m_item)
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: o_key, DIRECTIVE: DELETE})
            oi += 1
    return patch, deletions


# -- conflicts (kubectl apply --overwrite=false) ------------------------------------------------

def _field_conflicts(left: Any, right: Any, node: _Node, strategy: str, merge_key: str) -> bool:
    """mergingMapFieldsHaveConflicts."""
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        if DIRECTIVE in left or DIRECTIVE in right:
            if (DIRECTIVE in left) != (DIRECTIVE in right):
                return True
            if not _go_eq(left[DIRECTIVE], right[DIRECTIVE]):
                return True
        if strategy == REPLACE:
            return False
        for key, left_v in left.items():
            if key in (DIRECTIVE, RETAIN_KEYS) or key not in right:
                continue
            sub, sub_strategy, sub_key = node, "", ""
            if isinstance(left_v, (dict, list)):
                sub, meta = node.lookup(key) if isinstance(left_v, dict) else node.lookup_slice(key)
                _, sub_strategy = _strategy(meta)
                sub_key = meta.merge_key or ""
            if _field_conflicts(left_v, right[key], sub, sub_strategy, sub_key):
                return True
        return False
    if isinstance(left, list):
        if not isinstance(right, list):
            return True
        kind = _slice_element_kind(left, right)
        if strategy == MERGE:
            if kind != "map":
                return False
            left_map, right_map = _by_merge_key(left, merge_key), _by_merge_key(right, merge_key)
            return any(_field_conflicts(v, right_map[k], node, "", "") for k, v in left_map.items() if k in right_map)
        if len(left) != len(right):
            return True
        if kind != "map":
            # Upstream dedupes and sorts both lists in place: the patch it returns keeps that order.
            left, right = _dedupe_and_sort_in_place(left), _dedupe_and_sort_in_place(right)
        for i, item in enumerate(left):
            if i == len(right):
                # Equal lengths before deduplication, not after: upstream indexes past the end of the
                # right list (slicesHaveConflicts) and kubectl apply --overwrite=false dies of it.
                raise errors.go_panic(f"runtime error: index out of range [{i}] with length {i}")
            if _field_conflicts(item, right[i], node, "", ""):
                return True
        return False
    if left is None or isinstance(left, (str, int, float, bool)):
        return not _deep_equal(left, right)
    raise PatchError(f"unknown type: {type(left).__name__}")


def _dedupe_and_sort_in_place(values: list) -> list:
    """deduplicateAndSortScalars on a Go slice: `values` keeps its length, its head becomes the
    sorted unique values and its tail whatever the swaps left there."""
    n = _dedupe_in_place(values)
    values[:n] = _sort_scalars(values[:n])
    return values[:n]


def _by_merge_key(items: list, merge_key: str) -> dict:
    out = {}
    for item in items:
        if not isinstance(item, dict):
            raise PatchError(f"invalid element type in merging list:{go_sprint(items)}")
        if merge_key not in item:
            raise PatchError(f"cannot find merge key `{merge_key}` in merging list element:{go_sprint(item)}")
        out[go_sprint(item[merge_key], "s")] = item
    return out
