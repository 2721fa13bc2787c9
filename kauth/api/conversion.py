"""Conversion between the served versions of one group/resource, as kube-apiserver does it.

Objects of a group/resource are stored once, in its storage version (`ResourceType.storage_version`),
and converted on read to the version a client asks for. kube-apiserver converts every request through
the group's internal ("hub") version; here the hub is the version that is stored, so
`convert(obj, "autoscaling/v1", table)` turns a stored autoscaling/v2 HorizontalPodAutoscaler into what
`kubectl get hpa.v1.autoscaling` prints, and back. Kinds without a converter change only their apiVersion
(the fields of their versions are the same; CRDs without a conversion webhook behave so too).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from kauth.api.resources import NoKindMatch, ResourceTable, ResourceType

# pkg/apis/autoscaling/annotations.go: what autoscaling/v1 cannot express travels in these annotations.
METRIC_SPECS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
METRIC_STATUSES_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
HPA_CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_SPECS_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
TOLERANCE_SCALE_DOWN_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
TOLERANCE_SCALE_UP_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"
ROUND_TRIP_ANNOTATIONS = (
    METRIC_SPECS_ANNOTATION, BEHAVIOR_SPECS_ANNOTATION, TOLERANCE_SCALE_DOWN_ANNOTATION,
    TOLERANCE_SCALE_UP_ANNOTATION, METRIC_STATUSES_ANNOTATION, HPA_CONDITIONS_ANNOTATION,
)
# autoscaling/v1 used to apply this target in the controller; conversion now makes it explicit.
DEFAULT_CPU_UTILIZATION = 80

Obj = dict[str, Any]


@dataclass(frozen=True)
class Converter:
    """How one kind moves between its versions and the hub (the version it is stored in)."""

    hub: str
    to_hub: Callable[[Obj, str], Obj]  # (object, its version) -> hub form
    from_hub: Callable[[Obj, str], Obj]  # (hub form, wanted version) -> object


def convert(obj: Mapping, to_version: str, table: ResourceTable) -> Obj:
    """`obj` in `to_version` ("v1" or "autoscaling/v1") of its own group/resource; a new dict.

    Raises NoKindMatch when the object's kind or the wanted version is not served.
    """
    kind = obj.get("kind", "")
    rt = table.for_kind(obj.get("apiVersion", ""), kind)
    target = _target(rt, to_version, table)
    converter = CONVERTERS.get((rt.group, kind))
    if converter is None:
        out = copy.deepcopy(dict(obj))
    else:
        out = converter.from_hub(converter.to_hub(copy.deepcopy(dict(obj)), rt.version), target.version)
    return {"apiVersion": target.api_version, "kind": kind, **{k: v for k, v in out.items()
                                                               if k not in ("apiVersion", "kind")}}


def to_storage_version(obj: Mapping, table: ResourceTable) -> Obj:
    """`obj` in the version its group/resource is stored in."""
    rt = table.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    return convert(obj, rt.storage_version or rt.version, table)


def _target(rt: ResourceType, to_version: str, table: ResourceTable) -> ResourceType:
    group, slash, version = to_version.rpartition("/")
    for candidate in table.versions_of(rt):
        if candidate.version == version and (not slash or candidate.group == group):
            return candidate
    api_version = to_version if slash or not rt.group else f"{rt.group}/{to_version}"
    raise NoKindMatch(f'no matches for kind "{rt.kind}" in version "{api_version}"')


# -- HorizontalPodAutoscaler: pkg/apis/autoscaling/v1/conversion.go --------------------------------------


def _present(d: Mapping | None, key: str) -> Any:
    """d[key] unless absent or null (Go's nil pointer)."""
    if not isinstance(d, Mapping):
        return None
    return d.get(key)


def _quantity(value: Any) -> str:
    """A non-pointer resource.Quantity: the zero quantity marshals as "0"."""
    if value is None:
        return "0"
    return value if isinstance(value, str) else str(value)


def _put(out: Obj, key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


def _go_json(value: Any) -> str:
    """json.Marshal: compact, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _annotations(obj: Obj) -> dict[str, str]:
    meta = obj.get("metadata")
    return (meta.get("annotations") or {}) if isinstance(meta, dict) else {}


def _drop_round_trip_annotations(obj: Obj) -> None:
    """DropRoundTripHorizontalPodAutoscalerAnnotations; an emptied map disappears (omitempty)."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("annotations"), dict):
        return
    annotations = meta["annotations"]
    if not any(key in annotations for key in ROUND_TRIP_ANNOTATIONS):
        return
    for key in ROUND_TRIP_ANNOTATIONS:
        annotations.pop(key, None)
    if not annotations:
        del meta["annotations"]


def _set_annotation(obj: Obj, key: str, value: str) -> None:
    meta = obj.setdefault("metadata", {})
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict):
        annotations = meta["annotations"] = {}
    annotations[key] = value


def _read_annotation(annotations: Mapping[str, str], key: str) -> Any:
    """The JSON in an annotation, None when absent or unreadable (upstream ignores decoding errors)."""
    raw = annotations.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def _cross_version_ref(ref: Mapping | None) -> Obj:
    ref = ref or {}
    out: Obj = {"kind": ref.get("kind", ""), "name": ref.get("name", "")}
    _put(out, "apiVersion", _present(ref, "apiVersion") or None)
    return out


def _identifier(name: Any, selector: Any) -> Obj:
    out: Obj = {"name": name or ""}
    _put(out, "selector", selector)
    return out


def _is_cpu(metric: Mapping) -> bool:
    return metric.get("type") == "Resource" and isinstance(metric.get("resource"), Mapping) \
        and metric["resource"].get("name") == "cpu"


def _is_cpu_utilization(metric: Mapping) -> bool:
    """What targetCPUUtilizationPercentage expresses, so what the metrics annotation leaves out."""
    return _is_cpu(metric) and _present(metric["resource"].get("target"), "averageUtilization") is not None


# v2 MetricSpec -> v1 MetricSpec (the v2beta1 shape kept in the metrics annotation)
def _metric_spec_to_v1(metric: Mapping) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if (src := _present(metric, "object")) is not None:
        target, ident = src.get("target") or {}, src.get("metric") or {}
        o: Obj = {"target": _cross_version_ref(src.get("describedObject")), "metricName": ident.get("name", ""),
                  "targetValue": _quantity(_present(target, "value"))}
        _put(o, "selector", _present(ident, "selector"))
        _put(o, "averageValue", _present(target, "averageValue"))
        out["object"] = o
    if (src := _present(metric, "pods")) is not None:
        target, ident = src.get("target") or {}, src.get("metric") or {}
        o = {"metricName": ident.get("name", ""), "targetAverageValue": _quantity(_present(target, "averageValue"))}
        _put(o, "selector", _present(ident, "selector"))
        out["pods"] = o
    for source in ("resource", "containerResource"):
        if (src := _present(metric, source)) is not None:
            target = src.get("target") or {}
            o = {"name": src.get("name", "")}
            _put(o, "targetAverageUtilization", _present(target, "averageUtilization"))
            _put(o, "targetAverageValue", _present(target, "averageValue"))
            if source == "containerResource":
                o["container"] = src.get("container", "")
            out[source] = o
    if (src := _present(metric, "external")) is not None:
        target, ident = src.get("target") or {}, src.get("metric") or {}
        o = {"metricName": ident.get("name", "")}
        _put(o, "metricSelector", _present(ident, "selector"))
        _put(o, "targetValue", _present(target, "value"))
        _put(o, "targetAverageValue", _present(target, "averageValue"))
        out["external"] = o
    return out


# v1 MetricSpec -> v2 MetricSpec
def _metric_spec_from_v1(metric: Mapping) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if (src := _present(metric, "object")) is not None:
        target: Obj = {"type": "Value" if _present(src, "averageValue") is None else "AverageValue",
                       "value": _quantity(_present(src, "targetValue"))}  # Value: &in.TargetValue
        _put(target, "averageValue", _present(src, "averageValue"))
        out["object"] = {"describedObject": _cross_version_ref(src.get("target")), "target": target,
                         "metric": _identifier(src.get("metricName"), _present(src, "selector"))}
    if (src := _present(metric, "pods")) is not None:
        out["pods"] = {"metric": _identifier(src.get("metricName"), _present(src, "selector")),
                       "target": {"type": "AverageValue",
                                  "averageValue": _quantity(_present(src, "targetAverageValue"))}}
    for source in ("resource", "containerResource"):
        if (src := _present(metric, source)) is not None:
            utilization = _present(src, "targetAverageUtilization")
            target = {"type": "AverageValue" if utilization is None else "Utilization"}
            _put(target, "averageValue", _present(src, "targetAverageValue"))
            _put(target, "averageUtilization", utilization)
            o: Obj = {"name": src.get("name", ""), "target": target}
            if source == "containerResource":
                o["container"] = src.get("container", "")
            out[source] = o
    if (src := _present(metric, "external")) is not None:
        value = _present(src, "targetValue")
        target = {"type": "AverageValue" if value is None else "Value"}
        _put(target, "value", value)
        _put(target, "averageValue", _present(src, "targetAverageValue"))
        out["external"] = {"metric": _identifier(src.get("metricName"), _present(src, "metricSelector")),
                           "target": target}
    return out


# v2 MetricStatus -> v1 MetricStatus
def _metric_status_to_v1(metric: Mapping) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if (src := _present(metric, "object")) is not None:
        current, ident = src.get("current") or {}, src.get("metric") or {}
        o: Obj = {"target": _cross_version_ref(src.get("describedObject")), "metricName": ident.get("name", ""),
                  "currentValue": _quantity(_present(current, "value"))}
        _put(o, "selector", _present(ident, "selector"))
        _put(o, "averageValue", _present(current, "averageValue"))
        out["object"] = o
    if (src := _present(metric, "pods")) is not None:
        current, ident = src.get("current") or {}, src.get("metric") or {}
        o = {"metricName": ident.get("name", ""),
             "currentAverageValue": _quantity(_present(current, "averageValue"))}
        _put(o, "selector", _present(ident, "selector"))
        out["pods"] = o
    for source in ("resource", "containerResource"):
        if (src := _present(metric, source)) is not None:
            current = src.get("current") or {}
            o = {"name": src.get("name", "")}
            _put(o, "currentAverageUtilization", _present(current, "averageUtilization"))
            o["currentAverageValue"] = _quantity(_present(current, "averageValue"))
            if source == "containerResource":
                o["container"] = src.get("container", "")
            out[source] = o
    if (src := _present(metric, "external")) is not None:
        current, ident = src.get("current") or {}, src.get("metric") or {}
        o = {"metricName": ident.get("name", "")}
        _put(o, "metricSelector", _present(ident, "selector"))
        o["currentValue"] = _quantity(_present(current, "value"))
        _put(o, "currentAverageValue", _present(current, "averageValue"))
        out["external"] = o
    return out


# v1 MetricStatus -> v2 MetricStatus
def _metric_status_from_v1(metric: Mapping) -> Obj:
    out: Obj = {"type": metric.get("type", "")}
    if (src := _present(metric, "object")) is not None:
        current: Obj = {"value": _quantity(_present(src, "currentValue"))}
        _put(current, "averageValue", _present(src, "averageValue"))
        out["object"] = {"metric": _identifier(src.get("metricName"), _present(src, "selector")),
                         "current": current, "describedObject": _cross_version_ref(src.get("target"))}
    if (src := _present(metric, "pods")) is not None:
        out["pods"] = {"metric": _identifier(src.get("metricName"), _present(src, "selector")),
                       "current": {"averageValue": _quantity(_present(src, "currentAverageValue"))}}
    for source in ("resource", "containerResource"):
        if (src := _present(metric, source)) is not None:
            current = {"averageValue": _quantity(_present(src, "currentAverageValue"))}
            _put(current, "averageUtilization", _present(src, "currentAverageUtilization"))
            o: Obj = {"name": src.get("name", ""), "current": current}
            if source == "containerResource":
                o["container"] = src.get("container", "")
            out[source] = o
    if (src := _present(metric, "external")) is not None:
        current = {"value": _quantity(_present(src, "currentValue"))}
        _put(current, "averageValue", _present(src, "currentAverageValue"))
        out["external"] = {"metric": _identifier(src.get("metricName"), _present(src, "metricSelector")),
                           "current": current}
    return out


def _condition_to_v1(condition: Mapping) -> Obj:
    out: Obj = {"type": condition.get("type", ""), "status": condition.get("status", ""),
                # a zero metav1.Time marshals as null
                "lastTransitionTime": condition.get("lastTransitionTime")}
    _put(out, "reason", condition.get("reason") or None)
    _put(out, "message", condition.get("message") or None)
    return out


def _condition_from_v1(condition: Mapping) -> Obj:
    return {k: v for k, v in condition.items() if v is not None and v != ""}


_GO_RULES = (("stabilizationWindowSeconds", "StabilizationWindowSeconds"), ("selectPolicy", "SelectPolicy"),
             ("policies", "Policies"), ("tolerance", "Tolerance"))
_GO_POLICY = (("type", "Type"), ("value", "Value"), ("periodSeconds", "PeriodSeconds"))


def _behavior_to_go(behavior: Mapping) -> Obj:
    """The internal HorizontalPodAutoscalerBehavior as json.Marshal writes it: no json tags, nil as null."""

    def rules(r: Any) -> Any:
        if not isinstance(r, Mapping):
            return None
        out: Obj = {}
        for field, go in _GO_RULES:
            value = r.get(field)
            if field == "policies" and isinstance(value, list):
                value = [{go_p: p.get(f, "" if f == "type" else 0) for f, go_p in _GO_POLICY} for p in value]
            out[go] = value
        return out

    return {"ScaleUp": rules(behavior.get("scaleUp")), "ScaleDown": rules(behavior.get("scaleDown"))}


def _ci(d: Mapping, go_name: str) -> Any:
    """encoding/json matches keys exactly, else case-insensitively."""
    if go_name in d:
        return d[go_name]
    for key, value in d.items():
        if isinstance(key, str) and key.lower() == go_name.lower():
            return value
    return None


def _behavior_from_go(raw: Any) -> Obj | None:
    if not isinstance(raw, Mapping):
        return None

    def rules(r: Any) -> Obj | None:
        if not isinstance(r, Mapping):
            return None
        out: Obj = {}
        for field, go in _GO_RULES:
            value = _ci(r, go)
            if field == "policies" and isinstance(value, list):
                value = [{f: _ci(p, go_p) for f, go_p in _GO_POLICY} for p in value if isinstance(p, Mapping)]
            _put(out, field, value)
        return out

    behavior: Obj = {}
    _put(behavior, "scaleUp", rules(_ci(raw, "ScaleUp")))
    _put(behavior, "scaleDown", rules(_ci(raw, "ScaleDown")))
    return behavior or None  # the zero behavior is no behavior


def hpa_v2_to_v1(hpa: Obj) -> Obj:
    """Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler."""
    out = {k: copy.deepcopy(v) for k, v in hpa.items() if k not in ("spec", "status")}
    _drop_round_trip_annotations(out)
    spec_in: Mapping = hpa.get("spec") or {}
    status_in: Mapping = hpa.get("status") or {}
    metrics = [m for m in spec_in.get("metrics") or [] if isinstance(m, Mapping)]

    spec: Obj = {"scaleTargetRef": _cross_version_ref(spec_in.get("scaleTargetRef"))}
    _put(spec, "minReplicas", _present(spec_in, "minReplicas"))
    spec["maxReplicas"] = spec_in.get("maxReplicas", 0)
    for metric in metrics:  # the first CPU *utilization* metric, past any CPU average value (kubernetes#101370)
        if _is_cpu_utilization(metric):
            spec["targetCPUUtilizationPercentage"] = metric["resource"]["target"]["averageUtilization"]
            break
    out["spec"] = spec

    if "status" in hpa:
        st: Obj = {}
        _put(st, "observedGeneration", _present(status_in, "observedGeneration"))
        _put(st, "lastScaleTime", _present(status_in, "lastScaleTime"))
        st["currentReplicas"] = status_in.get("currentReplicas") or 0
        st["desiredReplicas"] = status_in.get("desiredReplicas") or 0
        for metric in status_in.get("currentMetrics") or []:  # no break upstream: the last one wins
            if isinstance(metric, Mapping) and _is_cpu(metric):
                _put(st, "currentCPUUtilizationPercentage",
                     _present(metric["resource"].get("current"), "averageUtilization"))
        out["status"] = st

    other = [_metric_spec_to_v1(m) for m in metrics if not _is_cpu_utilization(m)]
    if other:
        _set_annotation(out, METRIC_SPECS_ANNOTATION, _go_json(other))
    current = [m for m in status_in.get("currentMetrics") or [] if isinstance(m, Mapping)]
    if current:
        _set_annotation(out, METRIC_STATUSES_ANNOTATION, _go_json([_metric_status_to_v1(m) for m in current]))
    if isinstance(spec_in.get("behavior"), Mapping):
        _set_annotation(out, BEHAVIOR_SPECS_ANNOTATION, _go_json(_behavior_to_go(spec_in["behavior"])))
    conditions = [c for c in status_in.get("conditions") or [] if isinstance(c, Mapping)]
    if conditions:
        _set_annotation(out, HPA_CONDITIONS_ANNOTATION, _go_json([_condition_to_v1(c) for c in conditions]))
    return out


def hpa_v1_to_v2(hpa: Obj) -> Obj:
    """Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler."""
    out = {k: copy.deepcopy(v) for k, v in hpa.items() if k not in ("spec", "status")}
    annotations = _annotations(hpa)
    spec_in: Mapping = hpa.get("spec") or {}
    status_in: Mapping = hpa.get("status") or {}

    spec: Obj = {"scaleTargetRef": _cross_version_ref(spec_in.get("scaleTargetRef"))}
    _put(spec, "minReplicas", _present(spec_in, "minReplicas"))
    spec["maxReplicas"] = spec_in.get("maxReplicas", 0)
    metrics: list[Obj] = []
    if (target := _present(spec_in, "targetCPUUtilizationPercentage")) is not None:
        metrics = [_cpu_metric(target)]
    other = _read_annotation(annotations, METRIC_SPECS_ANNOTATION)
    if isinstance(other, list):  # the metric from targetCPUUtilizationPercentage goes last
        metrics = [_metric_spec_from_v1(m) for m in other if isinstance(m, Mapping)] + metrics
    if not metrics:
        metrics = [_cpu_metric(DEFAULT_CPU_UTILIZATION)]
    spec["metrics"] = metrics
    behavior = _behavior_from_go(_read_annotation(annotations, BEHAVIOR_SPECS_ANNOTATION))
    _put(spec, "behavior", behavior)
    out["spec"] = spec

    current = _read_annotation(annotations, METRIC_STATUSES_ANNOTATION)
    conditions = _read_annotation(annotations, HPA_CONDITIONS_ANNOTATION)
    if "status" in hpa or isinstance(current, list) or isinstance(conditions, list):
        st: Obj = {}
        _put(st, "observedGeneration", _present(status_in, "observedGeneration"))
        _put(st, "lastScaleTime", _present(status_in, "lastScaleTime"))
        _put(st, "currentReplicas", status_in.get("currentReplicas") or None)  # omitempty in v2
        st["desiredReplicas"] = status_in.get("desiredReplicas") or 0
        if isinstance(current, list):  # "the ones here have more information"
            st["currentMetrics"] = [_metric_status_from_v1(m) for m in current if isinstance(m, Mapping)]
        elif (utilization := _present(status_in, "currentCPUUtilizationPercentage")) is not None:
            st["currentMetrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageUtilization": utilization}}}]
        if isinstance(conditions, list):
            st["conditions"] = [_condition_from_v1(c) for c in conditions if isinstance(c, Mapping)]
        out["status"] = st

    _drop_round_trip_annotations(out)
    return out


def _cpu_metric(utilization: Any) -> Obj:
    return {"type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}}}


def _hpa_to_hub(obj: Obj, version: str) -> Obj:
    if version == "v1":
        return hpa_v1_to_v2(obj)
    _drop_round_trip_annotations(obj)  # v2 round-trips without annotations; drop any a client sent
    return obj


def _hpa_from_hub(obj: Obj, version: str) -> Obj:
    if version == "v1":
        return hpa_v2_to_v1(obj)
    _drop_round_trip_annotations(obj)
    return obj


CONVERTERS: dict[tuple[str, str], Converter] = {
    ("autoscaling", "HorizontalPodAutoscaler"): Converter("v2", _hpa_to_hub, _hpa_from_hub),
}
