"""MutatingAdmissionPolicy: which requests a policy mutates, params, match conditions, failure policies, errors and
reinvocation, as kube-apiserver v1.37 (admissionregistration.k8s.io/v1, GA since v1.36).

Sources: staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/mutating/dispatcher.go, plugin.go,
policy/generic/policy_dispatcher.go, and the cases of test/integration/apiserver/cel/mutatingadmissionpolicy_test.go
(cited per test as "integration: <case name>").
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import Chain
from kauth.admission.mutatingpolicy import MutatingAdmissionPolicy
from kauth.api.defaults import apply_defaults
from kauth.api.errors import StatusError

from vap_helpers import TABLE, RecordingAuthorizer, State, create, deployment, namespace

GROUP = "admissionregistration.k8s.io"
DEPLOYMENTS = [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                "resources": ["deployments"]}]


def policy(name="add-label", *mutations: dict, rules=None, **spec) -> dict:
    body = {"matchConstraints": {"resourceRules": rules or DEPLOYMENTS}, "mutations": list(mutations)}
    body.update(spec)
    return {"apiVersion": f"{GROUP}/v1", "kind": "MutatingAdmissionPolicy", "metadata": {"name": name}, "spec": body}


def binding(name="add-label-binding", policy_name="add-label", **spec) -> dict:
    return {"apiVersion": f"{GROUP}/v1", "kind": "MutatingAdmissionPolicyBinding", "metadata": {"name": name},
            "spec": {"policyName": policy_name, **spec}}


def json_patch(expression: str) -> dict:
    return {"patchType": "JSONPatch", "jsonPatch": {"expression": expression}}


def apply_configuration(expression: str) -> dict:
    return {"patchType": "ApplyConfiguration", "applyConfiguration": {"expression": expression}}


def state(*objects: dict) -> State:
    s = State()
    s.add("", "namespaces", namespace())
    for obj in objects:
        plural = {"MutatingAdmissionPolicy": "mutatingadmissionpolicies",
                  "MutatingAdmissionPolicyBinding": "mutatingadmissionpolicybindings"}.get(obj["kind"])
        if plural:
            s.add(GROUP, plural, obj)
        else:
            rt = TABLE.for_kind(obj["apiVersion"], obj["kind"])
            s.add(rt.group, rt.plural, obj)
    return s


def web(**kwargs) -> dict:
    """A Deployment as admission sees it: decoded and defaulted."""
    obj = deployment(**kwargs)
    return apply_defaults(TABLE.for_kind("apps/v1", "Deployment"), obj, server_fills=False)


def admit(s, attributes, plugin=None):
    return (plugin or MutatingAdmissionPolicy()).admit(attributes, s)


def denial(s, attributes, plugin=None) -> StatusError:
    with pytest.raises(StatusError) as info:
        admit(s, attributes, plugin)
    return info.value


ADD_TEAM_LABEL = json_patch('[JSONPatch{op: "add", path: "/metadata/labels/team", value: "payments"}]')


# -- mutating ---------------------------------------------------------------------------------------------------


def test_a_json_patch_adds_a_label():
    obj = web()
    verdict = admit(state(policy("add-label", ADD_TEAM_LABEL), binding()), create(obj))
    assert verdict.changed
    assert verdict.object["metadata"]["labels"] == {"app": "web", "team": "payments"}
    assert obj["metadata"]["labels"] == {"app": "web"}  # the request's object is not modified


def test_an_apply_configuration_sets_a_default_only_when_unset():
    # The documentation's example: set a default with a conditional, keep a value the user chose.
    p = policy("default-replicas", apply_configuration(
        "Object{spec: Object.spec{replicas: has(object.spec.replicas) ? object.spec.replicas : 1}}"))
    b = binding("default-replicas-binding", "default-replicas")
    unset = web()
    del unset["spec"]["replicas"]
    assert admit(state(p, b), create(unset)).object["spec"]["replicas"] == 1
    verdict = admit(state(p, b), create(web(replicas=4)))
    assert verdict.object["spec"]["replicas"] == 4 and not verdict.changed


def test_mutations_of_one_policy_apply_in_order_each_seeing_the_previous_result():
    # integration: "policy with variables" (three mutations, the second testing what the first set)
    p = policy("multi", apply_configuration('Object{metadata: Object.metadata{annotations: {"foo1": variables.foo1}}}'),
               json_patch('[JSONPatch{op: "test", path: "/metadata/annotations", value: {"foo1": variables.foo1}},'
                          ' JSONPatch{op: "add", path: "/metadata/annotations/foo2", value: variables.foo2}]'),
               apply_configuration('Object{metadata: Object.metadata{annotations: {"foo3": "foo3Value"}}}'),
               variables=[{"name": "foo1", "expression": '"foo1" + "Value"'},
                          {"name": "foo2", "expression": 'variables.foo1.replace("1", "2")'}])
    verdict = admit(state(p, binding("multi-binding", "multi")), create(web()))
    assert verdict.object["metadata"]["annotations"] == {"foo1": "foo1Value", "foo2": "foo2Value",
                                                         "foo3": "foo3Value"}


def test_every_policy_sees_the_object_the_policies_before_it_produced():
    first = policy("a-first", json_patch('[JSONPatch{op: "add", path: "/metadata/labels/step", value: "1"}]'))
    second = policy("b-second", apply_configuration(
        'Object{metadata: Object.metadata{labels: {"seen": object.metadata.labels["step"]}}}'))
    s = state(first, second, binding("a", "a-first"), binding("b", "b-second"))
    assert admit(s, create(web())).object["metadata"]["labels"] == {"app": "web", "step": "1", "seen": "1"}


def test_the_object_is_defaulted_after_each_mutation():
    # dispatcher.go dispatchOne: o.GetObjectDefaulter().Default(newVersionedObject)
    p = policy("sidecar", json_patch('[JSONPatch{op: "add", path: "/spec/template/spec/containers/-",'
                                     ' value: {"name": "log", "image": "busybox"}}]'))
    verdict = admit(state(p, binding("sidecar-binding", "sidecar")), create(web()))
    sidecar = verdict.object["spec"]["template"]["spec"]["containers"][1]
    assert sidecar["imagePullPolicy"] == "Always" and sidecar["terminationMessagePolicy"] == "File"


def test_a_failed_test_operation_leaves_the_object_as_it_was_without_error():
    # json_patch.go: errors.Is(err, jsonpatch.ErrTestFailed) returns the object unchanged
    p = policy("guarded", json_patch('[JSONPatch{op: "test", path: "/spec/replicas", value: 100},'
                                     ' JSONPatch{op: "replace", path: "/spec/replicas", value: 3}]'))
    verdict = admit(state(p, binding("guarded-binding", "guarded")), create(web(replicas=1)))
    assert verdict.object["spec"]["replicas"] == 1 and not verdict.changed


def test_the_request_variable_and_the_namespace_object_are_available():
    p = policy("stamp", apply_configuration(
        'Object{metadata: Object.metadata{annotations: {"by": request.userInfo.username,'
        ' "op": request.operation, "ns-phase": namespaceObject.status.phase}}}'))
    verdict = admit(state(p, binding("stamp-binding", "stamp")), create(web()))
    assert verdict.object["metadata"]["annotations"] == {"by": "alice", "op": "CREATE", "ns-phase": "Active"}


def test_the_authorizer_variable_asks_the_cluster_authorizer():
    authz = RecordingAuthorizer({("alice", "get", "", "secrets", "default")})
    p = policy("can-read", apply_configuration(
        'Object{metadata: Object.metadata{labels: {"reads-secrets": string(authorizer.group("")'
        '.resource("secrets").namespace("default").check("get").allowed())}}}'))
    verdict = admit(state(p, binding("can-read-binding", "can-read")), create(web()),
                    MutatingAdmissionPolicy(authorizer=authz))
    assert verdict.object["metadata"]["labels"]["reads-secrets"] == "true"


# -- what a policy applies to -------------------------------------------------------------------------------------


def test_a_policy_that_does_not_match_the_resource_does_nothing():
    p = policy("add-label", ADD_TEAM_LABEL, rules=[{"apiGroups": [""], "apiVersions": ["v1"],
                                                     "operations": ["CREATE"], "resources": ["configmaps"]}])
    verdict = admit(state(p, binding()), create(web()))
    assert not verdict.changed and verdict.message == "no policy applies to this request"


def test_a_policy_without_a_binding_does_nothing():
    # integration: "unbound policy is no-op"
    assert not admit(state(policy("add-label", ADD_TEAM_LABEL)), create(web())).changed


def test_the_bindings_match_resources_narrow_the_policy():
    b = binding(matchResources={"namespaceSelector": {"matchLabels": {"env": "prod"}}})
    assert not admit(state(policy("add-label", ADD_TEAM_LABEL), b), create(web())).changed
    s = state(policy("add-label", ADD_TEAM_LABEL), b)
    s.objects[("", "namespaces")] = [namespace(labels={"env": "prod"})]
    assert admit(s, create(web())).object["metadata"]["labels"]["team"] == "payments"


def test_delete_is_never_handled():
    # plugin.go: admission.NewHandler(admission.Create, admission.Update, admission.Connect)
    plugin = MutatingAdmissionPolicy()
    assert plugin.handles(create(web()))
    assert not plugin.handles(create(web(), operation="DELETE", old=web()))


def test_policies_and_bindings_themselves_are_exempt():
    p = policy("add-label", ADD_TEAM_LABEL)
    attributes = create(web())
    from dataclasses import replace
    rt = replace(attributes.resource_type, group=GROUP, version="v1", kind="MutatingAdmissionPolicy",
                 plural="mutatingadmissionpolicies", namespaced=False)
    assert not MutatingAdmissionPolicy().handles(replace(attributes, resource_type=rt, object=p))


def test_match_conditions_select_the_requests_a_policy_mutates():
    # integration: "match condition matches", "match condition does not match"
    condition = [{"name": "test-only", "expression": 'object.metadata.?labels["environment"] == optional.of("test")'}]
    p = policy("labels", apply_configuration('Object{metadata: Object.metadata{labels: {"applied": "updated"}}}'),
               matchConditions=condition)
    s = state(p, binding("labels-binding", "labels"))
    tested = admit(s, create(web(labels={"environment": "test"})))
    assert tested.object["metadata"]["labels"] == {"environment": "test", "applied": "updated"}
    production = admit(s, create(web(labels={"environment": "production"})))
    assert not production.changed and "match conditions not met" in production.message


# -- params -------------------------------------------------------------------------------------------------------


def config_map(name: str, data: dict, labels=None) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default", "labels": labels or {}}, "data": data}


PARAM_KIND = {"apiVersion": "v1", "kind": "ConfigMap"}
FROM_PARAMS = apply_configuration('Object{metadata: Object.metadata{annotations: params.data}}')


def test_params_give_the_values_a_policy_sets():
    p = policy("annotate", FROM_PARAMS, paramKind=PARAM_KIND)
    b = binding("annotate-binding", "annotate", paramRef={"name": "team-defaults", "namespace": "default"})
    s = state(p, b, config_map("team-defaults", {"owner": "payments"}))
    assert admit(s, create(web())).object["metadata"]["annotations"] == {"owner": "payments"}


def test_a_param_selector_mutates_once_per_param():
    # integration: "multiple params for a binding" (each param is one invocation, in turn)
    p = policy("annotate", FROM_PARAMS, paramKind=PARAM_KIND)
    b = binding("annotate-binding", "annotate",
                paramRef={"selector": {"matchLabels": {"use": "yes"}}, "parameterNotFoundAction": "Deny"})
    s = state(p, b, config_map("a", {"key1": "value1"}, {"use": "yes"}), config_map("b", {"key2": "value2"},
                                                                                   {"use": "yes"}),
              config_map("c", {"key3": "value3"}, {"use": "no"}))
    assert admit(s, create(web())).object["metadata"]["annotations"] == {"key1": "value1", "key2": "value2"}


def test_a_missing_param_with_deny_fails_the_binding():
    p = policy("annotate", FROM_PARAMS, paramKind=PARAM_KIND)
    b = binding("annotate-binding", "annotate",
                paramRef={"name": "absent", "namespace": "default", "parameterNotFoundAction": "Deny"})
    err = denial(state(p, b), create(web()))
    assert err.message == ("policy 'annotate' with binding 'annotate-binding' denied request: failed to configure "
                           "binding: no params found for policy binding with `Deny` parameterNotFoundAction")
    assert (err.code, err.reason) == (403, "Forbidden")


def test_a_missing_param_with_allow_skips_the_policy():
    p = policy("annotate", FROM_PARAMS, paramKind=PARAM_KIND)
    b = binding("annotate-binding", "annotate",
                paramRef={"name": "absent", "namespace": "default", "parameterNotFoundAction": "Allow"})
    assert not admit(state(p, b), create(web())).changed


def test_a_param_kind_that_is_not_served_fails_the_policy():
    p = policy("annotate", FROM_PARAMS, paramKind={"apiVersion": "example.com/v1", "kind": "Limits"})
    err = denial(state(p, binding("annotate-binding", "annotate", paramRef={"name": "x"})), create(web()))
    # policy_dispatcher.go PolicyError.Error(): %q of the policy name when there is no binding
    assert err.message == ('policy "annotate" denied request: failed to configure policy: failed to find resource '
                           "referenced by paramKind: 'example.com/v1, Kind=Limits'")


# -- failures -----------------------------------------------------------------------------------------------------


FAILING = apply_configuration("Object{spec: Object.spec{replicas: object.spec.nope}}")


def test_a_failing_expression_under_fail_denies_the_request():
    err = denial(state(policy("broken", FAILING), binding("broken-binding", "broken")), create(web()))
    message = ("policy 'broken' with binding 'broken-binding' denied request: expression "
               "'Object{spec: Object.spec{replicas: object.spec.nope}}' resulted in error: no such key: nope")
    assert err.message == message
    # admission.NewForbidden (403) with the mutation's reason, Invalid, and every error as a cause
    assert (err.code, err.reason) == (403, "Invalid")
    assert err.details == {"name": "web", "group": "apps", "kind": "deployments", "causes": [{"message": message}]}


def test_a_failing_expression_under_ignore_is_skipped_and_other_mutations_still_apply():
    # integration: "failure policy ignore"; dispatcher.go goes on with the policy's next mutation
    p = policy("broken", FAILING, ADD_TEAM_LABEL, failurePolicy="Ignore")
    verdict = admit(state(p, binding("broken-binding", "broken")), create(web()))
    assert verdict.object["metadata"]["labels"]["team"] == "payments"
    assert "1 error(s) ignored (failurePolicy Ignore)" in verdict.message


def test_an_expression_that_does_not_compile_fails_when_the_policy_is_used():
    p = policy("typo", apply_configuration("Object{spec: Object.spec{replicas: object.spec.replicas +}}"))
    err = denial(state(p, binding("typo-binding", "typo")), create(web()))
    assert err.message == (
        "policy 'typo' with binding 'typo-binding' denied request: compilation failed: ERROR: <input>:1:58: Syntax "
        "error: mismatched input '}' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, "
        "NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
        " | Object{spec: Object.spec{replicas: object.spec.replicas +}}\n"
        " | .........................................................^")


def test_an_expression_of_the_wrong_type_fails():
    # compile.go: "must evaluate to %v but got %v" (patch/smd_test.go "apply configuration with invalid return type")
    err = denial(state(policy("teapot", apply_configuration('"I\'m a teapot!"')), binding("t", "teapot")),
                 create(web()))
    assert err.message == "policy 'teapot' with binding 't' denied request: must evaluate to Object but got string"
    err = denial(state(policy("teapot", json_patch("object.spec.replicas == 1")), binding("t", "teapot")),
                 create(web()))
    assert err.message.endswith("must evaluate to list(JSONPatch) but got bool")


def test_a_map_literal_is_not_an_object():
    # compile.go compares the output type exactly: a map is not the Object type
    err = denial(state(policy("m", apply_configuration('{"metadata": 1}')), binding("m-binding", "m")), create(web()))
    assert err.message.endswith("denied request: must evaluate to Object but got map(string, int)")


def test_an_empty_list_is_not_a_list_of_json_patches():
    err = denial(state(policy("e", json_patch("[]")), binding("e-binding", "e")), create(web()))
    assert err.message.endswith("denied request: must evaluate to list(JSONPatch) but got list(dyn)")


def test_a_list_of_strings_is_not_a_list_of_json_patches():
    err = denial(state(policy("s", json_patch('["add"]')), binding("s-binding", "s")), create(web()))
    assert err.message.endswith("denied request: must evaluate to list(JSONPatch) but got list(string)")

def test_a_json_patch_field_that_does_not_exist_is_a_compile_error():
    p = policy("typo", json_patch('[JSONPatch{opp: "add", path: "/x"}]'))
    err = denial(state(p, binding("typo-binding", "typo")), create(web()))
    # cel-go's checker places a field's error at its colon (checker_test.go: `TestAllTypes{single_int32: 1,
    # undefined: 2}` is reported at 1:40)
    assert err.message.endswith("compilation failed: ERROR: <input>:1:15: undefined field 'opp'\n"
                                ' | [JSONPatch{opp: "add", path: "/x"}]\n | ..............^')


def test_a_patch_that_does_not_apply_fails_under_fail():
    # patch/json_patch_test.go "jsonPatch replace end of list with - not allowed"
    p = policy("bad-path", json_patch('[JSONPatch{op: "replace", path: "/spec/template/spec/containers/-",'
                                      ' value: {"name": "x"}}]'))
    err = denial(state(p, binding("b", "bad-path")), create(web()))
    assert err.message == ("policy 'bad-path' with binding 'b' denied request: JSON Patch: replace operation does not "
                           "apply: doc is missing key: /spec/template/spec/containers/-: missing value")


def test_a_patch_that_would_break_the_object_is_an_internal_error_whatever_the_failure_policy():
    # json_patch.go: the patched JSON is decoded strictly; a decode error is apierrors.NewInternalError, which
    # dispatchInvocations returns as is (a StatusError is never subject to failurePolicy)
    p = policy("bad-field", json_patch('[JSONPatch{op: "add", path: "/spec/template/spec/containers/-",'
                                       ' value: Object.spec.template.spec.containers{name: "x",'
                                       ' ports: [Object.spec.template.spec.containers.ports{containerPortZ: 8080}]}}]'),
               failurePolicy="Ignore")
    err = denial(state(p, binding("b", "bad-field")), create(web()))
    assert (err.code, err.reason) == (500, "InternalError")
    assert err.message == ('Internal error occurred: strict decoding error: unknown field '
                           '"spec.template.spec.containers[1].ports[0].containerPortZ"')


def test_a_match_condition_that_fails_under_fail_denies():
    p = policy("cond", ADD_TEAM_LABEL, matchConditions=[{"name": "c", "expression": "object.spec.nope == 1"}])
    err = denial(state(p, binding("cond-binding", "cond")), create(web()))
    assert err.message == ("policy 'cond' with binding 'cond-binding' denied request: expression "
                           "'object.spec.nope == 1' resulted in error: no such key: nope")
    p["spec"]["failurePolicy"] = "Ignore"
    assert not admit(state(p, binding("cond-binding", "cond")), create(web())).changed


def test_the_first_error_is_the_message_and_every_error_a_cause():
    s = state(policy("a-broken", FAILING), policy("b-broken", FAILING), binding("a", "a-broken"),
              binding("b", "b-broken"))
    err = denial(s, create(web()))
    assert err.message.startswith("policy 'a-broken' with binding 'a' denied request: ")
    assert [c["message"][:35] for c in err.details["causes"]] == ["policy 'a-broken' with binding 'a' ",
                                                                   "policy 'b-broken' with binding 'b' "]


def test_a_denial_through_the_chain_is_recorded_in_the_trace():
    chain = Chain(mutating=[MutatingAdmissionPolicy()])
    outcome = chain.admit(create(web()), state(policy("broken", FAILING), binding("b", "broken")))
    assert outcome.error is not None and outcome.steps[-1].outcome == "rejected"


def test_cost_limits_stop_an_expression():
    # celconfig.PerCallLimit, as for ValidatingAdmissionPolicy
    p = policy("costly", apply_configuration(
        'Object{metadata: Object.metadata{labels: {"n": string([1,2,3,4,5,6,7,8,9,10].all(a,'
        ' [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d,'
        ' [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a + b + c + d + e + f > 0)))))))}}}'))
    err = denial(state(p, binding("b", "costly")), create(web()))
    assert err.message.endswith("operation cancelled: actual cost limit exceeded")


# -- reinvocation -------------------------------------------------------------------------------------------------


def counting(name: str, reinvocation: str) -> dict:
    return policy(name, apply_configuration(
        'Object{metadata: Object.metadata{annotations: {?"foo": optional.of(string(int(object.metadata.annotations'
        f'["foo"]) + 1)), "{name}Applied": "true"}}}}}}'), reinvocationPolicy=reinvocation)


def test_if_needed_policies_run_once_more_after_a_later_policy_changed_the_object():
    # integration: "multiple policies requiring reinvocation": 0 -> 1 -> 2 -> 3, then policy-1 and policy-2 again
    # (IfNeeded) -> 4 -> 5; policy-3 (Never) is not reinvoked, and there is a single reinvocation pass
    s = state(counting("policy-1", "IfNeeded"), counting("policy-2", "IfNeeded"), counting("policy-3", "Never"),
              binding("b1", "policy-1"), binding("b2", "policy-2"), binding("b3", "policy-3"))
    obj = web()
    obj["metadata"]["annotations"] = {"foo": "0"}
    assert Chain(mutating=[MutatingAdmissionPolicy()]).admit(create(obj), s).object["metadata"]["annotations"] == {
        "foo": "5", "policy-1Applied": "true", "policy-2Applied": "true", "policy-3Applied": "true"}


def test_never_policies_run_once():
    s = state(counting("policy-1", "Never"), counting("policy-2", "Never"),
              binding("b1", "policy-1"), binding("b2", "policy-2"))
    obj = web()
    obj["metadata"]["annotations"] = {"foo": "0"}
    assert admit(s, create(obj)).object["metadata"]["annotations"]["foo"] == "2"


def test_a_policy_matching_an_equivalent_version_mutates_the_object_in_that_version():
    # dispatcher.go: versionedAttributes.VersionedAttribute(invocation.Kind); matchPolicy Equivalent (the default)
    # matches an autoscaling/v2 request with autoscaling/v1 rules, the policy sees and patches a v1 object, and
    # the result is converted back to v2
    rules = [{"apiGroups": ["autoscaling"], "apiVersions": ["v1"], "operations": ["CREATE"],
              "resources": ["horizontalpodautoscalers"]}]
    p = policy("cpu-target", apply_configuration(
        'Object{metadata: Object.metadata{labels: {"seen-as": request.kind.version}},'
        ' spec: Object.spec{targetCPUUtilizationPercentage: 60}}'), rules=rules)
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "namespace": "default"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 1, "maxReplicas": 5}}
    got = admit(state(p, binding("cpu-target-binding", "cpu-target")), create(hpa)).object
    assert got["apiVersion"] == "autoscaling/v2" and got["metadata"]["labels"] == {"seen-as": "v1"}
    assert got["spec"]["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}]


def test_a_request_in_a_namespace_that_does_not_exist_is_not_found():
    # dispatcher.go: the namespace is read once some invocation applies; NewNotFound(namespaces)
    s = state(policy("add-label", ADD_TEAM_LABEL), binding())
    s.objects[("", "namespaces")] = []
    err = denial(s, create(web()))
    assert (err.code, err.reason, err.message) == (404, "NotFound", 'namespaces "default" not found')
