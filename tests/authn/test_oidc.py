"""The OIDC token authenticator (--oidc-* flags): kube-apiserver's oidc.go over go-oidc's verifier, with the
issuer's keys from a JWKS. Failure details are upstream's error texts."""

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kauth.authn.oidc import OIDCAuthenticator, jwks_from_public_pem, sign_token

ISSUER = "https://idp.example.com"
CLIENT = "kubernetes"
NOW = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
T = int(NOW.timestamp())


def _pems(private_key) -> tuple[bytes, bytes]:
    private = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public = private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


RSA1_PRIVATE, RSA1_PUBLIC = _pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))
RSA2_PRIVATE, RSA2_PUBLIC = _pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))
EC_PRIVATE, EC_PUBLIC = _pems(ec.generate_private_key(ec.SECP256R1()))


def jwks(*pairs: tuple[bytes, str]) -> dict:
    return {"keys": [key for pem, kid in pairs for key in jwks_from_public_pem(pem, kid)["keys"]]}


def authenticator(**overrides) -> OIDCAuthenticator:
    options = {"issuer_url": ISSUER, "client_id": CLIENT, "jwks": jwks((RSA1_PUBLIC, "k1")), "clock": lambda: NOW}
    return OIDCAuthenticator(**{**options, **overrides})


def claims(**overrides) -> dict:
    base = {"iss": ISSUER, "aud": CLIENT, "sub": "jane", "iat": T - 60, "exp": T + 3600}
    return {k: v for k, v in {**base, **overrides}.items() if v is not ...}  # `...` drops a claim


def token(private_pem: bytes = RSA1_PRIVATE, kid: str = "k1", alg: str = "RS256", **overrides) -> str:
    return sign_token(claims(**overrides), private_pem, kid=kid, alg=alg)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forged(header: dict, body: dict, signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}.{b64(signature)}"


def failure(result) -> str:
    assert result is not None and result.error is True and result.user is None
    return result.detail


# --- who the user is ----------------------------------------------------------------------------------------


def test_valid_token_gives_the_sub_prefixed_with_the_issuer_url_by_default():
    result = authenticator().authenticate_token(token())
    assert result.error is False
    assert result.authenticator == "oidc"
    assert result.user.name == "https://idp.example.com#jane"


def test_user_has_no_uid_no_extra_and_no_system_authenticated():
    user = authenticator().authenticate_token(token()).user
    assert (user.uid, user.groups, dict(user.extra)) == ("", (), {})  # the union adds system:authenticated


def test_email_claim_is_not_prefixed_by_default():
    result = authenticator(username_claim="email").authenticate_token(token(email="jane@example.com"))
    assert result.user.name == "jane@example.com"


def test_email_verified_true_is_accepted():
    result = authenticator(username_claim="email").authenticate_token(
        token(email="jane@example.com", email_verified=True))
    assert result.user.name == "jane@example.com"


def test_prefix_dash_means_no_prefix():
    assert authenticator(username_prefix="-").authenticate_token(token()).user.name == "jane"


def test_explicit_prefix_is_used():
    assert authenticator(username_prefix="oidc:").authenticate_token(token()).user.name == "oidc:jane"


def test_explicit_prefix_applies_to_the_email_claim_too():
    result = authenticator(username_claim="email", username_prefix="oidc:").authenticate_token(
        token(email="jane@example.com"))
    assert result.user.name == "oidc:jane@example.com"


def test_empty_prefix_is_the_unset_flag_as_in_go():
    assert authenticator(username_prefix="").authenticate_token(token()).user.name == "https://idp.example.com#jane"


def test_other_username_claim_gets_the_issuer_prefix():
    result = authenticator(username_claim="preferred_username").authenticate_token(token(preferred_username="jd"))
    assert result.user.name == "https://idp.example.com#jd"


def test_groups_claim_as_a_string_is_one_group_with_the_prefix():
    result = authenticator(groups_claim="groups", groups_prefix="oidc:").authenticate_token(token(groups="admins"))
    assert result.user.groups == ("oidc:admins",)


def test_groups_claim_as_a_list_gets_the_prefix_on_each():
    result = authenticator(groups_claim="groups", groups_prefix="oidc:").authenticate_token(
        token(groups=["dev", "ops"]))
    assert result.user.groups == ("oidc:dev", "oidc:ops")


def test_missing_groups_claim_means_no_groups_not_an_error():
    result = authenticator(groups_claim="groups", groups_prefix="oidc:").authenticate_token(token())
    assert result.error is False and result.user.groups == ()


def test_groups_claim_of_another_type_fails():
    detail = failure(authenticator(groups_claim="groups").authenticate_token(token(groups=7)))
    assert detail == 'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string'


def test_required_claims_present_with_their_values_pass():
    result = authenticator(required_claims={"hd": "example.com", "tier": "gold"}).authenticate_token(
        token(hd="example.com", tier="gold"))
    assert result.error is False


def test_required_claim_absent_fails():
    detail = failure(authenticator(required_claims={"hd": "example.com"}).authenticate_token(token()))
    assert detail == "oidc: required claim hd not present in ID token"


def test_required_claim_with_another_value_fails():
    detail = failure(authenticator(required_claims={"hd": "example.com"}).authenticate_token(token(hd="evil.com")))
    assert detail == "oidc: required claim hd value does not match. Got = evil.com, want = example.com"


def test_required_claim_that_is_not_a_string_fails():
    detail = failure(authenticator(required_claims={"admin": "true"}).authenticate_token(token(admin=True)))
    assert detail == "oidc: parse claim admin: json: cannot unmarshal bool into Go value of type string"


def test_missing_username_claim_fails():
    detail = failure(authenticator(username_claim="email").authenticate_token(token()))
    assert detail == 'oidc: parse username claims "email": claim not present'


def test_email_verified_false_fails():
    detail = failure(authenticator(username_claim="email").authenticate_token(
        token(email="jane@example.com", email_verified=False)))
    assert detail == "oidc: email not verified"


def test_email_verified_as_a_string_fails():
    detail = failure(authenticator(username_claim="email").authenticate_token(
        token(email="jane@example.com", email_verified="true")))
    assert detail == "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool"


def test_email_verified_is_ignored_for_other_username_claims():
    assert authenticator().authenticate_token(token(email_verified=False)).error is False


# --- whose token it is ---------------------------------------------------------------------------------------


def test_another_issuers_token_is_not_ours():
    assert authenticator().authenticate_token(token(iss="https://other.example.com")) is None


def test_a_token_that_is_not_a_jwt_is_not_ours():
    assert authenticator().authenticate_token("31ada4fd-adec-460c-809a-9e56ceb75269") is None
    assert authenticator().authenticate_token('{"payload": "x"}') is None


def test_googles_scheme_less_issuer_counts_as_https_accounts_google_com():
    google = authenticator(issuer_url="https://accounts.google.com", username_prefix="-")
    assert google.authenticate_token(token(iss="accounts.google.com")).user.name == "jane"


def test_wrong_audience_fails():
    detail = failure(authenticator().authenticate_token(token(aud="other-client")))
    assert detail == 'oidc: verify token: oidc: expected audience "kubernetes" got ["other-client"]'


def test_audience_list_containing_the_client_id_passes():
    assert authenticator().authenticate_token(token(aud=["other-client", CLIENT])).error is False


def test_missing_audience_fails():
    detail = failure(authenticator().authenticate_token(token(aud=...)))
    assert detail == 'oidc: verify token: oidc: expected audience "kubernetes" got []'


# --- when it is valid ----------------------------------------------------------------------------------------


def test_expired_token_fails():
    detail = failure(authenticator().authenticate_token(token(exp=T - 1)))
    assert detail == "oidc: verify token: oidc: token is expired (Token Expiry: 2024-01-01 11:59:59 +0000 UTC)"


def test_exp_gets_no_leeway_but_is_still_valid_at_that_very_second():
    assert authenticator().authenticate_token(token(exp=T)).error is False
    later = authenticator(clock=lambda: NOW + timedelta(milliseconds=1))
    assert failure(later.authenticate_token(token(exp=T))).startswith("oidc: verify token: oidc: token is expired")


def test_missing_exp_is_expired_since_year_one():
    detail = failure(authenticator().authenticate_token(token(exp=...)))
    assert detail == "oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)"


def test_not_yet_valid_token_fails():
    detail = failure(authenticator().authenticate_token(token(nbf=T + 120)))
    assert detail == ("oidc: verify token: oidc: current time 2024-01-01 12:00:00 +0000 UTC before the nbf "
                      "(not before) time: 2024-01-01 12:02:00 +0000 UTC")


def test_nbf_gets_a_minute_of_leeway():
    assert authenticator().authenticate_token(token(nbf=T + 60)).error is False
    assert authenticator().authenticate_token(token(nbf=T + 61)).error is True


def test_iat_in_the_future_is_not_checked():
    assert authenticator().authenticate_token(token(iat=T + 86400)).error is False


def test_claim_checks_come_before_the_signature():
    expired_and_forged = token(RSA2_PRIVATE, exp=T - 1)
    assert "token is expired" in failure(authenticator().authenticate_token(expired_and_forged))


def test_claims_of_the_wrong_json_type_fail_before_any_check():
    detail = failure(authenticator().authenticate_token(token(sub=42)))
    assert detail == ("oidc: verify token: oidc: failed to unmarshal claims: "
                      "json: cannot unmarshal number into Go struct field idToken.sub of type string")


# --- who signed it -------------------------------------------------------------------------------------------

BAD_SIGNATURE = "oidc: verify token: failed to verify signature: failed to verify id token signature"


def test_tampered_payload_fails_the_signature():
    header, _, signature = token().split(".")
    payload = b64(json.dumps(claims(sub="admin")).encode())
    assert failure(authenticator().authenticate_token(f"{header}.{payload}.{signature}")) == BAD_SIGNATURE


def test_tampered_signature_fails():
    header, payload, signature = token().split(".")
    flipped = b64(bytes(b ^ 1 for b in base64.urlsafe_b64decode(signature + "==")))
    assert failure(authenticator().authenticate_token(f"{header}.{payload}.{flipped}")) == BAD_SIGNATURE


def test_alg_none_is_refused():
    detail = failure(authenticator().authenticate_token(forged({"alg": "none", "typ": "JWT"}, claims())))
    assert detail == ('oidc: verify token: oidc: id token signed with unsupported algorithm, '
                      'expected ["RS256"] got "none"')


def test_hs256_keyed_with_the_public_key_is_refused():
    header = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    signing_input = forged(header, claims()).rsplit(".", 1)[0]
    mac = hmac.new(RSA1_PUBLIC, signing_input.encode(), hashlib.sha256).digest()
    detail = failure(authenticator().authenticate_token(f"{signing_input}.{b64(mac)}"))
    assert detail == ('oidc: verify token: oidc: id token signed with unsupported algorithm, '
                      'expected ["RS256"] got "HS256"')


def test_issuer_url_must_be_https():
    with pytest.raises(ValueError, match="URL scheme must be https"):
        authenticator(issuer_url="http://idp.example.com")


def test_hmac_algorithms_cannot_be_configured():
    with pytest.raises(ValueError, match='^oidc: unsupported signing alg: "HS256"$'):
        authenticator(signing_algs=("RS256", "HS256"))


def test_token_signed_by_a_key_not_in_the_jwks_fails():
    assert failure(authenticator().authenticate_token(token(RSA2_PRIVATE, kid="k1"))) == BAD_SIGNATURE


def test_token_with_an_unknown_kid_fails():
    assert failure(authenticator().authenticate_token(token(kid="k9"))) == BAD_SIGNATURE


def test_kid_selects_the_key_among_several():
    two = authenticator(jwks=jwks((RSA1_PUBLIC, "k1"), (RSA2_PUBLIC, "k2")))
    assert two.authenticate_token(token(RSA2_PRIVATE, kid="k2")).detail.endswith('RS256-signed by key "k2"')
    assert two.authenticate_token(token(RSA1_PRIVATE, kid="k1")).detail.endswith('RS256-signed by key "k1"')
    assert failure(two.authenticate_token(token(RSA2_PRIVATE, kid="k1"))) == BAD_SIGNATURE  # only k1 is tried


def test_token_without_kid_is_tried_against_every_key():
    two = authenticator(jwks=jwks((RSA1_PUBLIC, "k1"), (RSA2_PUBLIC, "k2")))
    assert two.authenticate_token(token(RSA2_PRIVATE, kid="")).detail.endswith('RS256-signed by key "k2"')


def test_es256_token_verifies_with_an_ec_p256_key_when_allowed():
    both = authenticator(jwks=jwks((RSA1_PUBLIC, "rsa"), (EC_PUBLIC, "ec")), signing_algs=("RS256", "ES256"))
    result = both.authenticate_token(token(EC_PRIVATE, kid="ec", alg="ES256"))
    assert result.user.name == "https://idp.example.com#jane"
    assert failure(both.authenticate_token(token(EC_PRIVATE, kid="rsa", alg="ES256"))) == BAD_SIGNATURE


def test_es256_token_is_refused_when_only_rs256_is_allowed():
    ec_only = authenticator(jwks=jwks((EC_PUBLIC, "ec")))
    detail = failure(ec_only.authenticate_token(token(EC_PRIVATE, kid="ec", alg="ES256")))
    assert detail == ('oidc: verify token: oidc: id token signed with unsupported algorithm, '
                      'expected ["RS256"] got "ES256"')


def test_distributed_groups_claim_cannot_be_fetched_offline():
    body = claims(_claim_names={"groups": "src1"},
                  _claim_sources={"src1": {"endpoint": "https://idp.example.com/groups"}})
    detail = failure(authenticator(groups_claim="groups").authenticate_token(
        sign_token(body, RSA1_PRIVATE, kid="k1")))
    assert detail.startswith('oidc: could not expand distributed claims: while getting distributed claim "groups": ')
