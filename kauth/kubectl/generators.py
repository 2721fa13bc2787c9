"""kubectl's imperative generators (`kubectl create deployment|configmap|secret generic|namespace|...`).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_*.go. Each builds a typed object, so its
`--dry-run=client -o yaml` shows Go's zero values that are not omitempty (`creationTimestamp: null`,
`resources: {}`, `status: {}`); tests compare the bytes with the real kubectl's.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.client import FIELD_MANAGERS, Client
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report

RBAC = "rbac.authorization.k8s.io"


def object_meta(name: str, namespace: str, labels: dict | None = None) -> dict:
    meta: dict[str, Any] = {"creationTimestamp": None, "name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    return meta


def _container_name(image: str) -> str:
    """The image's name without registry, tag or digest (create_deployment.go buildPodSpec)."""
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        # kubectl then adds a random 5-letter suffix; kauth cannot reproduce chance, so it refuses.
        raise ClientError(f"the container name derived from image {image!r} needs kubectl's random suffix; give "
                          "an image whose name has no '_' or '.'")
    return name


def deployment(name: str, namespace: str, *, images: list[str], replicas: int = 1, port: int = -1,
               command: list[str] = ()) -> dict:
    if not images:
        raise ClientError("required flag(s) \"image\" not set")
    if len(images) > 1 and command:
        raise ClientError("cannot specify multiple --image options and command")
    containers = []
    for image in images:
        container: dict[str, Any] = {"image": image, "name": _container_name(image), "resources": {}}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": object_meta(name, namespace, labels),
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "strategy": {},
                     "template": {"metadata": {"creationTimestamp": None, "labels": labels},
                                  "spec": {"containers": containers}}},
            "status": {}}


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ClientError(f'invalid literal source {item}, expected key=value' if flag == "from-literal"
                              else f"invalid {flag} {item}")
        out.append((key, value))
    return out


def _sources(literals: list[str], files: list[str]) -> dict[str, bytes]:
    data: dict[str, bytes] = {}
    for key, value in _pairs(literals, "from-literal"):
        if key in data:
            raise ClientError(f'cannot add key "{key}", another key by that name already exists in Data for '
                              "ConfigMap")
        data[key] = value.encode()
    for spec in files:
        key, sep, path = spec.partition("=")
        path = path if sep else key
        key = key if sep else Path(path).name
        try:
            data[key] = Path(path).read_bytes()
        except OSError as err:
            raise ClientError(f"error reading {path}: {(err.strerror or '').lower()}") from None
    return data


def configmap(name: str, namespace: str, *, literals: list[str] = (), files: list[str] = ()) -> dict:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": object_meta(name, namespace)}
    data, binary = {}, {}
    for key, value in _sources(list(literals), list(files)).items():
        try:
            data[key] = value.decode()
        except UnicodeDecodeError:
            binary[key] = base64.b64encode(value).decode()
    if binary:
        obj["binaryData"] = binary
    if data:
        obj["data"] = data
    return obj


def secret_generic(name: str, namespace: str, *, literals: list[str] = (), files: list[str] = (),
                   secret_type: str = "") -> dict:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": object_meta(name, namespace)}
    data = {k: base64.b64encode(v).decode() for k, v in _sources(list(literals), list(files)).items()}
    if data:
        obj["data"] = data
    if secret_type:
        obj["type"] = secret_type
    return obj


def namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": object_meta(name, ""), "spec": {}, "status": {}}


def serviceaccount(name: str, namespace_: str) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": object_meta(name, namespace_)}


def service(kind: str, name: str, namespace_: str, *, tcp: list[str] = (), cluster_ip: str = "",
            node_port: int = 0, external_name: str = "") -> dict:
    """create service clusterip|nodeport|loadbalancer|externalname (create_service.go)."""
    service_type = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                    "externalname": "ExternalName"}[kind]
    ports = []
    for spec in [p for item in tcp for p in item.split(",") if p]:
        port, _, target = spec.partition(":")
        if not port.isdigit() or (target and not target.isdigit()):
            raise ClientError(f"{spec} is not a valid port specification (port[:targetPort])")
        entry: dict[str, Any] = {"name": f"{port}-{target}" if target else port, "port": int(port),
                                 "protocol": "TCP", "targetPort": int(target or port)}
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    if kind in ("clusterip", "nodeport", "loadbalancer") and not ports and cluster_ip != "None":
        raise ClientError("at least one tcp port specifier must be provided")
    labels = {"app": name}
    spec: dict[str, Any] = {"selector": labels, "type": service_type}
    if ports:
        spec["ports"] = ports
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if external_name:
        spec["externalName"] = external_name
    return {"apiVersion": "v1", "kind": "Service", "metadata": object_meta(name, namespace_, labels), "spec": spec,
            "status": {"loadBalancer": {}}}


def _subjects(users: list[str], groups: list[str], service_accounts: list[str]) -> list[dict]:
    out = [{"apiGroup": RBAC, "kind": "User", "name": u} for u in users]
    out += [{"apiGroup": RBAC, "kind": "Group", "name": g} for g in groups]
    for sa in service_accounts:
        ns, sep, sa_name = sa.partition(":")
        if not sep or not ns or not sa_name:
            raise ClientError("serviceaccount must be <namespace>:<name>")
        out.append({"kind": "ServiceAccount", "name": sa_name, "namespace": ns})
    return out


def role_binding(name: str, namespace_: str, *, role: str = "", cluster_role: str = "", users: list[str] = (),
                 groups: list[str] = (), service_accounts: list[str] = ()) -> dict:
    if bool(role) == bool(cluster_role):
        raise ClientError("exactly one of clusterrole or role must be specified")
    obj: dict[str, Any] = {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": object_meta(name, namespace_),
                           "roleRef": {"apiGroup": RBAC, "kind": "Role" if role else "ClusterRole",
                                       "name": role or cluster_role}}
    subjects = _subjects(list(users), list(groups), list(service_accounts))
    if subjects:
        obj["subjects"] = subjects
    return obj


def cluster_role_binding(name: str, *, cluster_role: str, users: list[str] = (), groups: list[str] = (),
                         service_accounts: list[str] = ()) -> dict:
    if not cluster_role:
        raise ClientError('required flag(s) "clusterrole" not set')
    obj: dict[str, Any] = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": object_meta(name, ""),
                           "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": cluster_role}}
    subjects = _subjects(list(users), list(groups), list(service_accounts))
    if subjects:
        obj["subjects"] = subjects
    return obj


def _job_pod_template(name: str, image: str, command: list[str], restart: str) -> dict:
    container: dict[str, Any] = {"image": image, "name": name, "resources": {}}
    if command:
        container["command"] = list(command)
    return {"metadata": {"creationTimestamp": None}, "spec": {"containers": [container], "restartPolicy": restart}}


def job(name: str, namespace_: str, *, image: str, command: list[str] = ()) -> dict:
    if not image:
        raise ClientError("either --image or --from must be specified")
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": object_meta(name, namespace_),
            "spec": {"template": _job_pod_template(name, image, command, "Never")}, "status": {}}


def cronjob(name: str, namespace_: str, *, image: str, schedule: str, command: list[str] = (),
            restart: str = "OnFailure") -> dict:
    if not image:
        raise ClientError('required flag(s) "image" not set')
    if not schedule:
        raise ClientError('required flag(s) "schedule" not set')
    if restart not in ("OnFailure", "Never"):
        raise ClientError(f"restart {restart} not supported. valid values are OnFailure, Never")
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": object_meta(name, namespace_),
            "spec": {"jobTemplate": {"metadata": {"creationTimestamp": None, "name": name},
                                     "spec": {"template": _job_pod_template(name, image, command, restart)}},
                     "schedule": schedule}, "status": {}}


def quota(name: str, namespace_: str, *, hard: str = "", scopes: str = "") -> dict:
    from kauth.api.defaults import canonical_quantity, parse_quantity

    spec: dict[str, Any] = {}
    if hard:
        values = {}
        for key, value in _pairs([p for p in hard.split(",") if p], "hard"):
            parsed = parse_quantity(value)
            if parsed is None:
                raise ClientError("quantities must match the regular expression "
                                  "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
            values[key] = canonical_quantity(parsed)
        spec["hard"] = values
    if scopes:
        spec["scopes"] = [s for s in scopes.split(",") if s]
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": object_meta(name, namespace_), "spec": spec,
            "status": {}}


def priority_class(name: str, *, value: int = 0, global_default: bool = False, description: str = "",
                   preemption_policy: str = "PreemptLowerPriority") -> dict:
    obj: dict[str, Any] = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": object_meta(name, ""),
                           "preemptionPolicy": preemption_policy, "value": value}
    if description:
        obj["description"] = description
    if global_default:
        obj["globalDefault"] = True
    return obj


def create_generated(client: Client, obj: dict, *, what: str, dry_run: DryRun = "none", output: str = "",
                     save_config: bool = False, field_validation: str = "Strict",
                     field_manager: str = FIELD_MANAGERS["create"], verb: str = "created",
                     outcome: Outcome | None = None) -> Outcome:
    """Send (or, with --dry-run=client, only print) a generated object, as `kubectl create <what>`.
    what="": the server's error as it is (kubectl run and expose add no `failed to create` prefix).
    outcome: one to add to, for a command that generates several objects (expose)."""
    outcome = Outcome() if outcome is None else outcome
    rt = client.table().for_kind(obj["apiVersion"], obj["kind"])
    if rt.namespaced and "namespace" not in obj["metadata"] and dry_run != "client":
        obj = {**obj, "metadata": {**obj["metadata"], "namespace": client.namespace}}
    if save_config:
        from kauth.kubectl.last_applied import with_last_applied

        obj = with_last_applied(obj)
    if dry_run == "client":
        report(outcome, rt, obj, output, verb, dry_run, typed=True)  # the struct kubectl built, never sent
        return outcome
    body = {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if v is not None}}
    response = client.send("create", rt, obj["metadata"].get("namespace", ""), body=body, dry_run=dry_run == "server",
                           field_manager=field_manager, field_validation=field_validation)
    # kubectl decodes the server's answer into the Go struct too (typed clientset, or ClientForMapping's scheme
    # codecs for run and expose), so its JSON keeps the struct field order.
    if not what:
        if outcome.answered(response):
            report(outcome, rt, response.body, output, verb, dry_run, typed=True)
        return outcome
    outcome.record(response)
    if not response.ok:
        err = StatusError.from_status(response.body)
        outcome.fail(ClientError(f"failed to create {what}: {err.message}"))
        return outcome
    report(outcome, rt, response.body, output, verb, dry_run, typed=True)
    return outcome


def split_command(args: tuple[str, ...]) -> tuple[str, list[str]]:
    """(name, command after --): click hands kauth the name and everything after `--` as one list."""
    if not args:
        raise ClientError("NAME is required")
    return args[0], list(args[1:])

