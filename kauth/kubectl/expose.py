"""`kubectl expose (-f FILE | TYPE NAME)`: a Service selecting the pods of a Pod, Service, ReplicationController,
Deployment or ReplicaSet, on the ports they declare.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go and polymorphichelpers (selector, ports and
protocols of an object). kubectl needs discovery even with --dry-run=client and -f (the builder maps each
document), so it is tested against a discovery stub. What the oracle showed beyond the source:
- the selector, labels and port kubectl derives from the first object stay set for the next ones (they are
  written back into the command's options), so `expose -f a.yaml -f b.yaml` gives b's Service a's selector;
- a port declared with several protocols becomes one Service port per protocol (`port-1-udp`, `port-1-tcp`);
- exposing a Service reuses its `port`s as target ports, not its targetPorts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import NO_RESOURCES, document_targets, select
from kauth.kubectl.client import Client
from kauth.kubectl.create_ingress import service_backend_port
from kauth.kubectl.generators import create_generated, object_meta
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun
from kauth.kubectl.run import go_atoi, int32, parse_labels
from kauth.kubectl.set_image import pod_spec

EXPOSABLE = {("", "Pod"), ("", "Service"), ("", "ReplicationController"), ("apps", "Deployment"),
             ("apps", "ReplicaSet"), ("extensions", "Deployment"), ("extensions", "ReplicaSet")}
DNS1035_LABEL_MAX_LENGTH = 63


@dataclass(frozen=True)
class ExposeOptions:
    """The command's flags; selector, labels and port are filled in from the first object that needs them."""

    port: str = ""
    protocol: str = ""
    target_port: str = ""
    name: str = ""
    service_type: str = ""
    selector: str = ""
    labels: str = ""
    external_ip: str = ""
    load_balancer_ip: str = ""
    session_affinity: str = ""
    cluster_ip: str = ""


def make_labels(labels: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _go_requirements(requirements: list[dict]) -> str:
    """Go's %+v of []metav1.LabelSelectorRequirement."""
    items = [f"{{Key:{r.get('key', '')} Operator:{r.get('operator', '')} Values:[{' '.join(r.get('values') or [])}]}}"
             for r in requirements]
    return "[" + " ".join(items) + "]"


def map_based_selector(obj: dict) -> str:
    """polymorphichelpers.mapBasedSelectorForObject: the object's pod selector as key=value,..."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise ClientError("the pod has no labels and cannot be exposed")
        return make_labels(labels)
    if kind == "Service":
        if not spec.get("selector"):
            raise ClientError("the service has no pod selector set")
        return make_labels(spec["selector"])
    if kind == "ReplicationController":
        return make_labels(spec.get("selector") or {})
    selector = spec.get("selector")
    if not selector or not selector.get("matchLabels"):  # matchExpressions alone count as no selector
        raise ClientError(f"invalid {kind.lower()}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        raise ClientError(f'couldn\'t convert expressions - "{_go_requirements(selector["matchExpressions"])}" to '
                          "map-based selector format")
    return make_labels(selector.get("matchLabels") or {})


def _declared_ports(obj: dict) -> list[tuple[str, str]]:
    """(port, protocol) as the object declares them; the decoder's defaulting makes an unset protocol TCP."""
    if obj.get("kind") == "Service":
        declared = (obj.get("spec") or {}).get("ports") or []
        return [(str(p.get("port", 0)), p.get("protocol") or "TCP") for p in declared]
    spec = pod_spec(obj) or {}
    return [(str(p.get("containerPort", 0)), p.get("protocol") or "TCP")
            for container in spec.get("containers") or [] for p in container.get("ports") or []]


def ports_for_object(obj: dict) -> list[str]:
    return list(dict.fromkeys(port for port, _ in _declared_ports(obj)))


def protocols_for_object(obj: dict) -> dict[str, list[str]]:
    """Every protocol declared for each port, repeats kept (a port declared twice as TCP gives two Service ports)."""
    protocols: dict[str, list[str]] = {}
    for port, protocol in _declared_ports(obj):
        protocols.setdefault(port, []).append(protocol)
    return protocols


def service_ports(port_text: str, protocol: str, protocols: dict[str, list[str]], target_port: str) -> list[dict]:
    ports = []
    port_list = port_text.split(",")
    for index, text in enumerate(port_list):
        number = int32(go_atoi(text))
        name = f"port-{index + 1}" if len(port_list) > 1 else ""
        chosen = protocol or "TCP"
        exposed = protocols.get(text, [])
        if not protocol and len(exposed) > 1:
            ports += [{"name": f"port-{index + 1}-{p.lower()}", "port": number, "protocol": p} for p in exposed]
            continue
        if not protocol and exposed:
            chosen = exposed[0]
        ports.append({**({"name": name} if name else {}), "port": number, "protocol": chosen})
    target = service_backend_port_value(target_port)
    return [{**p, "targetPort": p["port"] if target is None else target} for p in ports]


def service_backend_port_value(text: str) -> int | str | None:
    """intstr.Parse of --target-port (None when unset: each port targets itself)."""
    if not text:
        return None
    parsed = service_backend_port(text)
    return parsed.get("number", parsed.get("name", 0))


def service(options: ExposeOptions, default_name: str, namespace: str, protocols: dict[str, list[str]]) -> dict:
    """createService: the Service for one object, from options already completed from it."""
    if not options.selector:
        raise ClientError("selector must be specified")
    selector = parse_labels(options.selector)
    labels = parse_labels(options.labels) if options.labels else {}
    spec: dict[str, Any] = {"selector": selector}
    ports = service_ports(options.port, options.protocol, protocols, options.target_port) if options.port else []
    if ports:
        spec["ports"] = ports
    if options.external_ip:
        spec["externalIPs"] = [options.external_ip]
    if options.service_type:
        spec["type"] = options.service_type
    if options.service_type == "LoadBalancer" and options.load_balancer_ip:
        spec["loadBalancerIP"] = options.load_balancer_ip
    if options.session_affinity:
        if options.session_affinity not in ("None", "ClientIP"):
            raise ClientError(f"unknown session affinity: {options.session_affinity}")
        spec["sessionAffinity"] = options.session_affinity
    if options.cluster_ip:
        spec["clusterIP"] = options.cluster_ip
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": object_meta(options.name or default_name, namespace, labels), "spec": spec,
            "status": {"loadBalancer": {}}}


def with_selector(options: ExposeOptions, obj: dict) -> ExposeOptions:
    if options.selector:
        return options
    try:
        return dataclasses.replace(options, selector=map_based_selector(obj))
    except ClientError as err:
        raise ClientError(f"couldn't retrieve selectors via --selector flag or introspection: {err.message}")


def with_port(options: ExposeOptions, obj: dict) -> ExposeOptions:
    if options.port:
        return options
    ports = ports_for_object(obj)
    if not ports and options.cluster_ip != "None":
        raise ClientError("couldn't find port via --port flag or introspection")
    return dataclasses.replace(options, port=",".join(ports))


def with_labels(options: ExposeOptions, obj: dict) -> ExposeOptions:
    if options.labels:
        return options
    return dataclasses.replace(options, labels=make_labels((obj.get("metadata") or {}).get("labels") or {}))


# kubectl writes what it derives into the command's options one step at a time, so a later object sees what an
# earlier one set, even when that earlier one failed at a later step.
COMPLETIONS = (with_selector, with_port, with_labels)


def expose(client: Client, args: list[str], documents: list[Document] | None, options: ExposeOptions, *,
           dry_run: DryRun = "none", output: str = "") -> Outcome:
    if not args and not documents:
        raise ClientError(NO_RESOURCES)
    outcome = Outcome()
    namespace = client.namespace if client.namespace_explicit else ""
    if documents:
        objects = [(t.rt, doc.obj) for t, doc in document_targets(client.table(), documents, client.namespace,
                                                                  client.namespace_explicit, outcome.fail)]
    else:
        objects = []
        # cli-runtime's builder names `get` in its argument errors whatever the command (the oracle agrees).
        for target in select(client.table(), args, client.namespace, "get").targets:
            found = client.send("get", target.rt, target.namespace, target.name)
            if outcome.answered(found):
                objects.append((target.rt, found.body))
    for rt, obj in objects:
        try:
            if (rt.group, rt.kind) not in EXPOSABLE:
                raise ClientError(f"cannot expose a {rt.kind}")
            for complete in COMPLETIONS:
                options = complete(options, obj)
            name = ((obj.get("metadata") or {}).get("name") or "")[:DNS1035_LABEL_MAX_LENGTH]
            generated = service(options, name, namespace, protocols_for_object(obj))
        except (ClientError, StatusError) as err:
            outcome.fail(err)
            continue
        create_generated(client, generated, what="", dry_run=dry_run, output=output, field_validation="",
                         field_manager="kubectl-expose", verb="exposed", outcome=outcome)
    return outcome
