"""The example manifests (manifests/): documented, readable, and valid for a v1.37 API server.

Each top-level file must load with kauth's loader and be accepted by the real kubectl
(`kubectl create -f FILE --dry-run=client -o name`) against a discovery that serves exactly the
kinds kauth's resource table serves. manifests/legacy/ holds the one deliberately stale object.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from discovery_stub import DiscoveryStub
from kauth.api.resources import NoKindMatch, ResourceTable
from kauth.kubectl.loader import read_manifests

MANIFESTS = Path(__file__).resolve().parents[2] / "manifests"
TOP_LEVEL = sorted(p.name for p in MANIFESTS.glob("*.yaml"))
LEGACY = MANIFESTS / "legacy" / "ingress-extensions-v1beta1.yaml"

# What the learning material needs, and where each object lives.
EXPECTED = {
    "pod-nginx.yaml": [("Pod", "my-nginx")],
    "pod-restricted.yaml": [("Pod", "hardened-nginx")],
    "service-nginx-nodeport.yaml": [("Service", "my-nginx")],
    "car-sharing-services.yaml": [("Service", "reservation-svc"), ("Service", "vehicle-svc")],
    "ingress-car-sharing.yaml": [("Ingress", "car-sharing-ingress")],
    "configmap-config-dev.yaml": [("ConfigMap", "config-dev")],
    "deployment-configapp-env.yaml": [("Deployment", "configapp")],
    "deployment-configapp-envfrom.yaml": [("Deployment", "configapp")],
    "deployment-configapp-volume.yaml": [("Deployment", "configapp")],
    "daemonset-fluentd.yaml": [("DaemonSet", "log-agent")],
    "statefulset-web.yaml": [("Service", "nginx"), ("StatefulSet", "web")],
    "persistentvolume-hostpath.yaml": [("PersistentVolume", "pv-manual")],
    "persistentvolumeclaim.yaml": [("PersistentVolumeClaim", "pvc-manual")],
    "replicationcontroller-kubia.yaml": [("ReplicationController", "kubia")],
}


def objects(name: str) -> list[dict]:
    documents = read_manifests([str(MANIFESTS / name)])
    assert [d.error for d in documents if d.error] == []
    return [d.obj for d in documents]


def test_the_expected_files_and_only_those_are_at_the_top_level():
    assert TOP_LEVEL == sorted(EXPECTED)


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_each_manifest_loads_as_the_objects_it_is_about(name):
    assert [(o["kind"], o["metadata"]["name"]) for o in objects(name)] == EXPECTED[name]


@pytest.mark.parametrize("name", TOP_LEVEL + ["legacy/ingress-extensions-v1beta1.yaml"])
def test_each_manifest_starts_with_its_lesson(name):
    lines = (MANIFESTS / name).read_text().splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    text = "\n".join(header)
    assert len(header) >= 6, "a comment block saying what it is, what it teaches and how to try it"
    assert "What it teaches" in text and "Try it with kauth" in text
    assert f"kauth create -f manifests/{name}" in text or f"manifests/{name}" in text


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_no_manifest_sets_a_namespace(name):
    assert all("namespace" not in o["metadata"] for o in objects(name))


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_kind_is_served_by_a_v1_37_api_server(name):
    table = ResourceTable.builtin()
    for obj in objects(name):
        table.for_kind(obj["apiVersion"], obj["kind"])


def test_the_legacy_ingress_is_the_only_extensions_v1beta1_object():
    stale = [(path.relative_to(MANIFESTS).as_posix(), d.obj["kind"])
             for path in sorted(MANIFESTS.rglob("*.yaml"))
             for d in read_manifests([str(path)]) if d.obj and d.obj["apiVersion"] == "extensions/v1beta1"]
    assert stale == [("legacy/ingress-extensions-v1beta1.yaml", "Ingress")]
    with pytest.raises(NoKindMatch):
        ResourceTable.builtin().for_kind("extensions/v1beta1", "Ingress")


def test_both_ingress_forms_route_the_same_paths_to_the_same_services():
    (legacy,) = [d.obj for d in read_manifests([str(LEGACY)])]
    (current,) = objects("ingress-car-sharing.yaml")
    old = [(p["path"], p["backend"]["serviceName"], p["backend"]["servicePort"])
           for p in legacy["spec"]["rules"][0]["http"]["paths"]]
    new = [(p["path"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]["number"])
           for p in current["spec"]["rules"][0]["http"]["paths"]]
    assert old == new == [("/reservation", "reservation-svc", 80), ("/vehicle", "vehicle-svc", 80)]
    assert "host" not in current["spec"]["rules"][0]


def test_the_nodeport_service_selects_the_nginx_pod():
    (pod,) = objects("pod-nginx.yaml")
    (service,) = objects("service-nginx-nodeport.yaml")
    assert service["spec"]["type"] == "NodePort"
    assert service["spec"]["selector"] == pod["metadata"]["labels"] == {"app": "my-nginx"}
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [
        ("http", 8080, 80), ("https", 443, 80)]
    assert pod["spec"]["containers"][0]["image"] == "nginx"
    assert pod["spec"]["containers"][0]["ports"] == [{"containerPort": 80}]


def test_the_three_configapp_styles_use_config_dev():
    (env,) = objects("deployment-configapp-env.yaml")
    (env_from,) = objects("deployment-configapp-envfrom.yaml")
    (volume,) = objects("deployment-configapp-volume.yaml")
    (config,) = objects("configmap-config-dev.yaml")
    container = env["spec"]["template"]["spec"]["containers"][0]
    refs = [e["valueFrom"]["configMapKeyRef"] for e in container["env"]]
    assert {r["name"] for r in refs} == {"config-dev"} and all(r["key"] in config["data"] for r in refs)
    assert env_from["spec"]["template"]["spec"]["containers"][0]["envFrom"] == [{"configMapRef": {"name": "config-dev"}}]
    assert volume["spec"]["template"]["spec"]["volumes"][0]["configMap"] == {"name": "config-dev"}
    assert all(isinstance(v, str) for v in config["data"].values())


def test_the_statefulset_has_its_headless_service_and_claim_templates():
    service, statefulset = objects("statefulset-web.yaml")
    assert service["spec"]["clusterIP"] == "None"
    assert statefulset["spec"]["serviceName"] == service["metadata"]["name"]
    assert statefulset["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "www"


def test_the_claim_binds_to_the_volume_by_class_and_size():
    (volume,) = objects("persistentvolume-hostpath.yaml")
    (claim,) = objects("persistentvolumeclaim.yaml")
    assert "hostPath" in volume["spec"]
    assert volume["spec"]["storageClassName"] == claim["spec"]["storageClassName"]
    assert volume["spec"]["capacity"]["storage"] == claim["spec"]["resources"]["requests"]["storage"]
    assert set(claim["spec"]["accessModes"]) <= set(volume["spec"]["accessModes"])


def test_kubia_runs_three_replicas_of_luksa_kubia():
    (rc,) = objects("replicationcontroller-kubia.yaml")
    assert rc["spec"]["replicas"] == 3
    assert rc["spec"]["template"]["spec"]["containers"][0]["image"] == "luksa/kubia"
    assert rc["spec"]["selector"] == rc["spec"]["template"]["metadata"]["labels"]


def test_the_readme_lists_every_manifest():
    readme = (MANIFESTS / "README.md").read_text()
    for name in TOP_LEVEL + ["legacy/ingress-extensions-v1beta1.yaml"]:
        assert f"`{name}`" in readme


# --- the real kubectl, against a discovery of what kauth serves --------------------------------

KUBECTL = shutil.which("kubectl")
requires_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl binary not on PATH: kubectl create "
                                                               "--dry-run=client checks the manifests")


@pytest.fixture(scope="module")
def kubectl():
    with DiscoveryStub() as stub:
        def run(*args: str) -> subprocess.CompletedProcess:
            code, out, err = stub.kubectl(list(args), cwd=str(MANIFESTS.parent))
            return subprocess.CompletedProcess(args, code, out, err)

        yield run


def kubectl_name(obj: dict) -> str:
    group = obj["apiVersion"].split("/")[0] if "/" in obj["apiVersion"] else ""
    return f"{obj['kind'].lower()}{'.' + group if group else ''}/{obj['metadata']['name']}"


@requires_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("name", TOP_LEVEL)
def test_kubectl_accepts_each_manifest(kubectl, name):
    # --validate=false: the discovery stub serves no OpenAPI; kauth's loader checks apiVersion and kind
    proc = kubectl("create", "-f", f"manifests/{name}", "--dry-run=client", "-o", "name", "--validate=false")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.split() == [kubectl_name(o) for o in objects(name)]


@requires_kubectl
@pytest.mark.kubectl
def test_kubectl_refuses_the_legacy_ingress_as_its_comment_says(kubectl):
    path = "manifests/legacy/ingress-extensions-v1beta1.yaml"
    proc = kubectl("create", "-f", path, "--dry-run=client", "-o", "name", "--validate=false")
    assert proc.returncode == 1
    expected = ('error: resource mapping not found for name: "car-sharing-ingress" namespace: "" from '
                f'"{path}": no matches for kind "Ingress" in version "extensions/v1beta1"\n'
                "ensure CRDs are installed first")
    assert proc.stderr.strip() == expected
    comment = " ".join(line.lstrip("#").strip() for line in LEGACY.read_text().splitlines() if line.startswith("#"))
    assert " ".join(expected.split()) in " ".join(comment.split())
