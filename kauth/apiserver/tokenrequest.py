"""The TokenRequest API (POST .../serviceaccounts/<name>/token): a bound service-account token, signed now.

Upstream: pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create), pkg/apis/authentication/
validation (10 minutes at least, 2^32 seconds at most), pkg/serviceaccount/claims.go. What `kubectl create
token` calls.
"""

from __future__ import annotations

from typing import Any

from kauth.api import errors
from kauth.api.errors import StatusError
from kauth.store.base import Key

GROUP = "authentication.k8s.io"
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 600, 1 << 32, 3600
BOUND_KINDS = {"Pod": "pods", "Secret": "secrets", "Node": "nodes"}


def create_token(ctx: Any, request: Any) -> tuple[int, dict]:
    from kauth.apiserver.registry import timestamp
    from kauth.authn.serviceaccount import issue_bound_token

    body = request.body if isinstance(request.body, dict) else {}
    if body.get("kind") != "TokenRequest" or body.get("apiVersion") != f"{GROUP}/v1":
        raise errors.bad_request(f'{body.get("kind") or "Object"} in version "{body.get("apiVersion") or ""}" cannot '
                                 'be handled as a TokenRequest: the body must be an authentication.k8s.io/v1 '
                                 'TokenRequest')
    issuer = ctx.token_issuer
    if issuer is None:
        raise errors.internal_error("the TokenRequest API needs --service-account-signing-key-file "
                                    "(policies/authentication.yaml)")
    meta = body.get("metadata") or {}
    name, namespace = request.name, request.namespace
    if meta.get("name") and meta["name"] != name:
        raise _invalid(name, "metadata.name", meta["name"], "must match the service account name if specified")
    if meta.get("namespace") and meta["namespace"] != namespace:
        raise _invalid(name, "metadata.namespace", meta["namespace"],
                       "must match the service account namespace if specified")
    account = ctx.store.get(Key("", "serviceaccounts", namespace, name))
    if account is None:
        raise errors.not_found("", "serviceaccounts", name)
    spec = dict(body.get("spec") or {})
    spec["audiences"] = list(spec.get("audiences") or issuer.api_audiences)
    seconds = spec.setdefault("expirationSeconds", DEFAULT_SECONDS)
    if not isinstance(seconds, int) or seconds < MIN_SECONDS:
        raise _invalid("", "spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes")
    if seconds > MAX_SECONDS:
        raise _invalid("", "spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds")
    bound = None
    ref = spec.get("boundObjectRef")
    if ref:
        bound = _bound_object(ctx, name, namespace, ref)
    if issuer.max_expiration_seconds and seconds > issuer.max_expiration_seconds:
        ctx.warnings.append(f"requested expiration of {seconds} seconds shortened to "
                            f"{issuer.max_expiration_seconds} seconds")
        spec["expirationSeconds"] = seconds = issuer.max_expiration_seconds
    now = ctx.clock()
    token, expires = issue_bound_token(issuer.signing_key_pem, issuer=issuer.issuer, namespace=namespace, name=name,
                                       uid=account["metadata"].get("uid", ""), audiences=spec["audiences"],
                                       expiration_seconds=seconds, now=now, bound=bound)
    ctx.trace.add("storage", "not stored", f"signed a token for ServiceAccount {namespace}/{name} (issuer "
                  f"{issuer.issuer}, audiences {', '.join(spec['audiences'])}, {seconds} s"
                  + (f", bound to {bound.kind} {bound.name}" if bound else "") + "); TokenRequests are never stored")
    out = {"kind": "TokenRequest", "apiVersion": f"{GROUP}/v1",
           "metadata": {**meta, "name": name, "namespace": namespace, "creationTimestamp": timestamp(now)},
           "spec": spec, "status": {"token": token, "expirationTimestamp": timestamp(expires)}}
    return 201, out


def _bound_object(ctx: Any, name: str, namespace: str, ref: dict) -> Any:
    from kauth.authn.serviceaccount import BoundObject

    kind, api_version = ref.get("kind", ""), ref.get("apiVersion", "")
    if kind not in BOUND_KINDS or api_version not in ("v1", ""):
        group_version = api_version if "/" in api_version else f"/{api_version}"
        raise errors.bad_request(f"cannot bind token to object of type {group_version}, Kind={kind}")
    obj = ctx.store.get(Key("", BOUND_KINDS[kind], namespace if kind != "Node" else "", ref.get("name", "")))
    if obj is None:
        raise errors.not_found("", BOUND_KINDS[kind], ref.get("name", ""))
    if kind == "Pod" and (obj.get("spec") or {}).get("serviceAccountName", "default") != name:
        raise errors.bad_request(f'cannot bind token for serviceaccount "{name}" to pod running with different '
                                 "serviceaccount name.")
    uid = obj["metadata"].get("uid", "")
    if ref.get("uid") and ref["uid"] != uid:
        raise StatusError(409, "Conflict", f'{kind} "{ref.get("name")}" is conflicting: the UID in the bound object '
                          f"reference ({ref['uid']}) does not match the UID in record. The object might have been "
                          "deleted and then recreated", {"name": ref.get("name"), "kind": kind})
    return BoundObject(kind, ref.get("name", ""), uid)


def _invalid(name: str, path: str, value: Any, detail: str) -> StatusError:
    return errors.invalid(GROUP, "TokenRequest", name, [errors.field_invalid(path, value, detail)])
