"""The client side: how kubectl talks to the API server. Every read and write is a Request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kauth.api.fields import json_copy
from kauth.api.resources import ResourceTable, ResourceType
from kauth.apiserver.request import Credentials, Impersonation, Request, Response
from kauth.authn.user import CLUSTER_ADMIN

FIELD_MANAGERS = {"create": "kubectl-create", "replace": "kubectl-replace", "patch": "kubectl-patch",
                  "apply": "kubectl-client-side-apply"}

_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def validation_directive(value: str) -> str:
    """`--validate` as the fieldValidation query parameter (cmd/util/helpers.go GetValidationDirective):
    strconv.ParseBool first, then the three words, case-sensitively."""
    if value in _GO_BOOLS:
        return "Strict" if _GO_BOOLS[value] else "Ignore"
    directive = {"strict": "Strict", "warn": "Warn", "ignore": "Ignore"}.get(value)
    if directive is None:
        from kauth.api.errors import ClientError

        raise ClientError(f"invalid - validate option {json.dumps(value)}; must be one of: strict (or true), warn, "
                          "ignore (or false)")
    return directive


@dataclass
class Client:
    """A kubectl invocation's connection: identity, default namespace, and every response it got."""

    server: Any  # anything with handle(Request) -> Response and table() -> ResourceTable
    credentials: Credentials = field(default_factory=lambda: Credentials(asserted_user=CLUSTER_ADMIN))
    impersonate: Impersonation | None = None
    namespace: str = "default"
    namespace_explicit: bool = False  # -n was given: objects from files must agree with it
    responses: list[Response] = field(default_factory=list)

    def table(self) -> ResourceTable:
        """What discovery tells kubectl the server serves."""
        return self.server.table()

    def send(self, verb: str, rt: ResourceType, namespace: str = "", name: str = "", body: Any = None,
             **options: Any) -> Response:
        if verb in ("create", "update") and isinstance(body, dict):
            body = json_copy(body, sort_keys=True)  # kubectl marshals its unstructured map: keys sorted at every level
        if verb == "create" and isinstance(body, dict) and isinstance(body.get("metadata"), dict):
            body["metadata"].pop("resourceVersion", None)  # resource.Helper.Create(modify=true) clears it
        request = Request(verb, rt.group, rt.version, rt.plural, namespace if rt.namespaced else "", name,
                          body=body, credentials=self.credentials, impersonate=self.impersonate, **options)
        response = self.server.handle(request)
        self.responses.append(response)
        return response
