"""`kubectl replace -f`: GET the live resourceVersion, then PUT the file's object whole."""

from __future__ import annotations

from kauth.api.errors import StatusError
from kauth.kubectl.builder import document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report


def replace(client: Client, documents: list[Document], *, save_config: bool = False, dry_run: DryRun = "none",
            output: str = "", field_validation: str = "Strict") -> Outcome:
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

