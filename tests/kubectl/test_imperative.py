"""label, annotate and scale: kubectl's words and semantics; `label/annotate --local` byte for byte with kubectl."""

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kauth.cli.main import cli

KUBECTL = shutil.which("kubectl")
POD = """apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {a: "1"}
  annotations: {note: old}
spec:
  containers:
  - name: c
    image: nginx
"""


@pytest.fixture
def kauth(tmp_path, monkeypatch):
    monkeypatch.setenv("KAUTH_STATE", str(tmp_path / "state.db"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    (tmp_path / "pod.yaml").write_text(POD)
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.kubectl
@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")
@pytest.mark.parametrize("command", ["label", "annotate"])
@pytest.mark.parametrize("pairs", [["a=3"], ["b=2", "a-"], ["a=3", "--overwrite"], ["c-"], ["a-"], ["a=1"], ["a=b=c"],
                                   ["a=-x"], ["b=2", "b-"], [], ["x=1", "y=2"], ["note=new"], ["note=new", "--overwrite"],
                                   ["note-"], ["a=" + "v" * 64], ["a=" + "v" * 63], ['a=bad "value"']])
def test_local_changes_are_kubectls(kauth, command, pairs, tmp_path):
    ours = kauth(command, "--local", "-f", "pod.yaml", *pairs, "-o", "yaml")
    theirs = subprocess.run([KUBECTL, command, "--local", "-f", str(tmp_path / "pod.yaml"), *pairs, "-o", "yaml"],
                            capture_output=True, text=True, env={"KUBECONFIG": "/dev/null"})
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)


def test_label_through_the_server(kauth):
    assert kauth("create", "-f", "pod.yaml").exit_code == 0
    assert kauth("label", "pod", "p", "tier=web").stdout == "pod/p labeled\n"
    assert kauth("label", "pod", "p", "tier=web").stdout == "pod/p not labeled\n"
    refused = kauth("label", "pod", "p", "tier=db")
    assert (refused.exit_code, refused.stderr) == (1, "error: 'tier' already has a value (web), and --overwrite is "
                                                      "false\n")
    assert kauth("label", "pod", "p", "tier=db", "--overwrite").stdout == "pod/p labeled\n"
    assert kauth("get", "pod", "p", "-o", "jsonpath={.metadata.labels}").stdout == '{"a":"1","tier":"db"}'
    assert kauth("annotate", "pod", "p", "note-").stdout == "pod/p annotated\n"


def test_scale_sets_replicas_on_the_scale_subresource(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    assert kauth("scale", "deployment", "web", "--replicas=3").stdout == "deployment.apps/web scaled\n"
    refused = kauth("scale", "deployment", "web", "--replicas=5", "--current-replicas=2")
    assert (refused.exit_code, refused.stderr) == (1, "error: Expected replicas to be 2, was 3\n")
    assert kauth("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "3"
    assert kauth("scale", "deploy", "web").stderr == 'error: required flag(s) "replicas" not set\n'
    assert kauth("scale", "deploy", "web", "--replicas=-1").stderr == (
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n")


def test_a_field_set_by_scale_survives_apply(kauth):
    Path("web.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
        "  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n")
    assert kauth("apply", "-f", "web.yaml").stdout == "deployment.apps/web created\n"
    kauth("scale", "deploy", "web", "--replicas=4")
    Path("web.yaml").write_text(Path("web.yaml").read_text().replace("image: nginx", "image: nginx:1.28"))
    assert kauth("apply", "-f", "web.yaml").stdout == "deployment.apps/web configured\n"
    assert kauth("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "4"


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: init, image: busybox}
      containers:
      - {name: web, image: nginx}
      - {name: side, image: envoy}
"""


@pytest.mark.kubectl
@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")
@pytest.mark.parametrize("pairs", [["web=nginx:1.28"], ["*=x:1"], ["nope=a"], ["init=busybox:2", "side=envoy:2"],
                                   ["web"], [], ["*=a", "web=b"], ["web="], ["web-"]])
@pytest.mark.parametrize("output", ["yaml", "json"])
def test_set_image_local_is_kubectls(kauth, pairs, output, tmp_path):
    """The same bytes and the same errors: kubectl prints the typed object, zero values and (JSON) struct order."""
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    ours = kauth("set", "image", "--local", "-f", "web.yaml", *pairs, "-o", output)
    theirs = subprocess.run([KUBECTL, "set", "image", "--local", "-f", str(tmp_path / "web.yaml"), *pairs, "-o", output],
                            capture_output=True, text=True, env={"KUBECONFIG": "/dev/null"})
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)


def test_set_image_through_the_server(kauth):
    Path("web.yaml").write_text(DEPLOYMENT)
    assert kauth("apply", "-f", "web.yaml").exit_code == 0
    assert kauth("set", "image", "deployment/web", "web=nginx:1.28").stdout == "deployment.apps/web image updated\n"
    assert kauth("set", "image", "deployment/web", "web=nginx:1.28").stdout == ""  # no change: nothing sent
    assert kauth("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout == \
        "nginx:1.28"
    # apply puts back what the file says: the image set imperatively was in the last-applied configuration.
    assert kauth("apply", "-f", "web.yaml").stdout == "deployment.apps/web configured\n"
    assert kauth("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout == "nginx"


@pytest.mark.kubectl
@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")
@pytest.mark.parametrize("stdin, args", [
    ("A=1 # a comment\n# only a comment\nB\n9X=2\nC=\nD=x=y\n", ["-"]),  # names from stdin are not checked
    ("A=1\n", ["-e", "-", "B=2"]),
    ("A=1\n", ["-", "A-"]),
    ("", ["-"]),
    ("A=1\n", ["-f", "-", "-"]),  # stdin cannot be both the file and the variables
], ids=["lines", "with -e", "set and removed", "empty", "stdin twice"])
def test_set_env_reads_variables_from_stdin_as_kubectl_does(tmp_path, monkeypatch, stdin, args):
    (tmp_path / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path)
    file_args = [] if "-f" in args else ["-f", "pod.yaml"]
    full = ["set", "env", "--local", *file_args, "-o", "yaml", *args]
    ours = CliRunner().invoke(cli, full, input=stdin, catch_exceptions=False)
    theirs = subprocess.run([KUBECTL, *full], input=stdin, capture_output=True, text=True, cwd=tmp_path,
                            env={"KUBECONFIG": "/dev/null"})
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)


@pytest.mark.kubectl
@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")
@pytest.mark.parametrize("timeout", ["1x", "1", "abc", "", ".s", "-.5s", "1.5.5s", "5m3", "+3s", "1h2m3s4ms5us6ns",
                                     "99999999999h", "1\u00b5s", "0", "-0", "1e3s", "-1s", ".5m", "5.m", "1s2"])
def test_run_reads_go_durations_as_kubectl_does(tmp_path, monkeypatch, timeout):
    """--pod-running-timeout goes through time.ParseDuration; a valid one then meets run's own checks (an
    attached run cannot be a dry run), all before kubectl needs a server."""
    monkeypatch.chdir(tmp_path)
    args = ["run", "x", "--image=nginx", "-i", "--dry-run=client", f"--pod-running-timeout={timeout}"]
    ours = CliRunner().invoke(cli, args, catch_exceptions=False)
    theirs = subprocess.run([KUBECTL, *args], capture_output=True, text=True, cwd=tmp_path,
                            env={"KUBECONFIG": "/dev/null", "HOME": str(tmp_path)})
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
