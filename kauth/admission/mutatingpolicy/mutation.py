"""A MutatingAdmissionPolicy's expressions compiled once, and its mutations applied to one object.

Upstream: k8s.io/apiserver/pkg/admission/plugin/policy/mutating/compilation.go (compilePolicy) and patch/
json_patch.go, patch/smd.go (the two patchers). Matching conditions and variables are compiled and evaluated as for
ValidatingAdmissionPolicy (kauth.admission.validatingpolicy.validator); mutations are the new part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from cel_expr_python import cel

from kauth.admission.cel import Compiled, Environment
from kauth.admission.cel import errors as celerrors
from kauth.admission.cel import cost as celcost
from kauth.admission.cel import objects
from kauth.admission.mutatingpolicy import smd
from kauth.admission.validatingpolicy import validator
from kauth.admission.validatingpolicy.validator import Inputs, OutOfBudget, _Compiler, _Evaluation
from kauth.api import fields as field_data
from kauth.api.apply_types import TypeNode
from kauth.patch.errors import INTERNAL, PatchError
from kauth.patch.jsonpatch import apply_json_patch

JSON_PATCH, APPLY_CONFIGURATION = "JSONPatch", "ApplyConfiguration"
_RETURN_TYPES = {JSON_PATCH: "list(JSONPatch)", APPLY_CONFIGURATION: objects.OBJECT}
# cel-cpp's types that may be the mutation's type once evaluated (initializers are maps to cel-cpp)
_UNDECIDED = {JSON_PATCH: ("dyn", "list(map(string, dyn))"), APPLY_CONFIGURATION: ("dyn", "map(string, dyn)")}


class MutationError(Exception):
    """A mutation that failed: a policy error (subject to failurePolicy), with upstream's text."""


class InternalError(Exception):
    """A mutation whose result does not decode: upstream answers a StatusError (500) whatever the failurePolicy."""


@dataclass(frozen=True)
class Mutation:
    patch_type: str
    compiled: Compiled  # of the rewritten expression; error set when it does not compile
    root_type: str = ""


@dataclass(frozen=True)
class CompiledPolicy:
    """What compilePolicy keeps: the match conditions and variables (as validator.CompiledPolicy, so the
    ValidatingAdmissionPolicy evaluation runs them), and the mutations in order."""

    conditions: validator.CompiledPolicy
    mutations: tuple[Mutation, ...]
    reinvocation_policy: str

    @property
    def failure_policy(self) -> str:
        return self.conditions.failure_policy


def compile_policy(policy: Mapping, env: Environment) -> CompiledPolicy:
    spec = policy.get("spec") or {}
    has_params = bool(spec.get("paramKind"))
    compile_ = _Compiler(env.variant(params=has_params, authorizer=True))
    conditions = validator.CompiledPolicy(
        failure_policy=spec.get("failurePolicy") or "Fail",
        match_conditions=tuple((m.get("name", ""), compile_(m.get("expression", ""), ("bool",)))
                               for m in spec.get("matchConditions") or []),
        variables=tuple((v.get("name", ""), compile_(v.get("expression", ""), None))
                        for v in spec.get("variables") or []),
        validations=(), audit_annotations=())
    mutations = []
    for m in spec.get("mutations") or []:
        patch_type = m.get("patchType")
        # compilation.go: a mutation whose patchType has no expression block is left out
        body = m.get("jsonPatch") if patch_type == JSON_PATCH else m.get("applyConfiguration") \
            if patch_type == APPLY_CONFIGURATION else None
        if body is not None:
            mutations.append(compile_mutation(patch_type, body.get("expression", ""), compile_))
    return CompiledPolicy(conditions, tuple(mutations), spec.get("reinvocationPolicy") or "Never")


def compile_mutation(patch_type: str, expression: str, compile_: _Compiler) -> Mutation:
    """One mutation's expression, rewritten and compiled; its error (upstream's text) set when it does not compile."""
    rewritten = objects.rewrite(expression)
    if rewritten.error:
        return Mutation(patch_type, Compiled(expression, error=f"compilation failed: {rewritten.error}"))
    compiled = compile_(rewritten.text, None)
    checked = compile_(rewritten.probe, None) if rewritten.probe else None
    if compiled.error or (checked is not None and checked.error):
        return Mutation(patch_type, Compiled(expression, error=_compile_error(expression, rewritten, compiled,
                                                                             checked)))
    # compile.go: the expression's type must be the mutation's. cel-cpp sees initializers as map(string, dyn), so
    # that type (and dyn) is left to the check of the value; any other type is wrong as cel-go would find it
    wanted = _RETURN_TYPES[patch_type]
    got = rewritten.root_type or _cel_type(compiled.program.return_type())
    if got != wanted and got not in _UNDECIDED[patch_type]:
        return Mutation(patch_type, Compiled(expression, error=f"must evaluate to {wanted} but got {got}"))
    return Mutation(patch_type, _with_expression(compiled, expression), rewritten.root_type)


def _compile_error(expression: str, rewritten: objects.Rewritten, compiled: Compiled, checked: Compiled | None) -> str:
    """cel-go's issues for the expression as written: its syntax errors, else the checker's, each placed in the
    expression as written. JSONPatch field type mismatches (the probe's) are reported only when nothing else is
    wrong: cel-cpp infers a type where cel-go's checker has an error type, which is assignable to any field."""
    syntax = _syntax_error(expression)
    if syntax:
        return syntax
    if compiled.error:
        return _PREFIX + rewritten.relocate(compiled.error.removeprefix(_PREFIX))
    return _PREFIX + rewritten.field_type_errors(checked.error.removeprefix(_PREFIX))


_PREFIX = "compilation failed: "


def _syntax_error(expression: str) -> str:
    try:
        _PARSER.compile(expression, disable_check=True)
    except RuntimeError as err:
        return f"compilation failed: {celerrors.compile_error(str(err))}"
    return ""


_PARSER = cel.NewEnv()


def _with_expression(compiled: Compiled, expression: str) -> Compiled:
    # error texts quote the expression as written, not as rewritten for cel-cpp
    return replace(compiled, expression=expression)


def _cel_type(cel_type) -> str:
    """cel-cpp's type name (LIST<MAP<STRING, INT>>) as cel-go's Type.String() prints it (list(map(string, int)))."""
    return "".join(_CEL_TYPE_WORDS.get(token, token) for token in _CEL_TYPE_TOKEN.findall(cel_type.name()))


_CEL_TYPE_TOKEN = re.compile(r"[\w.]+|[^\w.]")
_CEL_TYPE_WORDS = {"<": "(", ">": ")", "NULL": "null_type", "LIST": "list", "MAP": "map", "BOOL": "bool", "INT": "int",
                   "UINT": "uint", "DOUBLE": "double", "STRING": "string", "BYTES": "bytes", "DYN": "dyn",
                   "TYPE": "type", "TIMESTAMP": "google.protobuf.Timestamp", "DURATION": "google.protobuf.Duration"}


# -- evaluation ----------------------------------------------------------------------------------------------


def matches(policy: CompiledPolicy, env: Environment, inputs: Inputs) -> bool | str:
    """matchconditions.Matcher.Match: True, False, or the error text (a policy error, reason Invalid)."""
    if not policy.conditions.match_conditions:
        return True
    return validator._match(policy.conditions, env, inputs)


def mutate(policy: CompiledPolicy, mutation: Mutation, env: Environment, inputs: Inputs, type_: TypeNode,
           api_version: str, kind: str) -> dict:
    """patcher.Patch: the object after this mutation; MutationError / InternalError when it fails."""
    if mutation.compiled.program is None:
        raise MutationError(mutation.compiled.error)  # Patch reports CompilationErrors() first
    evaluation = _Evaluation(env, policy.conditions, inputs, celcost.RUNTIME_CEL_COST_BUDGET)
    try:
        result, error = evaluation.run(mutation.compiled)
    except OutOfBudget as err:
        raise MutationError(str(err)) from None
    if error:
        raise MutationError(error)
    obj = inputs.data["object"]
    if mutation.patch_type == JSON_PATCH:
        return _json_patch(result.value, obj, api_version, kind)
    return _apply_configuration(result.value, obj, type_, api_version, kind)


def _json_patch(value: Any, obj: dict, api_version: str, kind: str) -> dict:
    if not isinstance(value, list):
        raise MutationError("type mismatch: JSONPatchType.expression should evaluate to array")
    operations = []
    for item in value:
        if not isinstance(item, dict) or item.get(objects.TYPE_KEY) != objects.JSONPATCH:
            raise MutationError("type mismatch: JSONPatchType.expression should evaluate to array of JSONPatch")
        op: dict[str, Any] = {}
        for name in ("op", "path", "from"):
            field = item.get(name, "")
            if not isinstance(field, str):
                raise MutationError(f"type mismatch: JSONPatch field '{name}' must be a string, got "
                                    f"{objects.type_of(field)}")
            if field or name != "from":
                op[name] = field
        if "value" in item and item["value"] is not None:
            try:
                objects.check_type_names(item["value"])
            except objects.TypeMismatch as err:
                raise MutationError(f"type mismatch: {err}") from None
            op["value"] = objects.plain(item["value"])
        operations.append(op)
    try:
        patched = apply_json_patch(obj, operations)
    except PatchError as err:
        if str(err).endswith(": test failed"):
            return obj  # jsonpatch.ErrTestFailed: the patch is not applied, and that is no error
        if err.code == INTERNAL:
            raise InternalError(str(err)) from None
        raise MutationError(f"JSON Patch: {err}") from None
    if not isinstance(patched, dict):
        raise InternalError("Object 'Kind' is missing in 'null'")
    # the patched JSON is decoded strictly into the kind's type
    unknown = field_data.unknown_fields(api_version, kind, patched)
    if unknown:
        raise InternalError(field_data.strict_decoding_error(unknown))
    return patched


def _apply_configuration(value: Any, obj: dict, type_: TypeNode, api_version: str, kind: str) -> dict:
    if not isinstance(value, dict) or value.get(objects.TYPE_KEY) != objects.OBJECT:
        raise MutationError(f"must evaluate to Object but got {objects.type_of(value)}")
    try:
        objects.check_type_names(value)
    except objects.TypeMismatch as err:
        raise MutationError(f"type mismatch: {err}") from None
    try:
        return smd.apply_configuration(obj, objects.plain(value), type_, api_version, kind)
    except smd.ApplyError as err:
        raise MutationError(f"error applying patch: {err}") from None
