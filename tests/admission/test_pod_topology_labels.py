"""The PodTopologyLabels admission plugin, as plugin/pkg/admission/podtopologylabels/admission.go (v1.37)
behaves: the explicit zone/region label set of its defaultConfig, mergeLabels overwriting, admitPod for pods
created with a nodeName. (The stored admission_test.go TestPodTopology still tests the alpha design, which
copied every topology.k8s.io label and kept existing values: its cases are not reused.)"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.pod_topology_labels import PodTopologyLabels
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
SCHEDULER = UserInfo("system:kube-scheduler")
ZONE, REGION = "topology.kubernetes.io/zone", "topology.kubernetes.io/region"


class State:
    def __init__(self, *nodes) -> None:
        self.nodes = list(nodes)

    def get(self, group, resource, namespace, name):
        if (group, resource) != ("", "nodes"):
            return None
        return next((n for n in self.nodes if n["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.nodes)


def node(name="n1", labels=None) -> dict:
    meta = {"name": name}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Node", "metadata": meta}


def binding(target_kind="Node", target_name="n1", labels=None) -> dict:
    meta = {"name": "web", "namespace": "dev"}
    if labels is not None:
        meta["labels"] = labels
    target = {"name": target_name}
    if target_kind is not None:
        target["kind"] = target_kind
    return {"apiVersion": "v1", "kind": "Binding", "metadata": meta, "target": target}


def pod(node_name="", labels=None) -> dict:
    meta = {"name": "web", "namespace": "dev"}
    if labels is not None:
        meta["labels"] = labels
    spec = {"containers": [{"name": "c", "image": "nginx"}]}
    if node_name:
        spec["nodeName"] = node_name
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


NODE = node(labels={ZONE: "zone-a", REGION: "region-1", "kubernetes.io/hostname": "n1", "other": "x"})


def admit(obj, *nodes, subresource="binding", plugin=None):
    attributes = Attributes(CREATE, PODS, "dev", "web", obj, None, SCHEDULER, subresource)
    return (plugin or PodTopologyLabels()).admit(attributes, State(*nodes))


def test_binding_gets_the_nodes_zone_and_region():
    # admitBinding: "copy the topology labels into the Binding's labels"
    verdict = admit(binding(), NODE)
    assert verdict.changed
    assert verdict.object == binding(labels={ZONE: "zone-a", REGION: "region-1"})
    assert verdict.message == f'copied {ZONE}, {REGION} from node "n1" to the binding'


def test_other_node_labels_are_not_copied():
    labels = admit(binding(), NODE).object["metadata"]["labels"]
    assert "kubernetes.io/hostname" not in labels and "other" not in labels


def test_copied_labels_overwrite_the_existing_ones():
    # mergeLabels: "merges new into existing, overwriting existing keys"
    verdict = admit(binding(labels={ZONE: "mine", "app": "web"}), NODE)
    assert verdict.object["metadata"]["labels"] == {ZONE: "zone-a", "app": "web", REGION: "region-1"}


def test_binding_to_something_else_than_a_node_is_skipped():
    # "other fields are not set by the default scheduler for the binding target, so only check the Kind"
    assert not admit(binding(target_kind="Other"), NODE).changed
    assert not admit(binding(target_kind=None), NODE).changed


def test_missing_node_changes_nothing():
    # "Ignore NotFound errors to avoid risking breaking compatibility/behaviour."
    verdict = admit(binding(target_name="gone"), NODE)
    assert not verdict.changed
    assert verdict.message == 'node "gone" has no topology labels (or does not exist): nothing to copy'


def test_node_without_topology_labels_changes_nothing():
    assert not admit(binding(), node(labels={"other": "x"})).changed


def test_created_pod_with_node_name_gets_the_labels():
    # admitPod: "copy the topology labels into the Pod's labels"
    verdict = admit(pod("n1", {"app": "web"}), NODE, subresource="")
    assert verdict.object == pod("n1", {"app": "web", ZONE: "zone-a", REGION: "region-1"})
    assert verdict.message.endswith('from node "n1" to the pod')


def test_unscheduled_pod_is_left_alone():
    # admitPod: "pod has not been scheduled yet"
    verdict = admit(pod(), NODE, subresource="")
    assert not verdict.changed and verdict.message == "the pod is not scheduled yet: nothing to copy"


def test_configured_labels_replace_the_defaults():
    verdict = admit(binding(), NODE, plugin=PodTopologyLabels(["other"]))
    assert verdict.object["metadata"]["labels"] == {"other": "x"}


def test_handles_pod_and_binding_creation_only():
    plugin = PodTopologyLabels()
    assert plugin.handles(Attributes(CREATE, PODS, "dev", "web", binding(), None, SCHEDULER, "binding"))
    assert plugin.handles(Attributes(CREATE, PODS, "dev", "web", pod(), None, SCHEDULER))
    assert not plugin.handles(Attributes(CREATE, PODS, "dev", "web", {}, None, SCHEDULER, "eviction"))
    assert not plugin.handles(Attributes(UPDATE, PODS, "dev", "web", pod(), pod(), SCHEDULER))
    nodes = TABLE.for_resource("", "v1", "nodes")
    assert not plugin.handles(Attributes(CREATE, nodes, "", "n1", node(), None, SCHEDULER))


def test_off_without_the_feature_gate():
    plugin = PodTopologyLabels(enabled=False)
    assert not plugin.handles(Attributes(CREATE, PODS, "dev", "web", binding(), None, SCHEDULER, "binding"))


def test_admit_does_not_modify_the_request_object():
    original = binding(labels={"app": "web"})
    admit(original, NODE)
    assert original == binding(labels={"app": "web"})


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("labels", ["x", ["a"], 3])
def test_non_map_labels_are_left_to_validation(labels):
    assert not admit(binding(labels=labels), NODE).changed


@pytest.mark.parametrize("target", [None, "n1", ["Node"]])
def test_odd_targets_are_skipped(target):
    obj = binding()
    obj["target"] = target
    assert not admit(obj, NODE).changed


def test_node_with_odd_labels_copies_nothing():
    odd = node()
    odd["metadata"]["labels"] = ["zone"]
    assert not admit(binding(), odd).changed


def test_non_object_request_is_ignored():
    assert admit(None, NODE).object is None


def test_many_labels_on_the_binding():
    many = {f"k{i}": "v" for i in range(10000)}
    assert len(admit(binding(labels=many), NODE).object["metadata"]["labels"]) == 10002
