"""What PodSecurity tells whoever relabels a namespace: existing pods that the new enforce level would reject,
and that an exempt namespace's labels are ignored.

Upstream: pod-security-admission/admission/admission.go (EvaluatePodsInNamespace, prioritizePods,
decoratePodWarnings, exemptNamespaceWarning; the last from kubernetes#109680).
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from kauth.admission.podsecurity.api import (
    AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL, ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL, PRIVILEGED,
    WARN_LEVEL_LABEL, WARN_VERSION_LABEL, LevelVersion, Policy)
from kauth.admission.podsecurity.podspec import items, mapping, string
from kauth.admission.podsecurity.registry import Evaluator

DEFAULT_MAX_PODS_TO_CHECK = 3000  # defaultNamespaceMaxPodsToCheck
LIST_FAILED = "failed to list pods while checking new PodSecurity enforce level"


def _controller_uid(pod: dict) -> str | None:
    """metav1.GetControllerOf: the UID of the ownerReference with controller: true."""
    for ref in items(mapping(pod, "metadata"), "ownerReferences"):
        if isinstance(ref, dict) and ref.get("controller") is True:
            return string(ref, "uid")
    return None


def prioritize_pods(pods: Iterable[dict], exempt_runtime_class: Callable[[str], bool]) -> list[dict]:
    """prioritizePods: drop exempt runtime classes; one pod per controller first, its siblings at the end."""
    first: list[dict] = []
    duplicates: list[dict] = []
    seen_controllers: set[str] = set()
    for pod in pods:
        if exempt_runtime_class(string(mapping(pod, "spec"), "runtimeClassName")):
            continue
        uid = _controller_uid(pod)
        if uid is None:
            first.append(pod)
        elif uid in seen_controllers:
            duplicates.append(pod)
        else:
            seen_controllers.add(uid)
            first.append(pod)
    return first + duplicates


def evaluate_pods_in_namespace(evaluator: Evaluator, namespace: str, enforce: LevelVersion, pods: list[dict],
                               exempt_runtime_class: Callable[[str], bool],
                               max_pods: int = DEFAULT_MAX_PODS_TO_CHECK) -> list[str]:
    """EvaluatePodsInNamespace: the warnings for a stricter enforce level, pods grouped by identical reasons
    (reasons only, no details), each group named by its lexically first pod.

    Upstream also stops after 1 s (or half the request's remaining deadline); kauth is deterministic and checks
    up to `max_pods` pods.
    """
    prioritized = prioritize_pods(pods, exempt_runtime_class)
    total = len(prioritized)
    prioritized = prioritized[:max_pods]
    groups: dict[str, list] = {}  # reasons -> [lexically first pod name, count]; insertion order = first seen
    for pod in prioritized:
        result = evaluator.evaluate_pod(enforce, mapping(pod, "metadata"), mapping(pod, "spec"))
        if result.allowed:
            continue
        name = string(mapping(pod, "metadata"), "name")
        group = groups.setdefault(result.forbidden_reason(), [name, 0])
        group[0] = min(group[0], name)
        group[1] += 1
    warnings = []
    if len(prioritized) < total:
        warnings.append(f"new PodSecurity enforce level only checked against the first {len(prioritized)} "
                        f"of {total} existing pods")
    if groups:
        warnings.append(f'existing pods in namespace "{namespace}" violate the new PodSecurity enforce level '
                        f'"{enforce}"')
    return warnings + sorted(_decorate(name, count, reasons) for reasons, (name, count) in groups.items())


def _decorate(pod_name: str, count: int, reasons: str) -> str:
    """decoratePodWarnings: `a: ...`, `a (and 1 other pod): ...`, `a (and 4 other pods): ...`."""
    if count == 1:
        return f"{pod_name}: {reasons}"
    if count == 2:
        return f"{pod_name} (and 1 other pod): {reasons}"
    return f"{pod_name} (and {count - 1} other pods): {reasons}"


def exempt_namespace_warning(namespace: str, policy: Policy, default_policy: Policy,
                             labels: Mapping[str, str]) -> str:
    """exemptNamespaceWarning: an exempt namespace labelled with a non-privileged policy is told its labels are
    ignored; only the modes that are not privileged and were set by a label are listed."""
    if policy.fully_privileged() or policy.equivalent(default_policy):
        return ""
    parts = []
    for mode, lv, level_label, version_label in (
            ("enforce", policy.enforce, ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL),
            ("audit", policy.audit, AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL),
            ("warn", policy.warn, WARN_LEVEL_LABEL, WARN_VERSION_LABEL)):
        if lv.level != PRIVILEGED and (level_label in labels or version_label in labels):
            parts.append(f"{mode}={lv}")
    return f'namespace "{namespace}" is exempt from Pod Security, and the policy ({", ".join(parts)}) will be ignored'
