"""The objects a real cluster's controllers and bootstrap hooks make, simulated synchronously.

Upstream: the root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go), the
post-start hook scheduling/bootstrap-system-priority-classes (pkg/registry/scheduling/rest/storage_scheduling.go,
SystemPriorityClasses in pkg/apis/scheduling/v1/helpers.go) and the PriorityClass REST storage's Delete
(pkg/registry/scheduling/priorityclass/storage/storage.go).
"""

from pathlib import Path

import pytest

from kauth.apiserver.request import Request
from kauth.cluster import SYSTEM_NAMESPACES, Cluster
from kauth.store.base import Key

from apiserver_helpers import ADMIN

POLICIES = Path(__file__).resolve().parents[2] / "policies"
CA_BUNDLE = (POLICIES / "pki" / "ca.crt").read_text()
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
               "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
               "distributions of Kubernetes clusters.")


@pytest.fixture(scope="module")
def with_ca():
    """A cluster served with the shipped policies/, whose authentication config names the cluster CA."""
    return Cluster.in_memory(policies=POLICIES)


@pytest.fixture
def cluster(with_ca):
    return with_ca.copy()


def root_ca(cluster, namespace):
    return cluster.store.get(Key("", "configmaps", namespace, "kube-root-ca.crt"))


def handle(cluster, verb, resource, namespace="", name="", body=None, group="", version="v1"):
    return cluster.handle(Request(verb, group, version, resource, namespace, name, body=body, credentials=ADMIN))


def new_namespace(cluster, name="team-a"):
    response = handle(cluster, "create", "namespaces", body={"apiVersion": "v1", "kind": "Namespace",
                                                             "metadata": {"name": name}})
    assert response.ok, response.message
    return response


def controller_steps(response):
    return [(s.outcome, s.message) for s in response.trace if s.stage == "controllers"]


# --- kube-root-ca.crt ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", SYSTEM_NAMESPACES)
def test_every_bootstrap_namespace_holds_kube_root_ca_crt(cluster, namespace):
    config_map = root_ca(cluster, namespace)
    assert config_map["data"] == {"ca.crt": CA_BUNDLE}
    assert config_map["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION}


def test_a_new_namespace_gets_kube_root_ca_crt_from_the_publisher(cluster):
    response = new_namespace(cluster)
    assert ("created", 'the root-ca-cert-publisher created ConfigMap "kube-root-ca.crt" in namespace "team-a"') \
        in controller_steps(response)
    assert root_ca(cluster, "team-a")["data"] == {"ca.crt": CA_BUNDLE}


def test_kubectl_get_configmaps_in_a_new_namespace_lists_kube_root_ca_crt(cluster):
    new_namespace(cluster)
    listed = handle(cluster, "list", "configmaps", "team-a")
    assert [c["metadata"]["name"] for c in listed.body["items"]] == ["kube-root-ca.crt"]


def test_a_deleted_kube_root_ca_crt_is_recreated(cluster):
    new_namespace(cluster)
    first_uid = root_ca(cluster, "team-a")["metadata"]["uid"]
    response = handle(cluster, "delete", "configmaps", "team-a", "kube-root-ca.crt")
    assert response.ok
    assert ("created", 'the root-ca-cert-publisher created ConfigMap "kube-root-ca.crt" in namespace "team-a"') \
        in controller_steps(response)
    again = root_ca(cluster, "team-a")
    assert again["metadata"]["uid"] != first_uid and again["data"] == {"ca.crt": CA_BUNDLE}


def test_an_edited_ca_bundle_is_restored_keeping_the_other_edits(cluster):
    new_namespace(cluster)
    edited = root_ca(cluster, "team-a")
    edited["data"] = {"ca.crt": "not a CA", "extra": "x"}
    edited["metadata"]["labels"] = {"team": "a"}
    response = handle(cluster, "update", "configmaps", "team-a", "kube-root-ca.crt", body=edited)
    assert response.ok
    assert ("updated", 'the root-ca-cert-publisher restored the CA bundle and description of ConfigMap '
                       '"kube-root-ca.crt" in namespace "team-a"') in controller_steps(response)
    restored = root_ca(cluster, "team-a")
    assert restored["data"] == {"ca.crt": CA_BUNDLE}
    assert restored["metadata"]["labels"] == {"team": "a"}


def test_a_removed_description_is_restored_beside_other_annotations(cluster):
    new_namespace(cluster)
    edited = root_ca(cluster, "team-a")
    edited["metadata"]["annotations"] = {"owner": "me"}
    handle(cluster, "update", "configmaps", "team-a", "kube-root-ca.crt", body=edited)
    assert root_ca(cluster, "team-a")["metadata"]["annotations"] == {"owner": "me",
                                                                 "kubernetes.io/description": DESCRIPTION}


def test_a_label_edit_leaves_the_publisher_nothing_to_do(cluster):
    new_namespace(cluster)
    edited = root_ca(cluster, "team-a")
    edited["metadata"]["labels"] = {"team": "a"}
    response = handle(cluster, "update", "configmaps", "team-a", "kube-root-ca.crt", body=edited)
    assert controller_steps(response) == []
    assert root_ca(cluster, "team-a")["metadata"]["resourceVersion"] == response.body["metadata"]["resourceVersion"]


def test_other_config_maps_are_not_the_publishers_business(cluster):
    new_namespace(cluster)
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"ca.crt": "mine"}}
    handle(cluster, "create", "configmaps", "team-a", body=body)
    response = handle(cluster, "delete", "configmaps", "team-a", "app")
    assert controller_steps(response) == []
    assert cluster.store.get(Key("", "configmaps", "team-a", "app")) is None


def test_a_terminating_namespace_does_not_get_kube_root_ca_crt_back(cluster):
    new_namespace(cluster)
    held = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": ["example.com/hold"]}}
    handle(cluster, "create", "configmaps", "team-a", body=held)
    handle(cluster, "delete", "namespaces", name="team-a")
    assert root_ca(cluster, "team-a") is None
    namespace = handle(cluster, "get", "namespaces", name="team-a").body
    namespace["metadata"]["labels"] = {"touched": "yes"}
    assert handle(cluster, "update", "namespaces", name="team-a", body=namespace).ok
    assert root_ca(cluster, "team-a") is None


def test_without_a_cluster_ca_the_publisher_creates_nothing_and_says_why():
    cluster = Cluster.in_memory()
    assert cluster.store.list("", "configmaps") == []
    response = new_namespace(cluster)
    assert ("skipped", 'the root-ca-cert-publisher has no cluster CA to publish in namespace "team-a" (client-ca-file '
                       "in policies/authentication.yaml)") in controller_steps(response)
    assert root_ca(cluster, "team-a") is None


def test_a_client_ca_without_a_signing_key_is_published_too(tmp_path):
    (tmp_path / "ca.crt").write_bytes((POLICIES / "pki" / "ca.crt").read_bytes())
    (tmp_path / "authentication.yaml").write_text("client-ca-file: ca.crt\n")
    cluster = Cluster.in_memory(policies=tmp_path)
    assert root_ca(cluster, "default")["data"]["ca.crt"] == (POLICIES / "pki" / "ca.crt").read_text()


# --- the system PriorityClasses --------------------------------------------------------------------------------


def priority_class(cluster, name):
    return cluster.store.get(Key("scheduling.k8s.io", "priorityclasses", "", name))


def test_bootstrap_creates_the_system_priority_classes(cluster):
    node = priority_class(cluster, "system-node-critical")
    assert (node["value"], node["description"], node["preemptionPolicy"]) == (
        2000001000, "Used for system critical pods that must not be moved from their current node.",
        "PreemptLowerPriority")
    assert "globalDefault" not in node
    cluster_critical = priority_class(cluster, "system-cluster-critical")
    assert (cluster_critical["value"], cluster_critical["description"]) == (
        2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another "
                    "node if necessary.")


def test_a_pod_naming_system_cluster_critical_gets_the_stored_class_priority(cluster):
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "dns"},
            "spec": {"priorityClassName": "system-cluster-critical", "containers": [{"name": "c", "image": "x"}]}}
    response = handle(cluster, "create", "pods", "default", body=body)
    assert response.ok, response.message
    assert (response.body["spec"]["priority"], response.body["spec"]["preemptionPolicy"]) == (
        2000000000, "PreemptLowerPriority")


@pytest.mark.parametrize("name", ["system-node-critical", "system-cluster-critical"])
def test_deleting_a_system_priority_class_is_forbidden(cluster, name):
    before = cluster.store.revision()
    response = handle(cluster, "delete", "priorityclasses", name=name, group="scheduling.k8s.io")
    assert (response.code, response.body["reason"]) == (403, "Forbidden")
    assert response.message == (f'priorityclasses.scheduling.k8s.io "{name}" is forbidden: this is a system '
                                "priority class and cannot be deleted")
    assert cluster.store.revision() == before and priority_class(cluster, name) is not None


def test_the_system_priority_class_guard_goes_by_name_even_when_none_is_stored():
    bare = Cluster.in_memory(bootstrap=False)
    response = handle(bare, "delete", "priorityclasses", name="system-node-critical", group="scheduling.k8s.io")
    assert response.code == 403


def test_a_user_priority_class_can_be_deleted(cluster):
    body = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
            "value": 1000}
    assert handle(cluster, "create", "priorityclasses", body=body, group="scheduling.k8s.io").ok
    assert handle(cluster, "delete", "priorityclasses", name="high", group="scheduling.k8s.io").ok
    assert priority_class(cluster, "high") is None


def test_deleting_the_priority_class_collection_removes_the_system_classes_too(cluster):
    # Store.DeleteCollection calls the generic Store's Delete, not the REST override that guards them.
    response = handle(cluster, "deletecollection", "priorityclasses", group="scheduling.k8s.io")
    assert response.ok, response.message
    assert cluster.store.list("scheduling.k8s.io", "priorityclasses") == []
