"""The HTTP front door: kube-apiserver's paths as Requests, discovery, the scale subresource, TLS and identity."""

import json
import ssl
import urllib.request
from pathlib import Path

import pytest
from test_pipeline import deployment, send

from kauth.apiserver.http import default_tls, handle_http, make_server, to_request, warning_header
from kauth.authn.x509 import issue
from kauth.cluster import Cluster
from kauth.store.base import Key

POLICIES = Path(__file__).resolve().parents[2] / "policies"
OPS_TOKEN = "ops-token-fedcba9876543210fedcba98"  # policies/tokens.csv: olga, system:masters
DANA_TOKEN = "dana-dev-token-0123456789abcdef"  # dana, dev-team


@pytest.mark.parametrize("method, target, expected", [
    ("GET", "/api/v1/namespaces/dev/pods", dict(verb="list", version="v1", resource="pods", namespace="dev")),
    ("GET", "/api/v1/namespaces/dev/pods/web", dict(verb="get", resource="pods", namespace="dev", name="web")),
    ("GET", "/api/v1/pods", dict(verb="list", resource="pods", namespace="")),
    ("GET", "/api/v1/namespaces/dev/pods?watch=true", dict(verb="watch", resource="pods")),
    ("GET", "/api/v1/watch/namespaces/dev/pods", dict(verb="watch", resource="pods", namespace="dev")),
    ("GET", "/api/v1/namespaces/dev", dict(verb="get", resource="namespaces", namespace="", name="dev")),
    ("PUT", "/api/v1/namespaces/dev/finalize", dict(verb="update", resource="namespaces", name="dev",
                                                    subresource="finalize")),
    ("GET", "/apis/apps/v1/namespaces/dev/deployments/web/scale",
     dict(verb="get", group="apps", version="v1", resource="deployments", name="web", subresource="scale")),
    ("DELETE", "/apis/apps/v1/namespaces/dev/deployments", dict(verb="deletecollection", resource="deployments")),
    ("DELETE", "/apis/apps/v1/namespaces/dev/deployments/web", dict(verb="delete", name="web")),
    ("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All&fieldManager=kubectl-create"
             "&fieldValidation=Strict",
     dict(verb="create", group="rbac.authorization.k8s.io", resource="clusterroles", dry_run=True,
          field_manager="kubectl-create", field_validation="Strict")),
    ("GET", "/api/v1/namespaces/dev/pods?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dx",
     dict(label_selector="app=web", field_selector="metadata.name=x")),
    ("GET", "/apis/apps/v1", dict(path="/apis/apps/v1")),
    ("GET", "/apis", dict(path="/apis")),
    ("GET", "/healthz", dict(path="/healthz")),
])
def test_paths_resolve_as_kube_apiserver_requestinfo_does(method, target, expected):
    request = to_request(method, target, {}, b"")
    for field, value in expected.items():
        assert getattr(request, field) == value, field


def test_a_delete_is_a_dry_run_when_its_body_says_so():
    # client-go's dynamic client (kubectl apply --prune --dry-run=server) sends DeleteOptions as the body.
    request = to_request("DELETE", "/api/v1/namespaces/d/configmaps/c", {"Content-Type": "application/json"},
                         b'{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"],"propagationPolicy":"Background"}')
    assert request.dry_run is True
    assert to_request("DELETE", "/api/v1/namespaces/d/configmaps/c", {}, b"").dry_run is False


def test_patch_content_types_name_the_patch_type_and_bodies_are_decoded():
    for content_type, patch_type in [("application/strategic-merge-patch+json", "strategic"),
                                     ("application/merge-patch+json", "merge"),
                                     ("application/json-patch+json", "json")]:
        request = to_request("PATCH", "/api/v1/namespaces/d/pods/p", {"Content-Type": content_type}, b'{"a":1}')
        assert (request.patch_type, request.body) == (patch_type, {"a": 1})
    yaml_body = to_request("POST", "/api/v1/namespaces/d/configmaps", {"Content-Type": "application/yaml"},
                           b"metadata: {name: x}\n")
    assert yaml_body.body == {"metadata": {"name": "x"}}


def test_identity_comes_from_the_bearer_token_and_impersonate_headers_never_from_assertion():
    request = to_request("GET", "/api/v1/pods", {"Authorization": "Bearer abc", "Impersonate-User": "dana",
                                                 "Impersonate-Group": ["a", "b"], "Impersonate-Extra-Scopes": "s"}, b"")
    assert request.credentials.bearer_token == "abc" and request.credentials.asserted_user is None
    assert request.impersonate.user == "dana" and request.impersonate.groups == ("a", "b")
    assert request.impersonate.extra == {"scopes": ("s",)}


def test_a_protobuf_body_is_refused_with_415_and_changes_nothing():
    cluster = Cluster.in_memory(policies=POLICIES)
    before = cluster.store.revision()
    answer = handle_http(cluster, "POST", "/api/v1/namespaces/default/configmaps",
                         {"Authorization": f"Bearer {OPS_TOKEN}", "Content-Type": "application/vnd.kubernetes.protobuf"},
                         b"k8s\x00\x0a")
    assert answer.code == 415 and answer.body["reason"] == "UnsupportedMediaType"
    assert cluster.store.revision() == before


def test_discovery_lists_groups_resources_and_subresources_with_their_kinds():
    cluster = Cluster.in_memory(policies=POLICIES)
    auth = {"Authorization": f"Bearer {OPS_TOKEN}"}
    groups = handle_http(cluster, "GET", "/apis", auth, b"").body
    apps = next(g for g in groups["groups"] if g["name"] == "apps")
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    resources = handle_http(cluster, "GET", "/apis/apps/v1", auth, b"").body["resources"]
    by_name = {r["name"]: r for r in resources}
    assert by_name["deployments"]["shortNames"] == ["deploy"] and by_name["deployments"]["namespaced"] is True
    assert by_name["deployments/scale"] == {"name": "deployments/scale", "singularName": "", "namespaced": True,
                                            "group": "autoscaling", "version": "v1", "kind": "Scale",
                                            "verbs": ["get", "patch", "update"]}
    assert by_name["deployments/status"]["kind"] == "Deployment"
    index = handle_http(cluster, "GET", "/openapi/v3", auth, b"").body["paths"]
    assert index["apis/apps/v1"] == {"serverRelativeURL": "/openapi/v3/apis/apps/v1"}
    spec = handle_http(cluster, "GET", "/openapi/v3/apis/apps/v1", auth, b"").body
    patch = spec["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert {p["name"] for p in patch["parameters"]} >= {"fieldValidation", "dryRun"}


def test_discovery_is_authorized_like_any_non_resource_path():
    cluster = Cluster.in_memory(policies=POLICIES)
    assert handle_http(cluster, "GET", "/api", {}, b"").code == 403  # anonymous: only public info
    assert handle_http(cluster, "GET", "/version", {}, b"").code == 200
    assert handle_http(cluster, "GET", "/api", {"Authorization": f"Bearer {DANA_TOKEN}"}, b"").code == 200


def test_warnings_are_written_as_kube_apiserver_writes_them():
    assert warning_header('spec.x: "a" is deprecated') == '299 - "spec.x: \\"a\\" is deprecated"'


# -- the scale subresource -------------------------------------------------------------------------

def test_scale_get_answers_an_autoscaling_v1_scale(cluster):
    web = deployment(replicas=3)
    web["spec"]["selector"]["matchExpressions"] = [{"key": "tier", "operator": "In", "values": ["b", "a"]}]
    web["spec"]["template"]["metadata"]["labels"] = {"app": "web", "tier": "a"}
    stored = send(cluster, "create", "deployments", group="apps", body=web).body
    scale = send(cluster, "get", "deployments", name="web", group="apps", subresource="scale").body
    assert scale == {"kind": "Scale", "apiVersion": "autoscaling/v1",
                     "metadata": {k: stored["metadata"][k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                                     "creationTimestamp")},
                     "spec": {"replicas": 3}, "status": {"replicas": 0, "selector": "app=web,tier in (a,b)"}}


def test_scale_patch_applies_to_the_scale_and_writes_replicas_back(cluster):
    send(cluster, "create", "deployments", group="apps", body=deployment(replicas=1))
    response = send(cluster, "patch", "deployments", name="web", group="apps", subresource="scale",
                    body={"spec": {"replicas": 4}}, patch_type="merge")
    assert response.code == 200 and response.body["kind"] == "Scale" and response.body["spec"] == {"replicas": 4}
    live = send(cluster, "get", "deployments", name="web", group="apps").body
    assert live["spec"]["replicas"] == 4 and live["metadata"]["generation"] == 2
    assert response.body["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]


def test_scale_rejects_negative_replicas_and_stale_versions_without_writing(cluster):
    send(cluster, "create", "deployments", group="apps", body=deployment(replicas=1))
    before = cluster.store.revision()
    negative = send(cluster, "patch", "deployments", name="web", group="apps", subresource="scale",
                    body={"spec": {"replicas": -1}}, patch_type="merge")
    assert negative.code == 422
    assert negative.body["message"] == ('Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: '
                                        "must be greater than or equal to 0")
    stale = send(cluster, "update", "deployments", name="web", group="apps", subresource="scale",
                 body={"kind": "Scale", "apiVersion": "autoscaling/v1",
                       "metadata": {"name": "web", "resourceVersion": "1"}, "spec": {"replicas": 2}})
    assert stale.code == 409
    assert cluster.store.revision() == before


# -- over the wire ---------------------------------------------------------------------------------

@pytest.fixture
def served():
    """(cluster, https URL, SSL context trusting the serving CA) of a kauth serve on a free port."""
    import threading

    cluster = Cluster.in_memory(policies=POLICIES)
    tls, trust = default_tls(POLICIES, "pki/ca.crt")
    server = make_server(cluster, tls=tls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield cluster, f"https://127.0.0.1:{server.server_address[1]}", ssl.create_default_context(cadata=trust.decode())
    server.shutdown()
    server.server_close()


def test_https_serves_tokens_and_client_certificates_through_the_pipeline(served, tmp_path):
    cluster, url, context = served
    cert, key = issue((POLICIES / "pki/ca.crt").read_bytes(), (POLICIES / "pki/ca.key").read_bytes(),
                      common_name="carol", organizations=["system:masters"])
    (tmp_path / "c.crt").write_bytes(cert)
    (tmp_path / "c.key").write_bytes(key)
    context.load_cert_chain(tmp_path / "c.crt", tmp_path / "c.key")
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}).encode()
    post = urllib.request.Request(f"{url}/api/v1/namespaces/default/configmaps", body, method="POST",
                                  headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(post, context=context) as reply:
        assert reply.status == 201
    assert cluster.store.get(Key("", "configmaps", "default", "cm"))["metadata"]["managedFields"][0]["manager"] == \
        "Python-urllib"  # no fieldManager: the User-Agent up to its first '/'


def test_a_bearer_token_identifies_the_user_over_https(served):
    _, url, context = served
    review = urllib.request.Request(f"{url}/apis/authentication.k8s.io/v1/selfsubjectreviews", json.dumps(
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {DANA_TOKEN}"})
    with urllib.request.urlopen(review, context=context) as reply:
        assert json.load(reply)["status"]["userInfo"]["username"] == "dana"


def test_hostile_bodies_are_refused_and_change_nothing():
    cluster = Cluster.in_memory(policies=POLICIES)
    auth = {"Authorization": f"Bearer {OPS_TOKEN}"}
    created = handle_http(cluster, "POST", "/api/v1/namespaces/default/configmaps", auth,
                          b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"}}')
    assert created.code == 201
    before = cluster.store.revision()
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    answer = handle_http(cluster, "PATCH", "/api/v1/namespaces/default/configmaps/settings",
                         {**auth, "Content-Type": "application/apply-patch+yaml"}, bomb.encode())
    assert answer.code >= 400  # go-yaml's alias limit, not an exponential expansion
    broken = handle_http(cluster, "PATCH", "/api/v1/namespaces/default/configmaps/settings",
                         {**auth, "Content-Type": "application/merge-patch+json"}, b'{"data": ')
    assert broken.code == 400 and broken.body["reason"] == "BadRequest"
    assert cluster.store.revision() == before


def test_a_body_over_the_limit_is_refused_unread(served):
    _, url, context = served
    request = urllib.request.Request(f"{url}/api/v1/namespaces/default/configmaps", b"x" * (3 * 1024 * 1024 + 1),
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "Authorization": f"Bearer {OPS_TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, context=context)
    assert refused.value.code == 413
    assert json.load(refused.value)["message"] == "Request entity too large: limit is 3145728"
