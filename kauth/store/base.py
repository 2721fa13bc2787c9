"""The Store protocol: the only place with state.

Objects are JSON-compatible dicts keyed by (group, resource, namespace, name); namespace is
"" for cluster-scoped objects. Every write takes the next value of one cluster-wide counter
as the object's metadata.resourceVersion, as etcd revisions do. A write that names an
expected resourceVersion fails with 409 Conflict when the stored one differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from kauth.api import errors


@dataclass(frozen=True, order=True)
class Key:
    group: str
    resource: str
    namespace: str
    name: str


class Store(Protocol):
    def get(self, key: Key) -> dict | None:
        """The stored object, or None."""

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]:
        """Objects of one resource, in one namespace or (None) in all; sorted by namespace, name."""

    def create(self, key: Key, obj: dict) -> dict:
        """Store a new object; 409 AlreadyExists when the key is taken. Returns it with its resourceVersion."""

    def update(self, key: Key, obj: dict, expected_rv: str | None = None) -> dict:
        """Replace a stored object; 404 when absent, 409 Conflict when expected_rv is stale."""

    def delete(self, key: Key, expected_rv: str | None = None) -> dict:
        """Remove an object and return it; 404 when absent, 409 Conflict when expected_rv is stale."""

    def revision(self) -> int:
        """The cluster-wide counter: the resourceVersion the last write took."""

    def load(self, objects: Iterable[tuple[Key, dict]], *, keep_resource_version: bool = True) -> int:
        """Store many objects in one transaction, all or none (state import). Returns how many."""

    def all_objects(self) -> list[tuple[Key, dict]]:
        """Every stored object, in key order."""

    def copy(self) -> "Store":
        """An independent in-memory copy of the whole state (what-if runs work on one)."""

    def close(self) -> None:
        ...


def check_expected(key: Key, stored: dict, expected_rv: str | None) -> None:
    """Optimistic concurrency: the precondition every update and delete checks."""
    if expected_rv and stored.get("metadata", {}).get("resourceVersion") != expected_rv:
        raise errors.conflict(key.group, key.resource, key.name)


def with_resource_version(obj: dict, rv: int) -> dict:
    meta = dict(obj.get("metadata") or {})
    meta["resourceVersion"] = str(rv)
    out = dict(obj)
    out["metadata"] = meta
    return out


def imported_revision(obj: dict) -> int:
    """The numeric resourceVersion an imported object carries (0 when absent or not a number)."""
    rv = (obj.get("metadata") or {}).get("resourceVersion")
    try:
        return int(rv)
    except (TypeError, ValueError):
        return 0
