"""MutatingAdmissionPolicy: the admission plugin that applies MutatingAdmissionPolicy objects through their
MutatingAdmissionPolicyBindings.

Upstream: k8s.io/apiserver/pkg/admission/plugin/policy/mutating/plugin.go (CREATE, UPDATE and CONNECT only),
dispatcher.go (dispatchInvocations: match conditions, the mutations in order, defaulting after each, reinvocation)
and policy/generic/policy_dispatcher.go (matching, params, the failure policy, the denial). A denial is
admission.NewForbidden with the first policy error as its message and every error as a cause, e.g.
`policy 'add-label' with binding 'add-label-binding' denied request: expression 'object.spec.x' resulted in
error: no such key: x` (403, reason Invalid).

Reinvocation: a policy's applied mutations make the Chain run the mutating plugins a second time
(kauth/admission/reinvocation.py); on that pass only the policies with `reinvocationPolicy: IfNeeded` that ran before
a later change are applied again (dispatcher.go, reinvocationcontext.go).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kauth.admission.cel import AuthorizerBinding, DataBounds, Environment
from kauth.admission.chain import CONNECT, CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.admission.mutatingpolicy import mutation
from kauth.admission.reinvocation import Reinvocations
from kauth.admission.validatingpolicy import matching, params, request
from kauth.admission.validatingpolicy.plugin import binding_params, memo, policy_forbidden
from kauth.admission.validatingpolicy.validator import Inputs
from kauth.api import conversion, errors
from kauth.api.apply_types import custom_type, object_type
from kauth.api.defaults import apply_defaults
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable, ResourceType

GROUP = "admissionregistration.k8s.io"
POLICIES, BINDINGS = "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"


@dataclass(frozen=True)
class _PolicyError:
    """generic.PolicyError: a failed policy, binding (None for the policy's own configuration) and the text."""

    policy: str
    binding: str | None
    message: str
    failure_policy: str
    reason: str = ""

    def __str__(self) -> str:
        return errors.policy_denied(self.policy, self.binding, self.message)


@dataclass(frozen=True)
class _Invocation:
    """generic.PolicyInvocation: one (policy, binding, param) that matched the request."""

    policy: dict
    binding: dict
    param: dict | None
    matched: ResourceType
    compiled: mutation.CompiledPolicy

    @property
    def key(self) -> tuple:
        meta = (self.param or {}).get("metadata") or {}
        return (self.policy["metadata"]["name"], self.binding["metadata"]["name"],
                meta.get("namespace", ""), meta.get("name", ""))


@dataclass
class _Run:
    """One request's state across the invocations: the object, the errors, the trace lines."""

    object: dict | None
    errors: list[_PolicyError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class MutatingAdmissionPolicy:
    """The plugin. `authorizer` answers the CEL `authorizer` variable (None: expressions using it fail);
    `resources` resolves paramKind and equivalent versions."""

    authorizer: Any = None
    resources: ResourceTable = field(default_factory=ResourceTable.builtin)
    environment: Environment = field(default_factory=Environment)
    name: str = "MutatingAdmissionPolicy"
    _compiled: dict = field(default_factory=dict, repr=False)

    def handles(self, attributes: Attributes) -> bool:
        # There is no request body to mutate for DELETE (plugin.go NewHandler(Create, Update, Connect)).
        return attributes.operation in (CREATE, UPDATE, CONNECT) and not matching.is_exempt(attributes)

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        config_errors, invocations = self._invocations(attributes, state)
        run = _Run(attributes.object)
        if invocations:
            namespace = self._namespace(attributes, state)
            self._dispatch(invocations, attributes, namespace, run)
        self._raise_failures(config_errors + run.errors, attributes)
        ignored = len(config_errors) + len(run.errors)
        if ignored:
            run.notes.append(f"{ignored} error(s) ignored (failurePolicy Ignore)")
        changed = run.object != attributes.object
        message = "; ".join(run.notes) if run.notes else "no policy applies to this request"
        return Verdict(run.object, message, changed=changed)

    # -- which policies apply: generic.policyDispatcher.Dispatch ---------------------------------------------

    def _invocations(self, attributes: Attributes, state: StateView) -> tuple[list[_PolicyError], list[_Invocation]]:
        policies = {p["metadata"]["name"]: p for p in state.list(GROUP, POLICIES)}
        bindings: dict[str, list[dict]] = {}
        for b in sorted(state.list(GROUP, BINDINGS), key=lambda b: b["metadata"]["name"]):
            bindings.setdefault((b.get("spec") or {}).get("policyName", ""), []).append(b)
        config_errors: list[_PolicyError] = []
        invocations: list[_Invocation] = []
        # Upstream's informer order is arbitrary; kauth goes by policy name, then binding name.
        for name in sorted(policies):
            if name not in bindings:
                continue
            policy = policies[name]
            spec = policy.get("spec") or {}
            match = matching.matches(spec.get("matchConstraints"), attributes, state, self.resources)
            if match is None:
                continue
            compiled = self._compile(policy)
            configuration_error = params.param_kind_error(spec.get("paramKind"), self.resources)
            if configuration_error:
                config_errors.append(_PolicyError(name, None, errors.policy_configuration_failed(configuration_error),
                                                  compiled.failure_policy))
                continue
            for binding in bindings[name]:
                binding_spec = binding.get("spec") or {}
                try:
                    found = binding_params(spec, binding_spec, attributes, state, self.resources)
                except params.ParamError as err:
                    config_errors.append(_PolicyError(name, binding["metadata"]["name"],
                                                      errors.binding_configuration_failed(str(err)),
                                                      compiled.failure_policy))
                    continue
                if found is None:
                    continue  # the binding's matchResources leave this request out
                invocations += [_Invocation(policy, binding, p, match.resource_type, compiled) for p in found]
        return config_errors, invocations

    def _compile(self, policy: dict) -> mutation.CompiledPolicy:
        meta = policy.get("metadata") or {}
        key = ((meta.get("name"), meta.get("uid"), meta["resourceVersion"]) if meta.get("resourceVersion")
               else (meta.get("name"), json.dumps(policy.get("spec"), sort_keys=True)))
        if key not in self._compiled:
            self._compiled[key] = mutation.compile_policy(policy, self.environment)
        return self._compiled[key]

    @staticmethod
    def _namespace(attributes: Attributes, state: StateView) -> dict | None:
        rt = attributes.resource_type
        if not attributes.namespace or (rt.group == "" and rt.plural == "namespaces"):
            return None  # dispatcher.go: a Namespace gets no namespaceObject of itself
        namespace = state.get("", "namespaces", "", attributes.namespace)
        if namespace is None:
            raise errors.not_found("", "namespaces", attributes.namespace)
        return namespace

    # -- the mutations: dispatcher.dispatchInvocations ----------------------------------------------------------

    def _dispatch(self, invocations: list[_Invocation], attributes: Attributes, namespace: dict | None,
                  run: _Run) -> None:
        context = attributes.reinvocation
        reinvocations = context.reinvocations(self.name)
        reinvocations.start(context, self.name, attributes.object)
        try:
            dirty = self._dispatch_invocations(invocations, attributes, namespace, run, reinvocations)
        finally:
            reinvocations.finish(context, run.object)
        if dirty:
            # dispatcher.go: the versioned object is Dirty once a mutation was applied, whether or not it changed
            reinvocations.require_reinvoking_previously_invoked("the mutations applied marked the object dirty")
            if run.object == attributes.object:
                context.set_should_reinvoke("policies applied mutations, which mark the object dirty even when "
                                            "they change nothing")

    def _dispatch_invocations(self, invocations: list[_Invocation], attributes: Attributes, namespace: dict | None,
                              run: _Run, reinvocations: Reinvocations) -> bool:
        """The invocations in order; whether any mutation was applied."""
        reinvoking = attributes.reinvocation.is_reinvoke
        dirty = False
        for invocation in invocations:
            policy_name = invocation.policy["metadata"]["name"]
            binding_name = invocation.binding["metadata"]["name"]
            label = f"{policy_name} with binding {binding_name}"
            compiled = invocation.compiled
            matched = invocation.matched
            # VersionedAttribute: the policy sees (and patches) the object in the version its rules matched
            versioned = self._convert(run.object, matched)
            old = self._convert(attributes.old_object, matched)
            verdict = mutation.matches(compiled, self.environment,
                                       self._inputs(attributes, versioned, old, invocation, namespace))
            if isinstance(verdict, str):
                run.errors.append(_PolicyError(policy_name, binding_name, verdict, compiled.failure_policy, "Invalid"))
                continue
            if not verdict:
                run.notes.append(f"{label}: match conditions not met")
                continue
            if_needed = compiled.reinvocation_policy == "IfNeeded"
            if reinvoking:
                why = reinvocations.why_reinvoked(invocation.key)
                if why is None:
                    run.notes.append(f"{label}: {reinvocations.why_not_reinvoked(invocation.key, if_needed)}")
                    continue
                run.notes.append(f"{label}: reinvoked (reinvocationPolicy IfNeeded): {why}")
            before = versioned
            applied = 0
            for m in compiled.mutations:
                if versioned is None:  # no object to patch (CONNECT)
                    continue
                inputs = self._inputs(attributes, versioned, old, invocation, namespace)
                try:
                    patched = mutation.mutate(compiled, m, self.environment, inputs, self._type(matched),
                                              matched.api_version, matched.kind)
                except mutation.InternalError as err:
                    raise errors.internal_error(str(err)) from None
                except mutation.MutationError as err:
                    run.errors.append(_PolicyError(policy_name, binding_name, str(err), compiled.failure_policy,
                                                   "Invalid"))
                    continue
                # dispatchOne: the object is defaulted after each mutation
                versioned = patched if matched.is_custom else apply_defaults(matched, patched, server_fills=False)
                applied += 1
            dirty = dirty or applied > 0
            changed = versioned != before
            if changed:
                run.object = self._convert(versioned, attributes.resource_type)
            run.notes.append(f"{label}: {'re' if reinvoking else ''}applied {applied} mutation(s)"
                             + ("" if changed else ", object unchanged"))
            if changed:
                who = f"policy '{policy_name}' with binding '{binding_name}' changed the object"
                reinvocations.require_reinvoking_previously_invoked(f"{who} after it ran")
                attributes.reinvocation.set_should_reinvoke(who)
            reinvocations.invoked(invocation.key, if_needed)
        return dirty

    def _convert(self, obj: dict | None, rt: ResourceType) -> dict | None:
        if obj is None or obj.get("apiVersion") == rt.api_version:
            return obj
        return conversion.convert(obj, rt.api_version, self.resources)

    @staticmethod
    def _type(rt: ResourceType):
        return custom_type(rt.openapi_schema) if rt.is_custom else object_type(rt.api_version, rt.kind, rt.schema)

    def _inputs(self, attributes: Attributes, obj: dict | None, old: dict | None, invocation: _Invocation,
                namespace: dict | None) -> Inputs:
        namespace_object = request.namespace_object(namespace)
        data = {"object": obj, "oldObject": old,
                "request": request.admission_request(attributes, invocation.matched),
                "namespaceObject": namespace_object, "params": invocation.param}
        sources = [obj, old, namespace_object, invocation.param]
        bounds = memo(lambda: DataBounds.of(sources))
        binding = AuthorizerBinding(self.authorizer, attributes.user) if self.authorizer is not None else None
        rt = attributes.resource_type
        request_resource = {"group": rt.group, "version": rt.version, "resource": rt.plural,
                            "subresource": attributes.subresource, "namespace": attributes.namespace,
                            "name": attributes.name}
        return Inputs(data, bounds, binding, request_resource)

    # -- the denial ---------------------------------------------------------------------------------------------

    def _raise_failures(self, policy_errors: list[_PolicyError], attributes: Attributes) -> None:
        failed = [e for e in policy_errors if e.failure_policy != "Ignore"]
        if failed:
            raise self._denial(failed, attributes)

    @staticmethod
    def _denial(failed: list[_PolicyError], attributes: Attributes) -> StatusError:
        # admission.NewForbidden(a, "admission request denied by policy"), then the first error's message and reason
        err = policy_forbidden(attributes, "admission request denied by policy")
        err.message = str(failed[0])
        err.reason = failed[0].reason or "Forbidden"  # the code stays NewForbidden's 403
        err.details.setdefault("causes", []).extend({"message": str(e)} for e in failed)
        return err
