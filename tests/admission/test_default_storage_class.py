"""The DefaultStorageClass admission plugin, as plugin/pkg/admission/storage/storageclass/setdefault (v1.37).

Cases follow upstream's admission_test.go (TestAdmission) and GetDefaultClass in pkg/volume/util/storageclass.go.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.default_storage_class import DefaultStorageClass
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PVCS = TABLE.for_resource("", "v1", "persistentvolumeclaims")
DEFAULT = {"storageclass.kubernetes.io/is-default-class": "true"}
BETA_DEFAULT = {"storageclass.beta.kubernetes.io/is-default-class": "true"}


class State:
    """An in-memory StateView over a list of StorageClasses."""

    def __init__(self, *classes: dict) -> None:
        self.classes = list(classes)

    def get(self, group, resource, namespace, name):
        return next((c for c in self.list(group, resource) if c["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.classes) if (group, resource) == ("storage.k8s.io", "storageclasses") else []


def storage_class(name: str, annotations: dict | None = None, created: str = "2026-01-01T00:00:00Z") -> dict:
    meta = {"name": name, "creationTimestamp": created}
    if annotations is not None:
        meta["annotations"] = annotations
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta, "provisioner": "x"}


def claim(spec_extra: dict | None = None, annotations: dict | None = None) -> dict:
    meta = {"name": "data", "namespace": "ns"}
    if annotations is not None:
        meta["annotations"] = annotations
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, **(spec_extra or {})}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec}


def admit(obj, *classes: dict):
    attributes = Attributes(CREATE, PVCS, "ns", "data", obj, None, UserInfo("alice"))
    return DefaultStorageClass().admit(attributes, State(*classes))


def test_claim_without_class_gets_the_default():
    # TestAdmission "one default, modify PVC with class=nil"
    verdict = admit(claim(), storage_class("standard", DEFAULT), storage_class("fast"))
    assert verdict.changed
    assert verdict.object == claim({"storageClassName": "standard"})


def test_beta_default_annotation_counts():
    # IsDefaultAnnotation checks the beta annotation too.
    assert admit(claim(), storage_class("old", BETA_DEFAULT)).object["spec"]["storageClassName"] == "old"


@pytest.mark.parametrize("value", ["True", "1", "yes", ""])
def test_default_annotation_must_be_exactly_true(value):
    verdict = admit(claim(), storage_class("standard", {"storageclass.kubernetes.io/is-default-class": value}))
    assert verdict.object == claim() and not verdict.changed


def test_no_default_class_leaves_the_claim_alone():
    # TestAdmission "no default, no modification of PVCs" (classes marked "false", "" or not at all)
    verdict = admit(claim(), storage_class("fast"))
    assert verdict.object == claim() and not verdict.changed


def test_several_defaults_pick_the_newest():
    # TestAdmission "two defaults, choose the one with newer creation time"
    older = storage_class("a-old", DEFAULT, "2026-01-01T00:00:00Z")
    newer = storage_class("z-new", DEFAULT, "2026-02-01T00:00:00Z")
    assert admit(claim(), older, newer).object["spec"]["storageClassName"] == "z-new"


def test_several_defaults_created_together_pick_the_smallest_name():
    # TestAdmission "two defaults with same creation time, choose the one with smaller name"
    same = "2026-01-01T00:00:00Z"
    classes = [storage_class("zeta", DEFAULT, same), storage_class("alpha", BETA_DEFAULT, same)]
    assert admit(claim(), *classes).object["spec"]["storageClassName"] == "alpha"


def test_explicit_class_is_kept():
    # TestAdmission "one default, no modification of PVC with class='foo'"
    verdict = admit(claim({"storageClassName": "fast"}), storage_class("standard", DEFAULT))
    assert verdict.object == claim({"storageClassName": "fast"}) and not verdict.changed


def test_empty_class_name_means_no_class_and_is_kept():
    # TestAdmission "one default, no modification of PVC with class=''": "" means no class, on purpose.
    verdict = admit(claim({"storageClassName": ""}), storage_class("standard", DEFAULT))
    assert verdict.object["spec"]["storageClassName"] == "" and not verdict.changed


def test_beta_class_annotation_on_the_claim_is_kept():
    # PersistentVolumeClaimHasClass: the beta annotation counts, whatever its value.
    obj = claim(annotations={"volume.beta.kubernetes.io/storage-class": "fast"})
    verdict = admit(obj, storage_class("standard", DEFAULT))
    assert verdict.object == obj and not verdict.changed


def test_admit_does_not_modify_the_request_object():
    original = claim()
    admit(original, storage_class("standard", DEFAULT))
    assert original == claim()


def test_handles_only_claim_creation():
    plugin = DefaultStorageClass()
    user = UserInfo("alice")
    assert plugin.handles(Attributes(CREATE, PVCS, "ns", "data", claim(), None, user))
    assert not plugin.handles(Attributes(UPDATE, PVCS, "ns", "data", claim(), claim(), user))
    assert not plugin.handles(Attributes(CREATE, PVCS, "ns", "data", claim(), None, user, "status"))
    pods = TABLE.for_resource("", "v1", "pods")
    assert not plugin.handles(Attributes(CREATE, pods, "ns", "data", {}, None, user))


# --- hostile input --------------------------------------------------------------------------------


def test_claim_without_spec_gets_one():
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}}
    assert admit(obj, storage_class("standard", DEFAULT)).object["spec"] == {"storageClassName": "standard"}


@pytest.mark.parametrize("spec", [[], "spec", 3])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": spec}
    verdict = admit(obj, storage_class("standard", DEFAULT))
    assert verdict.object == obj and not verdict.changed


def test_non_object_request_is_ignored():
    # "if we can't convert then we don't handle this object so just return"
    assert admit(None, storage_class("standard", DEFAULT)).object is None


def test_classes_with_odd_metadata_are_skipped_or_oldest():
    odd = [storage_class("no-stamp", DEFAULT, created=None), storage_class("bad-stamp", DEFAULT, "yesterday"),
           {"kind": "StorageClass", "metadata": "x"}, "not a class", storage_class("real", DEFAULT)]
    assert admit(claim(), *odd).object["spec"]["storageClassName"] == "real"


def test_thousands_of_classes():
    classes = [storage_class(f"sc-{i:05d}", DEFAULT if i % 7 == 0 else None,
                             f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z") for i in range(3000)]
    newest = max((c for c in classes if c["metadata"].get("annotations")), key=lambda c: c["metadata"]["creationTimestamp"])
    assert admit(claim(), *classes).object["spec"]["storageClassName"] == newest["metadata"]["name"]
