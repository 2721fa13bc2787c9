"""kauth's speed, measured: each number printed next to a baseline measured in the same run.

    python benchmarks/run.py [--objects 10000] [--repeat 5]

- CLI start-up: `kauth --help` against `python -c pass` (the interpreter's own start-up).
- One create: `kauth create -f pod.yaml` (a new process, a SQLite state) against `kauth --help`.
- Bulk create: N ConfigMaps from one file through the whole pipeline into SQLite, objects/s,
  against writing the same objects straight into the store (the pipeline's overhead).
- get -A: listing N objects through the pipeline and printing the table, against a raw store list.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(fn, repeat: int) -> float:
    """Median wall time of fn() over `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(*args: str, cwd: Path, env: dict) -> None:
    subprocess.run([sys.executable, *args], cwd=cwd, env=env, check=True, capture_output=True)


def report(name: str, value: float, unit: str, baseline_name: str, baseline: float) -> None:
    print(f"{name:<34} {value * 1000 if unit == 'ms' else value:>10.1f} {unit:<10} "
          f"baseline {baseline_name}: {baseline * 1000 if unit == 'ms' else baseline:.1f} {unit}  "
          f"ratio {value / baseline if baseline else float('nan'):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kauth-bench-"))
    # The checkout first on the path: the code under measurement, installed or not.
    repo = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "KAUTH_STATE": str(work / "state.db"),
           "PYTHONPATH": os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")]))}
    run("-m", "kauth", "init", cwd=work, env=env)

    python_start = timed(lambda: run("-c", "pass", cwd=work, env=env), options.repeat)
    help_start = timed(lambda: run("-m", "kauth", "--help", cwd=work, env=env), options.repeat)
    report("CLI start-up (kauth --help)", help_start, "ms", "python -c pass", python_start)

    (work / "pod.yaml").write_text(json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bench"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}))
    one = timed(lambda: (run("-m", "kauth", "create", "-f", "pod.yaml", cwd=work, env=env),
                         run("-m", "kauth", "delete", "pod", "bench", cwd=work, env=env)), options.repeat) / 2
    report("one create (new process)", one, "ms", "kauth --help", help_start)

    sys.path.insert(0, repo)
    from kauth.cluster import Cluster
    from kauth.kubectl.client import Client
    from kauth.kubectl.create import create
    from kauth.kubectl.get import get
    from kauth.kubectl.loader import read_manifests
    from kauth.store.base import Key
    from kauth.store.sqlite import SqliteStore

    items = [{"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": f"cm-{i:05d}", "namespace": "default", "labels": {"bench": "yes"}},
              "data": {"index": str(i), "payload": "x" * 200}} for i in range(options.objects)]
    bulk = work / "bulk.json"
    bulk.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))

    raw = SqliteStore(work / "raw.db", create=True)
    start = time.perf_counter()
    for obj in items:
        raw.create(Key("", "configmaps", "default", obj["metadata"]["name"]), obj)
    raw_rate = options.objects / (time.perf_counter() - start)

    cluster = Cluster.open(work / "state.db")
    start = time.perf_counter()
    outcome = create(Client(cluster), read_manifests([str(bulk)]))
    elapsed = time.perf_counter() - start
    assert not outcome.errors, outcome.stderr[:500]
    rate = options.objects / elapsed
    print(f"{'bulk create from one file':<34} {rate:>10.0f} objects/s  baseline raw SqliteStore.create: "
          f"{raw_rate:.0f} objects/s  ratio {raw_rate / rate:.2f}x slower ({elapsed:.1f} s for {options.objects})")

    raw_list = timed(lambda: raw.list("", "configmaps"), options.repeat)
    get_all = timed(lambda: get(Client(cluster), ["configmaps"], all_namespaces=True), options.repeat)
    report(f"get configmaps -A ({options.objects})", get_all, "ms", "raw store list", raw_list)
    cli_get = timed(lambda: run("-m", "kauth", "get", "configmaps", "-A", cwd=work, env=env), 1)
    report("kauth get configmaps -A (process)", cli_get, "ms", "kauth --help", help_start)


if __name__ == "__main__":
    main()
