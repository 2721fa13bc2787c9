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
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

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
    "apps": {"v1": {"deployments": ("Deployment", True)}},
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

    def __enter__(self) -> "StubServer":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = self.path.split("?")[0]
                if path == "/api":
                    address = [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]
                    return self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": address})
                if path == "/apis":
                    groups = [{"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                               "preferredVersion": {"groupVersion": f"{g}/{next(iter(vs))}", "version": next(iter(vs))}}
                              for g, vs in _GROUPS.items()]
                    return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
                if path == "/api/v1":
                    return self._send(200, _resource_list("v1", _CORE))
                for g, vs in _GROUPS.items():
                    for v, resources in vs.items():
                        if path == f"/apis/{g}/{v}":
                            return self._send(200, _resource_list(f"{g}/{v}", resources))
                if path in stub.objects:
                    return self._send(200, stub.objects[path])
                name = path.rsplit("/", 1)[-1]
                return self._send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                        "message": f'"{name}" not found', "reason": "NotFound", "code": 404})

            def do_PATCH(self):
                path = self.path.split("?")[0]
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                stub.patches.append((self.headers.get("Content-Type", ""), json.loads(body)))
                return self._send(200, stub.objects.get(path, {}))

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                return self._send(201, json.loads(body))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
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


def object_path(obj: dict) -> str:
    """The URL path of a namespaced object of the kinds the stub serves."""
    api_version, kind = obj["apiVersion"], obj["kind"]
    plural = {"Pod": "pods", "Service": "services", "ConfigMap": "configmaps", "Deployment": "deployments",
              "Widget": "widgets"}[kind]
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
