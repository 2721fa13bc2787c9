"""Errors with a Kubernetes shape: metav1.Status from the server, and kubectl's way of printing them.

Formats follow k8s.io/apimachinery/pkg/api/errors (server messages),
k8s.io/apimachinery/pkg/util/validation/field (field errors) and
k8s.io/kubectl/pkg/cmd/util/helpers.go (what kubectl prints). Every message format of kauth
lives here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

# field.ErrorType: the cause type sent in Status details, and the words in messages.
REQUIRED = ("FieldValueRequired", "Required value")
INVALID = ("FieldValueInvalid", "Invalid value")
NOT_SUPPORTED = ("FieldValueNotSupported", "Unsupported value")
DUPLICATE = ("FieldValueDuplicate", "Duplicate value")
FORBIDDEN = ("FieldValueForbidden", "Forbidden")
TOO_LONG = ("FieldValueTooLong", "Too long")
TOO_MANY = ("FieldValueTooMany", "Too many")
NOT_FOUND = ("FieldValueNotFound", "Not found")
INTERNAL = ("InternalError", "Internal error")

_OMIT = object()
# Types whose message never shows the bad value (field.Error.ErrorBody).
_VALUELESS = {REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL}


@dataclass(frozen=True)
class FieldError:
    """One field.Error: `spec.containers[0].image: Required value`."""

    type: tuple[str, str]
    field: str
    bad_value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        if self.type in _VALUELESS or self.bad_value is _OMIT:
            text = self.type[1]
        else:
            text = f"{self.type[1]}: {go_value(self.bad_value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(REQUIRED, path, _OMIT, detail)


def not_supported(path: str, value: Any, supported: Sequence[str]) -> FieldError:
    detail = "supported values: " + ", ".join(json.dumps(s) for s in supported) if supported else ""
    return FieldError(NOT_SUPPORTED, path, value, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(DUPLICATE, path, value)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(FORBIDDEN, path, _OMIT, detail)


def too_long(path: str, limit: int) -> FieldError:
    # apimachinery >= v0.32 wording (older servers said "must have at most %d bytes").
    return FieldError(TOO_LONG, path, _OMIT, f"may not be more than {limit} bytes")


def too_many(path: str, actual: int, limit: int) -> FieldError:
    return FieldError(TOO_MANY, path, actual, f"must have at most {limit} items")


def field_invalid(path: str, value: Any, detail: str) -> FieldError:
    """field.Invalid (`invalid` is the 422 StatusError builder)."""
    return FieldError(INVALID, path, value, detail)


def field_not_found(path: str, value: Any) -> FieldError:
    """field.NotFound; `not_found` is the 404 StatusError builder."""
    return FieldError(NOT_FOUND, path, value)


class GoRepr(str):
    """A bad value already rendered as Go's %#v prints it (maps, slices, structs): shown verbatim, unquoted."""


def go_value(value: Any) -> str:
    """A bad value as Go's field errors print it: strings quoted (%q), numbers and bools plain, others %#v-ish."""
    if isinstance(value, GoRepr):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


_GO_ESCAPES = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """Go's %q (strconv.Quote): how upstream quotes names in its messages."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common case: nothing to escape
    out = []
    for char in text:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif "\ud800" <= char <= "\udfff":  # a lone surrogate is not UTF-8: Go sees the replacement rune
            out.append("\\ufffd")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def go_quote_list(items: Iterable[str]) -> str:
    """Go's %q of a []string: ["a" "b"]."""
    return "[" + " ".join(go_quote(item) for item in items) + "]"


def aggregate(messages: Iterable[str]) -> str:
    """utilerrors.Aggregate.Error(): one message as is, several as `[a, b]` (duplicates dropped)."""
    unique: list[str] = []
    for m in messages:
        if m not in unique:
            unique.append(m)
    if len(unique) == 1:
        return unique[0]
    return "[" + ", ".join(unique) + "]"


class StatusError(Exception):
    """A failed API request: carries the metav1.Status the server would send."""

    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details or {}
        self.cause = ""  # what kauth knows about the failure beyond the Status (shown by --explain)
        self.explanation: list[str] = []  # the refusal's reasons one per line, for the trace (--explain)

    def status(self) -> dict:
        out: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details:
            out["details"] = self.details
        out["code"] = self.code
        return out

    @classmethod
    def from_status(cls, status: dict) -> "StatusError":
        return cls(status.get("code", 500), status.get("reason", ""), status.get("message", ""),
                   status.get("details"))

    def with_source(self, verb: str, source: str) -> "StatusError":
        """kubectl's AddSourceToErr: `error when creating "pod.yaml": <message>`."""
        if not source:
            return self
        return StatusError(self.code, self.reason, f'error when {verb} "{source}": {self.message}', self.details)

    def __repr__(self) -> str:
        return f"StatusError({self.code}, {self.reason!r}, {self.message!r})"


def _details(name: str, group: str, kind: str, causes: list | None = None) -> dict:
    d: dict[str, Any] = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    if kind:
        d["kind"] = kind
    if causes:
        d["causes"] = causes
    return d


def _qualified(group: str, resource: str) -> str:
    return f"{resource}.{group}" if group else resource


def not_found(group: str, resource: str, name: str) -> StatusError:
    return StatusError(404, "NotFound", f"{_qualified(group, resource)} {go_quote(name)} not found",
                       _details(name, group, resource))


def already_exists(group: str, resource: str, name: str) -> StatusError:
    return StatusError(409, "AlreadyExists", f'{_qualified(group, resource)} "{name}" already exists',
                       _details(name, group, resource))


OBJECT_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again"


def conflict(group: str, resource: str, name: str, why: str = OBJECT_MODIFIED) -> StatusError:
    return StatusError(409, "Conflict", f'Operation cannot be fulfilled on {_qualified(group, resource)} "{name}": {why}',
                       _details(name, group, resource))


def invalid(group: str, kind: str, name: str, errors: Sequence[FieldError]) -> StatusError:
    qualified_kind = f"{kind}.{group}" if group else kind
    causes = [{"reason": e.type[0], "message": e.body(), "field": e.field} for e in errors]
    message = f'{qualified_kind} "{name}" is invalid'
    if errors:
        message += ": " + aggregate(str(e) for e in errors)
    return StatusError(422, "Invalid", message, _details(name, group, kind, causes))


def forbidden_error(group: str, resource: str, name: str, why: str) -> StatusError:
    if not resource:
        message = f"forbidden: {why}"
    elif not name:
        message = f"{_qualified(group, resource)} is forbidden: {why}"
    else:
        message = f'{_qualified(group, resource)} "{name}" is forbidden: {why}'
    return StatusError(403, "Forbidden", message, _details(name, group, resource))


def forbidden_reason(username: str, verb: str, *, resource_request: bool, path: str = "", group: str = "",
                     resource: str = "", subresource: str = "", namespace: str = "") -> str:
    """Why a request was denied (endpoints/handlers/responsewriters/errors.go forbiddenMessage)."""
    q = go_quote
    if not resource_request:
        return f"User {q(username)} cannot {verb} path {q(path)}"
    if subresource:
        resource += "/" + subresource
    if namespace:
        return (f"User {q(username)} cannot {verb} resource {q(resource)} in API group {q(group)} "
                f"in the namespace {q(namespace)}")
    return f"User {q(username)} cannot {verb} resource {q(resource)} in API group {q(group)} at the cluster scope"


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


# The JSON serializer first reads apiVersion and kind alone (SimpleMetaFactory.Interpret), into this struct.
FIND_KIND_PARSE_ERROR = "couldn't get version/kind; json parse error: "
_FIND_KIND_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'


def find_kind_error(value: Any) -> str:
    """Interpret's error for a body that is JSON but not an object: `... cannot unmarshal array into ...`."""
    from kauth.api.json_syntax import json_kind  # which imports this module

    return f"{FIND_KIND_PARSE_ERROR}json: cannot unmarshal {json_kind(value)} into Go value of type {_FIND_KIND_STRUCT}"


def unrecognized_object(kind: str, why: str, body: str) -> StatusError:
    """transformDecodeError: a body the decoder could not read as the URL's kind, with summarizeData's glimpse of it
    (its first 30 bytes; in hex unless it starts with `{`)."""
    data = body.encode()
    glimpse = data[:30].decode(errors="replace") if data[:1] == b"{" else data[:30].hex()
    summary = "<empty>" if not data else glimpse + (" ..." if len(data) > 30 else "")
    return bad_request(f"the object provided is unrecognized (must be of type {kind}): {why} ({summary})")


def unauthorized(message: str = "Unauthorized") -> StatusError:
    return StatusError(401, "Unauthorized", message)


def method_not_supported(group: str, resource: str, action: str) -> StatusError:
    return StatusError(405, "MethodNotAllowed",
                       f'{action} is not supported on resources of kind "{_qualified(group, resource)}"',
                       _details("", group, resource))


def request_entity_too_large(message: str) -> StatusError:
    return StatusError(413, "RequestEntityTooLarge", f"Request entity too large: {message}")


def unsupported_media_type(accepted: Sequence[str]) -> StatusError:
    """negotiation.NewUnsupportedMediaTypeError: the patch types this resource accepts."""
    return StatusError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                       f"accepted media types include: {', '.join(accepted)}")


def patch_failed(why: str) -> StatusError:
    """A patch that does not apply: kube-apiserver answers NewGenericServerResponse(422) and drops `why`
    from the response (handlers/patch.go); kauth keeps it on the error for the trace."""
    err = StatusError(422, "Invalid", "the server rejected our request due to an error in our request", {})
    err.cause = why
    return err


def plain_error(message: str) -> StatusError:
    """An error that is not a Status (a plain Go error): ErrorToAPIStatus makes it a 500 with no reason."""
    return StatusError(500, "", message)


def internal_error(why: str) -> StatusError:
    return StatusError(500, "InternalError", f"Internal error occurred: {why}")


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


# --- admission webhooks (k8s.io/apiserver/pkg/admission/plugin/webhook, pkg/util/webhook) ------------


def webhook_call_failed(webhook: str, reason: str) -> str:
    """webhookutil.ErrCallingWebhook: a webhook that could not be called, or answered nonsense."""
    return f"failed calling webhook {go_quote(webhook)}: {reason}"


def webhook_denied(webhook: str, message: str = "", reason: str = "") -> str:
    """ToStatusErr (webhook/errors/statuserror.go): who denied the request, then the webhook's message or reason."""
    denied_by = f"admission webhook {go_quote(webhook)} denied the request"
    if message:
        return f"{denied_by}: {message}"
    if reason:
        return f"{denied_by}: {reason}"
    return f"{denied_by} without explanation"


def webhook_dry_run_unsupported(webhook: str) -> str:
    """NewDryRunUnsupportedErr: a webhook that may have side effects is never called on a dry run."""
    return f"admission webhook {go_quote(webhook)} does not support dry run"


def webhook_cannot_modify(webhook: str) -> str:
    """mutating/dispatcher.go: a patch for an operation without an object (a DELETE, a CONNECT)."""
    return (f"admission webhook {go_quote(webhook)} attempted to modify the object, which is not supported for this "
            "operation")


def webhook_unsupported_patch_type(patch_type: str) -> str:
    return f"unsupported patch type {go_quote(patch_type)}"


def webhook_undecodable_patch(reason: str) -> str:
    return f"received undecodable patch in webhook response: {reason}"


def webhook_rest_client_failed(reason: str) -> str:
    return f"could not get REST client: {reason}"


def webhook_request_failed(reason: str) -> str:
    return f"failed to call webhook: {reason}"


def webhook_invalid_response(reason: str) -> str:
    return f"received invalid webhook response: {reason}"


def webhook_service_unreachable(url: str, namespace: str, name: str) -> str:
    """kauth's own: a simulated cluster has no cluster network to reach a webhook's Service through."""
    return (f"Post {go_quote(url)}: service {go_quote(namespace + '/' + name)} cannot be reached: a simulated "
            "cluster has no cluster network (give the webhook plugin a service_resolver that maps it to a URL)")


# The Status a failed call carries (what failurePolicy Fail turns into an internal error's cause).
WEBHOOK_NO_KNOWN_REVIEW_VERSION = ("could not create admission objects: webhook does not accept known AdmissionReview "
                                   "versions (v1, v1beta1)")
WEBHOOK_CREATING_OBJECTS_FAILED = "error creating admission objects"
WEBHOOK_CALLING_FAILED = "error calling webhook"
WEBHOOK_VALIDATING_RESPONSE_FAILED = "error validating webhook response"
WEBHOOK_DECODING_PATCH_FAILED = "error decoding patch in webhook response"

# VerifyAdmissionResponse (webhook/request/admissionreview.go): why a response is refused.
WEBHOOK_RESPONSE_ABSENT = "webhook response was absent"
WEBHOOK_PATCH_WITHOUT_PATCH_TYPE = "webhook returned response.patch but not response.patchType"
WEBHOOK_PATCH_TYPE_WITHOUT_PATCH = "webhook returned response.patchType but not response.patch"
VALIDATING_WEBHOOK_PATCH = "validating webhook may not return response.patch"
VALIDATING_WEBHOOK_PATCH_TYPE = "validating webhook may not return response.patchType"


def webhook_response_uid_mismatch(uid: str, got: str) -> str:
    return f"expected response.uid={go_quote(uid)}, got {go_quote(got)}"


def webhook_response_kind_mismatch(expected_api_version: str, api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    return (f"expected webhook response of {expected_api_version}, Kind=AdmissionReview, got {group}/{version}, "
            f"Kind={kind}")


def webhook_invalid_patch_type(patch_type: str) -> str:
    return f"webhook returned invalid response.patchType of {go_quote(patch_type)}"


# --- admission policies (k8s.io/apiserver/pkg/admission/plugin/policy, plugin/cel) ------------------


def policy_denied(policy: str, binding: str | None, message: str) -> str:
    """generic.PolicyError (policy/generic/policy_dispatcher.go), a MutatingAdmissionPolicy's failure; `binding`
    None for the policy's own configuration."""
    if binding is not None:
        return f"policy '{policy}' with binding '{binding}' denied request: {message}"
    return f"policy {go_quote(policy)} denied request: {message}"


def validating_policy_denied(policy: str, binding: str, message: str) -> str:
    """validating/dispatcher.go: a ValidatingAdmissionPolicy's Deny ("" binding: the policy's own configuration)."""
    if binding:
        return f"ValidatingAdmissionPolicy '{policy}' with binding '{binding}' denied request: {message}"
    return f"ValidatingAdmissionPolicy '{policy}' denied request: {message}"


def validating_policy_warning(policy: str, binding: str, message: str) -> str:
    """validating/dispatcher.go: a binding's Warn action."""
    return f"Validation failed for ValidatingAdmissionPolicy '{policy}' with binding '{binding}': {message}"


def policy_configuration_failed(why: str) -> str:
    return f"failed to configure policy: {why}"


def binding_configuration_failed(why: str) -> str:
    return f"failed to configure binding: {why}"


def param_kind_not_found(group: str, version: str, kind: str) -> str:
    """policy_source.go: a paramKind no resource serves (schema.GroupVersionKind's String() inside)."""
    return f"failed to find resource referenced by paramKind: '{group}/{version}, Kind={kind}'"


# generic.CollectParams: why a binding's params cannot be collected.
PARAM_REF_NAMESPACED_FOR_CLUSTER_SCOPED = ("cannot use namespaced paramRef in policy binding that matches "
                                           "cluster-scoped resources")
PARAM_REF_NAMESPACE_FOR_CLUSTER_SCOPED = "paramRef.namespace must not be provided for a cluster-scoped `paramKind`"
PARAM_REF_NAME_AND_SELECTOR = "paramRef.name and paramRef.selector are mutually exclusive"
PARAM_REF_NEITHER_NAME_NOR_SELECTOR = "one of name or selector must be provided"
PARAMS_NOT_FOUND_DENY = "no params found for policy binding with `Deny` parameterNotFoundAction"


def cel_compilation_failed(issues: str) -> str:
    """plugin/cel/compile.go: "compilation failed: " + issues.String()."""
    return f"compilation failed: {issues}"


def cel_return_type_mismatch(return_types: Sequence[str]) -> str:
    if len(return_types) == 1:
        return f"must evaluate to {return_types[0]}"
    return f"must evaluate to one of [{' '.join(return_types)}]"


def cel_compilation_error(error: str) -> str:
    """An expression that did not compile, when a request evaluates it (plugin/cel/filter.go)."""
    return f"compilation error: {error}"


def cel_expression_failed(expression: str, error: str) -> str:
    return f"expression '{expression}' resulted in error: {error}"


def composited_variable_failed(name: str, stage: str, error: str) -> str:
    """plugin/cel/composition.go: a variable that fails to "compile" or to "evaluate" fails what reads it."""
    return f"composited variable {go_quote(name)} fails to {stage}: {error}"


def validation_failed_expression(expression: str) -> str:
    """validating/validator.go: the message of a failed validation without message or messageExpression."""
    return f"failed expression: {expression}"


def audit_annotation_unsupported_type(expression: str, type_name: str) -> str:
    return (f"valueExpression '{expression}' resulted in unsupported return type: {type_name}. "
            "Return type must be either string or null.")


# --- kubectl's rendering (k8s.io/kubectl/pkg/cmd/util/helpers.go) ---------------------------------


def kubectl_message(err: StatusError, *, aggregated: bool = False) -> str:
    """The text kubectl prints for a server error (without the trailing newline).

    A lone Invalid error gets kubectl's special form (`The Pod "x" is invalid: ...`, one
    `* field: message` line per cause when there are several); inside an aggregate of several
    errors every error, Invalid too, prints as `Error from server (Reason): message`.
    """
    if err.reason == "Invalid" and not aggregated:
        return _kubectl_invalid(err)
    if err.reason == "Unauthorized":
        return f"error: You must be logged in to the server ({err.message})"
    if err.reason:
        return f"Error from server ({err.reason}): {err.message}"
    return f"Error from server: {err.message}"


def _kubectl_invalid(err: StatusError) -> str:
    """checkErr's Invalid branch (k8s.io/kubectl/pkg/cmd/util/helpers.go)."""
    details = err.details
    prefix = "The request is invalid"
    if details is None:
        return f"{prefix}: {err.message}" if err.message else prefix
    causes = details.get("causes") or []
    if details.get("kind") or details.get("name"):
        prefix = f'The {details.get("kind", "")} "{details.get("name", "")}" is invalid'
    elif err.message and not causes:
        prefix = f"{prefix}: {err.message}"
    if not causes:
        return prefix
    lines = []  # statusCausesToAggrError drops repeated "field: message" lines
    for c in causes:
        line = f"{c.get('field', '')}: {c.get('message', '')}"
        if line not in lines:
            lines.append(line)
    # MultilineError: `%s%v\n` for one cause, `* %s\n` a line for several; so a last cause that ends in a
    # newline (a Pod update's diff) leaves a blank line, kept here as the trailing newline the caller won't add
    if len(lines) == 1:
        text = f"{prefix}: {lines[0]}\n"
    else:
        text = f"{prefix}: \n" + "".join(f"* {line}\n" for line in lines)
    return text if lines[-1].endswith("\n") else text[:-1]


class ClientError(Exception):
    """An error kubectl itself reports, before or without a request: printed as `error: <message>`."""

    def __init__(self, message: str, *, exit_code: int = 1, items: Sequence[str] = (), bare: bool = False):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        # CheckErr prints some errors (a RESTMapper's no-match) as they are, without `error: `.
        self.bare = bare
        # A nested aggregate (the errors of one List's items): alone, kubectl prints one a line
        # without `error: `; among other errors, as one bracketed line.
        self.items = tuple(items)

    def kubectl_text(self) -> str:
        return self.message if self.bare or self.message.startswith("error: ") else f"error: {self.message}"


def kubectl_report(errs: Sequence["StatusError | ClientError"]) -> str:
    """What kubectl's CheckErr prints for the errors a command collected (no trailing newline).

    One error: Invalid gets its special form, a server error `Error from server (Reason): ...`,
    anything else `error: ...`. Several (an aggregate): each on its own line in standard form,
    client errors without the `error: ` prefix.
    """
    if not errs:
        return ""
    if len(errs) == 1:
        err = errs[0]
        if isinstance(err, ClientError):
            return "\n".join(err.items) if len(err.items) > 1 else err.kubectl_text()
        return kubectl_message(err)
    lines = []
    for err in errs:
        if isinstance(err, ClientError):
            lines.append(err.message)
        else:
            lines.append(kubectl_message(err, aggregated=True))
    return "\n".join(lines)


def resource_mapping_not_found(name: str, namespace: str, source: str, why: str) -> ClientError:
    """The builder's error for a document whose kind the server does not serve (cli-runtime mapper)."""
    return ClientError(f'resource mapping not found for name: "{name}" namespace: "{namespace}" from "{source}": '
                       f"{why}\nensure CRDs are installed first")


def namespace_mismatch(object_namespace: str, namespace: str) -> ClientError:
    return ClientError(f'the namespace from the provided object "{object_namespace}" does not match the namespace '
                       f'"{namespace}". You must pass \'--namespace={object_namespace}\' to perform this operation.')
