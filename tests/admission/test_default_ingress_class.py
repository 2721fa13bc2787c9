"""The DefaultIngressClass admission plugin, as plugin/pkg/admission/network/defaultingressclass (v1.37).

Cases follow upstream's admission_test.go (TestAdmission) and getDefaultClass in admission.go.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.default_ingress_class import DefaultIngressClass
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
INGRESSES = TABLE.for_resource("networking.k8s.io", "v1", "ingresses")
DEFAULT = {"ingressclass.kubernetes.io/is-default-class": "true"}


class State:
    """An in-memory StateView over a list of IngressClasses."""

    def __init__(self, *classes) -> None:
        self.classes = list(classes)

    def get(self, group, resource, namespace, name):
        return next((c for c in self.list(group, resource) if c["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.classes) if (group, resource) == ("networking.k8s.io", "ingressclasses") else []


def ingress_class(name: str, annotations: dict | None = None, created: str = "2026-01-01T00:00:00Z") -> dict:
    meta = {"name": name, "creationTimestamp": created}
    if annotations is not None:
        meta["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": meta,
            "spec": {"controller": "example.com/ingress"}}


def ingress(spec_extra: dict | None = None, annotations: dict | None = None) -> dict:
    meta = {"name": "web", "namespace": "ns"}
    if annotations is not None:
        meta["annotations"] = annotations
    spec = {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}, **(spec_extra or {})}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def admit(obj, *classes):
    attributes = Attributes(CREATE, INGRESSES, "ns", "web", obj, None, UserInfo("alice"))
    return DefaultIngressClass().admit(attributes, State(*classes))


def test_ingress_without_class_gets_the_default():
    # TestAdmission "one default, modify Ingress with class=nil"
    verdict = admit(ingress(), ingress_class("nginx", DEFAULT), ingress_class("traefik"))
    assert verdict.changed and verdict.object == ingress({"ingressClassName": "nginx"})


def test_no_default_class_leaves_the_ingress_alone():
    # TestAdmission "no default, no modification of Ingress"
    verdict = admit(ingress(), ingress_class("nginx"))
    assert verdict.object == ingress() and not verdict.changed


@pytest.mark.parametrize("value", ["True", "1", ""])
def test_default_annotation_must_be_exactly_true(value):
    verdict = admit(ingress(), ingress_class("nginx", {"ingressclass.kubernetes.io/is-default-class": value}))
    assert not verdict.changed


def test_several_defaults_pick_the_newest():
    # TestAdmission "two defaults, choose the one with the newer creation time" (no longer "only 1 allowed")
    older = ingress_class("a-old", DEFAULT, "2026-01-01T00:00:00Z")
    newer = ingress_class("z-new", DEFAULT, "2026-03-01T00:00:00Z")
    assert admit(ingress(), newer, older).object["spec"]["ingressClassName"] == "z-new"


def test_several_defaults_created_together_pick_the_smallest_name():
    # TestAdmission "two defaults with the same creation time, choose the one with the lower name"
    same = "2026-01-01T00:00:00Z"
    verdict = admit(ingress(), ingress_class("zeta", DEFAULT, same), ingress_class("alpha", DEFAULT, same))
    assert verdict.object["spec"]["ingressClassName"] == "alpha"


def test_explicit_class_is_kept():
    # TestAdmission "one default, no modification of Ingress with class field='foo'"
    verdict = admit(ingress({"ingressClassName": "traefik"}), ingress_class("nginx", DEFAULT))
    assert verdict.object == ingress({"ingressClassName": "traefik"}) and not verdict.changed


def test_empty_class_name_is_kept():
    # TestAdmission "one default, no modification of Ingress with class field=''"
    verdict = admit(ingress({"ingressClassName": ""}), ingress_class("nginx", DEFAULT))
    assert verdict.object["spec"]["ingressClassName"] == "" and not verdict.changed


def test_legacy_class_annotation_is_kept():
    # TestAdmission "one default, no modification of Ingress with class annotation='foo'"
    obj = ingress(annotations={"kubernetes.io/ingress.class": "traefik"})
    verdict = admit(obj, ingress_class("nginx", DEFAULT))
    assert verdict.object == obj and not verdict.changed


def test_admit_does_not_modify_the_request_object():
    original = ingress()
    admit(original, ingress_class("nginx", DEFAULT))
    assert original == ingress()


def test_handles_only_ingress_creation():
    plugin = DefaultIngressClass()
    user = UserInfo("alice")
    assert plugin.handles(Attributes(CREATE, INGRESSES, "ns", "web", ingress(), None, user))
    assert not plugin.handles(Attributes(UPDATE, INGRESSES, "ns", "web", ingress(), ingress(), user))
    assert not plugin.handles(Attributes(CREATE, INGRESSES, "ns", "web", ingress(), None, user, "status"))


# --- hostile input --------------------------------------------------------------------------------


def test_non_object_request_is_an_internal_error():
    # "Expected Ingress resource, got: %v" with attr.GetKind(), wrapped by errors.NewInternalError.
    with pytest.raises(StatusError) as info:
        admit(None, ingress_class("nginx", DEFAULT))
    assert (info.value.code, info.value.reason) == (500, "InternalError")
    assert info.value.message == ("Internal error occurred: Expected Ingress resource, got: "
                                  "networking.k8s.io/v1, Kind=Ingress")


def test_ingress_without_spec_gets_one():
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}}
    assert admit(obj, ingress_class("nginx", DEFAULT)).object["spec"] == {"ingressClassName": "nginx"}


@pytest.mark.parametrize("spec", [[], "spec", 7])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}, "spec": spec}
    verdict = admit(obj, ingress_class("nginx", DEFAULT))
    assert verdict.object == obj and not verdict.changed


def test_non_object_annotations_do_not_name_a_class():
    obj = ingress()
    obj["metadata"]["annotations"] = ["kubernetes.io/ingress.class"]
    assert admit(obj, ingress_class("nginx", DEFAULT)).object["spec"]["ingressClassName"] == "nginx"


def test_classes_with_odd_metadata_are_skipped_or_oldest():
    odd = [ingress_class("no-stamp", DEFAULT, created=None), {"kind": "IngressClass", "metadata": 5}, None,
           ingress_class("real", DEFAULT)]
    assert admit(ingress(), *odd).object["spec"]["ingressClassName"] == "real"
