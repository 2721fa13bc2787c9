"""A fluent API for policy tests in Python, over the public `kauth.Cluster`:

    policy = PolicyCluster.from_policies("policies", objects=["manifests/configmap-config-dev.yaml"])
    assert policy.as_user("dana", groups=["dev-team"]).can("create", "deployments", namespace="dev")
    assert not policy.as_user("dana", groups=["dev-team"]).can("get", "secrets", namespace="dev")
    result = policy.as_serviceaccount("dev/ci").apply("manifests/deployment-configapp-env.yaml", namespace="dev")
    assert result.allowed, result          # the repr shows the code, the message and the trace
    assert result == "allowed"             # the same; pytest's failure report shows the whole trace
    result.status, result.reason, result.warnings, result.object

`can` asks the API server the question the request would ask it (authentication, impersonation, authorization:
`kubectl auth can-i`, but through the identity's real credential); writes are sent as server dry runs, so `can`
never changes the state. `apply`, `create`, `run` and `request` do change it: a test's actions accumulate, as on
a cluster (the pytest fixture gives each test its own copy).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from kauth.apiserver.request import Response
from kauth.cluster import Cluster
from kauth.testing import kubectl, report
from kauth.testing.runner import (build_request, classify, credentials_for, judged, mutated_fields, refusing_stage,
                                  service_account_token)
from kauth.testing.suite import Identity, RawRequest, _service_account

_WRITES = {"create", "update", "patch", "delete", "deletecollection"}


@dataclass(frozen=True)
class Answer:
    """Whether the API server would let the identity make the request; true when it would."""

    allowed: bool
    reason: str
    response: Response

    def __bool__(self) -> bool:
        return self.allowed

    def __repr__(self) -> str:
        lines = [f"<{'allowed' if self.allowed else 'denied'}: {self.reason}>"]
        lines += ["  " + line for line in report.trace_lines(self.response)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Result:
    """What a request or a command got: `.allowed`, `.result` (allowed/forbidden/unauthorized/invalid/error),
    `.status` (the HTTP code), `.reason`, `.message`, `.warnings`, `.object`, `.mutations`, and everything kubectl
    printed."""

    result: str
    response: Response | None
    responses: tuple[Response, ...] = ()
    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None

    @property
    def allowed(self) -> bool:
        return self.result == "allowed"

    def __eq__(self, other: object) -> bool:
        """`result == "forbidden"` compares the result word (pytest then shows the whole trace on failure)."""
        if isinstance(other, str):
            return self.result == other
        if isinstance(other, Result):
            return (self.result, self.response, self.stdout, self.stderr) == (
                other.result, other.response, other.stdout, other.stderr)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def status(self) -> int | None:
        return self.response.code if self.response is not None else None

    @property
    def reason(self) -> str:
        return self.response.reason if self.response is not None else ""

    @property
    def message(self) -> str:
        return self.response.message if self.response is not None else self.stderr.strip()

    @property
    def stage(self) -> str:
        return refusing_stage(self.response) if self.response is not None else ""

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.responses for w in r.warnings]

    @property
    def object(self) -> dict | None:
        return self.response.body if self.response is not None and self.response.ok else None

    @property
    def mutations(self) -> dict[str, list[str]]:
        """Each mutating admission plugin that changed the object → the paths of the fields it changed."""
        return mutated_fields(self.response) if self.response is not None else {}

    def __repr__(self) -> str:
        head = f"<{self.result}"
        if self.response is not None:
            head += f": {self.response.code} {self.reason}".rstrip()
            if self.message:
                head += f": {self.message}"
        elif self.stderr:
            head += f": {self.stderr.strip()}"
        lines = [head + ">"]
        if self.response is not None:
            lines += ["  " + line for line in report.trace_lines(self.response)]
        return "\n".join(lines)


class PolicyCluster:
    """A cluster to test policies on; `root` is where relative manifest paths are read from."""

    def __init__(self, cluster: Cluster, root: str | Path = ".") -> None:
        self.cluster = cluster
        self.root = Path(root).resolve()

    @classmethod
    def from_policies(cls, policies: str | Path | None = "policies", *, objects: Iterable[str | Path | dict] = (),
                      root: str | Path = ".") -> "PolicyCluster":
        """A fresh cluster as `kauth init` makes it from `policies` (None: the built-in defaults), plus
        `objects` (files, folders or dicts) created through the API server."""
        from kauth.kubectl.loader import read_manifests

        base = Path(root).resolve()
        folder = (base / policies).resolve() if policies is not None else None
        cluster = Cluster.in_memory(policies=folder)
        created: list[dict] = []
        for item in objects:
            if isinstance(item, dict):
                created.append(item)
                continue
            for document in read_manifests([str(base / item)], recursive=True):
                if document.error:
                    raise ValueError(document.error)
                created.append(document.obj)
        cluster.create_objects(created)
        return cls(cluster, base)

    def copy(self) -> "PolicyCluster":
        return PolicyCluster(self.cluster.copy(), self.root)

    # -- who ----------------------------------------------------------------------------------------------------

    def as_user(self, name: str, groups: Iterable[str] = (), uid: str = "") -> "Actor":
        return Actor(self, Identity(user=name, groups=tuple(groups), uid=uid))

    def as_serviceaccount(self, service_account: str) -> "Actor":
        """`dev/ci` or `system:serviceaccount:dev:ci`, with the groups a service-account token gives."""
        namespace, name = _service_account(service_account)
        if not namespace or not name:
            raise ValueError(f"{service_account!r} is not NAMESPACE/NAME or system:serviceaccount:NAMESPACE:NAME")
        return Actor(self, Identity(user=f"system:serviceaccount:{namespace}:{name}",
                                    groups=("system:serviceaccounts", f"system:serviceaccounts:{namespace}")))

    def with_token(self, token: str) -> "Actor":
        return Actor(self, Identity(token=token))

    def with_serviceaccount_token(self, service_account: str) -> "Actor":
        """A bound token the TokenRequest API issues for the ServiceAccount, verified when used."""
        namespace, name = _service_account(service_account)
        token = service_account_token(self.cluster, namespace, name)
        if isinstance(token, Response):
            raise LookupError(f"no token for ServiceAccount {namespace}/{name}: {token.message}")
        return Actor(self, Identity(token=token))

    def anonymous(self) -> "Actor":
        return Actor(self, Identity(anonymous=True))

    def as_admin(self) -> "Actor":
        return Actor(self, Identity())


@dataclass(frozen=True)
class Actor:
    """An identity on a cluster: ask what it may do, or do it."""

    policy: PolicyCluster
    identity: Identity

    def impersonating(self, user: str, groups: Iterable[str] = ()) -> "Actor":
        return replace(self, identity=replace(self.identity, as_user=user, as_groups=tuple(groups)))

    def can(self, verb: str, resource: str = "", name: str = "", *, namespace: str = "", subresource: str = "",
            group: str | None = None, path: str = "") -> Answer:
        """Would the API server authorize it? Sent through the pipeline as this identity; writes as dry runs."""
        raw = RawRequest(verb.lower(), resource, group, "", namespace, name, subresource, path=path,
                         dry_run=verb.lower() in _WRITES)
        response = self.policy.cluster.handle(self._request(raw))
        decided = next((s for s in response.trace if s.stage in ("authentication", "impersonation", "authorization")
                        and s.outcome not in ("ok", "allowed", "skipped")), None)
        if decided is not None:
            return Answer(False, decided.message, response)
        step = next((s for s in response.trace if s.stage == "authorization"), None)
        return Answer(True, step.message if step is not None else "allowed", response)

    def request(self, verb: str, resource: str = "", name: str = "", *, namespace: str = "", subresource: str = "",
                group: str | None = None, body: Any = None, path: str = "", patch_type: str = "",
                dry_run: bool = False) -> Result:
        raw = RawRequest(verb.lower(), resource, group, "", namespace, name, subresource, body, path, patch_type,
                         dry_run)
        response = self.policy.cluster.handle(self._request(raw))
        return Result(classify(response), response, (response,))

    def run(self, command_line: str, namespace: str = "") -> Result:
        """A kubectl command line (without `kubectl`), run by kauth's kubectl layer in the cluster's root."""
        credentials, impersonate = credentials_for(self.identity)
        words = kubectl.prepare(command_line, namespace)
        command = kubectl.run(self.policy.cluster, words, credentials, impersonate, cwd=self.policy.root)
        response, result = judged(command.responses, command.exit_code)
        return Result(result, response, command.responses, command.stdout, command.stderr, command.exit_code)

    def apply(self, filename: str | Path, namespace: str = "") -> Result:
        return self.run(f"apply -f {_quoted(filename)}", namespace)

    def create(self, filename: str | Path, namespace: str = "") -> Result:
        return self.run(f"create -f {_quoted(filename)}", namespace)

    def _request(self, raw: RawRequest):
        credentials, impersonate = credentials_for(self.identity)
        return build_request(self.policy.cluster, raw, credentials, impersonate)


def _quoted(path: str | Path) -> str:
    import shlex

    return shlex.quote(str(path))
