"""Pod Security levels, policy versions, and the namespace labels that choose them.

Upstream: staging/src/k8s.io/pod-security-admission/api/{constants.go,helpers.go}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from kauth.api import errors
from kauth.api.errors import FieldError

PRIVILEGED, BASELINE, RESTRICTED = "privileged", "baseline", "restricted"
LEVELS = (PRIVILEGED, BASELINE, RESTRICTED)  # validLevels, in upstream's order (used in the error text)

LABEL_PREFIX = "pod-security.kubernetes.io/"
ENFORCE_LEVEL_LABEL = LABEL_PREFIX + "enforce"
ENFORCE_VERSION_LABEL = LABEL_PREFIX + "enforce-version"
AUDIT_LEVEL_LABEL = LABEL_PREFIX + "audit"
AUDIT_VERSION_LABEL = LABEL_PREFIX + "audit-version"
WARN_LEVEL_LABEL = LABEL_PREFIX + "warn"
WARN_VERSION_LABEL = LABEL_PREFIX + "warn-version"

# Audit annotation keys as the delegate returns them; the kube-apiserver plugin records each one under
# AUDIT_ANNOTATION_PREFIX + key (plugin/pkg/admission/security/podsecurity/admission.go).
AUDIT_ANNOTATION_PREFIX = "pod-security.kubernetes.io/"
ENFORCED_POLICY_ANNOTATION = "enforce-policy"
AUDIT_VIOLATIONS_ANNOTATION = "audit-violations"
EXEMPTION_ANNOTATION = "exempt"
ERROR_ANNOTATION = "error"

LEVEL_ERROR = "must be one of " + ", ".join(LEVELS)
VERSION_ERROR = 'must be "latest" or "v1.x"'
_VERSION_RE = re.compile(r"v1\.([0-9]|[1-9][0-9]*)\Z")


class ParseError(ValueError):
    """A level or version string that is not one upstream accepts; str() is upstream's error text."""


@dataclass(frozen=True, order=False)
class Version:
    """A policy version: `latest`, or v1.<minor> (the major is always 1)."""

    minor: int = 0
    latest: bool = False

    def __str__(self) -> str:
        return "latest" if self.latest else f"v1.{self.minor}"

    def older(self, other: "Version") -> bool:
        """Version.Older: latest is newer than every numbered version, future ones included."""
        if self.latest:
            return False
        if other.latest:
            return True
        return self.minor < other.minor


LATEST = Version(latest=True)


def version(minor: int) -> Version:
    return Version(minor=minor)


@dataclass(frozen=True)
class LevelVersion:
    """One mode's policy: a level at a version, printed `restricted:latest`."""

    level: str
    version: Version

    def __str__(self) -> str:
        return f"{self.level}:{self.version}"

    def equivalent(self, other: "LevelVersion") -> bool:
        """Two privileged policies are the same whatever their versions (privileged has no checks)."""
        return self == other or (self.level == PRIVILEGED and other.level == PRIVILEGED)


PRIVILEGED_LATEST = LevelVersion(PRIVILEGED, LATEST)


@dataclass(frozen=True)
class Policy:
    """The three modes of a namespace: enforce (deny), audit (annotate), warn (Warning header)."""

    enforce: LevelVersion = PRIVILEGED_LATEST
    audit: LevelVersion = PRIVILEGED_LATEST
    warn: LevelVersion = PRIVILEGED_LATEST

    def fully_privileged(self) -> bool:
        return self.enforce.level == self.audit.level == self.warn.level == PRIVILEGED

    def equivalent(self, other: "Policy") -> bool:
        return (self.enforce.equivalent(other.enforce) and self.audit.equivalent(other.audit)
                and self.warn.equivalent(other.warn))


def parse_level(text: str) -> str:
    """ParseLevel: exactly privileged, baseline or restricted (case-sensitive)."""
    if isinstance(text, str) and text in LEVELS:
        return text
    raise ParseError(LEVEL_ERROR)


def parse_version(text: str) -> Version:
    """ParseVersion: `latest` or `v1.<minor>` without leading zeros (v1.99 is valid: a future version)."""
    if text == "latest":
        return LATEST
    match = _VERSION_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ParseError(VERSION_ERROR)
    return Version(minor=int(match.group(1)))


def compare_levels(a: str, b: str) -> int:
    """CompareLevels: -1, 0 or 1 as `a` is less strict than, as strict as, or stricter than `b`."""
    return (LEVELS.index(a) > LEVELS.index(b)) - (LEVELS.index(a) < LEVELS.index(b))


def _label_error(label: str, value: str, why: str) -> FieldError:
    return errors.field_invalid(f"metadata.labels[{label}]", value, why)


def policy_to_evaluate(labels: Mapping[str, str] | None, defaults: Policy) -> tuple[Policy, tuple[FieldError, ...]]:
    """PolicyToEvaluate: the namespace's policy from its labels, the defaults filling the gaps.

    A policy is always returned, even with errors: a bad enforce level means restricted (fail closed), a bad
    audit or warn level means privileged (fail open: upstream's `// Fail open for audit.`), a bad version latest.
    """
    if not labels:
        return defaults, ()
    found: list[FieldError] = []
    modes = {"enforce": defaults.enforce, "audit": defaults.audit, "warn": defaults.warn}
    for mode, level_label, version_label in (("enforce", ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL),
                                             ("audit", AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL),
                                             ("warn", WARN_LEVEL_LABEL, WARN_VERSION_LABEL)):
        lv = modes[mode]
        if level_label in labels:
            value = labels[level_label]
            try:
                lv = LevelVersion(parse_level(value), lv.version)
            except ParseError as err:
                lv = LevelVersion(RESTRICTED if mode == "enforce" else PRIVILEGED, lv.version)
                found.append(_label_error(level_label, value, str(err)))
        if version_label in labels:
            value = labels[version_label]
            try:
                lv = LevelVersion(lv.level, parse_version(value))
            except ParseError as err:
                lv = LevelVersion(lv.level, LATEST)
                found.append(_label_error(version_label, value, str(err)))
        modes[mode] = lv
    return Policy(modes["enforce"], modes["audit"], modes["warn"]), tuple(found)
