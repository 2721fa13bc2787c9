"""The reference RBAC evaluator against upstream-derived cases, and the reference ClusterRole aggregation."""

from pathlib import Path

import pytest
import yaml
from cases import CASES

from kauth.authz.reference import aggregate, authorize

BOOTSTRAP_CLUSTER_ROLES = Path(__file__).parents[2] / "kauth/policies/rbac-bootstrap/cluster-roles.yaml"
REQUEST_FIELDS = ("resource_request", "api_group", "resource", "subresource", "namespace", "name", "path")


def test_cases_are_many_and_uniquely_named():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_authorize_gives_upstream_decision_and_reason(case):
    allowed, reason = authorize(case["objects"], case["user"], case["groups"], case["verb"],
                                **{field: case[field] for field in REQUEST_FIELDS})
    assert allowed == case["allowed"]
    if case["reason"] is not None:
        assert reason == case["reason"]


def test_non_resource_request_ignores_role_bindings_even_with_a_namespace():
    objects = [{"kind": "ClusterRole", "metadata": {"name": "r"},
                "rules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}]},
               {"kind": "RoleBinding", "metadata": {"namespace": "ns1", "name": "b"},
                "roleRef": {"kind": "ClusterRole", "name": "r"}, "subjects": [{"kind": "User", "name": "alice"}]}]
    decision = authorize(objects, "alice", [], "get", resource_request=False, namespace="ns1", path="/healthz")
    assert decision == (False, "")


# --- aggregate(): clusterroleaggregation_controller_test.go TestSyncClusterRole, then kauth's own cases

HAMMER = [{"verbs": ["hammer"], "resources": ["nails"]}, {"verbs": ["hammer"], "resources": ["wedges"]}]
CHISEL = [{"verbs": ["chisel"], "resources": ["mortises"]}]
SAW = [{"verbs": ["saw"], "resources": ["boards"]}]


def cluster_role(name, labels=None, rules=None, selectors=None):
    role = {"kind": "ClusterRole", "metadata": {"name": name, "labels": labels or {}}, "rules": rules}
    if selectors is not None:
        role["aggregationRule"] = {"clusterRoleSelectors": selectors}
    return role


def combined(selectors, *rules):
    return cluster_role("combined", rules=[r for group in rules for r in group],
                        selectors=[{"matchLabels": s} for s in selectors])


def test_aggregate_removes_dead_rules():
    roles = [cluster_role("hammer", {"foo": "bar"}, HAMMER), combined([{"foo": "bar"}], SAW)]
    assert aggregate(roles) == {"combined": HAMMER}


def test_aggregate_strips_rules_when_nothing_is_selected():
    roles = [cluster_role("hammer", {"foo": "not-bar"}, HAMMER), combined([{"foo": "bar"}], HAMMER)]
    assert aggregate(roles) == {"combined": []}


def test_aggregate_selects_roles_in_name_order():
    roles = [cluster_role("hammer", {"foo": "bar"}, HAMMER), cluster_role("chisel", {"foo": "bar"}, CHISEL),
             cluster_role("saw", {"foo": "not-bar"}, SAW), combined([{"foo": "bar"}])]
    assert aggregate(roles) == {"combined": CHISEL + HAMMER}


def test_aggregate_follows_selector_order_then_name_order():
    roles = [cluster_role("hammer", {"foo": "bar"}, HAMMER), cluster_role("chisel", {"foo": "bar"}, CHISEL),
             cluster_role("saw", {"foo": "not-bar"}, SAW), combined([{"foo": "bar"}, {"foo": "not-bar"}])]
    assert aggregate(roles) == {"combined": CHISEL + HAMMER + SAW}


def test_aggregate_drops_duplicate_rules():
    roles = [cluster_role("hammer", {"foo": "bar"}, HAMMER), cluster_role("chisel", {"foo": "bar"}, CHISEL),
             cluster_role("saw", {"foo": "bar"}, SAW), cluster_role("other-saw", {"foo": "not-bar"}, SAW),
             combined([{"foo": "bar"}, {"foo": "not-bar"}])]
    assert aggregate(roles) == {"combined": CHISEL + HAMMER + SAW}


def test_aggregate_treats_absent_and_empty_lists_as_the_same_rule():
    roles = [cluster_role("a", {"x": "y"}, [{"verbs": ["get"], "resources": ["pods"], "resourceNames": []}]),
             cluster_role("b", {"x": "y"}, [{"verbs": ["get"], "resources": ["pods"]}]),
             cluster_role("agg", rules=None, selectors=[{"matchLabels": {"x": "y"}}])]
    assert aggregate(roles) == {"agg": [{"verbs": ["get"], "resources": ["pods"], "resourceNames": []}]}


def test_aggregate_follows_a_chain_to_the_fixpoint():
    # "a" sorts first, so a single pass would compute it from "b"'s stale (empty) rules.
    roles = [cluster_role("a", rules=None, selectors=[{"matchLabels": {"to-a": "true"}}]),
             cluster_role("b", {"to-a": "true"}, None, selectors=[{"matchLabels": {"to-b": "true"}}]),
             cluster_role("c", {"to-b": "true"}, None, selectors=[{"matchLabels": {"to-c": "true"}}]),
             cluster_role("leaf", {"to-c": "true"}, SAW)]
    assert aggregate(roles) == {"a": SAW, "b": SAW, "c": SAW}


def test_aggregate_skips_the_aggregating_role_itself():
    roles = [cluster_role("self", {"pick": "me"}, HAMMER, selectors=[{"matchLabels": {"pick": "me"}}]),
             cluster_role("other", {"pick": "me"}, SAW)]
    assert aggregate(roles) == {"self": SAW}


def test_aggregate_empty_selector_selects_every_other_role():
    roles = [cluster_role("all", selectors=[{}]), cluster_role("hammer", rules=HAMMER), cluster_role("saw", rules=SAW)]
    assert aggregate(roles) == {"all": HAMMER + SAW}


def test_aggregate_empty_aggregation_rule_clears_rules():
    role = cluster_role("agg", rules=HAMMER)
    role["aggregationRule"] = {}
    assert aggregate([role, cluster_role("saw", rules=SAW)]) == {"agg": []}


@pytest.mark.parametrize("expression, expected", [
    ({"key": "tier", "operator": "In", "values": ["a"]}, HAMMER),
    ({"key": "tier", "operator": "NotIn", "values": ["a"]}, SAW + CHISEL),  # also selects roles without the label
    ({"key": "tier", "operator": "Exists"}, HAMMER + SAW),
    ({"key": "tier", "operator": "DoesNotExist"}, CHISEL),
])
def test_aggregate_match_expressions(expression, expected):
    roles = [cluster_role("in", {"tier": "a"}, HAMMER), cluster_role("not-in", {"tier": "b"}, SAW),
             cluster_role("unlabelled", rules=CHISEL),
             cluster_role("pick", selectors=[{"matchExpressions": [expression]}])]
    assert aggregate(roles) == {"pick": expected}


def test_aggregate_leaves_a_role_with_an_invalid_selector_as_stored():
    roles = [cluster_role("bad", rules=HAMMER,
                          selectors=[{"matchExpressions": [{"key": "k", "operator": "Near", "values": ["v"]}]}]),
             cluster_role("saw", {"k": "v"}, SAW)]
    assert aggregate(roles) == {"bad": HAMMER}


@pytest.fixture(scope="module")
def bootstrap_aggregated():
    return aggregate(yaml.safe_load(BOOTSTRAP_CLUSTER_ROLES.read_text())["items"])


def grants(rules, verb, group, resource):
    return any(("*" in r.get("verbs", []) or verb in r.get("verbs", []))
               and ("*" in r.get("apiGroups", []) or group in r.get("apiGroups", []))
               and ("*" in r.get("resources", []) or resource in r.get("resources", [])) for r in rules)


def test_bootstrap_aggregates_exactly_admin_edit_and_view(bootstrap_aggregated):
    assert set(bootstrap_aggregated) == {"admin", "edit", "view"}


def test_bootstrap_view_reads_pods_but_not_secrets(bootstrap_aggregated):
    view = bootstrap_aggregated["view"]
    assert all(grants(view, verb, "", "pods") for verb in ("get", "list", "watch"))
    assert not grants(view, "create", "", "pods")
    assert not any("secrets" in r.get("resources", []) for r in view)


def test_bootstrap_edit_creates_deployments_and_includes_view(bootstrap_aggregated):
    edit, view = bootstrap_aggregated["edit"], bootstrap_aggregated["view"]
    assert grants(edit, "create", "apps", "deployments")
    assert grants(edit, "get", "", "secrets")
    assert all(rule in edit for rule in view)
    assert not grants(edit, "create", "rbac.authorization.k8s.io", "rolebindings")


def test_bootstrap_admin_creates_rolebindings_and_includes_edit(bootstrap_aggregated):
    admin, edit = bootstrap_aggregated["admin"], bootstrap_aggregated["edit"]
    assert grants(admin, "create", "rbac.authorization.k8s.io", "rolebindings")
    assert all(rule in admin for rule in edit)
