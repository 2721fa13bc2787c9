"""Policy test cases per second: a generated suite of N cases through `kauth test`'s runner, beside baselines
measured in the same run.

    python benchmarks/policy_tests.py [--cases 1000]

The suite tests the shipped policies/: a third raw reads (dana, ci, anonymous, a user nobody bound; allowed
and forbidden), a third raw writes (ConfigMaps and Deployments in dev, allowed and forbidden), a third kubectl
command lines (get, create -f, apply -f). Each case is judged (result, code, message) and starts from the
suite's starting state. Baselines:
- bare handle: the same raw requests as bare `Cluster.handle` calls on one cluster (no isolation, no judging):
  the pipeline's own cost;
- copy per case: `Cluster.copy()` then `handle` for each raw request: isolation by a copy for every case.
A case that wrote leaves its copy to be thrown away, so a write-heavy suite costs about one `Cluster.copy()` (and
the RBAC policy's rebuild at the copy's first question) per writing case: that is where the time goes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not

import yaml  # noqa: E402

from kauth.testing.runner import StartStates, build_request, credentials_for, run_suites  # noqa: E402
from kauth.testing.suite import load  # noqa: E402

DANA = {"user": "dana", "groups": ["dev-team"]}
READS = [
    (DANA, {"verb": "list", "resource": "pods", "namespace": "dev"}, "allowed"),
    (DANA, {"verb": "get", "resource": "secrets", "namespace": "dev", "name": "db"}, "forbidden"),
    ({"serviceaccount": "dev/ci"}, {"verb": "list", "resource": "deployments.apps", "namespace": "dev"}, "allowed"),
    ({"anonymous": True}, {"verb": "list", "resource": "pods", "namespace": "dev"}, "forbidden"),
    ({"user": "nobody"}, {"verb": "get", "resource": "configmaps", "namespace": "dev", "name": "x"}, "forbidden"),
    ({"token": "dana-dev-token-0123456789abcdef"}, {"verb": "list", "resource": "services", "namespace": "dev"},
     "allowed"),
]


def configmap(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"}, "data": {"i": str(i)}}


def deployment(i: int) -> dict:
    labels = {"app": f"web-{i}"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"web-{i}"},
            "spec": {"selector": {"matchLabels": labels}, "template": {
                "metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}


def writes(i: int) -> tuple[dict, dict, str]:
    kind = i % 3
    if kind == 0:
        return DANA, {"verb": "create", "resource": "configmaps", "namespace": "dev", "body": configmap(i)}, "allowed"
    if kind == 1:
        return DANA, {"verb": "create", "resource": "deployments.apps", "namespace": "dev", "body": deployment(i)}, \
            "allowed"
    return DANA, {"verb": "create", "resource": "deployments.apps", "namespace": "default", "body": deployment(i)}, \
        "forbidden"


COMMANDS = [
    (DANA, "get pods -n dev", "allowed"),
    (DANA, "get secrets -n dev", "forbidden"),
    (DANA, "create -f manifests/deployment-configapp-env.yaml -n dev", "allowed"),
    ({"serviceaccount": "dev/ci"}, "apply -f manifests/configmap-config-dev.yaml -n dev", "allowed"),
    ({}, "create -f manifests/pod-nginx.yaml -n restricted", "forbidden"),
]


def generate(count: int) -> tuple[dict, list[tuple[dict, dict]]]:
    cases, raw = [], []
    for i in range(count):
        family = i % 3
        if family == 0:
            identity, request, result = READS[(i // 3) % len(READS)]
            raw.append((identity, request))
            cases.append({"name": f"read {i}", **identity, "request": request, "expect": {"result": result}})
        elif family == 1:
            identity, request, result = writes(i)
            raw.append((identity, request))
            cases.append({"name": f"write {i}", **identity, "request": request, "expect": {"result": result}})
        else:
            identity, line, result = COMMANDS[(i // 3) % len(COMMANDS)]
            cases.append({"name": f"command {i}", **identity, "run": line, "expect": {"result": result}})
    return {"name": "generated", "root": str(ROOT), "policies": "policies", "cases": cases}, raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    suite_data, raw = generate(args.cases)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(suite_data, sort_keys=False))
        suite = load(path)

    states = StartStates(ROOT / "policies")
    began = time.perf_counter()
    start = states.build(suite)
    build_seconds = time.perf_counter() - began

    began = time.perf_counter()
    results, _ = run_suites([suite], states=states)
    run_seconds = time.perf_counter() - began
    failed = [r for r in results if not r.passed]
    assert not failed, [(r.id, r.failures) for r in failed[:5]]
    rate = len(results) / run_seconds

    raw_cases = [c for c in suite.cases if c.request is not None]
    bare = start.copy()
    requests = [build_request(bare, c.request, *credentials_for(c.identity)) for c in raw_cases]
    began = time.perf_counter()
    for request in requests:
        bare.handle(request)
    bare_rate = len(requests) / (time.perf_counter() - began)

    sample = requests[: max(1, min(len(requests), 150))]
    began = time.perf_counter()
    for request in sample:
        start.copy().handle(request)
    copy_rate = len(sample) / (time.perf_counter() - began)

    copies = max(1, min(len(requests), 40))
    began = time.perf_counter()
    for _ in range(copies):
        start.copy()
    copy_only = (time.perf_counter() - began) / copies

    writing = sum(1 for r in results if any(x.ok and x.request.verb in ("create", "update", "patch", "delete")
                                            and not x.request.dry_run for x in r.responses))
    print(f"generated suite: {len(results)} cases, all passed; starting state built once in {build_seconds:.2f} s")
    print(f"{'kauth test runner, whole suite':<46} {rate:>8.0f} cases/s   ({run_seconds:.2f} s; {writing} cases "
          "wrote, so the next case needed a fresh copy)")
    from dataclasses import replace

    reads = replace(suite, cases=tuple(c for c in suite.cases if c.name.startswith("read")))
    began = time.perf_counter()
    read_results, _ = run_suites([reads], states=states)
    read_rate = len(read_results) / (time.perf_counter() - began)
    print(f"{'  its raw reads alone (one copy, reused)':<46} {read_rate:>8.0f} cases/s   ({len(read_results)} cases)")
    print(f"{'baseline: bare Cluster.handle, one cluster':<46} {bare_rate:>8.0f} requests/s"
          f"   the runner's raw cases run at {_raw_rate(results) / bare_rate:.2f}x of it")
    print(f"{'baseline: Cluster.copy() + handle per request':<46} {copy_rate:>8.0f} requests/s"
          f"   the runner's raw cases run at {_raw_rate(results) / copy_rate:.2f}x of it")
    print(f"{'  of which Cluster.copy() alone':<46} {copy_only * 1000:>8.1f} ms per copy")


def _raw_rate(results) -> float:
    raw = [r for r in results if r.case.request is not None]
    return len(raw) / sum(r.seconds for r in raw)


if __name__ == "__main__":
    main()
