"""`kubectl run NAME --image=IMAGE [-- ARGS...]`: one Pod (kubectl 1.32 generates nothing else).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/run/run.go and pkg/generate/versioned/run.go (BasicPod).
kubectl needs the server's RESTMapper even with --dry-run=client (it maps the Pod before printing), so
offline it fails on discovery; against a server the Pod is printed, or created with field manager kubectl-run.
Attaching (-i, -t, --attach, --rm) and --expose are not simulated: kauth has no running containers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kauth.api.errors import ClientError
from kauth.api.names import is_env_var_name
from kauth.kubectl.generators import object_meta

# github.com/distribution/reference ReferenceRegexp, anchored as Go's `^...$` (\Z: no final newline).
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_REFERENCE = re.compile(rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?\Z",
                             re.ASCII)
RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never", "")
_GO_INT = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)


def usage_error(message: str) -> ClientError:
    return ClientError(f"{message}\nSee 'kubectl run -h' for help and examples")


def validate(image: str, restart: str, image_pull_policy: str) -> None:
    if not image:
        raise ClientError("--image is required")
    if not IMAGE_REFERENCE.match(image):
        raise ClientError(f'Invalid image name "{image}": invalid reference format')
    if restart and restart not in RESTART_POLICIES:
        raise usage_error(f"invalid restart policy: {restart}")
    if image_pull_policy not in PULL_POLICIES:
        raise usage_error(f"invalid image pull policy: {image_pull_policy}")


def parse_labels(text: str) -> dict[str, str]:
    """generate.ParseLabels: key=value pairs split at commas, no empty items, no second `=`."""
    labels = {}
    for item in text.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise ClientError(f"unexpected label spec: {item}")
        labels[parts[0]] = parts[1]
    return labels


def parse_annotations(items: list[str]) -> dict[str, str]:
    """Every malformed item is named in one error."""
    annotations, invalid = {}, []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            invalid.append(item)
        annotations[key] = value
    if invalid:
        raise ClientError(f"invalid annotations format: {', '.join(invalid)}")
    return annotations


def parse_envs(items: list[str]) -> list[dict]:
    envs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or is_env_var_name(name):
            raise ClientError(f"invalid env: {item}")
        envs.append({"name": name, **({"value": value} if value else {})})  # value is omitempty
    return envs


def go_atoi(text: str) -> int:
    """strconv.Atoi, with its error text."""
    if not _GO_INT.match(text):
        raise ClientError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    value = int(text)
    if not -2**63 <= value < 2**63:
        raise ClientError(f'strconv.Atoi: parsing "{text}": value out of range')
    return value


def int32(value: int) -> int:
    """Go's int32(v): wraps around."""
    return (value + 2**31) % 2**32 - 2**31


def pod(name: str, namespace: str, *, image: str, args: list[str] = (), command: bool = False, port: str = "",
        env: list[str] = (), labels: str = "", annotations: list[str] = (), restart: str = "",
        image_pull_policy: str = "", privileged: bool = False) -> dict:
    """BasicPod.Generate: the container is named after the Pod and labelled run=NAME unless --labels."""
    validate(image, restart, image_pull_policy)
    envs = parse_envs(list(env))  # kubectl's order of checks: env, annotations, labels, port
    pod_annotations = parse_annotations(list(annotations))
    pod_labels = parse_labels(labels) if labels else {"run": name}
    container_port = int32(go_atoi(port)) if port else None
    container: dict[str, Any] = {"image": image, "name": name, "resources": {}}
    if args:
        container["command" if command else "args"] = list(args)
    if envs:
        container["env"] = envs
    if image_pull_policy:
        container["imagePullPolicy"] = image_pull_policy
    if container_port is not None:
        container["ports"] = [{"containerPort": container_port}]
    if privileged:
        container["securityContext"] = {"privileged": True}
    meta = object_meta(name, namespace, pod_labels)
    if pod_annotations:
        meta["annotations"] = pod_annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart or "Always"},
            "status": {}}


def with_overrides(obj: dict, overrides: str, override_type: str, schema: Any) -> dict:
    """cmdutil.Overrider: the override patch applied to the generated object, then decoded back into a Pod."""
    from kauth.kubectl.typed import as_typed
    from kauth.patch.dispatch import apply_by_type
    from kauth.patch.errors import PatchError

    if override_type not in ("json", "merge", "strategic"):
        raise ClientError(f"invalid override type: {override_type}")
    try:
        patch = json.loads(overrides)
    except ValueError:
        raise ClientError({"merge": "Invalid JSON Patch", "json": "invalid JSON Patch",
                           "strategic": "invalid JSON document"}[override_type]) from None
    try:
        patched = apply_by_type(override_type, obj, patch, schema, custom=False)
    except PatchError as err:
        raise ClientError(str(err)) from None
    return as_typed(patched)


def exposing_service(name: str, namespace: str, port: str, labels: str) -> dict:
    """run --expose: generateService, the expose command's ServiceV2 generator over run's string parameters
    (selector: the --labels, else run=NAME; the Service carries the --labels too; targetPort = port)."""
    from kauth.kubectl.expose import ExposeOptions, service

    options = ExposeOptions(port=port, name=name, selector=labels or f"run={name}", labels=labels)
    return service(options, name, namespace, {})
