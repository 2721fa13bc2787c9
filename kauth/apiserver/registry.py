"""What the API server does with an authorized request: the REST semantics of each verb.

Mirrors kube-apiserver's handlers and generic registry (staging/src/k8s.io/apiserver/pkg/endpoints/
handlers, pkg/registry/generic/registry/store.go, pkg/registry/rest/create.go and update.go):
decode and default, mutating admission, prepare (system fields, status, generation), validate,
validating admission, then one store write.
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from kauth.admission import chain as admission
from kauth.api import errors, fields
from kauth.api.changes import ChangeLines
from kauth.api.errors import StatusError
from kauth.api.json_syntax import json_kind
from kauth.api.labels import SelectorError, field_selector_matcher, label_selector_matcher, selector_from_label_selector
from kauth.api.resources import ResourceTable, ResourceType
from kauth.apiserver import reviews, scale
from kauth.apiserver.fieldmanager import update_managed_fields
from kauth.patch.managed_fields import MANAGER_MAX_LENGTH
from kauth.apiserver.request import MalformedJSON, Request, Trace, TraceStep
from kauth.authn.user import UserInfo
from kauth.patch.errors import go_sprint
from kauth.store.base import Key, Store

# Kinds whose strategy sets metadata.generation and bumps it when the spec changes
# (custom resources do too: every object with spec semantics other than these core kinds).
_NO_GENERATION = {
    ("", "Namespace"), ("", "Service"), ("", "ConfigMap"), ("", "Secret"), ("", "ServiceAccount"),
    ("", "Endpoints"), ("", "PersistentVolume"), ("", "PersistentVolumeClaim"), ("", "Node"), ("", "Event"),
    ("", "LimitRange"), ("", "ResourceQuota"), ("", "PodTemplate"), ("events.k8s.io", "Event"),
    ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("storage.k8s.io", "StorageClass"), ("coordination.k8s.io", "Lease"), ("scheduling.k8s.io", "PriorityClass"),
    ("apps", "ControllerRevision"), ("networking.k8s.io", "IngressClass"),
}

# The status a new object starts with (each kind's PrepareForCreate); others start with none.
_INITIAL_STATUS: dict[tuple[str, str], Callable[[dict], dict]] = {
    ("", "Pod"): lambda obj: {"phase": "Pending", "qosClass": _qos_class(obj)},
    ("", "Namespace"): lambda obj: {"phase": "Active"},
    ("", "PersistentVolumeClaim"): lambda obj: {"phase": "Pending"},
    ("", "PersistentVolume"): lambda obj: {"phase": "Pending"},
    ("", "Service"): lambda obj: {"loadBalancer": {}},
}

_GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SERVICE_CIDR_BASE = (10, 96, 0, 0)  # 10.96.0.0/12, kubeadm's default
NODE_PORT_RANGE = range(30000, 32768)
MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024


RBAC_GROUP = "rbac.authorization.k8s.io"


EPHEMERAL_CONTAINERS = "ephemeralcontainers"  # the pods subresource that adds debug containers

def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Context:
    store: Store
    table: ResourceTable
    admission: admission.Chain
    user: UserInfo
    trace: Trace
    warnings: list[str]
    clock: Callable[[], datetime]
    authorizer: Any = None  # the API server's authorizer (escalate and bind checks ask it)
    rbac: Any = None  # the RBAC rule resolver (an RBACAuthorizer): what the requester holds
    authenticator: Any = None  # the API server's authenticators (TokenReview asks them)
    token_issuer: Any = None  # what the TokenRequest API signs with
    root_ca_pem: bytes = b""  # the cluster CA the controllers publish


class _StateView:
    """Admission plugins read the store through this; they never write."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, group: str, resource: str, namespace: str, name: str) -> dict | None:
        return self._store.get(Key(group, resource, namespace, name))

    def list(self, group: str, resource: str, namespace: str | None = None) -> list[dict]:
        return self._store.list(group, resource, namespace)


def serve(ctx: Context, request: Request, rt: ResourceType | None) -> tuple[int, dict]:
    if rt is None:
        return _non_resource(ctx, request)
    if request.verb in ("create", "update", "patch"):
        _check_field_validation(request)
    if request.body is not None and request.verb in ("create", "update", "patch"):
        check_body_size(ctx, request.body)
    if request.subresource == "token" and rt.group == "" and rt.plural == "serviceaccounts":
        if request.verb != "create":
            raise errors.method_not_supported(rt.group, "serviceaccounts/token", request.verb)
        from kauth.apiserver.tokenrequest import create_token

        return create_token(ctx, request)
    if request.subresource and request.subresource not in ("status", "scale") and not (
            request.subresource == EPHEMERAL_CONTAINERS and (rt.group, rt.plural) == ("", "pods")
            and request.verb in ("get", "update", "patch")):
        raise errors.method_not_supported(rt.group, f"{rt.plural}/{request.subresource}", request.verb)
    if request.subresource == "scale" and scale.serves_scale_view(rt.group, rt.kind):
        return _serve_scale(ctx, request, rt)
    handler = {"get": get, "list": list_objects, "create": create, "update": update, "patch": patch,
               "delete": delete, "deletecollection": delete_collection}.get(request.verb)
    if handler is None:
        raise errors.method_not_supported(rt.group, rt.plural, request.verb)
    return handler(ctx, request, rt)


def _non_resource(ctx: Context, request: Request) -> tuple[int, dict]:
    from kauth.apiserver.discovery import document

    found = document(ctx.table, request.path) if request.verb == "get" else None
    if found is not None:
        return 200, found
    if request.path in ("/healthz", "/livez", "/readyz"):
        return 200, {"body": "ok"}
    if request.path == "/version":
        return 200, {"major": "1", "minor": "37", "gitVersion": "v1.37.0-kauth", "platform": "linux/amd64"}
    raise StatusError(404, "NotFound", "the server could not find the requested resource", {})


def _key(rt: ResourceType, namespace: str, name: str) -> Key:
    return Key(rt.group, rt.plural, namespace if rt.namespaced else "", name)


def _out(ctx: Context, rt: ResourceType, obj: dict) -> dict:
    """A stored object as the requested version serves it."""
    if obj.get("apiVersion") != rt.api_version:
        from kauth.api.conversion import convert

        obj = convert(obj, rt.version, ctx.table)
    return obj


def _to_storage(ctx: Context, rt: ResourceType, obj: dict) -> dict:
    """An object in the version its group/resource is stored in."""
    if rt.storage_version and rt.storage_version != rt.version:
        from kauth.api.conversion import convert

        return convert(obj, rt.storage_version, ctx.table)
    return obj


# -- reads ----------------------------------------------------------------------------------------


def _stored(ctx: Context, request: Request, rt: ResourceType) -> tuple[Key, dict]:
    """The key and the stored object a request names, or NotFound."""
    key = _key(rt, request.namespace, request.name)
    obj = ctx.store.get(key)
    if obj is None:
        ctx.trace.add("storage", "not found", f"{rt.group_resource} {request.name!r} is not stored")
        raise errors.not_found(rt.group, rt.plural, request.name)
    return key, obj


def get(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    _, obj = _stored(ctx, request, rt)
    ctx.trace.add("storage", "read", f"read {rt.group_resource} {request.name!r}",
                  resourceVersion=obj["metadata"].get("resourceVersion"))
    return 200, _out(ctx, rt, obj)


def list_objects(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    try:
        by_labels = label_selector_matcher(request.label_selector)
        by_fields = field_selector_matcher(request.field_selector)
    except SelectorError as err:
        raise errors.bad_request(f"unable to parse requirement: {err}")
    namespace = request.namespace if rt.namespaced and request.namespace else None
    items = [_out(ctx, rt, o) for o in ctx.store.list(rt.group, rt.plural, namespace)
             if by_labels(o) and by_fields(o)]
    ctx.trace.add("storage", "read", f"listed {len(items)} {rt.group_resource}"
                  + (f" in namespace {namespace!r}" if namespace else ""))
    return 200, {"kind": f"{rt.kind}List", "apiVersion": rt.api_version,
                 "metadata": {"resourceVersion": str(ctx.store.revision())}, "items": items}


# -- writes ---------------------------------------------------------------------------------------


def check_body_size(ctx: Context, body: Any) -> None:
    """kube-apiserver reads at most 3 MiB of request body (--max-request-body-bytes' default)."""
    size = len(body.text.encode()) if isinstance(body, MalformedJSON) else _json_size(body)
    if size > MAX_REQUEST_BODY_BYTES:
        ctx.trace.add("decode", "rejected", f"the body is {size} bytes; the limit is {MAX_REQUEST_BODY_BYTES}")
        raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BODY_BYTES}")


def _json_size(value: Any) -> int:
    """Bytes of the compact JSON text of `value`, without recursion (bodies may nest 10000 deep)."""
    size, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            size += 2 + max(len(item) - 1, 0) + sum(len(json.dumps(k).encode()) + 1 for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            size += 2 + max(len(item) - 1, 0)
            stack.extend(item)
        else:
            size += len(json.dumps(item).encode())
    return size


def _check_field_validation(request: Request) -> None:
    """ValidateCreateOptions / UpdateOptions / PatchOptions: the fieldManager (ValidateFieldManager) and the
    fieldValidation directive, which is case-sensitive."""
    problems = []
    if len(request.field_manager.encode()) > MANAGER_MAX_LENGTH:
        problems.append(errors.too_long("fieldManager", MANAGER_MAX_LENGTH))
    problems.extend(errors.field_invalid("fieldManager", request.field_manager,
                                         f"invalid character {_go_unicode(char)} (at position {i})")
                    for i, char in _byte_positions(request.field_manager) if not char.isprintable())
    if request.field_validation not in fields.DIRECTIVES:
        problems.append(errors.not_supported("fieldValidation", request.field_validation, sorted(fields.DIRECTIVES)))
    if problems:
        options = {"create": "CreateOptions", "update": "UpdateOptions"}.get(request.verb, "PatchOptions")
        raise errors.invalid("meta.k8s.io", options, "", problems)


def _byte_positions(text: str) -> list[tuple[int, str]]:
    """Each character with its byte offset, as Go's `for i, r := range s` gives them."""
    out, offset = [], 0
    for char in text:
        out.append((offset, char))
        offset += len(char.encode())
    return out


def _go_unicode(char: str) -> str:
    """Go's %#U: U+0009 without the character when it is not printable."""
    return f"U+{ord(char):04X}"


def _cannot_be_handled(rt: ResourceType) -> Callable[[list[str]], StatusError]:
    """How create and update report strict decoding errors (handlers/rest.go transformDecodeError)."""
    return lambda found: errors.bad_request(f'{rt.kind} in version "{rt.version}" cannot be handled as a '
                                            f"{rt.kind}: {fields.strict_decoding_error(found)}")


def _drop_unknown_fields(ctx: Context, request: Request, strict_error: Callable[[list[str]], StatusError],
                         found: list[str]) -> None:
    """The fields decoding into the kind's struct found no place for: a 400 under Strict, warnings
    under Warn (the default), nothing under Ignore. They are never stored."""
    if not found:
        return
    directive = request.field_validation or fields.WARN
    if directive == fields.STRICT:
        ctx.trace.add("decode", "rejected", f"fieldValidation=Strict and the body has {len(found)} unknown "
                      "field(s)", unknown=found)
        raise strict_error(found)
    if directive == fields.WARN:
        ctx.warnings.extend(found)
    ctx.trace.add("decode", "dropped", f"fieldValidation={directive}: dropped {len(found)} unknown field(s)"
                  + (", with a warning for each" if directive == fields.WARN else ""), unknown=found)


def decode(ctx: Context, request: Request, rt: ResourceType, body: Any,
           strict_error: Callable[[list[str]], StatusError] | None = None, sort_errors: bool = False,
           found_before: tuple[str, ...] = (), sort_keys: bool = False) -> dict:
    """Check the body is an object of the request's kind, drop what its struct has no field for, then
    default it (as the API server's decoder does). `sort_keys`: the body was re-encoded by Go's
    json.Marshal, so its unknown fields are met in sorted-key order."""
    if isinstance(body, MalformedJSON):
        raise errors.unrecognized_object(rt.kind, body.error, body.text)
    if body is None:  # JSON null: the zero object
        body = {}
    if not isinstance(body, dict):
        raise errors.unrecognized_object(rt.kind, errors.find_kind_error(body), json.dumps(body))
    kind, api_version = body.get("kind"), body.get("apiVersion")
    if not rt.is_custom and (not kind or not api_version):
        # gvkWithDefaults: what the body leaves out comes from the URL's kind (the typed decoder's default)
        body = {**body, "kind": kind or rt.kind,
                "apiVersion": api_version or rt.api_version}
        kind, api_version = body["kind"], body["apiVersion"]
    if not kind:
        raise errors.bad_request("Object 'Kind' is missing in " + json.dumps(body, separators=(",", ":"))[:200])
    if api_version != rt.api_version or kind != rt.kind:
        raise errors.bad_request(
            f'the API version in the data ({api_version}) does not match the expected API version ({rt.api_version})'
            if kind == rt.kind else f"{kind} in version \"{api_version}\" cannot be handled as a {rt.kind}: "
                                    f"no kind \"{kind}\" is registered for version \"{rt.api_version}\"")
    obj = fields.json_copy(body, sort_keys=sort_keys)
    if not isinstance(obj.get("metadata", {}), dict):
        raise errors.bad_request(f"{rt.kind} in version \"{rt.version}\" cannot be handled as a {rt.kind}: "
                                 "json: cannot unmarshal metadata into Go struct field")
    obj.setdefault("metadata", {})
    if rt.is_custom:
        found = fields.prune_custom_resource(obj, rt.openapi_schema)
    else:
        found = fields.unknown_fields(rt.api_version, rt.kind, obj)
        found = sorted(found) if sort_errors else found
    _drop_unknown_fields(ctx, request, strict_error or _cannot_be_handled(rt), [*found_before, *found])
    if rt.is_custom:
        return obj
    from kauth.api.defaults import apply_defaults

    managed = obj["metadata"].pop("managedFields", None)  # nothing defaults them: not copied again
    defaulted = apply_defaults(rt, obj, server_fills=False)  # the rest after field management (_record_writer)
    if defaulted != obj:
        ctx.trace.add("decode", "defaulted", f"decoded a {rt.kind} and applied the {rt.api_version} defaults",
                      fields=_changed_paths(obj, defaulted))
    else:
        ctx.trace.add("decode", "ok", f"decoded a {rt.kind}; no defaults to apply")
    if managed is not None and isinstance(defaulted.get("metadata"), dict):
        defaulted["metadata"]["managedFields"] = managed
    return defaulted


def _record_writer(ctx: Context, request: Request, rt: ResourceType, live: dict | None, obj: dict) -> None:
    """metadata.managedFields for this write (before mutating admission, as the handlers do), then what the
    registry and admission fill in, which the writer therefore does not own."""
    update_managed_fields(ctx.trace, request, rt, live, obj, timestamp(ctx.clock()))
    if not rt.is_custom:
        from kauth.api.defaults import apply_server_fills

        apply_server_fills(rt, obj)


def _match_namespace(rt: ResourceType, request: Request, obj: dict) -> None:
    """EnsureObjectNamespaceMatchesRequestNamespace (pkg/registry/rest)."""
    meta = obj["metadata"]
    if not rt.namespaced:
        meta.pop("namespace", None)
        return
    have = meta.get("namespace") or ""
    if have == request.namespace:
        return
    if not have:
        meta["namespace"] = request.namespace
        return
    raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the request")


def _attributes(ctx: Context, request: Request, rt: ResourceType, operation: str, obj: dict | None,
                old: dict | None, name: str) -> admission.Attributes:
    return admission.Attributes(operation, rt, request.namespace if rt.namespaced else "", name, obj, old,
                                ctx.user, request.subresource, request.dry_run)


def _admit(ctx: Context, attributes: admission.Attributes) -> dict | None:
    outcome = ctx.admission.admit(attributes, _StateView(ctx.store))
    _record_admission(ctx, "mutating admission", outcome)
    return outcome.object


def _validate_admission(ctx: Context, attributes: admission.Attributes) -> None:
    outcome = ctx.admission.validate(attributes, _StateView(ctx.store))
    _record_admission(ctx, "validating admission", outcome)


def _record_admission(ctx: Context, stage: str, outcome: admission.Outcome) -> None:
    ctx.warnings.extend(outcome.warnings)
    if outcome.error is not None:
        ctx.trace.add(stage, "rejected", outcome.error.message, outcome.steps)
        raise outcome.error
    if not outcome.steps:
        ctx.trace.add(stage, "admitted", "no plugins configured")
        return
    plugins = [s for s in outcome.steps if s.stage != admission.REINVOCATION]
    counts = {kind: sum(1 for s in plugins if s.outcome == kind) for kind in ("skipped", "not simulated")}
    handled = len(plugins) - sum(counts.values())
    message = f"{handled} of {len(plugins)} plugins handled the request"
    if counts["not simulated"]:
        message += f" ({counts['not simulated']} not simulated by kauth)"
    mutated = [s.stage for s in plugins if s.outcome == "mutated"]
    if mutated:
        message += "; changed by " + ", ".join(mutated)
    if len(plugins) < len(outcome.steps):
        message += "; then all ran a second time (reinvocation)"
    ctx.trace.add(stage, "admitted", message, outcome.steps)


def _validate(ctx: Context, rt: ResourceType, obj: dict, old: dict | None, subresource: str = "") -> None:
    from kauth.api.validation import validate, validate_ephemeral_containers_update

    if subresource == EPHEMERAL_CONTAINERS and old is not None:
        field_errors = validate_ephemeral_containers_update(rt, obj, old)
    else:
        field_errors = validate(rt, obj, old)
    if rt.group == "admissionregistration.k8s.io" and not subresource:
        # policies and webhook configurations: their expressions compile with admission's CEL environment
        from kauth.admission.registration_validation import validate_registration

        field_errors = field_errors + validate_registration(rt.kind, obj, old)
    name = obj["metadata"].get("name", "")
    if field_errors:
        err = errors.invalid(rt.group, rt.kind, name, field_errors)
        ctx.trace.add("validation", "invalid", err.message, causes=[str(e) for e in field_errors])
        raise err
    ctx.trace.add("validation", "ok", f"{rt.kind} {name!r} is valid")


def create(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    obj = decode(ctx, request, rt, request.body)
    _match_namespace(rt, request, obj)
    requested_version = str((obj.get("metadata") or {}).get("resourceVersion") or "")
    if reviews.is_review(rt.group, rt.plural):  # answered, never stored
        obj = _admit(ctx, _attributes(ctx, request, rt, admission.CREATE, obj, None, "")) or obj
        _validate_admission(ctx, _attributes(ctx, request, rt, admission.CREATE, obj, None, ""))
        return 201, reviews.answer(ctx, request, rt, obj)
    meta = obj["metadata"]
    name = meta.get("name") or ""
    _record_writer(ctx, request, rt, None, obj)
    obj = _admit(ctx, _attributes(ctx, request, rt, admission.CREATE, obj, None, name)) or obj
    meta = obj["metadata"]
    _confirm_no_escalation(ctx, request, rt, obj, None)
    _prepare_for_create(ctx, rt, obj)
    _validate(ctx, rt, obj, None)
    name = meta["name"]
    _validate_admission(ctx, _attributes(ctx, request, rt, admission.CREATE, obj, None, name))
    ctx.warnings.extend(_warnings_on_create(rt, obj))
    key = _key(rt, meta.get("namespace", ""), name)
    if rt.group == "" and rt.kind == "Service":
        _allocate_service_addresses(ctx, obj)
    if request.dry_run:
        if ctx.store.get(key) is not None:
            raise errors.already_exists(rt.group, rt.plural, name)
        ctx.trace.add("storage", "dry run", f"would store {rt.group_resource} {name!r} (dry run: nothing persisted)")
        return 201, _out(ctx, rt, obj)
    if requested_version.isdigit() and int(requested_version) != 0:
        # etcd3 store.Create refuses a version that parses (a plain error: a 500 with no reason); one that does
        # not parse ("-1") passes, as kubernetes/kubernetes#113847 shows.
        ctx.trace.add("storage", "refused", "the object to create carries a resourceVersion")
        raise errors.plain_error("resourceVersion should not be set on objects to be created")
    try:
        stored = ctx.store.create(key, _to_storage(ctx, rt, obj))
    except StatusError as err:
        ctx.trace.add("storage", "conflict", err.message)
        raise
    ctx.trace.add("storage", "stored", f"created {rt.group_resource} {name!r}",
                  uid=stored["metadata"]["uid"], resourceVersion=stored["metadata"]["resourceVersion"])
    _after_create(ctx, rt, stored)
    _after_write(ctx, rt, None, stored)
    return 201, _out(ctx, rt, stored)


def _warnings_on_create(rt: ResourceType, obj: dict) -> list[str]:
    """The strategies' WarningsOnCreate that a learner meets first."""
    if rt.group == "" and rt.kind == "Pod":
        from kauth.api.names import is_dns1123_label

        problems = is_dns1123_label(obj["metadata"]["name"])
        if problems:
            return ["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; "
                    f"a DNS label is recommended: [{' '.join(problems)}]"]
    return []


def _prepare_for_create(ctx: Context, rt: ResourceType, obj: dict) -> None:
    meta = obj["metadata"]
    if not meta.get("name") and meta.get("generateName"):
        suffix = "".join(random.choice(_GENERATE_NAME_ALPHABET) for _ in range(5))
        meta["name"] = meta["generateName"] + suffix
        ctx.trace.add("registry", "named", f"generateName {meta['generateName']!r} gave the name {meta['name']!r}")
    meta["uid"] = str(uuid.uuid4())
    meta["creationTimestamp"] = timestamp(ctx.clock())
    for system_field in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
        meta.pop(system_field, None)
    if (rt.group, rt.kind) not in _NO_GENERATION:
        meta["generation"] = 1
    else:
        meta.pop("generation", None)
    initial = _INITIAL_STATUS.get((rt.group, rt.kind))
    if initial is not None:
        obj["status"] = initial(obj)
    elif rt.has_subresource("status"):
        obj["status"] = {}
    if rt.group == "apiextensions.k8s.io" and rt.kind == "CustomResourceDefinition":
        obj["status"] = _crd_status(obj)
    if rt.group == "batch" and rt.kind == "Job" and not (obj.get("spec") or {}).get("manualSelector"):
        _generate_job_selector(obj)
        ctx.trace.add("registry", "selector", "the Job strategy generated spec.selector and the template's labels "
                      f"from the uid {meta['uid']}")


def _generate_job_selector(job: dict) -> None:
    """generateSelector (pkg/registry/batch/job/strategy.go): job-name and controller-uid labels on the
    template (legacy and batch.kubernetes.io/ forms, user-set ones kept for validation to judge) and a
    selector on the uid."""
    meta, spec = job["metadata"], job.setdefault("spec", {})
    template_meta = spec.setdefault("template", {}).setdefault("metadata", {})
    labels = template_meta.get("labels")
    if not isinstance(labels, dict):
        labels = template_meta["labels"] = {}
    for key in ("job-name", "batch.kubernetes.io/job-name"):
        labels.setdefault(key, meta.get("name", ""))
    for key in ("controller-uid", "batch.kubernetes.io/controller-uid"):
        labels.setdefault(key, meta["uid"])
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    if not isinstance(selector.get("matchLabels"), dict):
        selector["matchLabels"] = {}
    selector["matchLabels"].setdefault("batch.kubernetes.io/controller-uid", meta["uid"])


def update(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    key, old = _stored(ctx, request, rt)
    obj = decode(ctx, request, rt, request.body)
    return _update_with(ctx, request, rt, key, _out(ctx, rt, old), obj)


# what every write changes: left out of the fields an update shows as changed
_BOOKKEEPING = ("metadata.resourceVersion", "metadata.managedFields")


def _update_with(ctx: Context, request: Request, rt: ResourceType, key: Key, old: dict, obj: dict) -> tuple[int, dict]:
    _match_namespace(rt, request, obj)
    meta = obj["metadata"]
    if meta.get("name", request.name) != request.name:
        raise errors.bad_request(
            f"the name of the object ({meta.get('name')}) does not match the name on the URL ({request.name})")
    meta["name"] = request.name
    expected_rv = meta.get("resourceVersion") or None
    if expected_rv and expected_rv != old["metadata"].get("resourceVersion"):
        ctx.trace.add("storage", "conflict", f"resourceVersion {expected_rv} is stale: stored is "
                      f"{old['metadata'].get('resourceVersion')}")
        raise errors.conflict(rt.group, rt.plural, request.name)
    if meta.get("uid") and meta["uid"] != old["metadata"].get("uid"):
        raise errors.conflict(rt.group, rt.plural, request.name,
                              f"Precondition failed: UID in precondition: {meta['uid']}, "
                              f"UID in object meta: {old['metadata'].get('uid')}")
    _record_writer(ctx, request, rt, old, obj)
    obj = _admit(ctx, _attributes(ctx, request, rt, admission.UPDATE, obj, old, request.name)) or obj
    _confirm_no_escalation(ctx, request, rt, obj, old)
    _prepare_for_update(rt, request, obj, old)
    _validate(ctx, rt, obj, old, request.subresource)
    _validate_admission(ctx, _attributes(ctx, request, rt, admission.UPDATE, obj, old, request.name))
    if rt.group == "" and rt.kind == "Service":
        _allocate_service_addresses(ctx, obj)
    if _same_object(obj, old):
        ctx.trace.add("storage", "unchanged", "the object is unchanged: nothing written, resourceVersion kept",
                      resourceVersion=old["metadata"].get("resourceVersion"))
        return 200, _out(ctx, rt, old)
    if request.dry_run:
        # DryRunnableStorage.GuaranteedUpdate: the result carries the stored resourceVersion, not a new one.
        obj["metadata"]["resourceVersion"] = old["metadata"].get("resourceVersion")
        ctx.trace.add("storage", "dry run", f"would update {rt.group_resource} {request.name!r} (dry run)")
        return 200, _out(ctx, rt, obj)
    if obj["metadata"].get("deletionTimestamp") and not obj["metadata"].get("finalizers"):
        gone = ctx.store.delete(key, old["metadata"].get("resourceVersion"))
        ctx.trace.add("storage", "deleted", "the last finalizer was removed from an object being deleted: "
                      "the object is gone")
        return 200, _out(ctx, rt, gone)
    try:
        stored = ctx.store.update(key, _to_storage(ctx, rt, obj), old["metadata"].get("resourceVersion"))
    except StatusError as err:
        ctx.trace.add("storage", "conflict", err.message)
        raise
    ctx.trace.add("storage", "stored", f"updated {rt.group_resource} {request.name!r}",
                  resourceVersion=stored["metadata"]["resourceVersion"],
                  generation=stored["metadata"].get("generation"),
                  changes=ChangeLines(old, stored, ignore=_BOOKKEEPING))
    _after_write(ctx, rt, old, stored)
    return 200, _out(ctx, rt, stored)


def _prepare_for_update(rt: ResourceType, request: Request, obj: dict, old: dict) -> None:
    meta, old_meta = obj["metadata"], old["metadata"]
    for system_field in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
        if system_field in old_meta:
            meta[system_field] = old_meta[system_field]
        else:
            meta.pop(system_field, None)
    meta.pop("resourceVersion", None)
    if request.subresource == EPHEMERAL_CONTAINERS:
        # podEphemeralContainersStrategy.PrepareForUpdate: the old Pod with the new ephemeral containers
        ephemeral, managed = (obj.get("spec") or {}).get("ephemeralContainers"), meta.get("managedFields")
        obj.clear()
        obj.update(copy.deepcopy(old))
        if ephemeral is None:
            obj["spec"].pop("ephemeralContainers", None)
        else:
            obj["spec"]["ephemeralContainers"] = ephemeral
        obj["metadata"].pop("resourceVersion", None)
        if managed is not None:
            obj["metadata"]["managedFields"] = managed
        return
    if rt.is_custom or rt.has_subresource("status"):
        # The main resource cannot change status, the status subresource only status (each strategy's
        # PrepareForUpdate).
        if request.subresource == "status":
            status, managed = obj.get("status"), meta.get("managedFields")
            obj.clear()
            obj.update(copy.deepcopy({k: v for k, v in old.items() if k != "status"}))
            if status is not None:
                obj["status"] = status
            meta = obj["metadata"]
            meta.pop("managedFields", None)
            if managed is not None:  # recorded for this write by the field manager
                meta["managedFields"] = managed
        elif "status" in old:
            obj["status"] = copy.deepcopy(old["status"])
        else:
            obj.pop("status", None)
    if rt.group == "" and rt.kind == "Service":
        _keep_allocated_service_values(obj, old)
    if "generation" in old_meta:
        changed = _without(obj, ("metadata", "status")) != _without(old, ("metadata", "status"))
        meta["generation"] = old_meta["generation"] + (1 if changed else 0)
    else:
        meta.pop("generation", None)


def _same_object(obj: dict, old: dict) -> bool:
    def without_version(o: dict) -> dict:  # compared without copying: objects carry managedFields now
        return {**o, "metadata": {k: v for k, v in o["metadata"].items() if k != "resourceVersion"}}
    return without_version(obj) == without_version(old)


def _serve_scale(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    """GET, PUT and PATCH on a workload's /scale: the write goes to the Scale, then to the workload."""
    if request.verb not in ("get", "update", "patch"):
        raise errors.method_not_supported(rt.group, f"{rt.plural}/scale", request.verb)
    key, old = _stored(ctx, request, rt)
    current = _out(ctx, rt, old)
    if request.verb == "get":
        ctx.trace.add("storage", "read", f"read the scale of {rt.group_resource} {request.name!r}",
                      resourceVersion=old["metadata"].get("resourceVersion"))
        return 200, scale.scale_of(current)
    written = request.body
    if request.verb == "patch":
        written = apply_patch(scale.SCALE_TYPE, scale.scale_of(current), request.patch_type, request.body)
        ctx.trace.add("patch", "applied", f"applied a {request.patch_type} patch to the Scale",
                      patch=_shown(request.body))
    code, stored = _update_with(ctx, request, rt, key, current, scale.with_scale(current, written, request.name))
    return code, scale.scale_of(stored)


def patch(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    key, old = _stored(ctx, request, rt)
    current = _out(ctx, rt, old)
    try:
        patched = _patched(rt, current, request)
    except StatusError as err:
        ctx.trace.add("patch", "failed", err.cause or err.message, patch=_shown(request.body))
        raise
    ctx.trace.add("patch", "applied", f"applied a {request.patch_type} patch to the live object",
                  patch=_shown(request.body))
    if (patched.get("metadata") or {}).get("resourceVersion") in (None, ""):
        patched.setdefault("metadata", {})["resourceVersion"] = old["metadata"].get("resourceVersion")
    strategic = request.patch_type == "strategic"
    found_in_patch = tuple(_json_patch_body_errors(request)) if request.patch_type == "json" else ()
    obj = decode(ctx, request, rt, patched, _patch_strict_error(request, patched), sort_errors=strategic,
                 found_before=found_in_patch, sort_keys=not strategic)
    return _update_with(ctx, request, rt, key, current, obj)


def _patched(rt: ResourceType, current: dict, request: Request) -> dict:
    """The patched object. A patch that does not mention managedFields is applied without them (they are
    large and a patch copies what it patches), and they are put back as they were."""
    meta = current.get("metadata") or {}
    if "managedFields" not in meta or isinstance(request.body, MalformedJSON) or \
            "managedFields" in json.dumps(request.body):
        return apply_patch(rt, current, request.patch_type, request.body)
    lean = {**current, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}
    patched = apply_patch(rt, lean, request.patch_type, request.body)
    if isinstance(patched.get("metadata"), dict):
        patched["metadata"]["managedFields"] = meta["managedFields"]
    return patched


def _patch_strict_error(request: Request, patched: dict) -> Callable[[list[str]], StatusError]:
    """handlers/patch.go reports strict decoding errors of a patch as a 422 on the field `patch`: its value
    is the patch map (`%+v`) for a strategic merge patch, the patched object's JSON for the others."""

    def strict_error(found: list[str]) -> StatusError:
        if request.patch_type == "strategic":
            shown = go_sprint(request.body if isinstance(request.body, dict) else {})
        else:
            shown = fields.go_json(patched)
        return errors.invalid("", "", "", [errors.field_invalid("patch", shown, fields.strict_decoding_error(found))])

    return strict_error


_JSON_PATCH_OP_FIELDS = ("op", "path", "from", "value")


def _json_patch_body_errors(request: Request) -> list[str]:
    """The JSON patch itself is strictly decoded into []jsonPatchOp first: `json patch unknown field "[0].x"`."""
    if not isinstance(request.body, list) or request.field_validation == fields.IGNORE:
        return []
    return [f'json patch unknown field "[{i}].{key}"' for i, op in enumerate(request.body) if isinstance(op, dict)
            for key in op if key not in _JSON_PATCH_OP_FIELDS]


def apply_patch(rt: ResourceType, current: dict, patch_type: str, body: Any) -> dict:
    """The patched object, or the API server's error for a patch that does not apply (handlers/patch.go)."""
    from kauth.patch import PatchError
    from kauth.patch.dispatch import UnsupportedPatch, apply_by_type

    if isinstance(body, MalformedJSON):
        # strategicPatchObject and DecodePatch unmarshal with encoding/json; MergePatch has its own word.
        raise errors.bad_request({"strategic": body.error, "merge": "Invalid JSON Patch",
                                  "json": f"error decoding patch: {body.error}"}.get(patch_type, body.error))
    if body is None and patch_type in ("strategic", "json"):
        body = {} if patch_type == "strategic" else []  # JSON null decodes to an empty map or no operations
    if patch_type == "strategic" and not isinstance(body, dict):
        raise errors.bad_request(f"json: cannot unmarshal {json_kind(body)} into Go value of type "
                                 "map[string]interface {}")
    if patch_type == "json" and not isinstance(body, list):
        raise errors.bad_request(f"error decoding patch: json: cannot unmarshal {json_kind(body)} into Go value "
                                 "of type []handlers.jsonPatchOp")
    try:
        return apply_by_type(patch_type, current, body, rt.schema, custom=rt.is_custom)
    except UnsupportedPatch as err:
        # Custom resources take no strategic merge patch (apiextensions-apiserver's patch types).
        raise errors.unsupported_media_type(["application/json-patch+json", "application/merge-patch+json",
                                             "application/apply-patch+yaml"]) from None
    except PatchError as err:
        # handlers/patch.go: BadRequest for malformed patches, a generic 422 (message dropped) for
        # patches that do not apply, 413 for too many operations, and a plain error (500) otherwise.
        if err.code == 400:
            raise errors.bad_request(err.message) from None
        if err.code == 413:
            raise errors.request_entity_too_large(err.message) from None
        if err.code == 422:
            raise errors.patch_failed(err.message) from None
        raise errors.plain_error(err.message) from None


def _shown(body: Any) -> Any:
    """A patch body as the trace shows it (malformed JSON as its text)."""
    return body.text if isinstance(body, MalformedJSON) else body


def delete(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    _refuse_system_priority_class_delete(rt, request.name)
    return _delete_one(ctx, request, rt)


def _refuse_system_priority_class_delete(rt: ResourceType, name: str) -> None:
    """The PriorityClass REST storage's Delete (pkg/registry/scheduling/priorityclass/storage): checked by name,
    before the object is read."""
    from kauth.admission.priority import SYSTEM_PRIORITY_CLASSES

    if rt.group == "scheduling.k8s.io" and rt.plural == "priorityclasses" and name in SYSTEM_PRIORITY_CLASSES:
        raise errors.forbidden_error(rt.group, rt.plural, name, "this is a system priority class and cannot be deleted")


def _delete_one(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    key, old = _stored(ctx, request, rt)
    options = request.body if isinstance(request.body, dict) else {}
    preconditions = options.get("preconditions") or {}
    if preconditions.get("uid") and preconditions["uid"] != old["metadata"].get("uid"):
        raise errors.conflict(rt.group, rt.plural, request.name,
                              f"Precondition failed: UID in precondition: {preconditions['uid']}, "
                              f"UID in object meta: {old['metadata'].get('uid')}")
    if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != old["metadata"].get("resourceVersion"):
        raise errors.conflict(rt.group, rt.plural, request.name,
                              f"Precondition failed: ResourceVersion in precondition: {preconditions['resourceVersion']}, "
                              f"ResourceVersion in object meta: {old['metadata'].get('resourceVersion')}")
    attributes = _attributes(ctx, request, rt, admission.DELETE, None, old, request.name)
    _admit(ctx, attributes)
    _validate_admission(ctx, attributes)
    meta = old["metadata"]
    pending = list(meta.get("finalizers") or [])
    if rt.group == "" and rt.kind == "Namespace":
        pending = pending or list((old.get("spec") or {}).get("finalizers") or [])
    if pending:
        if meta.get("deletionTimestamp"):
            ctx.trace.add("storage", "terminating", "already being deleted; waiting for finalizers " + ", ".join(pending))
            return 200, _out(ctx, rt, old)
        marked = copy.deepcopy(old)
        marked["metadata"]["deletionTimestamp"] = timestamp(ctx.clock())
        marked["metadata"]["deletionGracePeriodSeconds"] = 0
        if rt.group == "" and rt.kind == "Namespace":
            marked.setdefault("status", {})["phase"] = "Terminating"
        if request.dry_run:
            ctx.trace.add("storage", "dry run", "would mark the object for deletion (dry run)")
            return 200, _out(ctx, rt, marked)
        stored = ctx.store.update(key, marked, meta.get("resourceVersion"))
        ctx.trace.add("storage", "terminating", "deletionTimestamp set; the object stays until these finalizers "
                      "are removed: " + ", ".join(pending), resourceVersion=stored["metadata"]["resourceVersion"])
        if rt.group == "" and rt.kind == "Namespace":
            stored = _finalize_namespace(ctx, stored) or stored
        return 200, _out(ctx, rt, stored)
    if request.dry_run:
        ctx.trace.add("storage", "dry run", f"would delete {rt.group_resource} {request.name!r} (dry run)")
        return 200, _out(ctx, rt, old)
    gone = ctx.store.delete(key, meta.get("resourceVersion"))
    ctx.trace.add("storage", "deleted", f"deleted {rt.group_resource} {request.name!r}")
    _after_write(ctx, rt, gone, None)
    return 200, _out(ctx, rt, gone)


def delete_collection(ctx: Context, request: Request, rt: ResourceType) -> tuple[int, dict]:
    _, listed = list_objects(ctx, request, rt)
    for item in listed["items"]:
        meta = item["metadata"]
        one = Request("delete", rt.group, rt.version, rt.plural, meta.get("namespace", ""), meta["name"],
                      dry_run=request.dry_run)
        # Store.DeleteCollection calls the generic Store's Delete, so the PriorityClass guard is not asked.
        _delete_one(ctx, one, rt)
    return 200, listed


# -- RBAC escalation prevention (pkg/registry/rbac/*/policybased) ----------------------------------

_RBAC_KINDS = {"roles": "Role", "clusterroles": "ClusterRole", "rolebindings": "RoleBinding",
               "clusterrolebindings": "ClusterRoleBinding"}


def _confirm_no_escalation(ctx: Context, request: Request, rt: ResourceType, obj: dict, old: dict | None) -> None:
    """Run where upstream's policy-based storage runs it: after mutating admission, before validation."""
    from kauth.authn.user import MASTERS
    from kauth.authz import escalation
    from kauth.authz.authorizer import Attributes

    if rt.group != RBAC_GROUP or rt.plural not in _RBAC_KINDS or request.subresource or ctx.rbac is None:
        return
    if MASTERS in ctx.user.groups:
        ctx.trace.add("escalation check", "skipped", "system:masters may grant anything")
        return
    if old is not None and _only_gc_fields_change(obj, old):
        ctx.trace.add("escalation check", "skipped", "only ownerReferences or finalizers change")
        return
    name = (obj.get("metadata") or {}).get("name") or ""
    namespace = request.namespace if rt.namespaced else ""

    def allowed(verb: str, resource: str, target: str) -> bool:
        attributes = Attributes(ctx.user, verb, True, RBAC_GROUP, "", resource, "", namespace, target)
        return bool(ctx.authorizer.authorize(attributes)[0].allowed)

    if rt.plural in ("roles", "clusterroles"):
        if allowed("escalate", rt.plural, request.name if request.verb != "create" else ""):
            ctx.trace.add("escalation check", "allowed", f"the user may escalate {rt.plural}")
            return
        granted = [r for r in obj.get("rules") or [] if isinstance(r, dict)]
    else:
        ref = obj.get("roleRef") or {}
        kind, role_name = ref.get("kind"), ref.get("name", "")
        if kind in ("Role", "ClusterRole") and allowed("bind", kind.lower() + "s", role_name):
            ctx.trace.add("escalation check", "allowed", f'the user may bind {kind} "{role_name}"')
            return
        if kind not in ("Role", "ClusterRole"):
            raise errors.internal_error(f"unsupported role reference kind: {errors.go_quote(str(kind))}")
        role = ctx.store.get(Key(RBAC_GROUP, kind.lower() + "s", namespace if kind == "Role" else "", role_name))
        if role is None:
            ctx.trace.add("escalation check", "not found", f"the bound {kind} {role_name!r} does not exist")
            raise errors.not_found(RBAC_GROUP, kind.lower() + "s", role_name)
        granted = [r for r in role.get("rules") or [] if isinstance(r, dict)]
    held, missing = ctx.rbac.policy().rules_for(ctx.user, namespace)
    resolution = [b.missing_role(registry=True) for b in missing]
    why = escalation.not_currently_held(ctx.user, held, granted, resolution)
    if why is None and rt.plural == "clusterroles" and (_aggregates(obj) or (old is not None and _aggregates(old))):
        if escalation.not_currently_held(ctx.user, held, escalation.FULL_AUTHORITY, resolution) is not None:
            why = "must have cluster-admin privileges to use the aggregationRule"
    if why is not None:
        ctx.trace.add("escalation check", "denied", why)
        raise errors.forbidden_error(RBAC_GROUP, rt.plural, name, why)
    ctx.trace.add("escalation check", "allowed", "the user already holds every permission granted")


def _aggregates(cluster_role: dict) -> bool:
    return bool(((cluster_role.get("aggregationRule") or {}).get("clusterRoleSelectors")))


def _only_gc_fields_change(obj: dict, old: dict) -> bool:
    """IsOnlyMutatingGCFields: the garbage collector's edits (ownerReferences, finalizers) need no check."""
    def without_gc(o: dict) -> dict:
        meta = {k: v for k, v in (o.get("metadata") or {}).items()
                if k not in ("ownerReferences", "finalizers", "selfLink", "managedFields")}
        return {**o, "metadata": meta}
    return without_gc(obj) == without_gc(old)


# -- simulated controllers ----------------------------------------------------------------------


def _after_create(ctx: Context, rt: ResourceType, obj: dict) -> None:
    """What the controllers of a real cluster do right after a create (simulated synchronously)."""
    if rt.group == "" and rt.kind == "Namespace":
        namespace = obj["metadata"]["name"]
        key = Key("", "serviceaccounts", namespace, "default")
        if ctx.store.get(key) is None:
            sa = new_object("v1", "ServiceAccount", "default", namespace, ctx.clock())
            ctx.store.create(key, sa)
            ctx.trace.add("controllers", "created", f'the serviceaccount controller created ServiceAccount '
                          f'"default" in namespace "{namespace}"')
        _publish_root_ca(ctx, namespace)
    if rt.group == "" and rt.kind == "Secret" and obj.get("type") == SERVICE_ACCOUNT_TOKEN:
        _populate_token_secret(ctx, obj)


SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"


def _populate_token_secret(ctx: Context, secret: dict) -> None:
    """The tokens controller (pkg/controller/serviceaccount/tokens_controller.go): a legacy token Secret gets a
    signed token, the cluster CA and the namespace; one naming a missing ServiceAccount is deleted."""
    import base64

    from kauth.authn.serviceaccount import issue_legacy_token

    meta = secret["metadata"]
    namespace, annotations = meta.get("namespace", ""), meta.get("annotations") or {}
    account_name = annotations.get("kubernetes.io/service-account.name", "")
    key = Key("", "secrets", namespace, meta["name"])
    account = ctx.store.get(Key("", "serviceaccounts", namespace, account_name))
    if account is None or (annotations.get("kubernetes.io/service-account.uid") not in
                           (None, "", account["metadata"].get("uid"))):
        ctx.store.delete(key)
        ctx.trace.add("controllers", "deleted", f"the tokens controller deleted Secret {namespace}/{meta['name']}: "
                      f"it names ServiceAccount {account_name!r}, which does not exist")
        return
    if ctx.token_issuer is None:
        ctx.trace.add("controllers", "skipped", "the tokens controller has no signing key "
                      "(service-account-signing-key-file in policies/authentication.yaml)")
        return
    uid = account["metadata"].get("uid", "")
    token = issue_legacy_token(ctx.token_issuer.signing_key_pem, namespace=namespace, name=account_name, uid=uid,
                               secret_name=meta["name"])
    filled = copy.deepcopy(secret)
    filled["metadata"].setdefault("annotations", {})["kubernetes.io/service-account.uid"] = uid
    data = filled.setdefault("data", {})
    data["token"] = base64.b64encode(token.encode()).decode()
    data["namespace"] = base64.b64encode(namespace.encode()).decode()
    if ctx.root_ca_pem:
        data["ca.crt"] = base64.b64encode(ctx.root_ca_pem).decode()
    ctx.store.update(key, filled)
    ctx.trace.add("controllers", "updated", f"the tokens controller signed a legacy token for ServiceAccount "
                  f"{namespace}/{account_name} into Secret {namespace}/{meta['name']}")


# pkg/controller/certificates/rootcacertpublisher/publisher.go
ROOT_CA_CONFIG_MAP = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION_ANNOTATION = "kubernetes.io/description"
ROOT_CA_DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
                       "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
                       "guaranteed across distributions of Kubernetes clusters.")


def _publish_root_ca(ctx: Context, namespace: str) -> None:
    """The root-ca-cert-publisher's syncNamespace: the namespace holds ConfigMap kube-root-ca.crt with the
    cluster CA as `ca.crt` and the description annotation; a missing one is created, a changed one repaired."""
    root_ca = ctx.root_ca_pem.decode()
    if not root_ca:
        ctx.trace.add("controllers", "skipped", f"the root-ca-cert-publisher has no cluster CA to publish in "
                      f'namespace "{namespace}" (client-ca-file in policies/authentication.yaml)')
        return
    owner = ctx.store.get(Key("", "namespaces", "", namespace))
    if owner is None or (owner.get("metadata") or {}).get("deletionTimestamp"):
        return  # the create would fail (NotFound, NamespaceTerminating) and the controller does not retry it
    key = Key("", "configmaps", namespace, ROOT_CA_CONFIG_MAP)
    config_map = ctx.store.get(key)
    data = {"ca.crt": root_ca}
    if config_map is None:
        created = new_object("v1", "ConfigMap", ROOT_CA_CONFIG_MAP, namespace, ctx.clock(), data=data)
        created["metadata"]["annotations"] = {ROOT_CA_DESCRIPTION_ANNOTATION: ROOT_CA_DESCRIPTION}
        ctx.store.create(key, created)
        ctx.trace.add("controllers", "created", f'the root-ca-cert-publisher created ConfigMap "{ROOT_CA_CONFIG_MAP}" '
                      f'in namespace "{namespace}"')
        return
    annotations = (config_map.get("metadata") or {}).get("annotations") or {}
    if config_map.get("data") == data and annotations.get(ROOT_CA_DESCRIPTION_ANNOTATION):
        return
    repaired = copy.deepcopy(config_map)
    repaired["data"] = data
    repaired["metadata"]["annotations"] = {**annotations, ROOT_CA_DESCRIPTION_ANNOTATION: ROOT_CA_DESCRIPTION}
    ctx.store.update(key, repaired)
    ctx.trace.add("controllers", "updated", f'the root-ca-cert-publisher restored the CA bundle and description of '
                  f'ConfigMap "{ROOT_CA_CONFIG_MAP}" in namespace "{namespace}"')


def _after_write(ctx: Context, rt: ResourceType, old: dict | None, new: dict | None) -> None:
    """Controllers that react to any write of a kind (simulated synchronously)."""
    if rt.group == "" and rt.plural == "configmaps" and old is not None:
        # The publisher watches its ConfigMap's updates and deletes (not creates).
        if old["metadata"].get("name") == ROOT_CA_CONFIG_MAP:
            _publish_root_ca(ctx, old["metadata"].get("namespace", ""))
    if rt.group == "" and rt.plural == "namespaces" and old is not None and new is not None \
            and (new.get("status") or {}).get("phase", "Active") == "Active":
        _publish_root_ca(ctx, new["metadata"]["name"])
    if rt.group == RBAC_GROUP and rt.plural == "clusterroles":
        if any(o is not None and ((o.get("metadata") or {}).get("labels") or o.get("aggregationRule") is not None)
               for o in (old, new)):
            _aggregate_cluster_roles(ctx)


def _aggregate_cluster_roles(ctx: Context) -> None:
    """The clusterrole-aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole with an
    aggregationRule gets the rules of every other ClusterRole its selectors pick (by name within a selector,
    each rule once); repeated until nothing changes, as the controller converges through its own updates."""
    roles = {r["metadata"]["name"]: r for r in ctx.store.list(RBAC_GROUP, "clusterroles")}
    aggregating = sorted(name for name, role in roles.items() if role.get("aggregationRule") is not None)
    for _ in range(len(aggregating) + 1):  # a selector cycle would never settle: stop as a pass changes nothing
        changed = False
        for name in aggregating:
            rules = _aggregated_rules(name, roles)
            if rules is None or _rules_key(rules) == _rules_key(roles[name].get("rules") or []):
                continue
            updated = copy.deepcopy(roles[name])
            updated["rules"] = rules
            roles[name] = ctx.store.update(Key(RBAC_GROUP, "clusterroles", "", name), updated)
            ctx.trace.add("controllers", "updated", f"the clusterrole-aggregation controller set the {len(rules)} "
                          f'rules of ClusterRole "{name}"')
            changed = True
        if not changed:
            return


def _aggregated_rules(name: str, roles: dict[str, dict]) -> list | None:
    """The rules the aggregationRule of `name` selects; None when a selector is invalid (the controller gives up)."""
    rules: list = []
    seen: set = set()
    for selector in (roles[name].get("aggregationRule") or {}).get("clusterRoleSelectors") or []:
        selector = selector if isinstance(selector, dict) else {}
        if not all(_valid_expression(e) for e in selector.get("matchExpressions") or []):
            return None
        selects = selector_from_label_selector(selector)
        for other in sorted(roles):
            if other == name or not selects((roles[other].get("metadata") or {}).get("labels") or {}):
                continue
            for rule in roles[other].get("rules") or []:
                key = _rules_key([rule])
                if key not in seen:
                    seen.add(key)
                    rules.append(copy.deepcopy(rule))
    return rules


def _valid_expression(expression: object) -> bool:
    """LabelSelectorAsSelector's checks: In and NotIn need values, Exists and DoesNotExist take none."""
    if not isinstance(expression, dict):
        return False
    operator, values = expression.get("operator"), expression.get("values") or []
    if operator in ("In", "NotIn"):
        return bool(values)
    return operator in ("Exists", "DoesNotExist") and not values


def _rules_key(rules: list) -> str:
    """Rules compared as equality.Semantic.DeepEqual compares them: an empty list is the same as none."""
    def plain(rule: object) -> object:
        return {k: v for k, v in rule.items() if v not in (None, [], "")} if isinstance(rule, dict) else rule
    return json.dumps([plain(r) for r in rules], sort_keys=True)


def _finalize_namespace(ctx: Context, namespace: dict) -> dict | None:
    """The namespace controller: delete the namespace's content, then drop its `kubernetes` finalizer."""
    name = namespace["metadata"]["name"]
    blocked = []
    removed = 0
    for rt in ctx.table.preferred():
        if not rt.namespaced:
            continue
        for obj in ctx.store.list(rt.group, rt.plural, name):
            key = _key(rt, name, obj["metadata"]["name"])
            if obj["metadata"].get("finalizers"):
                if not obj["metadata"].get("deletionTimestamp"):
                    obj["metadata"]["deletionTimestamp"] = timestamp(ctx.clock())
                    ctx.store.update(key, obj)
                blocked.append(f"{rt.group_resource}/{obj['metadata']['name']}")
                continue
            ctx.store.delete(key)
            removed += 1
    if blocked:
        ctx.trace.add("controllers", "waiting", f"the namespace controller deleted {removed} objects; waiting for "
                      "finalizers on " + ", ".join(blocked))
        return None
    meta = namespace["metadata"]
    if meta.get("finalizers"):
        ctx.trace.add("controllers", "waiting", "the namespace has metadata.finalizers: " + ", ".join(meta["finalizers"]))
        return None
    ctx.store.delete(Key("", "namespaces", "", name))
    ctx.trace.add("controllers", "deleted", f"the namespace controller deleted {removed} objects in "
                  f"{name!r} and removed the namespace")
    return namespace


def _keep_allocated_service_values(new: dict, old: dict) -> None:
    """patchAllocatedValues (pkg/registry/core/service/storage): an update that leaves clusterIP,
    clusterIPs or a port's nodePort empty keeps the allocated ones, so `kubectl replace -f svc.yaml`
    and `kubectl apply` of a manifest without them do not re-allocate."""
    old_spec, spec = old.get("spec") or {}, new.setdefault("spec", {})

    def needs_cluster_ip(s: dict) -> bool:
        return s.get("type", "ClusterIP") != "ExternalName"

    def needs_node_port(s: dict) -> bool:
        return s.get("type") == "NodePort" or (s.get("type") == "LoadBalancer"
                                                and s.get("allocateLoadBalancerNodePorts", True) is not False)

    if needs_cluster_ip(old_spec) and needs_cluster_ip(spec):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if needs_node_port(old_spec) and needs_node_port(spec):
        def used(s: dict) -> set:
            return {p.get("nodePort") for p in s.get("ports") or [] if p.get("nodePort")}

        taken = used(old_spec) & used(spec)
        by_name = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or []}
        for port in spec.get("ports") or []:
            if not port.get("nodePort"):
                previous = by_name.get(port.get("name", ""))
                if previous and previous not in taken:
                    port["nodePort"] = previous
    if spec.get("type") == "LoadBalancer" and old_spec.get("type") == "LoadBalancer" \
            and spec.get("externalTrafficPolicy") == "Local" and old_spec.get("externalTrafficPolicy") == "Local" \
            and not spec.get("healthCheckNodePort") and old_spec.get("healthCheckNodePort"):
        spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"]


def _allocate_service_addresses(ctx: Context, service: dict) -> None:
    """The Service REST storage allocates a clusterIP and node ports (lowest free, for reproducible runs)."""
    spec = service.setdefault("spec", {})
    service_type = spec.get("type", "ClusterIP")
    needs_ip = service_type != "ExternalName" and not spec.get("clusterIP")
    needs_ports = service_type in ("NodePort", "LoadBalancer") and any(
        not port.get("nodePort") for port in spec.get("ports") or [] if isinstance(port, dict))
    # Listing every Service costs as much as the state is big: only an allocation needs it.
    existing = ctx.store.list("", "services") if needs_ip or needs_ports else []
    if needs_ip:
        used = {s.get("spec", {}).get("clusterIP") for s in existing}
        for n in range(1, 1 << 20):
            ip = f"10.{96 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"
            if ip not in used:
                spec["clusterIP"] = ip
                break
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    if service_type in ("NodePort", "LoadBalancer"):
        used_ports = {p.get("nodePort") for s in existing for p in s.get("spec", {}).get("ports") or []
                      if s["metadata"].get("uid") != service["metadata"].get("uid")}
        used_ports |= {p.get("nodePort") for p in spec.get("ports") or []}
        free = (p for p in NODE_PORT_RANGE if p not in used_ports)
        for port in spec.get("ports") or []:
            if not port.get("nodePort"):
                port["nodePort"] = next(free)


def _crd_status(crd: dict) -> dict:
    spec = crd.get("spec") or {}
    storage = [v["name"] for v in spec.get("versions") or [] if v.get("storage")]
    names = dict(spec.get("names") or {})
    names.setdefault("singular", (names.get("kind") or "").lower())
    names.setdefault("listKind", f"{names.get('kind', '')}List")
    return {
        "acceptedNames": names,
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found"},
            {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
             "message": "the initial names have been accepted"},
        ],
        "storedVersions": storage,
    }


def _qos_class(pod: dict) -> str:
    """The Pod's QoS class from its containers' requests and limits (pkg/apis/core/helper/qos)."""
    containers = [*(pod.get("spec", {}).get("containers") or []), *(pod.get("spec", {}).get("initContainers") or [])]
    any_set, guaranteed = False, True
    for c in containers:
        resources = c.get("resources") or {}
        requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
        if requests or limits:
            any_set = True
        for res in ("cpu", "memory"):
            if res not in limits or requests.get(res, limits.get(res)) != limits.get(res):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def new_object(api_version: str, kind: str, name: str, namespace: str, now: datetime, **fields: Any) -> dict:
    """A fresh object with system metadata, as a controller would create it."""
    meta: dict[str, Any] = {"name": name, "uid": str(uuid.uuid4()), "creationTimestamp": timestamp(now)}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, **fields}


def _without(obj: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in obj.items() if k not in keys}


def _changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Field paths that defaulting added or changed (for the trace)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for k, v in after.items():
            path = f"{prefix}.{k}" if prefix else k
            if k not in before:
                out.append(path)
            else:
                out.extend(_changed_paths(before[k], v, path))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out.extend(_changed_paths(b, a, f"{prefix}[{i}]"))
        return out
    return [] if before == after else [prefix]


__all__ = ["serve", "Context", "TraceStep"]
