"""The review APIs as objects through the pipeline: answered by the API server's own authorizer, never stored."""

from pathlib import Path

import pytest

from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN, UserInfo
from kauth.cluster import Cluster

ROOT = Path(__file__).parents[2]
AUTHZ = "authorization.k8s.io"
DANA = Credentials(asserted_user=UserInfo("dana", groups=("dev-team", "system:authenticated")))
ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


@pytest.fixture(scope="module")
def cluster():
    return Cluster.in_memory(policies=ROOT / "policies")


def review(cluster, plural, kind, spec, namespace="", who=DANA, group=AUTHZ):
    body = {"apiVersion": f"{group}/v1", "kind": kind, **({"spec": spec} if spec is not None else {})}
    return cluster.handle(Request("create", group, "v1", plural, namespace, body=body, credentials=who))


def test_self_subject_access_review_answers_for_the_requester(cluster):
    response = review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                      {"resourceAttributes": {"verb": "create", "group": "apps", "resource": "deployments",
                                              "namespace": "dev"}})
    assert response.code == 201
    assert response.body["status"] == {
        "allowed": True,
        "reason": 'RBAC: allowed by RoleBinding "dev-team-edits-workloads/dev" of Role "workload-editor" to Group '
                  '"dev-team"'}


def test_a_review_that_is_not_allowed_says_so_without_denying(cluster):
    response = review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                      {"resourceAttributes": {"verb": "get", "resource": "secrets", "namespace": "dev"}})
    assert response.body["status"] == {"allowed": False}


def test_non_resource_attributes_are_reviewed_too(cluster):
    response = review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                      {"nonResourceAttributes": {"verb": "get", "path": "/metrics"}})
    assert response.body["status"] == {"allowed": False}


def test_a_review_needs_exactly_one_kind_of_attributes(cluster):
    response = review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview", {})
    assert response.code == 422
    # The decoder leaves the internal object's kind empty, hence the bare ".authorization.k8s.io".
    assert response.message == ('.authorization.k8s.io "" is invalid: spec: Invalid value: null: exactly one of '
                                'nonResourceAttributes or resourceAttributes must be specified')
    both = review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                  {"resourceAttributes": {"verb": "get", "resource": "pods"},
                   "nonResourceAttributes": {"verb": "get", "path": "/x"}})
    assert both.message.endswith('spec: Invalid value: v1.NonResourceAttributes{Path:"/x", Verb:"get"}: exactly one '
                                 'of nonResourceAttributes or resourceAttributes must be specified')


def test_subject_access_review_uses_the_groups_as_given_and_needs_permission(cluster):
    spec = {"user": "dana", "groups": ["dev-team"],
            "resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "dev"}}
    assert review(cluster, "subjectaccessreviews", "SubjectAccessReview", spec).code == 403
    response = review(cluster, "subjectaccessreviews", "SubjectAccessReview", spec, who=ADMIN)
    assert response.body["status"]["allowed"] is True
    spec["groups"] = []
    assert review(cluster, "subjectaccessreviews", "SubjectAccessReview", spec, who=ADMIN).body["status"] == \
        {"allowed": False}


def test_subject_access_review_needs_a_user_or_a_group(cluster):
    response = review(cluster, "subjectaccessreviews", "SubjectAccessReview",
                      {"resourceAttributes": {"verb": "list", "resource": "pods"}}, who=ADMIN)
    assert response.code == 422
    assert response.message.endswith('spec.user: Invalid value: "": at least one of user or group must be specified')


def test_local_subject_access_review_must_name_its_own_namespace(cluster):
    spec = {"user": "dana", "groups": ["dev-team"],
            "resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "other"}}
    response = review(cluster, "localsubjectaccessreviews", "LocalSubjectAccessReview", spec, "dev", ADMIN)
    assert response.code == 422
    assert 'spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace' in \
        response.message


def test_self_subject_rules_review_needs_a_namespace(cluster):
    response = review(cluster, "selfsubjectrulesreviews", "SelfSubjectRulesReview", {})
    assert (response.code, response.message) == (400, "no namespace on request")


def test_self_subject_rules_review_lists_the_rules_that_apply(cluster):
    response = review(cluster, "selfsubjectrulesreviews", "SelfSubjectRulesReview", {"namespace": "dev"})
    status = response.body["status"]
    assert status["incomplete"] is False
    assert {"verbs": ["get", "list", "watch", "create", "update", "patch", "delete"], "apiGroups": ["apps"],
            "resources": ["deployments", "statefulsets", "daemonsets"]} in status["resourceRules"]
    assert {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"]} in \
        status["nonResourceRules"]


def test_self_subject_review_says_who_the_server_thinks_you_are(cluster):
    response = review(cluster, "selfsubjectreviews", "SelfSubjectReview", None, group="authentication.k8s.io")
    assert response.code == 201
    assert response.body["status"] == {"userInfo": {"username": "dana", "groups": ["dev-team", "system:authenticated"]}}


def test_reviews_are_never_stored(cluster):
    before = len(cluster.store.all_objects())
    review(cluster, "selfsubjectaccessreviews", "SelfSubjectAccessReview",
           {"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "dev"}})
    assert len(cluster.store.all_objects()) == before


def test_a_subject_access_review_carries_no_metadata(cluster):
    body = {"apiVersion": f"{AUTHZ}/v1", "kind": "SubjectAccessReview", "metadata": {"name": "x"},
            "spec": {"user": "a", "resourceAttributes": {"verb": "get", "resource": "pods"}}}
    response = cluster.handle(Request("create", AUTHZ, "v1", "subjectaccessreviews", body=body, credentials=ADMIN))
    assert response.code == 422
    assert response.message.startswith('.authorization.k8s.io "" is invalid: metadata: Invalid value: '
                                       'v1.ObjectMeta{Name:"x", GenerateName:"", ')
    assert response.message.endswith("ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty")
