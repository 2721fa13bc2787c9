"""`kubectl delete`: by files, by TYPE NAME, or by selector / --all."""

from __future__ import annotations

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import NO_RESOURCES, Target, select, target_for_document
from kauth.kubectl.client import Client
from kauth.kubectl.loader import Document, with_errors
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, suffix

# What every delete kubectl sends carries by default (--cascade=background).
BACKGROUND_DELETE = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}


def delete(client: Client, args: list[str], *, documents: list[Document] | None = None, selector: str = "",
           all_objects: bool = False, all_namespaces: bool = False, ignore_not_found: bool = False,
           dry_run: DryRun = "none", output: str = "") -> Outcome:
    outcome = Outcome()
    table = client.table()
    targets: list[Target] = []
    try:
        if documents is not None:
            if args:
                raise ClientError("there is no need to specify a resource type as a separate argument when passing "
                                  "arguments in resource/name form (e.g. 'kubectl delete resource/<resource_name>' "
                                  "instead of 'kubectl delete resource resource/<resource_name>'")
            for doc, problem in with_errors(documents):
                if problem is not None:
                    outcome.fail(problem)
                    continue
                try:
                    targets.append(target_for_document(table, doc.obj, doc.source, client.namespace,
                                                       client.namespace_explicit))
                except ClientError as err:
                    outcome.fail(err)
        else:
            if not args:
                raise ClientError(NO_RESOURCES)
            selection = select(table, args, client.namespace, "delete")
            targets = list(selection.targets)
            if selection.listed_types:
                if not (selector or all_objects):
                    raise ClientError("resource(s) were provided, but no name was specified")
                targets.extend(_listed(client, outcome, selection.listed_types, selector, all_namespaces))
                if not targets and not outcome.errors:
                    outcome.notes.append("No resources found")
    except ClientError as err:
        outcome.fail(err)
        return outcome

    for target in targets:
        response = client.send("delete", target.rt, target.namespace, target.name,
                               body=BACKGROUND_DELETE,
                               dry_run=dry_run == "server")
        outcome.record(response)
        if response.ok:
            if output == "name":
                outcome.print(f"{target.rt.group_kind.lower()}/{target.name}")
            else:
                outcome.print(f'{target.rt.group_kind.lower()} "{target.name}" deleted{suffix(dry_run)}')
        elif not (ignore_not_found and response.code == 404):
            outcome.fail(StatusError.from_status(response.body).with_source("deleting", target.source))
    return outcome


def _listed(client: Client, outcome: Outcome, types, selector: str, all_namespaces: bool) -> list[Target]:
    out = []
    for rt in types:
        namespace = "" if all_namespaces or not rt.namespaced else client.namespace
        response = client.send("list", rt, namespace, label_selector=selector)
        outcome.record(response)
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body))
            continue
        for item in response.body.get("items", []):
            meta = item["metadata"]
            out.append(Target(rt, meta.get("namespace", ""), meta["name"]))
    return out
