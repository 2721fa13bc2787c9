"""Authentication from the shipped policies/: every method with real cryptography, and every bad credential a
401 whose trace says why, changing nothing."""

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from kauth.apiserver.request import Credentials, Request
from kauth.authn import x509 as certs
from kauth.authn.config import ConfigError, build
from kauth.authn.oidc import sign_token
from kauth.authn.serviceaccount import issue_bound_token
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster

POLICIES = Path(__file__).resolve().parents[2] / "policies"
PKI = POLICIES / "pki"
ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
ISSUER = "https://kubernetes.default.svc.cluster.local"


@pytest.fixture(scope="module")
def base():
    return Cluster.in_memory(policies=POLICIES)


@pytest.fixture
def cluster(base):
    return base.copy()


def whoami(cluster, credentials):
    """(code, the userInfo or the error message, the authentication step's message)."""
    response = cluster.handle(Request("create", "authentication.k8s.io", "v1", "selfsubjectreviews", credentials=credentials,
                                      body={"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}))
    step = next(s for s in response.trace if s.stage == "authentication")
    info = response.body["status"]["userInfo"] if response.ok else response.message
    return response.code, info, step.message


def rejected(cluster, credentials) -> str:
    """A write that must fail authentication: 401, nothing stored; the trace's reason."""
    before = cluster.store.revision()
    response = cluster.handle(Request("create", "", "v1", "configmaps", "dev", credentials=credentials,
                                      body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}))
    assert (response.code, response.message) == (401, "Unauthorized")
    assert cluster.store.revision() == before
    return next(s for s in response.trace if s.stage == "authentication").message


def cert(**options):
    pem, _ = certs.issue(PKI.joinpath("ca.crt").read_bytes(), PKI.joinpath("ca.key").read_bytes(), **options)
    return Credentials(client_cert_pem=pem)


# -- X509 --------------------------------------------------------------------------------------------------

def test_a_client_certificate_names_the_user_and_its_groups(cluster):
    code, info, _ = whoami(cluster, cert(common_name="alice", organizations=["dev-team", "qa"]))
    assert code == 201
    assert (info["username"], info["groups"]) == ("alice", ["dev-team", "qa", "system:authenticated"])


def test_an_expired_certificate_is_refused(cluster):
    old = datetime.now(timezone.utc) - timedelta(days=10)
    assert "certificate has expired or is not yet valid" in rejected(cluster, cert(common_name="a", not_before=old, days=1))


def test_a_certificate_not_yet_valid_is_refused(cluster):
    soon = datetime.now(timezone.utc) + timedelta(days=1)
    assert "is before" in rejected(cluster, cert(common_name="a", not_before=soon))


def test_a_certificate_from_another_ca_is_refused(cluster):
    ca_cert, ca_key = certs.new_ca("not-the-cluster")
    pem, _ = certs.issue(ca_cert, ca_key, common_name="mallory", organizations=["system:masters"])
    assert rejected(cluster, Credentials(client_cert_pem=pem)).endswith("x509: certificate signed by unknown authority")


def test_a_server_only_certificate_is_refused(cluster):
    why = rejected(cluster, cert(common_name="a", usage=ExtendedKeyUsageOID.SERVER_AUTH))
    assert why.endswith("x509: certificate specifies an incompatible key usage")


def test_a_self_signed_leaf_is_refused(cluster):
    ca_cert, _ = certs.new_ca("kubernetes-admin")  # signed by itself, claiming a name
    assert rejected(cluster, Credentials(client_cert_pem=ca_cert)).endswith("signed by unknown authority")


def test_garbage_instead_of_a_certificate_is_refused(cluster):
    assert "not valid PEM" in rejected(cluster, Credentials(client_cert_pem=b"-----BEGIN CERTIFICATE-----\nxx\n"))


# -- static tokens -----------------------------------------------------------------------------------------

def test_a_static_token_names_its_row(cluster):
    code, info, why = whoami(cluster, Credentials(bearer_token="dana-dev-token-0123456789abcdef"))
    assert (code, info["username"], info["uid"], info["groups"]) == (201, "dana", "1001", ["dev-team", "system:authenticated"])
    assert "--token-auth-file" in why


def test_an_unknown_token_is_a_401_never_anonymous(cluster):
    assert rejected(cluster, Credentials(bearer_token="nope")).startswith("invalid bearer token")


def test_an_empty_bearer_token_is_anonymous(cluster):
    assert whoami(cluster, Credentials(bearer_token=""))[1] == 'selfsubjectreviews.authentication.k8s.io is forbidden: ' \
        'User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at ' \
        'the cluster scope'


def test_a_huge_or_malformed_token_is_a_401(cluster):
    assert rejected(cluster, Credentials(bearer_token="x" * 2_000_000)).startswith("invalid bearer token")
    assert rejected(cluster, Credentials(bearer_token="a.b.c")).startswith("invalid bearer token")
    assert rejected(cluster, Credentials(bearer_token="\x00\n\u2028")).startswith("invalid bearer token")


@pytest.mark.parametrize("rows, why", [
    ("tok,user\n", "must have at least 3 columns"),
    ("tok\n", "must have at least 3 columns"),
])
def test_a_token_file_with_bad_rows_is_refused_at_load(tmp_path, rows, why):
    (tmp_path / "authentication.yaml").write_text("token-auth-file: tokens.csv\n")
    (tmp_path / "tokens.csv").write_text(rows)
    with pytest.raises(ConfigError, match=why):
        build(tmp_path, lambda *a: None, lambda: datetime.now(timezone.utc))


def test_the_last_row_of_a_repeated_token_wins(tmp_path):
    from kauth.authn.tokenfile import parse

    assert parse('t,first,1\nt,second,2,"a,b"\n,skipped,3\n')["t"].name == "second"
    assert parse('t,u,1,\n')["t"].groups == ("",)  # an empty fourth column is one empty group, as upstream


# -- service-account tokens --------------------------------------------------------------------------------

def token_request(cluster, name="ci", namespace="dev", **spec):
    response = cluster.handle(Request("create", "", "v1", "serviceaccounts", namespace, name, subresource="token",
                                      credentials=ADMIN, body={"apiVersion": "authentication.k8s.io/v1",
                                                               "kind": "TokenRequest", "spec": spec}))
    assert response.code == 201, response.message
    return response.body["status"]["token"]


def test_a_bound_token_is_the_service_account(cluster):
    code, info, why = whoami(cluster, Credentials(bearer_token=token_request(cluster)))
    assert info["username"] == "system:serviceaccount:dev:ci"
    assert info["groups"] == ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]
    assert "bound service account token" in why


def test_a_token_request_is_validated(cluster):
    response = cluster.handle(Request("create", "", "v1", "serviceaccounts", "dev", "ci", subresource="token",
                                      credentials=ADMIN, body={"apiVersion": "authentication.k8s.io/v1",
                                                               "kind": "TokenRequest", "spec": {"expirationSeconds": 60}}))
    assert response.code == 422
    assert response.message.endswith("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than "
                                     "10 minutes")


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "system:serviceaccount:kube-system:admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_a_tampered_token_is_refused(cluster):
    why = rejected(cluster, Credentials(bearer_token=tampered(token_request(cluster))))
    assert "error in cryptographic primitive" in why


def test_alg_none_is_refused(cluster):
    claims = jwt.decode(token_request(cluster), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert rejected(cluster, Credentials(bearer_token=unsigned)).startswith("invalid bearer token")


def test_hs256_signed_with_the_public_key_is_refused(cluster):
    claims = jwt.decode(token_request(cluster), options={"verify_signature": False})

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    mac = hmac.new(PKI.joinpath("sa.pub").read_bytes(), signing_input.encode(), hashlib.sha256).digest()
    assert rejected(cluster, Credentials(bearer_token=f"{signing_input}.{b64(mac)}")).startswith("invalid bearer token")


def sa_token(cluster, *, issuer=ISSUER, audiences=(ISSUER,), now=None, seconds=3600):
    account = cluster.store.get(__import__("kauth.store.base", fromlist=["Key"]).Key("", "serviceaccounts", "dev", "ci"))
    token, _ = issue_bound_token(PKI.joinpath("sa.key").read_bytes(), issuer=issuer, namespace="dev", name="ci",
                                 uid=account["metadata"]["uid"], audiences=list(audiences), expiration_seconds=seconds,
                                 now=now or datetime.now(timezone.utc))
    return token


def test_a_token_of_another_issuer_is_refused(cluster):
    assert rejected(cluster, Credentials(bearer_token=sa_token(cluster, issuer="https://elsewhere"))).startswith(
        "invalid bearer token")


def test_a_token_for_another_audience_is_refused(cluster):
    why = rejected(cluster, Credentials(bearer_token=sa_token(cluster, audiences=["vault"])))
    assert 'token audiences ["vault"] is invalid for the target audiences ' \
           '["https://kubernetes.default.svc.cluster.local"]' in why


def test_an_expired_token_is_refused_after_the_leeway(cluster):
    two_hours_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    why = rejected(cluster, Credentials(bearer_token=sa_token(cluster, now=two_hours_ago, seconds=600)))
    assert "service account token has expired" in why


def test_a_token_bound_to_a_pod_dies_with_the_pod(cluster):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "runner", "namespace": "dev"},
           "spec": {"serviceAccountName": "ci", "containers": [{"name": "c", "image": "busybox"}]}}

    def create_pod():
        assert cluster.handle(Request("create", "", "v1", "pods", "dev", body=pod, credentials=ADMIN)).ok

    create_pod()
    token = token_request(cluster, boundObjectRef={"kind": "Pod", "apiVersion": "v1", "name": "runner"})
    code, info, _ = whoami(cluster, Credentials(bearer_token=token))
    assert info["extra"]["authentication.kubernetes.io/pod-name"] == ["runner"]
    cluster.handle(Request("delete", "", "v1", "pods", "dev", "runner", credentials=ADMIN))
    # kube-apiserver caches a successful token authentication for 10 s: until then the token still works.
    assert whoami(cluster, Credentials(bearer_token=token))[0] == 201
    later(cluster, seconds=11)
    assert "service account token has been invalidated" in rejected(cluster, Credentials(bearer_token=token))
    create_pod()  # the same name, a new uid: the token stays dead
    assert "does not match service account pod ref claim" in rejected(cluster, Credentials(bearer_token=token))


def later(cluster, seconds):
    """Move the API server's clock forward (token caches and expiry read it)."""
    start = cluster.server.clock()
    cluster.server.clock = lambda: start + timedelta(seconds=seconds)


def test_a_token_dies_with_its_service_account(cluster):
    token = token_request(cluster)  # never used before the delete, so nothing is cached
    cluster.handle(Request("delete", "", "v1", "serviceaccounts", "dev", "ci", credentials=ADMIN))
    assert 'serviceaccounts "ci" not found' in rejected(cluster, Credentials(bearer_token=token))


# -- bootstrap tokens -------------------------------------------------------------------------------------------

def bootstrap_secret(cluster, **data):
    values = {"token-id": "abcdef", "token-secret": "0123456789abcdef", "usage-bootstrap-authentication": "true",
              "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token", **data}
    body = {"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
            "metadata": {"name": "bootstrap-token-abcdef", "namespace": "kube-system"},
            "stringData": {k: v for k, v in values.items() if v is not None}}
    assert cluster.handle(Request("create", "", "v1", "secrets", "kube-system", body=body, credentials=ADMIN)).ok


def test_a_bootstrap_token_authenticates_the_bootstrapper(cluster):
    bootstrap_secret(cluster)
    code, info, _ = whoami(cluster, Credentials(bearer_token="abcdef.0123456789abcdef"))
    assert info["username"] == "system:bootstrap:abcdef"
    assert info["groups"] == ["system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token",
                              "system:authenticated"]


@pytest.mark.parametrize("token, data, why", [
    ("abcdef.ffffffffffffffff", {}, "the token secret does not match"),
    ("abcdef.0123456789abcdef", {"expiration": "2020-01-01T00:00:00Z"}, "expired at 2020-01-01T00:00:00Z"),
    ("abcdef.0123456789abcdef", {"usage-bootstrap-authentication": None}, 'usage-bootstrap-authentication is not "true"'),
    ("abcdef.0123456789abcdef", {"auth-extra-groups": "system:masters"}, "not a system:bootstrappers: group"),
])
def test_bad_bootstrap_tokens_are_refused(cluster, token, data, why):
    bootstrap_secret(cluster, **data)
    assert why in rejected(cluster, Credentials(bearer_token=token))


# -- OIDC ---------------------------------------------------------------------------------------------------

def oidc_token(**claims):
    now = int(datetime.now(timezone.utc).timestamp())
    base = {"iss": "https://issuer.example.com", "aud": "kauth", "sub": "u1", "email": "jane@example.com",
            "email_verified": True, "groups": ["dev"], "iat": now, "exp": now + 600}
    return sign_token({**base, **claims}, PKI.joinpath("oidc-issuer.key").read_bytes(), kid="kauth-example-issuer")


def test_an_oidc_id_token_maps_email_and_prefixed_groups(cluster):
    code, info, _ = whoami(cluster, Credentials(bearer_token=oidc_token()))
    assert (info["username"], info["groups"]) == ("jane@example.com", ["oidc:dev", "system:authenticated"])


def test_an_oidc_token_for_another_client_is_refused(cluster):
    assert 'expected audience "kauth"' in rejected(cluster, Credentials(bearer_token=oidc_token(aud="other")))


# -- the CLI's credentials ---------------------------------------------------------------------------------------

def test_a_kubeconfig_whose_key_does_not_match_its_certificate_sends_nothing(tmp_path):
    from kauth.api.errors import ClientError
    from kauth.kubectl.kubeconfig import resolve

    pem, _ = certs.issue(PKI.joinpath("ca.crt").read_bytes(), PKI.joinpath("ca.key").read_bytes(), common_name="a")
    _, other_key = certs.issue(PKI.joinpath("ca.crt").read_bytes(), PKI.joinpath("ca.key").read_bytes(), common_name="b")
    (tmp_path / "a.crt").write_bytes(pem)
    (tmp_path / "b.key").write_bytes(other_key)
    with pytest.raises(ClientError, match="private key does not match public key"):
        resolve(client_certificate=str(tmp_path / "a.crt"), client_key=str(tmp_path / "b.key"))


# -- the authenticating proxy -----------------------------------------------------------------------------------

def proxied(common_name="front-proxy-client", ca="front-proxy-ca", headers=None):
    pem, _ = certs.issue(PKI.joinpath(f"{ca}.crt").read_bytes(), PKI.joinpath(f"{ca}.key").read_bytes(),
                         common_name=common_name)
    return Credentials(client_cert_pem=pem, headers=headers if headers is not None else {
        "X-Remote-User": ("proxied-pat",), "X-Remote-Group": ("dev-team", "qa"),
        "X-Remote-Extra-Scopes%2Fread": ("all",)})


def test_the_front_proxy_asserts_user_groups_and_extras(cluster):
    code, info, why = whoami(cluster, proxied())
    assert (info["username"], info["groups"]) == ("proxied-pat", ["dev-team", "qa", "system:authenticated"])
    assert info["extra"] == {"scopes/read": ["all"]}
    assert "authenticating proxy" in why


def test_headers_from_a_cert_of_another_ca_are_not_believed(cluster):
    # Signed by the cluster CA: the x509 authenticator takes it as the user "front-proxy-client"; the headers are ignored.
    code, info, _ = whoami(cluster, proxied(ca="ca"))
    assert info["username"] == "front-proxy-client"


def test_a_front_proxy_cert_with_a_cn_not_allowed_is_refused(cluster):
    assert rejected(cluster, proxied(common_name="sneaky-proxy")).startswith(
        "x509: subject with cn=sneaky-proxy is not in the allowed list")


@pytest.mark.parametrize("flags, why", [
    ("basic-auth-file: users.csv\n", "removed from kube-apiserver in Kubernetes 1.19"),
    ("client-ca-fil: pki/ca.crt\n", "unknown flag: --client-ca-fil"),
    ("client-ca-file: missing.crt\n", "--client-ca-file=missing.crt: No such file or directory"),
])
def test_a_bad_configuration_is_refused_with_a_clear_error(tmp_path, flags, why):
    (tmp_path / "authentication.yaml").write_text(flags)
    with pytest.raises(ConfigError, match=why):
        build(tmp_path, lambda *a: None, lambda: datetime.now(timezone.utc))


def test_es256_service_account_tokens(tmp_path):
    """A cluster whose service-account key is ECDSA P-256 signs ES256 tokens and accepts them."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "sa.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    (tmp_path / "sa.pub").write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                                    serialization.PublicFormat.SubjectPublicKeyInfo))
    (tmp_path / "authentication.yaml").write_text(
        "service-account-key-file: sa.pub\nservice-account-signing-key-file: sa.key\n")
    cluster = Cluster.in_memory(policies=tmp_path)
    token = token_request(cluster, name="default", namespace="default")
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    assert whoami(cluster, Credentials(bearer_token=token))[1]["username"] == "system:serviceaccount:default:default"


# -- legacy service-account token Secrets ------------------------------------------------------------------------

def legacy_secret(cluster, account="ci"):
    body = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {"name": f"{account}-token", "namespace": "dev",
                         "annotations": {"kubernetes.io/service-account.name": account}}}
    response = cluster.handle(Request("create", "", "v1", "secrets", "dev", body=body, credentials=ADMIN))
    assert response.ok, response.message
    from kauth.store.base import Key

    return cluster.store.get(Key("", "secrets", "dev", f"{account}-token"))


def test_the_tokens_controller_fills_a_legacy_token_secret_that_authenticates(cluster):
    secret = legacy_secret(cluster)
    token = base64.b64decode(secret["data"]["token"]).decode()
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == "kubernetes/serviceaccount"
    assert base64.b64decode(secret["data"]["ca.crt"]) == PKI.joinpath("ca.crt").read_bytes()
    code, info, why = whoami(cluster, Credentials(bearer_token=token))
    assert info["username"] == "system:serviceaccount:dev:ci" and "legacy service account token" in why
    cluster.handle(Request("delete", "", "v1", "secrets", "dev", "ci-token", credentials=ADMIN))
    later(cluster, seconds=11)  # past the token cache
    assert "Token has been invalidated" in rejected(cluster, Credentials(bearer_token=token))


def test_a_legacy_token_secret_for_a_missing_account_is_deleted(cluster):
    body = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {"name": "ghost-token", "namespace": "dev",
                         "annotations": {"kubernetes.io/service-account.name": "ghost"}}}
    response = cluster.handle(Request("create", "", "v1", "secrets", "dev", body=body, credentials=ADMIN))
    assert response.ok
    assert any(s.stage == "controllers" and "deleted" == s.outcome for s in response.trace)
    from kauth.store.base import Key

    assert cluster.store.get(Key("", "secrets", "dev", "ghost-token")) is None
