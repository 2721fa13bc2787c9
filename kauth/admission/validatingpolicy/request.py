"""The `request` and `namespaceObject` variables, as k8s.io/apiserver/pkg/admission/plugin/cel builds them
(CreateAdmissionRequest, CreateNamespaceObject), with Go's omitempty: absent fields are absent keys."""

from __future__ import annotations

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes
from kauth.api.resources import ResourceType

_OPTIONS_KIND = {CREATE: "CreateOptions", UPDATE: "UpdateOptions", DELETE: "DeleteOptions"}


def admission_request(attributes: Attributes, matched: ResourceType) -> dict:
    """An admissionv1.AdmissionRequest without object and oldObject; kind/resource are the matched type,
    requestKind/requestResource the type the request was made in."""
    rt = attributes.resource_type
    user = attributes.user
    user_info: dict = {}
    if user.name:
        user_info["username"] = user.name
    if user.uid:
        user_info["uid"] = user.uid
    if user.groups:
        user_info["groups"] = list(user.groups)
    if user.extra:
        user_info["extra"] = {k: list(v) for k, v in user.extra.items()}
    request: dict = {
        "uid": "",
        "kind": {"group": matched.group, "version": matched.version, "kind": matched.kind},
        "resource": {"group": matched.group, "version": matched.version, "resource": matched.plural},
        "requestKind": {"group": rt.group, "version": rt.version, "kind": rt.kind},
        "requestResource": {"group": rt.group, "version": rt.version, "resource": rt.plural},
        "operation": attributes.operation,
        "userInfo": user_info,
    }
    if attributes.subresource:
        request["subResource"] = attributes.subresource
        request["requestSubResource"] = attributes.subresource
    name = attributes.name or ((attributes.object or attributes.old_object or {}).get("metadata") or {}).get("name")
    if name:
        request["name"] = name
    if attributes.namespace:
        request["namespace"] = attributes.namespace
    if attributes.dry_run:
        request["dryRun"] = True
    if attributes.operation in _OPTIONS_KIND:
        request["options"] = {"kind": _OPTIONS_KIND[attributes.operation], "apiVersion": "meta.k8s.io/v1"}
    return request


_NAMESPACE_META = ("name", "generateName", "namespace", "uid", "resourceVersion", "generation",
                   "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                   "annotations", "finalizers")


def namespace_object(namespace: dict | None) -> dict | None:
    """CreateNamespaceObject: the Namespace's spec, status and some of its metadata (no managedFields,
    ownerReferences, apiVersion or kind)."""
    if namespace is None:
        return None
    meta = namespace.get("metadata") or {}
    out: dict = {"metadata": {k: meta[k] for k in _NAMESPACE_META if k in meta}}
    out["spec"] = namespace.get("spec") or {}
    out["status"] = namespace.get("status") or {}
    return out
