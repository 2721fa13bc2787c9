"""`kubectl apply -f` (client-side): create what is missing, three-way patch what exists.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go and patcher.go, pkg/util/apply.go. The
modified configuration carries its own last-applied annotation; against a live object the patch holds every
change from live to the file, plus deletions of what the last-applied configuration had and the file no
longer has, so fields set by others (`kubectl scale`, controllers, defaults) survive. Built-in kinds get a
strategic merge patch, custom resources a JSON merge patch. Facts: ../shared/notes/kubectl-apply.md.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import Target, document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.delete import BACKGROUND_DELETE
from kauth.kubectl.last_applied import last_applied, with_last_applied
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report
from kauth.patch import PatchError

MAX_PATCH_RETRIES = 5  # patcher.go maxPatchRetry: a 409 re-reads the live object and recomputes


def apply(client: Client, documents: list[Document], *, dry_run: DryRun = "none", output: str = "",
          field_validation: str = "Strict", overwrite: bool = True, server_side: bool = False, selector: str = "",
          select_all: bool = False, prune: bool = False, prune_allowlist: tuple[str, ...] = (),
          force: bool = False) -> Outcome:
    """`kubectl apply -f`: each object of the files (those matching -l), then --prune."""
    from kauth.kubectl.prune import Visited, parse_allowlist, prune as prune_leftovers

    allowlist = parse_allowlist(client.table(), prune_allowlist) if prune else []
    _validate_flags(dry_run, server_side, force, selector, select_all, prune)
    matches = _selector_matcher(selector)
    outcome = Outcome()
    visited = Visited({client.namespace} if client.namespace_explicit else set())
    applied = 0
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        if not matches(doc.obj):  # the builder's LabelSelectorParam filters the files' objects too
            continue
        applied += 1
        if target.rt.namespaced:
            visited.namespaces.add(target.namespace)
        try:
            if not target.name:
                generate_name = (doc.obj.get("metadata") or {}).get("generateName")
                if generate_name:  # apply.go names the generateName prefix where it means the source
                    raise ClientError(f"from {generate_name}: cannot use generate name with apply")
                raise ClientError(f"error when retrieving current configuration of:\n{_info(target)}\n"
                                  f'from server for: "{doc.source}": resource name may not be empty')
            verb, obj = apply_one(client, outcome, target, doc.source, dry_run, field_validation, overwrite,
                                  force=force)
            visited.uids.add((obj.get("metadata") or {}).get("uid", ""))
            report(outcome, target.rt, obj, output, verb, dry_run)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
    if not applied and not outcome.errors:
        raise ClientError("no objects passed to apply")
    if prune and not outcome.errors:
        prune_leftovers(client, outcome, visited, allowlist, selector=selector, dry_run=dry_run, output=output)
    return outcome


def _validate_flags(dry_run: DryRun, server_side: bool, force: bool, selector: str, select_all: bool,
                    prune: bool) -> None:
    """ApplyOptions.Validate, in its order."""
    if server_side:
        raise ClientError("kauth does not simulate server-side apply yet (a later issue): use client-side apply, "
                          "create or replace")
    if dry_run == "server" and force:
        raise ClientError("--dry-run=server cannot be used with --force")
    if select_all and selector:
        raise ClientError("cannot set --all and --selector at the same time")
    if prune and force:
        raise ClientError("--force cannot be used with --prune")
    if prune and not select_all and not selector:
        raise ClientError("all resources selected for prune without explicitly passing --all. To prune all "
                          "resources, pass the --all flag. If you did not mean to prune all resources, specify a "
                          "label selector")


def _selector_matcher(selector: str):
    from kauth.api.labels import SelectorError, label_selector_matcher

    try:
        return label_selector_matcher(selector)
    except SelectorError as err:
        raise ClientError(f"unable to parse requirement: {err}") from None


def apply_one(client: Client, outcome: Outcome, target: Target, source: str, dry_run: DryRun = "none",
              field_validation: str = "Strict", overwrite: bool = True, annotate: bool = True,
              force: bool = False) -> tuple[str, dict]:
    """Apply one object: ("created" | "configured" | "unchanged", the object as the server returned it, or as it
    would be for a client dry run). Raises the error kubectl reports. annotate=False (kubectl diff) leaves the
    last-applied annotation as the live object has it."""
    modified = with_last_applied(target.obj, annotate)
    live = client.send("get", target.rt, target.namespace, target.name)
    outcome.record(live)
    if live.code == 404:
        body = _without_nulls(modified)  # the POST drops nulls; the annotation keeps them
        if dry_run == "client":
            return "created", body
        created = client.send("create", target.rt, target.namespace, body=body, dry_run=dry_run == "server",
                              field_manager=FIELD_MANAGERS["apply"], field_validation=field_validation)
        outcome.record(created)
        if not created.ok:
            raise StatusError.from_status(created.body).with_source("creating", source)
        return "created", created.body
    if not live.ok:
        raise StatusError.from_status(live.body).with_source(
            f"retrieving current configuration of:\n{_info(target)}\nfrom server for:", source)
    current = live.body
    for attempt in range(MAX_PATCH_RETRIES + 1):
        if last_applied(current) is None and attempt == 0 and annotate and dry_run != "client":
            outcome.notes.append(f"Warning: resource {target.rt.plural}/{target.name} is missing the "
                                 "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
                                 "kubectl apply. kubectl apply should only be used on resources created declaratively "
                                 "by either kubectl create --save-config or kubectl apply. The missing annotation will "
                                 "be patched automatically.")
        try:
            patch, patch_type = three_way_patch(target, modified, current, overwrite)
        except PatchError as err:
            if dry_run == "client":  # kubectl computes no patch for a client dry run, so meets no conflict
                return "configured", current
            raise _creating_patch_error(err, modified, current, target, source) from None
        if attempt == 0:
            from kauth.kubectl.apply_explain import explain

            annotation = last_applied(current)
            outcome.explanations.append((
                f"client-side apply of {target.rt.kind.lower()} {target.name} ({patch_type} merge patch)",
                partial(explain, json.loads(annotation) if annotation else None, modified, current, patch)))
        if dry_run == "client":
            # apply.go sends nothing and prints the live object as it is, "configured" even when unchanged;
            # the patch above is computed only for --explain.
            return "configured", current
        if patch == {}:
            return "unchanged", current
        response = client.send("patch", target.rt, target.namespace, target.name, body=patch, patch_type=patch_type,
                               dry_run=dry_run == "server", field_manager=FIELD_MANAGERS["apply"],
                               field_validation=field_validation)
        outcome.record(response)
        if response.ok:
            return "configured", response.body
        if response.code != 409 or attempt == MAX_PATCH_RETRIES:
            if force and response.code in (409, 422):
                return "configured", _delete_and_create(client, outcome, target, source, current, modified)
            raise _patch_error(StatusError.from_status(response.body), patch, target, source)
        again = client.send("get", target.rt, target.namespace, target.name)
        outcome.record(again)
        if not again.ok:
            raise _patch_error(StatusError.from_status(response.body), patch, target, source)
        current = again.body
    raise AssertionError("unreachable: the last attempt returns or raises")


def _delete_and_create(client: Client, outcome: Outcome, target: Target, source: str, current: dict,
                       modified: dict) -> dict:
    """--force after a Conflict or Invalid patch (patcher.go deleteAndCreate): delete the live object, wait for it
    to be gone, create the file's object; if that fails, re-create the live one and report the failure."""
    rt = target.rt
    deleted = client.send("delete", rt, target.namespace, target.name,
                          body=BACKGROUND_DELETE)
    outcome.record(deleted)
    if not deleted.ok:
        raise _force_error(StatusError.from_status(deleted.body), modified, target, source)
    gone = client.send("get", rt, target.namespace, target.name)
    outcome.record(gone)
    if gone.code != 404:
        # kubectl polls every second with no timeout: an object held by finalizers keeps it waiting for ever.
        raise ClientError(f"kauth stops here: {rt.group_resource} {target.name!r} is still present after the delete "
                          "(finalizers); kubectl apply --force would wait for it indefinitely")
    created = client.send("create", rt, target.namespace, body=modified, field_manager=FIELD_MANAGERS["apply"])
    outcome.record(created)
    if created.ok:
        return created.body
    failure = StatusError.from_status(created.body)
    restored = client.send("create", rt, target.namespace, body=current, field_manager=FIELD_MANAGERS["apply"])
    outcome.record(restored)
    if restored.ok:
        raise _force_error(failure, modified, target, source)
    raise _force_error(ClientError(
        "An error occurred force-replacing the existing object with the newly provided one:\n\n"
        f"{failure.message}.\n\nAdditionally, an error occurred attempting to restore the original object:\n\n"
        f"{StatusError.from_status(restored.body).message}"), modified, target, source)


def _creating_patch_error(err: PatchError, modified: dict, current: dict, target: Target, source: str) -> ClientError:
    """A three-way patch kubectl could not compute (--overwrite=false conflicts, a panic in the library), with
    patcher.go's and apply.go's wrapping: the three inputs as the encoder writes them, no patch, the target."""
    from kauth.kubectl.serialize import to_compact_json

    if err.message.startswith("panic: "):  # nothing recovers it: kubectl dies, exit code 2 (the trace is not imitated)
        return ClientError(err.message, exit_code=2, bare=True)
    original = last_applied(current) or ""
    message = (f"error when applying patch:\n\nto:\n{_info(target)}\nfor: \"{source}\": error when patching "
               f"\"{source}\": creating patch with:\noriginal:\n{original}\nmodified:\n{to_compact_json(modified)}\n"
               f"\ncurrent:\n{to_compact_json(current)}\n\nfor:: {err.message}")
    return ClientError(message)


def _force_error(err: StatusError | ClientError, modified: dict, target: Target, source: str) -> StatusError | ClientError:
    """apply.go's wrapping of a deleteAndCreate failure: the object sent, the target, the source, the error."""
    from kauth.kubectl.serialize import to_compact_json

    message = (f"error when applying patch:\n{to_compact_json(modified)}\nto:\n{_info(target)}\n"
               f"for: \"{source}\": {err.message}")
    if isinstance(err, StatusError):
        return StatusError(err.code, err.reason, message, err.details)
    return ClientError(message)


def three_way_patch(target: Target, modified: dict, current: dict, overwrite: bool = True) -> tuple[dict, str]:
    """(patch, patch type): strategic for built-in kinds, a three-way JSON merge patch for custom resources."""
    annotation = last_applied(current)
    original = json.loads(annotation) if annotation else None
    if target.rt.is_custom:
        from kauth.patch.merge import create_three_way_merge_patch

        return create_three_way_merge_patch(original, modified, current), "merge"
    from kauth.patch.strategic import create_three_way_patch

    return create_three_way_patch(original, modified, current, target.rt.schema, overwrite=overwrite), "strategic"


def _info(target: Target) -> str:
    """resource.Info's String(): the mapping (GroupVersionResource and Kind, `/v1` for core), then the name."""
    rt = target.rt
    return (f'Resource: "{rt.group}/{rt.version}, Resource={rt.plural}", GroupVersionKind: '
            f'"{rt.group}/{rt.version}, Kind={rt.kind}"\nName: "{target.name}", Namespace: "{target.namespace}"')


def _patch_error(err: StatusError, patch: dict, target: Target, source: str) -> StatusError:
    """patcher.go's wrapping of a failed PATCH: the patch, the target, then AddSourceToErr's words."""
    from kauth.kubectl.serialize import to_compact_json

    message = (f"error when applying patch:\n{to_compact_json(patch)}\nto:\n{_info(target)}\n"
               f"for: \"{source}\": error when patching \"{source}\": {err.message}")
    return StatusError(err.code, err.reason, message, err.details)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
