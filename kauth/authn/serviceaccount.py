"""Service-account tokens: legacy Secret-based JWTs and bound tokens from the TokenRequest API.

Upstream: pkg/serviceaccount/jwt.go (JWTTokenGenerator, jwtTokenAuthenticator: issuer pre-check, every public
key tried, the audience intersection), claims.go (bound tokens: go-jose's one-minute leeway, the
ServiceAccount and the bound Pod/Secret/Node must still exist with the same uid), legacy.go (the Secret must
still hold the very token). The user is system:serviceaccount:<ns>:<name> in system:serviceaccounts and
system:serviceaccounts:<ns>.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kauth.api.errors import go_quote_list
from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo

LEGACY_ISSUER = "kubernetes/serviceaccount"
LEEWAY = timedelta(minutes=1)  # jwt.DefaultLeeway
ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]  # what kube-apiserver's parser accepts
PREFIX = "system:serviceaccount:"
LEGACY = "kubernetes.io/serviceaccount/"

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", re.DOTALL)

Getter = Callable[[str, str, str], "dict | None"]  # (resource, namespace, name) -> the stored object


def key_id(public_key: Any) -> str:
    """keyIDFromPublicKey: base64url (unpadded) SHA-256 of the key's DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")


def load_public_keys(pem: bytes) -> list[Any]:
    """--service-account-key-file: public keys, or private keys whose public halves are meant, or certificates."""
    return [_public_key(m.group(0)) for m in _PEM_BLOCK.finditer(pem)]


def _public_key(pem: bytes) -> Any:
    if b"CERTIFICATE" in pem:
        from cryptography import x509

        return x509.load_pem_x509_certificate(pem).public_key()
    if b"PRIVATE" in pem:
        return serialization.load_pem_private_key(pem, password=None).public_key()
    return serialization.load_pem_public_key(pem)


def _algorithm(private_key: Any) -> str:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return {256: "ES256", 384: "ES384", 521: "ES512"}[private_key.curve.key_size]
    raise ValueError("service account signing keys must be RSA or ECDSA")


@dataclass(frozen=True)
class BoundObject:
    kind: str  # Pod, Secret or Node
    name: str
    uid: str


def issue_bound_token(private_key_pem: bytes, *, issuer: str, namespace: str, name: str, uid: str,
                      audiences: Sequence[str], expiration_seconds: int, now: datetime,
                      bound: BoundObject | None = None) -> tuple[str, datetime]:
    """What the TokenRequest API signs (claims.go Claims): (token, expiry)."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    expires = now + timedelta(seconds=expiration_seconds)
    private: dict[str, Any] = {"namespace": namespace, "serviceaccount": {"name": name, "uid": uid}}
    if bound is not None:
        private[bound.kind.lower()] = {"name": bound.name, "uid": bound.uid}
    claims = {"aud": list(audiences), "exp": int(expires.timestamp()), "iat": int(now.timestamp()), "iss": issuer,
              "jti": str(uuid.uuid4()), "kubernetes.io": private, "nbf": int(now.timestamp()),
              "sub": f"{PREFIX}{namespace}:{name}"}
    token = jwt.encode(claims, key, algorithm=_algorithm(key), headers={"kid": key_id(key.public_key())})
    return token, expires


def issue_legacy_token(private_key_pem: bytes, *, namespace: str, name: str, uid: str, secret_name: str) -> str:
    """What the token controller wrote into a kubernetes.io/service-account-token Secret (legacy.go Claims)."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    claims = {"iss": LEGACY_ISSUER, f"{LEGACY}namespace": namespace, f"{LEGACY}secret.name": secret_name,
              f"{LEGACY}service-account.name": name, f"{LEGACY}service-account.uid": uid,
              "sub": f"{PREFIX}{namespace}:{name}"}
    return jwt.encode(claims, key, algorithm=_algorithm(key), headers={"kid": key_id(key.public_key())})


class ServiceAccountAuthenticator:
    """Both validators: legacy tokens (issuer kubernetes/serviceaccount) and bound ones (the cluster's issuers)."""

    name = "service-account"

    def __init__(self, *, issuers: Sequence[str], public_keys: Sequence[Any], api_audiences: Sequence[str],
                 get: Getter, clock: Callable[[], datetime], lookup: bool = True) -> None:
        self.issuers = tuple(issuers)
        self.keys = list(public_keys)
        self.api_audiences = tuple(api_audiences)
        self.get = get
        self.clock = clock
        self.lookup = lookup

    def _fail(self, why: str) -> Result:
        return Result(None, self.name, why, error=True)

    def authenticate_token(self, token: str) -> Result | None:
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return None  # not a JWT: someone else's token
        issuer = unverified.get("iss")
        if issuer != LEGACY_ISSUER and issuer not in self.issuers:
            return None  # hasCorrectIssuer: another issuer's token (OIDC comes after us)
        if header.get("alg") not in ALGORITHMS:
            return None  # jwt.ParseSigned refuses it: not a token kube-apiserver can read
        claims, errors = None, []
        for key in self.keys:
            try:
                claims = jwt.decode(token, key, algorithms=[header["alg"]],
                                    options={"verify_aud": False, "verify_exp": False, "verify_nbf": False,
                                             "verify_iat": False, "verify_iss": False})
                break
            except jwt.PyJWTError as err:
                errors.append(err)
        if claims is None:
            return self._fail("go-jose/go-jose: error in cryptographic primitive"
                              if errors else "no service account public keys are configured")
        audiences = claims.get("aud") or []
        audiences = [audiences] if isinstance(audiences, str) else list(audiences)
        if not audiences:
            audiences = list(self.api_audiences)  # a legacy token speaks for the API server's audiences
        if self.api_audiences and not set(audiences) & set(self.api_audiences):
            return self._fail(f"token audiences {go_quote_list(audiences)} is invalid for the target audiences "
                              f"{go_quote_list(self.api_audiences)}")
        if issuer == LEGACY_ISSUER:
            return self._legacy(token, claims)
        return self._bound(claims)

    def _legacy(self, token: str, claims: dict) -> Result:
        namespace, name = claims.get(f"{LEGACY}namespace"), claims.get(f"{LEGACY}service-account.name")
        uid, secret_name = claims.get(f"{LEGACY}service-account.uid"), claims.get(f"{LEGACY}secret.name")
        for value, claim in ((namespace, "namespace"), (name, "service-account.name"),
                             (uid, "service-account.uid"), (secret_name, "secret.name")):
            if not value:
                return self._fail(f"{LEGACY}{claim} claim is missing")
        if claims.get("sub") != f"{PREFIX}{namespace}:{name}":
            return self._fail("sub claim is missing or does not name the service account")
        if self.lookup:
            secret = self.get("secrets", namespace, secret_name)
            if secret is None or (secret.get("metadata") or {}).get("deletionTimestamp"):
                return self._fail("Token has been invalidated")
            stored = (secret.get("data") or {}).get("token", "")
            try:
                stored = base64.b64decode(stored).decode()
            except (ValueError, UnicodeDecodeError):
                stored = ""
            if stored != token:
                return self._fail("Token does not match server's copy")
            if "kubernetes.io/legacy-token-invalid-since" in ((secret.get("metadata") or {}).get("labels") or {}):
                return self._fail(f"the token in secret {namespace}/{secret_name} for service account "
                                  f"{namespace}/{name} has been marked invalid")
            account = self.get("serviceaccounts", namespace, name)
            if account is None:
                return self._fail(f'serviceaccounts "{name}" not found')
            if (account.get("metadata") or {}).get("deletionTimestamp"):
                return self._fail(f"ServiceAccount {namespace}/{name} has been deleted")
            if account["metadata"].get("uid") != uid:
                return self._fail(f"ServiceAccount UID ({account['metadata'].get('uid')}) does not match claim ({uid})")
        return Result(_user(namespace, name, uid, {}), self.name,
                      f"legacy service account token from Secret {namespace}/{secret_name}")

    def _bound(self, claims: dict) -> Result:
        now = self.clock()
        ts = now.timestamp()
        leeway = LEEWAY.total_seconds()
        if "exp" in claims and ts - leeway > float(claims["exp"]):
            return self._fail("service account token has expired")
        if "nbf" in claims and ts + leeway < float(claims["nbf"]):
            return self._fail("service account token is not valid yet")
        if "iat" in claims and float(claims["iat"]) > ts + leeway:
            return self._fail("service account token is issued in the future")
        private = claims.get("kubernetes.io") or {}
        namespace = private.get("namespace", "")
        account_ref = private.get("serviceaccount") or {}
        name, uid = account_ref.get("name", ""), account_ref.get("uid", "")
        deleted_before = now - LEEWAY
        account = self.get("serviceaccounts", namespace, name)
        if account is None:
            return self._fail(f'serviceaccounts "{name}" not found')
        if account["metadata"].get("uid") != uid:
            return self._fail(f"service account UID ({account['metadata'].get('uid')}) does not match claim ({uid})")
        if _deleted_before(account, deleted_before):
            return self._fail(f"service account {namespace}/{name} has been deleted")
        extra: dict[str, tuple[str, ...]] = {}
        for kind, resource in (("secret", "secrets"), ("pod", "pods"), ("node", "nodes")):
            ref = private.get(kind)
            if not ref:
                continue
            obj = self.get(resource, namespace if kind != "node" else "", ref.get("name", ""))
            if obj is None:
                return self._fail("service account token has been invalidated")
            if obj["metadata"].get("uid") != ref.get("uid"):
                return self._fail(f"{kind} UID ({obj['metadata'].get('uid')}) does not match service account "
                                  f"{kind} ref claim ({ref.get('uid')})")
            if _deleted_before(obj, deleted_before):
                return self._fail("service account token has been invalidated")
            if kind in ("pod", "node"):
                extra[f"authentication.kubernetes.io/{kind}-name"] = (ref.get("name", ""),)
                extra[f"authentication.kubernetes.io/{kind}-uid"] = (ref.get("uid", ""),)
        if claims.get("jti"):
            extra["authentication.kubernetes.io/credential-id"] = (f"JTI={claims['jti']}",)
        bound = ", ".join(f"{k} {private[k]['name']}" for k in ("pod", "secret", "node") if private.get(k))
        return Result(_user(namespace, name, uid, extra), self.name,
                      f"bound service account token (issuer {claims.get('iss')}, expires "
                      f"{datetime.fromtimestamp(float(claims.get('exp', 0)), now.tzinfo):%Y-%m-%dT%H:%M:%SZ}"
                      + (f", bound to {bound}" if bound else "") + ")")


def _deleted_before(obj: dict, moment: datetime) -> bool:
    stamp = (obj.get("metadata") or {}).get("deletionTimestamp")
    if not stamp:
        return False
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) < moment


def _user(namespace: str, name: str, uid: str, extra: dict) -> UserInfo:
    return UserInfo(f"{PREFIX}{namespace}:{name}", uid,
                    ("system:serviceaccounts", f"system:serviceaccounts:{namespace}"), extra)
