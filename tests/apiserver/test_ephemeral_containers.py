"""The pods/ephemeralcontainers subresource (kubectl debug's way in): it may add ephemeral containers to a
running Pod, never change or remove one, and admission sees the whole Pod, so PodSecurity checks what is added
(upstream: pkg/registry/core/pod/strategy.go podEphemeralContainersStrategy,
pkg/apis/core/validation ValidatePodEphemeralContainersUpdate)."""

import copy
from pathlib import Path

import pytest
import yaml

from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
HARDENED = yaml.safe_load((Path(__file__).parents[2] / "manifests" / "pod-restricted.yaml").read_text())
CONFINED = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


@pytest.fixture(scope="module")
def template():
    cluster = Cluster.in_memory()
    cluster.handle(Request("create", "", "v1", "namespaces", credentials=ADMIN, body={
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "r", "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}))
    assert cluster.handle(Request("create", "", "v1", "pods", "r", body=HARDENED, credentials=ADMIN)).code == 201
    return cluster


@pytest.fixture
def cluster(template):
    return template.copy()


def debug(cluster, *containers, subresource="ephemeralcontainers"):
    body = {"spec": {"ephemeralContainers": list(containers)}}
    return cluster.handle(Request("patch", "", "v1", "pods", "r", "hardened-nginx", body=body, credentials=ADMIN,
                                  subresource=subresource, patch_type="strategic"))


def test_an_ephemeral_container_is_added_through_the_subresource(cluster):
    response = debug(cluster, {"name": "debug", "image": "busybox", "securityContext": CONFINED})
    assert response.code == 200
    assert [c["name"] for c in response.body["spec"]["ephemeralContainers"]] == ["debug"]


def test_pod_security_checks_what_the_subresource_adds(cluster):
    response = debug(cluster, {"name": "debug", "image": "busybox", "securityContext": {"privileged": True}})
    assert response.code == 403
    assert response.body["message"].startswith(
        'pods "hardened-nginx" is forbidden: violates PodSecurity "restricted:latest": privileged (container "debug" '
        "must not set securityContext.privileged=true)")


def test_an_existing_ephemeral_container_may_not_be_changed(cluster):
    debug(cluster, {"name": "debug", "image": "busybox", "securityContext": CONFINED})
    response = debug(cluster, {"name": "debug", "image": "busybox:2"})
    assert response.code == 422
    assert response.body["message"].startswith('Pod "hardened-nginx" is invalid: spec.ephemeralContainers[debug]: '
                                               'Forbidden: existing ephemeral containers "debug" may not be changed\n')


def test_an_ephemeral_container_may_not_set_ports(cluster):
    response = debug(cluster, {"name": "debug", "image": "busybox", "ports": [{"containerPort": 80}]})
    assert response.code == 422
    assert "ports: Forbidden: cannot be set for an Ephemeral Container" in response.body["message"]


def test_the_pod_itself_cannot_take_ephemeral_containers(cluster):
    response = debug(cluster, {"name": "debug", "image": "busybox"}, subresource="")
    assert response.code == 422
    assert "pod updates may not change fields other than" in response.body["message"]


def test_only_the_ephemeral_containers_change_through_the_subresource(cluster):
    before = cluster.handle(Request("get", "", "v1", "pods", "r", "hardened-nginx", credentials=ADMIN)).body
    body = copy.deepcopy(before)
    body["metadata"]["labels"]["sneaky"] = "yes"
    body["spec"]["containers"][0]["image"] = "evil"
    body["spec"]["ephemeralContainers"] = [{"name": "debug", "image": "busybox", "securityContext": CONFINED}]
    response = cluster.handle(Request("update", "", "v1", "pods", "r", "hardened-nginx", body=body,
                                      credentials=ADMIN, subresource="ephemeralcontainers"))
    assert response.code == 200
    assert "sneaky" not in response.body["metadata"]["labels"]
    assert response.body["spec"]["containers"][0]["image"] == "nginxinc/nginx-unprivileged"


def test_the_subresource_cannot_be_deleted(cluster):
    response = cluster.handle(Request("delete", "", "v1", "pods", "r", "hardened-nginx", credentials=ADMIN,
                                      subresource="ephemeralcontainers"))
    assert response.code == 405
