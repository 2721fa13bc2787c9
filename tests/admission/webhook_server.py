"""A local admission webhook server for tests: HTTPS with a throwaway CA (or plain HTTP), answering each path as
a test says and recording every request it receives.

    with WebhookServer() as server:
        server.on("/deny", deny("no pods today"))
        config = validating_configuration(webhook("deny.example.com", server.url("/deny"), server.ca_bundle))

Upstream's equivalent: plugin/webhook/testing/webhook_server.go (an httptest server with fixed test certs).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

SERVICE_DNS_NAME = "webhook.default.svc"  # the server's certificate also serves service "default/webhook"


@dataclass(frozen=True)
class Reply:
    """What the server answers: a JSON value (or raw bytes), a status, a content type, after a delay."""

    body: Any = None
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0
    raw: bytes | None = None


Handler = Callable[[dict], Reply]


@dataclass
class Recorded:
    path: str
    query: str
    headers: dict
    body: Any


def review_reply(review: dict, response: dict, *, version: str | None = None) -> Reply:
    """An AdmissionReview answer to `review`: same apiVersion and the request's uid unless given."""
    request = review.get("request") or {}
    out = {"apiVersion": version or review.get("apiVersion"), "kind": "AdmissionReview",
           "response": {"uid": request.get("uid", ""), **response}}
    return Reply(out)


def allow(**response: Any) -> Handler:
    return lambda review: review_reply(review, {"allowed": True, **response})


def deny(message: str = "", *, code: int | None = None, reason: str = "", **response: Any) -> Handler:
    status: dict = {}
    if code is not None:
        status["code"] = code
    if message:
        status["message"] = message
    if reason:
        status["reason"] = reason
    body: dict = {"allowed": False, **response}
    if status:
        body["status"] = status
    return lambda review: review_reply(review, body)


def patch(operations: list, **response: Any) -> Handler:
    encoded = base64.b64encode(json.dumps(operations).encode()).decode()
    return lambda review: review_reply(review, {"allowed": True, "patchType": "JSONPatch", "patch": encoded,
                                               **response})


def fixed(reply: Reply) -> Handler:
    return lambda review: reply


class WebhookServer:
    """The server, started on 127.0.0.1 with a free port; use as a context manager."""

    def __init__(self, *, tls: bool = True):
        self.tls = tls
        self.handlers: dict[str, Handler] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                path, _, query = self.path.partition("?")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                with server._lock:
                    server.requests.append(Recorded(path, query, dict(self.headers), body))
                handler = server.handlers.get(path)
                reply = handler(body) if handler is not None else Reply({"message": "not found"}, 404,
                                                                         "text/plain")
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.raw if reply.raw is not None else (
                    json.dumps(reply.body).encode() if not isinstance(reply.body, str) else reply.body.encode())
                try:
                    self.send_response(reply.status)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # refused handshakes (TLS tests)
        if tls:
            ca_pem, cert_pem, key_pem = _certificates()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory() as folder:
                cert, key = Path(folder, "tls.crt"), Path(folder, "tls.key")
                cert.write_bytes(cert_pem)
                key.write_bytes(key_pem)
                context.load_cert_chain(cert, key)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
            self.ca_bundle = base64.b64encode(ca_pem).decode()
        else:
            self.ca_bundle = ""
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def on(self, path: str, handler: Handler) -> "WebhookServer":
        self.handlers[path] = handler
        return self

    def reviews(self, path: str | None = None) -> list[dict]:
        return [r.body for r in self.requests if path is None or r.path == path]

    def __enter__(self) -> "WebhookServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


@lru_cache(maxsize=1)
def _certificates() -> tuple[bytes, bytes, bytes]:
    """A CA, and a server certificate it signed for 127.0.0.1, localhost and webhook.default.svc (PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kauth-webhook-test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "webhook")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost"),
                x509.DNSName(SERVICE_DNS_NAME)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return (ca.public_bytes(pem), cert.public_bytes(pem),
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

