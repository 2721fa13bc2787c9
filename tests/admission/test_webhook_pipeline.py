"""Admission webhooks through kauth's request pipeline: configurations created through the API, webhooks called
on later requests, their patches stored, their denials returned as kube-apiserver returns them."""

from __future__ import annotations

import pytest

from kauth.admission.chain import Chain
from kauth.admission.namespace_lifecycle import NamespaceLifecycle
from kauth.admission.webhook import MutatingAdmissionWebhook, ValidatingAdmissionWebhook
from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster
from kauth.store.base import Key

from vap_helpers import deployment
from webhook_helpers import configuration, webhook
from webhook_server import WebhookServer, allow, deny, patch


@pytest.fixture
def webhook_server():
    """A started HTTPS WebhookServer (webhook_server.py), stopped after the test."""
    with WebhookServer() as server:
        yield server


ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
ARG = "admissionregistration.k8s.io"
EVERYTHING = [{"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*/*"]}]


def cluster_with_webhooks() -> Cluster:
    cluster = Cluster.in_memory()
    cluster.server.admission = Chain(mutating=[NamespaceLifecycle(), MutatingAdmissionWebhook()],
                                     validating=[ValidatingAdmissionWebhook()])
    return cluster


def create(cluster: Cluster, obj: dict, dry_run: bool = False):
    group, _, version = obj["apiVersion"].rpartition("/")
    resource = {"MutatingWebhookConfiguration": "mutatingwebhookconfigurations",
                "ValidatingWebhookConfiguration": "validatingwebhookconfigurations",
                "Deployment": "deployments"}[obj["kind"]]
    return cluster.handle(Request("create", group, version, resource, obj["metadata"].get("namespace", ""),
                                  body=obj, credentials=ADMIN, dry_run=dry_run))


def get_deployment(cluster: Cluster):
    return cluster.handle(Request("get", "apps", "v1", "deployments", "default", "web", credentials=ADMIN))


def test_mutating_webhook_patch_is_stored(webhook_server):
    webhook_server.on("/add", patch([{"op": "add", "path": "/metadata/labels/team", "value": "payments"}]))
    cluster = cluster_with_webhooks()
    assert create(cluster, configuration("MutatingWebhookConfiguration", "labels", webhook(
        "labels.example.com", webhook_server.url("/add"), webhook_server.ca_bundle))).ok
    assert create(cluster, deployment()).ok
    assert get_deployment(cluster).body["metadata"]["labels"] == {"app": "web", "team": "payments"}


def test_validating_webhook_denial_is_the_response_and_nothing_is_stored(webhook_server):
    webhook_server.on("/deny", deny("deployments need an owner label", code=403, reason="Forbidden"))
    cluster = cluster_with_webhooks()
    assert create(cluster, configuration("ValidatingWebhookConfiguration", "owners", webhook(
        "owners.example.com", webhook_server.url("/deny"), webhook_server.ca_bundle))).ok
    response = create(cluster, deployment())
    assert (response.code, response.body["reason"], response.body["message"]) == (
        403, "Forbidden", 'admission webhook "owners.example.com" denied the request: deployments need an owner label')
    assert get_deployment(cluster).code == 404


def test_validating_webhook_sees_the_mutated_object_with_its_server_fields(webhook_server):
    # validating admission runs after the registry sets uid and creationTimestamp (BeforeCreate)
    webhook_server.on("/add", patch([{"op": "add", "path": "/metadata/labels/team", "value": "payments"}]))
    webhook_server.on("/allow", allow())
    cluster = cluster_with_webhooks()
    create(cluster, configuration("MutatingWebhookConfiguration", "labels", webhook(
        "labels.example.com", webhook_server.url("/add"), webhook_server.ca_bundle)))
    create(cluster, configuration("ValidatingWebhookConfiguration", "check", webhook(
        "check.example.com", webhook_server.url("/allow"), webhook_server.ca_bundle)))
    assert create(cluster, deployment()).ok
    seen = webhook_server.reviews("/allow")[0]["request"]["object"]
    assert seen["metadata"]["labels"]["team"] == "payments"
    assert seen["metadata"].get("uid") and seen["metadata"].get("creationTimestamp")


def test_a_webhook_rejecting_everything_cannot_block_its_own_removal(webhook_server):
    webhook_server.on("/deny", deny("nothing passes"))
    cluster = cluster_with_webhooks()
    assert create(cluster, configuration("ValidatingWebhookConfiguration", "wall", webhook(
        "wall.example.com", webhook_server.url("/deny"), webhook_server.ca_bundle, rules=EVERYTHING))).ok
    assert not create(cluster, deployment()).ok
    removed = cluster.handle(Request("delete", ARG, "v1", "validatingwebhookconfigurations", "", "wall",
                                     credentials=ADMIN))
    assert removed.ok
    assert create(cluster, deployment()).ok


def test_dry_run_request_fails_on_a_webhook_with_side_effects(webhook_server):
    webhook_server.on("/allow", allow())
    cluster = cluster_with_webhooks()
    # v1 refuses sideEffects: Some when the configuration is written (validation); one stored under v1beta1,
    # or restored from a dump (`kauth state import` writes objects as they are), still reaches the plugin.
    effects = configuration("ValidatingWebhookConfiguration", "effects", webhook(
        "effects.example.com", webhook_server.url("/allow"), webhook_server.ca_bundle, sideEffects="Some"))
    refused = create(cluster, effects)
    assert refused.code == 422 and 'webhooks[0].sideEffects: Unsupported value: "Some"' in refused.body["message"]
    cluster.store.create(Key(ARG, "validatingwebhookconfigurations", "", "effects"), effects)
    response = create(cluster, deployment(), dry_run=True)
    assert (response.code, response.body["message"]) == (
        400, 'admission webhook "effects.example.com" does not support dry run')
    assert webhook_server.requests == []
