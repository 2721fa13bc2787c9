"""LimitRanger: a namespace's LimitRanges default the containers' requests and limits, then bound them.

Upstream: plugin/pkg/admission/limitranger/admission.go. One object is both plugins, as upstream's
LimitRanger implements Admit and Validate: `admit` merges the Container-type `default` (limits) and
`defaultRequest` (requests) into every container and init container of a Pod and records what it set in
the `kubernetes.io/limit-ranger` annotation; `validate` checks min, max and maxLimitRequestRatio per
Container, per Pod (the pod's effective requests and limits) and per PersistentVolumeClaim (storage
requests).

Comparisons are v1.37's: each value projected to an int64 in milli units (whole units when one of them
is too large), rounding up, and the ratio a float64 (requestLimitEnforcedValues). Two differences, both
deliberate: Go ranges over a LimitRange's min/max/ratio maps in random order, so the order of several
messages differs between runs upstream, and kauth takes resource names in sorted order; and where v1.37's
int64 projection wraps around (values past 2^63, fixed after v1.37 by kubernetes#141348), kauth saturates
at the int64 limits, so a huge limit is still over a maximum.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable, Mapping

from kauth.admission import quantity as qty
from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.admission.quantity import ResourceList
from kauth.admission.quota.pods import aggregate_containers, container_resources, containers
from kauth.api import errors
from kauth.api.defaults import Quantity
from kauth.admission.chain import forbidden

ANNOTATION = "kubernetes.io/limit-ranger"

CONTAINER, POD, PVC = "Container", "Pod", "PersistentVolumeClaim"

# limitranger's own isSupportedPodLevelResource: pod-level values that replace the containers' sum.
_POD_LEVEL_RESOURCES = ("cpu", "memory")


@dataclass(frozen=True)
class LimitRangeItem:
    """One `spec.limits[]` entry, its quantities parsed (values that are not quantities left out)."""

    type: str
    min: Mapping[str, Quantity]
    max: Mapping[str, Quantity]
    default: Mapping[str, Quantity]
    default_request: Mapping[str, Quantity]
    max_limit_request_ratio: Mapping[str, Quantity]

    @classmethod
    def from_dict(cls, raw: Mapping) -> "LimitRangeItem":
        return cls(str(raw.get("type") or ""), qty.resource_list(raw.get("min")), qty.resource_list(raw.get("max")),
                   qty.resource_list(raw.get("default")), qty.resource_list(raw.get("defaultRequest")),
                   qty.resource_list(raw.get("maxLimitRequestRatio")))


def limit_range_items(limit_range: Mapping) -> list[LimitRangeItem]:
    spec = limit_range.get("spec")
    limits = spec.get("limits") if isinstance(spec, Mapping) else None
    return [LimitRangeItem.from_dict(item) for item in limits or () if isinstance(item, Mapping)]


class LimitRanger:
    """The LimitRanger admission plugin (mutating and validating). Construct with `LimitRanger()`."""

    name = "LimitRanger"

    def handles(self, attributes: Attributes) -> bool:
        """admission.NewHandler(Create, Update) and DefaultLimitRangerActions.SupportsAttributes."""
        if attributes.operation not in (CREATE, UPDATE):
            return False
        rt = attributes.resource_type
        kind = rt.kind if rt.group == "" else ""
        if attributes.subresource == "resize":
            # In-place resize of a pod's resources goes through the resize subresource.
            return kind == "Pod" and attributes.operation == UPDATE
        if attributes.subresource:
            return False
        # Containers cannot be added or their resources changed by a pod update (kubernetes#62673).
        if kind == "Pod" and attributes.operation == UPDATE:
            return False
        return kind in ("Pod", "PersistentVolumeClaim")

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        limit_ranges = self._limit_ranges(attributes, state)
        if limit_ranges is None:
            return Verdict(attributes.object, "the object is being deleted: limit ranges are not applied")
        if attributes.resource_type.plural != "pods" or not isinstance(attributes.object, dict):
            return Verdict(attributes.object, "only pods get default requests and limits")
        pod = copy.deepcopy(attributes.object)
        for limit_range in limit_ranges:
            merge_pod_defaults(pod, default_requirements(limit_range_items(limit_range)))
        if pod == attributes.object:
            return Verdict(attributes.object, _summary("no defaults to apply", limit_ranges))
        note = ((pod.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION, "")
        return Verdict(pod, note or "defaults applied", changed=True)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        limit_ranges = self._limit_ranges(attributes, state)
        if limit_ranges is None:
            return Verdict(attributes.object, "the object is being deleted: limit ranges are not checked")
        obj = attributes.object
        if not isinstance(obj, dict):
            return Verdict(obj, "no object to check")
        check: Callable[[list[LimitRangeItem]], list[str]]
        if attributes.resource_type.plural == "pods":
            check = lambda items: validate_pod(items, obj)  # noqa: E731
        else:
            check = lambda items: validate_pvc(items, obj)  # noqa: E731
        for limit_range in limit_ranges:
            problems = check(limit_range_items(limit_range))
            if problems:
                raise forbidden(attributes, errors.aggregate(problems))
        return Verdict(obj, _summary("within every limit range", limit_ranges))

    @staticmethod
    def _limit_ranges(attributes: Attributes, state: StateView) -> list[dict] | None:
        """The namespace's LimitRanges, or None when the stored object is marked for deletion (upstream
        ignores those, so a LimitRange made later cannot block a terminating pod's updates)."""
        old = attributes.old_object
        if isinstance(old, dict) and (old.get("metadata") or {}).get("deletionTimestamp"):
            return None
        return [lr for lr in state.list("", "limitranges", attributes.namespace) if isinstance(lr, dict)]


def _summary(what: str, limit_ranges: list[dict]) -> str:
    if not limit_ranges:
        return "no LimitRange in the namespace"
    names = ", ".join(str((lr.get("metadata") or {}).get("name")) for lr in limit_ranges)
    return f"{what} (LimitRange {names})"


# --- defaults (Admit) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirements:
    """The defaults of one LimitRange: limits from `default`, requests from `defaultRequest`."""

    requests: Mapping[str, Quantity]
    limits: Mapping[str, Quantity]


def default_requirements(items: list[LimitRangeItem]) -> Requirements:
    """defaultContainerResourceRequirements: a later Container item overrides an earlier one."""
    requests: ResourceList = {}
    limits: ResourceList = {}
    for item in items:
        if item.type == CONTAINER:
            requests.update(item.default_request)
            limits.update(item.default)
    return Requirements(requests, limits)


def merge_pod_defaults(pod: dict, defaults: Requirements) -> None:
    """mergePodResourceRequirements: fill what each container lacks and annotate the pod with it."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    notes: list[str] = []
    for field, label in (("containers", "container"), ("initContainers", "init container")):
        for container in spec.get(field) or ():
            if isinstance(container, dict):
                notes.extend(_merge_container(container, defaults, label))
    if notes:
        meta = pod.setdefault("metadata", {})
        if not isinstance(meta.get("annotations"), dict):
            meta["annotations"] = {}
        meta["annotations"][ANNOTATION] = "LimitRanger plugin set: " + "; ".join(notes)


def _merge_container(container: dict, defaults: Requirements, label: str) -> list[str]:
    """mergeContainerResources: `cpu, memory request for container x` then `... limit for container x`."""
    resources = container.get("resources")
    if resources is None:
        if not (defaults.limits or defaults.requests):
            return []
        resources = container["resources"] = {}
    if not isinstance(resources, dict):
        return []  # not a ResourceRequirements: validation rejects the pod
    set_limits = _fill(resources, "limits", defaults.limits)
    set_requests = _fill(resources, "requests", defaults.requests)
    name = container.get("name", "")
    notes = []
    if set_requests:
        notes.append(f"{', '.join(sorted(set_requests))} request for {label} {name}")
    if set_limits:
        notes.append(f"{', '.join(sorted(set_limits))} limit for {label} {name}")
    return notes


def _fill(resources: dict, key: str, defaults: Mapping[str, Quantity]) -> list[str]:
    current = resources.get(key)
    if current is None:
        if not defaults:
            return []
        current = resources[key] = {}
    if not isinstance(current, dict):
        return []
    added = [name for name in defaults if name not in current]
    for name in added:
        current[name] = qty.text(defaults[name])
    return added


# --- constraints (Validate) ------------------------------------------------------------------------------


def _projected(request: Mapping, limit: Mapping, name: str, enforced: Quantity) -> tuple[int, int, int]:
    """requestLimitEnforcedValues: request, limit and bound as int64 at a common precision, milli units when
    all three fit (`MaxMilliValue`), else whole units; a missing value is 0. Value() and MilliValue() round
    up, so a fraction of a milli over or under a bound is not seen."""
    values = [request.get(name), limit.get(name), enforced]
    whole = [qty.int64_value(q) if q is not None else 0 for q in values]
    if all(v <= qty.MAX_MILLI_VALUE for v in whole):
        return tuple(qty.int64_milli_value(q) if q is not None else 0 for q in values)  # type: ignore[return-value]
    return tuple(whole)  # type: ignore[return-value]


def min_constraint(limit_type: str, name: str, enforced: Quantity, request: Mapping, limit: Mapping) -> str | None:
    """minConstraint."""
    observed_request, observed_limit, bound_value = _projected(request, limit, name, enforced)
    bound = qty.text(enforced)
    if name not in request:
        return f"minimum {name} usage per {limit_type} is {bound}.  No request is specified"
    if observed_request < bound_value:
        return f"minimum {name} usage per {limit_type} is {bound}, but request is {qty.text(request[name])}"
    if name in limit and observed_limit < bound_value:
        return f"minimum {name} usage per {limit_type} is {bound}, but limit is {qty.text(limit[name])}"
    return None


def max_constraint(limit_type: str, name: str, enforced: Quantity, request: Mapping, limit: Mapping) -> str | None:
    """maxConstraint: a limit is required; the limit, then the request, must not pass the maximum."""
    observed_request, observed_limit, bound_value = _projected(request, limit, name, enforced)
    bound = qty.text(enforced)
    if name not in limit:
        return f"maximum {name} usage per {limit_type} is {bound}.  No limit is specified"
    if observed_limit > bound_value:
        return f"maximum {name} usage per {limit_type} is {bound}, but limit is {qty.text(limit[name])}"
    if name in request and observed_request > bound_value:
        return f"maximum {name} usage per {limit_type} is {bound}, but request is {qty.text(request[name])}"
    return None


def max_request_constraint(limit_type: str, name: str, enforced: Quantity, request: Mapping) -> str | None:
    """maxRequestConstraint: for a PersistentVolumeClaim, whose limits are not user input."""
    observed_request, _, bound_value = _projected(request, {}, name, enforced)
    bound = qty.text(enforced)
    if name not in request:
        return f"maximum {name} usage per {limit_type} is {bound}.  No request is specified"
    if observed_request > bound_value:
        return f"maximum {name} usage per {limit_type} is {bound}, but request is {qty.text(request[name])}"
    return None


def ratio_constraint(limit_type: str, name: str, enforced: Quantity, request: Mapping, limit: Mapping) -> str | None:
    """limitRequestRatioConstraint: limit / request, as float64 of the projected values, must not pass the
    maximum ratio; the message shows it with Go's `%f`."""
    observed_request, observed_limit, _ = _projected(request, limit, name, enforced)
    head = f"{name} max limit to request ratio per {limit_type} is {qty.text(enforced)}"
    if name not in request or observed_request == 0:
        return f"{head}, but no request is specified or request is 0"
    if name not in limit or observed_limit == 0:
        return f"{head}, but no limit is specified or limit is 0"
    observed = float(observed_limit) / float(observed_request)
    shown = observed
    maximum = float(qty.int64_value(enforced))
    if qty.int64_value(enforced) <= qty.MAX_MILLI_VALUE:
        observed *= 1000
        maximum = float(qty.int64_milli_value(enforced))
    if observed > maximum:
        return f"{head}, but provided ratio is {shown:f}"
    return None


def _check_item(item: LimitRangeItem, request: Mapping, limit: Mapping) -> list[str]:
    """min, then max, then ratio, each over the item's resource names in sorted order."""
    found: list[str] = []
    for bounds, check in ((item.min, min_constraint), (item.max, max_constraint),
                          (item.max_limit_request_ratio, ratio_constraint)):
        for name in sorted(bounds):
            problem = check(item.type, name, bounds[name], request, limit)
            if problem:
                found.append(problem)
    return found


def validate_pod(items: list[LimitRangeItem], pod: Mapping) -> list[str]:
    """PodValidateLimitFunc: Container items bound each container and init container, Pod items bound the
    pod's effective requests and limits."""
    spec = pod.get("spec") if isinstance(pod.get("spec"), Mapping) else {}
    found: list[str] = []
    for item in items:
        if item.type == CONTAINER:
            for container in containers(spec, "containers") + containers(spec, "initContainers"):
                found.extend(_check_item(item, *container_resources(container)))
        if item.type == POD:
            found.extend(_check_item(item, pod_requests(spec, "requests"), pod_requests(spec, "limits")))
    return found


def pod_requests(spec: Mapping, which: str) -> ResourceList:
    """limitranger's podRequests / podLimits (which="requests" / "limits"): the containers as the sidecar KEP
    aggregates them, then pod-level values for cpu and memory. Only the spec, never status
    (UseStatusResources=false), and no overhead."""
    index = 0 if which == "requests" else 1
    total = aggregate_containers(spec, lambda container, status: container_resources(container)[index])
    pod_level = spec.get("resources")
    if isinstance(pod_level, Mapping):
        for name, value in qty.resource_list(pod_level.get(which)).items():
            if name in _POD_LEVEL_RESOURCES:
                total[name] = value
    return total


def validate_pvc(items: list[LimitRangeItem], pvc: Mapping) -> list[str]:
    """PersistentVolumeClaimValidateLimitFunc: min and max of `spec.resources.requests`, on create and on
    every update (skipping a request an update leaves unchanged came after v1.37, kubernetes#142170)."""
    requests = _pvc_requests(pvc)
    found: list[str] = []
    for item in items:
        if item.type != PVC:
            continue
        for name in sorted(item.min):
            problem = min_constraint(item.type, name, item.min[name], requests, {})
            found.extend([problem] if problem else [])
        for name in sorted(item.max):
            problem = max_request_constraint(item.type, name, item.max[name], requests)
            found.extend([problem] if problem else [])
    return found


def _pvc_requests(pvc: Mapping) -> ResourceList:
    spec = pvc.get("spec")
    resources = spec.get("resources") if isinstance(spec, Mapping) else None
    return qty.resource_list(resources.get("requests")) if isinstance(resources, Mapping) else {}
