"""The review APIs: objects that are created, answered and never stored.

Upstream: pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview,localsubjectaccessreview,
selfsubjectrulesreview}/rest.go, pkg/apis/authorization/validation/validation.go,
pkg/registry/authentication/{selfsubjectreview,tokenreview}/rest.go.
An access review asks the API server's own authorizer, so its answer is the one a real request would get.
"""

from __future__ import annotations

from typing import Any

from kauth.api import errors
from kauth.api.errors import FieldError, GoRepr
from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Attributes

AUTHORIZATION = "authorization.k8s.io"
AUTHENTICATION = "authentication.k8s.io"
REVIEWS = {(AUTHORIZATION, "selfsubjectaccessreviews"), (AUTHORIZATION, "subjectaccessreviews"),
           (AUTHORIZATION, "localsubjectaccessreviews"), (AUTHORIZATION, "selfsubjectrulesreviews"),
           (AUTHENTICATION, "selfsubjectreviews"), (AUTHENTICATION, "tokenreviews")}
_RESOURCE_FIELDS = (("namespace", "Namespace"), ("verb", "Verb"), ("group", "Group"), ("version", "Version"),
                    ("resource", "Resource"), ("subresource", "Subresource"), ("name", "Name"))


def is_review(group: str, plural: str) -> bool:
    return (group, plural) in REVIEWS


def answer(ctx: Any, request: Any, rt: Any, obj: dict) -> dict:
    """The review with its status filled in (ctx: the registry's Context)."""
    kind = rt.kind
    if kind == "SelfSubjectReview":
        return _self_subject_review(ctx, obj)
    if kind == "TokenReview":
        return _token_review(ctx, obj)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if kind == "SelfSubjectRulesReview":
        return _rules_review(ctx, obj, spec)
    problems = _validate(kind, obj, spec, request.namespace)
    if problems:
        # NewInvalid(Kind(obj.Kind), "", errs) on the internal object, whose TypeMeta the decoder left empty.
        raise errors.invalid(AUTHORIZATION, "", "", problems)
    user = ctx.user if kind == "SelfSubjectAccessReview" else _user_from(spec)
    attributes = attributes_from(user, spec)
    decision, seen = ctx.authorizer.authorize(attributes)
    status: dict[str, Any] = {"allowed": bool(decision.allowed)}
    if decision.allowed is False:
        status["denied"] = True
    if decision.reason:
        status["reason"] = decision.reason
    ctx.trace.add("review", "allowed" if decision.allowed else "denied",
                  f"{kind}: {'allowed' if decision.allowed else 'not allowed'}"
                  + (f" ({decision.reason})" if decision.reason else ""), user=user.name)
    return {**obj, "status": status}


def attributes_from(user: UserInfo, spec: dict) -> Attributes:
    """ResourceAttributesFrom / NonResourceAttributesFrom (pkg/registry/authorization/util)."""
    resource = spec.get("resourceAttributes")
    if isinstance(resource, dict):
        return Attributes(user, str(resource.get("verb") or ""), True, str(resource.get("group") or ""),
                          str(resource.get("version") or "*"), str(resource.get("resource") or ""),
                          str(resource.get("subresource") or ""), str(resource.get("namespace") or ""),
                          str(resource.get("name") or ""))
    other = spec.get("nonResourceAttributes") if isinstance(spec.get("nonResourceAttributes"), dict) else {}
    return Attributes(user, str(other.get("verb") or ""), False, path=str(other.get("path") or ""))


def _user_from(spec: dict) -> UserInfo:
    extra = spec.get("extra") if isinstance(spec.get("extra"), dict) else {}
    return UserInfo(str(spec.get("user") or ""), str(spec.get("uid") or ""),
                    tuple(g for g in spec.get("groups") or [] if isinstance(g, str)),
                    {k: tuple(v) for k, v in extra.items() if isinstance(v, list)})


def _non_resource_repr(value: dict | None) -> Any:
    """The *NonResourceAttributes a field error shows: null, or Go's %#v of the v1 struct."""
    if value is None:
        return None
    return GoRepr(f"v1.NonResourceAttributes{{Path:{errors.go_quote(str(value.get('path') or ''))}, "
                  f"Verb:{errors.go_quote(str(value.get('verb') or ''))}}}")


def _object_meta_repr(meta: dict) -> GoRepr:
    """Go's %#v of a v1.ObjectMeta (what `metadata: Invalid value: ...: must be empty` shows)."""
    def strings(key: str) -> str:
        value = meta.get(key)
        if not isinstance(value, dict):
            return "map[string]string(nil)"
        return "map[string]string{" + ", ".join(f"{errors.go_quote(str(k))}:{errors.go_quote(str(v))}"
                                                for k, v in sorted(value.items())) + "}"

    def text(key: str) -> str:
        return errors.go_quote(str(meta.get(key) or ""))

    finalizers = meta.get("finalizers")
    shown_finalizers = ("[]string{" + ", ".join(errors.go_quote(str(f)) for f in finalizers) + "}"
                        if isinstance(finalizers, list) else "[]string(nil)")
    return GoRepr(
        f"v1.ObjectMeta{{Name:{text('name')}, GenerateName:{text('generateName')}, Namespace:{text('namespace')}, "
        f"SelfLink:{text('selfLink')}, UID:{text('uid')}, ResourceVersion:{text('resourceVersion')}, "
        f"Generation:{int(meta.get('generation') or 0)}, "
        "CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, "
        f"DeletionGracePeriodSeconds:(*int64)(nil), Labels:{strings('labels')}, Annotations:{strings('annotations')}, "
        f"OwnerReferences:[]v1.OwnerReference(nil), Finalizers:{shown_finalizers}, "
        "ManagedFields:[]v1.ManagedFieldsEntry(nil)}")


def _validate(kind: str, obj: dict, spec: dict, namespace: str) -> list[FieldError]:
    """ValidateSubjectAccessReview and friends (k8s.io/apiserver/pkg/apis/authorization/validation, v1.37:
    the resource/non-resource union is one error on `spec`)."""
    resource = spec.get("resourceAttributes") if isinstance(spec.get("resourceAttributes"), dict) else None
    other = spec.get("nonResourceAttributes") if isinstance(spec.get("nonResourceAttributes"), dict) else None
    out: list[FieldError] = []
    if (resource is None) == (other is None):
        out.append(errors.field_invalid("spec", _non_resource_repr(other),
                                        "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
    if kind != "SelfSubjectAccessReview" and not spec.get("user") and not spec.get("groups"):
        out.append(errors.field_invalid("spec.user", str(spec.get("user") or ""),
                                        "at least one of user or group must be specified"))
    meta = obj.get("metadata") or {}
    rest = {k: v for k, v in meta.items() if k != "managedFields" and v not in (None, "", {}, [], 0)}
    if kind == "LocalSubjectAccessReview":
        rest.pop("namespace", None)
        if rest:
            out.append(errors.field_invalid("metadata", _object_meta_repr(meta), "must be empty except for namespace"))
        if resource is not None and (resource.get("namespace") or "") != meta.get("namespace", namespace):
            out.append(errors.field_invalid("spec.resourceAttributes.namespace", str(resource.get("namespace") or ""),
                                            "must match metadata.namespace"))
        if other is not None:
            out.append(errors.field_invalid("spec.nonResourceAttributes", _non_resource_repr(other),
                                            "disallowed on this kind of request"))
    elif rest:
        out.append(errors.field_invalid("metadata", _object_meta_repr(meta), "must be empty"))
    return out


def _rules_review(ctx: Any, obj: dict, spec: dict) -> dict:
    """SelfSubjectRulesReview: the RBAC rules that apply to the requester in a namespace (RulesFor)."""
    namespace = str(spec.get("namespace") or "")
    if not namespace:
        raise errors.bad_request("no namespace on request")
    rules, missing = ctx.rbac.policy().rules_for(ctx.user, namespace)
    resource_rules, url_rules = [], []
    for rule in rules:
        if rule.get("resources"):
            resource_rules.append({k: rule[k] for k in ("verbs", "apiGroups", "resources", "resourceNames")
                                   if rule.get(k) or k == "verbs"})
        if rule.get("nonResourceURLs"):
            url_rules.append({"verbs": rule.get("verbs") or [], "nonResourceURLs": rule["nonResourceURLs"]})
    status: dict[str, Any] = {"resourceRules": resource_rules, "nonResourceRules": url_rules, "incomplete": False}
    if missing:
        status["evaluationError"] = errors.aggregate(b.missing_role() for b in missing)
    ctx.trace.add("review", "answered", f"SelfSubjectRulesReview: {len(resource_rules)} resource rules and "
                  f"{len(url_rules)} non-resource rules apply to {ctx.user.name} in {namespace!r}")
    return {**obj, "status": status}


def _self_subject_review(ctx: Any, obj: dict) -> dict:
    from kauth.apiserver.registry import timestamp

    info: dict[str, Any] = {"username": ctx.user.name}
    if ctx.user.uid:
        info["uid"] = ctx.user.uid
    if ctx.user.groups:
        info["groups"] = list(ctx.user.groups)
    if ctx.user.extra:
        info["extra"] = {k: list(v) for k, v in ctx.user.extra.items()}
    ctx.trace.add("review", "answered", f"SelfSubjectReview: the request was authenticated as {ctx.user.describe()}")
    return {**obj, "metadata": {**(obj.get("metadata") or {}), "creationTimestamp": timestamp(ctx.clock())},
            "status": {"userInfo": info}}


def _token_review(ctx: Any, obj: dict) -> dict:
    """TokenReview: the token, checked by the API server's token authenticators (anonymous never answers)."""
    from kauth.apiserver.request import Credentials

    token = ((obj.get("spec") or {}).get("token")) if isinstance(obj.get("spec"), dict) else None
    if not token:
        raise errors.invalid(AUTHENTICATION, "TokenReview", "", [errors.required("spec.token", "token is required")])
    status: dict[str, Any] = {"authenticated": False, "user": {}}
    for authenticator in ctx.authenticator.authenticators if ctx.authenticator else ():
        result = authenticator.authenticate(Credentials(bearer_token=token))
        if result is None:
            continue
        if result.error:
            status["error"] = result.detail
            break
        user = result.user
        status = {"authenticated": True, "user": {"username": user.name, "uid": user.uid, "groups": list(user.groups)}}
        break
    ctx.trace.add("review", "answered", f"TokenReview: authenticated={status['authenticated']}")
    return {**obj, "status": status}
