"""The HTTP(S) client that POSTs an AdmissionReview to a webhook, and what Go's REST client says when that fails.

Upstream: k8s.io/apiserver/pkg/util/webhook/client.go (a url, or a service reached through a service resolver;
caBundle as the only trusted roots), client-go rest/request.go (the `?timeout=10s` parameter, transformResponse,
Result.Into) and net/http's url.Error (`Post "https://...": context deadline exceeded`).

A simulated cluster has no cluster network: a `clientConfig.service` is reached only through the
`service_resolver` the plugin is given (namespace, name, port -> a base URL such as "https://127.0.0.1:8443"); the
TLS server name stays `<name>.<namespace>.svc`, as upstream verifies it.
"""

from __future__ import annotations

import base64
import functools
import http.client
import json
import posixpath
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from kauth.api import errors as api_errors
from kauth.api.errors import StatusError, go_quote

ServiceResolver = Callable[[str, str, int], "str | None"]
MAX_UNSTRUCTURED_RESPONSE_BYTES = 2048  # rest.maxUnstructuredResponseTextBytes
USER_AGENT = "kube-apiserver-admission"


class ClientConfigError(Exception):
    """The webhook's client cannot be built (a caBundle that is not PEM): `could not get REST client: ...`.
    `nested`: HookClient reported it as an ErrCallingWebhook of its own (`failed calling webhook "x": ...`)."""

    def __init__(self, text: str, nested: bool = False):
        super().__init__(text)
        self.nested = nested


class TransportError(Exception):
    """What `r.Do(ctx).Into(response)` returns: its text follows `failed to call webhook: `. `status` is the
    API Status when the webhook answered with one (or the generic one made of its HTTP status)."""

    def __init__(self, text: str, status: StatusError | None = None):
        super().__init__(text)
        self.text = text
        self.status = status


@dataclass(frozen=True)
class Endpoint:
    """Where a webhook is posted: `shown` is the URL Go's errors print, `connect` the one kauth dials."""

    shown: str
    connect: str
    server_name: str
    ca_bundle: bytes | None


def services(mapping: Mapping[tuple[str, str], str]) -> ServiceResolver:
    """A service resolver from {(namespace, name): base URL}: every port of the service goes to that URL."""

    def resolve(namespace: str, name: str, port: int) -> str | None:
        return mapping.get((namespace, name))

    return resolve


def endpoint(client_config: Mapping, timeout_seconds: int, resolver: ServiceResolver | None) -> Endpoint:
    """The URL a webhook is posted to, with the REST client's `?timeout=` parameter (whole seconds)."""
    query = f"?timeout={timeout_seconds}s"
    ca_bundle = _ca_bundle(client_config.get("caBundle"))
    service = client_config.get("service")
    if client_config.get("url"):
        parts = urlsplit(str(client_config["url"]))
        url = f"{parts.scheme}://{parts.netloc}{_clean_path(parts.path)}"
        return Endpoint(url + query, url + query, parts.hostname or "", ca_bundle)
    if not isinstance(service, Mapping):
        # HookClient's own ErrCallingWebhook, which the dispatcher wraps once more
        raise ClientConfigError("webhook configuration must have either service or URL", nested=True)
    namespace, name = service.get("namespace") or "", service.get("name") or ""
    port = service.get("port") or 443
    path = _clean_path(service.get("path") or "")
    server_name = f"{name}.{namespace}.svc"
    shown = f"https://{server_name}:{port}{path}{query}"
    base = resolver(namespace, name, port) if resolver is not None else None
    if not base:
        raise TransportError(api_errors.webhook_service_unreachable(shown, namespace, name))
    return Endpoint(shown, base.rstrip("/") + path + query, server_name, ca_bundle)


def _clean_path(path: str) -> str:
    """The REST client's path: path.Join("/", apiPath), so `/validate/` is posted to `/validate`."""
    cleaned = posixpath.normpath("/" + path)
    return "/" + cleaned.lstrip("/")


def _ca_bundle(value: Any) -> bytes | None:
    if not value:
        return None
    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(str(value))  # []byte fields travel as base64 in JSON and YAML
    except ValueError:
        return None


def post(target: Endpoint, body: dict, timeout_seconds: int, *, allow_http: bool = False) -> dict:
    """POST the review, return the decoded JSON object, or raise TransportError with Go's words."""
    parts = urlsplit(target.connect)
    if parts.scheme not in ("https", "http"):
        raise TransportError(f"Post {go_quote(target.shown)}: unsupported protocol scheme {go_quote(parts.scheme)}")
    if parts.scheme == "http" and not allow_http:
        # The API server refuses such a configuration when it is written (ValidateWebhookURL); kauth stores it
        # unchecked, so the call fails instead.
        raise TransportError(f"Post {go_quote(target.shown)}: 'https' is the only allowed URL scheme; desired "
                             "format: https://host[/path]")
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    payload = json.dumps(body, separators=(",", ":")).encode()
    if parts.scheme == "https":
        try:
            context = _tls_context(target.ca_bundle)
        except (ssl.SSLError, ValueError):
            raise ClientConfigError("unable to load root certificates: unable to parse bytes as PEM block") from None
    deadline = time.monotonic() + timeout_seconds
    try:
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = _HTTPSConnection(host, port, target.server_name or host,
                                                                timeout=timeout_seconds, context=context)
        else:
            conn = _HTTPConnection(host, port, timeout=timeout_seconds)
        try:
            conn.request("POST", path, payload, {"Content-Type": "application/json",
                                                 "Accept": "application/json, */*", "User-Agent": USER_AGENT})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
    except (socket.timeout, TimeoutError):
        raise TransportError(f"Post {go_quote(target.shown)}: context deadline exceeded") from None
    except OSError as err:
        if time.monotonic() >= deadline:
            raise TransportError(f"Post {go_quote(target.shown)}: context deadline exceeded") from None
        raise TransportError(f"Post {go_quote(target.shown)}: {_dial_error(err, host, port)}") from None
    except http.client.HTTPException as err:
        raise TransportError(f"Post {go_quote(target.shown)}: {err or 'EOF'}") from None
    return _decode(response.status, response.getheader("Content-Type") or "", response.getheader("Retry-After"),
                   data)


def _connect_without_delay(conn: http.client.HTTPConnection) -> None:
    http.client.HTTPConnection.connect(conn)
    # as Go's dialer: no Nagle delay between the headers and the body
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        _connect_without_delay(self)


@functools.lru_cache(maxsize=64)
def _tls_context(ca_bundle: bytes | None) -> ssl.SSLContext:
    """caBundle as the only trusted roots (the system's when there is none); built once per bundle."""
    if ca_bundle:
        return ssl.create_default_context(cadata=ca_bundle.decode("ascii", "replace"))
    return ssl.create_default_context()


class _HTTPSConnection(http.client.HTTPSConnection):
    """Verifies the certificate for `server_name` (a service's `<name>.<namespace>.svc`) whatever host is dialled."""

    def __init__(self, host: str, port: int, server_name: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._server_name = server_name

    def connect(self) -> None:
        _connect_without_delay(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)


def _dial_error(err: OSError, host: str, port: int) -> str:
    if isinstance(err, ssl.SSLCertVerificationError):
        if err.verify_code in (18, 19, 20, 21):  # self-signed, unknown issuer
            return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
        return f"tls: failed to verify certificate: x509: {err.verify_message}"
    if isinstance(err, ssl.SSLError):
        return f"remote error: tls: {err.reason or err}"
    if isinstance(err, ConnectionRefusedError):
        return f"dial tcp {_address(host, port)}: connect: connection refused"
    if isinstance(err, socket.gaierror):
        return f"dial tcp: lookup {host}: no such host"
    if isinstance(err, ConnectionResetError):
        return "read: connection reset by peer"
    return str(err)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _decode(status: int, content_type: str, retry_after: str | None, data: bytes) -> dict:
    """transformResponse, then Result.Into(&AdmissionReview{}): only application/json is decodable."""
    content_type = content_type or "application/json"  # the client's ContentType when the server sends none
    media = content_type.split(";", 1)[0].strip().lower()
    decodable = media == "application/json"
    ok = 200 <= status <= 206
    if not ok:
        is_text = not content_type or media.startswith("text/")
        text = data[:MAX_UNSTRUCTURED_RESPONSE_BYTES].decode("utf-8", "replace").strip() if is_text else "unknown"
        generic = api_errors.generic_server_response(status, "POST", text,
                                                     int(retry_after) if (retry_after or "").isdigit() else 0)
        if decodable and data:
            found = _status_in(data)  # Result.Error(): a Failure Status in the body wins
            if found is not None:
                raise TransportError(found.message, found)
        raise TransportError(generic.message, generic)
    if not decodable:
        raise TransportError(f"serializer for {content_type} doesn't exist")
    if not data:
        raise TransportError(f"0-length response with status code: {status} and content type: {content_type}")
    text = data.decode("utf-8", "replace")
    try:
        value = json.loads(text)
    except ValueError:
        from kauth.api.json_syntax import go_json_syntax_error  # encoding/json's words

        raise TransportError(api_errors.FIND_KIND_PARSE_ERROR + (go_json_syntax_error(text) or "invalid JSON")) from None
    if not isinstance(value, dict):
        raise TransportError(api_errors.find_kind_error(value))
    return value


def _status_in(data: bytes) -> StatusError | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if isinstance(value, dict) and value.get("kind", "Status") == "Status" and value.get("status") == "Failure":
        return StatusError.from_status(value)
    return None


