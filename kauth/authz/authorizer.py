"""The authorizer interface, request attributes, and kube-apiserver's union of authorizers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from kauth.api import errors
from kauth.authn.user import MASTERS, UserInfo


@dataclass(frozen=True)
class Attributes:
    """authorizer.Attributes: what RBAC sees of a request."""

    user: UserInfo
    verb: str
    resource_request: bool = True
    group: str = ""
    version: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""


@dataclass(frozen=True)
class Decision:
    allowed: bool | None  # None: no opinion, ask the next authorizer
    reason: str  # upstream's reason text (what audit logs and error messages carry), often ""
    authorizer: str = ""
    explanation: str = ""  # for --explain, where upstream gives no reason


@dataclass(frozen=True)
class AccessReview:
    """What the API server's authorizers answer for one request: a SubjectAccessReview's status, plus the
    403 text a denied request would get and each authorizer's answer on the way."""

    allowed: bool
    reason: str
    authorizer: str
    explanation: str
    message: str  # denied: the Forbidden message, reason included; allowed: ""
    decisions: tuple[Decision, ...]


class Authorizer(Protocol):
    name: str

    def authorize(self, attributes: Attributes) -> Decision: ...


class PrivilegedGroups:
    """system:masters is allowed everything before any other authorizer runs (reason "")."""

    name = "privileged-groups"

    def __init__(self, groups: Sequence[str] = (MASTERS,)) -> None:
        self.groups = tuple(groups)

    def authorize(self, attributes: Attributes) -> Decision:
        for group in attributes.user.groups:
            if group in self.groups:
                return Decision(True, "", self.name, f'the user is in group "{group}", which may do anything')
        return Decision(None, f"not in a privileged group ({', '.join(self.groups)})", self.name)


@dataclass
class Union:
    """The first Allow or Deny wins; when every authorizer has no opinion the request is denied,
    with their reasons joined by newlines."""

    authorizers: Sequence[Authorizer]

    def authorize(self, attributes: Attributes) -> tuple[Decision, list[Decision]]:
        seen: list[Decision] = []
        for authorizer in self.authorizers:
            decision = authorizer.authorize(attributes)
            seen.append(decision)
            if decision.allowed is not None:
                return decision, seen
        # Upstream joins the reasons the authorizers give; the privileged-group check gives none.
        reason = "\n".join(d.reason for d in seen if d.reason and d.authorizer != PrivilegedGroups.name)
        return Decision(None, reason, "union"), seen


def review(authorizer: Union, attributes: Attributes) -> AccessReview:
    decision, seen = authorizer.authorize(attributes)
    message = ""
    if not decision.allowed:
        message = forbidden_message(attributes) + (": " + decision.reason if decision.reason else "")
    return AccessReview(bool(decision.allowed), decision.reason, decision.authorizer, decision.explanation, message,
                        tuple(seen))


def forbidden_message(attributes: Attributes) -> str:
    """The authorization filter's text for a denied request."""
    a = attributes
    return errors.forbidden_reason(a.user.name, a.verb, resource_request=a.resource_request, path=a.path,
                                   group=a.group, resource=a.resource, subresource=a.subresource,
                                   namespace=a.namespace)
