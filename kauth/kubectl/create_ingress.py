"""`kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]] --default-backend=svc:port`.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_ingress.go. A rule's path ending in `*` is a Prefix
path (the `*` dropped), any other is Exact; rules of one host share its `http.paths`; a host gets TLS once, and
hosts naming the same secret (or none) share one TLS entry. The default backend is only split at `:`, never
checked by the rule grammar.
"""

from __future__ import annotations

import re
from typing import Any

from kauth.api.errors import ClientError
from kauth.kubectl.generators import object_meta

# Go's \w is ASCII. kubectl 1.32 checks only how a rule starts (the oracle shows `a.com/=s:1,x` passes) and
# lets its path hold `,` and `=`, so some rules it accepts index past the end of a split and make it panic.
RULE = re.compile(r"(?P<host>[\w\*\-\.]*)(?P<path>/[^\n]*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)", re.ASCII)
_GO_INT = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)


def service_backend_port(port: str) -> dict:
    """intstr.Parse: a number is `number`, anything else `name`; zero values are omitted (omitempty)."""
    if _GO_INT.match(port) and -2**63 <= int(port) < 2**63:
        return {"number": int(port)} if int(port) else {}
    return {"name": port} if port else {}


def second(parts: list[str]) -> str:
    """parts[1], or the panic kubectl dies with (exit code 2, a goroutine trace kauth does not imitate)."""
    if len(parts) < 2:
        raise ClientError(f"panic: runtime error: index out of range [1] with length {len(parts)}", exit_code=2,
                          bare=True)
    return parts[1]


def backend(service: str) -> dict:
    name, port = service.split(":")[0], second(service.split(":"))
    return {"service": {"name": name, "port": service_backend_port(port)}}


def http_path(path_and_service: str) -> dict:
    path_part, service = path_and_service.split("=")[0], second(path_and_service.split("="))
    path, path_type = "/" + path_part, "Exact"
    if path.endswith("*"):
        path, path_type = path[:-1], "Prefix"
    return {"backend": backend(service), "path": path, "pathType": path_type}


def ingress_rules(rules: list[str]) -> list[dict]:
    out: list[dict] = []
    for rule in rules:
        host_and_path = rule.split(",")[0].split("/", 1)
        host, path = host_and_path[0], http_path(second(host_and_path))
        same_host = next((r for r in out if r.get("host", "") == host), None)
        if same_host is not None:
            same_host["http"]["paths"].append(path)
            continue
        out.append({**({"host": host} if host else {}), "http": {"paths": [path]}})
    return out


def ingress_tls(rules: list[str]) -> list[dict]:
    out: list[dict] = []
    hosts_seen: set[str] = set()
    for rule in rules:
        parts = rule.split(",")
        if len(parts) != 2:
            continue
        host = rule.split("/", 1)[0]
        secret_parts = parts[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        if host in hosts_seen:
            continue
        hosts_seen.add(host)
        shared = next((t for t in out if t.get("secretName", "") == secret), None)
        if shared is not None:
            shared.setdefault("hosts", []).append(host)  # even an empty host, as kubectl appends it
            continue
        entry: dict[str, Any] = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            out.append(entry)
    return out


def validate(rules: list[str], annotations: list[str], default_backend: str) -> None:
    if not default_backend and not rules:
        raise ClientError("not enough information provided: every ingress has to either specify a default-backend "
                          "(which catches all traffic) or a list of rules (which catch specific paths)")
    for rule in rules:
        if not RULE.match(rule):
            raise ClientError(f"rule {rule} is invalid and should be in format "
                              "host/path=svcname:svcport[,tls[=secret]]")
    for annotation in annotations:
        if "=" not in annotation:
            raise ClientError(f"annotation {annotation} is invalid and should be in format key=[value]")
    if default_backend and len(default_backend.split(":")) != 2:
        raise ClientError("default-backend should be in format servicename:serviceport")


def ingress(name: str, namespace: str, *, rules: list[str] = (), annotations: list[str] = (),
            default_backend: str = "", ingress_class: str = "") -> dict:
    rules, annotations = list(rules), list(annotations)
    validate(rules, annotations, default_backend)
    meta = object_meta(name, namespace)
    notes = dict(a.split("=", 1) for a in annotations)
    if notes:
        meta = {"annotations": notes, **meta}
    spec: dict[str, Any] = {}
    if default_backend:
        spec["defaultBackend"] = backend(default_backend)
    if ingress_class:
        spec["ingressClassName"] = ingress_class
    for field, value in (("rules", ingress_rules(rules)), ("tls", ingress_tls(rules))):
        if value:
            spec[field] = value
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec,
            "status": {"loadBalancer": {}}}
