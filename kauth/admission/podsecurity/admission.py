"""The PodSecurity admission decision for one request: pods, pod-template workloads, and namespaces.

A pure function of (configuration, request attributes, stored namespaces and pods) returning a Response, as
upstream's delegate returns an AdmissionResponse; `plugin.py` turns it into kauth's Verdict or StatusError.
Upstream: pod-security-admission/admission/{admission.go,response.go}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView
from kauth.admission.podsecurity.api import (
    AUDIT_VIOLATIONS_ANNOTATION, ENFORCED_POLICY_ANNOTATION, ERROR_ANNOTATION, EXEMPTION_ANNOTATION, PRIVILEGED,
    PRIVILEGED_LATEST, compare_levels, policy_to_evaluate)
from kauth.admission.podsecurity.config import DEFAULT_CONFIGURATION, PodSecurityConfiguration
from kauth.admission.podsecurity.namespaces import (
    DEFAULT_MAX_PODS_TO_CHECK, LIST_FAILED, evaluate_pods_in_namespace, exempt_namespace_warning)
from kauth.admission.podsecurity.podspec import items, mapping, name_of, string
from kauth.admission.podsecurity.registry import AggregateResult, Evaluator
from kauth.api import errors
from kauth.api.errors import StatusError

# Pod subresources that cannot change the pod spec (ignoredPodSubresources); every other one, notably
# pods/ephemeralcontainers, is evaluated as a pod so a skewed server fails safe.
IGNORED_POD_SUBRESOURCES = frozenset({"exec", "attach", "binding", "eviction", "log", "portforward", "proxy",
                                      "status"})
# GroupResource -> where the pod template sits (DefaultPodSpecExtractor).
WORKLOAD_TEMPLATE_PATHS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("", "podtemplates"): ("template",),
    ("", "replicationcontrollers"): ("spec", "template"),
    ("apps", "replicasets"): ("spec", "template"),
    ("apps", "deployments"): ("spec", "template"),
    ("apps", "statefulsets"): ("spec", "template"),
    ("apps", "daemonsets"): ("spec", "template"),
    ("batch", "jobs"): ("spec", "template"),
    ("batch", "cronjobs"): ("spec", "jobTemplate", "spec", "template"),
}
_SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"


@dataclass(frozen=True)
class Response:
    """An AdmissionResponse: allowed or the error to return, Warning headers, audit annotations (bare keys, e.g.
    `enforce-policy`, recorded upstream as `pod-security.kubernetes.io/enforce-policy`), and a trace sentence."""

    allowed: bool
    explanation: str
    error: StatusError | None = None
    warnings: tuple[str, ...] = ()
    audit_annotations: Mapping[str, str] = field(default_factory=dict)


def _allowed(explanation: str, warnings: tuple[str, ...] = (), **annotations: str) -> Response:
    return Response(True, explanation, warnings=warnings, audit_annotations=dict(annotations))


class Admission:
    """The delegate: configuration and evaluator, deciding one request at a time."""

    def __init__(self, configuration: PodSecurityConfiguration = DEFAULT_CONFIGURATION,
                 evaluator: Evaluator | None = None, namespace_max_pods_to_check: int = DEFAULT_MAX_PODS_TO_CHECK):
        self.configuration = configuration
        self.evaluator = evaluator or Evaluator()
        self.namespace_max_pods_to_check = namespace_max_pods_to_check
        self._exempt_users = frozenset(configuration.exemptions.usernames)
        self._exempt_namespaces = frozenset(configuration.exemptions.namespaces)
        self._exempt_runtime_classes = frozenset(configuration.exemptions.runtime_classes)

    # --- exemptions (empty strings never match) ---

    def exempt_namespace(self, namespace: str) -> bool:
        return bool(namespace) and namespace in self._exempt_namespaces

    def exempt_user(self, username: str) -> bool:
        return bool(username) and username in self._exempt_users

    def exempt_runtime_class(self, runtime_class: str) -> bool:
        return bool(runtime_class) and runtime_class in self._exempt_runtime_classes

    # --- dispatch ---

    def validate(self, attributes: Attributes, state: StateView) -> Response:
        rt = attributes.resource_type
        if (rt.group, rt.plural) == ("", "namespaces"):
            return self.validate_namespace(attributes, state)
        if (rt.group, rt.plural) == ("", "pods"):
            return self.validate_pod(attributes, state)
        return self.validate_pod_controller(attributes, state)

    # --- namespaces ---

    def validate_namespace(self, attributes: Attributes, state: StateView) -> Response:
        """ValidateNamespace: labels must parse; a stricter enforce level dry-runs the pods already there."""
        if attributes.subresource:
            return _allowed(f"namespaces/{attributes.subresource} is not checked")
        namespace = attributes.object or {}
        labels = mapping(mapping(namespace, "metadata"), "labels") or {}
        name = string(mapping(namespace, "metadata"), "name") or attributes.name
        new_policy, new_errs = policy_to_evaluate(labels, self.configuration.defaults)
        # Upstream tests attrs.GetNamespace(): empty when a namespace is created (POST /api/v1/namespaces), the
        # namespace's own name for requests on it (PUT /api/v1/namespaces/x): endpoints/request/requestinfo.go.
        # kauth's attributes carry "" for every cluster-scoped object, so the name stands in on updates.
        request_namespace = "" if attributes.operation == CREATE else (attributes.namespace or attributes.name)
        if attributes.operation == CREATE:
            if new_errs:
                return self._invalid(name, new_errs)
            if self.exempt_namespace(request_namespace):
                warning = exempt_namespace_warning(name, new_policy, self.configuration.defaults, labels)
                if warning:
                    return _allowed("the namespace is exempt: its PodSecurity labels are ignored", (warning,))
            return _allowed("PodSecurity labels are valid")
        if attributes.operation != UPDATE:
            return _allowed(f"{attributes.operation} is not checked")
        old = attributes.old_object or {}
        old_labels = mapping(mapping(old, "metadata"), "labels") or {}
        old_policy, old_errs = policy_to_evaluate(old_labels, self.configuration.defaults)
        # Bad labels that were already there (the very same errors) do not block unrelated updates.
        if new_errs and (not old_errs or new_errs != old_errs):
            return self._invalid(name, new_errs)
        if new_policy.enforce == old_policy.enforce:
            return _allowed("the enforce policy is unchanged")
        if new_policy.enforce.level == PRIVILEGED:
            return _allowed("the new enforce level is privileged: nothing to check")
        if (new_policy.enforce.version == old_policy.enforce.version
                and compare_levels(new_policy.enforce.level, old_policy.enforce.level) < 1):
            return _allowed("the enforce level was relaxed: existing pods still comply")
        if self.exempt_namespace(request_namespace):
            warning = exempt_namespace_warning(name, new_policy, self.configuration.defaults, labels)
            return _allowed("the namespace is exempt: existing pods are not checked", (warning,) if warning else ())
        try:
            pods = state.list("", "pods", name)
        except StatusError:  # a failing lister: upstream warns instead of failing the relabel
            return _allowed("existing pods could not be listed", (LIST_FAILED,))
        warnings = evaluate_pods_in_namespace(self.evaluator, name, new_policy.enforce, pods,
                                              self.exempt_runtime_class, self.namespace_max_pods_to_check)
        return _allowed(f'existing pods checked against the new enforce level "{new_policy.enforce}"',
                        tuple(warnings))

    @staticmethod
    def _invalid(name: str, field_errors) -> Response:
        error = errors.invalid("", "Namespace", name, list(field_errors))
        return Response(False, "invalid PodSecurity labels", error=error)

    # --- pods ---

    def validate_pod(self, attributes: Attributes, state: StateView) -> Response:
        """ValidatePod: enforce, audit and warn against the namespace's policy."""
        if attributes.subresource in IGNORED_POD_SUBRESOURCES:
            return _allowed(f"pods/{attributes.subresource} cannot change the pod spec: not checked")
        if self.exempt_namespace(attributes.namespace):
            return _allowed(f'namespace "{attributes.namespace}" is exempt', **{EXEMPTION_ANNOTATION: "namespace"})
        if self.exempt_user(attributes.user.name):
            return _allowed(f'user "{attributes.user.name}" is exempt', **{EXEMPTION_ANNOTATION: "user"})
        namespace = state.get("", "namespaces", "", attributes.namespace)
        if namespace is None:
            message = f'failed to lookup namespace "{attributes.namespace}"'
            error = errors.internal_error(message)
            not_found = errors.not_found("", "namespaces", attributes.namespace).message
            return Response(False, message, error=error,
                            audit_annotations={ERROR_ANNOTATION: f"{error.message}: {not_found}"})
        labels = mapping(mapping(namespace, "metadata"), "labels") or {}
        policy, policy_errs = policy_to_evaluate(labels, self.configuration.defaults)
        if not policy_errs and policy.fully_privileged():
            return _allowed("every mode is privileged: nothing to check",
                            **{ENFORCED_POLICY_ANNOTATION: str(PRIVILEGED_LATEST)})
        pod = attributes.object or {}
        if attributes.operation == UPDATE and not is_significant_pod_update(pod, attributes.old_object or {}):
            return _allowed("the update changes no image or container: not evaluated")
        return self.evaluate_pod(policy, policy_errs, mapping(pod, "metadata"), mapping(pod, "spec"),
                                 attributes, enforce=True)

    # --- workloads ---

    def validate_pod_controller(self, attributes: Attributes, state: StateView) -> Response:
        """ValidatePodController: a workload's pod template gets audit and warn, never enforce."""
        if attributes.subresource:
            return _allowed(f"{attributes.resource_type.plural}/{attributes.subresource} is not checked")
        if self.exempt_namespace(attributes.namespace):
            return _allowed(f'namespace "{attributes.namespace}" is exempt', **{EXEMPTION_ANNOTATION: "namespace"})
        if self.exempt_user(attributes.user.name):
            return _allowed(f'user "{attributes.user.name}" is exempt', **{EXEMPTION_ANNOTATION: "user"})
        namespace = state.get("", "namespaces", "", attributes.namespace)
        if namespace is None:  # fails open for workloads: the pods will be checked when they are created
            not_found = errors.not_found("", "namespaces", attributes.namespace).message
            return _allowed("the namespace could not be read: allowed", **{
                ERROR_ANNOTATION: f'failed to lookup namespace "{attributes.namespace}": {not_found}'})
        labels = mapping(mapping(namespace, "metadata"), "labels") or {}
        policy, policy_errs = policy_to_evaluate(labels, self.configuration.defaults)
        if not policy_errs and policy.warn.level == PRIVILEGED and policy.audit.level == PRIVILEGED:
            return _allowed("audit and warn are privileged (enforce does not apply to workloads)")
        rt = attributes.resource_type
        template = extract_pod_template(attributes.object or {}, WORKLOAD_TEMPLATE_PATHS[(rt.group, rt.plural)])
        if template is None:
            return _allowed("no pod template to check")
        return self.evaluate_pod(policy, policy_errs, mapping(template, "metadata"), mapping(template, "spec"),
                                 attributes, enforce=False)

    # --- the evaluation shared by pods and workloads ---

    def evaluate_pod(self, policy, policy_errs, meta: dict | None, spec: dict | None, attributes: Attributes,
                     *, enforce: bool) -> Response:
        """EvaluatePod: enforce (pods only), then audit, then warn (only if still allowed); one evaluation per
        distinct LevelVersion."""
        if self.exempt_runtime_class(string(spec, "runtimeClassName")):
            return _allowed(f'runtimeClass "{string(spec, "runtimeClassName")}" is exempt',
                            **{EXEMPTION_ANNOTATION: "runtimeClass"})
        annotations: dict[str, str] = {}
        if policy_errs:
            annotations[ERROR_ANNOTATION] = "Failed to parse policy: " + errors.aggregate(str(e) for e in policy_errs)
        cache: dict = {}

        def result_for(lv) -> AggregateResult:
            if lv not in cache:
                cache[lv] = self.evaluator.evaluate_pod(lv, meta, spec)
            return cache[lv]

        said = []
        error = None
        if enforce:
            annotations[ENFORCED_POLICY_ANNOTATION] = str(policy.enforce)
            result = result_for(policy.enforce)
            if not result.allowed:
                rt = attributes.resource_type
                name = attributes.name or string(meta, "name")
                error = errors.forbidden_error(rt.group, rt.plural, name,
                                               f'violates PodSecurity "{policy.enforce}": {result.forbidden_detail()}')
                error.explanation = result.explained()  # the trace lists the failed checks one by one
            said.append(f'enforce {policy.enforce}: {"allowed" if result.allowed else "denied"}')
        audit = result_for(policy.audit)
        if not audit.allowed:
            annotations[AUDIT_VIOLATIONS_ANNOTATION] = (
                f'would violate PodSecurity "{policy.audit}": {audit.forbidden_detail()}')
            said.append(f"audit {policy.audit}: violations recorded")
        warnings: tuple[str, ...] = ()
        if error is None:  # no warnings on a request that is rejected anyway
            warn = result_for(policy.warn)
            if not warn.allowed:
                warnings = (f'would violate PodSecurity "{policy.warn}": {warn.forbidden_detail()}',)
                said.append(f"warn {policy.warn}: warned")
        explanation = "; ".join(said) or "no violations"
        if not enforce:
            explanation += " (workloads are never denied: their pods are, when created)"
        return Response(error is None, explanation, error=error, warnings=warnings, audit_annotations=annotations)


def extract_pod_template(obj: dict, path: tuple[str, ...]) -> dict | None:
    """The embedded pod template (its metadata and spec); None when there is none (an RC's optional template)."""
    node = obj
    for key in path:
        node = mapping(node, key)
        if node is None:  # (upstream evaluates an empty template there, which passes every level)
            return None
    return node


def is_significant_pod_update(pod: dict, old_pod: dict) -> bool:
    """isSignificantPodUpdate: only a changed image, a changed container count, a new ephemeral container, or a
    changed per-container seccomp annotation can make an existing pod violate a policy (the rest of the pod spec
    is immutable), so only those updates are evaluated."""
    spec, old_spec = mapping(pod, "spec") or {}, mapping(old_pod, "spec") or {}
    annotations = mapping(mapping(pod, "metadata"), "annotations") or {}
    old_annotations = mapping(mapping(old_pod, "metadata"), "annotations") or {}

    def significant(c: dict, old_c: dict) -> bool:
        if string(c, "image") != string(old_c, "image"):
            return True
        # TODO(saschagrunert) upstream: "Remove this logic in 1.27." (still there)
        key = _SECCOMP_CONTAINER_ANNOTATION_PREFIX + name_of(c)
        return annotations.get(key, "") != old_annotations.get(key, "")

    for key in ("containers", "initContainers"):
        new, old = items(spec, key), items(old_spec, key)
        if len(new) != len(old):
            return True
        if any(significant(c, o) for c, o in zip(new, old)):
            return True
    old_ephemeral: dict[str, dict] = {}
    for c in items(old_spec, "ephemeralContainers"):
        old_ephemeral.setdefault(name_of(c), c)  # the first one with the name, as upstream's loop
    for c in items(spec, "ephemeralContainers"):
        old_c = old_ephemeral.get(name_of(c))
        if old_c is None or significant(c, old_c):
            return True
    return False
