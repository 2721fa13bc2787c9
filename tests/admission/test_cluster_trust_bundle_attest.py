"""The ClusterTrustBundleAttest admission plugin, as plugin/pkg/admission/certificates/ctbattest/admission.go
(v1.37) behaves, with pkg/certauthorization's IsAuthorizedForSignerName and rbac.IsOnlyMutatingGCFields.
Cases follow upstream's admission_test.go (TestPluginValidate: case names in comments)."""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes
from kauth.admission.cluster_trust_bundle_attest import ClusterTrustBundleAttest
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceType
from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Decision

ALICE = UserInfo("alice")


# kauth's resource table has no ClusterTrustBundle (certificates.k8s.io/v1beta1) yet: a stand-in.
CTBS = ResourceType("certificates.k8s.io", "v1beta1", "ClusterTrustBundle", "clustertrustbundles", namespaced=False)


class FakeAuthorizer:
    name = "fake"

    def __init__(self, allowed_name="", error=None):
        self.allowed_name, self.error, self.asked = allowed_name, error, []

    def authorize(self, a):
        self.asked.append(a)
        if self.error:
            raise self.error
        ok = (a.verb == "attest" and a.group == "certificates.k8s.io" and a.resource == "signers"
              and a.version == "*" and a.name == self.allowed_name)
        return Decision(True if ok else None, "")


def bundle(signer="foo.com/bar", trust="PEM", **metadata) -> dict:
    spec = {"trustBundle": trust}
    if signer:
        spec["signerName"] = signer
    return {"apiVersion": "certificates.k8s.io/v1beta1", "kind": "ClusterTrustBundle",
            "metadata": {"name": "foo.com:bar:abc", **metadata}, "spec": spec}


def validate(authorizer, new, old=None, operation=CREATE, enabled=True):
    attributes = Attributes(operation, CTBS, "", "foo.com:bar:abc", new, old, ALICE)
    return ClusterTrustBundleAttest(authorizer, enabled=enabled).validate(attributes, None)


def test_allowed_when_the_user_may_attest_for_the_signer():
    # "should allow create if user is authorized for specific signerName"
    verdict = validate(FakeAuthorizer("foo.com/bar"), bundle())
    assert verdict.message == 'alice may attest for signer "foo.com/bar" (allowed on signers "foo.com/bar")'


def test_allowed_with_the_domain_wildcard():
    # "should allow create if user is authorized with wildcard"
    assert validate(FakeAuthorizer("foo.com/*"), bundle()).message.endswith('(allowed on signers "foo.com/*")')


def test_denied_without_attest_permission():
    # "should deny create if user does not have permission for this signerName"
    with pytest.raises(StatusError) as caught:
        validate(FakeAuthorizer("other.com/x"), bundle())
    assert caught.value.code == 403
    assert caught.value.message == ('clustertrustbundles.certificates.k8s.io "foo.com:bar:abc" is forbidden: user not '
                                    'permitted to attest for signerName "foo.com/bar"')


def test_denied_when_the_authorizer_fails():
    # "reject requests if looking up permissions fails"
    with pytest.raises(StatusError, match="not permitted to attest"):
        validate(FakeAuthorizer(error=RuntimeError("forced")), bundle())


def test_bundle_without_signer_needs_no_permission():
    # "should allow create if no signer name is specified"
    authorizer = FakeAuthorizer()
    assert validate(authorizer, bundle(signer="")).message == "the bundle names no signer: no attest permission needed"
    assert authorizer.asked == []


def test_update_of_gc_fields_only_needs_no_permission():
    # "should always allow finalizer update" (IsOnlyMutatingGCFields: ownerReferences and finalizers)
    old = bundle()
    new = bundle(finalizers=["example.com/f"], ownerReferences=[{"kind": "X", "name": "y", "uid": "1"}])
    verdict = validate(FakeAuthorizer(), new, old, UPDATE)
    assert verdict.message == "only garbage-collection fields change: no attest permission needed"


def test_no_op_update_needs_no_permission():
    # "should always allow no-op update" (even with a broken authorizer)
    verdict = validate(FakeAuthorizer(error=RuntimeError("broken")), bundle(), bundle(), UPDATE)
    assert verdict.message == "only garbage-collection fields change: no attest permission needed"


def test_update_of_the_trust_bundle_needs_permission():
    with pytest.raises(StatusError, match="not permitted to attest"):
        validate(FakeAuthorizer(), bundle(trust="NEW"), bundle(), UPDATE)


def test_update_of_labels_needs_permission():
    with pytest.raises(StatusError):
        validate(FakeAuthorizer(), bundle(labels={"a": "b"}), bundle(), UPDATE)


def test_empty_and_absent_finalizers_are_the_same():
    assert "only garbage-collection" in validate(FakeAuthorizer(), bundle(annotations={}), bundle(), UPDATE).message


def test_checks_the_new_signer_name():
    # "it's OK to validate against the *new* object, because updates to signer name will be rejected during
    # validation"
    with pytest.raises(StatusError, match='signerName "new.com/x"'):
        validate(FakeAuthorizer("foo.com/bar"), bundle("new.com/x"), bundle(), UPDATE)


def test_off_without_the_feature_gate():
    plugin = ClusterTrustBundleAttest(FakeAuthorizer())
    assert not plugin.handles(Attributes(CREATE, CTBS, "", "x", bundle(), None, ALICE))


def test_handles_create_and_update_when_enabled():
    plugin = ClusterTrustBundleAttest(FakeAuthorizer(), enabled=True)
    assert plugin.handles(Attributes(CREATE, CTBS, "", "x", bundle(), None, ALICE))
    assert plugin.handles(Attributes(UPDATE, CTBS, "", "x", bundle(), bundle(), ALICE))
    assert not plugin.handles(Attributes(DELETE, CTBS, "", "x", None, bundle(), ALICE))


# --- hostile input ------------------------------------------------------------------------------


def test_missing_object_is_forbidden_naming_the_old_objects_type():
    # "wrong type on create"; upstream formats the error with a.GetOldObject(): on create that is nil.
    with pytest.raises(StatusError, match="expected type ClusterTrustBundle, got: <nil>"):
        validate(FakeAuthorizer(), None)


@pytest.mark.parametrize("spec", [None, [], {"signerName": 7}])
def test_odd_specs_count_as_no_signer(spec):
    obj = bundle()
    obj["spec"] = spec
    assert "names no signer" in validate(FakeAuthorizer(), obj).message


def test_odd_metadata_is_not_gc_only():
    new = bundle()
    new["metadata"] = "x"
    with pytest.raises(StatusError):
        validate(FakeAuthorizer(), new, bundle(), UPDATE)


def test_large_bundles_compare():
    trust = "-----BEGIN CERTIFICATE-----\n" + "A" * 200000 + "\n-----END CERTIFICATE-----\n"
    verdict = validate(FakeAuthorizer(), bundle(trust=trust, finalizers=["f"]), bundle(trust=trust), UPDATE)
    assert "only garbage-collection" in verdict.message
