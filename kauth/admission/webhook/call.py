"""One call of one webhook: the dry-run check, the AdmissionReview, the POST, the answer's verification.

Upstream: callAttrMutatingHook (mutating/dispatcher.go) and callHook (validating/dispatcher.go), which share all of
this up to what they do with the answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Callable

from kauth.admission.chain import Attributes
from kauth.admission.webhook import client, errors, review
from kauth.admission.webhook.config import Webhook
from kauth.admission.webhook.matching import Invocation
from kauth.api import errors as api_errors

Post = Callable[[client.Endpoint, dict, int], dict]


@dataclass
class Caller:
    """What both plugins call webhooks with: where services are, whether plain http is allowed, and the uid of
    each review (random, as uuid.NewUUID; tests may fix it)."""

    service_resolver: client.ServiceResolver | None = None
    allow_http: bool = False
    new_uid: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))

    def call(self, invocation: Invocation, attributes: Attributes, obj: dict | None, old: dict | None, *,
             mutating: bool) -> review.AdmissionResponse:
        """The verified response; CallError (subject to failurePolicy), Rejection (allowed: false) or a
        StatusError (dry run of a webhook with side effects) otherwise."""
        hook = invocation.webhook
        if attributes.dry_run:
            if hook.side_effects is None:
                raise errors.CallError(hook.name, "Webhook SideEffects is nil",
                                       errors.bad_request("Webhook SideEffects is nil"))
            if hook.side_effects not in ("None", "NoneOnDryRun"):
                raise errors.dry_run_unsupported(hook.name)
        version = review.review_version(hook.admission_review_versions)
        if version is None:
            raise errors.CallError(hook.name, api_errors.WEBHOOK_NO_KNOWN_REVIEW_VERSION,
                                   errors.bad_request(api_errors.WEBHOOK_CREATING_OBJECTS_FAILED))
        uid = self.new_uid()
        body = review.admission_review(version, uid, attributes, invocation.resource_type, obj, old)
        timeout = hook.timeout_seconds
        try:
            target = client.endpoint(hook.client_config, timeout, self.service_resolver)
            answer = client.post(target, body, timeout, allow_http=self.allow_http)
            review.decode(answer, version)  # decoding is part of the REST client's Into
        except client.ClientConfigError as err:
            reason = str(errors.CallError(hook.name, str(err), errors.internal_error(str(err)))) if err.nested \
                else str(err)
            raise errors.CallError(hook.name, api_errors.webhook_rest_client_failed(reason),
                                   errors.internal_error(reason)) from None
        except (client.TransportError, review.DecodeError) as err:
            status = getattr(err, "status", None) or (
                errors.service_unavailable(api_errors.WEBHOOK_CALLING_FAILED) if mutating
                else errors.bad_request(api_errors.WEBHOOK_CALLING_FAILED))
            raise errors.CallError(hook.name, api_errors.webhook_request_failed(str(err)), status) from None
        try:
            return review.verify(answer, version, uid, mutating)
        except review.InvalidResponse as err:
            raise errors.CallError(hook.name, api_errors.webhook_invalid_response(str(err)),
                                   errors.service_unavailable(api_errors.WEBHOOK_VALIDATING_RESPONSE_FAILED)) from None


def audit_annotation_key(hook: Webhook, key: str) -> str | None:
    """A webhook's own audit annotations are recorded under `<webhook name>/<key>`; a key that is not a qualified
    name is dropped (attributesRecord.AddAnnotation refuses it, testcase.go "illegal annotation format")."""
    from kauth.api.names import is_qualified_name

    full = f"{hook.name}/{key}"
    return None if is_qualified_name(full) else full
