"""The scale subresource of the built-in workloads: an autoscaling/v1 Scale view of the object.

Upstream: pkg/registry/apps/deployment/storage/storage.go (ScaleREST, scaleFromDeployment,
scaleUpdatedObjectInfo) and its ReplicaSet, StatefulSet and ReplicationController twins. A GET answers
the Scale; a PUT or PATCH changes the Scale (the patch applies to the Scale, not to the workload), whose
spec.replicas and resourceVersion are then written back to the workload.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

from kauth.api import errors
from kauth.api.labels import label_selector_string
from kauth.api.resources import ResourceType

# What a patch to /scale applies to (a Scale has no lists, so no strategic-merge metadata).
SCALE_TYPE = ResourceType("autoscaling", "v1", "Scale", "scale", True)
SCALED_KINDS = {("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("", "ReplicationController")}


def serves_scale_view(group: str, kind: str) -> bool:
    return (group, kind) in SCALED_KINDS


def scale_of(obj: Mapping) -> dict:
    """scaleFromDeployment & co.: the Scale a workload shows through /scale."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    scale_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta}
    scale: dict[str, Any] = {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": scale_meta,
                             "spec": {"replicas": spec["replicas"]} if spec.get("replicas") else {},
                             "status": {"replicas": (obj.get("status") or {}).get("replicas", 0)}}
    selector = spec.get("selector")
    if obj.get("kind") == "ReplicationController" and isinstance(selector, dict):
        selector = {"matchLabels": selector}  # a plain map: labels.SelectorFromSet
    text = label_selector_string(selector) if isinstance(selector, dict) else ""
    if text:
        scale["status"]["selector"] = text
    return scale


def with_scale(obj: Mapping, scale: Any, name: str) -> dict:
    """The workload after a write of `scale` to its /scale (validated as ValidateScale does)."""
    if not isinstance(scale, dict):
        raise errors.bad_request("the body of the request was not an autoscaling/v1 Scale")
    replicas = (scale.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise errors.bad_request(f"spec.replicas: expected an integer, got {replicas!r}")
    if replicas < 0:
        raise errors.invalid("autoscaling", "Scale", name, [
            errors.field_invalid("spec.replicas", replicas, "must be greater than or equal to 0")])
    updated = copy.deepcopy(dict(obj))
    updated.setdefault("spec", {})["replicas"] = replicas
    version = (scale.get("metadata") or {}).get("resourceVersion")
    if version:
        updated["metadata"]["resourceVersion"] = version  # a stale one is the workload's 409
    return updated
