"""The request pipeline: every stage in order, and the server-side object semantics of kube-apiserver."""

import pytest
from apiserver_helpers import ADMIN

from kauth.apiserver.request import Credentials, Impersonation, Request


def send(cluster, verb, resource, namespace="default", name="", body=None, group="", version="v1", **kw):
    kw.setdefault("credentials", ADMIN)
    return cluster.handle(Request(verb, group, version, resource, namespace, name, body=body, **kw))


def pod(name="my-nginx", namespace=None, **spec):
    meta = {"name": name, "labels": {"app": "my-nginx"}}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}], **spec}}


def deployment(name="web", replicas=1, image="nginx:1.27"):
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def test_create_sets_uid_resource_version_timestamp_generation_and_initial_status(cluster):
    response = send(cluster, "create", "pods", body=pod())
    assert response.code == 201
    meta = response.body["metadata"]
    assert meta["namespace"] == "default"
    assert len(meta["uid"]) == 36 and meta["creationTimestamp"].endswith("Z")
    assert int(meta["resourceVersion"]) == cluster.store.revision()
    assert meta["generation"] == 1
    assert response.body["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_create_applies_the_api_server_defaults(cluster):
    body = send(cluster, "create", "pods", body=pod()).body
    spec = body["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["terminationGracePeriodSeconds"] == 30
    container = spec["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["ports"][0]["protocol"] == "TCP"


def test_resource_versions_come_from_one_cluster_wide_counter(cluster):
    first = send(cluster, "create", "configmaps", body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}})
    second = send(cluster, "create", "pods", body=pod())
    assert int(second.body["metadata"]["resourceVersion"]) == int(first.body["metadata"]["resourceVersion"]) + 1


def test_create_of_an_existing_object_is_already_exists(cluster):
    send(cluster, "create", "pods", body=pod())
    response = send(cluster, "create", "pods", body=pod())
    assert (response.code, response.reason, response.message) == (409, "AlreadyExists", 'pods "my-nginx" already exists')


def test_create_in_a_missing_namespace_is_refused_by_namespace_lifecycle(cluster):
    response = send(cluster, "create", "pods", namespace="dev", body=pod())
    assert (response.code, response.message) == (404, 'namespaces "dev" not found')
    assert [s.stage for s in response.trace][-1] == "mutating admission"


def test_a_body_namespace_that_differs_from_the_request_is_a_bad_request(cluster):
    response = send(cluster, "create", "pods", namespace="default", body=pod(namespace="kube-system"))
    assert (response.code, response.message) == (
        400, "the namespace of the provided object does not match the namespace sent on the request")


def test_cluster_scoped_objects_lose_a_namespace_given_in_the_body(cluster):
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "namespace": "default"}}
    response = send(cluster, "create", "namespaces", namespace="", body=ns)
    assert response.code == 201
    assert "namespace" not in response.body["metadata"]


def test_invalid_names_are_rejected_with_the_422_message(cluster):
    response = send(cluster, "create", "pods", body=pod(name="Bad_Name"))
    assert response.code == 422
    assert response.message.startswith('Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": '
                                       "a lowercase RFC 1123 subdomain must consist of")


def test_generate_name_gets_five_random_characters(cluster):
    body = pod(name="")
    body["metadata"] = {"generateName": "web-"}
    response = send(cluster, "create", "pods", body=body)
    assert response.code == 201
    name = response.body["metadata"]["name"]
    assert name.startswith("web-") and len(name) == 9


def test_update_with_a_stale_resource_version_is_a_conflict(cluster):
    created = send(cluster, "create", "pods", body=pod()).body
    fresh = dict(created, metadata={**created["metadata"], "labels": {"app": "x"}})
    assert send(cluster, "update", "pods", name="my-nginx", body=fresh).code == 200
    stale = dict(created, metadata={**created["metadata"], "labels": {"app": "y"}})
    response = send(cluster, "update", "pods", name="my-nginx", body=stale)
    assert (response.code, response.reason) == (409, "Conflict")
    assert response.message == ('Operation cannot be fulfilled on pods "my-nginx": the object has been modified; '
                                "please apply your changes to the latest version and try again")


def test_generation_counts_spec_changes_only(cluster):
    created = send(cluster, "create", "deployments", group="apps", body=deployment()).body
    labelled = send(cluster, "patch", "deployments", group="apps", name="web", patch_type="merge",
                    body={"metadata": {"labels": {"team": "a"}}}).body
    scaled = send(cluster, "patch", "deployments", group="apps", name="web", patch_type="merge",
                  body={"spec": {"replicas": 3}}).body
    assert [created["metadata"]["generation"], labelled["metadata"]["generation"],
            scaled["metadata"]["generation"]] == [1, 1, 2]


def test_an_update_that_changes_nothing_writes_nothing(cluster):
    created = send(cluster, "create", "pods", body=pod()).body
    again = send(cluster, "patch", "pods", name="my-nginx", patch_type="merge", body={"metadata": {"labels": {"app": "my-nginx"}}})
    assert again.body["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_the_main_resource_cannot_change_status(cluster):
    send(cluster, "create", "pods", body=pod())
    response = send(cluster, "patch", "pods", name="my-nginx", patch_type="merge", body={"status": {"phase": "Running"}})
    assert response.body["status"]["phase"] == "Pending"


def test_delete_waits_for_finalizers(cluster):
    body = pod()
    body["metadata"]["finalizers"] = ["example.com/keep"]
    send(cluster, "create", "pods", body=body)
    deleting = send(cluster, "delete", "pods", name="my-nginx")
    assert deleting.code == 200 and deleting.body["metadata"]["deletionTimestamp"]
    assert send(cluster, "get", "pods", name="my-nginx").code == 200
    released = send(cluster, "patch", "pods", name="my-nginx", patch_type="merge",
                    body={"metadata": {"finalizers": None}})
    assert released.code == 200
    assert send(cluster, "get", "pods", name="my-nginx").code == 404


def test_deleting_a_namespace_deletes_its_content(cluster):
    send(cluster, "create", "namespaces", namespace="", body={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert send(cluster, "get", "serviceaccounts", namespace="dev", name="default").code == 200
    send(cluster, "create", "pods", namespace="dev", body=pod())
    assert send(cluster, "delete", "namespaces", namespace="", name="dev").code == 200
    assert send(cluster, "get", "namespaces", namespace="", name="dev").code == 404
    assert send(cluster, "list", "pods", namespace="dev").body["items"] == []


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_system_namespaces_cannot_be_deleted(cluster, name):
    response = send(cluster, "delete", "namespaces", namespace="", name=name)
    assert (response.code, response.message) == (403, f'namespaces "{name}" is forbidden: this namespace may not be deleted')


def test_dry_run_runs_every_stage_and_persists_nothing(cluster):
    before = cluster.store.revision()
    response = send(cluster, "create", "pods", body=pod(), dry_run=True)
    assert response.code == 201 and response.body["metadata"]["uid"]
    assert cluster.store.revision() == before
    assert send(cluster, "get", "pods", name="my-nginx").code == 404
    assert response.trace[-1].outcome == "dry run"


def test_services_get_a_cluster_ip_and_node_ports(cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "my-nginx"},
           "spec": {"type": "NodePort", "selector": {"app": "my-nginx"},
                    "ports": [{"name": "http", "port": 8080, "targetPort": 80},
                              {"name": "https", "port": 443, "targetPort": 80}]}}
    spec = send(cluster, "create", "services", body=svc).body["spec"]
    assert spec["clusterIP"].startswith("10.96.") and spec["clusterIP"] != "10.96.0.1"
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    assert [p["nodePort"] for p in spec["ports"]] == [30000, 30001]


def test_an_update_without_allocated_values_keeps_them(cluster):
    """patchAllocatedValues: replacing a Service from its manifest keeps its clusterIP and node ports."""
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "my-nginx"},
           "spec": {"type": "NodePort", "selector": {"app": "my-nginx"},
                    "ports": [{"name": "http", "port": 8080, "targetPort": 80},
                              {"name": "https", "port": 443, "targetPort": 80}]}}
    send(cluster, "create", "services", body={**svc, "metadata": {"name": "other"}})
    created = send(cluster, "create", "services", body=svc).body["spec"]
    swapped = {**svc, "spec": {**svc["spec"], "ports": [{"name": "https", "port": 443, "targetPort": 80},
                                                         {"name": "http", "port": 8080, "targetPort": 80},
                                                         {"name": "metrics", "port": 9090}]}}
    updated = send(cluster, "update", "services", name="my-nginx", body=swapped).body["spec"]
    assert updated["clusterIP"] == created["clusterIP"] and updated["clusterIPs"] == created["clusterIPs"]
    by_name = {p["name"]: p["nodePort"] for p in updated["ports"]}
    assert (by_name["http"], by_name["https"]) == (created["ports"][0]["nodePort"], created["ports"][1]["nodePort"])
    assert by_name["metrics"] not in (by_name["http"], by_name["https"], 30000, 30001)


def test_a_job_gets_a_generated_selector_and_template_labels(cluster):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
           "spec": {"template": {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "pi", "image": "perl"}]}}}}
    stored = send(cluster, "create", "jobs", body=job, group="batch").body
    uid = stored["metadata"]["uid"]
    assert stored["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert stored["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid, "job-name": "pi"}


def test_a_job_with_a_hand_written_selector_and_no_manual_selector_is_invalid(cluster):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
           "spec": {"selector": {"matchLabels": {"app": "pi"}},
                    "template": {"metadata": {"labels": {"app": "pi"}},
                                 "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}}}}
    response = send(cluster, "create", "jobs", body=job, group="batch")
    assert response.code == 422 and "`selector` not auto-generated" in response.body["message"]


def test_a_stored_crd_makes_its_kind_servable(cluster):
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object",
                                                                 "x-kubernetes-preserve-unknown-fields": True}}}]}}
    assert send(cluster, "create", "customresourcedefinitions", namespace="", group="apiextensions.k8s.io",
                body=crd).code == 201
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1"}, "spec": {"size": 3}}
    response = send(cluster, "create", "widgets", group="example.com", body=widget)
    assert response.code == 201 and response.body["metadata"]["generation"] == 1
    assert cluster.server.table().resolve("wd").kind == "Widget"


def test_trace_records_every_stage_in_pipeline_order(cluster):
    stages = [s.stage for s in send(cluster, "create", "pods", body=pod()).trace]
    # Field management runs before mutating admission, as in handlers/create.go.
    assert stages == ["authentication", "impersonation", "authorization", "decode", "field management",
                      "mutating admission", "validation", "validating admission", "storage"]


def test_requests_without_credentials_are_anonymous_and_denied_without_rbac(cluster):
    response = send(cluster, "list", "pods", credentials=Credentials())
    assert response.code == 403
    assert response.message == ('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" '
                                'in the namespace "default"')


def test_impersonation_switches_identity_after_checking_the_impersonate_verb(cluster):
    response = send(cluster, "get", "pods", name="x", impersonate=Impersonation("alice", ("dev",)))
    assert response.user.name == "alice"
    assert response.user.groups == ("dev", "system:authenticated")
    assert response.message == ('pods "x" is forbidden: User "alice" cannot get resource "pods" in API group "" '
                                'in the namespace "default"')


def test_impersonating_groups_without_a_user_is_a_bad_request(cluster):
    response = send(cluster, "get", "pods", name="x", impersonate=Impersonation("", ("dev",)))
    assert response.code == 400 and response.message.endswith("without impersonating a user")


def test_unknown_resources_are_not_found(cluster):
    response = send(cluster, "list", "gizmos")
    assert (response.code, response.message) == (404, "the server could not find the requested resource")


def test_the_resource_table_follows_crd_writes_and_writes_made_around_the_server(cluster):
    from apiserver_helpers import crd_for

    from kauth.store.base import Key

    server = cluster.server
    server.table()
    send(cluster, "create", "configmaps", body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    kept = server.table()
    assert server.table() is kept  # an ordinary write leaves the table as it was
    send(cluster, "create", "customresourcedefinitions", namespace="", group="apiextensions.k8s.io",
         body=crd_for("Widget", "widgets", "v1", {"type": "object"}))
    assert server.table().for_kind("example.com/v1", "Widget").plural == "widgets"
    # a CRD written straight into the store (another process, an import): the revision gap forces a re-list
    server.store.inner.create(Key("apiextensions.k8s.io", "customresourcedefinitions", "", "gadgets.example.com"),
                              crd_for("Gadget", "gadgets", "v1", {"type": "object"}))
    assert server.table().for_kind("example.com/v1", "Gadget").plural == "gadgets"
