"""PodSecurity: the validating admission plugin that enforces the Pod Security Standards per namespace.

Upstream: plugin/pkg/admission/security/podsecurity/admission.go (a CREATE/UPDATE handler around the
pod-security-admission delegate, here `admission.Admission`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict
from kauth.admission.podsecurity import config
from kauth.admission.podsecurity.admission import WORKLOAD_TEMPLATE_PATHS, Admission, Response
from kauth.admission.podsecurity.config import DEFAULT_CONFIGURATION, PodSecurityConfiguration

_HANDLED = frozenset({("", "pods"), ("", "namespaces")}) | frozenset(WORKLOAD_TEMPLATE_PATHS)


class PodSecurity:
    """The plugin. Its verdict's audit_annotations use upstream's bare keys (`enforce-policy`, `audit-violations`,
    `exempt`, `error`); kube-apiserver records each under the `pod-security.kubernetes.io/` prefix
    (api.AUDIT_ANNOTATION_PREFIX)."""

    name = "PodSecurity"

    def __init__(self, configuration: PodSecurityConfiguration = DEFAULT_CONFIGURATION, *,
                 namespace_max_pods_to_check: int | None = None):
        kwargs = {} if namespace_max_pods_to_check is None else {
            "namespace_max_pods_to_check": namespace_max_pods_to_check}
        self.admission = Admission(configuration, **kwargs)

    @classmethod
    def from_configuration(cls, configuration: Mapping[str, Any]) -> "PodSecurity":
        """From a PodSecurityConfiguration object (the `configuration:` of the AdmissionConfiguration entry);
        raises config.ConfigError with upstream's validation message when it is not valid."""
        return cls(config.from_dict(configuration))

    @classmethod
    def from_plugin_entry(cls, entry: Mapping[str, Any], base_dir: str | Path = ".") -> "PodSecurity":
        """From an AdmissionConfiguration `plugins[]` entry: `{name: PodSecurity, configuration: {...}}` or
        `{name: PodSecurity, path: file.yaml}` (relative to base_dir)."""
        return cls(config.from_plugin_entry(entry, base_dir))

    @classmethod
    def from_admission_configuration(cls, admission_configuration: Mapping[str, Any],
                                     base_dir: str | Path = ".") -> "PodSecurity":
        """From a whole AdmissionConfiguration; the defaults (privileged everywhere) without a PodSecurity entry."""
        return cls(config.from_admission_configuration(admission_configuration, base_dir))

    @property
    def configuration(self) -> PodSecurityConfiguration:
        return self.admission.configuration

    def handles(self, attributes: Attributes) -> bool:
        rt = attributes.resource_type
        return attributes.operation in (CREATE, UPDATE) and (rt.group, rt.plural) in _HANDLED

    def respond(self, attributes: Attributes, state: StateView) -> Response:
        """The delegate's whole answer, denials' audit annotations included (validate() can only raise)."""
        return self.admission.validate(attributes, state)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        response = self.respond(attributes, state)
        if response.error is not None:
            raise response.error
        return Verdict(attributes.object, response.explanation, warnings=response.warnings,
                       audit_annotations=dict(response.audit_annotations))
