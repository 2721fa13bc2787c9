"""The RBAC authorizer: kube-apiserver's semantics, decided by casbin, kept in sync with the stored objects.

Upstream (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/registry/rbac/validation/rule.go) visits
every ClusterRoleBinding, then every RoleBinding of the request's namespace, and within each
binding that applies to the user, the bound role's rules; the first rule that allows decides and
names the binding in its reason. Its listers return bindings in a Go map's order; kauth visits them
sorted by name, so the reason is the same on every run.

The decision is casbin's: the model (policies/rbac_model.conf) holds one policy line per role rule
and one role link per binding subject, and its matcher, with Kubernetes' matching functions, decides
each (binding, rule) it is asked about. Asking about every line would cost a second per decision at
10,000 bindings (pycasbin scans its whole policy), so an index keyed by (subject, namespace, apiGroup,
resource) proposes the few lines that could match, in upstream's visiting order; the index never
grants, it only narrows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from kauth.api import errors
from kauth.authn.user import UserInfo
from kauth.authz import rules as match
from kauth.authz.authorizer import Attributes, Decision
from kauth.store.base import Key, Store

if TYPE_CHECKING:
    from kauth.authz.enforcer import RBACEnforcer

GROUP = "rbac.authorization.k8s.io"
CLUSTER = "*"  # the domain of ClusterRoleBindings: their grants hold in every namespace
SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"
NON_RESOURCE = ("", "/")  # index key of rules with nonResourceURLs (no resource is named "/")
RBAC_RESOURCES = ("clusterroles", "roles", "clusterrolebindings", "rolebindings")


def user_subject(name: str) -> str:
    return "user:" + name


def group_subject(name: str) -> str:
    return "group:" + name


def role_key(kind: str, namespace: str, name: str) -> str:
    return f"Role:{namespace}/{name}" if kind == "Role" else f"{kind}:{name}"


# -- the policy derived from the stored objects -------------------------------------------------

@dataclass(frozen=True)
class Subject:
    key: str  # user:<name> or group:<name>
    described: str  # as upstream's reason shows it: Group "dev", ServiceAccount "ci/dev"


@dataclass(frozen=True)
class Binding:
    kind: str  # ClusterRoleBinding or RoleBinding
    namespace: str
    name: str
    role_kind: str
    role_name: str
    subjects: tuple[Subject, ...]

    @property
    def domain(self) -> str:
        return self.namespace or CLUSTER

    @property
    def role(self) -> str:
        return role_key(self.role_kind, self.namespace, self.role_name)

    @property
    def order(self) -> tuple[int, str]:
        return (0 if self.kind == "ClusterRoleBinding" else 1, self.name)

    def describe(self, subject: Subject) -> str:
        name = self.name if self.kind == "ClusterRoleBinding" else f"{self.name}/{self.namespace}"
        q = errors.go_quote
        return f"{self.kind} {q(name)} of {self.role_kind} {q(self.role_name)} to {subject.described}"

    def missing_role(self) -> str:
        """The error upstream's role getters give when the bound role does not exist."""
        if self.role_kind in ("ClusterRole", "Role"):
            return errors.not_found(GROUP, self.role_kind.lower(), self.role_name).message
        return f"unsupported role reference kind: {errors.go_quote(self.role_kind)}"


def binding_from(obj: dict) -> Binding:
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace", "") if obj.get("kind") == "RoleBinding" else ""
    ref = obj.get("roleRef") or {}
    subjects = []
    for s in obj.get("subjects") or []:
        if not isinstance(s, dict):
            continue
        kind, name = s.get("kind", ""), s.get("name", "")
        if kind == "User":
            subjects.append(Subject(user_subject(name), f"User {errors.go_quote(name)}"))
        elif kind == "Group":
            subjects.append(Subject(group_subject(name), f"Group {errors.go_quote(name)}"))
        elif kind == "ServiceAccount":
            sa_namespace = s.get("namespace") or namespace
            described = f"ServiceAccount {errors.go_quote(name + '/' + sa_namespace)}"
            if sa_namespace:  # in a ClusterRoleBinding, no namespace matches nobody
                subjects.append(Subject(user_subject(f"{SERVICE_ACCOUNT_PREFIX}{sa_namespace}:{name}"), described))
    return Binding(obj.get("kind", ""), namespace, meta.get("name", ""), ref.get("kind", ""), ref.get("name", ""),
                   tuple(subjects))


@dataclass(frozen=True)
class Candidate:
    """One rule of one binding's role: what the index proposes and the matcher decides."""

    order: tuple[int, str, int]  # upstream's visiting order
    binding: Binding
    rule: int
    line: list[str]


def rule_lines(role: str, rules: object) -> list[list[str]]:
    out = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        rule = rule if isinstance(rule, dict) else {}
        out.append([role, str(i), *(match.encode(rule.get(f)) for f in
                                    ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"))])
    return out


def index_keys(line: list[str]) -> set[tuple[str, str]]:
    """The (apiGroup, resource) keys a rule answers to; the matcher checks everything else."""
    _, _, _, groups, resources_, _, urls = line
    keys = {(g, r) for g in match.values(groups) for r in match.values(resources_)}
    if match.values(urls):
        keys.add(NON_RESOURCE)
    return keys


class RBACPolicy:
    """The RBAC objects of one state as a casbin policy plus the candidate index."""

    def __init__(self, enforcer: "RBACEnforcer | None" = None) -> None:
        from kauth.authz.enforcer import RBACEnforcer  # casbin takes 0.1 s to import: only when RBAC is asked

        self.enforcer = enforcer or RBACEnforcer()
        self.rules: dict[str, list] = {}  # role key -> its rules (only roles that exist)
        self.lines: dict[str, list[list[str]]] = {}
        self.bindings: dict[str, Binding] = {}  # binding key -> binding
        self.by_role: dict[str, dict[str, None]] = {}  # role key -> keys of the bindings that name it
        self.links: Counter[tuple[str, str, str]] = Counter()
        # (subject, domain) -> (apiGroup, resource) -> {(binding key, rule): Candidate}
        self.index: dict[tuple[str, str], dict[tuple[str, str], dict[tuple[str, int], Candidate]]] = {}
        # (subject, domain) -> keys of applying bindings whose role is missing
        self.dangling: dict[tuple[str, str], dict[str, None]] = {}

    @classmethod
    def from_objects(cls, objects: Iterable[dict], enforcer: "RBACEnforcer | None" = None) -> "RBACPolicy":
        policy = cls(enforcer)
        bindings = []
        for obj in objects:
            kind = obj.get("kind")
            if kind in ("ClusterRole", "Role"):
                policy.set_role(kind, (obj.get("metadata") or {}).get("namespace", ""),
                                (obj.get("metadata") or {}).get("name", ""), obj)
            elif kind in ("ClusterRoleBinding", "RoleBinding"):
                bindings.append(obj)
        for obj in bindings:  # after the roles, so each binding is indexed once
            policy.set_binding(binding_key_of(obj), obj)
        return policy

    # -- changes --------------------------------------------------------------------------------

    def set_role(self, kind: str, namespace: str, name: str, obj: dict | None) -> None:
        key = role_key(kind, namespace if kind == "Role" else "", name)
        bound = [self.bindings[b] for b in self.by_role.get(key, ())]
        for binding in bound:
            self._unindex(binding)
        self.enforcer.remove_lines(self.lines.pop(key, []))
        self.rules.pop(key, None)
        if obj is not None:
            self.rules[key] = obj.get("rules") or []
            self.lines[key] = rule_lines(key, self.rules[key])
            self.enforcer.add_lines(self.lines[key])
        for binding in bound:
            self._index(binding)

    def set_binding(self, key: str, obj: dict | None) -> None:
        old = self.bindings.pop(key, None)
        if old is not None:
            self._unindex(old)
            self.by_role[old.role].pop(key, None)
            for subject in old.subjects:
                self._unlink(subject.key, old.role, old.domain)
        if obj is None:
            return
        binding = binding_from(obj)
        self.bindings[key] = binding
        self.by_role.setdefault(binding.role, {})[key] = None
        for subject in binding.subjects:
            self._link(subject.key, binding.role, binding.domain)
        self._index(binding)

    def _link(self, subject: str, role: str, domain: str) -> None:
        link = (subject, role, domain)
        self.links[link] += 1
        if self.links[link] == 1:
            self.enforcer.add_link(*link)

    def _unlink(self, subject: str, role: str, domain: str) -> None:
        link = (subject, role, domain)
        self.links[link] -= 1
        if self.links[link] == 0:
            del self.links[link]
            self.enforcer.remove_link(*link)

    def _index(self, binding: Binding) -> None:
        key = binding_key(binding)
        lines = self.lines.get(binding.role)  # None: the role does not exist
        for subject in {s.key for s in binding.subjects}:
            where = (subject, binding.domain)
            if lines is None:
                self.dangling.setdefault(where, {})[key] = None
                continue
            entries = self.index.setdefault(where, {})
            for i, line in enumerate(lines):
                candidate = Candidate((*binding.order, i), binding, i, line)
                for index_key in index_keys(line):
                    entries.setdefault(index_key, {})[(key, i)] = candidate

    def _unindex(self, binding: Binding) -> None:
        key = binding_key(binding)
        for subject in {s.key for s in binding.subjects}:
            where = (subject, binding.domain)
            if key in self.dangling.get(where, {}):
                del self.dangling[where][key]
                if not self.dangling[where]:
                    del self.dangling[where]
            entries = self.index.get(where)
            if entries is None:
                continue
            for i, line in enumerate(self.lines.get(binding.role, ())):
                for index_key in index_keys(line):
                    bucket = entries.get(index_key)
                    if bucket is not None and bucket.pop((key, i), None) is not None and not bucket:
                        del entries[index_key]
            if not entries:
                del self.index[where]

    # -- decisions ------------------------------------------------------------------------------

    def candidates(self, attributes: Attributes, subjects: list[str]) -> list[Candidate]:
        """Every (binding, rule) that could allow the request, in upstream's visiting order."""
        a = attributes
        domains = (CLUSTER, a.namespace) if a.resource_request and a.namespace else (CLUSTER,)
        if a.resource_request:
            combined = f"{a.resource}/{a.subresource}" if a.subresource else a.resource
            names = (match.ALL, combined, "*/" + a.subresource) if a.subresource else (match.ALL, combined)
            keys = [(g, r) for g in (a.group, match.ALL) for r in names]
        else:
            keys = [NON_RESOURCE]
        found: dict[tuple[str, int], Candidate] = {}
        index = self.index
        for domain in domains:
            for subject in subjects:
                entries = index.get((subject, domain))
                if entries is None:
                    continue
                for key in keys:
                    bucket = entries.get(key)
                    if bucket:
                        found.update(bucket)
        return sorted(found.values(), key=lambda c: c.order) if len(found) > 1 else list(found.values())

    def authorize(self, attributes: Attributes) -> Decision:
        a = attributes
        subjects = request_subjects(a.user)
        held = set(subjects)
        path = "" if a.resource_request else (a.path or "/")
        matches = self.enforcer.matches
        for candidate in self.candidates(a, subjects):
            binding = candidate.binding
            subject = next(s for s in binding.subjects if s.key in held)
            if matches(subject.key, binding.domain, a.verb, a.group, a.resource, a.subresource, a.name, path,
                       *candidate.line):
                return Decision(True, f"RBAC: allowed by {binding.describe(subject)}", RBACAuthorizer.name,
                                describe_rule(binding, candidate.rule, self.rules.get(binding.role, [])))
        return Decision(None, self._deny_reason(a, subjects), RBACAuthorizer.name,
                        "no RoleBinding or ClusterRoleBinding grants this to the user or any of its groups")

    def _deny_reason(self, a: Attributes, subjects: list[str]) -> str:
        """Upstream's reason for no opinion: the bound roles it could not find, aggregated as Go's errors are."""
        domains = (CLUSTER, a.namespace) if a.resource_request and a.namespace else (CLUSTER,)
        keys: dict[str, None] = {}
        for domain in domains:
            for subject in subjects:
                keys.update(self.dangling.get((subject, domain), {}))
        if not keys:
            return ""
        bindings = sorted((self.bindings[k] for k in keys), key=lambda b: b.order)
        return "RBAC: " + errors.aggregate(b.missing_role() for b in bindings)


def request_subjects(user: UserInfo) -> list[str]:
    return [user_subject(user.name), *(group_subject(g) for g in user.groups)]


def binding_key(binding: Binding) -> str:
    return f"{binding.kind}:{binding.namespace}/{binding.name}"


def binding_key_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace", "") if obj.get("kind") == "RoleBinding" else ""
    return f"{obj.get('kind')}:{namespace}/{meta.get('name', '')}"


def describe_rule(binding: Binding, index: int, role_rules: list) -> str:
    rule = role_rules[index] if index < len(role_rules) and isinstance(role_rules[index], dict) else {}
    parts = [f"{field} {rule[field]}" for field in ("verbs", "apiGroups", "resources", "resourceNames",
                                                   "nonResourceURLs") if rule.get(field)]
    return f'rule {index + 1} of {binding.role_kind} "{binding.role_name}": ' + "; ".join(parts)


# -- the authorizer: an informer over the store ----------------------------------------------------

class RBACAuthorizer:
    """authorizer.Authorizer over the RBAC objects of a store, re-listing only when it missed a write.

    The policy is built on the first question (a privileged user never needs it), then kept in step
    by the store's write events; an event whose revision does not follow the last one seen (a write
    made around the pipeline, another process) makes the next question re-list.
    """

    name = "RBAC"

    def __init__(self, store: Store) -> None:
        self.store = store
        self._policy: RBACPolicy | None = None
        self._revision = -1
        if hasattr(store, "watch"):
            store.watch(self._observe)

    def policy(self) -> RBACPolicy:
        revision = self.store.revision()
        if self._policy is None or revision != self._revision:
            objects = [o for r in RBAC_RESOURCES for o in self.store.list(GROUP, r)]
            self._policy = RBACPolicy.from_objects(objects)
            self._revision = revision
        return self._policy

    def _observe(self, key: Key, obj: dict | None, revision: int) -> None:
        if self._policy is None:
            return
        if revision != self._revision + 1:
            self._policy = None  # a gap: re-list at the next question
            return
        self._revision = revision
        if key.group != GROUP:
            return
        if key.resource in ("clusterroles", "roles"):
            kind = "ClusterRole" if key.resource == "clusterroles" else "Role"
            self._policy.set_role(kind, key.namespace, key.name, obj)
        elif key.resource in ("clusterrolebindings", "rolebindings"):
            kind = "ClusterRoleBinding" if key.resource == "clusterrolebindings" else "RoleBinding"
            self._policy.set_binding(f"{kind}:{key.namespace}/{key.name}", obj)

    def authorize(self, attributes: Attributes) -> Decision:
        return self.policy().authorize(attributes)
