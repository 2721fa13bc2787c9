"""The API server's tables: what it answers to `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`.

The columns and cells of pkg/printers/internalversion/printers.go for built-in kinds, `NAME CREATED AT` for
kinds without a printer (Roles, LimitRanges, CRDs; rest.NewDefaultTableConvertor), and `NAME` plus
additionalPrinterColumns (default `AGE`) for custom resources. The server always computes the wide cells;
priority-1 columns are what `kubectl get -o wide` reveals. kubectl's rendering of a Table is
kauth/kubectl/printers.py. Everything is pure: objects in, a Table out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_CEILING, Decimal
from typing import Any, Callable, Iterable, Mapping, Sequence

from kauth.api.labels import label_selector_string
from kauth.api.resources import ResourceType
from kauth.api import jsonpath as jp

__all__ = [
    "Column",
    "Table",
    "human_duration",
    "translate_timestamp",
    "server_table",
    "crd_printer_columns",
    "format_quantity",
    "format_labels",
    "has_printer",
]


# --------------------------------------------------------------------------- time


def human_duration(seconds: float) -> str:
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration: `0s`, `119s`, `3m10s`, `3h12m`, `2d1h`, `2y1d`."""
    ns = int(round(seconds * 1_000_000_000)) if isinstance(seconds, float) else int(seconds) * 1_000_000_000
    return _human_duration_ns(ns)


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _human_duration_ns(ns: int) -> str:
    seconds = _trunc_div(ns, 1_000_000_000)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = ns // 60_000_000_000
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = ns // 3_600_000_000_000
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


_TS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$"
)


def _parse_time(value: Any) -> datetime | None:
    """A metav1.Time / MicroTime from its JSON form; None when absent or unparseable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not isinstance(value, str) or not value:
        return None
    m = _TS.match(value)
    if not m:
        return None
    frac = (m.group(7) or "")[:6].ljust(6, "0")
    text = f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}:{m.group(5)}:{m.group(6)}.{frac}"
    tz = m.group(8)
    text += "+00:00" if tz in ("Z", "z") else tz
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def _since_ns(ts: datetime, now: datetime) -> int:
    delta = _aware(now) - ts
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def translate_timestamp(value: Any, now: datetime) -> str:
    """translateTimestampSince: HumanDuration of now - value, `<unknown>` without a timestamp."""
    ts = _parse_time(value)
    if ts is None:
        return "<unknown>"
    return _human_duration_ns(_since_ns(ts, now))


def _rfc3339_utc(value: Any) -> str:
    ts = _parse_time(value)
    if ts is None:
        return "0001-01-01T00:00:00Z"
    return ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- small Go helpers


def _g(obj: Any, *path: str, default: Any = None) -> Any:
    cur = obj
    for key in path:
        if not isinstance(cur, Mapping):
            return default
        cur = cur.get(key)
        if cur is None:
            return default
    return cur


def _ls(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def format_labels(labels: Mapping | None) -> str:
    """labels.FormatLabels: `a=1,b=2` in key order, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(sorted(f"{k}={v}" for k, v in labels.items()))  # Go sorts the "k=v" strings


def format_label_selector(selector: Mapping | None) -> str:
    """metav1.FormatLabelSelector: the selector string, `<none>` when it selects everything."""
    s = label_selector_string(selector) if selector is not None else ""
    if s is None:
        return "<error>"
    return s or "<none>"


def _layout_containers(containers: Any) -> tuple[str, str]:
    cs = [c for c in _ls(containers) if isinstance(c, Mapping)]
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def _join_host_port(host: str, port: Any) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _intstr(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _bool_ptr(value: Any) -> str:
    if value is None:
        return "<unset>"
    return "True" if value else "False"


# --------------------------------------------------------------------------- quantities

_SUFFIX = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXP = {v: k for k, v in _DECIMAL.items()}


def format_quantity(value: Any) -> str:
    """resource.Quantity.String(): the canonical form (`0.5Gi` -> `512Mi`, `1000M` -> `1G`)."""
    if value is None:
        return "0"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        value = repr(value) if isinstance(value, float) else str(value)
    text = str(value).strip()
    m = _SUFFIX.match(text)
    if not m:
        return text
    number, suffix = Decimal(m.group(1)), m.group(2)
    if suffix in _BINARY:
        amount = number * (Decimal(1024) ** _BINARY[suffix])
        fmt = "binary"
    elif suffix in _DECIMAL:
        amount = number * (Decimal(10) ** _DECIMAL[suffix])
        fmt = "decimal"
    elif re.fullmatch(r"[eE][+-]?[0-9]+", suffix):
        amount = number * (Decimal(10) ** int(suffix[1:]))
        fmt = "exponent"
    else:
        return text
    # Quantities keep nano precision, rounding up.
    amount = amount.quantize(Decimal("1e-9"), rounding=ROUND_CEILING) if amount != amount.to_integral() else amount
    if amount == 0:
        return "0"
    neg = amount < 0
    mag = -amount if neg else amount
    sign = "-" if neg else ""
    if fmt == "binary" and mag == mag.to_integral() and mag >= 1024:
        n = int(mag)
        exp = 0
        while exp < 6 and n % 1024 == 0:
            n //= 1024
            exp += 1
        suffix = "" if exp == 0 else next(k for k, v in _BINARY.items() if v == exp)
        return f"{sign}{n}{suffix}"
    # DecimalSI (also binary values that are small or fractional)
    digits = mag.normalize()
    _, ds, exp10 = digits.as_tuple()
    mant = int("".join(map(str, ds)))
    # express as mant * 10^exp10, move exponent down to a multiple of 3
    while exp10 % 3 != 0:
        mant *= 10
        exp10 -= 1
    while exp10 > 18:
        mant *= 1000
        exp10 -= 3
    if fmt == "exponent":
        return f"{sign}{mant}" + (f"e{exp10}" if exp10 else "")
    return f"{sign}{mant}{_DECIMAL_BY_EXP[exp10]}"


# --------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Column:
    """A metav1.TableColumnDefinition: priority 1 columns show only with `-o wide`."""

    name: str
    type: str = "string"
    format: str = ""
    priority: int = 0


@dataclass(frozen=True)
class Table:
    """A metav1.Table as the API server returns it: cells per row, and each row's object."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    objects: tuple[Mapping, ...] = field(default=(), repr=False)


def _c(name: str, type: str = "string", priority: int = 0) -> Column:
    return Column(name, type, "name" if name == "Name" else "", priority)


_NAME = Column("Name", "string", "name")
_AGE = _c("Age")

Printer = Callable[[Mapping, datetime], list]


# ---- pods

def _restartable(container: Any) -> bool:
    return isinstance(container, Mapping) and container.get("restartPolicy") == "Always"


def _later(current: datetime | None, candidate: Any) -> datetime | None:
    ts = _parse_time(candidate)
    if ts is None:
        return current
    if current is None or current < ts:
        return ts
    return current


def _condition_true(conditions: Any, ctype: str) -> bool:
    for c in _ls(conditions):
        if isinstance(c, Mapping) and c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def _pod_row(pod: Mapping, now: datetime) -> list:
    spec = _g(pod, "spec", default={})
    status = _g(pod, "status", default={})
    containers = _ls(spec.get("containers"))
    init_specs = [c for c in _ls(spec.get("initContainers")) if isinstance(c, Mapping)]
    restarts = 0
    restartable_restarts = 0
    total = len(containers)
    ready = 0
    last_restart: datetime | None = None
    last_restartable_restart: datetime | None = None

    phase = status.get("phase") or ""
    reason = phase
    if status.get("reason"):
        reason = status["reason"]
    for cond in _ls(status.get("conditions")):
        if isinstance(cond, Mapping) and cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    by_name = {c.get("name"): c for c in init_specs}
    total += sum(1 for c in init_specs if _restartable(c))

    initializing = False
    for i, cs in enumerate(_ls(status.get("initContainerStatuses"))):
        cs = cs if isinstance(cs, Mapping) else {}
        restarts += _int(cs.get("restartCount"))
        last_term = _g(cs, "lastState", "terminated")
        if last_term is not None:
            last_restart = _later(last_restart, last_term.get("finishedAt"))
        is_sidecar = _restartable(by_name.get(cs.get("name")))
        if is_sidecar:
            restartable_restarts += _int(cs.get("restartCount"))
            if last_term is not None:
                last_restartable_restart = _later(last_restartable_restart, last_term.get("finishedAt"))
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and _int(terminated.get("exitCode")) == 0:
            continue
        if is_sidecar and cs.get("started") is True:
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if _int(terminated.get("signal")) != 0:
                    reason = f"Init:Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(terminated.get('exitCode'))}"
            else:
                reason = "Init:" + terminated["reason"]
            initializing = True
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
            initializing = True
        else:
            reason = f"Init:{i}/{len(init_specs)}"
            initializing = True
        break

    if not initializing or _condition_true(status.get("conditions"), "Initialized"):
        restarts = restartable_restarts
        last_restart = last_restartable_restart
        has_running = False
        for cs in reversed(_ls(status.get("containerStatuses"))):
            cs = cs if isinstance(cs, Mapping) else {}
            restarts += _int(cs.get("restartCount"))
            last_term = _g(cs, "lastState", "terminated")
            if last_term is not None:
                last_restart = _later(last_restart, last_term.get("finishedAt"))
            state = cs.get("state") or {}
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if _int(terminated.get("signal")) != 0:
                    reason = f"Signal:{_int(terminated.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(terminated.get('exitCode'))}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # a pod with one container still running is Running (or NotReady), not Completed
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status.get("conditions"), "Ready") else "NotReady"

    deleting = _g(pod, "metadata", "deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = f"{restarts} ({_human_duration_ns(_since_ns(last_restart, now))} ago)"

    ips = _ls(status.get("podIPs"))
    pod_ip = ips[0].get("ip", "") if ips and isinstance(ips[0], Mapping) else status.get("podIP") or ""
    gates = _ls(spec.get("readinessGates"))
    readiness = "<none>"
    if gates:
        true_count = 0
        for gate in gates:
            ctype = gate.get("conditionType") if isinstance(gate, Mapping) else None
            for cond in _ls(status.get("conditions")):
                if isinstance(cond, Mapping) and cond.get("type") == ctype:
                    if cond.get("status") == "True":
                        true_count += 1
                    break
        readiness = f"{true_count}/{len(gates)}"
    return [
        _g(pod, "metadata", "name", default=""),
        f"{ready}/{total}",
        reason,
        restarts_str,
        translate_timestamp(_g(pod, "metadata", "creationTimestamp"), now),
        pod_ip or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        readiness,
    ]


# ---- workloads


def _name(obj: Mapping) -> str:
    return _g(obj, "metadata", "name", default="")


def _age(obj: Mapping, now: datetime) -> str:
    return translate_timestamp(_g(obj, "metadata", "creationTimestamp"), now)


def _template_containers(obj: Mapping) -> tuple[str, str]:
    return _layout_containers(_g(obj, "spec", "template", "spec", "containers"))


def _deployment_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    names, images = _template_containers(obj)
    sel = label_selector_string(spec.get("selector"))
    return [
        _name(obj),
        f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1) if 'replicas' in spec else 1}",
        _int(status.get("updatedReplicas")),
        _int(status.get("availableReplicas")),
        _age(obj, now),
        names,
        images,
        "<invalid>" if sel is None else sel,
    ]


def _replicas_row(obj: Mapping, now: datetime, selector: str) -> list:
    """printReplicaSet and printReplicationController: the same columns, with each kind's selector text."""
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    names, images = _template_containers(obj)
    return [
        _name(obj),
        _int(spec.get("replicas"), 1) if "replicas" in spec else 1,
        _int(status.get("replicas")),
        _int(status.get("readyReplicas")),
        _age(obj, now),
        names,
        images,
        selector,
    ]


def _replicaset_row(obj: Mapping, now: datetime) -> list:
    return _replicas_row(obj, now, format_label_selector(_g(obj, "spec", default={}).get("selector")))


def _replicationcontroller_row(obj: Mapping, now: datetime) -> list:
    return _replicas_row(obj, now, format_labels(_g(obj, "spec", default={}).get("selector")))


def _daemonset_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    names, images = _template_containers(obj)
    return [
        _name(obj),
        _int(status.get("desiredNumberScheduled")),
        _int(status.get("currentNumberScheduled")),
        _int(status.get("numberReady")),
        _int(status.get("updatedNumberScheduled")),
        _int(status.get("numberAvailable")),
        format_labels(_g(spec, "template", "spec", "nodeSelector")),
        _age(obj, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _statefulset_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    names, images = _template_containers(obj)
    replicas = _int(spec.get("replicas"), 1) if "replicas" in spec else 1
    return [_name(obj), f"{_int(status.get('readyReplicas'))}/{replicas}", _age(obj, now), names, images]


def _job_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec.get('completions'))}"
    else:
        parallelism = _int(spec.get("parallelism"))
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    start, done = _parse_time(status.get("startTime")), _parse_time(status.get("completionTime"))
    if start is None:
        duration = ""
    elif done is None:
        duration = _human_duration_ns(_since_ns(start, now))
    else:
        duration = _human_duration_ns(_since_ns(start, done))
    conds = status.get("conditions")
    if _condition_true(conds, "Complete"):
        job_status = "Complete"
    elif _condition_true(conds, "Failed"):
        job_status = "Failed"
    elif _g(obj, "metadata", "deletionTimestamp") is not None:
        job_status = "Terminating"
    elif _condition_true(conds, "Suspended"):
        job_status = "Suspended"
    elif _condition_true(conds, "FailureTarget"):
        job_status = "FailureTarget"
    else:
        job_status = "Running"
    names, images = _template_containers(obj)
    return [
        _name(obj), job_status, completions, duration, _age(obj, now),
        names, images, format_label_selector(spec.get("selector")),
    ]


def _cronjob_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    last = "<none>"
    if status.get("lastScheduleTime") is not None:
        last = translate_timestamp(status.get("lastScheduleTime"), now)
    job_spec = _g(spec, "jobTemplate", "spec", default={})
    names, images = _layout_containers(_g(job_spec, "template", "spec", "containers"))
    return [
        _name(obj),
        spec.get("schedule", ""),
        spec.get("timeZone") if spec.get("timeZone") is not None else "<none>",
        _bool_ptr(spec.get("suspend")),
        len(_ls(status.get("active"))),
        last,
        _age(obj, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


# ---- services and networking


def _lb_ingress(ingress: Any) -> list[str]:
    result = set()
    for ing in _ls(ingress):
        if not isinstance(ing, Mapping):
            continue
        if ing.get("ip"):
            result.add(ing["ip"])
        elif ing.get("hostname"):
            result.add(ing["hostname"])
    return sorted(result)


def _service_external_ip(svc: Mapping) -> str:
    spec = _g(svc, "spec", default={})
    external = [str(x) for x in _ls(spec.get("externalIPs"))]
    stype = spec.get("type", "")
    if stype in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if stype == "LoadBalancer":
        lb = _lb_ingress(_g(svc, "status", "loadBalancer", "ingress"))
        if external:
            return ",".join(lb + external)
        return ",".join(lb) if lb else "<pending>"
    if stype == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def _service_ports(ports: Any) -> str:
    pieces = []
    for p in _ls(ports):
        if not isinstance(p, Mapping):
            continue
        proto = p.get("protocol", "")
        if _int(p.get("nodePort")) > 0:
            pieces.append(f"{_int(p.get('port'))}:{_int(p.get('nodePort'))}/{proto}")
        else:
            pieces.append(f"{_int(p.get('port'))}/{proto}")
    return ",".join(pieces)


def _service_row(obj: Mapping, now: datetime) -> list:
    spec = _g(obj, "spec", default={})
    ips = _ls(spec.get("clusterIPs"))
    internal = ips[0] if ips else spec.get("clusterIP") or "<none>"
    return [
        _name(obj),
        spec.get("type", ""),
        internal,
        _service_external_ip(obj),
        _service_ports(spec.get("ports")) or "<none>",
        _age(obj, now),
        format_labels(spec.get("selector")),
    ]


def _endpoints_cell(obj: Mapping) -> str:
    subsets = _ls(obj.get("subsets"))
    if not subsets:
        return "<none>"
    items: list[str] = []
    maximum, more, count = 3, False, 0
    for ss in subsets:
        if not isinstance(ss, Mapping):
            continue
        addresses = [a for a in _ls(ss.get("addresses")) if isinstance(a, Mapping)]
        ports = [p for p in _ls(ss.get("ports")) if isinstance(p, Mapping)]
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == maximum:
                    more = True
                    break
                items.append(a.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == maximum:
                    more = True
                    break
                items.append(_join_host_port(a.get("ip", ""), _int(port.get("port"))))
    ret = ",".join(items)
    if more:
        return f"{ret} + {count - maximum} more..."
    return ret


def _endpoints_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), _endpoints_cell(obj), _age(obj, now)]


def _list_more(items: list[str], more: bool, count: int, maximum: int) -> str:
    ret = ",".join(items)
    if more:
        return f"{ret} + {count - maximum} more..."
    return ret or "<unset>"


def _endpointslice_row(obj: Mapping, now: datetime) -> list:
    ports, pmore, pcount = [], False, 0
    for p in _ls(obj.get("ports")):
        p = p if isinstance(p, Mapping) else {}
        if len(ports) < 3:
            ports.append(str(_int(p["port"])) if p.get("port") is not None else p.get("name") or "*")
        elif len(ports) == 3:
            pmore = True
        pcount += 1
    eps, emore, ecount = [], False, 0
    for ep in _ls(obj.get("endpoints")):
        for address in _ls(ep.get("addresses") if isinstance(ep, Mapping) else None):
            if len(eps) < 3:
                eps.append(address)
            elif len(eps) == 3:
                emore = True
            ecount += 1
    return [
        _name(obj), obj.get("addressType", ""), _list_more(ports, pmore, pcount, 3),
        _list_more(eps, emore, ecount, 3), _age(obj, now),
    ]


def _ingress_row(obj: Mapping, now: datetime) -> list:
    spec = _g(obj, "spec", default={})
    rules = [r for r in _ls(spec.get("rules")) if isinstance(r, Mapping)]
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    host_cell = "*" if not hosts else ",".join(hosts)
    if hosts and more:
        host_cell = f"{host_cell} + {len(rules) - 3} more..."
    return [
        _name(obj),
        spec.get("ingressClassName") if spec.get("ingressClassName") is not None else "<none>",
        host_cell,
        ",".join(_lb_ingress(_g(obj, "status", "loadBalancer", "ingress"))),
        "80, 443" if _ls(spec.get("tls")) else "80",
        _age(obj, now),
    ]


def _ingressclass_row(obj: Mapping, now: datetime) -> list:
    spec = _g(obj, "spec", default={})
    params = spec.get("parameters")
    cell = "<none>"
    if isinstance(params, Mapping):
        cell = params.get("kind", "")
        if params.get("apiGroup") is not None:
            cell += "." + params["apiGroup"]
        cell += "/" + params.get("name", "")
    return [_name(obj), spec.get("controller", ""), cell, _age(obj, now)]


def _networkpolicy_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), format_label_selector(_g(obj, "spec", "podSelector", default={})), _age(obj, now)]


# ---- config and storage


def _configmap_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), _age(obj, now)]


def _secret_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), obj.get("type", ""), len(obj.get("data") or {}), _age(obj, now)]


def _serviceaccount_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), len(_ls(obj.get("secrets"))), _age(obj, now)]


def _namespace_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), _g(obj, "status", "phase", default=""), _age(obj, now)]


def _access_modes(modes: Any) -> str:
    ms = _ls(modes)
    out = []
    for mode, short in (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                        ("ReadWriteOncePod", "RWOP")):
        if mode in ms:
            out.append(short)
    return ",".join(out)


def _pv_row(obj: Mapping, now: datetime) -> list:
    spec = _g(obj, "spec", default={})
    claim = ""
    if isinstance(spec.get("claimRef"), Mapping):
        claim = f"{spec['claimRef'].get('namespace', '')}/{spec['claimRef'].get('name', '')}"
    phase = _g(obj, "status", "phase", default="")
    if _g(obj, "metadata", "deletionTimestamp") is not None:
        phase = "Terminating"
    storage_class = _g(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class")
    if storage_class is None:
        storage_class = spec.get("storageClassName", "")
    return [
        _name(obj),
        format_quantity(_g(spec, "capacity", "storage")),
        _access_modes(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy", ""),
        phase,
        claim,
        storage_class,
        spec.get("volumeAttributesClassName") if spec.get("volumeAttributesClassName") is not None else "<unset>",
        _g(obj, "status", "reason", default=""),
        _age(obj, now),
        spec.get("volumeMode") if spec.get("volumeMode") is not None else "<unset>",
    ]


def _pvc_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    phase = status.get("phase", "")
    if _g(obj, "metadata", "deletionTimestamp") is not None:
        phase = "Terminating"
    capacity = access = ""
    if spec.get("volumeName"):
        access = _access_modes(status.get("accessModes"))
        capacity = format_quantity(_g(status, "capacity", "storage"))
    storage_class = _g(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class")
    if storage_class is None:
        storage_class = spec.get("storageClassName") or ""
    return [
        _name(obj),
        phase,
        spec.get("volumeName", ""),
        capacity,
        access,
        storage_class,
        spec.get("volumeAttributesClassName") if spec.get("volumeAttributesClassName") is not None else "<unset>",
        _age(obj, now),
        spec.get("volumeMode") if spec.get("volumeMode") is not None else "<unset>",
    ]


def _storageclass_row(obj: Mapping, now: datetime) -> list:
    annotations = _g(obj, "metadata", "annotations", default={})
    default = (annotations.get("storageclass.kubernetes.io/is-default-class") == "true"
               or annotations.get("storageclass.beta.kubernetes.io/is-default-class") == "true")
    name = _name(obj) + (" (default)" if default else "")
    return [
        name,
        obj.get("provisioner", ""),
        obj.get("reclaimPolicy") if obj.get("reclaimPolicy") is not None else "Delete",
        obj.get("volumeBindingMode") if obj.get("volumeBindingMode") is not None else "Immediate",
        bool(obj.get("allowVolumeExpansion")),
        _age(obj, now),
    ]


def _resourcequota_row(obj: Mapping, now: datetime) -> list:
    hard = _g(obj, "status", "hard", default={})
    used = _g(obj, "status", "used", default={})
    requests, limits = [], []
    for resource in sorted(hard):
        piece = f"{resource}: {format_quantity(used.get(resource))}/{format_quantity(hard[resource])}"
        parts = resource.split(".")
        (limits if len(parts) > 1 and parts[0] == "limits" else requests).append(piece)
    return [_name(obj), _age(obj, now), ", ".join(requests), ", ".join(limits)]


# ---- cluster


def _node_row(obj: Mapping, now: datetime) -> list:
    status = _g(obj, "status", default={})
    conditions = {c.get("type"): c for c in _ls(status.get("conditions")) if isinstance(c, Mapping)}
    states = []
    if "Ready" in conditions:
        states.append("Ready" if conditions["Ready"].get("status") == "True" else "NotReady")
    if not states:
        states.append("Unknown")
    if _g(obj, "spec", "unschedulable"):
        states.append("SchedulingDisabled")
    roles = set()
    for key, value in (_g(obj, "metadata", "labels", default={}) or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    info = status.get("nodeInfo") or {}

    def address(kind: str) -> str:
        for a in _ls(status.get("addresses")):
            if isinstance(a, Mapping) and a.get("type") == kind:
                return a.get("address", "")
        return "<none>"

    return [
        _name(obj),
        ",".join(states),
        ",".join(sorted(roles)) or "<none>",
        _age(obj, now),
        info.get("kubeletVersion", ""),
        address("InternalIP"),
        address("ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _event_row(obj: Mapping, now: datetime) -> list:
    first = translate_timestamp(obj.get("firstTimestamp"), now)
    if _parse_time(obj.get("firstTimestamp")) is None:
        first = translate_timestamp(obj.get("eventTime"), now)
    last = translate_timestamp(obj.get("lastTimestamp"), now)
    if _parse_time(obj.get("lastTimestamp")) is None:
        last = first
    count = _int(obj.get("count"))
    series = obj.get("series")
    if isinstance(series, Mapping):
        last = translate_timestamp(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1  # singleton events of the new API have no count
    involved = obj.get("involvedObject") or {}
    target = involved.get("kind", "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    source = obj.get("source") or {}
    # core/v1 serializes ReportingController as "reportingComponent"
    component = source.get("component") or obj.get("reportingComponent") or ""
    instance = source.get("host") or obj.get("reportingInstance") or ""
    return [
        last,
        obj.get("type", ""),
        obj.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        component if not instance else f"{component}, {instance}",
        (obj.get("message") or "").strip(),
        first,
        count,
        _name(obj),
    ]


def _subjects(obj: Mapping) -> tuple[str, str, str]:
    users, groups, sas = [], [], []
    for s in _ls(obj.get("subjects")):
        if not isinstance(s, Mapping):
            continue
        kind = s.get("kind")
        if kind == "User":
            users.append(s.get("name", ""))
        elif kind == "Group":
            groups.append(s.get("name", ""))
        elif kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def _rolebinding_row(obj: Mapping, now: datetime) -> list:
    ref = obj.get("roleRef") or {}
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now), *_subjects(obj)]


def _hpa_metrics(specs: Any, statuses: Any) -> str:
    specs, statuses = _ls(specs), _ls(statuses)
    if not specs:
        return "<none>"
    out: list[str] = []
    q = format_quantity

    def status_at(i: int, key: str) -> Mapping | None:
        if len(statuses) > i and isinstance(statuses[i], Mapping) and isinstance(statuses[i].get(key), Mapping):
            return statuses[i][key]
        return None

    for i, spec in enumerate(specs):
        spec = spec if isinstance(spec, Mapping) else {}
        mtype = spec.get("type")
        if mtype in ("External", "Object"):
            key = "external" if mtype == "External" else "object"
            target = _g(spec, key, "target", default={})
            st = status_at(i, key)
            if target.get("averageValue") is not None:
                current = "<unknown>"
                if st is not None and _g(st, "current", "averageValue") is not None:
                    current = q(_g(st, "current", "averageValue"))
                out.append(f"{current}/{q(target['averageValue'])} (avg)")
            else:
                current = "<unknown>"
                if st is not None:
                    current = q(_g(st, "current", "value"))
                out.append(f"{current}/{q(target.get('value'))}")
        elif mtype == "Pods":
            st = status_at(i, "pods")
            current = q(_g(st, "current", "averageValue")) if st is not None else "<unknown>"
            out.append(f"{current}/{q(_g(spec, 'pods', 'target', 'averageValue'))}")
        elif mtype in ("Resource", "ContainerResource"):
            key = "resource" if mtype == "Resource" else "containerResource"
            src = spec.get(key) or {}
            target = src.get("target") or {}
            st = status_at(i, key)
            if target.get("averageValue") is not None:
                current = q(_g(st, "current", "averageValue")) if st is not None else "<unknown>"
                out.append(f"{src.get('name', '')}: {current}/{q(target['averageValue'])}")
            else:
                current = "<unknown>"
                if st is not None and _g(st, "current", "averageUtilization") is not None:
                    current = f"{_int(_g(st, 'current', 'averageUtilization'))}%"
                tgt = "<auto>"
                if target.get("averageUtilization") is not None:
                    tgt = f"{_int(target['averageUtilization'])}%"
                out.append(f"{src.get('name', '')}: {current}/{tgt}")
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return f"{', '.join(out[:2])} + {len(out) - 2} more..."
    return ", ".join(out)


def _hpa_row(obj: Mapping, now: datetime) -> list:
    spec, status = _g(obj, "spec", default={}), _g(obj, "status", default={})
    ref = spec.get("scaleTargetRef") or {}
    metrics = _hpa_metrics(spec.get("metrics"), status.get("currentMetrics"))
    if "metrics" not in spec and spec.get("targetCPUUtilizationPercentage") is not None:
        # autoscaling/v1 objects carry their one CPU target outside spec.metrics
        current = status.get("currentCPUUtilizationPercentage")
        cur = f"{_int(current)}%" if current is not None else "<unknown>"
        metrics = f"cpu: {cur}/{_int(spec['targetCPUUtilizationPercentage'])}%"
    return [
        _name(obj),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        metrics,
        str(_int(spec["minReplicas"])) if spec.get("minReplicas") is not None else "<unset>",
        _int(spec.get("maxReplicas")),
        _int(status.get("currentReplicas")),
        _age(obj, now),
    ]


def _pdb_row(obj: Mapping, now: datetime) -> list:
    spec = _g(obj, "spec", default={})
    min_available = _intstr(spec["minAvailable"]) if spec.get("minAvailable") is not None else "N/A"
    max_unavailable = _intstr(spec["maxUnavailable"]) if spec.get("maxUnavailable") is not None else "N/A"
    return [_name(obj), min_available, max_unavailable, _int(_g(obj, "status", "disruptionsAllowed")),
            _age(obj, now)]


def _lease_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), _g(obj, "spec", "holderIdentity", default=""), _age(obj, now)]


def _priorityclass_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), _int(obj.get("value")), bool(obj.get("globalDefault")), _age(obj, now),
            obj.get("preemptionPolicy") or ""]


def _runtimeclass_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), obj.get("handler", ""), _age(obj, now)]


def _webhook_row(obj: Mapping, now: datetime) -> list:
    return [_name(obj), len(_ls(obj.get("webhooks"))), _age(obj, now)]


def _podtemplate_row(obj: Mapping, now: datetime) -> list:
    names, images = _layout_containers(_g(obj, "template", "spec", "containers"))
    return [_name(obj), names, images, format_labels(_g(obj, "template", "metadata", "labels"))]


def _controllerrevision_row(obj: Mapping, now: datetime) -> list:
    controller = "<none>"
    for ref in _ls(_g(obj, "metadata", "ownerReferences")):
        if isinstance(ref, Mapping) and ref.get("controller") is True:
            group = ref.get("apiVersion", "").rpartition("/")[0]
            kind = ref.get("kind", "")
            gk = f"{kind}.{group}" if group else kind
            controller = f"{gk.lower()}/{ref.get('name', '')}" if kind else ref.get("name", "")
            break
    return [_name(obj), controller, _int(obj.get("revision")), _age(obj, now)]


_C, _P1 = _c, lambda name, type="string": _c(name, type, 1)
_CONTAINERS = (_P1("Containers"), _P1("Images"))

# (group, kind) -> (columns, row function). Columns as in printers.go AddHandlers.
_PRINTERS: dict[tuple[str, str], tuple[tuple[Column, ...], Printer]] = {
    ("", "Pod"): ((_NAME, _C("Ready"), _C("Status"), _C("Restarts"), _AGE, _P1("IP"), _P1("Node"),
                   _P1("Nominated Node"), _P1("Readiness Gates")), _pod_row),
    ("", "PodTemplate"): ((_NAME, _C("Containers"), _C("Images"), _C("Pod Labels")), _podtemplate_row),
    ("policy", "PodDisruptionBudget"): ((_NAME, _C("Min Available"), _C("Max Unavailable"),
                                         _C("Allowed Disruptions", "integer"), _AGE), _pdb_row),
    ("", "ReplicationController"): ((_NAME, _C("Desired", "integer"), _C("Current", "integer"),
                                     _C("Ready", "integer"), _AGE, *_CONTAINERS, _P1("Selector")),
                                    _replicationcontroller_row),
    ("apps", "ReplicaSet"): ((_NAME, _C("Desired", "integer"), _C("Current", "integer"), _C("Ready", "integer"),
                              _AGE, *_CONTAINERS, _P1("Selector")), _replicaset_row),
    ("apps", "DaemonSet"): ((_NAME, _C("Desired", "integer"), _C("Current", "integer"), _C("Ready", "integer"),
                             _C("Up-to-date", "integer"), _C("Available", "integer"), _C("Node Selector"), _AGE,
                             *_CONTAINERS, _P1("Selector")), _daemonset_row),
    ("batch", "Job"): ((_NAME, _C("Status"), _C("Completions"), _C("Duration"), _AGE, *_CONTAINERS,
                        _P1("Selector")), _job_row),
    ("batch", "CronJob"): ((_NAME, _C("Schedule"), _C("Timezone"), _C("Suspend", "boolean"),
                            _C("Active", "integer"), _C("Last Schedule"), _AGE, *_CONTAINERS, _P1("Selector")),
                           _cronjob_row),
    ("", "Service"): ((_NAME, _C("Type"), _C("Cluster-IP"), _C("External-IP"), _C("Port(s)"), _AGE,
                       _P1("Selector")), _service_row),
    ("networking.k8s.io", "Ingress"): ((_NAME, _C("Class"), _C("Hosts"), _C("Address"), _C("Ports"), _AGE),
                                       _ingress_row),
    ("networking.k8s.io", "IngressClass"): ((_NAME, _C("Controller"), _C("Parameters"), _AGE), _ingressclass_row),
    ("apps", "StatefulSet"): ((_NAME, _C("Ready"), _AGE, *_CONTAINERS), _statefulset_row),
    ("", "Endpoints"): ((_NAME, _C("Endpoints"), _AGE), _endpoints_row),
    ("", "Node"): ((_NAME, _C("Status"), _C("Roles"), _AGE, _C("Version"), _P1("Internal-IP"), _P1("External-IP"),
                    _P1("OS-Image"), _P1("Kernel-Version"), _P1("Container-Runtime")), _node_row),
    ("", "Event"): ((_C("Last Seen"), _C("Type"), _C("Reason"), _C("Object"), _P1("Subobject"), _P1("Source"),
                     _C("Message"), _P1("First Seen"), _P1("Count"), Column("Name", "string", "name", 1)),
                    _event_row),
    ("", "Namespace"): ((_NAME, _C("Status"), _AGE), _namespace_row),
    ("", "Secret"): ((_NAME, _C("Type"), _C("Data"), _AGE), _secret_row),
    ("", "ServiceAccount"): ((_NAME, _C("Secrets"), _AGE), _serviceaccount_row),
    ("", "PersistentVolume"): ((_NAME, _C("Capacity"), _C("Access Modes"), _C("Reclaim Policy"), _C("Status"),
                                _C("Claim"), _C("StorageClass"), _C("VolumeAttributesClass"), _C("Reason"), _AGE,
                                _P1("VolumeMode")), _pv_row),
    ("", "PersistentVolumeClaim"): ((_NAME, _C("Status"), _C("Volume"), _C("Capacity"), _C("Access Modes"),
                                     _C("StorageClass"), _C("VolumeAttributesClass"), _AGE, _P1("VolumeMode")),
                                    _pvc_row),
    ("apps", "Deployment"): ((_NAME, _C("Ready"), _C("Up-to-date"), _C("Available"), _AGE, *_CONTAINERS,
                              _P1("Selector")), _deployment_row),
    ("autoscaling", "HorizontalPodAutoscaler"): ((_NAME, _C("Reference"), _C("Targets"), _C("MinPods"),
                                                  _C("MaxPods"), _C("Replicas"), _AGE), _hpa_row),
    ("", "ConfigMap"): ((_NAME, _C("Data"), _AGE), _configmap_row),
    ("networking.k8s.io", "NetworkPolicy"): ((_NAME, _C("Pod-Selector"), _AGE), _networkpolicy_row),
    ("rbac.authorization.k8s.io", "RoleBinding"): ((_NAME, _C("Role"), _AGE, _P1("Users"), _P1("Groups"),
                                                    _P1("ServiceAccounts")), _rolebinding_row),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): ((_NAME, _C("Role"), _AGE, _P1("Users"), _P1("Groups"),
                                                           _P1("ServiceAccounts")), _rolebinding_row),
    ("coordination.k8s.io", "Lease"): ((_NAME, _C("Holder"), _AGE), _lease_row),
    ("storage.k8s.io", "StorageClass"): ((_NAME, _C("Provisioner"), _C("ReclaimPolicy"), _C("VolumeBindingMode"),
                                          _C("AllowVolumeExpansion"), _AGE), _storageclass_row),
    ("apps", "ControllerRevision"): ((_NAME, _C("Controller"), _C("Revision"), _AGE), _controllerrevision_row),
    ("", "ResourceQuota"): ((_NAME, _AGE, _C("Request"), _C("Limit")), _resourcequota_row),
    ("scheduling.k8s.io", "PriorityClass"): ((_NAME, _C("Value", "integer"), _C("Global-Default", "boolean"), _AGE,
                                              _C("PreemptionPolicy")), _priorityclass_row),
    ("node.k8s.io", "RuntimeClass"): ((_NAME, _C("Handler"), _AGE), _runtimeclass_row),
    ("discovery.k8s.io", "EndpointSlice"): ((_NAME, _C("AddressType"), _C("Ports"), _C("Endpoints"), _AGE),
                                            _endpointslice_row),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): ((_NAME, _C("Webhooks", "integer"), _AGE),
                                                                       _webhook_row),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): ((_NAME, _C("Webhooks", "integer"), _AGE),
                                                                         _webhook_row),
}
# autoscaling/v1 HPAs go through the same internal printer
_DEFAULT_CREATED_AT = (_NAME, Column("Created At", "date"))


def _is_builtin_group(group: str) -> bool:
    """Groups served by kube-apiserver itself; CustomResourceDefinitions live elsewhere."""
    return group in ("", "apps", "batch", "policy", "autoscaling", "extensions") or group.endswith(".k8s.io")


def has_printer(rt: ResourceType) -> bool:
    """Whether the API server has a dedicated printer (real columns) for this kind."""
    return (rt.group, rt.kind) in _PRINTERS


def crd_printer_columns(crd: Mapping, version: str) -> list[Mapping]:
    """The additionalPrinterColumns a CustomResourceDefinition declares for one served version."""
    for v in _ls(_g(crd, "spec", "versions")):
        if isinstance(v, Mapping) and v.get("name") == version:
            return list(v.get("additionalPrinterColumns") or [])
    return []


def _custom_resource_table(
    objects: Sequence[Mapping], now: datetime, printer_columns: Sequence[Mapping] | None
) -> Table:
    cols = list(printer_columns or [])
    if not cols:
        # apiextensions adds an Age column to CRDs that declare none
        cols = [{"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
    columns = [_NAME] + [
        Column(c.get("name", ""), c.get("type", "string"), "", _int(c.get("priority"))) for c in cols
    ]
    templates = []
    for c in cols:
        try:
            templates.append(jp.parse("{%s}" % c.get("jsonPath", "")))
        except jp.JSONPathError:
            templates.append(None)
    rows = []
    for obj in objects:
        cells: list[Any] = [_name(obj)]
        for c, tmpl in zip(cols, templates):
            cells.append(_cr_cell(c.get("type", "string"), tmpl, obj, now))
        rows.append(tuple(cells))
    return Table(tuple(columns), tuple(rows), tuple(objects))


def _cr_cell(ctype: str, tmpl: jp.Template | None, obj: Mapping, now: datetime) -> Any:
    """One cell of a custom resource table (apiextensions' tableconvertor)."""
    if tmpl is None:
        return None
    try:
        results = tmpl.find_results(obj)
    except jp.JSONPathError:
        return None
    if not results or not results[0]:
        return None
    value = results[0][0]
    if ctype == "string":
        return jp._text_of(value)
    if value is None:
        return None
    if ctype == "integer":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        return None
    if ctype == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        return None
    if ctype == "boolean":
        return value if isinstance(value, bool) else None
    if ctype == "date":
        if isinstance(value, str):
            ts = _parse_time(value)
            if ts is None:
                return "<invalid>"
            return _human_duration_ns(_since_ns(ts, now))
        return None
    return None


def server_table(
    rt: ResourceType,
    objects: Iterable[Mapping],
    *,
    now: datetime,
    printer_columns: Sequence[Mapping] | None = None,
) -> Table:
    """The metav1.Table the API server returns for these objects of one kind (all columns, wide included).

    `printer_columns` are a custom resource's additionalPrinterColumns (see crd_printer_columns).
    """
    objs = [o for o in objects if isinstance(o, Mapping)]
    printer = _PRINTERS.get((rt.group, rt.kind))
    if printer is None and (printer_columns is not None or not _is_builtin_group(rt.group)):
        return _custom_resource_table(objs, now, printer_columns)
    if printer is None:
        # rest.NewDefaultTableConvertor: kinds without a printer show name and creation time
        rows = tuple((_name(o), _rfc3339_utc(_g(o, "metadata", "creationTimestamp"))) for o in objs)
        return Table(_DEFAULT_CREATED_AT, rows, tuple(objs))
    columns, row = printer
    return Table(columns, tuple(tuple(row(o, now)) for o in objs), tuple(objs))
