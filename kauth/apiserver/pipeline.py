"""The request pipeline: authentication, impersonation, authorization, decoding and defaulting,
mutating admission, validation, validating admission, storage; each stage writes to the Trace.

`APIServer.handle(request) -> Response` is the one way in: the CLI, the policy-test runner and
(later) the HTTP front door all call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from kauth.admission.chain import Chain
from kauth.api import errors
from kauth.api.errors import StatusError
from kauth.api.resources import NoKindMatch, ResourceTable, ResourceType
from kauth.apiserver import registry
from kauth.apiserver.request import REFUSALS, Request, Response, Trace, TraceStep
from kauth.authn import authenticator as authn
from kauth.authn.user import UserInfo
from kauth.authz import authorizer as authz
from kauth.authz.rbac import RBACAuthorizer
from kauth.store.base import Key, Store
from kauth.store.watch import WatchedStore


@dataclass
class APIServer:
    store: Store
    authenticator: authn.Union = field(
        default_factory=lambda: authn.Union([authn.TrustedIdentity()], anonymous=authn.Anonymous()))
    authorizer: authz.Union | None = None  # None: kube-apiserver's default, system:masters then RBAC
    admission: Chain = field(default_factory=Chain)
    clock: Callable[[], "registry.datetime"] = registry.utcnow
    _table: tuple[int, ResourceTable] | None = field(default=None, init=False, repr=False)
    rbac: RBACAuthorizer = field(init=False, repr=False)
    token_issuer: Any = None  # kauth.authn.config.TokenIssuer: what the TokenRequest API signs with
    root_ca_pem: bytes = b""  # the cluster CA the controllers publish (kube-root-ca.crt, legacy token Secrets)

    def __post_init__(self) -> None:
        # Every write goes through the watched store, so the RBAC policy follows it write by write.
        if not isinstance(self.store, WatchedStore):
            self.store = WatchedStore(self.store)
        # The RBAC rule resolver: the authorizer's policy, and what escalation checks ask a user holds.
        self.store.watch(self._observe_for_table)
        self.rbac = RBACAuthorizer(self.store)
        if self.authorizer is None:
            self.authorizer = authz.Union([authz.PrivilegedGroups(), self.rbac])

    # -- the resource table: built-in kinds plus the stored CRDs' kinds -----------------------------

    def table(self) -> ResourceTable:
        revision = self.store.revision()
        if self._table is None or self._table[0] != revision:
            crds = self.store.list("apiextensions.k8s.io", "customresourcedefinitions")
            established = [c for c in crds if not (c.get("metadata") or {}).get("deletionTimestamp")]
            self._table = (revision, ResourceTable.builtin().with_crds(established))
        return self._table[1]

    def _observe_for_table(self, key: Key, obj: dict | None, revision: int) -> None:
        """Keep the resource table across writes that cannot change it: any write but a CRD's, directly after the
        revision the table was built at (a gap means writes made around this server: rebuild then)."""
        if self._table is None:
            return
        if key.group == "apiextensions.k8s.io" or revision != self._table[0] + 1:
            self._table = None
        else:
            self._table = (revision, self._table[1])

    # -- the pipeline -----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        trace = Trace()
        user: UserInfo | None = None
        warnings: list[str] = []
        try:
            user = self._authenticate(request, trace)
            user = self._impersonate(request, user, trace)
            self._authorize(request, user, trace)
            rt = self._resolve(request, trace)
            context = registry.Context(self.store, self.table(), self.admission, user, trace, warnings, self.clock,
                                       self.authorizer, self.rbac, self.authenticator, self.token_issuer,
                                       self.root_ca_pem)
            code, body = registry.serve(context, request, rt)
            return Response(code, body, request, tuple(trace.steps), tuple(warnings), user)
        except StatusError as err:
            if not trace.steps or trace.steps[-1].outcome not in REFUSALS:
                # refused where no stage recorded it (a body that does not decode, a bad request): say so, so the
                # trace never ends on an "allowed" above an error
                trace.add("handler", "refused", f"{err.code} {err.reason}: {err.message}")
            return Response(err.code, err.status(), request, tuple(trace.steps), tuple(warnings), user)
        except RecursionError:
            # A limit of this simulator, not of Kubernetes (which decodes JSON nested up to 10000 deep).
            err = errors.internal_error("kauth cannot process an object nested this deeply")
            trace.add("storage", "not attempted", err.message)
            return Response(err.code, err.status(), request, tuple(trace.steps), tuple(warnings), user)

    def _authenticate(self, request: Request, trace: Trace) -> UserInfo:
        result = self.authenticator.authenticate(request.credentials)
        if result.error or result.user is None:
            trace.add("authentication", "rejected", result.detail, authenticator=result.authenticator)
            raise errors.unauthorized()
        trace.add("authentication", "ok", f"{result.user.describe()}: {result.detail}",
                  authenticator=result.authenticator, user=result.user.name, groups=list(result.user.groups))
        return result.user

    def _impersonate(self, request: Request, user: UserInfo, trace: Trace) -> UserInfo:
        imp = request.impersonate
        if imp is None or not (imp.user or imp.groups or imp.uid or imp.extra):
            trace.add("impersonation", "skipped", "no impersonation requested")
            return user
        if not imp.user:
            requested = [*imp.groups, *(f"{k}={v}" for k, vs in imp.extra.items() for v in vs)]
            trace.add("impersonation", "rejected", "impersonation without a user")
            raise errors.bad_request(f"requested {requested} without impersonating a user")
        from kauth.authn.impersonation import impersonate

        target, checks, error = impersonate(user, imp, self.authorizer)
        if error is not None:
            trace.add("impersonation", "denied", error.message, tuple(checks), requester=user.name)
            raise error
        trace.add("impersonation", "ok", f"{user.name} acts as {target.describe()}", tuple(checks),
                  requester=user.name, user=target.name, groups=list(target.groups))
        return target

    def _authorize(self, request: Request, user: UserInfo, trace: Trace) -> None:
        attributes = attributes_for(request, user)
        decision, seen = self.authorizer.authorize(attributes)
        children = tuple(self._explained(d, attributes) for d in seen)
        if decision.allowed:
            why = decision.reason or f"allowed by {decision.authorizer}"
            trace.add("authorization", "allowed", why, children, verb=attributes.verb)
            return
        message = authz.forbidden_message(attributes)
        if decision.reason:
            message += ": " + decision.reason
        trace.add("authorization", "denied", message, children, verb=attributes.verb)
        resource = request.resource if request.is_resource_request else ""
        raise errors.forbidden_error(request.group, resource, request.name, message)

    def _explained(self, decision: authz.Decision, attributes: authz.Attributes) -> TraceStep:
        """One authorizer's answer for the trace: RBAC's allowing rule, or on a denial its nearest misses."""
        outcome = {True: "allowed", False: "denied", None: "no opinion"}[decision.allowed]
        children: tuple[TraceStep, ...] = ()
        if decision.authorizer == RBACAuthorizer.name:
            if decision.allowed:
                children = (TraceStep("rule", "matched", decision.explanation),)
            else:
                misses = self.rbac.policy().near_misses(attributes)
                children = tuple(TraceStep("nearest rule", "missed", m) for m in misses) or \
                    (TraceStep("rules", "none", "no RoleBinding or ClusterRoleBinding names the user or its groups"),)
        message = decision.reason if decision.reason and decision.allowed else decision.explanation or decision.reason
        return TraceStep(decision.authorizer, outcome, message or "(no reason given)", children=children)

    def _resolve(self, request: Request, trace: Trace) -> ResourceType | None:
        if not request.is_resource_request:
            return None
        rt = self.table().for_resource(request.group, request.version, request.resource)
        if rt is not None and not (request.subresource and not rt.has_subresource(request.subresource)):
            if request.verb not in rt.verbs:
                raise errors.method_not_supported(rt.group, rt.plural, request.verb)
            if rt.namespaced and not request.namespace and request.verb not in ("list", "watch", "deletecollection"):
                raise errors.not_found(rt.group, rt.plural, request.name)
            return rt
        trace.add("routing", "not found", f"no resource {request.resource!r} in {request.group or 'core'}/{request.version}")
        raise StatusError(404, "NotFound", "the server could not find the requested resource", {})


def attributes_for(request: Request, user: UserInfo) -> authz.Attributes:
    """The authorizer attributes kube-apiserver derives from a request (requestinfo.go)."""
    if not request.is_resource_request:
        return authz.Attributes(user, request.verb.lower(), resource_request=False, path=request.path)
    namespace = request.namespace
    name = request.name
    if request.resource == "namespaces" and request.group == "" and name:
        namespace = name  # GET /api/v1/namespaces/foo is "in" namespace foo
    if request.verb in ("list", "watch") and not name and request.field_selector:
        from kauth.api.labels import parse_field_selector

        for field_path, op, value in parse_field_selector(request.field_selector):
            if field_path == "metadata.name" and op == "=":
                name = value
    return authz.Attributes(user, request.verb, True, request.group, request.version, request.resource,
                            request.subresource, namespace, name)


__all__ = ["APIServer", "attributes_for", "NoKindMatch", "replace"]
