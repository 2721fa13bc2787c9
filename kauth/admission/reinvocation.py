"""Reinvocation: the mutating chain runs a second time when a webhook or a MutatingAdmissionPolicy changed the object.

Upstream: k8s.io/apiserver/pkg/admission/reinvocation.go (the reinvoker: Admit the chain, and once more when the
ReinvocationContext says ShouldReinvoke), attributes.go's ReinvocationContext, and the two plugins' own
reinvocationcontext.go (webhookReinvokeContext, policyReinvokeContext: one shape, kept here once as
`Reinvocations`). On the second pass in-tree plugins run again (they are idempotent); a webhook or policy runs
again only with `reinvocationPolicy: IfNeeded` and when the object changed after it ran, and never for the first
time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable

_NEVER_RAN = object()


@dataclass
class Reinvocations:
    """One plugin's bookkeeping across the two passes: which of its webhooks or policies were called, which of
    those with IfNeeded ran since the last change, which the second pass runs again (and why), and the object as
    the plugin last left it."""

    last_output: Any = _NEVER_RAN
    changes_seen: int = 0  # how many changes the chain had recorded when the plugin last ran
    called: set[Hashable] = field(default_factory=set)
    previously_invoked: set[Hashable] = field(default_factory=set)
    reinvoke: dict[Hashable, str] = field(default_factory=dict)

    def start(self, context: ReinvocationContext, plugin: str, obj: dict | None) -> None:
        """IsOutputChangedSinceLast...Invocation: on the second pass, a change made since the plugin last ran (by
        in-tree plugins running again, say) makes every IfNeeded one that ran due again."""
        if not context.is_reinvoke or self.last_output is _NEVER_RAN or obj == self.last_output:
            return
        changers = list(dict.fromkeys(n for n in context.changed_by[self.changes_seen:] if n != plugin))
        by = f" (changed by {', '.join(changers)})" if changers else ""
        self.require_reinvoking_previously_invoked(f"the object changed after it ran{by}")

    def finish(self, context: ReinvocationContext, obj: dict | None) -> None:
        """SetLast...InvocationOutput: what the next pass compares with."""
        from kauth.api.fields import json_copy

        self.last_output = json_copy(obj)
        self.changes_seen = len(context.changed_by)

    def invoked(self, key: Hashable, if_needed: bool) -> None:
        self.called.add(key)
        if if_needed:  # AddReinvocable...ToPreviouslyInvoked
            self.previously_invoked.add(key)

    def require_reinvoking_previously_invoked(self, why: str) -> None:
        for key in self.previously_invoked:
            self.reinvoke.setdefault(key, why)
        self.previously_invoked = set()

    def why_reinvoked(self, key: Hashable) -> str | None:
        """ShouldReinvoke...: why the second pass runs this one again, or None when it does not."""
        return self.reinvoke.get(key)

    def why_not_reinvoked(self, key: Hashable, if_needed: bool) -> str:
        if key not in self.called:
            return "not called: a reinvocation never calls a webhook or policy for the first time"
        if not if_needed:
            return "not reinvoked (reinvocationPolicy Never)"
        return "not reinvoked: the object did not change after it ran"


@dataclass
class ReinvocationContext:
    """admission.ReinvocationContext for one request: whether this is the second pass, why one is needed (empty:
    it is not), which plugins changed the object (in order, both passes), and each plugin's Reinvocations."""

    is_reinvoke: bool = False
    reasons: list[str] = field(default_factory=list)
    changed_by: list[str] = field(default_factory=list)
    plugins: dict[str, Reinvocations] = field(default_factory=dict)

    @property
    def should_reinvoke(self) -> bool:
        return bool(self.reasons)

    def set_should_reinvoke(self, why: str) -> None:
        if why not in self.reasons:
            self.reasons.append(why)

    def reinvocations(self, plugin: str) -> Reinvocations:
        """Value/SetValue(PluginName): the plugin's bookkeeping, made on its first call."""
        return self.plugins.setdefault(plugin, Reinvocations())


def second_pass_message(reasons: list[str]) -> str:
    """Why the mutating chain ran again, for the trace."""
    return (f"the mutating plugins ran a second time because {'; '.join(reasons)}: in-tree plugins run again, "
            "a webhook or policy only with reinvocationPolicy IfNeeded when the object changed after it ran")
