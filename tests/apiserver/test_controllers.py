"""The objects a real cluster's controllers and bootstrap hooks make, simulated synchronously.

Upstream: the root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go).
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
                       "and service-account-signing-key-file in policies/authentication.yaml)") \
        in controller_steps(response)
    assert root_ca(cluster, "team-a") is None
