"""The webhooks of MutatingWebhookConfiguration and ValidatingWebhookConfiguration objects, with the
admissionregistration.k8s.io/v1 defaults applied, in the order kube-apiserver calls them.

Upstream: plugin/webhook/accessors.go (WebhookAccessor; a webhook's uid is `<configuration>/<webhook>/<index>`),
configuration/{mutating,validating}_webhook_manager.go (configurations sorted by name, webhooks in their order)
and pkg/apis/admissionregistration/v1/defaults.go (failurePolicy Fail, matchPolicy Equivalent, empty selectors,
timeoutSeconds 10, reinvocationPolicy Never).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from kauth.admission.chain import StateView

GROUP = "admissionregistration.k8s.io"
MUTATING = "mutatingwebhookconfigurations"
VALIDATING = "validatingwebhookconfigurations"
DEFAULT_TIMEOUT_SECONDS = 10
MAX_TIMEOUT_SECONDS = 30  # validation refuses more (and less than 1)


@dataclass(frozen=True)
class Webhook:
    """One webhook of one configuration, as the dispatchers read it."""

    configuration: str
    index: int  # its position in the configuration
    name: str
    client_config: Mapping
    rules: tuple[Mapping, ...]
    failure_policy: str = "Fail"
    match_policy: str = "Equivalent"
    namespace_selector: Mapping = field(default_factory=dict)
    object_selector: Mapping = field(default_factory=dict)
    side_effects: str | None = None  # v1 requires it; None is what v1beta1 objects could leave
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    admission_review_versions: tuple[str, ...] = ("v1",)
    match_conditions: tuple[Mapping, ...] = ()
    reinvocation_policy: str = "Never"  # mutating webhooks only

    @property
    def uid(self) -> str:
        return f"{self.configuration}/{self.name}/{self.index}"

    @property
    def ignores_failures(self) -> bool:
        return self.failure_policy == "Ignore"


def webhook_from(configuration: str, index: int, spec: Mapping) -> Webhook:
    """A webhook as the API server stores it: defaulted."""
    timeout = spec.get("timeoutSeconds")
    return Webhook(
        configuration=configuration,
        index=index,
        name=spec.get("name") or "",
        client_config=spec.get("clientConfig") or {},
        rules=tuple(spec.get("rules") or ()),
        failure_policy=spec.get("failurePolicy") or "Fail",
        match_policy=spec.get("matchPolicy") or "Equivalent",
        namespace_selector=spec.get("namespaceSelector") or {},
        object_selector=spec.get("objectSelector") or {},
        side_effects=spec.get("sideEffects"),
        timeout_seconds=timeout if isinstance(timeout, int) and not isinstance(timeout, bool)
        else DEFAULT_TIMEOUT_SECONDS,
        admission_review_versions=tuple(spec.get("admissionReviewVersions") or ("v1",)),
        match_conditions=tuple(spec.get("matchConditions") or ()),
        reinvocation_policy=spec.get("reinvocationPolicy") or "Never",
    )


def webhooks(state: StateView, resource: str) -> list[Webhook]:
    """Every webhook of the stored configurations of `resource` (MUTATING or VALIDATING), configurations by
    name, then each configuration's webhooks in order."""
    configurations = sorted(state.list(GROUP, resource), key=lambda c: (c.get("metadata") or {}).get("name", ""))
    out: list[Webhook] = []
    for configuration in configurations:
        name = (configuration.get("metadata") or {}).get("name", "")
        for index, spec in enumerate(configuration.get("webhooks") or ()):
            out.append(webhook_from(name, index, spec))
    return out
