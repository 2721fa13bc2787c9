"""Discovery documents: what `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>` and `/openapi/v3` answer.

The legacy (unaggregated) discovery format of k8s.io/apimachinery/pkg/apis/meta/v1 (APIVersions,
APIGroupList, APIResourceList). kubectl asks for the aggregated format first and falls back to this one
when the answer is plain JSON, as it does against any server that lacks aggregated discovery.

The OpenAPI v3 documents list each resource's operations and query parameters, without schemas: what
kubectl reads to learn that the server validates fields (fieldValidation) and dry-runs (dryRun), so that it
leaves validation to the server. Without schemas kubectl takes strategic-merge metadata from its compiled-in
types, as it does for any server whose OpenAPI lacks a kind.
"""

from __future__ import annotations

from kauth.api.resources import ResourceTable, ResourceType

# The kind each subresource serves (upstream: the REST storage of scale, status, token...).
_SUBRESOURCE_KINDS = {"scale": ("autoscaling", "v1", "Scale"), "token": ("authentication.k8s.io", "v1", "TokenRequest")}
_SUBRESOURCE_VERBS = {"scale": ("get", "patch", "update"), "status": ("get", "patch", "update"), "token": ("create",)}


def document(table: ResourceTable, path: str, server_address: str = "") -> dict | None:
    """The discovery document at `path`, or None when `path` is not a discovery path of this table."""
    if path == "/openapi/v3" or path.startswith("/openapi/v3/"):
        return _openapi_v3(table, path[len("/openapi/v3"):].strip("/"))
    if path == "/api":
        addresses = [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}] if server_address else []
        return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": addresses}
    if path == "/apis":
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(table, g) for g in _groups(table)]}
    if path.startswith("/apis/") and path.count("/") == 2:
        group = path[len("/apis/"):]
        return _group(table, group) | {"kind": "APIGroup", "apiVersion": "v1"} if group in _groups(table) else None
    if path == "/api/v1":
        return _resource_list(table, "", "v1")
    if path.startswith("/apis/") and path.count("/") == 3:
        group, version = path[len("/apis/"):].split("/")
        return _resource_list(table, group, version)
    return None


def _groups(table: ResourceTable) -> list[str]:
    """Named groups in the table's order (the preferred version of each is its first type's)."""
    return list(dict.fromkeys(rt.group for rt in table.all() if rt.group))


def _group(table: ResourceTable, group: str) -> dict:
    versions = list(dict.fromkeys(rt.version for rt in table.all() if rt.group == group))
    preferred = next(rt.version for rt in table.preferred() if rt.group == group)
    return {"name": group, "versions": [_group_version(group, v) for v in versions],
            "preferredVersion": _group_version(group, preferred)}


def _group_version(group: str, version: str) -> dict:
    return {"groupVersion": f"{group}/{version}", "version": version}


def _resource_list(table: ResourceTable, group: str, version: str) -> dict | None:
    types = [rt for rt in table.all() if rt.group == group and rt.version == version]
    if not types:
        return None
    resources = []
    for rt in types:
        resources.append(_resource(rt))
        resources.extend(_subresource(rt, sub) for sub in rt.subresources)
    group_version = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


def _resource(rt: ResourceType) -> dict:
    out = {"name": rt.plural, "singularName": rt.singular or rt.kind.lower(), "namespaced": rt.namespaced,
           "kind": rt.kind, "verbs": list(rt.verbs)}
    if rt.short_names:
        out["shortNames"] = list(rt.short_names)
    if rt.categories:
        out["categories"] = list(rt.categories)
    return out


def _subresource(rt: ResourceType, sub: str) -> dict:
    out = {"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced, "kind": rt.kind,
           "verbs": list(_SUBRESOURCE_VERBS.get(sub, ("get",)))}
    if sub in _SUBRESOURCE_KINDS:
        group, version, kind = _SUBRESOURCE_KINDS[sub]
        out.update(group=group, version=version, kind=kind)
    return out


# -- OpenAPI v3 -------------------------------------------------------------------------------------

# The write query parameters kube-apiserver documents on every create, update and patch.
_WRITE_PARAMETERS = tuple({"name": name, "in": "query", "schema": {"type": "string"}, "uniqueItems": True}
                          for name in ("dryRun", "fieldManager", "fieldValidation"))


def _openapi_v3(table: ResourceTable, group_version: str) -> dict | None:
    versions = dict.fromkeys((rt.group, rt.version) for rt in table.all())
    if not group_version:
        return {"paths": {_gv_path(g, v): {"serverRelativeURL": f"/openapi/v3/{_gv_path(g, v)}"} for g, v in versions}}
    by_path = {_gv_path(g, v): (g, v) for g, v in versions}
    if group_version not in by_path:
        return None
    group, version = by_path[group_version]
    paths: dict[str, dict] = {}
    for rt in table.all():
        if rt.group == group and rt.version == version:
            paths.update(_operations(rt))
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.37.0-kauth"}, "paths": paths,
            "components": {"schemas": {}}}


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _operations(rt: ResourceType) -> dict[str, dict]:
    gvk = {"group": rt.group, "version": rt.version, "kind": rt.kind}
    scope = "/namespaces/{namespace}" if rt.namespaced else ""
    collection = f"/{_gv_path(rt.group, rt.version)}{scope}/{rt.plural}"

    def operation(verb: str, kind: dict = gvk) -> dict:
        return {"x-kubernetes-action": verb, "x-kubernetes-group-version-kind": kind,
                "parameters": list(_WRITE_PARAMETERS), "responses": {}}

    paths = {collection: {"post": operation("post")},
             collection + "/{name}": {"put": operation("put"), "patch": operation("patch")}}
    for sub in rt.subresources:
        group, version, kind = _SUBRESOURCE_KINDS.get(sub, (rt.group, rt.version, rt.kind))
        sub_gvk = {"group": group, "version": version, "kind": kind}
        paths[f"{collection}/{{name}}/{sub}"] = {"put": operation("put", sub_gvk), "patch": operation("patch", sub_gvk)}
    return paths
