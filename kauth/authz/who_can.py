"""who-can: every subject a request would be allowed for, with the binding and role that grant it.

The offline counterpart of kubectl-who-can: it reads the same RBAC policy the authorizer decides with,
asks casbin's matcher about each rule, and lists the bindings of the roles whose rules allow the
request. system:masters is listed too: kube-apiserver allows it before RBAC runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from kauth.authn.user import MASTERS
from kauth.authz import rules
from kauth.authz.authorizer import Attributes
from kauth.authz.rbac import CLUSTER, Binding, RBACPolicy


@dataclass(frozen=True)
class Grant:
    subject_kind: str  # User, Group or ServiceAccount
    subject: str
    subject_namespace: str  # a ServiceAccount's namespace
    binding_kind: str  # ClusterRoleBinding, RoleBinding, or "" for the privileged group
    binding: str
    binding_namespace: str
    role_kind: str
    role: str
    rule: int  # the role's first allowing rule, from 1; 0 for the privileged group

    def to_dict(self) -> dict:
        return {"subject": {"kind": self.subject_kind, "name": self.subject, "namespace": self.subject_namespace},
                "binding": {"kind": self.binding_kind, "name": self.binding, "namespace": self.binding_namespace},
                "role": {"kind": self.role_kind, "name": self.role}, "rule": self.rule}


PRIVILEGED = Grant("Group", MASTERS, "", "", "", "", "", "", 0)


def who_can(policy: RBACPolicy, attributes: Attributes, *, all_namespaces: bool = False) -> list[Grant]:
    """The subjects this request (its user ignored) is allowed for: system:masters first, then each subject of
    each binding whose role allows it, bindings in visiting order. With all_namespaces, RoleBindings in every
    namespace count (each grants in its own)."""
    a = attributes
    path = "" if a.resource_request else (a.path or "/")
    allowing: dict[str, int] = {}  # role -> its first rule that could allow (the matcher confirms below)
    for role, lines in policy.lines.items():
        for i, line in enumerate(lines):
            if _rule_could_allow(line, a, path):
                allowing[role] = i
                break
    wanted = {CLUSTER} | ({a.namespace} if a.resource_request and a.namespace else set())
    found: dict[Binding, None] = {}
    for role in allowing:
        for subject, domain in policy.holders.get(role, ()):
            if domain in wanted or (all_namespaces and a.resource_request and domain != CLUSTER):
                found.update(dict.fromkeys(policy.held[(subject, domain)][role]))
    grants: dict[Grant, None] = {PRIVILEGED: None}
    for binding in sorted(found, key=lambda b: (*b.order, b.namespace)):
        line = policy.lines[binding.role][allowing[binding.role]]
        for subject in binding.subjects:
            # casbin decides, as for a real request from this subject: g links it to the role, the rule allows.
            if not policy.enforcer.matches(subject.key, binding.domain, a.verb, a.group, a.resource, a.subresource,
                                           a.name, path, *line):
                continue
            kind, name, namespace = _subject_fields(subject.described)
            grants[Grant(kind, name, namespace, binding.kind, binding.name, binding.namespace, binding.role_kind,
                         binding.role_name, allowing[binding.role] + 1)] = None
    return list(grants)


def _subject_fields(described: str) -> tuple[str, str, str]:
    """(kind, name, namespace) from upstream's `ServiceAccount "ci/dev"` rendering."""
    import json

    kind, _, quoted = described.partition(" ")
    name = json.loads(quoted) if quoted.startswith('"') else quoted
    if kind == "ServiceAccount":
        name, _, namespace = name.rpartition("/")
        return kind, name, namespace
    return kind, name, ""


def _rule_could_allow(line: list[str], a: Attributes, path: str) -> bool:
    """The rule half of the model's matcher (g needs a subject, and finding the subjects is the question)."""
    return rules.rule_allows(a.verb, a.group, a.resource, a.subresource, a.name, path, *line[2:])
