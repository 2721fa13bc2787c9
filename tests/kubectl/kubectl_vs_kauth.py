"""Run the same command lines through the real kubectl v1.32 and through kauth, each on its own copy of one state.

The real kubectl talks HTTPS to `kauth serve`'s front door over its copy; kauth's own CLI runs in-process over
the other. Both servers are kauth's pipeline, so every difference in what is printed, in the exit code or in
the final objects comes from the client side: the patches kubectl computes, what it sends, how it reports.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from kauth.apiserver.http import default_tls, make_server
from kauth.cli.main import cli
from kauth.cluster import Cluster

KUBECTL = shutil.which("kubectl")
POLICIES = Path(__file__).resolve().parents[2] / "policies"
TOKENS = {"admin": "ops-token-fedcba9876543210fedcba98",  # olga, system:masters
          "dana": "dana-dev-token-0123456789abcdef"}  # dana, dev-team (policies/rbac/dev-team.yaml)


@dataclass(frozen=True)
class Ran:
    """What one command printed and returned."""

    stdout: str
    stderr: str
    code: int


_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_DIFF_DIR = re.compile(r"/tmp/(LIVE|MERGED)-[\w]+")
_DIFF_FILE_TIME = re.compile(r"^((?:---|\+\+\+) \S+)\t.*$", re.M)
_AGE = re.compile(r"(?<=\s)\d+(?:s|m\d*s?|h\d*m?|d\d*h?|y\d*d?)(?=\s)")  # a table's AGE cell: "0s", "3m20s", "5d"
_TOKEN_VOLUME = re.compile(r"kube-api-access-[a-z0-9]{5}")  # the ServiceAccount plugin names it at random
_KLOG_HEADER = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ ", re.M)


def normalized(text: str) -> str:
    """Server-chosen uids, timestamps and the ServiceAccount token volume's random suffix, the ages computed from them, kubectl diff's temporary folders and
    klog's line headers (time, pid) made comparable."""
    text = _UID.sub("<uid>", text)
    text = _TIME.sub("<time>", text)
    text = _DIFF_DIR.sub(r"/tmp/\1-<dir>", text)
    text = _KLOG_HEADER.sub(r"\1<klog> ", text)
    text = _AGE.sub("<age>", text)
    text = _TOKEN_VOLUME.sub("kube-api-access-<random>", text)
    return _DIFF_FILE_TIME.sub(r"\1\t<file time>", text)


class Side:
    """One copy of the state and the way one client reaches it."""

    def __init__(self, template: Path, folder: Path, name: str):
        self.state = folder / f"{name}.db"
        shutil.copyfile(template, self.state)
        self.folder = folder

    def run(self, args: list[str]) -> Ran:
        raise NotImplementedError

    def objects(self) -> list[dict]:
        cluster = Cluster.open(self.state, policies=POLICIES)
        try:
            return [obj for _, obj in cluster.store.all_objects()]  # in key order
        finally:
            cluster.close()

    def close(self) -> None:
        pass


class RealKubectl(Side):
    def __init__(self, template: Path, folder: Path):
        super().__init__(template, folder, "kubectl")
        self.cluster = Cluster.open(self.state, policies=POLICIES)
        tls, trust = default_tls(POLICIES, "pki/ca.crt")
        self.server = make_server(self.cluster, tls=tls)
        (folder / "ca.crt").write_bytes(trust)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = ["--server", f"https://127.0.0.1:{self.server.server_address[1]}",
                     "--certificate-authority", str(folder / "ca.crt"), "--kubeconfig", os.devnull,
                     "--cache-dir", str(folder / ".kube-cache")]

    def run(self, args: list[str]) -> Ran:
        env = dict(os.environ, HOME=str(self.folder), KUBECTL_EXTERNAL_DIFF="", PATH=os.environ.get("PATH", ""))
        proc = subprocess.run([KUBECTL, *self.base, *args], capture_output=True, text=True, cwd=self.folder, env=env,
                              timeout=60, stdin=subprocess.DEVNULL)
        return Ran(proc.stdout, proc.stderr, proc.returncode)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.cluster.close()


class Kauth(Side):
    def __init__(self, template: Path, folder: Path):
        super().__init__(template, folder, "kauth")

    def run(self, args: list[str]) -> Ran:
        cwd = os.getcwd()
        os.chdir(self.folder)
        try:
            result = CliRunner().invoke(cli, args, env={"KAUTH_STATE": str(self.state), "KAUTH_POLICIES": str(POLICIES)},
                                        catch_exceptions=False)
        finally:
            os.chdir(cwd)
        return Ran(result.stdout, result.stderr, result.exit_code)


def command(line: str) -> list[str]:
    """A step's command line, as admin unless it names its own --token."""
    args = shlex.split(line)
    for who, token in TOKENS.items():
        args = [a.replace(f"<{who}>", token) for a in args]
    if "--token" in args:
        return args
    end = args.index("--") if "--" in args else len(args)  # after `--` come a container's arguments
    return [*args[:end], "--token", TOKENS["admin"], *args[end:]]


def comparable(obj: dict) -> dict:
    """An object without what the server chose at random or by the clock. managedFields are kept in time order,
    so two writes in the same second on one side and not on the other swap places: compare them as a set."""
    out = json.loads(normalized(json.dumps(obj, sort_keys=True)))
    entries = (out.get("metadata") or {}).get("managedFields")
    if isinstance(entries, list):
        out["metadata"]["managedFields"] = sorted(entries, key=lambda e: json.dumps(e, sort_keys=True))
    return out

