"""Request, Response and Trace: the values that flow through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any, Mapping

from kauth.authn.user import UserInfo

# HTTP methods of the API verbs (kube-apiserver's requestinfo, reversed).
_METHODS = {"get": "GET", "list": "GET", "watch": "GET", "create": "POST", "update": "PUT", "patch": "PATCH",
            "delete": "DELETE", "deletecollection": "DELETE"}

PATCH_TYPES = {
    "strategic": "application/strategic-merge-patch+json",
    "merge": "application/merge-patch+json",
    "json": "application/json-patch+json",
    "apply": "application/apply-patch+yaml",
}


@dataclass(frozen=True)
class MalformedJSON:
    """A request body that is not JSON, as sent (kubectl passes `-p '{...'` through unparsed).

    `error` is what Go's encoding/json says about it (`invalid character 'b' looking for ...`).
    """

    text: str
    error: str


@dataclass(frozen=True)
class Credentials:
    """What a request carries to prove who sent it; authenticators read it.

    `asserted_user` is an identity the caller vouches for (the CLI's default admin, a policy
    test's `as_user`): accepted by the trusted-identity authenticator, like a client certificate
    whose verification the caller has already done.
    """

    asserted_user: UserInfo | None = None
    bearer_token: str | None = None
    client_cert_pem: bytes | None = None
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Impersonation:
    """`--as`, `--as-group`, `--as-uid` (the Impersonate-* headers)."""

    user: str = ""
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One API request, already routed: verb + resource (or a non-resource path) + body."""

    verb: str
    group: str = ""
    version: str = ""
    resource: str = ""  # plural, as in the URL
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    body: Any = None  # the object (create/update), the patch (patch), DeleteOptions (delete)
    patch_type: str = ""  # "strategic" | "merge" | "json" | "apply"
    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = ""  # "Strict" | "Warn" | "Ignore"; "" is the server's default (Warn)
    label_selector: str = ""
    field_selector: str = ""
    path: str = ""  # for non-resource requests: /healthz, /version
    credentials: Credentials = field(default_factory=Credentials)
    impersonate: Impersonation | None = None
    user_agent: str = "kubectl/v1.32.4 (linux/amd64) kubernetes/kauth"

    @property
    def is_resource_request(self) -> bool:
        return not self.path

    @property
    def method(self) -> str:
        if not self.is_resource_request:
            return self.verb.upper()
        return _METHODS.get(self.verb, self.verb.upper())

    @property
    def url(self) -> str:
        """The URL path kubectl would call (for traces and `compare`)."""
        if not self.is_resource_request:
            return self.path
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespace and not (self.resource == "namespaces"):
            base += f"/namespaces/{self.namespace}"
        base += f"/{self.resource}"
        if self.name:
            base += f"/{self.name}"
        if self.subresource:
            base += f"/{self.subresource}"
        query = {"dryRun": "All" if self.dry_run else "", "fieldManager": self.field_manager,
                 "fieldValidation": self.field_validation, "labelSelector": self.label_selector,
                 "fieldSelector": self.field_selector}
        # url.Values.Encode: keys in sorted order
        encoded = "&".join(f"{k}={v}" for k, v in sorted(query.items()) if v)
        return base + ("?" + encoded if encoded else "")


# The outcomes of a step that refused the request (the trace of a refused request ends on one).
REFUSALS = frozenset({"rejected", "denied", "invalid", "failed", "conflict", "not found", "refused", "not attempted"})


@dataclass(frozen=True)
class TraceStep:
    """What one stage saw and decided, and why (for --explain and for tests)."""

    stage: str  # "authentication", "impersonation", "authorization", "decode", "mutating admission", ...
    outcome: str  # "ok", "allowed", "denied", "skipped", "rejected", "stored", ...
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    children: tuple["TraceStep", ...] = ()

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"stage": self.stage, "outcome": self.outcome, "message": self.message}
        if self.details:  # lazily made sequences (an admission plugin's changes) become lists
            out["details"] = {k: list(v) if isinstance(v, Sequence) and not isinstance(v, (str, list, tuple)) else v
                              for k, v in self.details.items()}
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out


@dataclass
class Trace:
    """Appended to by each stage, in order."""

    steps: list[TraceStep] = field(default_factory=list)

    def add(self, stage: str, outcome: str, message: str, children: tuple[TraceStep, ...] = (),
            **details: Any) -> TraceStep:
        step = TraceStep(stage, outcome, message, details, children)
        self.steps.append(step)
        return step

    def to_list(self) -> list[dict]:
        return [s.to_dict() for s in self.steps]


@dataclass(frozen=True)
class Response:
    """What the server answered: HTTP code and an object or a metav1.Status, with warnings and the trace."""

    code: int
    body: dict
    request: Request
    trace: tuple[TraceStep, ...] = ()
    warnings: tuple[str, ...] = ()
    user: UserInfo | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def reason(self) -> str:
        return "" if self.ok else self.body.get("reason", "")

    @property
    def message(self) -> str:
        return "" if self.ok else self.body.get("message", "")
