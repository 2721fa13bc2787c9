"""Client-side apply, measured: kauth's three-way patch and apply against the real kubectl in the same run.

    python benchmarks/apply.py [--containers 500] [--objects 5000] [--kubectl-sample 40]

- One Deployment with N containers, applied, then re-applied with every image and some env changed:
  the three-way strategic merge patch alone, and the whole `apply` (GET, patch, PATCH through the pipeline,
  in memory), against `kubectl patch --local` applying the same patch to the same object once.
- M mixed manifests (ConfigMaps, Deployments, Services, Pods, custom resources) in one `apply` run over an
  applied state: objects/s, against `kubectl patch --local` once per object (timed on a sample, as a rate).
kubectl's time is mostly its start-up: that is the point of the comparison (a what-if tool that calls
kubectl once per object pays it every time).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not

from kauth.cluster import Cluster  # noqa: E402
from kauth.kubectl.apply import apply, three_way_patch  # noqa: E402
from kauth.kubectl.builder import target_for_document  # noqa: E402
from kauth.kubectl.client import Client  # noqa: E402
from kauth.kubectl.last_applied import with_last_applied  # noqa: E402
from kauth.kubectl.loader import Document  # noqa: E402

KUBECTL = shutil.which("kubectl")


def wide_deployment(containers: int, version: int) -> dict:
    def container(i: int) -> dict:
        env = [{"name": f"E{j}", "value": f"v{version if j == i % 3 else 0}"} for j in range(3)]
        return {"name": f"c{i}", "image": f"registry.example.com/app{i}:{version}", "env": env,
                "ports": [{"containerPort": 8000 + i}]}

    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "wide", "labels": {"app": "wide"}},
            "spec": {"selector": {"matchLabels": {"app": "wide"}},
                     "template": {"metadata": {"labels": {"app": "wide"}},
                                  "spec": {"containers": [container(i) for i in range(containers)]}}}}


def mixed(i: int, version: int) -> dict:
    """The i-th of a mix of kinds, as a file would have it in its `version`-th revision."""
    name = f"obj-{i}"
    labels = {"app": f"app-{i % 50}", "rev": str(version)}
    kind = i % 5
    if kind == 0:
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels},
                "data": {f"k{j}": f"{version}-{j}" for j in range(5)}}
    if kind == 1:
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels},
                "spec": {"replicas": 1 + version % 3, "selector": {"matchLabels": {"app": name}},
                         "template": {"metadata": {"labels": {"app": name}},
                                      "spec": {"containers": [{"name": "app", "image": f"app:{version}"},
                                                              {"name": "sidecar", "image": "proxy:1"}]}}}}
    if kind == 2:
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
                "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080 + version}]}}
    if kind == 3:
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
                "spec": {"containers": [{"name": "app", "image": f"app:{version}",  # a Pod may change images only
                                         "env": [{"name": "V", "value": "1"}]}]}}
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name, "labels": labels},
            "spec": {"items": [f"x{version}", "y"], "size": version}}


WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "schema": {"openAPIV3Schema": {"type": "object",
                                                          "x-kubernetes-preserve-unknown-fields": True}}}]}}


def docs(objects: list[dict]) -> list[Document]:
    return [Document(f"obj-{i}.yaml", o, None) for i, o in enumerate(objects)]


def applied_client(objects: list[dict]) -> Client:
    cluster = Cluster.in_memory(policies=None)
    client = Client(cluster)
    outcome = apply(client, docs([WIDGET_CRD]))
    assert not outcome.errors, outcome.stderr
    outcome = apply(client, docs(objects))
    assert not outcome.errors, outcome.stderr
    return client


def kubectl_patch_seconds(live: dict, patch: dict, patch_type: str, folder: Path) -> float:
    """One `kubectl patch --local` of `live` by `patch`: wall time, checked to succeed."""
    path, patch_path = folder / "live.json", folder / "patch.json"
    path.write_text(json.dumps(live))
    patch_path.write_text(json.dumps(patch))  # --patch-file: a 500-container patch is too long for argv
    start = time.perf_counter()
    proc = subprocess.run([KUBECTL, "patch", "-f", str(path), "--local", "--type", patch_type, "--patch-file",
                           str(patch_path), "-o", "json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    return elapsed


def patch_for(client: Client, obj: dict) -> tuple[dict, dict, str]:
    """(live, patch, type) kauth computes for applying `obj` over what the client's state holds."""
    target = target_for_document(client.table(), obj, "x.yaml", "default", False)
    live = client.send("get", target.rt, target.namespace, target.name).body
    patch, patch_type = three_way_patch(target, with_last_applied(target.obj), live)
    return live, patch, patch_type


def line(name: str, ours: float, unit: str, baseline_name: str, baseline: float, higher_is_better: bool) -> None:
    ratio = (ours / baseline) if higher_is_better else (baseline / ours)
    print(f"{name:<46} {ours:>10.2f} {unit:<9} {baseline_name}: {baseline:>9.2f} {unit:<9} kauth is {ratio:,.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--containers", type=int, default=500)
    parser.add_argument("--objects", type=int, default=5000)
    parser.add_argument("--kubectl-sample", type=int, default=40)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kauth-apply-bench-"))
    if KUBECTL is None:
        print("kubectl not on PATH: the baselines need the real kubectl v1.32", file=sys.stderr)
        sys.exit(2)

    # -- one wide Deployment ---------------------------------------------------------------------------
    before, after = wide_deployment(options.containers, 1), wide_deployment(options.containers, 2)
    client = applied_client([before])
    live, patch, patch_type = patch_for(client, after)
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        patch_for(client, after)
    patch_ms = (time.perf_counter() - start) / rounds * 1000
    applies = []
    for _ in range(rounds):
        fresh = applied_client([before])
        start = time.perf_counter()
        outcome = apply(fresh, docs([after]))
        applies.append(time.perf_counter() - start)
        assert outcome.text == "deployment.apps/wide configured\n", outcome.text + outcome.stderr
    apply_ms = sorted(applies)[rounds // 2] * 1000
    kubectl_ms = sorted(kubectl_patch_seconds(live, patch, patch_type, folder) for _ in range(rounds))[rounds // 2] * 1000
    print(f"# one Deployment with {options.containers} containers, every image and a third of the env changed")
    line("three-way patch (ms)", patch_ms, "ms", "kubectl patch --local", kubectl_ms, False)
    line("apply: GET + patch + PATCH through pipeline (ms)", apply_ms, "ms", "kubectl patch --local", kubectl_ms, False)

    # -- many mixed manifests -------------------------------------------------------------------------
    first = [mixed(i, 1) for i in range(options.objects)]
    second = [mixed(i, 2) for i in range(options.objects)]
    client = applied_client(first)
    start = time.perf_counter()
    outcome = apply(client, docs(second))
    elapsed = time.perf_counter() - start
    assert not outcome.errors and outcome.text.count(" configured\n") == options.objects, outcome.stderr[:500]
    ours = options.objects / elapsed
    step = max(1, options.objects // options.kubectl_sample)
    sample = [patch_for(applied_client([first[i]]), second[i]) for i in range(0, options.objects, step)]
    kubectl_total = sum(kubectl_patch_seconds(live, patch, patch_type, folder) for live, patch, patch_type in sample)
    theirs = len(sample) / kubectl_total
    print(f"# {options.objects} mixed manifests (ConfigMap, Deployment, Service, Pod, custom resource) re-applied "
          "in one run")
    line("apply, objects/s", ours, "obj/s", f"kubectl patch --local x{len(sample)}", theirs, True)
    print(f"  (kauth: {elapsed:.1f} s for all {options.objects}; kubectl: {kubectl_total / len(sample) * 1000:.0f} ms "
          "per object)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
