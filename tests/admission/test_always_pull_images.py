"""The AlwaysPullImages admission plugin, as plugin/pkg/admission/alwayspullimages/admission.go (v1.37).

Test names in comments are upstream's admission_test.go.
"""

from __future__ import annotations

import copy

import pytest

from kauth.admission.always_pull_images import AlwaysPullImages
from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
STATE = None  # the plugin never reads the state


def containers(prefix: str, image: str = "image") -> list[dict]:
    return [{"name": f"{prefix}1", "image": image},
            {"name": f"{prefix}2", "image": image, "imagePullPolicy": "Never"},
            {"name": f"{prefix}3", "image": image, "imagePullPolicy": "IfNotPresent"},
            {"name": f"{prefix}4", "image": image, "imagePullPolicy": "Always"}]


def pod(image: str = "image") -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "123", "namespace": "test"},
            "spec": {"initContainers": containers("init", image), "containers": containers("ctr", image),
                     "ephemeralContainers": containers("eph", image)}}


def attrs(obj, operation: str = CREATE, old=None, subresource: str = "", rt=PODS, name: str = "123") -> Attributes:
    return Attributes(operation, rt, "test", name, obj, old, UserInfo("alice"), subresource)


def policies(obj: dict) -> list:
    spec = obj["spec"]
    return [c.get("imagePullPolicy") for f in ("initContainers", "containers", "ephemeralContainers") for c in spec[f]]


def test_create_sets_always_on_every_container():
    # TestAdmission: init containers, containers and ephemeral containers.
    verdict = AlwaysPullImages().admit(attrs(pod()), STATE)
    assert verdict.changed and policies(verdict.object) == ["Always"] * 12


def test_admit_changes_nothing_else():
    out = AlwaysPullImages().admit(attrs(pod()), STATE).object
    expected = pod()
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for c in expected["spec"][field]:
            c["imagePullPolicy"] = "Always"
    assert out == expected


def test_admit_does_not_modify_the_request_object():
    original = pod()
    AlwaysPullImages().admit(attrs(original), STATE)
    assert original == pod()


def test_pod_already_pulling_always_is_unchanged():
    obj = AlwaysPullImages().admit(attrs(pod()), STATE).object
    assert not AlwaysPullImages().admit(attrs(obj), STATE).changed


def test_validate_rejects_every_container_not_pulling_always():
    # Validate (and upstream's TestValidate): an aggregate of admission.NewForbidden errors, in
    # VisitContainersWithPath order. An aggregate is not a Status: the API server answers 500, no reason.
    with pytest.raises(StatusError) as info:
        AlwaysPullImages().validate(attrs(pod()), STATE)
    err = info.value
    assert (err.code, err.reason) == (500, "")
    rows = []
    for field, prefix in (("initContainers", "init"), ("containers", "ctr"), ("ephemeralContainers", "eph")):
        for i, value in enumerate(['""', '"Never"', '"IfNotPresent"']):
            rows.append(f'pods "123" is forbidden: spec.{field}[{i}].imagePullPolicy: Unsupported value: {value}: '
                        'supported values: "Always"')
    assert err.message == "[" + ", ".join(rows) + "]"


def test_validate_single_problem_is_not_bracketed():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "123"},
           "spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "IfNotPresent"}]}}
    with pytest.raises(StatusError) as info:
        AlwaysPullImages().validate(attrs(obj), STATE)
    assert info.value.message == ('pods "123" is forbidden: spec.containers[0].imagePullPolicy: Unsupported value: '
                                  '"IfNotPresent": supported values: "Always"')


def test_validate_passes_after_admit():
    plugin = AlwaysPullImages()
    plugin.validate(attrs(plugin.admit(attrs(pod()), STATE).object), STATE)


def test_update_with_a_new_image_is_mutated_and_validated():
    # isUpdateWithNoNewImages is false once any image is new: both halves run.
    old = pod("image")
    new = pod("image:v2")
    plugin = AlwaysPullImages()
    assert policies(plugin.admit(attrs(new, UPDATE, old=old), STATE).object) == ["Always"] * 12
    with pytest.raises(StatusError):
        plugin.validate(attrs(new, UPDATE, old=old), STATE)


def test_update_without_new_images_is_ignored():
    # isUpdateWithNoNewImages: e.g. an annotation change on a pod that pulls IfNotPresent.
    old = pod()
    new = copy.deepcopy(old)
    new["metadata"]["annotations"] = {"a": "b"}
    plugin = AlwaysPullImages()
    verdict = plugin.admit(attrs(new, UPDATE, old=old), STATE)
    assert verdict.object == new and not verdict.changed
    plugin.validate(attrs(new, UPDATE, old=old), STATE)


def test_update_reusing_an_image_of_another_container_is_ignored():
    # The check is by image set, not per container.
    old = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    new = {"spec": {"containers": [{"name": "a", "image": "y"}, {"name": "b", "image": "x"}]}}
    assert not AlwaysPullImages().admit(attrs(new, UPDATE, old=old), STATE).changed


def test_handles_create_and_update_of_pods_only():
    # TestOtherResources: other resources and pod subresources (ephemeralcontainers too) are skipped.
    plugin = AlwaysPullImages()
    assert plugin.handles(attrs(pod())) and plugin.handles(attrs(pod(), UPDATE, old=pod()))
    assert not plugin.handles(attrs(None, DELETE, old=pod()))
    assert not plugin.handles(attrs(pod(), rt=TABLE.for_resource("", "v1", "services")))
    assert not plugin.handles(attrs(pod(), UPDATE, old=pod(), subresource="ephemeralcontainers"))
    assert not plugin.handles(attrs(pod(), CREATE, subresource="exec"))


@pytest.mark.parametrize("method", ["admit", "validate"])
def test_non_pod_object_is_a_bad_request(method):
    # TestOtherResources "non-pod object"
    with pytest.raises(StatusError) as info:
        getattr(AlwaysPullImages(), method)(attrs("not a pod"), STATE)
    assert (info.value.code, info.value.message) == (400, "Resource was marked with kind Pod but was unable to be converted")


# --- hostile input --------------------------------------------------------------------------------


def test_pod_without_containers_is_unchanged_and_valid():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "123"}}
    plugin = AlwaysPullImages()
    assert plugin.admit(attrs(obj), STATE).object == obj
    plugin.validate(attrs(obj), STATE)


@pytest.mark.parametrize("spec", [[], "x", {"containers": "nginx"}, {"containers": [None, 3, "c"]}])
def test_malformed_specs_are_left_to_validation(spec):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "123"}, "spec": spec}
    plugin = AlwaysPullImages()
    assert plugin.admit(attrs(obj), STATE).object == obj
    plugin.validate(attrs(obj), STATE)


def test_non_string_policy_is_reported_as_is():
    obj = {"metadata": {"name": "123"}, "spec": {"containers": [{"name": "c", "imagePullPolicy": 7}]}}
    with pytest.raises(StatusError) as info:
        AlwaysPullImages().validate(attrs(obj), STATE)
    assert info.value.message.endswith("spec.containers[0].imagePullPolicy: Unsupported value: 7: supported values: "
                                       '"Always"')


def test_thousands_of_containers():
    obj = {"metadata": {"name": "123"}, "spec": {"containers": [{"name": f"c{i}", "image": "x"} for i in range(5000)]}}
    plugin = AlwaysPullImages()
    out = plugin.admit(attrs(obj), STATE).object
    assert {c["imagePullPolicy"] for c in out["spec"]["containers"]} == {"Always"}
    plugin.validate(attrs(out), STATE)


def test_chain_mutates_then_validates():
    plugin = AlwaysPullImages()
    chain = Chain(mutating=[plugin], validating=[plugin])
    admitted = chain.admit(attrs(pod()), STATE)
    assert admitted.error is None and chain.validate(attrs(admitted.object), STATE).error is None
