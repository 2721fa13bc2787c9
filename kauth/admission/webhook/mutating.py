"""MutatingAdmissionWebhook: calls the mutating webhooks of MutatingWebhookConfiguration objects one after the
other, each seeing the object as the previous one patched it (RFC 6902 JSON patches).

Upstream: plugin/webhook/mutating/dispatcher.go (Dispatch, callAttrMutatingHook, the audit annotations
`mutation.webhook.admission.k8s.io/round_N_index_M` and `patch.webhook.admission.k8s.io/round_N_index_M`) and
reinvocationcontext.go. A webhook that changes the object makes the Chain run the mutating plugins a second time
(kauth/admission/reinvocation.py); on that pass (round 1) only the webhooks with `reinvocationPolicy: IfNeeded`
that ran before a later change are called again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from kauth.admission.chain import Attributes, StateView, Verdict
from kauth.admission.reinvocation import Reinvocations
from kauth.admission.webhook import config, errors
from kauth.admission.webhook.base import WebhookPlugin
from kauth.admission.webhook.call import audit_annotation_key
from kauth.admission.webhook.matching import Invocation, should_call
from kauth.api import errors as api_errors
from kauth.api.errors import StatusError, go_quote
from kauth.api.resources import ResourceType
from kauth.api.json_syntax import json_kind

PATCH_PREFIX = "patch.webhook.admission.k8s.io/"
MUTATION_PREFIX = "mutation.webhook.admission.k8s.io/"
FAILED_OPEN_PREFIX = "failed-open." + MUTATION_PREFIX


@dataclass
class _Request:
    """One pass through the webhooks: the object as patched so far, what was recorded, and the reinvocation
    bookkeeping kept across both passes (webhookReinvokeContext)."""

    attributes: Attributes
    obj: dict | None
    reinvocations: Reinvocations
    annotations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: bool = False

    def annotate(self, key: str, value: str) -> None:
        self.annotations.setdefault(key, value)  # AddAnnotation never overwrites a key


@dataclass
class MutatingAdmissionWebhook(WebhookPlugin):
    """The plugin; its arguments are WebhookPlugin's."""

    name: str = "MutatingAdmissionWebhook"

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        hooks = config.webhooks(state, config.MUTATING)
        if not hooks:
            return Verdict(attributes.object, "no mutating webhooks configured")
        context = attributes.reinvocation
        run = _Request(attributes, attributes.object, context.reinvocations(self.name))
        run.reinvocations.start(context, self.name, attributes.object)
        try:
            self._dispatch(run, hooks, state, round_=1 if context.is_reinvoke else 0)
        except StatusError as err:
            # what was recorded before the rejection still goes to the audit log and the client
            err.audit_annotations = dict(run.annotations)  # type: ignore[attr-defined]
            err.warnings = tuple(run.warnings)  # type: ignore[attr-defined]
            raise
        finally:
            run.reinvocations.finish(context, run.obj)
        message = "; ".join(run.notes)
        return Verdict(run.obj, message, tuple(run.warnings), changed=run.changed,
                       audit_annotations=dict(run.annotations))

    def _dispatch(self, run: _Request, hooks: list[config.Webhook], state: StateView, round_: int) -> None:
        for index, hook in enumerate(hooks):
            attributes = replace(run.attributes, object=run.obj)
            invocation = should_call(hook, attributes, state, self.resources, self._conditions,
                                     run.notes if round_ == 0 else None)
            if invocation is None:
                continue
            if_needed = hook.reinvocation_policy == "IfNeeded"
            if round_ == 1:
                why = run.reinvocations.why_reinvoked(hook.uid)
                if why is None:  # a reinvocation never calls a webhook for the first time
                    run.notes.append(f"{hook.name}: {run.reinvocations.why_not_reinvoked(hook.uid, if_needed)}")
                    continue
                run.notes.append(f"{hook.name}: reinvoked (reinvocationPolicy IfNeeded): {why}")
            changed, error = self._call(run, invocation, attributes, round_, index)
            if changed:
                run.reinvocations.require_reinvoking_previously_invoked(
                    f"webhook {go_quote(hook.name)} changed the object after it ran")
                run.attributes.reinvocation.set_should_reinvoke(f"webhook {go_quote(hook.name)} changed the object")
            run.reinvocations.invoked(hook.uid, if_needed)
            if error is None:
                continue
            if isinstance(error, errors.CallError):
                if hook.ignores_failures:
                    run.annotate(f"{FAILED_OPEN_PREFIX}round_{round_}_index_{index}", hook.name)
                    run.notes.append(f"{hook.name}: failed open ({error})")
                    continue
                run.notes.append(f"{hook.name}: failed closed ({error})")
                raise errors.internal_error(str(error))
            if isinstance(error, errors.Rejection):
                raise error.status
            raise error

    def _call(self, run: _Request, invocation: Invocation, attributes: Attributes, round_: int,
              index: int) -> tuple[bool, Exception | None]:
        """callAttrMutatingHook: (whether the object changed, the error). The mutation annotation is recorded
        whatever happens once the call is attempted."""
        hook = invocation.webhook
        changed = False
        try:
            obj = self._versioned(run.obj, invocation.resource_type)
            old = self._versioned(attributes.old_object, invocation.resource_type)
            response = self.caller.call(invocation, attributes, obj, old, mutating=True)
            for key, value in response.audit_annotations.items():
                full_key = audit_annotation_key(hook, key)
                if full_key is not None:
                    run.annotate(full_key, value)
            run.warnings.extend(response.warnings)
            if not response.allowed:
                return False, errors.Rejection(errors.to_status_error(hook.name, response.result))
            if not response.patch:
                run.notes.append(f"{hook.name}: allowed")
                return False, None
            operations = _decode_patch(hook.name, response.patch)
            if not operations:
                run.notes.append(f"{hook.name}: allowed")
                return False, None
            if run.obj is None:
                return False, errors.internal_error(api_errors.webhook_cannot_modify(hook.name))
            if response.patch_type != "JSONPatch":
                unsupported = api_errors.webhook_unsupported_patch_type(response.patch_type)
                status = errors.to_status_error(hook.name, response.result)
                return False, errors.CallError(hook.name, unsupported, status)
            patched = _apply(obj, operations, invocation.resource_type)
            changed = patched != obj
            run.annotate(f"{PATCH_PREFIX}round_{round_}_index_{index}", _go_marshal({
                "configuration": hook.configuration, "webhook": hook.name, "patch": _RawPatch(response.patch),
                "patchType": "JSONPatch"}))
            patched = self._unversioned(patched, invocation.resource_type, run.attributes.resource_type)
            from kauth.api.defaults import apply_defaults

            run.obj = apply_defaults(run.attributes.resource_type, patched, server_fills=False)
            run.changed = run.changed or changed
            run.notes.append(f"{hook.name}: {'patched the object' if changed else 'sent a patch that changed nothing'}")
            return changed, None
        except (errors.CallError, errors.Rejection, StatusError) as err:
            return False, err
        finally:
            run.annotate(f"{MUTATION_PREFIX}round_{round_}_index_{index}", _go_marshal({
                "configuration": hook.configuration, "webhook": hook.name, "mutated": changed}))

    def _versioned(self, obj: dict | None, matched: ResourceType) -> dict | None:
        """The object in the version the webhook matched (matchPolicy Equivalent may pick another)."""
        if obj is None or obj.get("apiVersion") == matched.api_version:
            return obj
        from kauth.api.conversion import convert

        return convert(obj, matched.api_version, self.resources)

    def _unversioned(self, obj: dict, matched: ResourceType, requested: ResourceType) -> dict:
        if matched == requested:
            return obj
        from kauth.api.conversion import convert

        return convert(obj, requested.api_version, self.resources)


def _decode_patch(webhook: str, patch: bytes) -> list[dict]:
    """jsonpatch.DecodePatch: a JSON array of objects, or `received undecodable patch in webhook response`."""
    text = patch.decode("utf-8", "replace")
    try:
        operations = json.loads(text)
    except ValueError:
        from kauth.api.json_syntax import go_json_syntax_error

        reason = go_json_syntax_error(text) or "invalid JSON"
    else:
        if operations is None:
            return []
        if not isinstance(operations, list):
            reason = f"json: cannot unmarshal {json_kind(operations)} into Go value of type jsonpatch.Patch"
        else:
            bad = next((op for op in operations if op is not None and not isinstance(op, dict)), _OK)
            if bad is _OK:
                return [op if op is not None else {} for op in operations]
            reason = f"json: cannot unmarshal {json_kind(bad)} into Go value of type jsonpatch.Operation"
    raise errors.CallError(webhook, api_errors.webhook_undecodable_patch(reason),
                           errors.service_unavailable(api_errors.WEBHOOK_DECODING_PATCH_FAILED))


_OK = object()


def _apply(obj: dict, operations: list[dict], rt: ResourceType) -> dict:
    """patchObj.Apply, then decoding into the kind's struct: a patch that does not apply, or leaves something
    that is not an object of the kind, rejects the request (500) whatever the failurePolicy."""
    from kauth.patch import PatchError
    from kauth.patch.jsonpatch import apply_json_patch

    try:
        patched = apply_json_patch(obj, operations)
    except PatchError as err:
        raise errors.internal_error(err.message) from None
    if not isinstance(patched, dict):
        raise errors.internal_error(f"json: cannot unmarshal {json_kind(patched)} into Go value of type "
                                    f"{_go_type(rt)}")
    if (patched.get("apiVersion"), patched.get("kind")) != (obj.get("apiVersion"), obj.get("kind")):
        # the serializer would decode another kind than the one converted back to the request's
        raise errors.internal_error(f"converting ({patched.get('apiVersion')}, Kind={patched.get('kind')}) to "
                                    f"({rt.api_version}, Kind={rt.kind}): the patch changed the object's kind")
    _check_top_level_types(patched, rt)
    _drop_unknown_fields(patched, rt)
    return patched


def _check_top_level_types(patched: dict, rt: ResourceType) -> None:
    from kauth.api import fields

    root = fields.root_type(rt.api_version, rt.kind)
    if root is None:
        if patched.get("metadata") is not None and not isinstance(patched.get("metadata"), dict):
            raise errors.internal_error(f"json: cannot unmarshal {json_kind(patched['metadata'])} into Go struct "
                                        "field ObjectMeta.metadata of type map[string]interface {}")
        return
    struct = fields.struct_fields(root)
    for key, value in patched.items():
        type_name = struct.get(key)
        if value is None or not isinstance(type_name, str) or not type_name[:1].isupper():
            continue  # scalars, lists and maps: their type errors are left to validation
        if not isinstance(value, dict):
            raise errors.internal_error(f"json: cannot unmarshal {json_kind(value)} into Go struct field "
                                        f"{_go_name(root).split('.', 1)[1]}.{key} of type {_go_name(type_name)}")


def _drop_unknown_fields(patched: dict, rt: ResourceType) -> None:
    """Decoding into the struct drops what it has no field for (silently: a webhook's patch is not strict)."""
    from kauth.api import fields

    if rt.is_custom:
        fields.prune_custom_resource(patched, rt.openapi_schema)
    else:
        fields.unknown_fields(rt.api_version, rt.kind, patched)


_OPENAPI_NAME = re.compile(r"^(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$")


def _go_name(openapi_name: str) -> str:
    """`V1ObjectMeta` as Go prints the type: `v1.ObjectMeta`."""
    match = _OPENAPI_NAME.match(openapi_name)
    return f"{match.group(1).lower()}.{match.group(2)}" if match else openapi_name


def _go_type(rt: ResourceType) -> str:
    return f"{rt.version}.{rt.kind}"


class _RawPatch:
    """The patch as jsonpatch.Patch marshals: each operation's keys sorted, each value as the webhook wrote it."""

    def __init__(self, patch: bytes):
        self.patch = patch


def _go_marshal(value: dict) -> str:
    """utiljson.Marshal of the annotation structs: compact, HTML characters escaped."""
    parts = []
    for key, item in value.items():
        if isinstance(item, _RawPatch):
            rendered = _marshal_patch(item.patch)
        else:
            rendered = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{json.dumps(key)}:{rendered}")
    return _escape_html("{" + ",".join(parts) + "}")


def _marshal_patch(patch: bytes) -> str:
    # []Operation of map[string]*json.RawMessage: keys sorted, raw values compacted (no re-encoding of numbers
    # or of the key order inside a value)
    operations = json.loads(patch.decode("utf-8"), object_pairs_hook=_KeepOrder)
    out = []
    for op in operations:
        op = op or {}
        items = sorted(op.items())
        out.append("{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_compact(v)}" for k, v in items) + "}")
    return "[" + ",".join(out) + "]"


class _KeepOrder(dict):
    pass


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _escape_html(text: str) -> str:
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
