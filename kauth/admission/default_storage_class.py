"""DefaultStorageClass: a new PersistentVolumeClaim that asks for no class gets the default StorageClass.

Upstream: plugin/pkg/admission/storage/storageclass/setdefault/admission.go and GetDefaultClass in
pkg/volume/util/storageclass.go (v1.37). A claim asks for a class when `spec.storageClassName` is set
(even to "", which means "no class") or when it carries the beta annotation
`volume.beta.kubernetes.io/storage-class`. The default class is one annotated
`storageclass.kubernetes.io/is-default-class: "true"` (or the beta
`storageclass.beta.kubernetes.io/is-default-class`); when several are, the newest wins, ties broken
by name.
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission.chain import CREATE, Attributes, StateView, Verdict
from kauth.admission.default_class import newest_default

IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
# Go's zero time, what a class without a (parsable) creationTimestamp sorts as: older than any other.


class DefaultStorageClass:
    """The DefaultStorageClass admission plugin (mutating only, CREATE of persistentvolumeclaims)."""

    name = "DefaultStorageClass"

    def handles(self, attributes: Attributes) -> bool:
        rt = attributes.resource_type
        return (attributes.operation == CREATE and rt.group == "" and rt.plural == "persistentvolumeclaims"
                and not attributes.subresource)

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        claim = attributes.object
        if not isinstance(claim, dict):
            return Verdict(claim, "no claim in the request: nothing to do")
        spec = claim.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(claim, "spec is not an object: left to validation")
        if has_class(claim):
            return Verdict(claim, "the claim asks for a storage class: left as is")
        default = default_class(state.list("storage.k8s.io", "storageclasses"))
        if default is None:
            return Verdict(claim, "no default StorageClass: the claim keeps no class")
        class_name = default["metadata"]["name"]
        claim = copy.deepcopy(claim)
        claim.setdefault("spec", {})["storageClassName"] = class_name
        return Verdict(claim, f'set storageClassName to the default StorageClass "{class_name}"', changed=True)


def has_class(claim: dict) -> bool:
    """PersistentVolumeClaimHasClass: the beta annotation (any value) or a storageClassName (even "")."""
    annotations = _dict(_dict(claim.get("metadata")).get("annotations"))
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return True
    return _dict(claim.get("spec")).get("storageClassName") is not None


def is_default(storage_class: dict) -> bool:
    """storageutil.IsDefaultAnnotation: either annotation, with exactly the value "true"."""
    annotations = _dict(_dict(storage_class.get("metadata")).get("annotations"))
    return (annotations.get(IS_DEFAULT_STORAGE_CLASS_ANNOTATION) == "true"
            or annotations.get(BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION) == "true")


def default_class(classes: list[dict]) -> dict | None:
    """GetDefaultClass: the newest default class (ties: the smallest name), or None."""
    return newest_default(classes, is_default)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
