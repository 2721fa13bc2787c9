"""CertificateSigning: only who may `sign` a CSR's signer may issue its certificate.

Upstream: plugin/pkg/admission/certificates/signing/admission.go (v1.37), validating, on UPDATE of
certificatesigningrequests/status, and only when `status.certificate` or `status.conditions` changes:
the requester needs verb `sign` on `signers` named after the stored CSR's signerName, or on
`<domain>/*`. Refused: `user not permitted to sign requests with signerName "x"`. Upstream checks
podcertificaterequests/status the same way behind the PodCertificateRequest feature gate (off by
default); kauth has no such resource.
"""

from __future__ import annotations

from typing import Any

from kauth.admission.certificate_approval import (CERTIFICATES_GROUP, CSRS, forbidden, go_type,
                                                  is_authorized_for_signer_name, signer_name_of)
from kauth.admission.chain import UPDATE, Attributes, StateView, Verdict
from kauth.api import errors


class CertificateSigning:
    """The CertificateSigning admission plugin (validating only); `authorizer` as for CertificateApproval."""

    name = "CertificateSigning"

    def __init__(self, authorizer: Any) -> None:
        self.authorizer = authorizer

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Update); Validate ignores everything but certificatesigningrequests/status.
        rt = attributes.resource_type
        return (attributes.operation == UPDATE and rt.group == CERTIFICATES_GROUP and rt.plural == CSRS
                and attributes.subresource == "status")

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        old_csr, csr = attributes.old_object, attributes.object
        if not isinstance(old_csr, dict):
            raise forbidden(attributes, f"expected type CertificateSigningRequest, got: {go_type(old_csr)}")
        if not isinstance(csr, dict):
            raise forbidden(attributes, f"expected type CertificateSigningRequest, got: {go_type(csr)}")
        if _certificate(old_csr) == _certificate(csr) and _conditions(old_csr) == _conditions(csr):
            return Verdict(csr, "status.certificate and status.conditions are unchanged: no signing permission "
                                "needed")
        signer_name = signer_name_of(old_csr)
        granted = is_authorized_for_signer_name(self.authorizer, attributes.user, "sign", signer_name)
        if granted is None:
            raise forbidden(attributes, f"user not permitted to sign requests with signerName "
                                        f"{errors.go_quote(signer_name)}")
        return Verdict(csr, f'{attributes.user.name} may sign for signer "{signer_name}" '
                            f'(allowed on signers "{granted}")')


def _certificate(csr: dict) -> Any:
    """status.certificate as sent (absent and "" differ, as a nil and an empty []byte do for reflect.DeepEqual)."""
    status = csr.get("status")
    return status.get("certificate") if isinstance(status, dict) else None


def _conditions(csr: dict) -> Any:
    """status.conditions for Semantic.DeepEqual, where a nil list equals an empty one."""
    status = csr.get("status")
    conditions = status.get("conditions") if isinstance(status, dict) else None
    return conditions or []
