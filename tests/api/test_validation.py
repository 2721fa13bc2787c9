"""Validation of built-in kinds: upstream messages and field paths, case by case.

Cases are ported from pkg/apis/core/validation/validation_test.go (TestValidatePorts, TestValidateEnv,
TestValidateVolumeMounts, TestValidateContainers, TestValidateRestartPolicy, TestValidateDNSPolicy,
TestValidatePodUpdate, TestValidateService, TestValidateServiceUpdate, TestValidateConfigMap,
TestValidateSecret, TestValidatePersistentVolumeClaim, ...), pkg/apis/apps/validation/validation_test.go,
pkg/apis/batch/validation/validation_test.go, pkg/apis/networking/validation/validation_test.go and
pkg/apis/rbac/validation/validation_test.go; the expected strings are the upstream ones (error type,
field path, Go rendering of the bad value, detail).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess

import pytest

from kauth.api.defaults import apply_defaults
from kauth.api.resources import ResourceTable
from kauth.api.validation import cron_parse_error, validate

TABLE = ResourceTable.builtin()


def rt(api_version: str, kind: str):
    return TABLE.for_kind(api_version, kind)


POD = rt("v1", "Pod")
SERVICE = rt("v1", "Service")
CONFIG_MAP = rt("v1", "ConfigMap")
SECRET = rt("v1", "Secret")
NAMESPACE = rt("v1", "Namespace")
PVC = rt("v1", "PersistentVolumeClaim")
PV = rt("v1", "PersistentVolume")
RC = rt("v1", "ReplicationController")
QUOTA = rt("v1", "ResourceQuota")
DEPLOYMENT = rt("apps/v1", "Deployment")
REPLICA_SET = rt("apps/v1", "ReplicaSet")
DAEMON_SET = rt("apps/v1", "DaemonSet")
STATEFUL_SET = rt("apps/v1", "StatefulSet")
JOB = rt("batch/v1", "Job")
CRON_JOB = rt("batch/v1", "CronJob")
INGRESS = rt("networking.k8s.io/v1", "Ingress")
NETWORK_POLICY = rt("networking.k8s.io/v1", "NetworkPolicy")
ROLE = rt("rbac.authorization.k8s.io/v1", "Role")
CLUSTER_ROLE = rt("rbac.authorization.k8s.io/v1", "ClusterRole")
ROLE_BINDING = rt("rbac.authorization.k8s.io/v1", "RoleBinding")
CLUSTER_ROLE_BINDING = rt("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")
PDB = rt("policy/v1", "PodDisruptionBudget")

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
CONFIG_KEY_MSG = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  "
    "or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


def errors(kind, obj, old=None) -> list[str]:
    """validate(apply_defaults(obj)), as the API server sees a decoded object."""
    new = apply_defaults(kind, obj)
    stored = None if old is None else apply_defaults(kind, old)
    return [str(e) for e in validate(kind, new, stored)]


def pod(*containers, **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
            "spec": {"containers": list(containers) or [{"name": "c", "image": "nginx"}], **spec}}


def container(**fields) -> dict:
    return {"name": "c", "image": "nginx", **fields}


def deployment(labels=None, selector=None, **spec) -> dict:
    labels = {"app": "web"} if labels is None else labels
    body = {"template": {"metadata": {"labels": labels}, "spec": {"containers": [container()]}}, **spec}
    if selector is not False:
        body["selector"] = {"matchLabels": dict(labels)} if selector is None else selector
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": body}


def service(**spec) -> dict:
    body = {"ports": [{"port": 80}], "selector": {"app": "web"}, **spec}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"}, "spec": body}


# --- Pod -------------------------------------------------------------------------------------------

def test_valid_pod_has_no_errors():
    assert errors(POD, pod()) == []


def test_bad_pod_name_uses_the_subdomain_message():
    obj = pod()
    obj["metadata"]["name"] = "Bad_Name"
    assert errors(POD, obj) == [f'metadata.name: Invalid value: "Bad_Name": {SUBDOMAIN_MSG}']


def test_containers_are_required():
    obj = pod()
    obj["spec"]["containers"] = []
    assert errors(POD, obj) == ["spec.containers: Required value"]


@pytest.mark.parametrize("containers,expected", [
    # TestValidateContainers error cases
    ([{"name": "", "image": "nginx"}], ["spec.containers[0].name: Required value"]),
    ([{"name": "Abc", "image": "nginx"}], [f'spec.containers[0].name: Invalid value: "Abc": {LABEL_MSG}']),
    ([{"name": "abc", "image": ""}], ["spec.containers[0].image: Required value"]),
    ([container(), container()], ['spec.containers[1].name: Duplicate value: "c"']),
    ([container(imagePullPolicy="Sometimes")],
     ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
      '"IfNotPresent", "Never"']),
    ([container(terminationMessagePolicy="Sometimes")],
     ['spec.containers[0].terminationMessagePolicy: Unsupported value: "Sometimes": supported values: "File", '
      '"FallbackToLogsOnError"']),
    ([container(restartPolicy="Always")],
     ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"]),
])
def test_container_rules(containers, expected):
    assert errors(POD, pod(*containers)) == expected


def test_image_with_whitespace_is_rejected_for_pods():
    assert errors(POD, pod(container(image=" nginx"))) == [
        'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']


@pytest.mark.parametrize("ports,expected", [
    # TestValidatePorts
    ([{"name": "abc", "containerPort": 80, "hostPort": 80, "protocol": "TCP"}], []),
    ([{"containerPort": 0}], ["spec.containers[0].ports[0].containerPort: Required value"]),
    ([{"containerPort": 65536}],
     ["spec.containers[0].ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
    ([{"containerPort": 80, "hostPort": 65536}],
     ["spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
    ([{"containerPort": 80, "protocol": "ICMP"}],
     ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']),
    ([{"name": "a", "containerPort": 80}, {"name": "a", "containerPort": 81}],
     ['spec.containers[0].ports[1].name: Duplicate value: "a"']),
    ([{"name": "12345", "containerPort": 80}],
     ['spec.containers[0].ports[0].name: Invalid value: "12345": must contain at least one letter (a-z)']),
    ([{"name": "a-very-long-port-name", "containerPort": 80}],
     ['spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters']),
])
def test_container_ports(ports, expected):
    assert errors(POD, pod(container(ports=ports))) == expected


def test_host_port_conflicts_across_containers():
    obj = pod(container(name="a", ports=[{"containerPort": 80, "hostPort": 8080}]),
              container(name="b", ports=[{"containerPort": 81, "hostPort": 8080}]))
    assert errors(POD, obj) == ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']


@pytest.mark.parametrize("env,expected", [
    # TestValidateEnv (RelaxedEnvironmentVariableValidation is on)
    ([{"name": "abc", "value": "value"}, {"name": "ABC"}, {"name": "a.b.c"}, {"name": "1abc"}], []),
    ([{"name": ""}], ["spec.containers[0].env[0].name: Required value"]),
    ([{"name": "a=b"}],
     ['spec.containers[0].env[0].name: Invalid value: "a=b": a valid environment variable name must consist only of '
      "printable ASCII characters other than '='"]),
    ([{"name": "abc", "value": "foo", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
     ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty']),
    ([{"name": "abc", "valueFrom": {}}],
     ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
      '`configMapKeyRef` or `secretKeyRef`']),
    ([{"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"},
                                    "secretKeyRef": {"name": "a", "key": "b"}}}],
     ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time']),
    ([{"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels"}}}],
     ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported '
      'values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
      '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"']),
    ([{"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "status.phases"}}}],
     ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "status.phases": error converting '
      'fieldPath: field label not supported: status.phases']),
    ([{"name": "abc", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v2"}}}],
     ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": error converting '
      'fieldPath: unsupported pod version: v2']),
    ([{"name": "abc", "valueFrom": {"configMapKeyRef": {"name": "cm"}}}],
     ["spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value"]),
    ([{"name": "abc", "valueFrom": {"secretKeyRef": {"name": "s", "key": "a b"}}}],
     [f'spec.containers[0].env[0].valueFrom.secretKeyRef.key: Invalid value: "a b": {CONFIG_KEY_MSG}']),
    ([{"name": "abc", "valueFrom": {"resourceFieldRef": {"resource": "limits.gpu"}}}],
     ['spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported '
      'values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", '
      '"requests.ephemeral-storage", "requests.memory"']),
])
def test_env(env, expected):
    assert errors(POD, pod(container(env=env))) == expected


def test_env_from_needs_a_source():
    assert errors(POD, pod(container(envFrom=[{"prefix": "P_"}]))) == [
        'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`']


def test_volume_mount_must_reference_a_volume():
    # TestValidateVolumeMounts
    obj = pod(container(volumeMounts=[{"name": "data", "mountPath": "/data"}, {"name": "cfg", "mountPath": "/data"},
                                      {"name": "", "mountPath": ""}]),
              volumes=[{"name": "cfg", "configMap": {"name": "c"}}])
    assert errors(POD, obj) == [
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
        "spec.containers[0].volumeMounts[2].name: Required value",
        'spec.containers[0].volumeMounts[2].name: Not found: ""',
        "spec.containers[0].volumeMounts[2].mountPath: Required value",
    ]


def test_sub_path_must_be_relative():
    obj = pod(container(volumeMounts=[{"name": "v", "mountPath": "/d", "subPath": "/abs"}]),
              volumes=[{"name": "v"}])
    assert errors(POD, obj) == ['spec.containers[0].volumeMounts.subPath: Invalid value: "/abs": must be a relative '
                                'path']


@pytest.mark.parametrize("volumes,expected", [
    # TestValidateVolumes
    ([{"name": "a"}, {"name": "a"}], ['spec.volumes[1].name: Duplicate value: "a"']),
    ([{"name": "A"}], [f'spec.volumes[0].name: Invalid value: "A": {LABEL_MSG}']),
    ([{"emptyDir": {}}], ["spec.volumes[0].name: Required value"]),
    ([{"name": "s", "secret": {}}], ["spec.volumes[0].secret.secretName: Required value"]),
    ([{"name": "c", "configMap": {"name": "c", "defaultMode": 1000}}],
     ["spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both "
      "inclusive"]),
    ([{"name": "h", "hostPath": {"path": "/a/../b"}}],
     ["spec.volumes[0].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'"]),
    ([{"name": "h", "hostPath": {"path": "/a", "type": "Weird"}}],
     ['spec.volumes[0].hostPath.type: Unsupported value: "Weird": supported values: "", "BlockDevice", '
      '"CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"']),
    ([{"name": "n", "nfs": {"server": "s", "path": "rel"}}],
     ['spec.volumes[0].nfs.path: Invalid value: "rel": must be an absolute path']),
    ([{"name": "p", "persistentVolumeClaim": {}}], ["spec.volumes[0].persistentVolumeClaim.claimName: Required value"]),
    ([{"name": "two", "emptyDir": {}, "hostPath": {"path": "/x"}}],
     ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"]),
    ([{"name": "c", "configMap": {"name": "c", "items": [{"key": "k", "path": "../x"}]}}],
     ["spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not contain '..'"]),
])
def test_volumes(volumes, expected):
    assert errors(POD, pod(volumes=volumes)) == expected


@pytest.mark.parametrize("resources,expected", [
    # TestValidateResourceRequirements
    ({"limits": {"cpu": "10", "memory": "10G"}, "requests": {"cpu": "10", "memory": "10G"}}, []),
    ({"limits": {"cpu": "1"}, "requests": {"cpu": "2"}},
     ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']),
    ({"limits": {"memory": "1Gi"}, "requests": {"memory": "2048Mi"}},
     ['spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of '
      '1Gi']),
    ({"requests": {"cpu": "-1"}},
     ['spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0']),
    ({"limits": {"gpu": "1"}},  # the Pod's requests default to its limits, so both are reported
     ['spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully '
      'qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully '
      'qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers']),
    ({"requests": {"example.com/gpu": "1"}},
     ["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"]),
    ({"limits": {"example.com/gpu": "2"}, "requests": {"example.com/gpu": "1"}},
     ['spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2']),
    ({"limits": {"hugepages-2Mi": "2Mi"}},
     ["spec.containers[0].resources: Forbidden: HugePages require cpu or memory"]),
])
def test_resource_requirements(resources, expected):
    obj = pod(container(resources=resources))
    obj["kind"] = "Pod"
    # Pods copy limits into missing requests first (SetDefaults_Pod), as the API server does.
    assert errors(POD, obj) == expected


def test_probe_rules():
    probe = {"exec": {"command": []}, "httpGet": {"port": 80}, "successThreshold": 2}
    assert errors(POD, pod(container(livenessProbe=probe))) == [
        "spec.containers[0].livenessProbe.exec.command: Required value",
        "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ]
    assert errors(POD, pod(container(readinessProbe={}))) == [
        "spec.containers[0].readinessProbe: Required value: must specify a handler type"]
    assert errors(POD, pod(container(readinessProbe={"tcpSocket": {"port": "web-port-name-too-long"}}))) == [
        'spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "web-port-name-too-long": must be no more '
        'than 15 characters']


@pytest.mark.parametrize("policy,expected", [
    # TestValidateRestartPolicy, TestValidateDNSPolicy
    ({"restartPolicy": "Sometimes"},
     ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']),
    ({"dnsPolicy": "Best"},
     ['spec.dnsPolicy: Unsupported value: "Best": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
      '"Default", "None"']),
    ({"dnsPolicy": "None"}, ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]),
    ({"activeDeadlineSeconds": 0},
     ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]),
    ({"nodeSelector": {"disk": "ssd!"}},
     ['spec.nodeSelector: Invalid value: "ssd!": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ({"serviceAccountName": "Bad"}, [f'spec.serviceAccountName: Invalid value: "Bad": {SUBDOMAIN_MSG}']),
    ({"hostname": "a.b"}, ['spec.hostname: Invalid value: "a.b": must not contain dots']),
    ({"tolerations": [{"operator": "Equal", "value": "x"}]},
     ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which '
      'means "match all values and all keys"']),
    ({"tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": 5}]},
     ["spec.tolerations[0].effect: Invalid value: \"\": effect must be 'NoExecute' when `tolerationSeconds` is set"]),
    ({"securityContext": {"runAsUser": -1}},
     ["spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive"]),
])
def test_pod_spec_fields(policy, expected):
    assert errors(POD, pod(**policy)) == expected


def test_host_network_ports_must_match():
    obj = pod(container(ports=[{"containerPort": 80, "hostPort": 81}]), hostNetwork=True)
    assert errors(POD, obj) == [
        "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true"]


def test_init_containers_cannot_have_probes_without_restart_policy_always():
    obj = pod(initContainers=[container(name="init", livenessProbe={"exec": {"command": ["x"]}})])
    assert errors(POD, obj) == [
        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without "
        "restartPolicy=Always"]


def test_init_container_names_must_differ_from_containers():
    obj = pod(container(name="c"), initContainers=[container(name="c")])
    assert errors(POD, obj) == ['spec.initContainers[0].name: Duplicate value: "c"']


def test_ephemeral_containers_cannot_be_set_on_create():
    obj = pod(ephemeralContainers=[{"name": "debug", "image": "busybox"}])
    assert errors(POD, obj) == ["spec.ephemeralContainers: Forbidden: cannot be set on create"]


# --- Pod updates -------------------------------------------------------------------------------------

UPDATABLE = ("pod updates may not change fields other than `spec.containers[*].image`,"
             "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
             "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
             "previously negative)")


def stored_pod(**spec) -> dict:
    obj = apply_defaults(POD, pod(**spec))
    obj["metadata"].update(uid="u1", creationTimestamp="2024-01-01T00:00:00Z")
    return obj


def test_pod_image_can_change():
    # TestValidatePodUpdate: "image change"
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert errors(POD, new, old) == []


def test_pod_update_cannot_change_other_fields():
    # TestValidatePodUpdate: "spec: Forbidden: pod updates may not change fields other than"
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["restartPolicy"] = "Never"
    errs = errors(POD, new, old)
    assert len(errs) == 1
    assert errs[0].startswith("spec: Forbidden: " + UPDATABLE + "\n")
    assert '- \tRestartPolicy: "Always",' in errs[0] and '+ \tRestartPolicy: "Never",' in errs[0]


def test_pod_update_cannot_add_containers():
    old = stored_pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"].append(copy.deepcopy(new["spec"]["containers"][0]) | {"name": "d"})
    assert errors(POD, new, old) == ["spec.containers: Forbidden: pod updates may not add or remove containers"]


def test_pod_active_deadline_can_only_shrink():
    old = stored_pod(activeDeadlineSeconds=30)
    new = copy.deepcopy(old)
    new["spec"]["activeDeadlineSeconds"] = 60
    assert errors(POD, new, old) == [
        "spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"]
    new["spec"]["activeDeadlineSeconds"] = 10
    assert errors(POD, new, old) == []
    del new["spec"]["activeDeadlineSeconds"]
    assert errors(POD, new, old) == [
        "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"]


def test_pod_tolerations_can_only_be_added():
    old = stored_pod(tolerations=[{"key": "a", "operator": "Exists"}])
    new = copy.deepcopy(old)
    new["spec"]["tolerations"].append({"key": "b", "operator": "Exists"})
    assert errors(POD, new, old) == []
    new["spec"]["tolerations"] = [{"key": "b", "operator": "Exists"}]
    assert errors(POD, new, old) == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]


def test_pod_name_is_immutable():
    old = stored_pod()
    new = copy.deepcopy(old)
    new["metadata"]["name"] = "q"
    assert errors(POD, new, old) == ['metadata.name: Invalid value: "q": field is immutable']


# --- ReplicationController ---------------------------------------------------------------------------

def test_replication_controller_template_must_match_selector():
    rc = {"metadata": {"name": "rc", "namespace": "d"},
          "spec": {"selector": {"app": "x"}, "template": {"metadata": {"labels": {"app": "y"}},
                                                         "spec": {"containers": [container()]}}}}
    assert errors(RC, rc) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match '
        'template `labels`']


def test_replication_controller_template_must_restart_always():
    rc = {"metadata": {"name": "rc", "namespace": "d"},
          "spec": {"template": {"metadata": {"labels": {"app": "y"}},
                                "spec": {"restartPolicy": "Never", "containers": [container()]}}}}
    assert errors(RC, rc) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']


# --- apps -------------------------------------------------------------------------------------------

def test_valid_deployment():
    assert errors(DEPLOYMENT, deployment()) == []


def test_deployment_selector_must_match_template_labels():
    assert errors(DEPLOYMENT, deployment(selector={"matchLabels": {"app": "x"}})) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`']


def test_deployment_without_selector():
    assert errors(DEPLOYMENT, deployment(selector=False)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`',
    ]


def test_deployment_template_without_labels_renders_a_nil_map():
    obj = deployment(selector={"matchLabels": {"app": "web"}})
    del obj["spec"]["template"]["metadata"]
    assert errors(DEPLOYMENT, obj) == [
        "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template "
        "`labels`"]


def test_deployment_empty_selector():
    assert errors(DEPLOYMENT, deployment(selector={"matchLabels": {}})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]


@pytest.mark.parametrize("spec,expected", [
    # TestValidateDeployment error cases
    ({"replicas": -1}, ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
    ({"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
     ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]),
    ({"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}},
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: '
      'may not be 0 when `maxSurge` is 0']),
    ({"strategy": {"rollingUpdate": {"maxUnavailable": "110%"}}},
     ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
      'StrVal:"110%"}: must not be greater than 100%']),
    ({"strategy": {"rollingUpdate": {"maxSurge": "20"}}},
     ['spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20"}: a '
      "valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
      "validation is '[0-9]+%')"]),
    ({"strategy": {"type": "Canary"}},
     ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Canary", '
      'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"']),
    ({"progressDeadlineSeconds": 10, "minReadySeconds": 10},
     ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"]),
])
def test_deployment_spec(spec, expected):
    obj = deployment()
    obj["spec"].update(spec)
    assert errors(DEPLOYMENT, obj) == expected


def test_deployment_template_must_restart_always():
    obj = deployment()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
    assert errors(DEPLOYMENT, obj) == [
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']


def test_deployment_template_pod_spec_is_validated():
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = ""
    assert errors(DEPLOYMENT, obj) == ["spec.template.spec.containers[0].image: Required value"]


def test_deployment_template_label_paths_have_no_metadata():
    obj = deployment(labels={"app": "web", "bad key": "x"}, selector={"matchLabels": {"app": "web"}})
    errs = errors(DEPLOYMENT, obj)
    assert len(errs) == 1 and errs[0].startswith('spec.template.labels: Invalid value: "bad key": name part must')


def test_deployment_selector_is_immutable():
    old = apply_defaults(DEPLOYMENT, deployment())
    new = deployment(labels={"app": "web2"})
    assert errors(DEPLOYMENT, new, old) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']


def test_deployment_scale_and_image_change_are_allowed():
    old = apply_defaults(DEPLOYMENT, deployment())
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 5
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert errors(DEPLOYMENT, new, old) == []


def test_replica_set_like_deployment():
    obj = deployment(selector=False)
    obj["kind"] = "ReplicaSet"
    assert errors(REPLICA_SET, obj) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`',
    ]


def test_daemon_set_rules():
    obj = deployment(selector={"matchLabels": {"app": "other"}})
    obj["kind"] = "DaemonSet"
    obj["spec"]["updateStrategy"] = {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}
    assert errors(DAEMON_SET, obj) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`',
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
    ]


def test_stateful_set_rules():
    obj = deployment(selector=False)
    obj["kind"] = "StatefulSet"
    obj["spec"]["podManagementPolicy"] = "Random"
    assert errors(STATEFUL_SET, obj) == [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        'template `labels`',
    ]


def test_stateful_set_only_some_fields_are_mutable():
    base = deployment()
    base["kind"] = "StatefulSet"
    base["spec"]["serviceName"] = "web"
    old = apply_defaults(STATEFUL_SET, base)
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    assert errors(STATEFUL_SET, new, old) == []
    new["spec"]["serviceName"] = "other"
    assert errors(STATEFUL_SET, new, old) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]


# --- batch ------------------------------------------------------------------------------------------

def job(restart="Never", **spec) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "d", "uid": "u-1"},
            "spec": {"template": {"spec": {"restartPolicy": restart, "containers": [container()]}}, **spec}}


def test_valid_job():
    assert errors(JOB, job()) == []


def test_job_template_must_not_restart_always():
    # the default restartPolicy (Always) is what a Job template gets when the manifest omits it
    obj = job()
    del obj["spec"]["template"]["spec"]["restartPolicy"]
    assert errors(JOB, obj) == ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']


def test_job_negative_counts():
    assert errors(JOB, job(parallelism=-1, backoffLimit=-1)) == [
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
    ]


def test_job_selector_without_manual_selector_is_not_auto_generated():
    obj = job(selector={"matchLabels": {"app": "x"}})
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "x"}}
    errs = errors(JOB, obj)
    assert ('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, '
            'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated') in errs
    assert "spec.template.metadata.labels[controller-uid]: Required value: must be 'u-1'" in errs


def test_job_manual_selector():
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "x"}})
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "x"}}
    assert errors(JOB, obj) == []


def test_indexed_job_needs_completions():
    obj = job(completionMode="Indexed", parallelism=2)
    assert errors(JOB, obj) == ["spec.completions: Required value: when completion mode is Indexed"]


def test_job_template_is_immutable():
    old = apply_defaults(JOB, job())
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox"
    assert errors(JOB, new, old) == ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]


def cron_job(schedule="*/1 * * * *", **spec) -> dict:
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello", "namespace": "d"},
            "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure", "containers": [container()]}}}}, **spec}}


def test_valid_cron_job():
    assert errors(CRON_JOB, cron_job()) == []


@pytest.mark.parametrize("schedule,expected", [
    # TestValidateCronJob: "spec.schedule: Invalid value", "spec.schedule: Required value", TZ cases
    ("error", 'spec.schedule: Invalid value: "error": expected exactly 5 fields, found 1: [error]'),
    ("", "spec.schedule: Required value"),
    ("TZ=UTC 0 * * * *",
     'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field '
     'instead'),
    ("60 * * * *", 'spec.schedule: Invalid value: "60 * * * *": end of range (60) above maximum (59): 60'),
    ("* * * * 8", 'spec.schedule: Invalid value: "* * * * 8": end of range (8) above maximum (6): 8'),
    ("*/0 * * * *", 'spec.schedule: Invalid value: "*/0 * * * *": step of range should be a positive number: */0'),
    ("a * * * *",
     'spec.schedule: Invalid value: "a * * * *": failed to parse int from a: strconv.Atoi: parsing "a": invalid '
     'syntax'),
    ("@fortnightly", 'spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly'),
])
def test_cron_schedule(schedule, expected):
    assert errors(CRON_JOB, cron_job(schedule)) == [expected]


@pytest.mark.parametrize("schedule", ["@hourly", "@every 1h30m", "0 0 * * MON-FRI", "*/15 9-17 * JAN,jul *",
                                      "0 0 1 */2 ?", "5,10 * * * *"])
def test_cron_schedules_that_parse(schedule):
    assert cron_parse_error(schedule) == ""


@pytest.mark.parametrize("zone,expected", [
    ("", 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'),
    ("Local", 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in '
              'https://www.iana.org/time-zones'),
    ("Mars/Olympus", 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'),
])
def test_cron_time_zone(zone, expected):
    assert errors(CRON_JOB, cron_job(timeZone=zone)) == [expected]


def test_cron_job_name_is_limited_to_52_characters():
    obj = cron_job()
    obj["metadata"]["name"] = "a" * 53
    assert errors(CRON_JOB, obj) == [f'metadata.name: Invalid value: "{"a" * 53}": must be no more than 52 characters']


def test_cron_job_template_selector_is_generated():
    obj = cron_job()
    obj["spec"]["jobTemplate"]["spec"]["selector"] = {"matchLabels": {"a": "b"}}
    obj["spec"]["jobTemplate"]["spec"]["template"]["metadata"] = {"labels": {"a": "b"}}
    assert errors(CRON_JOB, obj) == [
        'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, '
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated']


def test_cron_job_template_restart_policy():
    obj = cron_job()
    obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert errors(CRON_JOB, obj) == [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']


# --- Service ------------------------------------------------------------------------------------------

def test_valid_service():
    assert errors(SERVICE, service()) == []


@pytest.mark.parametrize("spec,expected", [
    # TestValidateServiceCreate
    ({"ports": []}, ["spec.ports: Required value"]),
    ({"ports": [{"port": 80}, {"port": 81}]}, ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]),
    ({"ports": [{"name": "a", "port": 80}, {"name": "a", "port": 81}]}, ['spec.ports[1].name: Duplicate value: "a"']),
    ({"ports": [{"name": "A", "port": 80}]}, [f'spec.ports[0].name: Invalid value: "A": {LABEL_MSG}']),
    ({"ports": [{"port": 65536}]},
     ["spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
      "spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
    ({"ports": [{"port": 80, "protocol": "HTTP"}]},
     ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']),
    ({"ports": [{"port": 80, "targetPort": "Web"}]},
     ["spec.ports[0].targetPort: Invalid value: \"Web\": must contain only alpha-numeric characters (a-z, 0-9), and "
      "hyphens (-)"]),
    ({"type": "Headless"},
     ['spec.type: Unsupported value: "Headless": supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
      '"NodePort"']),
    ({"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]},
     ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, '
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}']),
    ({"ports": [{"port": 80, "nodePort": 30080}]},
     ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
    ({"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]},
     ["spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports "
      "is 30000-32767"]),
    ({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30080},
                                    {"name": "b", "port": 81, "nodePort": 30080}]},
     ["spec.ports[1].nodePort: Duplicate value: 30080"]),
    ({"externalTrafficPolicy": "Local"},
     ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']),
    ({"sessionAffinity": "Sticky"},
     ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']),
    ({"clusterIP": "10.0.0.300"},
     ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']),
    ({"type": "NodePort", "clusterIP": "None"},
     ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]),
    ({"selector": {"app": "-"}},
     ['spec.selector: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
])
def test_service_spec(spec, expected):
    assert errors(SERVICE, service(**spec)) == expected


def test_service_name_is_a_dns1035_label():
    obj = service()
    obj["metadata"]["name"] = "1web"
    errs = errors(SERVICE, obj)
    assert errs == ['metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric '
                    "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                    "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]


def test_headless_service_needs_no_ports():
    assert errors(SERVICE, service(ports=[], clusterIP="None")) == []


def test_external_name_service():
    obj = service(type="ExternalName", externalName="db.example.com.", ports=[])
    assert errors(SERVICE, obj) == []
    obj = service(type="ExternalName", ports=[])
    assert errors(SERVICE, obj) == ["spec.externalName: Required value"]


def stored_service(**spec) -> dict:
    obj = apply_defaults(SERVICE, service(**spec))
    obj["spec"].setdefault("clusterIP", "10.96.0.10")
    obj["spec"]["clusterIPs"] = [obj["spec"]["clusterIP"]]
    return obj


def test_service_cluster_ip_is_immutable():
    # TestValidateServiceUpdate: "change cluster IP"
    old = stored_service()
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.11"
    new["spec"]["clusterIPs"] = ["10.96.0.11"]
    assert errors(SERVICE, new, old) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']


def test_service_update_keeps_allocated_values_when_omitted():
    # kubectl replace with the original manifest: clusterIP and nodePorts come from the stored object
    old = stored_service(type="NodePort")
    old["spec"]["ports"][0]["nodePort"] = 30001
    assert errors(SERVICE, service(type="NodePort"), old) == []


# --- ConfigMap, Secret, Namespace -----------------------------------------------------------------

def test_config_map_keys():
    # TestValidateConfigMap
    obj = {"metadata": {"name": "c", "namespace": "d"}, "data": {"a b": "x", "..": "y", "ok": "z"},
           "binaryData": {"ok": "eg=="}}
    assert errors(CONFIG_MAP, obj) == [
        f'data[..]: Invalid value: "..": {CONFIG_KEY_MSG}'.replace(CONFIG_KEY_MSG, "must not be '..'"),
        f'data[a b]: Invalid value: "a b": {CONFIG_KEY_MSG}',
        'data[ok]: Invalid value: "ok": duplicate of key present in binaryData',
    ]


def test_config_map_size_limit():
    obj = {"metadata": {"name": "c", "namespace": "d"}, "data": {"big": "x" * (1024 * 1024 + 1)}}
    assert errors(CONFIG_MAP, obj) == [": Too long: may not be more than 1048576 bytes"]


def test_immutable_config_map():
    old = {"metadata": {"name": "c", "namespace": "d"}, "data": {"a": "b"}, "immutable": True}
    new = copy.deepcopy(old)
    new["data"]["a"] = "c"
    assert errors(CONFIG_MAP, new, old) == ["data: Forbidden: field is immutable when `immutable` is set"]


def test_secret_type_is_immutable():
    # TestValidateSecretUpdate
    old = {"metadata": {"name": "s", "namespace": "d"}, "data": {"a": "Yg=="}}
    new = copy.deepcopy(old)
    new["type"] = "kubernetes.io/basic-auth"
    assert errors(SECRET, new, old) == ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
                                        "data[username]: Required value", "data[password]: Required value"]


def test_secret_types():
    tls = {"metadata": {"name": "s", "namespace": "d"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "eA=="}}
    assert errors(SECRET, tls) == ["data[tls.key]: Required value"]
    docker = {"metadata": {"name": "s", "namespace": "d"}, "type": "kubernetes.io/dockerconfigjson", "data": {}}
    assert errors(SECRET, docker) == ["data[.dockerconfigjson]: Required value"]
    token = {"metadata": {"name": "s", "namespace": "d"}, "type": "kubernetes.io/service-account-token"}
    assert errors(SECRET, token) == ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]


def test_secret_keys():
    obj = {"metadata": {"name": "s", "namespace": "d"}, "stringData": {"a/b": "x"}}
    assert errors(SECRET, obj) == [f'data[a/b]: Invalid value: "a/b": {CONFIG_KEY_MSG}']


def test_namespace_name_is_a_label():
    assert errors(NAMESPACE, {"metadata": {"name": "my.ns"}}) == [
        'metadata.name: Invalid value: "my.ns": must not contain dots']
    assert errors(NAMESPACE, {"metadata": {"name": "dev"}}) == []


# --- PersistentVolume(Claim) -----------------------------------------------------------------------

def test_persistent_volume_claim_basics():
    # TestValidatePersistentVolumeClaim
    obj = {"metadata": {"name": "c", "namespace": "d"}, "spec": {}}
    assert errors(PVC, obj) == ["spec.accessModes: Required value: at least 1 access mode is required",
                                "spec.resources[storage]: Required value"]
    obj["spec"] = {"accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "0"}}}
    assert errors(PVC, obj) == [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", '
        '"ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]
    obj["spec"] = {"accessModes": ["ReadWriteOncePod", "ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    assert errors(PVC, obj) == ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"]


def test_persistent_volume_claim_spec_is_immutable():
    old = {"metadata": {"name": "c", "namespace": "d"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    new = copy.deepcopy(old)
    new["spec"]["accessModes"] = ["ReadWriteMany"]
    errs = errors(PVC, new, old)
    assert len(errs) == 1 and errs[0].startswith(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for "
        "bound claims\n")


def test_persistent_volume_basics():
    # TestValidatePersistentVolumes
    obj = {"metadata": {"name": "pv"}, "spec": {}}
    assert errors(PV, obj) == [
        "spec.accessModes: Required value",
        "spec.capacity: Required value",
        'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
        "spec: Required value: must specify a volume type",
    ]
    ok = {"metadata": {"name": "pv"}, "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"},
                                               "hostPath": {"path": "/data"}}}
    assert errors(PV, ok) == []


# --- Ingress, NetworkPolicy ------------------------------------------------------------------------

def ingress(**spec) -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "ing", "namespace": "d"}, "spec": spec}


def http_rule(*paths, host="foo.com") -> dict:
    return {"host": host, "http": {"paths": list(paths)}}


def backend(name="svc", number=80) -> dict:
    return {"service": {"name": name, "port": {"number": number}}}


def test_valid_ingress():
    assert errors(INGRESS, ingress(rules=[http_rule({"path": "/", "pathType": "Prefix", "backend": backend()})])) == []


@pytest.mark.parametrize("spec,expected", [
    # TestValidateIngress / TestValidateIngressCreate
    ({}, ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]),
    ({"rules": [http_rule({"path": "/", "backend": backend()})]},
     ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]),
    ({"rules": [http_rule({"path": "foo", "pathType": "Prefix", "backend": backend()})]},
     ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']),
    ({"rules": [http_rule({"path": "/a//b", "pathType": "Exact", "backend": backend()})]},
     ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"]),
    ({"rules": [http_rule({"path": "/", "pathType": "Glob", "backend": backend()})]},
     ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Glob": supported values: "Exact", '
      '"ImplementationSpecific", "Prefix"']),
    ({"rules": [http_rule({"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "svc"}}})]},
     ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]),
    ({"rules": [http_rule({"path": "/", "pathType": "Prefix",
                           "backend": {"service": {"name": "svc", "port": {"name": "http", "number": 80}}}})]},
     ['spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number']),
    ({"rules": [http_rule({"path": "/", "pathType": "Prefix", "backend": {}})]},
     ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']),
    ({"rules": [http_rule({"path": "/", "pathType": "Prefix", "backend": backend(number=0)})]},
     ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]),
    ({"rules": [http_rule({"path": "/", "pathType": "Prefix", "backend": backend()}, host="1.2.3.4")]},
     ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address']),
    ({"rules": [{"host": "foo.com", "http": {"paths": []}}]}, ["spec.rules[0].http.paths: Required value"]),
    ({"defaultBackend": backend(name="Svc")},
     ['spec.defaultBackend.service.name: Invalid value: "Svc": a DNS-1035 label must consist of lower case '
      "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character "
      "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]),
])
def test_ingress_rules(spec, expected):
    assert errors(INGRESS, ingress(**spec)) == expected


def test_network_policy():
    obj = {"metadata": {"name": "np", "namespace": "d"}, "spec": {
        "podSelector": {}, "ingress": [{"from": [{}], "ports": [{"port": 70000}]}], "policyTypes": ["Sideways"]}}
    assert errors(NETWORK_POLICY, obj) == [
        "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ingress[0].from[0]: Required value: must specify a peer",
        'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    ]


# --- RBAC -------------------------------------------------------------------------------------------

def test_role_rules():
    # TestValidateRole / TestValidatePolicyRule
    obj = {"metadata": {"name": "r", "namespace": "d"},
           "rules": [{"resources": ["pods"]}, {"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "svc"],
                                               "resourceNames": ["x"]},
                     {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]}
    assert errors(ROLE, obj) == [
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
        "rules[1].resourceNames: Required value: resource names cannot apply to multiple resources",
        'rules[2].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to '
        'non-resource URLs',
    ]


def test_cluster_role_non_resource_urls():
    obj = {"metadata": {"name": "system:healthz"}, "rules": [
        {"verbs": ["get"], "nonResourceURLs": ["/healthz"]},
        {"verbs": ["get"], "nonResourceURLs": ["/x"], "resources": ["pods"]}]}
    assert errors(CLUSTER_ROLE, obj) == [
        'rules[1].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and '
        'non-resource URLs']


def role_binding(**ref) -> dict:
    return {"metadata": {"name": "rb", "namespace": "d"}, "roleRef": {"kind": "Role", "name": "reader", **ref},
            "subjects": [{"kind": "User", "name": "alice"}]}


def test_role_binding_role_ref():
    # TestValidateRoleBinding
    assert errors(ROLE_BINDING, role_binding()) == []
    assert errors(ROLE_BINDING, role_binding(kind="Pod")) == [
        'roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"']
    assert errors(ROLE_BINDING, role_binding(apiGroup="example.com")) == [
        'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"']
    assert errors(ROLE_BINDING, role_binding(name="")) == ["roleRef.name: Required value"]


def test_role_binding_subjects():
    obj = role_binding()
    obj["subjects"] = [{"kind": "ServiceAccount", "name": "sa", "apiGroup": "rbac.authorization.k8s.io"},
                       {"kind": "Robot", "name": "r2"}, {"kind": "Group"}]
    assert errors(ROLE_BINDING, obj) == [
        'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
        'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        "subjects[2].name: Required value",
        'subjects[2].name: Invalid value: "": group name cannot be empty',
    ]


def test_cluster_role_binding_service_account_needs_a_namespace():
    obj = {"metadata": {"name": "crb"}, "roleRef": {"kind": "Role", "name": "view"},
           "subjects": [{"kind": "ServiceAccount", "name": "sa"}]}
    assert errors(CLUSTER_ROLE_BINDING, obj) == [
        'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        "subjects[0].namespace: Required value",
    ]


def test_role_ref_cannot_change():
    # TestValidateRoleBindingUpdate
    old = role_binding()
    new = role_binding(name="admin")
    assert errors(ROLE_BINDING, new, old) == [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"admin"}: cannot '
        'change roleRef']


def test_rbac_names_are_path_segments():
    obj = role_binding()
    obj["metadata"]["name"] = "system:node:worker-1"
    assert errors(ROLE_BINDING, obj) == []


# --- policy, quota ---------------------------------------------------------------------------------

def test_pod_disruption_budget_both_set():
    obj = {"metadata": {"name": "pdb", "namespace": "d"}, "spec": {"minAvailable": 1, "maxUnavailable": "50%",
                                                                   "selector": {"matchLabels": {"a": "b"}}}}
    errs = errors(PDB, obj)
    assert errs == ["spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)"
                    "(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:"
                    "(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:"
                    "(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both "
                    "set"]


def test_resource_quota_names():
    obj = {"metadata": {"name": "q", "namespace": "d"}, "spec": {"hard": {"pods": "1.5", "gpus": "1"}}}
    assert errors(QUOTA, obj) == [
        'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
        'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota',
        "spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, "
        'd:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
    ]


def test_kinds_without_rules_get_metadata_validation_only():
    sa = rt("v1", "ServiceAccount")
    assert errors(sa, {"metadata": {"name": "Default", "namespace": "d"}}) == [
        f'metadata.name: Invalid value: "Default": {SUBDOMAIN_MSG}']


# --- the real kubectl's generators produce valid objects ----------------------------------------------

KUBECTL = shutil.which("kubectl")

GENERATORS = [
    ["create", "deployment", "web", "--image=nginx"],
    ["create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80"],
    ["create", "job", "pi", "--image=perl", "--", "perl", "-e", "print 1"],
    ["create", "cronjob", "hello", "--image=busybox", "--schedule=*/1 * * * *", "--", "echo", "hi"],
    ["create", "service", "clusterip", "web", "--tcp=80:8080"],
    ["create", "service", "clusterip", "headless", "--clusterip=None"],
    ["create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=30080"],
    ["create", "service", "loadbalancer", "web", "--tcp=80:8080", "--tcp=443:8443"],
    ["create", "service", "externalname", "db", "--external-name=db.example.com"],
    ["create", "configmap", "cfg", "--from-literal=a=b", "--from-literal=c.d=e"],
    ["create", "secret", "generic", "sec", "--from-literal=user=admin", "--from-literal=pass=x"],
    ["create", "secret", "docker-registry", "regcred", "--docker-server=r.io", "--docker-username=u",
     "--docker-password=p"],
    ["create", "clusterrole", "health", "--verb=get", "--non-resource-url=/healthz"],
    ["create", "rolebinding", "rb", "--role=reader", "--user=alice", "--group=devs", "--serviceaccount=default:sa"],
    ["create", "rolebinding", "rb2", "--clusterrole=view", "--user=bob"],
    ["create", "clusterrolebinding", "crb", "--clusterrole=view", "--serviceaccount=kube-system:x"],
    ["create", "serviceaccount", "sa"],
    ["create", "namespace", "dev"],
    ["create", "ingress", "ing", "--rule=foo.com/bar=svc1:8080", "--rule=bar.com/*=svc2:http"],
    ["create", "ingress", "ing2", "--default-backend=svc:80", "--class=nginx"],
    ["create", "ingress", "tls", "--rule=foo.com/=svc:https,tls=my-cert"],
    ["create", "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=1"],
    ["create", "poddisruptionbudget", "pdb2", "--selector=app=web", "--max-unavailable=50%"],
    ["create", "priorityclass", "high", "--value=1000", "--description=high"],
    ["create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2,services=3,count/deployments.apps=2"],
]


@pytest.mark.kubectl
@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed: the generator outputs cannot be produced")
@pytest.mark.parametrize("args", GENERATORS, ids=lambda a: " ".join(a[1:3]))
def test_kubectl_generated_objects_validate(args):
    flags = ["--dry-run=client", "-o", "json"]
    cut = args.index("--") if "--" in args else len(args)  # flags must come before the command of a job
    out = subprocess.run([KUBECTL, *args[:cut], *flags, *args[cut:]], capture_output=True, text=True, timeout=30,
                         check=True)
    obj = json.loads(out.stdout)
    kind = TABLE.for_kind(obj["apiVersion"], obj["kind"])
    if kind.namespaced:
        obj["metadata"].setdefault("namespace", "default")
    obj["metadata"]["uid"] = "6f1e4c1a-0000-4000-8000-000000000000"
    defaulted = apply_defaults(kind, obj)
    assert [str(e) for e in validate(kind, defaulted)] == []
    assert apply_defaults(kind, defaulted) == defaulted


# ---------------------------------------------------------------------------
# Robustness: a manifest with wrongly typed fields must yield field errors (or
# none), never a Python exception.  Seeded, so the run is reproducible.

_JUNK = [None, 1, -5, "x", "", True, [], {}, [1, "a"], {"a": None}, 3.5,
         "10Gi", {"name": 1}, [{}], [None]]

_ROBUST_BASES = [
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "d"},
     "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}],
                              "env": [{"name": "a", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}],
                              "volumeMounts": [{"name": "v", "mountPath": "/v"}],
                              "livenessProbe": {"httpGet": {"port": 80}},
                              "resources": {"limits": {"cpu": "1"}}}],
              "volumes": [{"name": "v", "projected": {"sources": [
                  {"secret": {"name": "s", "items": [{"key": "a", "path": "b"}]}},
                  {"serviceAccountToken": {"path": "t"}}]}}],
              "tolerations": [{"key": "a"}],
              "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                  "nodeSelectorTerms": [{"matchExpressions": [
                      {"key": "a", "operator": "In", "values": ["b"]}]}]}}}}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "namespace": "d"},
     "spec": {"selector": {"matchLabels": {"a": "b"}},
              "template": {"metadata": {"labels": {"a": "b"}},
                           "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s", "namespace": "d"},
     "spec": {"selector": {"matchLabels": {"a": "b"}},
              "template": {"metadata": {"labels": {"a": "b"}},
                           "spec": {"containers": [{"name": "c", "image": "i"}]}},
              "volumeClaimTemplates": [{"metadata": {"name": "d"},
                                        "spec": {"accessModes": ["ReadWriteOnce"]}}]}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "d"},
     "spec": {"ports": [{"name": "a", "port": 80, "nodePort": 30080}], "type": "NodePort",
              "selector": {"a": "b"}}},
    {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "namespace": "d"},
     "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
         "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "i"}]}}}}}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "namespace": "d"},
     "spec": {"rules": [{"host": "a.example.com", "http": {"paths": [
         {"path": "/", "pathType": "Prefix",
          "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
     "metadata": {"name": "r", "namespace": "d"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "x"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "d"}]},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "d"},
     "stringData": {"a": "b"}, "data": {"c": "ZA=="}},
    {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c", "namespace": "d"},
     "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}},
]


def _mutate(rng, o):
    if isinstance(o, dict):
        o = dict(o)
        for k in list(o):
            o[k] = rng.choice(_JUNK) if rng.random() < 0.25 else _mutate(rng, o[k])
        if rng.random() < 0.2:
            o[rng.choice(["spec", "ports", "containers", "selector", "data",
                          "template", "volumes", "rules"])] = rng.choice(_JUNK)
        return o
    if isinstance(o, list):
        return [_mutate(rng, x) for x in o]
    return o


@pytest.mark.parametrize("seed", range(4))
def test_malformed_objects_do_not_raise(seed):
    import random

    rng = random.Random(seed)
    for _ in range(150):
        base = rng.choice(_ROBUST_BASES)
        kind = TABLE.for_kind(base["apiVersion"], base["kind"])
        new, old = _mutate(rng, base), _mutate(rng, base)
        for o in (new, old):
            if not isinstance(o.get("metadata"), dict):
                o["metadata"] = {}
        new, old = apply_defaults(kind, new), apply_defaults(kind, old)
        for errs in (validate(kind, new), validate(kind, new, old), validate(kind, old, new)):
            [str(e) for e in errs]


def test_a_v1_custom_resource_definition_needs_a_schema_on_every_version():
    crd = {"metadata": {"name": "gizmos.example.com"},
           "spec": {"group": "example.com", "names": {"plural": "gizmos", "kind": "Gizmo"}, "scope": "Namespaced",
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object"}}},
                                 {"name": "v2", "served": True, "storage": False}]}}
    assert [str(e) for e in validate(rt("apiextensions.k8s.io/v1", "CustomResourceDefinition"), crd)] == [
        "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required"]
