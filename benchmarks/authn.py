"""Authentications per second, per method, through the shipped policies/authentication.yaml.

    python benchmarks/authn.py [--seconds 1]

Each method is timed on the authenticator chain alone (what every request pays before authorization),
beside the asserted identity kauth's CLI uses by default (no credential to verify) as the baseline;
token methods with kube-apiserver's 10-second success cache and without it.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not

from kauth.apiserver.request import Credentials, Request  # noqa: E402
from kauth.authn import x509  # noqa: E402
from kauth.authn.oidc import sign_token  # noqa: E402
from kauth.authn.user import CLUSTER_ADMIN  # noqa: E402
from kauth.cluster import Cluster  # noqa: E402

PKI = ROOT / "policies" / "pki"


def rate(authenticate, credentials: Credentials, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        result = authenticate(credentials)
        assert result.user is not None and not result.error, result.detail
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=1.0)
    options = parser.parse_args()
    cluster = Cluster.in_memory(policies=ROOT / "policies")
    admin = Credentials(asserted_user=CLUSTER_ADMIN)
    token = cluster.handle(Request("create", "", "v1", "serviceaccounts", "dev", "ci", subresource="token",
                                   credentials=admin, body={"apiVersion": "authentication.k8s.io/v1",
                                                            "kind": "TokenRequest", "spec": {}})).body["status"]["token"]
    cluster.handle(Request("create", "", "v1", "secrets", "kube-system", credentials=admin, body={
        "apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
        "metadata": {"name": "bootstrap-token-abcdef"},
        "stringData": {"token-id": "abcdef", "token-secret": "0123456789abcdef",
                       "usage-bootstrap-authentication": "true"}}))
    cert, _ = x509.issue(PKI.joinpath("ca.crt").read_bytes(), PKI.joinpath("ca.key").read_bytes(),
                         common_name="alice", organizations=["dev-team"])
    now = int(datetime.now(timezone.utc).timestamp())
    oidc = sign_token({"iss": "https://issuer.example.com", "aud": "kauth", "sub": "u", "email": "j@example.com",
                       "groups": ["dev"], "iat": now, "exp": now + 3600},
                      PKI.joinpath("oidc-issuer.key").read_bytes(), kid="kauth-example-issuer")
    methods = {
        "asserted identity (baseline)": admin,
        "static token file": Credentials(bearer_token="dana-dev-token-0123456789abcdef"),
        "x509 client certificate": Credentials(client_cert_pem=cert),
        "bound service-account token": Credentials(bearer_token=token),
        "bootstrap token": Credentials(bearer_token="abcdef.0123456789abcdef"),
        "OIDC ID token": Credentials(bearer_token=oidc),
    }
    authenticate = cluster.server.authenticator.authenticate
    bearer = next(a for a in cluster.server.authenticator.authenticators if a.name == "bearer-token")
    baseline = rate(authenticate, admin, options.seconds)
    print(f"{'method':<30} {'uncached/s':>11} {'vs baseline':>12} {'cached/s':>10} {'cache speed-up':>15}")
    for name, credentials in methods.items():
        if credentials is admin:
            print(f"{name:<30} {baseline:>11.0f} {1:>11.3f}x")
            continue
        ttl, bearer.cache_ttl = bearer.cache_ttl, 0
        uncached = rate(authenticate, credentials, options.seconds)
        bearer.cache_ttl = ttl
        if credentials.bearer_token is None:
            print(f"{name:<30} {uncached:>11.0f} {uncached / baseline:>11.3f}x {'(no cache: not a token)':>26}")
            continue
        cached = rate(authenticate, credentials, options.seconds)
        print(f"{name:<30} {uncached:>11.0f} {uncached / baseline:>11.3f}x {cached:>10.0f} {cached / uncached:>14.1f}x")


if __name__ == "__main__":
    main()
