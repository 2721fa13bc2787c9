"""Kubernetes' RBAC rule matching (pkg/apis/rbac/v1/evaluation_helpers.go), as casbin matcher functions.

Each function takes the request's value and one field of a policy line, a JSON array of strings
(see policies/rbac_model.conf). casbin's own keyMatch family is not used: its `*` means
something else than Kubernetes' (a nonResourceURL `*` only counts at the end, as a prefix).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Iterable

ALL = "*"


@lru_cache(maxsize=1 << 16)
def values(encoded: str) -> tuple[str, ...]:
    """A policy field's strings (decoded once: the same few hundred rule fields recur in every decision)."""
    return tuple(json.loads(encoded))


def encode(items: object) -> str:
    """A rule's list as a policy field; a missing or malformed list is empty, as Go decodes null."""
    if not isinstance(items, list):
        return "[]"
    return json.dumps([item for item in items if isinstance(item, str)], separators=(",", ":"))


def verb_matches(verb: str, verbs: str) -> bool:
    v = values(verbs)
    return ALL in v or verb in v


def api_group_matches(group: str, groups: str) -> bool:
    v = values(groups)
    return ALL in v or group in v


def resource_matches(resource: str, subresource: str, resources: str) -> bool:
    return resource_in(resource, subresource, values(resources))


def resource_in(resource: str, subresource: str, rule_resources: Iterable[str]) -> bool:
    """`*` matches everything, subresources too; `res/sub` exactly; `*/sub` any resource's `sub`."""
    combined = f"{resource}/{subresource}" if subresource else resource
    for rule_resource in rule_resources:
        if rule_resource == ALL or rule_resource == combined:
            return True
        if subresource and rule_resource == "*/" + subresource:
            return True
    return False


def resource_name_matches(name: str, names: str) -> bool:
    """No resourceNames: any name. Otherwise the request must name one, so they never grant a
    request without a name (create, a plain list)."""
    v = values(names)
    return not v or name in v


def non_resource_url_matches(path: str, urls: str) -> bool:
    return url_in(path, values(urls))


def url_in(path: str, rule_urls: Iterable[str]) -> bool:
    """A nonResourceURL is `*`, the path itself, or a prefix ending in `*` (every trailing `*` trimmed)."""
    for url in rule_urls:
        if url == ALL or url == path:
            return True
        if url.endswith(ALL) and path.startswith(url.rstrip(ALL)):
            return True
    return False


def rule_allows(verb: str, group: str, resource: str, subresource: str, name: str, path: str,
                verbs: str, groups: str, resources: str, names: str, urls: str) -> bool:
    """The rule half of the model's matcher, on one policy line's fields (path: a non-resource request)."""
    if not verb_matches(verb, verbs):
        return False
    if path:
        return non_resource_url_matches(path, urls)
    return (api_group_matches(group, groups) and resource_matches(resource, subresource, resources)
            and resource_name_matches(name, names))


# The names the model's matcher calls them by.
MATCHER_FUNCTIONS = {
    "verbMatches": verb_matches,
    "apiGroupMatches": api_group_matches,
    "resourceMatches": resource_matches,
    "resourceNameMatches": resource_name_matches,
    "nonResourceURLMatches": non_resource_url_matches,
}
