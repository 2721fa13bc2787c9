"""DefaultIngressClass: a new Ingress that names no class gets the default IngressClass.

Upstream: plugin/pkg/admission/network/defaultingressclass/admission.go (v1.37). An Ingress names a
class with `spec.ingressClassName` (even "") or the deprecated `kubernetes.io/ingress.class`
annotation. The default class is one annotated `ingressclass.kubernetes.io/is-default-class: "true"`;
when several are, the newest wins, ties broken by name (older releases refused the Ingress with
"N default IngressClasses were found, only 1 allowed"; current ones pick, as for StorageClasses).
"""

from __future__ import annotations

import copy
from typing import Any

from kauth.admission.chain import CREATE, Attributes, StateView, Verdict
from kauth.api import errors
from kauth.admission.default_class import newest_default

IS_DEFAULT_INGRESS_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"


class DefaultIngressClass:
    """The DefaultIngressClass admission plugin (mutating only, CREATE of networking.k8s.io ingresses)."""

    name = "DefaultIngressClass"

    def handles(self, attributes: Attributes) -> bool:
        rt = attributes.resource_type
        return (attributes.operation == CREATE and rt.group == "networking.k8s.io" and rt.plural == "ingresses"
                and not attributes.subresource)

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        ingress = attributes.object
        if not isinstance(ingress, dict):
            rt = attributes.resource_type
            # attr.GetKind() prints as a GroupVersionKind: "networking.k8s.io/v1, Kind=Ingress".
            raise errors.internal_error(f"Expected Ingress resource, got: {rt.group}/{rt.version}, Kind={rt.kind}")
        spec = ingress.get("spec")
        if spec is not None and not isinstance(spec, dict):
            return Verdict(ingress, "spec is not an object: left to validation")
        if _dict(spec).get("ingressClassName") is not None:
            return Verdict(ingress, "the Ingress names its class: left as is")
        if INGRESS_CLASS_ANNOTATION in _dict(_dict(ingress.get("metadata")).get("annotations")):
            return Verdict(ingress, f"the Ingress names its class with the {INGRESS_CLASS_ANNOTATION} annotation")
        default = default_class(state.list("networking.k8s.io", "ingressclasses"))
        if default is None:
            return Verdict(ingress, "no default IngressClass: the Ingress keeps no class")
        class_name = default["metadata"]["name"]
        ingress = copy.deepcopy(ingress)
        ingress.setdefault("spec", {})["ingressClassName"] = class_name
        return Verdict(ingress, f'set ingressClassName to the default IngressClass "{class_name}"', changed=True)


def default_class(classes: list[dict]) -> dict | None:
    """getDefaultClass: the newest default class (ties: the smallest name), or None."""
    return newest_default(classes, is_default)


def is_default(ingress_class: dict) -> bool:
    """The default annotation, with exactly the value "true"."""
    annotations = _dict(_dict(ingress_class.get("metadata")).get("annotations"))
    return annotations.get(IS_DEFAULT_INGRESS_CLASS_ANNOTATION) == "true"


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
