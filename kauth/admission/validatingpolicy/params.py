"""The params a binding gives its policy: generic.CollectParams
(k8s.io/apiserver/pkg/admission/plugin/policy/generic/policy_dispatcher.go)."""

from __future__ import annotations

from typing import Mapping

from kauth.admission.chain import StateView
from kauth.api import errors
from kauth.api.labels import selector_from_label_selector
from kauth.api.resources import NoKindMatch, ResourceTable


class ParamError(Exception):
    """A binding whose params cannot be collected: a configuration error, subject to failurePolicy."""


def param_kind_error(param_kind: Mapping | None, resources: ResourceTable) -> str:
    """The policy's configuration error when its paramKind names no served resource (policy_source.go), else ""."""
    if not param_kind:
        return ""
    try:
        resources.for_kind(param_kind.get("apiVersion", ""), param_kind.get("kind", ""))
    except NoKindMatch:
        group, _, version = (param_kind.get("apiVersion") or "").rpartition("/")
        # schema.GroupVersionKind's String(): "example.com/v1, Kind=Limits"
        return errors.param_kind_not_found(group, version, param_kind.get("kind", ""))
    return ""


def collect_params(param_kind: Mapping | None, param_ref: Mapping | None, namespace: str, state: StateView,
                   resources: ResourceTable) -> list[dict | None]:
    """The params to evaluate the policy with: [None] when the policy or binding uses none, [] when none were
    found and parameterNotFoundAction is Allow (nothing is evaluated); ParamError otherwise."""
    if not param_kind or not param_ref:
        return [None]  # no paramKind, or a binding that does not use it: evaluated once, params = null
    rt = resources.for_kind(param_kind.get("apiVersion", ""), param_kind.get("kind", ""))  # see param_kind_error
    ref_namespace = param_ref.get("namespace") or ""
    if rt.namespaced:
        params_namespace = ref_namespace or namespace
        if not params_namespace:
            raise ParamError(errors.PARAM_REF_NAMESPACED_FOR_CLUSTER_SCOPED)
    elif ref_namespace:
        raise ParamError(errors.PARAM_REF_NAMESPACE_FOR_CLUSTER_SCOPED)
    else:
        params_namespace = ""
    name, selector = param_ref.get("name") or "", param_ref.get("selector")
    if name:
        if selector is not None:
            raise ParamError(errors.PARAM_REF_NAME_AND_SELECTOR)
        found = state.get(rt.group, rt.plural, params_namespace, name)
        params: list[dict | None] = [found] if found is not None else []
    elif selector is not None:
        predicate = selector_from_label_selector(selector)
        listed = state.list(rt.group, rt.plural, params_namespace or None)
        params = [p for p in listed if predicate((p.get("metadata") or {}).get("labels") or {})]
        # An informer's order is arbitrary; kauth fixes one.
        params.sort(key=lambda p: ((p.get("metadata") or {}).get("namespace", ""),
                                   (p.get("metadata") or {}).get("name", "")))
    else:
        raise ParamError(errors.PARAM_REF_NEITHER_NAME_NOR_SELECTOR)
    if not params and param_ref.get("parameterNotFoundAction") == "Deny":
        raise ParamError(errors.PARAMS_NOT_FOUND_DENY)
    return [_with_type_meta(p, param_kind) for p in params]


def _with_type_meta(param: dict | None, param_kind: Mapping) -> dict | None:
    # dispatcher.go wrappedParam: params always carry apiVersion and kind.
    if param is None or (param.get("apiVersion") and param.get("kind")):
        return param
    return {**param, "apiVersion": param_kind.get("apiVersion", ""), "kind": param_kind.get("kind", "")}
