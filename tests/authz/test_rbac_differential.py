"""kauth's RBAC (casbin + index, kept in sync write by write) against the independent reference evaluator,
on hypothesis-generated policies, changes and requests: the decision and the reason must be identical."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kauth.authn.user import UserInfo
from kauth.authz import reference
from kauth.authz.authorizer import Attributes
from kauth.authz import rbac
from kauth.authz.rbac import RBACPolicy, binding_key_of

RBAC = "rbac.authorization.k8s.io/v1"
NAMESPACES = ["ns1", "ns2"]
USERS = ["alice", "bob", "system:serviceaccount:ns1:ci", "system:serviceaccount:ns2:ci", 'o"brien']
GROUPS = ["g1", "g10", "dev", "system:authenticated"]
VERBS = ["get", "list", "create", "delete", "watch", "*"]
API_GROUPS = ["", "apps", "*"]
RESOURCES = ["pods", "pods/log", "*/log", "*", "deployments", "pods/*", "*/*", "secrets", "deployments/scale"]
NAMES = ["a", "b", ""]
URLS = ["/healthz", "/api*", "*", "/a*b", "/api", "/apis/**", "/"]
ROLE_NAMES = ["r1", "r2", "r3"]

lists = lambda values, max_size=3: st.lists(st.sampled_from(values), max_size=max_size)  # noqa: E731

resource_rule = st.fixed_dictionaries({"verbs": lists(VERBS), "apiGroups": lists(API_GROUPS),
                                       "resources": lists(RESOURCES)},
                                      optional={"resourceNames": lists(NAMES[:2], 2)})
url_rule = st.fixed_dictionaries({"verbs": lists(["get", "post", "*"]), "nonResourceURLs": lists(URLS)})
rules = st.lists(st.one_of(resource_rule, url_rule), max_size=4)


@st.composite
def subject(draw):
    kind = draw(st.sampled_from(["User", "Group", "ServiceAccount", "Other"]))
    if kind == "User":
        return {"kind": "User", "name": draw(st.sampled_from(USERS))}
    if kind == "Group":
        return {"kind": "Group", "name": draw(st.sampled_from(GROUPS))}
    if kind == "ServiceAccount":
        sa = {"kind": "ServiceAccount", "name": "ci"}
        namespace = draw(st.sampled_from(["", *NAMESPACES]))
        return {**sa, "namespace": namespace} if namespace else sa
    return {"kind": "Other", "name": "alice"}


@st.composite
def rbac_object(draw):
    kind = draw(st.sampled_from(["ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"]))
    name = draw(st.sampled_from(ROLE_NAMES if kind.endswith("Role") else ["b1", "b2", "b3", "b4"]))
    meta = {"name": name}
    if kind in ("Role", "RoleBinding"):
        meta["namespace"] = draw(st.sampled_from(NAMESPACES))
    obj = {"apiVersion": RBAC, "kind": kind, "metadata": meta}
    if kind.endswith("Role"):
        obj["rules"] = draw(rules)
    else:
        ref_kind = draw(st.sampled_from(["ClusterRole", "Role"] if kind == "RoleBinding" else
                                        ["ClusterRole", "ClusterRole", "Role"]))
        obj["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": ref_kind,
                          "name": draw(st.sampled_from(ROLE_NAMES + ["missing"]))}
        obj["subjects"] = draw(st.lists(subject(), max_size=3))
    return obj


@st.composite
def attributes(draw):
    user = UserInfo(draw(st.sampled_from(USERS)), groups=tuple(draw(lists(GROUPS))))
    if draw(st.integers(0, 5)) == 0:
        return Attributes(user, draw(st.sampled_from(["get", "post"])), False,
                          path=draw(st.sampled_from(["/healthz", "/api", "/apis/apps", "/a*b", "/axb", "/"])))
    resource = draw(st.sampled_from(["pods", "deployments", "secrets", "namespaces"]))
    return Attributes(user, draw(st.sampled_from(VERBS[:-1])), True, draw(st.sampled_from(API_GROUPS[:2])), "v1",
                      resource, draw(st.sampled_from(["", "", "log", "scale", "status"])),
                      draw(st.sampled_from(["", *NAMESPACES])), draw(st.sampled_from(NAMES)))


def key(obj):
    return (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def stored(objects):
    """What a store holds after these writes in order: the last write of a key wins."""
    return list({key(o): o for o in objects}.values())


def expected(objects, a: Attributes):
    return reference.authorize(objects, a.user.name, list(a.user.groups), a.verb,
                               resource_request=a.resource_request, api_group=a.group, resource=a.resource,
                               subresource=a.subresource, namespace=a.namespace, name=a.name, path=a.path)


def actual(policy: RBACPolicy, a: Attributes):
    decision = policy.authorize(a)
    return bool(decision.allowed), decision.reason


def write(policy: RBACPolicy, obj: dict, deleted: bool = False) -> None:
    """One write as the informer applies it."""
    meta = obj["metadata"]
    if obj["kind"].endswith("Binding"):
        policy.set_binding(binding_key_of(obj), None if deleted else obj)
    else:
        policy.set_role(obj["kind"], meta.get("namespace", ""), meta["name"], None if deleted else obj)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects=st.lists(rbac_object(), max_size=12), requests=st.lists(attributes(), min_size=1, max_size=15))
def test_rbac_matches_the_reference(objects, requests):
    state = stored(objects)
    for limit in (rbac.MERGE_LIMIT, 0):  # roles merged per subject, and every role probed on its own
        policy = policy_with_merge_limit(state, limit)
        for a in requests:
            assert actual(policy, a) == expected(state, a)


def policy_with_merge_limit(objects, limit: int) -> RBACPolicy:
    saved, rbac.MERGE_LIMIT = rbac.MERGE_LIMIT, limit
    try:
        return RBACPolicy.from_objects(objects)
    finally:
        rbac.MERGE_LIMIT = saved


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.lists(rbac_object(), max_size=8), changes=st.lists(st.tuples(rbac_object(), st.booleans()), max_size=8),
       requests=st.lists(attributes(), min_size=1, max_size=10))
def test_rbac_kept_in_sync_by_writes_matches_the_reference(first, changes, requests):
    """Writes and deletes applied one by one leave the same decisions as a policy built from scratch."""
    for limit in (rbac.MERGE_LIMIT, 0):
        saved, rbac.MERGE_LIMIT = rbac.MERGE_LIMIT, limit
        try:
            check_sync(first, changes, requests)
        finally:
            rbac.MERGE_LIMIT = saved


def check_sync(first, changes, requests):
    state = {key(o): o for o in first}
    policy = RBACPolicy.from_objects(list(state.values()))
    for obj, deleted in changes:
        if deleted:
            obj = state.pop(key(obj), None)
            if obj is None:
                continue
        else:
            state[key(obj)] = obj
        write(policy, obj, deleted)
    for a in requests:
        assert actual(policy, a) == expected(list(state.values()), a)
    rebuilt = RBACPolicy.from_objects(list(state.values()))
    assert sorted(map(tuple, policy.enforcer.get_policy())) == sorted(map(tuple, rebuilt.enforcer.get_policy()))
    assert sorted(map(tuple, policy.enforcer.get_grouping_policy())) == \
        sorted(map(tuple, rebuilt.enforcer.get_grouping_policy()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects=st.lists(rbac_object(), max_size=12), a=attributes())
def test_who_can_lists_exactly_the_subjects_the_reference_allows(objects, a):
    from dataclasses import replace

    from kauth.authz.who_can import who_can

    state = stored(objects)
    grants = [g for g in who_can(RBACPolicy.from_objects(state), a) if g.binding_kind]
    users = {g.subject for g in grants if g.subject_kind == "User"}
    users |= {f"system:serviceaccount:{g.subject_namespace}:{g.subject}" for g in grants
              if g.subject_kind == "ServiceAccount"}
    groups = {g.subject for g in grants if g.subject_kind == "Group"}
    for user in USERS:
        assert (user in users) == expected(state, replace(a, user=UserInfo(user)))[0], user
    for group in GROUPS:
        assert (group in groups) == expected(state, replace(a, user=UserInfo("nobody", groups=(group,))))[0], group


def test_deleting_a_rule_less_role_held_beside_another_keeps_the_index_consistent():
    """Found by hypothesis: a group holds a rule-less Role and a rule-less ClusterRole in one namespace; the
    ClusterRole is deleted, then one binding is rewritten (a KeyError in the incremental index)."""
    rbac_v1 = "rbac.authorization.k8s.io/v1"
    cluster_role = {"apiVersion": rbac_v1, "kind": "ClusterRole", "metadata": {"name": "r1"}, "rules": []}
    role = {"apiVersion": rbac_v1, "kind": "Role", "metadata": {"name": "r2", "namespace": "ns2"}, "rules": []}

    def binding(name, kind, role_name, subjects):
        return {"apiVersion": rbac_v1, "kind": "RoleBinding", "metadata": {"name": name, "namespace": "ns2"},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role_name},
                "subjects": subjects}

    g10 = [{"kind": "Group", "name": "g10"}]
    first = [cluster_role, role, binding("b1", "Role", "r2", g10), binding("b2", "ClusterRole", "r1", g10)]
    changes = [(cluster_role, True), (binding("b1", "ClusterRole", "r1", []), False)]
    for limit in (rbac.MERGE_LIMIT, 0):
        saved, rbac.MERGE_LIMIT = rbac.MERGE_LIMIT, limit
        try:
            check_sync(first, changes, [Attributes(UserInfo("alice"), "get", resource_request=False, path="/healthz")])
        finally:
            rbac.MERGE_LIMIT = saved
