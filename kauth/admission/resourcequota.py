"""ResourceQuota: a create or update must fit every quota of its namespace that covers it.

Upstream: plugin/pkg/admission/resourcequota (now k8s.io/apiserver/pkg/admission/plugin/resourcequota):
admission.go (which requests), controller.go (CheckRequest, the messages); the evaluators are in
kauth/admission/quota/. A validating plugin only. Construct with `ResourceQuota()`, or
`ResourceQuota(clock=...)` to fix the time pods stuck terminating are judged by.

How kauth differs, and why:
- Usage is computed from the stored objects (kauth/admission/quota/usage.py), never read from
  `status.used`, and `spec.hard` is read as the controller copies it to `status.hard`: there is no quota
  controller here, so the store is the truth. For the same reason nothing is recorded: upstream writes
  the new usage to the quota's status (except for dry-run requests); here the created object itself,
  once stored, is what the next request counts.
- The plugin's AdmissionConfiguration (limitedResources) is not read: no resource needs a covering quota.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Mapping

from kauth.admission import quantity as qty
from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.admission.quota.evaluators import IGNORED, Evaluator, evaluator_for
from kauth.admission.quota.pods import PodEvaluator, _utc_now
from kauth.admission.quota.scopes import ScopeError, ScopeSelector, quota_scope_selectors
from kauth.admission.quota.usage import calculate_usage
from kauth.api import errors
from kauth.admission.chain import forbidden


class ResourceQuota:
    """The ResourceQuota admission plugin (validating)."""

    name = "ResourceQuota"

    def __init__(self, clock: Callable[[], datetime] = _utc_now):
        self._pods = PodEvaluator(clock)

    def handles(self, attributes: Attributes) -> bool:
        """Create and update of namespaced objects (and the pod resize and claim status subresources) that an
        evaluator tracks for this operation."""
        if attributes.operation not in (CREATE, UPDATE):
            return False
        # pods/resize and persistentvolumeclaims/status are the subresources an evaluator handles.
        if attributes.subresource not in ("", "resize", "status") or not attributes.namespace:
            return False
        rt = attributes.resource_type
        if (rt.group, rt.plural) in IGNORED:
            return False
        return self.evaluator(attributes).handles(attributes)

    def evaluator(self, attributes: Attributes) -> Evaluator:
        rt = attributes.resource_type
        return evaluator_for(rt.group, rt.plural, self._pods)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        """CheckRequest: constraints of every covering quota, then the delta against each one's room."""
        obj = attributes.object
        if not isinstance(obj, Mapping):
            return Verdict(obj, "no object to charge")
        evaluator = self.evaluator(attributes)
        quotas = [q for q in state.list("", "resourcequotas", attributes.namespace) if isinstance(q, Mapping)]
        if not quotas:
            return Verdict(obj, "no ResourceQuota in the namespace")

        covering: list[tuple[str, qty.ResourceList, list[ScopeSelector]]] = []
        for resource_quota in quotas:
            name = _name(resource_quota)
            hard = _hard(resource_quota)
            selectors = quota_scope_selectors(resource_quota)
            if not _matches(evaluator, name, hard, selectors, obj):
                continue
            problem = evaluator.constraints(evaluator.matching_resources(list(hard)), obj)
            if problem:
                raise forbidden(attributes, f"failed quota: {name}: {problem}")
            covering.append((name, hard, selectors))

        usage = evaluator.usage(obj)
        negative = qty.negative(usage)
        if negative:
            raise forbidden(attributes, "quota usage is negative for resource(s): " + ",".join(sorted(negative)))
        deltas = {name: usage for name, _, _ in covering}
        uncovered_delta = usage
        if attributes.operation == UPDATE:
            old = attributes.old_object
            if not isinstance(old, Mapping):
                raise forbidden(attributes, "unable to get previous usage since prior version of object was not found")
            # Charge the difference, unless the old object was never stored (create on update), or fell outside a
            # quota's scopes (a claim that now names a VolumeAttributesClass is charged in full).
            if (old.get("metadata") or {}).get("resourceVersion"):
                uncovered_delta = qty.subtract_non_negative(usage, evaluator.usage(old))
                for name, hard, selectors in covering:
                    if _matches(evaluator, name, hard, selectors, old):
                        deltas[name] = uncovered_delta
        deltas = {name: delta for name, delta in deltas.items() if not qty.all_zero(delta)}
        if not deltas and (covering or qty.all_zero(uncovered_delta)):
            return Verdict(obj, "the request changes no quota usage")
        if not covering:
            return Verdict(obj, "no ResourceQuota covers this object")

        charged: list[str] = []
        past_limit: list[str] = []
        for name, hard, selectors in covering:
            if name not in deltas:
                continue
            used = calculate_usage(hard, selectors, attributes.namespace, state, self._pods)
            requested = qty.mask(deltas[name], hard)
            new_usage = qty.add_lists(used, requested)
            over = qty.exceeded(qty.mask(new_usage, requested), hard)
            # A status update is recorded even past the limit: it reports what already happened.
            if over and attributes.subresource == "status":
                past_limit.append(name)
            elif over:
                raise forbidden(attributes, f"exceeded quota: {name}, requested: {qty.pretty(qty.mask(requested, over))}, "
                                            f"used: {qty.pretty(qty.mask(used, over))}, "
                                            f"limited: {qty.pretty(qty.mask(hard, over))}")
            if requested:
                charged.append(f"{name} ({qty.pretty(requested)}; used {qty.pretty(qty.mask(new_usage, requested))} "
                               f"of {qty.pretty(qty.mask(hard, requested))})")
        if not charged:
            return Verdict(obj, "no covering quota tracks what the request changes")
        dry = " (dry run)" if attributes.dry_run else ""
        if past_limit:
            return Verdict(obj, f"a status update is charged without a limit check: {'; '.join(charged)}; "
                                f"over the limit of {', '.join(past_limit)}{dry}")
        return Verdict(obj, f"fits quota {'; '.join(charged)}{dry}")


def _name(resource_quota: Mapping) -> str:
    meta = resource_quota.get("metadata")
    return str(meta.get("name") or "") if isinstance(meta, Mapping) else ""


def _hard(resource_quota: Mapping) -> qty.ResourceList:
    spec = resource_quota.get("spec")
    return qty.resource_list(spec.get("hard")) if isinstance(spec, Mapping) else {}


def _matches(evaluator: Evaluator, name: str, hard: Mapping, selectors: list[ScopeSelector], obj: Mapping) -> bool:
    """evaluator.MatchingScopes then generic.Matches; a selector that cannot be evaluated fails the request
    with upstream's plain (500) error."""
    scoped = True
    for selector in selectors:
        try:
            scoped = evaluator.matches_scope(selector, obj) and scoped
        except ScopeError as err:
            raise errors.plain_error(f"error matching scopes of quota {name}, err: "
                                     f"error on matching scope {selector}: {err}") from None
    return scoped and bool(evaluator.matching_resources(list(hard)))


