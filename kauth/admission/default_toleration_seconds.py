"""DefaultTolerationSeconds: every pod tolerates a not-ready or unreachable node for five minutes.

Upstream: plugin/pkg/admission/defaulttolerationseconds/admission.go (v1.37). On CREATE and UPDATE of a
pod (no subresource) the plugin appends `node.kubernetes.io/not-ready:NoExecute` and
`node.kubernetes.io/unreachable:NoExecute` tolerations (operator Exists, `tolerationSeconds` 300, set by
kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds)
unless the pod already has a toleration for that taint. A toleration counts when its key is the taint's
or empty, and its effect is NoExecute or empty; its operator, value and seconds are not looked at, so
`{key: node.kubernetes.io/unreachable, operator: Equal, value: x}` counts too.
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict, pod_request

TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
NO_EXECUTE = "NoExecute"
DEFAULT_TOLERATION_SECONDS = 300


class DefaultTolerationSeconds:
    """The DefaultTolerationSeconds admission plugin (mutating only)."""

    name = "DefaultTolerationSeconds"

    def __init__(self, not_ready_seconds: int = DEFAULT_TOLERATION_SECONDS,
                 unreachable_seconds: int = DEFAULT_TOLERATION_SECONDS) -> None:
        self.not_ready_seconds = not_ready_seconds
        self.unreachable_seconds = unreachable_seconds

    def handles(self, attributes: Attributes) -> bool:
        # Handler(Create, Update); Admit then ignores everything but pods proper.
        return pod_request(attributes, (CREATE, UPDATE))

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to do")
        spec = pod.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(pod, "spec is not an object: left to validation")
        tolerations = (spec or {}).get("tolerations")
        if tolerations is not None and not isinstance(tolerations, list):
            return Verdict(pod, "spec.tolerations is not a list: left to validation")
        tolerations = tolerations or []
        missing = [(key, seconds) for key, seconds in ((TAINT_NODE_NOT_READY, self.not_ready_seconds),
                                                       (TAINT_NODE_UNREACHABLE, self.unreachable_seconds))
                   if not any(tolerates(t, key) for t in tolerations)]
        if not missing:
            return Verdict(pod, "the pod already tolerates not-ready and unreachable nodes")
        pod = copy.deepcopy(pod)
        new_spec = pod.setdefault("spec", {})
        new_spec["tolerations"] = [*tolerations, *(
            {"key": key, "operator": "Exists", "effect": NO_EXECUTE, "tolerationSeconds": seconds}
            for key, seconds in missing)]
        added = " and ".join(f"{key}:{NO_EXECUTE} for {seconds}s" for key, seconds in missing)
        return Verdict(pod, f"added tolerations {added}", changed=True)


def tolerates(toleration: Any, taint_key: str) -> bool:
    """Whether a toleration counts for taint_key:NoExecute here: key equal or empty, effect NoExecute or empty."""
    if not isinstance(toleration, dict):
        return False
    key, effect = toleration.get("key"), toleration.get("effect")
    return key in (taint_key, "", None) and effect in (NO_EXECUTE, "", None)
