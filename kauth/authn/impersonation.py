"""Impersonation (`--as`, `--as-group`, `--as-uid`): every requested value needs the `impersonate` verb.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go.
"""

from __future__ import annotations

from kauth.api import errors
from kauth.api.errors import StatusError
from kauth.apiserver.request import Impersonation, TraceStep
from kauth.authn.user import ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, UserInfo
from kauth.authz import authorizer as authz

_SA_PREFIX = "system:serviceaccount:"


def _checks(imp: Impersonation) -> list[tuple[str, str, str, str, str]]:
    """(group, resource, subresource, namespace, name) the requester must be allowed to impersonate."""
    out = []
    if imp.user.startswith(_SA_PREFIX) and imp.user.count(":") == 3:
        _, _, namespace, name = imp.user.split(":")
        out.append(("", "serviceaccounts", "", namespace, name))
    else:
        out.append(("", "users", "", "", imp.user))
    out.extend(("", "groups", "", "", g) for g in imp.groups)
    for key, values in imp.extra.items():
        out.extend(("authentication.k8s.io", "userextras", key, "", v) for v in values)
    if imp.uid:
        out.append(("authentication.k8s.io", "uids", "", "", imp.uid))
    return out


def impersonate(requester: UserInfo, imp: Impersonation,
                authorizer: authz.Union) -> tuple[UserInfo | None, list[TraceStep], StatusError | None]:
    steps: list[TraceStep] = []
    for group, resource, sub, namespace, name in _checks(imp):
        attrs = authz.Attributes(requester, "impersonate", True, group, "", resource, sub, namespace, name)
        decision, _ = authorizer.authorize(attrs)
        what = f"impersonate {resource} {name!r}"
        if not decision.allowed:
            message = authz.forbidden_message(attrs) + (": " + decision.reason if decision.reason else "")
            steps.append(TraceStep(what, "denied", message))
            return None, steps, errors.forbidden_error(group, resource, name, message)
        steps.append(TraceStep(what, "allowed", decision.reason or f"allowed by {decision.authorizer}"))
    groups = list(imp.groups)
    if imp.user.startswith(_SA_PREFIX) and not groups and imp.user.count(":") == 3:
        namespace = imp.user.split(":")[2]
        groups = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
    if imp.user == ANONYMOUS:
        if UNAUTHENTICATED not in groups:
            groups.append(UNAUTHENTICATED)
    elif AUTHENTICATED not in groups and UNAUTHENTICATED not in groups:
        groups.append(AUTHENTICATED)
    extra = {k: tuple(v) for k, v in imp.extra.items()}
    return UserInfo(imp.user, imp.uid, tuple(groups), extra), steps, None
