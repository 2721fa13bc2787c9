"""TaintNodesByCondition: a new Node starts tainted `node.kubernetes.io/not-ready:NoSchedule`.

Upstream: plugin/pkg/admission/nodetaint/admission.go (v1.37), mutating, on CREATE of nodes (no
subresource). The taint keeps pods off a node until the node lifecycle controller sees it Ready and
removes it; a node that already has a taint with that key and effect (whatever its value) is left alone.
"""

from __future__ import annotations

import copy

from kauth.admission.chain import CREATE, Attributes, StateView, Verdict

TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
NO_SCHEDULE = "NoSchedule"


class TaintNodesByCondition:
    """The TaintNodesByCondition admission plugin (mutating only)."""

    name = "TaintNodesByCondition"

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create); Admit ignores everything but nodes proper.
        rt = attributes.resource_type
        return (attributes.operation == CREATE and rt.group == "" and rt.plural == "nodes"
                and not attributes.subresource)

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        node = attributes.object
        if not isinstance(node, dict):
            return Verdict(node, "no node in the request: nothing to do")
        spec = node.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(node, "spec is not an object: left to validation")
        taints = (spec or {}).get("taints")
        if taints is not None and not isinstance(taints, list):
            return Verdict(node, "spec.taints is not a list: left to validation")
        # Taint.MatchTaint: the same key and effect.
        if any(isinstance(t, dict) and t.get("key") == TAINT_NODE_NOT_READY and t.get("effect") == NO_SCHEDULE
               for t in taints or ()):
            return Verdict(node, f"the node already has the {TAINT_NODE_NOT_READY}:{NO_SCHEDULE} taint")
        node = copy.deepcopy(node)
        new_spec = node.setdefault("spec", {})
        new_spec["taints"] = [*(taints or ()), {"key": TAINT_NODE_NOT_READY, "effect": NO_SCHEDULE}]
        return Verdict(node, f"added the {TAINT_NODE_NOT_READY}:{NO_SCHEDULE} taint until the node is Ready",
                       changed=True)
