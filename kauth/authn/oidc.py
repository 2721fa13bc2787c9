"""OpenID Connect ID tokens (the --oidc-* flags), offline: the issuer's signing keys come from a JWKS file.

Upstream: staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc.go (AuthenticateToken: the
unverified-issuer pre-check, then the claims), the verifier it wraps, github.com/coreos/go-oidc verify.go
(IDTokenVerifier.Verify: audience, exp, nbf, alg, then the signature) and jwks.go (keys chosen by kid), and
pkg/kubeapiserver/options/authentication.go (ToAuthenticationConfig: the username-prefix default).
Error details are upstream's texts, with AuthenticateToken's "oidc: verify token: " in front of go-oidc's.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm, get_default_algorithms
from jwt.exceptions import InvalidKeyError

from kauth.api.errors import go_quote, go_quote_list
from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo

# oidc.go allowedSigningAlgs: asymmetric only, so no HS256 token "signed" with a public key can ever verify.
ALLOWED_SIGNING_ALGS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
NBF_LEEWAY_SECONDS = 60  # go-oidc allows a minute of clock skew on nbf only: none on exp, and iat is not checked
GOOGLE = "https://accounts.google.com"  # the one issuer whose tokens may say "accounts.google.com" instead

_ALGORITHMS = get_default_algorithms()
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class _Invalid(Exception):
    """A token of our issuer that fails a check; its message is the 401's reason."""


class OIDCAuthenticator:
    """kube-apiserver's OIDC token authenticator, configured as its --oidc-* flags configure it."""

    name = "oidc"

    def __init__(self, *, issuer_url: str, client_id: str, jwks: dict, username_claim: str = "sub",
                 username_prefix: str | None = None, groups_claim: str = "", groups_prefix: str = "",
                 required_claims: dict[str, str] | None = None, signing_algs: tuple[str, ...] = ("RS256",),
                 clock: Callable[[], datetime] | None = None) -> None:
        if not issuer_url or not client_id:
            raise ValueError("oidc-issuer-url and oidc-client-id must be specified together "
                             "when any oidc-* flags are set")
        if not issuer_url.startswith("https://"):
            raise ValueError(f"oidc-issuer-url {go_quote(issuer_url)}: URL scheme must be https")
        for alg in signing_algs:
            if alg not in ALLOWED_SIGNING_ALGS:
                raise ValueError(f"oidc: unsupported signing alg: {go_quote(alg)}")
        keys = jwks.get("keys") if isinstance(jwks, dict) else None
        if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
            raise ValueError('jwks: want a JSON Web Key Set, {"keys": [...]}')
        # ToAuthenticationConfig: Go cannot tell an empty flag from an unset one, so "" gets the default too.
        if not username_prefix and username_claim != "email":
            username_prefix = issuer_url + "#"  # kubernetes#31380: keep other issuers' "sub"s apart
        if username_prefix == "-":
            username_prefix = ""
        self.issuer_url = issuer_url
        self.client_id = client_id
        self.keys: list[dict] = keys
        self.username_claim = username_claim
        self.username_prefix = username_prefix or ""
        self.groups_claim = groups_claim
        self.groups_prefix = groups_prefix
        self.required_claims = dict(required_claims or {})
        self.signing_algs = tuple(signing_algs) or ("RS256",)
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def authenticate_token(self, token: str) -> Result | None:
        """None: not a token of this issuer (so the next token authenticator may try it); a Result with
        error=True: a token of this issuer that fails (401); else the user."""
        claims = _untrusted_claims(token)
        if claims is None or _issuer(claims.get("iss")) != self.issuer_url:
            return None  # hasCorrectIssuer: unparseable, or another issuer's
        try:
            alg, kid = self._verify(token, claims)
            user = self._user(claims)
        except _Invalid as invalid:
            return Result(None, self.name, str(invalid), error=True)
        key = f"key {go_quote(kid)}" if kid else "a key without kid"
        return Result(user, self.name, f"OIDC ID token of issuer {go_quote(self.issuer_url)} for client "
                                       f"{go_quote(self.client_id)}, {alg}-signed by {key}")

    def _verify(self, token: str, claims: dict[str, Any]) -> tuple[str, str]:
        """go-oidc's IDTokenVerifier.Verify: the cheap claim checks first, the signature last. (alg, kid)."""
        header_part, payload_part, signature_part = token.split(".")
        try:
            header = _json_object(_decode_segment(header_part.rstrip("=")))  # go-jose tolerates padding here
            signature = _decode_segment(signature_part.rstrip("="))
            alg, kid = header.get("alg", ""), header.get("kid", "")
            if not isinstance(alg, str) or not isinstance(kid, str):
                raise ValueError("alg and kid must be strings")
        except ValueError as err:
            raise _Invalid(f"oidc: verify token: oidc: malformed jwt: {err}") from None
        try:
            audience, expiry, not_before = _id_token(claims)
        except ValueError as err:
            raise _Invalid(f"oidc: verify token: oidc: failed to unmarshal claims: {err}") from None
        if self.client_id not in audience:
            raise _Invalid(f"oidc: verify token: oidc: expected audience {go_quote(self.client_id)} "
                           f"got {go_quote_list(audience)}")
        now = self.clock()
        now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
        if expiry is None or expiry < now.timestamp():  # a missing exp is Go's zero time: long expired
            raise _Invalid(f"oidc: verify token: oidc: token is expired (Token Expiry: {_go_time(expiry)})")
        if not_before is not None and now.timestamp() + NBF_LEEWAY_SECONDS < not_before:
            raise _Invalid(f"oidc: verify token: oidc: current time {_go_time(now)} before the nbf "
                           f"(not before) time: {_go_time(not_before)}")
        if alg not in self.signing_algs:
            raise _Invalid(f"oidc: verify token: oidc: id token signed with unsupported algorithm, "
                           f"expected {go_quote_list(self.signing_algs)} got {go_quote(alg)}")
        signing_input = f"{header_part}.{payload_part}".encode()
        for jwk in self.keys:
            if kid and jwk.get("kid", "") != kid:
                continue  # remoteKeySet.verify: a token with a kid is tried only against that key
            if _verifies(alg, jwk, signing_input, signature):
                return alg, str(jwk.get("kid", ""))
        raise _Invalid("oidc: verify token: failed to verify signature: failed to verify id token signature")

    def _user(self, claims: dict[str, Any]) -> UserInfo:
        """AuthenticateToken after verification: distributed claims, username, groups, the required claims."""
        endpoint = _distributed_claim_endpoint(claims, self.groups_claim) if self.groups_claim not in claims else ""
        if self.groups_claim and endpoint:  # kube-apiserver would GET the groups from the IdP; kauth stays offline
            raise _Invalid(f"oidc: could not expand distributed claims: while getting distributed claim "
                           f"{go_quote(self.groups_claim)}: kauth is offline and cannot call {endpoint}")
        try:
            username = _claim_string(claims, self.username_claim)
        except ValueError as err:
            raise _Invalid(f"oidc: parse username claims {go_quote(self.username_claim)}: {err}") from None
        if self.username_claim == "email" and "email_verified" in claims:
            verified = claims["email_verified"]
            if verified is not None and not isinstance(verified, bool):
                raise _Invalid(f"oidc: parse 'email_verified' claim: json: cannot unmarshal {_kind(verified)} "
                               f"into Go value of type bool")
            if not verified:  # present but false (or null): OIDC Core's StandardClaims say don't trust the email
                raise _Invalid("oidc: email not verified")
        groups = self._groups(claims)
        for claim, want in self.required_claims.items():
            if claim not in claims:
                raise _Invalid(f"oidc: required claim {claim} not present in ID token")
            try:
                got = _claim_string(claims, claim)  # only string values can be required
            except ValueError as err:
                raise _Invalid(f"oidc: parse claim {claim}: {err}") from None
            if got != want:
                raise _Invalid(f"oidc: required claim {claim} value does not match. Got = {got}, want = {want}")
        # The --oidc-* flags map no uid and no extra: only an AuthenticationConfiguration can.
        return UserInfo(self.username_prefix + username, groups=groups)

    def _groups(self, claims: dict[str, Any]) -> tuple[str, ...]:
        if not self.groups_claim:
            return ()
        if self.groups_claim not in claims:
            return ()  # no groups claim, no groups: not an error
        value = claims[self.groups_claim]
        if value is None:
            return ()
        if isinstance(value, list) and all(v is None or isinstance(v, str) for v in value):
            groups = [v or "" for v in value]
        else:  # stringOrArray: a single string is one group (kubernetes#33290); its error is the one shown
            try:
                groups = [_claim_string(claims, self.groups_claim)]
            except ValueError as err:
                raise _Invalid(f"oidc: parse groups claim {go_quote(self.groups_claim)}: {err}") from None
        return tuple(self.groups_prefix + group for group in groups)


def sign_token(claims: dict, private_key_pem: bytes, *, kid: str, alg: str = "RS256") -> str:
    """A compact JWS of `claims`, as an identity provider issues an ID token (for tests and learners).
    An empty kid leaves the header without one, so the verifier tries every key."""
    return jwt.encode(claims, private_key_pem, algorithm=alg, headers={"kid": kid} if kid else None)


def jwks_from_public_pem(public_pem: bytes, kid: str) -> dict:
    """The JSON Web Key Set an issuer would publish at its jwks_uri for one RSA or EC public key."""
    key = serialization.load_pem_public_key(public_pem)
    if isinstance(key, rsa.RSAPublicKey):
        jwk = RSAAlgorithm.to_jwk(key, as_dict=True)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        jwk = ECAlgorithm.to_jwk(key, as_dict=True)
    else:
        raise ValueError(f"want an RSA or EC public key, got {type(key).__name__}")
    return {"keys": [{**jwk, "kid": kid, "use": "sig"}]}


# --- the token's parts, read as Go reads them -------------------------------------------------------------


def _untrusted_claims(token: str) -> dict[str, Any] | None:
    """untrustedIssuer's parse: a compact JWT whose payload is a JSON object. Nothing here is verified."""
    parts = token.split(".")
    if token.strip().startswith("{") or len(parts) != 3:
        return None
    try:
        claims = _json_object(_decode_segment(parts[1]))
    except ValueError:
        return None
    iss = claims.get("iss")
    return claims if iss is None or isinstance(iss, str) else None


def _issuer(iss: str | None) -> str:
    """untrustedIssuer coalesces Google's legacy scheme-less issuer (OIDC Core's GoogleIss)."""
    return GOOGLE if iss == "accounts.google.com" else iss or ""


def _decode_segment(segment: str) -> bytes:
    """base64.RawURLEncoding: the URL-safe alphabet, no padding."""
    if not _BASE64URL.fullmatch(segment) or len(segment) % 4 == 1:
        raise ValueError("illegal base64 data")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_object(data: bytes) -> dict[str, Any]:
    def no_constants(name: str) -> None:
        raise ValueError(f"invalid character {name!r}")  # Go's JSON has no NaN or Infinity

    value = json.loads(data, parse_constant=no_constants)
    if not isinstance(value, dict):
        raise ValueError(f"json: cannot unmarshal {_kind(value)} into Go value of type map[string]interface {{}}")
    return value


def _verifies(alg: str, jwk: dict, signing_input: bytes, signature: bytes) -> bool:
    """jws.Verify(key): a key of the wrong type or curve for the alg simply does not verify."""
    algorithm = _ALGORITHMS[alg]
    try:
        key = algorithm.from_jwk(jwk)
        key = algorithm.prepare_key(key.public_key() if hasattr(key, "public_key") else key)
        return algorithm.verify(signing_input, key, signature)
    except (InvalidKeyError, TypeError, ValueError):
        return False


def _distributed_claim_endpoint(claims: dict[str, Any], claim: str) -> str:
    """OIDC Core 5.6.2: `_claim_names` points the claim at a `_claim_sources` entry with an endpoint."""
    names, sources = claims.get("_claim_names"), claims.get("_claim_sources")
    if not isinstance(names, dict) or not isinstance(sources, dict):
        return ""
    source = sources.get(names.get(claim, ""))
    return str(source.get("endpoint") or "") if isinstance(source, dict) else ""


# --- encoding/json's view of claim values ------------------------------------------------------------------


def _kind(value: Any) -> str:
    """encoding/json's name for a JSON value's type, as its "cannot unmarshal X into ..." errors say it."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array"}.get(type(value), "object")


def _claim_string(claims: Mapping[str, Any], name: str) -> str:
    """claims.unmarshalClaim(name, &s): null leaves the string empty, as Go does."""
    if name not in claims:
        raise ValueError("claim not present")
    value = claims[name]
    if value is not None and not isinstance(value, str):
        raise ValueError(f"json: cannot unmarshal {_kind(value)} into Go value of type string")
    return value or ""


def _id_token(claims: Mapping[str, Any]) -> tuple[list[str], int | None, int | None]:
    """go-oidc's idToken struct: (aud, exp, nbf), or the error decoding the payload into it raises.
    A missing exp is None (Go's zero time); a missing or null nbf is None (not checked)."""
    audience = _audience(claims)
    expiry = _json_time(claims["exp"]) if "exp" in claims else None
    if "iat" in claims:
        _json_time(claims["iat"])  # decoded, so it must be a number, but never compared with the clock
    not_before = _json_time(claims["nbf"]) if claims.get("nbf") is not None else None
    for name in ("sub", "nonce", "at_hash"):
        if claims.get(name) is not None and not isinstance(claims[name], str):
            raise ValueError(f"json: cannot unmarshal {_kind(claims[name])} into Go struct field "
                             f"idToken.{name} of type string")
    return audience, expiry, not_before


def _audience(claims: Mapping[str, Any]) -> list[str]:
    """go-oidc's audience: one string or a list of them (null is the empty string, as Go decodes it)."""
    if "aud" not in claims:
        return []
    value = claims["aud"]
    if value is None or isinstance(value, str):
        return [value or ""]
    if not isinstance(value, list):
        raise ValueError(f"json: cannot unmarshal {_kind(value)} into Go value of type []string")
    for item in value:
        if item is not None and not isinstance(item, str):
            raise ValueError(f"json: cannot unmarshal {_kind(item)} into Go value of type string")
    return [item or "" for item in value]


def _json_time(value: Any) -> int:
    """go-oidc's jsonTime: a json.Number (a numeric string passes too) truncated to whole seconds."""
    if value is None:
        raise ValueError('strconv.ParseFloat: parsing "": invalid syntax')
    if isinstance(value, str):
        if not _JSON_NUMBER.fullmatch(value):
            raise ValueError(f"json: invalid number literal, trying to unmarshal {go_quote(json.dumps(value))} "
                             f"into Number")
        return int(value) if value.lstrip("-").isdigit() else int(float(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"json: cannot unmarshal {_kind(value)} into Go value of type json.Number")
    return int(value)


def _go_time(moment: datetime | int | None) -> str:
    """Go's %v of a time.Time in UTC (kube-apiserver's images run in UTC); None is Go's zero time."""
    if moment is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    if isinstance(moment, int):
        try:
            moment = datetime.fromtimestamp(moment, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return f"{moment} seconds after 1970-01-01 00:00:00 +0000 UTC"
    moment = moment.astimezone(timezone.utc)
    fraction = f".{moment.microsecond:06d}".rstrip("0") if moment.microsecond else ""
    return f"{moment:%Y-%m-%d %H:%M:%S}{fraction} +0000 UTC"
