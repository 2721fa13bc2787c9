"""The RBAC authorizer: kube-apiserver's semantics, decided by casbin, kept in sync with the stored objects.

Upstream (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/registry/rbac/validation/rule.go) visits
every ClusterRoleBinding, then every RoleBinding of the request's namespace, and within each
binding that applies to the user, the bound role's rules; the first rule that allows decides and
names the binding in its reason. Its listers return bindings in a Go map's order; kauth visits them
sorted by name, so the reason is the same on every run.

The decision is casbin's: the model (policies/rbac_model.conf) holds one policy line per role rule
and one role link per binding subject, and its matcher, with Kubernetes' matching functions, decides
each (binding, rule) it is asked about. Asking about every line would cost a second per decision at
10,000 bindings (pycasbin scans its whole policy), so indexes (see RBACPolicy) propose the few rules
that could match, in upstream's visiting order; they never grant, they only narrow.
"""

from __future__ import annotations

import heapq
import json
from bisect import insort
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

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
RBAC_RESOURCES = ("clusterroles", "roles", "clusterrolebindings", "rolebindings")


def user_subject(name: str) -> str:
    return "user:" + name


def group_subject(name: str) -> str:
    return "group:" + name


def role_key(kind: str, namespace: str, name: str) -> str:
    return f"Role:{namespace}/{name}" if kind == "Role" else f"{kind}:{name}"


# -- the policy derived from the stored objects -------------------------------------------------

@dataclass(frozen=True, order=True)
class Subject:
    key: str  # user:<name> or group:<name>
    described: str  # as upstream's reason shows it: Group "dev", ServiceAccount "ci/dev"


@dataclass(frozen=True, order=True)
class Binding:
    kind: str  # ClusterRoleBinding or RoleBinding
    namespace: str
    name: str
    role_kind: str
    role_name: str
    subjects: tuple[Subject, ...]
    # Derived once: a decision uses them every time.
    domain: str = field(init=False, compare=False)
    role: str = field(init=False, compare=False)
    source: str = field(init=False, compare=False)  # upstream's describer, up to the subject

    def __post_init__(self) -> None:
        q = errors.go_quote
        name = self.name if self.kind == "ClusterRoleBinding" else f"{self.name}/{self.namespace}"
        object.__setattr__(self, "domain", self.namespace or CLUSTER)
        object.__setattr__(self, "role", role_key(self.role_kind, self.namespace, self.role_name))
        object.__setattr__(self, "source", f"{self.kind} {q(name)} of {self.role_kind} {q(self.role_name)} to ")

    @property
    def order(self) -> tuple[int, str]:
        return (0 if self.kind == "ClusterRoleBinding" else 1, self.name)

    def describe(self, subject: Subject) -> str:
        return self.source + subject.described

    def missing_role(self, registry: bool = False) -> str:
        """The error upstream's role getters give when the bound role does not exist: the authorizer's listers
        name the resource `role`, the registry (escalation checks) `roles`."""
        if self.role_kind in ("ClusterRole", "Role"):
            resource = self.role_kind.lower() + ("s" if registry else "")
            return errors.not_found(GROUP, resource, self.role_name).message
        return f"unsupported role reference kind: {errors.go_quote(self.role_kind)}"


def binding_from(obj: dict) -> Binding:
    meta = obj.get("metadata") or {}
    namespace = str(meta.get("namespace") or "") if obj.get("kind") == "RoleBinding" else ""
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
    subjects = []
    for s in obj.get("subjects") if isinstance(obj.get("subjects"), list) else []:
        if not isinstance(s, dict):
            continue
        # Imported state is not validated: whatever a field holds, it is read as Go reads a string.
        kind, name = str(s.get("kind") or ""), str(s.get("name") or "")
        if kind == "User":
            subjects.append(Subject(user_subject(name), f"User {errors.go_quote(name)}"))
        elif kind == "Group":
            subjects.append(Subject(group_subject(name), f"Group {errors.go_quote(name)}"))
        elif kind == "ServiceAccount":
            sa_namespace = str(s.get("namespace") or "") or namespace
            described = f"ServiceAccount {errors.go_quote(name + '/' + sa_namespace)}"
            if sa_namespace:  # in a ClusterRoleBinding, no namespace matches nobody
                subjects.append(Subject(user_subject(f"{SERVICE_ACCOUNT_PREFIX}{sa_namespace}:{name}"), described))
    return Binding(str(obj.get("kind") or ""), namespace, str(meta.get("name") or ""), str(ref.get("kind") or ""),
                   str(ref.get("name") or ""), tuple(subjects))


def rule_lines(role: str, rules: object) -> list[list[str]]:
    out = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        rule = rule if isinstance(rule, dict) else {}
        out.append([role, str(i), *(match.encode(rule.get(f)) for f in
                                    ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"))])
    return out


# An index key is (verb, apiGroup, resource) as a rule spells them; its shape says which of them are wildcards,
# so a request probes only the shapes some rule has: (verb is "*", group is "*", resource form).
EXACT, ALL_RESOURCES, ANY_PARENT, URL = "exact", "*", "*/sub", "url"


def index_keys(line: list[str]) -> set[tuple[str, str, str]]:
    """The keys a rule is filed under; the matcher checks everything else (names, URL prefixes)."""
    _, _, verbs, groups, resources_, _, urls = line
    keys = {(v, g, r) for v in match.values(verbs) for g in match.values(groups) for r in match.values(resources_)}
    if match.values(urls):
        keys.update((v, "", "/") for v in match.values(verbs))  # no resource is named "/"
    return keys


def shape(key: tuple[str, str, str]) -> tuple[bool, bool, str]:
    verb, group, resource = key
    if resource == "/":
        return verb == match.ALL, False, URL
    form = ALL_RESOURCES if resource == match.ALL else ANY_PARENT if resource.startswith("*/") else EXACT
    return verb == match.ALL, group == match.ALL, form


# A role filed under more keys than this is not merged into each (subject, domain) it is linked to (admin, edit
# and view span hundreds); the request probes its own index instead. Few roles are that large.
MERGE_LIMIT = 32
LARGE = None  # the key, among a (subject, domain)'s merged keys, of the large roles it holds


class RBACPolicy:
    """The RBAC objects of one state as a casbin policy, plus indexes that propose what casbin decides.

    - held: (subject, domain) -> role -> the bindings linking them, sorted by name: casbin's g links, with the
      bindings that made them.
    - role_keys: role -> (verb, apiGroup, resource) -> indices of its rules filed under that key.
    - merged: (subject, domain) -> key -> (binding name, rule, binding) for the rules filed under the key of
      every role held there, sorted, with the role's first binding there; only for roles with at most
      MERGE_LIMIT keys: larger roles are listed under the key LARGE and probed through role_keys.
    A request looks up, for each of its subjects and domains, the keys its shape could be filed under (only
    the shapes some rule has), and asks casbin about the rules found, in upstream's visiting order: cost
    follows the request's own bindings, not the size of the policy.
    """

    def __init__(self, enforcer: "RBACEnforcer | None" = None) -> None:
        from kauth.authz.enforcer import RBACEnforcer  # casbin takes 0.1 s to import: only when RBAC is asked

        self.enforcer = enforcer or RBACEnforcer()
        self.rules: dict[str, list] = {}  # role key -> its rules (only roles that exist)
        self.lines: dict[str, list[list[str]]] = {}
        self.explained: dict[str, list[str]] = {}  # role -> each rule described, for --explain
        self.role_keys: dict[str, dict[tuple[str, str, str], list[int]]] = {}
        self.shapes: Counter[tuple[bool, bool, str]] = Counter()
        self.bindings: dict[str, Binding] = {}  # binding key -> binding
        self.held: dict[tuple[str, str], dict[str, list[Binding]]] = {}
        self.holders: dict[str, dict[tuple[str, str], None]] = {}  # role -> the (subject, domain) holding it
        self.merged: dict[tuple[str, str], dict] = {}
        # Read by several authorizers (a state and its copies): none may change it; a write rebuilds instead.
        self.shared = False

    @classmethod
    def from_objects(cls, objects: Iterable[dict], enforcer: "RBACEnforcer | None" = None) -> "RBACPolicy":
        policy = cls(enforcer)
        bindings = []
        for obj in objects:
            kind, meta = obj.get("kind"), obj.get("metadata") or {}
            if kind in ("ClusterRole", "Role"):
                policy.set_role(kind, meta.get("namespace", ""), meta.get("name", ""), obj)
            elif kind in ("ClusterRoleBinding", "RoleBinding"):
                bindings.append(obj)
        for obj in bindings:  # after the roles: each link is filed once
            policy.set_binding(binding_key_of(obj), obj)
        return policy

    # -- changes --------------------------------------------------------------------------------

    def set_role(self, kind: str, namespace: str, name: str, obj: dict | None) -> None:
        key = role_key(kind, namespace if kind == "Role" else "", name)
        holders = list(self.holders.get(key, ()))
        for where in holders:
            self._unfile(where, key)
        self.enforcer.remove_lines(self.lines.pop(key, []))
        for index_key in self.role_keys.pop(key, {}):
            self.shapes[shape(index_key)] -= 1
        self.shapes = +self.shapes  # drop the shapes no rule has any more
        self.rules.pop(key, None)
        self.explained.pop(key, None)
        if obj is not None:
            self.rules[key] = obj.get("rules") or []
            self.lines[key] = lines = rule_lines(key, self.rules[key])
            self.explained[key] = describe_rules(key, lines)
            self.enforcer.add_lines(lines)
            keys: dict[tuple[str, str, str], list[int]] = {}
            for i, line in enumerate(lines):
                for index_key in index_keys(line):
                    keys.setdefault(index_key, []).append(i)
            self.role_keys[key] = keys
            for index_key in keys:
                self.shapes[shape(index_key)] += 1
        for where in holders:
            self._file(where, key)

    def set_binding(self, key: str, obj: dict | None) -> None:
        old = self.bindings.pop(key, None)
        if old is not None:
            for subject in {s.key for s in old.subjects}:
                where = (subject, old.domain)
                held = self.held[where][old.role]
                self._unfile(where, old.role)
                held.remove(old)
                if held:
                    self._file(where, old.role)
                    continue
                del self.held[where][old.role]
                if not self.held[where]:
                    del self.held[where]
                del self.holders[old.role][where]
                if not self.holders[old.role]:
                    del self.holders[old.role]
                self.enforcer.remove_link(subject, old.role, old.domain)
        if obj is None:
            return
        binding = binding_from(obj)
        self.bindings[key] = binding
        for subject in {s.key for s in binding.subjects}:
            where = (subject, binding.domain)
            held = self.held.setdefault(where, {}).setdefault(binding.role, [])
            if not held:
                self.enforcer.add_link(subject, binding.role, binding.domain)
                self.holders.setdefault(binding.role, {})[where] = None
            else:
                self._unfile(where, binding.role)
            insort(held, binding, key=lambda b: b.name)
            self._file(where, binding.role)

    def _file(self, where: tuple[str, str], role: str) -> None:
        """Propose the role's rules to requests from `where`, as rules of its first binding there."""
        keys = self.role_keys.get(role)
        if not keys:
            return  # a missing role (only an error to report on denial) or one without rules: nothing to propose
        merged = self.merged.setdefault(where, {})
        if len(keys) > MERGE_LIMIT:
            merged.setdefault(LARGE, {})[role] = None
            return
        first = self.held[where][role][0]
        for index_key, indices in keys.items():
            proposed = merged.setdefault(index_key, [])
            for i in indices:
                insort(proposed, (first.name, i, first))

    def _unfile(self, where: tuple[str, str], role: str) -> None:
        keys = self.role_keys.get(role)
        if not keys:
            return  # a missing role or one without rules: nothing was filed
        merged = self.merged[where]
        for index_key in (LARGE,) if len(keys) > MERGE_LIMIT else keys:
            kept = [c for c in merged[index_key] if c[2].role != role] if index_key is not LARGE else \
                {r: None for r in merged[LARGE] if r != role}
            if kept:
                merged[index_key] = kept
            else:
                del merged[index_key]
        if not merged:
            del self.merged[where]

    # -- decisions ------------------------------------------------------------------------------

    def candidates(self, a: Attributes, subjects: list[str]) -> list[tuple[Binding, int]]:
        """Every (binding, rule) that could allow the request, in upstream's visiting order."""
        probes = self.probes(a)
        return [(binding, i) for domain in domains_of(a)
                for _, i, binding in heapq.merge(*self.proposals(domain, subjects, probes))]

    def probes(self, a: Attributes) -> list[tuple[str, str, str]]:
        """The keys under which a rule that could allow the request is filed (one per shape some rule has)."""
        out = []
        for verb_all, group_all, form in self.shapes:
            verb = match.ALL if verb_all else a.verb
            if not a.resource_request:
                if form == URL:
                    out.append((verb, "", "/"))
                continue
            group = match.ALL if group_all else a.group
            if form == EXACT:
                out.append((verb, group, a.resource + "/" + a.subresource if a.subresource else a.resource))
            elif form == ALL_RESOURCES:
                out.append((verb, group, match.ALL))
            elif form == ANY_PARENT and a.subresource:
                out.append((verb, group, "*/" + a.subresource))
        return out

    def proposals(self, domain: str, subjects: list[str], probes: list) -> list[list[tuple[str, int, Binding]]]:
        """Sorted lists of (binding name, rule, binding) in one domain: merged, they are the candidates in
        visiting order; the smallest head is the first."""
        lists = []
        for subject in subjects:
            where = (subject, domain)
            merged = self.merged.get(where)
            if merged is None:
                continue
            for probe in probes:
                proposed = merged.get(probe)
                if proposed is not None:
                    lists.append(proposed)
            large = merged.get(LARGE)
            if large is not None:
                held = self.held[where]
                for role in large:
                    first = held[role][0]
                    keys = self.role_keys[role]
                    for probe in probes:
                        indices = keys.get(probe)
                        if indices is not None:
                            lists.append([(first.name, i, first) for i in indices])
        return lists

    def authorize(self, attributes: Attributes) -> Decision:
        a = attributes
        subjects = request_subjects(a.user)
        path = "" if a.resource_request else (a.path or "/")
        probes = self.probes(a)
        matches, lines = self.enforcer.matches, self.lines
        for domain in domains_of(a):  # ClusterRoleBindings first: an allow there ends the visit
            lists = self.proposals(domain, subjects, probes)
            if not lists:
                continue
            if len(lists) == 1:
                candidates: Iterable[tuple[str, int, Binding]] = lists[0]
            else:  # the earliest candidate usually decides: merge the lists only if it does not
                candidates = _first_then_the_rest(lists)
            for _, rule, binding in candidates:
                # The first subject that applies names the subject, as appliesTo; one subject must be the one.
                subject = binding.subjects[0] if len(binding.subjects) == 1 else \
                    next(s for s in binding.subjects if s.key in subjects)
                if matches(subject.key, domain, a.verb, a.group, a.resource, a.subresource, a.name, path,
                           *lines[binding.role][rule]):
                    return Decision(True, "RBAC: allowed by " + binding.source + subject.described,
                                    RBACAuthorizer.name, self.explained[binding.role][rule])
        return Decision(None, self._deny_reason(a, subjects), RBACAuthorizer.name,
                        "no RoleBinding or ClusterRoleBinding grants this to the user or any of its groups")

    def applying(self, subjects: list[str], domain: str) -> dict[Binding, None]:
        """The bindings of one domain that name any of these subjects (each once, in no particular order)."""
        found: dict[Binding, None] = {}
        for subject in subjects:
            for bindings in (self.held.get((subject, domain)) or {}).values():
                found.update(dict.fromkeys(bindings))
        return found

    def rules_for(self, user: UserInfo, namespace: str) -> tuple[list[dict], list[Binding]]:
        """RulesFor: the rules of every binding that applies to the user (the ClusterRoleBindings, then the
        namespace's RoleBindings), and the applying bindings whose role is missing."""
        subjects = request_subjects(user)
        rules: list[dict] = []
        missing: list[Binding] = []
        for domain in (CLUSTER, namespace) if namespace else (CLUSTER,):
            for binding in sorted(self.applying(subjects, domain), key=lambda b: b.name):
                role_rules = self.rules.get(binding.role)
                if role_rules is None:
                    missing.append(binding)
                else:
                    rules.extend(r for r in role_rules if isinstance(r, dict))
        return rules, missing

    def near_misses(self, a: Attributes, limit: int = 5) -> list[str]:
        """For --explain on a denial: the rules the user holds that came closest, each with what did not match
        (verb, apiGroup, resource, name, URL), and rules that would allow but are bound in another namespace."""
        subjects = request_subjects(a.user)
        mine = set(subjects)
        scored: list[tuple[int, int, str, int, str]] = []
        for rank, domain in enumerate(domains_of(a)):
            for binding in self.applying(subjects, domain):
                for i, rule in enumerate(self.rules.get(binding.role) or []):
                    misses = mismatches(rule if isinstance(rule, dict) else {}, a)
                    if misses:
                        # A rule of the other kind (URLs for a resource request) is the farthest miss.
                        distance = len(misses) + 2 * any(m.startswith("the rule names") for m in misses)
                        scored.append((distance, rank, binding.name, i,
                                       f"{_describe_for(binding, mine)}, rule {i + 1}: " + "; ".join(misses)))
        if a.resource_request:
            for (subject, domain), roles in self.held.items():
                if subject not in mine or domain in domains_of(a):
                    continue
                for role, bindings in roles.items():
                    for i, rule in enumerate(self.rules.get(role) or []):
                        if isinstance(rule, dict) and not mismatches(rule, a):
                            where = (f'it is granted in namespace "{domain}" only, not in "{a.namespace}"'
                                     if a.namespace else f'it is granted in namespace "{domain}" only; a RoleBinding '
                                     "never grants a cluster-scoped request")
                            scored.append((1, 2, bindings[0].name, i,
                                           f"{_describe_for(bindings[0], mine)}, rule {i + 1}: {where}"))
        scored.sort()
        return [line for *_, line in dict.fromkeys(scored)][:limit]

    def _deny_reason(self, a: Attributes, subjects: list[str]) -> str:
        """Upstream's reason for no opinion: the bound roles it could not find, aggregated as Go's errors are."""
        dangling: dict[Binding, None] = {}
        for domain in domains_of(a):
            for subject in subjects:
                held = self.held.get((subject, domain))
                if held:
                    for role in held.keys() - self.rules.keys():
                        dangling.update(dict.fromkeys(held[role]))
        if not dangling:
            return ""
        bindings = sorted(dangling, key=lambda b: b.order)
        return "RBAC: " + errors.aggregate(b.missing_role() for b in bindings)


def _first_then_the_rest(lists: list[list[tuple[str, int, Binding]]]) -> Iterator[tuple[str, int, Binding]]:
    """The smallest head first, without merging; the merge of all the lists only if that one does not allow."""
    first = min(lists)[0]
    yield first
    for candidate in heapq.merge(*lists):
        if candidate != first:
            yield candidate


def _describe_for(binding: Binding, held: set[str]) -> str:
    subject = next((s for s in binding.subjects if s.key in held), binding.subjects[0])
    return binding.describe(subject)


def mismatches(rule: dict, a: Attributes) -> list[str]:
    """What keeps one rule from allowing a request, field by field (empty: it allows)."""
    def listed(field: str) -> list[str]:
        value = rule.get(field)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def shown(values: list[str]) -> str:
        return json.dumps(values, ensure_ascii=False)

    out = []
    verbs = listed("verbs")
    if match.ALL not in verbs and a.verb not in verbs:
        out.append(f"verb {errors.go_quote(a.verb)} is not in verbs {shown(verbs)}")
    if not a.resource_request:
        urls = listed("nonResourceURLs")
        if not urls:
            out.append("the rule names resources, not non-resource URLs")
        elif not match.url_in(a.path, urls):
            out.append(f"path {errors.go_quote(a.path)} is not matched by nonResourceURLs {shown(urls)}")
        return out
    groups, resources_, names = listed("apiGroups"), listed("resources"), listed("resourceNames")
    if not resources_:
        return out + ["the rule names non-resource URLs, not resources"]
    if match.ALL not in groups and a.group not in groups:
        out.append(f"apiGroup {errors.go_quote(a.group)} is not in apiGroups {shown(groups)}")
    combined = f"{a.resource}/{a.subresource}" if a.subresource else a.resource
    if not match.resource_in(a.resource, a.subresource, resources_):
        out.append(f"resource {errors.go_quote(combined)} is not in resources {shown(resources_)}")
    if names and a.name not in names:
        out.append(f"resourceNames {shown(names)} never match a request without a name (create, a plain list)"
                   if not a.name else f"name {errors.go_quote(a.name)} is not in resourceNames {shown(names)}")
    return out


def domains_of(a: Attributes) -> tuple[str, ...]:
    """Upstream visits the ClusterRoleBindings, then (for a request in a namespace) that namespace's RoleBindings."""
    return (CLUSTER, a.namespace) if a.resource_request and a.namespace else (CLUSTER,)


def request_subjects(user: UserInfo) -> list[str]:
    return ["user:" + user.name, *["group:" + g for g in user.groups]]  # user_subject, group_subject, inlined


def binding_key_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace", "") if obj.get("kind") == "RoleBinding" else ""
    return f"{obj.get('kind')}:{namespace}/{meta.get('name', '')}"


def describe_rules(role: str, lines: list[list[str]]) -> list[str]:
    """Each rule as --explain shows the one that allowed: `rule 2 of ClusterRole "edit": verbs ["get"]; ...`."""
    kind, _, name = role.partition(":")
    name = name.partition("/")[2] if kind == "Role" else name
    fields = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")
    return [f"rule {i + 1} of {kind} {errors.go_quote(name)}: " +
            "; ".join(f"{f} {v}" for f, v in zip(fields, line[2:]) if v != "[]") for i, line in enumerate(lines)]


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

    def share_with(self, copy: "RBACAuthorizer") -> None:
        """Let the authorizer of a copy of this state start from this policy instead of re-listing (tens of
        milliseconds): both read it, and whichever state then writes an RBAC object rebuilds its own."""
        policy = self.policy()
        if copy.store.revision() == self._revision:
            policy.shared = True
            copy._policy, copy._revision = policy, self._revision

    def _observe(self, key: Key, obj: dict | None, revision: int) -> None:
        if self._policy is None:
            return
        if revision != self._revision + 1:
            self._policy = None  # a gap: re-list at the next question
            return
        self._revision = revision
        if key.group != GROUP:
            return
        if self._policy.shared:
            self._policy = None  # another state reads this policy: re-list into one of our own
            return
        if key.resource in ("clusterroles", "roles"):
            kind = "ClusterRole" if key.resource == "clusterroles" else "Role"
            self._policy.set_role(kind, key.namespace, key.name, obj)
        elif key.resource in ("clusterrolebindings", "rolebindings"):
            kind = "ClusterRoleBinding" if key.resource == "clusterrolebindings" else "RoleBinding"
            self._policy.set_binding(f"{kind}:{key.namespace}/{key.name}", obj)

    def authorize(self, attributes: Attributes) -> Decision:
        return self.policy().authorize(attributes)
