"""RBAC authorization cases with kube-apiserver's expected decision and reason, for every RBAC evaluator here.

Ported from upstream's tables (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac_test.go TestAuthorizer
and TestRuleMatches, pkg/registry/rbac/validation/rule_test.go TestAppliesTo) plus cases for each rule of
evaluation_helpers.go, rule.go and the reason texts. Upstream's bindings are unnamed; here they get names so the
reason can be checked. Each CASE: id, objects, user, groups, verb, resource_request, api_group, resource,
subresource, namespace, name, path, allowed, reason (None: not checked).
"""

from __future__ import annotations

RBAC = "rbac.authorization.k8s.io/v1"


def rule(verbs, groups=None, resources=None, urls=None, names=None):
    """A PolicyRule from comma-separated lists, like upstream's newRule (absent lists stay absent)."""
    out = {"verbs": verbs.split(",")}
    for field, value in (("apiGroups", groups), ("resources", resources), ("nonResourceURLs", urls),
                         ("resourceNames", names)):
        if value is not None:
            out[field] = value.split(",")
    return out


def cluster_role(name, *rules):
    return {"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": name}, "rules": list(rules)}


def role(namespace, name, *rules):
    return {"apiVersion": RBAC, "kind": "Role", "metadata": {"namespace": namespace, "name": name},
            "rules": list(rules)}


def subject(spec):
    """"User:alice", "Group:devs", "ServiceAccount:builder" or "ServiceAccount:ns1/builder"."""
    kind, name = spec.split(":", 1)
    if kind == "ServiceAccount":
        namespace, _, sa = name.rpartition("/")
        out = {"kind": kind, "name": sa}
        if namespace:
            out["namespace"] = namespace
        return out
    return {"kind": kind, "apiGroup": "rbac.authorization.k8s.io", "name": name}


def cluster_role_binding(name, role_name, *subjects, kind="ClusterRole"):
    return {"apiVersion": RBAC, "kind": "ClusterRoleBinding", "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role_name},
            "subjects": [subject(s) for s in subjects]}


def role_binding(namespace, name, kind, role_name, *subjects):
    return {"apiVersion": RBAC, "kind": "RoleBinding", "metadata": {"namespace": namespace, "name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role_name},
            "subjects": [subject(s) for s in subjects]}


def case(id, objects, user, groups, verb, allowed, reason=None, *, resource_request=True, api_group="", resource="",
         subresource="", namespace="", name="", path=""):
    return {"id": id, "objects": objects, "user": user, "groups": list(groups), "verb": verb,
            "resource_request": resource_request, "api_group": api_group, "resource": resource,
            "subresource": subresource, "namespace": namespace, "name": name, "path": path,
            "allowed": allowed, "reason": reason}


def url_case(id, objects, user, groups, verb, path, allowed, reason=None):
    return case(id, objects, user, groups, verb, allowed, reason, resource_request=False, path=path)


def allowed_by_crb(binding, role_name, subject_text):
    return f'RBAC: allowed by ClusterRoleBinding "{binding}" of ClusterRole "{role_name}" to {subject_text}'


def allowed_by_rb(binding, namespace, kind, role_name, subject_text):
    return f'RBAC: allowed by RoleBinding "{binding}/{namespace}" of {kind} "{role_name}" to {subject_text}'


CASES: list[dict] = []

# --- rbac_test.go TestAuthorizer, table 1: a RoleBinding in ns1 to ClusterRole admin (*,*,*,*)
_admin_in_ns1 = [cluster_role("admin", rule("*", "*", "*", "*")),
                 role_binding("ns1", "admin", "ClusterRole", "admin", "User:admin", "Group:admins")]
_admin_by_user = allowed_by_rb("admin", "ns1", "ClusterRole", "admin", 'User "admin"')
_admin_by_group = allowed_by_rb("admin", "ns1", "ClusterRole", "admin", 'Group "admins"')
CASES += [
    case("upstream-authorizer-1-pass-admin-get-pods", _admin_in_ns1, "admin", [], "get", True, _admin_by_user,
         resource="Pods", namespace="ns1"),
    case("upstream-authorizer-1-pass-admin-watch-pods", _admin_in_ns1, "admin", [], "watch", True, _admin_by_user,
         resource="Pods", namespace="ns1"),
    case("upstream-authorizer-1-pass-admin-with-group1", _admin_in_ns1, "admin", ["group1"], "watch", True,
         _admin_by_user, resource="Foobar", namespace="ns1"),
    case("upstream-authorizer-1-pass-joe-in-admins", _admin_in_ns1, "joe", ["admins"], "watch", True, _admin_by_group,
         resource="Foobar", namespace="ns1"),
    case("upstream-authorizer-1-pass-joe-in-group1-and-admins", _admin_in_ns1, "joe", ["group1", "admins"], "watch",
         True, _admin_by_group, resource="Foobar", namespace="ns1"),
    case("upstream-authorizer-1-fail-other-namespace", _admin_in_ns1, "admin", [], "GET", False, "",
         resource="Pods", namespace="ns2"),
    case("upstream-authorizer-1-fail-cluster-scoped", _admin_in_ns1, "admin", [], "GET", False, "",
         resource="Nodes"),
    case("upstream-authorizer-1-fail-group-other-namespace", _admin_in_ns1, "admin", ["admins"], "GET", False, "",
         resource="Pods", namespace="ns2"),
    case("upstream-authorizer-1-fail-group-cluster-scoped", _admin_in_ns1, "admin", ["admins"], "GET", False, "",
         resource="Nodes"),
]

# --- TestAuthorizer, table 2: non-resource URLs (newRule leaves empty apiGroups/resources as [""])
_urls = [
    cluster_role("non-resource-url-getter", rule("get", "", "", "/apis")),
    cluster_role("non-resource-url", rule("*", "", "", "/apis")),
    cluster_role("non-resource-url-prefix", rule("get", "", "", "/apis/*")),
    cluster_role_binding("non-resource-url-getter", "non-resource-url-getter", "User:foo", "Group:bar"),
    cluster_role_binding("non-resource-url", "non-resource-url", "User:admin", "Group:admin"),
    cluster_role_binding("non-resource-url-prefix", "non-resource-url-prefix", "User:prefixed", "Group:prefixed"),
]
_getter = "non-resource-url-getter"
_star = "non-resource-url"
_prefix = "non-resource-url-prefix"
CASES += [
    url_case("upstream-authorizer-2-pass-user-foo-get", _urls, "foo", [], "get", "/apis", True,
             allowed_by_crb(_getter, _getter, 'User "foo"')),
    url_case("upstream-authorizer-2-pass-group-bar-get", _urls, "", ["bar"], "get", "/apis", True,
             allowed_by_crb(_getter, _getter, 'Group "bar"')),
    url_case("upstream-authorizer-2-pass-user-admin-get", _urls, "admin", [], "get", "/apis", True,
             allowed_by_crb(_star, _star, 'User "admin"')),
    url_case("upstream-authorizer-2-pass-group-admin-get", _urls, "", ["admin"], "get", "/apis", True,
             allowed_by_crb(_star, _star, 'Group "admin"')),
    url_case("upstream-authorizer-2-pass-user-admin-watch", _urls, "admin", [], "watch", "/apis", True,
             allowed_by_crb(_star, _star, 'User "admin"')),
    url_case("upstream-authorizer-2-pass-group-admin-watch", _urls, "", ["admin"], "watch", "/apis", True,
             allowed_by_crb(_star, _star, 'Group "admin"')),
    url_case("upstream-authorizer-2-pass-prefixed-user-apis-v1", _urls, "prefixed", [], "get", "/apis/v1", True,
             allowed_by_crb(_prefix, _prefix, 'User "prefixed"')),
    url_case("upstream-authorizer-2-pass-prefixed-group-apis-v1", _urls, "", ["prefixed"], "get", "/apis/v1", True,
             allowed_by_crb(_prefix, _prefix, 'Group "prefixed"')),
    url_case("upstream-authorizer-2-pass-prefixed-user-deep", _urls, "prefixed", [], "get", "/apis/v1/foobar", True,
             allowed_by_crb(_prefix, _prefix, 'User "prefixed"')),
    url_case("upstream-authorizer-2-pass-prefixed-group-deep", _urls, "", ["prefixed"], "get", "/apis/v1/foorbar",
             True, allowed_by_crb(_prefix, _prefix, 'Group "prefixed"')),
    url_case("upstream-authorizer-2-fail-wrong-verb-user", _urls, "foo", [], "watch", "/apis", False, ""),
    url_case("upstream-authorizer-2-fail-wrong-verb-group", _urls, "", ["bar"], "watch", "/apis", False, ""),
    url_case("upstream-authorizer-2-fail-wrong-path-foo", _urls, "foo", [], "get", "/api/v1", False, ""),
    url_case("upstream-authorizer-2-fail-wrong-path-bar", _urls, "", ["bar"], "get", "/api/v1", False, ""),
    url_case("upstream-authorizer-2-fail-wrong-path-admin", _urls, "admin", [], "get", "/api/v1", False, ""),
    url_case("upstream-authorizer-2-fail-wrong-path-group-admin", _urls, "", ["admin"], "get", "/api/v1", False, ""),
    url_case("upstream-authorizer-2-fail-not-under-prefix-user", _urls, "prefixed", [], "get", "/api/v1", False, ""),
    url_case("upstream-authorizer-2-fail-not-under-prefix-group", _urls, "", ["prefixed"], "get", "/api/v1", False,
             ""),
]

# --- TestAuthorizer, tables 3 and 4: subresource resolution
_pods_only = [cluster_role("admin", rule("*", "*", "pods", "*")),
              role_binding("ns1", "admin", "ClusterRole", "admin", "User:admin", "Group:admins")]
_status_and_scale = [cluster_role("admin", rule("*", "*", "pods/status", "*"), rule("*", "*", "*/scale", "*")),
                     role_binding("ns1", "admin", "ClusterRole", "admin", "User:admin", "Group:admins")]
CASES += [
    case("upstream-authorizer-3-pass-pods", _pods_only, "admin", [], "get", True, _admin_by_user,
         resource="pods", namespace="ns1"),
    case("upstream-authorizer-3-fail-pods-status", _pods_only, "admin", [], "get", False, "",
         resource="pods", subresource="status", namespace="ns1"),
    case("upstream-authorizer-4-pass-pods-status", _status_and_scale, "admin", [], "get", True, _admin_by_user,
         resource="pods", subresource="status", namespace="ns1"),
    case("upstream-authorizer-4-pass-pods-scale", _status_and_scale, "admin", [], "get", True, _admin_by_user,
         resource="pods", subresource="scale", namespace="ns1"),
    case("upstream-authorizer-4-pass-deployments-scale", _status_and_scale, "admin", [], "get", True, _admin_by_user,
         resource="deployments", subresource="scale", namespace="ns1"),
    case("upstream-authorizer-4-pass-anything-scale", _status_and_scale, "admin", [], "get", True, _admin_by_user,
         resource="anything", subresource="scale", namespace="ns1"),
    case("upstream-authorizer-4-fail-pods", _status_and_scale, "admin", [], "get", False, "",
         resource="pods", namespace="ns1"),
]


# --- rbac_test.go TestRuleMatches: one rule, bound cluster-wide to "tester", each request in its table
def _rule_matches(table, the_rule, requests):
    objects = [cluster_role("r", the_rule), cluster_role_binding("b", "r", "User:tester")]
    reason = allowed_by_crb("b", "r", 'User "tester"')
    out = []
    for i, (request, expected) in enumerate(requests):
        id, expected_reason = f"upstream-rule-matches-{table}-{i}", reason if expected else ""
        if "path" in request:
            out.append(url_case(id, objects, "tester", [], request["verb"], request["path"], expected,
                                expected_reason))
        else:
            out.append(case(id, objects, "tester", [], request["verb"], expected, expected_reason,
                            api_group=request["group"], resource=request["resource"],
                            subresource=request.get("subresource", "")))
    return out


def _grid(verbs=("verb1", "verb2"), groups=("group1", "group2"), resources=("resource1", "resource2")):
    return [{"verb": v, "group": g, "resource": r} for v in verbs for r in resources for g in groups]


def _expect(grid, allowed):
    return [(request, allowed(request)) for request in grid]


CASES += _rule_matches("star-verb", rule("*", "group1", "resource1"), _expect(
    _grid(), lambda r: r["group"] == "group1" and r["resource"] == "resource1"))
CASES += _rule_matches("star-group", rule("verb1", "*", "resource1"), _expect(
    _grid(), lambda r: r["verb"] == "verb1" and r["resource"] == "resource1"))
CASES += _rule_matches("star-resource", rule("verb1", "group1", "*"), _expect(
    _grid(), lambda r: r["verb"] == "verb1" and r["group"] == "group1"))
CASES += _rule_matches("tuple-expansion", rule("verb1,verb2", "group1,group2", "resource1,resource2"), _expect(
    _grid(), lambda r: True))
CASES += _rule_matches("subresource-expansion", rule("*", "*", "resource1/subresource1"), [
    ({"verb": v, "group": g, "resource": r, "subresource": s}, r == "resource1" and s == "subresource1")
    for v in ("verb1", "verb2")
    for g, r, s in (("group1", "resource1", "subresource1"), ("group2", "resource1", "subresource2"),
                    ("group1", "resource2", "subresource1"), ("group2", "resource2", "subresource1"))])
_upstream_urls = ("/foo", "/foo/bar", "/foo/baz", "/foo/bar/one", "/foo/baz/one")
CASES += _rule_matches("star-nonresource", rule("verb1", urls="*"), [
    ({"verb": v, "path": p}, v == "verb1") for v in ("verb1", "verb2") for p in _upstream_urls])
CASES += _rule_matches("star-nonresource-subpath", rule("verb1", urls="/foo/*"), [
    ({"verb": "verb1", "path": p}, p.startswith("/foo/"))
    for p in _upstream_urls + ("/notfoo", "/notfoo/bar", "/notfoo/baz", "/notfoo/bar/one", "/notfoo/baz/one")])
CASES += _rule_matches("star-verb-exact-nonresource", rule("*", urls="/foo,/foo/bar/one"), [
    ({"verb": v, "path": p}, p in ("/foo", "/foo/bar/one")) for v in ("verb1", "verb2") for p in _upstream_urls])


# --- rule_test.go TestAppliesTo: the reason names the first subject that applies (upstream checks its index)
def _applies_to(id, subjects, user, groups, namespace, index):
    roles = [cluster_role("reader", rule("get", "", "pods"))]
    if namespace:
        objects = roles + [role_binding(namespace, "b", "ClusterRole", "reader", *subjects)]
    else:
        objects = roles + [cluster_role_binding("b", "reader", *subjects)]
    if index is None:
        return case(id, objects, user, groups, "get", False, "", resource="pods", namespace=namespace)
    described = subject(subjects[index])
    text = f'{described["kind"]} "{described["name"]}"'
    if described["kind"] == "ServiceAccount":
        text = f'ServiceAccount "{described["name"]}/{described.get("namespace") or namespace}"'
    reason = (allowed_by_rb("b", namespace, "ClusterRole", "reader", text) if namespace
              else allowed_by_crb("b", "reader", text))
    return case(id, objects, user, groups, "get", True, reason, resource="pods", namespace=namespace)


CASES += [
    _applies_to("upstream-applies-to-single-user", ["User:foobar"], "foobar", [], "", 0),
    _applies_to("upstream-applies-to-second-user", ["User:barfoo", "User:foobar"], "foobar", [], "", 1),
    _applies_to("upstream-applies-to-no-user", ["User:barfoo", "User:foobar"], "zimzam", [], "", None),
    _applies_to("upstream-applies-to-group", ["User:barfoo", "Group:foobar"], "zimzam", ["foobar"], "", 1),
    _applies_to("upstream-applies-to-group-ignores-namespace", ["User:barfoo", "Group:foobar"], "zimzam", ["foobar"],
                "namespace1", 1),
    _applies_to("upstream-applies-to-service-account", ["User:barfoo", "Group:foobar",
                                                        "ServiceAccount:kube-system/default"],
                "system:serviceaccount:kube-system:default", [], "default", 2),
    _applies_to("upstream-applies-to-star-user-is-not-a-wildcard", ["User:*"], "foobar", [], "default", None),
    _applies_to("upstream-applies-to-authenticated", ["Group:system:authenticated", "Group:system:unauthenticated"],
                "foobar", ["system:authenticated"], "default", 0),
    _applies_to("upstream-applies-to-anonymous", ["Group:system:authenticated", "Group:system:unauthenticated"],
                "system:anonymous", ["system:unauthenticated"], "default", 1),
]

# --- evaluation_helpers.go, rule by rule
_pods_reader = cluster_role("pods-reader", rule("get,list,watch", "", "pods"))


def _grant(the_rule, who="User:alice"):
    """ClusterRole "r" with one rule, bound cluster-wide to alice as ClusterRoleBinding "b"."""
    return [cluster_role("r", the_rule), cluster_role_binding("b", "r", who)]


_alice = allowed_by_crb("b", "r", 'User "alice"')
CASES += [
    case("verb-star-matches-any-verb", _grant(rule("*", "", "pods")), "alice", [], "escalate", True, _alice,
         resource="pods"),
    case("verb-is-case-sensitive", _grant(rule("get", "", "pods")), "alice", [], "GET", False, "", resource="pods"),
    case("group-star-matches-any-group", _grant(rule("get", "*", "deployments")), "alice", [], "get", True, _alice,
         api_group="apps", resource="deployments"),
    case("group-empty-string-is-core-only", _grant(rule("get", "", "deployments")), "alice", [], "get", False, "",
         api_group="apps", resource="deployments"),
    case("group-must-match-exactly", _grant(rule("get", "apps", "deployments")), "alice", [], "get", False, "",
         api_group="extensions", resource="deployments"),
    case("resource-star-matches-subresources", _grant(rule("get", "", "*")), "alice", [], "get", True, _alice,
         resource="pods", subresource="log"),
    case("resource-without-subresource-does-not-match-subresource", _grant(rule("get", "", "pods")), "alice", [],
         "get", False, "", resource="pods", subresource="log"),
    case("resource-star-slash-sub-matches-that-subresource", _grant(rule("get", "", "*/log")), "alice", [], "get",
         True, _alice, resource="pods", subresource="log"),
    case("resource-star-slash-sub-does-not-match-the-resource", _grant(rule("get", "", "*/log")), "alice", [], "get",
         False, "", resource="pods"),
    case("resource-star-slash-sub-does-not-match-other-subresource", _grant(rule("get", "", "*/log")), "alice", [],
         "get", False, "", resource="pods", subresource="exec"),
    case("resource-slash-star-is-literal", _grant(rule("get", "", "pods/*")), "alice", [], "get", False, "",
         resource="pods", subresource="log"),
    case("resource-star-slash-star-is-literal", _grant(rule("get", "", "*/*")), "alice", [], "get", False, "",
         resource="pods", subresource="log"),
    case("resource-exact-subresource", _grant(rule("create", "", "pods/exec")), "alice", [], "create", True, _alice,
         resource="pods", subresource="exec", namespace="ns1", name="web"),
    case("resource-names-allow-named-get", _grant(rule("get", "", "configmaps", names="app-config")), "alice", [],
         "get", True, _alice, resource="configmaps", namespace="ns1", name="app-config"),
    case("resource-names-deny-other-name", _grant(rule("get", "", "configmaps", names="app-config")), "alice", [],
         "get", False, "", resource="configmaps", namespace="ns1", name="other"),
    case("resource-names-never-grant-create", _grant(rule("create", "", "configmaps", names="app-config")), "alice",
         [], "create", False, "", resource="configmaps", namespace="ns1"),
    case("resource-names-deny-list-without-name", _grant(rule("list", "", "configmaps", names="app-config")), "alice",
         [], "list", False, "", resource="configmaps", namespace="ns1"),
    case("resource-names-allow-list-with-name", _grant(rule("list", "", "configmaps", names="app-config")), "alice",
         [], "list", True, _alice, resource="configmaps", namespace="ns1", name="app-config"),
    case("resource-names-apply-to-subresource-requests", _grant(rule("update", "apps", "deployments/scale",
                                                                     names="web")),
         "alice", [], "update", True, _alice, api_group="apps", resource="deployments", subresource="scale",
         namespace="ns1", name="web"),
    case("resource-rule-does-not-grant-urls", _grant(rule("*", "*", "*")), "alice", [], "get", False, "",
         resource_request=False, path="/healthz"),
    case("url-rule-does-not-grant-resources", _grant(rule("*", urls="*")), "alice", [], "get", False, "",
         resource="pods"),
    url_case("url-exact", _grant(rule("get", urls="/healthz")), "alice", [], "get", "/healthz", True, _alice),
    url_case("url-exact-not-prefix", _grant(rule("get", urls="/healthz")), "alice", [], "get", "/healthz/etcd", False,
             ""),
    url_case("url-star-matches-everything", _grant(rule("get", urls="*")), "alice", [], "get", "/metrics", True,
             _alice),
    url_case("url-trailing-star-matches-subpath", _grant(rule("get", urls="/healthz/*")), "alice", [], "get",
             "/healthz/etcd", True, _alice),
    url_case("url-trailing-star-matches-bare-slash", _grant(rule("get", urls="/healthz/*")), "alice", [], "get",
             "/healthz/", True, _alice),
    url_case("url-trailing-star-needs-the-slash", _grant(rule("get", urls="/healthz/*")), "alice", [], "get",
             "/healthz", False, ""),
    url_case("url-trailing-star-is-a-plain-prefix", _grant(rule("get", urls="/api*")), "alice", [], "get",
             "/apis/apps", True, _alice),
    url_case("url-every-trailing-star-is-trimmed", _grant(rule("get", urls="/healthz**")), "alice", [], "get",
             "/healthzfoo", True, _alice),
    url_case("url-star-in-the-middle-is-literal", _grant(rule("get", urls="/apis/*/v1")), "alice", [], "get",
             "/apis/apps/v1", False, ""),
    url_case("url-star-in-the-middle-matches-itself", _grant(rule("get", urls="/apis/*/v1")), "alice", [], "get",
             "/apis/*/v1", True, _alice),
    url_case("url-verb-must-match", _grant(rule("get", urls="/healthz")), "alice", [], "post", "/healthz", False, ""),
    url_case("url-only-via-cluster-role-bindings",
             [cluster_role("r", rule("*", urls="*")), role_binding("ns1", "b", "ClusterRole", "r", "User:alice")],
             "alice", [], "get", "/healthz", False, ""),
]

# --- rule.go: bindings, subjects, scope
_sa_role = cluster_role("edit-pods", rule("*", "", "pods"))
CASES += [
    case("cluster-role-binding-applies-in-every-namespace", _grant(rule("get", "", "pods")), "alice", [], "get", True,
         _alice, resource="pods", namespace="anywhere"),
    case("role-binding-to-cluster-role-allows-in-its-namespace",
         [_pods_reader, role_binding("ns1", "read", "ClusterRole", "pods-reader", "User:alice")], "alice", [], "list",
         True, allowed_by_rb("read", "ns1", "ClusterRole", "pods-reader", 'User "alice"'),
         resource="pods", namespace="ns1"),
    case("role-binding-to-cluster-role-denies-other-namespace",
         [_pods_reader, role_binding("ns1", "read", "ClusterRole", "pods-reader", "User:alice")], "alice", [], "list",
         False, "", resource="pods", namespace="ns2"),
    case("role-binding-to-cluster-role-denies-cluster-wide",
         [_pods_reader, role_binding("ns1", "read", "ClusterRole", "pods-reader", "User:alice")], "alice", [], "list",
         False, "", resource="pods"),
    case("role-binding-to-role", [role("ns1", "reader", rule("get", "", "secrets")),
                                  role_binding("ns1", "read", "Role", "reader", "User:alice")],
         "alice", [], "get", True, allowed_by_rb("read", "ns1", "Role", "reader", 'User "alice"'),
         resource="secrets", namespace="ns1", name="token"),
    case("role-binding-to-role-of-another-namespace-is-not-found",
         [role("ns1", "reader", rule("get", "", "secrets")),
          role_binding("ns2", "read", "Role", "reader", "User:alice")],
         "alice", [], "get", False, 'RBAC: role.rbac.authorization.k8s.io "reader" not found',
         resource="secrets", namespace="ns2"),
    case("sa-without-namespace-in-role-binding-means-binding-namespace",
         [_sa_role, role_binding("ns1", "ci", "ClusterRole", "edit-pods", "ServiceAccount:builder")],
         "system:serviceaccount:ns1:builder", [], "create", True,
         allowed_by_rb("ci", "ns1", "ClusterRole", "edit-pods", 'ServiceAccount "builder/ns1"'),
         resource="pods", namespace="ns1"),
    case("sa-without-namespace-in-role-binding-is-not-another-namespaces-sa",
         [_sa_role, role_binding("ns1", "ci", "ClusterRole", "edit-pods", "ServiceAccount:builder")],
         "system:serviceaccount:ns2:builder", [], "create", False, "", resource="pods", namespace="ns1"),
    case("sa-with-other-namespace-in-role-binding",
         [_sa_role, role_binding("ns1", "ci", "ClusterRole", "edit-pods", "ServiceAccount:tools/builder")],
         "system:serviceaccount:tools:builder", [], "create", True,
         allowed_by_rb("ci", "ns1", "ClusterRole", "edit-pods", 'ServiceAccount "builder/tools"'),
         resource="pods", namespace="ns1"),
    case("sa-without-namespace-in-cluster-role-binding-matches-nothing",
         [_sa_role, cluster_role_binding("ci", "edit-pods", "ServiceAccount:builder")],
         "system:serviceaccount::builder", [], "create", False, "", resource="pods", namespace="ns1"),
    case("sa-with-namespace-in-cluster-role-binding",
         [_sa_role, cluster_role_binding("ci", "edit-pods", "ServiceAccount:ns1/builder")],
         "system:serviceaccount:ns1:builder", [], "create", True,
         allowed_by_crb("ci", "edit-pods", 'ServiceAccount "builder/ns1"'), resource="pods", namespace="ns2"),
    case("sa-username-must-match-exactly",
         [_sa_role, cluster_role_binding("ci", "edit-pods", "ServiceAccount:ns1/builder")],
         "system:serviceaccount:ns1:builder2", [], "create", False, "", resource="pods", namespace="ns1"),
    case("sa-subject-does-not-match-plain-user-of-same-name",
         [_sa_role, cluster_role_binding("ci", "edit-pods", "ServiceAccount:ns1/builder")],
         "builder", [], "create", False, "", resource="pods", namespace="ns1"),
    case("unknown-subject-kind-matches-nothing",
         [_pods_reader, cluster_role_binding("b", "pods-reader", "Robot:alice")], "alice", [], "get", False, "",
         resource="pods"),
    case("group-subject-does-not-match-user-name",
         [_pods_reader, cluster_role_binding("b", "pods-reader", "Group:alice")], "alice", [], "get", False, "",
         resource="pods"),
    case("binding-without-subjects-applies-to-nobody",
         [_pods_reader, cluster_role_binding("b", "pods-reader")], "alice", [], "get", False, "", resource="pods"),
    case("first-applying-subject-names-the-reason",
         [_pods_reader, cluster_role_binding("b", "pods-reader", "User:bob", "Group:devs", "User:alice")],
         "alice", ["devs"], "get", True, allowed_by_crb("b", "pods-reader", 'Group "devs"'), resource="pods"),
    case("cluster-role-bindings-are-visited-by-name",
         [_pods_reader, cluster_role_binding("zz-readers", "pods-reader", "User:alice"),
          cluster_role_binding("aa-readers", "pods-reader", "Group:devs")],
         "alice", ["devs"], "get", True, allowed_by_crb("aa-readers", "pods-reader", 'Group "devs"'), resource="pods"),
    case("cluster-role-bindings-come-before-role-bindings",
         [_pods_reader, role_binding("ns1", "aa-local", "ClusterRole", "pods-reader", "User:alice"),
          cluster_role_binding("zz-global", "pods-reader", "User:alice")],
         "alice", [], "get", True, allowed_by_crb("zz-global", "pods-reader", 'User "alice"'),
         resource="pods", namespace="ns1"),
    case("role-bindings-are-visited-by-name",
         [_pods_reader, role_binding("ns1", "zz", "ClusterRole", "pods-reader", "User:alice"),
          role_binding("ns1", "aa", "ClusterRole", "pods-reader", "Group:devs")],
         "alice", ["devs"], "get", True, allowed_by_rb("aa", "ns1", "ClusterRole", "pods-reader", 'Group "devs"'),
         resource="pods", namespace="ns1"),
    case("reason-quotes-names-like-go",
         [_pods_reader, cluster_role_binding("b", "pods-reader", 'User:o"brien')], 'o"brien', [], "get", True,
         allowed_by_crb("b", "pods-reader", 'User "o\\"brien"'), resource="pods"),
    case("null-rules-grant-nothing",
         [{**cluster_role("empty"), "rules": None}, cluster_role_binding("b", "empty", "User:alice")],
         "alice", [], "get", False, "", resource="pods"),
    case("other-kinds-are-ignored",
         [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "r"}, "data": {}},
          cluster_role_binding("b", "r", "User:alice")],
         "alice", [], "get", False, 'RBAC: clusterrole.rbac.authorization.k8s.io "r" not found', resource="pods"),
]

# --- role lookup errors and their aggregation (utilerrors.NewAggregate)
_not_found = 'clusterrole.rbac.authorization.k8s.io "{}" not found'
CASES += [
    case("missing-cluster-role", [cluster_role_binding("b", "ghost", "User:alice")], "alice", [], "get", False,
         "RBAC: " + _not_found.format("ghost"), resource="pods"),
    case("missing-role-of-binding-that-does-not-apply-is-silent", [cluster_role_binding("b", "ghost", "User:bob")],
         "alice", [], "get", False, "", resource="pods"),
    case("missing-roles-aggregate-in-binding-order",
         [cluster_role_binding("b2", "ghost-b", "User:alice"), cluster_role_binding("b1", "ghost-a", "User:alice")],
         "alice", [], "get", False,
         f'RBAC: [{_not_found.format("ghost-a")}, {_not_found.format("ghost-b")}]', resource="pods"),
    case("duplicate-errors-collapse-to-one-without-brackets",
         [cluster_role_binding("b1", "ghost", "User:alice"), cluster_role_binding("b2", "ghost", "Group:devs")],
         "alice", ["devs"], "get", False, "RBAC: " + _not_found.format("ghost"), resource="pods"),
    case("duplicate-errors-are-dropped-from-the-list",
         [cluster_role_binding("b1", "ghost", "User:alice"), cluster_role_binding("b2", "phantom", "User:alice"),
          cluster_role_binding("b3", "ghost", "User:alice")],
         "alice", [], "get", False,
         f'RBAC: [{_not_found.format("ghost")}, {_not_found.format("phantom")}]', resource="pods"),
    case("cluster-role-binding-errors-precede-role-binding-errors",
         [role_binding("ns1", "aa", "Role", "missing-role", "User:alice"),
          cluster_role_binding("zz", "missing-cluster-role", "User:alice")],
         "alice", [], "get", False,
         f'RBAC: [{_not_found.format("missing-cluster-role")}, '
         'role.rbac.authorization.k8s.io "missing-role" not found]', resource="pods", namespace="ns1"),
    case("allow-wins-over-earlier-missing-role",
         [_pods_reader, cluster_role_binding("a", "ghost", "User:alice"),
          cluster_role_binding("b", "pods-reader", "User:alice")],
         "alice", [], "get", True, allowed_by_crb("b", "pods-reader", 'User "alice"'), resource="pods"),
    case("unsupported-role-ref-kind", [cluster_role_binding("b", "x", "User:alice", kind="Policy")], "alice", [],
         "get", False, 'RBAC: unsupported role reference kind: "Policy"', resource="pods"),
    case("cluster-role-binding-to-a-role-is-not-found",
         [role("ns1", "reader", rule("get", "", "pods")),
          cluster_role_binding("b", "reader", "User:alice", kind="Role")],
         "alice", [], "get", False, 'RBAC: role.rbac.authorization.k8s.io "reader" not found',
         resource="pods", namespace="ns1"),
]
