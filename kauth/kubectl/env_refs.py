"""How `kubectl set env --list` shows an env var's valueFrom, and how --resolve turns it into a value.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/env/env_resolve.go (GetEnvVarRefString, GetEnvVarRefValue)
and k8s.io/kubectl/pkg/util/fieldpath. ConfigMaps and Secrets are read through the API pipeline, once each.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Callable

from kauth.api.errors import ClientError, go_quote
from kauth.kubectl.output import response_error

_SUBSCRIPTED = re.compile(r"(.+)\['(.*)'\]\Z", re.S)


def ref_string(value_from: dict) -> str:
    if value_from.get("configMapKeyRef") is not None:
        ref = value_from["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if value_from.get("secretKeyRef") is not None:
        ref = value_from["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if value_from.get("fieldRef") is not None:
        return f"field path {value_from['fieldRef'].get('fieldPath', '')}"
    if value_from.get("resourceFieldRef") is not None:
        ref = value_from["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource field {prefix}{ref.get('resource', '')}"
    return "invalid valueFrom"


def format_map(values: dict) -> str:
    """fieldpath.FormatMap: key="value" lines, sorted."""
    return "\n".join(f"{key}={go_quote(str(values[key]))}" for key in sorted(values))


def field_path_value(obj: dict, field_path: str) -> str:
    meta = obj.get("metadata") or {}
    subscripted = _SUBSCRIPTED.match(field_path)
    if subscripted:
        path, key = subscripted.groups()
        if path not in ("metadata.annotations", "metadata.labels"):
            raise ClientError(f"fieldPath {go_quote(field_path)} does not support subscript")
        return str((meta.get(path.split(".")[1]) or {}).get(key, ""))
    if field_path in ("metadata.annotations", "metadata.labels"):
        return format_map(meta.get(field_path.split(".")[1]) or {})
    if field_path in ("metadata.name", "metadata.namespace", "metadata.uid"):
        return str(meta.get(field_path.split(".")[1], ""))
    raise ClientError(f"unsupported fieldPath: {field_path}")


def _quantity(text: str):
    from kauth.api.defaults import parse_quantity

    parsed = parse_quantity(text)
    return parsed.value if parsed is not None else 0


def resource_field_value(ref: dict, container: dict) -> str:
    """extractContainerResourceValue: cpu in whole divisors (millicores compared), memory and storage in bytes."""
    divisor = _quantity(ref.get("divisor") or "0") or 1
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    if kind not in ("limits", "requests") or name not in ("cpu", "memory", "ephemeral-storage"):
        raise ClientError(f"Unsupported container resource : {resource}")
    amount = _quantity(str(((container.get("resources") or {}).get(kind) or {}).get(name, "0")))
    if name == "cpu":
        return str(math.ceil(math.ceil(amount * 1000) / math.ceil(divisor * 1000)))
    return str(math.ceil(math.ceil(amount) / math.ceil(divisor)))


class ReferenceStore:
    """The ConfigMaps and Secrets --resolve has read, each fetched once (envutil.ResourceStore)."""

    def __init__(self, fetch: Callable[[str, str], dict]):
        self.fetch = fetch  # (plural, name) -> object, raising the server's error
        self.seen: dict[tuple[str, str], dict] = {}

    def get(self, plural: str, name: str) -> dict:
        if (plural, name) not in self.seen:
            self.seen[(plural, name)] = self.fetch(plural, name)
        return self.seen[(plural, name)]


def ref_value(store: ReferenceStore, value_from: dict, obj: dict, container: dict) -> str:
    if value_from.get("secretKeyRef") is not None:
        ref = value_from["secretKeyRef"]
        data = store.get("secrets", ref.get("name", "")).get("data") or {}
        if ref.get("key", "") not in data:
            raise ClientError(f"key {ref.get('key', '')} not found in secret {ref.get('name', '')}")
        return base64.b64decode(data[ref["key"]]).decode(errors="replace")
    if value_from.get("configMapKeyRef") is not None:
        ref = value_from["configMapKeyRef"]
        data = store.get("configmaps", ref.get("name", "")).get("data") or {}
        if ref.get("key", "") not in data:
            raise ClientError(f"key {ref.get('key', '')} not found in config map {ref.get('name', '')}")
        return data[ref["key"]]
    if value_from.get("fieldRef") is not None:
        return field_path_value(obj, value_from["fieldRef"].get("fieldPath", ""))
    if value_from.get("resourceFieldRef") is not None:
        return resource_field_value(value_from["resourceFieldRef"], container)
    raise ClientError("invalid valueFrom")


def server_fetch(client, namespace: str) -> Callable[[str, str], dict]:
    """A fetch for ReferenceStore that GETs through the client; a failed GET raises the server's error."""
    def fetch(plural: str, name: str) -> dict:
        rt = client.table().resolve(plural)
        response = client.send("get", rt, namespace, name)
        if not response.ok:
            raise response_error(response)
        return response.body

    return fetch
