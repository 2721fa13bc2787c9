"""Admission webhooks: MutatingAdmissionWebhook and ValidatingAdmissionWebhook, which POST an AdmissionReview
(admission.k8s.io/v1, or v1beta1 when a webhook accepts only that) to the webhooks of the stored
MutatingWebhookConfiguration and ValidatingWebhookConfiguration objects.

    resolver = services({("default", "my-webhook"): "https://127.0.0.1:8443"})
    chain = Chain(mutating=[..., MutatingAdmissionWebhook(service_resolver=resolver)],
                  validating=[..., ValidatingAdmissionWebhook(service_resolver=resolver)])

Upstream: k8s.io/apiserver/pkg/admission/plugin/webhook/.
"""

from kauth.admission.webhook.client import ServiceResolver, services
from kauth.admission.webhook.mutating import MutatingAdmissionWebhook
from kauth.admission.webhook.validating import ValidatingAdmissionWebhook

__all__ = ["MutatingAdmissionWebhook", "ServiceResolver", "ValidatingAdmissionWebhook", "services"]
