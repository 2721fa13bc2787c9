"""ValidatingAdmissionPolicy through kauth's request pipeline: policies and bindings created through the API,
enforced on later requests, with the real store and RBAC answering the authorizer variable."""

from __future__ import annotations


from kauth.admission.chain import Chain
from kauth.admission.namespace_lifecycle import NamespaceLifecycle
from kauth.admission.validatingpolicy import ValidatingAdmissionPolicy
from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN, UserInfo
from kauth.cluster import Cluster

from vap_helpers import binding, deployment, policy

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
ARG = "admissionregistration.k8s.io"


def cluster_with_vap() -> Cluster:
    cluster = Cluster.in_memory()
    plugin = ValidatingAdmissionPolicy(authorizer=cluster.server.authorizer)
    cluster.server.admission = Chain(mutating=[NamespaceLifecycle()], validating=[plugin])
    return cluster


def create(cluster: Cluster, obj: dict, credentials: Credentials = ADMIN, dry_run: bool = False):
    group, _, version = obj["apiVersion"].rpartition("/")
    resource = {"ValidatingAdmissionPolicy": "validatingadmissionpolicies",
                "ValidatingAdmissionPolicyBinding": "validatingadmissionpolicybindings",
                "Deployment": "deployments"}[obj["kind"]]
    return cluster.handle(Request("create", group, version, resource, obj["metadata"].get("namespace", ""),
                                  body=obj, credentials=credentials, dry_run=dry_run))


def test_a_policy_created_through_the_api_denies_later_requests():
    cluster = cluster_with_vap()
    assert create(cluster, policy()).ok and create(cluster, binding()).ok
    response = create(cluster, deployment(replicas=10))
    assert (response.code, response.body["reason"]) == (422, "Invalid")
    assert response.body["message"] == (
        "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding "
        "'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5")
    assert cluster.handle(Request("get", "apps", "v1", "deployments", "default", "web", credentials=ADMIN)).code == 404
    assert create(cluster, deployment(replicas=2)).ok


def test_warn_binding_warnings_reach_the_response():
    cluster = cluster_with_vap()
    create(cluster, policy())
    create(cluster, binding(actions=("Warn",)))
    response = create(cluster, deployment(replicas=10))
    assert response.ok
    assert response.warnings == ("Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with "
                                 "binding 'demo-binding-test.example.com': failed expression: "
                                 "object.spec.replicas <= 5",)


def test_authorizer_variable_asks_rbac():
    cluster = cluster_with_vap()
    p = policy(validations=[{"expression": "authorizer.group('').resource('secrets').namespace('default')"
                                           ".check('list').allowed()",
                             "reason": "Forbidden", "message": "only users who may list secrets deploy here"}])
    create(cluster, p)
    create(cluster, binding())
    assert create(cluster, deployment()).ok  # system:masters
    bob = Credentials(asserted_user=UserInfo("bob", groups=("system:authenticated",)))
    # bob may create deployments (an edit-like grant) but not list secrets
    cluster.handle(Request("create", "rbac.authorization.k8s.io", "v1", "roles", "default", credentials=ADMIN, body={
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "deployer",
                                                                                   "namespace": "default"},
        "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["create"]}]}))
    cluster.handle(Request("create", "rbac.authorization.k8s.io", "v1", "rolebindings", "default", credentials=ADMIN,
                           body={"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                                 "metadata": {"name": "bob-deployer", "namespace": "default"},
                                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                             "name": "deployer"},
                                 "subjects": [{"kind": "User", "name": "bob"}]}))
    response = create(cluster, replace_name(deployment(), "bob-web"), credentials=bob)
    assert (response.code, response.body["reason"]) == (403, "Forbidden")
    assert response.body["message"].endswith("denied request: only users who may list secrets deploy here")


def replace_name(obj: dict, name: str) -> dict:
    return {**obj, "metadata": {**obj["metadata"], "name": name}}


def test_trace_shows_the_plugin_decision():
    cluster = cluster_with_vap()
    create(cluster, policy())
    create(cluster, binding())
    response = create(cluster, deployment(replicas=10))
    steps = [s for s in walk(response.trace) if s.stage == "ValidatingAdmissionPolicy"]
    assert [s.outcome for s in steps] == ["rejected"]
    assert steps[0].message.endswith("denied request: failed expression: object.spec.replicas <= 5")


def walk(steps):
    for step in steps:
        yield step
        yield from walk(step.children)


