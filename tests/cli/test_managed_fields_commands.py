"""metadata.managedFields after kubectl commands, end to end through the CLI: the entries a real cluster writes.

Expected values come from real clusters' `kubectl get -o yaml` output (kubectl >= 1.18 printed managedFields
by default until 1.21) and from upstream's integration tests, as cited in each test. Times are the write's
second and are compared only for presence.
"""

import json
import textwrap
from pathlib import Path


def managed(kauth, *target):
    result = kauth("get", *target, "-o", "json", "--show-managed-fields")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["metadata"]["managedFields"]
    for entry in entries:
        assert entry.pop("time").endswith("Z")
    return entries


def entry(manager, fields, api_version="v1", subresource=None):
    out = {"manager": manager, "operation": "Update", "apiVersion": api_version, "fieldsType": "FieldsV1",
           "fieldsV1": fields}
    if subresource:
        out["subresource"] = subresource
    return out


def test_get_hides_managed_fields_unless_asked(kauth):
    assert kauth("create", "configmap", "c", "--from-literal=k=v").exit_code == 0
    assert "managedFields" not in kauth("get", "configmap", "c", "-o", "yaml").stdout
    assert "managedFields" in kauth("get", "configmap", "c", "-o", "yaml", "--show-managed-fields").stdout
    assert "managedFields" not in kauth("get", "configmaps", "-o", "json").stdout


def test_client_side_apply_then_label(kauth):
    # A real cluster's answer to `kubectl apply -f cm.yaml; kubectl label cm cm-csa key=value` (a blog's
    # `kubectl get cm cm-csa -o yaml`, Kubernetes 1.25, found through the search tool as document 20136061444).
    Path("cm.yaml").write_text(textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm-csa
          namespace: default
        data:
          key: value
        """))
    assert kauth("apply", "-f", "cm.yaml").exit_code == 0
    assert kauth("label", "cm", "cm-csa", "key=value").exit_code == 0
    assert managed(kauth, "cm", "cm-csa") == [
        entry("kubectl-client-side-apply", {
            "f:data": {".": {}, "f:key": {}},
            "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}}}),
        entry("kubectl-label", {"f:metadata": {"f:labels": {".": {}, "f:key": {}}}}),
    ]


def test_create_secret_then_label(kauth):
    # `kubectl create secret generic ... --from-literal=username=... --from-literal=password=...` then
    # `kubectl label secret ...` as Oracle's WebLogic-on-Kubernetes guide shows it (document 1971654592).
    assert kauth("create", "secret", "generic", "accessdomain-credentials", "--from-literal=username=weblogic",
                 "--from-literal=password=secret").exit_code == 0
    assert kauth("label", "secret", "accessdomain-credentials", "weblogic.domainUID=accessdomain",
                 "weblogic.domainName=accessdomain").exit_code == 0
    assert managed(kauth, "secret", "accessdomain-credentials") == [
        entry("kubectl-create", {"f:data": {".": {}, "f:password": {}, "f:username": {}}, "f:type": {}}),
        entry("kubectl-label", {"f:metadata": {"f:labels": {
            ".": {}, "f:weblogic.domainName": {}, "f:weblogic.domainUID": {}}}}),
    ]


DEPLOYMENT_CREATED = {
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {
        "f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {}, "f:selector": {},
        "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
        "f:template": {
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {
                "f:containers": {'k:{"name":"nginx"}': {
                    ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {},
                    "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}},
                "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
                "f:terminationGracePeriodSeconds": {}}}}}


def test_create_label_scale_apply_each_own_what_they_changed(kauth):
    # `kubectl create deployment nginx --image=nginx`: the defaulted fields belong to the creator, the
    # selector (+structType=atomic) and the empty resources as single leaves, no `.` on spec, strategy,
    # template or containers, which the Go zero value already has (handlers/create.go compares against it).
    assert kauth("create", "deployment", "nginx", "--image=nginx").exit_code == 0
    assert managed(kauth, "deployment", "nginx") == [entry("kubectl-create", DEPLOYMENT_CREATED, "apps/v1")]

    # kubectl label: only the new label; labels already existed, so no `.`.
    assert kauth("label", "deployment", "nginx", "tier=web").exit_code == 0
    # kubectl scale sends no fieldManager (pkg/scale ScaleSimple): the User-Agent's `kubectl`, on the scale
    # subresource, takes spec.replicas from the creator.
    assert kauth("scale", "deployment", "nginx", "--replicas=3").exit_code == 0
    without_replicas = json.loads(json.dumps(DEPLOYMENT_CREATED))
    del without_replicas["f:spec"]["f:replicas"]
    entries = managed(kauth, "deployment", "nginx")
    assert sorted(entries, key=lambda e: e["manager"]) == [
        entry("kubectl", {"f:spec": {"f:replicas": {}}}, "apps/v1", subresource="scale"),
        entry("kubectl-create", without_replicas, "apps/v1"),
        entry("kubectl-label", {"f:metadata": {"f:labels": {"f:tier": {}}}}, "apps/v1"),
    ]

    # kubectl apply of a manifest with another image: client-side apply owns the annotation it adds and the
    # image it changes; the creator keeps the rest of the container.
    Path("deploy.yaml").write_text(textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx
          labels: {app: nginx}
        spec:
          selector:
            matchLabels: {app: nginx}
          template:
            metadata:
              labels: {app: nginx}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        """))
    assert kauth("apply", "-f", "deploy.yaml").exit_code == 0
    entries = {e["manager"]: e for e in managed(kauth, "deployment", "nginx")}
    assert entries["kubectl-client-side-apply"] == entry("kubectl-client-side-apply", {
        "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
        "f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"nginx"}': {"f:image": {}}}}}}},
        "apps/v1")
    container = entries["kubectl-create"]["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]
    assert "f:image" not in container['k:{"name":"nginx"}'] and "f:name" in container['k:{"name":"nginx"}']
    assert entries["kubectl"]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}


def test_an_empty_managed_fields_list_resets_them(kauth):
    # TestClearManagedFieldsWithMergePatch / ...WithStrategicMergePatch (test/integration/apiserver/apply).
    assert kauth("create", "configmap", "c", "--from-literal=k=v").exit_code == 0
    for patch_type in ("merge", "strategic"):
        result = kauth("patch", "configmap", "c", "--type", patch_type, "-p", '{"metadata":{"managedFields":[{}]}}')
        assert result.exit_code == 0, result.output
        shown = json.loads(kauth("get", "configmap", "c", "-o", "json", "--show-managed-fields").stdout)
        assert "managedFields" not in shown["metadata"]
