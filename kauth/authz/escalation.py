"""RBAC escalation prevention: no one grants permissions they do not hold.

Upstream: pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go,
pkg/registry/rbac/escalation_check.go, pkg/registry/rbac/validation/rule.go (ConfirmNoEscalation),
policy_compact.go, and k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go (Covers).
A Role or ClusterRole write passes when the writer is in system:masters, may `escalate` the role, or
already holds every rule it grants; a binding write when the writer may `bind` the role, or holds
every rule of the bound role. An aggregationRule needs `*` on everything.
"""

from __future__ import annotations

from kauth.api import errors
from kauth.authn.user import UserInfo

ALL = "*"
FULL_AUTHORITY = [{"verbs": [ALL], "apiGroups": [ALL], "resources": [ALL]}, {"verbs": [ALL], "nonResourceURLs": [ALL]}]


def _strings(rule: dict, field: str) -> list[str]:
    value = rule.get(field)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def breakdown(rule: dict) -> list[dict]:
    """BreakdownRule: one rule per (group, resource, verb[, name]) and per (URL, verb)."""
    names = _strings(rule, "resourceNames")
    out = []
    for group in _strings(rule, "apiGroups"):
        for resource in _strings(rule, "resources"):
            for verb in _strings(rule, "verbs"):
                base = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                out.extend([{**base, "resourceNames": [name]} for name in names] if names else [base])
    for url in _strings(rule, "nonResourceURLs"):
        for verb in _strings(rule, "verbs"):
            out.append({"nonResourceURLs": [url], "verbs": [verb]})
    return out


def _resources_cover(owned: list[str], wanted: list[str]) -> bool:
    if ALL in owned or set(wanted) <= set(owned):
        return True
    for path in wanted:
        if path in owned:
            continue
        if "/" not in path:
            return False
        if "*/" + path.split("/", 1)[1] not in owned:
            return False
    return True


def _url_covers(owned: str, path: str) -> bool:
    return owned == path or (owned.endswith(ALL) and path.startswith(owned.rstrip(ALL)))


def rule_covers(owner: dict, sub: dict) -> bool:
    """ruleCovers: whether one held rule covers one broken-down rule. Note `*` as a wanted resource or
    verb is covered only by `*`, and a URL rule only by a URL rule."""
    verbs, groups = _strings(owner, "verbs"), _strings(owner, "apiGroups")
    owned_names, wanted_names = _strings(owner, "resourceNames"), _strings(sub, "resourceNames")
    if not (ALL in verbs or set(_strings(sub, "verbs")) <= set(verbs)):
        return False
    if not (ALL in groups or set(_strings(sub, "apiGroups")) <= set(groups)):
        return False
    if not _resources_cover(_strings(owner, "resources"), _strings(sub, "resources")):
        return False
    owned_urls = _strings(owner, "nonResourceURLs")
    if not all(any(_url_covers(o, path) for o in owned_urls) for path in _strings(sub, "nonResourceURLs")):
        return False
    if not wanted_names:
        return not owned_names
    return not owned_names or set(wanted_names) <= set(owned_names)


def uncovered(owner_rules: list[dict], rules: list[dict]) -> list[dict]:
    """Covers: the broken-down rules no held rule covers."""
    return [sub for rule in rules if isinstance(rule, dict) for sub in breakdown(rule)
            if not any(rule_covers(owner, sub) for owner in owner_rules if isinstance(owner, dict))]


def compact(rules: list[dict]) -> list[dict]:
    """CompactRules: rules naming one group and one resource (and at most one name) merge their verbs."""
    out: list[dict] = []
    simple: dict[tuple, dict] = {}
    for rule in rules:
        names = rule.get("resourceNames") or []
        if (len(names) <= 1 and not rule.get("nonResourceURLs") and len(rule.get("apiGroups") or []) == 1
                and len(rule.get("resources") or []) == 1):
            key = (rule["apiGroups"][0], rule["resources"][0], tuple(names))
            if key in simple:
                simple[key]["verbs"] = simple[key]["verbs"] + rule["verbs"]
            else:
                simple[key] = {**rule, "verbs": list(rule["verbs"])}
        else:
            out.append(rule)
    return out + list(simple.values())


def compact_string(rule: dict) -> str:
    """CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "delete"]}."""
    parts = []
    for label, field in (("APIGroups", "apiGroups"), ("Resources", "resources"), ("NonResourceURLs", "nonResourceURLs"),
                         ("ResourceNames", "resourceNames"), ("Verbs", "verbs")):
        if rule.get(field):
            parts.append(f"{label}:{errors.go_quote_list(rule[field])}")
    return "{" + ", ".join(parts) + "}"


def not_currently_held(user: UserInfo, owner_rules: list[dict], rules: list[dict],
                       resolution_errors: list[str]) -> str | None:
    """ConfirmNoEscalation's error text, or None when the user holds every rule."""
    missing = uncovered(owner_rules, rules)
    if not missing:
        return None
    described = sorted({compact_string(rule) for rule in compact(missing)})
    message = (f"user {errors.go_quote(user.name)} (groups={errors.go_quote_list(user.groups)}) "
               "is attempting to grant RBAC permissions not currently held:\n" + "\n".join(described))
    if resolution_errors:
        message += f"; resolution errors: [{errors.aggregate(resolution_errors)}]"
    return message
