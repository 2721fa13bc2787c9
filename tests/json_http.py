"""A loopback JSON server for the tests that point the real kubectl at a stub (the patch oracle, the discovery
stub): quiet, JSON both ways, POST echoing the body as a create would store it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JSONHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def send_json(self, code: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_json(self) -> Any:
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())

    def do_POST(self):
        return self.send_json(201, self.read_json())


class _Server(ThreadingHTTPServer):
    # kubectl opens a connection per discovery document at once; socketserver's backlog of 5 refuses some of
    # them when the machine is loaded, and kubectl then prints discovery warnings the other side never sees
    request_queue_size = 128


def serve(handler: type[JSONHandler]) -> ThreadingHTTPServer:
    """A server on a free loopback port, answering on a daemon thread until shutdown()."""
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
