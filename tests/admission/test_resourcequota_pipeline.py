"""LimitRanger and ResourceQuota in the whole request pipeline of an in-memory cluster.

The chain is built here as kube-apiserver orders its recommended plugins (NamespaceLifecycle, LimitRanger,
..., ResourceQuota last), because kauth's default chain (kauth/cluster.py) does not include them yet.
Expected messages as in the plugin tests; what this adds is the pipeline around them: decoding defaults
before admission, dry run, and the store as the source of quota usage.
"""

import pytest

from kauth.admission.chain import Chain
from kauth.admission.limitranger import LimitRanger
from kauth.admission.namespace_lifecycle import NamespaceLifecycle
from kauth.admission.resourcequota import ResourceQuota
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
    ranger = LimitRanger()
    cluster.server.admission = Chain(mutating=[NamespaceLifecycle(), ranger], validating=[ranger, ResourceQuota()])
    return cluster


def send(cluster, verb, resource, body=None, name="", **kw):
    return cluster.handle(Request(verb, "", "v1", resource, "default", name, body=body, credentials=ADMIN, **kw))


def pod(name, **resources):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "nginx", "resources": resources}]}}


def test_limit_range_defaults_are_stored_with_the_annotation(cluster):
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits"},
              "spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}, "defaultRequest": {"cpu": "100m"}}]}}
    assert send(cluster, "create", "limitranges", limits).code == 201
    created = send(cluster, "create", "pods", pod("a")).body
    # The LimitRange's `default` came from its `max` when it was stored (SetDefaults_LimitRangeItem).
    assert created["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "1"}, "requests": {"cpu": "100m"}}
    assert created["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: cpu request for container app; cpu limit for container app")


def test_quota_counts_what_earlier_requests_stored(cluster):
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute-resources"},
             "spec": {"hard": {"pods": "2", "requests.cpu": "1"}}}
    assert send(cluster, "create", "resourcequotas", quota).code == 201
    assert send(cluster, "create", "pods", pod("a", requests={"cpu": "600m"})).code == 201
    response = send(cluster, "create", "pods", pod("b", requests={"cpu": "500m"}))
    assert response.code == 403
    assert response.body["message"] == (
        'pods "b" is forbidden: exceeded quota: compute-resources, requested: requests.cpu=500m, '
        "used: requests.cpu=600m, limited: requests.cpu=1")


def test_a_dry_run_is_checked_but_not_counted(cluster):
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": {"pods": "1"}}}
    send(cluster, "create", "resourcequotas", quota)
    assert send(cluster, "create", "pods", pod("a"), dry_run=True).code == 201
    assert send(cluster, "create", "pods", pod("b")).code == 201
    refused = send(cluster, "create", "pods", pod("c"), dry_run=True)
    assert refused.code == 403 and refused.body["message"] == (
        'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1')


def claim(name, volume_attributes_class=None):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if volume_attributes_class:
        spec["volumeAttributesClassName"] = volume_attributes_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name}, "spec": spec}


def gold_claims_quota(count):
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "gold"},
            "spec": {"hard": {"persistentvolumeclaims": str(count)}, "scopeSelector": {"matchExpressions": [
                {"scopeName": "VolumeAttributesClass", "operator": "In", "values": ["gold"]}]}}}


def test_a_volume_attributes_class_quota_counts_the_stored_claims_of_its_class(cluster):
    assert send(cluster, "create", "resourcequotas", gold_claims_quota(1)).code == 201
    assert send(cluster, "create", "persistentvolumeclaims", claim("plain")).code == 201
    assert send(cluster, "create", "persistentvolumeclaims", claim("first", "gold")).code == 201
    refused = send(cluster, "create", "persistentvolumeclaims", claim("second", "gold"))
    assert (refused.code, refused.message) == (403, 'persistentvolumeclaims "second" is forbidden: exceeded quota: '
                                                    "gold, requested: persistentvolumeclaims=1, used: "
                                                    "persistentvolumeclaims=1, limited: persistentvolumeclaims=1")


def test_a_claim_status_moving_into_a_full_class_is_recorded_not_refused(cluster):
    assert send(cluster, "create", "resourcequotas", gold_claims_quota(0)).code == 201
    stored = send(cluster, "create", "persistentvolumeclaims", claim("data")).body
    stored["status"] = {"currentVolumeAttributesClassName": "gold"}
    response = send(cluster, "update", "persistentvolumeclaims", stored, name="data", subresource="status")
    assert response.code == 200, response.message
    assert response.body["status"]["currentVolumeAttributesClassName"] == "gold"
    validating = next(s for s in response.trace if s.stage == "validating admission")
    quota_step = next(c for c in validating.children if c.stage == "ResourceQuota")
    assert (quota_step.outcome, quota_step.message) == (
        "admitted", "a status update is charged without a limit check: gold (persistentvolumeclaims=1; used "
                    "persistentvolumeclaims=1 of persistentvolumeclaims=0); over the limit of gold")


def test_the_published_kube_root_ca_crt_counts_against_a_config_map_quota():
    from pathlib import Path

    cluster = Cluster.in_memory(policies=Path(__file__).resolve().parents[2] / "policies")
    cluster.server.admission = Chain(mutating=[], validating=[ResourceQuota()])
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": {"configmaps": "1"}}}
    assert send(cluster, "create", "resourcequotas", quota).code == 201
    refused = send(cluster, "create", "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}})
    assert refused.message == ('configmaps "app" is forbidden: exceeded quota: q, requested: configmaps=1, '
                               "used: configmaps=1, limited: configmaps=1")
