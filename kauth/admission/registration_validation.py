"""Server-side validation of admissionregistration.k8s.io/v1 objects, as kube-apiserver v1.37 reports it.

`validate_registration(kind, obj, old)` returns the field errors upstream's
pkg/apis/admissionregistration/validation/validation.go reports for the spec of a
ValidatingAdmissionPolicy(Binding), MutatingAdmissionPolicy(Binding) or (Validating|Mutating)WebhookConfiguration;
metadata is left to kauth's generic validation, which runs first. Other kinds get [].

kauth stores these objects without the v1 defaulting upstream applies before validation
(pkg/apis/admissionregistration/v1/defaults.go), so a field that defaulting would fill (a policy's failurePolicy,
matchConstraints' matchPolicy and selectors, a webhook's failurePolicy, matchPolicy and timeoutSeconds, a rule's
scope) is taken as defaulted when absent, never reported as required; a value that is present is checked.
On update (`old` given) the rules are those of creation, except as noted where upstream relaxes them.

The stored upstream validation.go predates MutatingAdmissionPolicy: its checks here (validateMutation, the patch
expressions compiled with the Object and JSONPatch types, reinvocationPolicy, supportedMutatingOperations, the
binding's paramRef and matchResources) follow upstream's validation_test.go and messages as quoted by third
parties, and the plugin's own compilation (kauth/admission/mutatingpolicy/mutation.py).

Not reproduced: the limit of 20 auditAnnotations (upstream prints the whole list with %#v); url.Parse's own
error texts for an unparsable webhook URL; uniqueness of variable names (validation.go does not check it); status.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

from kauth.admission.cel import Environment
from kauth.admission.mutatingpolicy import mutation as mutation_compiler
from kauth.admission.validatingpolicy.validator import _Compiler
from kauth.api.errors import (
    FieldError,
    GoRepr,
    duplicate,
    field_invalid,
    forbidden,
    not_supported,
    required,
    too_many,
)
from kauth.api.names import (
    go_string_slice,
    is_dns1035_label,
    is_dns1123_subdomain,
    is_path_segment_name,
    is_qualified_name,
    is_valid_port_num,
    parse_group_version,
    validate_label_selector,
)

Errors = list[FieldError]

# The sets of validation.go, in the sorted order sets.String.List() prints them.
FAILURE_POLICIES = ("Fail", "Ignore")  # supportedFailurePolicies
MATCH_POLICIES = ("Equivalent", "Exact")  # supportedMatchPolicies
NO_SIDE_EFFECT_CLASSES = ("None", "NoneOnDryRun")  # noSideEffectClasses
SIDE_EFFECT_CLASSES = ("None", "NoneOnDryRun", "Some", "Unknown")  # supportedSideEffectClasses
OPERATIONS = ("*", "CONNECT", "CREATE", "DELETE", "UPDATE")  # supportedOperations
REINVOCATION_POLICIES = ("IfNeeded", "Never")  # supportedReinvocationPolicies
MUTATING_OPERATIONS = ("*", "CONNECT", "CREATE", "UPDATE")  # supportedMutatingOperations: no DELETE
POLICY_REASONS = ("Forbidden", "Invalid", "RequestEntityTooLarge")  # supportedValidationPolicyReason
VALIDATION_ACTIONS = ("Audit", "Deny", "Warn")  # validValidationActions
PARAMETER_NOT_FOUND_ACTIONS = ("Deny", "Allow")  # validateParamRef lists them in this order
PATCH_TYPES = ("ApplyConfiguration", "JSONPatch")  # MutatingAdmissionPolicy mutations[].patchType
ACCEPTED_REVIEW_VERSIONS = ("v1", "v1beta1")  # AcceptedAdmissionReviewVersions
MAX_MATCH_CONDITIONS = 64
MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH = 5 * 1024  # maxAuditAnnotationValueExpressionLength
DENY_AND_WARN = ("must not contain both Deny and Warn (repeating the same validation failure information in the "
                 "API response and headers serves no purpose)")
URL_FORM = "; desired format: https://host[/path]"  # webhook.ValidateWebhookURL
_CEL_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*\Z")
_CEL_RESERVED = {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
                 "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"}
_NEWLINES = re.compile(r"[\n\r]+")  # validation.go newlineMatcher
_TYPES = "admissionregistration."  # package of the internal types Go's %#v names


def validate_registration(kind: str, obj: dict, old: dict | None) -> list[FieldError]:
    """The spec errors upstream's Validate<Kind> / Validate<Kind>Update report for `obj`; [] for other kinds."""
    validator = _VALIDATORS.get(kind)
    if validator is None:
        return []
    return validator(_map(obj), _map(old) if old is not None else None)


# ---------------------------------------------------------------------------------------------------------------
# small readers: tolerate whatever JSON a client sent


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _typed_slice(values: list, type_name: str) -> GoRepr:
    """Go's %#v of a slice of a named string type, e.g. []admissionregistration.OperationType{"*", "CREATE"}."""
    return go_string_slice(values, f"[]{_TYPES}{type_name}")


# ---------------------------------------------------------------------------------------------------------------
# CEL: plugin/cel/compile.go through kauth's environment


class _Compilers:
    """Compilers for the four declaration sets upstream uses (params yes/no x authorizer yes/no), built once."""

    _base: Environment | None = None

    @classmethod
    def get(cls, *, params: bool, authorizer: bool) -> _Compiler:
        if cls._base is None:
            cls._base = Environment()
        return _Compiler(cls._base.variant(params=params, authorizer=authorizer))


def _compile_errors(expression: str, path: str, *, params: bool, authorizer: bool,
                    return_types: Sequence[str] | None) -> Errors:
    """validateCELCondition + convertCELErrorToValidationError: a failed compile is field.Invalid(expression)."""
    compiled = _Compilers.get(params=params, authorizer=authorizer)(expression, return_types)
    if compiled.error:
        return [field_invalid(path, expression, compiled.error)]
    return []


# ---------------------------------------------------------------------------------------------------------------
# rules: validateRule, validateRuleWithOperations, validateNamedRuleWithOperations


def _has_wildcard(values: list) -> bool:
    """hasWildcard."""
    return "*" in values


def _validate_resources(resources: list, path: str) -> Errors:
    """validateResources: subresource wildcards may not overlap other entries."""
    errs: Errors = []
    if not resources:
        errs.append(required(path))
    with_wildcard_sub: set[str] = set()
    sub_with_wildcard_res: set[str] = set()
    double = single = plain = False
    for i, res_sub in enumerate(resources):
        res_sub = _str(res_sub)
        if res_sub == "":
            errs.append(required(f"{path}[{i}]"))
            continue
        double = double or res_sub == "*/*"
        single = single or res_sub == "*"
        if "/" not in res_sub:
            plain = res_sub != "*"  # as upstream: the last plain entry decides
            continue
        res, sub = res_sub.split("/", 1)
        if res in with_wildcard_sub:
            errs.append(field_invalid(f"{path}[{i}]", res_sub, f"if '{res}/*' is present, must not specify {res_sub}"))
        if sub in sub_with_wildcard_res:
            errs.append(field_invalid(f"{path}[{i}]", res_sub, f"if '*/{sub}' is present, must not specify {res_sub}"))
        if sub == "*":
            with_wildcard_sub.add(res)
        if res == "*":
            sub_with_wildcard_res.add(sub)
    if len(resources) > 1 and double:
        errs.append(field_invalid(path, go_string_slice(resources),
                                  "if '*/*' is present, must not specify other resources"))
    if single and plain:
        errs.append(field_invalid(path, go_string_slice(resources),
                                  "if '*' is present, must not specify other resources without subresources"))
    return errs


def _validate_rule(rule: Mapping, path: str) -> Errors:
    """validateRule (allowSubResource=true, as every caller here passes): groups, versions, resources, scope."""
    errs: Errors = []
    groups, versions = _list(rule.get("apiGroups")), _list(rule.get("apiVersions"))
    if not groups:
        errs.append(required(f"{path}.apiGroups"))
    if len(groups) > 1 and _has_wildcard(groups):
        errs.append(field_invalid(f"{path}.apiGroups", go_string_slice(groups),
                                  "if '*' is present, must not specify other API groups"))
    if not versions:
        errs.append(required(f"{path}.apiVersions"))
    if len(versions) > 1 and _has_wildcard(versions):
        errs.append(field_invalid(f"{path}.apiVersions", go_string_slice(versions),
                                  "if '*' is present, must not specify other API versions"))
    errs.extend(required(f"{path}.apiVersions[{i}]") for i, v in enumerate(versions) if v == "")
    errs.extend(_validate_resources(_list(rule.get("resources")), f"{path}.resources"))
    scope = rule.get("scope")
    if scope is not None and scope not in ("*", "Cluster", "Namespaced"):  # validScopes; absent defaults to "*"
        errs.append(not_supported(f"{path}.scope", scope, ("*", "Cluster", "Namespaced")))
    return errs


def _validate_rule_with_operations(rule: Mapping, path: str) -> Errors:
    """validateRuleWithOperations: operations required, '*' alone, each a supported operation; then the rule."""
    errs: Errors = []
    operations = _list(rule.get("operations"))
    if not operations:
        errs.append(required(f"{path}.operations"))
    if len(operations) > 1 and _has_wildcard(operations):
        errs.append(field_invalid(f"{path}.operations", _typed_slice(operations, "OperationType"),
                                  "if '*' is present, must not specify other operations"))
    for i, operation in enumerate(operations):
        if operation not in OPERATIONS:
            errs.append(not_supported(f"{path}.operations[{i}]", operation, OPERATIONS))
    return errs + _validate_rule(rule, path)


def _validate_named_rule(rule: Mapping, path: str) -> Errors:
    """validateNamedRuleWithOperations: resourceNames are path segment names, unique."""
    errs: Errors = []
    seen: set[str] = set()
    for i, name in enumerate(_list(rule.get("resourceNames"))):
        name = _str(name)
        errs.extend(field_invalid(f"{path}.resourceNames[{i}]", name, msg) for msg in is_path_segment_name(name))
        if name in seen:
            errs.append(duplicate(f"{path}.resourceNames[{i}]", name))
        seen.add(name)
    return errs + _validate_rule_with_operations(rule, path)


def _validate_match_resources(match: Mapping, path: str) -> Errors:
    """validateMatchResources (matchPolicy and the selectors are defaulted when absent: only present ones are
    checked)."""
    errs: Errors = []
    policy = match.get("matchPolicy")
    if policy is not None and policy not in MATCH_POLICIES:
        errs.append(not_supported(f"{path}.matchPolicy", policy, MATCH_POLICIES))
    for selector in ("namespaceSelector", "objectSelector"):
        errs.extend(validate_label_selector(match.get(selector), f"{path}.{selector}"))
    for key in ("resourceRules", "excludeResourceRules"):
        for i, rule in enumerate(_list(match.get(key))):
            errs.extend(_validate_named_rule(_map(rule), f"{path}.{key}[{i}]"))
    return errs


# ---------------------------------------------------------------------------------------------------------------
# matchConditions, variables, paramKind: shared by policies (and matchConditions by webhooks)


def _validate_match_conditions(conditions: list, path: str, *, params: bool) -> Errors:
    """validateMatchConditions: at most 64, each valid, names unique."""
    errs: Errors = []
    if len(conditions) > MAX_MATCH_CONDITIONS:
        errs.append(too_many(path, len(conditions), MAX_MATCH_CONDITIONS))
    names: set[str] = set()
    for i, condition in enumerate(conditions):
        condition = _map(condition)
        errs.extend(_validate_match_condition(condition, f"{path}[{i}]", params=params))
        name = _str(condition.get("name"))
        if name:
            if name in names:
                errs.append(duplicate(f"{path}[{i}].name", name))
            names.add(name)
    return errs


def _validate_match_condition(condition: Mapping, path: str, *, params: bool) -> Errors:
    """validateMatchCondition: the trimmed expression compiles to bool; the name is a qualified name."""
    errs: Errors = []
    expression = _str(condition.get("expression")).strip()
    if not expression:
        errs.append(required(f"{path}.expression"))
    else:
        errs.extend(_compile_errors(expression, f"{path}.expression", params=params, authorizer=True,
                                    return_types=("bool",)))
    name = _str(condition.get("name"))
    if not name:
        errs.append(required(f"{path}.name"))
    else:  # apivalidation.ValidateQualifiedName
        errs.extend(field_invalid(f"{path}.name", name, msg) for msg in is_qualified_name(name))
    return errs


def _is_cel_identifier(name: str) -> bool:
    """isCELIdentifier: IDENT minus the reserved words."""
    return bool(_CEL_IDENT.match(name)) and name not in _CEL_RESERVED


def _validate_variable(variable: Mapping, path: str, *, params: bool) -> Errors:
    """validateVariable: a CEL identifier as name, an expression that compiles (any type)."""
    errs: Errors = []
    name, expression = _str(variable.get("name")), _str(variable.get("expression"))
    if not name.strip():
        errs.append(required(f"{path}.name", "name is not specified"))
    elif not _is_cel_identifier(name):
        errs.append(field_invalid(f"{path}.name", name, "name is not a valid CEL identifier"))
    if not expression.strip():
        errs.append(required(f"{path}.expression", "expression is not specified"))
    else:
        errs.extend(_compile_errors(expression, f"{path}.expression", params=params, authorizer=True,
                                    return_types=None))
    return errs


def _validate_param_kind(param_kind: Mapping, path: str) -> Errors:
    """validateParamKind: apiVersion a group/version (group a DNS subdomain, version a DNS-1035 label), kind set."""
    errs: Errors = []
    api_version, kind = _str(param_kind.get("apiVersion")), _str(param_kind.get("kind"))
    if not api_version:
        errs.append(required(f"{path}.apiVersion"))
    else:
        parsed = parse_group_version(api_version)
        if parsed is None:
            errs.append(field_invalid(f"{path}.apiVersion", api_version,
                                      f"unexpected GroupVersion string: {api_version}"))
        else:
            group, version = parsed
            if group and (msgs := is_dns1123_subdomain(group)):
                errs.append(field_invalid(f"{path}.apiVersion", group, ",".join(msgs)))
            if not version:
                errs.append(field_invalid(f"{path}.apiVersion", api_version, "version must be specified"))
            elif msgs := is_dns1035_label(version):
                errs.append(field_invalid(f"{path}.apiVersion", version, ",".join(msgs)))
    if not kind:
        errs.append(required(f"{path}.kind"))
    elif msgs := is_dns1035_label(kind.lower()):
        errs.append(field_invalid(f"{path}.kind", kind,
                                  "may have mixed case, but should otherwise match: " + ",".join(msgs)))
    return errs


def _validate_policy_common(spec: Mapping, path: str, operations: Sequence[str] = OPERATIONS) -> Errors:
    """What validateValidatingAdmissionPolicySpec shares with the mutating one: failurePolicy, paramKind,
    matchConstraints (with resourceRules, whose operations must be among `operations`), matchConditions and
    variables."""
    errs: Errors = []
    failure_policy = spec.get("failurePolicy")
    if failure_policy is not None and failure_policy not in FAILURE_POLICIES:  # absent: defaulted to Fail
        errs.append(not_supported(f"{path}.failurePolicy", failure_policy, FAILURE_POLICIES))
    param_kind = spec.get("paramKind")
    if param_kind is not None:
        errs.extend(_validate_param_kind(_map(param_kind), f"{path}.paramKind"))
    match = spec.get("matchConstraints")
    if match is None:
        errs.append(required(f"{path}.matchConstraints"))
    else:
        errs.extend(_validate_match_resources(_map(match), f"{path}.matchConstraints"))
        # at least one resourceRule must be defined to provide type information
        if not _list(_map(match).get("resourceRules")):
            errs.append(required(f"{path}.matchConstraints.resourceRules"))
        errs.extend(_validate_operations(_map(match), f"{path}.matchConstraints", operations))
    params = param_kind is not None
    errs.extend(_validate_match_conditions(_list(spec.get("matchConditions")), f"{path}.matchConditions",
                                           params=params))
    for i, variable in enumerate(_list(spec.get("variables"))):
        errs.extend(_validate_variable(_map(variable), f"{path}.variables[{i}]", params=params))
    return errs


# ---------------------------------------------------------------------------------------------------------------
# ValidatingAdmissionPolicy: validateValidatingAdmissionPolicySpec


def _validate_validation(validation: Mapping, path: str, *, params: bool) -> Errors:
    """validateValidation: expression (bool), messageExpression (string, no authorizer), message, reason."""
    errs: Errors = []
    expression = _str(validation.get("expression"))
    if not expression.strip():
        errs.append(required(f"{path}.expression", "expression is not specified"))
    else:
        errs.extend(_compile_errors(expression, f"{path}.expression", params=params, authorizer=True,
                                    return_types=("bool",)))
    message_expression = _str(validation.get("messageExpression"))
    if message_expression and not message_expression.strip():
        errs.append(field_invalid(f"{path}.messageExpression", message_expression, "must be non-empty if specified"))
    elif message_expression.strip():  # compiled untrimmed, so that columns in errors are right
        errs.extend(_compile_errors(message_expression, f"{path}.messageExpression", params=params,
                                    authorizer=False, return_types=("string",)))
    message = _str(validation.get("message"))
    if message and not message.strip():
        errs.append(field_invalid(f"{path}.message", message, "message must be non-empty if specified"))
    elif _NEWLINES.search(message.strip()):
        errs.append(field_invalid(f"{path}.message", message, "message must not contain line breaks"))
    reason = validation.get("reason")
    if reason is not None and reason not in POLICY_REASONS:
        errs.append(not_supported(f"{path}.reason", reason, POLICY_REASONS))
    return errs


def _validate_audit_annotation(annotation: Mapping, policy_name: str, path: str, *, params: bool) -> Errors:
    """validateAuditAnnotation: "<policy name>/<key>" is a qualified name; the valueExpression compiles to a
    string or null and is at most 5 KiB once trimmed."""
    errs: Errors = []
    key = _str(annotation.get("key"))
    if policy_name:  # apivalidation.ValidateQualifiedName(name+"/"+key)
        errs.extend(field_invalid(f"{path}.key", f"{policy_name}/{key}", msg)
                    for msg in is_qualified_name(f"{policy_name}/{key}"))
    else:
        errs.append(field_invalid(f"{path}.key", key, "requires metadata.name be non-empty"))
    value_expression = _str(annotation.get("valueExpression"))
    trimmed = value_expression.strip()
    if not trimmed:
        errs.append(required(f"{path}.valueExpression", "valueExpression is not specified"))
    elif len(trimmed.encode()) > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH:
        errs.append(required(f"{path}.valueExpression",
                             f"must not exceed {MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length"))
    else:  # compiled trimmed, reported untrimmed, as upstream does
        compiled = _Compilers.get(params=params, authorizer=True)(trimmed, ("string", "null_type"))
        if compiled.error:
            errs.append(field_invalid(f"{path}.valueExpression", value_expression, compiled.error))
    return errs


def _validate_validating_policy(obj: Mapping, old: Mapping | None) -> Errors:
    """ValidateValidatingAdmissionPolicy(Update). On update, matchConditions are not re-checked when neither they
    nor paramKind changed (ignoreValidatingAdmissionPolicyMatchConditions)."""
    spec, path = _map(obj.get("spec")), "spec"
    errs = _validate_policy_common(spec, path)
    if old is not None and _unchanged(spec, _map(old.get("spec")), ("paramKind", "matchConditions")):
        errs = [e for e in errs if not e.field.startswith(f"{path}.matchConditions")]
    params = spec.get("paramKind") is not None
    validations, annotations = _list(spec.get("validations")), _list(spec.get("auditAnnotations"))
    if not validations and not annotations:
        detail = "validations or auditAnnotations must contain at least one item"
        errs += [required(f"{path}.validations", detail), required(f"{path}.auditAnnotations", detail)]
        return errs
    for i, validation in enumerate(validations):
        errs.extend(_validate_validation(_map(validation), f"{path}.validations[{i}]", params=params))
    keys: set[str] = set()
    name = _str(_map(obj.get("metadata")).get("name"))
    for i, annotation in enumerate(annotations):
        key = _str(_map(annotation).get("key"))
        errs.extend(_validate_audit_annotation(_map(annotation), name, f"{path}.auditAnnotations[{i}]", params=params))
        if key in keys:
            errs.append(duplicate(f"{path}.auditAnnotations[{i}].key", key))
        keys.add(key)
    return errs


def _unchanged(new: Mapping, old: Mapping, keys: Sequence[str]) -> bool:
    return all(new.get(k) == old.get(k) for k in keys)


# ---------------------------------------------------------------------------------------------------------------
# Bindings: validateValidatingAdmissionPolicyBindingSpec, validateParamRef, validateValidationActions


def _validate_policy_name(name: Any, path: str) -> Errors:
    """policyName: required, a DNS subdomain (genericvalidation.NameIsDNSSubdomain)."""
    name = _str(name)
    if not name:
        return [required(path)]
    return [field_invalid(path, name, msg) for msg in is_dns1123_subdomain(name)]


def _validate_param_ref(ref: Any, path: str) -> Errors:
    """validateParamRef: name xor selector, parameterNotFoundAction Deny or Allow."""
    if ref is None:
        return []
    ref = _map(ref)
    errs: Errors = []
    name, selector = _str(ref.get("name")), ref.get("selector")
    if name:
        errs.extend(field_invalid(f"{path}.name", name, msg) for msg in is_path_segment_name(name))
        if selector is not None:
            errs.append(forbidden(f"{path}.name", "name and selector are mutually exclusive"))
    if selector is not None:
        errs.extend(validate_label_selector(selector, f"{path}.selector"))
        if name:
            errs.append(forbidden(f"{path}.selector", "name and selector are mutually exclusive"))
    if not name and selector is None:
        errs.append(required(path, "one of name or selector must be specified"))
    action = ref.get("parameterNotFoundAction")
    if not action:
        errs.append(required(f"{path}.parameterNotFoundAction"))
    elif action not in PARAMETER_NOT_FOUND_ACTIONS:
        errs.append(not_supported(f"{path}.parameterNotFoundAction", action, PARAMETER_NOT_FOUND_ACTIONS))
    return errs


def _validate_validation_actions(actions: list, path: str) -> Errors:
    """validateValidationActions: each Deny, Warn or Audit, once; not Deny with Warn; at least one."""
    errs: Errors = []
    seen: set[Any] = set()
    for i, action in enumerate(actions):
        if action not in VALIDATION_ACTIONS:
            errs.append(not_supported(f"{path}[{i}]", action, VALIDATION_ACTIONS))
        if action in seen:
            errs.append(duplicate(f"{path}[{i}]", action))
        seen.add(action)
    if "Deny" in seen and "Warn" in seen:
        errs.append(field_invalid(path, _typed_slice(actions, "ValidationAction"), DENY_AND_WARN))
    if not seen:
        errs.append(required(path, "at least one validation action is required"))
    return errs


def _validate_validating_binding(obj: Mapping, old: Mapping | None) -> Errors:
    """ValidateValidatingAdmissionPolicyBinding (the update check is the same)."""
    spec = _map(obj.get("spec"))
    errs = _validate_policy_name(spec.get("policyName"), "spec.policyName")
    errs += _validate_param_ref(spec.get("paramRef"), "spec.paramRef")
    if spec.get("matchResources") is not None:
        # upstream's path really is misspelled "matchResouces"
        errs += _validate_match_resources(_map(spec.get("matchResources")), "spec.matchResouces")
    errs += _validate_validation_actions(_list(spec.get("validationActions")), "spec.validationActions")
    return errs


# ---------------------------------------------------------------------------------------------------------------
# MutatingAdmissionPolicy and its binding


def _validate_mutating_policy(obj: Mapping, old: Mapping | None) -> Errors:
    """validateMutatingAdmissionPolicySpec: the shared policy rules (operations limited to those a mutation can
    apply to), the mutations (at least one), then reinvocationPolicy, which has no default. On update, matchConditions
    are not re-checked when neither they nor paramKind changed (ignoreMutatingAdmissionPolicyMatchConditions)."""
    spec, path = _map(obj.get("spec")), "spec"
    errs = _validate_policy_common(spec, path, MUTATING_OPERATIONS)
    if old is not None and _unchanged(spec, _map(old.get("spec")), ("paramKind", "matchConditions")):
        errs = [e for e in errs if not e.field.startswith(f"{path}.matchConditions")]
    params = spec.get("paramKind") is not None
    mutations = _list(spec.get("mutations"))
    if not mutations:
        errs.append(required(f"{path}.mutations", "mutations must contain at least one item"))
    for i, mutation in enumerate(mutations):
        errs.extend(_validate_mutation(_map(mutation), f"{path}.mutations[{i}]", params=params))
    reinvocation = spec.get("reinvocationPolicy")
    if not reinvocation:
        errs.append(required(f"{path}.reinvocationPolicy"))
    elif reinvocation not in REINVOCATION_POLICIES:
        errs.append(not_supported(f"{path}.reinvocationPolicy", reinvocation, REINVOCATION_POLICIES))
    return errs


def _validate_operations(match: Mapping, path: str, operations: Sequence[str]) -> Errors:
    """The operations of a MutatingAdmissionPolicy('s binding): a mutation applies only to CREATE, UPDATE and
    CONNECT, so DELETE is refused (reported once per operation, under a path without indexes, as upstream does)."""
    if tuple(operations) == OPERATIONS:
        return []
    return [not_supported(f"{path}.resourceRules.operations", op, operations)
            for rule in _list(match.get("resourceRules")) for op in _list(_map(rule).get("operations"))
            if op not in operations]


def _validate_mutation(mutation: Mapping, path: str, *, params: bool) -> Errors:
    """validateMutation: patchType chooses which of jsonPatch / applyConfiguration must be set (the other must
    not be), and that one's expression must compile to its patch type."""
    patch_type = mutation.get("patchType")
    if not patch_type:
        return [required(f"{path}.patchType")]
    if patch_type not in PATCH_TYPES:
        return [not_supported(f"{path}.patchType", patch_type, PATCH_TYPES)]
    field, other = (("jsonPatch", "applyConfiguration") if patch_type == "JSONPatch"
                    else ("applyConfiguration", "jsonPatch"))
    errs: Errors = []
    body = mutation.get(field)
    if body is None:
        errs.append(required(f"{path}.{field}", f"must be specified when patchType is {patch_type}"))
    else:
        errs.extend(_validate_patch_expression(patch_type, _str(_map(body).get("expression")),
                                               f"{path}.{field}.expression", params=params))
    if mutation.get(other) is not None:
        errs.append(field_invalid(f"{path}.{other}", f"{{{other}}}", f"must not be specified when patchType is "
                                                                    f"{patch_type}"))
    return errs


def _validate_patch_expression(patch_type: str, expression: str, path: str, *, params: bool) -> Errors:
    """validateJSONPatch / validateApplyConfiguration: the trimmed expression is required and must compile in the
    environment with the patch types (Object, JSONPatch) to list(JSONPatch) or Object."""
    expression = expression.strip()
    if not expression:
        return [required(path)]
    compile_ = _Compilers.get(params=params, authorizer=True)
    compiled = mutation_compiler.compile_mutation(patch_type, expression, compile_).compiled
    return [field_invalid(path, expression, compiled.error)] if compiled.error else []


def _validate_mutating_binding(obj: Mapping, old: Mapping | None) -> Errors:
    """validateMutatingAdmissionPolicyBindingSpec: policyName, paramRef and matchResources as for validating
    bindings (under the path spelled right), the operations limited as the policy's are."""
    spec = _map(obj.get("spec"))
    errs = _validate_policy_name(spec.get("policyName"), "spec.policyName")
    errs += _validate_param_ref(spec.get("paramRef"), "spec.paramRef")
    match = spec.get("matchResources")
    if match is not None:
        errs += _validate_match_resources(_map(match), "spec.matchResources")
        errs += _validate_operations(_map(match), "spec.matchResources", MUTATING_OPERATIONS)
    return errs


# ---------------------------------------------------------------------------------------------------------------
# Webhook configurations: validate(Validating|Mutating)WebhookConfiguration


def _is_fully_qualified_name(name: str, path: str) -> Errors:
    """utilvalidation.IsFullyQualifiedName: a DNS subdomain of at least three segments."""
    if not name:
        return [required(path)]
    if msgs := is_dns1123_subdomain(name):
        return [field_invalid(path, name, ",".join(msgs))]
    if len(name.split(".")) < 3:
        return [field_invalid(path, name, "should be a domain with at least three segments separated by dots")]
    return []


def _validate_webhook_url(url: str, path: str) -> Errors:
    """webhook.ValidateWebhookURL(forceHttps=true)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []  # url.Parse's own error texts are not reproduced (see the module docstring)
    errs: Errors = []
    if parts.scheme != "https":
        errs.append(field_invalid(path, parts.scheme, "'https' is the only allowed URL scheme" + URL_FORM))
    host = parts.netloc.rpartition("@")[2]
    if not host:
        errs.append(field_invalid(path, host, "host must be provided" + URL_FORM))
    if "@" in parts.netloc:
        user = parts.netloc.rpartition("@")[0]
        errs.append(field_invalid(path, user, "user information is not permitted in the URL"))
    if parts.fragment:
        errs.append(field_invalid(path, parts.fragment, "fragments are not permitted in the URL"))
    if parts.query:
        errs.append(field_invalid(path, parts.query, "query parameters are not permitted in the URL"))
    return errs


def _validate_webhook_service(service: Mapping, path: str) -> Errors:
    """webhook.ValidateWebhookService: name, namespace, port (defaulted to 443), path segments."""
    errs: Errors = []
    if not _str(service.get("name")):
        errs.append(required(f"{path}.name", "service name is required"))
    if not _str(service.get("namespace")):
        errs.append(required(f"{path}.namespace", "service namespace is required"))
    port = service.get("port", 443)  # defaulted to 443
    if msgs := is_valid_port_num(port if isinstance(port, int) else 0):
        errs.append(field_invalid(f"{path}.port", port, "port is not valid: " + ", ".join(msgs)))
    url_path = service.get("path")
    if not isinstance(url_path, str) or url_path in ("", "/"):
        return errs
    if url_path == "//":
        return errs + [field_invalid(f"{path}.path", url_path, "segment[0] may not be empty")]
    if not url_path.startswith("/"):
        errs.append(field_invalid(f"{path}.path", url_path, "must start with a '/'"))
    to_check = url_path[1:]
    if to_check.endswith("/"):
        to_check = to_check[:-1]
    for i, step in enumerate(to_check.split("/")):
        if not step:
            errs.append(field_invalid(f"{path}.path", url_path, f"segment[{i}] may not be empty"))
            continue
        errs.extend(field_invalid(f"{path}.path", url_path, f"segment[{i}]: {m}") for m in is_dns1123_subdomain(step))
    return errs


def _validate_client_config(config: Mapping, path: str) -> Errors:
    """clientConfig: exactly one of url or service."""
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        return [required(path, "exactly one of url or service is required")]
    if url is not None:
        return _validate_webhook_url(_str(url), f"{path}.url")
    return _validate_webhook_service(_map(service), f"{path}.service")


def _validate_webhook(hook: Mapping, path: str, opts: "_WebhookOptions", mutating: bool) -> Errors:
    """validateValidatingWebhook / validateMutatingWebhook (they differ only in reinvocationPolicy)."""
    errs = _is_fully_qualified_name(_str(hook.get("name")), f"{path}.name")
    for i, rule in enumerate(_list(hook.get("rules"))):
        errs.extend(_validate_rule_with_operations(_map(rule), f"{path}.rules[{i}]"))
    failure_policy, match_policy = hook.get("failurePolicy"), hook.get("matchPolicy")
    if failure_policy is not None and failure_policy not in FAILURE_POLICIES:
        errs.append(not_supported(f"{path}.failurePolicy", failure_policy, FAILURE_POLICIES))
    if match_policy is not None and match_policy not in MATCH_POLICIES:
        errs.append(not_supported(f"{path}.matchPolicy", match_policy, MATCH_POLICIES))
    allowed = NO_SIDE_EFFECT_CLASSES if opts.require_no_side_effects else SIDE_EFFECT_CLASSES
    side_effects = hook.get("sideEffects")
    if side_effects is None:
        errs.append(required(f"{path}.sideEffects", f"must specify one of {', '.join(allowed)}"))
    elif side_effects not in allowed:
        errs.append(not_supported(f"{path}.sideEffects", side_effects, allowed))
    timeout = hook.get("timeoutSeconds")
    if timeout is not None and (not isinstance(timeout, int) or not 1 <= timeout <= 30):
        errs.append(field_invalid(f"{path}.timeoutSeconds", timeout,
                                  "the timeout value must be between 1 and 30 seconds"))
    for selector in ("namespaceSelector", "objectSelector"):
        errs.extend(validate_label_selector(hook.get(selector), f"{path}.{selector}"))
    reinvocation = hook.get("reinvocationPolicy")
    if mutating and reinvocation is not None and reinvocation not in REINVOCATION_POLICIES:
        errs.append(not_supported(f"{path}.reinvocationPolicy", reinvocation, REINVOCATION_POLICIES))
    errs.extend(_validate_client_config(_map(hook.get("clientConfig")), f"{path}.clientConfig"))
    if not opts.ignore_match_conditions:
        errs.extend(_validate_match_conditions(_list(hook.get("matchConditions")), f"{path}.matchConditions",
                                               params=False))
    return errs


def _validate_review_versions(versions: list, path: str, require_recognized: bool) -> Errors:
    """validateAdmissionReviewVersions: required, unique DNS-1035 labels, one of v1/v1beta1 among them."""
    if not versions:
        return [required(path, f"must specify one of {', '.join(ACCEPTED_REVIEW_VERSIONS)}")]
    errs: Errors = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        version = _str(version)
        if version in seen:
            errs.append(field_invalid(f"{path}[{i}]", version, "duplicate version"))
            continue
        seen.add(version)
        errs.extend(field_invalid(f"{path}[{i}]", version, m) for m in is_dns1035_label(version))
    if require_recognized and not seen & set(ACCEPTED_REVIEW_VERSIONS):
        errs.append(field_invalid(path, go_string_slice(versions),
                                  f"must include at least one of {', '.join(ACCEPTED_REVIEW_VERSIONS)}"))
    return errs


class _WebhookOptions:
    """validationOptions for webhooks: strict on create; on update, what the stored object already broke is
    tolerated (Validate*WebhookConfigurationUpdate)."""

    def __init__(self, hooks: list, old_hooks: list | None) -> None:
        if old_hooks is None:
            self.ignore_match_conditions = False
            self.require_no_side_effects = self.require_recognized_versions = self.require_unique_names = True
            return
        old = [_map(h) for h in old_hooks]
        new = [_map(h) for h in hooks]
        self.ignore_match_conditions = len(new) == len(old) and all(
            n.get("matchConditions") == o.get("matchConditions") for n, o in zip(new, old))
        self.require_no_side_effects = all(h.get("sideEffects") in NO_SIDE_EFFECT_CLASSES for h in old)
        self.require_recognized_versions = all(
            not _list(h.get("admissionReviewVersions"))
            or set(_list(h.get("admissionReviewVersions"))) & set(ACCEPTED_REVIEW_VERSIONS) for h in old)
        names = [h.get("name") for h in old]
        self.require_unique_names = len(names) == len(set(map(str, names)))


def _webhook_configuration(mutating: bool) -> Callable[[Mapping, Mapping | None], Errors]:
    def validate(obj: Mapping, old: Mapping | None) -> Errors:
        """validate(Validating|Mutating)WebhookConfiguration: each webhook, its review versions, unique names."""
        hooks = _list(obj.get("webhooks"))
        opts = _WebhookOptions(hooks, _list(old.get("webhooks")) if old is not None else None)
        errs: Errors = []
        names: set[str] = set()
        for i, hook in enumerate(hooks):
            hook, path = _map(hook), f"webhooks[{i}]"
            errs.extend(_validate_webhook(hook, path, opts, mutating))
            errs.extend(_validate_review_versions(_list(hook.get("admissionReviewVersions")),
                                                  f"{path}.admissionReviewVersions", opts.require_recognized_versions))
            name = _str(hook.get("name"))
            if opts.require_unique_names and name:
                if name in names:
                    errs.append(duplicate(f"{path}.name", name))
                names.add(name)
        return errs

    return validate


_VALIDATORS: dict[str, Callable[[Mapping, Mapping | None], Errors]] = {
    "ValidatingAdmissionPolicy": _validate_validating_policy,
    "ValidatingAdmissionPolicyBinding": _validate_validating_binding,
    "MutatingAdmissionPolicy": _validate_mutating_policy,
    "MutatingAdmissionPolicyBinding": _validate_mutating_binding,
    "ValidatingWebhookConfiguration": _webhook_configuration(mutating=False),
    "MutatingWebhookConfiguration": _webhook_configuration(mutating=True),
}
