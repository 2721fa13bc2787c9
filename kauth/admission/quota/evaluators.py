"""The quota evaluators for services, persistent volume claims and plain object counts, and the registry.

Upstream: pkg/quota/v1/evaluator/core/services.go, persistent_volume_claims.go, registry.go;
k8s.io/apiserver/pkg/quota/v1/generic/evaluator.go (object counts, Matches); pkg/quota/v1/install
(the ignored resources). Pods have their own module, kauth/admission/quota/pods.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING
from typing import Mapping, Protocol, Sequence

from kauth.admission import quantity as qty
from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.quantity import ResourceList
from kauth.admission.quota.pods import PodEvaluator
from kauth.admission.quota.scopes import EXISTS, ScopeSelector, selector_matches
from kauth.api.defaults import Quantity


class Evaluator(Protocol):
    """quota.Evaluator: what one kind of object uses of which quota resources."""

    group: str
    resource: str

    def handles(self, attributes: Attributes) -> bool: ...

    def matching_resources(self, names: Sequence[str]) -> list[str]: ...

    def matches_scope(self, selector: ScopeSelector, obj: Mapping) -> bool: ...

    def constraints(self, required: Sequence[str], obj: Mapping) -> str | None:
        """Why the object may not be charged to a quota that tracks `required` (None: it may)."""

    def usage(self, obj: Mapping) -> ResourceList: ...


def object_count_name(group: str, resource: str) -> str:
    """generic.ObjectCountQuotaResourceNameFor: `count/pods`, `count/deployments.apps`."""
    return f"count/{resource}.{group}" if group else f"count/{resource}"


def _no_scope(selector: ScopeSelector, obj: Mapping) -> bool:
    """generic.MatchesNoScopeFunc: only pods have scopes; a scoped quota never holds anything else."""
    return False


@dataclass(frozen=True)
class ObjectCountEvaluator:
    """generic.NewObjectCountEvaluator: one per created object, under `count/<resource>[.<group>]` and,
    for configmaps, secrets, resourcequotas and replicationcontrollers, the legacy bare name too."""

    group: str
    resource: str
    alias: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        count = object_count_name(self.group, self.resource)
        return (count, self.alias) if self.alias else (count,)

    def handles(self, attributes: Attributes) -> bool:
        return attributes.operation == CREATE

    def matching_resources(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name in self.names]

    def matches_scope(self, selector: ScopeSelector, obj: Mapping) -> bool:
        return _no_scope(selector, obj)

    def constraints(self, required: Sequence[str], obj: Mapping) -> str | None:
        return None

    def usage(self, obj: Mapping) -> ResourceList:
        return {name: qty.of_int(1) for name in self.names}


SERVICE_RESOURCES = ("count/services", "services", "services.nodeports", "services.loadbalancers")


@dataclass(frozen=True)
class ServiceEvaluator:
    """pkg/quota/v1/evaluator/core/services.go."""

    group: str = ""
    resource: str = "services"

    def handles(self, attributes: Attributes) -> bool:
        # Create and update: a service's type can change.
        return attributes.operation in (CREATE, UPDATE)

    def matching_resources(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name in SERVICE_RESOURCES]

    def matches_scope(self, selector: ScopeSelector, obj: Mapping) -> bool:
        return _no_scope(selector, obj)

    def constraints(self, required: Sequence[str], obj: Mapping) -> str | None:
        return None

    def usage(self, obj: Mapping) -> ResourceList:
        spec = obj.get("spec") if isinstance(obj.get("spec"), Mapping) else {}
        ports = spec.get("ports")
        port_count = len(ports) if isinstance(ports, list) else 0
        used = {"count/services": qty.of_int(1), "services": qty.of_int(1),
                "services.loadbalancers": qty.zero(), "services.nodeports": qty.zero()}
        kind = spec.get("type")
        if kind == "NodePort":
            used["services.nodeports"] = qty.of_int(port_count)
        elif kind == "LoadBalancer":
            used["services.nodeports"] = qty.of_int(port_count)
            used["services.loadbalancers"] = qty.of_int(1)
        return used


PVC_RESOURCES = ("persistentvolumeclaims", "requests.storage")
PVC_COUNT = "count/persistentvolumeclaims"
STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/"
VOLUME_ATTRIBUTES_CLASS = "VolumeAttributesClass"  # corev1.ResourceQuotaScopeVolumeAttributesClass
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


@dataclass(frozen=True)
class PersistentVolumeClaimEvaluator:
    """pkg/quota/v1/evaluator/core/persistent_volume_claims.go."""

    group: str = ""
    resource: str = "persistentvolumeclaims"

    def handles(self, attributes: Attributes) -> bool:
        if attributes.subresource == "status":
            old, new = attributes.old_object, attributes.object
            return isinstance(old, Mapping) and isinstance(new, Mapping) and requires_quota_replenish(new, old)
        return not attributes.subresource and attributes.operation in (CREATE, UPDATE)

    def matching_resources(self, names: Sequence[str]) -> list[str]:
        # The claim's own resources, and the same per storage class:
        # `gold.storageclass.storage.k8s.io/requests.storage`.
        return [name for name in names
                if name == PVC_COUNT or name in PVC_RESOURCES
                or any(name.endswith(STORAGE_CLASS_SUFFIX + r) for r in PVC_RESOURCES)]

    def matches_scope(self, selector: ScopeSelector, obj: Mapping) -> bool:
        """pvcMatchesScopeFunc (the VolumeAttributesClass feature is GA): only the VolumeAttributesClass scope,
        matched by any class the claim names, has or is moving to; a claim naming none matches as if unlabelled."""
        if selector.scope_name != VOLUME_ATTRIBUTES_CLASS:
            return False
        names = volume_attributes_class_names(obj)
        if selector.operator == EXISTS:
            return bool(names)
        if not names:
            return selector_matches(selector, {})
        return any(selector_matches(selector, {VOLUME_ATTRIBUTES_CLASS: name}) for name in sorted(names))

    def constraints(self, required: Sequence[str], obj: Mapping) -> str | None:
        return None

    def usage(self, obj: Mapping) -> ResourceList:
        used: ResourceList = {"persistentvolumeclaims": qty.of_int(1), PVC_COUNT: qty.of_int(1)}
        storage_class = claim_class(obj)
        if storage_class:
            used[storage_class + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims"] = qty.of_int(1)
        storage = _storage_usage(obj)
        if storage is not None:
            used["requests.storage"] = storage
            if storage_class:
                used[storage_class + STORAGE_CLASS_SUFFIX + "requests.storage"] = storage
        return used


def volume_attributes_class_names(pvc: Mapping) -> set[str]:
    """getReferencedVolumeAttributesClassNames: spec.volumeAttributesClassName,
    status.currentVolumeAttributesClassName and status.modifyVolumeStatus.targetVolumeAttributesClassName."""
    spec = pvc.get("spec") if isinstance(pvc.get("spec"), Mapping) else {}
    status = pvc.get("status") if isinstance(pvc.get("status"), Mapping) else {}
    modify = status.get("modifyVolumeStatus") if isinstance(status.get("modifyVolumeStatus"), Mapping) else {}
    candidates = (spec.get("volumeAttributesClassName"), status.get("currentVolumeAttributesClassName"),
                  modify.get("targetVolumeAttributesClassName"))
    return {name for name in candidates if isinstance(name, str) and name}


def requires_quota_replenish(pvc: Mapping, old_pvc: Mapping) -> bool:
    """RequiresQuotaReplenish: meant to ask whether the allocated storage or the referenced
    VolumeAttributesClasses changed, but its first test compares two *Quantity pointers that
    ResourceList.Storage() makes afresh on every call, so it is always true."""
    return True


def claim_class(pvc: Mapping) -> str:
    """storagehelpers.GetPersistentVolumeClaimClass: the beta annotation wins over storageClassName."""
    meta = pvc.get("metadata") if isinstance(pvc.get("metadata"), Mapping) else {}
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), Mapping) else {}
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return str(annotations[BETA_STORAGE_CLASS_ANNOTATION])
    spec = pvc.get("spec") if isinstance(pvc.get("spec"), Mapping) else {}
    name = spec.get("storageClassName")
    return name if isinstance(name, str) else ""


def _storage_usage(pvc: Mapping) -> Quantity | None:
    """getStorageUsage: the requested storage in whole bytes, or the allocated size when that is larger
    (RecoverVolumeExpansionFailure, on by default since it went GA)."""
    spec = pvc.get("spec") if isinstance(pvc.get("spec"), Mapping) else {}
    resources = spec.get("resources") if isinstance(spec.get("resources"), Mapping) else {}
    requested = qty.resource_list(resources.get("requests")).get("storage")
    if requested is None:
        return None
    result = _round_up_to_bytes(requested)
    status = pvc.get("status") if isinstance(pvc.get("status"), Mapping) else {}
    allocated = qty.resource_list(status.get("allocatedResources")).get("storage")
    if allocated is not None and qty.cmp(allocated, result) > 0:
        result = _round_up_to_bytes(allocated)
    return result


def _round_up_to_bytes(q: Quantity) -> Quantity:
    """Quantity.RoundUp(0): storage is counted in whole bytes (kubernetes#94313)."""
    whole = q.value.to_integral_value(rounding=ROUND_CEILING)
    return q if whole == q.value else Quantity(whole, q.format)


# registry.go's legacyObjectCountAliases.
LEGACY_ALIASES = {"configmaps": "configmaps", "resourcequotas": "resourcequotas",
                  "replicationcontrollers": "replicationcontrollers", "secrets": "secrets"}

# install.ignoredResources: virtual resources that are never stored, and events.
IGNORED = frozenset({("", "bindings"), ("", "componentstatuses"), ("authentication.k8s.io", "tokenreviews"),
                     ("authentication.k8s.io", "selfsubjectreviews"),
                     ("authorization.k8s.io", "subjectaccessreviews"),
                     ("authorization.k8s.io", "selfsubjectaccessreviews"),
                     ("authorization.k8s.io", "localsubjectaccessreviews"),
                     ("authorization.k8s.io", "selfsubjectrulesreviews"), ("", "events"),
                     ("events.k8s.io", "events")})


def evaluator_for(group: str, resource: str, pod_evaluator: PodEvaluator) -> Evaluator:
    """The registry's evaluator for a group/resource; any other resource gets a plain object counter, as
    the admission plugin adds one on first use (quotaEvaluator.Evaluate)."""
    if group == "":
        if resource == "pods":
            return pod_evaluator
        if resource == "services":
            return ServiceEvaluator()
        if resource == "persistentvolumeclaims":
            return PersistentVolumeClaimEvaluator()
        if resource in LEGACY_ALIASES:
            return ObjectCountEvaluator("", resource, LEGACY_ALIASES[resource])
    return ObjectCountEvaluator(group, resource)


def evaluators_for_hard(hard: Sequence[str], pod_evaluator: PodEvaluator) -> list[Evaluator]:
    """The evaluators the quota controller would run for these hard resources: the static ones, then an
    object counter for every other `count/<resource>[.<group>]` (the controller registers one per
    discovered resource)."""
    static: list[Evaluator] = [pod_evaluator, ServiceEvaluator(), PersistentVolumeClaimEvaluator(),
                               *(ObjectCountEvaluator("", r, a) for r, a in LEGACY_ALIASES.items())]
    covered = {name for ev in static for name in ev.matching_resources(hard)}
    extra: list[Evaluator] = []
    for name in hard:
        if name.startswith("count/") and name not in covered:
            resource, _, group = name[len("count/"):].partition(".")
            if resource and (group, resource) not in IGNORED:
                extra.append(ObjectCountEvaluator(group, resource))
    return [ev for ev in static if ev.matching_resources(hard)] + extra
