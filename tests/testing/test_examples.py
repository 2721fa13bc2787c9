"""The example suites in examples/ test the shipped policies/, and every case passes; `kauth test` runs them as
a test runner does (a line per case, the summary, exit codes, -k, JUnit XML, JSON)."""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from kauth.cli.main import cli
from kauth.testing.runner import run_suites
from kauth.testing.suite import load

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def results(states):
    found, _ = run_suites([load(p) for p in EXAMPLES], states=states)
    return {r.id: r for r in found}


def test_there_are_example_suites_for_each_topic():
    assert {p.stem for p in EXAMPLES} >= {"dev-team", "ci-serviceaccount", "restricted-namespace", "authentication",
                                          "require-labels", "bootstrap-tokens"}


def test_every_example_case_passes(results):
    failed = {id: r.failures for id, r in results.items() if not r.passed}
    assert failed == {}
    assert len(results) >= 25


@pytest.mark.parametrize("case_id, result, code", [
    ("dev-team::dana may create a deployment in dev", "allowed", 201),
    ("dev-team::dana may not read secrets", "forbidden", 403),
    ("ci-serviceaccount::ci may apply a deployment in dev", "allowed", 201),
    ("ci-serviceaccount::ci may not apply in default", "forbidden", 403),
    ("restricted-namespace::a privileged pod is rejected", "forbidden", 403),
    ("restricted-namespace::the hardened pod is admitted", "allowed", 201),
    ("authentication::an anonymous request is system:anonymous, and RBAC gives it no pods", "forbidden", 403),
    ("authentication::a bad token is unauthorized, never anonymous", "unauthorized", 401),
    ("authentication::olga's token carries system:masters", "allowed", 404),
    ("require-labels::a deployment without a team label is refused in dev", "invalid", 422),
    ("bootstrap-tokens::an expired bootstrap token is unauthorized", "unauthorized", 401),
])
def test_example_cases_get_the_kubernetes_answer(results, case_id, result, code):
    got = results[case_id]
    assert (got.result, got.response.code) == (result, code)


def test_the_anonymous_request_is_judged_as_system_anonymous(results):
    response = results["authentication::an anonymous request is system:anonymous, and RBAC gives it no pods"].response
    assert response.user.name == "system:anonymous"


def test_the_real_service_account_token_is_verified_by_the_service_account_authenticator(results):
    response = results["ci-serviceaccount::ci may not read secrets in its own namespace"].response
    assert response.trace[0].details["authenticator"] != "trusted-identity"
    assert response.user.name == "system:serviceaccount:dev:ci"


def run(*args: str):
    return CliRunner().invoke(cli, ["test", *args])


def test_kauth_test_prints_a_line_per_case_and_the_summary_and_exits_0():
    result = run(str(REPO / "examples" / "dev-team.yaml"))
    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0] == "PASS dev-team::dana may create a deployment in dev"
    assert all(line.startswith("PASS dev-team::") for line in lines[:-1])
    assert lines[-1].startswith("7 passed, 0 failed in ")


def test_k_runs_only_the_matching_cases():
    result = run(str(REPO / "examples"), "-k", "SECRETS")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("PASS")] == [
        "PASS ci-serviceaccount::ci may not read secrets in its own namespace",
        "PASS dev-team::dana may not read secrets",
        "PASS dev-team::dana may not list secrets either, with her token",
    ]
    assert result.stdout.splitlines()[-1].startswith("3 passed, 0 failed")


FAILING = """root: {repo}
policies: policies
cases:
  - name: dana reads secrets
    user: dana
    groups: [dev-team]
    run: get secrets -n dev
    expect: allowed
  - name: dana lists pods
    user: dana
    groups: [dev-team]
    request: {{verb: list, resource: pods, namespace: dev}}
    expect: allowed
"""


@pytest.fixture
def failing(tmp_path):
    path = tmp_path / "failing.yaml"
    path.write_text(FAILING.format(repo=REPO))
    return path


def test_a_failing_case_exits_1_and_shows_expected_actual_and_the_trace(failing):
    result = run(str(failing))
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("FAIL failing::dana reads secrets\nPASS failing::dana lists pods\n\nFAILURES\n")
    assert "  expected allowed, got forbidden (403 Forbidden)\n" in out
    assert ('    | Error from server (Forbidden): secrets is forbidden: User "dana" cannot list resource "secrets" in '
            'API group "" in the namespace "dev"\n') in out
    assert "    GET /api/v1/namespaces/dev/secrets → 403 Forbidden\n" in out
    assert '      authorization: denied — User "dana" cannot list resource "secrets"' in out
    assert 'nearest rule: missed — RoleBinding "dev-team-edits-workloads/dev" of Role "workload-editor"' in out
    assert out.splitlines()[-1].startswith("1 passed, 1 failed in ")


def test_junit_xml_has_a_testcase_per_case_and_the_failure(failing, tmp_path):
    junit = tmp_path / "junit.xml"
    run(str(failing), "--junit-xml", str(junit))
    root = ET.parse(junit).getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "1")
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["dana reads secrets", "dana lists pods"]
    failure = cases[0].find("failure")
    assert failure.get("message") == "expected allowed, got forbidden (403 Forbidden)"
    assert "authorization: denied" in failure.text
    assert cases[1].find("failure") is None


def test_json_output_has_every_case_the_summary_and_the_coverage(failing):
    result = run(str(failing), "-o", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {k: data["summary"][k] for k in ("passed", "failed", "skipped")} == {"passed": 1, "failed": 1, "skipped": 0}
    first = data["cases"][0]
    assert (first["name"], first["status"], first["result"], first["response"]["code"]) == (
        "dana reads secrets", "failed", "forbidden", 403)
    assert first["trace"][0]["trace"][2]["stage"] == "authorization"
    assert data["coverage"]["total"] >= 3


def test_fail_under_fails_a_passing_run_whose_coverage_is_too_low():
    result = run(str(REPO / "examples" / "authentication.yaml"), "--fail-under", "99")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: coverage ")
    assert result.stderr.endswith("% is under --fail-under 99%\n")


def test_coverage_json_is_written_to_a_file(tmp_path):
    target = tmp_path / "coverage.json"
    result = run(str(REPO / "examples" / "dev-team.yaml"), "--coverage-json", str(target))
    data = json.loads(target.read_text())
    assert result.exit_code == 0
    items = {i["name"] + (f" rule {i['rule']}" if "rule" in i else ""): i for i in data["items"]}
    assert items["Role dev/workload-editor rule 2"]["covered"] is True
    assert items["RoleBinding dev/dev-team-edits-workloads"]["hits"] == 3
    assert (data["covered"], data["total"]) == (2, 4)


def test_kauth_test_runs_as_a_real_process():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "kauth", "test", "examples/dev-team.yaml", "-k", "secrets"],
                         cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines()[:2] == ["PASS dev-team::dana may not read secrets",
                                           "PASS dev-team::dana may not list secrets either, with her token"]
