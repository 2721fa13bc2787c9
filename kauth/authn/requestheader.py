"""The authenticating proxy (--requestheader-*): X-Remote-User and friends, believed only from a client
certificate signed by the front-proxy CA (and, when listed, with an allowed CN).

Upstream: staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go (the first
non-empty username header, every value of every group header, extras with the prefix stripped, lower-cased
and percent-decoded) behind request/x509's Verifier (the CA, then verifySubject's allow-list).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Mapping, Sequence
from urllib.parse import unquote

from kauth.apiserver.request import Credentials
from kauth.authn import x509
from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo


class RequestHeaderAuthenticator:
    name = "front-proxy"

    def __init__(self, *, client_ca_pem: bytes, allowed_names: Sequence[str] = (),
                 username_headers: Sequence[str] = ("X-Remote-User",), group_headers: Sequence[str] = ("X-Remote-Group",),
                 extra_prefixes: Sequence[str] = ("X-Remote-Extra-",), uid_headers: Sequence[str] = (),
                 clock: Callable[[], datetime] = x509.utcnow) -> None:
        self.roots = x509.load_certificates(client_ca_pem)
        self.allowed_names = tuple(allowed_names)
        self.username_headers = tuple(username_headers)
        self.group_headers = tuple(group_headers)
        self.extra_prefixes = tuple(extra_prefixes)
        self.uid_headers = tuple(uid_headers)
        self.clock = clock

    def authenticate(self, credentials: Credentials) -> Result | None:
        if not credentials.client_cert_pem:
            return None
        try:
            chain = x509.load_certificates(credentials.client_cert_pem)
        except ValueError:
            return None  # the x509 authenticator reports an unreadable certificate
        problem = x509.verify(chain, self.roots, self.clock()) if chain else "no certificate"
        if problem:
            return Result(None, self.name, f"the client certificate is not the front proxy's: {problem}", error=True)
        common_name = x509.user_of(chain[0]).name if x509.user_of(chain[0]) else ""
        if self.allowed_names and common_name not in self.allowed_names:
            return Result(None, self.name, f"x509: subject with cn={common_name} is not in the allowed list",
                          error=True)
        headers = {k.lower(): v for k, v in credentials.headers.items()}
        name = next((v for h in self.username_headers for v in headers.get(h.lower(), ()) if v), "")
        if not name:
            return None  # the proxy asserted no one: not a proxied request
        uid = next((v for h in self.uid_headers for v in headers.get(h.lower(), ()) if v), "")
        groups = tuple(v for h in self.group_headers for v in headers.get(h.lower(), ()))
        extra = _extras(headers, self.extra_prefixes)
        return Result(UserInfo(name, uid, groups, extra), self.name,
                      f"asserted by the authenticating proxy {common_name!r} (front-proxy CA verified), "
                      f"header {self.username_headers[0]}: {name}")


def _extras(headers: Mapping[str, Sequence[str]], prefixes: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for header, values in headers.items():
        for prefix in prefixes:
            if header.startswith(prefix.lower()):
                key = unquote(header[len(prefix):]).lower()
                out[key] = out.get(key, ()) + tuple(values)
    return out
