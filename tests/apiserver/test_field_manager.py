"""The API server records metadata.managedFields on create, update and patch (operation Update).

Behaviour of k8s.io/apiserver handlers (create.go, update.go, patch.go) and
k8s.io/apimachinery/pkg/util/managedfields/internal (fieldmanager.go, skipnonapplied.go, capmanagers.go).
"""

from apiserver_helpers import ADMIN, crd_for

from kauth.apiserver.request import Request


def send(cluster, verb, resource, name="", body=None, group="", version="v1", **kw):
    kw.setdefault("credentials", ADMIN)
    return cluster.handle(Request(verb, group, version, resource, "default", name, body=body, **kw))


def managers(response):
    return [(e["manager"], e.get("subresource", ""), e["fieldsV1"]) for e in response.body["metadata"]["managedFields"]]


def configmap(name="c", **data):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def pod():
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}}


def test_a_create_records_its_manager_with_time_and_version(cluster):
    response = send(cluster, "create", "configmaps", body=configmap(k="v"), field_manager="kubectl-create")
    [entry] = response.body["metadata"]["managedFields"]
    assert entry == {"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1",
                     "time": response.body["metadata"]["creationTimestamp"], "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:data": {".": {}, "f:k": {}}}}
    assert [s.stage for s in response.trace].index("field management") < \
        [s.stage for s in response.trace].index("mutating admission")


def test_without_a_field_manager_the_user_agent_names_the_writer(cluster):
    response = send(cluster, "create", "configmaps", body=configmap(k="v"), user_agent="curl/8.5.0")
    assert managers(response)[0][0] == "curl"


def test_what_the_registry_and_admission_fill_in_belongs_to_nobody(cluster):
    # Pod: priority (Priority admission), status (reset field); Service: clusterIP and IP families (registry).
    spec = managers(send(cluster, "create", "pods", body=pod(), field_manager="m"))[0][2]["f:spec"]
    assert "f:priority" not in spec and "f:preemptionPolicy" not in spec and "f:enableServiceLinks" in spec
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}}
    created = send(cluster, "create", "services", body=service, field_manager="m")
    assert created.body["spec"]["clusterIP"] and created.body["spec"]["ipFamilies"] == ["IPv4"]
    assert set(managers(created)[0][2]["f:spec"]) == {"f:internalTrafficPolicy", "f:ports", "f:selector",
                                                       "f:sessionAffinity", "f:type"}


def test_a_status_write_is_its_own_entry_and_owns_only_status(cluster):
    send(cluster, "create", "pods", body=pod(), field_manager="kubectl-create")
    current = send(cluster, "get", "pods", "p").body
    current["status"] = {**current["status"], "phase": "Running"}
    current["spec"]["activeDeadlineSeconds"] = 5  # reset by the status strategy: owned by no one
    updated = send(cluster, "update", "pods", "p", body=current, subresource="status", field_manager="kubelet")
    kubelet = [m for m in managers(updated) if m[0] == "kubelet"]
    assert kubelet == [("kubelet", "status", {"f:status": {"f:phase": {}}})]


def test_an_update_of_an_object_without_managed_fields_is_not_tracked(cluster):
    send(cluster, "create", "configmaps", body=configmap(k="v"), field_manager="a")
    cleared = send(cluster, "patch", "configmaps", "c", body={"metadata": {"managedFields": []}}, patch_type="merge")
    assert "managedFields" not in cleared.body["metadata"]
    later = send(cluster, "patch", "configmaps", "c", body={"data": {"k": "w"}}, patch_type="merge", field_manager="b")
    assert "managedFields" not in later.body["metadata"]


def test_managed_fields_sent_with_an_update_replace_the_live_ones(cluster):
    send(cluster, "create", "configmaps", body=configmap(k="v"), field_manager="a")
    live = send(cluster, "get", "configmaps", "c").body
    live["metadata"]["managedFields"] = [{"manager": "someone", "operation": "Update", "apiVersion": "v1",
                                          "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:k": {}}}}]
    live["data"]["other"] = "x"
    updated = send(cluster, "update", "configmaps", "c", body=live, field_manager="b")
    assert managers(updated) == [("someone", "", {"f:data": {"f:k": {}}}),
                                 ("b", "", {"f:data": {"f:other": {}}})]


def test_undecodable_managed_fields_sent_fall_back_to_the_live_ones(cluster):
    send(cluster, "create", "configmaps", body=configmap(k="v"), field_manager="a")
    live = send(cluster, "get", "configmaps", "c").body
    live["metadata"]["managedFields"] = [{"manager": "x", "operation": "Patch", "apiVersion": "v1",
                                          "fieldsType": "FieldsV1", "fieldsV1": {}}]
    live["data"]["k"] = "changed"
    updated = send(cluster, "update", "configmaps", "c", body=live, field_manager="b")
    assert updated.ok
    # "a" keeps data itself: a member with nothing below it any more is written as a leaf.
    assert managers(updated) == [("a", "", {"f:data": {}}), ("b", "", {"f:data": {"f:k": {}}})]


def test_a_no_op_update_changes_neither_entries_nor_resource_version(cluster):
    created = send(cluster, "create", "configmaps", body=configmap(k="v"), field_manager="a")
    again = send(cluster, "patch", "configmaps", "c", body={"data": {"k": "v"}}, patch_type="merge", field_manager="b")
    assert again.body["metadata"] == created.body["metadata"]


def test_eleven_update_managers_are_capped_at_ten(cluster):
    send(cluster, "create", "configmaps", body=configmap(k0="v"), field_manager="m0")
    for i in range(1, 11):
        response = send(cluster, "patch", "configmaps", "c", body={"data": {f"k{i}": "v"}}, patch_type="merge",
                        field_manager=f"m{i}")
    names = [m[0] for m in managers(response)]
    assert len(names) == 10 and "ancient-changes" in names


def test_a_field_manager_longer_than_128_bytes_is_invalid(cluster):
    response = send(cluster, "create", "configmaps", body=configmap(), field_manager="m" * 129)
    assert response.code == 422
    assert response.message == ('CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more '
                                "than 128 bytes")


def test_the_bootstrap_objects_are_managed_by_kube_apiserver(cluster):
    service = send(cluster, "get", "services", "kubernetes").body
    assert [e["manager"] for e in service["metadata"]["managedFields"]] == ["kube-apiserver"]


def test_a_custom_resource_is_walked_with_its_crds_schema(cluster):
    # x-kubernetes-list-type: map keys the list's items (as k:{...}); an undeclared list stays atomic.
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "properties": {"name": {"type": "string"},
                                                             "port": {"type": "integer"}}}},
        "tags": {"type": "array", "items": {"type": "string"}}}}}}
    crd = crd_for("Widget", "widgets", "v1", schema)
    assert send(cluster, "create", "customresourcedefinitions", body=crd, group="apiextensions.k8s.io").code == 201
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "labels": {"a": "b"}},
              "spec": {"ports": [{"name": "http", "port": 80}], "tags": ["x"]}}
    created = send(cluster, "create", "widgets", body=widget, group="example.com", field_manager="m")
    assert managers(created) == [("m", "", {
        "f:metadata": {"f:labels": {".": {}, "f:a": {}}},
        "f:spec": {".": {}, "f:ports": {".": {}, 'k:{"name":"http"}': {".": {}, "f:name": {}, "f:port": {}}},
                   "f:tags": {}}})]
