"""ResourceQuota, through the plugin interface, with usage computed from a small in-memory state.

Expectations come from k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (CheckRequest and
its messages: `exceeded quota: %s, requested: %s, used: %s, limited: %s`, `failed quota: %s: %v`),
admission.go (which requests), pkg/quota/v1/evaluator/core/{pods,services,persistent_volume_claims}.go
(usage, scopes, `must specify %s for: %s`) and the upstream admission_test.go (TestAdmitExceedQuotaLimit,
TestAdmitEnforceQuotaConstraints, TestAdmitBelowTerminatingQuotaLimit, TestAdmitBelowBestEffortQuotaLimit,
TestAdmitLimitedScopeWithCoverQuota, TestAdmitBelowBestEffortQuotaLimitIgnoresBurstable, ...).
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.admission.limitranger import LimitRanger
from kauth.admission.resourcequota import ResourceQuota
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
SERVICES = TABLE.for_resource("", "v1", "services")
PVCS = TABLE.for_resource("", "v1", "persistentvolumeclaims")
CONFIGMAPS = TABLE.for_resource("", "v1", "configmaps")
DEPLOYMENTS = TABLE.for_resource("apps", "v1", "deployments")
EVENTS = TABLE.for_resource("", "v1", "events")
ALICE = UserInfo("alice")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


class State:
    """A small in-memory StateView: objects listed by (group, resource), filtered by namespace."""

    def __init__(self, *objects: dict):
        self.objects = list(objects)

    def get(self, group, resource, namespace, name):
        return next((o for o in self.list(group, resource, namespace) if o["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return [o for o in self.objects if _resource_of(o) == (group, resource)
                and (namespace is None or o["metadata"].get("namespace") == namespace)]


def _resource_of(obj: dict) -> tuple[str, str]:
    api_version, kind = obj.get("apiVersion", "v1"), obj["kind"]
    return TABLE.for_kind(api_version, kind).group, TABLE.for_kind(api_version, kind).plural


def quota(hard: dict, name: str = "quota", namespace: str = "dev", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": name, "namespace": namespace},
            "spec": {"hard": hard, **spec}}


def container(name: str = "app", requests: dict | None = None, limits: dict | None = None, **extra) -> dict:
    resources = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    return {"name": name, "image": "nginx", "resources": resources, **extra}


def pod(name: str, *containers: dict, phase: str | None = None, init: list | None = None, **spec) -> dict:
    body = {"containers": list(containers) or [container()], **spec}
    if init is not None:
        body["initContainers"] = init
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "dev", "resourceVersion": "7"},
           "spec": body}
    if phase:
        obj["status"] = {"phase": phase}
    return obj


def cpu_pod(name: str, cpu: str, **kw) -> dict:
    return pod(name, container(requests={"cpu": cpu}, limits={"cpu": cpu}), **kw)


def attrs(obj, rt=PODS, operation=CREATE, old=None, subresource="", dry_run=False) -> Attributes:
    name = (obj or old or {}).get("metadata", {}).get("name", "")
    return Attributes(operation, rt, "dev", name, obj, old, ALICE, subresource, dry_run)


def plugin() -> ResourceQuota:
    return ResourceQuota(clock=lambda: NOW)


def admitted(obj, *stored, **kw) -> str:
    return plugin().validate(attrs(obj, **kw), State(*stored)).message


def rejection(obj, *stored, **kw) -> str:
    with pytest.raises(StatusError) as err:
        plugin().validate(attrs(obj, **kw), State(*stored))
    assert err.value.code == 403 and err.value.reason == "Forbidden"
    return err.value.message


# --- which requests it handles (admission.go Validate, the evaluators' Handles) ---------------------------


def test_handles_creates_of_namespaced_objects():
    assert plugin().handles(attrs(pod("x")))
    assert plugin().handles(attrs({"metadata": {"name": "d"}}, rt=DEPLOYMENTS))


def test_ignores_deletes_subresources_and_events():
    assert not plugin().handles(attrs(None, operation=DELETE, old=pod("x")))
    assert not plugin().handles(attrs(pod("x"), operation=UPDATE, old=pod("x"), subresource="status"))
    assert not plugin().handles(attrs({"metadata": {"name": "e"}}, rt=EVENTS))


def test_pod_updates_are_handled_only_for_resize_or_a_terminating_scope_change():
    assert plugin().handles(attrs(pod("x"), operation=UPDATE, old=pod("x"), subresource="resize"))
    assert not plugin().handles(attrs(pod("x"), operation=UPDATE, old=pod("x")))
    assert plugin().handles(attrs(pod("x", activeDeadlineSeconds=30), operation=UPDATE, old=pod("x")))


def test_service_and_pvc_updates_are_handled_but_object_count_updates_are_not():
    assert plugin().handles(attrs({"metadata": {"name": "s"}}, rt=SERVICES, operation=UPDATE, old={}))
    assert plugin().handles(attrs({"metadata": {"name": "c"}}, rt=PVCS, operation=UPDATE, old={}))
    assert not plugin().handles(attrs({"metadata": {"name": "c"}}, rt=CONFIGMAPS, operation=UPDATE, old={}))


# --- the messages -------------------------------------------------------------------------------------------


def test_exceeded_quota_message_with_usage_computed_from_stored_pods():
    stored = [quota({"requests.cpu": "2"}, name="compute-resources"), cpu_pod("a", "1")]
    assert rejection(cpu_pod("x", "2"), *stored) == (
        'pods "x" is forbidden: exceeded quota: compute-resources, requested: requests.cpu=2, '
        "used: requests.cpu=1, limited: requests.cpu=2")


def test_failed_quota_lists_each_missing_resource_with_its_containers():
    stored = [quota({"limits.cpu": "4", "limits.memory": "4Gi"}, name="compute-resources")]
    assert rejection(pod("x", container("x", requests={"cpu": "1"})), *stored) == (
        'pods "x" is forbidden: failed quota: compute-resources: must specify limits.cpu for: x; '
        "limits.memory for: x")


def test_a_pod_without_resources_under_a_compute_quota():
    # What `kubectl run nginx --image=nginx` gets in such a namespace.
    stored = [quota({"requests.cpu": "1", "requests.memory": "1Gi", "limits.cpu": "2", "limits.memory": "2Gi"},
                    name="mem-cpu-demo")]
    assert rejection(pod("nginx", container("nginx")), *stored) == (
        'pods "nginx" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: nginx; '
        "limits.memory for: nginx; requests.cpu for: nginx; requests.memory for: nginx")


def test_failed_quota_names_init_containers_too_sorted():
    stored = [quota({"requests.memory": "4Gi"})]
    message = rejection(pod("x", container("web"), container("api", requests={"memory": "1Gi"}),
                            init=[container("b-init"), container("a-init")]), *stored)
    assert message == 'pods "x" is forbidden: failed quota: quota: must specify requests.memory for: a-init,b-init,web'


def test_several_exceeded_resources_are_listed_sorted():
    stored = [quota({"requests.cpu": "1", "limits.cpu": "1", "pods": "10"}), cpu_pod("a", "500m")]
    assert rejection(cpu_pod("x", "1"), *stored) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: limits.cpu=1,requests.cpu=1, '
        "used: limits.cpu=500m,requests.cpu=500m, limited: limits.cpu=1,requests.cpu=1")


def test_pod_count():
    stored = [quota({"pods": "2"}), pod("a"), pod("b")]
    assert rejection(pod("c"), *stored) == (
        'pods "c" is forbidden: exceeded quota: quota, requested: pods=1, used: pods=2, limited: pods=2')


def test_zero_usage_prints_zero():
    stored = [quota({"requests.memory": "1Gi"})]
    message = rejection(pod("x", container(requests={"memory": "2Gi"})), *stored)
    assert message.endswith("requested: requests.memory=2Gi, used: requests.memory=0, limited: requests.memory=1Gi")


def test_usage_keeps_the_format_of_what_was_requested():
    # quantity.Add: a zero sum takes the added value's format, so used memory prints in Mi.
    stored = [quota({"requests.memory": "1Gi"}), pod("a", container(requests={"memory": "600Mi"}))]
    assert rejection(pod("x", container(requests={"memory": "700Mi"})), *stored) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: requests.memory=700Mi, '
        "used: requests.memory=600Mi, limited: requests.memory=1Gi")


def test_exactly_at_the_limit_is_admitted():
    stored = [quota({"requests.cpu": "2"}), cpu_pod("a", "1")]
    assert admitted(cpu_pod("x", "1"), *stored) == (
        "fits quota quota (requests.cpu=1; used requests.cpu=2 of requests.cpu=2)")


def test_the_first_exceeded_quota_fails_the_request():
    stored = [quota({"pods": "5"}, name="a-roomy"), quota({"pods": "1"}, name="b-tight"), pod("p")]
    assert rejection(pod("x"), *stored) == (
        'pods "x" is forbidden: exceeded quota: b-tight, requested: pods=1, used: pods=1, limited: pods=1')


def test_bare_cpu_and_memory_mean_requests():
    stored = [quota({"cpu": "1", "memory": "1Gi"}), pod("a", container(requests={"cpu": "800m", "memory": "1Gi"}))]
    assert rejection(pod("x", container(requests={"cpu": "300m", "memory": "1Mi"})), *stored) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: cpu=300m,memory=1Mi, '
        "used: cpu=800m,memory=1Gi, limited: cpu=1,memory=1Gi")


def test_no_quota_no_opinion():
    assert admitted(cpu_pod("x", "100")) == "no ResourceQuota in the namespace"


def test_quotas_of_other_namespaces_do_not_apply():
    assert admitted(pod("x"), quota({"pods": "0"}, namespace="prod")) == "no ResourceQuota in the namespace"


def test_a_quota_not_tracking_the_kind_does_not_apply():
    assert admitted(pod("x"), quota({"services": "0"})) == "no ResourceQuota covers this object"


# --- pods: what counts (PodUsageFunc, QuotaV1Pod) ----------------------------------------------------------


def test_terminal_pods_do_not_count_for_compute_or_pods():
    stored = [quota({"pods": "1", "requests.cpu": "1"}), cpu_pod("done", "1", phase="Succeeded"),
              cpu_pod("failed", "1", phase="Failed")]
    assert admitted(cpu_pod("x", "1"), *stored).startswith("fits quota")


def test_terminal_pods_still_count_as_objects():
    # "count/pods tracks all pods independent of state" (PodUsageFunc).
    stored = [quota({"count/pods": "1"}), pod("done", phase="Succeeded")]
    assert rejection(pod("x"), *stored) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: count/pods=1, used: count/pods=1, '
        "limited: count/pods=1")


def test_pods_stuck_terminating_past_their_grace_period_do_not_count():
    stuck = pod("stuck")
    stuck["metadata"].update(deletionTimestamp="2026-12-02T11:00:00Z", deletionGracePeriodSeconds=30)
    leaving = pod("leaving")
    leaving["metadata"].update(deletionTimestamp="2026-12-02T11:59:50Z", deletionGracePeriodSeconds=30)
    assert rejection(pod("x"), quota({"pods": "1"}), stuck, leaving).endswith("used: pods=1, limited: pods=1")


def test_init_containers_and_sidecars_count_as_the_scheduler_counts_them():
    stored = [quota({"requests.cpu": "1"})]
    big_init = pod("x", container(requests={"cpu": "200m"}), init=[container("init", requests={"cpu": "2"})])
    assert rejection(big_init, *stored).endswith("requested: requests.cpu=2, used: requests.cpu=0, "
                                                 "limited: requests.cpu=1")
    sidecar = pod("y", container(requests={"cpu": "700m"}),
                  init=[container("proxy", requests={"cpu": "500m"}, restartPolicy="Always")])
    assert rejection(sidecar, *stored).endswith("requested: requests.cpu=1200m, used: requests.cpu=0, "
                                                "limited: requests.cpu=1")


def test_pod_overhead_is_charged():
    stored = [quota({"requests.memory": "1Gi"})]
    with_overhead = pod("x", container(requests={"memory": "1Gi"}), overhead={"memory": "120Mi"})
    assert "requested: requests.memory=1144Mi" in rejection(with_overhead, *stored)


def test_pod_level_resources_replace_the_containers_and_lift_the_constraint():
    stored = [quota({"limits.cpu": "2", "requests.cpu": "1"})]
    pod_level = pod("x", container(), resources={"requests": {"cpu": "1"}, "limits": {"cpu": "2"}})
    assert admitted(pod_level, *stored) == (
        "fits quota quota (limits.cpu=2,requests.cpu=1; used limits.cpu=2,requests.cpu=1 of "
        "limits.cpu=2,requests.cpu=1)")


def test_extended_resources_are_quota_d_as_requests():
    stored = [quota({"requests.nvidia.com/gpu": "1"}), pod("a", container(requests={"nvidia.com/gpu": "1"},
                                                                           limits={"nvidia.com/gpu": "1"}))]
    assert rejection(pod("x", container(requests={"nvidia.com/gpu": "1"}, limits={"nvidia.com/gpu": "1"})),
                     *stored) == ('pods "x" is forbidden: exceeded quota: quota, requested: requests.nvidia.com/gpu=1, '
                                  "used: requests.nvidia.com/gpu=1, limited: requests.nvidia.com/gpu=1")


def test_a_quota_on_extended_resources_requires_nothing_of_other_pods():
    # Only cpu and memory carry the "must specify" constraint (pods.go validationSet).
    assert admitted(pod("x"), quota({"requests.nvidia.com/gpu": "1", "requests.ephemeral-storage": "1Gi"})) == (
        "no covering quota tracks what the request changes")


def test_ephemeral_storage():
    stored = [quota({"requests.ephemeral-storage": "1Gi", "limits.ephemeral-storage": "2Gi"})]
    message = rejection(pod("x", container(requests={"ephemeral-storage": "2Gi"},
                                           limits={"ephemeral-storage": "2Gi"})), *stored)
    assert message == ('pods "x" is forbidden: exceeded quota: quota, requested: requests.ephemeral-storage=2Gi, '
                       "used: requests.ephemeral-storage=0, limited: requests.ephemeral-storage=1Gi")


def test_resized_containers_count_their_allocated_resources():
    # InPlacePodVerticalScaling: max(spec, actuated, allocated) per container.
    resized = cpu_pod("a", "500m")
    resized["status"] = {"containerStatuses": [{"name": "app", "allocatedResources": {"cpu": "1"},
                                                "resources": {"requests": {"cpu": "1"}}}]}
    assert rejection(cpu_pod("x", "500m"), quota({"requests.cpu": "1"}), resized).endswith(
        "used: requests.cpu=1, limited: requests.cpu=1")


# --- scopes (podMatchesScopeFunc) -------------------------------------------------------------------------------


def test_terminating_scope_counts_only_pods_with_a_deadline():
    terminating = quota({"pods": "1"}, name="short", scopes=["Terminating"])
    assert admitted(pod("x"), terminating, pod("batch", activeDeadlineSeconds=60)) == (
        "no ResourceQuota covers this object")
    assert rejection(pod("y", activeDeadlineSeconds=60), terminating, pod("batch", activeDeadlineSeconds=60)) == (
        'pods "y" is forbidden: exceeded quota: short, requested: pods=1, used: pods=1, limited: pods=1')


def test_not_terminating_scope_ignores_pods_with_a_deadline():
    long_running = quota({"pods": "1"}, scopes=["NotTerminating"])
    assert rejection(pod("x"), long_running, pod("a"), pod("batch", activeDeadlineSeconds=60)).endswith(
        "used: pods=1, limited: pods=1")


def test_best_effort_scope_counts_pods_without_requests_or_limits():
    best_effort = quota({"pods": "1"}, scopes=["BestEffort"])
    assert rejection(pod("x"), best_effort, pod("a"), cpu_pod("burst", "1")).endswith("used: pods=1, limited: pods=1")
    assert admitted(cpu_pod("y", "1"), best_effort, pod("a")) == "no ResourceQuota covers this object"


def test_not_best_effort_scope_ignores_best_effort_pods():
    guaranteed = quota({"pods": "1"}, scopes=["NotBestEffort"])
    assert admitted(pod("x"), guaranteed, cpu_pod("a", "1")) == "no ResourceQuota covers this object"
    assert rejection(cpu_pod("y", "1"), guaranteed, cpu_pod("a", "1"), pod("be")).endswith(
        "used: pods=1, limited: pods=1")


def test_recorded_qos_class_decides_best_effort():
    recorded = pod("a")
    recorded["status"] = {"qosClass": "Burstable"}
    assert admitted(pod("x"), quota({"pods": "1"}, scopes=["BestEffort"]), recorded).startswith("fits quota")


def test_priority_class_scope_selector():
    high = quota({"pods": "1"}, name="high", scopeSelector={"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]})
    assert admitted(pod("x"), high, pod("a", priorityClassName="high")) == "no ResourceQuota covers this object"
    assert rejection(pod("y", priorityClassName="high"), high, pod("a", priorityClassName="high"),
                     pod("b", priorityClassName="low")) == (
        'pods "y" is forbidden: exceeded quota: high, requested: pods=1, used: pods=1, limited: pods=1')


def test_priority_class_not_in_and_exists():
    not_high = quota({"pods": "1"}, scopeSelector={"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "NotIn", "values": ["high"]}]})
    assert rejection(pod("x"), not_high, pod("a")).endswith("used: pods=1, limited: pods=1")
    any_class = quota({"pods": "1"}, scopeSelector={"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "Exists"}]})
    assert admitted(pod("y"), any_class) == "no ResourceQuota covers this object"


def test_cross_namespace_pod_affinity_scope():
    cross = quota({"pods": "0"}, scopeSelector={"matchExpressions": [
        {"scopeName": "CrossNamespacePodAffinity", "operator": "Exists"}]})
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {}, "topologyKey": "zone", "namespaces": ["other"]}]}}
    assert rejection(pod("x", affinity=affinity), cross) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: pods=1, used: pods=0, limited: pods=0')
    assert admitted(pod("y"), cross) == "no ResourceQuota covers this object"


def test_scoped_quotas_do_not_cover_other_kinds():
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "dev"}, "spec": {}}
    assert admitted(service, quota({"services": "0"}, scopes=["BestEffort"]), rt=SERVICES) == (
        "no ResourceQuota covers this object")


def test_a_quota_with_an_invalid_scope_operator_fails_with_a_plain_error():
    broken = quota({"pods": "1"}, scopeSelector={"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "Like", "values": ["x"]}]})
    with pytest.raises(StatusError) as err:
        plugin().validate(attrs(pod("x")), State(broken))
    assert err.value.code == 500 and err.value.reason == ""
    assert err.value.message == ('error matching scopes of quota quota, err: error on matching scope '
                                 '{PriorityClass Like [x]}: failed to parse and convert selector: '
                                 '"Like" is not a valid scope selector operator')


# --- services, claims, object counts ------------------------------------------------------------------


def service(name: str, kind: str = "ClusterIP", ports: int = 1) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "dev", "resourceVersion": "3"},
            "spec": {"type": kind, "ports": [{"port": 80 + i} for i in range(ports)]}}


def test_load_balancers_and_node_ports():
    stored = [quota({"services.loadbalancers": "1", "services.nodeports": "3"}), service("lb", "LoadBalancer", 2)]
    assert rejection(service("x", "LoadBalancer"), *stored, rt=SERVICES) == (
        'services "x" is forbidden: exceeded quota: quota, requested: services.loadbalancers=1, '
        "used: services.loadbalancers=1, limited: services.loadbalancers=1")
    assert rejection(service("y", "NodePort", 2), *stored, rt=SERVICES) == (
        'services "y" is forbidden: exceeded quota: quota, requested: services.nodeports=2, '
        "used: services.nodeports=2, limited: services.nodeports=3")


def test_changing_a_service_type_charges_the_difference():
    stored = [quota({"services.nodeports": "1"}), service("web")]
    assert rejection(service("web", "NodePort", 2), *stored, rt=SERVICES, operation=UPDATE, old=service("web")) == (
        'services "web" is forbidden: exceeded quota: quota, requested: services.nodeports=2, '
        "used: services.nodeports=0, limited: services.nodeports=1")


def test_a_quota_already_exceeded_refuses_even_a_zero_request_of_its_resource():
    # Upstream masks the delta to the quota's hard resources, zeros included (CheckRequest), so a ClusterIP
    # service is refused while load balancers are over a lowered quota.
    stored = [quota({"services.loadbalancers": "0"}), service("lb", "LoadBalancer")]
    assert rejection(service("x"), *stored, rt=SERVICES) == (
        'services "x" is forbidden: exceeded quota: quota, requested: services.loadbalancers=0, '
        "used: services.loadbalancers=1, limited: services.loadbalancers=0")


def test_an_update_that_changes_nothing_is_admitted_even_over_quota():
    stored = [quota({"services": "0"}), service("web")]
    assert admitted(service("web"), *stored, rt=SERVICES, operation=UPDATE, old=service("web")) == (
        "the request changes no quota usage")


def claim(name: str, storage: str, storage_class: str | None = None) -> dict:
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": "dev", "resourceVersion": "5"}, "spec": spec}


def test_requests_storage_and_claim_count():
    stored = [quota({"requests.storage": "10Gi", "persistentvolumeclaims": "5"}), claim("a", "8Gi")]
    assert rejection(claim("x", "4Gi"), *stored, rt=PVCS) == (
        'persistentvolumeclaims "x" is forbidden: exceeded quota: quota, requested: requests.storage=4Gi, '
        "used: requests.storage=8Gi, limited: requests.storage=10Gi")


def test_storage_per_storage_class():
    stored = [quota({"gold.storageclass.storage.k8s.io/requests.storage": "5Gi"}), claim("a", "4Gi", "gold"),
              claim("b", "100Gi", "bronze")]
    assert rejection(claim("x", "2Gi", "gold"), *stored, rt=PVCS) == (
        'persistentvolumeclaims "x" is forbidden: exceeded quota: quota, '
        "requested: gold.storageclass.storage.k8s.io/requests.storage=2Gi, "
        "used: gold.storageclass.storage.k8s.io/requests.storage=4Gi, "
        "limited: gold.storageclass.storage.k8s.io/requests.storage=5Gi")
    assert admitted(claim("y", "50Gi", "bronze"), *stored, rt=PVCS) == "no covering quota tracks what the request changes"


def test_expanding_a_claim_charges_the_growth():
    stored = [quota({"requests.storage": "10Gi"}), claim("data", "8Gi")]
    assert rejection(claim("data", "12Gi"), *stored, rt=PVCS, operation=UPDATE, old=claim("data", "8Gi")) == (
        'persistentvolumeclaims "data" is forbidden: exceeded quota: quota, requested: requests.storage=4Gi, '
        "used: requests.storage=8Gi, limited: requests.storage=10Gi")


def configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "dev"}}


def test_object_counts_under_the_legacy_name_and_count_slash():
    assert rejection(configmap("b"), quota({"configmaps": "1"}), configmap("a"), rt=CONFIGMAPS) == (
        'configmaps "b" is forbidden: exceeded quota: quota, requested: configmaps=1, used: configmaps=1, '
        "limited: configmaps=1")
    assert rejection(configmap("b"), quota({"count/configmaps": "1"}), configmap("a"), rt=CONFIGMAPS) == (
        'configmaps "b" is forbidden: exceeded quota: quota, requested: count/configmaps=1, '
        "used: count/configmaps=1, limited: count/configmaps=1")


def test_count_of_any_resource_by_group():
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a", "namespace": "dev"}}
    new = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "b", "namespace": "dev"}}
    assert rejection(new, quota({"count/deployments.apps": "1"}), deployment, rt=DEPLOYMENTS) == (
        'deployments.apps "b" is forbidden: exceeded quota: quota, requested: count/deployments.apps=1, '
        "used: count/deployments.apps=1, limited: count/deployments.apps=1")


# --- updates, dry run ----------------------------------------------------------------------------------------


def test_resize_charges_only_the_increase():
    old = cpu_pod("x", "500m")
    stored = [quota({"requests.cpu": "1", "limits.cpu": "10"}), old, cpu_pod("a", "250m")]
    bigger = cpu_pod("x", "1")
    assert rejection(bigger, *stored, operation=UPDATE, old=old, subresource="resize") == (
        'pods "x" is forbidden: exceeded quota: quota, requested: requests.cpu=500m, '
        "used: requests.cpu=750m, limited: requests.cpu=1")


def test_an_update_without_the_old_object_is_refused():
    assert rejection(service("web"), quota({"services": "5"}), rt=SERVICES, operation=UPDATE, old=None) == (
        'services "web" is forbidden: unable to get previous usage since prior version of object was not found')


def test_an_update_of_an_object_never_stored_is_charged_in_full():
    never_stored = service("web", "NodePort")
    never_stored["metadata"].pop("resourceVersion")
    assert rejection(service("web", "NodePort"), quota({"services": "0"}), rt=SERVICES, operation=UPDATE,
                     old=never_stored) == (
        'services "web" is forbidden: exceeded quota: quota, requested: services=1, used: services=0, '
        "limited: services=0")


def test_dry_run_is_checked_too():
    assert rejection(pod("c"), quota({"pods": "0"}), dry_run=True).startswith('pods "c" is forbidden: exceeded quota')


def test_dry_run_success_says_so_and_records_nothing():
    state = State(quota({"pods": "2"}), pod("a"))
    before = copy.deepcopy(state.objects)
    verdict = plugin().validate(attrs(pod("b"), dry_run=True), state)
    assert verdict.message == "fits quota quota (pods=1; used pods=2 of pods=2) (dry run)"
    assert state.objects == before


def test_the_stored_status_used_is_not_trusted():
    # An offline dump's status may be stale or missing; the stored pods are what count.
    stale = quota({"pods": "2"})
    stale["status"] = {"hard": {"pods": "2"}, "used": {"pods": "0"}}
    assert rejection(pod("c"), stale, pod("a"), pod("b")).endswith("used: pods=2, limited: pods=2")


# --- with LimitRanger, in the chain -----------------------------------------------------------------------


def test_limit_range_defaults_satisfy_the_must_specify_constraint():
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults", "namespace": "dev"},
              "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"},
                                   "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}}
    ranger = LimitRanger()
    chain = Chain(mutating=[ranger], validating=[ranger, plugin()])
    state = State(limits, quota({"limits.cpu": "1", "limits.memory": "1Gi"}))
    admitted_pod = chain.admit(attrs(pod("x", container("app"))), state).object
    outcome = chain.validate(attrs(admitted_pod), state)
    assert outcome.error is None
    assert outcome.steps[-1].message == ("fits quota quota (limits.cpu=500m,limits.memory=256Mi; used "
                                         "limits.cpu=500m,limits.memory=256Mi of limits.cpu=1,limits.memory=1Gi)")


# --- hostile input ----------------------------------------------------------------------------------------------


def test_unparseable_hard_values_are_ignored():
    assert admitted(pod("x"), quota({"pods": "many", "services": "1"})) == "no ResourceQuota covers this object"


def test_unparseable_requests_count_as_missing():
    message = rejection(pod("x", container("x", requests={"cpu": "fast"})), quota({"requests.cpu": "1"}))
    assert message == 'pods "x" is forbidden: failed quota: quota: must specify requests.cpu for: x'


def test_negative_requests_are_refused():
    # Validation refuses these before validating admission; the plugin still does not charge them.
    message = rejection(pod("x", container(requests={"cpu": "-1"})), quota({"pods": "5"}))
    assert message == 'pods "x" is forbidden: quota usage is negative for resource(s): cpu,requests.cpu'


def test_huge_values_compare_exactly():
    stored = [quota({"requests.memory": "8Ei"}), pod("a", container(requests={"memory": "8Ei"}))]
    assert rejection(pod("x", container(requests={"memory": "1"})), *stored) == (
        'pods "x" is forbidden: exceeded quota: quota, requested: requests.memory=1, '
        "used: requests.memory=8Ei, limited: requests.memory=8Ei")


@pytest.mark.parametrize("spec", [None, {}, {"containers": None}, {"containers": ["x", 1, None]},
                                  {"containers": [{"name": "a", "resources": None}]},
                                  {"containers": [{"name": "a", "resources": {"requests": "lots"}}]},
                                  {"containers": [{"name": ["a"], "resources": {"requests": {"cpu": "1"}}}],
                                   "initContainers": [{"name": {"x": 1}}], "overhead": "big"}])
def test_malformed_pods_are_counted_without_crashing(spec):
    malformed = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "dev"}, "spec": spec}
    assert rejection(malformed, quota({"pods": "1"}), pod("a")).endswith("used: pods=1, limited: pods=1")


def test_malformed_stored_objects_and_quotas_are_tolerated():
    broken_quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q", "namespace": "dev"},
                    "spec": None}
    broken_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "dev"},
                  "spec": "nope", "status": "nope"}
    assert rejection(pod("x"), broken_quota, quota({"pods": "1"}), broken_pod).endswith("used: pods=1, limited: pods=1")


def test_scopes_that_are_not_lists_are_ignored():
    odd = quota({"pods": "1"}, scopes="BestEffort", scopeSelector={"matchExpressions": "PriorityClass"})
    assert rejection(pod("x"), odd, pod("a")).endswith("used: pods=1, limited: pods=1")


def test_missing_object_is_not_charged():
    assert plugin().validate(attrs(None), State(quota({"pods": "0"}))).message == "no object to charge"


# --- the VolumeAttributesClass scope (persistent_volume_claims.go pvcMatchesScopeFunc, GA) ---------------------


def classed_claim(name: str, storage: str = "1Gi", *, spec_class: str | None = None, current: str | None = None,
                  target: str | None = None) -> dict:
    obj = claim(name, storage)
    if spec_class:
        obj["spec"]["volumeAttributesClassName"] = spec_class
    status: dict = {}
    if current:
        status["currentVolumeAttributesClassName"] = current
    if target:
        status["modifyVolumeStatus"] = {"targetVolumeAttributesClassName": target, "status": "InProgress"}
    if status:
        obj["status"] = status
    return obj


def vac_quota(hard: dict, operator: str = "In", values: list | None = None, name: str = "gold-only") -> dict:
    expression = {"scopeName": "VolumeAttributesClass", "operator": operator}
    if values is not None:
        expression["values"] = values
    return quota(hard, name=name, scopeSelector={"matchExpressions": [expression]})


def test_volume_attributes_class_scope_counts_claims_naming_that_class():
    gold = vac_quota({"persistentvolumeclaims": "1"}, values=["gold"])
    stored = [gold, classed_claim("a", spec_class="gold"), classed_claim("b", spec_class="silver")]
    assert rejection(classed_claim("x", spec_class="gold"), *stored, rt=PVCS) == (
        'persistentvolumeclaims "x" is forbidden: exceeded quota: gold-only, requested: persistentvolumeclaims=1, '
        "used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1")


def test_volume_attributes_class_scope_does_not_cover_claims_of_other_classes_or_none():
    gold = vac_quota({"persistentvolumeclaims": "0"}, values=["gold"])
    assert admitted(classed_claim("x", spec_class="silver"), gold, rt=PVCS) == "no ResourceQuota covers this object"
    assert admitted(classed_claim("y"), gold, rt=PVCS) == "no ResourceQuota covers this object"


def test_volume_attributes_class_scope_counts_the_current_class_in_status():
    gold = vac_quota({"requests.storage": "10Gi"}, values=["gold"])
    moving_away = classed_claim("a", "8Gi", spec_class="silver", current="gold")
    assert rejection(classed_claim("x", "4Gi", spec_class="gold"), gold, moving_away, rt=PVCS) == (
        'persistentvolumeclaims "x" is forbidden: exceeded quota: gold-only, requested: requests.storage=4Gi, '
        "used: requests.storage=8Gi, limited: requests.storage=10Gi")


def test_volume_attributes_class_scope_counts_the_target_class_of_a_modification():
    gold = vac_quota({"requests.storage": "10Gi"}, values=["gold"])
    moving_in = classed_claim("a", "8Gi", spec_class="silver", current="silver", target="gold")
    assert rejection(classed_claim("x", "4Gi", spec_class="gold"), gold, moving_in, rt=PVCS).endswith(
        "used: requests.storage=8Gi, limited: requests.storage=10Gi")


def test_volume_attributes_class_exists_covers_any_named_class():
    any_class = vac_quota({"persistentvolumeclaims": "0"}, operator="Exists")
    assert rejection(classed_claim("x", spec_class="bronze"), any_class, rt=PVCS).endswith(
        "limited: persistentvolumeclaims=0")
    assert admitted(classed_claim("y"), any_class, rt=PVCS) == "no ResourceQuota covers this object"


def test_volume_attributes_class_not_in_covers_claims_without_a_class_and_of_other_classes():
    not_gold = vac_quota({"persistentvolumeclaims": "0"}, operator="NotIn", values=["gold"])
    assert rejection(classed_claim("x"), not_gold, rt=PVCS).endswith("limited: persistentvolumeclaims=0")
    assert rejection(classed_claim("y", spec_class="silver"), not_gold, rt=PVCS).endswith(
        "limited: persistentvolumeclaims=0")
    assert admitted(classed_claim("z", spec_class="gold"), not_gold, rt=PVCS) == "no ResourceQuota covers this object"


def test_a_claim_whose_classes_differ_matches_not_in_through_any_of_them():
    # Each referenced class is tried on its own: gold (spec) fails NotIn [gold], silver (status) matches.
    not_gold = vac_quota({"persistentvolumeclaims": "0"}, operator="NotIn", values=["gold"])
    assert rejection(classed_claim("x", spec_class="gold", current="silver"), not_gold, rt=PVCS).endswith(
        "limited: persistentvolumeclaims=0")


def test_moving_a_claim_into_a_scoped_class_charges_it_in_full():
    # CheckRequest charges only the difference when the old object matched the quota too; it did not here.
    gold = vac_quota({"requests.storage": "10Gi"}, values=["gold"])
    before = classed_claim("data", "4Gi")
    stored = [gold, before, classed_claim("a", "8Gi", spec_class="gold")]
    assert rejection(classed_claim("data", "4Gi", spec_class="gold"), *stored, rt=PVCS, operation=UPDATE,
                     old=before) == (
        'persistentvolumeclaims "data" is forbidden: exceeded quota: gold-only, requested: requests.storage=4Gi, '
        "used: requests.storage=8Gi, limited: requests.storage=10Gi")


def test_an_update_within_a_scoped_class_charges_the_difference():
    gold = vac_quota({"requests.storage": "10Gi"}, values=["gold"])
    before = classed_claim("data", "4Gi", spec_class="gold")
    assert admitted(classed_claim("data", "6Gi", spec_class="gold"), gold, before, rt=PVCS, operation=UPDATE,
                    old=before) == "fits quota gold-only (requests.storage=2Gi; used requests.storage=6Gi of " \
                                   "requests.storage=10Gi)"


def test_claim_status_updates_are_handled():
    # RequiresQuotaReplenish compares two fresh *Quantity pointers, so every claim status update is evaluated.
    same = classed_claim("c")
    assert plugin().handles(attrs(same, rt=PVCS, operation=UPDATE, old=same, subresource="status"))
    assert not plugin().handles(attrs(same, rt=PVCS, operation=UPDATE, old=same, subresource="scale"))


def test_a_claim_status_update_past_the_limit_is_recorded_not_refused():
    gold = vac_quota({"persistentvolumeclaims": "1"}, values=["gold"])
    before = classed_claim("data", spec_class="silver", current="silver")
    after = classed_claim("data", spec_class="silver", current="gold")
    stored = [gold, before, classed_claim("a", spec_class="gold")]
    assert admitted(after, *stored, rt=PVCS, operation=UPDATE, old=before, subresource="status") == (
        "a status update is charged without a limit check: gold-only (persistentvolumeclaims=1; used "
        "persistentvolumeclaims=2 of persistentvolumeclaims=1); over the limit of gold-only")


def test_a_volume_attributes_class_scope_never_covers_pods():
    any_class = vac_quota({"pods": "0"}, operator="Exists")
    assert admitted(pod("x"), any_class) == "no ResourceQuota covers this object"


def test_pod_scopes_never_cover_claims():
    high = quota({"persistentvolumeclaims": "0"}, scopeSelector={"matchExpressions": [
        {"scopeName": "PriorityClass", "operator": "Exists"}]})
    assert admitted(classed_claim("x", spec_class="gold"), high, rt=PVCS) == "no ResourceQuota covers this object"


def test_a_volume_attributes_class_scope_with_an_invalid_operator_fails_with_a_plain_error():
    broken = vac_quota({"persistentvolumeclaims": "1"}, operator="Like", values=["gold"])
    with pytest.raises(StatusError) as err:
        plugin().validate(attrs(classed_claim("x", spec_class="gold"), rt=PVCS), State(broken))
    assert err.value.code == 500
    assert err.value.message == ('error matching scopes of quota gold-only, err: error on matching scope '
                                 '{VolumeAttributesClass Like [gold]}: failed to parse and convert selector: '
                                 '"Like" is not a valid scope selector operator')
