"""Admission control: the plugin interfaces and the chain (every mutating plugin, then every validating one)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Protocol, Sequence

from kauth.admission.reinvocation import ReinvocationContext, second_pass_message
from kauth.api import errors
from kauth.api.changes import ChangeLines
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceType
from kauth.apiserver.request import TraceStep
from kauth.authn.user import UserInfo

CREATE, UPDATE, DELETE, CONNECT = "CREATE", "UPDATE", "DELETE", "CONNECT"


class StateView(Protocol):
    """Read-only access to the stored state, as admission plugins read it through informers."""

    def get(self, group: str, resource: str, namespace: str, name: str) -> dict | None: ...

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]: ...


@dataclass(frozen=True)
class Attributes:
    """admission.Attributes: the request as admission sees it."""

    operation: str
    resource_type: ResourceType
    namespace: str
    name: str
    object: dict | None
    old_object: dict | None
    user: UserInfo
    subresource: str = ""
    dry_run: bool = False
    # the request's record across the mutating chain's two passes (shared, not copied, by dataclasses.replace)
    reinvocation: ReinvocationContext = field(default_factory=ReinvocationContext, compare=False, repr=False)


@dataclass(frozen=True)
class Verdict:
    """What a plugin did: the (possibly changed) object, warnings, audit annotations (key -> value, the
    key without the plugin's prefix, e.g. "enforce-policy" for PodSecurity's
    `pod-security.kubernetes.io/enforce-policy`), and a sentence for the trace."""

    object: dict | None
    message: str
    warnings: tuple[str, ...] = ()
    changed: bool = False
    audit_annotations: Mapping[str, str] = field(default_factory=dict)


class MutatingPlugin(Protocol):
    name: str

    def handles(self, attributes: Attributes) -> bool: ...

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        """Return the verdict, or raise StatusError to reject."""


class ValidatingPlugin(Protocol):
    name: str

    def handles(self, attributes: Attributes) -> bool: ...

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        """Return the verdict (object unchanged), or raise StatusError to reject."""


@dataclass(frozen=True)
class Outcome:
    object: dict | None
    steps: tuple[TraceStep, ...]
    warnings: tuple[str, ...]
    error: StatusError | None = None


@dataclass
class Chain:
    mutating: Sequence[MutatingPlugin] = field(default_factory=list)
    validating: Sequence[ValidatingPlugin] = field(default_factory=list)

    def admit(self, attributes: Attributes, state: StateView) -> Outcome:
        """The mutating plugins, and all of them once more when a webhook or policy changed the object
        (admission/reinvocation.go); the second pass shows in the trace as one step holding its plugins' steps."""
        context = ReinvocationContext()
        attributes = replace(attributes, reinvocation=context)
        first = self._run(attributes, state, self.mutating, mutate=True)
        if first.error is not None or not context.should_reinvoke:
            return first
        context.is_reinvoke = True
        second = self._run(replace(attributes, object=first.object), state, self.mutating, mutate=True)
        step = TraceStep(REINVOCATION, "rejected" if second.error else "reinvoked",
                         second_pass_message(context.reasons), children=second.steps)
        # the warning recorder keeps one of each text (endpoints/filters/warning.go)
        warnings = first.warnings + tuple(w for w in second.warnings if w not in first.warnings)
        return Outcome(second.object, first.steps + (step,), warnings, second.error)

    def validate(self, attributes: Attributes, state: StateView) -> Outcome:
        return self._run(attributes, state, self.validating, mutate=False)

    def _run(self, attributes: Attributes, state: StateView, plugins: Sequence, *, mutate: bool) -> Outcome:
        steps: list[TraceStep] = []
        warnings: list[str] = []
        for plugin in plugins:
            if not plugin.handles(attributes):
                steps.append(TraceStep(plugin.name, "skipped", _not_handled(attributes)))
                continue
            try:
                verdict = plugin.admit(attributes, state) if mutate else plugin.validate(attributes, state)
            except StatusError as err:
                # A rejection keeps the warnings and audit annotations gathered on the way (a webhook's, say).
                rejected_warnings = tuple(getattr(err, "warnings", ()) or ())
                warnings.extend(rejected_warnings)
                details = {"code": err.code, **_extras(rejected_warnings, getattr(err, "audit_annotations", None))}
                if err.explanation:  # the plugin's reasons, line by line (PodSecurity's checks)
                    details["explanation"] = list(err.explanation)
                steps.append(TraceStep(plugin.name, "rejected", err.message, details))
                return Outcome(attributes.object, tuple(steps), tuple(warnings), err)
            warnings.extend(verdict.warnings)
            outcome = "mutated" if verdict.changed else "admitted"
            if not getattr(plugin, "simulated", True):
                outcome = "not simulated"
            details = _extras(verdict.warnings, verdict.audit_annotations)
            if mutate and verdict.changed:
                details["changes"] = ChangeLines(attributes.object, verdict.object)
                attributes.reinvocation.changed_by.append(plugin.name)
                attributes = replace(attributes, object=verdict.object)
            steps.append(TraceStep(plugin.name, outcome, verdict.message, details))
        return Outcome(attributes.object, tuple(steps), tuple(warnings))


REINVOCATION = "reinvocation"  # the trace step of the mutating chain's second pass


def forbidden(attributes: Attributes, why: str) -> StatusError:
    """admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`, named as extractResourceName does: the
    object's name, else its generateName, else "Unknown" (a delete has no object)."""
    meta = attributes.object.get("metadata") if isinstance(attributes.object, Mapping) else None
    meta = meta if isinstance(meta, Mapping) else {}
    name = next((v for v in (meta.get("name"), meta.get("generateName")) if isinstance(v, str) and v), "Unknown")
    rt = attributes.resource_type
    return errors.forbidden_error(rt.group, rt.plural, name, why)


def pod_request(attributes: Attributes, operations: tuple[str, ...], subresources: tuple[str, ...] = ("",)) -> bool:
    """The Handles most pod plugins share: one of `operations` on core pods, or on the named subresources."""
    rt = attributes.resource_type
    return (attributes.operation in operations and rt.group == "" and rt.plural == "pods"
            and attributes.subresource in subresources)


def _not_handled(attributes: Attributes) -> str:
    what = attributes.resource_type.plural + (f"/{attributes.subresource}" if attributes.subresource else "")
    return f"does not handle {attributes.operation} of {what}"


def _extras(warnings: Sequence[str], audit_annotations: Mapping[str, str] | None) -> dict:
    details: dict = {}
    if warnings:
        details["warnings"] = list(warnings)
    if audit_annotations:
        details["auditAnnotations"] = dict(audit_annotations)
    return details
