"""Reading a pod spec the way the Pod Security checks do, and the two helpers that shape their messages.

Objects are v1 JSON dicts. Go tests pointers, so here a key that is absent or null is "unset" and a present
dict (even `{}`) is "set". Upstream: pod-security-admission/policy/{visitor.go,helpers.go}.
"""

from __future__ import annotations

from typing import Any, Iterator


def mapping(parent: Any, key: str) -> dict | None:
    """parent[key] when it is an object (a non-nil Go pointer to a struct), else None."""
    try:
        value = parent.get(key)
    except AttributeError:  # parent itself is absent or not an object (this is the checks' hot path)
        return None
    return value if type(value) is dict or isinstance(value, dict) else None


def items(parent: Any, key: str) -> list:
    """parent[key] when it is a list, else []."""
    if not isinstance(parent, dict):
        return []
    value = parent.get(key)
    return value if isinstance(value, list) else []


def string(parent: Any, key: str) -> str:
    """A Go string field: "" when unset."""
    if not isinstance(parent, dict):
        return ""
    value = parent.get(key)
    return value if isinstance(value, str) else ""


def visit_containers(spec: dict) -> Iterator[dict]:
    """visitContainers: init containers, then containers, then ephemeral containers, each in spec order."""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in items(spec, key):
            if isinstance(container, dict):
                yield container


def container_security_context(container: dict) -> dict | None:
    return mapping(container, "securityContext")


def pod_security_context(spec: dict) -> dict | None:
    return mapping(spec, "securityContext")


def name_of(container: dict) -> str:
    return string(container, "name")


def is_windows(spec: dict) -> bool:
    """spec.os.name == windows: the restricted checks that do not apply to Windows pods skip them (1.25+)."""
    return string(mapping(spec, "os"), "name") == "windows"


def relax_for_user_namespace(spec: dict) -> bool:
    """relaxPolicyForUserNamespacePod: `hostUsers: false` (a user-namespaced pod) relaxes some checks (1.35+)."""
    return isinstance(spec, dict) and spec.get("hostUsers") is False


def join_quote(values: list[str] | tuple[str, ...]) -> str:
    """joinQuote: each value wrapped in double quotes as is (no escaping), joined by `, `."""
    if not values:
        return ""
    return '"' + '", "'.join(values) + '"'


def pluralize(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def containers_phrase(names: list[str]) -> str:
    """`container "a"` / `containers "a", "b"`: how every check names the containers it blames."""
    return f'{pluralize("container", "containers", len(names))} {join_quote(names)}'
