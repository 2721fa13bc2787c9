"""Coverage: the RBAC rules, bindings and admission policies of a suite's starting state that its cases
exercised, read from the traces."""

from pathlib import Path

from kauth.testing.coverage import Coverage
from kauth.testing.runner import run_suites
from kauth.testing.suite import load

REPO = Path(__file__).resolve().parents[2]


def coverage_of(tmp_path, states, text: str) -> Coverage:
    path = tmp_path / "suite.yaml"
    path.write_text(f"root: {REPO}\npolicies: policies\n" + text)
    results, starts = run_suites([load(path)], states=states)
    coverage = Coverage()
    for start in starts.values():
        coverage.add_inventory(start)
    for result in results:
        coverage.record(result.id, result.responses)
    return coverage


def covered(coverage: Coverage) -> dict[str, bool]:
    return {id: item.covered for id, item in coverage.items.items()}


def test_the_inventory_is_the_suites_own_policy_not_the_bootstrap_policy(tmp_path, states):
    coverage = coverage_of(tmp_path, states, "cases:\n  - {name: nothing, run: get pods, expect: allowed}\n")
    assert covered(coverage) == {
        "Role dev/workload-editor rule 1": False,
        "Role dev/workload-editor rule 2": False,
        "RoleBinding dev/dev-team-edits-workloads": False,
        "PodSecurity restricted": False,
    }
    assert (coverage.covered, coverage.total, coverage.percent) == (0, 4, 0.0)


def test_an_allowed_request_covers_its_binding_and_the_rule_that_allowed(tmp_path, states):
    coverage = coverage_of(tmp_path, states, """cases:
  - name: dana lists configmaps
    user: dana
    groups: [dev-team]
    request: {verb: list, resource: configmaps, namespace: dev}
    expect: allowed
""")
    assert covered(coverage)["Role dev/workload-editor rule 1"] is True
    assert covered(coverage)["Role dev/workload-editor rule 2"] is False
    assert coverage.items["RoleBinding dev/dev-team-edits-workloads"].cases == ["suite::dana lists configmaps"]


def test_a_denied_request_covers_nothing(tmp_path, states):
    coverage = coverage_of(tmp_path, states, """cases:
  - name: dana reads secrets
    user: dana
    groups: [dev-team]
    request: {verb: list, resource: secrets, namespace: dev}
    expect: forbidden
""")
    assert coverage.covered == 0


def test_pod_security_covers_the_namespace_it_evaluated(tmp_path, states):
    coverage = coverage_of(tmp_path, states, """cases:
  - name: pod in restricted
    run: create -f manifests/pod-restricted.yaml -n restricted
    expect: allowed
""")
    assert covered(coverage)["PodSecurity restricted"] is True


def test_a_cluster_role_bound_by_a_role_binding_counts_its_rules(tmp_path, states):
    coverage = coverage_of(tmp_path, states, """objects:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: secret-reader}
    rules:
    - {apiGroups: [""], resources: [secrets], verbs: [get]}
    - {apiGroups: [""], resources: [secrets], verbs: [list]}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: readers, namespace: dev}
    subjects: [{kind: User, name: rita, apiGroup: rbac.authorization.k8s.io}]
    roleRef: {kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io}
cases:
  - name: rita lists secrets
    user: rita
    request: {verb: list, resource: secrets, namespace: dev}
    expect: allowed
""")
    assert covered(coverage)["ClusterRole secret-reader rule 2"] is True
    assert covered(coverage)["ClusterRole secret-reader rule 1"] is False
    assert covered(coverage)["RoleBinding dev/readers"] is True


AGGREGATED = """objects:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: monitoring}
    aggregationRule:
      clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}}]
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: monitoring-endpoints, labels: {rbac.example.com/aggregate-to-monitoring: "true"}}
    rules:
    - {apiGroups: [""], resources: [services, endpoints], verbs: [get]}
    - {apiGroups: [""], resources: [pods], verbs: [list]}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: monitoring}
    subjects: [{kind: User, name: mo, apiGroup: rbac.authorization.k8s.io}]
    roleRef: {kind: ClusterRole, name: monitoring, apiGroup: rbac.authorization.k8s.io}
cases:
  - name: mo lists pods
    user: mo
    request: {verb: list, resource: pods, namespace: dev}
    expect: {result: allowed, authorized_by: ClusterRoleBinding "monitoring" of ClusterRole "monitoring"}
"""


def test_a_rule_reached_through_an_aggregated_cluster_role_covers_the_rule_it_was_aggregated_from(tmp_path, states):
    coverage = coverage_of(tmp_path, states, AGGREGATED)
    assert covered(coverage)["ClusterRole monitoring-endpoints rule 2"] is True
    assert covered(coverage)["ClusterRole monitoring-endpoints rule 1"] is False
    assert covered(coverage)["ClusterRoleBinding monitoring"] is True
    assert not any(id.startswith("ClusterRole monitoring rule") for id in coverage.items)


def test_aggregation_through_an_aggregated_role_reaches_the_leaf_rules(tmp_path, states):
    nested = AGGREGATED.replace("metadata: {name: monitoring}\n    aggregationRule",
                                "metadata: {name: monitoring, labels: {tier: top}}\n    aggregationRule", 1)
    nested = nested.replace("    roleRef: {kind: ClusterRole, name: monitoring,", "    roleRef: {kind: ClusterRole, name: "
                            "everything,", 1).replace('of ClusterRole "monitoring"', 'of ClusterRole "everything"')
    nested = nested.replace("objects:\n", """objects:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: everything}
    aggregationRule:
      clusterRoleSelectors: [{matchLabels: {tier: top}}]
""", 1)
    coverage = coverage_of(tmp_path, states, nested)
    assert covered(coverage)["ClusterRole monitoring-endpoints rule 2"] is True
    assert covered(coverage)["ClusterRole monitoring-endpoints rule 1"] is False


def test_the_coverage_table_lists_every_item_and_the_total(tmp_path, states):
    coverage = coverage_of(tmp_path, states, "cases:\n  - {name: nothing, run: get pods, expect: allowed}\n")
    table = coverage.table()
    assert "✗  rule                   Role dev/workload-editor rule 1" in table
    assert table.endswith("coverage: 0/4 (0.0%): rule 0/2, binding 0/1, PodSecurity namespace 0/1\n")
    assert coverage.to_dict()["by_kind"]["rule"] == {"covered": 0, "total": 2}
