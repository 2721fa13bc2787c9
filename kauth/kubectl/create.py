"""`kubectl create -f`: POST each object of the files; AlreadyExists when it is there."""

from __future__ import annotations

from kauth.api.errors import StatusError
from kauth.kubectl.builder import document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report


def create(client: Client, documents: list[Document], *, dry_run: DryRun = "none", output: str = "",
           save_config: bool = False, field_validation: str = "Strict") -> Outcome:
    outcome = Outcome()
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        body = target.obj
        if save_config:
            from kauth.kubectl.last_applied import with_last_applied

            body = with_last_applied(body)
        if dry_run == "client":
            report(outcome, target.rt, body, output, "created", dry_run)
            continue
        response = client.send("create", target.rt, target.namespace, body=body, dry_run=dry_run == "server",
                               field_manager=FIELD_MANAGERS["create"], field_validation=field_validation)
        outcome.record(response)
        if not response.ok:
            outcome.fail(StatusError.from_status(response.body).with_source("creating", doc.source))
            continue
        report(outcome, target.rt, response.body, output, "created", dry_run)
    return outcome

