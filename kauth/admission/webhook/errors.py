"""How webhook failures and rejections become API errors, in upstream's words.

Upstream: k8s.io/apiserver/pkg/util/webhook/error.go (ErrCallingWebhook, ErrWebhookRejection),
plugin/webhook/errors/statuserror.go (ToStatusErr, NewDryRunUnsupportedErr) and
k8s.io/apimachinery/pkg/api/errors (NewInternalError); the message formats are in kauth/api/errors.py.
"""

from __future__ import annotations

import copy

from kauth.api import errors
from kauth.api.errors import StatusError


class CallError(Exception):
    """webhookutil.ErrCallingWebhook: the webhook could not be talked to (or answered nonsense). Subject to
    failurePolicy: Ignore skips the webhook, Fail rejects the request with an internal error."""

    def __init__(self, webhook: str, reason: str, status: StatusError):
        super().__init__(errors.webhook_call_failed(webhook, reason))
        self.webhook = webhook
        self.reason = reason
        self.status = status


class Rejection(Exception):
    """webhookutil.ErrWebhookRejection: the webhook answered allowed: false. Never subject to failurePolicy."""

    def __init__(self, status: StatusError):
        super().__init__(status.message)
        self.status = status


def internal_error(cause: str) -> StatusError:
    """apierrors.NewInternalError: 500 InternalError, the cause repeated in details.causes."""
    err = errors.internal_error(cause)
    err.details = {"causes": [{"message": cause}]}
    return err


def bad_request(message: str) -> StatusError:
    return errors.bad_request(message)


def service_unavailable(message: str) -> StatusError:
    return StatusError(503, "ServiceUnavailable", message)


def dry_run_unsupported(webhook: str) -> StatusError:
    """NewDryRunUnsupportedErr: a webhook that may have side effects is never called on a dry run."""
    return errors.bad_request(errors.webhook_dry_run_unsupported(webhook))


def to_status_error(webhook: str, result: dict | None) -> StatusError:
    """ToStatusErr: the webhook's own Status, its message prefixed with who denied the request; a code
    below 400 becomes 400 (a rejection is never a success)."""
    result = copy.deepcopy(result) if isinstance(result, dict) else {}
    code = result.get("code") if isinstance(result.get("code"), int) else 0
    if code < 400:
        code = 400
    reason = result.get("reason") or ""
    message = errors.webhook_denied(webhook, result.get("message") or "", reason)
    details = result.get("details") if isinstance(result.get("details"), dict) else None
    return StatusError(code, reason, message, details)
