"""PodSecurity inside kauth's request pipeline: what a client sees (codes, messages, Warning headers, trace).

The default chain (kauth/cluster.py default_admission) does not enable PodSecurity yet; these tests install it
on an in-memory cluster, as kube-apiserver enables it by default.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import Chain
from kauth.admission.namespace_lifecycle import NamespaceLifecycle
from kauth.admission.podsecurity import PodSecurity
from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


@pytest.fixture(scope="module")
def bootstrapped():
    return Cluster.in_memory()


@pytest.fixture
def cluster(bootstrapped):
    cluster = bootstrapped.copy()
    cluster.server.admission = Chain(mutating=[NamespaceLifecycle()], validating=[PodSecurity()])
    return cluster


def send(cluster, verb, resource, namespace="", name="", body=None, group="", version="v1", **kw):
    return cluster.handle(Request(verb, group, version, resource, namespace, name, body=body, credentials=ADMIN, **kw))


def ns(name, **labels):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": name, "labels": {f"pod-security.kubernetes.io/{k.replace('_', '-')}": v for k, v in labels.items()}}}


def web_pod(name="web", **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}],
                     **spec}}


def test_host_network_pod_is_denied_with_the_defaulted_host_port(cluster):
    assert send(cluster, "create", "namespaces", body=ns("dev", enforce="baseline")).ok
    response = send(cluster, "create", "pods", "dev", body=web_pod(hostNetwork=True))
    # The API server defaults hostPort = containerPort under hostNetwork before admission sees the pod.
    assert (response.code, response.reason) == (403, "Forbidden")
    assert response.message == ('pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces '
                                '(hostNetwork=true), hostPort (container "nginx" uses hostPort 80)')
    assert send(cluster, "get", "pods", "dev", "web").code == 404


def test_the_trace_names_each_failed_check_and_the_level_that_defines_it(cluster):
    assert send(cluster, "create", "namespaces", body=ns("dev", enforce="restricted")).ok
    response = send(cluster, "create", "pods", "dev", body=web_pod(hostNetwork=True))
    step = next(s for s in response.trace if s.stage == "validating admission")
    podsecurity = next(c for c in step.children if c.stage == "PodSecurity")
    assert podsecurity.outcome == "rejected"
    assert podsecurity.details["explanation"] == [
        "hostNamespaces (baseline): host namespaces: hostNetwork=true",
        'hostPorts (baseline): hostPort: container "nginx" uses hostPort 80',
        "allowPrivilegeEscalation (restricted): allowPrivilegeEscalation != false: container \"nginx\" must set "
        "securityContext.allowPrivilegeEscalation=false",
        'capabilities_restricted (restricted): unrestricted capabilities: container "nginx" must set '
        'securityContext.capabilities.drop=["ALL"]',
        'runAsNonRoot (restricted): runAsNonRoot != true: pod or container "nginx" must set '
        "securityContext.runAsNonRoot=true",
        'seccompProfile_restricted (restricted): seccompProfile: pod or container "nginx" must set '
        'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ]


def test_restricted_warning_reaches_the_client_and_the_trace(cluster):
    send(cluster, "create", "namespaces", body=ns("dev", enforce="baseline", warn="restricted"))
    response = send(cluster, "create", "pods", "dev", body=web_pod())
    assert response.code == 201
    assert response.warnings == (
        'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must '
        'set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set '
        'securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set '
        'securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set '
        'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',)
    step = next(s for s in response.trace if s.stage == "validating admission")
    assert "PodSecurity" in str(step)


def test_deployment_is_created_with_a_warning_in_an_enforcing_namespace(cluster):
    send(cluster, "create", "namespaces", body=ns("dev", enforce="restricted", warn="restricted"))
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "web", "image": "nginx",
                                                                 "securityContext": {"privileged": True}}]}}}}
    response = send(cluster, "create", "deployments", "dev", body=deployment, group="apps")
    assert response.code == 201
    assert len(response.warnings) == 1 and response.warnings[0].startswith(
        'would violate PodSecurity "restricted:latest": privileged (container "web" must not set '
        "securityContext.privileged=true), allowPrivilegeEscalation != false")


def test_bad_label_on_namespace_create_is_invalid(cluster):
    response = send(cluster, "create", "namespaces", body=ns("dev", enforce="strict"))
    assert (response.code, response.message) == (422, (
        'Namespace "dev" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": '
        "must be one of privileged, baseline, restricted"))


def test_relabel_to_a_stricter_level_warns_about_running_pods(cluster):
    send(cluster, "create", "namespaces", body=ns("dev"))
    send(cluster, "create", "pods", "dev", body=web_pod("a", hostNetwork=True))
    send(cluster, "create", "pods", "dev", body=web_pod("b"))
    namespace = send(cluster, "get", "namespaces", name="dev").body
    namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = "baseline"
    response = send(cluster, "update", "namespaces", name="dev", body=namespace, dry_run=True)
    assert response.code == 200
    assert response.warnings == (
        'existing pods in namespace "dev" violate the new PodSecurity enforce level "baseline:latest"',
        "a: host namespaces, hostPort")
