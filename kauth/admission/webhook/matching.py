"""Whether a webhook is called for a request: namespaceSelector, objectSelector, rules (matchPolicy Equivalent
tries the other served versions of the resource), then matchConditions in CEL.

Upstream: plugin/webhook/generic/webhook.go (ShouldCallHook), predicates/namespace/matcher.go,
predicates/object/matcher.go, predicates/rules/rules.go and matchconditions/matcher.go. One rule is matched by
the ValidatingAdmissionPolicy's implementation of rules.go (validatingpolicy.matching.rule_matches), and the
conditions are evaluated by its CEL validator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kauth.admission.cel import AuthorizerBinding, DataBounds, Environment
from kauth.admission.chain import Attributes, StateView
from kauth.admission.validatingpolicy import validator
from kauth.admission.validatingpolicy.matching import is_exempt, rule_matches
from kauth.admission.validatingpolicy.request import admission_request
from kauth.admission.webhook.config import Webhook
from kauth.api import errors
from kauth.api.errors import StatusError
from kauth.api.labels import selector_from_label_selector
from kauth.api.resources import ResourceTable, ResourceType

__all__ = ["Invocation", "is_exempt", "should_call", "MatchConditions"]


@dataclass(frozen=True)
class Invocation:
    """generic.WebhookInvocation: the webhook, and the type (resource and kind) it is called with."""

    webhook: Webhook
    resource_type: ResourceType


def should_call(webhook: Webhook, attributes: Attributes, state: StateView, resources: ResourceTable,
                conditions: "MatchConditions", skipped: list[str] | None = None) -> Invocation | None:
    """ShouldCallHook: the invocation, None when the webhook does not apply (why is appended to `skipped`), or
    StatusError (a namespace that does not exist, a matchCondition that fails with failurePolicy Fail)."""
    def skip(why: str) -> None:
        if skipped is not None:
            skipped.append(f"{webhook.name}: not called ({why})")

    namespace_matches, namespace_error = _namespace_matches(webhook, attributes, state)
    if not namespace_matches and namespace_error is None:
        return skip("namespaceSelector does not match")
    if not _object_matches(webhook, attributes):
        return skip("objectSelector does not match")
    matched = _matched_type(webhook, attributes, resources)
    if matched is None:
        return skip("no rule matches")
    if namespace_error is not None:
        raise namespace_error
    if webhook.match_conditions and not conditions.match(webhook, attributes, matched):
        return skip("matchConditions are not all true")
    return Invocation(webhook, matched)


def _matched_type(webhook: Webhook, attributes: Attributes, resources: ResourceTable) -> ResourceType | None:
    rt = attributes.resource_type
    if any(rule_matches(rule, attributes, rt) for rule in webhook.rules):
        return rt
    if webhook.match_policy == "Equivalent":
        # honor earlier rules first: each rule against every equivalent resource
        others = [other for other in resources.versions_of(rt) if other != rt]
        for rule in webhook.rules:
            for other in others:
                if rule_matches(rule, attributes, other):
                    return other
    return None


def _selects_everything(selector: Any) -> bool:
    return not selector or not (selector.get("matchLabels") or selector.get("matchExpressions"))


def _namespace_matches(webhook: Webhook, attributes: Attributes,
                       state: StateView) -> tuple[bool, StatusError | None]:
    rt = attributes.resource_type
    is_namespace = rt.group == "" and rt.plural == "namespaces"
    if not attributes.namespace and not is_namespace:
        return True, None  # a cluster-scoped resource other than a namespace is never exempted
    if _selects_everything(webhook.namespace_selector):
        return True, None
    if is_namespace and not attributes.subresource and attributes.operation in ("CREATE", "UPDATE"):
        labels = ((attributes.object or {}).get("metadata") or {}).get("labels") or {}
    else:
        name = attributes.namespace or attributes.name
        namespace = state.get("", "namespaces", "", name)
        if namespace is None:
            return False, errors.not_found("", "namespaces", name)  # "for backwards compatibility, return a 404"
        labels = (namespace.get("metadata") or {}).get("labels") or {}
    return selector_from_label_selector(webhook.namespace_selector)(labels), None


def _object_matches(webhook: Webhook, attributes: Attributes) -> bool:
    if _selects_everything(webhook.object_selector):
        return True
    predicate = selector_from_label_selector(webhook.object_selector)
    # either the new or the old object may match
    return any(obj is not None and predicate((obj.get("metadata") or {}).get("labels") or {})
               for obj in (attributes.object, attributes.old_object))


@dataclass
class MatchConditions:
    """matchconditions.Matcher for every webhook of one plugin; conditions are compiled once per webhook."""

    environment: Environment
    authorizer: Any = None
    _compiled: dict = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self._compiled = {}

    def match(self, webhook: Webhook, attributes: Attributes, matched: ResourceType) -> bool:
        """True when every condition holds. An evaluation error skips the webhook under failurePolicy Ignore
        and forbids the request under Fail, without calling it."""
        compiled = self._compile(webhook)
        data = {"object": attributes.object, "oldObject": attributes.old_object,
                "request": admission_request(attributes, matched), "namespaceObject": None, "params": None}
        binding = AuthorizerBinding(self.authorizer, attributes.user) if self.authorizer is not None else None
        rt = attributes.resource_type
        inputs = validator.Inputs(data, lambda: DataBounds.of([attributes.object, attributes.old_object]), binding,
                                  {"group": rt.group, "version": rt.version, "resource": rt.plural,
                                   "subresource": attributes.subresource, "namespace": attributes.namespace,
                                   "name": attributes.name})
        # validator._match is matchconditions.Matcher.Match: False, True, or the errors' text
        verdict = validator._match(compiled, self.environment, inputs)
        if isinstance(verdict, str):
            if webhook.ignores_failures:
                return False
            name = attributes.name or ((attributes.object or attributes.old_object or {}).get("metadata")
                                       or {}).get("name", "")
            raise errors.forbidden_error(rt.group, rt.plural, name, verdict)
        return verdict

    def _compile(self, webhook: Webhook) -> validator.CompiledPolicy:
        key = (webhook.uid, json.dumps(webhook.match_conditions, sort_keys=True))
        if key not in self._compiled:
            pseudo_policy = {"spec": {"matchConditions": list(webhook.match_conditions),
                                      "failurePolicy": webhook.failure_policy}}
            self._compiled[key] = validator.compile_policy(pseudo_policy, self.environment)
        return self._compiled[key]
