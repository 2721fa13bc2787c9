"""Authentication as kube-apiserver is configured: `policies/authentication.yaml` holds its flags by their own
names (client-ca-file, token-auth-file, service-account-*, enable-bootstrap-token-auth, oidc-*, anonymous-auth),
with file paths relative to the policies directory.

The chain is upstream's (pkg/kubeapiserver/authenticator/config.go): the authenticating proxy's headers, x509,
then a bearer token through the
token file, service-account tokens, bootstrap tokens and OIDC; the first to succeed wins, any failure is a
401, and a request with no credentials at all is anonymous when anonymous-auth is on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from kauth.apiserver.request import Credentials
from kauth.authn import authenticator as authn
from kauth.authn.authenticator import Result

CONFIG_FILE = "authentication.yaml"
DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local"


class ConfigError(ValueError):
    """The configuration cannot be used (kube-apiserver would not start)."""


class BearerToken:
    """The bearer-token step: each token authenticator in turn; a token nobody accepts is a 401
    (`invalid bearer token`), never anonymous. An empty token is no credential at all.

    Successes are cached for `cache_ttl` seconds, as kube-apiserver caches them (token/cache, 10 s): so a
    bound token keeps working for up to that long after its Pod is deleted, on a real cluster too."""

    name = "bearer-token"

    def __init__(self, authenticators: Sequence[Any], *, cache_ttl: float = 0,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.authenticators = list(authenticators)
        self.cache_ttl = cache_ttl
        self.clock = clock
        self._cache: dict[bytes, tuple[float, Result]] = {}

    def authenticate(self, credentials: Credentials) -> Result | None:
        token = (credentials.bearer_token or "").strip()
        if not token:
            return None
        if not self.cache_ttl or self.clock is None:
            return self._authenticate(token)
        key = hashlib.sha256(token.encode()).digest()  # the token itself is never kept
        now = self.clock().timestamp()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            result = cached[1]
            return Result(result.user, result.authenticator, result.detail + f" (cached {self.cache_ttl:g} s, "
                          "as kube-apiserver caches successful token authentications)")
        result = self._authenticate(token)
        if not result.error:
            if len(self._cache) > 4096:
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            self._cache[key] = (now + self.cache_ttl, result)
        return result

    def _authenticate(self, token: str) -> Result:
        reasons = []
        for token_authenticator in self.authenticators:
            result = token_authenticator.authenticate_token(token)
            if result is None:
                continue
            if not result.error:
                return result
            reasons.append(result.detail)
        why = "; ".join(reasons) or "no token authenticator recognised the token"
        return Result(None, self.name, f"invalid bearer token ({why})", error=True)


@dataclass
class TokenIssuer:
    """What the TokenRequest API signs with (--service-account-signing-key-file, -issuer, --api-audiences)."""

    signing_key_pem: bytes
    issuer: str
    api_audiences: tuple[str, ...]
    max_expiration_seconds: int = 0  # --service-account-max-token-expiration; 0: no cap


@dataclass
class Authentication:
    union: authn.Union
    token_issuer: TokenIssuer | None = None
    flags: dict = field(default_factory=dict)
    # the cluster CA (client-ca-file, as kubeadm gives kube-controller-manager --root-ca-file): what the controllers
    # publish in kube-root-ca.crt and put in legacy token Secrets as ca.crt
    root_ca_pem: bytes = b""


KNOWN_FLAGS = {
    "anonymous-auth", "client-ca-file", "token-auth-file", "enable-bootstrap-token-auth", "service-account-issuer",
    "service-account-key-file", "service-account-signing-key-file", "service-account-lookup",
    "service-account-max-token-expiration", "api-audiences", "oidc-issuer-url", "oidc-client-id",
    "oidc-username-claim", "oidc-username-prefix", "oidc-groups-claim", "oidc-groups-prefix", "oidc-required-claim",
    "oidc-signing-algs", "oidc-jwks-file", "requestheader-client-ca-file", "requestheader-allowed-names",
    "requestheader-username-headers", "requestheader-group-headers", "requestheader-extra-headers-prefix",
    "requestheader-uid-headers", "token-success-cache-ttl"}


def read_flags(policies: Path | None) -> dict:
    """The flags in `<policies>/authentication.yaml`, or {} when there is none."""
    from kauth.api.yaml11 import load_config

    if policies is None or not (policies / CONFIG_FILE).is_file():
        return {}
    flags = load_config((policies / CONFIG_FILE).read_text()) or {}
    if not isinstance(flags, dict):
        raise ConfigError(f"{policies / CONFIG_FILE}: expected a mapping of kube-apiserver flags")
    if "basic-auth-file" in flags:
        raise ConfigError("basic-auth-file: the static password file was removed from kube-apiserver in "
                          "Kubernetes 1.19; use client certificates, tokens or OIDC")
    unknown = sorted(set(flags) - KNOWN_FLAGS)
    if unknown:
        raise ConfigError(f"{policies / CONFIG_FILE}: unknown flag: --{unknown[0]}")
    return flags


def build(policies: Path | None, get: Callable[[str, str, str], dict | None],
          clock: Callable[[], datetime]) -> Authentication:
    """The authenticator chain the flags describe. `get(resource, namespace, name)` reads the stored Secrets,
    ServiceAccounts, Pods and Nodes token checks need."""
    flags = read_flags(policies)
    base = policies or Path(".")

    def read(flag: str) -> bytes:
        path = base / str(flags[flag])
        try:
            return path.read_bytes()
        except OSError as err:
            raise ConfigError(f"--{flag}={flags[flag]}: {err.strerror}") from None

    def listed(flag: str) -> list[str]:
        value = flags.get(flag)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [v for v in str(value).split(",") if v]

    chain: list[Any] = []
    if flags.get("requestheader-client-ca-file"):
        from kauth.authn.requestheader import RequestHeaderAuthenticator

        chain.append(RequestHeaderAuthenticator(
            client_ca_pem=read("requestheader-client-ca-file"), allowed_names=listed("requestheader-allowed-names"),
            username_headers=listed("requestheader-username-headers") or ["X-Remote-User"],
            group_headers=listed("requestheader-group-headers") or ["X-Remote-Group"],
            extra_prefixes=listed("requestheader-extra-headers-prefix") or ["X-Remote-Extra-"],
            uid_headers=listed("requestheader-uid-headers"), clock=clock))
    if flags.get("client-ca-file"):
        from kauth.authn.x509 import X509Authenticator

        chain.append(X509Authenticator(read("client-ca-file"), clock))
    tokens: list[Any] = []
    if flags.get("token-auth-file"):
        from kauth.authn.tokenfile import TokenFileAuthenticator, TokenFileError, parse

        try:
            tokens.append(TokenFileAuthenticator(parse(read("token-auth-file").decode(), str(flags["token-auth-file"]))))
        except TokenFileError as err:
            raise ConfigError(str(err)) from None
    issuers = listed("service-account-issuer") or [DEFAULT_ISSUER]
    audiences = listed("api-audiences") or issuers[:1]
    issuer = None
    if flags.get("service-account-key-file"):
        from kauth.authn.serviceaccount import ServiceAccountAuthenticator, load_public_keys

        keys = [k for f in listed("service-account-key-file") for k in load_public_keys((base / f).read_bytes())]
        tokens.append(ServiceAccountAuthenticator(issuers=issuers, public_keys=keys, api_audiences=audiences,
                                                  get=get, clock=clock,
                                                  lookup=flags.get("service-account-lookup", True) is not False))
    if flags.get("service-account-signing-key-file"):
        issuer = TokenIssuer(read("service-account-signing-key-file"), issuers[0], tuple(audiences),
                             int(_seconds(flags.get("service-account-max-token-expiration", 0))))
    if flags.get("enable-bootstrap-token-auth"):
        from kauth.authn.bootstrap import BootstrapTokenAuthenticator

        tokens.append(BootstrapTokenAuthenticator(lambda ns, name: get("secrets", ns, name), clock))
    if flags.get("oidc-issuer-url"):
        tokens.append(_oidc(flags, read, clock))
    if tokens:
        chain.append(BearerToken(tokens, cache_ttl=_seconds(flags.get("token-success-cache-ttl", "10s")), clock=clock))
    chain.append(authn.TrustedIdentity())
    anonymous = authn.Anonymous() if flags.get("anonymous-auth", True) is not False else None
    return Authentication(authn.Union(chain, anonymous=anonymous), issuer, flags,
                          read("client-ca-file") if flags.get("client-ca-file") else b"")


def _oidc(flags: dict, read: Callable[[str], bytes], clock: Callable[[], datetime]) -> Any:
    """The --oidc-* flags (one issuer); its keys from oidc-jwks-file, since kauth cannot fetch them."""
    import json

    from kauth.authn.oidc import OIDCAuthenticator

    if not flags.get("oidc-client-id"):
        raise ConfigError("--oidc-issuer-url needs --oidc-client-id")
    if not flags.get("oidc-jwks-file"):
        raise ConfigError("kauth has no network: --oidc-issuer-url needs oidc-jwks-file, the issuer's signing keys")
    required = {}
    for pair in flags.get("oidc-required-claim") or []:
        key, _, value = str(pair).partition("=")
        required[key] = value
    algs = flags.get("oidc-signing-algs") or ["RS256"]
    prefix = flags.get("oidc-username-prefix")
    try:
        return OIDCAuthenticator(
            issuer_url=str(flags["oidc-issuer-url"]), client_id=str(flags["oidc-client-id"]),
            jwks=json.loads(read("oidc-jwks-file")), username_claim=str(flags.get("oidc-username-claim") or "sub"),
            username_prefix=None if prefix is None else str(prefix),
            groups_claim=str(flags.get("oidc-groups-claim") or ""),
            groups_prefix=str(flags.get("oidc-groups-prefix") or ""), required_claims=required,
            signing_algs=tuple(algs if isinstance(algs, list) else str(algs).split(",")), clock=clock)
    except ValueError as err:  # a bad issuer URL, signing algorithm or key set
        raise ConfigError(f"oidc: {err}") from None


def _seconds(value: Any) -> float:
    """A Go duration flag (`48h`, `3600s`) or a number of seconds."""
    if isinstance(value, (int, float)):
        return float(value)
    text, total = str(value).strip(), 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ConfigError(f"invalid duration {value!r}")
    for number, unit in parts:
        total += float(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total
