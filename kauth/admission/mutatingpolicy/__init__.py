"""MutatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in Kubernetes v1.36) and its bindings: mutations
written in CEL, as JSON patches or as apply configurations merged with server-side-apply semantics.

    plugin = MutatingAdmissionPolicy(authorizer=cluster_authorizer)
    chain = Chain(mutating=[..., plugin, ...])
"""

from kauth.admission.mutatingpolicy.plugin import MutatingAdmissionPolicy

__all__ = ["MutatingAdmissionPolicy"]
