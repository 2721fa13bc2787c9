"""The policy test suite format: a YAML file of cases, each an identity, an action and expectations.

A suite file (paths in it are relative to `root`, which is relative to the file; default: the file's folder):

    name: dev team                    # default: the file name
    root: ..                          # paths below are relative to this folder
    policies: policies                # the policies directory (default: `kauth test --policies`,
                                      #   $KAUTH_POLICIES, ./policies when present, else the built-in defaults)
    state: fresh                      # fresh (default): a new in-memory cluster as `kauth init` makes it;
                                      #   or a state file (.db, from `kauth init`) or a List (`kauth state export`)
    objects:                          # created in order, through the API server, before any case
      - manifests/configmap-config-dev.yaml       # a file or a folder of YAML/JSON
      - {apiVersion: v1, kind: Secret, metadata: {name: db, namespace: dev}, stringData: {password: s3cret}}
    defaults:                         # keys every case gets unless it sets them itself (a case's own identity
      namespace: dev                  #   or action replaces the defaults' whole identity or action)
    cases:
      - name: dana may create deployments in dev
        user: dana                    # an asserted identity: no credential, as a SubjectAccessReview
        groups: [dev-team]            #   (system:authenticated is added, as kube-apiserver adds it)
        run: create -f manifests/deployment-configapp-env.yaml -n dev    # a kubectl command line
        expect: allowed
      - name: dana may not read secrets
        token: dana-dev-token-0123456789abcdef    # a bearer token, authenticated for real (tokens.csv)
        request: {verb: get, resource: secrets, namespace: dev, name: db}
        expect:
          result: forbidden
          message: cannot get resource "secrets"

Identity (at most one; default: the kubeadm admin in system:masters, as the CLI acts):
  `user` + `groups`; `serviceaccount: dev/ci` (or `system:serviceaccount:dev:ci`: the user with the groups a
  service-account token gives); `serviceaccount-token: dev/ci` (a bound token the TokenRequest API issues for it,
  verified by the service-account authenticator); `token`; `certificate: {user, groups}` (a client certificate
  signed by `<policies>/pki/ca.key`, verified by the x509 authenticator); `kubeconfig: FILE` or {file, context,
  user} (the credential it names); `anonymous: true` (no credentials); plus `as` / `as-groups`
  (impersonation, by whoever the identity is). A `run` line may carry kubectl's own identity flags
  (`--as`, `--token`, `--kubeconfig`) instead.

Action (exactly one): `run: <kubectl command line>` (kauth's kubectl layer, with kubectl's flags, run in `root`;
  the case's `namespace` adds `-n` when the line has none), or
  `request:` {verb, resource (`deployments`, `deployments.apps`), group, version, namespace (default: the case's
  `namespace`), name, subresource, body (an object) or file (a manifest), patch_type, dry_run} or {verb, path}
  for a non-resource URL.

Expectations (`expect:`, all optional; a bare word is `result`):
  result: allowed | forbidden | unauthorized | invalid | error
     allowed      authenticated, authorized and admitted (2xx, or an answer only an authorized request
                  gets: 404 NotFound, 409 AlreadyExists/Conflict, 405); add `code: 200` to demand success
     forbidden    403: RBAC, impersonation or an admission plugin said no
     unauthorized 401: the credential was bad
     invalid      422 Invalid or 400 BadRequest: the object or request was refused as malformed
     error        anything else, or kubectl failed before sending (its message is in stderr)
  code, reason (exact); message (contained in the Status message); stage (the pipeline stage that decided a
  refusal: authentication, impersonation, authorization, mutating admission, validation, validating admission,
  ...); authorized_by (contained in the authorization reason: `RoleBinding "x/dev"`); warnings (a list, each
  contained in some warning; [] means none); mutated_by (the mutating admission plugins that changed the
  object, e.g. [ServiceAccount, DefaultTolerationSeconds]; [] means none did); mutations (the fields they changed:
  `[spec.tolerations]` by any plugin, or `{ServiceAccount: [spec.serviceAccountName, spec.volumes]}` per plugin; a
  path also matches the changes below it, `spec.volumes` matches `spec.volumes[1]`); object (a subset of the response's
  object); stored (a subset of the object as stored afterwards, read back as the admin: the object its
  apiVersion/kind/metadata name, else the one the request wrote); stored_absent: true; and for `run`:
  exit_code, stdout, stderr (contained). A case may also say `skip: REASON`.

A command that sends several requests is judged on its last refused response when it failed, else on its last.
examples/README.md walks through the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

RESULTS = ("allowed", "forbidden", "unauthorized", "invalid", "error")
SUITE_KEYS = {"name", "root", "policies", "state", "objects", "defaults", "cases"}
IDENTITY_KEYS = ("user", "serviceaccount", "serviceaccount-token", "token", "certificate", "kubeconfig", "anonymous")
CASE_KEYS = {"name", "user", "groups", "uid", "serviceaccount", "serviceaccount-token", "token", "certificate",
             "kubeconfig", "anonymous", "as", "as-groups", "run",
             "request", "expect", "namespace", "skip"}
REQUEST_KEYS = {"verb", "resource", "group", "version", "namespace", "name", "subresource", "body", "file", "path",
                "patch_type", "dry_run", "field_validation"}
EXPECT_KEYS = {"result", "code", "reason", "message", "stage", "authorized_by", "warnings", "mutated_by", "mutations",
               "object", "stored", "stored_absent", "exit_code", "stdout", "stderr"}
# kauth's commands that manage state files or processes: they send nothing through a case's cluster.
NOT_KUBECTL = {"init", "serve", "state", "certs", "test"}
VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
NON_RESOURCE_VERBS = {"get", "head", "post", "put", "patch", "delete", "options"}


class SuiteError(Exception):
    """A suite that cannot be run: the message names the file and, when it is one case's fault, the case."""

    def __init__(self, file: str | Path, message: str, case: str = "") -> None:
        self.file, self.case, self.detail = str(file), case, message
        super().__init__(f"{file}: {case + ': ' if case else ''}{message}")


@dataclass(frozen=True)
class Identity:
    """Who a case's request comes from. All empty: the kubeadm admin (system:masters), as the CLI acts."""

    user: str = ""
    groups: tuple[str, ...] = ()
    uid: str = ""
    token: str = ""
    anonymous: bool = False
    as_user: str = ""  # impersonation
    as_groups: tuple[str, ...] = ()
    service_account_token: tuple[str, str] | None = None  # (namespace, name): a bound token from TokenRequest
    certificate: tuple[str, tuple[str, ...]] | None = None  # (CN, Os): a client certificate the cluster CA signs
    kubeconfig: tuple[str, str, str] | None = None  # (file, context, user): the credential a kubeconfig names

    def describe(self) -> str:
        who = ("anonymous" if self.anonymous else f"token {self.token[:6]}..." if self.token
               else "a token of ServiceAccount " + "/".join(self.service_account_token) if self.service_account_token
               else f"a certificate for {self.certificate[0]}" + (f" ({', '.join(self.certificate[1])})"
                                                                   if self.certificate[1] else "") if self.certificate
               else f"kubeconfig {self.kubeconfig[0]}" if self.kubeconfig
               else self.user + (f" ({', '.join(self.groups)})" if self.groups else "") if self.user else "admin")
        if self.as_user:
            who += f" as {self.as_user}" + (f" ({', '.join(self.as_groups)})" if self.as_groups else "")
        return who


@dataclass(frozen=True)
class RawRequest:
    verb: str
    resource: str = ""
    group: str | None = None  # None: resolved from the resource name, as kubectl does
    version: str = ""
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    body: Any = None
    path: str = ""
    patch_type: str = ""
    dry_run: bool = False
    field_validation: str = ""


@dataclass(frozen=True)
class Expectation:
    result: str = ""
    code: int | None = None
    reason: str | None = None
    message: str | None = None
    stage: str | None = None
    authorized_by: str | None = None
    warnings: tuple[str, ...] | None = None
    mutated_by: tuple[str, ...] | None = None
    object: Any = None
    stored: Any = None
    stored_absent: bool = False
    exit_code: int | None = None
    stdout: str | None = None
    stderr: str | None = None
    # plugin (or "" for any) → the fields mutating admission must have changed
    mutations: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    identity: Identity
    expect: Expectation
    run: str = ""  # a kubectl command line, or
    request: RawRequest | None = None  # a raw request
    namespace: str = ""  # the default namespace of `run` (its -n wins) and of a `request` naming none
    skip: str = ""  # a reason: the case is reported, not run


@dataclass(frozen=True)
class Suite:
    file: Path
    name: str
    root: Path
    policies: Path | None  # None: resolved by the runner (--policies, $KAUTH_POLICIES, ./policies)
    policies_given: bool
    state: Path | None  # None: fresh
    objects: tuple[Any, ...]  # Paths and inline dicts, in order
    cases: tuple[Case, ...] = field(default=())


def load(path: str | Path) -> Suite:
    """Read and check one suite file; any problem is a SuiteError naming the file (and the case)."""
    import yaml

    from kauth.api.yaml11 import load_config

    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise SuiteError(path, f"cannot read: {err.strerror or err}") from None
    try:
        data = load_config(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise SuiteError(path, f"not valid YAML: {where}{problem}") from None
    return parse(data, path)


def parse(data: Any, path: Path) -> Suite:
    if not isinstance(data, dict):
        raise SuiteError(path, "a suite is a mapping with a `cases` list")
    _no_unknown(data, SUITE_KEYS, path, "", "suite")
    root = (path.parent / _string(data.get("root", "."), path, "", "root")).resolve()
    policies = data.get("policies")
    policies_path = (root / _string(policies, path, "", "policies")).resolve() if policies is not None else None
    if policies_path is not None and not policies_path.is_dir():
        raise SuiteError(path, f"policies: no such directory: {policies_path}")
    state_text = _string(data.get("state", "fresh"), path, "", "state")
    state = None if state_text == "fresh" else (root / state_text).resolve()
    if state is not None and not state.is_file():
        raise SuiteError(path, f"state: no such file: {state} (or `fresh` for a new cluster)")
    objects = []
    raw_objects = data.get("objects") or []
    if not isinstance(raw_objects, list):
        raise SuiteError(path, "objects: must be a list of files, folders or objects")
    for i, item in enumerate(raw_objects, 1):
        if isinstance(item, str):
            target = (root / item).resolve()
            if not target.exists():
                raise SuiteError(path, f"objects[{i}]: no such file or folder: {target}")
            objects.append(target)
        elif isinstance(item, dict) and item.get("apiVersion") and item.get("kind"):
            objects.append(item)
        else:
            raise SuiteError(path, f"objects[{i}]: must be a path or an object with apiVersion and kind")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SuiteError(path, "defaults: must be a mapping of case keys")
    _no_unknown(defaults, CASE_KEYS - {"name"}, path, "", "defaults")
    cases_data = data.get("cases")
    if not isinstance(cases_data, list) or not cases_data:
        raise SuiteError(path, "cases: must be a non-empty list")
    cases = []
    seen: set[str] = set()
    for index, raw in enumerate(cases_data, 1):
        case = _case(_with_defaults(defaults, raw) if isinstance(raw, dict) else raw, index, path, root)
        if case.name in seen:
            raise SuiteError(path, "the name is used by an earlier case", _label(index, case.name))
        seen.add(case.name)
        cases.append(case)
    name = _string(data.get("name", path.stem), path, "", "name")
    return Suite(path, name, root, policies_path, policies is not None, state, tuple(objects), tuple(cases))


def _with_defaults(defaults: dict, raw: dict) -> dict:
    """The case's keys over the defaults; a case naming its own identity (or action) replaces the defaults' whole
    identity (or action), so `token:` in a case is not "two identities" beside a default `user:`."""
    merged = {**defaults, **raw}
    groups = ((set(IDENTITY_KEYS), {"groups", "uid"}), ({"run"}, {"request"}), ({"request"}, {"run"}))
    for own, dropped in groups:
        if own & set(raw):
            for key in (own | dropped) - set(raw):
                merged.pop(key, None)
    return merged


def _label(index: int, name: Any) -> str:
    return f'case {index} ("{name}")' if isinstance(name, str) and name else f"case {index}"


def _no_unknown(data: dict, allowed: set[str], path: Path, case: str, what: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise SuiteError(path, f"{what}: unknown key {unknown[0]!r} (expected one of: "
                               f"{', '.join(sorted(allowed))})", case)


def _string(value: Any, path: Path, case: str, key: str) -> str:
    if not isinstance(value, str):
        raise SuiteError(path, f"{key}: must be a string, not {type(value).__name__}", case)
    return value


def _strings(value: Any, path: Path, case: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SuiteError(path, f"{key}: must be a list of strings", case)
    return tuple(value)


def _case(raw: Any, index: int, path: Path, root: Path) -> Case:
    if not isinstance(raw, dict):
        raise SuiteError(path, "a case is a mapping (name, identity, run or request, expect)", _label(index, None))
    label = _label(index, raw.get("name"))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SuiteError(path, "name: every case needs a name", label)
    _no_unknown(raw, CASE_KEYS, path, label, "case")
    identity = _identity(raw, path, label, root)
    has_run, has_request = "run" in raw, "request" in raw
    if has_run == has_request:
        raise SuiteError(path, "a case needs exactly one action: `run` (a kubectl command line) or `request`", label)
    run = _string(raw["run"], path, label, "run").strip() if has_run else ""
    if has_run:
        import shlex

        try:
            words = shlex.split(run)
        except ValueError as err:
            raise SuiteError(path, f"run: cannot split the command line: {err}", label) from None
        if not words:
            raise SuiteError(path, "run: an empty command line", label)
        if words[0] in ("kubectl", "kauth"):
            raise SuiteError(path, f"run: leave out {words[0]!r}: write the command as `create -f ...`", label)
        if words[0] in NOT_KUBECTL:
            raise SuiteError(path, f"run: `{words[0]}` is kauth's own command, not a kubectl request to the API "
                                   "server", label)
    request = _request(raw["request"], path, label, root) if has_request else None
    namespace = _string(raw.get("namespace", ""), path, label, "namespace")
    if request is not None and not request.namespace and not request.path:
        request = replace(request, namespace=namespace)  # as `-n` for a run line (cluster-scoped kinds ignore it)
    skip = raw.get("skip", "")
    skip = "skipped" if skip is True else (skip or "")
    return Case(name.strip(), identity, _expectation(raw.get("expect"), path, label), run, request, namespace,
                _string(skip, path, label, "skip"))


def _identity(raw: dict, path: Path, label: str, root: Path) -> Identity:
    given = [k for k in IDENTITY_KEYS if raw.get(k) not in (None, False, "")]
    if len(given) > 1:
        raise SuiteError(path, f"one identity per case: {' and '.join(given)} both given", label)
    groups = _strings(raw.get("groups", []), path, label, "groups")
    if groups and "user" not in given:
        raise SuiteError(path, "groups: go with `user` (a token or service account carries its own groups)", label)
    user = _string(raw.get("user", ""), path, label, "user")
    service_account = raw.get("serviceaccount")
    if service_account is not None:
        text = _string(service_account, path, label, "serviceaccount")
        namespace, name = _service_account(text)
        if not namespace or not name:
            raise SuiteError(path, f"serviceaccount: {text!r} is not NAMESPACE/NAME or "
                                   "system:serviceaccount:NAMESPACE:NAME", label)
        user = f"system:serviceaccount:{namespace}:{name}"
    if user.startswith("system:serviceaccount:"):
        namespace = user.split(":")[2]
        # what the service-account token authenticator says about such a user (serviceaccount.UserInfo)
        groups = groups + tuple(g for g in ("system:serviceaccounts", f"system:serviceaccounts:{namespace}")
                                if g not in groups)
    sa_token = None
    if raw.get("serviceaccount-token") is not None:
        text = _string(raw["serviceaccount-token"], path, label, "serviceaccount-token")
        sa_token = _service_account(text)
        if not all(sa_token):
            raise SuiteError(path, f"serviceaccount-token: {text!r} is not NAMESPACE/NAME", label)
    certificate = None
    if raw.get("certificate") is not None:
        spec = raw["certificate"]
        if not isinstance(spec, dict) or not isinstance(spec.get("user"), str) or not spec["user"] or \
                set(spec) - {"user", "groups"}:
            raise SuiteError(path, "certificate: a mapping with `user` (the CN) and `groups` (each an O)", label)
        certificate = (spec["user"], _strings(spec.get("groups", []), path, label, "certificate.groups"))
    kubeconfig = None
    if raw.get("kubeconfig") is not None:
        spec = raw["kubeconfig"]
        spec = {"file": spec} if isinstance(spec, str) else spec
        if not isinstance(spec, dict) or not isinstance(spec.get("file"), str) or \
                set(spec) - {"file", "context", "user"}:
            raise SuiteError(path, "kubeconfig: a file, or a mapping with `file` and optional `context`, `user`",
                             label)
        kubeconfig = (str((root / spec["file"]).resolve()), str(spec.get("context") or ""), str(spec.get("user") or ""))
    anonymous = raw.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise SuiteError(path, "anonymous: must be true or false", label)
    as_user = _string(raw.get("as", ""), path, label, "as")
    as_groups = _strings(raw.get("as-groups", []), path, label, "as-groups")
    if as_groups and not as_user:
        raise SuiteError(path, "as-groups: go with `as` (impersonating groups needs a user)", label)
    return Identity(user, groups, str(raw.get("uid", "") or ""), _string(raw.get("token", ""), path, label, "token"),
                    anonymous, as_user, as_groups, sa_token, certificate, kubeconfig)


def _service_account(text: str) -> tuple[str, str]:
    if text.startswith("system:serviceaccount:"):
        parts = text.split(":")
        return (parts[2], parts[3]) if len(parts) == 4 else ("", "")
    for separator in ("/", ":"):
        if separator in text:
            namespace, _, name = text.partition(separator)
            return namespace, name
    return "", ""


def _request(raw: Any, path: Path, label: str, root: Path) -> RawRequest:
    if not isinstance(raw, dict):
        raise SuiteError(path, "request: must be a mapping (verb, resource, namespace, name, ...)", label)
    _no_unknown(raw, REQUEST_KEYS, path, label, "request")
    verb = _string(raw.get("verb", ""), path, label, "request.verb").lower()
    if raw.get("path"):
        if raw.get("resource"):
            raise SuiteError(path, "request: a non-resource `path` and a `resource` cannot go together", label)
        if verb not in NON_RESOURCE_VERBS:
            raise SuiteError(path, f"request.verb: {verb!r} is not an HTTP verb for a non-resource path "
                                   f"({', '.join(sorted(NON_RESOURCE_VERBS))})", label)
        return RawRequest(verb, path=_string(raw["path"], path, label, "request.path"))
    if verb not in VERBS:
        raise SuiteError(path, f"request.verb: {verb or '(none)'!r} is not one of {', '.join(sorted(VERBS))}", label)
    resource = _string(raw.get("resource", ""), path, label, "request.resource")
    if not resource:
        raise SuiteError(path, "request: needs a `resource` (or a non-resource `path`)", label)
    body = raw.get("body")
    if raw.get("file"):
        if body is not None:
            raise SuiteError(path, "request: `body` and `file` cannot go together", label)
        import yaml

        from kauth.api.yaml11 import load_config_all

        target = root / _string(raw["file"], path, label, "request.file")
        try:
            documents = [d for d in load_config_all(target.read_text()) if d]
        except (OSError, yaml.YAMLError) as err:
            raise SuiteError(path, f"request.file: cannot read {target}: {err}", label) from None
        if len(documents) != 1:
            raise SuiteError(path, f"request.file: {target} holds {len(documents)} objects; a request sends one",
                             label)
        body = documents[0]
    dry_run = raw.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise SuiteError(path, "request.dry_run: must be true or false", label)
    group = raw.get("group")
    return RawRequest(verb, resource, None if group is None else str(group), str(raw.get("version", "") or ""),
                      str(raw.get("namespace", "") or ""), str(raw.get("name", "") or ""),
                      str(raw.get("subresource", "") or ""), body, "", str(raw.get("patch_type", "") or ""),
                      dry_run, str(raw.get("field_validation", "") or ""))


def _expectation(raw: Any, path: Path, label: str) -> Expectation:
    if raw is None:
        raise SuiteError(path, "expect: every case needs an expectation (e.g. `expect: allowed`)", label)
    if isinstance(raw, str):
        raw = {"result": raw}
    if not isinstance(raw, dict) or not raw:
        raise SuiteError(path, "expect: a result word or a mapping of expectations", label)
    _no_unknown(raw, EXPECT_KEYS, path, label, "expect")
    result = raw.get("result", "")
    if result and result not in RESULTS:
        raise SuiteError(path, f"expect.result: {result!r} is not one of {', '.join(RESULTS)}", label)
    for key in ("code", "exit_code"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool)):
            raise SuiteError(path, f"expect.{key}: must be a number", label)
    for key in ("reason", "message", "stage", "authorized_by", "stdout", "stderr"):
        if key in raw and not isinstance(raw[key], str):
            raise SuiteError(path, f"expect.{key}: must be a string", label)
    warnings = None
    if "warnings" in raw:
        warnings = _strings(raw["warnings"] if raw["warnings"] is not None else [], path, label, "expect.warnings")
    mutated_by = None
    if "mutated_by" in raw:
        mutated_by = _strings(raw["mutated_by"] if raw["mutated_by"] is not None else [], path, label,
                              "expect.mutated_by")
    mutations = _mutations(raw["mutations"], path, label) if "mutations" in raw else None
    for key in ("object", "stored"):
        if key in raw and not isinstance(raw[key], dict):
            raise SuiteError(path, f"expect.{key}: must be a mapping (a subset of the object)", label)
    if raw.get("stored") is not None and raw.get("stored_absent"):
        raise SuiteError(path, "expect: `stored` and `stored_absent` cannot go together", label)
    return Expectation(result, raw.get("code"), raw.get("reason"), raw.get("message"), raw.get("stage"),
                       raw.get("authorized_by"), warnings, mutated_by, raw.get("object"), raw.get("stored"),
                       bool(raw.get("stored_absent", False)), raw.get("exit_code"), raw.get("stdout"),
                       raw.get("stderr"), mutations)


def _mutations(raw: Any, path: Path, label: str) -> dict[str, tuple[str, ...]]:
    """`[spec.tolerations, ...]` (changed by any plugin) or `{ServiceAccount: [spec.volumes], ...}`."""
    if isinstance(raw, list):
        return {"": _strings(raw, path, label, "expect.mutations")}
    if isinstance(raw, dict) and raw:
        return {str(plugin): _strings(fields if isinstance(fields, list) else [fields], path, label,
                                      f"expect.mutations.{plugin}") for plugin, fields in raw.items()}
    raise SuiteError(path, "expect.mutations: a list of field paths, or a mapping of admission plugin to field "
                     "paths", label)
