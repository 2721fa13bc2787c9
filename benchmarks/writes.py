"""Cost of a write through the whole pipeline: creates of ConfigMaps and Deployments, then updates of them.

    python benchmarks/writes.py [--configmaps 1000] [--deployments 100] [--repeat 3]

Prints CPU milliseconds per request (process time: steady on a shared machine); run before and after a change to the write path to see what it costs
(managedFields bookkeeping runs on every create, update and patch).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not

from kauth.apiserver.request import Credentials, Request  # noqa: E402
from kauth.authn.user import CLUSTER_ADMIN  # noqa: E402
from kauth.cluster import Cluster  # noqa: E402

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


def configmap(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}", "labels": {"app": "bench"}},
            "data": {f"key{k}": f"value-{i}-{k}" for k in range(5)}}


def deployment(i: int) -> dict:
    labels = {"app": f"web-{i}"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"web-{i}", "labels": labels},
            "spec": {"replicas": 2, "selector": {"matchLabels": labels}, "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                                         "env": [{"name": "MODE", "value": "bench"}]}]}}}}


def timed(cluster: Cluster, requests: list[Request]) -> float:
    start = time.process_time()
    for request in requests:
        response = cluster.handle(request)
        assert response.ok, response.body
    return (time.process_time() - start) * 1000 / len(requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configmaps", type=int, default=1000)
    parser.add_argument("--deployments", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest is shown")
    args = parser.parse_args()
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, ms in run(args.configmaps, args.deployments):
            best[name] = min(ms, best.get(name, ms))
    for name, ms in best.items():
        print(f"{name:28} {ms:7.3f} ms CPU/request")


def run(configmaps: int, deployments: int) -> list[tuple[str, float]]:
    cluster = Cluster.in_memory()

    def create(group: str, resource: str, body: dict) -> Request:
        return Request("create", group, "v1", resource, "default", body=body, field_manager="kubectl-create",
                       credentials=ADMIN)

    def label(group: str, resource: str, name: str) -> Request:
        return Request("patch", group, "v1", resource, "default", name, patch_type="merge",
                       body={"metadata": {"labels": {"tier": "x"}}}, field_manager="kubectl-label",
                       credentials=ADMIN)

    return [
        ("create ConfigMap", timed(cluster, [create("", "configmaps", configmap(i)) for i in range(configmaps)])),
        ("create Deployment", timed(cluster, [create("apps", "deployments", deployment(i))
                                              for i in range(deployments)])),
        ("label ConfigMap (patch)", timed(cluster, [label("", "configmaps", f"cm-{i}") for i in range(configmaps)])),
        ("label Deployment (patch)", timed(cluster, [label("apps", "deployments", f"web-{i}")
                                                     for i in range(deployments)])),
    ]


if __name__ == "__main__":
    main()
