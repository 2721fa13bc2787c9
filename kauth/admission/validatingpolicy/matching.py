"""Which requests a policy (matchConstraints) or a binding (matchResources) selects.

Upstream: k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go (namespace selector, object selector,
excludeResourceRules, resourceRules, matchPolicy) and plugin/webhook/predicates/rules/rules.go (one rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from kauth.admission.chain import Attributes, StateView
from kauth.api.labels import selector_from_label_selector
from kauth.api.resources import ResourceTable, ResourceType

# Requests on admission configuration itself are never subject to policies (rules.IsExemptAdmissionConfigurationResource).
EXEMPT = frozenset({"validatingwebhookconfigurations", "mutatingwebhookconfigurations",
                    "validatingadmissionpolicies", "validatingadmissionpolicybindings",
                    "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"})


def is_exempt(attributes: Attributes) -> bool:
    rt = attributes.resource_type
    return rt.group == "admissionregistration.k8s.io" and rt.plural in EXEMPT


@dataclass(frozen=True)
class Match:
    """A match: the resource type the rules matched (for matchPolicy Equivalent, maybe another version)."""

    resource_type: ResourceType


def rule_matches(rule: Mapping, attributes: Attributes, rt: ResourceType) -> bool:
    """rules.Matcher.Matches for one NamedRuleWithOperations against the request seen as type `rt`."""
    operations = rule.get("operations") or []
    if "*" not in operations and attributes.operation not in operations:
        return False
    if not _one_of(rule.get("apiGroups"), rt.group) or not _one_of(rule.get("apiVersions"), rt.version):
        return False
    if not _resource_matches(rule.get("resources") or [], rt.plural, attributes.subresource):
        return False
    scope = rule.get("scope") or "*"
    if scope == "Cluster" and rt.namespaced or scope == "Namespaced" and not rt.namespaced:
        return False
    names = rule.get("resourceNames") or []
    return not names or attributes.name in names  # the request's name only: a generated name never matches


def _one_of(values, value: str) -> bool:
    values = values or []
    return "*" in values or value in values


def _resource_matches(patterns: list[str], resource: str, subresource: str) -> bool:
    # rules.go resource(): `*` is every resource without a subresource, `*/*` everything, `*/scale` every scale
    # subresource, and `pods/*` pods and every pods subresource (its empty subresource matches `*` too).
    for pattern in patterns:
        res, _, sub = pattern.partition("/")
        if (res == "*" or res == resource) and (sub == "*" or sub == subresource):
            return True
    return False


def matches(criteria: Mapping | None, attributes: Attributes, state: StateView,
            resources: ResourceTable) -> Match | None:
    """matching.Matcher.Matches: the request's match against a MatchResources, or None. No criteria (a binding
    without matchResources) and empty resourceRules select every resource."""
    criteria = criteria or {}
    if not _namespace_matches(criteria.get("namespaceSelector"), attributes, state):
        return None
    if not _object_matches(criteria.get("objectSelector"), attributes):
        return None
    # The API server defaults matchPolicy to Equivalent.
    equivalent = (criteria.get("matchPolicy") or "Equivalent") == "Equivalent"
    if _rules_match(criteria.get("excludeResourceRules") or [], attributes, resources, equivalent):
        return None
    rules = criteria.get("resourceRules") or []
    if not rules:
        return Match(attributes.resource_type)
    return _rules_match(rules, attributes, resources, equivalent)


def _rules_match(rules: list, attributes: Attributes, resources: ResourceTable, equivalent: bool) -> Match | None:
    if not rules:
        return None
    rt = attributes.resource_type
    if any(rule_matches(r, attributes, rt) for r in rules):
        return Match(rt)
    if equivalent:
        # The same group/resource served in another version (the RESTMapper's equivalent resources).
        for other in resources.versions_of(rt):
            if other != rt and any(rule_matches(r, attributes, other) for r in rules):
                return Match(other)
    return None


def _namespace_matches(selector: Mapping | None, attributes: Attributes, state: StateView) -> bool:
    rt = attributes.resource_type
    if not selector or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return True  # an empty selector selects every namespace, and cluster-scoped objects
    if rt.group == "" and rt.plural == "namespaces":
        namespace = attributes.object or attributes.old_object or {}
    elif not attributes.namespace:
        return True  # cluster-scoped objects are not limited by a namespace selector
    else:
        namespace = state.get("", "namespaces", "", attributes.namespace) or {}
    labels = (namespace.get("metadata") or {}).get("labels") or {}
    return selector_from_label_selector(selector)(labels)


def _object_matches(selector: Mapping | None, attributes: Attributes) -> bool:
    if not selector or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return True
    predicate = selector_from_label_selector(selector)
    # matchObject: either the new or the old object may match.
    for obj in (attributes.object, attributes.old_object):
        if obj is not None and predicate((obj.get("metadata") or {}).get("labels") or {}):
            return True
    return False
