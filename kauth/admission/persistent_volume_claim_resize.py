"""PersistentVolumeClaimResize: a claim may only grow when it is Bound and its StorageClass allows expansion.

Upstream: plugin/pkg/admission/storage/persistentvolume/resize/admission.go (v1.37), validating, on
UPDATE of persistentvolumeclaims (no subresource). Only a larger `spec.resources.requests.storage` is
looked at: the stored claim must be Bound (`Only bound persistent volume claims can be expanded`), and
old and new claim must name the same non-empty StorageClass (the beta annotation
`volume.beta.kubernetes.io/storage-class` first, then `spec.storageClassName`), one that exists and sets
`allowVolumeExpansion: true`; otherwise `only dynamically provisioned pvc can be resized and the
storageclass that provisions the pvc must support resize`.
"""

from __future__ import annotations

from typing import Any

from kauth.admission import quantity
from kauth.admission.chain import UPDATE, Attributes, StateView, Verdict
from kauth.admission.chain import forbidden as _forbidden

BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
NOT_BOUND = "Only bound persistent volume claims can be expanded"
NOT_EXPANDABLE = ("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc "
                  "must support resize")


class PersistentVolumeClaimResize:
    """The PersistentVolumeClaimResize admission plugin (validating only)."""

    name = "PersistentVolumeClaimResize"

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Update); Validate ignores everything but persistentvolumeclaims proper.
        rt = attributes.resource_type
        return (attributes.operation == UPDATE and rt.group == "" and rt.plural == "persistentvolumeclaims"
                and not attributes.subresource)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        claim, old_claim = attributes.object, attributes.old_object
        if not isinstance(claim, dict) or not isinstance(old_claim, dict):
            return Verdict(claim, "no claim to compare: nothing to check")
        old_size, new_size = _requested_storage(old_claim), _requested_storage(claim)
        if quantity.cmp(new_size, old_size) <= 0:
            return Verdict(claim, "the claim does not grow")
        grow = f"{quantity.text(old_size)} to {quantity.text(new_size)}"
        if _dict(old_claim.get("status")).get("phase") != "Bound":
            raise _forbidden(attributes, NOT_BOUND)
        class_name = _claim_class(claim)
        if not class_name or class_name != _claim_class(old_claim):
            raise _forbidden(attributes, NOT_EXPANDABLE)
        storage_class = state.get("storage.k8s.io", "storageclasses", "", class_name)
        if not isinstance(storage_class, dict) or storage_class.get("allowVolumeExpansion") is not True:
            raise _forbidden(attributes, NOT_EXPANDABLE)
        return Verdict(claim, f'the claim grows from {grow}: StorageClass "{class_name}" allows volume expansion')


def _requested_storage(claim: dict) -> quantity.Quantity:
    """spec.resources.requests["storage"]; the zero quantity when absent (or not a quantity)."""
    raw = _dict(_dict(_dict(claim.get("spec")).get("resources")).get("requests")).get("storage")
    parsed = quantity.parse(raw) if raw is not None else None
    return parsed if parsed is not None else quantity.zero()


def _claim_class(claim: dict) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName, else ""."""
    annotations = _dict(_dict(claim.get("metadata")).get("annotations"))
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return _str(annotations[BETA_STORAGE_CLASS_ANNOTATION])
    return _str(_dict(claim.get("spec")).get("storageClassName"))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
