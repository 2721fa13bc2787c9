"""`kubectl apply -f` (client-side): create what is missing, three-way patch what exists.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go and patcher.go, pkg/util/apply.go. The
modified configuration carries its own last-applied annotation; against a live object the patch holds every
change from live to the file, plus deletions of what the last-applied configuration had and the file no
longer has, so fields set by others (`kubectl scale`, controllers, defaults) survive. Built-in kinds get a
strategic merge patch, custom resources a JSON merge patch. Facts: ../shared/notes/kubectl-apply.md.
"""

from __future__ import annotations

import json
from typing import Any

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import Target, document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.last_applied import last_applied, with_last_applied
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report

MAX_PATCH_RETRIES = 5  # patcher.go maxPatchRetry: a 409 re-reads the live object and recomputes


def apply(client: Client, documents: list[Document], *, dry_run: DryRun = "none", output: str = "",
          field_validation: str = "Strict", overwrite: bool = True, server_side: bool = False) -> Outcome:
    if server_side:
        raise ClientError("kauth does not simulate server-side apply yet (a later issue): use client-side apply, "
                          "create or replace")
    outcome = Outcome()
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        try:
            if not target.name:
                generate_name = (doc.obj.get("metadata") or {}).get("generateName")
                if generate_name:  # apply.go names the generateName prefix where it means the source
                    raise ClientError(f"from {generate_name}: cannot use generate name with apply")
                raise ClientError(f"error when retrieving current configuration of:\n{_info(target)}\n"
                                  f'from server for: "{doc.source}": resource name may not be empty')
            verb, obj = apply_one(client, outcome, target, doc.source, dry_run, field_validation, overwrite)
            report(outcome, target.rt, obj, output, verb, dry_run)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
    return outcome


def apply_one(client: Client, outcome: Outcome, target: Target, source: str, dry_run: DryRun = "none",
              field_validation: str = "Strict", overwrite: bool = True, annotate: bool = True) -> tuple[str, dict]:
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
        patch, patch_type = three_way_patch(target, modified, current, overwrite)
        if attempt == 0:
            from kauth.kubectl.apply_explain import explain

            annotation = last_applied(current)
            outcome.explanations.append((
                f"client-side apply of {target.rt.kind.lower()} {target.name} ({patch_type} merge patch)",
                explain(json.loads(annotation) if annotation else None, modified, current, patch)))
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
            raise _patch_error(StatusError.from_status(response.body), patch, target, source)
        again = client.send("get", target.rt, target.namespace, target.name)
        outcome.record(again)
        if not again.ok:
            raise _patch_error(StatusError.from_status(response.body), patch, target, source)
        current = again.body
    raise AssertionError("unreachable: the last attempt returns or raises")


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
