"""What `kubectl get` prints: kauth.kubectl.printers.

Two oracles. The cells come from the API server (pkg/printers/internalversion/printers.go),
so they are checked against cases ported from upstream's printers_test.go. The layout is
kubectl's own (decorateTable, printTable, text/tabwriter), so it is checked against the real
kubectl v1.32 pointed at a tiny fake API server on 127.0.0.1 that serves our Tables.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socketserver
import subprocess
import tempfile
import threading
from datetime import datetime, timedelta, timezone

import pytest

from kauth.api.resources import ResourceType
from kauth.apiserver.printers import format_quantity, human_duration, server_table, translate_timestamp
from kauth.kubectl.printers import custom_columns, name_line, no_resources_message, table

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def ago(**kw) -> str:
    return (NOW - timedelta(**kw)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rt(kind: str, group: str = "", namespaced: bool = True, plural: str | None = None, version: str = "v1"):
    return ResourceType(group, version, kind, plural or kind.lower() + "s", namespaced)


POD, SVC, DEPLOY = rt("Pod"), rt("Service"), rt("Deployment", "apps")
NODE = rt("Node", namespaced=False)


def cells(kind_rt, obj, wide=True):
    tbl = server_table(kind_rt, [obj], now=NOW)
    return [c for c, col in zip(tbl.rows[0], tbl.columns) if wide or col.priority == 0]


# ---------------------------------------------------------------- HumanDuration (duration_test.go)

S, M, H, D = 1, 60, 3600, 86400
MS = 0.001


@pytest.mark.parametrize("seconds, text", [
    (S, "1s"), (70 * S, "70s"), (190 * S, "3m10s"), (70 * M, "70m"), (47 * H, "47h"), (49 * H, "2d1h"),
    ((8 * 24 + 2) * H, "8d"), (367 * D, "367d"), ((365 * 2 * 24 + 25) * H, "2y1d"), ((365 * 8 * 24 + 2) * H, "8y"),
    (-2 * S, "<invalid>"), (-2 * S + 1e-9, "0s"), (0, "0s"), (S - MS, "0s"), (2 * M - MS, "119s"), (2 * M, "2m"),
    (2 * M + S, "2m1s"), (10 * M - MS, "9m59s"), (10 * M, "10m"), (10 * M + S, "10m"), (3 * H - MS, "179m"),
    (3 * H, "3h"), (3 * H + M, "3h1m"), (8 * H - MS, "7h59m"), (8 * H, "8h"), (8 * H + 59 * M, "8h"),
    (2 * D - MS, "47h"), (2 * D, "2d"), (2 * D + H, "2d1h"), (8 * D - MS, "7d23h"), (8 * D, "8d"),
    (8 * D + 23 * H, "8d"), (2 * 365 * D - MS, "729d"), (2 * 365 * D, "2y"), (2 * 365 * D + 23 * H, "2y"),
    (2 * 365 * D + 24 * H - MS, "2y"), (2 * 365 * D + 24 * H, "2y1d"), (3 * 365 * D, "3y"),
    (8 * 365 * D - MS, "7y364d"), (8 * 365 * D, "8y"), (8 * 365 * D + 364 * D, "8y"), (9 * 365 * D, "9y"),
])
def test_human_duration_matches_apimachinery(seconds, text):
    assert human_duration(seconds) == text


@pytest.mark.parametrize("when, text", [
    (NOW + timedelta(seconds=2.1), "<invalid>"),
    (NOW + timedelta(seconds=1.9), "0s"),
    (NOW, "0s"),
    (NOW - timedelta(seconds=30), "30s"),
    (NOW - timedelta(minutes=5), "5m"),
    (NOW - timedelta(minutes=100), "100m"),
    (NOW - timedelta(days=2), "2d"),
    (NOW - timedelta(days=90), "90d"),
    (NOW - timedelta(days=10 * 365), "10y"),
])
def test_translate_timestamp_since(when, text):
    assert translate_timestamp(when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), NOW) == text


def test_translate_timestamp_without_a_timestamp_is_unknown():
    assert translate_timestamp(None, NOW) == "<unknown>"


# ---------------------------------------------------------------- TestPrintPod and friends (printers_test.go)

def pod(name="test1", containers=2, phase="podPhase", statuses=(), init=0, init_statuses=(), **extra):
    spec = {"containers": [{"name": f"c{i}"} for i in range(containers)]}
    if init:
        spec["initContainers"] = [{"name": f"i{i}"} for i in range(init)] if isinstance(init, int) else init
    status = {"phase": phase, "containerStatuses": list(statuses)}
    if init_statuses:
        status["initContainerStatuses"] = list(init_statuses)
    obj = {"metadata": {"name": name}, "spec": spec, "status": status}
    for key, value in extra.items():
        if key == "conditions":
            status["conditions"] = value
        elif key == "reason":
            status["reason"] = value
        elif key == "deleted":
            obj["metadata"]["deletionTimestamp"] = ago(seconds=10)
    return obj


RUNNING = {"running": {}}


def cs(ready=False, restarts=0, state=None, last_finished=None, **kw):
    out = {"ready": ready, "restartCount": restarts, "state": state if state is not None else {}}
    if last_finished is not None:
        out["lastState"] = {"terminated": {"finishedAt": ago(**last_finished)}}
    out.update(kw)
    return out


@pytest.mark.parametrize("obj, expected", [
    (pod(statuses=[cs(True, 3, RUNNING), cs(restarts=3)]), ["test1", "1/2", "podPhase", "6", "<unknown>"]),
    (pod(statuses=[cs(True, 3, RUNNING), cs(restarts=3, state={"waiting": {"reason": "ContainerWaitingReason"}})]),
     ["test1", "1/2", "ContainerWaitingReason", "6", "<unknown>"]),
    (pod(statuses=[cs(restarts=3, state={"waiting": {"reason": "ContainerWaitingReason"}}),
                   cs(restarts=3, state={"terminated": {"reason": "ContainerTerminatedReason"}})]),
     ["test1", "0/2", "ContainerWaitingReason", "6", "<unknown>"]),
    (pod(statuses=[cs(True, 3, RUNNING), cs(True, 3)]), ["test1", "1/2", "podPhase", "6", "<unknown>"]),
    (pod(statuses=[cs(True, 3, RUNNING), cs(True, 3)], reason="podReason"),
     ["test1", "1/2", "podReason", "6", "<unknown>"]),
    (pod(phase="Running", statuses=[cs(True, 3, {"terminated": {"reason": "Completed", "exitCode": 0}}),
                                    cs(True, 3, RUNNING)]), ["test1", "1/2", "NotReady", "6", "<unknown>"]),
    (pod(phase="Running", statuses=[cs(True, 3, {"terminated": {"reason": "Completed", "exitCode": 0}}),
                                    cs(True, 3, RUNNING)], conditions=[{"type": "Ready", "status": "True"}]),
     ["test1", "1/2", "Running", "6", "<unknown>"]),
    (pod(containers=1, init=1, init_statuses=[cs(False, 3, RUNNING, last_finished={"seconds": 10})],
         statuses=[cs(state={"waiting": {}})]), ["test1", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"]),
    (pod(containers=1, init=2, init_statuses=[cs(False, 3, RUNNING, last_finished={"seconds": 10}),
                                              cs(state={"waiting": {}})], statuses=[cs(state={"waiting": {}})]),
     ["test1", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"]),
    (pod(containers=1, init=2, init_statuses=[cs(state={"terminated": {}}),
                                              cs(False, 3, RUNNING, last_finished={"seconds": 10})],
         statuses=[cs(state={"waiting": {}})]), ["test1", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"]),
    (pod(containers=1, init=2, init_statuses=[cs(False, 2, {"terminated": {}}, last_finished={"minutes": 2}),
                                              cs(False, 3, RUNNING, last_finished={"seconds": 10})],
         statuses=[cs(state={"waiting": {}})]), ["test1", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"]),
    (pod(containers=1, phase="Running", init=1,
         init_statuses=[cs(False, 2, {"terminated": {}}, last_finished={"minutes": 2})],
         statuses=[cs(False, 4, RUNNING, last_finished={"seconds": 20})]),
     ["test1", "0/1", "Running", "4 (20s ago)", "<unknown>"]),
    (pod(containers=1, phase="Running", statuses=[cs(True, 3, RUNNING, last_finished={"days": 5})]),
     ["test1", "1/1", "Running", "3 (5d ago)", "<unknown>"]),
    (pod(phase="Running", statuses=[cs(True, 0, RUNNING), cs(True, 3, RUNNING, last_finished={"days": 10})]),
     ["test1", "2/2", "Running", "3 (10d ago)", "<unknown>"]),
    (pod(phase="Running", statuses=[cs(True, 6, RUNNING, last_finished={"days": 5}),
                                    cs(True, 3, RUNNING, last_finished={"days": 20})]),
     ["test1", "2/2", "Running", "9 (5d ago)", "<unknown>"]),
    (pod(conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
     ["test1", "0/2", "SchedulingGated", "0", "<unknown>"]),
    (pod(containers=1, phase="Succeeded", statuses=[cs(state={"terminated": {"reason": "Completed", "exitCode": 0}})]),
     ["test1", "0/1", "Completed", "0", "<unknown>"]),
    (pod(containers=1, phase="Failed", statuses=[cs(state={"terminated": {"reason": "Error", "exitCode": 1}})]),
     ["test1", "0/1", "Error", "0", "<unknown>"]),
    (pod(containers=1, phase="Succeeded", deleted=True,
         statuses=[cs(state={"terminated": {"reason": "Completed", "exitCode": 0}})]),
     ["test1", "0/1", "Completed", "0", "<unknown>"]),
    (pod(containers=1, phase="Running", deleted=True, statuses=[cs(state=RUNNING)]),
     ["test1", "0/1", "Terminating", "0", "<unknown>"]),
    (pod(containers=1, phase="Pending", deleted=True), ["test1", "0/1", "Terminating", "0", "<unknown>"]),
    (pod(containers=1, phase="Pending"), ["test1", "0/1", "Pending", "0", "<unknown>"]),
    (pod(containers=1, phase="Pending", statuses=[cs(state={"waiting": {"reason": "ContainerCreating"}})]),
     ["test1", "0/1", "ContainerCreating", "0", "<unknown>"]),
    (pod(containers=1, phase="Running", statuses=[
        cs(False, 5, {"waiting": {"reason": "CrashLoopBackOff"}}, last_finished={"minutes": 5})]),
     ["test1", "0/1", "CrashLoopBackOff", "5 (5m ago)", "<unknown>"]),
    (pod(containers=1, phase="Running", statuses=[cs(state={"terminated": {"exitCode": 137}})]),
     ["test1", "0/1", "ExitCode:137", "0", "<unknown>"]),
    (pod(containers=1, phase="Running", statuses=[cs(state={"terminated": {"exitCode": 0, "signal": 9}})]),
     ["test1", "0/1", "Signal:9", "0", "<unknown>"]),
    (pod(containers=1, init=1, init_statuses=[cs(state={"waiting": {"reason": "ImagePullBackOff"}})]),
     ["test1", "0/1", "Init:ImagePullBackOff", "0", "<unknown>"]),
    (pod(containers=1, init=1, init_statuses=[cs(state={"terminated": {"exitCode": 1}})]),
     ["test1", "0/1", "Init:ExitCode:1", "0", "<unknown>"]),
])
def test_print_pod(obj, expected):
    assert cells(POD, obj, wide=False) == expected


SIDECARS = [{"name": "restartable-init-1", "restartPolicy": "Always"},
            {"name": "restartable-init-2", "restartPolicy": "Always"}]


@pytest.mark.parametrize("obj, expected", [
    (pod(containers=1, phase="Pending", init=SIDECARS, init_statuses=[
        cs(False, 3, RUNNING, last_finished={"seconds": 10}, name="restartable-init-1", started=False),
        cs(state={"waiting": {}}, name="restartable-init-2", started=False)],
        statuses=[cs(state={"waiting": {}})], conditions=[{"type": "Initialized", "status": "False"}]),
     ["test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"]),
    (pod(containers=1, phase="Pending", init=SIDECARS, init_statuses=[
        cs(False, 3, RUNNING, last_finished={"seconds": 10}, name="restartable-init-1", started=True),
        cs(state=RUNNING, name="restartable-init-2", started=False)],
        statuses=[cs(state={"waiting": {}})], conditions=[{"type": "Initialized", "status": "False"}]),
     ["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"]),
    (pod(containers=1, phase="Running", init=SIDECARS, init_statuses=[
        cs(False, 3, RUNNING, last_finished={"seconds": 10}, name="restartable-init-1", started=True),
        cs(state=RUNNING, name="restartable-init-2", started=True)],
        statuses=[cs(True, 4, RUNNING, last_finished={"seconds": 20})],
        conditions=[{"type": "Initialized", "status": "True"}]),
     ["test1", "1/3", "Running", "7 (10s ago)", "<unknown>"]),
    (pod(containers=1, phase="Succeeded", init=SIDECARS, init_statuses=[
        cs(False, 3, {"terminated": {"reason": "Error", "exitCode": 137}}, last_finished={"seconds": 10},
           name="restartable-init-1", started=False),
        cs(state={"terminated": {"reason": "Error", "exitCode": 137}}, name="restartable-init-2", started=False)],
        statuses=[cs(False, 4, {"terminated": {"reason": "Completed", "exitCode": 0}}, last_finished={"seconds": 20})],
        conditions=[{"type": "Initialized", "status": "True"}]),
     ["test1", "0/3", "Completed", "7 (10s ago)", "<unknown>"]),
    (pod(containers=1, phase="Running",
         init=[{"name": "init1"}, {"name": "sidecar1", "restartPolicy": "Always"}],
         init_statuses=[{"name": "initinvalid"}, {"name": "init1"}, {"name": "sidecar1"}],
         statuses=[{"name": "containerinvalid"}, {"name": "container1"}]),
     ["test1", "0/2", "Init:0/2", "0", "<unknown>"]),
])
def test_print_pod_with_restartable_init_containers(obj, expected):
    assert cells(POD, obj, wide=False) == expected


def test_print_pod_wide_counts_readiness_gates_and_takes_the_first_pod_ip():
    obj = pod(statuses=[cs(True, 3, RUNNING), cs(restarts=3)],
              conditions=[{"type": "condition1", "status": "False"}, {"type": "condition2", "status": "True"}])
    obj["spec"]["nodeName"] = "test1"
    obj["spec"]["readinessGates"] = [{"conditionType": f"condition{i}"} for i in (1, 2, 3)]
    obj["status"]["podIPs"] = [{"ip": "1.1.1.1"}, {"ip": "2001:db8::"}]
    obj["status"]["nominatedNodeName"] = "node1"
    assert cells(POD, obj) == ["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"]
    bare = pod(statuses=[cs(True, 3, RUNNING), cs(restarts=3)])
    assert cells(POD, bare)[5:] == ["<none>", "<none>", "<none>", "<none>"]


# ---------------------------------------------------------------- services

def svc(name, stype, ports=(), cluster_ips=("10.9.8.7",), external_ips=None, lb=None, selector=None, **spec):
    obj = {"metadata": {"name": name},
           "spec": {"type": stype, "ports": [dict(p) for p in ports], "clusterIPs": list(cluster_ips), **spec}}
    if external_ips:
        obj["spec"]["externalIPs"] = list(external_ips)
    if selector:
        obj["spec"]["selector"] = selector
    if lb:
        obj["status"] = {"loadBalancer": {"ingress": lb}}
    return obj


TCP80 = {"protocol": "TCP", "port": 80}


@pytest.mark.parametrize("obj, expected", [
    (svc("test1", "ClusterIP", [{"protocol": "tcp", "port": 2233}], selector={"foo": "bar"}),
     ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"]),
    (svc("test2", "NodePort", [{"protocol": "tcp", "port": 8888, "nodePort": 9999}]),
     ["test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>", "<none>"]),
    (svc("test3", "LoadBalancer", [{"protocol": "tcp", "port": 8888}]),
     ["test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>", "<none>"]),
    (svc("test4", "LoadBalancer", [{"protocol": "tcp", "port": 8888}], external_ips=["80.11.12.10"]),
     ["test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>", "<none>"]),
    (svc("test5", "LoadBalancer", [{"protocol": "tcp", "port": 8888}], external_ips=["80.11.12.10"],
         lb=[{"ip": "3.4.5.6", "hostname": "test.cluster.com"}]),
     ["test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>", "<none>"]),
    (svc("test6", "LoadBalancer", [{"protocol": "tcp", "port": 8888}], external_ips=["80.11.12.10", "80.11.12.11"],
         lb=[{"ip": "2.3.4.5", "hostname": "a"}, {"ip": "3.4.5.6", "hostname": "b"}]),
     ["test6", "LoadBalancer", "10.9.8.7", "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11", "8888/tcp", "<unknown>",
      "<none>"]),
    (svc("test7", "ExternalName", cluster_ips=(), externalName="my.database.example.com"),
     ["test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>", "<none>"]),
    (svc("service2", "LoadBalancer", [TCP80, {"protocol": "UDP", "port": 8090}, {"protocol": "TCP", "port": 8000},
                                      {"protocol": "SCTP", "port": 7777}], cluster_ips=("1.3.4.5",)),
     ["service2", "LoadBalancer", "1.3.4.5", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>",
      "<none>"]),
    # the server builds wide cells, so a long load-balancer list is never elided
    (svc("service4", "LoadBalancer", [TCP80], cluster_ips=("1.5.6.7",),
         lb=[{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}, {"ip": "5.6.7.8", "hostname": "host5678"}]),
     ["service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5.6,5.6.7.8", "80/TCP", "<unknown>", "<none>"]),
])
def test_print_service(obj, expected):
    assert cells(SVC, obj) == expected


def test_service_without_cluster_ips_falls_back_to_cluster_ip():
    obj = {"metadata": {"name": "s"}, "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1", "ports": [TCP80]}}
    assert cells(SVC, obj)[2] == "10.0.0.1"


# ---------------------------------------------------------------- workloads

CONTAINERS = [{"name": "fake-container1", "image": "fake-image1"}, {"name": "fake-container2", "image": "fake-image2"}]
SOON = (NOW + timedelta(seconds=1.9)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def workload(name="test1", spec=None, status=None, created=SOON):
    return {"metadata": {"name": name, "creationTimestamp": created}, "spec": spec or {}, "status": status or {}}


def test_print_deployment():
    obj = workload(spec={"replicas": 5, "template": {"spec": {"containers": CONTAINERS}},
                         "selector": {"matchLabels": {"foo": "bar"}}},
                   status={"replicas": 10, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 4})
    assert cells(DEPLOY, obj) == ["test1", "0/5", 2, 1, "0s", "fake-container1,fake-container2",
                                  "fake-image1,fake-image2", "foo=bar"]


def test_print_daemonset():
    obj = workload(spec={"template": {"spec": {"containers": CONTAINERS}}, "selector": {"matchLabels": {"foo": "bar"}}},
                   status={"currentNumberScheduled": 2, "desiredNumberScheduled": 3, "numberReady": 1,
                           "updatedNumberScheduled": 2, "numberAvailable": 0})
    assert cells(rt("DaemonSet", "apps"), obj) == [
        "test1", 3, 2, 1, 2, 0, "<none>", "0s", "fake-container1,fake-container2", "fake-image1,fake-image2",
        "foo=bar"]


def test_print_replicaset_and_statefulset():
    spec = {"replicas": 5, "template": {"spec": {"containers": CONTAINERS}},
            "selector": {"matchLabels": {"foo": "bar"}}}
    obj = workload(spec=spec, status={"replicas": 5, "readyReplicas": 2})
    assert cells(rt("ReplicaSet", "apps"), obj) == ["test1", 5, 5, 2, "0s", "fake-container1,fake-container2",
                                                    "fake-image1,fake-image2", "foo=bar"]
    assert cells(rt("StatefulSet", "apps"), obj) == ["test1", "2/5", "0s", "fake-container1,fake-container2",
                                                     "fake-image1,fake-image2"]


def test_print_replication_controller():
    obj = {"metadata": {"name": "rc1"},
           "spec": {"replicas": 5, "selector": {"a": "b"},
                    "template": {"spec": {"containers": [{"name": "test", "image": "test_image"}]}}},
           "status": {"replicas": 3, "readyReplicas": 1}}
    assert cells(rt("ReplicationController"), obj) == ["rc1", 5, 3, 1, "<unknown>", "test", "test_image", "a=b"]


JOB_SPEC = {"completions": 2, "template": {"spec": {"containers": [
    {"name": "fake-job-container1", "image": "fake-job-image1"},
    {"name": "fake-job-container2", "image": "fake-job-image2"}]}},
    "selector": {"matchLabels": {"job-label": "job-label-value"}}}


@pytest.mark.parametrize("obj, expected", [
    (workload("job1", JOB_SPEC, {"succeeded": 1}),
     ["job1", "Running", "1/2", "", "0s", "fake-job-container1,fake-job-container2",
      "fake-job-image1,fake-job-image2", "job-label=job-label-value"]),
    (workload("job2", {}, {}, created=ago(days=3652)), ["job2", "Running", "0/1", "", "10y", "", "", "<none>"]),
    (workload("job3", {}, {"startTime": ago(minutes=-1), "completionTime": ago(minutes=-31)}, created=ago(days=3650)),
     ["job3", "Running", "0/1", "30m", "10y", "", "", "<none>"]),
    (workload("job4", {}, {"startTime": ago(minutes=20)}, created=ago(days=3650)),
     ["job4", "Running", "0/1", "20m", "10y", "", "", "<none>"]),
    (workload("job5", {}, {"conditions": [{"type": "Complete", "status": "True"}]}),
     ["job5", "Complete", "0/1", "", "0s", "", "", "<none>"]),
    (workload("job6", {}, {"conditions": [{"type": "Failed", "status": "True"}]}),
     ["job6", "Failed", "0/1", "", "0s", "", "", "<none>"]),
    (workload("job7", {}, {"conditions": [{"type": "Suspended", "status": "True"}]}),
     ["job7", "Suspended", "0/1", "", "0s", "", "", "<none>"]),
    (workload("job8", {}, {"conditions": [{"type": "FailureTarget", "status": "True"}]}),
     ["job8", "FailureTarget", "0/1", "", "0s", "", "", "<none>"]),
    (workload("job10", {"parallelism": 3}, {"succeeded": 1}),
     ["job10", "Running", "1/1 of 3", "", "0s", "", "", "<none>"]),
])
def test_print_job(obj, expected):
    assert cells(rt("Job", "batch"), obj) == expected


def test_print_terminating_job():
    obj = workload("job9")
    obj["metadata"]["deletionTimestamp"] = SOON
    assert cells(rt("Job", "batch"), obj, wide=False) == ["job9", "Terminating", "0/1", "", "0s"]


def test_print_cronjob():
    spec = {"schedule": "0/5 * * * ?", "suspend": False, "jobTemplate": {"spec": JOB_SPEC}}
    obj = workload("cronjob1", spec, {"lastScheduleTime": SOON})
    assert cells(rt("CronJob", "batch"), obj, wide=False) == ["cronjob1", "0/5 * * * ?", "<none>", "False", 0, "0s",
                                                              "0s"]
    obj["spec"]["timeZone"] = "LOCAL"
    obj["status"] = {"active": [{"name": "j"}]}
    assert cells(rt("CronJob", "batch"), obj, wide=False) == ["cronjob1", "0/5 * * * ?", "LOCAL", "False", 1,
                                                              "<none>", "0s"]


# ---------------------------------------------------------------- config, cluster, storage, policy


def test_print_configmap_secret_serviceaccount_namespace():
    cm = workload("configmap3")
    cm.update(data={"foo": "bar"}, binaryData={"bin": "YmluYXJ5"})
    assert cells(rt("ConfigMap"), cm) == ["configmap3", 2, "0s"]
    secret = workload("secret1")
    secret.update(type="kubernetes.io/service-account-token", data={"token": "c2VjcmV0"})
    assert cells(rt("Secret"), secret) == ["secret1", "kubernetes.io/service-account-token", 1, "0s"]
    sa = workload("sa1")
    sa["secrets"] = [{"name": "Secret1"}, {"name": "Secret2"}]
    assert cells(rt("ServiceAccount"), sa) == ["sa1", 2, "0s"]
    ns = {"metadata": {"name": "namespace1", "creationTimestamp": SOON}, "status": {"phase": "FooStatus"}}
    assert cells(rt("Namespace", namespaced=False), ns) == ["namespace1", "FooStatus", "0s"]
    assert cells(rt("Namespace", namespaced=False), {"metadata": {"name": "namespace2"}}) == [
        "namespace2", "", "<unknown>"]


@pytest.mark.parametrize("status, spec, labels, expected", [
    ({"conditions": [{"type": "Ready", "status": "True"}]}, {}, {}, ["foo", "Ready", "<none>", "<unknown>", ""]),
    ({"conditions": [{"type": "Ready", "status": "True"}]}, {"unschedulable": True}, {},
     ["foo", "Ready,SchedulingDisabled", "<none>", "<unknown>", ""]),
    ({"conditions": [{"type": "Ready", "status": "False"}]}, {}, {}, ["foo", "NotReady", "<none>", "<unknown>", ""]),
    ({"conditions": [{"type": "InvalidValue", "status": "True"}]}, {"unschedulable": True}, {},
     ["foo", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""]),
    ({}, {}, {"node-role.kubernetes.io/master": "", "node-role.kubernetes.io/control-plane": "",
              "node-role.kubernetes.io/proxy": "", "kubernetes.io/role": "node"},
     ["foo", "Unknown", "control-plane,master,node,proxy", "<unknown>", ""]),
])
def test_print_node(status, spec, labels, expected):
    obj = {"metadata": {"name": "foo", "labels": labels}, "spec": spec, "status": status}
    assert cells(NODE, obj, wide=False) == expected


def test_print_node_wide():
    obj = {"metadata": {"name": "foo1"}, "status": {"nodeInfo": {"osImage": "fake-os-image"},
                                                    "addresses": [{"type": "ExternalIP", "address": "1.1.1.1"}]}}
    assert cells(NODE, obj) == ["foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "fake-os-image",
                                "<unknown>", "<unknown>"]


CLAIM = {"name": "test", "namespace": "default"}


@pytest.mark.parametrize("spec, phase, expected", [
    ({"claimRef": CLAIM, "accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}}, "Bound",
     ["test1", "4Gi", "ROX", "", "Bound", "default/test", "", "<unset>", "", "<unknown>", "<unset>"]),
    ({"claimRef": CLAIM, "storageClassName": "my-scn", "volumeAttributesClassName": "my-vacn",
      "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}, "Pending",
     ["test1", "10Gi", "RWO", "", "Pending", "default/test", "my-scn", "my-vacn", "", "<unknown>", "<unset>"]),
    ({"accessModes": ["ReadWriteMany", "ReadWriteOnce"], "capacity": {"storage": "0.5Gi"},
      "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"}, "Available",
     ["test1", "512Mi", "RWO,RWX", "Retain", "Available", "", "", "<unset>", "", "<unknown>", "Filesystem"]),
])
def test_print_persistent_volume(spec, phase, expected):
    obj = {"metadata": {"name": "test1"}, "spec": spec, "status": {"phase": phase}}
    assert cells(rt("PersistentVolume", namespaced=False), obj) == expected


@pytest.mark.parametrize("spec, status, expected", [
    ({"volumeName": "my-volume", "volumeMode": "Filesystem"},
     {"phase": "Bound", "accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}},
     ["test1", "Bound", "my-volume", "4Gi", "ROX", "", "<unset>", "<unknown>", "Filesystem"]),
    ({"volumeMode": "Filesystem"}, {"phase": "Lost", "accessModes": ["ReadOnlyMany"], "capacity": {"storage": "4Gi"}},
     ["test1", "Lost", "", "", "", "", "<unset>", "<unknown>", "Filesystem"]),
    ({"volumeName": "my-volume", "storageClassName": "my-scn", "volumeAttributesClassName": "my-vacn"},
     {"phase": "Pending", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}},
     ["test1", "Pending", "my-volume", "10Gi", "RWO", "my-scn", "my-vacn", "<unknown>", "<unset>"]),
])
def test_print_persistent_volume_claim(spec, status, expected):
    obj = {"metadata": {"name": "test1"}, "spec": spec, "status": status}
    assert cells(rt("PersistentVolumeClaim"), obj) == expected


def test_print_pod_disruption_budget():
    pdb = workload("pdb1", {"minAvailable": 22}, {"disruptionsAllowed": 5})
    assert cells(rt("PodDisruptionBudget", "policy"), pdb) == ["pdb1", "22", "N/A", 5, "0s"]
    pdb = workload("pdb2", {"maxUnavailable": "10%"}, {"disruptionsAllowed": 5})
    assert cells(rt("PodDisruptionBudget", "policy"), pdb) == ["pdb2", "N/A", "10%", 5, "0s"]


def test_print_network_policy():
    np = rt("NetworkPolicy", "networking.k8s.io", plural="networkpolicies")
    assert cells(np, workload("policy1")) == ["policy1", "<none>", "0s"]
    assert cells(np, workload("policy2", {"podSelector": {"matchLabels": {"foo": "bar"}}})) == [
        "policy2", "foo=bar", "0s"]
    exprs = {"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]},
                                                  {"key": "env", "operator": "DoesNotExist"}]}}
    assert cells(np, workload("policy3", exprs))[1] == "!env,tier in (api,web)"


def test_print_role_bindings():
    binding = {"metadata": {"name": "binding2", "creationTimestamp": SOON},
               "subjects": [{"kind": "User", "name": "user-name"}, {"kind": "Group", "name": "group-name"},
                            {"kind": "ServiceAccount", "name": "service-account-name",
                             "namespace": "service-account-namespace"}],
               "roleRef": {"kind": "Role", "name": "role-name"}}
    expected = ["binding2", "Role/role-name", "0s", "user-name", "group-name",
                "service-account-namespace/service-account-name"]
    assert cells(rt("RoleBinding", "rbac.authorization.k8s.io"), binding) == expected
    assert cells(rt("ClusterRoleBinding", "rbac.authorization.k8s.io", False), binding) == expected


def test_print_ingress_and_ingress_class():
    ing = {"metadata": {"name": "test1", "creationTimestamp": ago(days=3650)},
           "spec": {"ingressClassName": "foo", "defaultBackend": {"service": {"name": "default-backend"}}},
           "status": {"loadBalancer": {"ingress": [{"ip": "2.3.4.5", "hostname": "localhost.localdomain"}]}}}
    assert cells(rt("Ingress", "networking.k8s.io", plural="ingresses"), ing) == [
        "test1", "foo", "*", "2.3.4.5", "80", "10y"]
    ic = rt("IngressClass", "networking.k8s.io", False, "ingressclasses")
    obj = {"metadata": {"name": "test1", "creationTimestamp": ago(days=3650)},
           "spec": {"controller": "example.com/controller",
                    "parameters": {"apiGroup": "example.com", "kind": "customgroup", "name": "example"}}}
    assert cells(ic, obj) == ["test1", "example.com/controller", "customgroup.example.com/example", "10y"]
    del obj["spec"]["parameters"]
    assert cells(ic, obj) == ["test1", "example.com/controller", "<none>", "10y"]


def test_print_ingress_hosts_and_tls_ports():
    ing = {"metadata": {"name": "car-sharing"},
           "spec": {"tls": [{"hosts": ["a.example.com"]}],
                    "rules": [{"host": f"h{i}.example.com"} for i in range(5)]}}
    assert cells(rt("Ingress", "networking.k8s.io", plural="ingresses"), ing)[1:5] == [
        "<none>", "h0.example.com,h1.example.com,h2.example.com + 2 more...", "", "80, 443"]


def test_print_hpa_targets():
    hpa = rt("HorizontalPodAutoscaler", "autoscaling")
    ref = {"kind": "ReplicationController", "name": "some-rc"}
    obj = {"metadata": {"name": "some-hpa"}, "spec": {"scaleTargetRef": ref, "maxReplicas": 10},
           "status": {"currentReplicas": 4, "desiredReplicas": 5}}
    assert cells(hpa, obj) == ["some-hpa", "ReplicationController/some-rc", "<none>", "<unset>", 10, 4, "<unknown>"]
    obj["spec"].update(minReplicas=2, metrics=[
        {"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"},
                                  "target": {"type": "AverageValue", "averageValue": "100m"}}},
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}},
        {"type": "Pods", "pods": {"metric": {"name": "other-pods-metric"},
                                  "target": {"type": "AverageValue", "averageValue": "400m"}}}])
    obj["status"]["currentMetrics"] = [
        {"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"}, "current": {"averageValue": "50m"}}},
        {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "40m"}}}]
    assert cells(hpa, obj)[2:4] == ["50m/100m, cpu: 50%/80% + 1 more...", "2"]


def test_print_event():
    event = {"metadata": {"name": "event2"}, "reportingComponent": "kubelet", "reportingInstance": "test",
             "involvedObject": {"kind": "Deployment", "name": "Deployment Name", "fieldPath": "spec.containers{foo}"},
             "reason": "Event Reason", "message": "Message Data", "firstTimestamp": ago(days=3),
             "lastTimestamp": ago(days=2), "count": 6, "type": "Warning"}
    assert cells(rt("Event"), event) == ["2d", "Warning", "Event Reason", "deployment/Deployment Name",
                                         "spec.containers{foo}", "kubelet, test", "Message Data", "3d", 6, "event2"]
    singleton = {"metadata": {"name": "event7"}, "source": {"component": "kubelet", "host": "Node1"},
                 "involvedObject": {"kind": "Deployment", "name": "Deployment Name"}, "type": "Warning",
                 "reason": "Event Reason", "message": "Message Data", "eventTime": ago(days=3)}
    assert cells(rt("Event"), singleton)[0::7] == ["3d", "3d"]
    assert cells(rt("Event"), singleton)[8] == 1


def test_print_storage_class_lease_priority_class_resource_quota():
    sc = {"metadata": {"name": "standard", "creationTimestamp": SOON,
                       "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
          "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"}
    assert cells(rt("StorageClass", "storage.k8s.io", False, "storageclasses"), sc) == [
        "standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", False, "0s"]
    lease = {"metadata": {"name": "kube-scheduler", "creationTimestamp": SOON}, "spec": {"holderIdentity": "node_1"}}
    assert cells(rt("Lease", "coordination.k8s.io"), lease) == ["kube-scheduler", "node_1", "0s"]
    pc = {"metadata": {"name": "system-node-critical", "creationTimestamp": SOON}, "value": 2000001000,
          "preemptionPolicy": "PreemptLowerPriority"}
    assert cells(rt("PriorityClass", "scheduling.k8s.io", False, "priorityclasses"), pc) == [
        "system-node-critical", 2000001000, False, "0s", "PreemptLowerPriority"]
    rq = {"metadata": {"name": "quota", "creationTimestamp": SOON},
          "status": {"hard": {"pods": "10", "requests.cpu": "1", "limits.memory": "2Gi"},
                     "used": {"pods": "1", "requests.cpu": "500m"}}}
    assert cells(rt("ResourceQuota"), rq) == ["quota", "0s", "pods: 1/10, requests.cpu: 500m/1",
                                              "limits.memory: 0/2Gi"]


def test_endpoints_list_three_addresses_then_a_count():
    ep = {"metadata": {"name": "e"}, "subsets": [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(1, 5)], "ports": [{"port": 80}]}]}
    assert cells(rt("Endpoints", plural="endpoints"), ep)[1] == "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more..."
    assert cells(rt("Endpoints", plural="endpoints"), {"metadata": {"name": "e"}})[1] == "<none>"


def test_kinds_without_a_printer_show_created_at():
    role = {"metadata": {"name": "pod-reader", "creationTimestamp": "2024-04-30T09:08:07Z"}}
    for kind_rt in (rt("Role", "rbac.authorization.k8s.io"), rt("ClusterRole", "rbac.authorization.k8s.io", False),
                    rt("LimitRange"), rt("CustomResourceDefinition", "apiextensions.k8s.io", False)):
        assert table(kind_rt, [role], now=NOW) == "NAME         CREATED AT\npod-reader   2024-04-30T09:08:07Z\n"


def test_custom_resources_show_age_or_their_printer_columns():
    widget = ResourceType("example.com", "v1", "Widget", "widgets", True)
    obj = {"metadata": {"name": "w1", "creationTimestamp": ago(minutes=3)},
           "spec": {"size": 3, "color": "blue", "ratio": 1.5, "on": True}}
    assert table(widget, [obj], now=NOW) == "NAME   AGE\nw1     3m\n"
    columns = [{"name": "Color", "type": "string", "jsonPath": ".spec.color"},
               {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
               {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio", "priority": 1},
               {"name": "Missing", "type": "string", "jsonPath": ".spec.nope"},
               {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
    assert table(widget, [obj], now=NOW, printer_columns=columns) == (
        "NAME   COLOR   SIZE   MISSING   AGE\n"
        "w1     blue    3                3m\n"
    )
    assert table(widget, [obj], now=NOW, printer_columns=columns, wide=True, show_kind=True).splitlines()[1] == (
        "widget.example.com/w1   blue    3      1.5               3m")


# ---------------------------------------------------------------- learning material, exact text

MY_NGINX_POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "my-nginx", "namespace": "default", "labels": {"run": "my-nginx"},
                 "creationTimestamp": ago(minutes=5, seconds=12)},
    "spec": {"containers": [{"name": "my-nginx", "image": "nginx", "ports": [{"containerPort": 80}]}],
             "nodeName": "minikube"},
    "status": {"phase": "Running", "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}],
               "conditions": [{"type": "Ready", "status": "True"}],
               "containerStatuses": [{"name": "my-nginx", "ready": True, "restartCount": 0, "started": True,
                                      "state": {"running": {"startedAt": ago(minutes=5)}}}]},
}
MY_NGINX_SVC = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "my-nginx", "namespace": "default", "labels": {"run": "my-nginx"},
                 "creationTimestamp": ago(minutes=2)},
    "spec": {"type": "NodePort", "clusterIP": "10.96.148.219", "clusterIPs": ["10.96.148.219"],
             "selector": {"run": "my-nginx"},
             "ports": [{"name": "http", "port": 8080, "targetPort": 80, "nodePort": 30080, "protocol": "TCP"},
                       {"name": "https", "port": 443, "targetPort": 80, "nodePort": 31443, "protocol": "TCP"}]},
}
WEB_DEPLOY = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "configapp", "namespace": "default", "creationTimestamp": ago(hours=3, minutes=12)},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "configapp"}},
             "template": {"metadata": {"labels": {"app": "configapp"}},
                          "spec": {"containers": [{"name": "configapp", "image": "configapp:1.0"}]}}},
    "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2},
}


def test_my_nginx_pod_table():
    assert table(POD, [MY_NGINX_POD], now=NOW) == (
        "NAME       READY   STATUS    RESTARTS   AGE\n"
        "my-nginx   1/1     Running   0          5m12s\n"
    )
    assert table(POD, [MY_NGINX_POD], now=NOW, wide=True) == (
        "NAME       READY   STATUS    RESTARTS   AGE     IP           NODE       NOMINATED NODE   READINESS GATES\n"
        "my-nginx   1/1     Running   0          5m12s   10.244.0.5   minikube   <none>           <none>\n"
    )


def test_my_nginx_node_port_service_table():
    assert table(SVC, [MY_NGINX_SVC], now=NOW) == (
        "NAME       TYPE       CLUSTER-IP      EXTERNAL-IP   PORT(S)                        AGE\n"
        "my-nginx   NodePort   10.96.148.219   <none>        8080:30080/TCP,443:31443/TCP   2m\n"
    )


def test_deployment_table_wide_and_with_namespace():
    assert table(DEPLOY, [WEB_DEPLOY], now=NOW, wide=True, all_namespaces=True) == (
        "NAMESPACE   NAME        READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES          SELECTOR\n"
        "default     configapp   2/3     3            2           3h12m   configapp    configapp:1.0   app=configapp\n"
    )


def test_show_kind_labels_and_label_columns():
    assert table(SVC, [MY_NGINX_SVC], now=NOW, show_kind=True, show_labels=True, label_columns=["run", "tier"],
                 no_headers=True) == (
        "service/my-nginx   NodePort   10.96.148.219   <none>   8080:30080/TCP,443:31443/TCP   2m    my-nginx         "
        "run=my-nginx\n"
    )


def test_nothing_found():
    assert table(POD, [], now=NOW) == ""
    assert no_resources_message("default") == "No resources found in default namespace."
    assert no_resources_message(None) == "No resources found"


def test_name_lines():
    assert name_line(POD, MY_NGINX_POD) == "pod/my-nginx"
    assert name_line(DEPLOY, WEB_DEPLOY) == "deployment.apps/configapp"


@pytest.mark.parametrize("text, canonical", [
    ("4Gi", "4Gi"), ("0.5Gi", "512Mi"), ("1000M", "1G"), ("1500M", "1500M"), ("100m", "100m"), ("1000", "1k"),
    ("1025", "1025"), ("2048Ki", "2Mi"), ("1.5", "1500m"), ("0", "0"), ("1Ki", "1Ki"), ("512", "512"),
])
def test_quantities_print_canonically(text, canonical):
    assert format_quantity(text) == canonical


# ---------------------------------------------------------------- kubectl itself, against a fake API server

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl binary not found on PATH (differential oracle)")


class FakeAPIServer:
    """Just enough of kube-apiserver for `kubectl get`: discovery, Tables, and plain lists."""

    def __init__(self):
        self.resources: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
        self.objects: dict[tuple[str, str], list[dict]] = {}
        self.tables: dict[tuple[str, str], dict] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, obj, code=200):
                body = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                try:
                    self.send(*server.answer(self.path.split("?")[0], self.headers.get("Accept", "")))
                except Exception as e:  # noqa: BLE001 - a test server reports, never dies
                    self.send({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": str(e),
                               "reason": "NotFound", "code": 404}, 404)

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.dir = tempfile.mkdtemp(prefix="kauth-fake-apiserver-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        with open(self.kubeconfig, "w") as f:
            f.write(
                "apiVersion: v1\nkind: Config\n"
                f"clusters: [{{name: fake, cluster: {{server: 'http://127.0.0.1:{self.httpd.server_address[1]}'}}}}]\n"
                "users: [{name: u, user: {}}]\n"
                "contexts: [{name: c, context: {cluster: fake, user: u, namespace: default}}]\n"
                "current-context: c\n")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, kind_rt: ResourceType, objects: list[dict], **table_kw):
        gv = (kind_rt.group, kind_rt.version)
        entries = [e for e in self.resources.get(gv, []) if e[0] != kind_rt.plural]
        self.resources[gv] = entries + [(kind_rt.plural, kind_rt.kind, kind_rt.namespaced)]
        self.objects[(kind_rt.group, kind_rt.plural)] = objects
        tbl = server_table(kind_rt, objects, now=NOW, **table_kw)
        self.tables[(kind_rt.group, kind_rt.plural)] = {
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
            "columnDefinitions": [{"name": c.name, "type": c.type, "format": c.format, "description": "",
                                   "priority": c.priority} for c in tbl.columns],
            "rows": [{"cells": list(r), "object": o} for r, o in zip(tbl.rows, tbl.objects)],
        }

    def answer(self, path: str, accept: str):
        if path == "/api":
            return ({"kind": "APIVersions", "versions": ["v1"],
                     "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},)
        if path == "/apis":
            groups = []
            for g, v in self.resources:
                if g:
                    gv = {"groupVersion": f"{g}/{v}", "version": v}
                    groups.append({"name": g, "versions": [gv], "preferredVersion": gv})
            return ({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups},)
        parts = path.strip("/").split("/")
        group, version, rest = ("", parts[1], parts[2:]) if parts[0] == "api" else (parts[1], parts[2], parts[3:])
        if not rest:
            resources = [{"name": p, "singularName": k.lower(), "namespaced": ns, "kind": k, "verbs": ["get", "list"]}
                         for p, k, ns in self.resources[(group, version)]]
            return ({"kind": "APIResourceList", "apiVersion": "v1",
                     "groupVersion": f"{group}/{version}" if group else version, "resources": resources},)
        namespace = rest[1] if rest[0] == "namespaces" and len(rest) >= 3 else None
        plural = rest[2] if namespace else rest[0]
        key = (group, plural)
        if "as=Table" in accept:
            tbl = dict(self.tables[key])
            keep = [i for i, o in enumerate(self.objects[key])
                    if namespace is None or o["metadata"].get("namespace") == namespace]
            tbl["rows"] = [tbl["rows"][i] for i in keep]
            return (tbl,)
        items = [o for o in self.objects[key] if namespace is None or o["metadata"].get("namespace") == namespace]
        return ({"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items},)

    def kubectl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", os.path.join(self.dir, "cache"), *args],
            capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def apiserver():
    server = FakeAPIServer()
    yield server
    server.close()


def objects_of(kind: str, api_version: str, items: list[dict]) -> list[dict]:
    return [{"apiVersion": api_version, "kind": kind, **o} for o in items]


PODS = objects_of("Pod", "v1", [
    MY_NGINX_POD,
    {"metadata": {"name": "crashy-with-a-much-longer-name", "namespace": "default",
                  "labels": {"app": "crashy", "app.kubernetes.io/part-of": "demo"}, "creationTimestamp": ago(days=3)},
     "spec": {"containers": [{"name": "c", "image": "busybox"}], "initContainers": [{"name": "i", "image": "x"}]},
     "status": {"phase": "Running", "initContainerStatuses": [{"name": "i", "state": {"terminated": {"exitCode": 0}}}],
                "containerStatuses": [{"name": "c", "restartCount": 12, "ready": False,
                                       "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                                       "lastState": {"terminated": {"finishedAt": ago(minutes=1)}}}]}},
    {"metadata": {"name": "x", "namespace": "kube-system", "creationTimestamp": ago(days=800)},
     "spec": {"containers": [{"name": "a"}, {"name": "b"}], "nodeName": "kind-control-plane"},
     "status": {"phase": "Pending"}},
])
EVENTS = objects_of("Event", "v1", [
    {"metadata": {"name": "my-nginx.17c", "namespace": "default"}, "type": "Normal", "reason": "Pulled",
     "involvedObject": {"kind": "Pod", "name": "my-nginx", "fieldPath": "spec.containers{my-nginx}"},
     "message": "Successfully pulled image \"nginx\" in 1.2s ✓", "source": {"component": "kubelet", "host": "node"},
     "firstTimestamp": ago(minutes=9), "lastTimestamp": ago(minutes=9), "count": 1},
    {"metadata": {"name": "web.1", "namespace": "default"}, "type": "Warning", "reason": "BackOff",
     "involvedObject": {"kind": "Pod", "name": "web"}, "message": "line one\nline two",
     "firstTimestamp": ago(hours=2), "lastTimestamp": ago(seconds=30), "count": 40},
])
NODES = objects_of("Node", "v1", [
    {"metadata": {"name": "kind-control-plane", "labels": {"node-role.kubernetes.io/control-plane": ""},
                  "creationTimestamp": ago(days=12)},
     "status": {"conditions": [{"type": "Ready", "status": "True"}], "nodeInfo": {"kubeletVersion": "v1.37.0"},
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}]}},
])
BINDINGS = objects_of("RoleBinding", "rbac.authorization.k8s.io/v1", [
    {"metadata": {"name": "read-pods", "namespace": "default", "creationTimestamp": ago(hours=1)},
     "subjects": [{"kind": "User", "name": "jane"}], "roleRef": {"kind": "Role", "name": "pod-reader"}},
    {"metadata": {"name": "sa-binding", "namespace": "default", "creationTimestamp": ago(hours=1)},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"},
                  {"kind": "Group", "name": "devs"}], "roleRef": {"kind": "ClusterRole", "name": "view"}},
])
WIDGETS = objects_of("Widget", "example.com/v1", [
    {"metadata": {"name": "w1", "namespace": "default", "creationTimestamp": ago(minutes=3)},
     "spec": {"color": "blue", "size": 3}},
    {"metadata": {"name": "w2", "namespace": "default"}, "spec": {"size": 2.0}},
])
WIDGET = ResourceType("example.com", "v1", "Widget", "widgets", True)
WIDGET_COLUMNS = [{"name": "Color", "type": "string", "jsonPath": ".spec.color"},
                  {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                  {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
ROLEBINDING = rt("RoleBinding", "rbac.authorization.k8s.io")

RENDER_CASES = [
    (POD, PODS, ["pods"], {}),
    (POD, PODS, ["pods", "-o", "wide"], {"wide": True}),
    (POD, PODS, ["pods", "-A"], {"all_namespaces": True}),
    (POD, PODS, ["pods", "-A", "--show-labels", "-L", "app", "-L", "app.kubernetes.io/part-of"],
     {"all_namespaces": True, "show_labels": True, "label_columns": ["app", "app.kubernetes.io/part-of"]}),
    (POD, PODS, ["pods", "--no-headers", "-o", "wide"], {"no_headers": True, "wide": True}),
    (POD, PODS, ["pods", "-L", "run"], {"label_columns": ["run"]}),
    (rt("Event"), EVENTS, ["events"], {}),
    (rt("Event"), EVENTS, ["events", "-o", "wide"], {"wide": True}),
    (NODE, NODES, ["nodes", "-A", "-o", "wide"], {"all_namespaces": True, "wide": True}),
    (ROLEBINDING, BINDINGS, ["rolebindings", "-o", "wide"], {"wide": True}),
    (WIDGET, WIDGETS, ["widgets", "--show-labels"], {"show_labels": True}),
]


@needs_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("kind_rt, objs, args, options", RENDER_CASES, ids=[" ".join(c[2]) for c in RENDER_CASES])
def test_rendering_matches_kubectl_get(apiserver, kind_rt, objs, args, options):
    extra = {"printer_columns": WIDGET_COLUMNS} if kind_rt is WIDGET else {}
    apiserver.serve(kind_rt, objs, **extra)
    result = apiserver.kubectl("get", *args)
    assert result.returncode == 0, result.stderr
    namespace_objs = objs if options.get("all_namespaces") or not kind_rt.namespaced else [
        o for o in objs if o["metadata"].get("namespace") == "default"]
    assert table(kind_rt, namespace_objs, now=NOW, **options, **extra) == result.stdout


@needs_kubectl
@pytest.mark.kubectl
def test_several_kinds_print_with_kind_prefixes_and_a_blank_line_between(apiserver):
    apiserver.serve(POD, [MY_NGINX_POD])
    apiserver.serve(SVC, [MY_NGINX_SVC])
    apiserver.serve(DEPLOY, [WEB_DEPLOY])
    result = apiserver.kubectl("get", "pods,services,deployments")
    assert result.returncode == 0, result.stderr
    expected = "\n".join(table(k, [o], now=NOW, show_kind=True)
                         for k, o in ((POD, MY_NGINX_POD), (SVC, MY_NGINX_SVC), (DEPLOY, WEB_DEPLOY)))
    assert result.stdout == expected


@needs_kubectl
@pytest.mark.kubectl
def test_no_resources_found_messages_match_kubectl(apiserver):
    apiserver.serve(POD, [])
    apiserver.serve(NODE, [])
    for args, namespace in ((["pods"], "default"), (["pods", "-A"], None), (["nodes"], None)):
        result = apiserver.kubectl("get", *args)
        assert result.stdout == ""
        assert result.stderr == no_resources_message(namespace) + "\n"


@needs_kubectl
@pytest.mark.kubectl
def test_output_name_matches_kubectl(apiserver):
    apiserver.serve(POD, PODS)
    apiserver.serve(DEPLOY, [WEB_DEPLOY])
    for kind_rt, objs, arg in ((POD, PODS, "pods"), (DEPLOY, [WEB_DEPLOY], "deployments")):
        result = apiserver.kubectl("get", arg, "-A", "-o", "name")
        assert result.stdout == "".join(name_line(kind_rt, o) + "\n" for o in objs)


CUSTOM_SPECS = [
    "NAME:.metadata.name,NS:.metadata.namespace,NODE:.spec.nodeName",
    "NAME:metadata.name,IMAGES:{.spec.containers[*].image},RESTARTS:.status.containerStatuses[0].restartCount",
    "N:.metadata.name,LABELS:.metadata.labels,PORTS:.spec.containers[*].ports,X:.nope",
    "C:.status.containerStatuses[*].state,STARTED:.status.containerStatuses[0].started",
]


@needs_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("spec", CUSTOM_SPECS)
def test_custom_columns_match_kubectl(apiserver, spec):
    apiserver.serve(POD, PODS)
    result = apiserver.kubectl("get", "pods", "-A", "-o", f"custom-columns={spec}")
    assert result.returncode == 0, result.stderr
    assert custom_columns(spec, PODS) == result.stdout
