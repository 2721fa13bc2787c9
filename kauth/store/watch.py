"""A Store that tells its watchers about every write made through it, as etcd's watch tells informers.

Caches built from stored objects (the RBAC authorizer's policy) subscribe here and stay in sync
at the cost of one event per write. An event carries the revision the write took; a watcher that
sees a gap (a write made around this wrapper: another process, a state import) must re-list.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from kauth.store.base import Key, Store

# (key, the object after the write or None when deleted, the revision the write took)
Watcher = Callable[[Key, "dict | None", int], None]


class WatchedStore:
    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self._watchers: list[Watcher] = []

    def watch(self, watcher: Watcher) -> None:
        self._watchers.append(watcher)

    def _emit(self, key: Key, obj: dict | None, revision: int) -> None:
        for watcher in self._watchers:
            watcher(key, obj, revision)

    def create(self, key: Key, obj: dict) -> dict:
        out = self.inner.create(key, obj)
        self._emit(key, out, int(out["metadata"]["resourceVersion"]))
        return out

    def update(self, key: Key, obj: dict, expected_rv: str | None = None) -> dict:
        out = self.inner.update(key, obj, expected_rv)
        self._emit(key, out, int(out["metadata"]["resourceVersion"]))
        return out

    def delete(self, key: Key, expected_rv: str | None = None) -> dict:
        out = self.inner.delete(key, expected_rv)
        if self._watchers:
            self._emit(key, None, self.inner.revision())
        return out

    def load(self, objects: Iterable[tuple[Key, dict]], *, keep_resource_version: bool = True) -> int:
        # Many writes in one transaction: watchers see the revision jump and re-list.
        return self.inner.load(objects, keep_resource_version=keep_resource_version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
