"""`kubectl get`: read objects by name, list by type (label and field selectors), print them."""

from __future__ import annotations

from datetime import datetime, timezone

from kauth.api.errors import ClientError, StatusError
from kauth.api.resources import ResourceType
from kauth.kubectl.builder import Target, select, target_for_document
from kauth.kubectl.client import Client
from kauth.kubectl.loader import Document, with_errors
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import as_list, check_output, render

REQUIRED_RESOURCE = (
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
    "supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a "
    "detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples")


def get(client: Client, args: list[str], *, documents: list[Document] | None = None, all_namespaces: bool = False,
        selector: str = "", field_selector: str = "", output: str = "", show_labels: bool = False,
        label_columns: tuple[str, ...] = (), no_headers: bool = False, ignore_not_found: bool = False,
        now: datetime | None = None, show_managed_fields: bool = False) -> Outcome:
    outcome = Outcome()
    table = client.table()
    if output and output != "wide":
        try:
            check_output(output)
        except ClientError as err:
            outcome.fail(err)
            return outcome
    try:
        if documents is not None:
            targets, listed = _targets_from_files(client, documents, outcome), ()
        else:
            if not args:
                outcome.fail(ClientError(REQUIRED_RESOURCE))
                return outcome
            selection = select(table, args, client.namespace, "get")
            targets, listed = list(selection.targets), selection.listed_types
    except ClientError as err:
        outcome.fail(err)
        return outcome

    found: list[tuple[ResourceType, dict]] = []
    # get.go prints kind/name when the answers span several kinds; each list answered is one (a Table, rows or
    # none), each object got by name another.
    answered: set[tuple[str, str]] = set()
    for target in targets:
        response = client.send("get", target.rt, target.namespace, target.name)
        outcome.record(response)
        if response.ok:
            found.append((target.rt, response.body))
            answered.add((target.rt.group, target.rt.kind))
        elif not (ignore_not_found and response.code == 404):
            err = StatusError.from_status(response.body)
            outcome.fail(err.with_source("getting", target.source) if target.source else err)
    for rt in listed:
        namespace = "" if all_namespaces or not rt.namespaced else client.namespace
        response = client.send("list", rt, namespace, label_selector=selector, field_selector=field_selector)
        outcome.record(response)
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body))
            continue
        found.extend((rt, item) for item in response.body.get("items", []))
        answered.add((rt.group, rt.kind))

    single_item = len(targets) == 1 and not listed and documents is None
    if output and output != "wide":
        _print_structured(outcome, found, output, single_item, no_headers=no_headers,
                          show_managed_fields=show_managed_fields)
        return outcome
    _print_tables(outcome, found, show_kind=len(answered) > 1, wide=output == "wide", all_namespaces=all_namespaces,
                  show_labels=show_labels,
                  label_columns=label_columns, no_headers=no_headers, now=now or datetime.now(timezone.utc))
    if not found and not outcome.errors and not ignore_not_found:
        namespaced = not all_namespaces and all(rt.namespaced for rt in listed) and listed
        from kauth.kubectl.printers import no_resources_message

        outcome.notes.append(no_resources_message(client.namespace if namespaced else None))
    return outcome


def _targets_from_files(client: Client, documents: list[Document], outcome: Outcome) -> list[Target]:
    targets = []
    for doc, problem in with_errors(documents):
        if problem is not None:
            outcome.fail(problem)
            continue
        try:
            targets.append(target_for_document(client.table(), doc.obj, doc.source, client.namespace,
                                               client.namespace_explicit))
        except ClientError as err:
            outcome.fail(err)
    return targets


def _print_structured(outcome: Outcome, found: list[tuple[ResourceType, dict]], output: str, single: bool, *,
                      no_headers: bool = False, show_managed_fields: bool = False) -> None:
    if output == "name":
        from kauth.kubectl.printers import name_line

        for rt, obj in found:
            outcome.print(name_line(rt, obj))
        return
    if single and len(found) == 1:
        data = found[0][1]
    else:
        data = as_list([obj for _, obj in found])
    try:
        text = render(data, output, no_headers=no_headers, show_managed_fields=show_managed_fields)
    except ClientError as err:
        outcome.fail(err)
        return
    outcome.write(text)


def _print_tables(outcome: Outcome, found: list[tuple[ResourceType, dict]], *, show_kind: bool, wide: bool,
                  all_namespaces: bool, show_labels: bool, label_columns: tuple[str, ...], no_headers: bool,
                  now: datetime) -> None:
    from kauth.kubectl.printers import table as print_table

    groups: list[tuple[ResourceType, list[dict]]] = []
    for rt, obj in found:
        if groups and groups[-1][0] == rt:
            groups[-1][1].append(obj)
        else:
            groups.append((rt, [obj]))
    for i, (rt, objects) in enumerate(groups):
        text = print_table(rt, objects, wide=wide, all_namespaces=all_namespaces, show_kind=show_kind,
                           no_headers=no_headers, show_labels=show_labels, label_columns=label_columns, now=now,
                           printer_columns=rt.printer_columns)
        if i:
            outcome.print("")
        outcome.print(text.rstrip("\n"))
