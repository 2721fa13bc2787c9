"""The CertificateApproval and CertificateSigning admission plugins, as plugin/pkg/admission/certificates/
approval and .../signing (v1.37) behave, with pkg/certauthorization's IsAuthorizedForSignerName.

Cases follow upstream's admission_test.go of each package (TestPlugin_Validate: case names in comments).
"""

from __future__ import annotations

import pytest

from kauth.admission.certificate_approval import CertificateApproval, is_authorized_for_signer_name
from kauth.admission.certificate_signing import CertificateSigning
from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Decision, PrivilegedGroups, Union
from kauth.authz.rbac import RBACPolicy

TABLE = ResourceTable.builtin()
CSRS = TABLE.for_resource("certificates.k8s.io", "v1", "certificatesigningrequests")
ALICE = UserInfo("alice")


class FakeAuthorizer:
    """upstream's fakeAuthorizer: allows `verb` on certificates.k8s.io/* signers named `allowed_name`."""

    name = "fake"

    def __init__(self, verb: str, allowed_name: str = "", error: Exception | None = None) -> None:
        self.verb, self.allowed_name, self.error = verb, allowed_name, error
        self.asked: list = []

    def authorize(self, a):
        self.asked.append(a)
        if self.error is not None:
            raise self.error
        ok = (a.verb == self.verb and a.group == "certificates.k8s.io" and a.version == "*"
              and a.resource == "signers" and a.name == self.allowed_name and a.resource_request)
        return Decision(True if ok else None, "")


def csr(signer="abc.com/xyz", certificate=None, conditions=None) -> dict:
    obj = {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": "req"},
           "spec": {"signerName": signer, "request": "cmVx", "usages": ["client auth"]}}
    status = {}
    if certificate is not None:
        status["certificate"] = certificate
    if conditions is not None:
        status["conditions"] = conditions
    if status:
        obj["status"] = status
    return obj


APPROVED = [{"type": "Approved", "status": "True", "reason": "OK"}]


def approve(authorizer, new, old, user=ALICE):
    attributes = Attributes(UPDATE, CSRS, "", "req", new, old, user, "approval")
    return CertificateApproval(authorizer).validate(attributes, None)


def sign(authorizer, new, old, user=ALICE):
    attributes = Attributes(UPDATE, CSRS, "", "req", new, old, user, "status")
    return CertificateSigning(authorizer).validate(attributes, None)


# --- CertificateApproval ------------------------------------------------------------------------


def test_approval_allowed_for_the_specific_signer_name():
    # approval "should allow request if user is authorized for specific signerName"
    authorizer = FakeAuthorizer("approve", "abc.com/xyz")
    verdict = approve(authorizer, csr(conditions=APPROVED), csr())
    assert verdict.message == 'alice may approve signer "abc.com/xyz" (allowed on signers "abc.com/xyz")'
    assert len(authorizer.asked) == 1


def test_approval_allowed_with_the_domain_wildcard():
    # approval "should allow request if user is authorized with wildcard"
    authorizer = FakeAuthorizer("approve", "abc.com/*")
    verdict = approve(authorizer, csr(conditions=APPROVED), csr())
    assert verdict.message.endswith('(allowed on signers "abc.com/*")')
    assert [a.name for a in authorizer.asked] == ["abc.com/xyz", "abc.com/*"]


def test_approval_denied_without_permission_for_the_signer():
    # approval "should deny request if user does not have permission for this signerName"
    with pytest.raises(StatusError) as caught:
        approve(FakeAuthorizer("approve", "notabc.com/xyz"), csr(conditions=APPROVED), csr())
    assert caught.value.code == 403 and caught.value.reason == "Forbidden"
    assert caught.value.message == ('certificatesigningrequests.certificates.k8s.io "req" is forbidden: user not '
                                    'permitted to approve requests with signerName "abc.com/xyz"')


def test_approval_checks_the_stored_signer_name():
    # approval "should deny request if user attempts to update signerName to a new value they *do* have
    # permission to approve for"
    with pytest.raises(StatusError, match='signerName "notallowed.com/xyz"'):
        approve(FakeAuthorizer("approve", "allowed.com/xyz"), csr("allowed.com/xyz"), csr("notallowed.com/xyz"))


def test_approval_denied_when_the_authorizer_fails():
    # approval "reject requests if looking up permissions fails"
    with pytest.raises(StatusError, match="user not permitted to approve"):
        approve(FakeAuthorizer("approve", "abc.com/xyz", RuntimeError("forced error")), csr(), csr())


def test_approval_with_the_sign_verb_is_not_enough():
    with pytest.raises(StatusError, match="not permitted to approve"):
        approve(FakeAuthorizer("sign", "abc.com/xyz"), csr(conditions=APPROVED), csr())


def test_approval_of_a_missing_old_object_is_forbidden():
    # approval "wrong type"
    with pytest.raises(StatusError) as caught:
        approve(FakeAuthorizer("approve", "abc.com/xyz"), csr(), None)
    assert caught.value.message.endswith("is forbidden: expected type CertificateSigningRequest, got: <nil>")


def test_approval_handles_only_the_approval_subresource_on_update():
    plugin = CertificateApproval(FakeAuthorizer("approve"))
    assert plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE, "approval"))
    assert not plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE, "status"))
    assert not plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE))
    assert not plugin.handles(Attributes(CREATE, CSRS, "", "req", csr(), None, ALICE, "approval"))


def test_signer_without_a_slash_wildcards_its_whole_name():
    # buildWildcardAttributes: strings.Split(signerName, "/")[0] + "/*"
    authorizer = FakeAuthorizer("approve", "weird/*")
    assert is_authorized_for_signer_name(authorizer, ALICE, "approve", "weird") == "weird/*"


def test_union_authorizer_answers_are_accepted():
    union = Union([PrivilegedGroups()])
    masters = UserInfo("admin", groups=("system:masters",))
    assert approve(union, csr(conditions=APPROVED), csr(), user=masters).message.startswith("admin may approve")


def test_rbac_role_on_signers_with_a_wildcard_name_allows_approval():
    # The documented RBAC for approvers: verb approve on resource signers, resourceNames ["example.com/*"].
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "approver"},
            "rules": [{"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"],
                       "resourceNames": ["example.com/*"]}]}
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": {"name": "approver"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "approver"},
               "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}]}
    rbac = RBACPolicy.from_objects([role, binding])
    verdict = approve(rbac, csr("example.com/my-signer", conditions=APPROVED), csr("example.com/my-signer"))
    assert verdict.message.endswith('(allowed on signers "example.com/*")')
    with pytest.raises(StatusError):
        approve(rbac, csr("other.com/x", conditions=APPROVED), csr("other.com/x"))


# --- CertificateSigning -------------------------------------------------------------------------


def test_signing_allowed_for_the_specific_signer_name():
    # signing "allow request if user is authorized for specific signerName"
    verdict = sign(FakeAuthorizer("sign", "abc.com/xyz"), csr(certificate="ZGF0YQ=="), csr())
    assert verdict.message == 'alice may sign for signer "abc.com/xyz" (allowed on signers "abc.com/xyz")'


def test_signing_allowed_with_the_domain_wildcard():
    # signing "allow request if user is authorized with wildcard"
    assert sign(FakeAuthorizer("sign", "abc.com/*"), csr(certificate="ZGF0YQ=="), csr()).message.endswith(
        '(allowed on signers "abc.com/*")')


def test_signing_denied_without_permission_for_the_signer():
    # signing "should deny request if user does not have permission for this signerName"
    with pytest.raises(StatusError) as caught:
        sign(FakeAuthorizer("sign", "notabc.com/xyz"), csr(certificate="ZGF0YQ=="), csr())
    assert caught.value.message == ('certificatesigningrequests.certificates.k8s.io "req" is forbidden: user not '
                                    'permitted to sign requests with signerName "abc.com/xyz"')


def test_signing_checks_the_stored_signer_name():
    # signing "should deny request if user attempts to update signerName to a new value they *do* have
    # permission to sign for"
    with pytest.raises(StatusError, match='signerName "notallowed.com/xyz"'):
        sign(FakeAuthorizer("sign", "allowed.com/xyz"), csr("allowed.com/xyz", certificate="ZGF0YQ=="),
             csr("notallowed.com/xyz"))


def test_signing_not_checked_when_certificate_and_conditions_are_unchanged():
    # signing "allowed if the 'certificate' and conditions field has not changed" (even with a failing authorizer)
    authorizer = FakeAuthorizer("sign", error=RuntimeError("faked error"))
    verdict = sign(authorizer, csr(certificate="ZGF0YQ=="), csr(certificate="ZGF0YQ=="))
    assert verdict.message == "status.certificate and status.conditions are unchanged: no signing permission needed"
    assert authorizer.asked == []


def test_signing_denied_when_the_authorizer_fails_on_a_certificate_change():
    # signing "deny request if authz lookup fails on certificate change"
    with pytest.raises(StatusError, match="not permitted to sign"):
        sign(FakeAuthorizer("sign", "abc.com/xyz", RuntimeError("test")), csr(certificate="ZGF0YQ=="), csr())


def test_signing_checked_on_a_condition_change():
    # signing "deny request if authz lookup fails on condition change"
    failed = [{"type": "Failed", "status": "True"}]
    with pytest.raises(StatusError, match="not permitted to sign"):
        sign(FakeAuthorizer("sign", "other/x"), csr(conditions=failed), csr())


def test_absent_and_empty_conditions_are_the_same():
    # Semantic.DeepEqual treats a nil and an empty list alike.
    assert "unchanged" in sign(FakeAuthorizer("sign"), csr(conditions=[]), csr()).message


def test_absent_and_empty_certificate_differ():
    # reflect.DeepEqual: a nil []byte is not an empty one.
    with pytest.raises(StatusError):
        sign(FakeAuthorizer("sign"), csr(certificate=""), csr())


def test_signing_of_a_missing_object_is_forbidden():
    # signing "wrong type"
    with pytest.raises(StatusError, match="expected type CertificateSigningRequest, got: <nil>"):
        sign(FakeAuthorizer("sign", "abc.com/xyz"), None, csr())


def test_signing_handles_only_the_status_subresource_on_update():
    plugin = CertificateSigning(FakeAuthorizer("sign"))
    assert plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE, "status"))
    assert not plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE, "approval"))
    assert not plugin.handles(Attributes(UPDATE, CSRS, "", "req", csr(), csr(), ALICE))


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [None, [], {"signerName": 5}])
def test_odd_specs_count_as_an_empty_signer_name(spec):
    old = csr()
    old["spec"] = spec
    authorizer = FakeAuthorizer("approve", "/*")
    assert approve(authorizer, csr(), old).message == 'alice may approve signer "" (allowed on signers "/*")'


def test_hostile_signer_name_is_quoted_as_go_does():
    with pytest.raises(StatusError) as caught:
        approve(FakeAuthorizer("approve"), csr(), csr('evil"\n/x'))
    assert caught.value.message.endswith('signerName "evil\\"\\n/x"')


def test_huge_condition_lists_are_compared():
    many = [{"type": f"T{i}", "status": "True"} for i in range(5000)]
    assert "unchanged" in sign(FakeAuthorizer("sign"), csr(conditions=many), csr(conditions=list(many))).message
