"""Server-side validation of built-in kinds, with kube-apiserver's field paths and messages.

`validate(rt, obj, old=None)` returns the field errors the API server would report for `obj` (already
defaulted) on create, or on update when `old` (the stored object) is given. Metadata is checked for every
kind (kauth.api.names); the per-kind rules below follow, in upstream order where it matters:
- pkg/apis/core/validation/validation.go: Pod and PodSpec (containers, ports, env, volumes and mounts,
  probes, resources, security context, tolerations), pod templates, Pod updates, ReplicationController,
  Service (and Service updates), ConfigMap, Secret, Namespace, PersistentVolume(Claim), ResourceQuota;
- pkg/apis/apps/validation/validation.go: Deployment, ReplicaSet, DaemonSet, StatefulSet, plus the
  selector immutability their apps/v1 strategies add (pkg/registry/apps/*/strategy.go);
- pkg/apis/batch/validation/validation.go: Job, CronJob (schedules parsed as robfig/cron v3 parses them);
- pkg/apis/networking/validation/validation.go: Ingress, IngressClass, NetworkPolicy;
- pkg/apis/rbac/validation/validation.go: Role, ClusterRole, RoleBinding, ClusterRoleBinding;
- pkg/apis/policy/validation/validation.go: PodDisruptionBudget;
- pkg/registry/core/service/portallocator: the node port range message.
Kinds without rules here get metadata validation only. Values Go prints with %#v (maps, slices, structs)
are rendered the same way; where Go would print a pointer address, a fixed placeholder address is shown,
and the diff Go appends to "may not change fields" messages is a simplified rendering.
"""

from __future__ import annotations

import copy
import json
import re
import zoneinfo
from typing import Any, Callable, Iterable, Mapping

from kauth.api.defaults import Quantity, canonical_quantity, parse_quantity
from kauth.api.errors import (
    FieldError,
    GoRepr,
    duplicate,
    field_invalid,
    field_not_found,
    forbidden,
    not_supported,
    required,
    too_long,
)
from kauth.api.names import (
    FIELD_IMMUTABLE,
    IS_NEGATIVE_ERROR,
    go_label_selector,
    go_quote,
    go_string_map,
    go_string_slice,
    inclusive_range_error,
    is_config_map_key,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_domain_prefixed_path,
    is_http_header_name,
    is_path_segment_name,
    is_qualified_name,
    is_relaxed_env_var_name,
    is_valid_group_id,
    is_valid_ip,
    is_valid_percent,
    is_valid_port_name,
    is_valid_port_num,
    is_valid_user_id,
    is_wildcard_dns1123_subdomain,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    parse_ip_sloppy,
    selector_is_empty,
    selector_matches,
    validate_annotations,
    validate_label_name,
    validate_label_selector,
    validate_labels,
    validate_nonnegative,
    validate_object_meta,
)

Errors = list[FieldError]
MAX_INT32 = 2147483647
_FAKE_POINTER = "0xc000000000"  # Go prints pointer addresses; a stable stand-in keeps messages reproducible


def validate(rt: Any, obj: Mapping[str, Any], old: Mapping[str, Any] | None = None) -> list[FieldError]:
    """The field errors kube-apiserver reports for `obj` (create) or for replacing `old` with `obj` (update)."""
    key = (getattr(rt, "group", ""), getattr(rt, "kind", ""))
    errs = validate_object_meta(rt, obj, old)
    if old is not None and key in _REVALIDATE_META_ON_UPDATE:
        errs += validate_object_meta(rt, obj, None)
    kind_validator = _KINDS.get(key)
    if kind_validator is not None:
        errs += kind_validator(obj, old)
    return _unique(errs)


def _unique(errs: Iterable[FieldError]) -> list[FieldError]:
    out: list[FieldError] = []
    seen: set[str] = set()
    for e in errs:
        key = f"{e.type}|{e}"
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


# --- small helpers ---------------------------------------------------------------------------------


def _d(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list:
    return value if isinstance(value, list) else []


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _names(errs: list[str], path: str, value: Any) -> Errors:
    return [field_invalid(path, value, m) for m in errs]


def _dns_label(value: str, path: str) -> Errors:
    return _names(is_dns1123_label(value), path, value)


def _dns_subdomain(value: str, path: str) -> Errors:
    return _names(is_dns1123_subdomain(value), path, value)


def _qualified(value: str, path: str) -> Errors:
    return _names(is_qualified_name(value), path, value)


def _semantic(value: Any) -> Any:
    """apiequality.Semantic: empty and nil maps/slices compare equal; quantities compare by value."""
    if isinstance(value, dict):
        return {k: _semantic(v) for k, v in value.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def _go_intstr(value: Any) -> GoRepr:
    if _is_int(value):
        return GoRepr(f"intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:\"\"}}")
    return GoRepr(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(_s(value))}}}")


def _go_ptr(type_name: str, value: Any) -> str:
    return f"(*{type_name})(nil)" if value is None else f"(*{type_name})({_FAKE_POINTER})"


def _intstr_value(value: Any) -> int:
    """getIntOrPercentValue: a percentage's number, else IntOrString.IntValue() (0 when not a number)."""
    if isinstance(value, str):
        if not is_valid_percent(value):
            return int(value[:-1])
        try:
            return int(value)
        except ValueError:
            return 0
    return value if _is_int(value) else 0


# --- resources ---------------------------------------------------------------------------------------

_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_STANDARD_RESOURCES = {
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
    "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
    "services.nodeports", "services.loadbalancers",
}
_STANDARD_QUOTA_RESOURCES = _STANDARD_RESOURCES - {"storage"}
_INTEGER_RESOURCES = {"pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                      "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"}


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def _validate_resource_name(name: str, path: str) -> Errors:
    errs = _names(is_qualified_name(name), path, name)
    if errs:
        return errs
    if "/" not in name and name not in _STANDARD_RESOURCES and not _is_hugepages(name) \
            and not name.startswith("requests.hugepages-") and not name.startswith("limits.hugepages-"):
        return [field_invalid(path, name, "must be a standard resource type or fully qualified")]
    return []


def _validate_container_resource_name(name: str, path: str) -> Errors:
    errs = _validate_resource_name(name, path)
    if "/" not in name:
        if name not in _STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            errs.append(field_invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and (name.startswith("requests.") or is_qualified_name("requests." + name)):
        errs.append(field_invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _go_quantity(q: Quantity) -> str:
    """%#v of a resource.Quantity as ParseQuantity leaves it (an int64Amount: mantissa and decimal scale)."""
    sign, digits, exponent = q.value.normalize().as_tuple()
    mantissa = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    scale = int(exponent)
    if scale > 0:
        mantissa, scale = mantissa * 10 ** scale, 0
    return (f"resource.Quantity{{i:resource.int64Amount{{value:{mantissa}, scale:{scale}}}, "
            f"d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:\"\", Format:{go_quote(q.format)}}}")


def _quantity_value(name: str, q: Quantity, path: str) -> Errors:
    """ValidateResourceQuantityValue."""
    errs: Errors = []
    if q.value < 0:
        errs.append(field_invalid(path, canonical_quantity(q), IS_NEGATIVE_ERROR))
    if name in _INTEGER_RESOURCES and (q.value * 1000) % 1000 != 0:
        errs.append(field_invalid(path, GoRepr(_go_quantity(q)), "must be an integer"))
    return errs


def _validate_resource_requirements(resources: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    lim_path, req_path = f"{path}.limits", f"{path}.requests"
    limits, requests = _d(resources.get("limits")), _d(resources.get("requests"))
    lim_cpu_mem = req_cpu_mem = lim_huge = req_huge = False
    for name in sorted(limits):
        fld = f"{lim_path}[{name}]"
        errs += _validate_container_resource_name(name, fld)
        q = parse_quantity(limits[name])
        if q is not None:
            errs += _quantity_value(name, q, fld)
        lim_huge = lim_huge or _is_hugepages(name)
        lim_cpu_mem = lim_cpu_mem or name in ("cpu", "memory")
    for name in sorted(requests):
        fld = f"{req_path}[{name}]"
        errs += _validate_container_resource_name(name, fld)
        q = parse_quantity(requests[name])
        if q is not None:
            errs += _quantity_value(name, q, fld)
        limit = parse_quantity(limits.get(name)) if name in limits else None
        if q is not None and limit is not None:
            if q.value != limit.value and not _overcommit_allowed(name):
                errs.append(field_invalid(req_path, canonical_quantity(q),
                                          f"must be equal to {name} limit of {canonical_quantity(limit)}"))
            elif q.value > limit.value:
                errs.append(field_invalid(req_path, canonical_quantity(q),
                                          f"must be less than or equal to {name} limit of "
                                          f"{canonical_quantity(limit)}"))
        elif name not in limits and not _overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        req_huge = req_huge or _is_hugepages(name)
        req_cpu_mem = req_cpu_mem or name in ("cpu", "memory")
    if not lim_cpu_mem and not req_cpu_mem and (req_huge or lim_huge):
        errs.append(forbidden(path, "HugePages require cpu or memory"))
    return errs


# --- containers ---------------------------------------------------------------------------------------

_PROTOCOLS = ["SCTP", "TCP", "UDP"]


def _validate_port_num_or_name(port: Any, path: str) -> Errors:
    if _is_int(port):
        return _names(is_valid_port_num(port), path, port)
    if isinstance(port, str):
        return _names(is_valid_port_name(port), path, port)
    return [field_invalid(path, port, "must be an integer or a port name")] if port is not None else \
        _names(is_valid_port_num(0), path, 0)


def _validate_container_ports(ports: list, path: str) -> Errors:
    errs: Errors = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        idx = f"{path}[{i}]"
        name = _s(port.get("name"))
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += _names(msgs, f"{idx}.name", name)
            elif name in names:
                errs.append(duplicate(f"{idx}.name", name))
            else:
                names.add(name)
        container_port = port.get("containerPort") or 0
        if container_port == 0:
            errs.append(required(f"{idx}.containerPort"))
        else:
            errs += _names(is_valid_port_num(container_port) if _is_int(container_port) else [inclusive_range_error(1, 65535)],
                           f"{idx}.containerPort", container_port)
        host_port = port.get("hostPort") or 0
        if host_port:
            errs += _names(is_valid_port_num(host_port) if _is_int(host_port) else [inclusive_range_error(1, 65535)],
                           f"{idx}.hostPort", host_port)
        protocol = _s(port.get("protocol"))
        if not protocol:
            errs.append(required(f"{idx}.protocol"))
        elif protocol not in _PROTOCOLS:
            errs.append(not_supported(f"{idx}.protocol", protocol, _PROTOCOLS))
    return errs


_ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
_VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid"]
_DOWNWARD_LABELS = {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                    "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
                    "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
                    "status.podIPs"}
_RESOURCE_FIELD_PATHS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                         "requests.ephemeral-storage", "requests.memory"]


def _split_subscript(field_path: str) -> tuple[str, str] | None:
    if not field_path.endswith("']"):
        return None
    parts = field_path[:-2].split("['", 1)
    if len(parts) < 2 or not parts[0]:
        return None
    return parts[0], parts[1]


def _validate_object_field_selector(ref: Mapping[str, Any], expressions: list[str], path: str) -> Errors:
    api_version, field_path = _s(ref.get("apiVersion")), _s(ref.get("fieldPath"))
    if not api_version:
        return [required(f"{path}.apiVersion")]
    if not field_path:
        return [required(f"{path}.fieldPath")]
    # pods.ConvertDownwardAPIFieldLabel
    sub = _split_subscript(field_path)
    if api_version != "v1":
        return [field_invalid(f"{path}.fieldPath", field_path,
                              f"error converting fieldPath: unsupported pod version: {api_version}")]
    if sub is not None and sub[0] not in ("metadata.annotations", "metadata.labels"):
        return [field_invalid(f"{path}.fieldPath", field_path, "error converting fieldPath: field label does not "
                              f"support subscript: {field_path}")]
    if sub is None and field_path not in _DOWNWARD_LABELS and field_path != "spec.host":
        return [field_invalid(f"{path}.fieldPath", field_path,
                              f"error converting fieldPath: field label not supported: {field_path}")]
    if field_path == "spec.host":
        field_path = "spec.nodeName"
    if sub is not None:
        name, subscript = sub
        if name == "metadata.annotations":
            return _qualified(subscript.lower(), path)
        return _qualified(subscript, path)
    if field_path not in expressions:
        return [not_supported(f"{path}.fieldPath", field_path, expressions)]
    return []


def _validate_resource_field_selector(ref: Mapping[str, Any], path: str, volume: bool) -> Errors:
    resource = _s(ref.get("resource"))
    if volume and not ref.get("containerName"):
        return [required(f"{path}.containerName")]
    if not resource:
        return [required(f"{path}.resource")]
    if resource not in _RESOURCE_FIELD_PATHS and not resource.startswith(("limits.hugepages-",
                                                                          "requests.hugepages-")):
        return [not_supported(f"{path}.resource", resource, _RESOURCE_FIELD_PATHS)]
    return []


def _validate_key_selector(ref: Mapping[str, Any], path: str) -> Errors:
    name = _s(ref.get("name"))
    errs = _names(name_is_dns_subdomain(name), f"{path}.name", name)
    key = _s(ref.get("key"))
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += _names(is_config_map_key(key), f"{path}.key", key)
    return errs


def _validate_env(env: list, path: str) -> Errors:
    errs: Errors = []
    for i, var in enumerate(env):
        var = _d(var)
        idx = f"{path}[{i}]"
        name = _s(var.get("name"))
        if not name:
            errs.append(required(f"{idx}.name"))
        else:
            errs += _names(is_relaxed_env_var_name(name), f"{idx}.name", name)
        value_from = var.get("valueFrom")
        if value_from is None:
            continue
        value_from = _d(value_from)
        vpath = f"{idx}.valueFrom"
        sources = 0
        if value_from.get("fieldRef") is not None:
            sources += 1
            errs += _validate_object_field_selector(_d(value_from["fieldRef"]), _ENV_FIELD_PATHS, f"{vpath}.fieldRef")
        if value_from.get("resourceFieldRef") is not None:
            sources += 1
            errs += _validate_resource_field_selector(_d(value_from["resourceFieldRef"]),
                                                      f"{vpath}.resourceFieldRef", False)
        if value_from.get("configMapKeyRef") is not None:
            sources += 1
            errs += _validate_key_selector(_d(value_from["configMapKeyRef"]), f"{vpath}.configMapKeyRef")
        if value_from.get("secretKeyRef") is not None:
            sources += 1
            errs += _validate_key_selector(_d(value_from["secretKeyRef"]), f"{vpath}.secretKeyRef")
        if sources == 0:
            errs.append(field_invalid(vpath, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                      "`configMapKeyRef` or `secretKeyRef`"))
        elif _s(var.get("value")):
            errs.append(field_invalid(vpath, "", "may not be specified when `value` is not empty"))
        elif sources > 1:
            errs.append(field_invalid(vpath, "", "may not have more than one field specified at a time"))
    return errs


def _validate_env_from(env_from: list, path: str) -> Errors:
    errs: Errors = []
    for i, source in enumerate(env_from):
        source = _d(source)
        idx = f"{path}[{i}]"
        prefix = _s(source.get("prefix"))
        if prefix:
            errs += _names(is_relaxed_env_var_name(prefix), f"{idx}.prefix", prefix)
        count = 0
        for key in ("configMapRef", "secretRef"):
            if source.get(key) is not None:
                count += 1
                name = _s(_d(source[key]).get("name"))
                if not name:
                    errs.append(required(f"{idx}.{key}.name"))
                else:
                    errs += _names(name_is_dns_subdomain(name, True), f"{idx}.{key}.name", name)
        if count == 0:
            errs.append(field_invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(field_invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _is_abs(path: str) -> bool:
    return path.startswith("/")


def _validate_path_no_backsteps(target: str, path: str) -> Errors:
    if ".." in target.replace("\\", "/").split("/"):
        return [field_invalid(path, target, "must not contain '..'")]
    return []


def _validate_local_descending_path(target: str, path: str) -> Errors:
    errs: Errors = []
    if _is_abs(target):
        errs.append(field_invalid(path, target, "must be a relative path"))
    return errs + _validate_path_no_backsteps(target, path)


def _validate_local_non_reserved_path(target: str, path: str) -> Errors:
    errs = _validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(field_invalid(path, target, "must not start with '..'"))
    return errs


def _validate_volume_mounts(mounts: list, devices: Mapping[str, str], volumes: Mapping[str, dict],
                            container: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    mount_points: set[str] = set()
    for i, mount in enumerate(mounts):
        mount = _d(mount)
        idx = f"{path}[{i}]"
        name, mount_path = _s(mount.get("name")), _s(mount.get("mountPath"))
        if not name:
            errs.append(required(f"{idx}.name"))
        if name not in volumes:
            errs.append(field_not_found(f"{idx}.name", name))
        if not mount_path:
            errs.append(required(f"{idx}.mountPath"))
        if mount_path in mount_points:
            errs.append(field_invalid(f"{idx}.mountPath", mount_path, "must be unique"))
        mount_points.add(mount_path)
        if name in devices:
            errs.append(field_invalid(f"{idx}.name", name, "must not already exist in volumeDevices"))
        if mount_path in devices.values():
            errs.append(field_invalid(f"{idx}.mountPath", mount_path, "must not already exist as a path in "
                                      "volumeDevices"))
        sub_path, sub_path_expr = _s(mount.get("subPath")), _s(mount.get("subPathExpr"))
        if sub_path:
            errs += _validate_local_descending_path(sub_path, f"{path}.subPath")
        if sub_path_expr:
            if sub_path:
                errs.append(field_invalid(f"{idx}.subPathExpr", sub_path_expr, "subPathExpr and subPath are "
                                          "mutually exclusive"))
            errs += _validate_local_descending_path(sub_path_expr, f"{path}.subPathExpr")
        propagation = mount.get("mountPropagation")
        if propagation is not None:
            supported = ["Bidirectional", "HostToContainer", "None"]
            if propagation not in supported:
                errs.append(not_supported(f"{path}.mountPropagation", propagation, supported))
            privileged = _d(container.get("securityContext")).get("privileged") is True
            if propagation == "Bidirectional" and not privileged:
                errs.append(forbidden(f"{path}.mountPropagation",
                                      "Bidirectional mount propagation is available only to privileged containers"))
    return errs


def _validate_volume_devices(devices: list, mounts: Mapping[str, str], volumes: Mapping[str, dict],
                             path: str) -> Errors:
    errs: Errors = []
    seen_paths: set[str] = set()
    seen_names: set[str] = set()
    for i, dev in enumerate(devices):
        dev = _d(dev)
        idx = f"{path}[{i}]"
        name, dev_path = _s(dev.get("name")), _s(dev.get("devicePath"))
        source = volumes.get(name)
        if not name:
            errs.append(required(f"{idx}.name"))
        if name in seen_names:
            errs.append(field_invalid(f"{idx}.name", name, "must be unique"))
        if source is not None and source.get("persistentVolumeClaim") is None and source.get("ephemeral") is None:
            errs.append(field_invalid(f"{idx}.name", name, "can only use volume source type of "
                                      "PersistentVolumeClaim or Ephemeral for block mode"))
        if source is None:
            errs.append(field_not_found(f"{idx}.name", name))
        if not dev_path:
            errs.append(required(f"{idx}.devicePath"))
        if dev_path in seen_paths:
            errs.append(field_invalid(f"{idx}.devicePath", dev_path, "must be unique"))
        if dev_path and _validate_path_no_backsteps(dev_path, ""):
            errs.append(field_invalid(f"{idx}.devicePath", dev_path, "can not contain backsteps ('..')"))
        else:
            seen_paths.add(dev_path)
        if name in mounts:
            errs.append(field_invalid(f"{idx}.name", name, "must not already exist in volumeMounts"))
        if dev_path in mounts.values():
            errs.append(field_invalid(f"{idx}.devicePath", dev_path, "must not already exist as a path in "
                                      "volumeMounts"))
        if name:
            seen_names.add(name)
    return errs


def _validate_handler(handler: Mapping[str, Any], grace: Any, path: str, kinds: tuple[str, ...]) -> Errors:
    errs: Errors = []
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if action is None:
            continue
        if count > 0:
            errs.append(forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        count += 1
        action = _d(action)
        apath = f"{path}.{kind}"
        if kind == "exec":
            if not _l(action.get("command")):
                errs.append(required(f"{apath}.command"))
        elif kind == "httpGet":
            if not action.get("path"):
                errs.append(required(f"{apath}.path"))
            errs += _validate_port_num_or_name(action.get("port"), f"{apath}.port")
            scheme = _s(action.get("scheme"))
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(not_supported(f"{apath}.scheme", scheme, ["HTTP", "HTTPS"]))
            for header in _l(action.get("httpHeaders")):
                header_name = _s(_d(header).get("name"))
                errs += _names(is_http_header_name(header_name), f"{apath}.httpHeaders", header_name)
        elif kind == "tcpSocket":
            errs += _validate_port_num_or_name(action.get("port"), f"{apath}.port")
        elif kind == "grpc":
            port = action.get("port", 0)
            errs += _names(is_valid_port_num(port) if _is_int(port) else [inclusive_range_error(1, 65535)],
                           f"{apath}.port", port)
        elif kind == "sleep":
            seconds = action.get("seconds", 0)
            if _is_int(grace) and _is_int(seconds) and (seconds < 0 or seconds > grace):
                errs.append(field_invalid(apath, seconds, "must be non-negative and less than "
                                          f"terminationGracePeriodSeconds ({grace})"))
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def _validate_probe(probe: Mapping[str, Any], grace: Any, path: str) -> Errors:
    errs = _validate_handler(probe, grace, path, _PROBE_HANDLERS)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs += validate_nonnegative(probe.get(key, 0), f"{path}.{key}")
    tgps = probe.get("terminationGracePeriodSeconds")
    if _is_int(tgps) and tgps <= 0:
        errs.append(field_invalid(f"{path}.terminationGracePeriodSeconds", tgps, "must be greater than 0"))
    return errs


def _validate_probes(c: Mapping[str, Any], grace: Any, path: str) -> Errors:
    errs: Errors = []
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = c.get(kind)
        if probe is None:
            continue
        probe = _d(probe)
        ppath = f"{path}.{kind}"
        errs += _validate_probe(probe, grace, ppath)
        if kind == "readinessProbe":
            if probe.get("terminationGracePeriodSeconds") is not None:
                errs.append(field_invalid(f"{ppath}.terminationGracePeriodSeconds",
                                          probe["terminationGracePeriodSeconds"],
                                          "must not be set for readinessProbes"))
        elif probe.get("successThreshold", 0) != 1:
            errs.append(field_invalid(f"{ppath}.successThreshold", probe.get("successThreshold", 0), "must be 1"))
    return errs


def _validate_lifecycle(lifecycle: Mapping[str, Any], grace: Any, path: str) -> Errors:
    errs: Errors = []
    for hook in ("postStart", "preStop"):
        if lifecycle.get(hook) is not None:
            errs += _validate_handler(_d(lifecycle[hook]), grace, f"{path}.{hook}", _LIFECYCLE_HANDLERS)
    return errs


def _validate_security_context(sc: Any, path: str, host_users: bool) -> Errors:
    if not isinstance(sc, dict):
        return []
    errs: Errors = []
    for key in ("runAsUser", "runAsGroup"):
        value = sc.get(key)
        if _is_int(value):
            check = is_valid_user_id if key == "runAsUser" else is_valid_group_id
            errs += _names(check(value), f"{path}.{key}", value)
    proc_mount = sc.get("procMount")
    if proc_mount is not None:
        if proc_mount not in ("Default", "Unmasked"):
            errs.append(not_supported(f"{path}.procMount", proc_mount, ["Default", "Unmasked"]))
        if host_users and proc_mount == "Unmasked":
            errs.append(field_invalid(f"{path}.procMount", proc_mount, "`hostUsers` must be false to use `Unmasked`"))
    errs += _validate_seccomp_profile(sc.get("seccompProfile"), f"{path}.seccompProfile")
    if sc.get("allowPrivilegeEscalation") is False and sc.get("privileged") is True:
        errs.append(field_invalid(path, GoRepr(_go_security_context(sc)),
                                  "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
    return errs


def _go_security_context(sc: Mapping[str, Any]) -> str:
    fields = ["Capabilities:" + _go_ptr("core.Capabilities", sc.get("capabilities")),
              "Privileged:" + _go_ptr("bool", sc.get("privileged")),
              "SELinuxOptions:" + _go_ptr("core.SELinuxOptions", sc.get("seLinuxOptions")),
              "WindowsOptions:" + _go_ptr("core.WindowsSecurityContextOptions", sc.get("windowsOptions")),
              "RunAsUser:" + _go_ptr("int64", sc.get("runAsUser")),
              "RunAsGroup:" + _go_ptr("int64", sc.get("runAsGroup")),
              "RunAsNonRoot:" + _go_ptr("bool", sc.get("runAsNonRoot")),
              "ReadOnlyRootFilesystem:" + _go_ptr("bool", sc.get("readOnlyRootFilesystem")),
              "AllowPrivilegeEscalation:" + _go_ptr("bool", sc.get("allowPrivilegeEscalation")),
              "ProcMount:" + _go_ptr("core.ProcMountType", sc.get("procMount")),
              "SeccompProfile:" + _go_ptr("core.SeccompProfile", sc.get("seccompProfile")),
              "AppArmorProfile:" + _go_ptr("core.AppArmorProfile", sc.get("appArmorProfile"))]
    return "&core.SecurityContext{" + ", ".join(fields) + "}"


def _validate_seccomp_profile(profile: Any, path: str) -> Errors:
    if not isinstance(profile, dict):
        return []
    errs: Errors = []
    kind = _s(profile.get("type"))
    supported = ["Localhost", "RuntimeDefault", "Unconfined"]
    if not kind:
        errs.append(required(f"{path}.type", "type is required when seccompProfile is set"))
    elif kind not in supported:
        errs.append(not_supported(f"{path}.type", kind, supported))
    if kind == "Localhost":
        if profile.get("localhostProfile") is None:
            errs.append(required(f"{path}.localhostProfile", "must be set when seccomp type is Localhost"))
        else:
            errs += _validate_local_descending_path(_s(profile["localhostProfile"]), f"{path}.localhostProfile")
    elif profile.get("localhostProfile") is not None:
        rendered = (f"&core.SeccompProfile{{Type:{go_quote(kind)}, "
                    f"LocalhostProfile:{_go_ptr('string', profile.get('localhostProfile'))}}}")
        errs.append(field_invalid(f"{path}.localhostProfile", GoRepr(rendered),
                                  "can only be set when seccomp type is Localhost"))
    return errs


def _validate_container_common(c: Mapping[str, Any], volumes: Mapping[str, dict], path: str,
                               restart_policy: str, host_users: bool) -> Errors:
    errs: Errors = []
    name = _s(c.get("name"))
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += _dns_label(name, f"{path}.name")
    if not c.get("image"):
        errs.append(required(f"{path}.image"))
    policy = _s(c.get("terminationMessagePolicy"))
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy, ["File", "FallbackToLogsOnError"]))
    mounts = {_s(_d(m).get("name")): _s(_d(m).get("mountPath")) for m in _l(c.get("volumeMounts"))}
    devices = {_s(_d(d).get("name")): _s(_d(d).get("devicePath")) for d in _l(c.get("volumeDevices"))}
    errs += _validate_container_ports(_l(c.get("ports")), f"{path}.ports")
    errs += _validate_env(_l(c.get("env")), f"{path}.env")
    errs += _validate_env_from(_l(c.get("envFrom")), f"{path}.envFrom")
    errs += _validate_volume_mounts(_l(c.get("volumeMounts")), devices, volumes, c, f"{path}.volumeMounts")
    errs += _validate_volume_devices(_l(c.get("volumeDevices")), mounts, volumes, f"{path}.volumeDevices")
    pull = _s(c.get("imagePullPolicy"))
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in ("Always", "IfNotPresent", "Never"):
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, ["Always", "IfNotPresent", "Never"]))
    errs += _validate_resource_requirements(_d(c.get("resources")), f"{path}.resources")
    errs += _validate_resize_policy(_l(c.get("resizePolicy")), f"{path}.resizePolicy", restart_policy)
    errs += _validate_security_context(c.get("securityContext"), f"{path}.securityContext", host_users)
    return errs


def _validate_resize_policy(policies: list, path: str, restart_policy: str) -> Errors:
    errs: Errors = []
    seen: set[str] = set()
    for i, policy in enumerate(policies):
        policy = _d(policy)
        resource, restart = _s(policy.get("resourceName")), _s(policy.get("restartPolicy"))
        if resource in seen:
            errs.append(duplicate(f"{path}[{i}]", resource))
        seen.add(resource)
        if not resource:
            errs.append(required(path))
        elif resource not in ("cpu", "memory"):
            errs.append(not_supported(path, resource, ["cpu", "memory"]))
        if not restart:
            errs.append(required(path))
        elif restart not in ("NotRequired", "RestartContainer"):
            errs.append(not_supported(path, restart, ["NotRequired", "RestartContainer"]))
        if restart_policy == "Never" and restart != "NotRequired":
            errs.append(field_invalid(path, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs


def _host_port_conflicts(containers: list, path: str) -> Errors:
    errs: Errors = []
    seen: set[str] = set()
    for ci, c in enumerate(containers):
        for pi, port in enumerate(_l(_d(c).get("ports"))):
            port = _d(port)
            host_port = port.get("hostPort") or 0
            if not host_port:
                continue
            key = f"{_s(port.get('protocol'))}/{_s(port.get('hostIP'))}/{host_port}"
            if key in seen:
                errs.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            else:
                seen.add(key)
    return errs


def _validate_containers(containers: list, volumes: Mapping[str, dict], grace: Any, path: str,
                         restart_policy: str, host_users: bool) -> Errors:
    if not containers:
        return [required(path)]
    errs: Errors = []
    names: set[str] = set()
    for i, c in enumerate(containers):
        c = _d(c)
        cpath = f"{path}[{i}]"
        errs += _validate_container_common(c, volumes, cpath, restart_policy, host_users)
        name = _s(c.get("name"))
        if name in names:
            errs.append(duplicate(f"{cpath}.name", name))
        else:
            names.add(name)
        if c.get("lifecycle") is not None:
            errs += _validate_lifecycle(_d(c["lifecycle"]), grace, f"{cpath}.lifecycle")
        errs += _validate_probes(c, grace, cpath)
        if c.get("restartPolicy") is not None:
            errs.append(forbidden(f"{cpath}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, path)


def _validate_init_containers(init: list, regular: list, volumes: Mapping[str, dict], grace: Any, path: str,
                              restart_policy: str, host_users: bool) -> Errors:
    errs: Errors = []
    names = {_s(_d(c).get("name")) for c in regular}
    for i, c in enumerate(init):
        c = _d(c)
        cpath = f"{path}[{i}]"
        errs += _validate_container_common(c, volumes, cpath, restart_policy, host_users)
        always = False
        if c.get("restartPolicy") is not None:
            if c["restartPolicy"] != "Always":
                errs.append(not_supported(f"{cpath}.restartPolicy", c["restartPolicy"], ["Always"]))
            always = c["restartPolicy"] == "Always"
        name = _s(c.get("name"))
        if name in names:
            errs.append(duplicate(f"{cpath}.name", name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([c], path)
        if always:
            if c.get("lifecycle") is not None:
                errs += _validate_lifecycle(_d(c["lifecycle"]), grace, f"{cpath}.lifecycle")
            errs += _validate_probes(c, grace, cpath)
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if c.get(key) is not None:
                    errs.append(forbidden(f"{cpath}.{key}", "may not be set for init containers without "
                                          "restartPolicy=Always"))
    return errs


# --- volumes ------------------------------------------------------------------------------------------

# The order ValidateVolumes checks volume sources in; (JSON key, path used in its errors).
_VOLUME_SOURCE_ORDER = (
    ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"), ("cinder", "cinder"),
    ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"), ("fc", "fc"),
    ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("storageos", "storageos"),
    ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"),
    ("image", "image"),
)
_FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
_HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate",
                    "Socket"]


def _validate_mode(mode: Any, path: str) -> Errors:
    if _is_int(mode) and (mode > 0o777 or mode < 0):
        return [field_invalid(path, mode, _FILE_MODE_ERROR)]
    return []


def _validate_key_to_paths(items: list, path: str) -> Errors:
    errs: Errors = []
    for i, item in enumerate(items):
        errs += _validate_key_to_path_at(_d(item), f"{path}[{i}]")
    return errs


def _validate_downward_file(item: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    if not item.get("path"):
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(_s(item.get("path")), f"{path}.path")
    if item.get("fieldRef") is not None:
        errs += _validate_object_field_selector(_d(item["fieldRef"]), _VOLUME_FIELD_PATHS, f"{path}.fieldRef")
        if item.get("resourceFieldRef") is not None:
            errs.append(field_invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified "
                                      "simultaneously"))
    elif item.get("resourceFieldRef") is not None:
        errs += _validate_resource_field_selector(_d(item["resourceFieldRef"]), f"{path}.resourceFieldRef", True)
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return errs + _validate_mode(item.get("mode"), f"{path}.mode")


def _validate_source(kind: str, src: Mapping[str, Any], path: str, pod_name: str, vol_name: str) -> Errors:
    errs: Errors = []
    if kind == "hostPath":
        if not src.get("path"):
            return [required(f"{path}.path")]
        errs += _validate_path_no_backsteps(_s(src["path"]), f"{path}.path")
        if src.get("type") is not None and src["type"] not in _HOST_PATH_TYPES:
            errs.append(not_supported(f"{path}.type", src["type"], _HOST_PATH_TYPES))
    elif kind == "gitRepo":
        if not src.get("repository"):
            errs.append(required(f"{path}.repository"))
        errs += _validate_local_descending_path(_s(src.get("directory")), f"{path}.directory")
    elif kind == "secret":
        if not src.get("secretName"):
            errs.append(required(f"{path}.secretName"))
        errs += _validate_mode(src.get("defaultMode"), f"{path}.defaultMode")
        errs += _validate_key_to_paths(_l(src.get("items")), f"{path}.items")
    elif kind == "configMap":
        if not src.get("name"):
            errs.append(required(f"{path}.name"))
        errs += _validate_mode(src.get("defaultMode"), f"{path}.defaultMode")
        errs += _validate_key_to_paths(_l(src.get("items")), f"{path}.items")
    elif kind == "nfs":
        if not src.get("server"):
            errs.append(required(f"{path}.server"))
        if not src.get("path"):
            errs.append(required(f"{path}.path"))
        if not _is_abs(_s(src.get("path"))):
            errs.append(field_invalid(f"{path}.path", _s(src.get("path")), "must be an absolute path"))
    elif kind == "persistentVolumeClaim":
        if not src.get("claimName"):
            errs.append(required(f"{path}.claimName"))
    elif kind == "downwardAPI":
        errs += _validate_mode(src.get("defaultMode"), f"{path}.defaultMode")
        for item in _l(src.get("items")):
            errs += _validate_downward_file(_d(item), path)
    elif kind == "projected":
        errs += _validate_mode(src.get("defaultMode"), f"{path}.defaultMode")
        errs += _validate_projection_sources(_l(src.get("sources")), path)
    elif kind == "csi":
        driver = _s(src.get("driver"))
        if not driver:
            errs.append(required(f"{path}.driver"))
        if len(driver) > 63:
            errs.append(too_long(f"{path}.driver", 63))
        errs += _names(is_dns1123_subdomain(driver.lower()), f"{path}.driver", driver)
    elif kind == "ephemeral":
        template = src.get("volumeClaimTemplate")
        if template is None:
            errs.append(required(f"{path}.volumeClaimTemplate"))
        else:
            template = _d(template)
            tpath = f"{path}.volumeClaimTemplate"
            tmeta = _d(template.get("metadata"))
            errs += validate_annotations(tmeta.get("annotations"), f"{tpath}.metadata.annotations")
            errs += validate_labels(tmeta.get("labels"), f"{tpath}.metadata.labels")
            for key in sorted(tmeta):
                if key not in ("annotations", "labels"):
                    errs.append(forbidden(f"{tpath}.metadata.{key}", "cannot be set"))
            errs += _validate_pvc_spec(_d(template.get("spec")), f"{tpath}.spec")
        if pod_name and vol_name:
            pvc_name = f"{pod_name}-{vol_name}"
            for msg in name_is_dns_subdomain(pvc_name):
                errs.append(field_invalid(f"{path}.name", vol_name, f"PVC name {go_quote(pvc_name)}: {msg}"))
    elif kind == "image":
        pull = _s(src.get("pullPolicy"))
        if not pull:
            errs.append(required(f"{path}.pullPolicy"))
        elif pull not in ("Always", "IfNotPresent", "Never"):
            errs.append(not_supported(f"{path}.pullPolicy", pull, ["Always", "IfNotPresent", "Never"]))
    return errs


def _validate_projection_sources(sources: list, path: str) -> Errors:
    errs: Errors = []
    paths: set[str] = set()
    for i, source in enumerate(sources):
        source = _d(source)
        spath = f"{path}.sources[{i}]"
        count = 0
        for kind in ("secret", "configMap"):
            if source.get(kind) is None:
                continue
            count += 1
            ref = _d(source[kind])
            if not ref.get("name"):
                errs.append(required(f"{spath}.{kind}.name"))
            for j, item in enumerate(_l(ref.get("items"))):
                item = _d(item)
                errs += _validate_key_to_path_at(item, f"{spath}.{kind}.items[{j}]")
                if item.get("path"):
                    if _s(item["path"]) in paths:
                        errs.append(field_invalid(path, _s(ref.get("name")), "conflicting duplicate paths"))
                    paths.add(_s(item["path"]))
        if source.get("downwardAPI") is not None:
            count += 1
            for item in _l(_d(source["downwardAPI"]).get("items")):
                item = _d(item)
                errs += _validate_downward_file(item, f"{spath}.downwardAPI")
                if item.get("path"):
                    if _s(item["path"]) in paths:
                        errs.append(field_invalid(path, _s(item["path"]), "conflicting duplicate paths"))
                    paths.add(_s(item["path"]))
        if source.get("serviceAccountToken") is not None:
            count += 1
            token = _d(source["serviceAccountToken"])
            seconds = token.get("expirationSeconds", 0)
            if _is_int(seconds) and seconds < 600:
                errs.append(field_invalid(f"{spath}.serviceAccountToken.expirationSeconds", seconds,
                                          "may not specify a duration less than 10 minutes"))
            if _is_int(seconds) and seconds > 1 << 32:
                errs.append(field_invalid(f"{spath}.serviceAccountToken.expirationSeconds", seconds,
                                          "may not specify a duration larger than 2^32 seconds"))
            if not token.get("path"):
                errs.append(required(f"{path}.path"))
            else:
                errs += _validate_local_non_reserved_path(_s(token["path"]), f"{path}.path")
        if source.get("clusterTrustBundle") is not None:
            count += 1
        if count > 1:
            errs.append(forbidden(spath, "may not specify more than 1 volume type per source"))
    return errs


def _validate_key_to_path_at(item: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    if not item.get("key"):
        errs.append(required(f"{path}.key"))
    if not item.get("path"):
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(_s(item.get("path")), f"{path}.path")
    return errs + _validate_mode(item.get("mode"), f"{path}.mode")


def _validate_volumes(volumes: list, path: str, pod_name: str) -> tuple[dict[str, dict], Errors]:
    errs: Errors = []
    names: set[str] = set()
    valid: dict[str, dict] = {}
    created_pvcs = {f"{pod_name}-{_s(_d(v).get('name'))}" for v in volumes
                    if pod_name and _d(v).get("ephemeral") is not None}
    for i, volume in enumerate(volumes):
        volume = _d(volume)
        idx = f"{path}[{i}]"
        name = _s(volume.get("name"))
        el: Errors = []
        count = 0
        for key, err_key in _VOLUME_SOURCE_ORDER:
            if volume.get(key) is None:
                continue
            if count > 0:
                el.append(forbidden(f"{idx}.{err_key}", "may not specify more than 1 volume type"))
                continue
            count += 1
            el += _validate_source(key, _d(volume[key]), f"{idx}.{key}", pod_name, name)
        if count == 0:
            el.append(required(idx, "must specify a volume type"))
        if not name:
            el.append(required(f"{idx}.name"))
        else:
            el += _dns_label(name, f"{idx}.name")
        if name in names:
            el.append(duplicate(f"{idx}.name", name))
        if not el:
            names.add(name)
            valid[name] = volume
        else:
            errs += el
        claim = _d(volume.get("persistentVolumeClaim"))
        if claim and _s(claim.get("claimName")) in created_pvcs:
            errs.append(field_invalid(f"{idx}.persistentVolumeClaim.claimName", _s(claim.get("claimName")),
                                      "must not reference a PVC that gets created for an ephemeral volume"))
    return valid, errs


# --- pod spec -----------------------------------------------------------------------------------------

_RESTART_POLICIES = ["Always", "OnFailure", "Never"]
_DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]


def _validate_tolerations(tolerations: list, path: str) -> Errors:
    errs: Errors = []
    for i, tol in enumerate(tolerations):
        tol = _d(tol)
        idx = f"{path}[{i}]"
        key, op, effect, value = _s(tol.get("key")), _s(tol.get("operator")), _s(tol.get("effect")), \
            _s(tol.get("value"))
        if key:
            errs += validate_label_name(key, f"{idx}.key")
        if not key and op != "Exists":
            errs.append(field_invalid(f"{idx}.operator", op, "operator must be Exists when `key` is empty, which "
                                      "means \"match all values and all keys\""))
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(field_invalid(f"{idx}.effect", effect, "effect must be 'NoExecute' when "
                                      "`tolerationSeconds` is set"))
        if op in ("Equal", ""):
            from kauth.api.names import is_label_value
            msgs = is_label_value(value)
            if msgs:
                errs.append(field_invalid(f"{idx}.operator", value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(field_invalid(f"{idx}.operator", value, "value must be empty when `operator` is "
                                          "'Exists'"))
        else:
            errs.append(not_supported(f"{idx}.operator", op, ["Equal", "Exists"]))
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(f"{idx}.effect", effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]))
    return errs


def _validate_pod_security_context(sc: Any, path: str) -> Errors:
    if not isinstance(sc, dict):
        return []
    errs: Errors = []
    for key, check in (("fsGroup", is_valid_group_id), ("runAsUser", is_valid_user_id),
                       ("runAsGroup", is_valid_group_id)):
        value = sc.get(key)
        if _is_int(value):
            errs += _names(check(value), f"{path}.{key}", value)
    for i, gid in enumerate(_l(sc.get("supplementalGroups"))):
        if _is_int(gid):
            errs += _names(is_valid_group_id(gid), f"{path}.supplementalGroups[{i}]", gid)
    policy = sc.get("fsGroupChangePolicy")
    if policy is not None and policy not in ("Always", "OnRootMismatch"):
        errs.append(not_supported(f"{path}.fsGroupChangePolicy", policy, ["Always", "OnRootMismatch"]))
    errs += _validate_seccomp_profile(sc.get("seccompProfile"), f"{path}.seccompProfile")
    return errs


def _validate_dns_config(config: Any, dns_policy: str, path: str) -> Errors:
    if dns_policy == "None":
        if config is None:
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not _l(_d(config).get("nameservers")):
            return [required(f"{path}.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` "
                             "is None")]
    if config is None:
        return []
    config = _d(config)
    errs: Errors = []
    nameservers = _l(config.get("nameservers"))
    if len(nameservers) > 3:
        errs.append(field_invalid(f"{path}.nameservers", go_string_slice(nameservers),
                                  "must not have more than 3 nameservers"))
    for i, ns in enumerate(nameservers):
        errs += is_valid_ip(f"{path}.nameservers[{i}]", _s(ns))
    searches = _l(config.get("searches"))
    if len(searches) > 32:
        errs.append(field_invalid(f"{path}.searches", go_string_slice(searches), "must not have more than 32 "
                                  "search paths"))
    for i, search in enumerate(searches):
        search = _s(search)
        if search != ".":
            search = search.removesuffix(".")
            # AllowRelaxedDNSSearchValidation: underscores are accepted
            pattern = re.compile(r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*\Z")
            if len(search) > 253 or not pattern.match(search):
                errs += _names(is_dns1123_subdomain(search.replace("_", "a")) or [
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' "
                    "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
                    "used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*"
                    "[a-z0-9])?)*')"], f"{path}.searches[{i}]", search)
    for i, option in enumerate(_l(config.get("options"))):
        if not _d(option).get("name"):
            errs.append(required(f"{path}.options[{i}]", "must not be empty"))
    return errs


def _validate_topology_spread(constraints: list, path: str) -> Errors:
    errs: Errors = []
    for i, c in enumerate(constraints):
        c = _d(c)
        idx = f"{path}[{i}]"
        skew = c.get("maxSkew", 0)
        if _is_int(skew) and skew <= 0:
            errs.append(field_invalid(f"{idx}.maxSkew", skew, "must be greater than zero"))
        if not c.get("topologyKey"):
            errs.append(required(f"{idx}.topologyKey", "can not be empty"))
        action = _s(c.get("whenUnsatisfiable"))
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(not_supported(f"{idx}.whenUnsatisfiable", action, ["DoNotSchedule", "ScheduleAnyway"]))
        errs += validate_label_selector(c.get("labelSelector"), f"{idx}.labelSelector")
    return errs


def _validate_affinity(affinity: Any, path: str) -> Errors:
    if not isinstance(affinity, dict):
        return []
    errs: Errors = []
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        required_terms = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        npath = f"{path}.nodeAffinity"
        if isinstance(required_terms, dict):
            terms = _l(required_terms.get("nodeSelectorTerms"))
            tpath = f"{npath}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
            if not terms:
                errs.append(required(tpath, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                errs += _validate_node_selector_term(_d(term), f"{tpath}[{i}]", check_values=True)
        for i, pref in enumerate(_l(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            pref = _d(pref)
            ppath = f"{npath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
            weight = pref.get("weight", 0)
            if _is_int(weight) and (weight <= 0 or weight > 100):
                errs.append(field_invalid(f"{ppath}.weight", weight, "must be in the range 1-100"))
            errs += _validate_node_selector_term(_d(pref.get("preference")), f"{ppath}.preference",
                                                 check_values=False)
    for kind in ("podAffinity", "podAntiAffinity"):
        pod = affinity.get(kind)
        if not isinstance(pod, dict):
            continue
        ppath = f"{path}.{kind}"
        for i, term in enumerate(_l(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs += _validate_pod_affinity_term(_d(term), f"{ppath}.requiredDuringSchedulingIgnoredDuringExecution[{i}]")
        for i, weighted in enumerate(_l(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            weighted = _d(weighted)
            wpath = f"{ppath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
            weight = weighted.get("weight", 0)
            if _is_int(weight) and (weight <= 0 or weight > 100):
                errs.append(field_invalid(f"{wpath}.weight", weight, "must be in the range 1-100"))
            errs += _validate_pod_affinity_term(_d(weighted.get("podAffinityTerm")), f"{wpath}.podAffinityTerm")
    return errs


def _validate_node_selector_term(term: Mapping[str, Any], path: str, check_values: bool) -> Errors:
    errs: Errors = []
    for j, req in enumerate(_l(term.get("matchExpressions"))):
        req = _d(req)
        rpath = f"{path}.matchExpressions[{j}]"
        op, values = _s(req.get("operator")), _l(req.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{rpath}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{rpath}.values", "may not be specified when `operator` is 'Exists' or "
                                      "'DoesNotExist'"))
        elif op in ("Gt", "Lt"):
            if len(values) != 1:
                errs.append(required(f"{rpath}.values", "must be specified single value when `operator` is 'Lt' "
                                     "or 'Gt'"))
        else:
            errs.append(field_invalid(f"{rpath}.operator", op, "not a valid selector operator"))
        errs += validate_label_name(_s(req.get("key")), f"{rpath}.key")
        if check_values:
            from kauth.api.names import is_label_value
            for k, value in enumerate(values):
                errs += _names(is_label_value(_s(value)), f"{rpath}.values[{k}]", _s(value))
    return errs


def _validate_pod_affinity_term(term: Mapping[str, Any], path: str) -> Errors:
    errs = validate_label_selector(term.get("labelSelector"), f"{path}.labelSelector")
    errs += validate_label_selector(term.get("namespaceSelector"), f"{path}.namespaceSelector")
    for name in _l(term.get("namespaces")):
        errs += _names(name_is_dns_label(_s(name)), f"{path}.namespace", _s(name))
    if not term.get("topologyKey"):
        errs.append(required(f"{path}.topologyKey", "can not be empty"))
    return errs + validate_label_name(_s(term.get("topologyKey")), f"{path}.topologyKey")


def _validate_pod_spec(spec: Mapping[str, Any], path: str, pod_name: str = "", is_pod: bool = False) -> Errors:
    errs: Errors = []
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    security = _d(spec.get("securityContext"))
    host_users = security.get("hostUsers") is not False
    restart_policy = _s(spec.get("restartPolicy"))
    volumes, verrs = _validate_volumes(_l(spec.get("volumes")), f"{path}.volumes", pod_name)
    errs += verrs
    containers = _l(spec.get("containers"))
    errs += _validate_containers(containers, volumes, grace, f"{path}.containers", restart_policy, host_users)
    errs += _validate_init_containers(_l(spec.get("initContainers")), containers, volumes, grace,
                                      f"{path}.initContainers", restart_policy, host_users)
    if spec.get("hostNetwork"):
        for i, c in enumerate(containers):
            for j, port in enumerate(_l(_d(c).get("ports"))):
                port = _d(port)
                hp, cp = port.get("hostPort") or 0, port.get("containerPort") or 0
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(field_invalid(f"{path}.containers[{i}].ports[{j}].hostPort", hp,
                                              "must match `containerPort` when `hostNetwork` is true"))
    if not restart_policy:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart_policy not in _RESTART_POLICIES:
        errs.append(not_supported(f"{path}.restartPolicy", restart_policy, _RESTART_POLICIES))
    dns_policy = _s(spec.get("dnsPolicy"))
    if not dns_policy:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns_policy not in _DNS_POLICIES:
        errs.append(not_supported(f"{path}.dnsPolicy", dns_policy, _DNS_POLICIES))
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    errs += _validate_pod_security_context(spec.get("securityContext"), f"{path}.securityContext")
    for i, secret in enumerate(_l(spec.get("imagePullSecrets"))):
        secret = _d(secret)
        if set(secret) - {"name"}:
            errs.append(field_invalid(f"{path}.imagePullSecrets[{i}]",
                                      GoRepr(f"core.LocalObjectReference{{Name:{go_quote(_s(secret.get('name')))}}}"),
                                      "only name may be set"))
    errs += _validate_affinity(spec.get("affinity"), f"{path}.affinity")
    errs += _validate_dns_config(spec.get("dnsConfig"), dns_policy, f"{path}.dnsConfig")
    for i, gate in enumerate(_l(spec.get("readinessGates"))):
        errs += _qualified(_s(_d(gate).get("conditionType")), f"{path}.readinessGates[{i}].conditionType")
    seen_gates: set[str] = set()
    for i, gate in enumerate(_l(spec.get("schedulingGates"))):
        name = _s(_d(gate).get("name"))
        errs += _qualified(name, f"{path}.schedulingGates[{i}]")
        if name in seen_gates:
            errs.append(duplicate(f"{path}.schedulingGates[{i}]", name))
        seen_gates.add(name)
    errs += _validate_topology_spread(_l(spec.get("topologySpreadConstraints")), f"{path}.topologySpreadConstraints")
    if security.get("hostUsers") is False:
        for key, field in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC")):
            if spec.get(key):
                errs.append(forbidden(f"{path}.{field}", "when `pod.Spec.HostUsers` is false"))
    for key, fn in (("serviceAccountName", name_is_dns_subdomain), ("nodeName", name_is_dns_subdomain)):
        value = _s(spec.get(key))
        if value:
            errs += _names(fn(value), f"{path}.{key}", value)
    deadline = spec.get("activeDeadlineSeconds")
    if _is_int(deadline) and (deadline < 1 or deadline > MAX_INT32):
        errs.append(field_invalid(f"{path}.activeDeadlineSeconds", deadline, inclusive_range_error(1, MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs += _dns_label(_s(spec[key]), f"{path}.{key}")
    errs += _validate_tolerations(_l(spec.get("tolerations")), f"{path}.tolerations")
    for i, alias in enumerate(_l(spec.get("hostAliases"))):
        alias = _d(alias)
        errs += is_valid_ip(f"{path}.hostAliases[{i}].ip", _s(alias.get("ip")))
        for j, hostname in enumerate(_l(alias.get("hostnames"))):
            errs += _dns_subdomain(_s(hostname), f"{path}.hostAliases[{i}].hostnames[{j}]")
    if spec.get("priorityClassName"):
        errs += _names(name_is_dns_subdomain(_s(spec["priorityClassName"])), f"{path}.priorityClassName",
                       _s(spec["priorityClassName"]))
    if spec.get("runtimeClassName") is not None:
        errs += _names(name_is_dns_subdomain(_s(spec["runtimeClassName"])), f"{path}.runtimeClassName",
                       _s(spec["runtimeClassName"]))
    if spec.get("preemptionPolicy") is not None:
        policy = _s(spec["preemptionPolicy"])
        if not policy:
            errs.append(required(f"{path}.preemptionPolicy"))
        elif policy not in ("PreemptLowerPriority", "Never"):
            errs.append(not_supported(f"{path}.preemptionPolicy", policy, ["PreemptLowerPriority", "Never"]))
    os_spec = spec.get("os")
    if isinstance(os_spec, dict):
        name = _s(os_spec.get("name"))
        if not name:
            errs.append(required(f"{path}.os.name", "cannot be empty"))
        elif name not in ("linux", "windows"):
            errs.append(not_supported(f"{path}.os", name, ["linux", "windows"]))
    return errs


def _validate_pod_specific_annotations(annotations: Mapping[str, Any] | None, spec: Mapping[str, Any],
                                       path: str) -> Errors:
    errs: Errors = []
    annotations = annotations or {}
    mirror = "kubernetes.io/config.mirror"
    if mirror in annotations and not spec.get("nodeName"):
        errs.append(field_invalid(f"{path}[{mirror}]", _s(annotations[mirror]),
                                  "must set spec.nodeName if mirror pod annotation is set"))
    cost = "controller.kubernetes.io/pod-deletion-cost"
    if cost in annotations:
        try:
            value = int(_s(annotations[cost]))
            ok = -(1 << 31) <= value < (1 << 31)
        except ValueError:
            ok = False
        if not ok:
            errs.append(field_invalid(f"{path}[{cost}]", _s(annotations[cost]), "must be a 32bit integer"))
    return errs


def _validate_pod_template_spec(template: Any, path: str) -> Errors:
    """ValidatePodTemplateSpec: template labels and annotations (paths without `.metadata`), then the spec."""
    template = _d(template)
    meta = _d(template.get("metadata"))
    spec = _d(template.get("spec"))
    errs = validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += _validate_pod_specific_annotations(meta.get("annotations"), spec, f"{path}.annotations")
    errs += _validate_pod_spec(spec, f"{path}.spec")
    if _l(spec.get("ephemeralContainers")):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errs


# --- Pod ----------------------------------------------------------------------------------------------

_UPDATABLE_POD_FIELDS = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
]


def _validate_pod_metadata_and_spec(pod: Mapping[str, Any]) -> Errors:
    meta, spec = _d(pod.get("metadata")), _d(pod.get("spec"))
    errs = _validate_pod_specific_annotations(meta.get("annotations"), spec, "metadata.annotations")
    errs += _validate_pod_spec(spec, "spec", pod_name=_s(meta.get("name")), is_pod=True)
    if not spec.get("serviceAccountName"):
        for vi, volume in enumerate(_l(spec.get("volumes"))):
            projected = _d(volume).get("projected")
            for si, source in enumerate(_l(_d(projected).get("sources"))):
                if _d(source).get("serviceAccountToken") is not None:
                    errs.append(forbidden(f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                                          "must not be specified when serviceAccountName is not set"))
    for key in ("containers", "initContainers"):
        for i, c in enumerate(_l(spec.get(key))):
            image = _s(_d(c).get("image"))
            if image != image.strip():
                errs.append(field_invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing "
                                          "whitespace"))
    return errs


def _validate_pod(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    errs = _validate_pod_metadata_and_spec(obj)
    spec = _d(obj.get("spec"))
    if old is None:
        if _l(spec.get("ephemeralContainers")):
            errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
        if spec.get("nodeName") and _l(spec.get("schedulingGates")):
            errs.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
        return errs
    return errs + _validate_pod_update(obj, old)


# Fields an ephemeral container may not set (validateEphemeralContainers: they make no sense for a
# container added to a running Pod).
_EPHEMERAL_FORBIDDEN = ("ports", "lifecycle", "livenessProbe", "readinessProbe", "startupProbe", "resources",
                        "resizePolicy")


def validate_ephemeral_containers_update(rt: Any, obj: Mapping[str, Any], old: Mapping[str, Any]) -> list[FieldError]:
    """ValidatePodEphemeralContainersUpdate: the pods/ephemeralcontainers subresource may add ephemeral
    containers, never change or remove one; static pods take none."""
    errs = validate_object_meta(rt, obj, old) + _validate_pod_metadata_and_spec(obj)
    if "kubernetes.io/config.mirror" in _d(_d(old.get("metadata")).get("annotations")):
        return [forbidden("", "static pods do not support ephemeral containers")]
    spec = _d(obj.get("spec"))
    names = [_s(_d(c).get("name")) for key in ("containers", "initContainers") for c in _l(spec.get(key))]
    for i, container in enumerate(_l(spec.get("ephemeralContainers"))):
        container, path = _d(container), f"spec.ephemeralContainers[{i}]"
        name = _s(container.get("name"))
        if not name:
            errs.append(required(f"{path}.name"))
        elif name in names:
            errs.append(duplicate(f"{path}.name", name))
        names.append(name)
        if not _s(container.get("image")):
            errs.append(required(f"{path}.image"))
        target = container.get("targetContainerName")
        if target and target not in [_s(_d(c).get("name")) for c in _l(spec.get("containers"))]:
            errs.append(field_not_found(f"{path}.targetContainerName", target))
        for field_name in _EPHEMERAL_FORBIDDEN:
            if container.get(field_name):
                errs.append(forbidden(f"{path}.{field_name}", "cannot be set for an Ephemeral Container"))
    new_by_name = {_s(_d(c).get("name")): _d(c) for c in _l(spec.get("ephemeralContainers"))}
    for existing in _l(_d(old.get("spec")).get("ephemeralContainers")):
        existing = _d(existing)
        name = _s(existing.get("name"))
        if name not in new_by_name:
            errs.append(forbidden("spec.ephemeralContainers", f"existing ephemeral containers {go_quote(name)} may not "
                                  "be removed\n"))
        elif _semantic(new_by_name[name]) != _semantic(existing):
            errs.append(forbidden(f"spec.ephemeralContainers[{name}]",
                                  f"existing ephemeral containers {go_quote(name)} may not be changed\n"
                                  + _spec_diff("core.EphemeralContainer", existing, new_by_name[name])))
    return _unique(errs)


def _validate_pod_update(obj: Mapping[str, Any], old: Mapping[str, Any]) -> Errors:
    errs: Errors = []
    spec, old_spec = _d(obj.get("spec")), _d(old.get("spec"))
    for key in ("containers", "initContainers"):
        new_c, old_c = _l(spec.get(key)), _l(old_spec.get(key))
        if len(new_c) != len(old_c):
            errs.append(forbidden(f"spec.{key}", "pod updates may not add or remove containers"))
            return errs
        for i, c in enumerate(new_c):
            image = _s(_d(c).get("image"))
            if not image:
                errs.append(required(f"spec.{key}[{i}].image"))
            if image.strip() != image:
                errs.append(field_invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing "
                                          "whitespace"))
    deadline, old_deadline = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if deadline is not None:
        if _is_int(deadline) and (deadline < 0 or deadline > MAX_INT32):
            errs.append(field_invalid("spec.activeDeadlineSeconds", deadline, inclusive_range_error(0, MAX_INT32)))
            return errs
        if _is_int(old_deadline) and _is_int(deadline) and old_deadline < deadline:
            errs.append(field_invalid("spec.activeDeadlineSeconds", deadline,
                                      "must be less than or equal to previous value"))
            return errs
    elif old_deadline is not None:
        errs.append(field_invalid("spec.activeDeadlineSeconds", None,
                                  "must not update from a positive integer to nil value"))
    old_tolerations = _l(old_spec.get("tolerations"))
    new_tolerations = _l(spec.get("tolerations"))
    for tol in old_tolerations:
        base = {k: v for k, v in _d(tol).items() if k != "tolerationSeconds"}
        if not any({k: v for k, v in _d(n).items() if k != "tolerationSeconds"} == base for n in new_tolerations):
            errs.append(forbidden("spec.tolerations", "existing toleration can not be modified except its "
                                  "tolerationSeconds"))
            break
    new_gates = {_s(_d(g).get("name")): i for i, g in enumerate(_l(spec.get("schedulingGates")))}
    for gate in _l(old_spec.get("schedulingGates")):
        new_gates.pop(_s(_d(gate).get("name")), None)
    for gate, i in new_gates.items():
        errs.append(forbidden(f"spec.schedulingGates[{i}].name",
                              f"only deletion is allowed, but found new scheduling gate '{gate}'"))
    if _semantic(spec) == _semantic(old_spec):
        return errs
    munged = copy.deepcopy(dict(spec))
    for key in ("containers", "initContainers"):
        for i, c in enumerate(_l(munged.get(key))):
            if isinstance(c, dict):
                old_image = _d(_l(old_spec.get(key))[i]).get("image")
                if old_image is None:
                    c.pop("image", None)
                else:
                    c["image"] = old_image
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        if key in old_spec:
            munged[key] = copy.deepcopy(old_spec[key])
        else:
            munged.pop(key, None)
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if _is_int(old_grace) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if _semantic(munged) != _semantic(old_spec):
        message = ("pod updates may not change fields other than " + ",".join(_UPDATABLE_POD_FIELDS) + "\n"
                   + _spec_diff("core.PodSpec", old_spec, munged))
        errs.append(forbidden("spec", message))
    return errs


def _go_field(key: str) -> str:
    return key[:1].upper() + key[1:]


def _spec_diff(type_name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """A simplified rendering of the go-cmp diff upstream appends (only the changed top-level fields)."""
    lines = [f"  {type_name}{{"]
    identical = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if _semantic(a) == _semantic(b):
            identical += 1
            continue
        if identical:
            lines.append(f"  \t... // {identical} identical fields")
            identical = 0
        if key in old:
            lines.append(f"- \t{_go_field(key)}: {json.dumps(a, sort_keys=True)},")
        if key in new:
            lines.append(f"+ \t{_go_field(key)}: {json.dumps(b, sort_keys=True)},")
    if identical:
        lines.append(f"  \t... // {identical} identical fields")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def _validate_pod_template_kind(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    return _validate_pod_template_spec(obj.get("template"), "template")


# --- ReplicationController ------------------------------------------------------------------------


def _validate_replication_controller(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    selector = _d(spec.get("selector"))
    if not selector:
        errs.append(required("spec.selector"))
    errs += validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    template = spec.get("template")
    if template is None:
        errs.append(required("spec.template"))
        return errs
    labels = _d(template).get("metadata", {}) or {}
    template_labels = _d(labels).get("labels")
    if selector and not all(_s(_d(template_labels).get(k)) == _s(v) and k in _d(template_labels)
                            for k, v in selector.items()):
        errs.append(field_invalid("spec.template.metadata.labels", go_string_map(template_labels),
                                  "`selector` does not match template `labels`"))
    errs += _validate_pod_template_spec(template, "spec.template")
    restart = _s(_d(_d(template).get("spec")).get("restartPolicy"))
    if restart != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if _d(_d(template).get("spec")).get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


# --- Service -------------------------------------------------------------------------------------------

_SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
NODE_PORT_RANGE = (30000, 32767)


def _go_service_port(protocol: str, port: Any) -> GoRepr:
    return GoRepr(f"core.ServicePort{{Name:\"\", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), "
                  f"Port:{port if _is_int(port) else 0}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, "
                  f"StrVal:\"\"}}, NodePort:0}}")


def _is_headless(spec: Mapping[str, Any]) -> bool:
    ips = _l(spec.get("clusterIPs"))
    return len(ips) == 1 and ips[0] == "None"


def _validate_service(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    errs: Errors = []
    spec = _d(obj.get("spec"))
    if old is not None:
        spec = _patch_allocated_values(spec, _d(old.get("spec")))
        errs += _validate_service_update(spec, _d(old.get("spec")))
    meta = _d(obj.get("metadata"))
    annotations = _d(meta.get("annotations"))
    hints, mode = "service.kubernetes.io/topology-aware-hints", "service.kubernetes.io/topology-mode"
    if hints in annotations and mode in annotations and annotations[hints] != annotations[mode]:
        errs.append(field_invalid(f"metadata.annotations[{mode}]", _s(annotations[mode]),
                                  f"must match annotations[{hints}] when both are specified"))
    service_type = _s(spec.get("type"))
    ports = _l(spec.get("ports"))
    headless = _is_headless(spec)
    if not ports and not headless and service_type != "ExternalName":
        errs.append(required("spec.ports"))
    if service_type in ("LoadBalancer", "NodePort") and headless:
        errs.append(field_invalid("spec.clusterIPs[0]", "None",
                                  f"may not be set to 'None' for {service_type} services"))
    if service_type == "ExternalName":
        if _l(spec.get("clusterIPs")):
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if _l(spec.get("ipFamilies")):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = _s(spec.get("externalName")).removesuffix(".")
        if cname:
            errs += _dns_subdomain(cname, "spec.externalName")
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_service_port(_d(port), len(ports) > 1, names, f"spec.ports[{i}]")
    if spec.get("selector") is not None:
        errs += validate_labels(spec.get("selector"), "spec.selector")
    affinity = _s(spec.get("sessionAffinity"))
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    if affinity == "ClientIP":
        errs += _validate_client_ip_affinity(spec.get("sessionAffinityConfig"))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    errs += _validate_cluster_ips(spec)
    for i, ip in enumerate(_l(spec.get("externalIPs"))):
        ip_errs = is_valid_ip(f"spec.externalIPs[{i}]", _s(ip))
        errs += ip_errs or _validate_non_special_ip(_s(ip), f"spec.externalIPs[{i}]")
    if not service_type:
        errs.append(required("spec.type"))
    elif service_type not in _SERVICE_TYPES:
        errs.append(not_supported("spec.type", service_type, _SERVICE_TYPES))
    if service_type == "ClusterIP":
        for i, port in enumerate(ports):
            if _d(port).get("nodePort"):
                errs.append(forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    node_ports: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        if not port.get("nodePort"):
            continue
        key = (_s(port.get("protocol")), port["nodePort"] if _is_int(port["nodePort"]) else 0)
        if key in node_ports:
            errs.append(duplicate(f"spec.ports[{i}].nodePort", port["nodePort"]))
        node_ports.add(key)
    seen: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        key = (_s(port.get("protocol")), port.get("port") if _is_int(port.get("port")) else 0)
        if key in seen:
            errs.append(duplicate(f"spec.ports[{i}]", _go_service_port(*key)))
        seen.add(key)
    ranges = _l(spec.get("loadBalancerSourceRanges"))
    if ranges:
        if service_type != "LoadBalancer":
            errs.append(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"))
        for i, cidr in enumerate(ranges):
            errs += _validate_cidr(_s(cidr).strip(), f"spec.LoadBalancerSourceRanges[{i}]")
    if spec.get("allocateLoadBalancerNodePorts") is not None and service_type != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if service_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    lb_class = spec.get("loadBalancerClass")
    if service_type == "LoadBalancer":
        if lb_class is not None:
            errs += _qualified(_s(lb_class), "spec.loadBalancerClass")
    elif lb_class is not None:
        errs.append(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"))
    externally_accessible = service_type in ("LoadBalancer", "NodePort") or (
        service_type == "ClusterIP" and bool(_l(spec.get("externalIPs"))))
    etp = _s(spec.get("externalTrafficPolicy"))
    if not externally_accessible:
        if etp:
            errs.append(field_invalid("spec.externalTrafficPolicy", etp,
                                      "may only be set for externally-accessible services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in ("Cluster", "Local"):
        errs.append(not_supported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]))
    hcnp = spec.get("healthCheckNodePort") or 0
    if not (service_type == "LoadBalancer" and etp == "Local"):
        if hcnp:
            errs.append(field_invalid("spec.healthCheckNodePort", hcnp, "may only be set when `type` is "
                                      "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif hcnp:
        # (Required when unset: the registry allocates it, after this check in kauth.)
        errs += _names(is_valid_port_num(hcnp) if _is_int(hcnp) else [inclusive_range_error(1, 65535)],
                       "spec.healthCheckNodePort", hcnp)
    itp = spec.get("internalTrafficPolicy")
    if itp is None:
        if service_type in ("NodePort", "LoadBalancer", "ClusterIP"):
            errs.append(required("spec.internalTrafficPolicy"))
    elif itp not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", itp, ["Cluster", "Local"]))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in ("PreferClose", "PreferSameZone", "PreferSameNode"):
        errs.append(not_supported("spec.trafficDistribution", distribution,
                                  ["PreferClose", "PreferSameZone", "PreferSameNode"]))
    errs += _validate_node_port_range(spec, _d(old.get("spec")) if old is not None else None)
    return errs


def _validate_node_port_range(spec: Mapping[str, Any], old_spec: Mapping[str, Any] | None) -> Errors:
    """The node port allocator rejects a requested port outside --service-node-port-range."""
    errs: Errors = []
    old_ports = {_d(p).get("nodePort") for p in _l((old_spec or {}).get("ports"))
                 if _is_int(_d(p).get("nodePort"))}
    lo, hi = NODE_PORT_RANGE
    for i, port in enumerate(_l(spec.get("ports"))):
        node_port = _d(port).get("nodePort")
        if _is_int(node_port) and node_port and node_port not in old_ports and not lo <= node_port <= hi:
            errs.append(field_invalid(f"spec.ports[{i}].nodePort", node_port,
                                      f"provided port is not in the valid range. The range of valid ports is "
                                      f"{lo}-{hi}"))
    return errs


def _validate_service_port(port: Mapping[str, Any], require_name: bool, names: set[str], path: str) -> Errors:
    errs: Errors = []
    name = _s(port.get("name"))
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += _dns_label(name, f"{path}.name")
        if name in names:
            errs.append(duplicate(f"{path}.name", name))
        else:
            names.add(name)
    number = port.get("port", 0)
    errs += _names(is_valid_port_num(number) if _is_int(number) else [inclusive_range_error(1, 65535)],
                   f"{path}.port", number)
    protocol = _s(port.get("protocol"))
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in _PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, _PROTOCOLS))
    errs += _validate_port_num_or_name(port.get("targetPort"), f"{path}.targetPort")
    if port.get("appProtocol") is not None:
        errs += _qualified(_s(port["appProtocol"]), f"{path}.appProtocol")
    return errs


def _validate_client_ip_affinity(config: Any) -> Errors:
    path = "spec.sessionAffinityConfig"
    detail = "when session affinity type is ClientIP"
    if config is None:
        return [required(path, detail)]
    client_ip = _d(config).get("clientIP")
    if client_ip is None:
        return [required(f"{path}.clientIP", detail)]
    timeout = _d(client_ip).get("timeoutSeconds")
    if timeout is None:
        return [required(f"{path}.clientIP.timeoutSeconds", detail)]
    if _is_int(timeout) and (timeout <= 0 or timeout > 86400):
        return [field_invalid(f"{path}.clientIP.timeoutSeconds", timeout, "must be greater than 0 and less than "
                              "86400")]
    return []


def _validate_cidr(value: str, path: str) -> Errors:
    try:
        import ipaddress
        ipaddress.ip_network(value, strict=False)
        if "/" not in value:
            raise ValueError
    except ValueError:
        return [field_invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    return []


def _validate_non_special_ip(value: str, path: str) -> Errors:
    ip = parse_ip_sloppy(value)
    if ip is None:
        return [field_invalid(path, value, "must be a valid IP address")]
    errs: Errors = []
    if ip.is_unspecified:
        errs.append(field_invalid(path, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(field_invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        errs.append(field_invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    return errs


def _validate_cluster_ips(spec: Mapping[str, Any]) -> Errors:
    if _s(spec.get("type")) == "ExternalName":
        return []
    errs: Errors = []
    cluster_ip, ips = _s(spec.get("clusterIP")), [_s(x) for x in _l(spec.get("clusterIPs"))]
    if cluster_ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(field_invalid("spec.clusterIPs", go_string_slice(ips), "first value must match `clusterIP`"))
    elif ips:
        errs.append(field_invalid("spec.clusterIPs", go_string_slice(ips), "must be empty when `clusterIP` is not "
                                  "specified"))
    seen: set[str] = set()
    for i, family in enumerate(_l(spec.get("ipFamilies"))):
        if family not in ("IPv4", "IPv6"):
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, ["IPv4", "IPv6"]))
        if family in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in ("PreferDualStack", "RequireDualStack", "SingleStack"):
        errs.append(not_supported("spec.ipFamilyPolicy", policy, ["PreferDualStack", "RequireDualStack",
                                                                  "SingleStack"]))
    invalid = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                invalid = True
                errs.append(field_invalid("spec.clusterIPs", go_string_slice(ips), "'None' must be the first and "
                                          "only value"))
            continue
        ip_errs = is_valid_ip(f"spec.clusterIPs[{i}]", ip)
        invalid = invalid or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(field_invalid("spec.clusterIPs", go_string_slice(ips), "may only hold up to 2 values"))
    if invalid:
        return errs
    if len(ips) > 1:
        versions = {parse_ip_sloppy(ip).version for ip in ips}  # type: ignore[union-attr]
        if len(versions) != 2:
            errs.append(field_invalid("spec.clusterIPs", go_string_slice(ips), "may specify no more than one IP for "
                                      "each IP family"))
    families = _l(spec.get("ipFamilies"))
    if not _is_headless(spec) and ips and families:
        for i, ip in enumerate(ips):
            if i > len(families) - 1:
                break
            v6 = ":" in ip
            if families[i] == "IPv4" and v6:
                errs.append(field_invalid(f"spec.clusterIPs[{i}]", ip,
                                          f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"))
            if families[i] == "IPv6" and not v6:
                errs.append(field_invalid(f"spec.clusterIPs[{i}]", ip,
                                          f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"))
    return errs


def _patch_allocated_values(spec: Mapping[str, Any], old_spec: Mapping[str, Any]) -> dict:
    """What the Service REST update does before validating: omitted allocated values are kept."""
    spec = copy.deepcopy(dict(spec))
    needs_ip = lambda s: _s(s.get("type")) != "ExternalName"  # noqa: E731
    if needs_ip(old_spec) and needs_ip(spec):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = copy.deepcopy(old_spec["clusterIPs"])
    if _s(spec.get("type")) in ("NodePort", "LoadBalancer") and _s(old_spec.get("type")) in ("NodePort",
                                                                                                "LoadBalancer"):
        old_ports = {(_s(_d(p).get("protocol")), _s(_d(p).get("port"))): _d(p).get("nodePort")
                     for p in _l(old_spec.get("ports"))}
        for port in _l(spec.get("ports")):
            if isinstance(port, dict) and not port.get("nodePort"):
                node_port = old_ports.get((_s(port.get("protocol")), _s(port.get("port"))))
                if node_port:
                    port["nodePort"] = node_port
        if not spec.get("healthCheckNodePort") and old_spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"]
    return spec


def _validate_service_update(spec: Mapping[str, Any], old_spec: Mapping[str, Any]) -> Errors:
    errs: Errors = []
    if "ExternalName" in (_s(spec.get("type")), _s(old_spec.get("type"))):
        return errs
    new_headless, old_headless = _is_headless(spec), _is_headless(old_spec)
    ips, old_ips = [_s(x) for x in _l(spec.get("clusterIPs"))], [_s(x) for x in _l(old_spec.get("clusterIPs"))]
    if not (new_headless and old_headless):
        if len(ips) == len(old_ips):
            for i, ip in enumerate(old_ips):
                if ip != ips[i]:
                    errs.append(field_invalid(f"spec.clusterIPs[{i}]", go_string_slice(ips), "may not change once set"))
        elif len(old_ips) > len(ips):
            if not ips:
                errs.append(field_invalid("spec.clusterIPs[0]", go_string_slice(ips),
                                          "primary clusterIP can not be unset"))
            if old_ips and ips and ips[0] != old_ips[0]:
                errs.append(field_invalid("spec.clusterIPs[0]", go_string_slice(ips), "may not change once set"))
            if len(ips) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
                errs.append(field_invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"), "must be set to "
                                          "'SingleStack' when releasing the secondary clusterIP"))
        elif old_ips and ips[0] != old_ips[0]:
            errs.append(field_invalid("spec.clusterIPs[0]", go_string_slice(ips), "may not change once set"))
    if new_headless == old_headless and not new_headless:
        families, old_families = _l(spec.get("ipFamilies")), _l(old_spec.get("ipFamilies"))
        if len(families) == len(old_families):
            for i, family in enumerate(old_families):
                if family != families[i]:
                    errs.append(field_invalid("spec.ipFamilies[0]", go_string_slice(families, "[]core.IPFamily"),
                                              "may not change once set"))
    if _s(spec.get("type")) == "LoadBalancer" and _s(old_spec.get("type")) == "LoadBalancer":
        if spec.get("loadBalancerClass") != old_spec.get("loadBalancerClass"):
            value = spec.get("loadBalancerClass")
            errs.append(field_invalid("spec.loadBalancerClass", value, "may not change once set"))
    if _s(spec.get("type")) == "LoadBalancer" and _s(old_spec.get("type")) == "LoadBalancer" and \
            spec.get("externalTrafficPolicy") == "Local" == old_spec.get("externalTrafficPolicy") and \
            spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
        errs.append(forbidden("spec.healthCheckNodePort", FIELD_IMMUTABLE))
    return errs


# --- ConfigMap, Secret, Namespace, ServiceAccount ------------------------------------------------------

MAX_SECRET_SIZE = 1 * 1024 * 1024


def _decoded_len(value: Any) -> int:
    import base64
    import binascii
    try:
        return len(base64.b64decode(_s(value), validate=False))
    except (binascii.Error, ValueError):
        return len(_s(value))


def _validate_config_map(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    errs: Errors = []
    if old is not None and old.get("immutable") is True:
        if obj.get("immutable") is not True:
            errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        if _d(obj.get("data")) != _d(old.get("data")):
            errs.append(forbidden("data", "field is immutable when `immutable` is set"))
        if _d(obj.get("binaryData")) != _d(old.get("binaryData")):
            errs.append(forbidden("binaryData", "field is immutable when `immutable` is set"))
    data, binary = _d(obj.get("data")), _d(obj.get("binaryData"))
    total = 0
    for key in sorted(data):
        errs += _names(is_config_map_key(key), f"data[{key}]", key)
        if key in binary:
            errs.append(field_invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(_s(data[key]).encode())
    for key in sorted(binary):
        errs += _names(is_config_map_key(key), f"binaryData[{key}]", key)
        total += _decoded_len(binary[key])
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("", MAX_SECRET_SIZE))
    return errs


def _validate_secret(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    errs: Errors = []
    if old is not None:
        errs += _immutable(_s(obj.get("type")), _s(old.get("type")), "type")
        if old.get("immutable") is True:
            if obj.get("immutable") is not True:
                errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
            if _d(obj.get("data")) != _d(old.get("data")):
                errs.append(forbidden("data", "field is immutable when `immutable` is set"))
    data = _d(obj.get("data"))
    total = 0
    for key in sorted(data):
        errs += _names(is_config_map_key(key), f"data[{key}]", key)
        total += _decoded_len(data[key])
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    secret_type = _s(obj.get("type"))
    annotations = _d(_d(obj.get("metadata")).get("annotations"))
    if secret_type == "kubernetes.io/service-account-token":
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif secret_type == "kubernetes.io/dockercfg":
        errs += _docker_config(data, ".dockercfg")
    elif secret_type == "kubernetes.io/dockerconfigjson":
        errs += _docker_config(data, ".dockerconfigjson")
    elif secret_type == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs += [required("data[username]"), required("data[password]")]
    elif secret_type == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required("data[ssh-privatekey]"))
    elif secret_type == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(required("data[tls.crt]"))
        if "tls.key" not in data:
            errs.append(required("data[tls.key]"))
    return errs


def _docker_config(data: Mapping[str, Any], key: str) -> Errors:
    import base64
    if key not in data:
        return [required(f"data[{key}]")]
    try:
        parsed = json.loads(base64.b64decode(_s(data[key])))
        if not isinstance(parsed, dict):
            raise ValueError("json: cannot unmarshal into Go value of type map[string]interface {}")
    except Exception as exc:  # noqa: BLE001 - any decoding problem is the JSON error Go reports
        return [field_invalid(f"data[{key}]", "<secret contents redacted>", str(exc))]
    return []


def _validate_namespace(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    if old is not None:
        return []
    errs: Errors = []
    for name in _l(_d(obj.get("spec")).get("finalizers")):
        name = _s(name)
        errs += _qualified(name, "spec.finalizers")
        if "/" not in name and name not in ("kubernetes", "orphan", "foregroundDeletion"):
            errs.append(field_invalid("spec.finalizers", name, "name is neither a standard finalizer name nor is it "
                                      "fully qualified"))
    return errs


def _immutable(new: Any, old: Any, path: str) -> Errors:
    if _semantic(new) != _semantic(old):
        return [field_invalid(path, new, FIELD_IMMUTABLE)]
    return []


# --- PersistentVolume, PersistentVolumeClaim -----------------------------------------------------------

_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
_VOLUME_MODES = ["Block", "Filesystem"]
_RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]


def _validate_access_modes(modes: list, path: str) -> Errors:
    errs: Errors = []
    once_pod = other = False
    for mode in modes:
        if mode not in _ACCESS_MODES:
            errs.append(not_supported(path, mode, _ACCESS_MODES))
        if mode == "ReadWriteOncePod":
            once_pod = True
        elif mode in _ACCESS_MODES:
            other = True
    if once_pod and other:
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _validate_pvc_spec(spec: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    modes = _l(spec.get("accessModes"))
    if not modes:
        errs.append(required(f"{path}.accessModes", "at least 1 access mode is required"))
    if spec.get("selector") is not None:
        errs += validate_label_selector(spec.get("selector"), f"{path}.selector")
    errs += _validate_access_modes(modes, f"{path}.accessModes")
    requests = _d(_d(spec.get("resources")).get("requests"))
    storage_path = f"{path}.resources[storage]"
    if "storage" not in requests:
        errs.append(required(storage_path))
    else:
        q = parse_quantity(requests["storage"])
        if q is not None:
            if q.value <= 0:
                errs.append(field_invalid(storage_path, canonical_quantity(q), "must be greater than zero"))
            else:
                errs += _quantity_value("storage", q, storage_path)
    if spec.get("storageClassName"):
        errs += _names(name_is_dns_subdomain(_s(spec["storageClassName"])), f"{path}.storageClassName",
                       _s(spec["storageClassName"]))
    if spec.get("volumeMode") is not None and spec["volumeMode"] not in _VOLUME_MODES:
        errs.append(not_supported(f"{path}.volumeMode", spec["volumeMode"], _VOLUME_MODES))
    for key in ("dataSource", "dataSourceRef"):
        if spec.get(key) is not None:
            ref = _d(spec[key])
            rpath = f"{path}.{key}"
            if not ref.get("name"):
                errs.append(required(f"{rpath}.name"))
            if not ref.get("kind"):
                errs.append(required(f"{rpath}.kind"))
            group = _s(ref.get("apiGroup"))
            if not group and ref.get("kind") != "PersistentVolumeClaim":
                errs.append(field_invalid(rpath, _s(ref.get("kind")), "must be 'PersistentVolumeClaim' when "
                                          "referencing the default apiGroup"))
            if group:
                errs += _names(is_dns1123_subdomain(group), f"{rpath}.apiGroup", group)
    return errs


def _validate_pvc(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = _validate_pvc_spec(spec, "spec")
    if old is None:
        return errs
    old_spec = _d(old.get("spec"))
    new_clone, old_clone = copy.deepcopy(dict(spec)), copy.deepcopy(dict(old_spec))
    if not old_spec.get("volumeName"):
        if "volumeName" in new_clone:
            old_clone["volumeName"] = new_clone["volumeName"]
        else:
            old_clone.pop("volumeName", None)
    if old_spec.get("storageClassName") is None and new_clone.get("storageClassName") is not None:
        old_clone["storageClassName"] = new_clone["storageClassName"]
    bound = _s(_d(obj.get("status")).get("phase")) == "Bound"
    if bound:
        for clone in (new_clone,):
            requests = _d(_d(clone.get("resources")).get("requests"))
            if requests:
                requests["storage"] = _d(_d(old_spec.get("resources")).get("requests")).get("storage")
        if "volumeAttributesClassName" in new_clone:
            new_clone["volumeAttributesClassName"] = old_clone.get("volumeAttributesClassName")
    if _semantic(new_clone) != _semantic(old_clone):
        errs.append(forbidden("spec", "spec is immutable after creation except resources.requests and "
                              "volumeAttributesClassName for bound claims\n"
                              + _spec_diff("core.PersistentVolumeClaimSpec", old_clone, new_clone)))
    new_size = parse_quantity(_d(_d(spec.get("resources")).get("requests")).get("storage"))
    old_size = parse_quantity(_d(_d(old_spec.get("resources")).get("requests")).get("storage"))
    if new_size is not None and old_size is not None and new_size.value < old_size.value:
        capacity = parse_quantity(_d(_d(old.get("status")).get("capacity")).get("storage"))
        if capacity is None or new_size.value <= capacity.value:
            errs.append(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"))
    errs += _immutable(spec.get("volumeMode"), old_spec.get("volumeMode"), "volumeMode")
    return errs


_PV_SOURCES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd",
               "quobyte", "cephfs", "iscsi", "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume",
               "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi")


def _go_resource_list(resources: Any) -> GoRepr:
    if resources is None:
        return GoRepr("core.ResourceList(nil)")
    items = ", ".join(f"{go_quote(k)}:" + (_go_quantity(q) if (q := parse_quantity(v)) else go_quote(_s(v)))
                      for k, v in sorted(_d(resources).items()))
    return GoRepr(f"core.ResourceList{{{items}}}")


def _validate_persistent_volume(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs: Errors = []
    modes = _l(spec.get("accessModes"))
    if not modes:
        errs.append(required("spec.accessModes"))
    errs += _validate_access_modes(modes, "spec.accessModes")
    capacity = spec.get("capacity")
    if not _d(capacity):
        errs.append(required("spec.capacity"))
    if "storage" not in _d(capacity) or len(_d(capacity)) > 1:
        errs.append(not_supported("spec.capacity", _go_resource_list(capacity), ["storage"]))
    for name in sorted(_d(capacity)):
        q = parse_quantity(_d(capacity)[name])
        if q is not None:
            if q.value < 0:
                errs.append(field_invalid(f"spec.capacity[{name}]", int(q.value), "must be a valid resource quantity"))
            if q.value <= 0:
                errs.append(field_invalid(f"spec.capacity[{name}]", canonical_quantity(q), "must be greater than zero"))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy and policy not in _RECLAIM_POLICIES:
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, _RECLAIM_POLICIES))
    count = 0
    for key in _PV_SOURCES:
        if spec.get(key) is None:
            continue
        if count > 0 and key != "flexVolume":
            errs.append(forbidden(f"spec.{key}", "may not specify more than 1 volume type"))
            continue
        count += 1
        src = _d(spec[key])
        if key in ("hostPath", "nfs"):
            errs += _validate_source(key, src, f"spec.{key}", "", "")
        elif key == "local":
            if not src.get("path"):
                errs.append(required("spec.local.path"))
            else:
                errs += _validate_path_no_backsteps(_s(src["path"]), "spec.local.path")
            if spec.get("nodeAffinity") is None:
                errs.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
        elif key == "csi":
            driver = _s(src.get("driver"))
            if not driver:
                errs.append(required("spec.csi.driver"))
            errs += _names(is_dns1123_subdomain(driver.lower()), "spec.csi.driver", driver)
            if not src.get("volumeHandle"):
                errs.append(required("spec.csi.volumeHandle"))
    if count == 0:
        errs.append(required("spec", "must specify a volume type"))
    host_path = _d(spec.get("hostPath"))
    if host_path and re.sub("/+", "/", _s(host_path.get("path"))).rstrip("/") == "" and policy == "Recycle":
        errs.append(forbidden("spec.persistentVolumeReclaimPolicy", "may not be 'recycle' for a hostPath mount of '/'"))
    if spec.get("storageClassName"):
        errs += _names(name_is_dns_subdomain(_s(spec["storageClassName"])), "spec.storageClassName",
                       _s(spec["storageClassName"]))
    if spec.get("volumeMode") is not None and spec["volumeMode"] not in _VOLUME_MODES:
        errs.append(not_supported("spec.volumeMode", spec["volumeMode"], _VOLUME_MODES))
    if old is not None:
        old_spec = _d(old.get("spec"))
        source = {k: spec.get(k) for k in _PV_SOURCES if spec.get(k) is not None}
        old_source = {k: old_spec.get(k) for k in _PV_SOURCES if old_spec.get(k) is not None}
        if _semantic(source) != _semantic(old_source):
            errs.append(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after "
                                  "creation\n" + _spec_diff("core.PersistentVolumeSource", old_source, source)))
        errs += _immutable(spec.get("volumeMode"), old_spec.get("volumeMode"), "volumeMode")
    return errs


# --- ResourceQuota --------------------------------------------------------------------------------


def _validate_resource_quota(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    errs: Errors = []
    spec = _d(obj.get("spec"))
    for name in sorted(_d(spec.get("hard"))):
        path = f"spec.hard[{name}]"
        errs += _validate_resource_name(name, path)
        if "/" not in name and name not in _STANDARD_QUOTA_RESOURCES and not name.startswith(
                ("requests.hugepages-", "hugepages-")):
            errs.append(field_invalid(path, name, "must be a standard resource for quota"))
        q = parse_quantity(_d(spec["hard"])[name])
        if q is not None:
            errs += _quantity_value(name, q, path)
    return errs


# --- apps ------------------------------------------------------------------------------------------------


def _validate_positive_int_or_percent(value: Any, path: str) -> Errors:
    if isinstance(value, str):
        return _names(is_valid_percent(value), path, _go_intstr(value))
    if _is_int(value):
        return validate_nonnegative(value, path)
    return [field_invalid(path, _go_intstr(value), "must be an integer or percentage (e.g '5%%')")]


def _not_more_than_100_percent(value: Any, path: str) -> Errors:
    if isinstance(value, str) and not is_valid_percent(value) and int(value[:-1]) > 100:
        return [field_invalid(path, _go_intstr(value), "must not be greater than 100%")]
    return []


def _validate_selector_and_template(spec: Mapping[str, Any], kind: str) -> tuple[Errors, bool]:
    """The selector checks shared by Deployment and ReplicaSet; returns the errors and whether the selector parsed.

    A missing selector parses as one that matches nothing (metav1.LabelSelectorAsSelector(nil)), so the
    template labels are then reported as not matching it too.
    """
    errs: Errors = []
    selector = spec.get("selector")
    if selector is None:
        errs.append(required("spec.selector"))
        return errs, True
    selector = _d(selector)
    selector_errs = validate_label_selector(selector, "spec.selector")
    errs += selector_errs
    if selector_is_empty(selector):
        errs.append(field_invalid("spec.selector", go_label_selector(selector), f"empty selector is invalid for {kind}"))
    if selector_errs:
        errs.append(field_invalid("spec.selector", go_label_selector(selector), "invalid label selector"))
        return errs, False
    return errs, True


def _validate_pod_template_for_replica_set(spec: Mapping[str, Any], kind: str) -> Errors:
    errs: Errors = []
    template = spec.get("template")
    if template is None:
        return [required("spec.template")]
    selector = spec.get("selector")
    labels = _d(_d(template).get("metadata")).get("labels")
    if not selector_is_empty(selector) and not selector_matches(selector, labels):
        errs.append(field_invalid("spec.template.metadata.labels", go_string_map(labels),
                                  "`selector` does not match template `labels`"))
    errs += _validate_pod_template_spec(template, "spec.template")
    pod_spec = _d(_d(template).get("spec"))
    restart = _s(pod_spec.get("restartPolicy"))
    if restart != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", restart, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def _selector_immutable(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    """apps/v1 strategies forbid changing spec.selector (pkg/registry/apps/*/strategy.go ValidateUpdate)."""
    if old is None:
        return []
    new_sel, old_sel = _d(obj.get("spec")).get("selector"), _d(old.get("spec")).get("selector")
    if _semantic(new_sel) != _semantic(old_sel):
        return [field_invalid("spec.selector", go_label_selector(new_sel), FIELD_IMMUTABLE)]
    return []


def _validate_deployment(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    sel_errs, parsed = _validate_selector_and_template(spec, "deployment")
    errs += sel_errs
    if parsed:
        errs += _validate_pod_template_for_replica_set(spec, "ReplicaSet")
    strategy = _d(spec.get("strategy"))
    stype = _s(strategy.get("type"))
    if stype == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is "
                                  "'Recreate'"))
    elif stype == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            errs.append(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"))
        else:
            rolling = _d(rolling)
            rpath = "spec.strategy.rollingUpdate"
            unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
            errs += _validate_positive_int_or_percent(unavailable, f"{rpath}.maxUnavailable")
            errs += _validate_positive_int_or_percent(surge, f"{rpath}.maxSurge")
            if _intstr_value(unavailable) == 0 and _intstr_value(surge) == 0:
                errs.append(field_invalid(f"{rpath}.maxUnavailable", _go_intstr(unavailable),
                                          "may not be 0 when `maxSurge` is 0"))
            errs += _not_more_than_100_percent(unavailable, f"{rpath}.maxUnavailable")
    else:
        rendered = (f"apps.DeploymentStrategy{{Type:{go_quote(stype)}, "
                    f"RollingUpdate:{_go_ptr('apps.RollingUpdateDeployment', strategy.get('rollingUpdate'))}}}")
        errs.append(not_supported("spec.strategy", GoRepr(rendered), ["Recreate", "RollingUpdate"]))
    min_ready = spec.get("minReadySeconds", 0)
    errs += validate_nonnegative(min_ready, "spec.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += validate_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += validate_nonnegative(deadline, "spec.progressDeadlineSeconds")
        if _is_int(deadline) and _is_int(min_ready or 0) and deadline <= (min_ready or 0):
            errs.append(field_invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errs + _selector_immutable(obj, old)


def _validate_replica_set(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    sel_errs, parsed = _validate_selector_and_template(spec, "deployment")
    errs += sel_errs
    if parsed:
        errs += _validate_pod_template_for_replica_set(spec, "ReplicaSet")
    return errs + _selector_immutable(obj, old)


def _validate_daemon_set(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = validate_label_selector(spec.get("selector"), "spec.selector")
    template = _d(spec.get("template"))
    labels = _d(template.get("metadata")).get("labels")
    selector = spec.get("selector")
    selector_errs = validate_label_selector(selector, "spec.selector") if selector is not None else []
    if not selector_errs and not selector_matches(selector, labels):
        errs.append(field_invalid("spec.template.metadata.labels", go_string_map(labels),
                                  "`selector` does not match template `labels`"))
    if selector is not None and selector_is_empty(_d(selector)):
        errs.append(field_invalid("spec.selector", go_label_selector(_d(selector)),
                                  "empty selector is invalid for daemonset"))
    errs += _validate_pod_template_spec(template, "spec.template")
    pod_spec = _d(template.get("spec"))
    if _s(pod_spec.get("restartPolicy")) != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", _s(pod_spec.get("restartPolicy")), ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    errs += validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    strategy = _d(spec.get("updateStrategy"))
    stype = _s(strategy.get("type"))
    spath = "spec.updateStrategy"
    if stype == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            errs.append(required(f"{spath}.rollingUpdate"))
        else:
            rolling = _d(rolling)
            rpath = f"{spath}.rollingUpdate"
            unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
            errs += _validate_positive_int_or_percent(unavailable, f"{rpath}.maxUnavailable")
            errs += _validate_positive_int_or_percent(surge, f"{rpath}.maxSurge")
            errs += _not_more_than_100_percent(unavailable, f"{rpath}.maxUnavailable")
            errs += _not_more_than_100_percent(surge, f"{rpath}.maxSurge")
            has_unavailable, has_surge = _intstr_value(unavailable) != 0, _intstr_value(surge) != 0
            if has_unavailable and has_surge:
                errs.append(field_invalid(f"{rpath}.maxSurge", _go_intstr(surge),
                                          "may not be set when maxUnavailable is non-zero"))
            elif not has_unavailable and not has_surge:
                errs.append(required(f"{rpath}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif stype != "OnDelete":
        rendered = (f"apps.DaemonSetUpdateStrategy{{Type:{go_quote(stype)}, "
                    f"RollingUpdate:{_go_ptr('apps.RollingUpdateDaemonSet', strategy.get('rollingUpdate'))}}}")
        errs.append(not_supported(spath, GoRepr(rendered), ["RollingUpdate", "OnDelete"]))
    if spec.get("revisionHistoryLimit") is not None:
        errs += validate_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    return errs + _selector_immutable(obj, old)


def _validate_stateful_set(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs: Errors = []
    policy = _s(spec.get("podManagementPolicy"))
    if not policy:
        errs.append(required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(field_invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    strategy = _d(spec.get("updateStrategy"))
    stype = _s(strategy.get("type"))
    if not stype:
        errs.append(required("spec.updateStrategy"))
    elif stype == "OnDelete":
        if strategy.get("rollingUpdate") is not None:
            rolling = _d(strategy["rollingUpdate"])
            rendered = (f"apps.RollingUpdateStatefulSetStrategy{{Partition:{rolling.get('partition', 0)}, "
                        f"MaxUnavailable:{_go_ptr('intstr.IntOrString', rolling.get('maxUnavailable'))}}}")
            errs.append(field_invalid("spec.updateStrategy.rollingUpdate", GoRepr("&" + rendered),
                                      "only allowed for updateStrategy 'RollingUpdate'"))
    elif stype == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is not None:
            rolling = _d(rolling)
            rpath = "spec.updateStrategy.rollingUpdate"
            errs += validate_nonnegative(rolling.get("partition", 0), f"{rpath}.partition")
            if rolling.get("maxUnavailable") is not None:
                unavailable = rolling["maxUnavailable"]
                errs += _validate_positive_int_or_percent(unavailable, f"{rpath}.maxUnavailable")
                if _intstr_value(unavailable) == 0:
                    errs.append(field_invalid(f"{rpath}.maxUnavailable", _go_intstr(unavailable), "cannot be 0"))
                errs += _not_more_than_100_percent(unavailable, f"{rpath}.maxUnavailable")
    else:
        rendered = (f"apps.StatefulSetUpdateStrategy{{Type:{go_quote(stype)}, "
                    f"RollingUpdate:{_go_ptr('apps.RollingUpdateStatefulSetStrategy', strategy.get('rollingUpdate'))}}}")
        errs.append(field_invalid("spec.updateStrategy", GoRepr(rendered), "must be 'RollingUpdate' or 'OnDelete'"))
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        for key in ("whenDeleted", "whenScaled"):
            value = _s(_d(retention).get(key))
            if value not in ("Retain", "Delete"):
                errs.append(not_supported(f"spec.persistentVolumeClaimRetentionPolicy.{key}", value,
                                          ["Retain", "Delete"]))
    errs += validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    if spec.get("ordinals") is not None:
        errs += validate_nonnegative(_d(spec["ordinals"]).get("start", 0), "spec.ordinals.start")
    selector = spec.get("selector")
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        errs += validate_label_selector(_d(selector), "spec.selector")
        if selector_is_empty(_d(selector)):
            errs.append(field_invalid("spec.selector", go_label_selector(_d(selector)),
                                      "empty selector is invalid for statefulset"))
    template = _d(spec.get("template"))
    labels = _d(template.get("metadata")).get("labels")
    if not selector_is_empty(selector) and not selector_matches(selector, labels):
        errs.append(field_invalid("spec.template.metadata.labels", go_string_map(labels),
                                  "`selector` does not match template `labels`"))
    errs += validate_labels(_d(template.get("metadata")).get("labels"), "spec.template.labels")
    errs += validate_annotations(_d(template.get("metadata")).get("annotations"), "spec.template.annotations")
    errs += _validate_pod_specific_annotations(_d(template.get("metadata")).get("annotations"),
                                               _d(template.get("spec")), "spec.template.annotations")
    pod_spec = _d(template.get("spec"))
    if _s(pod_spec.get("restartPolicy")) != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", _s(pod_spec.get("restartPolicy")), ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in StatefulSet is not Supported"))
    if old is not None:
        new_clone, old_clone = copy.deepcopy(dict(spec)), _d(old.get("spec"))
        for key in ("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                    "persistentVolumeClaimRetentionPolicy"):
            if key in old_clone:
                new_clone[key] = old_clone[key]
            else:
                new_clone.pop(key, None)
        if _semantic(new_clone) != _semantic(old_clone):
            errs.append(forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                                  "'minReadySeconds' are forbidden"))
    return errs


# --- batch ------------------------------------------------------------------------------------------------

_CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
_JOB_NAME = "batch.kubernetes.io/job-name"


def _validate_job_spec_common(spec: Mapping[str, Any], path: str) -> Errors:
    """validateJobSpec: what a Job and a CronJob's job template share."""
    errs: Errors = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
                "backoffLimitPerIndex", "maxFailedIndexes"):
        if spec.get(key) is not None:
            errs += validate_nonnegative(spec[key], f"{path}.{key}")
    if spec.get("maxFailedIndexes") is not None and spec.get("backoffLimitPerIndex") is None:
        errs.append(required(f"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified"))
    managed_by = spec.get("managedBy")
    if managed_by is not None:
        errs += is_domain_prefixed_path(f"{path}.managedBy", _s(managed_by))
        if len(_s(managed_by)) > 63:
            errs.append(too_long(f"{path}.managedBy", 63))
    mode = spec.get("completionMode")
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errs.append(not_supported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
        if mode == "Indexed":
            if spec.get("completions") is None:
                errs.append(required(f"{path}.completions", "when completion mode is Indexed"))
            parallelism = spec.get("parallelism")
            if _is_int(parallelism) and parallelism > 100000:
                errs.append(field_invalid(f"{path}.parallelism", parallelism,
                                          "must be less than or equal to 100000 when completion mode is Indexed"))
    if mode in (None, "NonIndexed"):
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(field_invalid(f"{path}.{key}", spec[key], "requires indexed completion mode"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if spec.get("podFailurePolicy") is not None:
            if replacement != "Failed":
                errs.append(not_supported(f"{path}.podReplacementPolicy", replacement, ["Failed"]))
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            errs.append(not_supported(f"{path}.podReplacementPolicy", replacement, ["Failed", "TerminatingOrFailed"]))
    tpath = f"{path}.template"
    errs += _validate_pod_template_spec(spec.get("template"), tpath)
    restart = _s(_d(_d(spec.get("template")).get("spec")).get("restartPolicy"))
    if restart in ("Always", ""):
        errs.append(required(f"{tpath}.spec.restartPolicy", 'valid values: "OnFailure", "Never"'))
    elif restart not in ("OnFailure", "Never"):
        errs.append(not_supported(f"{tpath}.spec.restartPolicy", restart, ["OnFailure", "Never"]))
    elif spec.get("podFailurePolicy") is not None and restart != "Never":
        errs.append(field_invalid(f"{tpath}.spec.restartPolicy", restart,
                                  'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _validate_job(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    meta, spec = _d(obj.get("metadata")), _d(obj.get("spec"))
    errs: Errors = []
    manual = spec.get("manualSelector") is True
    selector = spec.get("selector")
    uid, name = _s(meta.get("uid")), _s(meta.get("name"))
    template_labels = _d(_d(_d(spec.get("template")).get("metadata")).get("labels"))
    if not manual and selector is not None and old is None:
        # validateGeneratedSelector: the strategy generates selector and labels from the uid.
        if not uid:
            errs.append(required("metadata.uid"))
        for key, expected in (("controller-uid", uid), ("job-name", name), (_CONTROLLER_UID, uid), (_JOB_NAME, name)):
            if key not in template_labels:
                errs.append(required(f"spec.template.metadata.labels[{key}]", f"must be '{expected}'"))
            elif _s(template_labels[key]) != expected:
                errs.append(field_invalid(f"spec.template.metadata.labels[{key}]", go_string_map(template_labels),
                                          f"must be '{expected}'"))
        expected_labels = {_CONTROLLER_UID: uid, _JOB_NAME: name, "controller-uid": uid, "job-name": name}
        if not selector_matches(_d(selector), expected_labels):
            errs.append(field_invalid("spec.selector", go_label_selector(_d(selector)), "`selector` not auto-generated"))
    errs += _validate_job_spec_common(spec, "spec")
    raw_labels = _d(_d(spec.get("template")).get("metadata")).get("labels")
    if selector is None:
        # Without manualSelector the Job strategy generates the selector (from the uid) before validation.
        if manual:
            errs.append(required("spec.selector"))
            errs.append(field_invalid("spec.template.metadata.labels", go_string_map(raw_labels),
                                      "`selector` does not match template `labels`"))
    else:
        errs += validate_label_selector(_d(selector), "spec.selector")
        if not selector_matches(_d(selector), template_labels):
            errs.append(field_invalid("spec.template.metadata.labels", go_string_map(raw_labels),
                                      "`selector` does not match template `labels`"))
    completions = spec.get("completions")
    if old is None and spec.get("completionMode") == "Indexed" and _is_int(completions) and completions > 0:
        hostname = f"{name}-{completions - 1}"
        if is_dns1123_label(hostname):
            errs.append(field_invalid("metadata.name", name,
                                      f"will not able to create pod with invalid DNS label: {hostname}"))
    if old is not None:
        old_spec = _d(old.get("spec"))
        errs += _immutable(spec.get("completions"), old_spec.get("completions"), "spec.completions")
        if _semantic(spec.get("selector")) != _semantic(old_spec.get("selector")):
            errs.append(field_invalid("spec.selector", go_label_selector(spec.get("selector")), FIELD_IMMUTABLE))
        template, old_template = _d(spec.get("template")), _d(old_spec.get("template"))
        if _semantic(template) != _semantic(old_template):
            errs.append(field_invalid("spec.template", GoRepr("core.PodTemplateSpec{...}"), FIELD_IMMUTABLE))
        for key in ("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"):
            if _semantic(spec.get(key)) != _semantic(old_spec.get(key)):
                errs.append(field_invalid(f"spec.{key}", spec.get(key) if not isinstance(spec.get(key), (dict, list))
                                          else GoRepr("{...}"), FIELD_IMMUTABLE))
    return errs


def _validate_job_template(job_template: Mapping[str, Any], path: str) -> Errors:
    spec = _d(job_template.get("spec"))
    errs = _validate_job_spec_common(spec, f"{path}.spec")
    if spec.get("selector") is not None:
        errs.append(field_invalid(f"{path}.spec.selector", go_label_selector(_d(spec["selector"])),
                                  "`selector` will be auto-generated"))
    if spec.get("manualSelector") is True:
        errs.append(not_supported(f"{path}.spec.manualSelector", True, ["nil", "false"]))
    return errs


def _validate_cron_job(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    meta, spec = _d(obj.get("metadata")), _d(obj.get("spec"))
    old_spec = _d(old.get("spec")) if old is not None else None
    errs: Errors = []
    schedule = _s(spec.get("schedule"))
    if not schedule:
        errs.append(required("spec.schedule"))
    else:
        allow_tz = old_spec is not None and "TZ" in _s(old_spec.get("schedule"))
        problem = cron_parse_error(schedule)
        if problem:
            errs.append(field_invalid("spec.schedule", schedule, problem))
        if allow_tz and "TZ" in schedule and spec.get("timeZone") is not None:
            errs.append(field_invalid("spec.schedule", schedule,
                                      "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
        elif not allow_tz and "TZ" in schedule:
            errs.append(field_invalid("spec.schedule", schedule,
                                      "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs += validate_nonnegative(spec["startingDeadlineSeconds"], "spec.startingDeadlineSeconds")
    if old_spec is None or spec.get("timeZone") != old_spec.get("timeZone"):
        errs += _validate_time_zone(spec.get("timeZone"), "spec.timeZone")
    policy = _s(spec.get("concurrencyPolicy"))
    if not policy:
        errs.append(required("spec.concurrencyPolicy"))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(not_supported("spec.concurrencyPolicy", policy, ["Allow", "Forbid", "Replace"]))
    errs += _validate_job_template(_d(spec.get("jobTemplate")), "spec.jobTemplate")
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(key) is not None:
            errs += validate_nonnegative(spec[key], f"spec.{key}")
    name = _s(meta.get("name"))
    if old is None and len(name) > 52:
        errs.append(field_invalid("metadata.name", name, "must be no more than 52 characters"))
    return errs


_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}\Z")


def _validate_time_zone(tz: Any, path: str) -> Errors:
    if tz is None:
        return []
    tz = _s(tz)
    if not tz:
        return [field_invalid(path, tz, "timeZone must be nil or non-empty string")]
    for part in tz.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.match(part):
            return [field_invalid(path, tz, f"unknown time zone {tz}")]
    errs: Errors = []
    if tz.lower() == "local":
        errs.append(field_invalid(path, tz, "timeZone must be an explicit time zone as defined in "
                                  "https://www.iana.org/time-zones"))
    if tz != "UTC" and tz.lower() != "local":
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errs.append(field_invalid(path, tz, f"unknown time zone {tz}"))
    return errs


# robfig/cron v3 ParseStandard (minute hour dom month dow, descriptors allowed)
_CRON_BOUNDS = [(0, 59, None), (0, 23, None), (1, 31, None),
                (1, 12, {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                                        "sep", "oct", "nov", "dec"])}),
                (0, 6, {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])})]
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_GO_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z")


def _go_atoi_error(text: str) -> str:
    kind = "value out of range" if re.fullmatch(r"[-+]?[0-9]+", text) else "invalid syntax"
    return f"strconv.Atoi: parsing {go_quote(text)}: {kind}"


def _cron_int(text: str) -> tuple[int, str]:
    if not re.fullmatch(r"[-+]?[0-9]+", text) or len(text.lstrip("+-")) > 18:
        return 0, f"failed to parse int from {text}: {_go_atoi_error(text)}"
    num = int(text)
    if num < 0:
        return 0, f"negative number ({num}) not allowed: {text}"
    return num, ""


def cron_parse_error(spec: str) -> str:
    """The error robfig/cron v3's ParseStandard reports for a schedule, or "" when it parses."""
    if not spec:
        return "empty spec string"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        i = spec.find(" ")
        eq = spec.find("=")
        zone = spec[eq + 1:i] if i >= 0 else spec[eq + 1:]
        try:
            if zone != "UTC" and zone != "Local":
                zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return f"provided bad location {zone}: unknown time zone {zone}"
        spec = spec[i:].strip() if i >= 0 else ""
    if spec.startswith("@"):
        if spec in _DESCRIPTORS:
            return ""
        if spec.startswith("@every "):
            duration = spec[len("@every "):]
            if not _GO_DURATION.match(duration) and duration != "0":
                return f"failed to parse duration {spec}: time: invalid duration {go_quote(duration)}"
            return ""
        return f"unrecognized descriptor: {spec}"
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for text, (lo, hi, names) in zip(fields, _CRON_BOUNDS):
        for expr in [r for r in text.split(",") if r]:
            problem = _cron_range(expr, lo, hi, names)
            if problem:
                return problem
    return ""


def _cron_range(expr: str, lo: int, hi: int, names: dict[str, int] | None) -> str:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start, problem = _cron_int_or_name(low_and_high[0], names)
        if problem:
            return problem
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end, problem = _cron_int_or_name(low_and_high[1], names)
            if problem:
                return problem
        else:
            return f"too many hyphens: {expr}"
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step, problem = _cron_int(range_and_step[1])
        if problem:
            return problem
        if single:
            end = hi
    else:
        return f"too many slashes: {expr}"
    if start < lo:
        return f"beginning of range ({start}) below minimum ({lo}): {expr}"
    if end > hi:
        return f"end of range ({end}) above maximum ({hi}): {expr}"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end}): {expr}"
    if step == 0:
        return f"step of range should be a positive number: {expr}"
    return ""


def _cron_int_or_name(text: str, names: dict[str, int] | None) -> tuple[int, str]:
    if names and text.lower() in names:
        return names[text.lower()], ""
    return _cron_int(text)


# --- networking -----------------------------------------------------------------------------------------

_PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]


def _validate_ingress_backend(backend: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    resource, service = backend.get("resource"), backend.get("service")
    if resource is not None and service is not None:
        return [field_invalid(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        resource = _d(resource)
        rpath = f"{path}.resource"
        if resource.get("apiGroup") is not None:
            errs += _names(is_dns1123_subdomain(_s(resource["apiGroup"])), f"{rpath}.apiGroup", _s(resource["apiGroup"]))
        for key in ("kind", "name"):
            value = _s(resource.get(key))
            if not value:
                errs.append(required(f"{rpath}.{key}"))
            else:
                errs += _names(is_path_segment_name(value), f"{rpath}.{key}", value)
        return errs
    if service is None:
        return [field_invalid(path, "", "resource or service backend is required")]
    service = _d(service)
    name = _s(service.get("name"))
    if not name:
        errs.append(required(f"{path}.service.name"))
    else:
        errs += _names(name_is_dns1035_label(name), f"{path}.service.name", name)
    port = _d(service.get("port"))
    port_name, port_number = _s(port.get("name")), port.get("number") or 0
    if port_name and port_number:
        errs.append(field_invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        errs += _names(is_valid_port_name(port_name), f"{path}.service.port.name", port_name)
    elif port_number:
        errs += _names(is_valid_port_num(port_number) if _is_int(port_number) else [inclusive_range_error(1, 65535)],
                       f"{path}.service.port.number", port_number)
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_ingress(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs: Errors = []
    rules = spec.get("rules")
    if not _l(rules) and spec.get("defaultBackend") is None:
        value = GoRepr("[]networking.IngressRule(nil)") if rules is None else GoRepr("[]networking.IngressRule{}")
        errs.append(field_invalid("spec", value, "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += _validate_ingress_backend(_d(spec["defaultBackend"]), "spec.defaultBackend")
    for i, rule in enumerate(_l(rules)):
        rule = _d(rule)
        rpath = f"spec.rules[{i}]"
        host = _s(rule.get("host"))
        if host:
            if parse_ip_sloppy(host) is not None:
                errs.append(field_invalid(f"{rpath}.host", host, "must be a DNS name, not an IP address"))
            if "*" in host:
                errs += _names(is_wildcard_dns1123_subdomain(host), f"{rpath}.host", host)
            else:
                errs += _names(is_dns1123_subdomain(host), f"{rpath}.host", host)
        http = rule.get("http")
        if http is not None:
            paths = _l(_d(http).get("paths"))
            hpath = f"{rpath}.http"
            if not paths:
                errs.append(required(f"{hpath}.paths"))
            for j, item in enumerate(paths):
                errs += _validate_http_ingress_path(_d(item), f"{hpath}.paths[{j}]")
    for i, tls in enumerate(_l(spec.get("tls"))):
        tls = _d(tls)
        for j, host in enumerate(_l(tls.get("hosts"))):
            host = _s(host)
            check = is_wildcard_dns1123_subdomain if "*" in host else is_dns1123_subdomain
            errs += _names(check(host), f"spec.tls[{i}].hosts[{j}]", host)
        secret = _s(tls.get("secretName"))
        if secret:
            errs += _names(name_is_dns_subdomain(secret), f"spec.tls[{i}].secretName", secret)
    if spec.get("ingressClassName") is not None:
        errs += _names(name_is_dns_subdomain(_s(spec["ingressClassName"])), "spec.ingressClassName",
                       _s(spec["ingressClassName"]))
    if old is None:
        annotation = _d(_d(obj.get("metadata")).get("annotations")).get("kubernetes.io/ingress.class")
        if annotation is not None and spec.get("ingressClassName") is not None and annotation != spec["ingressClassName"]:
            errs.append(field_invalid("annotations.kubernetes.io/ingress.class", _s(annotation),
                                      "must match `ingressClassName` when both are specified"))
    return errs


def _validate_http_ingress_path(item: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    path_type = item.get("pathType")
    if path_type is None:
        return [required(f"{path}.pathType", "pathType must be specified")]
    value = _s(item.get("path"))
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(field_invalid(f"{path}.path", value, "must be an absolute path"))
        if value:
            for seq in ("//", "/./", "/../", "%2f", "%2F"):
                if seq in value:
                    errs.append(field_invalid(f"{path}.path", value, f"must not contain '{seq}'"))
            for suffix in ("/..", "/."):
                if value.endswith(suffix):
                    errs.append(field_invalid(f"{path}.path", value, f"cannot end with '{suffix}'"))
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(field_invalid(f"{path}.path", value, "must be an absolute path"))
    else:
        errs.append(not_supported(f"{path}.pathType", path_type, _PATH_TYPES))
    return errs + _validate_ingress_backend(_d(item.get("backend")), f"{path}.backend")


def _validate_ingress_class(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs: Errors = []
    controller = _s(spec.get("controller"))
    if not controller:
        errs.append(required("spec.controller"))
    else:
        if len(controller) > 250:
            errs.append(too_long("spec.controller", 250))
        errs += is_domain_prefixed_path("spec.controller", controller)
    if old is not None:
        errs += _immutable(controller, _s(_d(old.get("spec")).get("controller")), "spec.controller")
    return errs


def _validate_network_policy(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs = validate_label_selector(_d(spec.get("podSelector")), "spec.podSelector")
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(_l(spec.get(direction))):
            rule = _d(rule)
            rpath = f"spec.{direction}[{i}]"
            for j, port in enumerate(_l(rule.get("ports"))):
                errs += _validate_network_policy_port(_d(port), f"{rpath}.ports[{j}]")
            for j, peer in enumerate(_l(rule.get(peers_key))):
                errs += _validate_network_policy_peer(_d(peer), f"{rpath}.{peers_key}[{j}]")
    types = _l(spec.get("policyTypes"))
    if len(types) > 2:
        errs.append(field_invalid("spec.policyTypes", GoRepr(f"&{go_string_slice(types, '[]networking.PolicyType')}"),
                                  "may not specify more than two policyTypes"))
        return errs
    for i, ptype in enumerate(types):
        if ptype not in ("Ingress", "Egress"):
            errs.append(not_supported(f"spec.policyTypes[{i}]", ptype, ["Ingress", "Egress"]))
    return errs


def _validate_network_policy_port(port: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    protocol = port.get("protocol")
    if protocol is not None and protocol not in ("TCP", "UDP", "SCTP"):
        errs.append(not_supported(f"{path}.protocol", protocol, ["TCP", "UDP", "SCTP"]))
    value, end = port.get("port"), port.get("endPort")
    if value is not None:
        if _is_int(value):
            errs += _names(is_valid_port_num(value), f"{path}.port", value)
            if end is not None:
                if _is_int(end) and end < value:
                    errs.append(field_invalid(f"{path}.endPort", end, "must be greater than or equal to `port`"))
                if _is_int(end):
                    errs += _names(is_valid_port_num(end), f"{path}.endPort", end)
        else:
            if end is not None:
                errs.append(field_invalid(f"{path}.endPort", end, "may not be specified when `port` is non-numeric"))
            errs += _names(is_valid_port_name(_s(value)), f"{path}.port", _s(value))
    elif end is not None:
        errs.append(field_invalid(f"{path}.endPort", end, "may not be specified when `port` is not specified"))
    return errs


def _validate_network_policy_peer(peer: Mapping[str, Any], path: str) -> Errors:
    errs: Errors = []
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        if peer.get(key) is not None:
            count += 1
            errs += validate_label_selector(_d(peer[key]), f"{path}.{key}")
    if peer.get("ipBlock") is not None:
        count += 1
        block = _d(peer["ipBlock"])
        cidr = _s(block.get("cidr"))
        if not cidr:
            errs.append(required(f"{path}.ipBlock.cidr"))
        else:
            errs += _validate_cidr(cidr, f"{path}.ipBlock.cidr")
            for i, except_cidr in enumerate(_l(block.get("except"))):
                errs += _validate_cidr(_s(except_cidr), f"{path}.ipBlock.except[{i}]")
    if count == 0:
        errs.append(required(path, "must specify a peer"))
    elif count > 1 and peer.get("ipBlock") is not None:
        errs.append(forbidden(path, "may not specify both ipBlock and another peer"))
    return errs


# --- rbac -------------------------------------------------------------------------------------------------

_RBAC_GROUP = "rbac.authorization.k8s.io"


def _validate_policy_rules(obj: Mapping[str, Any], namespaced: bool) -> Errors:
    errs: Errors = []
    for i, rule in enumerate(_l(obj.get("rules"))):
        rule = _d(rule)
        path = f"rules[{i}]"
        if not _l(rule.get("verbs")):
            errs.append(required(f"{path}.verbs", "verbs must contain at least one value"))
        urls = _l(rule.get("nonResourceURLs"))
        if urls:
            if namespaced:
                errs.append(field_invalid(f"{path}.nonResourceURLs", go_string_slice(urls),
                                          "namespaced rules cannot apply to non-resource URLs"))
            if _l(rule.get("apiGroups")) or _l(rule.get("resources")) or _l(rule.get("resourceNames")):
                errs.append(field_invalid(f"{path}.nonResourceURLs", go_string_slice(urls),
                                          "rules cannot apply to both regular resources and non-resource URLs"))
            continue
        if not _l(rule.get("apiGroups")):
            errs.append(required(f"{path}.apiGroups", "resource rules must supply at least one api group"))
        if not _l(rule.get("resources")):
            errs.append(required(f"{path}.resources", "resource rules must supply at least one resource"))
        if _l(rule.get("resourceNames")) and len(_l(rule.get("resources"))) > 1:
            errs.append(required(f"{path}.resourceNames", "resource names cannot apply to multiple resources"))
    return errs


def _validate_role(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    return _validate_policy_rules(obj, True)


def _validate_cluster_role(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    return _validate_policy_rules(obj, False)


def _go_role_ref(ref: Mapping[str, Any]) -> GoRepr:
    return GoRepr(f"rbac.RoleRef{{APIGroup:{go_quote(_s(ref.get('apiGroup')))}, Kind:{go_quote(_s(ref.get('kind')))}, "
                  f"Name:{go_quote(_s(ref.get('name')))}}}")


def _validate_binding(obj: Mapping[str, Any], old: Mapping[str, Any] | None, namespaced: bool) -> Errors:
    errs: Errors = []
    ref = _d(obj.get("roleRef"))
    if _s(ref.get("apiGroup")) != _RBAC_GROUP:
        errs.append(not_supported("roleRef.apiGroup", _s(ref.get("apiGroup")), [_RBAC_GROUP]))
    kinds = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    if _s(ref.get("kind")) not in kinds:
        errs.append(not_supported("roleRef.kind", _s(ref.get("kind")), kinds))
    name = _s(ref.get("name"))
    if not name:
        errs.append(required("roleRef.name"))
    else:
        errs += _names(is_path_segment_name(name), "roleRef.name", name)
    for i, subject in enumerate(_l(obj.get("subjects"))):
        errs += _validate_subject(_d(subject), namespaced, f"subjects[{i}]")
    if old is not None:
        old_ref = _d(old.get("roleRef"))
        if any(_s(ref.get(k)) != _s(old_ref.get(k)) for k in ("apiGroup", "kind", "name")):
            errs.append(field_invalid("roleRef", _go_role_ref(ref), "cannot change roleRef"))
    return errs


def _validate_subject(subject: Mapping[str, Any], namespaced: bool, path: str) -> Errors:
    errs: Errors = []
    name, kind, group = _s(subject.get("name")), _s(subject.get("kind")), _s(subject.get("apiGroup"))
    if not name:
        errs.append(required(f"{path}.name"))
    if kind == "ServiceAccount":
        if name:
            errs += _names(name_is_dns_subdomain(name), f"{path}.name", name)
        if group:
            errs.append(not_supported(f"{path}.apiGroup", group, [""]))
        if not namespaced and not subject.get("namespace"):
            errs.append(required(f"{path}.namespace"))
    elif kind in ("User", "Group"):
        if not name:
            errs.append(field_invalid(f"{path}.name", name, f"{kind.lower()} name cannot be empty"))
        if group != _RBAC_GROUP:
            errs.append(not_supported(f"{path}.apiGroup", group, [_RBAC_GROUP]))
    else:
        errs.append(not_supported(f"{path}.kind", kind, ["ServiceAccount", "User", "Group"]))
    return errs


# --- policy -----------------------------------------------------------------------------------------------


def _validate_pod_disruption_budget(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    spec = _d(obj.get("spec"))
    errs: Errors = []
    min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
    if min_available is not None and max_unavailable is not None:
        rendered = ("policy.PodDisruptionBudgetSpec{"
                    f"MinAvailable:{_go_ptr('intstr.IntOrString', min_available)}, "
                    f"Selector:{_go_ptr('v1.LabelSelector', spec.get('selector'))}, "
                    f"MaxUnavailable:{_go_ptr('intstr.IntOrString', max_unavailable)}, "
                    f"UnhealthyPodEvictionPolicy:{_go_ptr('policy.UnhealthyPodEvictionPolicyType', spec.get('unhealthyPodEvictionPolicy'))}}}")
        errs.append(field_invalid("spec", GoRepr(rendered), "minAvailable and maxUnavailable cannot be both set"))
    for key, value in (("minAvailable", min_available), ("maxUnavailable", max_unavailable)):
        if value is not None:
            errs += _validate_positive_int_or_percent(value, f"spec.{key}")
            errs += _not_more_than_100_percent(value, f"spec.{key}")
    errs += validate_label_selector(spec.get("selector"), "spec.selector")
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in ("AlwaysAllow", "IfHealthyBudget"):
        errs.append(not_supported("spec.unhealthyPodEvictionPolicy", policy, ["AlwaysAllow", "IfHealthyBudget"]))
    return errs


def _validate_custom_resource_definition(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> Errors:
    """apiextensions/validation: v1 requires a schema on every version (kept lenient on an update of an
    object that already lacked one: requireOpenAPISchema is computed from the old object)."""
    def missing(crd: Mapping[str, Any] | None) -> list[int]:
        versions = _d(_d(crd).get("spec")).get("versions")
        return [i for i, v in enumerate(versions if isinstance(versions, list) else [])
                if not _d(_d(v).get("schema")).get("openAPIV3Schema")]

    if old is not None and missing(old):
        return []
    return [required(f"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required") for i in missing(obj)]


_KINDS: dict[tuple[str, str], Callable[[Mapping[str, Any], Mapping[str, Any] | None], Errors]] = {
    ("", "Pod"): _validate_pod,
    ("", "PodTemplate"): _validate_pod_template_kind,
    ("", "ReplicationController"): _validate_replication_controller,
    ("", "Service"): _validate_service,
    ("", "ConfigMap"): _validate_config_map,
    ("", "Secret"): _validate_secret,
    ("", "Namespace"): _validate_namespace,
    ("", "PersistentVolume"): _validate_persistent_volume,
    ("", "PersistentVolumeClaim"): _validate_pvc,
    ("", "ResourceQuota"): _validate_resource_quota,
    ("apps", "Deployment"): _validate_deployment,
    ("apps", "ReplicaSet"): _validate_replica_set,
    ("apps", "DaemonSet"): _validate_daemon_set,
    ("apps", "StatefulSet"): _validate_stateful_set,
    ("batch", "Job"): _validate_job,
    ("batch", "CronJob"): _validate_cron_job,
    ("networking.k8s.io", "Ingress"): _validate_ingress,
    ("networking.k8s.io", "IngressClass"): _validate_ingress_class,
    ("networking.k8s.io", "NetworkPolicy"): _validate_network_policy,
    ("rbac.authorization.k8s.io", "Role"): _validate_role,
    ("rbac.authorization.k8s.io", "ClusterRole"): _validate_cluster_role,
    ("rbac.authorization.k8s.io", "RoleBinding"): lambda obj, old: _validate_binding(obj, old, True),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): lambda obj, old: _validate_binding(obj, old, False),
    ("policy", "PodDisruptionBudget"): _validate_pod_disruption_budget,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): _validate_custom_resource_definition,
}

# Kinds whose upstream update validation also re-runs the create-time metadata checks.
_REVALIDATE_META_ON_UPDATE = {
    ("", "Pod"), ("", "Service"), ("", "ConfigMap"), ("", "Secret"), ("", "ServiceAccount"),
    ("", "PersistentVolume"), ("", "PersistentVolumeClaim"), ("networking.k8s.io", "Ingress"),
    ("networking.k8s.io", "IngressClass"), ("rbac.authorization.k8s.io", "Role"),
    ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "RoleBinding"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
}

__all__ = ["validate", "cron_parse_error"]
