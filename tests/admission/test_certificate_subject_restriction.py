"""The CertificateSubjectRestriction admission plugin, as plugin/pkg/admission/certificates/subjectrestriction
(v1.37) behaves. Cases follow upstream's admission_test.go (TestPlugin_Validate: case names in comments);
CSRs are made as its pemWithGroup makes them (ed25519 key, subject O=<group>)."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

from kauth.admission.certificate_subject_restriction import CertificateSubjectRestriction
from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
CSRS = TABLE.for_resource("certificates.k8s.io", "v1", "certificatesigningrequests")
USER = UserInfo("alice")
CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client"
_KEY = ed25519.Ed25519PrivateKey.generate()


def pem_with_groups(*groups: str, common_name: str = "alice") -> bytes:
    names = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    names += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, g) for g in groups]
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(names)).sign(_KEY, None)
    return request.public_bytes(serialization.Encoding.PEM)


def csr(request: bytes | str | None, signer: str = CLIENT_SIGNER, name: str = "pooh") -> dict:
    spec: dict = {"signerName": signer, "usages": ["client auth"]}
    if request is not None:
        spec["request"] = base64.b64encode(request).decode() if isinstance(request, bytes) else request
    return {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": name},
            "spec": spec}


def validate(obj, name="pooh"):
    return CertificateSubjectRestriction().validate(Attributes(CREATE, CSRS, "", name, obj, None, USER), None)


def test_request_for_system_masters_is_forbidden():
    # "request for system:masters"
    with pytest.raises(StatusError) as caught:
        validate(csr(pem_with_groups("system:masters")))
    assert caught.value.code == 403
    assert caught.value.message == ('certificatesigningrequests.certificates.k8s.io "pooh" is forbidden: use of '
                                    "kubernetes.io/kube-apiserver-client signer with system:masters group is not "
                                    "allowed")


def test_system_masters_among_other_groups_is_forbidden():
    with pytest.raises(StatusError, match="system:masters group is not allowed"):
        validate(csr(pem_with_groups("dev", "system:masters")))


def test_some_other_group_is_allowed():
    # "some other group"
    verdict = validate(csr(pem_with_groups("system:admin")))
    assert verdict.message == "the requested subject asks for no system:masters group"


def test_some_other_signer_is_not_parsed():
    # "some other signer": kube-apiserver-client-kubelet may carry anything here (other checks apply elsewhere).
    verdict = validate(csr(pem_with_groups("system:masters"), "kubernetes.io/kube-apiserver-client-kubelet"))
    assert verdict.message == ('signer "kubernetes.io/kube-apiserver-client-kubelet" is not '
                               "kubernetes.io/kube-apiserver-client: not restricted")


def test_invalid_request_is_forbidden():
    # "invalid request"
    # admission.NewForbidden names the object (extractResourceName), not the request's name.
    with pytest.raises(StatusError) as caught:
        validate(csr(b"this is not a CSR"), name="bear")
    assert caught.value.message == ('certificatesigningrequests.certificates.k8s.io "pooh" is forbidden: failed to '
                                    "parse CSR: PEM block type must be CERTIFICATE REQUEST")


def test_pem_block_of_another_type_is_forbidden():
    key_pem = _KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    with pytest.raises(StatusError, match="failed to parse CSR: PEM block type must be CERTIFICATE REQUEST"):
        validate(csr(key_pem + pem_with_groups("system:masters")))


def test_broken_der_in_a_csr_block_is_forbidden():
    broken = b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
    with pytest.raises(StatusError, match="failed to parse CSR: x509: malformed certificate request"):
        validate(csr(broken))


def test_organization_is_matched_exactly():
    assert validate(csr(pem_with_groups("System:Masters", "system:masters-ish")))


def test_common_name_system_masters_is_not_a_group():
    assert validate(csr(pem_with_groups("dev", common_name="system:masters")))


def test_handles_csr_creation_only():
    plugin = CertificateSubjectRestriction()
    obj = csr(pem_with_groups("dev"))
    assert plugin.handles(Attributes(CREATE, CSRS, "", "pooh", obj, None, USER))
    assert not plugin.handles(Attributes(UPDATE, CSRS, "", "pooh", obj, obj, USER))
    # "ignored subresource"
    assert not plugin.handles(Attributes(CREATE, CSRS, "", "pooh", obj, None, USER, "approval"))
    # "ignored resource"
    pods = TABLE.for_resource("", "v1", "pods")
    assert not plugin.handles(Attributes(CREATE, pods, "dev", "p", {}, None, USER))


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("request_field", [None, 5, "not base64!", ""])
def test_missing_or_odd_request_is_forbidden(request_field):
    with pytest.raises(StatusError, match="PEM block type must be CERTIFICATE REQUEST"):
        validate(csr(request_field))


def test_missing_object_is_forbidden():
    # "wrong type"
    # without an object extractResourceName has no name to give: "Unknown"
    with pytest.raises(StatusError, match='"Unknown" is forbidden: expected type CertificateSigningRequest, got: <nil>'):
        validate(None)


def test_unnamed_csr_is_named_unknown():
    obj = csr(pem_with_groups("system:masters"), name="")
    obj["metadata"] = {"generateName": "csr-"}
    with pytest.raises(StatusError, match='"csr-" is forbidden'):
        validate(obj, name="")


def test_many_organizations():
    groups = [f"g{i}" for i in range(500)]
    assert validate(csr(pem_with_groups(*groups)))
    with pytest.raises(StatusError):
        validate(csr(pem_with_groups(*groups, "system:masters")))
