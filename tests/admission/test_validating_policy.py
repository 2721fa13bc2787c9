"""ValidatingAdmissionPolicy: matching, validations, messages, actions, failure policies, as kube-apiserver v1.37."""

from __future__ import annotations

import json

import pytest

from kauth.admission.chain import Chain
from kauth.admission.validatingpolicy import ValidatingAdmissionPolicy
from kauth.api.errors import StatusError

from vap_helpers import ALICE, RecordingAuthorizer, binding, create, deployment, namespace, policy, state

DENIED = ("deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding "
          "'demo-binding-test.example.com' denied request: ")


def run(s, attributes, plugin=None):
    return (plugin or ValidatingAdmissionPolicy()).validate(attributes, s)


def denial(s, attributes, plugin=None) -> StatusError:
    with pytest.raises(StatusError) as info:
        run(s, attributes, plugin)
    return info.value


def test_failed_validation_is_denied_with_the_expression_as_message():
    err = denial(state(policy(), binding()), create(deployment(replicas=10)))
    assert err.message == DENIED + "failed expression: object.spec.replicas <= 5"
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.details["causes"] == [{"message": err.message.split("is forbidden: ", 1)[1]}]


def test_passing_validation_admits_the_object_unchanged():
    obj = deployment(replicas=2)
    verdict = run(state(policy(), binding()), create(obj))
    assert verdict.object is obj and not verdict.changed and verdict.warnings == ()


def test_a_policy_without_binding_does_nothing():
    run(state(policy()), create(deployment(replicas=10)))


def test_message_is_used_trimmed():
    p = policy(validations=[{"expression": "object.spec.replicas <= 5", "message": "  too many replicas "}])
    assert denial(state(p, binding()), create(deployment(replicas=10))).message == DENIED + "too many replicas"


def test_message_expression_wins_over_message():
    p = policy(validations=[{"expression": "object.spec.replicas <= 5", "message": "static",
                             "messageExpression": "'replicas ' + string(object.spec.replicas) + ' > 5'"}])
    assert denial(state(p, binding()), create(deployment(replicas=10))).message == DENIED + "replicas 10 > 5"


def test_message_expression_failing_falls_back_to_message():
    p = policy(validations=[{"expression": "object.spec.replicas <= 5", "message": "static",
                             "messageExpression": "object.spec.nope"}])
    assert denial(state(p, binding()), create(deployment(replicas=10))).message == DENIED + "static"


def test_multi_line_message_expression_falls_back_to_the_expression():
    p = policy(validations=[{"expression": "object.spec.replicas <= 5", "messageExpression": "'a\\nb'"}])
    err = denial(state(p, binding()), create(deployment(replicas=10)))
    assert err.message == DENIED + "failed expression: object.spec.replicas <= 5"


@pytest.mark.parametrize("reason, code", [("Forbidden", 403), ("Unauthorized", 401),
                                          ("RequestEntityTooLarge", 413), ("Invalid", 422)])
def test_reason_sets_status_reason_and_code(reason, code):
    p = policy(validations=[{"expression": "false", "reason": reason}])
    err = denial(state(p, binding()), create(deployment()))
    assert (err.reason, err.code) == (reason, code)


def test_warn_action_warns_and_admits():
    verdict = run(state(policy(), binding(actions=("Warn",))), create(deployment(replicas=10)))
    assert verdict.warnings == ("Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with "
                                "binding 'demo-binding-test.example.com': failed expression: "
                                "object.spec.replicas <= 5",)


def test_audit_action_records_the_validation_failure_annotation():
    verdict = run(state(policy(), binding(actions=("Audit", "Warn"))), create(deployment(replicas=10)))
    value = json.loads(verdict.audit_annotations["validation.policy.admission.k8s.io/validation_failure"])
    assert value == [{"message": "failed expression: object.spec.replicas <= 5",
                      "policy": "demo-policy.example.com", "binding": "demo-binding-test.example.com",
                      "expressionIndex": 0, "validationActions": ["Audit", "Warn"]}]
    assert len(verdict.warnings) == 1


def test_runtime_error_follows_failure_policy_fail():
    p = policy(validations=[{"expression": "object.spec.nope == 1"}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message == DENIED + "expression 'object.spec.nope == 1' resulted in error: no such key: nope"


def test_runtime_error_with_failure_policy_ignore_admits():
    p = policy(validations=[{"expression": "object.spec.nope == 1"}], failurePolicy="Ignore")
    run(state(p, binding()), create(deployment()))


def test_expression_that_does_not_compile_denies_with_cel_issues():
    p = policy(validations=[{"expression": "object.spec.replicas <="}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message.startswith(DENIED + "compilation error: compilation failed: ERROR: <input>:1:24: Syntax error:")
    assert err.message.endswith("\n | object.spec.replicas <=\n | .......................^")


def test_expression_not_returning_bool_is_a_compilation_error():
    p = policy(validations=[{"expression": "object.spec.replicas"}])
    assert denial(state(p, binding()), create(deployment())).message == DENIED + "compilation error: must evaluate to bool"


def test_type_error_is_reported_as_cel_go_does():
    p = policy(validations=[{"expression": "1 + 'a' == 2"}])
    err = denial(state(p, binding()), create(deployment()))
    assert "found no matching overload for '_+_' applied to '(int, string)'" in err.message


def test_first_denial_is_reported_after_all_policies_ran():
    p1 = policy("a-policy", validations=[{"expression": "false", "message": "first"}])
    p2 = policy("b-policy", validations=[{"expression": "false", "message": "second"}])
    s = state(p1, p2, binding("a-binding", "a-policy"), binding("b-binding", "b-policy", actions=("Warn",)))
    plugin = ValidatingAdmissionPolicy()
    outcome = Chain(validating=[plugin]).validate(create(deployment()), s)
    assert outcome.error.message.endswith("ValidatingAdmissionPolicy 'a-policy' with binding 'a-binding' denied "
                                          "request: first")


# -- matching ---------------------------------------------------------------------------------------------------

def test_resource_rules_that_do_not_match_skip_the_policy():
    rules = [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}]
    run(state(policy(rules=rules), binding()), create(deployment(replicas=10)))


def test_operation_not_listed_skips_the_policy():
    rules = [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["UPDATE"], "resources": ["deployments"]}]
    run(state(policy(rules=rules), binding()), create(deployment(replicas=10)))


def test_wildcards_match_every_resource_but_not_subresources():
    rules = [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]
    s = state(policy(rules=rules), binding())
    denial(s, create(deployment(replicas=10)))
    run(s, create(deployment(replicas=10), operation="UPDATE", old=deployment(), subresource="scale"))


def test_subresource_rule_matches_the_subresource_and_the_resource_itself():
    rules = [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["UPDATE"], "resources": ["deployments/*"]}]
    p = policy(rules=rules, validations=[{"expression": "request.?subResource.orValue('') != 'scale'"}])
    s = state(p, binding())
    denial(s, create(deployment(), operation="UPDATE", old=deployment(), subresource="scale"))
    run(s, create(deployment(), operation="UPDATE", old=deployment()))
    p["spec"]["validations"] = [{"expression": "has(request.subResource)"}]
    denial(s, create(deployment(), operation="UPDATE", old=deployment()))  # `deployments/*` covers deployments too


def test_star_slash_subresource_matches_that_subresource_of_every_resource():
    rules = [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["UPDATE"], "resources": ["*/scale"]}]
    s = state(policy(rules=rules), binding())
    denial(s, create(deployment(replicas=9), operation="UPDATE", old=deployment(), subresource="scale"))
    run(s, create(deployment(replicas=9), operation="UPDATE", old=deployment()))


def test_exclude_resource_rules_win():
    p = policy()
    p["spec"]["matchConstraints"]["excludeResourceRules"] = [
        {"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["*"], "resources": ["deployments"],
         "resourceNames": ["web"]}]
    run(state(p, binding()), create(deployment(replicas=10)))
    denial(state(p, binding()), create(deployment(replicas=10, name="api")))


def test_namespace_selector_reads_the_namespace_labels():
    p = policy()
    p["spec"]["matchConstraints"]["namespaceSelector"] = {"matchLabels": {"env": "prod"}}
    s = state(p, binding())
    run(s, create(deployment(replicas=10)))
    s.add("", "namespaces", namespace("prod", {"env": "prod"}))
    denial(s, create(deployment(replicas=10, namespace_name="prod")))


def test_object_selector_matches_new_or_old_labels():
    p = policy()
    p["spec"]["matchConstraints"]["objectSelector"] = {"matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["critical"]}]}
    s = state(p, binding())
    run(s, create(deployment(replicas=10)))
    denial(s, create(deployment(replicas=10, labels={"tier": "critical"})))
    denial(s, create(deployment(replicas=10), operation="UPDATE", old=deployment(labels={"tier": "critical"})))


def test_binding_match_resources_narrow_the_policy():
    b = binding(matchResources={"namespaceSelector": {"matchLabels": {"env": "prod"}}})
    run(state(policy(), b), create(deployment(replicas=10)))


def test_match_policy_exact_does_not_match_another_version():
    rules = [{"apiGroups": ["autoscaling"], "apiVersions": ["v2"], "operations": ["CREATE"],
              "resources": ["horizontalpodautoscalers"]}]
    hpa = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "namespace": "default"}, "spec": {"maxReplicas": 50}}
    p = policy(rules=rules, validations=[{"expression": "request.kind.version == 'v1'"}])
    err = denial(state(p, binding()), create(hpa))  # Equivalent: evaluated as the v2 kind
    assert "failed expression: request.kind.version == 'v1'" in err.message
    p["spec"]["matchConstraints"]["matchPolicy"] = "Exact"
    run(state(p, binding()), create(hpa))


def test_admission_configuration_resources_are_exempt():
    rules = [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]
    p = policy(rules=rules, validations=[{"expression": "false"}])
    assert not ValidatingAdmissionPolicy().handles(create(p))


# -- match conditions -------------------------------------------------------------------------------------------

def test_false_match_condition_skips_the_policy():
    p = policy(matchConditions=[{"name": "not-web", "expression": "object.metadata.name != 'web'"}])
    run(state(p, binding()), create(deployment(replicas=10)))
    denial(state(p, binding()), create(deployment(replicas=10, name="api")))


def test_match_condition_error_follows_failure_policy():
    p = policy(matchConditions=[{"name": "broken", "expression": "object.metadata.nope == 'x'"}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message == DENIED + "expression 'object.metadata.nope == 'x'' resulted in error: no such key: nope"
    p["spec"]["failurePolicy"] = "Ignore"
    run(state(p, binding()), create(deployment(replicas=10)))


# -- params -----------------------------------------------------------------------------------------------------

def limits(name="limits", max_replicas="5", labels=None, ns="default") -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {}}, "data": {"max": max_replicas}}


PARAM_POLICY = dict(paramKind={"apiVersion": "v1", "kind": "ConfigMap"},
                    validations=[{"expression": "object.spec.replicas <= int(params.data.max)",
                                  "messageExpression": "'at most ' + params.data.max + ' replicas'"}])


def test_params_by_name():
    b = binding(paramRef={"name": "limits", "parameterNotFoundAction": "Deny"})
    s = state(policy(**PARAM_POLICY), b, limits(max_replicas="2"))
    assert denial(s, create(deployment(replicas=3))).message == DENIED + "at most 2 replicas"
    run(s, create(deployment(replicas=2)))


def test_params_see_their_kind_and_api_version():
    p = policy(paramKind={"apiVersion": "v1", "kind": "ConfigMap"},
               validations=[{"expression": "params.kind == 'ConfigMap' && params.apiVersion == 'v1'"}])
    cm = limits()
    del cm["apiVersion"], cm["kind"]
    s = state(p, binding(paramRef={"name": "limits", "parameterNotFoundAction": "Deny"}))
    s.add("", "configmaps", cm)
    run(s, create(deployment()))


def test_missing_params_with_deny_action_is_a_binding_configuration_error():
    b = binding(paramRef={"name": "limits", "parameterNotFoundAction": "Deny"})
    err = denial(state(policy(**PARAM_POLICY), b), create(deployment()))
    assert err.message == DENIED + ("failed to configure binding: no params found for policy binding with `Deny` "
                                    "parameterNotFoundAction")
    assert err.code == 422


def test_missing_params_with_allow_action_evaluates_nothing():
    b = binding(paramRef={"name": "limits", "parameterNotFoundAction": "Allow"})
    run(state(policy(**PARAM_POLICY), b), create(deployment(replicas=10)))


def test_unknown_param_kind_is_a_policy_configuration_error():
    p = policy(**{**PARAM_POLICY, "paramKind": {"apiVersion": "example.com/v1", "kind": "Limits"}})
    err = denial(state(p, binding(paramRef={"name": "x", "parameterNotFoundAction": "Deny"})), create(deployment()))
    assert err.message == ("deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' "
                           "denied request: failed to configure policy: failed to find resource referenced by "
                           "paramKind: 'example.com/v1, Kind=Limits'")
    p["spec"]["failurePolicy"] = "Ignore"
    run(state(p, binding(paramRef={"name": "x", "parameterNotFoundAction": "Deny"})), create(deployment()))


def test_namespaced_param_kind_needs_a_namespace_for_cluster_scoped_requests():
    rules = [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["namespaces"]}]
    p = policy(rules=rules, **PARAM_POLICY)
    err = denial(state(p, binding(paramRef={"name": "limits", "parameterNotFoundAction": "Deny"})),
                 create(namespace("team-a")))
    assert err.message.endswith("denied request: failed to configure binding: cannot use namespaced paramRef in "
                                "policy binding that matches cluster-scoped resources")


def test_selector_evaluates_each_matching_param():
    b = binding(paramRef={"selector": {"matchLabels": {"team": "a"}}, "parameterNotFoundAction": "Deny"},
                actions=("Warn",))
    s = state(policy(**PARAM_POLICY), b, limits("l1", "2", {"team": "a"}), limits("l2", "1", {"team": "a"}),
              limits("l3", "0", {"team": "b"}))
    verdict = run(s, create(deployment(replicas=3)))
    assert [w.rsplit(": ", 1)[1] for w in verdict.warnings] == ["at most 2 replicas", "at most 1 replicas"]


def test_policy_with_param_kind_and_binding_without_param_ref_gets_null_params():
    p = policy(paramKind={"apiVersion": "v1", "kind": "ConfigMap"}, validations=[{"expression": "params == null"}])
    run(state(p, binding()), create(deployment()))


# -- variables and the other CEL variables ----------------------------------------------------------------------

def test_variables_compose_lazily():
    p = policy(variables=[{"name": "containers", "expression": "object.spec.template.spec.containers"},
                          {"name": "untagged", "expression": "variables.containers.filter(c, !c.image.contains(':'))"},
                          {"name": "broken", "expression": "object.nope"}],
               validations=[{"expression": "size(variables.untagged) == 0",
                             "messageExpression": "'untagged: ' + variables.untagged.map(c, c.name).join(', ')"}])
    s = state(p, binding())
    run(s, create(deployment()))
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"].append({"name": "side", "image": "busybox"})
    assert denial(s, create(obj)).message == DENIED + "untagged: side"


def test_a_failing_variable_fails_the_expressions_that_read_it():
    p = policy(variables=[{"name": "broken", "expression": "object.nope"}],
               validations=[{"expression": "variables.broken == 1"}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message == DENIED + ("expression 'variables.broken == 1' resulted in error: composited variable "
                                    "\"broken\" fails to evaluate: no such key: nope")


def test_a_variable_that_does_not_compile_fails_the_expressions_that_read_it():
    p = policy(variables=[{"name": "broken", "expression": "object.spec.replicas +"}],
               validations=[{"expression": "true"}, {"expression": "variables.broken == 1"}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message.startswith(DENIED + "expression 'variables.broken == 1' resulted in error: composited variable "
                                           "\"broken\" fails to compile: compilation failed: ERROR: <input>:1:23:")


def test_request_variable_has_the_admission_request_shape():
    p = policy(validations=[{"expression": "request.operation == 'CREATE' && request.userInfo.username == 'alice'"
                                           " && request.namespace == 'default' && request.name == 'web'"
                                           " && request.kind.kind == 'Deployment' && request.resource.resource =="
                                           " 'deployments' && 'dev' in request.userInfo.groups"
                                           " && request.options.kind == 'CreateOptions' && !has(request.dryRun)"}])
    run(state(p, binding()), create(deployment()))


def test_old_object_is_null_on_create_and_object_null_on_delete():
    rules = [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["*"], "resources": ["deployments"]}]
    p = policy(rules=rules, validations=[{"expression": "oldObject == null || object == null"}])
    s = state(p, binding())
    run(s, create(deployment()))
    run(s, create(deployment(), operation="DELETE", old=deployment()))
    denial(s, create(deployment(), operation="UPDATE", old=deployment()))


def test_namespace_object_is_the_request_namespace():
    p = policy(validations=[{"expression": "namespaceObject.metadata.labels.env == 'prod'",
                             "messageExpression": "'namespace ' + namespaceObject.metadata.name + ' is not prod'"}])
    s = state(p, binding())
    assert denial(s, create(deployment())).message == DENIED + "expression 'namespaceObject.metadata.labels.env ==" \
        " 'prod'' resulted in error: no such key: env"
    s.add("", "namespaces", namespace("prod", {"env": "prod"}))
    run(s, create(deployment(namespace_name="prod")))


def test_authorizer_variable_asks_the_plugin_authorizer_as_the_requester():
    authorizer = RecordingAuthorizer({("alice", "update", "apps", "deployments", "default")})
    p = policy(validations=[{"expression": "authorizer.group('apps').resource('deployments').namespace("
                                           "object.metadata.namespace).check('update').allowed()",
                             "reason": "Forbidden", "message": "need update"}])
    s = state(p, binding())
    plugin = ValidatingAdmissionPolicy(authorizer=authorizer)
    run(s, create(deployment()), plugin)
    asked = authorizer.asked[0]
    assert (asked.user, asked.verb, asked.group, asked.resource, asked.namespace) == (
        ALICE, "update", "apps", "deployments", "default")
    bob = create(deployment(), user=ALICE.__class__("bob"))
    err = denial(s, bob, plugin)
    assert (err.code, err.message) == (403, DENIED + "need update")


def test_authorizer_request_resource_and_service_account():
    authorizer = RecordingAuthorizer({("alice", "create", "apps", "deployments", "default"),
                                      ("system:serviceaccount:ci:deployer", "get", "", "secrets", "")})
    p = policy(validations=[
        {"expression": "authorizer.requestResource.check('create').allowed()"},
        {"expression": "authorizer.serviceAccount('ci', 'deployer').group('').resource('secrets')"
                       ".check('get').reason() == 'allowed by test'"}])
    run(state(p, binding()), create(deployment()), ValidatingAdmissionPolicy(authorizer=authorizer))
    assert authorizer.asked[1].user.groups == ("system:serviceaccounts", "system:serviceaccounts:ci")


def test_audit_annotations_are_published_under_the_policy_name():
    p = policy(auditAnnotations=[{"key": "high-replicas", "valueExpression":
                                  "object.spec.replicas > 2 ? 'replicas: ' + string(object.spec.replicas) : ''"}],
               validations=[{"expression": "true"}])
    verdict = run(state(p, binding()), create(deployment(replicas=4)))
    assert verdict.audit_annotations == {"demo-policy.example.com/high-replicas": "replicas: 4"}
    assert run(state(p, binding()), create(deployment(replicas=1))).audit_annotations == {}


def test_audit_annotation_error_denies_under_failure_policy_fail():
    p = policy(auditAnnotations=[{"key": "k", "valueExpression": "string(object.nope)"}], validations=[])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message == DENIED + "expression 'string(object.nope)' resulted in error: no such key: nope"


def test_audit_annotation_must_be_string_or_null():
    p = policy(auditAnnotations=[{"key": "k", "valueExpression": "object.spec.replicas"}], validations=[])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message == DENIED + "compilation error: must evaluate to one of [string null_type]"


# -- cost limits ------------------------------------------------------------------------------------------------

def big_deployment(n=200):
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"] = [{"name": f"c{i}", "image": "nginx"} for i in range(n)]
    return obj


RUNAWAY = ("object.spec.template.spec.containers.all(a, object.spec.template.spec.containers.all(b, "
           "object.spec.template.spec.containers.all(c, a.name != '' && b.name != '' && c.name != '')))")


def test_runaway_expression_stops_at_the_per_call_limit():
    p = policy(validations=[{"expression": RUNAWAY}])
    err = denial(state(p, binding()), create(big_deployment()))
    assert err.message == DENIED + f"expression '{RUNAWAY}' resulted in error: operation cancelled: actual cost " \
                                   "limit exceeded"


def test_expressions_share_the_runtime_cost_budget():
    # each costs about 300 x 2,000 (a tenth of a 20,000-character string per contains): 600,000 < PerCallLimit,
    # twenty of them 12,000,000 > RuntimeCELCostBudget
    obj = big_deployment(300)
    for c in obj["spec"]["template"]["spec"]["containers"]:
        c["image"] = "n" * 20_000
    p = policy(validations=[{"expression": "object.spec.template.spec.containers.all(c, !c.image.contains('x'))"}]
               * 20)
    err = denial(state(p, binding()), create(obj))
    assert err.message == DENIED + ("validation failed due to running out of cost budget, no further validation "
                                    "rules will be run")


def test_small_objects_are_far_from_the_cost_limits():
    p = policy(validations=[{"expression": RUNAWAY}])
    run(state(p, binding()), create(big_deployment(5)))


def test_params_is_undeclared_without_param_kind():
    p = policy(validations=[{"expression": "params == null"}])
    err = denial(state(p, binding()), create(deployment()))
    assert err.message.startswith(DENIED + "compilation error: compilation failed: ERROR: <input>:1:1: undeclared "
                                           "reference to 'params'")


def test_message_expression_cannot_use_the_authorizer():
    p = policy(validations=[{"expression": "false", "message": "static",
                             "messageExpression": "authorizer.group('').resource('pods').check('get').reason()"}])
    plugin = ValidatingAdmissionPolicy(authorizer=RecordingAuthorizer())
    assert denial(state(p, binding()), create(deployment()), plugin).message == DENIED + "static"


def test_namespace_requests_match_the_selector_on_the_namespace_itself_and_get_no_namespace_object():
    rules = [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["namespaces"]}]
    p = policy(rules=rules, validations=[{"expression": "namespaceObject == null && object.metadata.name != 'prod'"}])
    p["spec"]["matchConstraints"]["namespaceSelector"] = {"matchLabels": {"env": "prod"}}
    s = state(p, binding())
    run(s, create(namespace("prod")))  # no env label: not selected
    err = denial(s, create(namespace("prod", {"env": "prod"})))
    assert err.message.startswith("namespaces \"prod\" is forbidden: ValidatingAdmissionPolicy")


def test_audit_annotation_values_of_several_bindings_are_joined():
    p = policy(paramKind={"apiVersion": "v1", "kind": "ConfigMap"}, validations=[],
               auditAnnotations=[{"key": "limit", "valueExpression": "'max ' + params.data.max"}])
    s = state(p, binding("b1", paramRef={"name": "l1", "parameterNotFoundAction": "Deny"}),
              binding("b2", paramRef={"name": "l2", "parameterNotFoundAction": "Deny"}),
              binding("b3", paramRef={"name": "l3", "parameterNotFoundAction": "Deny"}),
              limits("l1", "2"), limits("l2", "3"), limits("l3", "2"))
    verdict = run(s, create(deployment()))
    assert verdict.audit_annotations == {"demo-policy.example.com/limit": "max 2, max 3"}


def test_dry_run_is_visible_to_expressions():
    p = policy(validations=[{"expression": "request.?dryRun.orValue(false) == false", "message": "no dry runs"}])
    s = state(p, binding())
    run(s, create(deployment()))
    assert denial(s, create(deployment(), dry_run=True)).message == DENIED + "no dry runs"
