"""`kubectl replace -f`: GET the live resourceVersion, then PUT the file's object whole; with --force, delete
every object of the files (missing ones ignored), then create them (staging/src/k8s.io/kubectl/pkg/cmd/replace)."""

from __future__ import annotations

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report


def validate(*, force: bool, grace_period: int, timeout: str, dry_run: DryRun) -> None:
    """ReplaceOptions.Validate's checks, in its order."""
    from kauth.kubectl.pflag import flag_error, parse_go_duration

    seconds, why = parse_go_duration(timeout)
    if seconds is None:
        raise flag_error("replace", "timeout", timeout, why)
    if grace_period >= 0 and not force:
        raise ClientError("--grace-period must have --force specified")
    if seconds and not force:
        raise ClientError("--timeout must have --force specified")
    if force and dry_run != "none":
        raise ClientError("--dry-run can not be used when --force is set")


def replace(client: Client, documents: list[Document], *, save_config: bool = False, dry_run: DryRun = "none",
            output: str = "", field_validation: str = "Strict", force: bool = False) -> Outcome:
    if force:
        return _force_replace(client, documents, save_config, output, field_validation)
    outcome = Outcome()
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        body = target.obj
        if save_config:
            from kauth.kubectl.last_applied import with_last_applied

            body = with_last_applied(body)
        if dry_run == "client":
            report(outcome, target.rt, body, output, "replaced", dry_run)
            continue
        if not (body.get("metadata") or {}).get("resourceVersion"):
            # Helper.Replace with overwrite: take the live resourceVersion so the PUT is not unconditional.
            live = client.send("get", target.rt, target.namespace, target.name)
            outcome.record(live)
            if live.ok:
                body = {**body, "metadata": {**body["metadata"],
                                             "resourceVersion": live.body["metadata"]["resourceVersion"]}}
            elif live.code != 404:
                outcome.fail(StatusError.from_status(live.body).with_source("replacing", doc.source))
                continue
        response = client.send("update", target.rt, target.namespace, target.name, body=body,
                               dry_run=dry_run == "server", field_manager=FIELD_MANAGERS["replace"],
                               field_validation=field_validation)
        outcome.record(response)
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body).with_source("replacing", doc.source))
            continue
        report(outcome, target.rt, response.body, output, "replaced", dry_run)
    return outcome



def _force_replace(client: Client, documents: list[Document], save_config: bool, output: str,
                   field_validation: str) -> Outcome:
    """forceReplace: DeleteResult over every object (not found ignored; the first failure ends the command),
    then a create of each, printed as `replaced`; errors carry no file name."""
    from kauth.kubectl.delete import BACKGROUND_DELETE

    outcome = Outcome()
    targets = list(document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                    outcome.fail))
    if outcome.errors:
        return outcome
    for target, _ in targets:
        response = client.send("delete", target.rt, target.namespace, target.name, body=BACKGROUND_DELETE)
        outcome.record(response)
        if response.code == 404:
            continue
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body))
            return outcome
        outcome.print(f'{target.rt.group_kind.lower()} "{target.name}" deleted')
    for target, _ in targets:
        body = target.obj
        if save_config:
            from kauth.kubectl.last_applied import with_last_applied

            body = with_last_applied(body)
        response = client.send("create", target.rt, target.namespace, body=body,
                               field_manager=FIELD_MANAGERS["replace"], field_validation=field_validation)
        outcome.record(response)
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body))
            return outcome
        report(outcome, target.rt, response.body, output, "replaced")
    return outcome
