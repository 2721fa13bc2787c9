"""Pod Security Admission (the PodSecurity plugin) as kube-apiserver v1.37 runs it.

Modules: api (levels, versions, labels), podspec (reading pods), checks (the standards), registry (what runs at
each level/version), config (PodSecurityConfiguration), namespaces (relabel warnings), admission (the decision),
plugin (the admission-chain plugin).
"""

from kauth.admission.podsecurity.config import ConfigError, Exemptions, PodSecurityConfiguration
from kauth.admission.podsecurity.plugin import PodSecurity

__all__ = ["ConfigError", "Exemptions", "PodSecurity", "PodSecurityConfiguration"]
