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
from typing import Any, Mapping

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
class _Collected:
    """What one request's policies decided: denials (the first one is reported), warnings, audit annotations,
    and a line per binding for the trace."""

    denials: list[_Denial] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _RequestContext:
    """What every policy of one request shares: the request, its namespaceObject, and the size bounds of its
    data (for the cost limits, computed once and only if some expression's cost depends on them)."""

    attributes: Attributes
    namespace_object: dict | None
    bounds: Any

    @classmethod
    def of(cls, attributes: Attributes, state: StateView) -> "_RequestContext":
        rt = attributes.resource_type
        namespace = None
        # dispatcher.go: a Namespace request gets no namespaceObject of "itself"
        if attributes.namespace and not (rt.group == "" and rt.plural == "namespaces"):
            namespace = state.get("", "namespaces", "", attributes.namespace)
        namespace_object = request.namespace_object(namespace)
        return cls(attributes, namespace_object,
                   memo(lambda: DataBounds.of([attributes.object, attributes.old_object, namespace_object])))


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
        out = _Collected()
        context = _RequestContext.of(attributes, state)
        # Upstream's informer order is arbitrary; kauth goes by policy name, then binding name.
        for name in sorted(policies):
            if name in bindings:
                self._dispatch(policies[name], bindings[name], context, state, out)
        if out.denials:
            raise self._denial(out.denials[0], attributes)
        message = "; ".join(out.notes) if out.notes else "no policy applies to this request"
        return Verdict(attributes.object, message, tuple(dict.fromkeys(out.warnings)),
                       audit_annotations=out.annotations)

    # -- one policy ---------------------------------------------------------------------------------------------

    def _dispatch(self, policy: dict, policy_bindings: list[dict], context: "_RequestContext", state: StateView,
                  out: "_Collected") -> None:
        attributes = context.attributes
        policy_name = policy["metadata"]["name"]
        spec = policy.get("spec") or {}
        match = matching.matches(spec.get("matchConstraints"), attributes, state, self.resources)
        if match is None:
            return
        compiled = self._compile(policy)
        configuration_error = params.param_kind_error(spec.get("paramKind"), self.resources)
        if configuration_error:  # hook.ConfigurationError: the policy fails before any binding is looked at
            if compiled.failure_policy == "Fail":
                out.denials.append(_Denial(policy_name, "", errors.policy_configuration_failed(configuration_error)))
            out.notes.append(f"{policy_name}: {configuration_error}")
            return
        collected: dict[str, list[str]] = {}
        base = None
        for binding in policy_bindings:
            binding_name = binding["metadata"]["name"]
            binding_spec = binding.get("spec") or {}
            try:
                found = binding_params(spec, binding_spec, attributes, state, self.resources)
            except params.ParamError as err:
                if compiled.failure_policy == "Fail":
                    failed = errors.binding_configuration_failed(str(err))
                    out.denials.append(_Denial(policy_name, binding_name, failed))
                out.notes.append(f"{policy_name} with binding {binding_name}: {err}")
                continue
            if found is None:
                continue  # the binding's matchResources leave this request out
            if base is None:
                base = {"object": attributes.object, "oldObject": attributes.old_object,
                        "request": request.admission_request(attributes, match.resource_type),
                        "namespaceObject": context.namespace_object}
            actions = binding_spec.get("validationActions") or []
            for param in found:
                result = validator.validate(compiled, self.environment, self._inputs(context, base, param))
                self._apply(result, policy_name, binding, actions, out, collected)
            out.notes.append(f"{policy_name} with binding {binding_name}: evaluated with {len(found)} param(s)")
        for key, values in collected.items():
            # several params may give one key several values: upstream joins them
            out.annotations[f"{policy_name}/{key}"] = values[0] if len(values) == 1 else ", ".join(values)

    @staticmethod
    def _apply(result: validator.ValidateResult, policy_name: str, binding: dict, actions: list,
               out: "_Collected", collected: dict) -> None:
        binding_name = binding["metadata"]["name"]
        for decision in result.decisions:
            if decision.action != validator.DENY:
                continue
            for action in actions:
                if action == "Deny":
                    out.denials.append(_Denial(policy_name, binding_name, decision.message, decision.reason))
                elif action == "Warn":
                    out.warnings.append(errors.validating_policy_warning(policy_name, binding_name, decision.message))
                elif action == "Audit":
                    # attributes.AddAnnotation refuses to overwrite a key: the first failure is kept
                    out.annotations.setdefault(VALIDATION_FAILURE_KEY, json.dumps([{
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
                out.denials.append(_Denial(policy_name, binding_name, annotation.error))

    def _compile(self, policy: dict) -> validator.CompiledPolicy:
        meta = policy.get("metadata") or {}
        # a stored policy changes resourceVersion with every write; an unstored one (a what-if) is keyed by content
        key = ((meta.get("name"), meta.get("uid"), meta["resourceVersion"]) if meta.get("resourceVersion")
               else (meta.get("name"), json.dumps(policy.get("spec"), sort_keys=True)))
        if key not in self._compiled:
            self._compiled[key] = validator.compile_policy(policy, self.environment)
        return self._compiled[key]

    def _inputs(self, context: "_RequestContext", base: dict, param: dict | None) -> validator.Inputs:
        attributes = context.attributes
        data = {**base, "params": param}
        if param is None:
            bounds = context.bounds
        else:
            bounds = memo(lambda: context.bounds().union(DataBounds.of([param])))
        binding = AuthorizerBinding(self.authorizer, attributes.user) if self.authorizer is not None else None
        rt = attributes.resource_type
        request_resource = {"group": rt.group, "version": rt.version, "resource": rt.plural,
                            "subresource": attributes.subresource, "namespace": attributes.namespace,
                            "name": attributes.name}
        return validator.Inputs(data, bounds, binding, request_resource)

    # -- the denial ---------------------------------------------------------------------------------------------

    @staticmethod
    def _denial(denial: _Denial, attributes: Attributes) -> StatusError:
        message = errors.validating_policy_denied(denial.policy, denial.binding, denial.message)
        # admission.NewForbidden, then the decision's reason and its code (policy_decision.go reasonToCode)
        err = policy_forbidden(attributes, message)
        reason = denial.reason or "Invalid"
        err.reason, err.code = reason, _CODES.get(reason, 422)
        err.details.setdefault("causes", []).append({"message": message})
        return err




def binding_params(policy_spec: Mapping, binding_spec: Mapping, attributes: Attributes, state: StateView,
                   resources) -> list | None:
    """What one binding evaluates a policy with: None when its matchResources leave the request out, else
    the params (collect_params; ParamError when they cannot be configured). Mutating policies bind the same way."""
    if binding_spec.get("matchResources") and matching.matches(
            binding_spec["matchResources"], attributes, state, resources) is None:
        return None
    return params.collect_params(policy_spec.get("paramKind"), binding_spec.get("paramRef"), attributes.namespace,
                                 state, resources)


def policy_forbidden(attributes: Attributes, why: str) -> StatusError:
    """The 403 a policy's denial starts from, naming the request's object (the old one for a delete)."""
    rt = attributes.resource_type
    name = attributes.name or ((attributes.object or attributes.old_object or {}).get("metadata") or {}).get("name", "")
    return errors.forbidden_error(rt.group, rt.plural, name, why)


def memo(compute):
    """compute(), once, when first asked (MutatingAdmissionPolicy uses it too)."""
    cache: list = []

    def get():
        if not cache:
            cache.append(compute())
        return cache[0]

    return get
