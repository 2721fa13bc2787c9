"""Client certificates: verified against the client CA with real cryptography; CN is the user, each O a group.

Upstream: staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (CommonNameUserConversion,
the verify options: the client CA as roots, the presented chain as intermediates, ExtKeyUsageClientAuth).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Callable, Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kauth.apiserver.request import Credentials
from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo

UID_OID = x509.ObjectIdentifier("1.3.6.1.4.1.57683.2")  # 1.33+: the user's uid, when the cert carries it
MAX_CHAIN = 8


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def load_certificates(pem: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle (a CA bundle, or a leaf followed by its intermediates)."""
    return x509.load_pem_x509_certificates(pem)


def _describe(cert: x509.Certificate) -> str:
    """How upstream names a certificate in its error: SN, SKID, AKID (x509.go errorf)."""
    def ext(cls) -> str:
        try:
            value = cert.extensions.get_extension_for_class(cls).value
        except x509.ExtensionNotFound:
            return ""
        raw = value.digest if cls is x509.SubjectKeyIdentifier else (value.key_identifier or b"")
        return ":".join(f"{b:02x}" for b in raw)
    return f"SN={cert.serial_number}, SKID={ext(x509.SubjectKeyIdentifier)}, AKID={ext(x509.AuthorityKeyIdentifier)}"


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    key = issuer.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
        else:
            key.verify(cert.signature, cert.tbs_certificate_bytes)  # Ed25519
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _within(cert: x509.Certificate, now: datetime) -> str | None:
    if now < cert.not_valid_before_utc:
        return (f"x509: certificate has expired or is not yet valid: current time {now:%Y-%m-%dT%H:%M:%SZ} is before "
                f"{cert.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ}")
    if now > cert.not_valid_after_utc:
        return (f"x509: certificate has expired or is not yet valid: current time {now:%Y-%m-%dT%H:%M:%SZ} is after "
                f"{cert.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}")
    return None


def verify(chain: Sequence[x509.Certificate], roots: Sequence[x509.Certificate], now: datetime) -> str | None:
    """Go's x509.Verify as the authenticator calls it: a path from the leaf through the presented intermediates
    to a root, every certificate valid now, intermediates CAs, and the leaf usable for client auth.
    None when it verifies, else the reason."""
    leaf, intermediates = chain[0], list(chain[1:])
    problem = _within(leaf, now)
    if problem:
        return problem
    try:
        usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.CLIENT_AUTH not in usages and x509.ObjectIdentifier("2.5.29.37.0") not in usages:
            return "x509: certificate specifies an incompatible key usage"
    except x509.ExtensionNotFound:
        pass  # no EKU: any usage
    current = leaf
    for _ in range(MAX_CHAIN):
        for root in roots:
            if _signed_by(current, root):
                return _within(root, now)
        step = next((c for c in intermediates if _is_ca(c) and _signed_by(current, c)), None)
        if step is None:
            break
        problem = _within(step, now)
        if problem:
            return problem
        intermediates.remove(step)
        current = step
    return "x509: certificate signed by unknown authority"


def user_of(cert: x509.Certificate) -> UserInfo | None:
    """CommonNameUserConversion: CN is the name (none: not authenticated), every O a group."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names or not names[0].value:
        return None
    groups = tuple(str(o.value) for o in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
    uids = cert.subject.get_attributes_for_oid(UID_OID)
    fingerprint = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    return UserInfo(str(names[0].value), str(uids[0].value) if uids else "", groups,
                    {"authentication.kubernetes.io/credential-id": (f"X509SHA256={fingerprint}",)})


class X509Authenticator:
    name = "x509"

    def __init__(self, ca_pem: bytes, clock: Callable[[], datetime] = utcnow) -> None:
        self.roots = load_certificates(ca_pem) if ca_pem else []
        self.clock = clock

    def authenticate(self, credentials: Credentials) -> Result | None:
        if not credentials.client_cert_pem or not self.roots:
            return None  # no certificate presented, or no client CA configured
        try:
            chain = load_certificates(credentials.client_cert_pem)
        except ValueError as err:
            return Result(None, self.name, f"the client certificate is not valid PEM: {err}", error=True)
        if not chain:
            return Result(None, self.name, "no certificate in the client certificate PEM", error=True)
        problem = verify(chain, self.roots, self.clock())
        if problem:
            return Result(None, self.name, f"verifying certificate {_describe(chain[0])} failed: {problem}", error=True)
        user = user_of(chain[0])
        if user is None:
            return None  # verified, but names no one: not authenticated by this method
        return Result(user, self.name, f"client certificate CN={user.name}"
                      + (f", O={','.join(user.groups)}" if user.groups else "")
                      + f", verified against the client CA (valid until {chain[0].not_valid_after_utc:%Y-%m-%d})")


# -- issuing: what a cluster admin does with the CA key (kubeadm, `openssl x509 -req`, the CSR signer) --------

def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def issue(ca_cert_pem: bytes, ca_key_pem: bytes, *, common_name: str, organizations: Sequence[str] = (),
          days: float = 365, usage=ExtendedKeyUsageOID.CLIENT_AUTH, not_before: datetime | None = None,
          key=None, alt_names: Sequence[x509.GeneralName] = ()) -> tuple[bytes, bytes]:
    """A key and a certificate for a user (or, with SERVER_AUTH and alt_names, a server), signed by the CA:
    (cert PEM, key PEM)."""
    ca_cert = load_certificates(ca_cert_pem)[0]
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)
    key = key or new_key()
    start = not_before or utcnow() - timedelta(minutes=5)
    subject = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in organizations]
    subject.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name(subject)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=days))
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False))
    if alt_names:
        cert = cert.add_extension(x509.SubjectAlternativeName(list(alt_names)), critical=False)
    return cert_pem(cert.sign(ca_key, hashes.SHA256())), key_pem(key)


def new_ca(common_name: str, days: float = 3650) -> tuple[bytes, bytes]:
    """A self-signed CA (kubeadm's `kubernetes` CA): (cert PEM, key PEM)."""
    key = new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = utcnow() - timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert_pem(cert), key_pem(key)
