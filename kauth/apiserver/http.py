"""The HTTP front door: kube-apiserver's REST paths over the same pipeline, so a real kubectl (or any
Kubernetes client) can talk to a kauth state.

`to_request` turns one HTTP request into a `Request` the way kube-apiserver's requestinfo resolver and
handlers do (path → verb, group, version, resource, namespace, name, subresource; query → dry run, field
manager, field validation, selectors; headers → bearer token and Impersonate-*). `make_server` is the thin
I/O shell around it. It speaks TLS, as kube-apiserver does: kubectl sends no credentials at all to a plain-HTTP
server (clientcmd reads the user's identity only for TLS transports), so bearer tokens and client
certificates need it.
"""

from __future__ import annotations

import json
import os
import ssl
import tempfile
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from kauth.api import errors
from kauth.api.resources import ResourceTable
from kauth.apiserver.registry import MAX_REQUEST_BODY_BYTES
from kauth.apiserver.request import PATCH_TYPES, Credentials, Impersonation, MalformedJSON, Request, Response, TraceStep
from kauth.authn.user import UserInfo

_PATCH_TYPE_OF = {content_type: name for name, content_type in PATCH_TYPES.items()}
# Subresources of a namespace object itself (requestinfo.go namespaceSubresources).
_NAMESPACE_SUBRESOURCES = ("status", "finalize")
_API_PREFIXES = ("api", "apis")
_DRAIN_BYTES = 64 * 1024 * 1024  # how much of a refused body is read and dropped before the connection closes


@dataclass(frozen=True)
class HTTPAnswer:
    """What goes back on the wire: status code, JSON body, Warning headers."""

    code: int
    body: dict
    warnings: tuple[str, ...] = ()


class UnsupportedMediaType(Exception):
    """A request body in a format kauth cannot decode (protobuf, CBOR)."""


def to_request(method: str, target: str, headers: Mapping[str, str | list[str]], body: bytes,
               client_cert_pem: bytes | None = None) -> Request:
    """One HTTP request as the pipeline's Request (kube-apiserver's requestinfo.go, then the handlers' decoding)."""
    url = urlsplit(target)
    path = unquote(url.path).rstrip("/") or "/"
    query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
    parts = [p for p in path.split("/") if p]
    credentials, impersonate = _identity(headers, client_cert_pem)
    common: dict[str, Any] = {"credentials": credentials, "impersonate": impersonate,
                              "user_agent": _first(headers, "User-Agent") or ""}
    if len(parts) < 2 or parts[0] not in _API_PREFIXES or (parts[0] == "apis" and len(parts) < 3):
        return Request(method.lower(), path=path, **common)
    if parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    else:
        group, version, rest = parts[1], parts[2], parts[3:]
    if not rest:  # /api/v1, /apis/apps/v1: discovery, a non-resource path
        return Request(method.lower(), path=path, **common)
    watch = rest[0] == "watch"
    if watch:
        rest = rest[1:]
    namespace = ""
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
        else:
            namespace, rest = "", ["namespaces", *rest[1:]]
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    verb = _verb(method, bool(name), watch or query.get("watch") in ("true", "1"))
    content_type = (_first(headers, "Content-Type") or "application/json").split(";")[0].strip()
    if body:
        decoded = _decode(body, content_type, verb)
    elif verb in _DECODED_AS_OBJECTS:  # the decoder reads nothing: json.Unmarshal's error
        decoded = MalformedJSON("", errors.FIND_KIND_PARSE_ERROR + "unexpected end of JSON input")
    else:
        decoded = None
    # DeleteOptions may come as the body (client-go's dynamic client puts dryRun there) or as query parameters.
    options = decoded if verb in ("delete", "deletecollection") and isinstance(decoded, dict) else {}
    return Request(
        verb, group, version, resource, namespace, name, subresource, body=decoded,
        patch_type=_PATCH_TYPE_OF.get(content_type, "") if verb == "patch" else "",
        dry_run="All" in (query.get("dryRun"), *(options.get("dryRun") or ())),
        field_manager=query.get("fieldManager", ""),
        field_validation=query.get("fieldValidation", ""), label_selector=query.get("labelSelector", ""),
        field_selector=query.get("fieldSelector", ""), **common)


def _verb(method: str, named: bool, watch: bool) -> str:
    method = method.upper()
    if method == "GET":
        return "watch" if watch else ("get" if named else "list")
    if method == "DELETE":
        return "delete" if named else "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(method, method.lower())


# Verbs whose body the handler decodes as the URL's kind: what it cannot read is the decoder's error, worded
# by the registry as transformDecodeError does (a MalformedJSON carrying the decoder's words).
_DECODED_AS_OBJECTS = ("create", "update")


def _decode(body: bytes, content_type: str, verb: str) -> Any:
    if content_type not in ("application/json", "application/yaml", *_PATCH_TYPE_OF):
        raise UnsupportedMediaType(content_type)
    text = body.decode("utf-8", errors="replace")
    if content_type in ("application/yaml", PATCH_TYPES["apply"]):
        # sigs.k8s.io/yaml as kube-apiserver reads it, alias bombs refused as go-yaml refuses them
        from kauth.api.yaml11 import YAMLError, load

        try:
            decoded = load(text)
        except YAMLError as err:
            if verb in _DECODED_AS_OBJECTS:
                return MalformedJSON(text, f"error converting YAML to JSON: {err.reason}")
            return MalformedJSON(text, err.reason)
    else:
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            if verb not in ("patch", *_DECODED_AS_OBJECTS):
                raise
            # Go's encoding/json words for the error (kauth.api.json_syntax).
            from kauth.api.json_syntax import go_json_syntax_error

            syntax = go_json_syntax_error(text) or "invalid JSON"
            return MalformedJSON(text, errors.FIND_KIND_PARSE_ERROR + syntax if verb != "patch" else syntax)
    if verb in _DECODED_AS_OBJECTS and decoded is not None and not isinstance(decoded, dict):
        return MalformedJSON(text, errors.find_kind_error(decoded))
    return decoded


def _first(headers: Mapping[str, Any], name: str) -> str | None:
    values = _all(headers, name)
    return values[0] if values else None


def _all(headers: Mapping[str, Any], name: str) -> list[str]:
    wanted = name.lower()
    out: list[str] = []
    for key, value in headers.items():
        if key.lower() == wanted:
            out.extend(value if isinstance(value, list) else [value])
    return out


def _identity(headers: Mapping[str, Any], client_cert_pem: bytes | None) -> tuple[Credentials, Impersonation | None]:
    authorization = _first(headers, "Authorization") or ""
    scheme, _, token = authorization.partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else None
    impersonate = None
    user = _first(headers, "Impersonate-User")
    groups = tuple(_all(headers, "Impersonate-Group"))
    uid = _first(headers, "Impersonate-Uid")
    prefix = "impersonate-extra-"
    extra = {unquote(k[len(prefix):]).lower(): tuple(_all(headers, k)) for k in headers if k.lower().startswith(prefix)}
    if user or groups or uid or extra:
        impersonate = Impersonation(user or "", groups, uid or "", extra)
    raw = {k: tuple(_all(headers, k)) for k in {k.lower() for k in headers}}
    return Credentials(bearer_token=bearer, client_cert_pem=client_cert_pem, headers=raw), impersonate


def answer(response: Response) -> HTTPAnswer:
    return HTTPAnswer(response.code, response.body, response.warnings)


def warning_header(text: str) -> str:
    """RFC 7234 warning as kube-apiserver writes it (warning.go): code 299, agent "-", quoted text."""
    return '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unsupported(content_type: str) -> HTTPAnswer:
    message = (f"the body of the request was in an unknown format - accepted media types include: "
               f"application/json, application/yaml (kauth does not decode {content_type})")
    return HTTPAnswer(415, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": "UnsupportedMediaType", "code": 415})


def _bad_request(message: str) -> HTTPAnswer:
    return HTTPAnswer(400, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": "BadRequest", "code": 400})


class Server(Protocol):
    """What the front door serves: the pipeline, and the types it serves (Cluster is one)."""

    def handle(self, request: Request) -> Response: ...

    def table(self) -> ResourceTable: ...


def handle_http(server: Server, method: str, target: str, headers: Mapping[str, Any], body: bytes,
                client_cert_pem: bytes | None = None) -> HTTPAnswer:
    """One HTTP exchange, start to end, without sockets (the server below and tests call it)."""
    request = _request_or_refusal(method, target, headers, body, client_cert_pem)
    if isinstance(request, HTTPAnswer):
        return request
    response = server.handle(request)
    if response.ok and request.verb in ("get", "list") and request.is_resource_request and not request.subresource \
            and "as=Table" in ",".join(_all(headers, "Accept")):
        return HTTPAnswer(response.code, _as_table(server.table(), request, response.body), response.warnings)
    return answer(response)


def handle_raw(server: Server, method: str, target: str, headers: Mapping[str, Any], body: bytes, *,
               client_cert_pem: bytes | None = None, asserted_user: UserInfo | None = None) -> Response:
    """One HTTP request through the pipeline, keeping the whole Response and its trace (`kauth explain request`).
    `asserted_user`: who the caller vouches for when the request carries no token and no certificate (the CLI's
    default admin)."""
    request = _request_or_refusal(method, target, headers, body, client_cert_pem)
    if isinstance(request, HTTPAnswer):  # refused before the pipeline: the handler could not decode it
        unread = Request(method.lower(), path=urlsplit(target).path or "/")
        step = TraceStep("decode", "refused", request.body["message"])
        return Response(request.code, request.body, unread, trace=(step,))
    carried = request.credentials
    if asserted_user is not None and carried.bearer_token is None and carried.client_cert_pem is None:
        request = replace(request, credentials=replace(carried, asserted_user=asserted_user))
    return server.handle(request)


def _request_or_refusal(method: str, target: str, headers: Mapping[str, Any], body: bytes,
                        client_cert_pem: bytes | None) -> Request | HTTPAnswer:
    try:
        request = to_request(method, target, headers, body, client_cert_pem)
    except UnsupportedMediaType as err:
        return _unsupported(str(err))
    except json.JSONDecodeError as err:
        return _bad_request(f"error decoding request body: {err}")
    if request.verb == "watch":
        return _bad_request("kauth's HTTP front door does not serve watches")
    return request


def _as_table(table: ResourceTable, request: Request, body: dict) -> dict:
    """The meta.k8s.io/v1 Table kube-apiserver answers to `Accept: ...;as=Table` (kubectl get asks for one):
    the columns and cells of its printers, and each row's object as PartialObjectMetadata."""
    from datetime import datetime, timezone

    from kauth.apiserver.printers import server_table

    rt = table.for_resource(request.group, request.version, request.resource)
    objects = (body.get("items") or []) if request.verb == "list" else [body]
    printed = server_table(rt, objects, now=datetime.now(timezone.utc), printer_columns=rt.printer_columns)
    columns = [{"name": c.name, "type": c.type, "format": c.format, "description": "", "priority": c.priority}
               for c in printed.columns]
    rows = [{"cells": list(cells), "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                              "metadata": obj.get("metadata") or {}}}
            for cells, obj in zip(printed.rows, printed.objects)]
    version = (body.get("metadata") or {}).get("resourceVersion", "")
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": version},
            "columnDefinitions": columns, "rows": rows}


@dataclass(frozen=True)
class TLS:
    """The serving certificate and key (PEM), and the CA client certificates must chain to (optional)."""

    cert_pem: bytes
    key_pem: bytes
    client_ca_pem: bytes = b""

    def context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory(prefix="kauth-tls-") as folder:  # load_cert_chain reads files only
            cert, key = os.path.join(folder, "tls.crt"), os.path.join(folder, "tls.key")
            for path, data in ((cert, self.cert_pem), (key, self.key_pem)):
                with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
                    f.write(data)
            context.load_cert_chain(cert, key)
        if self.client_ca_pem:
            # kube-apiserver requests a certificate without verifying it in the handshake, so a bad one is a 401
            # from the x509 authenticator; Python's ssl cannot request without verifying, so here a certificate
            # that does not chain to the CA fails the handshake instead.
            context.verify_mode = ssl.CERT_OPTIONAL
            context.load_verify_locations(cadata=self.client_ca_pem.decode())
        return context


def serving_tls(ca_cert_pem: bytes, ca_key_pem: bytes, client_ca_pem: bytes = b"",
                hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> TLS:
    """A serving certificate for `hosts` signed by the cluster CA, as kubeadm issues the apiserver's."""
    import ipaddress

    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from kauth.authn.x509 import issue

    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert, key = issue(ca_cert_pem, ca_key_pem, common_name="kube-apiserver", usage=ExtendedKeyUsageOID.SERVER_AUTH,
                      alt_names=names)
    return TLS(cert, key, client_ca_pem)


def default_tls(policies: Path | None, client_ca_file: str = "") -> tuple[TLS, bytes]:
    """(TLS, the CA kubectl must trust). kubeadm's layout: the cluster CA (`client-ca-file`) signs the serving
    certificate when its key lies beside it (pki/ca.crt, pki/ca.key); otherwise a throwaway CA does."""
    from kauth.authn.x509 import new_ca

    client_ca = b""
    if policies is not None and client_ca_file:
        ca_path = policies / client_ca_file
        client_ca = ca_path.read_bytes()
        key_path = ca_path.with_suffix(".key")
        if key_path.is_file():
            return serving_tls(client_ca, key_path.read_bytes(), client_ca), client_ca
    ca_cert, ca_key = new_ca("kauth-serving-ca")
    return serving_tls(ca_cert, ca_key, client_ca), ca_cert


def _peer_certificate(connection: Any) -> bytes | None:
    """The client certificate of a TLS connection as PEM (the leaf only: Python's ssl keeps no chain)."""
    der = connection.getpeercert(binary_form=True) if isinstance(connection, ssl.SSLSocket) else None
    return ssl.DER_cert_to_PEM_cert(der).encode() if der else None


class _Listener(ThreadingHTTPServer):
    # kubectl opens several connections at once (discovery); socketserver's backlog of 5 refuses some on a busy
    # machine
    request_queue_size = 128


def make_server(server: Server, host: str = "127.0.0.1", port: int = 0, tls: TLS | None = None) -> ThreadingHTTPServer:
    """An HTTP(S) server answering through `server` (e.g. a Cluster), one request at a time."""
    lock = threading.Lock()  # the store and the pipeline are not thread-safe; kubectl sends in parallel

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _exchange(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BODY_BYTES:  # refused, never held in memory (--max-request-body-bytes)
                remaining = min(length, _DRAIN_BYTES)  # drained so the client can read the 413
                while remaining > 0:
                    chunk = self.rfile.read(min(65536, remaining))
                    if not chunk:
                        break
                    remaining -= len(chunk)
                return self._reply(HTTPAnswer(413, errors.request_entity_too_large(
                    f"limit is {MAX_REQUEST_BODY_BYTES}").status()), close=True)
            body = self.rfile.read(length) if length else b""
            headers: dict[str, list[str]] = {}
            for key, value in self.headers.items():
                headers.setdefault(key, []).append(value)
            with lock:
                out = handle_http(server, self.command, self.path, headers, body,
                                  client_cert_pem=_peer_certificate(self.connection))
            self._reply(out)

        def _reply(self, out: HTTPAnswer, close: bool = False) -> None:
            data = json.dumps(out.body).encode()
            self.send_response(out.code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for warning in out.warnings:
                self.send_header("Warning", warning_header(warning))
            if close:  # the unread body must not be taken for the next request
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _exchange

    http_server = _Listener((host, port), Handler)
    if tls is not None:
        http_server.socket = tls.context().wrap_socket(http_server.socket, server_side=True)
    return http_server
