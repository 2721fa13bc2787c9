"""RuntimeClass: a new pod takes its RuntimeClass's pod overhead and scheduling constraints.

Upstream: plugin/pkg/admission/runtimeclass/admission.go (v1.37), both mutating and validating, for pod
CREATE only (no subresource). A pod naming a `runtimeClassName` that does not exist is refused
(`pod rejected: RuntimeClass "x" not found`). Admit copies the class's `overhead.podFixed` into
`spec.overhead` (refusing a pod whose own overhead differs), merges the class's
`scheduling.nodeSelector` into the pod's (refusing a key the pod sets to another value) and merges the
class's `scheduling.tolerations` with the pod's (pkg/util/tolerations MergeTolerations: a toleration
another one covers is dropped). Validate then refuses a pod whose overhead does not come from its
RuntimeClass.
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission import quantity
from kauth.admission.chain import CREATE, Attributes, StateView, Verdict, pod_request
from kauth.api import errors
from kauth.admission.chain import forbidden as _forbidden

NODE_GROUP = "node.k8s.io"
RUNTIME_CLASSES = "runtimeclasses"
OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead"
OVERHEAD_WITHOUT_CLASS = "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead"


class RuntimeClass:
    """The RuntimeClass admission plugin (mutating and validating)."""

    name = "RuntimeClass"

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create); shouldIgnore drops subresources and everything but pods.
        return pod_request(attributes, (CREATE,))

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to do")
        spec = pod.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(pod, "spec is not an object: left to validation")
        class_name, runtime_class = _runtime_class(attributes, state, spec or {})
        if runtime_class is None:
            return Verdict(pod, "the pod names no RuntimeClass")
        new_pod = copy.deepcopy(pod)
        new_spec = new_pod.setdefault("spec", {})
        notes = []
        overhead = runtime_class.get("overhead")
        if isinstance(overhead, dict):
            pod_fixed = overhead.get("podFixed")
            if _dict(new_spec.get("overhead")) and not resource_lists_equal(pod_fixed, new_spec.get("overhead")):
                raise _forbidden(attributes, OVERHEAD_MISMATCH)
            if pod_fixed:
                new_spec["overhead"] = copy.deepcopy(pod_fixed)
                notes.append("set spec.overhead")
            else:
                new_spec.pop("overhead", None)
        scheduling = runtime_class.get("scheduling")
        if isinstance(scheduling, dict):
            notes += _set_scheduling(attributes, new_spec, scheduling)
        changed = new_pod != pod
        done = ", ".join(notes) if notes and changed else "nothing to add"
        return Verdict(new_pod if changed else pod, f'RuntimeClass "{class_name}": {done}', changed=changed)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to check")
        spec = _dict(pod.get("spec"))
        class_name, runtime_class = _runtime_class(attributes, state, spec)
        pod_overhead = spec.get("overhead")
        if not _dict(pod_overhead):
            return Verdict(pod, "the pod sets no overhead")
        overhead = runtime_class.get("overhead") if runtime_class is not None else None
        if not isinstance(overhead, dict):
            raise _forbidden(attributes, OVERHEAD_WITHOUT_CLASS)
        if not resource_lists_equal(overhead.get("podFixed"), pod_overhead):
            raise _forbidden(attributes, OVERHEAD_MISMATCH)
        return Verdict(pod, f'the pod overhead is RuntimeClass "{class_name}"\'s')


def _runtime_class(attributes: Attributes, state: StateView, spec: dict) -> tuple[str, dict | None]:
    """prepareObjects: the pod's RuntimeClass, or None when it names none; a missing one is refused."""
    class_name = spec.get("runtimeClassName")
    if class_name is None:
        return "", None
    if not isinstance(class_name, str):
        raise _forbidden(attributes, f"pod rejected: RuntimeClass {errors.go_value(class_name)} not found")
    runtime_class = state.get(NODE_GROUP, RUNTIME_CLASSES, "", class_name)
    if not isinstance(runtime_class, dict):
        raise _forbidden(attributes, f"pod rejected: RuntimeClass {errors.go_quote(class_name)} not found")
    return class_name, runtime_class


def _set_scheduling(attributes: Attributes, spec: dict, scheduling: dict) -> list[str]:
    """setScheduling: merge the class's nodeSelector (conflicts refused) and tolerations into the pod's."""
    notes = []
    class_selector = scheduling.get("nodeSelector")
    class_selector = class_selector if isinstance(class_selector, dict) else None
    pod_selector = spec.get("nodeSelector")
    if pod_selector is None:
        selector = copy.deepcopy(class_selector)
    elif isinstance(pod_selector, dict):
        selector = dict(pod_selector)
        for key in sorted(class_selector or {}):  # Go's map order is random: kauth reports the first key sorted
            value = class_selector[key]
            if key in selector and selector[key] != value:
                raise _forbidden(attributes, f"conflict: runtimeClass.scheduling.nodeSelector[{key}] = {value}; "
                                             f"pod.spec.nodeSelector[{key}] = {selector[key]}")
            selector[key] = value
    else:
        selector = pod_selector  # not a map: validation's to refuse
    if selector is None:
        spec.pop("nodeSelector", None)
    else:
        spec["nodeSelector"] = selector
        if class_selector:
            notes.append("merged scheduling.nodeSelector")
    pod_tolerations = spec.get("tolerations")
    class_tolerations = scheduling.get("tolerations")
    if pod_tolerations is not None and not isinstance(pod_tolerations, list):
        return notes
    class_tolerations = [t for t in class_tolerations if isinstance(t, dict)] \
        if isinstance(class_tolerations, list) else []
    merged = merge_tolerations([t for t in pod_tolerations or [] if isinstance(t, dict)], class_tolerations)
    if merged:
        spec["tolerations"] = merged
        if class_tolerations:
            notes.append("merged scheduling.tolerations")
    else:
        spec.pop("tolerations", None)
    return notes


# --- pkg/util/tolerations ---------------------------------------------------------------------------


def _fields(toleration: dict) -> tuple:
    """A toleration's fields as Go compares them: absent strings are "", absent seconds nil."""
    return (_str(toleration.get("key")), _str(toleration.get("operator")), _str(toleration.get("value")),
            _str(toleration.get("effect")), toleration.get("tolerationSeconds"))


def is_superset(ss: dict, t: dict) -> bool:
    """isSuperset: whether toleration ss tolerates everything t does."""
    ss_key, ss_op, ss_value, ss_effect, ss_seconds = _fields(ss)
    t_key, t_op, t_value, t_effect, t_seconds = _fields(t)
    if _fields(ss) == _fields(t):
        return True
    # An empty key with Exists operator means match all keys & values.
    if t_key != ss_key and (ss_key != "" or ss_op != "Exists"):
        return False
    # An empty effect means match all effects.
    if t_effect != ss_effect and ss_effect != "":
        return False
    if ss_effect == "NoExecute" and ss_seconds is not None:
        if t_seconds is None or not _seconds_le(t_seconds, ss_seconds):
            return False
    if ss_op in ("Equal", ""):  # empty operator means Equal
        return t_op == "Equal" and t_value == ss_value
    return ss_op == "Exists"  # an unknown operator is logged upstream and covers nothing


def merge_tolerations(first: list[dict], second: list[dict]) -> list[dict]:
    """MergeTolerations: first then second, dropping any toleration another one covers (of two equal
    tolerations, the first is kept)."""
    every = [*first, *second]
    merged: list[dict] = []
    for i, t in enumerate(every):
        if any(is_superset(kept, t) for kept in merged):
            continue
        if any(_fields(t) != _fields(later) and is_superset(later, t) for later in every[i + 1:]):
            continue
        merged.append(t)
    return merged


def _seconds_le(a: Any, b: Any) -> bool:
    try:
        return a <= b
    except TypeError:
        return False


# --- helpers ----------------------------------------------------------------------------------------


def resource_lists_equal(a: Any, b: Any) -> bool:
    """apiequality.Semantic.DeepEqual of two ResourceLists: the same names, quantities equal by value
    (1 == 1000m); a nil list equals an empty one."""
    a, b = _dict(a), _dict(b)
    if a.keys() != b.keys():
        return False
    for name, raw in a.items():
        left, right = quantity.parse(raw), quantity.parse(b[name])
        if left is None or right is None:
            if raw != b[name]:
                return False
        elif quantity.cmp(left, right) != 0:
            return False
    return True


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
