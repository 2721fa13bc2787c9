"""Quota scopes: a quota's `scopes` and `scopeSelector` as selector requirements, and how they match.

Upstream: getScopeSelectorsFromQuota (k8s.io/apiserver/pkg/quota/v1/generic) and
helper.ScopedResourceSelectorRequirementsAsSelector (pkg/apis/core/v1/helper).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from kauth.api.errors import go_quote

EXISTS, DOES_NOT_EXIST, IN, NOT_IN = "Exists", "DoesNotExist", "In", "NotIn"


class ScopeError(Exception):
    """A scope selector that cannot be evaluated (validation keeps these out of a real store)."""


@dataclass(frozen=True)
class ScopeSelector:
    """corev1.ScopedResourceSelectorRequirement: a scope name, an operator and values."""

    scope_name: str
    operator: str
    values: tuple[str, ...] = ()

    def __str__(self) -> str:
        # Go's %v of the struct, as upstream's error messages print it.
        return "{" + f"{self.scope_name} {self.operator} [{' '.join(self.values)}]" + "}"


def quota_scope_selectors(resource_quota: Mapping) -> list[ScopeSelector]:
    """getScopeSelectorsFromQuota: each of `spec.scopes` as an Exists requirement, then `scopeSelector`."""
    spec = resource_quota.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    scopes = spec.get("scopes")
    selectors = [ScopeSelector(scope, EXISTS) for scope in _list(scopes) if isinstance(scope, str)]
    scope_selector = spec.get("scopeSelector")
    expressions = scope_selector.get("matchExpressions") if isinstance(scope_selector, Mapping) else None
    for expr in _list(expressions):
        if isinstance(expr, Mapping):
            values = expr.get("values")
            selectors.append(ScopeSelector(str(expr.get("scopeName") or ""), str(expr.get("operator") or ""),
                                           tuple(str(v) for v in values) if isinstance(values, list) else ()))
    return selectors


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def selector_matches(selector: ScopeSelector, labels: Mapping[str, str]) -> bool:
    """The requirement as a label selector (key = scope name) applied to `labels`."""
    key = selector.scope_name
    if selector.operator == IN:
        return key in labels and labels[key] in selector.values
    if selector.operator == NOT_IN:
        return key not in labels or labels[key] not in selector.values
    if selector.operator == EXISTS:
        return key in labels
    if selector.operator == DOES_NOT_EXIST:
        return key not in labels
    raise ScopeError(f"failed to parse and convert selector: {go_quote(selector.operator)} "
                     "is not a valid scope selector operator")

