"""PodTopologyLabels: a pod bound to a node gets the node's zone and region labels.

Upstream: plugin/pkg/admission/podtopologylabels/admission.go (v1.37), mutating, on CREATE of pods,
active with the PodTopologyLabelsAdmission feature gate (beta and on by default since v1.35). Two
requests are handled:

- pods/binding (what the scheduler posts): when `target.kind` is "Node", the node's
  `topology.kubernetes.io/zone` and `topology.kubernetes.io/region` labels are copied into the
  Binding's labels, which the binding registry then copies onto the pod;
- pods (no subresource) created with `spec.nodeName` set: the same labels go straight onto the pod.

Copied labels overwrite the pod's own values; a node that does not exist (or has neither label) changes
nothing. Other subresources are ignored.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable

from kauth.admission.chain import CREATE, Attributes, StateView, Verdict, pod_request

DEFAULT_LABELS = ("topology.kubernetes.io/zone", "topology.kubernetes.io/region")


class PodTopologyLabels:
    """The PodTopologyLabels admission plugin (mutating only).

    `labels`: the node label keys copied (upstream's Config; kube-apiserver uses zone and region).
    `enabled`: the PodTopologyLabelsAdmission feature gate.
    """

    name = "PodTopologyLabels"

    def __init__(self, labels: Iterable[str] = DEFAULT_LABELS, *, enabled: bool = True) -> None:
        self.labels = frozenset(labels)
        self.enabled = enabled

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create); shouldAdmit takes pods and pods/binding only.
        return self.enabled and pod_request(attributes, (CREATE,), ("", "binding"))

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        obj = attributes.object
        if not isinstance(obj, dict):
            return Verdict(obj, "no object in the request: nothing to do")
        if attributes.subresource == "binding":
            target = obj.get("target")
            target = target if isinstance(target, dict) else {}
            if target.get("kind") != "Node":
                return Verdict(obj, "the binding's target is not a Node: nothing to copy")
            node_name, what = _str(target.get("name")), "binding"
        else:
            spec = obj.get("spec")
            node_name, what = _str(spec.get("nodeName") if isinstance(spec, dict) else None), "pod"
            if not node_name:
                return Verdict(obj, "the pod is not scheduled yet: nothing to copy")
        copied = self.topology_labels(state, node_name)
        if not copied:
            return Verdict(obj, f'node "{node_name}" has no topology labels (or does not exist): nothing to copy')
        metadata = obj.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            return Verdict(obj, "metadata is not an object: left to validation")
        labels = (metadata or {}).get("labels")
        if labels is not None and not isinstance(labels, dict):
            return Verdict(obj, "metadata.labels is not a map: left to validation")
        new_obj = copy.deepcopy(obj)
        new_obj.setdefault("metadata", {})["labels"] = {**(labels or {}), **copied}
        keys = ", ".join(copied)
        return Verdict(new_obj, f'copied {keys} from node "{node_name}" to the {what}', changed=new_obj != obj)

    def topology_labels(self, state: StateView, node_name: str) -> dict[str, str]:
        """The node's labels among the configured keys; none when the node does not exist."""
        node = state.get("", "nodes", "", node_name)
        node_labels = _dict(_dict(node).get("metadata")).get("labels")
        return {k: v for k, v in _dict(node_labels).items() if k in self.labels}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
