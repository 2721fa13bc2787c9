"""`kubectl set env (-f FILE | TYPE NAME) KEY=VAL ... KEY- [--from=configmap/x|secret/y] [--list [--resolve]]`.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_env.go and set/env/env_parse.go. The changes follow the
resources; every container matching -c (a glob, `*` by default), init containers after the others, gets them;
an unchanged object is neither sent nor printed; a change goes out as a two-way strategic merge patch (field
manager kubectl-set). --local and --dry-run=client print the object decoded into its Go type.
kubectl walks the keys of a --from ConfigMap or Secret in Go's random map order; kauth takes them in the
order the object lists them, which is one of the orders kubectl may print. `-` reads NAME=VALUE lines from
stdin (envutil.readEnv: `#` starts a comment, lines without `=` are skipped, names are not checked).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Callable

from kauth.api.errors import ClientError, StatusError
from kauth.api.names import is_env_var_name
from kauth.kubectl.builder import NO_RESOURCES, Target, document_targets, select
from kauth.kubectl.client import Client
from kauth.kubectl.env_refs import ReferenceStore, ref_string, ref_value
from kauth.kubectl.label import resources_and_pairs
from kauth.kubectl.loader import STDIN_SOURCE, Document
from kauth.kubectl.output import Outcome, response_error
from kauth.kubectl.printing import DryRun, report
from kauth.kubectl.set_image import pod_spec
from kauth.kubectl.typed import as_typed

_INVALID_KEY_CHARACTERS = re.compile(r"[^a-zA-Z0-9_]")


@dataclass(frozen=True)
class EnvOptions:
    containers: str = "*"
    overwrite: bool = True
    list_only: bool = False
    resolve: bool = False
    from_source: str = ""
    prefix: str = ""
    keys: tuple[str, ...] = ()
    local: bool = False
    env_params: tuple[str, ...] = ()  # -e/--env KEY=VAL (or KEY-), before the positional ones


def is_environment_argument(arg: str) -> bool:
    """`(?ms)^(.+)=(.*)$`: an `=` with something before it; `KEY-` removes."""
    return "=" in arg[1:] or arg.endswith("-")


def parse_env(specs: list[str], read_stdin: Callable[[], str] | None = None) -> tuple[list[dict], list[str]]:
    """envutil.ParseEnv: NAME=VALUE sets, NAME- removes, `-` reads stdin; a variable set by an argument (not
    by stdin) may not also be removed."""
    env, remove, named = [], [], set()
    for spec in specs:
        if spec == "-":
            if read_stdin is None:
                raise ClientError("when '-' is used, STDIN must be open")
            env += _env_from_lines(read_stdin())
        elif "=" in spec:
            name, value = spec.split("=", 1)
            problems = is_env_var_name(name)
            if problems:
                raise ClientError(f'"{name}" is not a valid key name: {";".join(problems)}')
            named.add(name)
            env.append({"name": name, **({"value": value} if value else {})})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise ClientError(f"unknown environment variable: {spec}")
    if named.intersection(remove):
        raise ClientError("can not both modify and remove the same environment variable in the same command")
    return env, remove


def _env_from_lines(text: str) -> list[dict]:
    """envutil.readEnv: each line up to a `#`; those with an `=` set a variable, as they are."""
    env = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if "=" in line:
            name, value = line.split("=", 1)
            env.append({"name": name, **({"value": value} if value else {})})
    return env


def key_to_env_name(key: str) -> str:
    return _INVALID_KEY_CHARACTERS.sub("_", key).upper()


def env_from_object(obj: dict, keys: tuple[str, ...], warnings: list[str]) -> list[dict]:
    """One valueFrom variable per key of a ConfigMap's or Secret's data (all keys, or those of --keys)."""
    kind, name = obj.get("kind"), (obj.get("metadata") or {}).get("name", "")
    if kind not in ("ConfigMap", "Secret"):
        raise ClientError("unsupported resource specified in --from")
    ref = "configMapKeyRef" if kind == "ConfigMap" else "secretKeyRef"
    env = []
    for key in obj.get("data") or {}:
        if keys and key not in keys:
            continue
        env_name = key_to_env_name(key)
        if env_name != key:
            warnings.append(f"key {key} transferred to {env_name}")
        env.append({"name": env_name, "valueFrom": {ref: {"key": key, "name": name}}})
    return env


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """Existing variables keep their place (replaced when set again); new ones follow; removed ones go."""
    out, covered = [], set(remove)
    wanted: dict[str, dict] = {}
    for new in env:
        wanted.setdefault(new["name"], new)  # findEnv: the first of repeated names wins
    for current in existing:
        if current.get("name") in covered:
            continue
        if current.get("name") in wanted:
            covered.add(current["name"])
            out.append(wanted[current["name"]])
            continue
        out.append(current)
    for new in env:
        if new["name"] not in covered:
            covered.add(new["name"])
            out.append(new)
    return out


def check_no_overwrites(existing: list[dict], env: list[dict]) -> None:
    for new in env:
        current = next((e for e in existing if e.get("name") == new["name"]), None)
        if current is not None and current.get("value", "") != new.get("value", ""):
            raise ClientError(f"'{current['name']}' already has a value ({current.get('value', '')}), and --overwrite "
                              "is false")


def selected_containers(spec: dict, pattern: str) -> list[dict]:
    """Containers, then init containers, whose names match the -c glob (the dicts themselves, to edit)."""
    return [c for field in ("containers", "initContainers") for c in spec.get(field) or []
            if fnmatch.fnmatchcase(c.get("name", ""), pattern)]


@dataclass
class EnvChange:
    """What one object's edit produced: the changed object, the --list lines, resolve errors, a warning."""

    obj: dict
    listing: list[str]
    resolve_errors: list[str]
    warning: str = ""


def changed_env(obj: dict, env: list[dict], remove: list[str], options: EnvOptions,
                store: ReferenceStore | None) -> EnvChange:
    """The object with its containers' env edited (a copy), or kubectl's error for an overwrite."""
    out = as_typed(obj)
    spec = pod_spec(out)
    kind, name = obj.get("kind", ""), (obj.get("metadata") or {}).get("name", "")
    if spec is None:
        raise ClientError(f"object of kind {kind} has no pod template")
    containers = selected_containers(spec, options.containers)
    if not containers:
        return EnvChange(out, [], [], f'{kind}/{name} does not have any containers matching "{options.containers}"')
    listing: list[str] = []
    failures: dict[str, list[str]] = {}
    for container in containers:
        if not options.overwrite:
            check_no_overwrites(container.get("env") or [], env)
        container["env"] = update_env(container.get("env") or [], env, remove)
        if not container["env"]:
            del container["env"]  # an empty list is omitted (omitempty)
        if options.list_only:
            listing.append(f"# {kind} {name}, container {container.get('name', '')}")
            listing += _listed(container, obj, options, store, failures)
    errors = sorted(f"error retrieving reference for {', '.join(sorted(names))}: {why}"
                    for why, names in failures.items())
    return EnvChange(out, listing, errors)


def _listed(container: dict, obj: dict, options: EnvOptions, store: ReferenceStore | None,
            failures: dict[str, list[str]]) -> list[str]:
    lines = []
    for var in container.get("env") or []:
        if var.get("valueFrom") is None:
            lines.append(f"{var['name']}={var.get('value', '')}")
            continue
        if options.resolve and store is not None:
            try:
                lines.append(f"{var['name']}={ref_value(store, var['valueFrom'], obj, container)}")
                continue
            except (ClientError, StatusError) as err:
                failures.setdefault(err.message, []).append(var["name"])
        lines.append(f"# {var['name']} from {ref_string(var['valueFrom'])}")
    return lines


def local_object_name(obj: dict) -> str:
    """resource.Info.ObjectName without a mapping: `kind.group/name` carries a newline upstream."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    kind, name = str(obj.get("kind", "")).lower(), (obj.get("metadata") or {}).get("name", "")
    return f"{kind}.{group}/{name}\n" if group else f"{kind}/{name}"


def _from_env(client: Client, documents: list[Document] | None, options: EnvOptions, outcome: Outcome,
              warnings: list[str]) -> list[dict]:
    """The variables --from names: with --local, taken from the -f objects themselves, as kubectl does."""
    if options.local:
        sources = [doc.obj for doc in documents or []]
    else:
        sources = []
        for target in select(client.table(), [options.from_source], client.namespace, "get").targets:
            found = client.send("get", target.rt, target.namespace, target.name)
            if not found.ok:
                outcome.record(found)
                raise response_error(found)
            sources.append(found.body)
    env: list[dict] = []
    for source in sources:
        env += env_from_object(source, options.keys, warnings)
    return env


def set_env(client: Client, args: list[str], documents: list[Document] | None, options: EnvOptions, *,
            dry_run: DryRun = "none", output: str = "", store: ReferenceStore | None = None,
            read_stdin: Callable[[], str] | None = None) -> Outcome:
    """read_stdin: how `-` among the variables reads standard input."""
    resources, env_args = resources_and_pairs(args, "environment", is_change=is_environment_argument, quote_all=True)
    if options.local and dry_run == "server":
        raise ClientError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not documents and not resources:
        raise ClientError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if options.list_only and output:
        raise ClientError("--list and --output may not be specified together")
    if options.keys and not options.from_source:
        raise ClientError("when specifying --keys, a configmap or secret must be provided with --from")
    specs = [*options.env_params, *env_args]
    if "-" in specs and any(doc.source == STDIN_SOURCE for doc in documents or ()):
        raise ClientError("standard input cannot be used for multiple arguments")
    env, remove = parse_env(specs, read_stdin)
    if options.local and not documents:
        raise ClientError(NO_RESOURCES)
    outcome = Outcome()
    if options.from_source:
        warnings: list[str] = []
        try:
            env += _from_env(client, documents, options, outcome, warnings)
        except StatusError as err:  # a missing --from source stops the command before any change
            outcome.fail(err)
            return outcome
        outcome.notes += [f"Warning: {w}" for w in warnings]
    env = [{**e, "name": options.prefix + e["name"]} for e in env]
    try:
        targets = list(_targets(client, resources, documents, options, outcome))
    except ClientError as err:  # after the --from warnings, as kubectl prints them
        outcome.fail(err)
        return outcome
    for target, live in targets:
        name = local_object_name(live) if options.local else f"{target.rt.plural}/{target.name}"
        try:
            change = changed_env(live, env, remove, options, store)
        except ClientError as err:
            outcome.fail(ClientError(f"error: {name} {err.message}"))
            continue
        if change.warning:
            outcome.notes.append(f"Warning: {change.warning}")
        if options.list_only:
            outcome.stdout += [line + "\n" for line in change.listing]
            outcome.notes += change.resolve_errors
            continue
        if change.obj == as_typed(live):
            continue  # an empty patch: kubectl sends and prints nothing
        if options.local or dry_run == "client":
            report(outcome, target.rt, change.obj, output, "env updated", dry_run, typed=True)
            continue
        _patch(client, target, live, change.obj, dry_run, output, outcome)
    return outcome


# cli-runtime's builder names `get` in its argument errors whatever the command (the oracle agrees).
def _targets(client: Client, resources: list[str], documents: list[Document] | None, options: EnvOptions,
             outcome: Outcome):
    """(target, object) pairs: the files' objects with --local, else each object as the server has it now."""
    if documents:
        found = [(t, doc) for t, doc in document_targets(client.table(), documents, client.namespace,
                                                         client.namespace_explicit, outcome.fail)]
        if options.local:
            yield from ((t, doc.obj) for t, doc in found)
            return
        targets: list[Target] = [t for t, _ in found]
    else:
        targets = list(select(client.table(), resources, client.namespace, "get").targets)
    for target in targets:
        live = client.send("get", target.rt, target.namespace, target.name)
        if outcome.answered(live):
            yield target, live.body


def _patch(client: Client, target: Target, live: dict, changed: dict, dry_run: DryRun, output: str,
           outcome: Outcome) -> None:
    from kauth.patch.strategic import create_two_way_patch

    patch = create_two_way_patch(as_typed(live), changed, target.rt.schema)
    response = client.send("patch", target.rt, target.namespace, target.name, body=patch, patch_type="strategic",
                           dry_run=dry_run == "server", field_manager="kubectl-set")
    outcome.record(response)
    if not response.ok:
        err = StatusError.from_status(response.body)
        outcome.fail(ClientError(f"failed to patch env update to pod template: {err.message}"))
        return
    report(outcome, target.rt, response.body, output, "env updated", dry_run, typed=True)  # decoded by scheme
