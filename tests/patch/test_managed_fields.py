"""Field ownership for Update operations: compare, ownership transfer, entry merging, the 10-manager cap.

Behaviour follows sigs.k8s.io/structured-merge-diff typed/compare.go and merge/update.go, and
k8s.io/apimachinery/pkg/util/managedfields/internal (managedfieldsupdater.go, stripmeta.go, capmanagers.go and
capmanagers_test.go); expected field sets are the ones a real API server writes.
"""

from kauth.api import merge_meta
from kauth.api.apply_types import object_type, zero_object
from kauth.patch import fieldpath as fp
from kauth.patch import managed_fields as mf

DEPLOYMENT = object_type("apps/v1", "Deployment", merge_meta.DEPLOYMENT)
CONFIGMAP = object_type("v1", "ConfigMap", merge_meta.PLAIN)
NOW = "2026-01-01T00:00:00Z"


def configmap(data=None, labels=None):
    meta = {"name": "cm", "namespace": "default"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, **({"data": data} if data is not None else {})}


def fields(comparison_set):
    return fp.to_fields_v1(comparison_set)


# -- compare -----------------------------------------------------------------------------------------


def test_an_added_map_is_added_with_its_keys():
    cmp = mf.compare(configmap(), configmap({"a": "1"}), CONFIGMAP)
    assert fields(cmp.added) == {"f:data": {".": {}, "f:a": {}}}
    assert not cmp.modified and not cmp.removed


def test_a_changed_value_is_modified_and_a_dropped_key_removed():
    cmp = mf.compare(configmap({"a": "1", "b": "2"}), configmap({"a": "x"}), CONFIGMAP)
    assert cmp.modified == {("f:data", "f:a")}
    assert cmp.removed == {("f:data", "f:b")}
    assert not cmp.added


def test_equal_objects_compare_the_same():
    assert mf.compare(configmap({"a": "1"}), configmap({"a": "1"}), CONFIGMAP).same


def test_an_empty_map_on_one_side_is_a_leaf():
    cmp = mf.compare({"spec": {}}, {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx", "resources": {}}]}}}}, DEPLOYMENT)
    item = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}')
    assert {item, item + ("f:resources",), item + ("f:image",)} <= cmp.added


def test_associative_list_items_match_by_key_not_position():
    def containers(*names):
        return {"spec": {"template": {"spec": {"containers": [{"name": n, "image": "i"} for n in names]}}}}
    cmp = mf.compare(containers("a", "b"), containers("b", "a"), DEPLOYMENT)
    assert cmp.same  # reordering an associative list changes no field


def test_container_ports_are_keyed_by_port_and_protocol():
    def ports(*protocols):
        return {"spec": {"template": {"spec": {"containers": [
            {"name": "dns", "ports": [{"containerPort": 53, "protocol": p} for p in protocols]}]}}}}
    cmp = mf.compare(ports("TCP"), ports("TCP", "UDP"), DEPLOYMENT)
    udp = 'k:{"containerPort":53,"protocol":"UDP"}'
    assert any(path[-1] == udp for path in cmp.added)


def test_an_atomic_struct_is_one_leaf():
    before = {"spec": {"selector": {"matchLabels": {"app": "a"}}}}
    after = {"spec": {"selector": {"matchLabels": {"app": "b"}}}}
    assert mf.compare(before, after, DEPLOYMENT).modified == {("f:spec", "f:selector")}


def test_an_associative_list_item_without_its_key_cannot_be_compared():
    import pytest

    with pytest.raises(mf.CompareError):
        mf.compare({}, {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}, DEPLOYMENT)


def test_a_create_is_compared_against_the_kinds_zero_value():
    zero = zero_object("apps/v1", "Deployment", merge_meta.DEPLOYMENT)
    assert zero["spec"]["template"] == {"metadata": {"creationTimestamp": None}, "spec": {"containers": None}}
    new = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"strategy": {"type": "Recreate"},
                    "template": {"spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    added = mf.compare(zero, new, DEPLOYMENT).changed()
    # spec, strategy, template and containers exist in the zero value: they are not owned themselves.
    assert ("f:spec", "f:strategy") not in added and ("f:spec", "f:template", "f:spec", "f:containers") not in added
    assert ("f:spec", "f:strategy", "f:type") in added


# -- record_update -------------------------------------------------------------------------------------


def creator_and(*managers):
    return {mf.Manager(name, mf.UPDATE, "v1"): mf.Entry(frozenset(paths), "v1", "2025-01-01T00:00:00Z")
            for name, paths in managers}


def test_a_create_gives_the_writer_every_field_it_set_but_metadata_it_cannot_own():
    cmp = mf.compare(zero_object("v1", "ConfigMap", merge_meta.PLAIN), configmap({"k": "v"}, {"app": "x"}), CONFIGMAP)
    writer = mf.Manager("kubectl-create", mf.UPDATE, "v1")
    managers = mf.record_update({}, cmp, writer, NOW)
    assert mf.encode(managers) == [{
        "manager": "kubectl-create", "operation": "Update", "apiVersion": "v1", "time": NOW, "fieldsType": "FieldsV1",
        "fieldsV1": {"f:data": {".": {}, "f:k": {}}, "f:metadata": {"f:labels": {".": {}, "f:app": {}}}}}]


def test_a_changed_field_moves_to_the_writer():
    data = ("f:data", "f:k")
    managers = creator_and(("creator", [("f:data",), data]))
    cmp = mf.compare(configmap({"k": "v"}), configmap({"k": "new"}), CONFIGMAP)
    out = mf.record_update(managers, cmp, mf.Manager("editor", mf.UPDATE, "v1"), NOW)
    assert out[mf.Manager("creator", mf.UPDATE, "v1")].fields == {("f:data",)}
    assert out[mf.Manager("editor", mf.UPDATE, "v1")] == mf.Entry(frozenset({data}), "v1", NOW)


def test_a_removed_field_leaves_every_manager_and_empty_entries_go():
    managers = creator_and(("creator", [("f:data", "f:k")]))
    cmp = mf.compare(configmap({"k": "v"}), configmap({}), CONFIGMAP)
    assert mf.record_update(managers, cmp, mf.Manager("editor", mf.UPDATE, "v1"), NOW) == {}


def test_a_write_that_changes_nothing_keeps_entries_and_times():
    managers = creator_and(("creator", [("f:data", "f:k")]))
    cmp = mf.compare(configmap({"k": "v"}), configmap({"k": "v"}), CONFIGMAP)
    assert mf.record_update(managers, cmp, mf.Manager("editor", mf.UPDATE, "v1"), NOW) == managers


def test_a_managers_later_updates_merge_into_one_entry_with_the_latest_time():
    # TestApplyManagedFields (test/integration/apiserver/apply): two merge patches by "updater" are one entry.
    updater = mf.Manager("updater", mf.UPDATE, "v1")
    first = mf.record_update({}, mf.compare(configmap({"key": "value"}), configmap({"key": "value", "new-key": "value"}),
                                            CONFIGMAP), updater, "2026-01-01T00:00:00Z")
    second = mf.record_update(first, mf.compare(configmap({"key": "value", "new-key": "value"}),
                                                configmap({"key": "new value", "new-key": "value"}), CONFIGMAP),
                              updater, "2026-01-01T00:00:01Z")
    assert mf.encode(second)[0]["fieldsV1"] == {"f:data": {"f:key": {}, "f:new-key": {}}}
    assert mf.encode(second)[0]["time"] == "2026-01-01T00:00:01Z"


def test_the_same_manager_through_a_subresource_is_a_separate_entry():
    managers = creator_and(("kubectl-create", [("f:spec", "f:replicas")]))
    scale = mf.Manager("kubectl-create", mf.UPDATE, "v1", "scale")
    cmp = mf.Comparison(frozenset(), frozenset({("f:spec", "f:replicas")}), frozenset())
    out = mf.record_update(managers, cmp, scale, NOW)
    assert list(out) == [scale]
    assert mf.encode(out)[0]["subresource"] == "scale"


def test_reset_fields_are_owned_by_nobody():
    cmp = mf.Comparison(frozenset({("f:status",), ("f:status", "f:phase")}), frozenset(), frozenset())
    assert mf.record_update({}, cmp, mf.Manager("w"), NOW, ignored=[("f:status",)]) == {}


def test_metadata_that_nobody_owns_is_stripped():
    cmp = mf.Comparison(frozenset({("f:metadata", "f:name"), ("f:metadata", "f:uid"), ("f:kind",)}), frozenset(),
                        frozenset())
    assert mf.record_update({}, cmp, mf.Manager("w"), NOW) == {}


# -- encode / decode -----------------------------------------------------------------------------------


def test_entries_are_sorted_by_operation_time_and_manager():
    managers = {mf.Manager("b"): mf.Entry(frozenset({("f:a",)}), "v1", "2026-01-01T00:00:01Z"),
                mf.Manager("a"): mf.Entry(frozenset({("f:a",)}), "v1", "2026-01-01T00:00:01Z"),
                mf.Manager("z"): mf.Entry(frozenset({("f:a",)}), "v1", "2026-01-01T00:00:00Z"),
                mf.Manager("y", mf.APPLY): mf.Entry(frozenset({("f:a",)}), "v1", "2026-01-01T00:00:09Z")}
    assert [e["manager"] for e in mf.encode(managers)] == ["y", "z", "a", "b"]


def test_decode_rejects_what_the_api_server_cannot_decode():
    import pytest

    good = {"manager": "m", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {}}
    for bad in ({**good, "operation": "Patch"}, {**good, "apiVersion": ""}, {**good, "fieldsType": ""},
                {**good, "fieldsType": "FieldsV2"}, {**good, "fieldsV1": {"x": {}}}):
        with pytest.raises(mf.ManagedFieldsError):
            mf.decode([bad])
    assert mf.decode([good]) == {mf.Manager("m", mf.UPDATE, "v1"): mf.Entry(frozenset(), "v1", None)}


def test_an_empty_list_or_one_empty_entry_resets_managed_fields():
    assert mf.is_reset([]) and mf.is_reset([{}])
    assert not mf.is_reset(None) and not mf.is_reset([{"manager": "m"}])


def test_the_manager_defaults_to_the_user_agent_before_its_first_slash():
    assert mf.manager_name("", "kubectl/v1.32.4 (linux/amd64) kubernetes/abc") == "kubectl"
    assert mf.manager_name("kubectl-edit", "kubectl/v1.32.4") == "kubectl-edit"
    assert mf.manager_name("", "x" * 200 + "/1") == "x" * 128


# -- the cap on Update managers (capmanagers_test.go) ---------------------------------------------------


def update_entries(count, version="v1"):
    return {mf.Manager(f"m{i:02}", mf.UPDATE, version): mf.Entry(frozenset({(f"f:f{i}",)}), version,
                                                                 f"2026-01-01T00:00:{i:02}Z")
            for i in range(count)}


def test_ten_update_managers_are_kept():
    assert mf.cap_update_managers(update_entries(10)) == update_entries(10)


def test_the_oldest_update_managers_merge_into_ancient_changes():
    capped = mf.cap_update_managers(update_entries(12))
    assert len(capped) == 10
    bucket = capped[mf.Manager(mf.ANCIENT_CHANGES, mf.UPDATE, "v1")]
    assert bucket.fields == {("f:f0",), ("f:f1",), ("f:f2",)}
    assert bucket.time == "2026-01-01T00:00:02Z"  # the newest time merged in
    assert mf.Manager("m03", mf.UPDATE, "v1") in capped


def test_apply_managers_do_not_count_toward_the_cap():
    managers = {**update_entries(10),
                mf.Manager("applier", mf.APPLY): mf.Entry(frozenset({("f:x",)}), "v1", "2026-01-01T00:00:00Z")}
    assert mf.cap_update_managers(managers) == managers
