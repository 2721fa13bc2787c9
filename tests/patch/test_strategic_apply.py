"""Applying strategic merge patches: each directive and each error, expectations taken from
`kubectl patch --local --type strategic` (kubectl v1.32.4) on the same objects."""

from __future__ import annotations

import copy

import pytest

from kauth.api.merge_meta import DEPLOYMENT, POD
from kauth.patch import PatchError, apply_patch

WEB = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}, "finalizers": ["a", "b"]},
    "spec": {
        "containers": [{"name": "nginx", "image": "nginx:1.25", "args": ["-g", "daemon off;"],
                        "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                        "ports": [{"containerPort": 80}]}],
        "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
        "tolerations": [{"key": "k1", "operator": "Exists"}],
    },
}
NGINX = WEB["spec"]["containers"][0]


def patched(patch: dict, obj: dict = WEB) -> dict:
    return apply_patch(obj, patch, POD)


def nginx_after(patch: dict) -> dict:
    return patched(patch)["spec"]["containers"][0]


# -- maps ---------------------------------------------------------------------------------------

def test_map_keys_merge_and_null_deletes_a_key():
    assert patched({"metadata": {"labels": {"tier": None, "team": "blue"}}})["metadata"]["labels"] == {
        "app": "web", "team": "blue"}


def test_patch_replace_replaces_a_whole_map():
    assert patched({"metadata": {"labels": {"$patch": "replace", "only": "me"}}})["metadata"]["labels"] == {"only": "me"}


def test_patch_delete_leaves_an_empty_map():
    assert patched({"metadata": {"labels": {"$patch": "delete"}}})["metadata"]["labels"] == {}


def test_top_level_patch_replace_replaces_the_object():
    patch = {"$patch": "replace", "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}
    assert patched(patch) == {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}


def test_a_value_of_another_type_replaces_the_old_one():
    assert patched({"metadata": {"labels": "oops"}})["metadata"]["labels"] == "oops"


def test_nulls_inside_new_values_are_dropped():
    # Upstream drops nulls from values it copies in whole (the key was absent).
    result = patched({"metadata": {"annotations": {"a": None, "b": "x"}}, "spec": {"nodeSelector": {"disk": "ssd", "zone": None}}})
    assert result["metadata"]["annotations"] == {"b": "x"}
    assert result["spec"]["nodeSelector"] == {"disk": "ssd"}


def test_directive_maps_inside_new_values_are_dropped():
    result = patched({"spec": {"affinity": {"$patch": "replace", "nodeAffinity": {}},
                               "initContainers": [{"name": "init", "image": "busybox"}, {"name": "x", "$patch": "delete"}]}})
    assert "affinity" not in result["spec"]
    assert result["spec"]["initContainers"] == [{"name": "init", "image": "busybox"}]


def test_retain_keys_clears_the_keys_it_does_not_list():
    result = patched({"spec": {"volumes": [{"name": "config", "emptyDir": {}, "$retainKeys": ["emptyDir", "name"]}]}})
    assert result["spec"]["volumes"] == [{"name": "config", "emptyDir": {}}]


def test_retain_keys_switches_a_deployment_to_recreate():
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 2, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}}
    result = apply_patch(deployment, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}, DEPLOYMENT)
    assert result["spec"]["strategy"] == {"type": "Recreate"}


# -- lists merged by key ------------------------------------------------------------------------

def test_new_list_items_land_before_the_existing_ones():
    containers = patched({"spec": {"containers": [{"name": "sidecar", "image": "busybox"}]}})["spec"]["containers"]
    assert [c["name"] for c in containers] == ["sidecar", "nginx"]


def test_set_element_order_decides_the_final_order():
    patch = {"spec": {"$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
                      "containers": [{"name": "sidecar", "image": "busybox"}]}}
    assert [c["name"] for c in patched(patch)["spec"]["containers"]] == ["nginx", "sidecar"]


def test_items_merge_by_key_recursively():
    assert nginx_after({"spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80, "protocol": "UDP"},
                                                                            {"containerPort": 443}]}]}})["ports"] == [
        {"containerPort": 80, "protocol": "UDP"}, {"containerPort": 443}]


def test_patch_delete_removes_the_item_with_that_key():
    assert nginx_after({"spec": {"containers": [{"name": "nginx", "env": [{"name": "A", "$patch": "delete"}]}]}})["env"] == [
        {"name": "B", "value": "2"}]


def test_patch_delete_removes_every_duplicate():
    pod = copy.deepcopy(WEB)
    pod["spec"]["containers"] = [{"name": "a", "image": "1"}, {"name": "a", "image": "2"}, {"name": "b"}]
    assert patched({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}, pod)["spec"]["containers"] == [{"name": "b"}]


def test_patch_replace_item_replaces_the_whole_list():
    env = nginx_after({"spec": {"containers": [{"name": "nginx", "env": [{"name": "C", "value": "3"}, {"$patch": "replace"}]}]}})["env"]
    assert env == [{"name": "C", "value": "3"}]


def test_null_inside_a_new_item_of_an_existing_list_is_kept():
    env = nginx_after({"spec": {"containers": [{"name": "nginx", "env": [{"name": "C", "value": None}]}]}})["env"]
    assert env == [{"name": "C", "value": None}, {"name": "A", "value": "1"}, {"name": "B", "value": "2"}]


def test_delete_add_and_reorder_in_one_list():
    # Upstream deletes in place inside the live list's array and appends into the space freed,
    # which is the order $setElementOrder then falls back on for server-only items.
    pod = copy.deepcopy(WEB)
    pod["spec"]["containers"] = [{"name": "a", "image": "1"}, {"name": "c", "image": "3"}]
    patch = {"spec": {"$setElementOrder/containers": [{"name": "d"}, {"name": "b"}],
                      "containers": [{"name": "d", "image": "4"}, {"name": "b", "image": "2"}, {"name": "a", "$patch": "delete"}]}}
    assert patched(patch, pod)["spec"]["containers"] == [
        {"name": "c", "image": "3"}, {"name": "d", "image": "4"}, {"name": "b", "image": "2"}]


# -- lists of scalars merged as sets ------------------------------------------------------------

def test_new_finalizer_lands_first():
    assert patched({"metadata": {"finalizers": ["c"]}})["metadata"]["finalizers"] == ["c", "a", "b"]


def test_set_element_order_orders_scalars():
    patch = {"metadata": {"$setElementOrder/finalizers": ["b", "c", "a"], "finalizers": ["c"]}}
    assert patched(patch)["metadata"]["finalizers"] == ["b", "c", "a"]


def test_delete_from_primitive_list_removes_values():
    assert patched({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}})["metadata"]["finalizers"] == ["b"]


def test_delete_from_a_missing_list_does_nothing():
    assert patched({"spec": {"$deleteFromPrimitiveList/schedulingGates": [{"name": "x"}]}}) == WEB


def test_delete_from_primitive_list_null_removes_the_list():
    assert "finalizers" not in patched({"metadata": {"$deleteFromPrimitiveList/finalizers": None}})["metadata"]


def test_delete_from_primitive_list_works_on_an_atomic_list_too():
    assert nginx_after({"spec": {"containers": [{"name": "nginx", "$deleteFromPrimitiveList/args": ["-g"]}]}})["args"] == [
        "daemon off;"]


# -- atomic lists -------------------------------------------------------------------------------

def test_lists_without_merge_strategy_are_replaced():
    result = patched({"spec": {"tolerations": [{"key": "k2", "operator": "Exists"}], "containers": [{"name": "nginx", "args": ["-v"]}]}})
    assert result["spec"]["tolerations"] == [{"key": "k2", "operator": "Exists"}]
    assert result["spec"]["containers"][0]["args"] == ["-v"]


# -- errors: upstream's texts, and the HTTP status kube-apiserver answers with -------------------

@pytest.mark.parametrize("patch, message, code", [
    ({"spec": {"containers": [{"image": "x"}]}}, "map: map[image:x] does not contain declared merge key: name", 500),
    ({"metadata": {"labels": {"$patch": "foo", "only": "me"}}}, "unknown patch type: foo in map: map[$patch:foo only:me]", 500),
    ({"spec": {"containers": [{"name": "x", "$patch": "foo"}]}}, "unknown patch type: foo in map: map[$patch:foo name:x]", 500),
    ({"spec": {"containers": [{"name": "x", "$patch": "merge"}]}}, "merging lists cannot yet be specified in the patch", 500),
    ({"spec": {"containers": [{"$patch": "delete"}]}}, "map: map[$patch:delete] does not contain declared merge key: name", 500),
    ({"spec": {"$setElementOrder/containers": [{"name": "a"}], "containers": [{"name": "b", "image": "i"}]}},
     "The order in patch list:\n[map[image:i name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n", 500),
    ({"metadata": {"$setElementOrder/finalizers": "x"}}, "expected a []interface {}, but received a string", 500),
    ({"metadata": {"$setElementOrder/finalizers": ["a"], "finalizers": {"a": 1}}},
     "expected a []interface {}, but received a map[string]interface {}", 500),
    ({"metadata": {"$setElementOrder": ["b"]}}, "invalid patch format of setElementOrder list", 400),
    ({"metadata": {"$deleteFromPrimitiveList": ["b"]}}, "invalid patch format of primitive list", 400),
    ({"metadata": {"$retainKeys": "x"}}, "invalid patch format of retainKeys", 400),
    ({"metadata": {"$retainKeys": ["name"], "labels": {"a": "b"}}}, "invalid patch format of retainKeys", 400),
    ({"metadata": {"finalizers": [1]}}, "list element types are not identical: [[a b] [1]]", 500),
    ({"metadata": {"finalizers": [["x"]]}}, "list element types are not identical: [[a b] [[x]]]", 500),
])
def test_errors_carry_upstream_text(patch, message, code):
    with pytest.raises(PatchError) as failure:
        patched(patch)
    assert str(failure.value) == message
    assert failure.value.code == code


def test_set_element_order_over_an_empty_list_fails():
    pod = copy.deepcopy(WEB)
    pod["metadata"]["finalizers"] = []
    with pytest.raises(PatchError, match="^no elements in any of the given slices$"):
        patched({"metadata": {"$setElementOrder/finalizers": ["a"]}}, pod)


def test_a_patch_that_is_not_an_object_is_a_bad_request():
    with pytest.raises(PatchError) as failure:
        apply_patch(WEB, ["x"], POD)
    assert str(failure.value) == "json: cannot unmarshal array into Go value of type map[string]interface {}"
    assert failure.value.code == 400


# -- the Go struct as metadata (forkedjson.LookupPatchMetadataForStruct, strategicpatch/meta.go) ------

def test_merging_into_a_field_the_struct_lacks_fails_naming_the_go_struct():
    pod = copy.deepcopy(WEB)
    pod["spec"]["containers"][0]["foo"] = {"a": 1}
    with pytest.raises(PatchError, match='^unable to find api field in struct Container for the json field "foo"$'):
        patched({"spec": {"containers": [{"name": "nginx", "foo": {"b": 2}}]}}, pod)


def test_a_map_field_takes_any_key():
    pod = copy.deepcopy(WEB)
    pod["spec"]["nodeSelector"] = {"disk": {"a": 1}}
    assert patched({"spec": {"nodeSelector": {"disk": {"b": 2}}}}, pod)["spec"]["nodeSelector"] == {
        "disk": {"a": 1, "b": 2}}


def test_a_struct_field_merged_as_a_list_fails_as_in_lookup_patch_metadata_for_slice():
    pod = copy.deepcopy(WEB)
    pod["spec"]["securityContext"] = [1]
    with pytest.raises(PatchError, match="^expected slice or array type, but got: struct$"):
        patched({"spec": {"securityContext": [2]}}, pod)


def test_a_list_field_merged_as_an_object_fails():
    pod = copy.deepcopy(WEB)
    pod["spec"]["volumes"] = {"a": {"x": 1}}
    with pytest.raises(PatchError, match="^merging an object in json but data type is not map or struct, "
                                         "instead is: slice$"):
        patched({"spec": {"volumes": {"a": {"b": 2}}}}, pod)


def test_objects_without_apiversion_and_kind_are_merged_without_struct_checks():
    assert patched({"spec": {"bar": {"b": 2}}}, {"spec": {"bar": {"a": 1}}}) == {"spec": {"bar": {"a": 1, "b": 2}}}


# -- the function itself ------------------------------------------------------------------------

def test_inputs_are_never_mutated():
    obj, patch = copy.deepcopy(WEB), {"spec": {"containers": [{"name": "nginx", "env": [{"name": "A", "$patch": "delete"}]}],
                                              "$setElementOrder/containers": [{"name": "nginx"}]}}
    before_obj, before_patch = copy.deepcopy(obj), copy.deepcopy(patch)
    patched(patch, obj)
    assert (obj, patch) == (before_obj, before_patch)


def test_without_schema_the_patch_is_a_json_merge_patch():
    # Custom resources have no strategic metadata: lists are replaced, directives are plain keys.
    widget = {"spec": {"items": [1, 2], "keep": "x"}}
    assert apply_patch(widget, {"spec": {"items": [3], "keep": None, "new": {"a": None}}}, None) == {
        "spec": {"items": [3], "new": {}}}
