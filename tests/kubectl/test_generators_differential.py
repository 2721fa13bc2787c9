"""`kauth create <generator> ... --dry-run=client -o yaml|json` against the real kubectl's, byte for byte, on
hypothesis-generated arguments (kubectl runs these generators offline). kubectl writes the JSON of the
typed object it built in Go struct field order, and kauth must too."""

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kauth.cli.main import cli

KUBECTL = shutil.which("kubectl")
pytestmark = [pytest.mark.kubectl,
              pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")]

names = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,8}", fullmatch=True)
values = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
images = st.sampled_from(["nginx", "redis:7", "busybox", "registry.k8s.io/pause:3.9", "ghcr.io/org/app:v1",
                          "alpine@sha256:" + "a" * 64])
namespace = st.one_of(st.just([]), names.map(lambda n: ["-n", n]))
command = st.lists(st.sampled_from(["echo", "hi", "--flag", "-x", "sleep", "3600", "a b"]), max_size=3)
quantities = st.sampled_from(["10", "2", "500m", "1Gi", "1024Mi", "0.5", "1e3", "100k", "2000m"])


@pytest.fixture(scope="module", autouse=True)
def state(tmp_path_factory):
    """kauth reads discovery from a state, as kubectl does from a server; kubectl needs none offline."""
    import os

    path = tmp_path_factory.mktemp("state") / "state.db"
    assert CliRunner().invoke(cli, ["init", "--state", str(path)]).exit_code == 0
    os.environ["KAUTH_STATE"] = str(path)
    yield
    os.environ.pop("KAUTH_STATE", None)


def dry_run(args: list[str], output: str) -> list[str]:
    """The flags go before `--`: what follows it is the container's command."""
    cut = args.index("--") if "--" in args else len(args)
    return ["create", *args[:cut], "--dry-run=client", "-o", output, *args[cut:]]


def kauth_output(args: list[str], output: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, dry_run(args, output), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def kubectl_output(args: list[str], output: str) -> tuple[int, str, str]:
    done = subprocess.run([KUBECTL, *dry_run(args, output)], capture_output=True, text=True,
                          env={"KUBECONFIG": "/dev/null", "PATH": "/usr/bin:/bin"}, timeout=30)
    return done.returncode, done.stdout, done.stderr


def same(args: list[str]) -> None:
    """The same bytes on stdout with -o yaml and with -o json; when kubectl refuses the arguments, the same
    exit code and error."""
    for output in ("yaml", "json"):
        ours, theirs = kauth_output(args, output), kubectl_output(args, output)
        assert ours == theirs, (output, args)


def with_command(args: list[str], words: list[str]) -> list[str]:
    return args + (["--", *words] if words else [])


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(name=names, images=st.lists(images, min_size=1, max_size=3, unique=True), replicas=st.integers(0, 5),
       port=st.one_of(st.none(), st.integers(1, 65535)), ns=namespace, words=command)
def test_create_deployment(name, images, replicas, port, ns, words):
    args = ["deployment", name, *[f"--image={i}" for i in images], f"--replicas={replicas}", *ns]
    if port is not None:
        args.append(f"--port={port}")
    same(with_command(args, words))


@SETTINGS
@given(name=names, literals=st.dictionaries(keys, values, max_size=4), ns=namespace)
def test_create_configmap(name, literals, ns):
    same(["configmap", name, *[f"--from-literal={k}={v}" for k, v in literals.items()], *ns])


@SETTINGS
@given(name=names, literals=st.dictionaries(keys, values, max_size=4),
       kind=st.sampled_from(["", "Opaque", "example.com/thing"]), ns=namespace)
def test_create_secret_generic(name, literals, kind, ns):
    same(["secret", "generic", name, *[f"--from-literal={k}={v}" for k, v in literals.items()], *ns,
          *([f"--type={kind}"] if kind else [])])


@SETTINGS
@given(kind=st.sampled_from(["clusterip", "nodeport", "loadbalancer"]), name=names,
       ports=st.lists(st.tuples(st.integers(1, 65535), st.one_of(st.none(), st.integers(1, 65535))), min_size=1,
                      max_size=3, unique_by=lambda p: p[0]), ns=namespace,
       node_port=st.one_of(st.none(), st.integers(30000, 32767)),
       cluster_ip=st.sampled_from(["", "10.0.0.7", "None"]))
def test_create_service(kind, name, ports, ns, node_port, cluster_ip):
    specs = [f"{p}:{t}" if t else str(p) for p, t in ports]
    flags = {"nodeport": [f"--node-port={node_port}"] if node_port else [],
             "clusterip": [f"--clusterip={cluster_ip}"] if cluster_ip else []}.get(kind, [])
    same(["service", kind, name, f"--tcp={','.join(specs)}", *flags, *ns])


contents = st.one_of(values.map(str.encode), st.binary(max_size=12))  # binary data goes to binaryData


@SETTINGS
@given(name=names, files=st.dictionaries(keys, contents, min_size=1, max_size=3), literal=st.booleans(),
       secret=st.booleans(), ns=namespace)
@example(name="a", files={"A": b"\x7f"}, literal=False, secret=False, ns=[])  # go-yaml refuses DEL: an error
def test_create_configmap_and_secret_from_files(tmp_path_factory, name, files, literal, secret, ns):
    """--from-file=key=path: UTF-8 contents in data, other bytes base64 in a ConfigMap's binaryData."""
    folder = tmp_path_factory.mktemp("files")
    for key, content in files.items():
        (folder / key).write_bytes(content)
    sources = [f"--from-file={key}={folder / key}" for key in files] + (["--from-literal=zz=1"] if literal else [])
    same([*(["secret", "generic"] if secret else ["configmap"]), name, *sources, *ns])


@SETTINGS
@given(name=names, users=st.lists(names, max_size=2), groups=st.lists(names, max_size=2),
       sas=st.lists(st.tuples(names, names), max_size=2), cluster=st.booleans(), ns=namespace)
def test_create_bindings(name, users, groups, sas, cluster, ns):
    subjects = [*[f"--user={u}" for u in users], *[f"--group={g}" for g in groups],
                *[f"--serviceaccount={n}:{s}" for n, s in sas]]
    if cluster:
        same(["clusterrolebinding", name, "--clusterrole=view", *subjects])
    else:
        same(["rolebinding", name, "--role=editor", *subjects, *ns])


@SETTINGS
@given(name=names, image=images, words=command, schedule=st.sampled_from(["@daily", "*/5 * * * *", "0 0 1 1 *"]),
       restart=st.sampled_from(["OnFailure", "Never"]), cron=st.booleans(), ns=namespace)
def test_create_job_and_cronjob(name, image, words, schedule, restart, cron, ns):
    if cron:
        same(with_command(["cronjob", name, f"--image={image}", f"--schedule={schedule}", f"--restart={restart}", *ns],
                          words))
    else:
        same(with_command(["job", name, f"--image={image}", *ns], words))


@SETTINGS
@given(name=names, hard=st.dictionaries(st.sampled_from(["pods", "cpu", "memory", "services", "requests.cpu"]),
                                        quantities, min_size=1, max_size=3),
       scopes=st.lists(st.sampled_from(["BestEffort", "NotBestEffort", "Terminating", "NotTerminating"]),
                       max_size=2, unique=True), ns=namespace)
def test_create_quota(name, hard, scopes, ns):
    same(["quota", name, "--hard=" + ",".join(f"{k}={v}" for k, v in hard.items()), *ns,
          *([f"--scopes={','.join(scopes)}"] if scopes else [])])


@SETTINGS
@given(name=names, value=st.integers(-1000, 1_000_000), description=values, default=st.booleans(),
       policy=st.sampled_from(["PreemptLowerPriority", "Never"]))
def test_create_priorityclass(name, value, description, default, policy):
    same(["priorityclass", name, f"--value={value}", f"--description={description}", f"--preemption-policy={policy}",
          *(["--global-default"] if default else [])])


@pytest.mark.parametrize("args", [["namespace", "dev"], ["serviceaccount", "ci", "-n", "dev"],
                                  ["service", "externalname", "ext", "--external-name=example.com"],
                                  ["service", "clusterip", "headless", "--clusterip=None"]])
def test_create_simple_generators(args):
    same(args)
