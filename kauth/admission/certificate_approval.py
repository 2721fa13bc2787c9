"""CertificateApproval: only who may `approve` a CSR's signer may approve or deny the CSR.

Upstream: plugin/pkg/admission/certificates/approval/admission.go (v1.37), validating, on UPDATE of
certificatesigningrequests/approval. The requester is asked for verb `approve` on the synthetic resource
`signers` (group certificates.k8s.io) named after the *stored* CSR's signerName, then, failing that, on
`<domain>/*` (pkg/certauthorization IsAuthorizedForSignerName): a role granting `approve` on
`signers` named `example.com/*` covers every `example.com/...` signer. Refused: `user not permitted to
approve requests with signerName "x"`.
"""

from __future__ import annotations

from typing import Any

from kauth.admission.chain import UPDATE, Attributes, StateView, Verdict
from kauth.api import errors
from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Attributes as AuthorizationAttributes
from kauth.authz.authorizer import Decision
from kauth.admission.chain import forbidden

CERTIFICATES_GROUP = "certificates.k8s.io"
CSRS = "certificatesigningrequests"


class CertificateApproval:
    """The CertificateApproval admission plugin (validating only).

    `authorizer`: anything with `authorize(kauth.authz.authorizer.Attributes)` answering a Decision (or,
    like `Union`, a (Decision, decisions) pair): the API server's own authorizer chain.
    """

    name = "CertificateApproval"

    def __init__(self, authorizer: Any) -> None:
        self.authorizer = authorizer

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Update); Validate ignores everything but certificatesigningrequests/approval.
        rt = attributes.resource_type
        return (attributes.operation == UPDATE and rt.group == CERTIFICATES_GROUP and rt.plural == CSRS
                and attributes.subresource == "approval")

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        # The *old* CSR's signer: a user cannot dodge the check by changing signerName in the same request.
        old_csr = attributes.old_object
        if not isinstance(old_csr, dict):
            raise forbidden(attributes, f"expected type CertificateSigningRequest, got: {go_type(old_csr)}")
        signer_name = signer_name_of(old_csr)
        granted = is_authorized_for_signer_name(self.authorizer, attributes.user, "approve", signer_name)
        if granted is None:
            raise forbidden(attributes, f"user not permitted to approve requests with signerName "
                                        f"{errors.go_quote(signer_name)}")
        return Verdict(attributes.object, f'{attributes.user.name} may approve signer "{signer_name}" '
                                          f'(allowed on signers "{granted}")')


def is_authorized_for_signer_name(authorizer: Any, user: UserInfo, verb: str, signer_name: str) -> str | None:
    """IsAuthorizedForSignerName: the `signers` name the user may `verb` (the signer itself, else
    `<domain>/*`), or None when neither is allowed. The domain is what precedes the first "/"."""
    for name in (signer_name, signer_name.split("/")[0] + "/*"):
        attributes = AuthorizationAttributes(user=user, verb=verb, resource_request=True, group=CERTIFICATES_GROUP,
                                             version="*", resource="signers", name=name)
        try:
            decision = _decision(authorizer.authorize(attributes))
        except Exception:  # noqa: BLE001 - upstream logs an authorizer error and counts it as not allowed
            continue
        if decision.allowed is True:
            return name
    return None


def _decision(answer: Any) -> Decision:
    """An authorizer's answer: a Decision, or the (Decision, decisions) pair `Union.authorize` returns."""
    return answer[0] if isinstance(answer, tuple) else answer


def signer_name_of(csr: dict) -> str:
    spec = csr.get("spec")
    name = spec.get("signerName") if isinstance(spec, dict) else None
    return name if isinstance(name, str) else ""


def go_type(value: Any) -> str:
    """Go's %T of what a non-CSR object would decode to (only nil happens in practice)."""
    if value is None:
        return "<nil>"
    return {list: "[]interface {}", str: "string", bool: "bool", int: "int64", float: "float64"}.get(
        type(value), type(value).__name__)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
