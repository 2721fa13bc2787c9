"""Run a kubectl command line of a test case through kauth's own CLI, against the case's cluster.

The line is parsed by the same click commands `kauth` runs (so every kubectl flag works as in the shell) and its
requests go through the case's cluster; every Response is recorded for the expectations and for coverage.
"""

from __future__ import annotations

import os
import shlex
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kauth.apiserver.request import Credentials, Impersonation, Response
from kauth.cluster import Cluster

IDENTITY_FLAGS = {"--as", "--as-group", "--as-uid", "--token", "--kubeconfig", "--user", "--context",
                  "--client-certificate", "--client-key"}
# Commands that talk to the API server and take -n (kauth's `init`, `certs`, `state` and `serve` do not).
_NO_NAMESPACE = {"init", "certs", "state", "serve", "test"}

# The CLI builds its Session from a module global; a case swaps in its own for the length of one command
# (and works in the suite's root folder).
_swap_lock = threading.Lock()


@dataclass
class RecordingCluster(Cluster):
    """The case's cluster, keeping every response the command got (in order)."""

    responses: list[Response] = field(default_factory=list)

    def handle(self, request):
        response = super().handle(request)
        self.responses.append(response)
        return response


@dataclass(frozen=True)
class CommandResult:
    stdout: str
    stderr: str
    exit_code: int
    responses: tuple[Response, ...]


def prepare(line: str, namespace: str = "") -> list[str]:
    """The command line as words, with `-n NAMESPACE` added when the case names a default namespace and the
    line has none (before a `--`, after which the words are the container's command)."""
    words = shlex.split(line)
    has_namespace = any(w in ("-n", "--namespace", "-A", "--all-namespaces") or w.startswith("--namespace=")
                        or (w.startswith("-n") and not w.startswith("--")) for w in words)
    if not namespace or has_namespace or not words or words[0] in _NO_NAMESPACE:
        return words
    return with_flags(words, ["-n", namespace])


def with_flags(words: list[str], flags: list[str]) -> list[str]:
    """The command line with more flags, before a `--` (after which the words are a container's command)."""
    at = words.index("--") if "--" in words else len(words)
    return words[:at] + flags + words[at:]


def has_identity_flags(words: list[str]) -> bool:
    return any(w.partition("=")[0] in IDENTITY_FLAGS for w in words)


def run(cluster: Cluster, words: list[str], credentials: Credentials | None = None,
        impersonate: Impersonation | None = None, cwd: Path | None = None) -> CommandResult:
    """Run `kauth WORDS...` on `cluster`, in the folder `cwd` (a suite's root: its file paths are relative to it,
    and kubectl's messages name them as written). `credentials`/`impersonate`: the case's identity, used unless the line
    carries kubectl's own identity flags (then the line decides, as kubectl would)."""
    from click.testing import CliRunner

    from kauth.cli import main

    recorder = RecordingCluster(cluster.store, cluster.server, cluster.policies)
    override = credentials is not None and not has_identity_flags(words)

    class CaseSession(main.Session):
        def open(self):
            return recorder

        def close(self) -> None:
            pass  # the runner owns the cluster

        def client(self):
            client = super().client()
            if override:
                client.credentials = credentials
                client.impersonate = impersonate
            return client

    runner = CliRunner()
    with _swap_lock:
        original = main.Session
        main.Session = CaseSession
        here = os.getcwd()
        try:
            if cwd is not None:
                os.chdir(cwd)
            # KUBECONFIG from the environment would change who the command runs as: a case says who it is.
            result = runner.invoke(main.cli, words, prog_name="kauth", env={"KUBECONFIG": None, "KAUTH_STATE": None},
                                   catch_exceptions=True)
        finally:
            os.chdir(here)
            main.Session = original
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
        exit_code = result.exit_code or 1
    else:
        exit_code = result.exit_code
    return CommandResult(result.stdout, stderr, exit_code, tuple(recorder.responses))
