"""CertificateSubjectRestriction: no CSR for the kube-apiserver client signer may ask for group system:masters.

Upstream: plugin/pkg/admission/certificates/subjectrestriction/admission.go (v1.37), validating, on
CREATE of certificatesigningrequests (no subresource). A CSR whose signerName is
`kubernetes.io/kube-apiserver-client` and whose subject lists `system:masters` among its organizations
(the groups the issued certificate would carry) is refused: such a certificate would bypass
authorization altogether. Any other signer passes unparsed.

`spec.request` is the base64 of a PEM "CERTIFICATE REQUEST" block (certificates.ParseCSR). When it does
not parse, the CSR is refused with `failed to parse CSR: ...`: the PEM message is upstream's; for a broken
DER body Go gives an asn1 error (e.g. `asn1: structure error: ...`) that kauth does not reproduce and
says `x509: malformed certificate request` instead.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from kauth.admission.certificate_approval import CERTIFICATES_GROUP, CSRS, forbidden, go_type, signer_name_of
from kauth.admission.chain import CREATE, Attributes, StateView, Verdict

KUBE_APISERVER_CLIENT_SIGNER_NAME = "kubernetes.io/kube-apiserver-client"
MASTERS_GROUP = "system:masters"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([^\r\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


class CertificateSubjectRestriction:
    """The CertificateSubjectRestriction admission plugin (validating only)."""

    name = "CertificateSubjectRestriction"

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create); Validate ignores everything but certificatesigningrequests proper.
        rt = attributes.resource_type
        return (attributes.operation == CREATE and rt.group == CERTIFICATES_GROUP and rt.plural == CSRS
                and not attributes.subresource)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        csr = attributes.object
        if not isinstance(csr, dict):
            raise forbidden(attributes, f"expected type CertificateSigningRequest, got: {go_type(csr)}")
        signer_name = signer_name_of(csr)
        if signer_name != KUBE_APISERVER_CLIENT_SIGNER_NAME:
            return Verdict(csr, f'signer "{signer_name}" is not {KUBE_APISERVER_CLIENT_SIGNER_NAME}: not restricted')
        spec = csr.get("spec")
        organizations, problem = subject_organizations(spec.get("request") if isinstance(spec, dict) else None)
        if problem:
            raise forbidden(attributes, f"failed to parse CSR: {problem}")
        if MASTERS_GROUP in organizations:
            raise forbidden(attributes, f"use of {KUBE_APISERVER_CLIENT_SIGNER_NAME} signer with {MASTERS_GROUP} "
                                        f"group is not allowed")
        return Verdict(csr, f"the requested subject asks for no {MASTERS_GROUP} group")


def subject_organizations(request: Any) -> tuple[list[str], str]:
    """The subject's organizations (O=) of a CSR's `spec.request`, or ([], why it does not parse)."""
    if not isinstance(request, str):
        return [], "PEM block type must be CERTIFICATE REQUEST"
    try:
        pem = base64.b64decode(request, validate=True)
    except (binascii.Error, ValueError):
        return [], "PEM block type must be CERTIFICATE REQUEST"
    block = _PEM_BLOCK.search(pem)  # pem.Decode: the first block, whatever its type
    if block is None or block.group(1) != b"CERTIFICATE REQUEST":
        return [], "PEM block type must be CERTIFICATE REQUEST"
    try:
        der = base64.b64decode(b"".join(block.group(2).split()), validate=True)
    except (binascii.Error, ValueError):  # pem.Decode finds no block in a body that is not base64
        return [], "PEM block type must be CERTIFICATE REQUEST"
    try:
        parsed = x509.load_der_x509_csr(der)
        return [a.value for a in parsed.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)], ""
    except ValueError:
        return [], "x509: malformed certificate request"
