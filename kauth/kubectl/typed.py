"""Go's zero values that appear when kubectl decodes an object into its typed struct and prints it again.

kubectl run (after --overrides), `set env --local` and `set image --local` print a typed object: a field without `omitempty`
shows up even when unset (`creationTimestamp: null`, `resources: {}`, `containers: null`), and so does a
non-pointer struct (`strategy: {}`, `status: {}`). This table holds those fields for Pods and the kinds
that carry a pod template, from the k8s.io/api v1.32 struct tags; other kinds are returned as they are.
The order kubectl writes those fields in, for -o json, is struct_order.py's.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

VALUE, POINTER, SLICE = "value", "pointer", "slice"  # how a struct field holds another struct


@dataclass(frozen=True)
class Struct:
    """zero: fields printed with this value when absent; nested: (holding, Struct) of struct-valued fields;
    omitted: omitempty fields a manifest may spell out empty (`value: ""`), which the typed print drops."""

    zero: dict[str, Any] = field(default_factory=dict)
    nested: dict[str, tuple[str, "Struct"]] = field(default_factory=dict)
    omitted: tuple[str, ...] = ()


EMPTY = Struct()
OBJECT_META = Struct({"creationTimestamp": None})
ENV_VAR_SOURCE = Struct(nested={"configMapKeyRef": (POINTER, Struct({"key": ""})),
                                 "secretKeyRef": (POINTER, Struct({"key": ""})),
                                 "fieldRef": (POINTER, Struct({"fieldPath": ""})),
                                 "resourceFieldRef": (POINTER, Struct({"resource": "", "divisor": "0"}))})
CONTAINER = Struct({"name": ""}, {"resources": (VALUE, EMPTY), "ports": (SLICE, Struct({"containerPort": 0})),
                                  "env": (SLICE, Struct({"name": ""}, {"valueFrom": (POINTER, ENV_VAR_SOURCE)},
                                                       ("value",))),
                                  "volumeMounts": (SLICE, Struct({"name": "", "mountPath": ""}))})
POD_SPEC = Struct({"containers": None}, {"containers": (SLICE, CONTAINER), "initContainers": (SLICE, CONTAINER),
                                         "ephemeralContainers": (SLICE, CONTAINER)})
POD_TEMPLATE = Struct(nested={"metadata": (VALUE, OBJECT_META), "spec": (VALUE, POD_SPEC)})
SELECTOR = {"selector": None}  # a pointer without omitempty: `selector: null`


def _workload(spec: Struct, status: dict | None = None) -> Struct:
    return Struct(nested={"metadata": (VALUE, OBJECT_META), "spec": (VALUE, spec),
                          "status": (VALUE, Struct(status or {}))})


KINDS: dict[str, Struct] = {
    "Pod": _workload(POD_SPEC),
    "Deployment": _workload(Struct(SELECTOR, {"template": (VALUE, POD_TEMPLATE), "strategy": (VALUE, EMPTY)})),
    "ReplicaSet": _workload(Struct(SELECTOR, {"template": (VALUE, POD_TEMPLATE)}), {"replicas": 0}),
    "DaemonSet": _workload(Struct(SELECTOR, {"template": (VALUE, POD_TEMPLATE), "updateStrategy": (VALUE, EMPTY)}),
                           {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0,
                            "numberReady": 0}),
    # serviceName has no omitempty in v1.32; a claim template is a whole PersistentVolumeClaim.
    "StatefulSet": _workload(Struct({**SELECTOR, "serviceName": ""}, {
        "template": (VALUE, POD_TEMPLATE), "updateStrategy": (VALUE, EMPTY),
        "volumeClaimTemplates": (SLICE, Struct(nested={"metadata": (VALUE, OBJECT_META),
                                                       "spec": (VALUE, Struct(nested={"resources": (VALUE, EMPTY)})),
                                                       "status": (VALUE, EMPTY)}))}),
        {"replicas": 0, "availableReplicas": 0}),
    "Job": _workload(Struct(nested={"template": (VALUE, POD_TEMPLATE)})),
    "CronJob": _workload(Struct({"schedule": ""}, {"jobTemplate": (VALUE, Struct(nested={
        "metadata": (VALUE, OBJECT_META), "spec": (VALUE, Struct(nested={"template": (VALUE, POD_TEMPLATE)}))}))})),
    "ReplicationController": _workload(Struct(nested={"template": (POINTER, POD_TEMPLATE)}), {"replicas": 0}),
}


def _fill(value: dict, struct: Struct) -> None:
    for name in struct.omitted:
        if value.get(name, 0) in ("", None, [], {}):
            value.pop(name, None)
    for name, zero in struct.zero.items():
        if value.get(name) is None:
            value[name] = zero
    for name, (holding, inner) in struct.nested.items():
        if holding == VALUE and not isinstance(value.get(name), dict):
            value[name] = {}
        current = value.get(name)
        if holding == SLICE:
            for item in current if isinstance(current, list) else []:
                if isinstance(item, dict):
                    _fill(item, inner)
        elif isinstance(current, dict):
            _fill(current, inner)


def as_typed(obj: dict) -> dict:
    """The object as kubectl prints it after a typed round trip (a copy; unknown kinds unchanged): fields
    the Go struct lacks are gone, zero values appear."""
    from kauth.api.fields import unknown_fields

    struct = KINDS.get(obj.get("kind", ""))
    out = copy.deepcopy(obj)
    if isinstance(obj.get("apiVersion"), str) and isinstance(obj.get("kind"), str):
        unknown_fields(obj["apiVersion"], obj["kind"], out)  # removes them, as decoding does
    if struct is not None:
        _fill(out, struct)
    return out
