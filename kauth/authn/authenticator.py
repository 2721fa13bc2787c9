"""The authenticator interface and kube-apiserver's composition of authenticators.

An authenticator answers `authenticate(credentials) -> Result | None`: None means "not my kind
of credential" (try the next one); a Result with an error means the credential was presented
and is bad (the request is rejected with 401, never retried as anonymous).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, Sequence

from kauth.apiserver.request import Credentials
from kauth.authn.user import ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo


@dataclass(frozen=True)
class Result:
    user: UserInfo | None
    authenticator: str  # which mechanism answered, for the trace
    detail: str  # what it verified, or why it failed
    error: bool = False


class Authenticator(Protocol):
    name: str

    def authenticate(self, credentials: Credentials) -> Result | None: ...


class TrustedIdentity:
    """Accepts the identity the caller asserts (the CLI's admin, a policy test's user): nothing to verify."""

    name = "trusted-identity"

    def authenticate(self, credentials: Credentials) -> Result | None:
        if credentials.asserted_user is None:
            return None
        return Result(credentials.asserted_user, self.name,
                      "identity asserted by the caller (no credential to verify)")


class Anonymous:
    """No credentials at all: system:anonymous in system:unauthenticated (when anonymous auth is on)."""

    name = "anonymous"

    def authenticate(self, credentials: Credentials) -> Result | None:
        return Result(UserInfo(ANONYMOUS, groups=(UNAUTHENTICATED,)), self.name,
                      "no credentials presented: anonymous request")


def with_authenticated_group(user: UserInfo) -> UserInfo:
    """AuthenticatedGroupAdder: everyone but anonymous gains system:authenticated (once)."""
    if user.name == ANONYMOUS or AUTHENTICATED in user.groups or UNAUTHENTICATED in user.groups:
        return user
    return replace(user, groups=user.groups + (AUTHENTICATED,))


@dataclass
class Union:
    """kube-apiserver's chain: the first authenticator to succeed wins; any error is final (401);
    anonymous only when no authenticator recognised a credential."""

    authenticators: Sequence[Authenticator]
    anonymous: Anonymous | None = None

    def authenticate(self, credentials: Credentials) -> Result:
        errors = []
        for authenticator in self.authenticators:
            result = authenticator.authenticate(credentials)
            if result is None:
                continue
            if result.error:
                errors.append(result)
                continue
            return replace(result, user=with_authenticated_group(result.user))
        if errors:
            return errors[0]
        if self.anonymous is not None:
            return self.anonymous.authenticate(credentials)
        return Result(None, "none", "no credentials presented and anonymous requests are disabled", error=True)
