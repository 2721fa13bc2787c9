"""The embedded Store: one SQLite file in WAL mode, one transaction per write.

A write runs inside BEGIN IMMEDIATE, so writers from several processes are serialised by
SQLite's lock and the resourceVersion precondition is checked against what is committed:
two processes updating one object at once never lose an update, one of them gets 409.
A transaction is atomic on disk, so a process killed at any moment leaves the state as it
was before or after the write, never between.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from kauth.api import errors
from kauth.store.base import Key, check_expected, imported_revision, with_resource_version
from kauth.store.memory import MemoryStore

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS objects (
    grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
    rv INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (grp, resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StateNotFound(FileNotFoundError):
    """No state file where one was expected."""


class SqliteStore:
    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StateNotFound(str(self.path))
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE.
        # check_same_thread off: `kauth serve` answers on a thread per connection, one request at a time
        # under its lock, so the connection is never used by two threads at once.
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._write():
            for statement in filter(str.strip, _DDL.split(";")):
                self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def _next_revision(self) -> int:
        (value,) = self._db.execute("SELECT value FROM meta WHERE key='revision'").fetchone()
        revision = int(value) + 1
        self._db.execute("UPDATE meta SET value=? WHERE key='revision'", (str(revision),))
        return revision

    def _get(self, key: Key) -> dict | None:
        row = self._db.execute(
            "SELECT data FROM objects WHERE grp=? AND resource=? AND namespace=? AND name=?",
            (key.group, key.resource, key.namespace, key.name)).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, key: Key) -> dict | None:
        return self._get(key)

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]:
        if namespace is None:
            rows = self._db.execute(
                "SELECT data FROM objects WHERE grp=? AND resource=? ORDER BY namespace, name", (group, resource))
        else:
            rows = self._db.execute(
                "SELECT data FROM objects WHERE grp=? AND resource=? AND namespace=? ORDER BY name",
                (group, resource, namespace))
        return [json.loads(data) for (data,) in rows]

    def create(self, key: Key, obj: dict) -> dict:
        with self._write():
            if self._get(key) is not None:
                raise errors.already_exists(key.group, key.resource, key.name)
            return self._put(key, obj)

    def update(self, key: Key, obj: dict, expected_rv: str | None = None) -> dict:
        with self._write():
            stored = self._get(key)
            if stored is None:
                raise errors.not_found(key.group, key.resource, key.name)
            check_expected(key, stored, expected_rv)
            return self._put(key, obj)

    def delete(self, key: Key, expected_rv: str | None = None) -> dict:
        with self._write():
            stored = self._get(key)
            if stored is None:
                raise errors.not_found(key.group, key.resource, key.name)
            check_expected(key, stored, expected_rv)
            self._next_revision()
            self._db.execute("DELETE FROM objects WHERE grp=? AND resource=? AND namespace=? AND name=?",
                             (key.group, key.resource, key.namespace, key.name))
            return stored

    def revision(self) -> int:
        (value,) = self._db.execute("SELECT value FROM meta WHERE key='revision'").fetchone()
        return int(value)

    def load(self, objects: Iterable[tuple[Key, dict]], *, keep_resource_version: bool = True) -> int:
        count = 0
        with self._write():
            revision = self.revision()
            for key, obj in objects:
                imported = imported_revision(obj) if keep_resource_version else 0
                if imported:
                    revision = max(revision, imported)
                    stored, rv = obj, imported
                else:
                    revision += 1
                    stored, rv = with_resource_version(obj, revision), revision
                self._db.execute("INSERT OR REPLACE INTO objects VALUES (?,?,?,?,?,?)",
                                 (key.group, key.resource, key.namespace, key.name, rv, _dump(stored)))
                count += 1
            self._db.execute("UPDATE meta SET value=? WHERE key='revision'", (str(revision),))
        return count

    def all_objects(self) -> list[tuple[Key, dict]]:
        rows = self._db.execute("SELECT grp, resource, namespace, name, data FROM objects "
                                "ORDER BY grp, resource, namespace, name")
        return [(Key(g, r, ns, n), json.loads(d)) for g, r, ns, n, d in rows]

    def copy(self) -> MemoryStore:
        twin = MemoryStore()
        twin.load(self.all_objects())
        twin._revision = self.revision()
        return twin

    def close(self) -> None:
        self._db.close()

    def _put(self, key: Key, obj: dict) -> dict:
        stored = with_resource_version(obj, self._next_revision())
        self._db.execute("INSERT OR REPLACE INTO objects VALUES (?,?,?,?,?,?)",
                         (key.group, key.resource, key.namespace, key.name,
                          int(stored["metadata"]["resourceVersion"]), _dump(stored)))
        return stored


def _dump(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"))
