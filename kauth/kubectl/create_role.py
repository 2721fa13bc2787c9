"""`kubectl create role` and `kubectl create clusterrole`: one rule per API group from --verb and --resource.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_role.go and create_clusterrole.go.
kubectl resolves each `resource[.group][/subresource]` through the server's RESTMapper even with
--dry-run=client: with no server it fails on discovery (`The connection to the server ... was refused`).
Against a server it turns short names and kinds into plurals (`po` -> pods, `rs.apps` -> replicasets), and
an unknown resource is `the server doesn't have a resource type "foo"` (no `error: ` prefix) unless a special
verb (bind, escalate, impersonate, use) names it. The group after the first dot is taken whole, so
`deployments.v1.apps` is unknown. kauth maps against its own resource table, the discovery it serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kauth.api.errors import ClientError
from kauth.api.resources import ResourceTable
from kauth.kubectl.generators import RBAC, object_meta

VALID_RESOURCE_VERBS = ("*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy",
                        "deletecollection", "use", "bind", "escalate", "impersonate")
VALID_NON_RESOURCE_VERBS = ("*", "get", "post", "put", "delete", "patch", "head", "options")
SPECIAL_VERBS = {
    "use": (("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")),
    "bind": ((RBAC, "roles"), (RBAC, "clusterroles")),
    "escalate": ((RBAC, "roles"), (RBAC, "clusterroles")),
    "impersonate": (("", "users"), ("", "serviceaccounts"), ("", "groups"), ("authentication.k8s.io", "userextras")),
}


@dataclass(frozen=True)
class ResourceOption:
    """One --resource value: `resource.group/subresource`, each part optional."""

    resource: str
    group: str = ""
    subresource: str = ""


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def rule_verbs(verbs: list[str]) -> list[str]:
    """Duplicates dropped; a `*` anywhere stands for every verb, and only the verbs before it are dropped too."""
    out: list[str] = []
    for verb in verbs:
        if verb == "*":
            return ["*"]
        if verb not in out:
            out.append(verb)
    return out


def parse_resources(values: list[str]) -> list[ResourceOption]:
    """A bare `*` ends the list and replaces what came before it (Complete's loop breaks there)."""
    out: list[ResourceOption] = []
    for value in values:
        head, _, subresource = value.partition("/")
        resource, _, group = head.partition(".")
        option = ResourceOption(resource, group, subresource)
        if resource == "*" and "." not in head and "/" not in value:
            return [option]
        out.append(option)
    return out


def resource_for(table: ResourceTable, option: ResourceOption) -> tuple[str, str] | None:
    """(group, plural) the RESTMapper resolves the option to, None when the server has no such resource."""
    matches = [rt for rt in table.named(option.resource) if not option.group or rt.group == option.group]
    return (matches[0].group, matches[0].plural) if matches else None


def _no_match(option: ResourceOption) -> ClientError:
    where = f' in group "{option.group}"' if option.group else ""
    return ClientError(f'the server doesn\'t have a resource type "{option.resource}"{where}', bare=True)


def nonstandard_verb_warnings(verbs: list[str]) -> list[str]:
    return [f"Warning: '{verb}' is not a standard resource verb" for verb in verbs if verb not in VALID_RESOURCE_VERBS]


def validate_resources(table: ResourceTable, verbs: list[str], resources: list[ResourceOption]) -> None:
    for option in resources:
        if not option.resource:
            raise ClientError("resource must be specified if apiGroup/subresource specified")
        if option.resource == "*":
            return  # kubectl stops checking at the first wildcard
        resolved = resource_for(table, option)
        group, plural = resolved or (option.group, option.resource)
        special = [verb for verb in verbs if verb in SPECIAL_VERBS]
        for verb in special:
            if (group, plural) not in SPECIAL_VERBS[verb]:
                raise ClientError(f"can not perform '{verb}' on '{plural}' in group '{group}'")
        if resolved is None and not special:
            raise _no_match(option)


def policy_rules(table: ResourceTable, verbs: list[str], resources: list[ResourceOption], resource_names: list[str],
                 non_resource_urls: list[str] = ()) -> list[dict]:
    """One rule per API group (groups sorted), then one for the non-resource URLs (generateResourcePolicyRules)."""
    by_group: dict[str, list[str]] = {}
    for option in resources:
        group, plural = resource_for(table, option) or (option.group, option.resource)
        name = f"{plural}/{option.subresource}" if option.subresource else plural
        if name not in by_group.setdefault(group, []):
            by_group[group].append(name)
    rules = []
    for group in sorted(by_group):
        rule: dict[str, Any] = {"apiGroups": [group], "resources": by_group[group], "verbs": verbs}
        if resource_names:
            rule["resourceNames"] = resource_names
        rules.append(rule)
    if non_resource_urls:
        rules.append({"nonResourceURLs": list(non_resource_urls), "verbs": verbs})
    return rules


def role(table: ResourceTable, name: str, namespace: str, *, verbs: list[str], resources: list[str],
         resource_names: list[str] = (), notes: list[str]) -> dict:
    """`notes` receives kubectl's warnings, printed even when an error follows them."""
    verbs = rule_verbs(list(verbs))
    options = parse_resources(list(resources))
    if not verbs:
        raise ClientError("at least one verb must be specified")
    notes.extend(nonstandard_verb_warnings(verbs))
    if not options:
        raise ClientError("at least one resource must be specified")
    validate_resources(table, verbs, options)
    return {"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": object_meta(name, namespace),
            "rules": policy_rules(table, verbs, options, unique(list(resource_names)))}


def _validate_non_resource_urls(verbs: list[str], urls: list[str]) -> None:
    for verb in verbs:
        if verb not in VALID_NON_RESOURCE_VERBS:
            raise ClientError(f"invalid verb: '{verb}' for nonResourceURL")
    for url in urls:
        if url == "*":
            continue
        if not url.startswith("/"):
            raise ClientError("nonResourceURL should start with /")
        if "*" in url[:-1]:
            raise ClientError("nonResourceURL only supports wildcard matches when '*' is at the end")


def cluster_role(table: ResourceTable, name: str, *, verbs: list[str], resources: list[str],
                 resource_names: list[str] = (), non_resource_urls: list[str] = (),
                 aggregation_rule: dict[str, str] | None = None, notes: list[str]) -> dict:
    verbs = rule_verbs(list(verbs))
    options = parse_resources(list(resources))
    urls = unique(list(non_resource_urls))
    resource_names = unique(list(resource_names))
    obj: dict[str, Any] = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": object_meta(name, "")}
    if aggregation_rule:
        if urls or verbs or options or resource_names:
            raise ClientError("aggregation rule must be specified without nonResourceURLs, verbs, resources or "
                              "resourceNames")
        # Rules is a nil slice without omitempty: the aggregated role shows `rules: null`.
        return {**obj, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": dict(aggregation_rule)}]},
                "rules": None}
    if not verbs:
        raise ClientError("at least one verb must be specified")
    if not options and not urls:
        raise ClientError("one of resource or nonResourceURL must be specified")
    if options:
        notes.extend(nonstandard_verb_warnings(verbs))
        validate_resources(table, verbs, options)
    if urls:
        _validate_non_resource_urls(verbs, urls)
    return {**obj, "rules": policy_rules(table, verbs, options, resource_names, urls)}
