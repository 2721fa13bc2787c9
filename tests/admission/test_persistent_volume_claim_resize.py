"""The PersistentVolumeClaimResize admission plugin, as plugin/pkg/admission/storage/persistentvolume/resize
(v1.37) behaves. Cases follow upstream's admission_test.go (TestPVCResizeAdmission: case names in comments)."""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.persistent_volume_claim_resize import PersistentVolumeClaimResize
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PVCS = TABLE.for_resource("", "v1", "persistentvolumeclaims")
USER = UserInfo("alice")
NOT_EXPANDABLE = ('persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and '
                  "the storageclass that provisions the pvc must support resize")


class State:
    def __init__(self, *classes) -> None:
        self.classes = list(classes)

    def get(self, group, resource, namespace, name):
        if (group, resource) != ("storage.k8s.io", "storageclasses"):
            return None
        return next((c for c in self.classes if c["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.classes)


def storage_class(name, expandable=None) -> dict:
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
          "provisioner": "kubernetes.io/glusterfs"}
    if expandable is not None:
        sc["allowVolumeExpansion"] = expandable
    return sc


GOLD, SILVER = storage_class("gold", True), storage_class("silver", False)


def claim(size="1Gi", class_name="gold", phase="Bound", annotations=None) -> dict:
    spec = {"volumeName": "volume1", "resources": {"requests": {"storage": size}}}
    if class_name is not None:
        spec["storageClassName"] = class_name
    meta = {"name": "data", "namespace": "dev"}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec,
            "status": {"phase": phase}}


def validate(new, old, *classes):
    attributes = Attributes(UPDATE, PVCS, "dev", "data", new, old, USER)
    return PersistentVolumeClaimResize().validate(attributes, State(*(classes or (GOLD, SILVER))))


def test_growing_a_bound_claim_of_an_expandable_class_is_allowed():
    # "pvc-resize, update, no error"
    verdict = validate(claim("2Gi"), claim("1Gi"))
    assert verdict.message == 'the claim grows from 1Gi to 2Gi: StorageClass "gold" allows volume expansion'


def test_growing_a_claim_without_class_is_forbidden():
    # "pvc-resize, update, dynamically provisioned error" (no storageClassName)
    with pytest.raises(StatusError) as caught:
        validate(claim("2Gi", None), claim("1Gi", None))
    assert caught.value.code == 403 and caught.value.message == NOT_EXPANDABLE


def test_growing_a_claim_whose_class_forbids_expansion_is_forbidden():
    # "pvc-resize, update, dynamically provisioned error" (silver: allowVolumeExpansion false)
    with pytest.raises(StatusError) as caught:
        validate(claim("2Gi", "silver"), claim("1Gi", "silver"))
    assert caught.value.message == NOT_EXPANDABLE


def test_class_without_allow_volume_expansion_forbids_it():
    with pytest.raises(StatusError, match="must support resize"):
        validate(claim("2Gi", "bronze"), claim("1Gi", "bronze"), storage_class("bronze"))


def test_missing_class_forbids_expansion():
    with pytest.raises(StatusError, match="must support resize"):
        validate(claim("2Gi", "gone"), claim("1Gi", "gone"))


def test_changing_the_class_while_growing_is_forbidden():
    with pytest.raises(StatusError, match="must support resize"):
        validate(claim("2Gi", "gold"), claim("1Gi", "silver"))


def test_update_without_size_change_is_not_checked():
    # "PVC update with no change in size"
    verdict = validate(claim("1Gi", "silver", phase="Pending"), claim("1Gi", "silver", phase="Pending"))
    assert verdict.message == "the claim does not grow"


def test_shrinking_is_left_to_validation():
    assert validate(claim("1Gi", "silver"), claim("2Gi", "silver")).message == "the claim does not grow"


def test_sizes_compare_by_value():
    assert validate(claim("1024Mi", "silver"), claim("1Gi", "silver")).message == "the claim does not grow"


def test_growing_a_pending_claim_is_forbidden():
    # "expand pvc in pending state"
    with pytest.raises(StatusError) as caught:
        validate(claim("2Gi", "silver", phase="Pending"), claim("1Gi", "silver", phase="Pending"))
    assert caught.value.message == ('persistentvolumeclaims "data" is forbidden: Only bound persistent volume claims '
                                    "can be expanded")


def test_the_bound_check_reads_the_stored_claim():
    with pytest.raises(StatusError, match="Only bound"):
        validate(claim("2Gi", phase="Bound"), claim("1Gi", phase="Pending"))


def test_beta_annotation_names_the_class_first():
    # GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.
    beta = {"volume.beta.kubernetes.io/storage-class": "gold"}
    verdict = validate(claim("2Gi", "silver", annotations=beta), claim("1Gi", "silver", annotations=beta))
    assert 'StorageClass "gold"' in verdict.message


def test_handles_claim_updates_only():
    plugin = PersistentVolumeClaimResize()
    assert plugin.handles(Attributes(UPDATE, PVCS, "dev", "data", claim(), claim(), USER))
    assert not plugin.handles(Attributes(CREATE, PVCS, "dev", "data", claim(), None, USER))
    assert not plugin.handles(Attributes(UPDATE, PVCS, "dev", "data", claim(), claim(), USER, "status"))
    pvs = TABLE.for_resource("", "v1", "persistentvolumes")
    assert not plugin.handles(Attributes(UPDATE, pvs, "", "pv", {}, {}, USER))


# --- hostile input ------------------------------------------------------------------------------


def test_missing_old_size_counts_as_zero():
    old = claim()
    del old["spec"]["resources"]
    assert "grows from 0 to 2Gi" in validate(claim("2Gi"), old).message


@pytest.mark.parametrize("size", ["lots", 5.5j, None, ["1Gi"]])
def test_unparsable_new_size_counts_as_zero(size):
    new = claim()
    new["spec"]["resources"]["requests"]["storage"] = size
    assert validate(new, claim("1Gi")).message == "the claim does not grow"


@pytest.mark.parametrize("spec", [None, [], "x"])
def test_odd_specs_are_tolerated(spec):
    new = claim()
    new["spec"] = spec
    assert validate(new, claim()).message == "the claim does not grow"


def test_non_object_claims_are_ignored():
    assert validate(None, claim()).message == "no claim to compare: nothing to check"
    assert validate(claim(), "x").message == "no claim to compare: nothing to check"
