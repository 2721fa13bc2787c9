"""RBAC in a whole cluster: the bootstrap roles, the shipped policies, the pipeline's 403s, aggregation, and a
policy that follows every write."""

from pathlib import Path

import pytest

from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN, UserInfo
from kauth.cluster import Cluster
from kauth.store.base import Key

ROOT = Path(__file__).parents[2]
ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
RBAC = "rbac.authorization.k8s.io"


@pytest.fixture(scope="module")
def shipped():
    return Cluster.in_memory(policies=ROOT / "policies")


@pytest.fixture
def cluster(shipped):
    return shipped.copy()


def as_user(name, *groups):
    return Credentials(asserted_user=UserInfo(name, groups=(*groups, "system:authenticated")))


def binding(kind, name, role_kind, role, *subjects, namespace=""):
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta,
            "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role}, "subjects": list(subjects)}


def create(cluster, obj, namespace="", plural=None):
    kind = obj["kind"]
    plural = plural or kind.lower() + "s"
    response = cluster.handle(Request("create", RBAC, "v1", plural, namespace, body=obj, credentials=ADMIN))
    assert response.ok, response.message
    return response


# -- the bootstrap roles, through the public API ---------------------------------------------------

def test_view_cannot_read_secrets(cluster):
    create(cluster, binding("RoleBinding", "viewers", "ClusterRole", "view", {"kind": "User", "name": "vic"},
                            namespace="dev"), "dev")
    assert cluster.authorize(user="vic", verb="list", resource="pods", namespace="dev").allowed
    review = cluster.authorize(user="vic", verb="get", resource="secrets", namespace="dev", name="db")
    assert not review.allowed
    assert review.message == 'User "vic" cannot get resource "secrets" in API group "" in the namespace "dev"'


def test_edit_cannot_write_roles(cluster):
    create(cluster, binding("RoleBinding", "editors", "ClusterRole", "edit", {"kind": "User", "name": "eve"},
                            namespace="dev"), "dev")
    assert cluster.authorize(user="eve", verb="create", resource="deployments", api_group="apps",
                             namespace="dev").allowed
    assert not cluster.authorize(user="eve", verb="create", resource="roles", api_group=RBAC, namespace="dev").allowed
    assert not cluster.authorize(user="eve", verb="list", resource="pods", namespace="other").allowed


def test_admin_may_bind_roles_in_its_namespace(cluster):
    create(cluster, binding("RoleBinding", "admins", "ClusterRole", "admin", {"kind": "User", "name": "ada"},
                            namespace="dev"), "dev")
    review = cluster.authorize(user="ada", verb="create", resource="rolebindings", api_group=RBAC, namespace="dev")
    assert review.allowed
    assert review.reason == 'RBAC: allowed by RoleBinding "admins/dev" of ClusterRole "admin" to User "ada"'


def test_every_authenticated_user_may_read_healthz_and_review_itself(cluster):
    review = cluster.authorize(user="anyone", groups=["system:authenticated"], verb="get", path="/healthz")
    # Both system:discovery and system:public-info-viewer grant it; bindings are visited by name.
    assert review.reason == ('RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole '
                             '"system:discovery" to Group "system:authenticated"')
    assert cluster.authorize(user="anyone", groups=["system:authenticated"], verb="create",
                             resource="selfsubjectaccessreviews", api_group="authorization.k8s.io").allowed
    assert not cluster.authorize(user="anyone", groups=["system:authenticated"], verb="get", path="/metrics").allowed


def test_system_masters_is_allowed_before_rbac(cluster):
    review = cluster.authorize(user="root", groups=["system:masters"], verb="delete", resource="nodes")
    assert review.allowed and review.authorizer == "privileged-groups" and review.reason == ""


def test_authorize_needs_a_resource_or_a_path(cluster):
    with pytest.raises(ValueError):
        cluster.authorize(user="a", verb="get")


# -- the shipped policies --------------------------------------------------------------------------

def test_dev_team_edits_workloads_in_dev_but_cannot_read_secrets(cluster):
    review = cluster.authorize(user="dana", groups=["dev-team"], verb="patch", resource="deployments",
                               api_group="apps", namespace="dev", name="web")
    assert review.reason == ('RBAC: allowed by RoleBinding "dev-team-edits-workloads/dev" of Role '
                             '"workload-editor" to Group "dev-team"')
    assert not cluster.authorize(user="dana", groups=["dev-team"], verb="get", resource="secrets",
                                 namespace="dev").allowed


def test_ci_service_account_is_named_with_its_namespace(cluster):
    review = cluster.authorize(user="system:serviceaccount:dev:ci", verb="create", resource="configmaps",
                               namespace="dev")
    assert review.reason == ('RBAC: allowed by RoleBinding "dev-team-edits-workloads/dev" of Role '
                             '"workload-editor" to ServiceAccount "ci/dev"')


# -- the pipeline --------------------------------------------------------------------------------

def test_a_denied_request_is_a_403_with_upstreams_message(cluster):
    response = cluster.handle(Request("get", "", "v1", "secrets", "dev", "db", credentials=as_user("dana", "dev-team")))
    assert response.code == 403
    assert response.body["reason"] == "Forbidden"
    assert response.message == ('secrets "db" is forbidden: User "dana" cannot get resource "secrets" in API group "" '
                                'in the namespace "dev"')
    assert response.body["details"] == {"name": "db", "kind": "secrets"}


def test_a_binding_to_a_missing_role_is_named_in_the_403(cluster):
    create(cluster, binding("RoleBinding", "dangling", "Role", "nope", {"kind": "User", "name": "dana"},
                            namespace="dev"), "dev")
    response = cluster.handle(Request("get", "", "v1", "secrets", "dev", "db", credentials=as_user("dana")))
    assert response.message.endswith(': RBAC: role.rbac.authorization.k8s.io "nope" not found')


def test_a_new_binding_takes_effect_on_the_next_request(cluster):
    request = Request("list", "", "v1", "secrets", "dev", credentials=as_user("sam"))
    assert cluster.handle(request).code == 403
    create(cluster, binding("RoleBinding", "secret-readers", "ClusterRole", "admin", {"kind": "User", "name": "sam"},
                            namespace="dev"), "dev")
    assert cluster.handle(request).code == 200
    cluster.handle(Request("delete", RBAC, "v1", "rolebindings", "dev", "secret-readers", credentials=ADMIN))
    assert cluster.handle(request).code == 403


def test_a_write_made_around_the_pipeline_is_seen_by_re_listing(cluster):
    request = Request("list", "", "v1", "secrets", "dev", credentials=as_user("sam"))
    assert cluster.handle(request).code == 403
    obj = binding("RoleBinding", "direct", "ClusterRole", "admin", {"kind": "User", "name": "sam"}, namespace="dev")
    cluster.store.create(Key(RBAC, "rolebindings", "dev", "direct"), obj)  # not through the API server
    assert cluster.handle(request).code == 200


# -- ClusterRole aggregation -------------------------------------------------------------------------

def crd_reader():
    return {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole",
            "metadata": {"name": "widgets-view", "labels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}},
            "rules": [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get", "list"]}]}


def test_a_labelled_cluster_role_is_aggregated_into_view_edit_and_admin(cluster):
    create(cluster, binding("RoleBinding", "admins", "ClusterRole", "admin", {"kind": "User", "name": "ada"},
                            namespace="dev"), "dev")
    assert not cluster.authorize(user="ada", verb="list", resource="widgets", api_group="example.com",
                                 namespace="dev").allowed
    response = create(cluster, crd_reader())
    assert any(s.stage == "controllers" and '"view"' in s.message for s in response.trace)
    # view is aggregated into edit, and edit into admin: the rule travels up to the fixpoint.
    for name in ("view", "edit", "admin"):
        rules = cluster.store.get(Key(RBAC, "clusterroles", "", name))["rules"]
        assert crd_reader()["rules"][0] in rules, name
    assert cluster.authorize(user="ada", verb="list", resource="widgets", api_group="example.com",
                             namespace="dev").allowed
    cluster.handle(Request("delete", RBAC, "v1", "clusterroles", "", "widgets-view", credentials=ADMIN))
    assert crd_reader()["rules"][0] not in cluster.store.get(Key(RBAC, "clusterroles", "", "admin"))["rules"]
    assert not cluster.authorize(user="ada", verb="list", resource="widgets", api_group="example.com",
                                 namespace="dev").allowed


# -- explanations ------------------------------------------------------------------------------------

def rbac_step(response):
    authorization = next(s for s in response.trace if s.stage == "authorization")
    return next(s for s in authorization.children if s.stage == "RBAC")


def test_an_allow_names_the_rule_that_matched(cluster):
    response = cluster.handle(Request("list", "apps", "v1", "deployments", "dev", credentials=as_user("dana", "dev-team")))
    (rule,) = rbac_step(response).children
    assert rule.message.startswith('rule 2 of Role "workload-editor": verbs ["get","list"')


def test_a_denial_lists_the_nearest_rules_and_what_missed(cluster):
    response = cluster.handle(Request("get", "", "v1", "secrets", "dev", "db", credentials=as_user("dana", "dev-team")))
    nearest = [s.message for s in rbac_step(response).children]
    assert nearest[0] == ('RoleBinding "dev-team-edits-workloads/dev" of Role "workload-editor" to Group "dev-team", '
                          'rule 1: resource "secrets" is not in resources ["pods", "services", "configmaps"]')


def test_a_denial_names_a_grant_held_in_another_namespace(cluster):
    response = cluster.handle(Request("create", "apps", "v1", "deployments", "prod", body={},
                                      credentials=as_user("dana", "dev-team")))
    nearest = [s.message for s in rbac_step(response).children]
    assert nearest[0] == ('RoleBinding "dev-team-edits-workloads/dev" of Role "workload-editor" to Group "dev-team", '
                          'rule 2: it is granted in namespace "dev" only, not in "prod"')


def test_resource_names_never_grant_a_request_without_a_name(cluster):
    create(cluster, {"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": "one-cm", "namespace": "dev"},
                     "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"],
                                "resourceNames": ["settings"]}]}, "dev")
    create(cluster, binding("RoleBinding", "one-cm", "Role", "one-cm", {"kind": "User", "name": "cory"},
                            namespace="dev"), "dev")
    assert cluster.authorize(user="cory", verb="get", resource="configmaps", namespace="dev", name="settings").allowed
    response = cluster.handle(Request("list", "", "v1", "configmaps", "dev", credentials=as_user("cory")))
    assert response.code == 403
    assert [s.message for s in rbac_step(response).children][0].endswith(
        'rule 1: resourceNames ["settings"] never match a request without a name (create, a plain list)')
    # A list narrowed to that one name by a field selector counts as naming it.
    narrowed = Request("list", "", "v1", "configmaps", "dev", field_selector="metadata.name=settings",
                       credentials=as_user("cory"))
    assert cluster.handle(narrowed).code == 200


def test_a_copy_shares_the_rbac_policy_until_either_state_writes_rbac():
    """Cluster.copy hands its policy to the copy's authorizer (re-listing costs tens of ms per copy); a write of
    an RBAC object in either state must not show in the other."""
    from kauth.apiserver.request import Credentials, Request
    from kauth.authn.user import CLUSTER_ADMIN, UserInfo
    from kauth.cluster import Cluster

    admin = Credentials(asserted_user=CLUSTER_ADMIN)
    alice = Credentials(asserted_user=UserInfo("alice"))
    original = Cluster.in_memory()
    twin = original.copy()
    assert twin.server.rbac._policy is original.server.rbac._policy
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": {"name": "alice-view"}, "subjects": [{"kind": "User", "name": "alice"}],
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}}
    created = twin.handle(Request("create", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", body=binding,
                                  credentials=admin))
    assert created.code == 201
    list_pods = Request("list", "", "v1", "pods", "default", credentials=alice)
    assert twin.handle(list_pods).code == 200
    assert original.handle(list_pods).code == 403
    third = original.copy()
    original.handle(Request("create", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", body=binding,
                            credentials=admin))
    assert original.handle(list_pods).code == 200
    assert third.handle(list_pods).code == 403
