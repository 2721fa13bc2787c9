"""`kubectl run NAME --image=IMAGE [-- ARGS...]`: one Pod (kubectl 1.32 generates nothing else).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/run/run.go and pkg/generate/versioned/run.go (BasicPod).
kubectl needs the server's RESTMapper even with --dry-run=client (it maps the Pod before printing), so
offline it fails on discovery; against a server the Pod is printed, or created with field manager kubectl-run.
With -i, -t or --attach kubectl creates the Pod and then attaches to its container once it runs; kauth
has no kubelet, so it creates the Pod (stdin, tty and the restart policy as kubectl sets them), says the
attach cannot be simulated, and with --rm deletes the Pod again as kubectl does when the session ends.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Attach:
    """The attach flags: -i/--stdin, -t/--tty, --attach (None: not given, then it follows -i), --rm,
    --leave-stdin-open."""

    stdin: bool = False
    tty: bool = False
    attach: bool | None = None
    remove: bool = False
    leave_stdin_open: bool = False

    @property
    def attaches(self) -> bool:
        return self.stdin if self.attach is None else self.attach


def validate(image: str, restart: str, image_pull_policy: str, attach: Attach = Attach(), *, expose: bool = False,
             port: str = "", dry_run: str = "none", pod_running_timeout: str = "1m0s") -> None:
    """RunOptions.Run's checks, in its order (a --pod-running-timeout pflag cannot parse fails first)."""
    from kauth.kubectl.pflag import flag_error, parse_go_duration

    timeout, why = parse_go_duration(pod_running_timeout)
    if timeout is None:
        raise flag_error("run", "pod-running-timeout", pod_running_timeout, why)
    if timeout <= 0:
        raise usage_error("--pod-running-timeout must be higher than zero")
    if not image:
        raise ClientError("--image is required")
    if not IMAGE_REFERENCE.match(image):
        raise ClientError(f'Invalid image name "{image}": invalid reference format')
    if attach.tty and not attach.stdin:
        raise usage_error("-i/--stdin is required for containers with -t/--tty=true")
    if expose and not port:
        raise usage_error("--port must be set when exposing a service")
    if restart and restart not in RESTART_POLICIES:
        raise usage_error(f"invalid restart policy: {restart}")
    if attach.remove and not attach.attaches:
        raise usage_error("--rm should only be used for attached containers")
    if attach.attaches and dry_run != "none":
        raise usage_error("--dry-run=[server|client] can't be used with attached containers options "
                          "(--attach, --stdin, or --tty)")
    if image_pull_policy not in PULL_POLICIES:
        raise usage_error(f"invalid image pull policy: {image_pull_policy}")


def attach_refused(rt_name: str) -> ClientError:
    """What kauth says where kubectl would stream the container's terminal."""
    return ClientError(f"kauth cannot attach to {rt_name}: the simulated cluster runs no containers "
                       "(the Pod was created and stays Pending)")


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
        image_pull_policy: str = "", privileged: bool = False, attach: Attach = Attach()) -> dict:
    """BasicPod.Generate: the container is named after the Pod and labelled run=NAME unless --labels.
    The flags are checked first (validate)."""
    envs = parse_envs(list(env))  # kubectl's order of checks: env, annotations, labels, port
    pod_annotations = parse_annotations(list(annotations))
    pod_labels = parse_labels(labels) if labels else {"run": name}
    container_port = int32(go_atoi(port)) if port else None
    container: dict[str, Any] = {"image": image, "name": name, "resources": {}}
    if args:
        container["command" if command else "args"] = list(args)
    if attach.stdin:
        container["stdin"] = True
        if not attach.leave_stdin_open:
            container["stdinOnce"] = True
    if attach.tty:
        container["tty"] = True
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
            # getRestartPolicy: an interactive Pod restarts OnFailure unless told otherwise
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst",
                     "restartPolicy": restart or ("OnFailure" if attach.stdin else "Always")},
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
