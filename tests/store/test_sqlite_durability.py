"""SQLite state: survives kill -9 mid-write, and concurrent writers from two processes lose no update."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from hypothesis import given, settings, strategies as st

from kauth.store.base import Key
from kauth.store.memory import MemoryStore
from kauth.store.sqlite import SqliteStore

BULK_WRITER = textwrap.dedent("""
    import sys
    from kauth.store.base import Key
    from kauth.store.sqlite import SqliteStore
    store = SqliteStore(sys.argv[1], create=True)
    print("ready", flush=True)
    for i in range(100000):
        store.create(Key("", "configmaps", "default", f"cm-{i}"),
                     {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"},
                      "data": {"payload": "x" * 2000, "index": str(i)}})
""")

CONTENDER = textwrap.dedent("""
    import sys
    from kauth.api.errors import StatusError
    from kauth.store.base import Key
    from kauth.store.sqlite import SqliteStore
    store = SqliteStore(sys.argv[1])
    key = Key("", "configmaps", "default", "counter")
    wins = conflicts = 0
    while wins < int(sys.argv[2]):
        live = store.get(key)
        live["data"]["n"] = str(int(live["data"]["n"]) + 1)
        try:
            store.update(key, live, live["metadata"]["resourceVersion"])
            wins += 1
        except StatusError as err:
            assert err.reason == "Conflict", err
            conflicts += 1
    print(wins, conflicts)
""")


def test_kill_9_during_bulk_create_leaves_only_whole_objects(tmp_path):
    path = tmp_path / "state.db"
    writer = subprocess.Popen([sys.executable, "-c", BULK_WRITER, str(path)], stdout=subprocess.PIPE)
    assert writer.stdout.readline().strip() == b"ready"
    time.sleep(0.8)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()

    store = SqliteStore(path)
    objects = store.list("", "configmaps", "default")
    assert objects, "the writer should have committed some objects before it was killed"
    indexes = sorted(int(o["data"]["index"]) for o in objects)
    assert indexes == list(range(len(indexes))), "every committed create is there, in order, none torn"
    assert all(o["data"]["payload"] == "x" * 2000 for o in objects)
    assert store.revision() == len(objects)
    store.create(Key("", "configmaps", "default", "after"), {"metadata": {"name": "after"}})


def test_two_processes_updating_one_object_never_lose_an_update(tmp_path):
    path = tmp_path / "state.db"
    store = SqliteStore(path, create=True)
    store.create(Key("", "configmaps", "default", "counter"), {"metadata": {"name": "counter"}, "data": {"n": "0"}})
    per_process = 150
    procs = [subprocess.Popen([sys.executable, "-c", CONTENDER, str(path), str(per_process)], stdout=subprocess.PIPE)
             for _ in range(2)]
    results = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    final = store.get(Key("", "configmaps", "default", "counter"))
    # Every successful read-modify-write is counted exactly once: optimistic concurrency lost nothing.
    assert final["data"]["n"] == str(2 * per_process)
    assert sum(int(wins) for wins, _ in results) == 2 * per_process


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)

objects = st.lists(
    st.tuples(st.sampled_from(["", "apps"]), st.sampled_from(["pods", "deployments"]),
              st.sampled_from(["default", "dev"]), st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
              json_values),
    max_size=12, unique_by=lambda t: t[:4])


@settings(max_examples=60, deadline=None)
@given(objects)
def test_export_import_export_is_identical(tmp_path_factory, generated):
    from kauth.state import export_state

    first = MemoryStore()
    for group, resource, namespace, name, payload in generated:
        first.create(Key(group, resource, namespace, name), {"metadata": {"name": name}, "payload": payload})
    exported = export_state(first)
    path = tmp_path_factory.mktemp("rt") / "state.db"
    second = SqliteStore(path, create=True)
    second.load([(k, o) for k, o in first.all_objects()])
    assert json.dumps(export_state(second)) == json.dumps(exported)
    assert second.revision() == first.revision() or not generated
    second.close()


# Two clients, each on its own connection to one state file, interleave read-modify-write steps in
# an order hypothesis chooses. The model: a write succeeds exactly when nobody wrote since the
# writer's read; otherwise it is a Conflict and changes nothing.
schedules = st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from(["read", "write"])), max_size=30)


@settings(max_examples=60, deadline=None)
@given(schedules)
def test_interleaved_writers_on_two_connections_follow_optimistic_concurrency(tmp_path_factory, schedule):
    from kauth.api.errors import StatusError

    path = tmp_path_factory.mktemp("cc") / "state.db"
    key = Key("", "configmaps", "default", "counter")
    clients = [SqliteStore(path, create=True), None]
    clients[0].create(key, {"metadata": {"name": "counter"}, "data": {"n": "0"}})
    clients[1] = SqliteStore(path)
    seen: list[dict | None] = [None, None]
    writes_since_read = [0, 0]
    committed = 0
    for client, step in schedule:
        if step == "read":
            seen[client], writes_since_read[client] = clients[client].get(key), 0
            continue
        if seen[client] is None:
            continue
        body = json.loads(json.dumps(seen[client]))
        body["data"]["n"] = str(int(body["data"]["n"]) + 1)
        try:
            clients[client].update(key, body, body["metadata"]["resourceVersion"])
        except StatusError as err:
            assert err.reason == "Conflict" and writes_since_read[client] > 0
        else:
            assert writes_since_read[client] == 0, "a write over a newer version must be refused"
            committed += 1
            writes_since_read[1 - client] += 1
        seen[client] = None  # a client reads again before its next write
    final = clients[0].get(key)
    assert final["data"]["n"] == str(committed)
    assert int(final["metadata"]["resourceVersion"]) == 1 + committed
    for store in clients:
        store.close()
