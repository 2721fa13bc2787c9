"""An in-memory Store: for tests and for what-if copies of a state."""

from __future__ import annotations

import json
from typing import Iterable

from kauth.api import errors
from kauth.store.base import Key, check_expected, imported_revision, with_resource_version


def _dump(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"))


class MemoryStore:
    """Objects kept as JSON text, so no caller can alias stored state."""

    def __init__(self) -> None:
        self._objects: dict[Key, str] = {}
        self._revision = 0

    def get(self, key: Key) -> dict | None:
        text = self._objects.get(key)
        return json.loads(text) if text is not None else None

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]:
        keys = sorted(k for k in self._objects
                      if k.group == group and k.resource == resource and (namespace is None or k.namespace == namespace))
        return [json.loads(self._objects[k]) for k in keys]

    def create(self, key: Key, obj: dict) -> dict:
        if key in self._objects:
            raise errors.already_exists(key.group, key.resource, key.name)
        return self._write(key, obj)

    def update(self, key: Key, obj: dict, expected_rv: str | None = None) -> dict:
        stored = self.get(key)
        if stored is None:
            raise errors.not_found(key.group, key.resource, key.name)
        check_expected(key, stored, expected_rv)
        return self._write(key, obj)

    def delete(self, key: Key, expected_rv: str | None = None) -> dict:
        stored = self.get(key)
        if stored is None:
            raise errors.not_found(key.group, key.resource, key.name)
        check_expected(key, stored, expected_rv)
        del self._objects[key]
        self._revision += 1
        return stored

    def revision(self) -> int:
        return self._revision

    def load(self, objects: Iterable[tuple[Key, dict]], *, keep_resource_version: bool = True) -> int:
        staged = dict(self._objects)
        revision = self._revision
        count = 0
        for key, obj in objects:
            if keep_resource_version and imported_revision(obj):
                rv = imported_revision(obj)
                revision = max(revision, rv)
                staged[key] = _dump(obj)
            else:
                revision += 1
                staged[key] = _dump(with_resource_version(obj, revision))
            count += 1
        self._objects, self._revision = staged, revision
        return count

    def all_objects(self) -> list[tuple[Key, dict]]:
        return [(k, json.loads(self._objects[k])) for k in sorted(self._objects)]

    def copy(self) -> "MemoryStore":
        twin = MemoryStore()
        twin._objects = dict(self._objects)
        twin._revision = self._revision
        return twin

    def close(self) -> None:
        pass

    def _write(self, key: Key, obj: dict) -> dict:
        self._revision += 1
        stored = with_resource_version(obj, self._revision)
        self._objects[key] = _dump(stored)
        return json.loads(self._objects[key])
