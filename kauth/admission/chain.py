"""Admission control: the plugin interfaces and the chain (every mutating plugin, then every validating one)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Protocol, Sequence

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
        return self._run(attributes, state, self.mutating, mutate=True)

    def validate(self, attributes: Attributes, state: StateView) -> Outcome:
        return self._run(attributes, state, self.validating, mutate=False)

    def _run(self, attributes: Attributes, state: StateView, plugins: Sequence, *, mutate: bool) -> Outcome:
        steps: list[TraceStep] = []
        warnings: list[str] = []
        for plugin in plugins:
            if not plugin.handles(attributes):
                steps.append(TraceStep(plugin.name, "skipped", "does not handle this request"))
                continue
            try:
                verdict = plugin.admit(attributes, state) if mutate else plugin.validate(attributes, state)
            except StatusError as err:
                steps.append(TraceStep(plugin.name, "rejected", err.message, {"code": err.code}))
                return Outcome(attributes.object, tuple(steps), tuple(warnings), err)
            warnings.extend(verdict.warnings)
            outcome = "mutated" if verdict.changed else "admitted"
            if not getattr(plugin, "simulated", True):
                outcome = "not simulated"
            details: dict = {}
            if verdict.warnings:
                details["warnings"] = list(verdict.warnings)
            if verdict.audit_annotations:
                details["auditAnnotations"] = dict(verdict.audit_annotations)
            steps.append(TraceStep(plugin.name, outcome, verdict.message, details))
            if mutate and verdict.changed:
                attributes = replace(attributes, object=verdict.object)
        return Outcome(attributes.object, tuple(steps), tuple(warnings))
