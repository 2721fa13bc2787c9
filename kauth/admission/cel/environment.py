"""The CEL environment of admission policies: the variables Kubernetes declares, its libraries, compilation,
and evaluation under the per-call cost limit.

Upstream: k8s.io/apiserver/pkg/admission/plugin/cel (compile.go declares object, oldObject, request, params,
namespaceObject, authorizer, authorizer.requestResource and variables).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from cel_expr_python import cel
from cel_expr_python.ext import ext_optional, ext_strings
from google.protobuf import any_pb2

from kauth.admission.cel import ast, cost, errors, library, types
from kauth.authn.user import UserInfo
from kauth.authz import authorizer as authz

# cel-go's ext.Sets() and ext.TwoVarComprehensions(), in Kubernetes' base environment since 1.29 and 1.32
# (k8s.io/apiserver/pkg/cel/environment/base.go); cel-cpp names them in its environment configuration.
_STANDARD_EXTENSIONS = "extensions:\n  - name: sets\n  - name: two-var-comprehensions\n"

VARIABLES = ("object", "oldObject", "request", "params", "namespaceObject", "variables")


@dataclass(frozen=True)
class Compiled:
    """One expression, compiled (program set) or not (error set: cel-go's issues text)."""

    expression: str
    program: Any = field(default=None, repr=False, compare=False)
    tree: Any = field(default=None, repr=False, compare=False)
    error: str = ""
    # The names of `variables.<name>` the expression reads (what lazy composition must evaluate).
    variables: frozenset[str] = frozenset()
    # The identifiers it names (object, params, ...): only those are converted for cel-cpp.
    idents: frozenset[str] = frozenset()
    # Its cost bound as a polynomial of the data's bounds, and its shape for measuring a request's data (cost.py).
    cost: Mapping[tuple[int, int], int] = field(default_factory=dict, repr=False, compare=False)
    shape: tuple = field(default=("sum", 0, ()), repr=False, compare=False)

    def referenced_variables(self) -> frozenset[str]:
        return self.variables


def _references(tree) -> tuple[frozenset[str], frozenset[str]]:
    """The names of `variables.<name>` an expression reads, and every identifier it names."""
    names: set[str] = set()
    idents: set[str] = set()
    stack = [tree]
    while stack:
        e = stack.pop()
        if e.HasField("ident_expr"):
            idents.add(e.ident_expr.name)
        elif e.HasField("select_expr"):
            s = e.select_expr
            if s.operand.HasField("ident_expr") and s.operand.ident_expr.name == "variables":
                names.add(s.field)
            stack.append(s.operand)
        elif e.HasField("call_expr"):
            stack.extend(e.call_expr.args)
            if e.call_expr.HasField("target"):
                stack.append(e.call_expr.target)
        elif e.HasField("list_expr"):
            stack.extend(e.list_expr.elements)
        elif e.HasField("struct_expr"):
            for entry in e.struct_expr.entries:
                stack.extend((entry.map_key, entry.value))
        elif e.HasField("comprehension_expr"):
            c = e.comprehension_expr
            stack.extend((c.iter_range, c.accu_init, c.loop_condition, c.loop_step, c.result))
    return frozenset(names), frozenset(idents)


@dataclass(frozen=True)
class Result:
    """An evaluation: the value (a Python value; opaque types as their messages) or cel-go's error text."""

    value: Any = None
    type: str = ""
    error: str = ""
    cost: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class AuthorizerBinding:
    """What the `authorizer` variable of one evaluation asks: an authorizer, on behalf of a user."""

    authorizer: Any  # kauth.authz.authorizer.Authorizer or Union
    user: UserInfo


class _Shared:
    """What the variants of one environment share: the authorizer bindings of running evaluations."""

    def __init__(self) -> None:
        self.bindings: dict[int, AuthorizerBinding] = {}
        self.handles = itertools.count(1)
        self.variants: dict[tuple[bool, bool], "Environment"] = {}


class Environment:
    """A CEL environment; compile() once, evaluate() per request.

    As upstream (plugin/cel/compile.go buildEnvWithVars), `params` is declared only for policies with a paramKind
    and `authorizer` / `authorizer.requestResource` only where upstream offers them (not in messageExpression):
    elsewhere they are undeclared references. variant() gives the other combinations.
    """

    def __init__(self, *, params: bool = True, authorizer: bool = True, _shared: _Shared | None = None) -> None:
        self._shared = _shared or _Shared()
        self._bindings = self._shared.bindings
        self._handles = self._shared.handles
        self._shared.variants.setdefault((params, authorizer), self)
        functions = library.KUBERNETES + library.authz_functions(self._check, self._service_account)
        variables = {name: cel.Type.DYN for name in VARIABLES if params or name != "params"}
        if authorizer:
            variables["authorizer"] = library.AUTHORIZER
            variables["authorizer.requestResource"] = library.RESOURCE_CHECK
        self._env = cel.NewEnv(types.POOL, config=cel.NewEnvConfigFromYaml(_STANDARD_EXTENSIONS),
                               variables=variables, functions=functions,
                               # after the strings extension, so that indexOf / lastIndexOf merge with its own
                               extensions=[ext_strings.ExtStrings(), ext_optional.ExtOptional(),
                                           cel.CelExtension("kubernetes.overloads", library.BUILTIN_OVERLOADS)])

    def variant(self, *, params: bool, authorizer: bool) -> "Environment":
        """The environment declaring `params` and `authorizer` or not; it evaluates with this one's bindings."""
        key = (params, authorizer)
        if key not in self._shared.variants:
            Environment(params=params, authorizer=authorizer, _shared=self._shared)
        return self._shared.variants[key]

    def compile(self, expression: str) -> Compiled:
        try:
            program = self._env.compile(expression)
        except RuntimeError as err:
            return Compiled(expression, error=errors.compile_error(str(err)))
        checked = ast.checked(program.serialize())
        if library.with_optional_results(checked):  # validate() / format.named() read as optionals
            program = self._env.deserialize(_reserialized(program.serialize(), checked))
        mixed = ast.heterogeneous_literal(checked)
        if mixed is not None:  # cel.HomogeneousAggregateLiterals(), part of Kubernetes' base environment
            offset, expected, found = mixed
            return Compiled(expression, error=ast.location_error(
                expression, offset, f"expected type '{expected}' but found '{found}'"))
        tree = checked.expr
        variables, idents = _references(tree)
        return Compiled(expression, program, tree, variables=variables, idents=idents,
                        cost=cost.cost_polynomial(tree), shape=cost.cost_shape(tree))

    def evaluate(self, compiled: Compiled, data: Mapping[str, Any],
                 bounds: cost.DataBounds | Callable[[], cost.DataBounds],
                 binding: AuthorizerBinding | None = None,
                 request_resource: Mapping[str, str] | None = None) -> Result:
        """Evaluate under cel-go's per-call limit; `data` holds the plain variables, `bounds` their sizes (or a
        function computing them, called only for expressions whose cost depends on the data)."""
        if compiled.program is None:
            return Result(error=compiled.error)
        estimate = cost.evaluate_polynomial(compiled.cost, bounds)
        if estimate > cost.REFINE_ABOVE:  # a loose bound: measure this data's own collections instead
            estimate = min(estimate, cost.data_cost(compiled.shape, data, bounds() if callable(bounds) else bounds))
        if estimate > cost.PER_CALL_LIMIT:
            # cel-go stops at the limit, so that is what the evaluation has spent
            return Result(error=cost.COST_LIMIT_EXCEEDED, cost=cost.PER_CALL_LIMIT)
        # cel-cpp converts every value it is given: give it only what the expression names
        activation = {name: data[name] for name in compiled.idents if name in data}
        handle = 0
        if binding is not None and any(name.startswith("authorizer") for name in compiled.idents):
            handle = next(self._handles)
            self._bindings[handle] = binding
            activation["authorizer"] = types.Authorizer(handle=handle, username=binding.user.name)
            rr = request_resource or {}
            activation["authorizer.requestResource"] = types.ResourceCheck(handle=handle,
                                                                          username=binding.user.name, **rr)
        try:
            value = compiled.program.eval(data=activation)
        except RuntimeError as err:  # cel-cpp raises rather than returning an error value for a few failures
            return Result(error=errors.runtime_error(str(err)), cost=estimate)
        finally:
            self._bindings.pop(handle, None)
        kind = value.type().name()
        if kind == "*error*" or value.type() == cel.Type.ERROR:
            try:
                message = value.value()
            except TypeError:  # an optional: cel-expr-python converts neither it nor its type, and calls it ERROR
                return Result(None, "optional_type", cost=estimate)
            return Result(error=errors.runtime_error(message), cost=estimate)
        return Result(_plain(value), kind, cost=estimate)

    # -- the authz library's calls back into kauth's authorizer ------------------------------------------------

    def _check(self, target, verb: str):
        binding = self._bindings.get(target.handle)
        if binding is None:
            return types.Decision(error="no authorizer available")
        if target.path:  # authorizer.path(p): a non-resource request
            attributes = authz.Attributes(binding.user, verb, resource_request=False, path=target.path)
        else:
            attributes = authz.Attributes(binding.user, verb, group=target.group, version=target.version,
                                          resource=target.resource, subresource=target.subresource,
                                          namespace=target.namespace, name=target.name)
        decision = binding.authorizer.authorize(attributes)
        if isinstance(decision, tuple):  # a Union answers (decision, every authorizer's answer)
            decision = decision[0]
        word = {True: "allow", False: "deny", None: "no opinion"}[decision.allowed]
        return types.Decision(allowed=decision.allowed is True, reason=decision.reason, decision=word)

    def _service_account(self, authorizer_value, namespace: str, name: str):
        binding = self._bindings.get(authorizer_value.handle)
        user = UserInfo(f"system:serviceaccount:{namespace}:{name}",
                        groups=("system:serviceaccounts", f"system:serviceaccounts:{namespace}"))
        handle = next(self._handles)
        if binding is not None:
            self._bindings[handle] = AuthorizerBinding(binding.authorizer, user)
        return types.Authorizer(handle=handle, username=user.name)


def _reserialized(serialized: bytes, checked) -> bytes:
    """cel-cpp's serialized form (a google.protobuf.Any) holding `checked` in place of the original CheckedExpr."""
    envelope = any_pb2.Any.FromString(serialized)
    envelope.value = checked.SerializeToString()
    return envelope.SerializeToString()


def _plain(value) -> Any:
    try:
        return value.plain_value()
    except Exception:  # opaque values (messages) have no plain form
        return value.value()


Evaluator = Callable[[Compiled, Mapping[str, Any]], Result]
