"""The StorageObjectInUseProtection admission plugin, as plugin/pkg/admission/storage/storageobjectinuseprotection
(v1.37) behaves. Cases follow upstream's admission_test.go (TestAdmit: case names in comments)."""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes
from kauth.admission.storage_object_in_use_protection import StorageObjectInUseProtection
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PVCS = TABLE.for_resource("", "v1", "persistentvolumeclaims")
PVS = TABLE.for_resource("", "v1", "persistentvolumes")
VACS = TABLE.for_resource("storage.k8s.io", "v1", "volumeattributesclasses")
USER = UserInfo("alice")


def claim(finalizers=None) -> dict:
    meta = {"name": "data", "namespace": "dev"}
    if finalizers is not None:
        meta["finalizers"] = finalizers
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta,
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}


def volume(finalizers=None) -> dict:
    meta = {"name": "pv1"}
    if finalizers is not None:
        meta["finalizers"] = finalizers
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta, "spec": {"capacity": {"storage": "1Gi"}}}


def vac(finalizers=None) -> dict:
    meta = {"name": "gold"}
    if finalizers is not None:
        meta["finalizers"] = finalizers
    return {"apiVersion": "storage.k8s.io/v1", "kind": "VolumeAttributesClass", "metadata": meta, "driverName": "x"}


def admit(obj, resource_type=PVCS, plugin=None):
    attributes = Attributes(CREATE, resource_type, "dev", "foo", obj, None, USER)
    return (plugin or StorageObjectInUseProtection()).admit(attributes, None)


def test_new_claim_gets_the_pvc_protection_finalizer():
    # "persistentvolumeclaims: create -> add finalizer"
    verdict = admit(claim())
    assert verdict.changed
    assert verdict.object == claim(["kubernetes.io/pvc-protection"])
    assert verdict.message == "added the kubernetes.io/pvc-protection finalizer"


def test_claim_with_the_finalizer_is_left_alone():
    # "persistentvolumeclaims: finalizer already exists -> no new finalizer"
    verdict = admit(claim(["kubernetes.io/pvc-protection"]))
    assert not verdict.changed and verdict.object == claim(["kubernetes.io/pvc-protection"])
    assert verdict.message == "kubernetes.io/pvc-protection finalizer already present"


def test_other_finalizers_are_kept_first():
    assert admit(claim(["example.com/keep"])).object == claim(["example.com/keep", "kubernetes.io/pvc-protection"])


def test_new_volume_gets_the_pv_protection_finalizer():
    # "persistentvolumes: create -> add finalizer"
    assert admit(volume(), PVS).object == volume(["kubernetes.io/pv-protection"])


def test_volume_with_the_finalizer_is_left_alone():
    # "persistentvolumes: finalizer already exists -> no new finalizer"
    assert not admit(volume(["kubernetes.io/pv-protection"]), PVS).changed


def test_new_volume_attributes_class_gets_the_vac_protection_finalizer():
    # "volumeattributesclasses: create -> add finalizer"
    assert admit(vac(), VACS).object == vac(["kubernetes.io/vac-protection"])


def test_volume_attributes_class_with_the_finalizer_is_left_alone():
    # "volumeattributesclasses: finalizer already exists -> no new finalizer"
    assert not admit(vac(["kubernetes.io/vac-protection"]), VACS).changed


def test_volume_attributes_classes_are_skipped_without_the_feature():
    plugin = StorageObjectInUseProtection(volume_attributes_class=False)
    assert not plugin.handles(Attributes(CREATE, VACS, "", "gold", vac(), None, USER))


def test_handles_creation_of_the_three_kinds_only():
    plugin = StorageObjectInUseProtection()
    assert plugin.handles(Attributes(CREATE, PVCS, "dev", "data", claim(), None, USER))
    assert plugin.handles(Attributes(CREATE, PVS, "", "pv1", volume(), None, USER))
    assert plugin.handles(Attributes(CREATE, VACS, "", "gold", vac(), None, USER))
    assert not plugin.handles(Attributes(UPDATE, PVCS, "dev", "data", claim(), claim(), USER))
    assert not plugin.handles(Attributes(DELETE, PVCS, "dev", "data", None, claim(), USER))
    assert not plugin.handles(Attributes(CREATE, PVCS, "dev", "data", claim(), None, USER, "status"))
    pods = TABLE.for_resource("", "v1", "pods")
    assert not plugin.handles(Attributes(CREATE, pods, "dev", "p", {}, None, USER))


def test_admit_does_not_modify_the_request_object():
    original = claim()
    admit(original)
    assert original == claim()


# --- hostile input ------------------------------------------------------------------------------


def test_object_without_metadata_gets_some():
    assert admit({"kind": "PersistentVolumeClaim"}).object == {
        "kind": "PersistentVolumeClaim", "metadata": {"finalizers": ["kubernetes.io/pvc-protection"]}}


@pytest.mark.parametrize("metadata", [[], "m", 1])
def test_non_object_metadata_is_left_to_validation(metadata):
    obj = {"kind": "PersistentVolumeClaim", "metadata": metadata}
    assert admit(obj).object == obj


@pytest.mark.parametrize("finalizers", ["kubernetes.io/pvc-protection", {"a": 1}, 5])
def test_non_list_finalizers_are_left_to_validation(finalizers):
    assert not admit(claim(finalizers)).changed


def test_non_object_request_is_ignored():
    assert admit(None).object is None


def test_thousands_of_finalizers():
    many = [f"example.com/f{i}" for i in range(10000)]
    assert admit(claim(many)).object["metadata"]["finalizers"][-1] == "kubernetes.io/pvc-protection"
