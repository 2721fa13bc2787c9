"""Field management for writes that are not server-side apply: who owns which field after an Update.

The API server records `metadata.managedFields` on every create, update and patch (operation Update).
This module is that bookkeeping as pure functions, after k8s.io/apimachinery/pkg/util/managedfields/internal
(fieldmanager.go, managedfields.go, managedfieldsupdater.go, stripmeta.go, capmanagers.go, skipnonapplied.go)
and sigs.k8s.io/structured-merge-diff (typed/compare.go, merge/update.go):

- `compare` walks the live and the new object with the kind's type (kauth.api.apply_types) and returns the
  fields added, modified and removed;
- `record_update` gives the writer the fields it added or changed, takes them from every other manager
  (an Update never conflicts: it forces), drops removed fields from everyone, strips the fields nobody owns
  (name, uid, resourceVersion...), merges the entry with the writer's earlier one (same manager, operation,
  apiVersion and subresource) and stamps its time, then caps Update entries at 10 (older ones merged into
  `ancient-changes`).

Managers are kept as {Manager: Entry}; server-side apply (operation Apply, conflicts) will add to this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from kauth.api.apply_types import LIST, MAP, SCALAR, SET, STRUCT, UNTYPED, TypeNode
from kauth.patch import fieldpath
from kauth.patch.fieldpath import FIELD, FieldSet, FieldsError, Path

UPDATE, APPLY = "Update", "Apply"
FIELDS_V1 = "FieldsV1"
MAX_UPDATE_MANAGERS = 10  # DefaultMaxUpdateManagers
ANCIENT_CHANGES = "ancient-changes"
MANAGER_MAX_LENGTH = 128  # validation.FieldManagerMaxLength

# Never owned by anyone (stripmeta.go).
STRIPPED: FieldSet = frozenset((f,) if m is None else (f, m) for f, m in [
    ("f:apiVersion", None), ("f:kind", None), ("f:metadata", None),
    *(("f:metadata", f"f:{name}") for name in ("name", "namespace", "creationTimestamp", "selfLink", "uid",
                                              "clusterName", "generation", "managedFields", "resourceVersion")),
])

_MISSING = object()


# -- compare (typed.Compare) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    added: FieldSet
    modified: FieldSet
    removed: FieldSet

    @property
    def same(self) -> bool:
        return not (self.added or self.modified or self.removed)

    def changed(self) -> FieldSet:
        return self.added | self.modified

    def without(self, prefixes: Iterable[Path]) -> "Comparison":
        """The comparison with reset fields (and everything below them) left out."""
        prefixes = tuple(prefixes)
        return Comparison(*(fieldpath.without_prefixes(s, prefixes) for s in (self.added, self.modified, self.removed)))


class CompareError(ValueError):
    """The objects do not fit their type (an associative list item without its key, a set of objects)."""


def compare(live: Any, new: Any, type_: TypeNode) -> Comparison:
    """Fields `new` adds to, changes in and removes from `live`. Leaves are scalars, atomic lists and maps, and
    maps or lists empty on both sides; a struct, map, list item or list that is missing on one side is also
    added or removed itself (its `.` in FieldsV1). Recursive: a typed object is as deep as its type (an
    untyped value nested past the recursion limit raises RecursionError)."""
    added: list[Path] = []
    modified: list[Path] = []
    removed: list[Path] = []

    def walk(lhs: Any, rhs: Any, node: TypeNode, path: Path) -> None:
        kind = node.kind
        if lhs is not _MISSING and rhs is not _MISSING:
            if type(lhs) is type(rhs) and type(lhs) in (dict, list) and lhs == rhs:
                return  # nothing below an unchanged value changes (typed fields never mix true and 1)
        if kind is SCALAR or node.atomic:
            leaf = True
        elif kind is STRUCT or kind is MAP or (kind is UNTYPED and isinstance(_present(lhs, rhs), dict)):
            left = lhs if type(lhs) is dict else None
            right = rhs if type(rhs) is dict else None
            leaf = not (left or right)  # empty (or null) on both sides: a leaf, which keeps {} apart from null
        elif kind is LIST:
            left = lhs if type(lhs) is list else None
            right = rhs if type(rhs) is list else None
            leaf = not (left or right)
            if not leaf:
                left, right = _index_items(left or (), node), _index_items(right or (), node)
        else:
            leaf = True  # untyped lists are atomic (the deduced type)
        if leaf:
            if lhs is _MISSING:
                added.append(path)
            elif rhs is _MISSING:
                removed.append(path)
            elif not _equal(lhs, rhs):
                modified.append(path)
            return
        if lhs is _MISSING:
            added.append(path)
        elif rhs is _MISSING:
            removed.append(path)
        left, right = left or {}, right or {}
        if kind is LIST:
            item = node.element
            for element, value in left.items():
                walk(value, right.get(element, _MISSING), item, path + (element,))
            for element, value in right.items():
                if element not in left:
                    walk(_MISSING, value, item, path + (element,))
            return
        field = node.field
        for name, value in left.items():
            walk(value, right.get(name, _MISSING), field(name), path + (FIELD + name,))
        for name, value in right.items():
            if name not in left:
                walk(_MISSING, value, field(name), path + (FIELD + name,))

    walk(live, new, type_, ())
    return Comparison(frozenset(added), frozenset(modified), frozenset(removed))


def _present(lhs: Any, rhs: Any) -> Any:
    return rhs if rhs is not _MISSING and rhs is not None else lhs


def _index_items(items: Iterable, node: TypeNode) -> dict[str, Any]:
    """Each item by its path element; a repeated element keeps its first item (indexListPathElements)."""
    out: dict[str, Any] = {}
    for item in items:
        if node.list_type == SET:
            if isinstance(item, (dict, list)):
                raise CompareError("a set list holds only scalars")
            element = fieldpath.value(item)
        else:
            if not isinstance(item, dict):
                raise CompareError("an associative list holds only objects")
            missing = [k for k in node.keys if k not in item]
            if missing:
                raise CompareError(f"associative list with keys has an element that omits key field {missing[0]!r}")
            element = fieldpath.key({k: item[k] for k in node.keys})
        out.setdefault(element, item)
    return out


def _equal(a: Any, b: Any) -> bool:
    """value.Equals: JSON equality, where true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return type(a) in (int, float) and type(b) in (int, float) and a == b or (type(a) is type(b) and a == b)


# -- managers (managedfields.go) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Manager:
    """What tells entries apart (BuildManagerIdentifier): an applier's apiVersion is not part of it."""

    manager: str
    operation: str = UPDATE
    api_version: str = ""
    subresource: str = ""


class Entry:
    """One manager's fields, apiVersion and time. The set is decoded from its FieldsV1 only when a write
    touches it, and an entry no write touched is encoded back as it came (most writes change few fields)."""

    __slots__ = ("_fields", "fields_v1", "api_version", "time")

    def __init__(self, fields: FieldSet | None, api_version: str, time: str | None = None,
                 fields_v1: dict | None = None) -> None:
        self._fields = fields
        self.fields_v1 = fields_v1
        self.api_version = api_version
        self.time = time

    @property
    def fields(self) -> FieldSet:
        if self._fields is None:
            self._fields = fieldpath.from_fields_v1(self.fields_v1)
        return self._fields

    def owns_any(self, paths: Iterable[Path]) -> bool:
        """Whether any of `paths` is in the set (read from FieldsV1 directly when not yet decoded)."""
        if self._fields is not None:
            return not self._fields.isdisjoint(paths)
        return any(fieldpath.contains(self.fields_v1, path) for path in paths)

    def with_fields(self, fields: FieldSet) -> "Entry":
        return Entry(fields, self.api_version, self.time)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and (self.fields, self.api_version, self.time) == \
            (other.fields, other.api_version, other.time)

    def __repr__(self) -> str:
        return f"Entry({sorted(self.fields)!r}, {self.api_version!r}, {self.time!r})"


class ManagedFieldsError(ValueError):
    """metadata.managedFields that do not decode (DecodeManagedFields)."""


def decode(entries: Any) -> dict[Manager, Entry]:
    """metadata.managedFields as managers and their field sets."""
    out: dict[Manager, Entry] = {}
    for i, entry in enumerate(entries or []):
        if not isinstance(entry, dict):
            raise ManagedFieldsError(f"managed fields entry {i} is not an object")
        operation = entry.get("operation")
        if operation not in (APPLY, UPDATE):
            raise ManagedFieldsError("operation must be `Apply` or `Update`")
        if not entry.get("apiVersion"):
            raise ManagedFieldsError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType") or ""
        if fields_type != FIELDS_V1:
            raise ManagedFieldsError(f"missing fieldsType in managed fields entry {i}" if not fields_type else
                                     f"invalid fieldsType {fields_type!r} in managed fields entry {i}")
        fields_v1 = entry.get("fieldsV1") if entry.get("fieldsV1") is not None else {}
        try:
            fieldpath.check_fields_v1(fields_v1)
        except FieldsError as err:
            raise ManagedFieldsError(f"error decoding versioned set: {err}") from None
        who = Manager(str(entry.get("manager") or ""), operation,
                      "" if operation == APPLY else entry["apiVersion"], str(entry.get("subresource") or ""))
        out[who] = Entry(None, entry["apiVersion"], entry.get("time"), fields_v1)
    return out


def encode(managers: Mapping[Manager, Entry]) -> list[dict] | None:
    """Managers as metadata.managedFields, in the API server's order: by operation, time, manager, apiVersion,
    subresource (sortEncodedManagedFields); None when there are none."""
    if not managers:
        return None
    entries = []
    for who, entry in managers.items():
        encoded: dict[str, Any] = {"manager": who.manager, "operation": who.operation, "apiVersion": entry.api_version}
        if entry.time is not None:
            encoded["time"] = entry.time
        encoded["fieldsType"] = FIELDS_V1
        encoded["fieldsV1"] = entry.fields_v1 if entry.fields_v1 is not None else fieldpath.to_fields_v1(entry.fields)
        if who.subresource:
            encoded["subresource"] = who.subresource
        entries.append(encoded)
    entries.sort(key=lambda e: (e["operation"], e.get("time") or "", e["manager"], e["apiVersion"],
                                e.get("subresource", "")))
    return entries


def is_reset(entries: Any) -> bool:
    """A request that sends `managedFields: []` (or one empty entry) clears them (isResetManagedFields)."""
    return isinstance(entries, list) and (not entries or (len(entries) == 1 and entries[0] in ({}, None)))


# -- the Update operation (merge.Updater.Update and the managers wrapped around it) --------------------


def record_update(managers: Mapping[Manager, Entry], comparison: Comparison, writer: Manager, now: str,
                  ignored: Iterable[Path] = ()) -> dict[Manager, Entry]:
    """The managers after `writer` made the change `comparison` describes (see the module docstring).
    `ignored`: the reset fields of the endpoint written to (status on the main resource, spec on /status)."""
    ignored = tuple(ignored)
    visible = comparison.without(ignored) if ignored else comparison
    lost = visible.changed() | visible.removed
    out: dict[Manager, Entry] = {}
    for who, entry in managers.items():
        if not lost or not entry.owns_any(lost):
            out[who] = entry
        elif left := entry.fields - lost:
            out[who] = entry.with_fields(left)
    if comparison.same:
        return out
    owned = visible.changed() - STRIPPED
    if owned:
        previous = out.get(writer)
        out[writer] = Entry(owned | previous.fields if previous else owned, writer.api_version, now)
    return cap_update_managers(out)


def cap_update_managers(managers: dict[Manager, Entry], limit: int = MAX_UPDATE_MANAGERS) -> dict[Manager, Entry]:
    """At most `limit` Update entries: the oldest are merged, per apiVersion, into `ancient-changes`
    (capmanagers.go; the first old entry of a version becomes the bucket when a second one joins it)."""
    updaters = [who for who in managers if who.operation == UPDATE]
    if len(updaters) <= limit:
        return managers
    out = dict(managers)
    updaters.sort(key=lambda who: (out[who].time or "", who.manager))
    first_of_version: dict[str, Manager] = {}
    length = len(updaters)
    for who in updaters:
        if length <= limit:
            break
        entry = out[who]
        bucket = Manager(ANCIENT_CHANGES, UPDATE, entry.api_version)
        first = first_of_version.get(entry.api_version)
        if first is None:
            first_of_version[entry.api_version] = who
            continue
        if bucket not in out:
            out[bucket] = out.pop(first)
        out[bucket] = Entry(entry.fields | out[bucket].fields, entry.api_version, entry.time)
        del out[who]
        length -= 1
    return out


def manager_name(field_manager: str, user_agent: str) -> str:
    """The writer's name: fieldManager, else the User-Agent up to its first `/`, printable characters only,
    at most 128 bytes (managerOrUserAgent in handlers/rest.go)."""
    if field_manager:
        return field_manager
    out = ""
    for char in user_agent.split("/")[0]:
        if not char.isprintable():
            continue
        if len((out + char).encode()) > MANAGER_MAX_LENGTH:
            break
        out += char
    return out


__all__ = ["Comparison", "CompareError", "compare", "Manager", "Entry", "ManagedFieldsError", "decode", "encode",
           "is_reset", "record_update", "cap_update_managers", "manager_name", "STRIPPED", "UPDATE", "APPLY",
           "MAX_UPDATE_MANAGERS", "ANCIENT_CHANGES"]
