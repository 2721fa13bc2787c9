"""Credentials the way kubectl finds them: --kubeconfig or $KUBECONFIG, --context, --user, and the
--token / --client-certificate / --client-key flags over them.

Upstream: staging/src/k8s.io/client-go/tools/clientcmd (loader.go: $KUBECONFIG is a path list, the first
file to set a value wins; client_config.go: the context's user and namespace; relative paths are relative to
the kubeconfig file). kauth reads the user part: there is no server to reach.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from kauth.api.errors import ClientError
from kauth.apiserver.request import Credentials


@dataclass(frozen=True)
class Identity:
    credentials: Credentials
    namespace: str  # the context's namespace ("" when it has none)
    source: str  # for messages and --explain: which kubeconfig user, or which flags


def _load(paths: list[Path]) -> dict:
    """Merge kubeconfig files as clientcmd does: for each named entry and for current-context, the first wins."""
    import yaml

    from kauth.api.yaml11 import load_config

    merged: dict = {"clusters": {}, "contexts": {}, "users": {}, "current-context": ""}
    for path in paths:
        try:
            config = load_config(path.read_text()) or {}
        except OSError as err:
            raise ClientError(f"stat {path}: {err.strerror.lower() if err.strerror else err}") from None
        except yaml.YAMLError as err:
            raise ClientError(f"error loading config file \"{path}\": {err}") from None
        if not isinstance(config, dict):
            raise ClientError(f'error loading config file "{path}": not a kubeconfig')
        merged["current-context"] = merged["current-context"] or config.get("current-context") or ""
        for section, key in (("clusters", "cluster"), ("contexts", "context"), ("users", "user")):
            for entry in config.get(section) or []:
                if isinstance(entry, dict) and entry.get("name") not in merged[section]:
                    merged[section][entry.get("name")] = (entry.get(key) or {}, path.parent)
    return merged


def kubeconfig_paths(explicit: str | None) -> list[Path]:
    if explicit:
        return [Path(explicit)]
    listed = os.environ.get("KUBECONFIG", "")
    return [Path(p) for p in listed.split(os.pathsep) if p]


def resolve(*, kubeconfig: str | None = None, context: str | None = None, user: str | None = None,
            token: str | None = None, client_certificate: str | None = None,
            client_key: str | None = None) -> Identity | None:
    """The identity a kubectl invocation presents, or None when nothing names one (kauth's default admin)."""
    paths = kubeconfig_paths(kubeconfig)
    entry: dict = {}
    namespace, source = "", ""
    base = Path(".")
    if paths:
        config = _load(paths)
        context_name = context or config["current-context"]
        if context_name:
            if context_name not in config["contexts"]:
                raise ClientError(f'context was not found for specified context: {context_name}')
            context_entry, _ = config["contexts"][context_name]
            namespace = context_entry.get("namespace") or ""
            user = user or context_entry.get("user")
        if user:
            if user not in config["users"]:
                raise ClientError(f'auth info "{user}" does not exist')
            entry, base = config["users"][user]
            source = f'kubeconfig user "{user}"'
        for unsupported in ("exec", "auth-provider"):
            if entry.get(unsupported):
                raise ClientError(f"kauth cannot run the {unsupported} credential plugin of {source}: give the "
                                  "credential itself (token, client certificate)")
    cert_pem, key_pem = _client_cert(entry, base, client_certificate, client_key)
    bearer = token if token is not None else entry.get("token")
    if bearer is None and entry.get("tokenFile"):
        bearer = (base / entry["tokenFile"]).read_text().strip()
    if token is not None or client_certificate:
        source = "the --token / --client-certificate flags" if not source else source + " and flags"
    if bearer is None and cert_pem is None:
        return None if not paths else Identity(Credentials(), namespace, source or "kubeconfig without a user")
    return Identity(Credentials(bearer_token=bearer, client_cert_pem=cert_pem), namespace, source)


def _client_cert(entry: dict, base: Path, cert_flag: str | None, key_flag: str | None) -> tuple[bytes | None, bytes | None]:
    def read(path: str) -> bytes:
        try:
            return (base / path).read_bytes() if not Path(path).is_absolute() else Path(path).read_bytes()
        except OSError as err:
            raise ClientError(f"open {path}: {(err.strerror or '').lower()}") from None

    cert = Path(cert_flag).read_bytes() if cert_flag else (
        base64.b64decode(entry["client-certificate-data"]) if entry.get("client-certificate-data")
        else read(entry["client-certificate"]) if entry.get("client-certificate") else None)
    key = Path(key_flag).read_bytes() if key_flag else (
        base64.b64decode(entry["client-key-data"]) if entry.get("client-key-data")
        else read(entry["client-key"]) if entry.get("client-key") else None)
    if cert is None:
        return None, None
    if key is None:
        raise ClientError("client-key-data or client-key must be specified for to use the clientCert authentication "
                          "method.")
    _check_pair(cert, key)
    return cert, key


def _check_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """The TLS handshake proves the client holds the certificate's key: without it, no request is sent."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificates(cert_pem)[0]
        key = serialization.load_pem_private_key(key_pem, password=None)
    except ValueError as err:
        raise ClientError(f"tls: failed to find any PEM data in certificate or key input ({err})") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(serialization.Encoding.DER, public) != \
            key.public_key().public_bytes(serialization.Encoding.DER, public):
        raise ClientError("tls: private key does not match public key")
