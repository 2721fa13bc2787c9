"""ClusterTrustBundleAttest: only who may `attest` for a signer may publish a ClusterTrustBundle for it.

Upstream: plugin/pkg/admission/certificates/ctbattest/admission.go (v1.37), validating, on CREATE and
UPDATE of clustertrustbundles (certificates.k8s.io), active with the ClusterTrustBundle feature gate
(beta since v1.33, off by default, as is the v1beta1 API it serves). A bundle that sets
`spec.signerName` needs verb `attest` on `signers` named after it, or on `<domain>/*` (checked against
the *new* object: validation forbids changing signerName). Updates that only touch what the garbage
collector touches (ownerReferences, finalizers; rbac.IsOnlyMutatingGCFields) are not checked. Refused:
`user not permitted to attest for signerName "x"`.
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission.certificate_approval import CERTIFICATES_GROUP, forbidden, go_type, is_authorized_for_signer_name
from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.api import errors

CLUSTER_TRUST_BUNDLES = "clustertrustbundles"
# What rbac.IsOnlyMutatingGCFields copies from the old object before comparing.
_GC_FIELDS = ("ownerReferences", "finalizers", "selfLink")


class ClusterTrustBundleAttest:
    """The ClusterTrustBundleAttest admission plugin (validating only).

    `authorizer` as for CertificateApproval; `enabled`: the ClusterTrustBundle feature gate (off by default).
    """

    name = "ClusterTrustBundleAttest"

    def __init__(self, authorizer: Any, *, enabled: bool = False) -> None:
        self.authorizer = authorizer
        self.enabled = enabled

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create, Update); Validate looks at the resource only (any subresource).
        rt = attributes.resource_type
        return (self.enabled and attributes.operation in (CREATE, UPDATE) and rt.group == CERTIFICATES_GROUP
                and rt.plural == CLUSTER_TRUST_BUNDLES)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        bundle = attributes.object
        if not isinstance(bundle, dict):
            # Upstream prints the type of the *old* object here.
            raise forbidden(attributes, f"expected type ClusterTrustBundle, got: {go_type(attributes.old_object)}")
        spec = bundle.get("spec")
        signer_name = spec.get("signerName") if isinstance(spec, dict) else None
        signer_name = signer_name if isinstance(signer_name, str) else ""
        if not signer_name:
            return Verdict(bundle, "the bundle names no signer: no attest permission needed")
        if attributes.operation == UPDATE and is_only_mutating_gc_fields(bundle, attributes.old_object):
            return Verdict(bundle, "only garbage-collection fields change: no attest permission needed")
        granted = is_authorized_for_signer_name(self.authorizer, attributes.user, "attest", signer_name)
        if granted is None:
            raise forbidden(attributes, f"user not permitted to attest for signerName {errors.go_quote(signer_name)}")
        return Verdict(bundle, f'{attributes.user.name} may attest for signer "{signer_name}" '
                               f'(allowed on signers "{granted}")')


def is_only_mutating_gc_fields(obj: dict, old: Any) -> bool:
    """rbac.IsOnlyMutatingGCFields: obj equals old once its ownerReferences, finalizers and selfLink are old's
    (compared as Semantic.DeepEqual does: an empty list or map is the same as none)."""
    if not isinstance(old, dict):
        return False
    copied = copy.deepcopy(obj)
    metadata = copied.get("metadata")
    old_metadata = old.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(old_metadata, dict):
        return False
    for field in _GC_FIELDS:
        if field in old_metadata:
            metadata[field] = copy.deepcopy(old_metadata[field])
        else:
            metadata.pop(field, None)
    return _semantic(copied) == _semantic(old)


def _semantic(value: Any) -> Any:
    """A value with empty lists, maps and strings dropped from maps, as Go's zero values compare equal."""
    if isinstance(value, dict):
        return {k: _semantic(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value
