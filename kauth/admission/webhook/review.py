"""AdmissionReview v1 and v1beta1: the request kube-apiserver sends, and the checks its answer must pass.

Upstream: plugin/webhook/request/admissionreview.go (CreateAdmissionObjects: the first of the webhook's
admissionReviewVersions kube-apiserver knows; CreateV1AdmissionReview; VerifyAdmissionResponse).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from kauth.admission.chain import Attributes
from kauth.admission.validatingpolicy.request import admission_request
from kauth.api import errors
from kauth.api.errors import go_quote
from kauth.api.resources import ResourceType
from kauth.api.json_syntax import json_kind

GROUP = "admission.k8s.io"
KNOWN_VERSIONS = ("v1", "v1beta1")


class DecodeError(Exception):
    """The answer does not decode into an AdmissionReview (a `failed to call webhook` error)."""


class InvalidResponse(Exception):
    """The answer decodes but is not a valid response (`received invalid webhook response`)."""


@dataclass(frozen=True)
class AdmissionResponse:
    allowed: bool
    patch: bytes = b""
    patch_type: str = ""
    result: Mapping | None = None
    warnings: tuple[str, ...] = ()
    audit_annotations: Mapping[str, str] = field(default_factory=dict)


def review_version(versions: tuple[str, ...]) -> str | None:
    """The AdmissionReview version to send: the webhook's first one that kube-apiserver knows."""
    for version in versions:
        if version in KNOWN_VERSIONS:
            return version
    return None


def admission_review(version: str, uid: str, attributes: Attributes, matched: ResourceType,
                     obj: dict | None, old: dict | None) -> dict:
    """The AdmissionReview to POST: kind/resource are the matched type (maybe an equivalent version),
    object and oldObject in that version, requestKind/requestResource as the request was made."""
    base = admission_request(attributes, matched)
    request: dict = {"uid": uid}
    for key in ("kind", "resource", "subResource", "requestKind", "requestResource", "requestSubResource", "name",
                "namespace", "operation", "userInfo"):
        if key in base:
            request[key] = base[key]
    request["object"] = obj  # a RawExtension without content is JSON null
    request["oldObject"] = old
    request["dryRun"] = attributes.dry_run
    if "options" in base:
        request["options"] = base["options"]
    return {"kind": "AdmissionReview", "apiVersion": f"{GROUP}/{version}", "request": request}


# -- decoding (json.Unmarshal into admissionv1.AdmissionReview) ----------------------------------------------------

_FIELDS = {  # the response's fields that must have a JSON type, and the Go type named when they do not
    "uid": ("string", "types.UID"),
    "allowed": ("bool", "bool"),
    "patch": ("string", "[]uint8"),
    "patchType": ("string", "{v}.PatchType"),
    "status": ("object", "v1.Status"),
    "auditAnnotations": ("object", "map[string]string"),
    "warnings": ("array", "[]string"),
}


# What the webhook client's scheme knows (util/webhook/client.go NewClientManager: admission v1beta1 and v1, each
# with metav1.AddToGroupVersion), as Go package paths for the converter's error.
_META = "k8s.io/apimachinery/pkg/apis/meta/v1"
_REGISTERED = {
    (GROUP, "v1", "AdmissionReview"): "k8s.io/api/admission/v1",
    (GROUP, "v1beta1", "AdmissionReview"): "k8s.io/api/admission/v1beta1",
    (GROUP, "v1", "WatchEvent"): _META, (GROUP, "v1beta1", "WatchEvent"): _META,
    **{("", "v1", kind): _META for kind in ("Status", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList")},
}
# runtime.NewScheme() names itself after its call site (naming.GetNameFromCallsite, with -trimpath builds)
SCHEME_NAME = "pkg/util/webhook/client.go:69"


def _check_type(review: Mapping, version: str) -> None:
    """The json serializer and the versioning decoder, decoding into an AdmissionReview of `version`: the data's
    apiVersion and kind, defaulted from the target where absent, must name the target type (anything else that
    is registered fails conversion; the rest is not registered)."""
    api_version = review.get("apiVersion") if isinstance(review.get("apiVersion"), str) else ""
    kind = (review.get("kind") if isinstance(review.get("kind"), str) else "") or "AdmissionReview"
    group, _, ver = api_version.rpartition("/")
    if not ver and not group:
        group, ver = GROUP, version  # gvkWithDefaults
    target = (GROUP, version, "AdmissionReview")
    if (group, ver, kind) == target:
        return
    package = _REGISTERED.get((group, ver, kind))
    if package is None:
        shown = f"{group}/{ver}" if group else ver
        raise DecodeError(f"no kind {go_quote(kind)} is registered for version {go_quote(shown)} in scheme "
                          f"{go_quote(SCHEME_NAME)}")
    raise DecodeError(f"converting ({package}) {kind} to ({_REGISTERED[target]}) AdmissionReview: unknown conversion")


def decode(review: Mapping, version: str) -> AdmissionResponse | None:
    """The response of a decoded answer (None when absent), or DecodeError in encoding/json's words."""
    _check_type(review, version)
    response = review.get("response")
    if response is None:
        return None
    if not isinstance(response, dict):
        raise DecodeError(_unmarshal(response, "AdmissionReview.response", f"{version}.AdmissionResponse"))
    for name, (kind, go_type) in _FIELDS.items():
        value = response.get(name)
        if value is not None and json_kind(value) != kind:
            raise DecodeError(_unmarshal(value, f"AdmissionReview.response.{name}", go_type.format(v=version)))
    for key, value in (response.get("auditAnnotations") or {}).items():
        if not isinstance(value, str):
            raise DecodeError(_unmarshal(value, "AdmissionReview.response.auditAnnotations", "string"))
    for value in response.get("warnings") or ():
        if not isinstance(value, str):
            raise DecodeError(_unmarshal(value, "AdmissionReview.response.warnings", "string"))
    patch = _base64(response.get("patch") or "")
    return AdmissionResponse(
        allowed=bool(response.get("allowed")), patch=patch,
        patch_type=response["patchType"] if "patchType" in response and response["patchType"] is not None else None,
        result=response.get("status"), warnings=tuple(response.get("warnings") or ()),
        audit_annotations=dict(response.get("auditAnnotations") or {}))


def _unmarshal(value: Any, field_path: str, go_type: str) -> str:
    return f"json: cannot unmarshal {json_kind(value)} into Go struct field {field_path} of type {go_type}"


_BASE64 = re.compile(r"[A-Za-z0-9+/=]")


def _base64(text: str) -> bytes:
    """[]byte from JSON: standard base64 with padding; `illegal base64 data at input byte N` otherwise."""
    stripped = text.replace("\r", "").replace("\n", "")
    for i, char in enumerate(stripped):
        if not _BASE64.match(char):
            raise DecodeError(f"illegal base64 data at input byte {i}")
    try:
        return base64.b64decode(stripped, validate=True)
    except (binascii.Error, ValueError):
        raise DecodeError(f"illegal base64 data at input byte {len(stripped) - len(stripped) % 4}") from None


# -- verification (VerifyAdmissionResponse) -------------------------------------------------------------------------

def verify(review: Mapping, version: str, uid: str, mutating: bool) -> AdmissionResponse:
    """VerifyAdmissionResponse: the response, with patchType normalized (v1beta1: JSONPatch when patched)."""
    response = decode(review, version)
    if response is None:
        raise InvalidResponse(errors.WEBHOOK_RESPONSE_ABSENT)
    if version == "v1beta1":
        # v1beta1 checked neither the uid nor the kind, and knew one patch type
        if mutating and response.patch:
            return AdmissionResponse(response.allowed, response.patch, "JSONPatch", response.result,
                                     response.warnings, response.audit_annotations)
        return AdmissionResponse(response.allowed, b"", "", response.result, response.warnings,
                                 response.audit_annotations)
    got_uid = (review.get("response") or {}).get("uid") or ""
    if got_uid != uid:
        raise InvalidResponse(errors.webhook_response_uid_mismatch(uid, got_uid))
    api_version = review.get("apiVersion") if isinstance(review.get("apiVersion"), str) else ""
    kind = review.get("kind") if isinstance(review.get("kind"), str) else ""
    if (api_version, kind) != (f"{GROUP}/v1", "AdmissionReview"):
        raise InvalidResponse(errors.webhook_response_kind_mismatch(f"{GROUP}/v1", api_version, kind))
    patch_type = response.patch_type
    if mutating:
        if response.patch and patch_type is None:
            raise InvalidResponse(errors.WEBHOOK_PATCH_WITHOUT_PATCH_TYPE)
        if not response.patch and patch_type is not None:
            raise InvalidResponse(errors.WEBHOOK_PATCH_TYPE_WITHOUT_PATCH)
        if patch_type is not None and not patch_type:
            raise InvalidResponse(errors.webhook_invalid_patch_type(patch_type))
        return AdmissionResponse(response.allowed, response.patch, patch_type or "", response.result,
                                 response.warnings, response.audit_annotations)
    if response.patch:
        raise InvalidResponse(errors.VALIDATING_WEBHOOK_PATCH)
    if patch_type is not None:
        raise InvalidResponse(errors.VALIDATING_WEBHOOK_PATCH_TYPE)
    return AdmissionResponse(response.allowed, b"", "", response.result, response.warnings,
                             response.audit_annotations)
