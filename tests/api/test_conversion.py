"""HorizontalPodAutoscaler autoscaling/v1 <-> autoscaling/v2, as kube-apiserver converts it
(pkg/apis/autoscaling/v1/conversion.go and its conversion_test.go)."""

from __future__ import annotations

import copy
import json

import pytest

from kauth.api.conversion import (
    BEHAVIOR_SPECS_ANNOTATION,
    HPA_CONDITIONS_ANNOTATION,
    METRIC_SPECS_ANNOTATION,
    METRIC_STATUSES_ANNOTATION,
    convert,
    to_storage_version,
)
from kauth.api.resources import NoKindMatch, ResourceTable

TABLE = ResourceTable.builtin()
TARGET = {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"}


def hpa_v1(**spec) -> dict:
    return {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": TARGET, "minReplicas": 1, "maxReplicas": 5, **spec}}


def hpa_v2(metrics: list, **more) -> dict:
    obj = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "namespace": "default"},
           "spec": {"scaleTargetRef": TARGET, "minReplicas": 1, "maxReplicas": 5, "metrics": metrics}}
    for key, value in more.items():
        if key == "status":
            obj["status"] = value
        else:
            obj["spec"][key] = value
    return obj


def cpu(utilization: int) -> dict:
    return {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                       "averageUtilization": utilization}}}


MEMORY = {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue",
                                                                        "averageValue": "100Mi"}}}


def annotations(obj: dict) -> dict:
    return obj["metadata"].get("annotations", {})


# -- v1 -> v2 -> v1 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("v1", [
    hpa_v1(targetCPUUtilizationPercentage=50),
    hpa_v1(targetCPUUtilizationPercentage=80),
    {**hpa_v1(targetCPUUtilizationPercentage=50),
     "status": {"observedGeneration": 3, "lastScaleTime": "2024-05-01T10:00:00Z", "currentReplicas": 2,
                "desiredReplicas": 3}},
    {**hpa_v1(targetCPUUtilizationPercentage=50), "status": {"currentReplicas": 0, "desiredReplicas": 0}},
    {**hpa_v1(targetCPUUtilizationPercentage=50),
     "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"},
                  "annotations": {"team": "payments"}}},
], ids=["target", "target-80", "status", "zero-status", "user-annotations"])
def test_v1_round_trips_through_v2_unchanged(v1):
    v2 = convert(v1, "autoscaling/v2", TABLE)
    assert v2["apiVersion"] == "autoscaling/v2"
    assert convert(v2, "autoscaling/v1", TABLE) == v1


def test_current_cpu_reads_back_with_the_raw_status_in_an_annotation():
    # "we need to save the status even if it maps to a CPU utilization status in order to save the raw value"
    v1 = {**hpa_v1(targetCPUUtilizationPercentage=50),
          "status": {"currentReplicas": 2, "desiredReplicas": 3, "currentCPUUtilizationPercentage": 61}}
    again = convert(convert(v1, "autoscaling/v2", TABLE), "autoscaling/v1", TABLE)
    assert again["spec"] == v1["spec"] and again["status"] == v1["status"]
    assert annotations(again) == {METRIC_STATUSES_ANNOTATION: (
        '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":61,"currentAverageValue":"0"}}]')}


def test_target_cpu_becomes_a_resource_utilization_metric():
    v2 = convert(hpa_v1(targetCPUUtilizationPercentage=50), "v2", TABLE)
    assert v2["spec"] == {"scaleTargetRef": TARGET, "minReplicas": 1, "maxReplicas": 5, "metrics": [cpu(50)]}
    assert "annotations" not in v2["metadata"]


def test_current_cpu_becomes_a_resource_metric_status():
    v1 = {**hpa_v1(targetCPUUtilizationPercentage=50),
          "status": {"currentReplicas": 2, "desiredReplicas": 2, "currentCPUUtilizationPercentage": 30}}
    status = convert(v1, "v2", TABLE)["status"]
    assert status["currentMetrics"] == [{"type": "Resource", "resource": {"name": "cpu",
                                                                        "current": {"averageUtilization": 30}}}]


def test_v1_without_a_target_gets_the_80_percent_cpu_default_v1_used_to_imply():
    v2 = convert(hpa_v1(), "autoscaling/v2", TABLE)
    assert v2["spec"]["metrics"] == [cpu(80)]
    assert convert(v2, "autoscaling/v1", TABLE)["spec"]["targetCPUUtilizationPercentage"] == 80


# -- v2 -> v1 -> v2: what v1 cannot say travels in annotations ---------------------------------------------------


def test_cpu_utilization_is_the_target_and_no_annotation_is_written():
    v1 = convert(hpa_v2([cpu(55)]), "autoscaling/v1", TABLE)
    assert v1["spec"] == {"scaleTargetRef": TARGET, "minReplicas": 1, "maxReplicas": 5,
                          "targetCPUUtilizationPercentage": 55}
    assert "annotations" not in v1["metadata"]


def test_other_metrics_are_kept_in_the_metrics_annotation_in_v1_shape():
    v1 = convert(hpa_v2([cpu(50), MEMORY]), "autoscaling/v1", TABLE)
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 50
    assert annotations(v1) == {
        METRIC_SPECS_ANNOTATION: '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]'}


def test_metrics_from_the_annotation_come_back_before_the_cpu_target():
    v2 = hpa_v2([cpu(50), MEMORY])
    back = convert(convert(v2, "autoscaling/v1", TABLE), "autoscaling/v2", TABLE)
    assert back["spec"]["metrics"] == [MEMORY, cpu(50)]
    assert "annotations" not in back["metadata"]


def test_v2_metrics_v1_cannot_express_round_trip():
    metrics = [
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
        {"type": "Object", "object": {"describedObject": {"kind": "Ingress", "name": "main",
                                                          "apiVersion": "networking.k8s.io/v1"},
                                      "target": {"type": "Value", "value": "10k"},
                                      "metric": {"name": "requests-per-second"}}},
        {"type": "External", "external": {"metric": {"name": "queue", "selector": {"matchLabels": {"q": "a"}}},
                                          "target": {"type": "AverageValue", "averageValue": "30"}}},
        {"type": "ContainerResource", "containerResource": {"name": "memory", "container": "app", "target": {
            "type": "Utilization", "averageUtilization": 60}}},
        cpu(70),
    ]
    v2 = hpa_v2(metrics)
    v1 = convert(v2, "autoscaling/v1", TABLE)
    assert json.loads(annotations(v1)[METRIC_SPECS_ANNOTATION]) == [
        {"type": "Pods", "pods": {"metricName": "qps", "targetAverageValue": "1k"}},
        {"type": "Object", "object": {"target": {"kind": "Ingress", "name": "main",
                                                 "apiVersion": "networking.k8s.io/v1"},
                                      "metricName": "requests-per-second", "targetValue": "10k"}},
        {"type": "External", "external": {"metricName": "queue", "metricSelector": {"matchLabels": {"q": "a"}},
                                          "targetAverageValue": "30"}},
        {"type": "ContainerResource", "containerResource": {"name": "memory", "targetAverageUtilization": 60,
                                                            "container": "app"}},
    ]
    assert convert(v1, "autoscaling/v2", TABLE) == v2


def test_cpu_average_value_stays_in_the_annotation_and_the_utilization_is_the_target():
    # conversion_test.go TestConversionWithCPUAverageValueAndUtilizationBoth1 (kubernetes#101370)
    cpu_value = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue",
                                                                            "averageValue": "300m"}}}
    v1 = convert(hpa_v2([cpu_value, cpu(70)], minReplicas=1, maxReplicas=3), "autoscaling/v1", TABLE)
    assert v1["spec"] == {"scaleTargetRef": TARGET, "minReplicas": 1, "maxReplicas": 3,
                          "targetCPUUtilizationPercentage": 70}
    assert json.loads(annotations(v1)[METRIC_SPECS_ANNOTATION]) == [
        {"type": "Resource", "resource": {"name": "cpu", "targetAverageValue": "300m"}}]


def test_without_a_cpu_utilization_metric_v1_has_no_target():
    v1 = convert(hpa_v2([MEMORY]), "autoscaling/v1", TABLE)
    assert "targetCPUUtilizationPercentage" not in v1["spec"]
    assert convert(v1, "autoscaling/v2", TABLE)["spec"]["metrics"] == [MEMORY]


def test_behavior_is_kept_as_the_internal_go_struct_with_go_field_names():
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
                              "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}
    v2 = hpa_v2([cpu(50)], behavior=behavior)
    v1 = convert(v2, "autoscaling/v1", TABLE)
    assert annotations(v1)[BEHAVIOR_SPECS_ANNOTATION] == (
        '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":"Max",'
        '"Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}')
    assert convert(v1, "autoscaling/v2", TABLE) == v2


def test_behavior_annotation_is_read_case_insensitively_like_encoding_json():
    v1 = hpa_v1(targetCPUUtilizationPercentage=50)
    v1["metadata"]["annotations"] = {BEHAVIOR_SPECS_ANNOTATION: '{"scaleup":{"selectpolicy":"Disabled"}}'}
    assert convert(v1, "autoscaling/v2", TABLE)["spec"]["behavior"] == {"scaleUp": {"selectPolicy": "Disabled"}}


def test_an_empty_behavior_annotation_is_no_behavior():
    v1 = hpa_v1(targetCPUUtilizationPercentage=50)
    v1["metadata"]["annotations"] = {BEHAVIOR_SPECS_ANNOTATION: '{"ScaleUp":null,"ScaleDown":null}'}
    assert "behavior" not in convert(v1, "autoscaling/v2", TABLE)["spec"]


def test_status_metrics_and_conditions_travel_in_annotations():
    status = {"currentReplicas": 2, "desiredReplicas": 3,
              "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                  "averageValue": "120m", "averageUtilization": 12}}}],
              "conditions": [{"type": "AbleToScale", "status": "True", "lastTransitionTime": "2024-05-01T10:00:00Z",
                              "reason": "SucceededRescale", "message": "the HPA controller was able to update"}]}
    v2 = hpa_v2([cpu(50)], status=status)
    v1 = convert(v2, "autoscaling/v1", TABLE)
    assert v1["status"] == {"currentReplicas": 2, "desiredReplicas": 3, "currentCPUUtilizationPercentage": 12}
    assert annotations(v1) == {
        METRIC_STATUSES_ANNOTATION: '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":12,'
                                    '"currentAverageValue":"120m"}}]',
        HPA_CONDITIONS_ANNOTATION: '[{"type":"AbleToScale","status":"True","lastTransitionTime":'
                                   '"2024-05-01T10:00:00Z","reason":"SucceededRescale",'
                                   '"message":"the HPA controller was able to update"}]',
    }
    assert convert(v1, "autoscaling/v2", TABLE) == v2


def test_a_current_metric_without_a_value_comes_back_with_the_zero_quantity():
    # v1's currentAverageValue is not a pointer: the zero quantity "0" is written and read back
    status = {"desiredReplicas": 1, "currentMetrics": [{"type": "Resource", "resource": {
        "name": "cpu", "current": {"averageUtilization": 10}}}]}
    back = convert(convert(hpa_v2([cpu(50)], status=status), "v1", TABLE), "v2", TABLE)
    assert back["status"]["currentMetrics"][0]["resource"]["current"] == {"averageValue": "0",
                                                                          "averageUtilization": 10}


def test_round_trip_annotations_a_client_sent_are_dropped_and_others_kept():
    v2 = hpa_v2([cpu(50)])
    v2["metadata"]["annotations"] = {METRIC_SPECS_ANNOTATION: "[]", "team": "payments"}
    stored = convert(v2, "autoscaling/v2", TABLE)  # like every write: through the hub version
    assert annotations(stored) == {"team": "payments"}
    assert annotations(convert(v2, "autoscaling/v1", TABLE)) == {"team": "payments"}


def test_unreadable_annotations_are_ignored():
    v1 = hpa_v1(targetCPUUtilizationPercentage=50)
    v1["metadata"]["annotations"] = {METRIC_SPECS_ANNOTATION: "{not json", HPA_CONDITIONS_ANNOTATION: "[oops"}
    v2 = convert(v1, "autoscaling/v2", TABLE)
    assert v2["spec"]["metrics"] == [cpu(50)]
    assert "annotations" not in v2["metadata"] and "status" not in v2


def test_conversion_does_not_touch_its_input():
    v2 = hpa_v2([cpu(50), MEMORY], behavior={"scaleUp": {"selectPolicy": "Max"}})
    before = copy.deepcopy(v2)
    convert(v2, "autoscaling/v1", TABLE)
    assert v2 == before


# -- the table's part ---------------------------------------------------------------------------------------


def test_objects_are_stored_in_the_storage_version():
    stored = to_storage_version(hpa_v1(targetCPUUtilizationPercentage=50), TABLE)
    assert stored["apiVersion"] == "autoscaling/v2" and stored["spec"]["metrics"] == [cpu(50)]


def test_kinds_without_a_converter_only_change_api_version():
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2}}
    assert convert(deploy, "v1", TABLE) == deploy
    assert convert(deploy, "apps/v1", TABLE) == deploy


def test_converting_to_a_version_that_is_not_served_fails_like_the_api_server():
    with pytest.raises(NoKindMatch, match='no matches for kind "HorizontalPodAutoscaler" in version '
                                          '"autoscaling/v2beta2"'):
        convert(hpa_v1(), "autoscaling/v2beta2", TABLE)
    with pytest.raises(NoKindMatch, match='no matches for kind "Deployment" in version "apps/v1beta2"'):
        convert({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}, "v1beta2", TABLE)
    with pytest.raises(NoKindMatch, match='in version "batch/v1"'):
        convert(hpa_v1(), "batch/v1", TABLE)


def test_converting_an_unknown_kind_fails():
    with pytest.raises(NoKindMatch, match='no matches for kind "Ingress" in version "extensions/v1beta1"'):
        convert({"apiVersion": "extensions/v1beta1", "kind": "Ingress"}, "v1", TABLE)
