"""A reference RBAC evaluator: kube-apiserver's RBAC authorizer and aggregation controller, ported plainly.

Used only as a differential-testing oracle and a benchmark baseline ("the reference linear scan,
kube-apiserver's method"): every request walks every binding, exactly as
plugin/pkg/auth/authorizer/rbac/rbac.go does. It imports nothing from kauth on purpose, so a bug
in kauth's own authorizer cannot hide in both.

Upstream's listers return bindings in a Go map's order; this port fixes one: ClusterRoleBindings
sorted by name, then the request namespace's RoleBindings sorted by name.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable, Mapping

Obj = Mapping[str, Any]

RBAC_GROUP = "rbac.authorization.k8s.io"
SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"  # serviceaccount.MakeUsername: system:serviceaccount:<ns>:<name>
RULE_FIELDS = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")


def authorize(objects: Iterable[Obj], user: str, groups: Iterable[str], verb: str, *,
              resource_request: bool = True, api_group: str = "", resource: str = "", subresource: str = "",
              namespace: str = "", name: str = "", path: str = "") -> tuple[bool, str]:
    """(allowed, reason). objects: RBAC objects as plain dicts (kinds ClusterRole, ClusterRoleBinding,
    Role, RoleBinding, apiVersion rbac.authorization.k8s.io/v1; other kinds ignored). Reason is upstream's:
    'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z"' when allowed,
    'RBAC: <aggregate of role-lookup errors>' or '' when not."""
    if not resource_request:
        namespace = ""  # a non-resource request has no namespace, so only ClusterRoleBindings can grant it
    groups = list(groups)
    cluster_roles: dict[str, Obj] = {}
    roles: dict[tuple[str, str], Obj] = {}
    cluster_role_bindings: list[Obj] = []
    role_bindings: list[Obj] = []
    for obj in objects:
        kind, meta = obj.get("kind"), obj.get("metadata") or {}
        if kind == "ClusterRole":
            cluster_roles.setdefault(meta.get("name", ""), obj)
        elif kind == "Role":
            roles.setdefault((meta.get("namespace", ""), meta.get("name", "")), obj)
        elif kind == "ClusterRoleBinding":
            cluster_role_bindings.append(obj)
        elif kind == "RoleBinding" and namespace and meta.get("namespace", "") == namespace:
            role_bindings.append(obj)

    # DefaultRuleResolver.VisitRulesFor: ClusterRoleBindings (binding namespace ""), then the namespace's RoleBindings.
    visits = [(binding, "") for binding in sorted(cluster_role_bindings, key=_name)]
    visits += [(binding, namespace) for binding in sorted(role_bindings, key=_name)]
    errors: list[str] = []
    for binding, binding_namespace in visits:
        subject = _first_applying_subject(binding.get("subjects") or [], user, groups, binding_namespace)
        if subject is None:
            continue  # roles are only fetched for bindings that apply, so only those can add errors
        role_ref = binding.get("roleRef") or {}
        rules, error = _role_reference_rules(role_ref, binding_namespace, cluster_roles, roles)
        if error:
            errors.append(error)
            continue
        for rule in rules:
            if _rule_allows(rule, verb, resource_request, api_group, resource, subresource, name, path):
                return True, "RBAC: allowed by " + _describe_binding(binding, role_ref, subject, binding_namespace)
    return False, ("RBAC: " + _aggregate_error(errors)) if errors else ""


def aggregate(cluster_roles: list[dict]) -> dict[str, list]:
    """name -> computed rules for every ClusterRole with an aggregationRule, iterated to a fixpoint as the controller
    converges (selected roles sorted by name, the aggregating role itself skipped, duplicate rules dropped by deep
    equality)."""
    current = {_name(role): list(role.get("rules") or []) for role in cluster_roles}
    labels = {_name(role): (role.get("metadata") or {}).get("labels") or {} for role in cluster_roles}
    aggregating = sorted((role for role in cluster_roles if role.get("aggregationRule") is not None), key=_name)
    # Roles sync one at a time against the lister's latest state, so apply each result before the next.
    for _ in range(len(aggregating) + 2):
        changed = False
        for role in aggregating:
            try:
                rules = _aggregated_rules(role, current, labels)
            except ValueError:
                continue  # syncClusterRole returns the selector error and leaves the role as stored
            if not _same_rules(rules, current[_name(role)]):
                current[_name(role)] = rules
                changed = True
        if not changed:
            return {_name(role): copy.deepcopy(current[_name(role)]) for role in aggregating}
    raise RuntimeError("ClusterRole aggregation did not converge")


# --- the authorizer: pkg/registry/rbac/validation/rule.go and plugin/pkg/auth/authorizer/rbac/rbac.go


def _name(obj: Obj) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _first_applying_subject(subjects: list[Obj], user: str, groups: list[str], namespace: str) -> Obj | None:
    """appliesTo: the first subject that names this user; it is the one the allow reason shows."""
    for subject in subjects:
        if _applies_to_user(subject, user, groups, namespace):
            return subject
    return None


def _applies_to_user(subject: Obj, user: str, groups: list[str], namespace: str) -> bool:
    kind, subject_name = subject.get("kind"), subject.get("name", "")
    if kind == "User":
        return user == subject_name  # "*" is a name like any other, not a wildcard
    if kind == "Group":
        return subject_name in groups
    if kind == "ServiceAccount":
        # A RoleBinding's ServiceAccount without a namespace means one in the binding's own namespace.
        sa_namespace = subject.get("namespace") or namespace
        if not sa_namespace:
            return False
        return user == SERVICE_ACCOUNT_PREFIX + sa_namespace + ":" + subject_name
    return False


def _role_reference_rules(role_ref: Obj, binding_namespace: str, cluster_roles: dict[str, Obj],
                          roles: dict[tuple[str, str], Obj]) -> tuple[list[Obj], str]:
    """GetRoleReferenceRules: (rules, "") or ([], the lister's error text)."""
    kind, role_name = role_ref.get("kind", ""), role_ref.get("name", "")
    if kind == "Role":
        # A ClusterRoleBinding asks for Role "" / name, which no lister holds.
        role = roles.get((binding_namespace, role_name)) if binding_namespace else None
        if role is None:
            return [], f"role.{RBAC_GROUP} {_go_quote(role_name)} not found"
        return role.get("rules") or [], ""
    if kind == "ClusterRole":
        cluster_role = cluster_roles.get(role_name)
        if cluster_role is None:
            return [], f"clusterrole.{RBAC_GROUP} {_go_quote(role_name)} not found"
        return cluster_role.get("rules") or [], ""
    return [], f"unsupported role reference kind: {_go_quote(kind)}"


def _describe_binding(binding: Obj, role_ref: Obj, subject: Obj, binding_namespace: str) -> str:
    """clusterRoleBindingDescriber / roleBindingDescriber String()."""
    role = f'{role_ref.get("kind", "")} {_go_quote(role_ref.get("name", ""))}'
    if binding_namespace:
        binding_name = _go_quote(_name(binding) + "/" + binding_namespace)
        return f"RoleBinding {binding_name} of {role} to {_describe_subject(subject, binding_namespace)}"
    return f"ClusterRoleBinding {_go_quote(_name(binding))} of {role} to {_describe_subject(subject, '')}"


def _describe_subject(subject: Obj, binding_namespace: str) -> str:
    kind, subject_name = subject.get("kind", ""), subject.get("name", "")
    if kind == "ServiceAccount":
        return f"{kind} {_go_quote(subject_name + '/' + (subject.get('namespace') or binding_namespace))}"
    return f"{kind} {_go_quote(subject_name)}"


def _aggregate_error(errors: list[str]) -> str:
    """utilerrors.NewAggregate(errs).Error(): one message bare, several in [a, b] with repeats dropped."""
    if len(errors) == 1:
        return errors[0]
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


# --- RuleAllows and pkg/apis/rbac/v1/evaluation_helpers.go


def _rule_allows(rule: Obj, verb: str, resource_request: bool, api_group: str, resource: str, subresource: str,
                 name: str, path: str) -> bool:
    if resource_request:
        combined = resource + "/" + subresource if subresource else resource
        return (_verb_matches(rule, verb) and _api_group_matches(rule, api_group)
                and _resource_matches(rule, combined, subresource) and _resource_name_matches(rule, name))
    return _verb_matches(rule, verb) and _non_resource_url_matches(rule, path)


def _verb_matches(rule: Obj, verb: str) -> bool:
    return any(rule_verb in ("*", verb) for rule_verb in rule.get("verbs") or [])


def _api_group_matches(rule: Obj, api_group: str) -> bool:
    return any(rule_group in ("*", api_group) for rule_group in rule.get("apiGroups") or [])


def _resource_matches(rule: Obj, combined: str, subresource: str) -> bool:
    for rule_resource in rule.get("resources") or []:
        if rule_resource in ("*", combined):
            return True
        # "*/scale" matches the scale subresource of anything; "pods/*" and "*/*" are plain strings that match nothing.
        if subresource and rule_resource == "*/" + subresource:
            return True
    return False


def _resource_name_matches(rule: Obj, name: str) -> bool:
    # Only an empty list means "any name"; a create (name "") is never granted by resourceNames.
    resource_names = rule.get("resourceNames") or []
    return not resource_names or name in resource_names


def _non_resource_url_matches(rule: Obj, path: str) -> bool:
    for rule_url in rule.get("nonResourceURLs") or []:
        if rule_url in ("*", path):
            return True
        # Only a trailing "*" is a wildcard (strings.TrimRight drops every trailing "*"); one in the middle is literal.
        if rule_url.endswith("*") and path.startswith(rule_url.rstrip("*")):
            return True
    return False


def _go_quote(text: str) -> str:
    """Go's %q (strconv.Quote), as upstream formats names in reasons and errors."""
    escapes = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


# --- pkg/controller/clusterroleaggregation


def _aggregated_rules(role: Obj, current: dict[str, list], labels: dict[str, Mapping[str, str]]) -> list:
    """syncClusterRole: per selector, the selected roles' rules in name order, each rule once."""
    rules: list = []
    for selector in (role["aggregationRule"] or {}).get("clusterRoleSelectors") or []:
        selector = selector or {}  # a null list item decodes to a zero LabelSelector, which selects everything
        _check_selector(selector)
        for selected in sorted(current):
            if selected == _name(role) or not _selector_matches(selector, labels[selected]):
                continue
            for rule in current[selected]:
                if not any(_same_rule(rule, kept) for kept in rules):
                    rules.append(rule)
    return rules


def _check_selector(selector: Obj) -> None:
    """The errors metav1.LabelSelectorAsSelector returns (label key and value syntax aside), as ValueError."""
    for expression in selector.get("matchExpressions") or []:
        operator, values = expression.get("operator"), expression.get("values") or []
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            raise ValueError(f"{_go_quote(str(operator))} is not a valid label selector operator")
        if (operator in ("In", "NotIn")) != bool(values):
            raise ValueError(f"operator {operator} has the wrong number of values")


def _selector_matches(selector: Obj, labels: Mapping[str, str]) -> bool:
    """labels.Selector.Matches; an empty selector ({}) selects everything."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression.get("key", ""), expression["operator"], expression.get("values") or []
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _same_rule(a: Obj, b: Obj) -> bool:
    # equality.Semantic.DeepEqual treats a nil slice and an empty one as equal.
    return all(list(a.get(field) or []) == list(b.get(field) or []) for field in RULE_FIELDS)


def _same_rules(a: list, b: list) -> bool:
    return len(a) == len(b) and all(_same_rule(x, y) for x, y in zip(a, b))
