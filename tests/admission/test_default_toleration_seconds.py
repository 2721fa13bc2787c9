"""The DefaultTolerationSeconds admission plugin, as plugin/pkg/admission/defaulttolerationseconds (v1.37).

Cases follow upstream's admission_test.go (TestForgivenessAdmission descriptions in comments, TestHandles).
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CONNECT, CREATE, DELETE, UPDATE, Attributes
from kauth.admission.default_toleration_seconds import DefaultTolerationSeconds
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
USER = UserInfo("alice")
NOT_READY = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300}
UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
               "tolerationSeconds": 300}


def pod(tolerations=None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "nginx"}]}
    if tolerations is not None:
        spec["tolerations"] = tolerations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "dev"}, "spec": spec}


def admit(obj, plugin=None, operation=CREATE):
    attributes = Attributes(operation, PODS, "dev", "web", obj, None, USER)
    return (plugin or DefaultTolerationSeconds()).admit(attributes, None)


def test_pod_without_tolerations_gets_both():
    # "pod has no tolerations, expect add tolerations for `notread:NoExecute` and `unreachable:NoExecute`"
    verdict = admit(pod())
    assert verdict.changed
    assert verdict.object == pod([NOT_READY, UNREACHABLE])
    assert verdict.message == ("added tolerations node.kubernetes.io/not-ready:NoExecute for 300s and "
                               "node.kubernetes.io/unreachable:NoExecute for 300s")


def test_other_tolerations_are_kept_first():
    # "pod has tolerations, but none is for taint `notread:NoExecute` or `unreachable:NoExecute`, ..."
    foo = {"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule", "tolerationSeconds": 700}
    assert admit(pod([foo])).object == pod([foo, NOT_READY, UNREACHABLE])


def test_own_not_ready_toleration_is_kept():
    # "pod specified a toleration for taint `notReady:NoExecute`, expect add toleration for `unreachable:NoExecute`"
    own = {**NOT_READY, "tolerationSeconds": 700}
    assert admit(pod([own])).object == pod([own, UNREACHABLE])


def test_own_unreachable_toleration_is_kept():
    # "pod specified a toleration for taint `unreachable:NoExecute`, expect add toleration for `notReady:NoExecute`"
    own = {**UNREACHABLE, "tolerationSeconds": 700}
    assert admit(pod([own])).object == pod([own, NOT_READY])


def test_both_tolerated_leaves_the_pod_alone():
    # "pod specified tolerations for both `notread:NoExecute` and `unreachable:NoExecute`, expect no change"
    own = [{**NOT_READY, "tolerationSeconds": 700}, {**UNREACHABLE, "tolerationSeconds": 700}]
    verdict = admit(pod(own))
    assert not verdict.changed and verdict.object == pod(own)
    assert verdict.message == "the pod already tolerates not-ready and unreachable nodes"


def test_toleration_without_effect_counts():
    # "pod specified toleration for taint `unreachable`, expect add toleration for `notReady:NoExecute`"
    own = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 700}
    assert admit(pod([own])).object == pod([own, NOT_READY])


def test_wildcard_toleration_counts_for_both():
    # "pod has wildcard toleration for all kind of taints, expect no change"
    own = [{"operator": "Exists", "tolerationSeconds": 700}]
    assert not admit(pod(own)).changed


def test_operator_and_value_are_not_looked_at():
    own = [{"key": "node.kubernetes.io/not-ready", "operator": "Equal", "value": "x", "effect": "NoExecute"}]
    assert admit(pod(own)).object == pod([*own, UNREACHABLE])


def test_toleration_for_another_effect_does_not_count():
    own = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}]
    assert admit(pod(own)).object == pod([*own, NOT_READY, UNREACHABLE])


def test_seconds_come_from_the_flags():
    # --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds
    verdict = admit(pod(), DefaultTolerationSeconds(not_ready_seconds=60, unreachable_seconds=120))
    assert [t["tolerationSeconds"] for t in verdict.object["spec"]["tolerations"]] == [60, 120]


def test_update_adds_them_too():
    # Handler(Create, Update): an update that drops them gets them back (validation decides if that is allowed).
    assert admit(pod(), operation=UPDATE).object == pod([NOT_READY, UNREACHABLE])


def test_handles_pod_create_and_update_only():
    # TestHandles: Create and Update true, Delete and Connect false; Admit ignores subresources and other kinds.
    plugin = DefaultTolerationSeconds()
    assert plugin.handles(Attributes(CREATE, PODS, "dev", "web", pod(), None, USER))
    assert plugin.handles(Attributes(UPDATE, PODS, "dev", "web", pod(), pod(), USER))
    assert not plugin.handles(Attributes(DELETE, PODS, "dev", "web", None, pod(), USER))
    assert not plugin.handles(Attributes(CONNECT, PODS, "dev", "web", None, None, USER, "exec"))
    assert not plugin.handles(Attributes(UPDATE, PODS, "dev", "web", pod(), pod(), USER, "status"))
    nodes = TABLE.for_resource("", "v1", "nodes")
    assert not plugin.handles(Attributes(CREATE, nodes, "", "n", {}, None, USER))


def test_admit_does_not_modify_the_request_object():
    original = pod()
    admit(original)
    assert original == pod()


# --- hostile input ------------------------------------------------------------------------------


def test_pod_without_spec_gets_one():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}
    assert admit(obj).object["spec"] == {"tolerations": [NOT_READY, UNREACHABLE]}


@pytest.mark.parametrize("spec", [[], "spec", 3])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec}
    assert admit(obj).object == obj


@pytest.mark.parametrize("tolerations", [{"key": "x"}, "x", 5])
def test_non_list_tolerations_are_left_to_validation(tolerations):
    verdict = admit(pod(tolerations))
    assert verdict.object == pod(tolerations) and not verdict.changed


def test_non_object_tolerations_do_not_count():
    assert admit(pod(["x", None, 3])).object == pod(["x", None, 3, NOT_READY, UNREACHABLE])


def test_wrongly_typed_key_does_not_count_as_empty():
    assert admit(pod([{"key": 5, "operator": "Exists"}])).changed


def test_non_object_pod_is_ignored():
    assert admit(None).object is None


def test_thousands_of_tolerations():
    many = [{"key": f"k{i}", "operator": "Exists", "effect": "NoSchedule"} for i in range(10000)]
    assert admit(pod(many)).object["spec"]["tolerations"][-2:] == [NOT_READY, UNREACHABLE]
