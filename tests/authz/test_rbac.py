"""kauth's RBAC authorizer (casbin in the decision path) against the upstream-derived cases."""

import pytest
from cases import CASES

from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Attributes
from kauth.authz.enforcer import RBACEnforcer, model_text
from kauth.authz.rbac import CLUSTER, RBACPolicy, request_subjects


def attributes(case) -> Attributes:
    return Attributes(UserInfo(case["user"], groups=tuple(case["groups"])), case["verb"], case["resource_request"],
                      case["api_group"], "v1", case["resource"], case["subresource"],
                      case["namespace"] if case["resource_request"] else "", case["name"], case["path"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rbac_gives_upstream_decision_and_reason(case):
    decision = RBACPolicy.from_objects(case["objects"]).authorize(attributes(case))
    assert bool(decision.allowed) == case["allowed"]
    assert decision.allowed in (True, None)  # RBAC never denies outright: it has no opinion
    if case["reason"] is not None:
        assert decision.reason == case["reason"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_compiled_matcher_agrees_with_casbins_own_enforce(case):
    """casbin's enforce_ex over the whole policy, one request per (subject, domain), finds an allowing line
    exactly when kauth's compiled matcher does."""
    policy = RBACPolicy.from_objects(case["objects"])
    a = attributes(case)
    domains = (CLUSTER, a.namespace) if a.resource_request and a.namespace else (CLUSTER,)
    path = "" if a.resource_request else a.path
    by_casbin = any(policy.enforcer.enforce(subject, domain, a.verb, a.group, a.resource, a.subresource, a.name,
                                            path)
                    for subject in request_subjects(a.user) for domain in domains)
    assert by_casbin == bool(policy.authorize(a).allowed)


def test_the_models_matcher_may_only_call_registered_functions():
    hostile = model_text().replace("verbMatches(r.verb, p.verbs)", "__import__('os').system('true')")
    with pytest.raises(ValueError, match="may not use|unregistered|no token"):
        RBACEnforcer(hostile)
