"""`kauth auth can-i / whoami / who-can / access-matrix` end to end: kubectl's words, warnings and exit codes
(as observed from kubectl 1.32, docs/rbac-reviews.md)."""

from pathlib import Path

import pytest
from cli_runner import initialised_state, runner_on_copy

REPO = Path(__file__).resolve().parents[2]
DANA = ("--as", "dana", "--as-group", "dev-team")


@pytest.fixture(scope="module")
def template_state(tmp_path_factory):
    return initialised_state(tmp_path_factory, "--policies", str(REPO / "policies"))


@pytest.fixture
def kauth(template_state, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUTH_POLICIES", str(REPO / "policies"))  # the authentication configuration
    return runner_on_copy(template_state, tmp_path, monkeypatch)


def test_can_i_yes_exits_0(kauth):
    result = kauth("auth", "can-i", "create", "deployments.apps", "-n", "dev", *DANA)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "yes\n", "")


def test_can_i_no_exits_1(kauth):
    result = kauth("auth", "can-i", "get", "secrets", "-n", "dev", *DANA)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "no\n", "")


def test_can_i_quiet_prints_nothing(kauth):
    result = kauth("auth", "can-i", "get", "secrets", "-n", "dev", "-q", *DANA)
    assert (result.exit_code, result.stdout) == (1, "")


def test_can_i_no_shows_the_reason_when_a_bound_role_is_missing(kauth):
    binding = REPO / "tests" / "cli" / "fixtures" / "dangling-binding.yaml"
    assert kauth("create", "-f", str(binding)).exit_code == 0
    result = kauth("auth", "can-i", "get", "secrets", "-n", "dev", "--as", "dana")
    assert result.stdout == 'no - RBAC: role.rbac.authorization.k8s.io "gone" not found\n'


def test_can_i_warns_about_cluster_scoped_resources_with_a_blank_line(kauth):
    result = kauth("auth", "can-i", "get", "nodes", *DANA)
    assert result.stderr == "Warning: resource 'nodes' is not namespace scoped\n\n"
    assert kauth("auth", "can-i", "get", "nodes", "-A", *DANA).stderr == ""


def test_can_i_warns_about_unknown_types_and_verbs_in_order(kauth):
    result = kauth("auth", "can-i", "frob", "Foo.Bar/x", *DANA)
    assert result.stderr == ("Warning: the server doesn't have a resource type 'foo' in group 'bar'\n\n"
                             "Warning: verb 'frob' is not a known verb\n\n")
    assert result.stdout == "no\n"


def test_can_i_non_resource_url(kauth):
    assert kauth("auth", "can-i", "get", "/healthz", *DANA).stdout == "yes\n"
    result = kauth("auth", "can-i", "get", "/healthz", "--subresource", "x")
    assert (result.exit_code, result.stderr) == (1, "error: --subresource can not be used with NonResourceURL\n")


def test_can_i_argument_errors(kauth):
    assert kauth("auth", "can-i", "get").stderr == (
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
        "See 'kauth auth can-i -h' for help and examples.\n")
    assert kauth("auth", "can-i", "--list", "get").stderr == "error: list option must be specified with no arguments\n"
    assert kauth("auth", "can-i", "--list", "-q").stderr == (
        "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n")


def test_can_i_answers_for_the_impersonated_identity(kauth):
    assert kauth("auth", "can-i", "get", "pods", "-n", "dev").stdout == "yes\n"  # the admin, in system:masters
    result = kauth("auth", "can-i", "get", "pods", "--as", "bob", "-n", "dev")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "no\n", "")


def test_can_i_list_prints_kubectls_table(kauth):
    result = kauth("auth", "can-i", "--list", "-n", "dev", *DANA)
    lines = result.stdout.splitlines()
    assert lines[0] == "Resources                                       Non-Resource URLs   Resource Names   Verbs"
    assert "deployments.apps                                []                  []               " \
           "[get list watch create update patch delete]" in lines
    assert lines.count("                                                [/healthz]          []               [get]") == 2
    assert result.exit_code == 0


def test_whoami(kauth):
    result = kauth("auth", "whoami", *DANA)
    assert result.stdout == "ATTRIBUTE   VALUE\nUsername    dana\nGroups      [dev-team system:authenticated]\n"


def test_who_can_names_bindings_and_subjects(kauth):
    result = kauth("auth", "who-can", "create", "deployments", "-n", "dev")
    assert result.stdout.splitlines()[:3] == [
        "ROLEBINDING                NAMESPACE   ROLE                   SUBJECT    TYPE             SA-NAMESPACE",
        "dev-team-edits-workloads   dev         Role/workload-editor   dev-team   Group            ",
        "dev-team-edits-workloads   dev         Role/workload-editor   ci         ServiceAccount   dev",
    ]


def test_access_matrix_marks_each_verb(kauth):
    result = kauth("auth", "access-matrix", "-n", "dev", *DANA)
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    assert rows["deployments.apps"] == ["✔"] * 7
    assert rows["secrets"] == ["✖"] * 7


def test_can_i_list_table_is_byte_identical_to_kubectls():
    """The rules of every kind (merging, duplicate verbs, vanished rules, duplicate URLs, sorting) as kubectl 1.32
    printed them from the same SelfSubjectRulesReview status."""
    import yaml

    from kauth.kubectl.auth import rules_table

    captured = yaml.safe_load((REPO / "tests/cli/fixtures/can-i-list-kubectl-1.32.yaml").read_text())
    assert rules_table(captured["status"]) == captured["stdout"]
    assert rules_table(captured["status"], no_headers=True).startswith(captured["no_headers_first_lines"])


# -- auth reconcile: kubectl 1.32's transcripts (docs/rbac-reviews.md section 4.6) --------------------------

RECONCILED = ("clusterrole.rbac.authorization.k8s.io/viewer-x reconciled\n"
              "clusterrolebinding.rbac.authorization.k8s.io/viewer-x-binding reconciled\n"
              "role.rbac.authorization.k8s.io/cm-editor reconciled\n"
              "rolebinding.rbac.authorization.k8s.io/cm-editor-binding reconciled\n")
FILE = str(REPO / "tests/cli/fixtures/reconcile-all.yaml")


def test_reconcile_creates_what_is_missing(kauth):
    result = kauth("auth", "reconcile", "-f", FILE)
    assert (result.exit_code, result.stdout) == (0, RECONCILED)
    assert result.stderr == (
        "\treconciliation required create\n"
        "\tmissing rules added:\n"
        "\t\t{Verbs:[get list] APIGroups:[] Resources:[pods services] ResourceNames:[] NonResourceURLs:[]}\n"
        "\t\t{Verbs:[get] APIGroups:[] Resources:[] ResourceNames:[] NonResourceURLs:[/metrics]}\n"
        "\treconciliation required create\n"
        "\tmissing subjects added:\n"
        "\t\t{Kind:User APIGroup:rbac.authorization.k8s.io Name:alice Namespace:}\n"
        "\t\t{Kind:ServiceAccount APIGroup: Name:builder Namespace:ci}\n"
        "\treconciliation required create\n"
        "\tmissing rules added:\n"
        "\t\t{Verbs:[get update] APIGroups:[] Resources:[configmaps] ResourceNames:[app-config] NonResourceURLs:[]}\n"
        "\treconciliation required create\n"
        "\tmissing subjects added:\n"
        "\t\t{Kind:Group APIGroup:rbac.authorization.k8s.io Name:devs Namespace:}\n")
    again = kauth("auth", "reconcile", "-f", FILE)
    assert (again.stdout, again.stderr) == (RECONCILED, "")


def test_reconcile_adds_rules_and_subjects_and_recreates_a_changed_role_ref(kauth):
    assert kauth("create", "-f", str(REPO / "tests/cli/fixtures/reconcile-existing.yaml")).exit_code == 0
    result = kauth("auth", "reconcile", "-f", FILE)
    assert result.stdout == RECONCILED
    assert result.stderr == (
        "\treconciliation required update\n"
        "\tmissing rules added:\n"
        "\t\t{Verbs:[get] APIGroups:[] Resources:[services] ResourceNames:[] NonResourceURLs:[]}\n"
        "\t\t{Verbs:[list] APIGroups:[] Resources:[services] ResourceNames:[] NonResourceURLs:[]}\n"
        "\t\t{Verbs:[get] APIGroups:[] Resources:[] ResourceNames:[] NonResourceURLs:[/metrics]}\n"
        "\treconciliation required update\n"
        "\tmissing subjects added:\n"
        "\t\t{Kind:ServiceAccount APIGroup: Name:builder Namespace:ci}\n"
        "\treconciliation required recreate\n")
    role = kauth("get", "clusterrole", "viewer-x", "-o", "json").stdout
    import json

    role = json.loads(role)
    assert role["metadata"]["labels"] == {"team": "a"}  # values on the server win
    assert len(role["rules"]) == 5  # appended broken down, not compacted
    binding = json.loads(kauth("get", "rolebinding", "cm-editor-binding", "-n", "newns", "-o", "json").stdout)
    assert binding["roleRef"]["kind"] == "Role"


def test_reconcile_can_remove_what_the_file_does_not_have(kauth):
    assert kauth("create", "-f", str(REPO / "tests/cli/fixtures/reconcile-existing.yaml")).exit_code == 0
    result = kauth("auth", "reconcile", "-f", FILE, "--remove-extra-permissions", "--remove-extra-subjects")
    assert "\textra rules removed:\n" \
           "\t\t{Verbs:[watch] APIGroups:[] Resources:[pods] ResourceNames:[] NonResourceURLs:[]}\n" \
           "\t\t{Verbs:[get] APIGroups:[apps] Resources:[deployments] ResourceNames:[] NonResourceURLs:[]}\n" \
           in result.stderr
    assert "\textra subjects removed:\n" \
           "\t\t{Kind:User APIGroup:rbac.authorization.k8s.io Name:mallory Namespace:}\n" in result.stderr


def test_reconcile_dry_run_writes_nothing(kauth):
    result = kauth("auth", "reconcile", "-f", FILE, "--dry-run=client")
    assert result.stdout == RECONCILED.replace(" reconciled\n", " reconciled (dry run)\n")
    assert kauth("get", "clusterrole", "viewer-x").exit_code == 1
    refused = kauth("auth", "reconcile", "-f", FILE, "--dry-run=server")
    assert refused.stderr == "error: --dry-run=server for command reconcile is not supported yet\n"


def test_rbac_of_an_imported_real_cluster_decides_at_once(kauth):
    """`kauth state import` restores objects in one transaction, around the API server: RBAC re-lists."""
    assert kauth("auth", "can-i", "create", "deployments.apps", "-n", "shop", "--as", "sam", "--as-group",
                 "shop-devs").stdout == "no\n"
    assert kauth("state", "import", str(REPO / "tests/cli/fixtures/real-cluster-dump.yaml")).exit_code == 0
    result = kauth("auth", "can-i", "create", "deployments.apps", "-n", "shop", "--as", "sam", "--as-group", "shop-devs")
    assert (result.exit_code, result.stdout) == (0, "yes\n")
    assert kauth("auth", "can-i", "create", "rolebindings.rbac.authorization.k8s.io", "-n", "shop", "--as", "sam",
                 "--as-group", "shop-devs").stdout == "no\n"


# -- credentials: tokens, certificates, kubeconfig -------------------------------------------------------------

def test_create_token_then_use_it(kauth):
    created = kauth("create", "token", "ci", "-n", "dev")
    assert created.exit_code == 0 and created.stdout.count(".") == 2
    result = kauth("auth", "whoami", "--token", created.stdout.strip())
    assert "system:serviceaccount:dev:ci" in result.stdout


def test_a_bad_token_is_kubectls_unauthorized(kauth):
    result = kauth("get", "pods", "--token", "not-a-token")
    assert (result.exit_code, result.stderr) == (1, "error: You must be logged in to the server (Unauthorized)\n")


def test_create_token_checks_its_flags(kauth):
    result = kauth("create", "token", "ci", "--bound-object-name", "p")
    assert result.stderr == "error: --bound-object-name can only be set if --bound-object-kind is provided\n"
    result = kauth("create", "token", "ci", "--duration", "90s", "-n", "dev")
    assert result.stderr == ('The TokenRequest "" is invalid: spec.expirationSeconds: Invalid value: 90: may not '
                             'specify a duration less than 10 minutes\n')


@pytest.mark.parametrize("duration, message", [
    # kubectl 1.32's words, measured: pflag parses the value first, then TokenOptions.Validate checks it
    ("abc", 'Error: invalid argument "abc" for "--duration" flag: time: invalid duration "abc"\n'
            "See 'kubectl create token --help' for usage.\n"),
    ("-5m", "error: --duration must be greater than or equal to 0\n"),
    ("-1.5s", "error: --duration must be greater than or equal to 0\n"),
    ("1.5s", "error: --duration cannot be expressed in units less than seconds\n"),
    ("1us", "error: --duration cannot be expressed in units less than seconds\n"),
])
def test_create_token_refuses_durations_as_kubectl_does(kauth, duration, message):
    result = kauth("create", "token", "ci", "-n", "dev", f"--duration={duration}")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_create_token_duration_zero_leaves_the_expiry_to_the_server(kauth):
    result = kauth("create", "token", "ci", "-n", "dev", "--duration=0")
    assert result.exit_code == 0, result.stderr


def test_certs_issue_writes_a_kubeconfig_user_the_cluster_trusts(kauth, tmp_path):
    issued = kauth("certs", "issue", "--user", "alice", "--group", "dev-team", "--policies", str(REPO / "policies"),
                   "--out", str(tmp_path), "--kubeconfig", str(tmp_path / "config"))
    assert issued.exit_code == 0, issued.stderr
    result = kauth("auth", "can-i", "create", "deployments.apps", "-n", "dev", "--kubeconfig", str(tmp_path / "config"))
    assert result.stdout == "yes\n"
    result = kauth("auth", "whoami", "--client-certificate", str(tmp_path / "alice.crt"),
                   "--client-key", str(tmp_path / "alice.key"))
    assert "Username                                            alice" in result.stdout


def test_a_missing_kubeconfig_context_is_an_error(kauth, tmp_path):
    (tmp_path / "config").write_text("apiVersion: v1\nkind: Config\ncontexts: []\nusers: []\n")
    result = kauth("get", "pods", "--kubeconfig", str(tmp_path / "config"), "--context", "nope")
    assert (result.exit_code, result.stderr) == (1, "error: context was not found for specified context: nope\n")


def test_create_bootstrap_token_then_use_it(kauth):
    created = kauth("create", "bootstrap-token", "--ttl", "1h")
    assert created.exit_code == 0, created.stderr
    token = created.stdout.strip()
    import re

    assert re.fullmatch(r"[a-z0-9]{6}\.[a-z0-9]{16}", token)
    result = kauth("auth", "whoami", "--token", token)
    assert f"system:bootstrap:{token[:6]}" in result.stdout
    assert "system:bootstrappers:kubeadm:default-node-token" in result.stdout
    assert kauth("create", "bootstrap-token", "--groups", "system:masters").stderr.startswith(
        'error: --groups: bootstrap group "system:masters" is invalid')


def test_impersonation_needs_the_impersonate_verb(kauth, tmp_path):
    kauth("certs", "issue", "--user", "alice", "--group", "dev-team", "--policies", str(REPO / "policies"),
          "--out", str(tmp_path), "--kubeconfig", str(tmp_path / "config"))
    result = kauth("get", "pods", "-n", "dev", "--kubeconfig", str(tmp_path / "config"), "--as", "bob")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (Forbidden): users "bob" is forbidden: User '
                                                    '"alice" cannot impersonate resource "users" in API group "" at '
                                                    'the cluster scope\n')


def test_a_kubeconfig_user_with_a_token_file(kauth, tmp_path):
    (tmp_path / "token").write_text("dana-dev-token-0123456789abcdef\n")
    (tmp_path / "config").write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: dana\n"
        "contexts:\n- name: dana\n  context: {cluster: kauth, user: dana, namespace: dev}\n"
        "users:\n- name: dana\n  user: {tokenFile: token}\n")
    result = kauth("auth", "can-i", "create", "deployments.apps", "--kubeconfig", str(tmp_path / "config"))
    assert result.stdout == "yes\n"  # the context's namespace, dev, is the default
