"""How the runner judges a case: results from the responses, isolation between cases, subset matching."""

from pathlib import Path

import pytest

from kauth.testing.runner import mismatches, run_suites
from kauth.testing.suite import load

REPO = Path(__file__).resolve().parents[2]


def run_cases(tmp_path, states, cases: str, head: str = ""):
    path = tmp_path / "suite.yaml"
    path.write_text(f"root: {REPO}\npolicies: policies\n{head}cases:{cases}")
    results, _ = run_suites([load(path)], states=states)
    return results


def test_each_case_starts_from_the_starting_state_even_after_a_write(tmp_path, states):
    results = run_cases(tmp_path, states, """
  - name: create
    run: create -f manifests/pod-nginx.yaml -n dev
    expect: {result: allowed, code: 201}
  - name: create again
    run: create -f manifests/pod-nginx.yaml -n dev
    expect: {result: allowed, code: 201}
  - name: it was never there
    request: {verb: get, resource: pods, namespace: dev, name: my-nginx}
    expect: {code: 404, reason: NotFound}
""")
    assert [(r.status, r.failures) for r in results] == [("passed", [])] * 3


def test_a_get_of_a_missing_object_is_allowed_since_only_an_authorized_request_learns_it_is_missing(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: missing
    user: dana
    groups: [dev-team]
    request: {verb: get, resource: pods, namespace: dev, name: nope}
    expect: {result: allowed, code: 404, message: 'pods "nope" not found'}
""")
    assert result.failures == []


def test_a_wrong_expectation_says_what_was_expected_and_what_came(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: wrong
    user: dana
    groups: [dev-team]
    request: {verb: list, resource: secrets, namespace: dev}
    expect:
      result: allowed
      code: 200
      reason: OK
      stage: validation
      message: nothing like it
      authorized_by: RoleBinding
""")
    message = 'secrets is forbidden: User "dana" cannot list resource "secrets" in API group "" in the namespace "dev"'
    assert result.failures == [
        "expected allowed, got forbidden (403 Forbidden)",
        "expected code 200, got 403 Forbidden",
        "expected reason 'OK', got 'Forbidden'",
        f"expected the message to contain 'nothing like it', got {message!r}",
        "expected a refusal at stage 'validation', got 'authorization' (403 Forbidden)",
        "expected authorization by 'RoleBinding', got no allowing authorization (403 Forbidden)",
    ]


def test_stored_reads_back_the_object_the_request_wrote(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: stored
    run: create configmap settings --from-literal=mode=fast -n dev
    expect:
      stored: {data: {mode: slow}}
""")
    assert result.failures == ['stored configmaps dev/settings: data.mode: expected "slow", got "fast"']


def test_stored_may_name_another_object(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: the namespace is labelled
    request: {verb: list, resource: pods, namespace: dev}
    expect:
      stored: {apiVersion: v1, kind: Namespace, metadata: {name: dev, labels: {team: dev}}}
""")
    assert result.failures == []


def test_a_client_side_error_is_the_error_result_with_kubectls_message(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: no such file
    run: create -f manifests/nope.yaml
    expect: {result: error, exit_code: 1, stderr: 'error: the path "manifests/nope.yaml" does not exist'}
""")
    assert (result.failures, result.responses) == ([], ())


def test_the_case_namespace_goes_before_a_double_dash(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: run a pod
    namespace: dev
    run: run tmp --image=busybox --restart=Never -- sleep 60
    expect:
      stored: {metadata: {namespace: dev}, spec: {containers: [{args: [sleep, "60"]}]}}
""")
    assert result.failures == []


def test_skipped_cases_are_reported_not_run(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: later
    skip: waits for the Node authorizer
    run: get nodes
    expect: allowed
""")
    assert (result.status, result.failures, result.responses) == ("skipped", ["waits for the Node authorizer"], ())


def test_a_missing_service_account_cannot_get_a_token(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: ghost
    serviceaccount-token: dev/ghost
    run: get pods
    expect: forbidden
""")
    assert result.failures == ['could not get a token for ServiceAccount dev/ghost: 404 NotFound: '
                               'serviceaccounts "ghost" not found']


@pytest.mark.parametrize("expected, actual, found", [
    ({"a": 1}, {"a": 1, "b": 2}, []),
    ({"a": {"b": [1, 2]}}, {"a": {"b": [1, 2]}}, []),
    ({"a": {"b": [1]}}, {"a": {"b": [1, 2]}}, ["a.b: expected 1 items, got 2: [1, 2]"]),
    ({"a": [{"x": 1}]}, {"a": [{"x": 2, "y": 3}]}, ["a[0].x: expected 1, got 2"]),
    ({"a": 1}, {}, ["a: expected 1, got nothing"]),
    ({"a": {"b": 1}}, {"a": "text"}, ['a: expected a mapping, got "text"']),
])
def test_mismatches_is_a_subset_match(expected, actual, found):
    assert mismatches(expected, actual) == found


STATE_CASES = """
  - name: the pod of the state is there
    user: dana
    groups: [dev-team]
    request: {verb: get, resource: pods, namespace: dev, name: my-nginx}
    expect: {result: allowed, code: 200}
  - name: the state's RBAC still denies secrets
    user: dana
    groups: [dev-team]
    request: {verb: list, resource: secrets, namespace: dev}
    expect: forbidden
"""


@pytest.fixture(scope="module")
def saved_state(tmp_path_factory):
    """A state file made by `kauth init` holding one Pod, and the same state exported as a List."""
    import yaml

    from kauth.apiserver.request import Request
    from kauth.cluster import Cluster
    from kauth.state import export_state
    from kauth.testing.runner import ADMIN

    folder = tmp_path_factory.mktemp("state")
    with Cluster.init(folder / "state.db", policies=REPO / "policies") as cluster:
        pod = yaml.safe_load((REPO / "manifests" / "pod-nginx.yaml").read_text())
        assert cluster.handle(Request("create", "", "v1", "pods", "dev", body=pod, credentials=ADMIN)).ok
        (folder / "export.yaml").write_text(yaml.safe_dump(export_state(cluster.store)))
    return folder


@pytest.mark.parametrize("state", ["state.db", "export.yaml"])
def test_a_suite_may_start_from_a_state_file_or_an_exported_list(tmp_path, states, saved_state, state):
    results = run_cases(tmp_path, states, STATE_CASES, head=f"state: {saved_state / state}\n")
    assert [(r.status, r.failures) for r in results] == [("passed", [])] * 2


def test_mutated_by_names_the_plugins_that_changed_the_object(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: a configmap is not mutated
    run: create configmap settings --from-literal=mode=fast -n dev
    expect:
      mutated_by: [ServiceAccount]
""")
    assert result.failures == ["expected ServiceAccount to mutate the object, got no mutation"]


def test_mutations_name_the_fields_each_plugin_changed(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: the pod gets its token volume and tolerations
    run: create -f manifests/pod-nginx.yaml -n dev
    expect:
      mutations:
        ServiceAccount: [spec.serviceAccountName, spec.volumes, "spec.containers[0].volumeMounts"]
        DefaultTolerationSeconds: spec.tolerations
""")
    assert result.failures == []


def test_mutations_by_any_plugin_match_changes_below_the_path(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: something sets the priority
    run: create -f manifests/pod-nginx.yaml -n dev
    expect:
      mutations: [spec, spec.priority]
""")
    assert result.failures == []


def test_a_mutation_that_did_not_happen_fails_with_what_did(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: no plugin pulls images always
    run: create -f manifests/pod-nginx.yaml -n dev
    expect:
      mutations:
        Priority: ["spec.containers[0].imagePullPolicy"]
        AlwaysPullImages: ["spec.containers[0].imagePullPolicy"]
""")
    assert result.failures == [
        "expected Priority to change spec.containers[0].imagePullPolicy, it changed spec.preemptionPolicy, "
        "spec.priority",
        "expected AlwaysPullImages to change spec.containers[0].imagePullPolicy, it changed nothing",
    ]


def test_a_kubeconfig_identity_impersonating_goes_before_the_containers_command(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: dana may not impersonate
    kubeconfig: examples/dana.kubeconfig
    as: olga
    run: run tmp --image=busybox --restart=Never -- sleep 60
    expect:
      result: forbidden
      stage: impersonation
""")
    assert result.failures == []
    assert result.response.request.namespace == "dev"


def test_a_generators_own_user_flag_is_not_an_identity_flag(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: dana may not bind roles
    user: dana
    groups: [dev-team]
    run: create rolebinding bob-views --clusterrole=view --user=bob -n dev
    expect:
      result: forbidden
      message: User "dana" cannot create resource "rolebindings"
""")
    assert result.failures == []


def test_an_identity_flag_on_the_line_wins_over_the_cases_identity(tmp_path, states):
    (result,) = run_cases(tmp_path, states, """
  - name: the line's token
    user: dana
    groups: [dev-team]
    run: auth whoami --token reader-token-5a5a5a5a5a5a5a5a5a5a
    expect: {stdout: rita}
""")
    assert result.failures == []


def test_a_request_naming_no_namespace_goes_to_the_cases_namespace(tmp_path, states):
    results = run_cases(tmp_path, states, """
  - name: dana lists configmaps in dev
    user: dana
    groups: [dev-team]
    namespace: dev
    request: {verb: list, resource: configmaps}
    expect: allowed
  - name: namespaces are cluster-scoped whatever the case's namespace
    namespace: dev
    request: {verb: list, resource: namespaces}
    expect: allowed
""")
    assert [(r.failures, r.response.request.url) for r in results] == [
        ([], "/api/v1/namespaces/dev/configmaps"), ([], "/api/v1/namespaces")]


def test_mutations_made_on_the_reinvocation_pass_count():
    from kauth.admission.chain import REINVOCATION
    from kauth.api.changes import ChangeLines
    from kauth.apiserver.request import Request, Response, TraceStep
    from kauth.testing.runner import mutated_fields, mutating_plugins

    def mutated(plugin: str, before: dict, after: dict) -> TraceStep:
        return TraceStep(plugin, "mutated", "", {"changes": ChangeLines(before, after)})

    second_pass = (mutated("MutatingAdmissionWebhook", {"a": 1}, {"a": 2}), mutated("ServiceAccount", {}, {"b": 1}))
    first_pass = (mutated("ServiceAccount", {}, {"spec": {"x": 1}}),
                  TraceStep(REINVOCATION, "reinvoked", "", children=second_pass))
    response = Response(201, {}, Request("create"), (TraceStep("mutating admission", "admitted", "", children=first_pass),))
    assert mutating_plugins(response) == ["ServiceAccount", "MutatingAdmissionWebhook"]
    assert mutated_fields(response) == {"ServiceAccount": ["spec", "b"], "MutatingAdmissionWebhook": ["a"]}
