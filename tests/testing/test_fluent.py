"""The fluent API and the pytest plugin: policy tests written in Python."""

import subprocess
import sys
from pathlib import Path

import pytest

from kauth.testing.fluent import PolicyCluster

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def start():
    return PolicyCluster.from_policies("policies", root=REPO)


@pytest.fixture
def policy(start):
    return start.copy()


def test_can_answers_with_the_reason(policy):
    answer = policy.as_user("dana", groups=["dev-team"]).can("create", "deployments", namespace="dev")
    assert answer
    assert answer.reason == ('RBAC: allowed by RoleBinding "dev-team-edits-workloads/dev" of Role "workload-editor" '
                             'to Group "dev-team"')


def test_cannot_answers_with_upstreams_words(policy):
    answer = policy.as_user("dana", groups=["dev-team"]).can("get", "secrets", "db", namespace="dev")
    assert not answer
    assert answer.reason == 'User "dana" cannot get resource "secrets" in API group "" in the namespace "dev"'
    assert repr(answer).startswith('<denied: User "dana" cannot get resource "secrets"')
    assert "authorization: denied" in repr(answer)


def test_can_on_a_write_changes_nothing(policy):
    admin = policy.as_admin()
    assert admin.can("delete", "services", "kubernetes", namespace="default")
    assert admin.request("get", "services", "kubernetes", namespace="default").status == 200


def test_can_uses_the_identitys_real_credential(policy):
    assert not policy.with_token("no-such-token").can("get", path="/healthz")
    assert policy.anonymous().can("get", path="/healthz")
    assert policy.with_token("dana-dev-token-0123456789abcdef").can("list", "pods", namespace="dev")


def test_service_accounts_by_asserted_identity_and_by_token(policy):
    assert policy.as_serviceaccount("dev/ci").can("create", "deployments.apps", namespace="dev")
    assert not policy.with_serviceaccount_token("dev/ci").can("create", "deployments.apps", namespace="default")


def test_impersonation_is_checked_for_the_impersonator(policy):
    answer = policy.as_user("dana", groups=["dev-team"]).impersonating("olga").can("list", "pods", namespace="dev")
    assert not answer
    assert answer.reason.startswith('users "olga" is forbidden: User "dana" cannot impersonate resource "users"')


def test_apply_returns_the_response_and_the_state_keeps_it(policy):
    ci = policy.as_serviceaccount("dev/ci")
    result = ci.apply("manifests/deployment-configapp-env.yaml", namespace="dev")
    assert (result.allowed, result.status, result.stdout) == (True, 201, "deployment.apps/configapp created\n")
    assert result.object["metadata"]["namespace"] == "dev"
    again = ci.apply("manifests/deployment-configapp-env.yaml", namespace="dev")
    assert again.stdout == "deployment.apps/configapp unchanged\n"


def test_a_refused_create_has_the_status_the_stage_and_a_repr_with_the_trace(policy):
    result = policy.as_admin().create("manifests/pod-nginx.yaml", namespace="restricted")
    assert (result.allowed, result.result, result.status, result.reason, result.stage) == (
        False, "forbidden", 403, "Forbidden", "validating admission")
    assert 'violates PodSecurity "restricted:latest"' in result.message
    assert "validating admission: rejected" in repr(result)


def test_mutations_name_the_fields_each_plugin_changed(policy):
    result = policy.as_admin().create("manifests/pod-nginx.yaml", namespace="dev")
    assert result.mutations["Priority"] == ["spec.preemptionPolicy", "spec.priority"]
    assert "spec.serviceAccountName" in result.mutations["ServiceAccount"]
    assert "LimitRanger" not in result.mutations


def test_warnings_are_collected(policy):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
                      "metadata": {"labels": {"app": "web"}},
                      "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    result = policy.as_admin().request("create", "deployments", namespace="restricted", body=deployment)
    assert result.allowed
    assert any('would violate PodSecurity "restricted:latest"' in w for w in result.warnings)


PLUGIN_TEST = '''
def test_dana_edits(kauth_cluster):
    assert kauth_cluster.as_user("dana", groups=["dev-team"]).can("patch", "deployments", namespace="dev")

def test_each_test_gets_its_own_copy(kauth_cluster):
    assert kauth_cluster.as_admin().create("manifests/pod-nginx.yaml", namespace="dev").status == 201

def test_each_test_gets_its_own_copy_again(kauth_cluster):
    assert kauth_cluster.as_admin().create("manifests/pod-nginx.yaml", namespace="dev").status == 201

def test_wrong_on_purpose(kauth_cluster):
    result = kauth_cluster.as_user("dana", groups=["dev-team"]).request("list", "secrets", namespace="dev")
    assert result.allowed, result

def test_wrong_on_purpose_compared(kauth_cluster):
    result = kauth_cluster.as_user("dana", groups=["dev-team"]).request("list", "secrets", namespace="dev")
    assert result == "allowed"
'''


def test_the_pytest_plugin_gives_each_test_a_copy_and_shows_the_trace_on_failure(tmp_path):
    (tmp_path / "test_policies.py").write_text(PLUGIN_TEST)
    # no -p: the pytest11 entry point loads the plugin wherever kauth is installed
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-o", f"kauth_root={REPO}", "--kauth-policies", "policies",
                          str(tmp_path / "test_policies.py")], capture_output=True, text=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert "2 failed, 3 passed" in run.stdout, run.stdout + run.stderr
    assert ('AssertionError: <forbidden: 403 Forbidden: secrets is forbidden: User "dana" cannot list resource '
            '"secrets" in API group "" in the nam') in run.stdout
    compared = run.stdout[run.stdout.index("test_wrong_on_purpose_compared"):]
    assert "expected allowed, got forbidden" in compared
    assert '      authorization: denied — User "dana" cannot list resource "secrets"' in compared
    assert "use '-vv' to show" in compared  # pytest's own limit on an explanation's length
