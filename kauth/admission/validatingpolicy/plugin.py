"""ValidatingAdmissionPolicy: the admission plugin that enforces ValidatingAdmissionPolicy objects through their
ValidatingAdmissionPolicyBindings.

Upstream: k8s.io/apiserver/pkg/admission/plugin/policy/validating/dispatcher.go (Dispatch: matching, params,
validation actions, the denial) and generic/plugin.go (exempt resources). Messages are upstream's, e.g.
`ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request:
failed expression: object.spec.replicas <= 5`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kauth.admission.cel import AuthorizerBinding, DataBounds, Environment
from kauth.admission.chain import Attributes, StateView, Verdict
from kauth.admission.validatingpolicy import matching, params, request, validator
from kauth.api import errors
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable

GROUP = "admissionregistration.k8s.io"
VALIDATION_FAILURE_KEY = "validation.policy.admission.k8s.io/validation_failure"
MAX_AUDIT_ANNOTATION_VALUE = 10 * 1024
_CODES = {"Forbidden": 403, "Unauthorized": 401, "RequestEntityTooLarge": 413, "Invalid": 422}


@dataclass(frozen=True)
class _Denial:
    policy: str
    binding: str  # "" for a policy's own configuration error
    message: str
    reason: str = ""


@dataclass
class ValidatingAdmissionPolicy:
    """The plugin. `authorizer` answers the CEL `authorizer` variable (None: expressions using it fail);
    `resources` resolves paramKind and equivalent versions."""

    authorizer: Any = None
    resources: ResourceTable = field(default_factory=ResourceTable.builtin)
    environment: Environment = field(default_factory=Environment)
    name: str = "ValidatingAdmissionPolicy"
    # Compiled policies by (name, resourceVersion, generation): policies are compiled once, as upstream's
    # controller does when an informer sees them.
    _compiled: dict = field(default_factory=dict, repr=False)

    def handles(self, attributes: Attributes) -> bool:
        return not matching.is_exempt(attributes)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        policies = {p["metadata"]["name"]: p for p in state.list(GROUP, "validatingadmissionpolicies")}
        bindings: dict[str, list[dict]] = {}
        for b in sorted(state.list(GROUP, "validatingadmissionpolicybindings"), key=lambda b: b["metadata"]["name"]):
            bindings.setdefault((b.get("spec") or {}).get("policyName", ""), []).append(b)
        denials: list[_Denial] = []
        warnings: list[str] = []
        annotations: dict[str, str] = {}
        notes: list[str] = []
        for name in sorted(policies):
            if name in bindings:
                self._dispatch(policies[name], bindings[name], attributes, state, denials, warnings, annotations,
                               notes)
        if denials:
            raise self._denial(denials[0], attributes)
        message = "; ".join(notes) if notes else "no policy applies to this request"
        return Verdict(attributes.object, message, tuple(dict.fromkeys(warnings)), audit_annotations=annotations)

    # -- one policy ---------------------------------------------------------------------------------------------

    def _dispatch(self, policy: dict, policy_bindings: list[dict], attributes: Attributes, state: StateView,
                  denials: list, warnings: list, annotations: dict, notes: list) -> None:
        policy_name = policy["metadata"]["name"]
        spec = policy.get("spec") or {}
        match = matching.matches(spec.get("matchConstraints"), attributes, state, self.resources)
        if match is None:
            return
        compiled = self._compile(policy)
        failure_policy = compiled.failure_policy
        collected: dict[str, list[str]] = {}
        for binding in policy_bindings:
            binding_name = binding["metadata"]["name"]
            binding_spec = binding.get("spec") or {}
            if binding_spec.get("matchResources") and matching.matches(
                    binding_spec["matchResources"], attributes, state, self.resources) is None:
                continue
            try:
                found = params.collect_params(spec.get("paramKind"), binding_spec.get("paramRef"),
                                              attributes.namespace, state, self.resources)
            except params.ParamError as err:
                if failure_policy == "Fail":
                    denials.append(_Denial(policy_name, binding_name, f"failed to configure binding: {err}"))
                notes.append(f"{policy_name}/{binding_name}: {err}")
                continue
            inputs_base = self._inputs_base(attributes, state, match.resource_type)
            actions = binding_spec.get("validationActions") or []
            for param in found:
                inputs = self._inputs(inputs_base, param, attributes)
                result = validator.validate(compiled, self.environment, inputs)
                self._apply(result, policy_name, binding, actions, denials, warnings, annotations, collected)
            notes.append(f"{policy_name} with binding {binding_name}: evaluated {len(found)} param(s)")
        for key, values in collected.items():
            annotations[f"{policy_name}/{key}"] = values[0] if len(values) == 1 else ", ".join(values)

    def _apply(self, result: validator.ValidateResult, policy_name: str, binding: dict, actions: list,
               denials: list, warnings: list, annotations: dict, collected: dict) -> None:
        binding_name = binding["metadata"]["name"]
        for decision in result.decisions:
            if decision.action != validator.DENY:
                continue
            for action in actions:
                if action == "Deny":
                    denials.append(_Denial(policy_name, binding_name, decision.message, decision.reason))
                elif action == "Warn":
                    warnings.append(f"Validation failed for ValidatingAdmissionPolicy '{policy_name}' "
                                    f"with binding '{binding_name}': {decision.message}")
                elif action == "Audit":
                    # attributes.AddAnnotation refuses to overwrite a key: the first failure is kept
                    annotations.setdefault(VALIDATION_FAILURE_KEY, json.dumps([{
                        "message": decision.message, "policy": (binding.get("spec") or {}).get("policyName", ""),
                        "binding": binding_name, "expressionIndex": decision.index,
                        "validationActions": list(actions)}], separators=(",", ":")))
        for annotation in result.audit_annotations:
            if annotation.action == "publish":
                values = collected.setdefault(annotation.key, [])
                value = annotation.value[:MAX_AUDIT_ANNOTATION_VALUE]
                if value not in values:
                    values.append(value)
            elif annotation.action == "error":
                denials.append(_Denial(policy_name, binding_name, annotation.error))

    def _compile(self, policy: dict) -> validator.CompiledPolicy:
        meta = policy.get("metadata") or {}
        key = (meta.get("name"), meta.get("resourceVersion"), meta.get("generation"),
               json.dumps(policy.get("spec"), sort_keys=True))
        if key not in self._compiled:
            self._compiled[key] = validator.compile_policy(policy, self.environment)
        return self._compiled[key]

    # -- the activation -----------------------------------------------------------------------------------------

    def _inputs_base(self, attributes: Attributes, state: StateView, matched) -> dict:
        rt = attributes.resource_type
        namespace = None
        # dispatcher.go: a Namespace request gets no namespaceObject of "itself"
        if attributes.namespace and not (rt.group == "" and rt.plural == "namespaces"):
            namespace = state.get("", "namespaces", "", attributes.namespace)
        return {
            "object": attributes.object,
            "oldObject": attributes.old_object,
            "request": request.admission_request(attributes, matched),
            "namespaceObject": request.namespace_object(namespace),
        }

    def _inputs(self, base: dict, param: dict | None, attributes: Attributes) -> validator.Inputs:
        data = {**base, "params": param}
        binding = AuthorizerBinding(self.authorizer, attributes.user) if self.authorizer is not None else None
        rt = attributes.resource_type
        request_resource = {"group": rt.group, "version": rt.version, "resource": rt.plural,
                            "subresource": attributes.subresource, "namespace": attributes.namespace,
                            "name": attributes.name}
        return validator.Inputs(data, DataBounds.of(data.values()), binding, request_resource)

    # -- the denial ---------------------------------------------------------------------------------------------

    @staticmethod
    def _denial(denial: _Denial, attributes: Attributes) -> StatusError:
        if denial.binding:
            message = (f"ValidatingAdmissionPolicy '{denial.policy}' with binding '{denial.binding}' "
                       f"denied request: {denial.message}")
        else:
            message = f"ValidatingAdmissionPolicy '{denial.policy}' denied request: {denial.message}"
        rt = attributes.resource_type
        name = attributes.name or ((attributes.object or attributes.old_object or {}).get("metadata") or {}
                                   ).get("name", "")
        # admission.NewForbidden, then the decision's reason and its code (policy_decision.go reasonToCode)
        err = errors.forbidden_error(rt.group, rt.plural, name, message)
        reason = denial.reason or "Invalid"
        err.reason, err.code = reason, _CODES.get(reason, 422)
        err.details.setdefault("causes", []).append({"message": message})
        return err


