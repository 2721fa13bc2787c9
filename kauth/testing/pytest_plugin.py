"""The pytest plugin: fixtures for policy tests over kauth's fluent API (kauth.testing.fluent).

pytest loads it wherever kauth is installed (the `pytest11` entry point `kauth` in pyproject.toml); `-p
no:kauth` turns it off.

    def test_dana_edits_deployments(kauth_cluster):
        assert kauth_cluster.as_user("dana", groups=["dev-team"]).can("patch", "deployments", namespace="dev")

    def test_ci_applies(kauth_cluster):
        result = kauth_cluster.as_serviceaccount("dev/ci").apply("manifests/deployment-configapp-env.yaml", "dev")
        assert result.allowed, result

Options (ini or command line): `kauth_policies` / `--kauth-policies DIR` (default: $KAUTH_POLICIES, else
./policies when present, else kauth's built-in defaults), `kauth_objects` / `--kauth-objects PATH` (files or
folders created before every test), `kauth_root` (where relative paths are read from; default: the rootdir).
A failed `assert result.allowed, result` shows the code and the message (pytest shortens long messages unless
-vv); a failed `assert result == "allowed"` shows them and the pipeline trace (all of it with -vv).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kauth.testing.fluent import Answer, PolicyCluster, Result


def pytest_addoption(parser) -> None:
    group = parser.getgroup("kauth", "kauth policy tests")
    group.addoption("--kauth-policies", metavar="DIR", help="the policies directory the kauth_cluster fixture uses")
    group.addoption("--kauth-objects", metavar="PATH", action="append", default=[],
                    help="a file or folder of objects the kauth_cluster fixture holds (repeatable)")
    parser.addini("kauth_policies", "the policies directory the kauth_cluster fixture uses")
    parser.addini("kauth_objects", "files or folders of objects the kauth_cluster fixture holds", type="linelist")
    parser.addini("kauth_root", "where relative paths (policies, objects, manifests) are read from")


@pytest.fixture(scope="session")
def kauth_start(pytestconfig) -> PolicyCluster:
    """The starting state, built once per session: a fresh cluster from the policies, plus the objects."""
    from kauth.cluster import policies_dir

    root = Path(pytestconfig.getini("kauth_root") or pytestconfig.rootpath)
    given = pytestconfig.getoption("kauth_policies") or pytestconfig.getini("kauth_policies")
    policies = (root / given).resolve() if given else policies_dir()
    objects = list(pytestconfig.getoption("kauth_objects")) or list(pytestconfig.getini("kauth_objects"))
    return PolicyCluster.from_policies(policies, objects=objects, root=root)


@pytest.fixture
def kauth_cluster(kauth_start) -> PolicyCluster:
    """A copy of the starting state for one test: what the test does never reaches another test."""
    return kauth_start.copy()


def pytest_assertrepr_compare(config, op: str, left, right):
    """`assert result == "allowed"`: the expected word, then the response and its whole trace."""
    if op != "==":
        return None
    for ours, other in ((left, right), (right, left)):
        if isinstance(ours, (Result, Answer)) and isinstance(other, str):
            return [f"expected {other}, got {getattr(ours, 'result', '')}".rstrip(), *repr(ours).splitlines()]
    return None
