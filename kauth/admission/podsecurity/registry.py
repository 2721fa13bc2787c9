"""The evaluator: which checks run at each level and version, in which order, and how results aggregate.

Upstream: pod-security-admission/policy/registry.go (NewEvaluator, populate, EvaluatePod) and checks.go
(AggregateCheckResults). Restricted revisions may override baseline checks (kubernetes#107698), so a pod
with a hostPath volume is told once, `restricted volume types`, not twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kauth.admission.podsecurity.api import BASELINE, PRIVILEGED, RESTRICTED, LevelVersion
from kauth.admission.podsecurity.checks import DEFAULT_CHECKS, Check, CheckPod, CheckResult

UNKNOWN_REASON = "unknown forbidden reason"


@dataclass(frozen=True)
class AggregateResult:
    """AggregateCheckResult: the forbidden results of one evaluation, in check order."""

    forbidden: tuple[CheckResult, ...] = ()
    # (check ID, the level that defines it) of each forbidden result, for the trace: which check of which level
    checks: tuple[tuple[str, str], ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.forbidden

    def explained(self) -> list[str]:
        """One line per failed check, for people: `allowPrivilegeEscalation (restricted): allowPrivilegeEscalation
        != false: container "nginx" must set ...`."""
        return [f"{check} ({level}): {r.reason or UNKNOWN_REASON}" + (f": {r.detail}" if r.detail else "")
                for (check, level), r in zip(self.checks, self.forbidden)]

    def forbidden_reason(self) -> str:
        """ForbiddenReason: the reasons only (`privileged, hostPort`), as the namespace relabel warnings show."""
        return ", ".join(r.reason or UNKNOWN_REASON for r in self.forbidden)

    def forbidden_detail(self) -> str:
        """ForbiddenDetail: `reason (detail)` per result, as the enforce error, warnings and audit show."""
        return ", ".join(f"{r.reason or UNKNOWN_REASON} ({r.detail})" if r.detail else (r.reason or UNKNOWN_REASON)
                         for r in self.forbidden)


ALLOWED = AggregateResult()


@dataclass(frozen=True)
class _Step:
    id: str
    level: str
    check_pod: CheckPod


class Evaluator:
    """Evaluates pods against a LevelVersion; built once from the checks (the per-version lists precomputed)."""

    def __init__(self, checks: Sequence[Check] = DEFAULT_CHECKS):
        self.max_minor = max(v.minimum for c in checks for v in c.versions)
        self._lists: dict[tuple[str, int], tuple[_Step, ...]] = {}
        for minor in range(self.max_minor + 1):
            baseline = _active(checks, BASELINE, minor)
            restricted = _active(checks, RESTRICTED, minor)
            overridden = {check_id for _, version in restricted for check_id in version.overrides}
            base_steps = [_Step(c.id, BASELINE, v.check_pod) for c, v in sorted(baseline, key=lambda cv: cv[0].id)]
            # orderedIDs := append(baselineIDs, restrictedIDs...), each sorted by ID (byte order).
            self._lists[(BASELINE, minor)] = tuple(base_steps)
            self._lists[(RESTRICTED, minor)] = tuple(
                [s for s in base_steps if s.id not in overridden]
                + [_Step(c.id, RESTRICTED, v.check_pod) for c, v in sorted(restricted, key=lambda cv: cv[0].id)])

    def minor_to_evaluate(self, lv: LevelVersion) -> int:
        """Latest, and versions newer than the newest check revision, evaluate as that newest revision (v1.37)."""
        if lv.version.latest or lv.version.minor > self.max_minor:
            return self.max_minor
        return lv.version.minor

    def check_ids(self, lv: LevelVersion) -> tuple[str, ...]:
        if lv.level == PRIVILEGED:
            return ()
        return tuple(s.id for s in self._lists[(lv.level, self.minor_to_evaluate(lv))])

    def evaluate_pod(self, lv: LevelVersion, meta: dict | None, spec: dict | None) -> AggregateResult:
        """EvaluatePod + AggregateCheckResults: privileged runs nothing; otherwise every check of the version."""
        if lv.level == PRIVILEGED:
            return ALLOWED
        meta = meta if isinstance(meta, dict) else {}
        spec = spec if isinstance(spec, dict) else {}
        found, checks = [], []
        for step in self._lists[(lv.level, self.minor_to_evaluate(lv))]:
            result = step.check_pod(meta, spec)
            if result is not None:
                found.append(result)
                checks.append((step.id, step.level))
        return AggregateResult(tuple(found), tuple(checks)) if found else ALLOWED


def _active(checks: Sequence[Check], level: str, minor: int) -> list:
    """(check, revision) for each check of `level` that has a revision at or below `minor` (the newest such)."""
    out = []
    for check in checks:
        if check.level != level:
            continue
        current = None
        for revision in check.versions:
            if revision.minimum <= minor:
                current = revision
        if current is not None:
            out.append((check, current))
    return out
