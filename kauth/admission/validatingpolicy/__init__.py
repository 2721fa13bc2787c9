"""ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) and its bindings, enforced with CEL.

    plugin = ValidatingAdmissionPolicy(authorizer=cluster_authorizer)
    chain = Chain(validating=[..., plugin, ...])
"""

from kauth.admission.validatingpolicy.plugin import ValidatingAdmissionPolicy

__all__ = ["ValidatingAdmissionPolicy"]
