"""`kubectl patch`: send a strategic, JSON merge or JSON patch; print `patched` or `patched (no change)`."""

from __future__ import annotations

from kauth.api.errors import ClientError, StatusError
from kauth.apiserver.request import PATCH_TYPES as CONTENT_TYPES
from kauth.apiserver.request import MalformedJSON
from kauth.kubectl.builder import NO_RESOURCES, Target, document_targets, select, target_for_document
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.loader import Document, with_errors
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report

PATCH_TYPES = ("json", "merge", "strategic")
# What the patch libraries say, applied locally (--dry-run=client), to a body that is not JSON.
LOCAL_BAD_JSON = {"strategic": "invalid JSON document", "merge": "Invalid JSON Patch"}


def parse_patch(text: str):
    """The patch body kubectl sends for -p: text whose first non-blank character is `{` goes as it is
    (so `{spec: {replicas: 3}}` is not JSON and fails: measured with kubectl 1.32); anything else is
    read as YAML and converted to JSON (`spec: {replicas: 3}` works). Unparseable JSON is still sent:
    the server (or the local patch) rejects it, as it does for kubectl. A YAML error is kubectl's own."""
    import json

    from kauth.api.json_syntax import go_json_syntax_error
    from kauth.api.yaml11 import YAMLError, go_quote, load

    if text.lstrip(" \t\r\n").startswith("{"):
        problem = go_json_syntax_error(text)
        return MalformedJSON(text, problem) if problem else json.loads(text)
    try:
        return load(text)
    except YAMLError as err:
        raise ClientError(f"unable to parse {go_quote(text)}: {err.reason}") from None


def patch(client: Client, args: list[str], patch_text: str, *, patch_type: str = "strategic",
          documents: list[Document] | None = None, dry_run: DryRun = "none", output: str = "",
          subresource: str = "", local: bool = False) -> Outcome:
    """local: patch the files' objects as kubectl does offline (`--local`): nothing is read or sent, and
    the objects are printed as the files have them."""
    outcome = Outcome()
    try:
        # PatchOptions.Validate's checks, in its order.
        if not patch_text:
            raise ClientError("must specify --patch or --patch-file containing the contents of the patch")
        if local and args:
            raise ClientError("cannot specify --local and server resources")
        if local and dry_run == "server":
            raise ClientError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
        if patch_type not in PATCH_TYPES:
            raise ClientError(f'--type must be one of [json merge strategic], not "{patch_type}"')
        body = parse_patch(patch_text)
        if local:
            if not documents:
                raise ClientError(NO_RESOURCES)
            _patch_files(client, documents, patch_type, body, output, outcome)
            return outcome
        targets = _targets(client, args, documents, outcome)
    except ClientError as err:
        outcome.fail(err)
        return outcome
    for target in targets:
        before = client.send("get", target.rt, target.namespace, target.name)
        outcome.record(before)
        if not before.ok:
            outcome.fail(StatusError.from_status(before.body).with_source("patching", target.source))
            continue
        if dry_run == "client":
            try:
                patched = _patch_locally(target, before.body, patch_type, body)
            except ClientError as err:
                outcome.fail(err)
                continue
        else:
            response = client.send("patch", target.rt, target.namespace, target.name, body=body,
                                   patch_type=patch_type, dry_run=dry_run == "server",
                                   field_manager=FIELD_MANAGERS["patch"], subresource=subresource)
            outcome.record(response)
            if response.code == 415:
                rt = target.rt
                outcome.fail(ClientError(f"{CONTENT_TYPES[patch_type]} is not supported by {rt.api_version}, "
                                         f"Kind={rt.kind}: {response.message}"))
                continue
            if not response.ok:
                outcome.fail(StatusError.from_status(response.body).with_source("patching", target.source))
                continue
            patched = response.body
        verb = "patched" if patched != before.body else "patched (no change)"
        report(outcome, target.rt, patched, output, verb, dry_run)
    return outcome


def _patch_files(client: Client, documents: list[Document], patch_type: str, body, output: str,
                 outcome: Outcome) -> None:
    """--local: each object of the files patched and printed, nothing read or sent."""
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        try:
            patched = _patch_locally(target, doc.obj, patch_type, body)
        except ClientError as err:
            outcome.fail(err)
            continue
        report(outcome, target.rt, patched, output, "patched" if patched != doc.obj else "patched (no change)")


def _patch_locally(target: Target, live: dict, patch_type: str, body) -> dict:
    """--dry-run=client: kubectl applies the patch to the object it read and sends nothing."""
    from kauth.patch import PatchError
    from kauth.patch.dispatch import UnsupportedPatch, apply_by_type

    if isinstance(body, MalformedJSON):
        raise ClientError(LOCAL_BAD_JSON.get(patch_type, body.error))
    try:
        return apply_by_type(patch_type, live, body, target.rt.schema, custom=target.rt.is_custom)
    except (PatchError, UnsupportedPatch) as err:
        raise ClientError(str(err)) from None


def _targets(client: Client, args: list[str], documents: list[Document] | None, outcome: Outcome) -> list[Target]:
    table = client.table()
    if documents is not None:
        out = []
        for doc, problem in with_errors(documents):
            if problem is not None:
                outcome.fail(problem)
                continue
            out.append(target_for_document(table, doc.obj, doc.source, client.namespace, client.namespace_explicit))
        return out
    selection = select(table, args, client.namespace, "patch")
    if selection.listed_types:
        raise ClientError("resource(s) were provided, but no name was specified")
    return list(selection.targets)
