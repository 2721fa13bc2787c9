"""RBAC decision speed, measured beside its baselines in the same run.

    python benchmarks/rbac.py [--sizes 10,1000,10000,50000] [--requests 20000] [--seed 1]

Per policy size (bindings; 5 rules a role, 1-3 subjects a binding, 50 namespaces, 200 users, 20 groups):
- kauth: the RBAC authorizer as the API server runs it (index proposes, casbin's compiled matcher and role
  manager decide), uncached, single thread: decisions/s.
- the same index with a plain-Python rule check and no casbin: what casbin in the path costs.
- plain pycasbin: casbin's own Enforcer.enforce over the whole policy, one call per (subject, domain).
- the reference linear scan: kauth/authz/reference.py, kube-apiserver's method (every binding, every request).
- policy load (from the objects) and reload after one binding change (through the API server, until the next
  decision sees it).
- who-can: every subject allowed `get pods` in one namespace, over the whole policy.
Every evaluator answers the same requests; the allowed counts are printed so a mismatch is visible.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, installed or not

from kauth.apiserver.request import Credentials, Request  # noqa: E402
from kauth.authn.user import CLUSTER_ADMIN, UserInfo  # noqa: E402
from kauth.authz import reference, rules  # noqa: E402
from kauth.authz.authorizer import Attributes  # noqa: E402
from kauth.authz.rbac import CLUSTER, RBACPolicy, request_subjects  # noqa: E402
from kauth.authz.who_can import who_can  # noqa: E402

RBAC = "rbac.authorization.k8s.io"
NAMESPACES = [f"ns{i}" for i in range(50)]
USERS = [f"user{i}" for i in range(200)]
GROUPS = [f"group{i}" for i in range(20)]
VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"]
RESOURCES = [("", "pods"), ("", "services"), ("", "configmaps"), ("", "secrets"), ("apps", "deployments"),
             ("apps", "statefulsets"), ("batch", "jobs"), ("", "pods/log"), ("apps", "deployments/scale"),
             ("networking.k8s.io", "ingresses")]


def random_rule(rng: random.Random) -> dict:
    group, resource = rng.choice(RESOURCES)
    rule = {"apiGroups": [group], "resources": [resource], "verbs": rng.sample(VERBS, rng.randint(1, 3))}
    if rng.random() < 0.1:
        rule["resourceNames"] = [f"obj{rng.randint(0, 9)}"]
    return rule


def policy_objects(bindings: int, rng: random.Random) -> list[dict]:
    objects: list[dict] = []
    cluster_roles = [f"cr{i}" for i in range(max(5, bindings // 100))]
    for name in cluster_roles:
        objects.append({"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": name},
                        "rules": [random_rule(rng) for _ in range(5)]})
    roles = {ns: [f"role{i}" for i in range(max(1, bindings // 500))] for ns in NAMESPACES}
    for ns, names in roles.items():
        for name in names:
            objects.append({"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": name, "namespace": ns},
                            "rules": [random_rule(rng) for _ in range(5)]})
    for i in range(bindings):
        subjects = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["User", "User", "Group"])
            subjects.append({"kind": kind, "apiGroup": RBAC,
                             "name": rng.choice(USERS if kind == "User" else GROUPS)})
        if rng.random() < 0.1:
            objects.append({"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": f"crb{i}"},
                            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": rng.choice(cluster_roles)},
                            "subjects": subjects})
            continue
        ns = rng.choice(NAMESPACES)
        kind, role = ("Role", rng.choice(roles[ns])) if rng.random() < 0.5 else ("ClusterRole", rng.choice(cluster_roles))
        objects.append({"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding",
                        "metadata": {"name": f"rb{i}", "namespace": ns},
                        "roleRef": {"apiGroup": RBAC, "kind": kind, "name": role}, "subjects": subjects})
    return objects


def random_requests(count: int, rng: random.Random) -> list[Attributes]:
    out = []
    for _ in range(count):
        user = UserInfo(rng.choice(USERS), groups=tuple(rng.sample(GROUPS, rng.randint(1, 3))))
        group, resource = rng.choice(RESOURCES)
        resource, _, subresource = resource.partition("/")
        name = rng.choice(["", f"obj{rng.randint(0, 9)}"])
        out.append(Attributes(user, rng.choice(VERBS), True, group, "v1", resource, subresource,
                              rng.choice(NAMESPACES), name))
    return out


def plain_python_matches(sub, dom, verb, group, resource, subresource, name, path,
                         role, rule, verbs, groups, resources, names, urls) -> bool:
    """The model's matcher without casbin: the rule check alone (the index already chose the binding)."""
    return rules.rule_allows(verb, group, resource, subresource, name, path, verbs, groups, resources, names, urls)


def per_second(decide, requests: list[Attributes], budget: float = 1.0, repeat: int = 3) -> tuple[float, int, int]:
    """(decisions/s, allowed, asked): the best of `repeat` passes (as timeit takes the minimum, the run least
    disturbed by the machine) over as many requests as the first pass answers in about `budget` seconds.
    A warm-up on the first hundred fills each evaluator's caches of decoded rule fields."""
    for a in requests[:100]:
        decide(a)
    gc.collect()  # a full collection due from building the policy would otherwise land in whichever runs first
    best = float("inf")
    asked = len(requests)
    allowed = 0
    for attempt in range(repeat):
        allowed = 0
        start = time.perf_counter()
        for n, a in enumerate(requests[:asked], 1):
            allowed += bool(decide(a))
            if attempt == 0 and n < asked and time.perf_counter() - start > budget:
                asked = n
                break
        best = min(best, time.perf_counter() - start)
    return asked / best, allowed, asked


def plain_casbin(policy: RBACPolicy):
    enforcer = policy.enforcer

    def decide(a: Attributes) -> bool:
        domains = (CLUSTER, a.namespace) if a.namespace else (CLUSTER,)
        return any(enforcer.enforce(s, d, a.verb, a.group, a.resource, a.subresource, a.name, "")
                   for s in request_subjects(a.user) for d in domains)
    return decide


def reload_through_the_api_server(objects: list[dict]) -> tuple[float, float]:
    """(ms to create one RoleBinding through the API server and have the next decision see it, ms for that
    decision alone on a warmed policy)."""
    from kauth.cluster import Cluster
    from kauth.store.base import Key

    cluster = Cluster.in_memory(bootstrap=False)
    table = cluster.table()
    namespaces = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in NAMESPACES]
    for obj in namespaces + objects:  # straight into the store: the load is measured separately
        rt = table.for_kind(obj["apiVersion"], obj["kind"])
        meta = obj["metadata"]
        cluster.store.create(Key(rt.group, rt.plural, meta.get("namespace", ""), meta["name"]), obj)
    ask = dict(user="newcomer", verb="get", resource="pods", namespace="ns0")
    assert not cluster.authorize(**ask).allowed  # builds the policy once
    warm_up = Request("create", "", "v1", "configmaps", "ns0", body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "warm-up"}},
                      credentials=Credentials(asserted_user=CLUSTER_ADMIN))
    assert cluster.handle(warm_up).ok  # the pipeline's first request imports and builds what it needs
    start = time.perf_counter()
    assert not cluster.authorize(**ask).allowed
    warm = time.perf_counter() - start
    body = {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": {"name": "newcomer", "namespace": "ns0"},
            "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": "role0"},
            "subjects": [{"kind": "User", "apiGroup": RBAC, "name": "newcomer"}]}
    role0 = next(o for o in objects if o["kind"] == "Role" and o["metadata"] == {"name": "role0", "namespace": "ns0"})
    body_rules = role0["rules"]
    ask = dict(user="newcomer", verb=body_rules[0]["verbs"][0], api_group=body_rules[0]["apiGroups"][0],
               resource=body_rules[0]["resources"][0].partition("/")[0],
               subresource=body_rules[0]["resources"][0].partition("/")[2], namespace="ns0",
               name=(body_rules[0].get("resourceNames") or [""])[0])
    start = time.perf_counter()
    response = cluster.handle(Request("create", RBAC, "v1", "rolebindings", "ns0", body=body,
                                      credentials=Credentials(asserted_user=CLUSTER_ADMIN)))
    assert response.ok, response.message
    assert cluster.authorize(**ask).allowed
    return (time.perf_counter() - start) * 1000, warm * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,1000,10000,50000")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    print(f"{'bindings':>8} {'load s':>7} {'kauth/s':>9} {'no casbin/s':>11} {'plain casbin/s':>14} "
          f"{'reference/s':>11} {'kauth vs ref':>12} {'reload ms':>9} {'who-can ms':>10}  "
          "allowed (kauth | no casbin | casbin | ref)")
    for size in map(int, options.sizes.split(",")):
        rng = random.Random(options.seed)
        objects = policy_objects(size, rng)
        requests = random_requests(options.requests, rng)
        start = time.perf_counter()
        policy = RBACPolicy.from_objects(objects)
        load = time.perf_counter() - start

        kauth_rate, kauth_allowed, n = per_second(lambda a: policy.authorize(a).allowed, requests)
        compiled = policy.enforcer.matches
        policy.enforcer.matches = plain_python_matches
        plain_rate, plain_allowed, n_plain = per_second(lambda a: policy.authorize(a).allowed, requests[:n])
        policy.enforcer.matches = compiled
        casbin_rate, casbin_allowed, n_casbin = per_second(plain_casbin(policy), requests, repeat=1)
        ref_rate, ref_allowed, n_ref = per_second(
            lambda a: reference.authorize(objects, a.user.name, a.user.groups, a.verb, api_group=a.group,
                                          resource=a.resource, subresource=a.subresource, namespace=a.namespace,
                                          name=a.name)[0], requests, repeat=1)
        reload_ms, _ = reload_through_the_api_server(objects)
        start = time.perf_counter()
        grants = who_can(policy, Attributes(UserInfo(""), "get", True, "", "v1", "pods", "", "ns0", ""))
        who_can_ms = (time.perf_counter() - start) * 1000
        check = [sum(bool(policy.authorize(a).allowed) for a in requests[:k]) for k in (n_casbin, n_ref)]
        print(f"{size:>8} {load:>7.2f} {kauth_rate:>9.0f} {plain_rate:>11.0f} {casbin_rate:>14.1f} {ref_rate:>11.1f} "
              f"{kauth_rate / ref_rate:>11.0f}x {reload_ms:>9.1f} {who_can_ms:>6.1f} ({len(grants)})  "
              f"{kauth_allowed}/{n} | {plain_allowed}/{n_plain} | "
              f"{casbin_allowed}/{n_casbin} (kauth {check[0]}) | {ref_allowed}/{n_ref} (kauth {check[1]})")


if __name__ == "__main__":
    main()
