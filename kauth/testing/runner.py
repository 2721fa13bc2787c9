"""The policy test runner: build a suite's starting state once, run each case on its own copy of it, and judge
the responses against the case's expectations.

Each case starts from the same state. Copies are made lazily: a case whose requests left the store as they found
it (the same revision: nothing was written) hands its copy to the next case, which therefore also starts from
the suite's starting state; a case that wrote anything gets its copy thrown away. So a suite of reads costs one
copy, and a suite of writes one copy per case.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from kauth.admission.chain import REINVOCATION
from kauth.apiserver.request import REFUSALS, Credentials, Impersonation, Request, Response, TraceStep
from kauth.authn.user import CLUSTER_ADMIN, UserInfo
from kauth.cluster import Cluster
from kauth.testing import kubectl
from kauth.testing.suite import Case, Expectation, Identity, RawRequest, Suite, SuiteError

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


@dataclass
class CaseResult:
    suite: Suite
    case: Case
    status: str  # "passed" | "failed" | "skipped"
    failures: list[str] = field(default_factory=list)  # "expected ..., got ..." lines
    result: str = ""  # allowed | forbidden | unauthorized | invalid | error
    response: Response | None = None  # the response the result was judged on
    responses: tuple[Response, ...] = ()
    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def id(self) -> str:
        return f"{self.suite.name}::{self.case.name}"


# -- the starting state --------------------------------------------------------------------------------------

class StartStates:
    """Builds each suite's starting state; a fresh bootstrapped cluster per policies directory is made once per
    run (bootstrapping sends some 200 objects through the pipeline) and copied for every suite that uses it."""

    def __init__(self, policies: Path | None = None) -> None:
        self.policies = policies  # `kauth test --policies`, for suites that do not name theirs
        self._fresh: dict[Path | None, Cluster] = {}

    def policies_for(self, suite: Suite) -> Path | None:
        from kauth.cluster import policies_dir

        if suite.policies_given:
            return suite.policies
        return self.policies if self.policies is not None else policies_dir()

    def build(self, suite: Suite) -> Cluster:
        policies = self.policies_for(suite)
        if suite.state is None:
            if policies not in self._fresh:
                self._fresh[policies] = Cluster.in_memory(policies=policies)
            cluster = self._fresh[policies].copy()
        elif suite.state.suffix == ".db":
            from kauth.cluster import StateMissing

            try:
                with Cluster.open(suite.state, policies=policies) as stored:
                    cluster = stored.copy()
            except StateMissing as err:
                raise SuiteError(suite.file, f"state: {err}") from None
        else:
            cluster = _imported(suite, policies)
        objects = _objects(suite)
        try:
            cluster.create_objects(objects)
        except (RuntimeError, LookupError, KeyError) as err:
            raise SuiteError(suite.file, f"objects: {err}") from None
        return cluster


def _imported(suite: Suite, policies: Path | None) -> Cluster:
    from kauth.kubectl.loader import read_manifests
    from kauth.state import import_state

    cluster = Cluster.in_memory(bootstrap=False, policies=policies)
    documents = read_manifests([str(suite.state)])
    bad = [d.error for d in documents if d.error]
    if bad:
        raise SuiteError(suite.file, f"state: {bad[0]}")
    try:
        import_state(cluster.store, [d.obj for d in documents], cluster.server.table())
    except Exception as err:  # import_state reports bad objects as ClientError
        raise SuiteError(suite.file, f"state: {getattr(err, 'message', err)}") from None
    return cluster


def _objects(suite: Suite) -> list[dict]:
    from kauth.kubectl.loader import read_manifests

    out: list[dict] = []
    for item in suite.objects:
        if isinstance(item, dict):
            out.append(item)
            continue
        for document in read_manifests([str(item)], recursive=True):
            if document.error:
                raise SuiteError(suite.file, f"objects: {document.error}")
            out.append(document.obj)
    return out


class _Copies:
    """Copies of one starting state for the cases, reused while nothing has written to them."""

    def __init__(self, start: Cluster) -> None:
        self.start = start
        self.revision = start.store.revision()
        self._spare: Cluster | None = None
        self.made = 0

    def take(self) -> Cluster:
        if self._spare is not None:
            cluster, self._spare = self._spare, None
            return cluster
        self.made += 1
        return self.start.copy()

    def give_back(self, cluster: Cluster) -> None:
        if cluster.store.revision() == self.revision:
            self._spare = cluster


# -- running ------------------------------------------------------------------------------------------------

def run_suites(suites: Iterable[Suite], *, policies: Path | None = None, keyword: str = "",
               on_result=None, states: StartStates | None = None) -> tuple[list[CaseResult], dict[str, Cluster]]:
    """Run every case (whose id contains `keyword`, when given); returns the results in order and each suite's
    starting state by file (coverage reads its inventory from them). `on_result(result)` is called as each
    case finishes; `states` may be shared between runs (its fresh clusters are reused)."""
    states = states if states is not None else StartStates(policies)
    results: list[CaseResult] = []
    starts: dict[str, Cluster] = {}
    for suite in suites:
        cases = [c for c in suite.cases if not keyword or keyword.lower() in f"{suite.name}::{c.name}".lower()]
        if not cases:
            continue
        start = states.build(suite)
        starts[str(suite.file)] = start
        copies = _Copies(start)
        for case in cases:
            result = run_case(suite, case, copies)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results, starts


def run_case(suite: Suite, case: Case, copies: "_Copies") -> CaseResult:
    if case.skip:
        return CaseResult(suite, case, "skipped", [case.skip])
    began = time.perf_counter()
    cluster = copies.take()
    try:
        result = _run(suite, case, cluster)
    finally:
        copies.give_back(cluster)
    result.seconds = time.perf_counter() - began
    return result


def credentials_for(identity: Identity) -> tuple[Credentials, Impersonation | None]:
    if identity.anonymous:
        credentials = Credentials()
    elif identity.token:
        credentials = Credentials(bearer_token=identity.token)
    elif identity.user:
        credentials = Credentials(asserted_user=UserInfo(identity.user, identity.uid, identity.groups))
    else:
        credentials = ADMIN
    impersonate = Impersonation(identity.as_user, identity.as_groups) if identity.as_user else None
    return credentials, impersonate


class CredentialError(Exception):
    """The case's credential could not be made (no such ServiceAccount, no CA key, a bad kubeconfig)."""


def case_credentials(identity: Identity, cluster: Cluster) -> tuple[Credentials, Impersonation | None]:
    """What the case's requests carry: the identity's credential, made on the case's cluster when it is one the
    cluster issues (a ServiceAccount token, a client certificate)."""
    credentials, impersonate = credentials_for(identity)
    if identity.service_account_token:
        token = service_account_token(cluster, *identity.service_account_token)
        if isinstance(token, Response):
            raise CredentialError(f"could not get a token for ServiceAccount "
                                  f"{'/'.join(identity.service_account_token)}: {token.code} {token.reason}: "
                                  f"{token.message}")
        credentials = Credentials(bearer_token=token)
    elif identity.certificate or identity.kubeconfig:
        try:
            credentials = (certificate_credentials(cluster.policies, *identity.certificate) if identity.certificate
                           else kubeconfig_credentials(*identity.kubeconfig))
        except (OSError, ValueError) as err:
            raise CredentialError(f"could not make the case's credential: {err}") from None
    return credentials, impersonate


def judged(responses: tuple[Response, ...], exit_code: int) -> tuple[Response | None, str]:
    """A command's judged response and result word."""
    response = decisive(responses, exit_code)
    if exit_code != 0 and (response is None or response.ok):
        return response, "error"  # kubectl failed before (or without) a refused request: its message says why
    return response, classify(response) if response is not None else "error"


def _run(suite: Suite, case: Case, cluster: Cluster) -> CaseResult:
    out = CaseResult(suite, case, "passed")
    try:
        credentials, impersonate = case_credentials(case.identity, cluster)
    except CredentialError as err:
        out.result, out.status, out.failures = "error", "failed", [str(err)]
        return out
    if case.run:
        words = kubectl.prepare(case.run, case.namespace)
        command = kubectl.run(cluster, words, credentials, impersonate, cwd=suite.root,
                              kubeconfig=case.identity.kubeconfig)
        out.stdout, out.stderr, out.exit_code, out.responses = (command.stdout, command.stderr, command.exit_code,
                                                                command.responses)
        out.response, out.result = judged(command.responses, command.exit_code)
    else:
        try:
            request = build_request(cluster, case.request, credentials, impersonate)
        except LookupError as err:
            out.result, out.stderr = "error", f"error: {err.args[0] if err.args else err}"
        else:
            out.response = cluster.handle(request)
            out.responses = (out.response,)
            out.result = classify(out.response)
    out.failures = judge(case.expect, out, cluster)
    out.status = "failed" if out.failures else "passed"
    return out


def service_account_token(cluster: Cluster, namespace: str, name: str) -> str | Response:
    """A bound token for the ServiceAccount, from the TokenRequest API as the admin asks for it (`kauth create
    token`); the refusing response when there is none to have."""
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {}, "spec": {}}
    response = cluster.handle(Request("create", "", "v1", "serviceaccounts", namespace, name, "token", body,
                                      credentials=ADMIN))
    if not response.ok:
        return response
    return response.body["status"]["token"]


def certificate_credentials(policies: Path | None, user: str, groups: tuple[str, ...]) -> Credentials:
    """A client certificate (CN=user, O=each group) signed by the cluster CA in `<policies>/pki`, as `kauth certs
    issue` makes them."""
    if policies is None:
        raise ValueError("a certificate identity needs a policies directory with pki/ca.crt and pki/ca.key")
    return Credentials(client_cert_pem=_issued(str(policies), user, groups))


@functools.lru_cache(maxsize=64)
def _issued(policies: str, user: str, groups: tuple[str, ...]) -> bytes:
    """One certificate per CA and identity for the whole run: a new key pair costs tens of milliseconds."""
    from kauth.authn.x509 import issue

    folder = Path(policies) / "pki"
    cert, _key = issue((folder / "ca.crt").read_bytes(), (folder / "ca.key").read_bytes(), common_name=user,
                       organizations=groups, days=1)
    return cert


def kubeconfig_credentials(file: str, context: str, user: str) -> Credentials:
    from kauth.api.errors import ClientError
    from kauth.kubectl.kubeconfig import resolve

    try:
        identity = resolve(kubeconfig=file, context=context or None, user=user or None)
    except ClientError as err:
        raise ValueError(err.message) from None
    if identity is None:
        raise ValueError(f"{file} names no user")
    return identity.credentials


def build_request(cluster: Cluster, raw: RawRequest, credentials: Credentials,
                  impersonate: Impersonation | None) -> Request:
    if raw.path:
        return Request(raw.verb, path=raw.path, credentials=credentials, impersonate=impersonate)
    table = cluster.table()
    name = raw.resource if raw.group is None else (f"{raw.resource}.{raw.group}" if raw.group else raw.resource)
    if raw.version and raw.group is not None:
        rt = table.for_resource(raw.group, raw.version, raw.resource)
        if rt is None:
            raise LookupError(f'the server doesn\'t have a resource type "{raw.resource}" in '
                              f'{raw.group or "core"}/{raw.version}')
    else:
        rt = table.resolve(name)  # raises NoKindMatch (a LookupError) with kubectl's words
        if raw.group == "" and rt.group != "":
            raise LookupError(f'the server doesn\'t have a resource type "{raw.resource}" in the core group')
    body = raw.body
    if raw.verb in ("create", "update") and isinstance(body, dict) and rt.namespaced:
        body = dict(body)
    return Request(raw.verb, rt.group, raw.version or rt.version, rt.plural, raw.namespace if rt.namespaced else "",
                   raw.name, raw.subresource, body, raw.patch_type or ("merge" if raw.verb == "patch" else ""),
                   raw.dry_run, field_validation=raw.field_validation, credentials=credentials,
                   impersonate=impersonate)


def decisive(responses: tuple[Response, ...], exit_code: int) -> Response | None:
    """The response a command's result is judged on: the last refused one when the command failed, else the last."""
    if not responses:
        return None
    if exit_code != 0:
        refused = [r for r in responses if not r.ok]
        if refused:
            return refused[-1]
    return responses[-1]


def classify(response: Response) -> str:
    code = response.code
    if 200 <= code < 300:
        return "allowed"
    if code == 401:
        return "unauthorized"
    if code == 403:
        return "forbidden"
    if code in (400, 422):
        return "invalid"
    # 404, 409, 405...: an answer only a request that got through authorization and admission receives
    if code < 500 and authorization_step(response) is not None and authorization_step(response).outcome == "allowed" \
            and not any(s.stage.endswith("admission") and s.outcome in REFUSALS for s in response.trace):
        return "allowed"
    return "error"


def authorization_step(response: Response) -> TraceStep | None:
    return next((s for s in response.trace if s.stage == "authorization"), None)


def mutating_plugins(response: Response) -> list[str]:
    """The mutating admission plugins (and policies) that changed the object, in the order they ran (once each)."""
    return list(dict.fromkeys(step.stage for step in _mutations_made(response)))


def mutated_fields(response: Response) -> dict[str, list[str]]:
    """Each mutating admission plugin that changed the object → the paths of the fields it changed."""
    fields: dict[str, list[str]] = {}
    for step in _mutations_made(response):
        fields.setdefault(step.stage, []).extend(getattr(step.details.get("changes"), "paths", ()))
    return fields


def _mutations_made(response: Response) -> Iterator[TraceStep]:
    """The steps of the mutating plugins that changed the object, the reinvocation's second pass included."""
    for step in response.trace:
        if step.stage == "mutating admission":
            for child in step.children:
                passes = child.children if child.stage == REINVOCATION else (child,)
                yield from (s for s in passes if s.outcome == "mutated")


def refusing_stage(response: Response) -> str:
    """The pipeline stage that refused the request (the last one the trace reached)."""
    if response.ok or not response.trace:
        return ""
    return response.trace[-1].stage


# -- judging --------------------------------------------------------------------------------------------------

def judge(expect: Expectation, out: CaseResult, cluster: Cluster) -> list[str]:
    failures: list[str] = []
    response = out.response
    got = _got(response)
    if expect.result and expect.result != out.result:
        failures.append(f"expected {expect.result}, got {out.result} ({got})")
    if expect.code is not None and (response is None or response.code != expect.code):
        failures.append(f"expected code {expect.code}, got {got}")
    if expect.reason is not None and (response is None or _reason(response) != expect.reason):
        failures.append(f"expected reason {expect.reason!r}, got {_reason(response)!r}" if response
                        else f"expected reason {expect.reason!r}, got no response")
    if expect.message is not None:
        message = response.message if response is not None else out.stderr
        if expect.message not in message:
            failures.append(f"expected the message to contain {expect.message!r}, got {message!r}")
    if expect.stage is not None:
        stage = refusing_stage(response) if response is not None else ""
        if stage != expect.stage:
            failures.append(f"expected a refusal at stage {expect.stage!r}, got "
                            f"{repr(stage) if stage else 'no refusal'} ({got})")
    if expect.authorized_by is not None:
        step = authorization_step(response) if response is not None else None
        reason = step.message if step is not None and step.outcome == "allowed" else ""
        if expect.authorized_by not in reason:
            failures.append(f"expected authorization by {expect.authorized_by!r}, got "
                            f"{repr(reason) if reason else 'no allowing authorization'} ({got})")
    if expect.warnings is not None:
        warnings = [w for r in out.responses for w in r.warnings]
        if not expect.warnings and warnings:
            failures.append(f"expected no warnings, got {warnings}")
        for wanted in expect.warnings:
            if not any(wanted in w for w in warnings):
                failures.append(f"expected a warning containing {wanted!r}, got {warnings or 'none'}")
    if expect.mutated_by is not None:
        mutated = mutating_plugins(response) if response is not None else []
        if not expect.mutated_by and mutated:
            failures.append(f"expected no admission plugin to mutate the object, got {', '.join(mutated)}")
        missing = [p for p in expect.mutated_by if p not in mutated]
        if missing:
            failures.append(f"expected {', '.join(missing)} to mutate the object, got "
                            f"{', '.join(mutated) if mutated else 'no mutation'}")
    if expect.mutations is not None:
        failures.extend(_judge_mutations(expect.mutations, mutated_fields(response) if response is not None else {}))
    if expect.object is not None:
        body = response.body if response is not None and response.ok else None
        if body is None:
            failures.append(f"expected an object, got {got}")
        else:
            failures.extend(f"object: {m}" for m in mismatches(expect.object, body))
    if expect.stored is not None or expect.stored_absent:
        failures.extend(_judge_stored(expect, response, cluster, out.case))
    if expect.exit_code is not None and out.exit_code != expect.exit_code:
        failures.append(f"expected exit code {expect.exit_code}, got {out.exit_code}")
    for stream in ("stdout", "stderr"):
        wanted = getattr(expect, stream)
        if wanted is not None and wanted not in getattr(out, stream):
            failures.append(f"expected {stream} to contain {wanted!r}, got {getattr(out, stream)!r}")
    return failures


def _judge_mutations(expected: dict[str, tuple[str, ...]], changed: dict[str, list[str]]) -> list[str]:
    failures = []
    for plugin, paths in expected.items():
        made = [p for fields in changed.values() for p in fields] if not plugin else changed.get(plugin, [])
        by = f"{plugin} " if plugin else "admission "
        for wanted in paths:
            if not any(p == wanted or p.startswith((wanted + ".", wanted + "[")) for p in made):
                failures.append(f"expected {by}to change {wanted}, it changed {', '.join(made) or 'nothing'}")
    return failures


def _got(response: Response | None) -> str:
    if response is None:
        return "no request was sent"
    reason = _reason(response)
    return f"{response.code} {reason}".strip()


_OK_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "NoContent"}


def _reason(response: Response | None) -> str:
    if response is None:
        return ""
    return _OK_REASONS.get(response.code, "") if response.ok else response.reason


def _judge_stored(expect: Expectation, response: Response | None, cluster: Cluster, case: Case) -> list[str]:
    pattern = expect.stored or {}
    target = _stored_target(pattern, response, cluster, case)
    if isinstance(target, str):
        return [f"stored: {target}"]
    group, version, plural, namespace, name = target
    live = cluster.handle(Request("get", group, version, plural, namespace, name, credentials=ADMIN))
    where = f"{plural}{'.' + group if group else ''} {namespace + '/' if namespace else ''}{name}"
    if expect.stored_absent:
        return [] if live.code == 404 else [f"expected {where} not to be stored, but it is"]
    if not live.ok:
        return [f"expected {where} to be stored, got {live.code} {live.reason}: {live.message}"]
    return [f"stored {where}: {m}" for m in mismatches(pattern, live.body)]


def _stored_target(pattern: dict, response: Response | None, cluster: Cluster, case: Case):
    meta = pattern.get("metadata") if isinstance(pattern.get("metadata"), dict) else {}
    table = cluster.table()
    if pattern.get("kind") and pattern.get("apiVersion") and meta.get("name"):
        try:
            rt = table.for_kind(pattern["apiVersion"], pattern["kind"])
        except LookupError as err:
            return str(err)
        namespace = (meta.get("namespace") or case.namespace or "default") if rt.namespaced else ""
        return rt.group, rt.version, rt.plural, namespace, meta["name"]
    if response is None or not response.request.is_resource_request:
        return "which object? name it with apiVersion, kind and metadata.name (the case sent no resource request)"
    request = response.request
    body_meta = (response.body or {}).get("metadata") or {} if response.ok else {}
    request_body_meta = (request.body or {}).get("metadata") or {} if isinstance(request.body, dict) else {}
    name = request.name or body_meta.get("name") or request_body_meta.get("name") or meta.get("name")
    if not name:
        return "which object? the request named none: give apiVersion, kind and metadata.name"
    return request.group, request.version, request.resource, request.namespace, name


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """How `actual` fails to contain `expected`: mappings by key (extra keys are fine), lists element by element
    (the same length), anything else by equality."""
    where = path or "(the object)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a mapping, got {_short(actual)}"]
        out = []
        for key, value in expected.items():
            child = f"{path}.{key}" if path else str(key)
            if key not in actual:
                out.append(f"{child}: expected {_short(value)}, got nothing")
            else:
                out.extend(mismatches(value, actual[key], child))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {_short(actual)}"]
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}: {_short(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(mismatches(e, a, f"{path}[{i}]"))
        return out
    if expected != actual:
        return [f"{where}: expected {_short(expected)}, got {_short(actual)}"]
    return []


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
