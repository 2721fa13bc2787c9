"""The API server's field manager for create, update and patch: records metadata.managedFields on the object
about to be admitted and stored (handlers/create.go, update.go and patch.go call it before mutating admission).

Which managedFields a write starts from (fieldmanager.go decodeLiveOrNew): a subresource write always starts
from the live object's; otherwise `managedFields: []` sent by the client resets them, valid ones sent are
used as they are, and missing or undecodable ones fall back to the live object's. An update of an object
that has none is not tracked (skipnonapplied.go): only creates start the bookkeeping.
"""

from __future__ import annotations

from kauth.api.apply_types import custom_type, object_type, zero_object
from kauth.api.resources import ResourceType
from kauth.apiserver.request import Request, Trace
from kauth.patch import fieldpath
from kauth.patch import managed_fields as mf

_ZERO: dict[tuple[str, str, int], dict] = {}


def reset_fields(rt: ResourceType, subresource: str) -> tuple[tuple[str, ...], ...]:
    """The fields the endpoint's strategy resets, so that no writer owns them (GetResetFields)."""
    if not (rt.is_custom or rt.has_subresource("status")):
        return ()
    return (("f:spec",),) if subresource == "status" else (("f:status",),)


def update_managed_fields(trace: Trace, request: Request, rt: ResourceType, live: dict | None, new: dict,
                          now: str) -> None:
    """Set new.metadata.managedFields for this write; `live` is None for a create."""
    meta = new["metadata"]
    sent = meta.pop("managedFields", None)
    live_entries = ((live or {}).get("metadata") or {}).get("managedFields")
    writer = mf.Manager(mf.manager_name(request.field_manager, request.user_agent), mf.UPDATE, rt.api_version,
                        request.subresource if request.subresource in ("status", "scale") else "")
    try:
        managers = _starting_managers(request, sent, live_entries)
        if not managers and live is not None:
            trace.add("field management", "skipped", "the live object has no managedFields: an update does not "
                      "start tracking them")
            return
        before = _compared(live) if live is not None else _zero(rt)
        type_ = custom_type(rt.openapi_schema) if rt.is_custom else object_type(rt.api_version, rt.kind, rt.schema)
        comparison = mf.compare(before, _compared(new), type_)
        managers = mf.record_update(managers, comparison, writer, now, reset_fields(rt, request.subresource))
    except (mf.CompareError, fieldpath.FieldsError, RecursionError) as err:
        # UpdateNoErrors: a failure keeps the live object's managedFields rather than fail the write.
        if live_entries is not None:
            meta["managedFields"] = live_entries
        trace.add("field management", "failed", f"managedFields kept as they were: {err}")
        return
    encoded = mf.encode(managers)
    if encoded is not None:
        meta["managedFields"] = encoded
    owned = next((e for e in encoded or [] if e["manager"] == writer.manager and e["operation"] == mf.UPDATE
                  and e.get("subresource", "") == writer.subresource and e["apiVersion"] == writer.api_version), None)
    trace.add("field management", "recorded", f"manager {writer.manager!r} (Update"
              + (f", subresource {writer.subresource}" if writer.subresource else "") + ") "
              + ("owns the fields it set" if owned else "took no fields"), managers=len(encoded or []))


def _starting_managers(request: Request, sent: object, live_entries: object) -> dict:
    if request.subresource:
        return _decoded_or_empty(live_entries)
    if mf.is_reset(sent):
        return {}
    try:
        managers = mf.decode(sent)
    except mf.ManagedFieldsError:
        managers = {}
    return managers or _decoded_or_empty(live_entries)


def _decoded_or_empty(entries: object) -> dict:
    try:
        return mf.decode(entries)
    except mf.ManagedFieldsError:
        return {}


def _compared(obj: dict) -> dict:
    """The object as compared: its own managedFields are not part of what anyone owns."""
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}
    return obj


def _zero(rt: ResourceType) -> dict:
    if rt.is_custom:  # an empty unstructured object of the kind
        return {"apiVersion": rt.api_version, "kind": rt.kind}
    key = (rt.api_version, rt.kind, id(rt.schema))
    found = _ZERO.get(key)
    if found is None:
        found = _ZERO[key] = zero_object(rt.api_version, rt.kind, rt.schema)
    return found


__all__ = ["update_managed_fields", "reset_fields"]
