"""ValidatingAdmissionWebhook: calls every matching validating webhook of ValidatingWebhookConfiguration objects
(at the same time, as upstream does) and rejects the request with the first rejection in webhook order.

Upstream: plugin/webhook/validating/dispatcher.go. Upstream reports whichever rejection arrives first; kauth
reports the first in the order the webhooks are configured, so that a run is repeatable.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from kauth.admission.chain import Attributes, StateView, Verdict
from kauth.admission.webhook import config, errors
from kauth.admission.webhook.base import WebhookPlugin
from kauth.admission.webhook.call import audit_annotation_key
from kauth.admission.webhook.matching import Invocation, should_call
from kauth.admission.webhook.review import AdmissionResponse
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceType

FAILED_OPEN_PREFIX = "failed-open.validating.webhook.admission.k8s.io/"


@dataclass
class ValidatingAdmissionWebhook(WebhookPlugin):
    """The plugin; its arguments are WebhookPlugin's."""

    name: str = "ValidatingAdmissionWebhook"

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        relevant: list[Invocation] = []
        skipped: list[str] = []
        for hook in config.webhooks(state, config.VALIDATING):
            invocation = should_call(hook, attributes, state, self.resources, self._conditions, skipped)
            if invocation is not None:
                relevant.append(invocation)
        if not relevant:
            return Verdict(attributes.object, "; ".join(skipped) or "no validating webhooks configured")
        if len(relevant) == 1:
            outcomes = [self._outcome(relevant[0], attributes)]
        else:
            with ThreadPoolExecutor(max_workers=min(len(relevant), 16)) as pool:
                outcomes = list(pool.map(lambda invocation: self._outcome(invocation, attributes), relevant))
        annotations: dict[str, str] = {}
        warnings: list[str] = []
        notes: list[str] = list(skipped)
        rejections: list[StatusError] = []
        for index, (invocation, (response, error)) in enumerate(zip(relevant, outcomes)):
            hook = invocation.webhook
            if response is not None:
                for key, value in response.audit_annotations.items():
                    full_key = audit_annotation_key(hook, key)
                    if full_key is not None:
                        annotations.setdefault(full_key, value)
                warnings.extend(response.warnings)
                if response.allowed:
                    notes.append(f"{hook.name}: allowed")
                    continue
                error = errors.Rejection(errors.to_status_error(hook.name, response.result))
            if isinstance(error, errors.CallError):
                if hook.ignores_failures:
                    annotations.setdefault(f"{FAILED_OPEN_PREFIX}round_0_index_{index}", hook.name)
                    notes.append(f"{hook.name}: failed open ({error})")
                    continue
                notes.append(f"{hook.name}: failed closed ({error})")
                rejections.append(errors.internal_error(str(error)))
            elif isinstance(error, errors.Rejection):
                notes.append(f"{hook.name}: denied")
                rejections.append(error.status)
            elif isinstance(error, StatusError):
                rejections.append(error)
        if rejections:
            err = rejections[0]
            err.audit_annotations = annotations  # type: ignore[attr-defined]
            err.warnings = tuple(warnings)  # type: ignore[attr-defined]
            raise err
        return Verdict(attributes.object, "; ".join(notes), tuple(warnings), audit_annotations=annotations)

    def _outcome(self, invocation: Invocation, attributes: Attributes
                 ) -> tuple[AdmissionResponse | None, Exception | None]:
        rt: ResourceType = invocation.resource_type
        obj, old = attributes.object, attributes.old_object
        if rt != attributes.resource_type:
            from kauth.api.conversion import convert

            obj = convert(obj, rt.api_version, self.resources) if obj is not None else None
            old = convert(old, rt.api_version, self.resources) if old is not None else None
        try:
            return self.caller.call(invocation, attributes, obj, old, mutating=False), None
        except (errors.CallError, errors.Rejection, StatusError) as err:
            return None, err
