"""One policy's expressions evaluated for one param: validator.go (Validate) and
plugin/cel/activation.go / composition.go (budgets, lazy variables), in kauth's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from kauth.admission.cel import AuthorizerBinding, Compiled, DataBounds, Environment, Result
from kauth.admission.cel import cost as celcost
from kauth.api import errors as api_errors

ADMIT, DENY = "Admit", "Deny"
EVAL_ADMIT, EVAL_DENY, EVAL_ERROR = "admit", "deny", "error"
MAX_MESSAGE_BYTES = 5 * 1024  # celconfig.MaxEvaluatedMessageExpressionSizeBytes


@dataclass(frozen=True)
class Decision:
    """PolicyDecision: what one validation (or an error standing for all of them) decided."""

    action: str  # ADMIT or DENY
    evaluation: str  # EVAL_ADMIT, EVAL_DENY or EVAL_ERROR
    message: str = ""
    reason: str = ""  # a metav1.StatusReason; "" means Invalid
    index: int = 0  # the validation's index, for the validation_failure audit annotation


@dataclass(frozen=True)
class AuditAnnotation:
    """PolicyAuditAnnotation: publish (value), exclude, or error (error text)."""

    key: str
    action: str  # "publish", "exclude", "error"
    value: str = ""
    error: str = ""


@dataclass(frozen=True)
class ValidateResult:
    decisions: tuple[Decision, ...] = ()
    audit_annotations: tuple[AuditAnnotation, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """The plain variables of one evaluation, plus what the authorizer variable asks."""

    data: Mapping[str, Any]
    bounds: Callable[[], DataBounds]  # computed once, when an expression's cost depends on the data
    authorizer: AuthorizerBinding | None
    request_resource: Mapping[str, str]


@dataclass(frozen=True)
class CompiledPolicy:
    """A ValidatingAdmissionPolicy's expressions, compiled once."""

    failure_policy: str
    match_conditions: tuple[tuple[str, Compiled], ...]
    variables: tuple[tuple[str, Compiled], ...]
    validations: tuple[tuple[Mapping, Compiled, Compiled | None], ...]
    audit_annotations: tuple[tuple[str, Compiled], ...]


def compile_policy(policy: Mapping, env: Environment) -> CompiledPolicy:
    """validating/plugin.go compilePolicy: `params` is declared when the policy has a paramKind; messageExpressions
    are compiled without `authorizer`."""
    spec = policy.get("spec") or {}
    has_params = bool(spec.get("paramKind"))
    compile_ = _Compiler(env.variant(params=has_params, authorizer=True))
    compile_message = _Compiler(env.variant(params=has_params, authorizer=False))
    return CompiledPolicy(
        failure_policy=spec.get("failurePolicy") or "Fail",
        match_conditions=tuple((m.get("name", ""), compile_(m.get("expression", ""), ("bool",)))
                               for m in spec.get("matchConditions") or []),
        variables=tuple((v.get("name", ""), compile_(v.get("expression", ""), None))
                        for v in spec.get("variables") or []),
        validations=tuple((v, compile_(v.get("expression", ""), ("bool",)),
                           compile_message(v["messageExpression"], ("string",)) if v.get("messageExpression")
                           else None)
                          for v in spec.get("validations") or []),
        audit_annotations=tuple((a.get("key", ""), compile_(a.get("valueExpression", ""), ("string", "null_type")))
                                for a in spec.get("auditAnnotations") or []),
    )


@dataclass
class _Compiler:
    env: Environment

    def __call__(self, expression: str, return_types: Sequence[str] | None) -> Compiled:
        compiled = self.env.compile(expression)
        if compiled.error:
            # plugin/cel/compile.go: "compilation failed: " + issues.String()
            return Compiled(expression, error=api_errors.cel_compilation_failed(compiled.error))
        if return_types is not None:
            output = _cel_type_name(compiled.program.return_type())
            if output not in return_types:
                return Compiled(expression, error=api_errors.cel_return_type_mismatch(return_types))
        return compiled


def _cel_type_name(cel_type) -> str:
    # cel-cpp's names (BOOL, STRING, NULL, DYN, LIST<DYN>) as cel-go's Type.String() prints them
    name = cel_type.name()
    return {"NULL": "null_type"}.get(name, name.lower())


class OutOfBudget(Exception):
    """The policy's runtime cost budget is spent: no further expression runs."""


@dataclass
class _Evaluation:
    """One activation: evaluates expressions under a shared budget, composing variables lazily (once each)."""

    env: Environment
    policy: CompiledPolicy
    inputs: Inputs
    budget: int
    with_authorizer: bool = True
    _variables: dict[str, Result] = field(default_factory=dict)

    def run(self, compiled: Compiled) -> tuple[Any, str]:
        """(value, error): error is the text upstream puts in the decision's message."""
        if compiled.program is None:
            return None, api_errors.cel_compilation_error(compiled.error)
        values: dict[str, Any] = {}
        for name in self._needed(compiled):
            result = self._variable(name)
            if result.error:
                return None, api_errors.cel_expression_failed(compiled.expression, result.error)
            values[name] = result.value
        data = {**self.inputs.data, "variables": values}
        result = self.env.evaluate(compiled, data, self.inputs.bounds,
                                   self.inputs.authorizer if self.with_authorizer else None,
                                   self.inputs.request_resource)
        self._charge(result.cost)
        if result.error:
            return None, api_errors.cel_expression_failed(compiled.expression, result.error)
        return result, ""

    def _needed(self, compiled: Compiled) -> list[str]:
        wanted = set(compiled.referenced_variables())
        order = [name for name, _ in self.policy.variables]
        # a variable may read earlier ones: take the closure, in declaration order
        for name, expr in reversed(self.policy.variables):
            if name in wanted:
                wanted |= expr.referenced_variables()
        return [name for name in order if name in wanted]

    def _variable(self, name: str) -> Result:
        if name not in self._variables:
            expr = dict(self.policy.variables)[name]
            if expr.program is None:
                # composition.go: a variable that does not compile fails the expressions that read it
                failed = api_errors.composited_variable_failed(name, "compile", expr.error)
                self._variables[name] = Result(error=failed)
            else:
                values = {n: self._variables[n].value for n in self._needed(expr) if n in self._variables}
                result = self.env.evaluate(expr, {**self.inputs.data, "variables": values}, self.inputs.bounds,
                                           self.inputs.authorizer, self.inputs.request_resource)
                self._charge(result.cost)
                if result.error:  # composition.go variableAccessor.Callback
                    result = Result(error=api_errors.composited_variable_failed(name, "evaluate", result.error),
                                    cost=result.cost)
                self._variables[name] = result
        return self._variables[name]

    def _charge(self, cost: int) -> None:
        if cost > self.budget:
            raise OutOfBudget(celcost.OUT_OF_BUDGET)
        self.budget -= cost


def _for_error(failure_policy: str) -> str:
    return ADMIT if failure_policy == "Ignore" else DENY


def validate(policy: CompiledPolicy, env: Environment, inputs: Inputs) -> ValidateResult:
    """validator.Validate for one param."""
    f = policy.failure_policy
    if policy.match_conditions:
        verdict = _match(policy, env, inputs)
        if isinstance(verdict, str):
            return ValidateResult((Decision(_for_error(f), EVAL_ERROR, verdict),))
        if not verdict:
            return ValidateResult()
    evaluation = _Evaluation(env, policy, inputs, celcost.RUNTIME_CEL_COST_BUDGET)
    decisions: list[Decision] = []
    try:
        outcomes = [evaluation.run(compiled) for _, compiled, _ in policy.validations]
    except OutOfBudget as err:
        return ValidateResult((Decision(_for_error(f), EVAL_ERROR, str(err)),))
    # messageExpressions share what is left of the budget, and see no authorizer
    messages = _Evaluation(env, policy, inputs, evaluation.budget, with_authorizer=False,
                           _variables=dict(evaluation._variables))
    for index, ((validation, _, message_expr), (result, error)) in enumerate(zip(policy.validations, outcomes)):
        if error:
            decisions.append(Decision(_for_error(f), EVAL_ERROR, error, index=index))
        elif result.value is not True:
            decisions.append(Decision(DENY, EVAL_DENY, _message(validation, message_expr, messages),
                                      validation.get("reason") or "Invalid", index))
        else:
            decisions.append(Decision(ADMIT, EVAL_ADMIT, index=index))
    return ValidateResult(tuple(decisions), _audit_annotations(policy, env, inputs))


def _match(policy: CompiledPolicy, env: Environment, inputs: Inputs) -> bool | str:
    """matchconditions.Matcher.Match: False if any condition is false; an error text if some errored."""
    evaluation = _Evaluation(env, policy, inputs, celcost.RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS)
    errors: list[str] = []
    for _, compiled in policy.match_conditions:
        try:
            result, error = evaluation.run(compiled)
        except OutOfBudget as err:
            return str(err)
        if error:
            errors.append(error)
        elif result.value is False:
            return False
    if errors:
        return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return True


def _message(validation: Mapping, message_expr: Compiled | None, evaluation: _Evaluation) -> str:
    message = ""
    if message_expr is not None:
        try:
            result, error = evaluation.run(message_expr)
        except OutOfBudget:
            result, error = None, "out of budget"
        if not error and isinstance(result.value, str):
            message = result.value.strip()
            # excessively long or multi-line messages are dropped
            if len(message.encode()) > MAX_MESSAGE_BYTES or "\n" in message:
                message = ""
    if not message and validation.get("message"):
        message = validation["message"].strip()
    if not message:
        message = api_errors.validation_failed_expression(validation.get("expression", "").strip())
    return message


def _audit_annotations(policy: CompiledPolicy, env: Environment, inputs: Inputs) -> tuple[AuditAnnotation, ...]:
    evaluation = _Evaluation(env, policy, inputs, celcost.RUNTIME_CEL_COST_BUDGET, with_authorizer=False)
    out: list[AuditAnnotation] = []
    error_action = "exclude" if policy.failure_policy == "Ignore" else "error"
    for key, compiled in policy.audit_annotations:
        try:
            result, error = evaluation.run(compiled)
        except OutOfBudget as err:
            out.append(AuditAnnotation(key, error_action, error=str(err)))
            break
        if error:
            out.append(AuditAnnotation(key, error_action, error=error))
        elif result.value is None:
            out.append(AuditAnnotation(key, "exclude"))
        elif isinstance(result.value, str):
            value = result.value.strip()
            out.append(AuditAnnotation(key, "publish", value) if value else AuditAnnotation(key, "exclude"))
        else:
            unsupported = api_errors.audit_annotation_unsupported_type(compiled.expression, result.type)
            out.append(AuditAnnotation(key, "error", error=unsupported))
    return tuple(out)
