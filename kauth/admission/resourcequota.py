"""ResourceQuota: a create or update must fit every quota of its namespace that covers it.

Upstream: plugin/pkg/admission/resourcequota (now k8s.io/apiserver/pkg/admission/plugin/resourcequota):
admission.go (which requests), controller.go (CheckRequest, the messages); the evaluators are in
kauth/admission/quota/. A validating plugin only. Construct with `ResourceQuota()`, with
`ResourceQuota(configuration)` for a ResourceQuotaConfiguration's limitedResources
(kauth/admission/quota/config.py), or `ResourceQuota(clock=...)` to fix the time pods stuck terminating
are judged by.

How kauth differs, and why:
- Usage is computed from the stored objects (kauth/admission/quota/usage.py), never read from
  `status.used`, and `spec.hard` is read as the controller copies it to `status.hard`: there is no quota
  controller here, so the store is the truth. For the same reason nothing is recorded: upstream writes
  the new usage to the quota's status (except for dry-run requests); here the created object itself,
  once stored, is what the next request counts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from kauth.admission import quantity as qty
from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.admission.quota.config import DEFAULT_CONFIGURATION, LimitedResource, ResourceQuotaConfiguration
from kauth.admission.quota.config import from_plugin_entry as configuration_from_plugin_entry
from kauth.admission.quota.evaluators import IGNORED, Evaluator, evaluator_for
from kauth.admission.quota.pods import PodEvaluator, _utc_now
from kauth.admission.quota.scopes import ScopeError, ScopeSelector, quota_scope_selectors
from kauth.admission.quota.usage import calculate_usage
from kauth.api import errors
from kauth.admission.chain import forbidden


class ResourceQuota:
    """The ResourceQuota admission plugin (validating)."""

    name = "ResourceQuota"

    def __init__(self, configuration: ResourceQuotaConfiguration = DEFAULT_CONFIGURATION,
                 clock: Callable[[], datetime] = _utc_now):
        self.configuration = configuration
        self._pods = PodEvaluator(clock)

    @classmethod
    def from_plugin_entry(cls, entry: Mapping[str, Any], base_dir: str | Path = ".") -> "ResourceQuota":
        """From an AdmissionConfiguration `plugins[]` entry: `{name: ResourceQuota, configuration: {...}}` or
        `{name: ResourceQuota, path: file.yaml}` (relative to base_dir)."""
        return cls(configuration_from_plugin_entry(entry, base_dir))

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
        limited = self.configuration.limited_resources
        quotas = [q for q in state.list("", "resourcequotas", attributes.namespace) if isinstance(q, Mapping)]
        if not quotas and not limited:
            return Verdict(obj, "no ResourceQuota in the namespace")
        try:
            limited_scopes = matched_limited_scopes(evaluator, obj, limited)
        except ScopeError as err:
            # CheckRequest only logs this error and returns without checking any quota.
            return Verdict(obj, f"a limitedResources matchScopes entry cannot be evaluated ({err}): the request "
                                "is not checked against any quota")
        rt = attributes.resource_type
        for_resource = [lr for lr in limited if (lr.api_group, lr.resource) == (rt.group, rt.plural)]
        limited_names = limited_by_default(evaluator.usage(obj), for_resource) if for_resource else set()

        covering: list[tuple[str, qty.ResourceList, list[ScopeSelector]]] = []
        restricted_resources: set[str] = set()
        restricted_scopes: list[ScopeSelector] = []
        for resource_quota in quotas:
            name = _name(resource_quota)
            hard = _hard(resource_quota)
            selectors = quota_scope_selectors(resource_quota)
            # Every quota's matched scopes count towards limited scopes, even a quota that tracks nothing here.
            matched = _matching_scopes(evaluator, name, selectors, obj)
            restricted_scopes += matched
            required = evaluator.matching_resources(list(hard))
            if len(matched) != len(selectors) or not required:
                continue
            problem = evaluator.constraints(required, obj)
            if problem:
                raise forbidden(attributes, f"failed quota: {name}: {problem}")
            covering.append((name, hard, selectors))
            restricted_resources.update(required)

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
        _require_covering_quotas(attributes, limited_names - restricted_resources,
                                 uncovered_quota_scopes(limited_scopes, restricted_scopes))
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


def _require_covering_quotas(attributes: Attributes, uncovered: set[str], uncovered_scopes: list[ScopeSelector]):
    """The limitedResources checks: every limited resource consumed and every limited scope matched needs a
    covering quota."""
    if uncovered:
        raise forbidden(attributes, "insufficient quota to consume: " + ",".join(sorted(uncovered)))
    if uncovered_scopes:
        # A plain error upstream (not admission.NewForbidden), so the client sees a 500.
        raise errors.plain_error("insufficient quota to match these scopes: "
                                 f"[{' '.join(str(s) for s in uncovered_scopes)}]")


def _name(resource_quota: Mapping) -> str:
    meta = resource_quota.get("metadata")
    return str(meta.get("name") or "") if isinstance(meta, Mapping) else ""


def _hard(resource_quota: Mapping) -> qty.ResourceList:
    spec = resource_quota.get("spec")
    return qty.resource_list(spec.get("hard")) if isinstance(spec, Mapping) else {}


def _matches(evaluator: Evaluator, name: str, hard: Mapping, selectors: list[ScopeSelector], obj: Mapping) -> bool:
    """generic.Matches: the quota tracks something of this evaluator's and every one of its scopes matches."""
    matched = _matching_scopes(evaluator, name, selectors, obj)
    return len(matched) == len(selectors) and bool(evaluator.matching_resources(list(hard)))


def _matching_scopes(evaluator: Evaluator, name: str, selectors: list[ScopeSelector],
                     obj: Mapping) -> list[ScopeSelector]:
    """evaluator.MatchingScopes over a quota's selectors; a selector that cannot be evaluated fails the request
    with upstream's plain (500) error."""
    try:
        return matching_scopes(evaluator, selectors, obj)
    except ScopeError as err:
        raise errors.plain_error(f"error matching scopes of quota {name}, err: {err}") from None


def matching_scopes(evaluator: Evaluator, selectors: Sequence[ScopeSelector], obj: Mapping) -> list[ScopeSelector]:
    """MatchingScopes: the selectors the object matches (services and object counts match none)."""
    matched = []
    for selector in selectors:
        try:
            if evaluator.matches_scope(selector, obj):
                matched.append(selector)
        except ScopeError as err:
            raise ScopeError(f"error on matching scope {selector}: {err}") from None
    return matched


def matched_limited_scopes(evaluator: Evaluator, obj: Mapping,
                           limited: Sequence[LimitedResource]) -> list[ScopeSelector]:
    """getMatchedLimitedScopes: the matchScopes of every limitedResources entry the object matches, whatever
    resource the entry names."""
    return [selector for entry in limited for selector in matching_scopes(evaluator, entry.match_scopes, obj)]


def limited_by_default(usage: qty.ResourceList, limited: Sequence[LimitedResource]) -> set[str]:
    """limitedByDefault: the consumed (positive) usage names that contain one of an entry's matchContains."""
    return {name for entry in limited for name, amount in usage.items()
            if qty.sign(amount) == 1 and any(part in name for part in entry.match_contains)}


def uncovered_quota_scopes(limited_scopes: Sequence[ScopeSelector],
                           restricted_scopes: Sequence[ScopeSelector]) -> list[ScopeSelector]:
    """UncoveredQuotaScopes: a limited scope is covered by any matched quota scope of the same name."""
    covered = {selector.scope_name for selector in restricted_scopes}
    return [selector for selector in limited_scopes if selector.scope_name not in covered]


