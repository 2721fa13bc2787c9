"""The pod quota evaluator: a pod's compute usage, its scopes, and the requests a quota requires of it.

Upstream: pkg/quota/v1/evaluator/core/pods.go, with the pod totals of
k8s.io/component-helpers/resource/helpers.go (PodRequests, PodLimits) and the QoS class of
pkg/apis/core/v1/helper/qos. Feature gates as a v1.37 cluster has them: InPlacePodVerticalScaling and
PodLevelResources on (status resources and pod-level resources count), pod-level in-place resize and DRA
node-allocatable claims not simulated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping, Sequence

from kauth.admission import quantity as qty
from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.quantity import ResourceList
from kauth.admission.quota.scopes import EXISTS, ScopeSelector, selector_matches

POD_COUNT = "count/pods"
POD_RESOURCES = (POD_COUNT, "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                 "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods")
POD_RESOURCE_PREFIXES = ("hugepages-", "requests.hugepages-")
# "it was a mistake, but if a quota tracks cpu or memory related resources, the incoming pod is required to
# have those values set" (pods.go validationSet).
VALIDATION_SET = frozenset({"cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"})
IMPLICIT_EXTENDED_PREFIX = "deviceclass.resource.kubernetes.io/"

TERMINATING, NOT_TERMINATING = "Terminating", "NotTerminating"
BEST_EFFORT, NOT_BEST_EFFORT = "BestEffort", "NotBestEffort"
PRIORITY_CLASS, CROSS_NAMESPACE_AFFINITY = "PriorityClass", "CrossNamespacePodAffinity"

_POD_LEVEL_RESOURCES = ("cpu", "memory")
_QUALIFIED_NAME = re.compile(r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                             r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class PodEvaluator:
    """podEvaluator. `clock` says what time it is, for pods stuck terminating past their grace period."""

    clock: Callable[[], datetime] = _utc_now
    group: str = ""
    resource: str = "pods"

    def handles(self, attributes: Attributes) -> bool:
        if attributes.subresource == "resize":
            return attributes.operation == UPDATE
        if attributes.subresource:
            return False
        if attributes.operation == UPDATE:
            old, new = attributes.old_object, attributes.object
            # An update only matters when it moves the pod in or out of the Terminating scope.
            return isinstance(old, Mapping) and isinstance(new, Mapping) and is_terminating(old) != is_terminating(new)
        return attributes.operation == CREATE

    def matching_resources(self, names: Sequence[str]) -> list[str]:
        found = [name for name in names if name in POD_RESOURCES]
        found += [name for name in names if name.startswith(POD_RESOURCE_PREFIXES)]
        found += [name for name in names if _is_extended_for_quota(name)]
        return found

    def matches_scope(self, selector: ScopeSelector, obj: Mapping) -> bool:
        """podMatchesScopeFunc; a scope it does not know matches nothing."""
        spec = _spec(obj)
        name = selector.scope_name
        if name == TERMINATING:
            return is_terminating(obj)
        if name == NOT_TERMINATING:
            return not is_terminating(obj)
        if name == BEST_EFFORT:
            return is_best_effort(obj)
        if name == NOT_BEST_EFFORT:
            return not is_best_effort(obj)
        if name == PRIORITY_CLASS:
            priority_class = spec.get("priorityClassName")
            priority_class = priority_class if isinstance(priority_class, str) else ""
            if selector.operator == EXISTS:
                return bool(priority_class)
            return selector_matches(selector, {PRIORITY_CLASS: priority_class} if priority_class else {})
        if name == CROSS_NAMESPACE_AFFINITY:
            return uses_cross_namespace_affinity(obj)
        return False

    def constraints(self, required: Sequence[str], obj: Mapping) -> str | None:
        """Every container must set what a quota on cpu or memory tracks, unless pod-level resources are set:
        `must specify limits.cpu for: a,b; limits.memory for: a`."""
        spec = _spec(obj)
        if _pod_level_set(spec):
            return None
        wanted = set(required) & VALIDATION_SET
        missing: dict[str, set[str]] = {}
        for container in containers(spec, "containers") + containers(spec, "initContainers"):
            requests, limits = container_resources(container)
            present = set(compute_usage(requests, limits))
            for name in wanted - present:
                missing.setdefault(name, set()).add(str(container.get("name", "")))
        if not missing:
            return None
        return "must specify " + "; ".join(f"{name} for: {','.join(sorted(missing[name]))}"
                                           for name in sorted(missing))

    def usage(self, obj: Mapping) -> ResourceList:
        """PodUsageFunc: the object count always; compute resources only while the pod is not terminal."""
        used: ResourceList = {POD_COUNT: qty.of_int(1)}
        if not counts_for_quota(obj, self.clock()):
            return used
        return qty.add_lists(used, compute_usage(pod_requests(obj), pod_limits(obj)))


def compute_usage(requests: Mapping, limits: Mapping) -> ResourceList:
    """podComputeUsageHelper: requests and limits as quota resource names."""
    used: ResourceList = {"pods": qty.of_int(1)}
    for resource in ("cpu", "memory", "ephemeral-storage"):
        if resource in requests:
            used[resource] = requests[resource]
            used[f"requests.{resource}"] = requests[resource]
        if resource in limits:
            used[f"limits.{resource}"] = limits[resource]
    for name, value in requests.items():
        if name.startswith("hugepages-"):
            used[name] = value
            used[f"requests.{name}"] = value
        if _is_extended(name) or name.startswith(IMPLICIT_EXTENDED_PREFIX):
            # Extended resources are quota'd as requests only (`requests.nvidia.com/gpu`).
            used[f"requests.{name}"] = value
    return used


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    """helper.IsExtendedResourceName: not native, not `requests.`-prefixed, and a qualified name once it is."""
    if _is_native(name) or name.startswith("requests."):
        return False
    return _qualified(f"requests.{name}")


def _qualified(name: str) -> bool:
    prefix, _, last = name.rpartition("/")
    return bool(_QUALIFIED_NAME.match(name)) and len(last) <= 63 and len(prefix) <= 253


def _is_extended_for_quota(name: str) -> bool:
    """isExtendedResourceNameForQuota: `requests.` and a non-native (or implicit device class) name."""
    implicit = name.startswith("requests." + IMPLICIT_EXTENDED_PREFIX)
    return (not _is_native(name) or implicit) and name.startswith("requests.")


def is_terminating(pod: Mapping) -> bool:
    """IsTerminating: activeDeadlineSeconds >= 0."""
    deadline = _spec(pod).get("activeDeadlineSeconds")
    return isinstance(deadline, int) and not isinstance(deadline, bool) and deadline >= 0


def is_best_effort(pod: Mapping) -> bool:
    """qos.GetPodQOS(pod) == BestEffort: the recorded class when status has one, else no positive cpu or
    memory request or limit (pod-level values instead of the containers' when set)."""
    status = pod.get("status") if isinstance(pod.get("status"), Mapping) else {}
    if status.get("qosClass"):
        return status.get("qosClass") == "BestEffort"
    spec = _spec(pod)
    pod_level = spec.get("resources")
    if isinstance(pod_level, Mapping) and _pod_level_set(spec):
        lists = [qty.resource_list(pod_level.get("requests")), qty.resource_list(pod_level.get("limits"))]
    else:
        lists = [rl for c in containers(spec, "containers") + containers(spec, "initContainers")
                 for rl in container_resources(c)]
    return not any(q.value > 0 for rl in lists for name, q in rl.items() if name in ("cpu", "memory"))


def uses_cross_namespace_affinity(pod: Mapping) -> bool:
    """usesCrossNamespacePodAffinity: a pod (anti-)affinity term with namespaces or a namespaceSelector."""
    affinity = _spec(pod).get("affinity")
    if not isinstance(affinity, Mapping):
        return False
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = affinity.get(kind)
        if not isinstance(rules, Mapping):
            continue
        terms = list(rules.get("requiredDuringSchedulingIgnoredDuringExecution") or ())
        terms += [w.get("podAffinityTerm") for w in rules.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
                  if isinstance(w, Mapping)]
        for term in terms:
            if isinstance(term, Mapping) and (term.get("namespaces") or term.get("namespaceSelector") is not None):
                return True
    return False


def counts_for_quota(pod: Mapping, now: datetime) -> bool:
    """QuotaV1Pod: not Succeeded or Failed, and not stuck terminating past its grace period."""
    status = pod.get("status") if isinstance(pod.get("status"), Mapping) else {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    meta = pod.get("metadata") if isinstance(pod.get("metadata"), Mapping) else {}
    deleted, grace = meta.get("deletionTimestamp"), meta.get("deletionGracePeriodSeconds")
    if isinstance(deleted, str) and isinstance(grace, int):
        try:
            at = datetime.fromisoformat(deleted.replace("Z", "+00:00"))
        except ValueError:
            return True
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        if now > at + timedelta(seconds=grace):
            return False
    return True


# --- pod totals (component-helpers/resource PodRequests and PodLimits) ------------------------------------


def pod_requests(pod: Mapping) -> ResourceList:
    """PodRequests: the containers' aggregate, taking each container's allocated and actuated requests from
    status when larger (in-place resize), pod-level requests over it, plus the pod overhead."""
    spec, status = _spec(pod), _status(pod)
    infeasible = _resize_infeasible(status)
    spec_total = aggregate_containers(spec, lambda c, cs: container_resources(c)[0])
    allocated = aggregate_containers(spec, lambda c, cs: _allocated(c, cs, infeasible), status)
    actuated = aggregate_containers(spec, lambda c, cs: _actuated(c, cs, infeasible, "requests"), status)
    total = qty.max_lists(qty.max_lists({} if infeasible else spec_total, actuated), allocated)
    pod_level = spec.get("resources")
    if isinstance(pod_level, Mapping):
        for name, value in qty.resource_list(pod_level.get("requests")).items():
            if name in _POD_LEVEL_RESOURCES or name.startswith("hugepages-"):
                total[name] = value
    return qty.add_lists(total, qty.resource_list(spec.get("overhead")))


def pod_limits(pod: Mapping) -> ResourceList:
    """PodLimits: as PodRequests for limits; the overhead is added only to limits that are set and not 0."""
    spec, status = _spec(pod), _status(pod)
    infeasible = _resize_infeasible(status)
    spec_total = aggregate_containers(spec, lambda c, cs: container_resources(c)[1])
    actuated = aggregate_containers(spec, lambda c, cs: _actuated(c, cs, infeasible, "limits"), status)
    total = actuated if infeasible else qty.max_lists(spec_total, actuated)
    pod_level = spec.get("resources")
    if isinstance(pod_level, Mapping) and _pod_level_set(spec):
        for name, value in qty.resource_list(pod_level.get("limits")).items():
            if name in _POD_LEVEL_RESOURCES or name.startswith("hugepages-"):
                total[name] = value
    for name, value in qty.resource_list(spec.get("overhead")).items():
        if name in total and total[name].value != 0:
            total[name] = qty.add(total[name], value)
    return total


def aggregate_containers(spec: Mapping, pick: Callable, status: Mapping | None = None) -> ResourceList:
    """aggregateContainerResourcesByFn: `pick(container, its status)` summed over the containers, then the
    init containers as the sidecar KEP says: a restartable (sidecar) init container adds to the pod and to
    every later init step; the pod needs the larger of that sum and its busiest init step."""
    by_name = _statuses(status) if status is not None else {}

    def status_of(container: Mapping) -> Mapping | None:
        name = container.get("name")
        return by_name.get(name) if isinstance(name, str) else None

    total: ResourceList = {}
    for container in containers(spec, "containers"):
        total = qty.add_lists(total, pick(container, status_of(container)) or {})
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for container in containers(spec, "initContainers"):
        own = pick(container, status_of(container)) or {}
        if container.get("restartPolicy") == "Always":
            total = qty.add_lists(total, own)
            sidecars = qty.add_lists(sidecars, own)
            during = sidecars
        else:
            during = qty.add_lists(own, sidecars)
        init_peak = qty.max_lists(init_peak, during)
    return qty.max_lists(total, init_peak)


def _allocated(container: Mapping, status: Mapping | None, infeasible: bool) -> ResourceList | None:
    if status is not None and isinstance(status.get("allocatedResources"), Mapping):
        return qty.resource_list(status["allocatedResources"])
    return None if infeasible else container_resources(container)[0]


def _actuated(container: Mapping, status: Mapping | None, infeasible: bool, which: str) -> ResourceList | None:
    resources = status.get("resources") if status is not None else None
    if isinstance(resources, Mapping) and isinstance(resources.get(which), Mapping):
        return qty.resource_list(resources[which])
    if which == "requests" and status is not None and isinstance(status.get("allocatedResources"), Mapping):
        return qty.resource_list(status["allocatedResources"])
    return None if infeasible else container_resources(container)[0 if which == "requests" else 1]


def _statuses(status: Mapping) -> dict[str, Mapping]:
    found: dict[str, Mapping] = {}
    for field in ("initContainerStatuses", "containerStatuses"):  # containers win, as findContainerStatus
        for cs in status.get(field) or ():
            if isinstance(cs, Mapping) and isinstance(cs.get("name"), str):
                found[cs["name"]] = cs
    return found


def _resize_infeasible(status: Mapping) -> bool:
    """IsPodResizeInfeasible: the PodResizePending condition says Infeasible."""
    for condition in status.get("conditions") or ():
        if isinstance(condition, Mapping) and condition.get("type") == "PodResizePending":
            return condition.get("reason") == "Infeasible"
    return False


def _pod_level_set(spec: Mapping) -> bool:
    """IsPodLevelResourcesSet: pod-level requests or limits for cpu, memory or hugepages."""
    pod_level = spec.get("resources")
    if not isinstance(pod_level, Mapping):
        return False
    names = [*qty.resource_list(pod_level.get("requests")), *qty.resource_list(pod_level.get("limits"))]
    return any(name in _POD_LEVEL_RESOURCES or name.startswith("hugepages-") for name in names)


def _spec(pod: Mapping) -> Mapping:
    spec = pod.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _status(pod: Mapping) -> Mapping:
    status = pod.get("status")
    return status if isinstance(status, Mapping) else {}


def containers(spec: Mapping, field: str) -> list[Mapping]:
    value = spec.get(field)
    return [c for c in value if isinstance(c, Mapping)] if isinstance(value, list) else []


def container_resources(container: Mapping) -> tuple[ResourceList, ResourceList]:
    resources = container.get("resources")
    if not isinstance(resources, Mapping):
        return {}, {}
    return qty.resource_list(resources.get("requests")), qty.resource_list(resources.get("limits"))
