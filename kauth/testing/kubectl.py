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
from kauth.testing.suite import NOT_KUBECTL

# The Session options (kubectl's global flags) that name who a command runs as.
IDENTITY_OPTIONS = ("as_user", "as_groups", "as_uid", "token", "kubeconfig", "kube_context", "kube_user",
                    "client_certificate", "client_key")

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
    if not namespace or has_namespace or not words or words[0] in NOT_KUBECTL:
        return words
    return with_flags(words, ["-n", namespace])


def with_flags(words: list[str], flags: list[str]) -> list[str]:
    """The command line with more flags, before a `--` (after which the words are a container's command)."""
    at = words.index("--") if "--" in words else len(words)
    return words[:at] + flags + words[at:]


def run(cluster: Cluster, words: list[str], credentials: Credentials | None = None,
        impersonate: Impersonation | None = None, cwd: Path | None = None,
        kubeconfig: tuple[str, str, str] | None = None) -> CommandResult:
    """Run `kauth WORDS...` on `cluster`, in the folder `cwd` (a suite's root: its file paths are relative to it,
    and kubectl's messages name them as written).

    The case's identity — `credentials` and `impersonate`, or a `kubeconfig` (file, context, user) given to the
    command as its --kubeconfig, so the context's namespace is the default as with kubectl — is used unless the
    line names its own (`--as`, `--token`, `--kubeconfig`...: then the line decides, as with kubectl)."""
    from click.testing import CliRunner

    from kauth.cli import main

    recorder = RecordingCluster(cluster.store, cluster.server, cluster.policies)

    class CaseSession(main.Session):
        def open(self):
            return recorder

        def close(self) -> None:
            pass  # the runner owns the cluster

        def client(self):
            own = any(self.kwargs.get(option) for option in IDENTITY_OPTIONS)
            if not own and kubeconfig is not None:
                self.kwargs.update(kubeconfig=kubeconfig[0], kube_context=kubeconfig[1] or None,
                                   kube_user=kubeconfig[2] or None)
                if impersonate is not None:
                    self.kwargs.update(as_user=impersonate.user, as_groups=impersonate.groups)
            client = super().client()
            if not own and kubeconfig is None and credentials is not None:
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
