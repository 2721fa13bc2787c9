"""StorageObjectInUseProtection: new claims, volumes and volume attributes classes get a protection finalizer.

Upstream: plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go (v1.37), mutating, on
CREATE only (no subresource): a PersistentVolumeClaim gets `kubernetes.io/pvc-protection`, a
PersistentVolume `kubernetes.io/pv-protection` and, with the VolumeAttributesClass feature (GA since
v1.34, on by default), a VolumeAttributesClass `kubernetes.io/vac-protection`, unless the object already
carries it. The PVC/PV/VAC protection controllers remove the finalizer once nothing uses the object, so
deleting a claim a running pod mounts only marks it Terminating.
"""

from __future__ import annotations

import copy

from kauth.admission.chain import CREATE, Attributes, StateView, Verdict

PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"
VAC_PROTECTION_FINALIZER = "kubernetes.io/vac-protection"
# (group, resource) -> the finalizer the plugin adds
FINALIZERS = {
    ("", "persistentvolumeclaims"): PVC_PROTECTION_FINALIZER,
    ("", "persistentvolumes"): PV_PROTECTION_FINALIZER,
    ("storage.k8s.io", "volumeattributesclasses"): VAC_PROTECTION_FINALIZER,
}


class StorageObjectInUseProtection:
    """The StorageObjectInUseProtection admission plugin (mutating only).

    `volume_attributes_class`: the VolumeAttributesClass feature gate (on by default in v1.37).
    """

    name = "StorageObjectInUseProtection"

    def __init__(self, *, volume_attributes_class: bool = True) -> None:
        self.volume_attributes_class = volume_attributes_class

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create); Admit ignores other resources and every subresource.
        return (attributes.operation == CREATE and not attributes.subresource
                and self._finalizer(attributes) is not None)

    def _finalizer(self, attributes: Attributes) -> str | None:
        rt = attributes.resource_type
        if rt.plural == "volumeattributesclasses" and not self.volume_attributes_class:
            return None
        return FINALIZERS.get((rt.group, rt.plural))

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        obj = attributes.object
        finalizer = self._finalizer(attributes)
        if not isinstance(obj, dict) or finalizer is None:
            return Verdict(obj, "no object in the request: nothing to do")
        metadata = obj.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            return Verdict(obj, "metadata is not an object: left to validation")
        finalizers = (metadata or {}).get("finalizers")
        if finalizers is not None and not isinstance(finalizers, list):
            return Verdict(obj, "metadata.finalizers is not a list: left to validation")
        if finalizer in (finalizers or ()):
            return Verdict(obj, f"{finalizer} finalizer already present")
        obj = copy.deepcopy(obj)
        new_metadata = obj.setdefault("metadata", {})
        new_metadata["finalizers"] = [*(finalizers or ()), finalizer]
        return Verdict(obj, f"added the {finalizer} finalizer", changed=True)
