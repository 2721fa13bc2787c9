"""The Store contract, run against both stores: what etcd-backed storage guarantees the API server."""

import pytest

from kauth.api.errors import StatusError
from kauth.store.base import Key
from kauth.store.memory import MemoryStore
from kauth.store.sqlite import SqliteStore

POD = Key("", "pods", "default", "web")


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryStore()
    else:
        s = SqliteStore(tmp_path / "state.db", create=True)
        yield s
        s.close()


def pod(name="web", **extra):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"}, **extra}


def test_create_assigns_the_next_cluster_wide_revision(store):
    first = store.create(POD, pod())
    second = store.create(Key("", "configmaps", "default", "c"), {"metadata": {"name": "c"}})
    assert first["metadata"]["resourceVersion"] == "1"
    assert second["metadata"]["resourceVersion"] == "2"
    assert store.revision() == 2


def test_create_of_a_taken_key_is_already_exists(store):
    store.create(POD, pod())
    with pytest.raises(StatusError) as err:
        store.create(POD, pod())
    assert (err.value.code, err.value.reason, err.value.message) == (409, "AlreadyExists", 'pods "web" already exists')


def test_update_with_a_stale_resource_version_is_a_conflict_and_changes_nothing(store):
    created = store.create(POD, pod())
    store.update(POD, pod(spec={"v": 2}), created["metadata"]["resourceVersion"])
    with pytest.raises(StatusError) as err:
        store.update(POD, pod(spec={"v": 3}), created["metadata"]["resourceVersion"])
    assert err.value.reason == "Conflict"
    assert err.value.message == ('Operation cannot be fulfilled on pods "web": the object has been modified; '
                                 "please apply your changes to the latest version and try again")
    assert store.get(POD)["spec"] == {"v": 2}


def test_delete_returns_the_object_and_bumps_the_revision(store):
    store.create(POD, pod())
    gone = store.delete(POD)
    assert gone["metadata"]["name"] == "web"
    assert store.get(POD) is None
    assert store.revision() == 2


def test_update_and_delete_of_a_missing_object_are_not_found(store):
    for call in (lambda: store.update(POD, pod()), lambda: store.delete(POD)):
        with pytest.raises(StatusError) as err:
            call()
        assert err.value.code == 404


def test_list_filters_by_resource_and_namespace_in_name_order(store):
    store.create(Key("", "pods", "b", "z"), pod("z"))
    store.create(Key("", "pods", "a", "y"), pod("y"))
    store.create(Key("", "pods", "a", "x"), pod("x"))
    store.create(Key("", "services", "a", "s"), {"metadata": {"name": "s"}})
    assert [o["metadata"]["name"] for o in store.list("", "pods")] == ["x", "y", "z"]
    assert [o["metadata"]["name"] for o in store.list("", "pods", "a")] == ["x", "y"]


def test_returned_objects_never_alias_stored_state(store):
    store.create(POD, pod(spec={"containers": []}))
    got = store.get(POD)
    got["spec"]["containers"].append("x")
    assert store.get(POD)["spec"]["containers"] == []


def test_load_keeps_imported_resource_versions_and_moves_the_counter_past_them(store):
    store.load([(POD, pod(metadata={"name": "web", "namespace": "default", "resourceVersion": "4711"}))])
    assert store.get(POD)["metadata"]["resourceVersion"] == "4711"
    assert store.revision() == 4711
    created = store.create(Key("", "pods", "default", "next"), pod("next"))
    assert created["metadata"]["resourceVersion"] == "4712"


def test_copy_is_independent(store):
    store.create(POD, pod())
    twin = store.copy()
    twin.delete(POD)
    assert store.get(POD) is not None
    assert twin.revision() == store.revision() + 1
