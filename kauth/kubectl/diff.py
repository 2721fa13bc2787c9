"""`kubectl diff -f`: the live objects against what `apply` would make of them (a server dry run), as a
unified diff; exit 0 when they are the same, 1 when they differ, above 1 on an error.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go: the LIVE and MERGED directories hold one YAML file
per object, named group.version.Kind.namespace.name, without managedFields, Secret values masked; then
`diff -u -N`. MERGED is the server's dry-run apply of the file, or, for an object not yet stored, its dry-run
create of the file as written (no last-applied annotation: diff.go's InfoObject.Merged). kauth prints the
same hunks with fixed directory names (a real run's temporary directories differ every time) and the file
times GNU diff shows.
"""

from __future__ import annotations

import difflib
import time
from datetime import datetime, timezone

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.apply import apply_one
from kauth.kubectl.builder import Target, document_targets
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome

LIVE, MERGED = "/tmp/LIVE-kauth", "/tmp/MERGED-kauth"


def diff(client: Client, documents: list[Document], *, field_validation: str = "Strict") -> Outcome:
    outcome = Outcome()
    changed = False
    for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                        outcome.fail):
        try:
            found = client.send("get", target.rt, target.namespace, target.name)
            outcome.record(found)
            if found.ok:
                live = found.body
                _, merged = apply_one(client, outcome, target, doc.source, "server", field_validation, annotate=False)
            elif found.code == 404:
                live, merged = None, _dry_run_create(client, outcome, target, field_validation)
            else:
                raise StatusError.from_status(found.body)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
            continue
        rt = target.rt
        name = ".".join(p for p in (rt.group, rt.version, rt.kind, target.namespace, target.name) if p) \
            if rt.group else f"{rt.version}.{rt.kind}.{target.namespace}.{target.name}"
        live, merged = _masked(live, merged) if rt.kind == "Secret" and rt.group == "" else (live, merged)
        before, after = _shown(live), _shown(merged)
        if before == after:
            continue
        changed = True
        outcome.print(f"diff -u -N {LIVE}/{name} {MERGED}/{name}")
        written = _file_time()
        outcome.write("".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                                   f"{LIVE}/{name}", f"{MERGED}/{name}", written, written)))
    outcome.status = 2 if outcome.errors else 1 if changed else 0  # kubectl diff: above 1 means an error
    return outcome


def _dry_run_create(client: Client, outcome: Outcome, target: Target, field_validation: str) -> dict:
    created = client.send("create", target.rt, target.namespace, body=target.obj, dry_run=True,
                          field_manager=FIELD_MANAGERS["apply"], field_validation=field_validation)
    outcome.record(created)
    if not created.ok:
        raise StatusError.from_status(created.body)
    return created.body


def _file_time() -> str:
    """A file's modification time as GNU diff -u prints it: `2026-12-02 00:50:01.123456789 +0000`."""
    nanoseconds = time.time_ns()
    moment = datetime.fromtimestamp(nanoseconds // 1_000_000_000, timezone.utc)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{nanoseconds % 1_000_000_000:09d} +0000"


def _shown(obj: dict | None) -> str:
    """The file kubectl writes: the object as YAML without managedFields (none at all for a new object)."""
    if obj is None:
        return ""
    from kauth.kubectl.printing import render

    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "managedFields"}
    return render({**obj, "metadata": meta}, "yaml")


def _masked(live: dict | None, merged: dict | None) -> tuple[dict | None, dict | None]:
    """diff.go's Masker: Secret values become ***, or *** (before) / *** (after) where they differ."""
    def values(obj: dict | None, field: str) -> dict:
        return dict((obj or {}).get(field) or {})

    out = []
    for obj in (live, merged):
        out.append(None if obj is None else {**obj})
    for field in ("data", "stringData"):
        before, after = values(live, field), values(merged, field)
        masked_before = {k: "***" if after.get(k) == v else "*** (before)" for k, v in before.items()}
        masked_after = {k: "***" if before.get(k) == v else "*** (after)" for k, v in after.items()}
        if out[0] is not None and field in out[0]:
            out[0][field] = masked_before
        if out[1] is not None and field in out[1]:
            out[1][field] = masked_after
    return out[0], out[1]
