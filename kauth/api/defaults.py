"""Defaulting, as kube-apiserver applies it when it decodes an object of a built-in kind.

`apply_defaults(rt, obj)` returns a new dict (its input is never mutated) carrying what the versioned
defaulters add. Upstream sources (kubernetes/kubernetes):
- pkg/apis/core/v1/defaults.go and zz_generated.defaults.go (Pod, PodSpec, containers, probes, volumes,
  Service, ReplicationController, Secret, PersistentVolume(Claim), Namespace, Endpoints, LimitRange),
  plus the declarative `+default` markers of k8s.io/api/core/v1 (container and service port protocol TCP,
  ReplicationController replicas 1);
- pkg/apis/apps/v1/defaults.go (Deployment, DaemonSet, StatefulSet, ReplicaSet);
- pkg/apis/batch/v1/defaults.go (Job, CronJob, podFailurePolicy patterns);
- pkg/apis/networking/v1/defaults.go (NetworkPolicy, IngressClass), pkg/apis/rbac/v1/defaults.go
  (roleRef and subject apiGroup), pkg/apis/storage/v1/defaults.go (StorageClass, CSIDriver),
  pkg/apis/scheduling/v1/defaults.go (PriorityClass);
- staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (quantities come back in canonical form).

A few things that real clusters show but that are not defaulters are added here too, each marked where it
happens, because validation depends on them and nothing else in the pipeline does them: the Service
registry's clusterIPs/ipFamilies/ipFamilyPolicy (pkg/registry/core/service), the Namespace strategy's
`kubernetes` finalizer, and the v1-to-internal Secret conversion that folds stringData into data. Not done
here, because another stage owns it: clusterIP/nodePort allocation, serviceAccountName and its token volume
(ServiceAccount admission), priority and preemptionPolicy (Priority admission), default tolerations
(DefaultTolerationSeconds admission), status, uid and timestamps.
"""

from __future__ import annotations

import base64
import copy
import re
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any, Callable

# --- quantities (k8s.io/apimachinery/pkg/api/resource) -----------------------------------------------

_QUANTITY_RE = re.compile(r"([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)\Z")
_BINARY_SUFFIXES = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXPONENT = {v: k for k, v in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_EXPONENT = {v: k for k, v in _BINARY_SUFFIXES.items()}
_NANO = Decimal("1e-9")


class Quantity:
    """A parsed resource.Quantity: its exact value and the format it was written in."""

    __slots__ = ("value", "format")

    def __init__(self, value: Decimal, fmt: str):
        self.value = value
        self.format = fmt  # "DecimalSI", "BinarySI" or "DecimalExponent"

    def __str__(self) -> str:
        return canonical_quantity(self)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"


def parse_quantity(raw: Any) -> Quantity | None:
    """resource.ParseQuantity; None when the text is not a quantity (the API server rejects it at decode)."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return Quantity(Decimal(raw), "DecimalSI")
    if isinstance(raw, float):
        text = repr(raw)
    else:
        text = str(raw).strip()
    m = _QUANTITY_RE.match(text)
    if not m:
        return None
    number, suffix = m.groups()
    if number.count(".") > 1 or not any(c.isdigit() for c in number):
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if suffix in _BINARY_SUFFIXES:
        fmt, value = "BinarySI", value * (Decimal(1024) ** _BINARY_SUFFIXES[suffix])
    elif suffix in _DECIMAL_SUFFIXES:
        fmt, value = "DecimalSI", value.scaleb(_DECIMAL_SUFFIXES[suffix])
    elif suffix[:1] in ("e", "E") and re.fullmatch(r"[-+]?[0-9]+", suffix[1:]):
        fmt, value = "DecimalExponent", value.scaleb(int(suffix[1:]))
    else:
        return None
    # Values finer than a nano are rounded up (ParseQuantity keeps at most nano precision).
    value = (value / _NANO).to_integral_value(rounding=ROUND_CEILING) * _NANO
    return Quantity(value, fmt)


def _remove_factors(value: int, base: int) -> tuple[int, int]:
    times = 0
    negative = value < 0
    value = abs(value)
    while value and value % base == 0:
        value //= base
        times += 1
    return (-value if negative else value), times


def canonical_quantity(q: Quantity) -> str:
    """Quantity.String(): the canonical form the API server serializes (`0.5` -> `500m`, `1024Mi` -> `1Gi`)."""
    value = q.value
    if value == 0:
        return "0"
    fmt = q.format
    if fmt == "BinarySI" and (-1024 < value < 1024 or value != value.to_integral_value()):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        amount, exponent = _remove_factors(int(value), 1024)
        return f"{amount}{_BINARY_BY_EXPONENT.get(exponent, '')}"
    # mantissa * 10**exponent with an integer mantissa, then the exponent lowered to a multiple of 3
    sign, digits, exp = value.normalize().as_tuple()
    mantissa = int("".join(map(str, digits))) * (-1 if sign else 1)
    mantissa, times = _remove_factors(mantissa, 10)
    exponent = int(exp) + times
    while exponent % 3:
        mantissa *= 10
        exponent -= 1
    if fmt == "DecimalExponent":
        return f"{mantissa}" + (f"e{exponent}" if exponent else "")
    while exponent > 18:
        mantissa *= 1000
        exponent -= 3
    return f"{mantissa}{_DECIMAL_BY_EXPONENT.get(exponent, '')}"


def _round_up_milli(q: Quantity) -> Quantity:
    """SetDefaults_ResourceList: values are rounded up to milli scale."""
    milli = Decimal("0.001")
    return Quantity((q.value / milli).to_integral_value(rounding=ROUND_CEILING) * milli, q.format)


def _default_resource_list(resources: Any) -> None:
    if not isinstance(resources, dict):
        return
    for key, raw in list(resources.items()):
        q = parse_quantity(raw)
        if q is not None:
            resources[key] = canonical_quantity(_round_up_milli(q))


def _canonical_resource_list(resources: Any) -> None:
    """Quantities outside a defaulted ResourceList still come back canonical, but unrounded."""
    if not isinstance(resources, dict):
        return
    for key, raw in list(resources.items()):
        q = parse_quantity(raw)
        if q is not None:
            resources[key] = canonical_quantity(q)


# --- images (pkg/util/parsers.ParseImageName, the distribution reference grammar) --------------------

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"((?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::({_TAG}))?(?:@({_DIGEST}))?\Z")


def image_tag(image: str) -> str:
    """The tag ParseImageName reports: "latest" when neither tag nor digest is given, "" when unparsable."""
    m = _REFERENCE.match(image or "")
    if not m or len(m.group(1)) > 255:
        return ""
    tag, digest = m.group(2) or "", m.group(3) or ""
    if not tag and not digest:
        return "latest"
    return tag


def default_pull_policy(image: str) -> str:
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


# --- helpers -------------------------------------------------------------------------------------


def _dict(parent: dict, key: str) -> dict | None:
    """parent[key] if it is a mapping (a null or missing field stays as it is)."""
    value = parent.get(key)
    return value if isinstance(value, dict) else None


def _list(parent: dict, key: str) -> list:
    value = parent.get(key)
    return value if isinstance(value, list) else []


def _items(parent: dict, key: str) -> list[dict]:
    return [x for x in _list(parent, key) if isinstance(x, dict)]


def _set(parent: dict, key: str, value: Any) -> None:
    """Set a field that is unset: missing, null or the zero value Go would see ("" for strings)."""
    if parent.get(key) in (None, ""):
        parent[key] = value


# --- Pod, PodSpec, containers, volumes (core/v1) ----------------------------------------------------


def _default_http_get(action: dict | None) -> None:
    if action is not None:
        _set(action, "path", "/")
        _set(action, "scheme", "HTTP")


def _default_probe(probe: dict | None) -> None:
    if probe is None:
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_http_get(_dict(probe, "httpGet"))


def _default_container(c: dict) -> None:
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = default_pull_policy(str(c.get("image") or ""))
    _set(c, "terminationMessagePath", "/dev/termination-log")
    _set(c, "terminationMessagePolicy", "File")
    for port in _items(c, "ports"):
        _set(port, "protocol", "TCP")
    for env in _items(c, "env"):
        value_from = _dict(env, "valueFrom")
        field_ref = _dict(value_from, "fieldRef") if value_from else None
        if field_ref is not None:
            _set(field_ref, "apiVersion", "v1")
    # resources is a struct, not a pointer: it is always serialized, if only as {}.
    if not isinstance(c.get("resources"), dict):
        c["resources"] = {}
    _default_resource_list(c["resources"].get("limits"))
    _default_resource_list(c["resources"].get("requests"))
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(_dict(c, probe))
    lifecycle = _dict(c, "lifecycle")
    if lifecycle is not None:
        for hook in ("postStart", "preStop"):
            handler = _dict(lifecycle, hook)
            if handler is not None:
                _default_http_get(_dict(handler, "httpGet"))


_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
    "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)


def _default_field_ref_items(items: list) -> None:
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("fieldRef"), dict):
            _set(item["fieldRef"], "apiVersion", "v1")


def _default_pvc_spec(spec: dict | None) -> None:
    if spec is None:
        return
    _set(spec, "volumeMode", "Filesystem")
    resources = _dict(spec, "resources")
    if resources is not None:
        _default_resource_list(resources.get("limits"))
        _default_resource_list(resources.get("requests"))


def _default_volume(v: dict) -> None:
    if not any(v.get(source) is not None for source in _VOLUME_SOURCES):
        v["emptyDir"] = {}
    if (host_path := _dict(v, "hostPath")) is not None and host_path.get("type") is None:
        host_path["type"] = ""
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        src = _dict(v, source)
        if src is not None and src.get("defaultMode") is None:
            src["defaultMode"] = 420
    if (downward := _dict(v, "downwardAPI")) is not None:
        _default_field_ref_items(_list(downward, "items"))
    if (projected := _dict(v, "projected")) is not None:
        for src in _items(projected, "sources"):
            if (d := _dict(src, "downwardAPI")) is not None:
                _default_field_ref_items(_list(d, "items"))
            if (token := _dict(src, "serviceAccountToken")) is not None and token.get("expirationSeconds") is None:
                token["expirationSeconds"] = 3600
    if (iscsi := _dict(v, "iscsi")) is not None:
        _set(iscsi, "iscsiInterface", "default")
    if (rbd := _dict(v, "rbd")) is not None:
        _set(rbd, "pool", "rbd")
        _set(rbd, "user", "admin")
        _set(rbd, "keyring", "/etc/ceph/keyring")
    if (azure := _dict(v, "azureDisk")) is not None:
        _set(azure, "cachingMode", "ReadWrite")
        _set(azure, "fsType", "ext4")
        if azure.get("readOnly") is None:
            azure["readOnly"] = False
        _set(azure, "kind", "Shared")
    if (scale_io := _dict(v, "scaleIO")) is not None:
        _set(scale_io, "storageMode", "ThinProvisioned")
        _set(scale_io, "fsType", "xfs")
    if (ephemeral := _dict(v, "ephemeral")) is not None:
        template = _dict(ephemeral, "volumeClaimTemplate")
        if template is not None:
            _default_pvc_spec(_dict(template, "spec"))


def _default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec and the per-field defaulters: what a pod template gets as well as a Pod."""
    _set(spec, "dnsPolicy", "ClusterFirst")
    _set(spec, "restartPolicy", "Always")
    if not isinstance(spec.get("securityContext"), dict):
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    _set(spec, "schedulerName", "default-scheduler")
    for v in _items(spec, "volumes"):
        _default_volume(v)
    for key in ("initContainers", "containers"):
        for c in _items(spec, key):
            _default_container(c)
    for ec in _items(spec, "ephemeralContainers"):
        _default_container(ec)
    _canonical_resource_list(spec.get("overhead"))


def _default_pod(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    # SetDefaults_Pod (only for Pods, not templates): requests default to limits.
    for key in ("containers", "initContainers"):
        for c in _items(spec, key):
            resources = c.get("resources")
            if isinstance(resources, dict) and isinstance(resources.get("limits"), dict):
                requests = resources.get("requests")
                if not isinstance(requests, dict):
                    requests = resources["requests"] = {}
                for name, value in resources["limits"].items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for c in _items(spec, key):
                for port in _items(c, "ports"):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    _default_pod_spec(spec)


def _default_template(template: Any) -> None:
    if isinstance(template, dict):
        spec = template.get("spec")
        if spec is None:
            spec = template["spec"] = {}
        if isinstance(spec, dict):
            _default_pod_spec(spec)


# --- core/v1 other kinds --------------------------------------------------------------------------


def _default_service(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    _set(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = _dict(spec, "sessionAffinityConfig")
        client_ip = _dict(config, "clientIP") if config else None
        if client_ip is None or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    _set(spec, "type", "ClusterIP")
    service_type = spec["type"]
    for port in _items(spec, "ports"):
        _set(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    externally_accessible = service_type in ("LoadBalancer", "NodePort") or (
        service_type == "ClusterIP" and bool(spec.get("externalIPs")))
    if externally_accessible:
        _set(spec, "externalTrafficPolicy", "Cluster")
    if spec.get("internalTrafficPolicy") is None and service_type in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if service_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True


def _fill_service(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None or spec.get("type") == "ExternalName":
        return
    # The Service registry (pkg/registry/core/service strategy and alloc.go), before validation:
    # clusterIP and clusterIPs are kept in sync, and the IP family fields are settled (single-stack IPv4
    # cluster).
    cluster_ip, cluster_ips = spec.get("clusterIP"), spec.get("clusterIPs")
    if cluster_ip and not cluster_ips:
        spec["clusterIPs"] = [cluster_ip]
    elif cluster_ips and isinstance(cluster_ips, list) and not cluster_ip:
        spec["clusterIP"] = cluster_ips[0]
    if spec.get("ipFamilyPolicy") is None:
        families = spec.get("ipFamilies") or []
        if len(families) == 2:
            spec["ipFamilyPolicy"] = "RequireDualStack"
        elif spec.get("clusterIP") == "None" and not spec.get("selector"):
            spec["ipFamilyPolicy"] = "PreferDualStack"
        else:
            spec["ipFamilyPolicy"] = "SingleStack"
    if not spec.get("ipFamilies"):
        first = spec.get("clusterIP")
        spec["ipFamilies"] = ["IPv6" if isinstance(first, str) and ":" in first else "IPv4"]


def _default_replication_controller(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    template = _dict(spec, "template")
    labels = (_dict(template, "metadata") or {}).get("labels") if template else None
    if isinstance(labels, dict) and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _default_template(template)


def _default_secret(obj: dict) -> None:
    _set(obj, "type", "Opaque")
    # Converting v1 to the internal type folds stringData into data (stringData wins), base64 encoded.
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str("" if value is None else value).encode()).decode()
        obj["data"] = data


def _default_persistent_volume(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    _set(spec, "persistentVolumeReclaimPolicy", "Retain")
    _set(spec, "volumeMode", "Filesystem")
    _default_resource_list(spec.get("capacity"))
    if (host_path := _dict(spec, "hostPath")) is not None and host_path.get("type") is None:
        host_path["type"] = ""
    status = obj.setdefault("status", {}) if not isinstance(obj.get("status"), dict) else obj["status"]
    _set(status, "phase", "Pending")


def _default_pvc(obj: dict) -> None:
    _default_pvc_spec(_spec(obj))
    status = obj.setdefault("status", {}) if not isinstance(obj.get("status"), dict) else obj["status"]
    _set(status, "phase", "Pending")


def _default_namespace(obj: dict) -> None:
    meta = obj.setdefault("metadata", {})
    name = meta.get("name")
    if name:
        labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
        labels["kubernetes.io/metadata.name"] = name
        meta["labels"] = labels


def _fill_namespace(obj: dict) -> None:
    # The Namespace strategy (PrepareForCreate) sets the kubernetes finalizer.
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if not spec.get("finalizers"):
        spec["finalizers"] = ["kubernetes"]
    obj["spec"] = spec
    status = obj.get("status") if isinstance(obj.get("status"), dict) else {}
    _set(status, "phase", "Active")
    obj["status"] = status


def _default_endpoints(obj: dict) -> None:
    for subset in _items(obj, "subsets"):
        for port in _items(subset, "ports"):
            _set(port, "protocol", "TCP")


def _default_limit_range(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    for item in _items(spec, "limits"):
        for key in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            _default_resource_list(item.get(key))
        if item.get("type") == "Container":
            default = item.setdefault("default", {}) if not isinstance(item.get("default"), dict) else item["default"]
            request = (item.setdefault("defaultRequest", {}) if not isinstance(item.get("defaultRequest"), dict)
                       else item["defaultRequest"])
            for key, value in (_dict(item, "max") or {}).items():
                default.setdefault(key, value)
            for key, value in default.items():
                request.setdefault(key, value)
            for key, value in (_dict(item, "min") or {}).items():
                request.setdefault(key, value)


def _default_resource_quota(obj: dict) -> None:
    spec = _spec(obj)
    if spec is not None:
        _canonical_resource_list(spec.get("hard"))


# --- apps/v1 ----------------------------------------------------------------------------------------


def _default_deployment(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy") if isinstance(spec.get("strategy"), dict) else {}
    spec["strategy"] = strategy
    _set(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
        strategy["rollingUpdate"] = rolling
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = "25%"
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _default_template(spec.setdefault("template", {}) if spec.get("template") is None else spec["template"])


def _default_daemon_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    spec["updateStrategy"] = strategy
    _set(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
        strategy["rollingUpdate"] = rolling
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = 1
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _default_template(spec.setdefault("template", {}) if spec.get("template") is None else spec["template"])


def _default_stateful_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    _set(spec, "podManagementPolicy", "OrderedReady")
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    spec["updateStrategy"] = strategy
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if not isinstance(strategy.get("rollingUpdate"), dict):
            strategy["rollingUpdate"] = {}
    rolling = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and isinstance(rolling, dict) and rolling.get("partition") is None:
        rolling["partition"] = 0
    retention = (spec.get("persistentVolumeClaimRetentionPolicy")
                 if isinstance(spec.get("persistentVolumeClaimRetentionPolicy"), dict) else {})
    spec["persistentVolumeClaimRetentionPolicy"] = retention
    _set(retention, "whenDeleted", "Retain")
    _set(retention, "whenScaled", "Retain")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _default_template(spec.setdefault("template", {}) if spec.get("template") is None else spec["template"])
    for claim in _items(spec, "volumeClaimTemplates"):
        _default_pvc_spec(_dict(claim, "spec"))
        status = claim.get("status") if isinstance(claim.get("status"), dict) else {}
        _set(status, "phase", "Pending")
        claim["status"] = status


def _default_replica_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _default_template(spec.setdefault("template", {}) if spec.get("template") is None else spec["template"])


# --- batch/v1 ---------------------------------------------------------------------------------------


def _default_pod_failure_policy(spec: dict) -> None:
    policy = _dict(spec, "podFailurePolicy")
    if policy is None:
        return
    for rule in _items(policy, "rules"):
        for pattern in _items(rule, "onPodConditions"):
            _set(pattern, "status", "True")


def _default_job(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    spec["template"] = template
    labels = (_dict(template, "metadata") or {}).get("labels")
    meta = obj.setdefault("metadata", {})
    if isinstance(labels, dict) and labels and not meta.get("labels"):
        meta["labels"] = dict(labels)
    _set(spec, "completionMode", "NonIndexed")
    if spec.get("suspend") is None:
        spec["suspend"] = False
    _default_pod_failure_policy(spec)
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"
    if spec.get("manualSelector") is None:
        spec["manualSelector"] = False
    _default_template(template)


def _default_cron_job(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    _set(spec, "concurrencyPolicy", "Allow")
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    job_template = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), dict) else {}
    spec["jobTemplate"] = job_template
    job_spec = job_template.get("spec") if isinstance(job_template.get("spec"), dict) else {}
    job_template["spec"] = job_spec
    _default_pod_failure_policy(job_spec)
    _default_template(job_spec.setdefault("template", {}) if job_spec.get("template") is None
                      else job_spec["template"])


# --- networking, rbac, storage, scheduling, policy ---------------------------------------------------


def _default_network_policy(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule in _items(spec, direction):
            for port in _items(rule, "ports"):
                _set(port, "protocol", "TCP")
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress"] + (["Egress"] if spec.get("egress") else [])


def _default_ingress_class(obj: dict) -> None:
    spec = _spec(obj)
    params = _dict(spec, "parameters") if spec else None
    if params is not None and params.get("scope") is None:
        params["scope"] = "Cluster"


def _default_binding(obj: dict) -> None:
    role_ref = _dict(obj, "roleRef")
    if role_ref is not None:
        _set(role_ref, "apiGroup", "rbac.authorization.k8s.io")
    for subject in _items(obj, "subjects"):
        if not subject.get("apiGroup"):
            if subject.get("kind") in ("User", "Group"):
                subject["apiGroup"] = "rbac.authorization.k8s.io"
            elif subject.get("kind") == "ServiceAccount" and "apiGroup" in subject:
                del subject["apiGroup"]  # "" is omitted when serialized


def _default_storage_class(obj: dict) -> None:
    _set(obj, "reclaimPolicy", "Delete")
    _set(obj, "volumeBindingMode", "Immediate")


def _default_csi_driver(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    for key, value in (("attachRequired", True), ("podInfoOnMount", False), ("storageCapacity", False),
                       ("requiresRepublish", False)):
        if spec.get(key) is None:
            spec[key] = value
    _set(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType")
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]


def _default_priority_class(obj: dict) -> None:
    _set(obj, "preemptionPolicy", "PreemptLowerPriority")


def _default_pod_template(obj: dict) -> None:
    _default_template(obj.setdefault("template", {}) if obj.get("template") is None else obj.get("template"))


def _spec(obj: dict) -> dict | None:
    spec = obj.get("spec")
    if spec is None:
        spec = obj["spec"] = {}
    return spec if isinstance(spec, dict) else None


_DEFAULTERS: dict[tuple[str, str], Callable[[dict], None]] = {
    ("", "Pod"): _default_pod,
    ("", "PodTemplate"): _default_pod_template,
    ("", "ReplicationController"): _default_replication_controller,
    ("", "Service"): _default_service,
    ("", "Secret"): _default_secret,
    ("", "PersistentVolume"): _default_persistent_volume,
    ("", "PersistentVolumeClaim"): _default_pvc,
    ("", "Namespace"): _default_namespace,
    ("", "Endpoints"): _default_endpoints,
    ("", "LimitRange"): _default_limit_range,
    ("", "ResourceQuota"): _default_resource_quota,
    ("apps", "Deployment"): _default_deployment,
    ("apps", "DaemonSet"): _default_daemon_set,
    ("apps", "StatefulSet"): _default_stateful_set,
    ("apps", "ReplicaSet"): _default_replica_set,
    ("batch", "Job"): _default_job,
    ("batch", "CronJob"): _default_cron_job,
    ("networking.k8s.io", "NetworkPolicy"): _default_network_policy,
    ("networking.k8s.io", "IngressClass"): _default_ingress_class,
    ("rbac.authorization.k8s.io", "RoleBinding"): _default_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _default_binding,
    ("storage.k8s.io", "StorageClass"): _default_storage_class,
    ("storage.k8s.io", "CSIDriver"): _default_csi_driver,
    ("scheduling.k8s.io", "PriorityClass"): _default_priority_class,
}


# What the registry and admission fill in, not the decoder's defaulters (see the module docstring). Field
# management runs between the two, so the writer does not own these fields, as on a real cluster.
_SERVER_FILLS = {
    ("", "Service"): _fill_service,
    ("", "Namespace"): _fill_namespace,
}


def apply_defaults(rt: Any, obj: dict, server_fills: bool = True) -> dict:
    """A copy of `obj` with the defaults kube-apiserver applies to its kind; kinds without defaulters come back as is.
    `server_fills=False` leaves out what the registry and admission fill in later (`apply_server_fills`)."""
    out = copy.deepcopy(obj)
    if not isinstance(out, dict):
        return out
    defaulter = _DEFAULTERS.get((getattr(rt, "group", ""), getattr(rt, "kind", "")))
    if defaulter is not None:
        defaulter(out)
    if server_fills:
        apply_server_fills(rt, out)
    return out


def apply_server_fills(rt: Any, obj: dict) -> None:
    """What the registry and admission fill in after decoding (in place): a Pod's priority, a Service's IP
    families, a Namespace's finalizer and phase."""
    fill = _SERVER_FILLS.get((getattr(rt, "group", ""), getattr(rt, "kind", "")))
    if fill is not None and isinstance(obj, dict):
        fill(obj)


__all__ = ["apply_defaults", "apply_server_fills", "parse_quantity", "canonical_quantity", "Quantity", "image_tag", "default_pull_policy"]
