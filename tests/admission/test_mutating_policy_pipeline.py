"""MutatingAdmissionPolicy through kauth's request pipeline: the mutated object is what is validated and stored.

kauth's resource table does not serve mutatingadmissionpolicies yet, so the policies are put in the store directly
(as if created through the API); the requests they mutate go through the whole pipeline.
"""

from __future__ import annotations

from kauth.admission.chain import Chain
from kauth.admission.mutatingpolicy import MutatingAdmissionPolicy
from kauth.admission.namespace_lifecycle import NamespaceLifecycle
from kauth.admission.validatingpolicy import ValidatingAdmissionPolicy
from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster
from kauth.store.base import Key

from test_mutating_policy import ADD_TEAM_LABEL, GROUP, apply_configuration, binding, policy
from vap_helpers import binding as vap_binding
from vap_helpers import deployment
from vap_helpers import policy as vap_policy

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


def cluster_with(*objects: dict) -> Cluster:
    cluster = Cluster.in_memory()
    authorizer = cluster.server.authorizer
    cluster.server.admission = Chain(mutating=[NamespaceLifecycle(), MutatingAdmissionPolicy(authorizer=authorizer)],
                                     validating=[ValidatingAdmissionPolicy(authorizer=authorizer)])
    for obj in objects:
        plural = {"MutatingAdmissionPolicy": "mutatingadmissionpolicies",
                  "MutatingAdmissionPolicyBinding": "mutatingadmissionpolicybindings",
                  "ValidatingAdmissionPolicy": "validatingadmissionpolicies",
                  "ValidatingAdmissionPolicyBinding": "validatingadmissionpolicybindings"}[obj["kind"]]
        cluster.store.create(Key(GROUP, plural, "", obj["metadata"]["name"]), obj)
    return cluster


def create(cluster: Cluster, obj: dict, dry_run: bool = False):
    return cluster.handle(Request("create", "apps", "v1", "deployments", "default", body=obj, credentials=ADMIN,
                                  dry_run=dry_run))


def test_the_mutated_object_is_stored():
    cluster = cluster_with(policy("add-label", ADD_TEAM_LABEL), binding())
    response = create(cluster, deployment())
    assert response.ok and response.body["metadata"]["labels"] == {"app": "web", "team": "payments"}
    stored = cluster.handle(Request("get", "apps", "v1", "deployments", "default", "web", credentials=ADMIN))
    assert stored.body["metadata"]["labels"]["team"] == "payments"


def test_validating_policies_see_the_mutated_object():
    # mutating admission runs before validating admission: a default set by a mutating policy satisfies a
    # validating one
    mutate = policy("cap", apply_configuration("Object{spec: Object.spec{replicas: object.spec.replicas > 5 ? 5 :"
                                               " object.spec.replicas}}"))
    cluster = cluster_with(mutate, binding("cap-binding", "cap"), vap_policy(), vap_binding())
    response = create(cluster, deployment(replicas=10))
    assert response.ok and response.body["spec"]["replicas"] == 5


def test_a_failing_policy_rejects_the_request_and_nothing_is_stored():
    broken = policy("broken", apply_configuration("Object{spec: Object.spec{replicas: object.spec.nope}}"))
    cluster = cluster_with(broken, binding("broken-binding", "broken"))
    response = create(cluster, deployment())
    assert (response.code, response.body["reason"]) == (403, "Invalid")
    assert response.body["message"] == (
        "policy 'broken' with binding 'broken-binding' denied request: expression "
        "'Object{spec: Object.spec{replicas: object.spec.nope}}' resulted in error: no such key: nope")
    assert cluster.handle(Request("get", "apps", "v1", "deployments", "default", "web", credentials=ADMIN)).code == 404
