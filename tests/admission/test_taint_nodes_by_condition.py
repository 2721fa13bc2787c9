"""The TaintNodesByCondition admission plugin, as plugin/pkg/admission/nodetaint/admission.go (v1.37)
behaves. Cases follow upstream's admission_test.go (Test_nodeTaints: case names in comments)."""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.taint_nodes_by_condition import TaintNodesByCondition
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
NODES = TABLE.for_resource("", "v1", "nodes")
KUBELET = UserInfo("system:node:mynode", groups=("system:nodes",))
NOT_READY = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}


def node(taints=None, **extra) -> dict:
    obj: dict = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "mynode"}, **extra}
    if taints is not None:
        obj["spec"] = {"taints": taints}
    return obj


def admit(obj):
    return TaintNodesByCondition().admit(Attributes(CREATE, NODES, "", "mynode", obj, None, KUBELET), None)


def test_not_ready_taint_is_added_on_creation():
    # "notReady taint is added on creation"
    verdict = admit(node())
    assert verdict.changed
    assert verdict.object == node([NOT_READY])
    assert verdict.message == "added the node.kubernetes.io/not-ready:NoSchedule taint until the node is Ready"


def test_already_tainted_node_is_not_tainted_again():
    # "already tainted node is not tainted again"
    verdict = admit(node([NOT_READY]))
    assert not verdict.changed and verdict.object == node([NOT_READY])


def test_unready_node_is_tainted_as_well():
    # "NotReady taint is added to an unready node as well"
    status = {"conditions": [{"type": "Ready", "status": "False"}]}
    assert admit(node(status=status)).object == node([NOT_READY], status=status)


def test_taint_with_a_value_still_matches():
    # MatchTaint compares key and effect only.
    own = {"key": "node.kubernetes.io/not-ready", "value": "x", "effect": "NoSchedule"}
    assert not admit(node([own])).changed


def test_not_ready_with_another_effect_does_not_match():
    own = {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}
    assert admit(node([own])).object == node([own, NOT_READY])


def test_handles_node_creation_only():
    plugin = TaintNodesByCondition()
    assert plugin.handles(Attributes(CREATE, NODES, "", "mynode", node(), None, KUBELET))
    assert not plugin.handles(Attributes(UPDATE, NODES, "", "mynode", node(), node(), KUBELET))
    assert not plugin.handles(Attributes(CREATE, NODES, "", "mynode", node(), None, KUBELET, "status"))
    pods = TABLE.for_resource("", "v1", "pods")
    assert not plugin.handles(Attributes(CREATE, pods, "dev", "p", {}, None, KUBELET))


def test_admit_does_not_modify_the_request_object():
    original = node([{"key": "a", "effect": "NoSchedule"}])
    admit(original)
    assert original == node([{"key": "a", "effect": "NoSchedule"}])


@pytest.mark.parametrize("spec", [[], "s", 2])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"kind": "Node", "metadata": {"name": "n"}, "spec": spec}
    assert admit(obj).object == obj


@pytest.mark.parametrize("taints", ["x", {"key": "node.kubernetes.io/not-ready"}])
def test_non_list_taints_are_left_to_validation(taints):
    assert not admit(node(taints)).changed


def test_non_object_taints_do_not_match():
    assert admit(node(["node.kubernetes.io/not-ready", None])).object == node(
        ["node.kubernetes.io/not-ready", None, NOT_READY])


def test_non_object_request_is_ignored():
    assert admit(None).object is None


def test_thousands_of_taints():
    many = [{"key": f"k{i}", "effect": "NoSchedule"} for i in range(10000)]
    assert admit(node(many)).object["spec"]["taints"][-1] == NOT_READY
