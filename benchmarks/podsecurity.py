"""PodSecurity admission, measured: the cost of one validate() call, against baselines measured in the same run.

    python benchmarks/podsecurity.py [--seconds 1.0]

- A Pod with 50 containers (25 init, 25 app), each restricted-compliant so every check walks every container
  and none stops early, evaluated at
  restricted:latest, baseline:latest and privileged, against a trivial plugin (handles + an empty Verdict) and
  against the plugin in a fully privileged namespace (upstream's short-circuit).
- The same Pod with every container violating restricted (the error message is built: 50 names per check).
- The whole conformance fixture suite (148 pods, tests/admission/fixtures/pod-security) at its levels: per-request
  cost averaged over the suite.
- The same suite end to end: each pod a server-side dry-run create through the whole pipeline (authentication,
  RBAC, every default admission plugin, validation), in namespaces enforcing each level, against the same
  requests in a namespace without PodSecurity labels.
Per-request figures are microseconds; ratios are against the trivial plugin (the pipeline's: against the
unlabelled namespace).
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not

from kauth.admission.chain import CREATE, Attributes, Verdict  # noqa: E402
from kauth.admission.podsecurity import PodSecurity  # noqa: E402
from kauth.api.defaults import apply_defaults  # noqa: E402
from kauth.api.errors import StatusError  # noqa: E402
from kauth.api.resources import ResourceTable  # noqa: E402
from kauth.authn.user import CLUSTER_ADMIN  # noqa: E402

FIXTURES = ROOT / "tests" / "admission" / "fixtures" / "pod-security"
POD = ResourceTable.builtin().for_kind("v1", "Pod")


class State:
    """Namespaces by name, each with its PodSecurity labels."""

    def __init__(self, labels_by_namespace: dict[str, dict[str, str]]):
        self.namespaces = {name: {"metadata": {"name": name, "labels": labels}}
                           for name, labels in labels_by_namespace.items()}

    def get(self, group, resource, namespace, name):
        return self.namespaces.get(name)

    def list(self, group, resource, namespace=None):
        return []


class Trivial:
    """The floor: a validating plugin that looks at nothing."""

    name = "Trivial"

    def handles(self, attributes: Attributes) -> bool:
        return attributes.operation == CREATE

    def validate(self, attributes: Attributes, state) -> Verdict:
        return Verdict(attributes.object, "nothing checked")


def wide_pod(containers: int, compliant: bool) -> dict:
    security_context = ({"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True,
                         "seccompProfile": {"type": "RuntimeDefault"}} if compliant else {"privileged": True})

    def container(prefix: str, i: int) -> dict:
        return {"name": f"{prefix}{i}", "image": f"registry.example/app:{i}", "ports": [{"containerPort": 8000 + i}],
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8000 + i}},
                "securityContext": copy.deepcopy(security_context)}

    half = containers // 2
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "wide"},
           "spec": {"initContainers": [container("init", i) for i in range(half)],
                    "containers": [container("app", i) for i in range(containers - half)],
                    "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                    "volumes": [{"name": f"v{i}", "configMap": {"name": f"cm{i}"}} for i in range(10)]}}
    return apply_defaults(POD, pod)


def attributes(pod: dict, namespace: str) -> Attributes:
    return Attributes(CREATE, POD, namespace, pod["metadata"]["name"], pod, None, CLUSTER_ADMIN)


def per_call_us(calls: list, plugin, state: State, seconds: float) -> float:
    """Microseconds per validate(), cycling through `calls` (denials count: they raise StatusError)."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for request in calls:
            try:
                plugin.validate(request, state)
            except StatusError:
                pass
        count += len(calls)
    return (time.perf_counter() - start) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--containers", type=int, default=50)
    options = parser.parse_args()
    state = State({level: {"pod-security.kubernetes.io/enforce": level, "pod-security.kubernetes.io/warn": level}
                   for level in ("privileged", "baseline", "restricted")} | {"unlabelled": {}})
    plugin = PodSecurity()

    compliant = wide_pod(options.containers, compliant=True)
    violating = wide_pod(options.containers, compliant=False)
    floor = per_call_us([attributes(compliant, "restricted")], Trivial(), state, options.seconds)
    rows = [
        ("trivial plugin (floor)", floor),
        ("privileged (no labels: short-circuit)", per_call_us([attributes(compliant, "unlabelled")], plugin, state,
                                                              options.seconds)),
        ("privileged (labelled)", per_call_us([attributes(compliant, "privileged")], plugin, state, options.seconds)),
        ("baseline, compliant", per_call_us([attributes(compliant, "baseline")], plugin, state, options.seconds)),
        ("restricted, compliant", per_call_us([attributes(compliant, "restricted")], plugin, state, options.seconds)),
        ("restricted, every container violating", per_call_us([attributes(violating, "restricted")], plugin, state,
                                                               options.seconds)),
    ]
    print(f"one Pod with {options.containers} containers (validate() per request)")
    print(f"{'case':<42} {'us/request':>11} {'vs floor':>9}")
    for name, us in rows:
        print(f"{name:<42} {us:>11.1f} {us / floor:>8.1f}x")

    suite = []
    for path in sorted(FIXTURES.glob("*/v1.37/*/*.yaml")):
        pod = yaml.safe_load(path.read_text())
        pod["metadata"]["name"] = "test"
        level = path.parts[-4]
        suite.append(attributes(apply_defaults(POD, pod), level))
    suite_floor = per_call_us(suite, Trivial(), state, options.seconds)
    suite_us = per_call_us(suite, plugin, state, options.seconds)
    privileged = [attributes(a.object, "privileged") for a in suite]
    suite_privileged = per_call_us(privileged, plugin, state, options.seconds)
    print(f"\nconformance fixture suite ({len(suite)} pods, each at its level; per request, averaged)")
    print(f"{'case':<42} {'us/request':>11} {'vs floor':>9}")
    for name, us in (("trivial plugin (floor)", suite_floor), ("all at privileged", suite_privileged),
                     ("each at its level", suite_us)):
        print(f"{name:<42} {us:>11.1f} {us / suite_floor:>8.1f}x")
    print(f"whole suite at its levels: {suite_us * len(suite) / 1000:.2f} ms")
    end_to_end(suite, options.seconds)


def end_to_end(suite: list, seconds: float) -> None:
    """The fixture pods as dry-run creates through Cluster.handle, each in a namespace enforcing its level."""
    from kauth.apiserver.request import Credentials, Request
    from kauth.authn.user import CLUSTER_ADMIN as ADMIN
    from kauth.cluster import Cluster

    cluster = Cluster.in_memory()
    credentials = Credentials(asserted_user=ADMIN)
    for level in ("baseline", "restricted", "unlabelled"):
        labels = {} if level == "unlabelled" else {"pod-security.kubernetes.io/enforce": level}
        cluster.handle(Request("create", "", "v1", "namespaces", body={
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": level, "labels": labels}},
            credentials=credentials))

    def requests(at_level: bool) -> list:
        out = []
        for a in suite:
            pod = {k: v for k, v in a.object.items() if k != "status"}
            out.append(Request("create", "", "v1", "pods", a.namespace if at_level else "unlabelled", body=pod,
                               credentials=credentials, dry_run=True))
        return out

    def per_request_us(batch: list) -> float:
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for request in batch:
                cluster.handle(request)
            count += len(batch)
        return (time.perf_counter() - start) / count * 1e6

    unlabelled = per_request_us(requests(False))
    levelled = per_request_us(requests(True))
    print(f"\nthe suite end to end (server dry-run creates through the whole pipeline, {len(suite)} pods)")
    print(f"{'case':<42} {'us/request':>11} {'vs baseline':>12}")
    print(f"{'namespace without PodSecurity labels':<42} {unlabelled:>11.1f} {1.0:>11.1f}x")
    print(f"{'namespace enforcing the pod level':<42} {levelled:>11.1f} {levelled / unlabelled:>11.1f}x")


if __name__ == "__main__":
    main()
