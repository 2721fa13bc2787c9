"""DenyServiceExternalIPs: no Service may start using an external IP (CVE-2020-8554).

Upstream: plugin/pkg/admission/denyserviceexternalips/admission.go (v1.37). Validating only, on
Service CREATE and UPDATE: a Service may keep (or drop) external IPs it already had, but any IP in
`spec.externalIPs` that the old Service did not list is refused. Off by default in kube-apiserver.
"""

from __future__ import annotations

from typing import Any

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.api import errors
from kauth.admission.chain import forbidden

DENIED = "Use of external IPs is denied by admission control"


class DenyServiceExternalIPs:
    """The DenyServiceExternalIPs admission plugin (validating only)."""

    name = "DenyServiceExternalIPs"

    def handles(self, attributes: Attributes) -> bool:
        rt = attributes.resource_type
        return (attributes.operation in (CREATE, UPDATE) and rt.group == "" and rt.plural == "services"
                and not attributes.subresource)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        service, old = attributes.object, attributes.old_object
        rt = attributes.resource_type
        if not isinstance(service, dict) or (old is not None and not isinstance(old, dict)):
            # attr.GetKind() prints as a GroupVersionKind: "/v1, Kind=Service".
            raise errors.internal_error(f"Expected Service resource, got: {rt.group}/{rt.version}, Kind={rt.kind}")
        new_ips = _external_ips(service)
        if not new_ips:
            return Verdict(service, "the Service has no external IPs")
        if old is not None:
            old_ips = set(_external_ips(old))
            if all(ip in old_ips for ip in new_ips):
                return Verdict(service, "the Service adds no external IP")
        raise forbidden(attributes, DENIED)


def _external_ips(service: dict) -> list:
    spec = service.get("spec")
    ips = spec.get("externalIPs") if isinstance(spec, dict) else None
    # Unhashable entries cannot be IPs; keep them as text so the comparison still works.
    return [ip if isinstance(ip, str) else repr(ip) for ip in ips] if isinstance(ips, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
