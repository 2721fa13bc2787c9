"""A loopback API server whose discovery is kauth's resource table, so the real kubectl can be an oracle
for the commands that need a RESTMapper even with --dry-run=client (create role, run, expose -f).

kubectl then resolves `po`, `deployments.apps` or `foo` against exactly the types kauth serves; objects
put in `objects` (keyed by URL path) answer GET, every other path is a 404 Status. POST echoes the body.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from json_http import JSONHandler, serve

from kauth.api.resources import ResourceTable
from kauth.apiserver.discovery import document

KUBECTL = shutil.which("kubectl")


def not_found(path: str) -> dict:
    """The NotFound Status a real server sends for an object URL (/api/v1/namespaces/ns/pods/name)."""
    parts = path.strip("/").split("/")
    group = parts[1] if parts[0] == "apis" else ""
    plural, name = parts[-2:] if len(parts) >= 2 else ("", "")
    qualified = f"{plural}.{group}" if group else plural
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": f'{qualified} "{name}" not found', "reason": "NotFound",
            "details": {"name": name, "group": group, "kind": plural}, "code": 404}


class DiscoveryStub:
    """Serves the table's discovery plus `objects`; `kubectl(...)` runs the real kubectl against it."""

    def __init__(self, table: ResourceTable | None = None):
        self.table = table or ResourceTable.builtin()
        self.objects: dict[str, dict] = {}

    def __enter__(self) -> "DiscoveryStub":
        stub = self

        class Handler(JSONHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                # kauth serve's discovery documents (no OpenAPI: a stub validates nothing)
                discovered = None if path.startswith("/openapi") else document(stub.table, path, "127.0.0.1")
                found = discovered or stub.objects.get(path)
                if found is not None:
                    return self.send_json(200, found)
                return self.send_json(404, not_found(path))

        self._server = serve(Handler)
        self.home = tempfile.mkdtemp(prefix="kauth-discovery-stub-")
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self.home, ignore_errors=True)

    def kubectl(self, args: list[str], cwd: str | None = None) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) of the real kubectl, its discovery cached across calls."""
        url = f"http://127.0.0.1:{self._server.server_address[1]}"
        base = ["--server", url, "--cache-dir", os.path.join(self.home, "cache"), "--kubeconfig", os.devnull]
        done = subprocess.run([KUBECTL, *base, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "HOME": self.home})
        return done.returncode, done.stdout, done.stderr
