"""The real kubectl as a test oracle for kauth.patch.

Two ways to ask it:
- `patch_local`: `kubectl patch -f obj.json --local --type T -p PATCH -o json`, the real patch
  application code (strategicpatch, evanphx/json-patch v4) run offline.
- `StubServer`: a tiny loopback API server that answers discovery and GET with objects we choose
  and records every PATCH body. Running `kubectl apply` / `kubectl edit` against it shows the exact
  patch kubectl computes (CreateThreeWayMergePatch, CreateTwoWayMergePatch,
  CreateThreeWayJSONMergePatch) without a cluster.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from json_http import JSONHandler, serve

KUBECTL = shutil.which("kubectl")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

requires_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl binary not on PATH: differential tests need the real kubectl v1.32")


@dataclass
class Outcome:
    """What kubectl did: the resulting object (or patch body), or the error text it printed."""

    value: Any = None
    error: str | None = None


def _run(args: list[str], stdin: str | None = None, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([KUBECTL, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def patch_local(obj: dict, patch: Any, patch_type: str = "strategic") -> Outcome:
    """Apply `patch` to `obj` with `kubectl patch --local`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(obj, f)
        path = f.name
    try:
        proc = _run(["patch", "-f", path, "--local", "--type", patch_type, "-p", json.dumps(patch), "-o", "json"])
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        return Outcome(error=_error_text(proc.stderr))
    return Outcome(value=json.loads(proc.stdout))


def _error_text(stderr: str) -> str:
    text = stderr.strip()
    return text[len("error: "):] if text.startswith("error: ") else text


def go_json(value: Any) -> str:
    """encoding/json.Marshal: sorted keys, compact, <>& escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- the stub API server ---------------------------------------------------------------------

_CORE = {
    "pods": ("Pod", True),
    "services": ("Service", True),
    "configmaps": ("ConfigMap", True),
    "namespaces": ("Namespace", False),
}
_GROUPS = {
    "apps": {"v1": {"deployments": ("Deployment", True), "daemonsets": ("DaemonSet", True),
                    "statefulsets": ("StatefulSet", True)}},
    "example.com": {"v1": {"widgets": ("Widget", True)}},
}


def _resource_list(group_version: str, resources: dict) -> dict:
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": [
            {"name": plural, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
             "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}
            for plural, (kind, namespaced) in resources.items()
        ],
    }


@dataclass
class StubServer:
    """Serves discovery plus the objects in `objects` (keyed by URL path); records PATCH requests."""

    objects: dict[str, dict] = field(default_factory=dict)
    patches: list[tuple[str, Any]] = field(default_factory=list)
    # Every PATCH by URL path: batches of distinctly named objects share the server concurrently.
    patched: dict[str, tuple[str, Any]] = field(default_factory=dict)

    def __enter__(self) -> "StubServer":
        stub = self

        class Handler(JSONHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                if path == "/api":
                    address = [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]
                    return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": address})
                if path == "/apis":
                    groups = [{"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                               "preferredVersion": {"groupVersion": f"{g}/{next(iter(vs))}", "version": next(iter(vs))}}
                              for g, vs in _GROUPS.items()]
                    return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
                if path == "/api/v1":
                    return self.send_json(200, _resource_list("v1", _CORE))
                for g, vs in _GROUPS.items():
                    for v, resources in vs.items():
                        if path == f"/apis/{g}/{v}":
                            return self.send_json(200, _resource_list(f"{g}/{v}", resources))
                if path in stub.objects:
                    return self.send_json(200, stub.objects[path])
                name = path.rsplit("/", 1)[-1]
                return self.send_json(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                        "message": f'"{name}" not found', "reason": "NotFound", "code": 404})

            def do_PATCH(self):
                path = self.path.split("?")[0]
                record = (self.headers.get("Content-Type", ""), self.read_json())
                stub.patches.append(record)
                stub.patched[path] = record
                return self.send_json(200, stub.objects.get(path, {}))

        self._server = serve(Handler)
        self._dir = tempfile.mkdtemp(prefix="kubectl-oracle-")
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def kubectl(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        base = ["--server", self.url, "--cache-dir", os.path.join(self._dir, "cache"), "--kubeconfig", os.devnull,
                "-n", "default"]
        full_env = dict(os.environ, HOME=self._dir, **(env or {}))
        return _run([*base, *args], env=full_env)

    def write(self, name: str, obj: Any) -> str:
        path = os.path.join(self._dir, name)
        with open(path, "w") as f:
            f.write(obj if isinstance(obj, str) else json.dumps(obj))
        return path


PLURALS = {kind: plural for resources in [_CORE, *(vs["v1"] for vs in _GROUPS.values())]
           for plural, (kind, _) in resources.items()}


def object_path(obj: dict) -> str:
    """The URL path of a namespaced object of the kinds the stub serves."""
    api_version, kind = obj["apiVersion"], obj["kind"]
    plural = PLURALS[kind]
    prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
    return f"{prefix}/namespaces/{obj['metadata'].get('namespace', 'default')}/{plural}/{obj['metadata']['name']}"


_shared: StubServer | None = None


def shared_stub() -> StubServer:
    """One stub server for the whole test session: kubectl caches its discovery, calls get fast."""
    global _shared
    if _shared is None:
        _shared = StubServer().__enter__()
        atexit.register(_shared.__exit__)
    return _shared


def apply_patch_body(current: dict, manifest: dict, overwrite: bool = True) -> Outcome:
    """The body `kubectl apply -f manifest` PATCHes when the live object is `current`.

    Outcome.value is (content_type, patch), or None when kubectl sent nothing (unchanged).
    """
    stub = shared_stub()
    stub.objects = {object_path(current): current}
    stub.patches = []
    path = stub.write("manifest.json", manifest)
    args = ["apply", "--validate=false", "-f", path]
    if not overwrite:
        args.append("--overwrite=false")
    proc = stub.kubectl(*args)
    if proc.returncode != 0:
        return Outcome(error=_error_text(proc.stderr))
    return Outcome(value=stub.patches[0] if stub.patches else None)


def edit_patch_body(current: dict, edited: dict) -> Outcome:
    """The body `kubectl edit` PATCHes when the user turns `current` into `edited`."""
    stub = shared_stub()
    stub.objects = {object_path(current): current}
    stub.patches = []
    edited_path = stub.write("edited.json", json.dumps(edited))
    editor = stub.write("editor.sh", f"#!/bin/sh\ncp {edited_path} \"$1\"\n")
    os.chmod(editor, 0o755)
    proc = stub.kubectl("edit", f"{current['kind'].lower()}/{current['metadata']['name']}", "-o", "json",
                        "--validate=false", env={"KUBE_EDITOR": editor})
    if proc.returncode != 0:
        return Outcome(error=_error_text(proc.stderr))
    return Outcome(value=stub.patches[0] if stub.patches else None)


def with_last_applied(manifest: dict) -> dict:
    """`modified` as kubectl apply builds it: the manifest carrying its own last-applied annotation
    (compact Go JSON of the manifest with `annotations: {}` and without the annotation itself)."""
    import copy

    modified = copy.deepcopy(manifest)
    annotations = dict(modified["metadata"].get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    modified["metadata"]["annotations"] = annotations
    last_applied = go_json(modified) + "\n"
    modified["metadata"]["annotations"] = dict(annotations, **{LAST_APPLIED: last_applied})
    return modified


def applied(manifest: dict, live: dict | None = None) -> dict:
    """`live` (default: the manifest itself) carrying `manifest` as its last-applied configuration."""
    import copy

    obj = copy.deepcopy(live if live is not None else manifest)
    last = with_last_applied(manifest)["metadata"]["annotations"][LAST_APPLIED]
    obj["metadata"].setdefault("annotations", {})
    obj["metadata"]["annotations"] = dict(obj["metadata"]["annotations"] or {}, **{LAST_APPLIED: last})
    return obj


# -- batches: many cases per kubectl run, several runs at once -------------------------------------
#
# A kubectl run costs ~0.1 s, nearly all of it start-up, so the differential tests put many objects
# into one run (`-f` of a v1 List) and keep a few runs going at once. Objects in one batch carry
# distinct names (`fresh_names`), which is how kubectl's answers are matched back to them.

WORKERS = int(os.environ.get("KAUTH_KUBECTL_WORKERS", "3"))
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="kubectl-oracle")
_names = itertools.count()


def fresh_names(count: int) -> list[str]:
    """Object names never used before in this session, so concurrent batches never share an object."""
    return [f"o{next(_names)}" for _ in range(count)]


def in_parallel(fn, calls: list[tuple]) -> list:
    """fn(*args) for each args in `calls`, run on the oracle's thread pool; results in order."""
    return list(_pool.map(lambda args: fn(*args), calls))


def _as_list(objects: list[dict]) -> dict:
    return {"apiVersion": "v1", "kind": "List", "items": objects}


def _json_documents(text: str) -> list[Any]:
    """The objects `kubectl ... -o json` prints one after another for a List input."""
    decoder, docs, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return docs
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)


def patch_local_many(objects: list[dict], patch: Any, patch_type: str = "strategic") -> list[Outcome]:
    """`patch_local` of one patch to each of `objects` (distinct names), in one kubectl run.

    kubectl patches every item it can and prints the errors of the others together, unlabelled, so
    an item without an answer on stdout is asked again on its own for its error text."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(_as_list(objects), f)
        path = f.name
    try:
        proc = _run(["patch", "-f", path, "--local", "--type", patch_type, "-p", json.dumps(patch), "-o", "json"])
    finally:
        os.unlink(path)
    answers = {doc["metadata"]["name"]: Outcome(value=doc) for doc in _json_documents(proc.stdout)}
    failed = [obj for obj in objects if obj["metadata"]["name"] not in answers]
    errors = _item_errors(proc.stderr, len(failed))
    answers.update((obj["metadata"]["name"], Outcome(error=error) if errors else patch_local(obj, patch, patch_type))
                   for obj, error in zip(failed, errors or [None] * len(failed)))
    return [answers[obj["metadata"]["name"]] for obj in objects]


def _item_errors(stderr: str, failures: int) -> list[str] | None:
    """The error of each failed item, in order: kubectl prints one as `error: TEXT` and several as
    one line each. None when the lines do not tell (a panic, a message of several lines)."""
    if failures == 1 and not stderr.startswith("panic:"):
        return [_error_text(stderr)]
    lines = stderr.strip().splitlines()
    if failures > 1 and len(lines) == failures and not any(line.startswith(("panic:", "error: ")) for line in lines):
        return lines
    return None


def _forget(stub: StubServer, paths: list[str]) -> None:
    for path in paths:
        stub.objects.pop(path, None)
        stub.patched.pop(path, None)


def apply_patch_bodies(cases: list[tuple[dict, dict]], overwrite: bool = True) -> list[Outcome]:
    """`apply_patch_body` for each (current, manifest) pair (distinct names), in one `kubectl apply`
    of a List. Items kubectl failed on are asked again one by one for their own error text."""
    stub = shared_stub()
    paths = [object_path(current) for current, _ in cases]
    stub.objects.update(zip(paths, (current for current, _ in cases)))
    manifests = stub.write(f"manifests-{fresh_names(1)[0]}.json", _as_list([manifest for _, manifest in cases]))
    args = ["apply", "--validate=false", "-f", manifests] + ([] if overwrite else ["--overwrite=false"])
    proc = stub.kubectl(*args)
    out = [Outcome(value=stub.patched.get(path)) for path in paths]
    _forget(stub, paths)
    if proc.returncode != 0:
        out = [outcome if outcome.value is not None else _apply_one(current, manifest, overwrite)
               for outcome, (current, manifest) in zip(out, cases)]
    return out


def _apply_one(current: dict, manifest: dict, overwrite: bool) -> Outcome:
    stub = shared_stub()
    path = object_path(current)
    stub.objects[path] = current
    manifest_file = stub.write(f"manifest-{fresh_names(1)[0]}.json", manifest)
    proc = stub.kubectl("apply", "--validate=false", "-f", manifest_file, *([] if overwrite else ["--overwrite=false"]))
    outcome = Outcome(value=stub.patched.get(path)) if proc.returncode == 0 else Outcome(error=_error_text(proc.stderr))
    _forget(stub, [path])
    return outcome


def edit_patch_bodies(cases: list[tuple[dict, dict]]) -> list[Outcome]:
    """`edit_patch_body` for each (current, edited) pair of one kind (distinct names), in one
    `kubectl edit` of all of them: the editor gets a List and hands back the edited List."""
    stub = shared_stub()
    paths = [object_path(current) for current, _ in cases]
    stub.objects.update(zip(paths, (current for current, _ in cases)))
    tag = fresh_names(1)[0]
    edited = stub.write(f"edited-{tag}.json", _as_list([e for _, e in cases]))
    editor = stub.write(f"editor-{tag}.sh", f"#!/bin/sh\ncp {edited} \"$1\"\n")
    os.chmod(editor, 0o755)
    kind = cases[0][0]["kind"].lower()
    proc = stub.kubectl("edit", *(f"{kind}/{c['metadata']['name']}" for c, _ in cases), "-o", "json",
                        "--validate=false", env={"KUBE_EDITOR": editor})
    out = [Outcome(value=stub.patched.get(path)) if proc.returncode == 0 else Outcome(error=_error_text(proc.stderr))
           for path in paths]
    _forget(stub, paths)
    return out
