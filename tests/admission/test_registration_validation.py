"""Validation of admissionregistration.k8s.io/v1 objects, with upstream's field paths and messages
(pkg/apis/admissionregistration/validation/validation.go, staging/.../apiserver/pkg/util/webhook/validation.go)."""

from __future__ import annotations

import copy

import pytest

from kauth.admission.registration_validation import validate_registration

NOT_BOTH = ("must not contain both Deny and Warn (repeating the same validation failure information in the API "
            "response and headers serves no purpose)")
RULE = {"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}


def errors(kind: str, obj: dict, old: dict | None = None) -> list[str]:
    return [str(e) for e in validate_registration(kind, obj, old)]


def vap_binding(**spec) -> dict:
    base = {"policyName": "demo-policy.example.com", "validationActions": ["Deny"]}
    return {"metadata": {"name": "demo-binding"}, "spec": {**base, **spec}}


def vap(**spec) -> dict:
    base = {"failurePolicy": "Fail", "matchConstraints": {"resourceRules": [copy.deepcopy(RULE)]},
            "validations": [{"expression": "object.spec.replicas <= 5"}]}
    return {"metadata": {"name": "demo-policy.example.com"}, "spec": {**base, **spec}}


def webhook(**fields) -> dict:
    base = {"name": "check.example.com", "sideEffects": "None", "admissionReviewVersions": ["v1"],
            "clientConfig": {"service": {"namespace": "default", "name": "hook"}}, "rules": [copy.deepcopy(RULE)]}
    return {**base, **fields}


def vwc(*hooks) -> dict:
    return {"metadata": {"name": "demo"}, "webhooks": list(hooks)}


def map_policy(**spec) -> dict:
    base = {"matchConstraints": {"resourceRules": [copy.deepcopy(RULE)]},
            "mutations": [{"patchType": "ApplyConfiguration", "applyConfiguration": {
                "expression": "Object{metadata: Object.metadata{labels: {'a': 'b'}}}"}}],
            "reinvocationPolicy": "Never"}
    return {"metadata": {"name": "demo"}, "spec": {**base, **spec}}


# --- the contract --------------------------------------------------------------------------------------------


def test_valid_objects_have_no_errors():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding()) == []
    assert errors("ValidatingAdmissionPolicy", vap()) == []
    assert errors("ValidatingWebhookConfiguration", vwc(webhook())) == []
    assert errors("MutatingWebhookConfiguration", vwc(webhook(reinvocationPolicy="IfNeeded"))) == []
    assert errors("MutatingAdmissionPolicy", map_policy()) == []
    assert errors("MutatingAdmissionPolicyBinding", {"spec": {"policyName": "demo"}}) == []


def test_other_kinds_are_not_validated_here():
    assert errors("ConfigMap", {"spec": {}}) == []


# --- ValidatingAdmissionPolicyBinding ------------------------------------------------------------------------


def test_binding_requires_a_policy_name():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(policyName="")) == ["spec.policyName: Required value"]


def test_binding_policy_name_is_a_dns_subdomain():
    [err] = errors("ValidatingAdmissionPolicyBinding", vap_binding(policyName="Bad_Name"))
    assert err.startswith('spec.policyName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist')


def test_binding_requires_at_least_one_validation_action():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(validationActions=[])) == [
        "spec.validationActions: Required value: at least one validation action is required"]


def test_validation_actions_are_deny_warn_or_audit():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(validationActions=["Block"])) == [
        'spec.validationActions[0]: Unsupported value: "Block": supported values: "Audit", "Deny", "Warn"']


def test_validation_actions_are_not_repeated():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(validationActions=["Audit", "Audit"])) == [
        'spec.validationActions[1]: Duplicate value: "Audit"']


def test_deny_and_warn_are_not_used_together():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(validationActions=["Deny", "Warn"])) == [
        'spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: '
        + NOT_BOTH]


def test_param_ref_name_and_selector_are_mutually_exclusive():
    ref = {"name": "p", "selector": {}, "parameterNotFoundAction": "Deny"}
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(paramRef=ref)) == [
        "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
        "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive"]


def test_param_ref_needs_a_name_or_a_selector():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(paramRef={"parameterNotFoundAction": "Allow"})) == [
        "spec.paramRef: Required value: one of name or selector must be specified"]


def test_param_ref_requires_a_parameter_not_found_action():
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(paramRef={"name": "p"})) == [
        "spec.paramRef.parameterNotFoundAction: Required value"]


def test_parameter_not_found_action_is_deny_or_allow():
    ref = {"name": "p", "parameterNotFoundAction": "Ignore"}
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(paramRef=ref)) == [
        'spec.paramRef.parameterNotFoundAction: Unsupported value: "Ignore": supported values: "Deny", "Allow"']


def test_binding_match_resources_are_reported_under_upstreams_misspelled_path():
    match = {"resourceRules": [{**RULE, "operations": ["GET"]}]}
    assert errors("ValidatingAdmissionPolicyBinding", vap_binding(matchResources=match)) == [
        'spec.matchResouces.resourceRules[0].operations[0]: Unsupported value: "GET": '
        'supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']


# --- ValidatingAdmissionPolicy -------------------------------------------------------------------------------


def test_policy_failure_policy_is_fail_or_ignore():
    assert errors("ValidatingAdmissionPolicy", vap(failurePolicy="Retry")) == [
        'spec.failurePolicy: Unsupported value: "Retry": supported values: "Fail", "Ignore"']


def test_policy_requires_match_constraints():
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints=None)) == ["spec.matchConstraints: Required value"]


def test_match_constraints_require_resource_rules():
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints={})) == [
        "spec.matchConstraints.resourceRules: Required value"]


def test_match_constraints_match_policy_is_exact_or_equivalent():
    match = {"matchPolicy": "Fuzzy", "resourceRules": [RULE]}
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints=match)) == [
        'spec.matchConstraints.matchPolicy: Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"']


def test_policy_requires_validations_or_audit_annotations():
    assert errors("ValidatingAdmissionPolicy", vap(validations=[])) == [
        "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
        "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item"]


def test_audit_annotations_alone_are_enough():
    annotations = [{"key": "replicas", "valueExpression": "string(object.spec.replicas)"}]
    assert errors("ValidatingAdmissionPolicy", vap(validations=[], auditAnnotations=annotations)) == []


def test_validation_expression_is_required():
    assert errors("ValidatingAdmissionPolicy", vap(validations=[{"expression": "  "}])) == [
        "spec.validations[0].expression: Required value: expression is not specified"]


def test_validation_expression_must_compile():
    [err] = errors("ValidatingAdmissionPolicy", vap(validations=[{"expression": "object.spec.replicas <="}]))
    assert err.startswith('spec.validations[0].expression: Invalid value: "object.spec.replicas <=": '
                          "compilation failed: ERROR: <input>:1:")


def test_validation_expression_must_evaluate_to_bool():
    assert errors("ValidatingAdmissionPolicy", vap(validations=[{"expression": "'yes'"}])) == [
        "spec.validations[0].expression: Invalid value: \"'yes'\": must evaluate to bool"]


def test_params_are_undeclared_without_a_param_kind():
    [err] = errors("ValidatingAdmissionPolicy", vap(validations=[{"expression": "params.max > 1"}]))
    # the location and wording after "ERROR:" are kauth's CEL layer's (kauth.admission.cel)
    assert "compilation failed: ERROR: <input>:1:" in err and "undeclared reference to 'params" in err


def test_message_expression_must_evaluate_to_string():
    validation = {"expression": "true", "messageExpression": "1"}
    assert errors("ValidatingAdmissionPolicy", vap(validations=[validation])) == [
        'spec.validations[0].messageExpression: Invalid value: "1": must evaluate to string']


def test_message_expression_must_be_non_empty_if_specified():
    validation = {"expression": "true", "messageExpression": " "}
    assert errors("ValidatingAdmissionPolicy", vap(validations=[validation])) == [
        'spec.validations[0].messageExpression: Invalid value: " ": must be non-empty if specified']


def test_message_has_no_line_breaks():
    validation = {"expression": "true", "message": "too\nmany"}
    assert errors("ValidatingAdmissionPolicy", vap(validations=[validation])) == [
        'spec.validations[0].message: Invalid value: "too\\nmany": message must not contain line breaks']


def test_message_must_be_non_empty_if_specified():
    validation = {"expression": "true", "message": "   "}
    assert errors("ValidatingAdmissionPolicy", vap(validations=[validation])) == [
        'spec.validations[0].message: Invalid value: "   ": message must be non-empty if specified']


def test_validation_reason_is_a_supported_status_reason():
    validation = {"expression": "true", "reason": "NotFound"}
    assert errors("ValidatingAdmissionPolicy", vap(validations=[validation])) == [
        'spec.validations[0].reason: Unsupported value: "NotFound": '
        'supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"']


def test_match_condition_names_are_qualified_names():
    [err] = errors("ValidatingAdmissionPolicy", vap(matchConditions=[{"name": "not ok", "expression": "true"}]))
    assert err.startswith('spec.matchConditions[0].name: Invalid value: "not ok": name part must consist of '
                          "alphanumeric characters")


def test_match_condition_names_are_unique():
    conditions = [{"name": "same", "expression": "true"}, {"name": "same", "expression": "true"}]
    assert errors("ValidatingAdmissionPolicy", vap(matchConditions=conditions)) == [
        'spec.matchConditions[1].name: Duplicate value: "same"']


def test_match_condition_needs_name_and_expression():
    assert errors("ValidatingAdmissionPolicy", vap(matchConditions=[{}])) == [
        "spec.matchConditions[0].expression: Required value", "spec.matchConditions[0].name: Required value"]


def test_match_condition_expression_must_compile_to_bool():
    assert errors("ValidatingAdmissionPolicy", vap(matchConditions=[{"name": "c", "expression": "1 + 1"}])) == [
        'spec.matchConditions[0].expression: Invalid value: "1 + 1": must evaluate to bool']


def test_match_conditions_are_at_most_64():
    conditions = [{"name": f"c{i}", "expression": "true"} for i in range(65)]
    assert errors("ValidatingAdmissionPolicy", vap(matchConditions=conditions)) == [
        "spec.matchConditions: Too many: 65: must have at most 64 items"]


def test_unchanged_match_conditions_are_not_rechecked_on_update():
    old = vap(matchConditions=[{"name": "c", "expression": "1 + 1"}])
    assert errors("ValidatingAdmissionPolicy", copy.deepcopy(old), old) == []


def test_variable_name_is_a_cel_identifier():
    assert errors("ValidatingAdmissionPolicy", vap(variables=[{"name": "in", "expression": "1"}])) == [
        'spec.variables[0].name: Invalid value: "in": name is not a valid CEL identifier']


def test_variable_name_and_expression_are_required():
    assert errors("ValidatingAdmissionPolicy", vap(variables=[{"name": " ", "expression": ""}])) == [
        "spec.variables[0].name: Required value: name is not specified",
        "spec.variables[0].expression: Required value: expression is not specified"]


def test_variable_expression_must_compile():
    [err] = errors("ValidatingAdmissionPolicy", vap(variables=[{"name": "v", "expression": "1 +"}]))
    assert err.startswith('spec.variables[0].expression: Invalid value: "1 +": compilation failed: ')


def test_param_kind_needs_api_version_and_kind():
    assert errors("ValidatingAdmissionPolicy", vap(paramKind={})) == [
        "spec.paramKind.apiVersion: Required value", "spec.paramKind.kind: Required value"]


def test_param_kind_api_version_has_at_most_one_slash():
    assert errors("ValidatingAdmissionPolicy", vap(paramKind={"apiVersion": "a/b/c", "kind": "ConfigMap"})) == [
        'spec.paramKind.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c']


def test_audit_annotation_keys_are_unique():
    annotations = [{"key": "k", "valueExpression": "'a'"}, {"key": "k", "valueExpression": "'b'"}]
    assert errors("ValidatingAdmissionPolicy", vap(auditAnnotations=annotations)) == [
        'spec.auditAnnotations[1].key: Duplicate value: "k"']


def test_audit_annotation_key_joined_to_the_policy_name_is_a_qualified_name():
    [err] = errors("ValidatingAdmissionPolicy", vap(auditAnnotations=[{"key": "bad key", "valueExpression": "'a'"}]))
    assert err.startswith('spec.auditAnnotations[0].key: Invalid value: "demo-policy.example.com/bad key": '
                          "name part must consist of alphanumeric characters")


def test_audit_annotation_key_requires_a_policy_name():
    policy = vap(auditAnnotations=[{"key": "k", "valueExpression": "'a'"}])
    policy["metadata"] = {"generateName": "p-"}
    assert errors("ValidatingAdmissionPolicy", policy) == [
        'spec.auditAnnotations[0].key: Invalid value: "k": requires metadata.name be non-empty']


def test_audit_annotation_value_expression_is_required():
    assert errors("ValidatingAdmissionPolicy", vap(auditAnnotations=[{"key": "k", "valueExpression": " "}])) == [
        "spec.auditAnnotations[0].valueExpression: Required value: valueExpression is not specified"]


def test_audit_annotation_value_expression_evaluates_to_string_or_null():
    assert errors("ValidatingAdmissionPolicy", vap(auditAnnotations=[{"key": "k", "valueExpression": "1"}])) == [
        'spec.auditAnnotations[0].valueExpression: Invalid value: "1": must evaluate to one of [string null_type]']


def test_audit_annotation_value_expression_is_at_most_5_kib():
    expression = "'" + "a" * 5200 + "'"
    assert errors("ValidatingAdmissionPolicy", vap(auditAnnotations=[{"key": "k", "valueExpression": expression}])) == [
        "spec.auditAnnotations[0].valueExpression: Required value: must not exceed 5120 bytes in length"]


def test_param_kind_kind_may_have_mixed_case_but_is_otherwise_a_dns_label():
    [err] = errors("ValidatingAdmissionPolicy", vap(paramKind={"apiVersion": "v1", "kind": "Config_Map"}))
    assert err.startswith('spec.paramKind.kind: Invalid value: "Config_Map": may have mixed case, but should '
                          "otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters")


def test_param_kind_api_version_needs_a_version():
    assert errors("ValidatingAdmissionPolicy", vap(paramKind={"apiVersion": "example.com/", "kind": "Limits"})) == [
        'spec.paramKind.apiVersion: Invalid value: "example.com/": version must be specified']


def test_resource_wildcard_stands_alone_in_double_wildcard_form():
    match = {"resourceRules": [{**RULE, "resources": ["*/*", "pods"]}]}
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints=match)) == [
        'spec.matchConstraints.resourceRules[0].resources: Invalid value: []string{"*/*", "pods"}: '
        "if '*/*' is present, must not specify other resources"]


def test_resource_subresource_wildcards_do_not_overlap():
    match = {"resourceRules": [{**RULE, "resources": ["pods/*", "pods/log"]}]}
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints=match)) == [
        'spec.matchConstraints.resourceRules[0].resources[1]: Invalid value: "pods/log": '
        "if 'pods/*' is present, must not specify pods/log"]


def test_rule_scope_is_a_supported_value():
    match = {"resourceRules": [{**RULE, "scope": "Global"}]}
    assert errors("ValidatingAdmissionPolicy", vap(matchConstraints=match)) == [
        'spec.matchConstraints.resourceRules[0].scope: Unsupported value: "Global": '
        'supported values: "*", "Cluster", "Namespaced"']


# --- webhook configurations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])
def test_webhook_name_has_at_least_three_segments(kind):
    assert errors(kind, vwc(webhook(name="k8s.io"))) == [
        'webhooks[0].name: Invalid value: "k8s.io": should be a domain with at least three segments separated by dots']


def test_webhook_name_is_required():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(name=""))) == ["webhooks[0].name: Required value"]


def test_webhook_names_are_unique():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(), webhook())) == [
        'webhooks[1].name: Duplicate value: "check.example.com"']


def test_client_config_has_exactly_one_of_url_or_service():
    both = {"url": "https://hook.example.com", "service": {"namespace": "default", "name": "hook"}}
    expected = ["webhooks[0].clientConfig: Required value: exactly one of url or service is required"]
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig=both))) == expected
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig={}))) == expected


def test_webhook_url_must_be_https():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig={"url": "http://hook.example.com"}))) == [
        "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; "
        "desired format: https://host[/path]"]


def test_webhook_url_has_no_query_or_fragment():
    config = {"url": "https://hook.example.com/check?x=1#top"}
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig=config))) == [
        'webhooks[0].clientConfig.url: Invalid value: "top": fragments are not permitted in the URL',
        'webhooks[0].clientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL']


def test_webhook_service_needs_name_and_namespace():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig={"service": {}}))) == [
        "webhooks[0].clientConfig.service.name: Required value: service name is required",
        "webhooks[0].clientConfig.service.namespace: Required value: service namespace is required"]


def test_side_effects_are_required():
    hook = webhook()
    del hook["sideEffects"]
    assert errors("ValidatingWebhookConfiguration", vwc(hook)) == [
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun"]


def test_side_effects_are_none_or_none_on_dry_run_in_v1():
    assert errors("MutatingWebhookConfiguration", vwc(webhook(sideEffects="Some"))) == [
        'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"']


def test_side_effects_stored_before_may_stay_on_update():
    old = vwc(webhook(sideEffects="Unknown"))
    assert errors("ValidatingWebhookConfiguration", copy.deepcopy(old), old) == []


def test_admission_review_versions_are_required():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(admissionReviewVersions=[]))) == [
        "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1"]


def test_admission_review_versions_include_v1_or_v1beta1():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(admissionReviewVersions=["v2"]))) == [
        'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1']


def test_admission_review_versions_are_not_repeated():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(admissionReviewVersions=["v1", "v1"]))) == [
        'webhooks[0].admissionReviewVersions[1]: Invalid value: "v1": duplicate version']


def test_webhook_service_port_is_a_valid_port():
    service = {"namespace": "default", "name": "hook", "port": 70000}
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig={"service": service}))) == [
        "webhooks[0].clientConfig.service.port: Invalid value: 70000: "
        "port is not valid: must be between 1 and 65535, inclusive"]


def test_webhook_service_path_segments_are_dns_subdomains():
    service = {"namespace": "default", "name": "hook", "path": "/check//Upper"}
    errs = errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig={"service": service})))
    assert errs[0] == ('webhooks[0].clientConfig.service.path: Invalid value: "/check//Upper": '
                       "segment[1] may not be empty")
    assert errs[1].startswith('webhooks[0].clientConfig.service.path: Invalid value: "/check//Upper": '
                              "segment[2]: a lowercase RFC 1123 subdomain must consist")


def test_webhook_url_has_no_user_information():
    config = {"url": "https://admin@hook.example.com"}
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(clientConfig=config))) == [
        'webhooks[0].clientConfig.url: Invalid value: "admin": user information is not permitted in the URL']


@pytest.mark.parametrize("timeout", [0, 31])
def test_timeout_is_between_1_and_30_seconds(timeout):
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(timeoutSeconds=timeout))) == [
        f"webhooks[0].timeoutSeconds: Invalid value: {timeout}: the timeout value must be between 1 and 30 seconds"]


def test_webhook_failure_and_match_policies_are_supported_values():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(failurePolicy="Retry", matchPolicy="Any"))) == [
        'webhooks[0].failurePolicy: Unsupported value: "Retry": supported values: "Fail", "Ignore"',
        'webhooks[0].matchPolicy: Unsupported value: "Any": supported values: "Equivalent", "Exact"']


def test_reinvocation_policy_is_never_or_if_needed():
    assert errors("MutatingWebhookConfiguration", vwc(webhook(reinvocationPolicy="Always"))) == [
        'webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"']


def test_rule_operations_are_supported_values():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(rules=[{**RULE, "operations": ["GET"]}]))) == [
        'webhooks[0].rules[0].operations[0]: Unsupported value: "GET": '
        'supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']


def test_rule_wildcard_operation_stands_alone():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(rules=[{**RULE, "operations": ["*", "CREATE"]}]))) == [
        'webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"*", "CREATE"}: '
        "if '*' is present, must not specify other operations"]


def test_rule_operations_are_required():
    assert errors("ValidatingWebhookConfiguration", vwc(webhook(rules=[{**RULE, "operations": []}]))) == [
        "webhooks[0].rules[0].operations: Required value"]


def test_webhook_match_conditions_may_not_use_params():
    conditions = [{"name": "c", "expression": "params.x == 1"}]
    [err] = errors("ValidatingWebhookConfiguration", vwc(webhook(matchConditions=conditions)))
    assert err.startswith('webhooks[0].matchConditions[0].expression: Invalid value: "params.x == 1": '
                          "compilation failed: ERROR: <input>:1:")
    assert "undeclared reference to 'params" in err


# --- MutatingAdmissionPolicy and its binding -----------------------------------------------------------------


def test_mutating_policy_requires_mutations():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[])) == [
        "spec.mutations: Required value: mutations must contain at least one item"]


def test_mutation_patch_type_is_a_supported_value():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[{"patchType": "MergePatch"}])) == [
        'spec.mutations[0].patchType: Unsupported value: "MergePatch": '
        'supported values: "ApplyConfiguration", "JSONPatch"']


def test_mutating_policy_shares_the_policy_rules():
    assert errors("MutatingAdmissionPolicy", map_policy(failurePolicy="Retry", matchConstraints={})) == [
        'spec.failurePolicy: Unsupported value: "Retry": supported values: "Fail", "Ignore"',
        "spec.matchConstraints.resourceRules: Required value"]


def test_mutating_binding_requires_a_policy_name():
    assert errors("MutatingAdmissionPolicyBinding", {"spec": {}}) == ["spec.policyName: Required value"]


def json_patch(expression: str) -> dict:
    return {"patchType": "JSONPatch", "jsonPatch": {"expression": expression}}


def apply_configuration(expression: str) -> dict:
    return {"patchType": "ApplyConfiguration", "applyConfiguration": {"expression": expression}}


def map_binding(**spec) -> dict:
    return {"metadata": {"name": "demo-binding"}, "spec": {"policyName": "demo", **spec}}


def test_mutating_policy_requires_a_reinvocation_policy():
    policy = map_policy()
    del policy["spec"]["reinvocationPolicy"]  # v1 defaults only failurePolicy
    assert errors("MutatingAdmissionPolicy", policy) == ["spec.reinvocationPolicy: Required value"]


def test_mutating_policy_reinvocation_policy_is_never_or_if_needed():
    assert errors("MutatingAdmissionPolicy", map_policy(reinvocationPolicy="Always")) == [
        'spec.reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"']


def test_mutating_policy_cannot_match_delete():
    rule = {**RULE, "operations": ["CREATE", "DELETE"]}
    assert errors("MutatingAdmissionPolicy", map_policy(matchConstraints={"resourceRules": [rule]})) == [
        'spec.matchConstraints.resourceRules.operations: Unsupported value: "DELETE": '
        'supported values: "*", "CONNECT", "CREATE", "UPDATE"']


def test_mutating_policy_may_match_connect_and_wildcard():
    rules = [{**RULE, "operations": ["CONNECT"]}, {**RULE, "operations": ["*"]}]
    assert errors("MutatingAdmissionPolicy", map_policy(matchConstraints={"resourceRules": rules})) == []


def test_mutation_requires_a_patch_type():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[{"jsonPatch": {"expression": "[]"}}])) == [
        "spec.mutations[0].patchType: Required value"]


def test_json_patch_mutation_requires_its_json_patch():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[{"patchType": "JSONPatch"}])) == [
        "spec.mutations[0].jsonPatch: Required value: must be specified when patchType is JSONPatch"]


def test_apply_configuration_mutation_requires_its_apply_configuration():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[{"patchType": "ApplyConfiguration"}])) == [
        "spec.mutations[0].applyConfiguration: Required value: must be specified when patchType is "
        "ApplyConfiguration"]


def test_json_patch_mutation_must_not_carry_an_apply_configuration():
    mutation = {**json_patch('[JSONPatch{op: "remove", path: "/spec/replicas"}]'),
                "applyConfiguration": {"expression": "Object{}"}}
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[mutation])) == [
        'spec.mutations[0].applyConfiguration: Invalid value: "{applyConfiguration}": must not be specified when '
        "patchType is JSONPatch"]


def test_apply_configuration_mutation_must_not_carry_a_json_patch():
    mutation = {**apply_configuration("Object{}"), "jsonPatch": {"expression": "[]"}}
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[mutation])) == [
        'spec.mutations[0].jsonPatch: Invalid value: "{jsonPatch}": must not be specified when patchType is '
        "ApplyConfiguration"]


def test_patch_expression_is_required():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[json_patch("  ")])) == [
        "spec.mutations[0].jsonPatch.expression: Required value"]


def test_apply_configuration_expression_must_compile():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[apply_configuration("Object{spec: }")])) == [
        'spec.mutations[0].applyConfiguration.expression: Invalid value: "Object{spec: }": compilation failed: '
        "ERROR: <input>:1:14: Syntax error: mismatched input '}' expecting {'[', '{', '(', '.', '-', '!', 'true', "
        "'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
        " | Object{spec: }\n"
        " | .............^"]


def test_apply_configuration_expression_must_evaluate_to_an_object():
    # patch/smd_test.go "apply configuration with invalid return type"; the expression is reported trimmed
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[apply_configuration(' "teapot" ')])) == [
        'spec.mutations[0].applyConfiguration.expression: Invalid value: "\\"teapot\\"": '
        "must evaluate to Object but got string"]


def test_json_patch_expression_must_evaluate_to_a_list_of_json_patches():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[json_patch("object.spec.replicas == 1")])) == [
        'spec.mutations[0].jsonPatch.expression: Invalid value: "object.spec.replicas == 1": '
        "must evaluate to list(JSONPatch) but got bool"]


def test_patch_expression_reads_params_only_with_a_param_kind():
    expression = "Object{spec: Object.spec{replicas: params.replicas}}"
    err, = errors("MutatingAdmissionPolicy", map_policy(mutations=[apply_configuration(expression)]))
    assert err.startswith("spec.mutations[0].applyConfiguration.expression: Invalid value: ")
    assert "undeclared reference to 'params" in err
    with_params = map_policy(mutations=[apply_configuration(expression)],
                             paramKind={"apiVersion": "v1", "kind": "ConfigMap"})
    assert errors("MutatingAdmissionPolicy", with_params) == []


def test_mutating_binding_param_ref_is_validated():
    assert errors("MutatingAdmissionPolicyBinding", map_binding(paramRef={"name": "cfg"})) == [
        "spec.paramRef.parameterNotFoundAction: Required value"]


def test_mutating_binding_match_resources_are_validated():
    match = {"matchPolicy": "Sometimes", "resourceRules": [RULE]}
    assert errors("MutatingAdmissionPolicyBinding", map_binding(matchResources=match)) == [
        'spec.matchResources.matchPolicy: Unsupported value: "Sometimes": supported values: "Equivalent", "Exact"']


def test_mutating_binding_cannot_match_delete():
    match = {"resourceRules": [{**RULE, "operations": ["DELETE"]}]}
    assert errors("MutatingAdmissionPolicyBinding", map_binding(matchResources=match)) == [
        'spec.matchResources.resourceRules.operations: Unsupported value: "DELETE": '
        'supported values: "*", "CONNECT", "CREATE", "UPDATE"']


def test_json_patch_field_types_are_checked_when_the_policy_is_created():
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[json_patch("[JSONPatch{op: 1, path: '/a'}]")])) == [
        "spec.mutations[0].jsonPatch.expression: Invalid value: \"[JSONPatch{op: 1, path: '/a'}]\": compilation "
        "failed: ERROR: <input>:1:14: expected type of field 'op' is 'string' but provided type is 'int'\n"
        " | [JSONPatch{op: 1, path: '/a'}]\n"
        " | .............^"]


def test_object_fields_are_not_typed_when_the_policy_is_created():
    # the kind's schema is applied when the mutation is, not here (mutation.DynamicTypeResolver)
    expression = "Object{spec: Object.spec{replicas: 'three', noSuchField: true}}"
    assert errors("MutatingAdmissionPolicy", map_policy(mutations=[apply_configuration(expression)])) == []


def test_unchanged_mutating_policy_match_conditions_are_not_rechecked_on_update():
    old = map_policy(matchConditions=[{"name": "c", "expression": "1 + 1"}])
    assert errors("MutatingAdmissionPolicy", copy.deepcopy(old), old) == []
    changed = map_policy(matchConditions=[{"name": "c", "expression": "2 + 2"}])
    assert errors("MutatingAdmissionPolicy", changed, old) == [
        'spec.matchConditions[0].expression: Invalid value: "2 + 2": must evaluate to bool']
