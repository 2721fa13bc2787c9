"""A malformed suite is a clear error naming the file and the case, and `kauth test` exits 2 on it."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kauth.cli.main import cli
from kauth.testing.suite import SuiteError, load

REPO = Path(__file__).resolve().parents[2]

GOOD_CASE = """
  - name: dana lists pods
    user: dana
    groups: [dev-team]
    request: {verb: list, resource: pods, namespace: dev}
    expect: allowed
"""


def suite(tmp_path: Path, cases: str, head: str = f"root: {REPO}\npolicies: policies\n") -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(head + "cases:" + cases)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SuiteError) as err:
        load(path)
    return str(err.value)


def test_a_well_formed_suite_loads_with_its_identity_action_and_expectation(tmp_path):
    loaded = load(suite(tmp_path, GOOD_CASE))
    (case,) = loaded.cases
    assert (loaded.name, case.name, case.identity.user, case.identity.groups) == ("suite", "dana lists pods", "dana",
                                                                                   ("dev-team",))
    assert (case.request.verb, case.request.resource, case.request.namespace, case.expect.result) == (
        "list", "pods", "dev", "allowed")


def test_yaml_syntax_errors_name_the_file_and_the_line(tmp_path):
    path = suite(tmp_path, GOOD_CASE + "    expect: {result: allowed\n")
    message = error_of(path)
    assert message.startswith(f"{path}: not valid YAML: line ")


def test_an_unknown_case_key_names_the_case_and_the_key(tmp_path):
    path = suite(tmp_path, GOOD_CASE + """
  - name: misspelt
    user: dana
    run: get pods -n dev
    expext: forbidden
""")
    assert error_of(path) == (f'{path}: case 2 ("misspelt"): case: unknown key \'expext\' (expected one of: anonymous, '
                              'as, as-groups, certificate, expect, groups, kubeconfig, name, namespace, request, '
                              'run, serviceaccount, serviceaccount-token, skip, token, uid, user)')


def test_a_case_without_an_expectation_is_an_error(tmp_path):
    path = suite(tmp_path, "\n  - name: no expect\n    run: get pods\n")
    assert error_of(path) == (f'{path}: case 1 ("no expect"): expect: every case needs an expectation '
                              '(e.g. `expect: allowed`)')


def test_a_case_needs_exactly_one_action(tmp_path):
    both = suite(tmp_path, "\n  - name: both\n    run: get pods\n    request: {verb: list, resource: pods}\n"
                           "    expect: allowed\n")
    assert "case 1 (\"both\"): a case needs exactly one action" in error_of(both)


def test_two_identities_are_an_error(tmp_path):
    path = suite(tmp_path, "\n  - name: who\n    user: dana\n    token: abc\n    run: get pods\n    expect: allowed\n")
    assert error_of(path) == f'{path}: case 1 ("who"): one identity per case: user and token both given'


def test_an_unknown_result_lists_the_known_ones(tmp_path):
    path = suite(tmp_path, "\n  - name: what\n    run: get pods\n    expect: denied\n")
    assert error_of(path) == (f"{path}: case 1 (\"what\"): expect.result: 'denied' is not one of allowed, forbidden, "
                              "unauthorized, invalid, error")


def test_a_case_without_a_name_is_numbered(tmp_path):
    path = suite(tmp_path, "\n  - run: get pods\n    expect: allowed\n")
    assert error_of(path) == f"{path}: case 1: name: every case needs a name"


def test_duplicate_case_names_are_an_error(tmp_path):
    path = suite(tmp_path, GOOD_CASE + GOOD_CASE)
    assert error_of(path) == f'{path}: case 2 ("dana lists pods"): the name is used by an earlier case'


def test_the_command_line_leaves_out_kubectl(tmp_path):
    path = suite(tmp_path, "\n  - name: k\n    run: kubectl get pods\n    expect: allowed\n")
    assert "run: leave out 'kubectl'" in error_of(path)


def test_a_bad_request_verb_is_named(tmp_path):
    path = suite(tmp_path, "\n  - name: v\n    request: {verb: fetch, resource: pods}\n    expect: allowed\n")
    assert "request.verb: 'fetch' is not one of create, delete, deletecollection, get, list, patch, update, watch" \
        in error_of(path)


def test_groups_without_a_user_is_an_error(tmp_path):
    path = suite(tmp_path, "\n  - name: g\n    groups: [dev-team]\n    run: get pods\n    expect: allowed\n")
    assert "groups: go with `user`" in error_of(path)


def test_a_missing_policies_directory_is_named(tmp_path):
    path = suite(tmp_path, GOOD_CASE, head=f"root: {REPO}\npolicies: no-such-dir\n")
    assert error_of(path) == f"{path}: policies: no such directory: {REPO / 'no-such-dir'}"


def test_a_missing_objects_file_is_named(tmp_path):
    path = suite(tmp_path, GOOD_CASE, head=f"root: {REPO}\npolicies: policies\nobjects: [manifests/nope.yaml]\n")
    assert error_of(path) == f"{path}: objects[1]: no such file or folder: {REPO / 'manifests' / 'nope.yaml'}"


def test_a_service_account_identity_carries_the_service_account_groups(tmp_path):
    path = suite(tmp_path, "\n  - name: sa\n    serviceaccount: dev/ci\n    run: get pods\n    expect: allowed\n")
    identity = load(path).cases[0].identity
    assert (identity.user, identity.groups) == ("system:serviceaccount:dev:ci",
                                               ("system:serviceaccounts", "system:serviceaccounts:dev"))


def test_defaults_apply_to_every_case_unless_it_sets_the_key(tmp_path):
    path = suite(tmp_path, GOOD_CASE + "\n  - name: other ns\n    run: get pods\n    namespace: kube-system\n"
                                       "    expect: allowed\n", head=f"root: {REPO}\ndefaults: {{namespace: dev}}\n")
    assert [c.namespace for c in load(path).cases] == ["dev", "kube-system"]


def test_kauth_test_exits_2_on_a_malformed_suite_and_names_it(tmp_path):
    path = suite(tmp_path, "\n  - name: no expect\n    run: get pods\n")
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (f'error: {path}: case 1 ("no expect"): expect: every case needs an expectation '
                             '(e.g. `expect: allowed`)\n')
    assert result.stdout == ""


def test_kauth_test_exits_2_when_a_folder_holds_no_suites(tmp_path):
    result = CliRunner().invoke(cli, ["test", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (2, f"error: no suite files (.yaml) in {tmp_path}\n")


def test_a_case_with_its_own_identity_replaces_the_default_identity(tmp_path):
    path = suite(tmp_path, "\n  - {name: default, run: get pods, expect: allowed}"
                           "\n  - {name: own, token: abc, request: {verb: list, resource: pods}, expect: allowed}\n",
                 head=f"root: {REPO}\ndefaults: {{user: dana, groups: [dev-team], run: get pods}}\n")
    default, own = load(path).cases
    assert (default.identity.user, default.identity.groups, default.run) == ("dana", ("dev-team",), "get pods")
    assert (own.identity.user, own.identity.groups, own.identity.token, own.run) == ("", (), "abc", "")


def test_kauths_own_commands_are_not_case_actions(tmp_path):
    path = suite(tmp_path, "\n  - name: init\n    run: init --force\n    expect: allowed\n")
    assert error_of(path) == (f'{path}: case 1 ("init"): run: `init` is kauth\'s own command, not a kubectl request '
                              'to the API server')


def test_mutations_must_be_field_paths(tmp_path):
    text = error_of(suite(tmp_path, GOOD_CASE.replace("expect: allowed", "expect: {mutations: 3}")))
    assert text.endswith("expect.mutations: a list of field paths, or a mapping of admission plugin to field paths")
