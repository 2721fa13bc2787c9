"""Defaulting: cases ported from the upstream defaulter tests, plus idempotence.

Sources: pkg/apis/core/v1/defaults_test.go (TestWorkloadDefaults, TestPodDefaults, TestSetDefault*),
pkg/apis/apps/v1/defaults_test.go, pkg/apis/batch/v1/defaults_test.go, pkg/apis/networking/v1/defaults_test.go,
pkg/apis/rbac/v1/defaults_test.go.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kauth.api.defaults import apply_defaults, canonical_quantity, default_pull_policy, parse_quantity
from kauth.api.resources import ResourceTable

TABLE = ResourceTable.builtin()
POD = TABLE.for_kind("v1", "Pod")
POD_TEMPLATE = TABLE.for_kind("v1", "PodTemplate")
RC = TABLE.for_kind("v1", "ReplicationController")
SERVICE = TABLE.for_kind("v1", "Service")
SECRET = TABLE.for_kind("v1", "Secret")
CONFIG_MAP = TABLE.for_kind("v1", "ConfigMap")
PV = TABLE.for_kind("v1", "PersistentVolume")
PVC = TABLE.for_kind("v1", "PersistentVolumeClaim")
NAMESPACE = TABLE.for_kind("v1", "Namespace")
ENDPOINTS = TABLE.for_kind("v1", "Endpoints")
LIMIT_RANGE = TABLE.for_kind("v1", "LimitRange")
DEPLOYMENT = TABLE.for_kind("apps/v1", "Deployment")
DAEMON_SET = TABLE.for_kind("apps/v1", "DaemonSet")
STATEFUL_SET = TABLE.for_kind("apps/v1", "StatefulSet")
REPLICA_SET = TABLE.for_kind("apps/v1", "ReplicaSet")
JOB = TABLE.for_kind("batch/v1", "Job")
CRON_JOB = TABLE.for_kind("batch/v1", "CronJob")
NETWORK_POLICY = TABLE.for_kind("networking.k8s.io/v1", "NetworkPolicy")
INGRESS_CLASS = TABLE.for_kind("networking.k8s.io/v1", "IngressClass")
ROLE_BINDING = TABLE.for_kind("rbac.authorization.k8s.io/v1", "RoleBinding")
STORAGE_CLASS = TABLE.for_kind("storage.k8s.io/v1", "StorageClass")
PRIORITY_CLASS = TABLE.for_kind("scheduling.k8s.io/v1", "PriorityClass")

POD_SPEC_DEFAULTS = {
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
}
CONTAINER_DEFAULTS = {
    "imagePullPolicy": "IfNotPresent",
    "resources": {},
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "File",
}


def _every_field_template() -> dict:
    """A pod template with every defaulted sub-structure present and empty, as TestWorkloadDefaults builds it."""
    http_get: dict = {}
    container = {
        "name": "c", "image": "img:1",
        "env": [{"name": "E", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        "ports": [{"containerPort": 80}],
        "lifecycle": {"postStart": {"httpGet": dict(http_get)}, "preStop": {"httpGet": dict(http_get)}},
        "livenessProbe": {"httpGet": dict(http_get)},
        "readinessProbe": {"httpGet": dict(http_get)},
    }
    return {"spec": {
        "containers": [copy.deepcopy(container)],
        "initContainers": [copy.deepcopy(container)],
        "volumes": [
            {"name": "azure", "azureDisk": {}}, {"name": "cm", "configMap": {}},
            {"name": "down", "downwardAPI": {"items": [{"path": "p", "fieldRef": {"fieldPath": "metadata.name"}}]}},
            {"name": "empty"}, {"name": "host", "hostPath": {"path": "/x"}}, {"name": "iscsi", "iscsi": {}},
            {"name": "proj", "projected": {"sources": [
                {"downwardAPI": {"items": [{"path": "p", "fieldRef": {"fieldPath": "metadata.name"}}]}},
                {"serviceAccountToken": {"path": "token"}}]}},
            {"name": "rbd", "rbd": {}}, {"name": "scale", "scaleIO": {}}, {"name": "sec", "secret": {}},
        ],
    }}


def test_workload_defaults_match_upstream_list():
    # TestWorkloadDefaults: every default applied under a PodTemplateSpec.
    rc = apply_defaults(RC, {"spec": {"template": _every_field_template()}})
    spec = rc["spec"]["template"]["spec"]
    for key, value in POD_SPEC_DEFAULTS.items():
        assert spec[key] == value
    for c in spec["containers"] + spec["initContainers"]:
        assert c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
        assert c["imagePullPolicy"] == "IfNotPresent"
        for hook in ("postStart", "preStop"):
            assert c["lifecycle"][hook]["httpGet"] == {"path": "/", "scheme": "HTTP"}
        for probe in ("livenessProbe", "readinessProbe"):
            assert c[probe] == {"httpGet": {"path": "/", "scheme": "HTTP"}, "failureThreshold": 3,
                                "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1}
        assert c["ports"][0]["protocol"] == "TCP"
        assert c["terminationMessagePath"] == "/dev/termination-log"
        assert c["terminationMessagePolicy"] == "File"
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["azure"]["azureDisk"] == {"cachingMode": "ReadWrite", "fsType": "ext4", "kind": "Shared",
                                             "readOnly": False}
    assert volumes["cm"]["configMap"]["defaultMode"] == 420
    assert volumes["down"]["downwardAPI"]["defaultMode"] == 420
    assert volumes["down"]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"] == "v1"
    assert volumes["empty"]["emptyDir"] == {}
    assert volumes["host"]["hostPath"]["type"] == ""
    assert volumes["iscsi"]["iscsi"]["iscsiInterface"] == "default"
    projected = volumes["proj"]["projected"]
    assert projected["defaultMode"] == 420
    assert projected["sources"][0]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"] == "v1"
    assert projected["sources"][1]["serviceAccountToken"]["expirationSeconds"] == 3600
    assert volumes["rbd"]["rbd"] == {"keyring": "/etc/ceph/keyring", "pool": "rbd", "user": "admin"}
    assert volumes["scale"]["scaleIO"] == {"fsType": "xfs", "storageMode": "ThinProvisioned"}
    assert volumes["sec"]["secret"]["defaultMode"] == 420
    # Pod-only defaults must not leak into templates (they would roll out every workload on upgrade).
    assert "enableServiceLinks" not in spec
    assert "priority" not in spec


def test_pod_defaults_add_the_pod_only_fields():
    # TestPodDefaults: enableServiceLinks and requests-from-limits exist only on Pods.
    pod = apply_defaults(POD, {"spec": {"containers": [{"name": "c", "image": "nginx",
                                                        "resources": {"limits": {"cpu": "1"}}}]}})
    assert pod["spec"]["enableServiceLinks"] is True
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "1"}


def test_priority_is_left_to_the_priority_admission_plugin():
    pod = apply_defaults(POD, {"spec": {"containers": []}})
    assert "priority" not in pod["spec"] and "preemptionPolicy" not in pod["spec"]


def test_pod_from_kubectl_run_gets_all_defaults():
    pod = apply_defaults(POD, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx"},
                               "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]}})
    assert pod["spec"] == {
        **POD_SPEC_DEFAULTS, "enableServiceLinks": True,
        "containers": [{"name": "nginx", "image": "nginx", **CONTAINER_DEFAULTS, "imagePullPolicy": "Always"}],
    }


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
    ("docker.io/library/nginx", "Always"), ("localhost:5000/app", "Always"), ("localhost:5000/app:v2", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"), ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ("registry.k8s.io/pause:3.9", "IfNotPresent"), ("Nginx", "IfNotPresent"), ("", "IfNotPresent"),
])
def test_image_pull_policy_follows_the_tag(image, policy):
    assert default_pull_policy(image) == policy


def test_explicit_pull_policy_is_kept():
    pod = apply_defaults(POD, {"spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never"}]}})
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "Never"


@pytest.mark.parametrize("labels,selector,obj_labels,expect_labels,expect_selector", [
    # TestSetDefaultReplicationController
    ({"foo": "bar"}, None, None, True, True),
    ({"foo": "bar"}, None, {"bar": "foo"}, False, True),
    ({"foo": "bar"}, {"some": "other"}, {"bar": "foo"}, False, False),
    ({"foo": "bar"}, {"some": "other"}, None, True, False),
])
def test_replication_controller_selector_and_labels(labels, selector, obj_labels, expect_labels, expect_selector):
    rc = {"metadata": {}, "spec": {"template": {"metadata": {"labels": labels}}}}
    if selector:
        rc["spec"]["selector"] = selector
    if obj_labels:
        rc["metadata"]["labels"] = obj_labels
    out = apply_defaults(RC, rc)
    assert (out["spec"]["selector"] == labels) is expect_selector
    assert (out["metadata"].get("labels") == labels) is expect_labels


@pytest.mark.parametrize("replicas,expected", [(None, 1), (0, 0), (3, 3)])
def test_replication_controller_replicas(replicas, expected):
    # TestSetDefaultReplicationControllerReplicas
    rc = {"spec": {"template": {"metadata": {"labels": {"foo": "bar"}}}}}
    if replicas is not None:
        rc["spec"]["replicas"] = replicas
    assert apply_defaults(RC, rc)["spec"]["replicas"] == expected


def test_replication_controller_init_containers():
    # TestSetDefaultReplicationControllerInitContainers
    init = [
        {"name": "install", "image": "busybox"},
        {"name": "fun", "image": "alpine", "env": [{"name": "MY_POD_IP", "valueFrom": {"fieldRef": {
            "apiVersion": "", "fieldPath": "status.podIP"}}}]},
        {"name": "fun", "image": "alpine", "ports": [{"name": "default"}]},
        {"name": "fun", "image": "alpine", "resources": {"limits": {"cpu": "100m", "memory": "100Mi"},
                                                         "requests": {"cpu": "100m", "memory": "100Mi"}}},
        {"name": "fun", "image": "alpine", "livenessProbe": {"httpGet": {"host": "localhost"}},
         "readinessProbe": {"httpGet": {"host": "localhost"}}},
        {"name": "fun", "image": "alpine", "lifecycle": {"postStart": {"httpGet": {"host": "localhost"}},
                                                         "preStop": {"httpGet": {"host": "localhost"}}}},
    ]
    out = apply_defaults(RC, {"spec": {"template": {"spec": {"initContainers": init}}}})
    got = out["spec"]["template"]["spec"]["initContainers"]
    assert got[0]["imagePullPolicy"] == "Always"
    assert got[1]["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
    assert got[2]["ports"][0] == {"name": "default", "protocol": "TCP"}
    assert got[3]["resources"] == {"limits": {"cpu": "100m", "memory": "100Mi"},
                                   "requests": {"cpu": "100m", "memory": "100Mi"}}
    probe = {"httpGet": {"host": "localhost", "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
             "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert got[4]["livenessProbe"] == probe and got[4]["readinessProbe"] == probe
    assert got[5]["lifecycle"]["postStart"]["httpGet"] == {"host": "localhost", "path": "/", "scheme": "HTTP"}


def test_service_defaults():
    # TestSetDefaultService
    spec = apply_defaults(SERVICE, {})["spec"]
    assert spec["sessionAffinity"] == "None"
    assert "sessionAffinityConfig" not in spec
    assert spec["type"] == "ClusterIP"
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert spec["ipFamilyPolicy"] == "SingleStack"
    assert spec["ipFamilies"] == ["IPv4"]
    assert "clusterIP" not in spec  # allocated by the registry, not defaulted


@pytest.mark.parametrize("config", [None, {"clientIP": None}, {"clientIP": {"timeoutSeconds": None}}])
def test_client_ip_affinity_gets_the_default_timeout(config):
    # TestSetDefaultServiceSessionAffinityConfig
    spec = {"sessionAffinity": "ClientIP"}
    if config is not None:
        spec["sessionAffinityConfig"] = config
    out = apply_defaults(SERVICE, {"spec": spec})["spec"]
    assert out["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_service_target_port_defaults_to_port():
    # TestSetDefaulServiceTargetPort
    assert apply_defaults(SERVICE, {"spec": {"ports": [{"port": 1234}]}})["spec"]["ports"][0]["targetPort"] == 1234
    kept = apply_defaults(SERVICE, {"spec": {"ports": [{"port": 1234, "targetPort": 5678}]}})
    assert kept["spec"]["ports"][0]["targetPort"] == 5678


def test_service_port_protocol_and_target_port():
    # TestSetDefaultServicePort
    out = apply_defaults(SERVICE, {"spec": {"ports": [{"protocol": "UDP", "port": 9376, "targetPort": "p"},
                                                      {"protocol": "UDP", "port": 8675, "targetPort": 309}]}})
    assert out["spec"]["ports"] == [{"protocol": "UDP", "port": 9376, "targetPort": "p"},
                                    {"protocol": "UDP", "port": 8675, "targetPort": 309}]
    out = apply_defaults(SERVICE, {"spec": {"ports": [{"protocol": "", "port": 9376, "targetPort": ""},
                                                      {"protocol": "", "port": 8675, "targetPort": 0}]}})
    assert out["spec"]["ports"] == [{"protocol": "TCP", "port": 9376, "targetPort": 9376},
                                    {"protocol": "TCP", "port": 8675, "targetPort": 8675}]


@pytest.mark.parametrize("service_type,expected", [(None, None), ("NodePort", "Cluster"), ("LoadBalancer", "Cluster")])
def test_external_traffic_policy_only_for_externally_accessible_services(service_type, expected):
    # TestSetDefaulServiceExternalTraffic
    spec = {"type": service_type} if service_type else {}
    assert apply_defaults(SERVICE, {"spec": spec})["spec"].get("externalTrafficPolicy") == expected


def test_load_balancer_allocates_node_ports_by_default():
    assert apply_defaults(SERVICE, {"spec": {"type": "LoadBalancer"}})["spec"]["allocateLoadBalancerNodePorts"] is True


def test_external_name_service_gets_no_ip_fields():
    spec = apply_defaults(SERVICE, {"spec": {"type": "ExternalName", "externalName": "example.com"}})["spec"]
    assert "ipFamilies" not in spec and "ipFamilyPolicy" not in spec and "internalTrafficPolicy" not in spec


def test_headless_service_without_selector_prefers_dual_stack():
    spec = apply_defaults(SERVICE, {"spec": {"clusterIP": "None"}})["spec"]
    assert spec["clusterIPs"] == ["None"]
    assert spec["ipFamilyPolicy"] == "PreferDualStack"
    with_selector = apply_defaults(SERVICE, {"spec": {"clusterIP": "None", "selector": {"a": "b"}}})["spec"]
    assert with_selector["ipFamilyPolicy"] == "SingleStack"


@pytest.mark.parametrize("source", ["secret", "configMap", "downwardAPI", "projected"])
def test_volume_default_mode_is_0644(source):
    # TestSetDefaultSecretVolumeSource, ...ConfigMap..., ...DownwardAPI..., ...Projected...
    pod = apply_defaults(POD, {"spec": {"volumes": [{"name": "v", source: {}}]}})
    assert pod["spec"]["volumes"][0][source]["defaultMode"] == 420


def test_volume_without_source_becomes_empty_dir():
    pod = apply_defaults(POD, {"spec": {"volumes": [{"name": "v"}]}})
    assert pod["spec"]["volumes"][0] == {"name": "v", "emptyDir": {}}


def test_host_path_type_defaults_to_unset():
    # TestSetDefaultHostPathVolumeSource
    pod = apply_defaults(POD, {"spec": {"volumes": [{"name": "v", "hostPath": {"path": "foo"}}]}})
    assert pod["spec"]["volumes"][0]["hostPath"] == {"path": "foo", "type": ""}


def test_secret_type_defaults_to_opaque():
    # TestSetDefaultSecret
    assert apply_defaults(SECRET, {})["type"] == "Opaque"


def test_secret_string_data_folds_into_data():
    out = apply_defaults(SECRET, {"data": {"a": "YQ=="}, "stringData": {"b": "hello", "a": "x"}})
    assert out["data"] == {"a": "eA==", "b": "aGVsbG8="}
    assert "stringData" not in out


@pytest.mark.parametrize("mode,expected", [(None, "Filesystem"), ("Filesystem", "Filesystem"), ("Block", "Block")])
def test_persistent_volume_defaults(mode, expected):
    # TestSetDefaultPersistentVolume
    pv = apply_defaults(PV, {"spec": {} if mode is None else {"volumeMode": mode}})
    assert pv["status"]["phase"] == "Pending"
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["volumeMode"] == expected


@pytest.mark.parametrize("mode,expected", [(None, "Filesystem"), ("Filesystem", "Filesystem"), ("Block", "Block")])
def test_persistent_volume_claim_defaults(mode, expected):
    # TestSetDefaultPersistentVolumeClaim
    pvc = apply_defaults(PVC, {"spec": {} if mode is None else {"volumeMode": mode}})
    assert pvc["status"]["phase"] == "Pending"
    assert pvc["spec"]["volumeMode"] == expected


def test_endpoint_port_protocol():
    # TestSetDefaulEndpointsProtocol
    out = apply_defaults(ENDPOINTS, {"subsets": [{"ports": [{}, {"protocol": "UDP"}, {}]}]})
    assert [p["protocol"] for p in out["subsets"][0]["ports"]] == ["TCP", "UDP", "TCP"]


def test_namespace_defaults():
    # TestSetDefaultNamespace, plus the metadata.name label and the strategy's finalizer
    ns = apply_defaults(NAMESPACE, {"metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "x"}}})
    assert ns["status"]["phase"] == "Active"
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert ns["spec"]["finalizers"] == ["kubernetes"]


def test_host_network_pods_default_host_ports():
    # TestSetDefaultPodSpecHostNetwork
    pod = apply_defaults(POD, {"spec": {"hostNetwork": True, "containers": [{"ports": [{"containerPort": 8080}]}],
                                        "initContainers": [{"ports": [{"containerPort": 8080}]}]}})
    assert pod["spec"]["containers"][0]["ports"][0]["hostPort"] == 8080
    assert pod["spec"]["initContainers"][0]["ports"][0]["hostPort"] == 8080


def test_field_ref_api_version():
    # TestSetDefaultObjectFieldSelectorAPIVersion
    pod = apply_defaults(POD, {"spec": {"containers": [{"env": [{"valueFrom": {"fieldRef": {}}}]}]}})
    assert pod["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"


def test_requests_default_to_limits_on_pods():
    # TestSetDefaultRequestsPod
    pod = apply_defaults(POD, {"spec": {"containers": [{"resources": {"requests": {"memory": "0"},
                                                                      "limits": {"cpu": "100m", "memory": "1Gi"}}}]}})
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"memory": "0", "cpu": "100m"}
    pod = apply_defaults(POD, {"spec": {"containers": [{}]}})
    assert pod["spec"]["containers"][0]["resources"] == {}


def test_requests_are_not_defaulted_in_templates():
    # TestDefaultRequestIsNotSetForReplicationController
    rc = apply_defaults(RC, {"spec": {"replicas": 3, "template": {"metadata": {"labels": {"foo": "bar"}}, "spec": {
        "containers": [{"resources": {"limits": {"cpu": "100m"}}}]}}}})
    assert "requests" not in rc["spec"]["template"]["spec"]["containers"][0]["resources"]


def test_resource_quantities_are_rounded_up_to_milli():
    # TestSetMinimumScalePod
    pod = apply_defaults(POD, {"spec": {"containers": [{"resources": {"requests": {"memory": "1n"},
                                                                      "limits": {"cpu": "2n"}}}]}})
    resources = pod["spec"]["containers"][0]["resources"]
    assert resources["requests"]["memory"] == "1m"
    assert resources["limits"]["cpu"] == "1m"


def test_limit_range_defaults():
    # TestSetDefaultLimitRangeItem
    out = apply_defaults(LIMIT_RANGE, {"metadata": {"name": "test-defaults"}, "spec": {"limits": [{
        "type": "Container", "max": {"cpu": "100m"}, "min": {"memory": "100Mi"}, "default": {},
        "defaultRequest": {}}]}})
    item = out["spec"]["limits"][0]
    assert item["default"]["cpu"] == "100m"
    assert item["defaultRequest"]["cpu"] == "100m"
    assert item["defaultRequest"]["memory"] == "100Mi"


def test_probe_defaults():
    # TestSetDefaultProbe
    pod = apply_defaults(POD, {"spec": {"containers": [{"livenessProbe": {}}]}})
    assert pod["spec"]["containers"][0]["livenessProbe"] == {"timeoutSeconds": 1, "periodSeconds": 10,
                                                              "successThreshold": 1, "failureThreshold": 3}


def test_scheduler_name_and_service_links():
    # TestSetDefaultSchedulerName, TestSetDefaultEnableServiceLinks
    pod = apply_defaults(POD, {})
    assert pod["spec"]["schedulerName"] == "default-scheduler"
    assert pod["spec"]["enableServiceLinks"] is True


# --- apps/v1 -----------------------------------------------------------------------------------------

def _template(labels=None) -> dict:
    template: dict = {"spec": {}}
    if labels is not None:
        template["metadata"] = {"labels": labels}
    return template


def test_deployment_defaults():
    # TestSetDefaultDeployment
    out = apply_defaults(DEPLOYMENT, {"spec": {"template": _template({"foo": "bar"})}})["spec"]
    assert out["replicas"] == 1
    assert out["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert out["revisionHistoryLimit"] == 10
    assert out["progressDeadlineSeconds"] == 600
    assert out["template"]["spec"] == POD_SPEC_DEFAULTS


def test_deployment_keeps_explicit_values():
    out = apply_defaults(DEPLOYMENT, {"spec": {"replicas": 5, "strategy": {"rollingUpdate": {"maxSurge": 1}},
                                               "revisionHistoryLimit": 0, "progressDeadlineSeconds": 30}})["spec"]
    assert out["replicas"] == 5
    assert out["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": "25%"}
    assert out["revisionHistoryLimit"] == 0
    assert out["progressDeadlineSeconds"] == 30


def test_deployment_recreate_strategy_gets_no_rolling_update():
    out = apply_defaults(DEPLOYMENT, {"spec": {"strategy": {"type": "Recreate"}}})["spec"]
    assert out["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("original,strategy,history", [
    # TestSetDefaultDaemonSetSpec
    ({"template": _template({"foo": "bar"})},
     {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}, 10),
    ({"template": _template({"foo": "bar"}), "revisionHistoryLimit": 1},
     {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}, 1),
    ({"template": _template(), "updateStrategy": {"type": "OnDelete"}}, {"type": "OnDelete"}, 10),
    ({}, {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}, 10),
])
def test_daemon_set_defaults(original, strategy, history):
    out = apply_defaults(DAEMON_SET, {"spec": original})["spec"]
    assert out["updateStrategy"] == strategy
    assert out["revisionHistoryLimit"] == history
    assert out["template"]["spec"] == POD_SPEC_DEFAULTS


@pytest.mark.parametrize("original,strategy,policy,retention", [
    # TestSetDefaultStatefulSet
    ({}, {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "OrderedReady",
     {"whenDeleted": "Retain", "whenScaled": "Retain"}),
    ({"updateStrategy": {"type": "OnDelete"}}, {"type": "OnDelete"}, "OrderedReady",
     {"whenDeleted": "Retain", "whenScaled": "Retain"}),
    ({"podManagementPolicy": "Parallel"}, {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "Parallel",
     {"whenDeleted": "Retain", "whenScaled": "Retain"}),
    ({"updateStrategy": {"rollingUpdate": {"partition": 42}}},
     {"type": "RollingUpdate", "rollingUpdate": {"partition": 42}}, "OrderedReady",
     {"whenDeleted": "Retain", "whenScaled": "Retain"}),
    ({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete"}},
     {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "OrderedReady",
     {"whenDeleted": "Retain", "whenScaled": "Delete"}),
    ({"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete"}},
     {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, "OrderedReady",
     {"whenDeleted": "Delete", "whenScaled": "Retain"}),
])
def test_stateful_set_defaults(original, strategy, policy, retention):
    out = apply_defaults(STATEFUL_SET, {"spec": {"template": _template({"foo": "bar"}), **original}})["spec"]
    assert out["replicas"] == 1
    assert out["updateStrategy"] == strategy
    assert out["podManagementPolicy"] == policy
    assert out["persistentVolumeClaimRetentionPolicy"] == retention
    assert out["revisionHistoryLimit"] == 10


def test_stateful_set_claim_templates_default_volume_mode():
    out = apply_defaults(STATEFUL_SET, {"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"},
                                                                           "spec": {"accessModes": ["ReadWriteOnce"]}}]}})
    claim = out["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["volumeMode"] == "Filesystem"
    assert claim["status"] == {"phase": "Pending"}


@pytest.mark.parametrize("replicas,expected", [(None, 1), (0, 0), (3, 3)])
def test_replica_set_replicas(replicas, expected):
    # TestDefaultDeploymentAvailability / TestSetDefaultReplicaSetReplicas
    spec = {"template": _template({"foo": "bar"})}
    if replicas is not None:
        spec["replicas"] = replicas
    assert apply_defaults(REPLICA_SET, {"spec": spec})["spec"]["replicas"] == expected


# --- batch/v1 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec,completions,parallelism", [
    # TestSetDefaultJob
    ({}, 1, 1),
    ({"completions": 5}, 5, 1),
    ({"parallelism": 5}, None, 5),
    ({"completions": 0, "parallelism": 0}, 0, 0),
])
def test_job_completions_and_parallelism(spec, completions, parallelism):
    out = apply_defaults(JOB, {"spec": {"template": _template({"a": "b"}), **spec}})
    assert out["spec"].get("completions") == completions
    assert out["spec"]["parallelism"] == parallelism


def test_job_defaults():
    out = apply_defaults(JOB, {"spec": {"template": _template({"job": "x"})}})
    assert out["metadata"]["labels"] == {"job": "x"}
    spec = out["spec"]
    assert spec["backoffLimit"] == 6
    assert spec["completionMode"] == "NonIndexed"
    assert spec["suspend"] is False
    assert spec["manualSelector"] is False
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"


def test_job_with_pod_failure_policy():
    out = apply_defaults(JOB, {"spec": {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget"}]}]}}})
    assert out["spec"]["podReplacementPolicy"] == "Failed"
    assert out["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"] == "True"


def test_job_backoff_limit_per_index_lifts_backoff_limit():
    out = apply_defaults(JOB, {"spec": {"completionMode": "Indexed", "completions": 3, "backoffLimitPerIndex": 1}})
    assert out["spec"]["backoffLimit"] == 2147483647


def test_cron_job_defaults():
    # TestSetDefaultCronJob
    out = apply_defaults(CRON_JOB, {"spec": {"schedule": "* * * * *"}})["spec"]
    assert out["concurrencyPolicy"] == "Allow"
    assert out["suspend"] is False
    assert out["successfulJobsHistoryLimit"] == 3
    assert out["failedJobsHistoryLimit"] == 1
    # A job template is not a Job: only its pod template is defaulted.
    assert "backoffLimit" not in out["jobTemplate"]["spec"]
    assert out["jobTemplate"]["spec"]["template"]["spec"] == POD_SPEC_DEFAULTS


def test_cron_job_keeps_explicit_values():
    out = apply_defaults(CRON_JOB, {"spec": {"concurrencyPolicy": "Forbid", "suspend": True,
                                             "successfulJobsHistoryLimit": 5, "failedJobsHistoryLimit": 5}})["spec"]
    assert (out["concurrencyPolicy"], out["suspend"], out["successfulJobsHistoryLimit"],
            out["failedJobsHistoryLimit"]) == ("Forbid", True, 5, 5)


# --- networking, rbac, storage, scheduling -----------------------------------------------------------

@pytest.mark.parametrize("spec,types", [
    # TestSetDefaultNetworkPolicy
    ({}, ["Ingress"]),
    ({"ingress": [{}]}, ["Ingress"]),
    ({"egress": [{}]}, ["Ingress", "Egress"]),
    ({"policyTypes": ["Egress"]}, ["Egress"]),
])
def test_network_policy_types(spec, types):
    assert apply_defaults(NETWORK_POLICY, {"spec": spec})["spec"]["policyTypes"] == types


def test_network_policy_port_protocol():
    out = apply_defaults(NETWORK_POLICY, {"spec": {"ingress": [{"ports": [{"port": 80}]}]}})
    assert out["spec"]["ingress"][0]["ports"][0]["protocol"] == "TCP"


def test_ingress_class_parameters_scope():
    out = apply_defaults(INGRESS_CLASS, {"spec": {"controller": "x/y", "parameters": {"kind": "K", "name": "n"}}})
    assert out["spec"]["parameters"]["scope"] == "Cluster"


def test_role_binding_api_groups():
    # TestSetDefaultRoleBinding / SetDefaults_Subject
    out = apply_defaults(ROLE_BINDING, {"roleRef": {"kind": "Role", "name": "r"}, "subjects": [
        {"kind": "User", "name": "alice"}, {"kind": "Group", "name": "devs"},
        {"kind": "ServiceAccount", "name": "sa", "namespace": "d", "apiGroup": ""}]})
    assert out["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io"
    assert [s.get("apiGroup") for s in out["subjects"]] == ["rbac.authorization.k8s.io", "rbac.authorization.k8s.io",
                                                            None]


def test_storage_class_and_priority_class():
    sc = apply_defaults(STORAGE_CLASS, {"provisioner": "x"})
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")
    assert apply_defaults(PRIORITY_CLASS, {"value": 1})["preemptionPolicy"] == "PreemptLowerPriority"


def test_kinds_without_defaulters_are_copied():
    obj = {"data": {"a": "b"}}
    out = apply_defaults(CONFIG_MAP, obj)
    assert out == obj and out is not obj


def test_apply_defaults_never_mutates_its_input():
    obj = {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    before = copy.deepcopy(obj)
    apply_defaults(DEPLOYMENT, obj)
    assert obj == before


# --- quantities (resource.Quantity.String) ----------------------------------------------------------

@pytest.mark.parametrize("text,canonical", [
    ("0.5", "500m"), ("1024Mi", "1Gi"), ("1536Mi", "1536Mi"), ("0.5Gi", "512Mi"), ("2048Ki", "2Mi"),
    ("1.5Ki", "1536"), ("1000", "1k"), ("1500", "1500"), ("2000m", "2"), ("1e3", "1e3"), ("1.5e3", "1500"),
    ("0.0005", "500u"), (1, "1"), (0.25, "250m"), ("0", "0"), ("100m", "100m"), ("1G", "1G"),
])
def test_quantities_come_back_canonical(text, canonical):
    assert canonical_quantity(parse_quantity(text)) == canonical


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1Kb", "--1", "1 Gi"])
def test_unparsable_quantities(text):
    assert parse_quantity(text) is None


def test_container_quantities_are_serialized_canonically():
    pod = apply_defaults(POD, {"spec": {"containers": [{"resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}}}]}})
    assert pod["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "500m", "memory": "1Gi"},
                                                         "requests": {"cpu": "500m", "memory": "1Gi"}}


# --- idempotence ------------------------------------------------------------------------------------

_names = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
_images = st.sampled_from(["nginx", "nginx:1.25", "busybox:latest", "registry.k8s.io/pause:3.9", "app@sha256:" + "a" * 64])
_ports = st.lists(st.fixed_dictionaries({"containerPort": st.integers(1, 65535)},
                                        optional={"protocol": st.sampled_from(["TCP", "UDP"]), "name": _names}),
                  max_size=2)
_probe = st.fixed_dictionaries({}, optional={"httpGet": st.fixed_dictionaries({"port": st.integers(1, 65535)}),
                                             "periodSeconds": st.integers(1, 30)})
_quantity = st.sampled_from(["100m", "0.5", "1", "1Gi", "512Mi", 2, 0.25])
_container = st.fixed_dictionaries(
    {"name": _names, "image": _images},
    optional={"ports": _ports, "imagePullPolicy": st.sampled_from(["Always", "Never"]), "livenessProbe": _probe,
              "env": st.lists(st.fixed_dictionaries({"name": _names}, optional={
                  "valueFrom": st.just({"fieldRef": {"fieldPath": "metadata.name"}})}), max_size=2),
              "resources": st.fixed_dictionaries({}, optional={"limits": st.dictionaries(st.sampled_from(["cpu", "memory"]), _quantity),
                                                               "requests": st.dictionaries(st.sampled_from(["cpu", "memory"]), _quantity)})})
_volume = st.fixed_dictionaries({"name": _names}, optional={
    "configMap": st.fixed_dictionaries({"name": _names}), "emptyDir": st.just({}),
    "hostPath": st.fixed_dictionaries({"path": st.just("/data")})})
_pod_spec = st.fixed_dictionaries(
    {"containers": st.lists(_container, min_size=1, max_size=2)},
    optional={"initContainers": st.lists(_container, max_size=1), "volumes": st.lists(_volume, max_size=2),
              "restartPolicy": st.sampled_from(["Always", "Never", "OnFailure"]), "hostNetwork": st.booleans(),
              "terminationGracePeriodSeconds": st.integers(0, 60)})
_labels = st.dictionaries(_names, _names, min_size=1, max_size=2)
_pods = st.builds(lambda spec, labels: {"apiVersion": "v1", "kind": "Pod",
                                        "metadata": {"name": "p", "labels": labels}, "spec": spec}, _pod_spec, _labels)
_deployments = st.builds(
    lambda spec, labels, extra: {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                                 "spec": {"selector": {"matchLabels": labels},
                                          "template": {"metadata": {"labels": labels}, "spec": spec}, **extra}},
    _pod_spec, _labels,
    st.fixed_dictionaries({}, optional={"replicas": st.integers(0, 5),
                                        "strategy": st.sampled_from([{"type": "Recreate"},
                                                                     {"rollingUpdate": {"maxSurge": 1}}])}))
_service_ports = st.lists(st.fixed_dictionaries({"port": st.integers(1, 65535)}, optional={
    "targetPort": st.one_of(st.integers(1, 65535), _names), "protocol": st.sampled_from(["TCP", "UDP"]),
    "name": _names}), max_size=3)
_services = st.builds(
    lambda ports, extra: {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                          "spec": {"ports": ports, **extra}},
    _service_ports,
    st.fixed_dictionaries({}, optional={"type": st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]),
                                        "clusterIP": st.sampled_from(["None", "10.96.0.10"]),
                                        "sessionAffinity": st.sampled_from(["None", "ClientIP"]),
                                        "selector": _labels}))

_IDEMPOTENCE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_IDEMPOTENCE
@given(_pods)
def test_pod_defaulting_is_idempotent(pod):
    once = apply_defaults(POD, pod)
    assert apply_defaults(POD, once) == once


@_IDEMPOTENCE
@given(_deployments)
def test_deployment_defaulting_is_idempotent(deployment):
    once = apply_defaults(DEPLOYMENT, deployment)
    assert apply_defaults(DEPLOYMENT, once) == once


@_IDEMPOTENCE
@given(_services)
def test_service_defaulting_is_idempotent(service):
    once = apply_defaults(SERVICE, service)
    assert apply_defaults(SERVICE, once) == once
