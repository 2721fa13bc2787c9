"""How webhook failures and rejections become API errors, in upstream's words.

Upstream: k8s.io/apiserver/pkg/util/webhook/error.go (ErrCallingWebhook, ErrWebhookRejection),
plugin/webhook/errors/statuserror.go (ToStatusErr, NewDryRunUnsupportedErr) and
k8s.io/apimachinery/pkg/api/errors (NewInternalError, NewGenericServerResponse).
"""

from __future__ import annotations

import copy

from kauth.api import errors
from kauth.api.errors import StatusError, go_quote


class CallError(Exception):
    """webhookutil.ErrCallingWebhook: the webhook could not be talked to (or answered nonsense). Subject to
    failurePolicy: Ignore skips the webhook, Fail rejects the request with an internal error."""

    def __init__(self, webhook: str, reason: str, status: StatusError):
        super().__init__(f"failed calling webhook {go_quote(webhook)}: {reason}")
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
    return errors.bad_request(f"admission webhook {go_quote(webhook)} does not support dry run")


def to_status_error(webhook: str, result: dict | None) -> StatusError:
    """ToStatusErr: the webhook's own Status, its message prefixed with who denied the request; a code
    below 400 becomes 400 (a rejection is never a success)."""
    result = copy.deepcopy(result) if isinstance(result, dict) else {}
    denied_by = f"admission webhook {go_quote(webhook)} denied the request"
    code = result.get("code") if isinstance(result.get("code"), int) else 0
    if code < 400:
        code = 400
    message, reason = result.get("message") or "", result.get("reason") or ""
    if message:
        message = f"{denied_by}: {message}"
    elif reason:
        message = f"{denied_by}: {reason}"
    else:
        message = f"{denied_by} without explanation"
    details = result.get("details") if isinstance(result.get("details"), dict) else None
    return StatusError(code, reason, message, details)


# NewGenericServerResponse's words for a status code, when the answer was not an API Status.
_GENERIC = {
    409: ("Conflict", "the server reported a conflict"),  # POST: AlreadyExists
    404: ("NotFound", "the server could not find the requested resource"),
    400: ("BadRequest", "the server rejected our request for an unknown reason"),
    401: ("Unauthorized", "the server has asked for the client to provide credentials"),
    405: ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
    422: ("Invalid", "the server rejected our request due to an error in our request"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, but may still be "
                     "processing the request"),
    429: ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
}


def generic_server_response(code: int, method: str, server_message: str, retry_after: int = 0) -> StatusError:
    """apierrors.NewGenericServerResponse for a response that is not an API Status (isUnexpectedResponse)."""
    reason = "Unknown"
    message = f"the server responded with the status code {code} but did not return more information"
    if code == 409:
        reason, message = ("AlreadyExists" if method == "POST" else "Conflict"), _GENERIC[409][1]
    elif code in _GENERIC:
        reason, message = _GENERIC[code]
    elif code == 403:
        reason, message = "Forbidden", server_message
    elif code == 406:
        reason = "NotAcceptable"
        message = (server_message if server_message and server_message != "unknown"
                   else "the server was unable to respond with a content type that the client supports")
    elif code == 415:
        reason, message = "UnsupportedMediaType", server_message
    elif code >= 500:
        reason = "InternalError"
        message = f"an error on the server ({go_quote(server_message)}) has prevented the request from succeeding"
    details: dict = {"causes": [{"reason": "UnexpectedServerResponse", "message": server_message}]}
    if retry_after:
        details["retryAfterSeconds"] = retry_after
    return StatusError(code, reason, message, details)
