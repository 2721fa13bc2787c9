"""`kubectl label` and `kubectl annotate`: KEY=VALUE and KEY- on objects named by TYPE NAME or -f.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/label/label.go and annotate/annotate.go: the pairs follow the
resources (GetResourcesAndPairs); an existing key needs --overwrite; the change goes out as a JSON merge
patch of metadata (field manager kubectl-label / kubectl-annotate); `--local -f` only prints.
"""

from __future__ import annotations

import copy
from typing import Callable

from kauth.api.errors import ClientError, StatusError
from kauth.api.names import is_label_value
from kauth.kubectl.builder import Target, document_targets, select
from kauth.kubectl.client import Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report
from kauth.api.yaml11 import go_quote


def is_pair(arg: str) -> bool:
    return ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")


def resources_and_pairs(args: list[str], pair_type: str, *, is_change: Callable[[str], bool] = is_pair,
                        quote_all: bool = False) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: everything from the first KEY=VALUE or KEY- on is a change.
    quote_all: the error quotes every argument, not the misplaced one (set env's SplitEnvironmentFromResources)."""
    resources, pairs = [], []
    for arg in args:
        if is_change(arg):
            pairs.append(arg)
        elif pairs:
            raise ClientError(f"all resources must be specified before {pair_type} changes: "
                              f"{' '.join(args) if quote_all else arg}")
        else:
            resources.append(arg)
    return resources, pairs


def parse_pairs(specs: list[str], kind: str) -> tuple[dict[str, str], list[str]]:
    """parseLabels / parseAnnotations: KEY=VALUE sets, KEY- removes; a label value is checked here."""
    values: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            if kind == "label":
                parts = spec.split("=")
                if len(parts) != 2:
                    raise ClientError(f"invalid label spec: {spec}")
                key, value = parts
                problems = is_label_value(value)
                if problems:
                    raise ClientError(f"invalid label value: {go_quote(spec)}: {';'.join(problems)}")
            else:
                key, _, value = spec.partition("=")
            values[key] = value
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise ClientError(f"unknown {kind} spec: {spec}")
    both = [key for key in remove if key in values]
    if both and kind == "label":
        raise ClientError("can not both modify and remove a label in the same command")
    if both:
        raise ClientError("can not both modify and remove the following annotation(s) in the same command: " +
                          ", ".join(both))
    return values, remove


def _changed(obj: dict, field: str, kind: str, values: dict[str, str], remove: list[str], overwrite: bool) -> dict:
    """The object with its labels or annotations changed, or kubectl's error when overwriting is not allowed."""
    current = dict((obj.get("metadata") or {}).get(field) or {})
    if not overwrite:
        clashes = [f"'{k}' already has a value ({current[k]})" for k, v in values.items()
                   if k in current and current[k] != v and k != "kubernetes.io/change-cause"]
        if clashes and kind == "label":
            raise ClientError("\n".join(f"{c}, and --overwrite is false" for c in clashes))
        if clashes:
            raise ClientError("--overwrite is false but found the following declared annotation(s): " +
                              "; ".join(clashes))
    current.update(values)
    for key in remove:
        current.pop(key, None)
    out = copy.deepcopy(obj)
    out.setdefault("metadata", {})[field] = current  # kept even when empty, as SetLabels({}) keeps it
    return out


def label(client: Client, args: list[str], documents: list[Document] | None, *, kind: str = "label",
          overwrite: bool = False, local: bool = False, dry_run: DryRun = "none", output: str = "") -> Outcome:
    """kind: "label" or "annotate" (the commands share all but their words)."""
    field, past = ("labels", "labeled") if kind == "label" else ("annotations", "annotated")
    resource_args, pairs = resources_and_pairs(args, kind)
    if not pairs:
        raise ClientError(f"at least one {'label' if kind == 'label' else 'annotation'} update is required")
    values, remove = parse_pairs(pairs, kind)
    if local and (not documents or resource_args):
        raise ClientError("can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set")
    outcome = Outcome()
    targets: list[tuple[Target, str]] = []
    if documents:
        for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                            outcome.fail):
            if local:  # a local object is printed as the file has it: no namespace filled in
                target = Target(target.rt, target.namespace, target.name, target.source, doc.obj)
            targets.append((target, doc.source))
    else:
        targets = [(t, "") for t in select(client.table(), resource_args, client.namespace, kind).targets]
    for target, source in targets:
        try:
            if local:
                report(outcome, target.rt, _changed(target.obj, field, kind, values, remove, overwrite), output, past)
                continue
            found = client.send("get", target.rt, target.namespace, target.name)
            if not outcome.answered(found):
                continue
            changed = _changed(found.body, field, kind, values, remove, overwrite)
            if changed == found.body:
                report(outcome, target.rt, found.body, output, f"not {past}", dry_run)
                continue
            if dry_run == "client":
                report(outcome, target.rt, changed, output, past, dry_run)
                continue
            patch = {"metadata": {field: {**{k: v for k, v in values.items()}, **{k: None for k in remove}}}}
            response = client.send("patch", target.rt, target.namespace, target.name, body=patch, patch_type="merge",
                                   dry_run=dry_run == "server", field_manager=f"kubectl-{kind}")
            if outcome.answered(response):
                report(outcome, target.rt, response.body, output, past, dry_run)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
    return outcome
