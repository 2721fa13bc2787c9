"""A quota's usage, computed from the stored objects as the quota controller computes `status.used`.

Upstream: quota.CalculateUsage (k8s.io/apiserver/pkg/quota/v1/resources.go) and
generic.CalculateUsageStats. kauth computes usage from the store rather than reading `status.used`: no
quota controller runs here, offline dumps often lack the status, and the store is what every earlier
request of a what-if run has changed.
"""

from __future__ import annotations

from typing import Mapping

from kauth.admission import quantity as qty
from kauth.admission.chain import StateView
from kauth.admission.quantity import ResourceList
from kauth.admission.quota.evaluators import evaluators_for_hard
from kauth.admission.quota.pods import PodEvaluator
from kauth.admission.quota.scopes import ScopeError, ScopeSelector


def calculate_usage(hard: Mapping, selectors: list[ScopeSelector], namespace: str, state: StateView,
                    pods: PodEvaluator) -> ResourceList:
    """The usage of every hard resource some evaluator tracks (0 when nothing uses it), summed over the
    namespace's objects that match all the quota's scopes."""
    names = list(hard)
    used: ResourceList = {}
    matched: set[str] = set()
    for evaluator in evaluators_for_hard(names, pods):
        tracked = evaluator.matching_resources(names)
        stats: ResourceList = {name: qty.zero() for name in tracked}
        for item in state.list(evaluator.group, evaluator.resource, namespace):
            if not isinstance(item, Mapping):
                continue
            try:
                in_scope = all(evaluator.matches_scope(selector, item) for selector in selectors)
            except ScopeError:
                break  # CalculateUsageStats returns what it has summed so far
            if in_scope:
                stats = qty.add_lists(stats, evaluator.usage(item))
        used = qty.add_lists(used, stats)
        matched.update(tracked)
    return qty.mask(used, matched)
