"""`kauth patch --local` against `kubectl patch --local`: stdout byte for byte, stderr and exit code.

kubectl patches a file's object with the Go struct of its kind as the strategic metadata
(strategicpatch.StrategicMergePatch on the typed object), so a patch that merges into a field the
struct lacks fails with `unable to find api field in struct X for the json field "y"`; the file's
object keeps unknown fields (they only vanish when the API server decodes it)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kauth.cli.main import cli

KUBECTL = shutil.which("kubectl")
pytestmark = [pytest.mark.kubectl,
              pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")]

POD = Path(__file__).parent / "fixtures" / "pod-unknown-fields.yaml"


def run_kubectl(args: list[str], cwd: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the real kubectl, offline: --local reads no configuration."""
    done = subprocess.run([KUBECTL, "--kubeconfig", "/dev/null", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": cwd})
    return done.returncode, done.stdout, done.stderr

CASES = {
    "unknown metadata map": '{"metadata":{"extra":{"b":2}}}',
    "unknown map beside a known one": '{"metadata":{"extra":{"b":2},"labels":{"x":"y"}}}',
    "any key of a map field": '{"spec":{"nodeSelector":{"disk":{"b":2}}}}',
    "unknown list of scalars": '{"spec":{"bar":[2]}}',
    "unknown list of maps": '{"spec":{"baz":[{"name":"r"}]}}',
    "unknown field in a merged list item": '{"spec":{"containers":[{"name":"a","env":[{"name":"A","valueFrom2":{"y":2}}]}]}}',
    "setElementOrder of an unknown list": '{"spec":{"$setElementOrder/bar":[1]}}',
    "setElementOrder of an unknown map": '{"spec":{"containers":[{"name":"a","$setElementOrder/foo":[1]}]}}',
    "deleteFromPrimitiveList of an unknown list": '{"spec":{"$deleteFromPrimitiveList/bar":[1]}}',
    "replace directive in an unknown map": '{"spec":{"containers":[{"name":"a","foo":{"$patch":"replace","z":1}}]}}',
    "new unknown map (no lookup)": '{"spec":{"newmap":{"a":1}}}',
    "unknown field deleted (no lookup)": '{"spec":{"bar":null}}',
    "unknown scalar replaced (no lookup)": '{"spec":{"containers":[{"name":"a","foo":"s"}]}}',
    "known fields": '{"metadata":{"labels":{"app":null,"tier":"db"}},"spec":{"containers":[{"name":"a","image":"y"}]}}',
    "no change": '{"metadata":{"labels":{"app":"web"}}}',
}


@pytest.mark.parametrize("output", ["json", "yaml", "name"])
@pytest.mark.parametrize("patch", CASES.values(), ids=CASES.keys())
def test_patch_local_matches_kubectl(patch, output, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["patch", "-f", str(POD), "--local", "--type", "strategic", "-p", patch, "-o", output]
    ours = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (ours.exit_code, ours.stdout, ours.stderr) == run_kubectl(args, cwd=str(tmp_path))


@pytest.mark.parametrize("args", [
    ["patch", "--local", "-p", "{}"],
    ["patch", "pod", "x", "--local", "-p", "{}"],
    ["patch", "-f", str(POD), "--local", "--dry-run=server", "-p", "{}"],
    ["patch", "-f", str(POD), "--local", "-p", "{}", "-n", "other"],
    ["patch", "-f", str(POD), "--local", "--type", "merge", "-p", '{"spec":{"bar":{"b":1}}}', "-o", "json"],
    ["patch", "-f", str(POD), "--local", "--type", "json", "-p", '[{"op":"remove","path":"/spec/bar"}]', "-o", "yaml"],
], ids=["no file", "server resources", "server dry run", "namespace flag", "merge patch", "json patch"])
def test_patch_local_flags_match_kubectl(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ours = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (ours.exit_code, ours.stdout, ours.stderr) == run_kubectl(args, cwd=str(tmp_path))
