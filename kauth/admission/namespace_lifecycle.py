"""NamespaceLifecycle: no new content in a missing or terminating namespace; the system namespaces stay.

Upstream: plugin/pkg/admission/namespace/lifecycle/admission.go.
"""

from __future__ import annotations

from kauth.admission.chain import CREATE, DELETE, Attributes, StateView, Verdict
from kauth.api import errors

IMMORTAL = ("default", "kube-system", "kube-public")
# Reviews are not stored, so they may be created in any namespace.
_ACCESS_REVIEWS = {("authorization.k8s.io", "localsubjectaccessreviews")}


class NamespaceLifecycle:
    name = "NamespaceLifecycle"

    def handles(self, attributes: Attributes) -> bool:
        return attributes.operation in (CREATE, DELETE) or bool(attributes.namespace)

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        rt = attributes.resource_type
        if rt.kind == "Namespace" and rt.group == "":
            if attributes.operation == DELETE and attributes.name in IMMORTAL:
                raise errors.forbidden_error("", "namespaces", attributes.name, "this namespace may not be deleted")
            return Verdict(attributes.object, "namespaces themselves are not checked")
        if not attributes.namespace or (rt.group, rt.plural) in _ACCESS_REVIEWS:
            return Verdict(attributes.object, "cluster-scoped request: nothing to check")
        if attributes.operation != CREATE:
            return Verdict(attributes.object, "only creates are restricted")
        namespace = state.get("", "namespaces", "", attributes.namespace)
        if namespace is None:
            raise errors.not_found("", "namespaces", attributes.namespace)
        if (namespace.get("status") or {}).get("phase") == "Terminating":
            name = (attributes.object or {}).get("metadata", {}).get("name") or attributes.name
            err = errors.forbidden_error(
                rt.group, rt.plural, name,
                f"unable to create new content in namespace {attributes.namespace} because it is being terminated")
            err.details.setdefault("causes", []).append({
                "reason": "NamespaceTerminating",
                "message": f"namespace {attributes.namespace} is being terminated",
                "field": "metadata.namespace"})
            raise err
        return Verdict(attributes.object, f'namespace "{attributes.namespace}" exists and is Active')
