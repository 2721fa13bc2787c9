"""`kubectl scale`: set replicas through the scale subresource, optionally only from a known count.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go and pkg/scale/scale.go (ScaleSimple: the
--current-replicas precondition read from /scale, then a JSON merge patch {"spec":{"replicas":N}} on /scale;
no field manager is sent, so the server names the writer after the User-Agent: kubectl).
"""

from __future__ import annotations

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import document_targets, select
from kauth.kubectl.client import Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report


def scale(client: Client, args: list[str], documents: list[Document] | None, *, replicas: int,
          current_replicas: int = -1, dry_run: DryRun = "none", output: str = "") -> Outcome:
    if replicas < 0:
        raise ClientError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    outcome = Outcome()
    if documents:
        targets = [t for t, _ in document_targets(client.table(), documents, client.namespace,
                                                  client.namespace_explicit, outcome.fail)]
    else:
        targets = list(select(client.table(), args, client.namespace, "scale").targets)
    for target in targets:
        if not target.rt.has_subresource("scale"):
            outcome.fail(ClientError(f"cannot scale {target.rt.kind}: it has no scale subresource"))
            continue
        try:
            if current_replicas >= 0:
                found = client.send("get", target.rt, target.namespace, target.name, subresource="scale")
                if not outcome.answered(found):
                    continue
                actual = (found.body.get("spec") or {}).get("replicas", 0)
                if actual != current_replicas:
                    outcome.fail(ClientError(f"Expected replicas to be {current_replicas}, was {actual}"))
                    continue
            if dry_run == "client":
                report(outcome, target.rt, target.obj or {"metadata": {"name": target.name}}, output, "scaled",
                       dry_run)
                continue
            response = client.send("patch", target.rt, target.namespace, target.name, subresource="scale",
                                   body={"spec": {"replicas": replicas}}, patch_type="merge",
                                   dry_run=dry_run == "server")
            if outcome.answered(response):
                shown = client.send("get", target.rt, target.namespace, target.name) if output else None
                report(outcome, target.rt, shown.body if shown is not None and shown.ok else
                       {"metadata": {"name": target.name}}, output, "scaled", dry_run)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
    return outcome
