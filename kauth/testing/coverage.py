"""Policy coverage: which RBAC rules, bindings and admission policies of the suites' starting states the cases
exercised, and which they never did.

The inventory is what the suite's author brought: the Roles, ClusterRoles and bindings of the starting state
other than the bootstrap policy every cluster has (`kauth/policies/rbac-bootstrap/`), every
ValidatingAdmissionPolicyBinding and MutatingAdmissionPolicyBinding, and every namespace whose
pod-security.kubernetes.io labels ask for more than `privileged`. What was exercised is read from each response's
trace: the authorization step names the binding and the role rule that allowed (`RBAC: allowed by RoleBinding
"x/dev" of Role "y" to Group "z"`, then `rule 2 of Role "y"`), impersonation checks name their bindings, and the
admission steps name the policy bindings that ran and PodSecurity's evaluation of the namespace. A rule reached
through an aggregated ClusterRole is credited to the rules of the ClusterRoles it was aggregated from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterable

from kauth.apiserver.request import Response, TraceStep
from kauth.cluster import Cluster, bootstrap_rbac

_ALLOWED_BY = re.compile(r'allowed by (ClusterRoleBinding|RoleBinding) "([^"]+)" of (ClusterRole|Role) "([^"]+)"')
_RULE = re.compile(r'^rule (\d+) of (ClusterRole|Role) "([^"]+)"')
_VAP_DENIED = re.compile(r"ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)'")
_VAP_NOTE = re.compile(r"(?:^|; )([^;:]+?) with binding ([^;:]+?): ")
_MAP = re.compile(r"MutatingAdmissionPolicy '([^']+)' with binding '([^']+)'")
_PSA_LABEL = "pod-security.kubernetes.io/"
RBAC_GROUP = "rbac.authorization.k8s.io"
ADMISSION_GROUP = "admissionregistration.k8s.io"


@dataclass
class Item:
    """One thing a suite could exercise."""

    kind: str  # "rule", "binding", "admission policy binding", "PodSecurity namespace"
    key: str  # e.g. `Role dev/workload-editor`, `RoleBinding dev/dev-team-edits-workloads`, `restricted`
    rule: int = 0  # 1-based, for rules
    detail: str = ""  # the rule's text, the binding's role, the namespace's levels
    cases: list[str] = field(default_factory=list)  # ids of the cases that exercised it

    @property
    def id(self) -> str:
        return f"{self.key} rule {self.rule}" if self.kind == "rule" else self.key

    @property
    def covered(self) -> bool:
        return bool(self.cases)

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "name": self.key, "covered": self.covered, "hits": len(self.cases),
               "cases": sorted(set(self.cases))}
        if self.kind == "rule":
            out["rule"] = self.rule
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass
class Coverage:
    items: dict[str, Item] = field(default_factory=dict)

    # a rule of an aggregated ClusterRole → the rules of the ClusterRoles it was aggregated from
    aliases: dict[str, set[str]] = field(default_factory=dict)

    def add_inventory(self, cluster: Cluster) -> None:
        for item in inventory(cluster):
            self.items.setdefault(item.id, item)
        for alias, sources in aggregated_rule_sources(cluster).items():
            self.aliases.setdefault(alias, set()).update(sources)

    def record(self, case_id: str, responses: Iterable[Response]) -> None:
        for response in responses:
            for exercised_id in exercised(response):
                for item_id in self.aliases.get(exercised_id, (exercised_id,)):
                    item = self.items.get(item_id)
                    if item is not None and case_id not in item.cases:
                        item.cases.append(case_id)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def covered(self) -> int:
        return sum(1 for i in self.items.values() if i.covered)

    @property
    def percent(self) -> float:
        return 100.0 if not self.items else 100.0 * self.covered / self.total

    def by_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for item in self.items.values():
            covered, total = out.get(item.kind, (0, 0))
            out[item.kind] = (covered + item.covered, total + 1)
        return out

    def to_dict(self) -> dict:
        return {"covered": self.covered, "total": self.total, "percent": round(self.percent, 1),
                "by_kind": {k: {"covered": c, "total": t} for k, (c, t) in self.by_kind().items()},
                "items": [i.to_dict() for i in self.items.values()]}

    def table(self) -> str:
        """A plain-text table: every item, covered or not, then the totals."""
        rows = [("", "kind", "name", "detail", "cases")]
        for item in self.items.values():
            rows.append(("✓" if item.covered else "✗", item.kind, item.id, _clip(item.detail, 60),
                         str(len(set(item.cases)))))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        parts = ", ".join(f"{kind} {c}/{t}" for kind, (c, t) in self.by_kind().items())
        lines.append(f"coverage: {self.covered}/{self.total} ({self.percent:.1f}%){': ' + parts if parts else ''}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# -- the inventory --------------------------------------------------------------------------------------------

def inventory(cluster: Cluster) -> list[Item]:
    store = cluster.server.store
    bootstrap = {(o.get("kind"), (o.get("metadata") or {}).get("namespace", ""), (o.get("metadata") or {}).get("name"))
                 for o in bootstrap_rbac(cluster.policies)}

    def own(obj: dict) -> bool:
        meta = obj.get("metadata") or {}
        return (obj.get("kind"), meta.get("namespace", ""), meta.get("name")) not in bootstrap

    items: list[Item] = []
    for resource, kind in (("roles", "Role"), ("clusterroles", "ClusterRole")):
        for role in store.list(RBAC_GROUP, resource):
            role.setdefault("kind", kind)
            if not own(role) or role.get("aggregationRule"):
                continue  # an aggregated role's rules are other roles' rules
            key = role_key(kind, (role.get("metadata") or {}).get("namespace", ""), role["metadata"]["name"])
            for index, rule in enumerate(role.get("rules") or [], 1):
                items.append(Item("rule", key, index, _rule_text(rule)))
    for resource, kind in (("rolebindings", "RoleBinding"), ("clusterrolebindings", "ClusterRoleBinding")):
        for binding in store.list(RBAC_GROUP, resource):
            binding.setdefault("kind", kind)
            if not own(binding):
                continue
            meta = binding.get("metadata") or {}
            ref = binding.get("roleRef") or {}
            subjects = ", ".join(f"{s.get('kind')} {s.get('name')}" for s in binding.get("subjects") or [])
            items.append(Item("binding", binding_key(kind, meta.get("namespace", ""), meta.get("name", "")),
                              detail=f"{ref.get('kind')} {ref.get('name')} to {subjects or 'nobody'}"))
    for resource, kind in (("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding"),
                           ("mutatingadmissionpolicybindings", "MutatingAdmissionPolicyBinding")):
        try:
            bindings = store.list(ADMISSION_GROUP, resource)
        except Exception:  # a resource this server does not serve
            bindings = []
        for binding in bindings:
            spec = binding.get("spec") or {}
            items.append(Item("admission policy binding", f"{kind} {binding['metadata']['name']}",
                              detail=f"policy {spec.get('policyName', '')}"))
    for namespace in store.list("", "namespaces"):
        labels = (namespace.get("metadata") or {}).get("labels") or {}
        modes = {k[len(_PSA_LABEL):]: v for k, v in labels.items()
                 if k.startswith(_PSA_LABEL) and not k.endswith("-version")}
        if any(v != "privileged" for v in modes.values()):
            items.append(Item("PodSecurity namespace", f"PodSecurity {namespace['metadata']['name']}",
                              detail=", ".join(f"{m}={v}" for m, v in sorted(modes.items()))))
    return items


def aggregated_rule_sources(cluster: Cluster) -> dict[str, set[str]]:
    """For each rule of an aggregated ClusterRole, the equal rules of the ClusterRoles its selectors pick, directly
    or through other aggregated roles: RBAC names the aggregate's rule, the author wrote the component's."""
    from kauth.api.labels import selector_from_label_selector

    roles = {r["metadata"]["name"]: r for r in cluster.server.store.list(RBAC_GROUP, "clusterroles")}

    def picked(name: str) -> set[str]:
        out: set[str] = set()
        for selector in (roles[name].get("aggregationRule") or {}).get("clusterRoleSelectors") or []:
            selects = selector_from_label_selector(selector if isinstance(selector, dict) else {})
            out.update(other for other, role in roles.items()
                       if other != name and selects((role.get("metadata") or {}).get("labels") or {}))
        return out

    aliases: dict[str, set[str]] = {}
    for name, role in roles.items():
        if not role.get("aggregationRule"):
            continue
        components, pending = set(), [name]
        while pending:  # through aggregates of aggregates, cycles included
            for other in picked(pending.pop()):
                if other not in components and other != name:
                    components.add(other)
                    pending.append(other)
        leaves = [roles[c] for c in sorted(components) if not roles[c].get("aggregationRule")]
        for index, rule in enumerate(role.get("rules") or [], 1):
            sources = {f"{role_key('ClusterRole', '', leaf['metadata']['name'])} rule {j}"
                       for leaf in leaves for j, other in enumerate(leaf.get("rules") or [], 1) if other == rule}
            if sources:
                aliases[f"{role_key('ClusterRole', '', name)} rule {index}"] = sources
    return aliases


def role_key(kind: str, namespace: str, name: str) -> str:
    return f"Role {namespace}/{name}" if kind == "Role" else f"ClusterRole {name}"


def binding_key(kind: str, namespace: str, name: str) -> str:
    return f"RoleBinding {namespace}/{name}" if kind == "RoleBinding" else f"ClusterRoleBinding {name}"


def _rule_text(rule: dict) -> str:
    parts = []
    for key in ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"):
        if rule.get(key):
            parts.append(f"{key} [{','.join(map(str, rule[key]))}]")
    return "; ".join(parts)


# -- what a response exercised ----------------------------------------------------------------------------------

def exercised(response: Response) -> set[str]:
    """The ids of the inventory items the trace of one response shows at work."""
    out: set[str] = set()
    request = response.request
    namespace = request.namespace or (request.name if request.resource == "namespaces" else "")
    for step in response.trace:
        _walk(step, out, namespace)
    return out


def _walk(step: TraceStep, out: set[str], namespace: str) -> None:
    match = _ALLOWED_BY.search(step.message) if step.outcome in ("allowed", "matched") else None
    if match is not None:
        binding_kind, binding_name, role_kind, role_name = match.groups()
        binding_ns = ""
        if binding_kind == "RoleBinding":
            binding_name, _, binding_ns = binding_name.rpartition("/")
        out.add(binding_key(binding_kind, binding_ns, binding_name))
        for child in step.children:
            rule = _RULE.match(child.message) if child.stage == "rule" else None
            if rule is not None:
                index, kind, name = rule.groups()
                out.add(f"{role_key(kind, binding_ns, name)} rule {index}")
    if step.stage == "ValidatingAdmissionPolicy":
        for policy_binding in _VAP_DENIED.findall(step.message):
            out.add(f"ValidatingAdmissionPolicyBinding {policy_binding[1]}")
        if step.outcome != "rejected":
            for _policy, binding in _VAP_NOTE.findall(step.message):
                out.add(f"ValidatingAdmissionPolicyBinding {binding}")
        for warning in (step.details or {}).get("warnings", []):
            for policy_binding in _VAP_DENIED.findall(warning):
                out.add(f"ValidatingAdmissionPolicyBinding {policy_binding[1]}")
    if step.stage == "MutatingAdmissionPolicy":
        for _policy, binding in _MAP.findall(step.message):
            out.add(f"MutatingAdmissionPolicyBinding {binding}")
    if step.stage == "PodSecurity" and step.outcome not in ("skipped", "not simulated") and namespace:
        out.add(f"PodSecurity {namespace}")
    for child in step.children:
        _walk(child, out, namespace)
