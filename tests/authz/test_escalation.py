"""Escalation prevention: a Role, ClusterRole or binding write grants nothing its writer does not hold,
unless the writer may escalate or bind (pkg/registry/rbac/*/policybased)."""

import pytest

from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN, UserInfo
from kauth.authz import escalation
from kauth.cluster import Cluster

RBAC = "rbac.authorization.k8s.io"
ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
MIA = UserInfo("mia", groups=("system:authenticated",))


@pytest.fixture(scope="module")
def base():
    cluster = Cluster.in_memory()
    cluster.handle(Request("create", "", "v1", "namespaces", body={"apiVersion": "v1", "kind": "Namespace",
                                                                  "metadata": {"name": "dev"}}, credentials=ADMIN))
    grant(cluster, "Role", "rbac-writer", "dev", [
        {"apiGroups": [RBAC], "resources": ["roles", "rolebindings"], "verbs": ["create", "update", "patch"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}])
    return cluster


@pytest.fixture
def cluster(base):
    return base.copy()


def create(cluster, plural, obj, namespace="dev", user=MIA):
    return cluster.handle(Request("create", RBAC, "v1", plural, namespace, body=obj,
                                  credentials=Credentials(asserted_user=user)))


def grant(cluster, kind, name, namespace, rules, user="mia"):
    """A role with these rules, bound to the user (as the admin)."""
    plural = kind.lower() + "s"
    meta = {"name": name, **({"namespace": namespace} if kind == "Role" else {})}
    assert create(cluster, plural, {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta, "rules": rules},
                  namespace if kind == "Role" else "", CLUSTER_ADMIN).ok
    binding_kind = "RoleBinding" if kind == "Role" else "ClusterRoleBinding"
    body = {"apiVersion": f"{RBAC}/v1", "kind": binding_kind, "metadata": {**meta, "name": f"{name}-{user}"},
            "roleRef": {"apiGroup": RBAC, "kind": kind, "name": name}, "subjects": [{"kind": "User", "name": user}]}
    assert create(cluster, binding_kind.lower() + "s", body, namespace if kind == "Role" else "", CLUSTER_ADMIN).ok


def role(name, rules):
    return {"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": name, "namespace": "dev"},
            "rules": rules}


def role_binding(name, kind, role_name, user="ned"):
    return {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": {"name": name, "namespace": "dev"},
            "roleRef": {"apiGroup": RBAC, "kind": kind, "name": role_name}, "subjects": [{"kind": "User", "name": user}]}


def test_a_role_granting_only_held_permissions_is_created(cluster):
    response = create(cluster, "roles", role("pod-reader", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]))
    assert response.code == 201


def test_a_role_granting_more_is_forbidden_with_upstreams_message(cluster):
    response = create(cluster, "roles", role("secret-reader", [
        {"apiGroups": [""], "resources": ["secrets", "pods"], "verbs": ["get", "list", "delete"]}]))
    assert response.code == 403
    assert response.message == (
        'roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "mia" (groups=["system:authenticated"]) '
        'is attempting to grant RBAC permissions not currently held:\n'
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n'
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "delete"]}')
    assert cluster.store.get(_key("roles", "dev", "secret-reader")) is None


def test_the_escalate_verb_lets_a_user_grant_more(cluster):
    grant(cluster, "Role", "escalator", "dev", [{"apiGroups": [RBAC], "resources": ["roles"], "verbs": ["escalate"]}])
    response = create(cluster, "roles", role("secret-reader", [{"apiGroups": [""], "resources": ["secrets"],
                                                               "verbs": ["get"]}]))
    assert response.code == 201
    assert any(s.stage == "escalation check" and "escalate" in s.message for s in response.trace)


def test_binding_a_role_whose_rules_are_held_is_allowed(cluster):
    create(cluster, "roles", role("pod-reader", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]))
    assert create(cluster, "rolebindings", role_binding("ned-reads-pods", "Role", "pod-reader")).code == 201


def test_binding_admin_needs_the_bind_verb(cluster):
    response = create(cluster, "rolebindings", role_binding("ned-admin", "ClusterRole", "admin"))
    assert response.code == 403
    assert response.message.startswith('rolebindings.rbac.authorization.k8s.io "ned-admin" is forbidden: user "mia" '
                                       '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not '
                                       'currently held:\n{APIGroups:[""], Resources:["bindings"], Verbs:["get" "list" '
                                       '"watch"]}\n')
    grant(cluster, "Role", "binder", "dev", [{"apiGroups": [RBAC], "resources": ["clusterroles"], "verbs": ["bind"],
                                              "resourceNames": ["admin"]}])
    assert create(cluster, "rolebindings", role_binding("ned-admin", "ClusterRole", "admin")).code == 201


def test_binding_a_missing_role_is_not_found(cluster):
    response = create(cluster, "rolebindings", role_binding("dangling", "Role", "nope"))
    assert response.code == 404
    assert response.message == 'roles.rbac.authorization.k8s.io "nope" not found'


def test_system_masters_may_grant_anything(cluster):
    response = create(cluster, "roles", role("anything", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]),
                      user=CLUSTER_ADMIN)
    assert response.code == 201


def test_an_aggregation_rule_needs_cluster_admin(cluster):
    grant(cluster, "ClusterRole", "clusterrole-writer", "", [
        {"apiGroups": [RBAC], "resources": ["clusterroles"], "verbs": ["create"]}])
    body = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": "gatherer"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}}
    response = create(cluster, "clusterroles", body, "")
    assert response.code == 403
    assert response.message == ('clusterroles.rbac.authorization.k8s.io "gatherer" is forbidden: must have '
                                'cluster-admin privileges to use the aggregationRule')


def test_a_missing_bound_role_is_reported_as_a_resolution_error(cluster):
    body = role_binding("mia-dangling", "Role", "gone", user="mia")
    assert create(cluster, "rolebindings", body, user=CLUSTER_ADMIN).ok
    response = create(cluster, "roles", role("more", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]))
    assert response.message.endswith('{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}; resolution errors: '
                                     '[roles.rbac.authorization.k8s.io "gone" not found]')


def test_dry_run_is_checked_too(cluster):
    request = Request("create", RBAC, "v1", "roles", "dev", dry_run=True, credentials=Credentials(asserted_user=MIA),
                      body=role("secret-reader", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]))
    assert cluster.handle(request).code == 403


def _key(plural, namespace, name):
    from kauth.store.base import Key
    return Key(RBAC, plural, namespace, name)


# -- Covers, as policy_comparator_test.go states it ----------------------------------------------

@pytest.mark.parametrize("owner, servant, covered", [
    ([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}], [{"verbs": ["get"], "apiGroups": [""],
                                                                   "resources": ["pods"]}], True),
    # A wanted "*" is covered only by "*".
    ([{"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "services"]}],
     [{"verbs": ["get"], "apiGroups": [""], "resources": ["*"]}], False),
    ([{"verbs": ["get"], "apiGroups": [""], "resources": ["*/log"]}],
     [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]}], True),
    ([{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}],
     [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods/log"]}], False),
    ([{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["a"]}],
     [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}], False),
    ([{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}],
     [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["a", "b"]}], True),
    ([{"verbs": ["get"], "nonResourceURLs": ["/api*"]}], [{"verbs": ["get"], "nonResourceURLs": ["/apis/x"]}], True),
    ([{"verbs": ["get"], "nonResourceURLs": ["/api"]}], [{"verbs": ["get"], "nonResourceURLs": ["/api/v1"]}], False),
    # A resource rule never covers a URL rule, and verbs alone grant nothing to cover.
    ([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}], [{"verbs": ["get"], "nonResourceURLs": ["/x"]}], False),
    ([], [{"verbs": ["get"]}], True),
])
def test_covers(owner, servant, covered):
    assert (escalation.uncovered(owner, servant) == []) == covered
