"""`kauth compare -f FILE`: apply, create and replace, each on its own copy of the same state, side by side.

For every object of the files: what each command would print, the requests it would send, how the stored
object would differ from live (field by field), and what happens to the last-applied annotation. The state
itself is never changed. This is what makes plain why create fails on an existing object while apply merges,
why a field set by `kubectl scale` survives apply, and why apply deletes a field dropped from the file only if
it had been applied before.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable


from kauth.api.changes import field_changes
from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import Target, target_for_document
from kauth.kubectl.client import Client
from kauth.kubectl.last_applied import ANNOTATION, annotation_named
from kauth.kubectl.loader import Document, with_errors
from kauth.kubectl.output import Outcome

COMMANDS = ("apply", "create", "replace")
# Server bookkeeping every write changes: shown apart from the fields the command chose to change.
BOOKKEEPING = ("resourceVersion", "generation", "managedFields", "uid", "creationTimestamp")
NEW_LAST_APPLIED = "(the file, as the new last-applied configuration)"  # shown for the annotation in a patch


@dataclass
class Result:
    """What one command did to one object, on its copy of the state."""

    command: str
    outcome: str  # created / configured / unchanged / replaced, or the error's reason (AlreadyExists, NotFound...)
    printed: str  # the lines kubectl would print (stdout, then stderr)
    exit_code: int
    requests: list[dict] = field(default_factory=list)  # {method, path, body}
    changes: list[str] = field(default_factory=list)  # `spec.replicas: 5 → 2`, ...
    changed_paths: list[str] = field(default_factory=list)
    last_applied: str = ""


@dataclass
class Comparison:
    target: str  # deployment.apps/web
    source: str
    existed: bool
    results: list[Result]
    why: list[str]

    def to_dict(self) -> dict:
        return {"object": self.target, "source": self.source, "existed": self.existed,
                "results": {r.command: {"outcome": r.outcome, "printed": r.printed, "exitCode": r.exit_code,
                                        "requests": r.requests, "changes": r.changes, "lastApplied": r.last_applied}
                            for r in self.results}, "why": self.why}


def compare(cluster: Any, make_client: Callable[[Any], Client], documents: list[Document]) -> list[Comparison]:
    """Each object of the files through each command, every run on a fresh copy of `cluster`."""
    from kauth.kubectl.printers import name_line

    probe = make_client(cluster)
    table = probe.table()
    out = []
    for doc, problem in with_errors(documents):
        if problem is not None:
            raise problem
        target = target_for_document(table, doc.obj, doc.source, probe.namespace, probe.namespace_explicit)
        live = _get(probe, target)
        results = [_run(command, cluster.copy(), make_client, doc, target, live) for command in COMMANDS]
        out.append(Comparison(name_line(target.rt, target.obj), doc.source, live is not None, results,
                              _why(live, results)))
    return out


def _run(command: str, copy: Any, make_client: Callable[[Any], Client], doc: Document, target: Target,
         live: dict | None) -> Result:
    from kauth.kubectl.apply import apply
    from kauth.kubectl.create import create
    from kauth.kubectl.replace import replace

    client = make_client(copy)
    run = {"apply": apply, "create": create, "replace": replace}[command]
    try:
        outcome: Outcome = run(client, [doc])
    except (ClientError, StatusError) as err:
        outcome = Outcome()
        outcome.fail(err)
    after = _get(client, target)
    printed = outcome.text + outcome.stderr
    result = Result(command, _outcome_word(outcome), printed.rstrip("\n"), outcome.exit_code)
    for response in client.responses:
        request = response.request
        if request.verb in ("get", "list"):
            result.requests.append({"method": request.method, "path": request.url, "code": response.code})
            continue
        body = request.body if request.verb == "patch" else None
        result.requests.append({"method": request.method, "path": request.url, "code": response.code,
                                **({"patch": annotation_named(body, NEW_LAST_APPLIED), "patchType": request.patch_type}
                                   if body is not None else {})})
    result.changes, result.changed_paths = _changes(live, after)
    result.last_applied = _last_applied_fate(live, after)
    return result


def _get(client: Client, target: Target) -> dict | None:
    response = client.server.handle(_read(client, target))
    return response.body if response.ok else None


def _read(client: Client, target: Target):
    from kauth.apiserver.request import Request

    rt = target.rt
    return Request("get", rt.group, rt.version, rt.plural, target.namespace, target.name,
                   credentials=client.credentials, impersonate=client.impersonate)


def _outcome_word(outcome: Outcome) -> str:
    if outcome.errors:
        err = outcome.errors[0]
        return err.reason if isinstance(err, StatusError) else "error"
    words = re.findall(r" (created|configured|unchanged|replaced)(?: \(.*\))?$", outcome.text.strip(), re.M)
    return words[-1] if words else "done"


def _changes(before: dict | None, after: dict | None) -> tuple[list[str], list[str]]:
    """Field-by-field differences, bookkeeping left out, as `path: old → new`, and their paths."""
    if before is None and after is None:
        return [], []
    if before is None:
        return ["(the object is created)"], []
    if after is None:
        return ["(the object is gone)"], []
    changes = field_changes(_comparable(before), _comparable(after))
    return [line for _, line in changes], [path for path, _ in changes]


def _comparable(obj: dict) -> dict:
    """The object without server bookkeeping and the last-applied annotation (its own row tells its fate)."""
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in BOOKKEEPING}
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k != ANNOTATION}
    meta.pop("annotations", None)
    if annotations:
        meta["annotations"] = annotations
    return {**obj, "metadata": meta}


def _nulls(patch: dict, prefix: str = "") -> list[str]:
    """The fields a patch deletes (set to null), as paths."""
    out = []
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        path = f"{prefix}.{key}" if prefix else key
        if value is None:
            out.append(path)
        elif isinstance(value, dict):
            out.extend(_nulls(value, path))
    return out


def _last_applied_fate(before: dict | None, after: dict | None) -> str:
    def value(obj: dict | None) -> str | None:
        return ((obj or {}).get("metadata") or {}).get("annotations", {}).get(ANNOTATION)

    old, new = value(before), value(after)
    if after is None:
        return "(no object)"
    if old is None and new is None:
        return "absent"
    if old is None:
        return "written"
    if new is None:
        return "dropped"
    return "kept" if old == new else "updated"


def _why(live: dict | None, results: list[Result]) -> list[str]:
    """The lessons the three results teach for this object."""
    by = {r.command: r for r in results}
    why = []
    if live is not None and by["create"].outcome == "AlreadyExists":
        why.append("create POSTs the whole object, and a name can be created only once: the server answers "
                   "AlreadyExists. apply reads the live object and sends only a patch.")
    if live is None:
        if by["replace"].outcome == "NotFound":
            why.append("replace PUTs over an existing object: there is none, so the server answers NotFound.")
        return why
    apply_paths, replace_paths = set(by["apply"].changed_paths), set(by["replace"].changed_paths)
    kept = sorted(p for p in replace_paths - apply_paths if not p.startswith("metadata.annotations"))
    if kept and by["replace"].exit_code == 0 and by["apply"].exit_code == 0:
        why.append("replace sends the file whole, so it also changes " + ", ".join(kept[:6]) +
                   ("…" if len(kept) > 6 else "") + "; apply leaves them alone: they were never in its last-applied "
                   "configuration (set by another writer, kubectl scale, a controller or the server's defaults).")
    if by["apply"].last_applied == "written" and live is not None:
        why.append("The live object had no last-applied annotation (it was not created by apply or "
                   "create --save-config): this apply deletes nothing, it only adds and changes, and writes the "
                   "annotation for next time.")
    patch = next((q.get("patch") for q in by["apply"].requests if "patch" in q), None)
    deleted = _nulls(patch) if isinstance(patch, dict) else []
    if deleted:
        why.append("apply deletes " + ", ".join(deleted[:6]) + ("…" if len(deleted) > 6 else "") + ": in the "
                   "last-applied configuration, no longer in the file (a field with a default gets it back).")
    return why


def render(comparisons: list[Comparison], width: int = 150) -> str:
    """The comparison for people: one table per object, the commands side by side, then why."""
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, color_system=None)
    for comparison in comparisons:
        state = "exists" if comparison.existed else "does not exist yet"
        table = Table(title=f"{comparison.target} (from {comparison.source}; it {state})", show_lines=True,
                      title_justify="left")
        table.add_column("", style="bold", no_wrap=True)
        for result in comparison.results:
            table.add_column(f"kubectl {result.command}", overflow="fold")
        rows = [
            ("outcome", lambda r: f"{r.outcome} (exit {r.exit_code})"),
            ("prints", lambda r: r.printed or "(nothing)"),
            ("requests", lambda r: "\n".join(f"{q['method']} {q['path']} → {q['code']}" +
                                             (f"\n  {q['patchType']} patch: {json.dumps(q['patch'], sort_keys=True)}"
                                              if "patch" in q else "") for q in r.requests) or "(none)"),
            ("stored object", lambda r: "\n".join(r.changes) or "(unchanged)"),
            ("last-applied", lambda r: r.last_applied),
        ]
        for label, cell in rows:
            table.add_row(label, *[cell(r) for r in comparison.results])
        console.print(table)
        for line in comparison.why:
            console.print(f"• {line}")
        console.print()
    return buffer.getvalue()
