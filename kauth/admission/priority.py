"""Priority: a new pod's PriorityClass becomes its `spec.priority` and `spec.preemptionPolicy`; at most
one PriorityClass may be the global default.

Upstream: plugin/pkg/admission/priority/admission.go (v1.37). The plugin is both mutating and validating:

- Admit, pods (no subresource): on CREATE, a pod without `priorityClassName` gets the global-default
  PriorityClass (the one with `globalDefault: true`, the lowest value when a race left several), its
  name, value and preemption policy; without a default class, priority 0 and `PreemptLowerPriority`.
  A named class must exist (`no PriorityClass with name x was found`); a priority or preemption policy
  the user wrote must equal the class's. On UPDATE, a priority or policy the new pod leaves out is copied
  from the old pod (validation forbids changing them).
- Validate, priorityclasses (no subresource): on CREATE or UPDATE, a class that sets `globalDefault` is
  refused while another class is the default (`PriorityClass x is already marked as default. Only one
  default can exist`).

Since v1.17 the plugin no longer confines `system-node-critical` and `system-cluster-critical` to
kube-system: any namespace may use them, and an administrator who wants the old rule configures
ResourceQuota's `limitedResources` (kubernetes#76310). Workloads (scheduling.k8s.io) are also resolved
upstream, behind the WorkloadAwarePreemption feature gate, off by default: not simulated.
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.api import errors
from kauth.admission.chain import forbidden as _forbidden

SCHEDULING_GROUP = "scheduling.k8s.io"
PRIORITY_CLASSES = "priorityclasses"
PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"
# scheduling.DefaultPriorityWhenNoDefaultClassExists
DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0
SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical"
SYSTEM_NODE_CRITICAL = "system-node-critical"
# scheduling.SystemCriticalPriority: twice HighestUserDefinablePriority (one billion).
SYSTEM_CRITICAL_PRIORITY = 2_000_000_000


def _system_class(name: str, value: int, description: str) -> dict:
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
            "value": value, "description": description, "preemptionPolicy": PREEMPT_LOWER_PRIORITY}


# scheduling.SystemPriorityClasses(): what the API server's bootstrap hook
# (scheduling/bootstrap-system-priority-classes) creates when they are missing.
SYSTEM_PRIORITY_CLASSES = {
    SYSTEM_NODE_CRITICAL: _system_class(
        SYSTEM_NODE_CRITICAL, SYSTEM_CRITICAL_PRIORITY + 1000,
        "Used for system critical pods that must not be moved from their current node."),
    SYSTEM_CLUSTER_CRITICAL: _system_class(
        SYSTEM_CLUSTER_CRITICAL, SYSTEM_CRITICAL_PRIORITY,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if "
        "necessary."),
}


class Priority:
    """The Priority admission plugin (mutating for pods, validating for PriorityClasses).

    `system_classes`: answer for the two built-in classes as a real cluster does, where the API server's
    bootstrap hook has stored them, even when kauth's store does not hold them (a stored one wins).
    """

    name = "Priority"

    def __init__(self, *, system_classes: bool = True) -> None:
        self.system_classes = system_classes

    def handles(self, attributes: Attributes) -> bool:
        # Upstream's Handler takes CREATE, UPDATE and DELETE; Admit and Validate then ignore subresources,
        # every resource but pods and priorityclasses, and DELETE.
        rt = attributes.resource_type
        return (attributes.operation in (CREATE, UPDATE) and not attributes.subresource
                and (rt.group, rt.plural) in (("", "pods"), (SCHEDULING_GROUP, PRIORITY_CLASSES)))

    # --- mutating half: pods -----------------------------------------------------------------------

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if attributes.resource_type.plural != "pods":
            return Verdict(pod, "PriorityClasses are checked in the validating phase")
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to do")
        spec = pod.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(pod, "spec is not an object: left to validation")
        spec = spec or {}
        if attributes.operation == UPDATE:
            return self._keep_priority(attributes, pod, spec)
        return self._resolve_priority(attributes, state, pod, spec)

    def _keep_priority(self, attributes: Attributes, pod: dict, spec: dict) -> Verdict:
        old_spec = _dict(_dict(attributes.old_object).get("spec"))
        kept = [f for f in ("priority", "preemptionPolicy")
                if spec.get(f) is None and old_spec.get(f) is not None]
        if not kept:
            return Verdict(pod, "pod update: priority and preemptionPolicy left as sent")
        pod = copy.deepcopy(pod)
        new_spec = pod.setdefault("spec", {})
        for f in kept:
            new_spec[f] = copy.deepcopy(old_spec[f])
        return Verdict(pod, f"pod update: kept {' and '.join(kept)} from the stored pod", changed=True)

    def _resolve_priority(self, attributes: Attributes, state: StateView, pod: dict, spec: dict) -> Verdict:
        class_name = spec.get("priorityClassName")
        if class_name is not None and not isinstance(class_name, str):
            return Verdict(pod, "priorityClassName is not a string: left to validation")
        given_priority = spec.get("priority")
        if given_priority is not None and not _is_int(given_priority):
            return Verdict(pod, "priority is not an integer: left to validation")
        if not class_name:
            default = default_priority_class(state.list(SCHEDULING_GROUP, PRIORITY_CLASSES))
            if default is None:
                source = "no global-default PriorityClass"
                resolved_name, priority, policy = "", DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS, \
                    PREEMPT_LOWER_PRIORITY
            else:
                resolved_name = _str(_dict(default.get("metadata")).get("name"))
                source = f'the global-default PriorityClass "{resolved_name}"'
                priority, policy = _value(default), _policy(default)
        else:
            priority_class = self._priority_class(state, class_name)
            if priority_class is None:
                raise _forbidden(attributes, f"no PriorityClass with name {class_name} was found")
            resolved_name = class_name
            source = f'PriorityClass "{class_name}"'
            priority, policy = _value(priority_class), _policy(priority_class)
        if given_priority is not None and given_priority != priority:
            raise _forbidden(attributes, f"the integer value of priority ({given_priority}) must not be provided in "
                                         f"pod spec; priority admission controller computed {priority} from the "
                                         f"given PriorityClass name")
        given_policy = spec.get("preemptionPolicy")
        if policy is not None and given_policy is not None and given_policy != policy:
            raise _forbidden(attributes, f"the string value of PreemptionPolicy ({_go_str(given_policy)}) must not "
                                         f"be provided in pod spec; priority admission controller computed {policy} "
                                         f"from the given PriorityClass name")
        new_pod = copy.deepcopy(pod)
        new_spec = new_pod.setdefault("spec", {})
        if resolved_name:
            new_spec["priorityClassName"] = resolved_name
        new_spec["priority"] = priority
        settled = f"priority {priority}"
        if policy is not None:
            new_spec["preemptionPolicy"] = policy
            settled += f", preemptionPolicy {policy}"
        return Verdict(new_pod, f"{settled} from {source}", changed=new_pod != pod)

    def _priority_class(self, state: StateView, name: str) -> dict | None:
        stored = state.get(SCHEDULING_GROUP, PRIORITY_CLASSES, "", name)
        if isinstance(stored, dict):
            return stored
        if self.system_classes:
            return SYSTEM_PRIORITY_CLASSES.get(name)
        return None

    # --- validating half: PriorityClasses ----------------------------------------------------------

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        priority_class = attributes.object
        if attributes.resource_type.plural != PRIORITY_CLASSES:
            return Verdict(priority_class, "pods are resolved in the mutating phase")
        if not isinstance(priority_class, dict):
            return Verdict(priority_class, "no PriorityClass in the request: nothing to check")
        if priority_class.get("globalDefault") is not True:
            return Verdict(priority_class, "not a global default: nothing to check")
        default = default_priority_class(state.list(SCHEDULING_GROUP, PRIORITY_CLASSES))
        if default is None:
            return Verdict(priority_class, "no other PriorityClass is the global default")
        default_name = _str(_dict(default.get("metadata")).get("name"))
        own_name = _str(_dict(priority_class.get("metadata")).get("name")) or attributes.name
        if attributes.operation == CREATE or default_name != own_name:
            raise _forbidden(attributes, f"PriorityClass {default_name} is already marked as default. "
                                         f"Only one default can exist")
        return Verdict(priority_class, "this PriorityClass is already the global default")


def default_priority_class(classes: list[Any]) -> dict | None:
    """getDefaultPriorityClass: among classes with `globalDefault: true`, the first with the lowest value."""
    default = None
    for candidate in classes:
        if isinstance(candidate, dict) and candidate.get("globalDefault") is True:
            if default is None or _value(default) > _value(candidate):
                default = candidate
    return default


def _value(priority_class: dict) -> int:
    value = priority_class.get("value")
    return value if _is_int(value) else 0


def _policy(priority_class: dict) -> str | None:
    """The class's preemptionPolicy (defaulted to PreemptLowerPriority on a real cluster), None when absent."""
    policy = priority_class.get("preemptionPolicy")
    return policy if isinstance(policy, str) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _go_str(value: Any) -> str:
    return value if isinstance(value, str) else errors.go_value(value)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
