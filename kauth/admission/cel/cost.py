"""Runtime cost limits, as cel-go's cost tracker enforces them for admission expressions.

Upstream (k8s.io/apiserver/pkg/apis/cel/config.go): each expression may cost at most PerCallLimit; the
expressions of one policy evaluation share RuntimeCELCostBudget (match conditions have their own budget).
cel-go counts cost while it evaluates (interpreter/runtimecost.go): 1 per identifier, field selection, index and
function call, 10 per list literal, 30 per map literal, 40 per message literal, a tenth of the length for string
traversals (contains, startsWith, matches, ...), and every comprehension iteration's condition and step; Kubernetes'
library functions cost what library/cost.go's CallCost charges (a traversal of the list for isSorted, sum, min,
max, indexOf and lastIndexOf; the string times the format's regex size for validate).

cel-cpp keeps no cost, so kauth computes it from the checked AST before evaluating: the same unit costs, with each
comprehension assumed to iterate over the largest list or map found in the request's data and each string taken as
long as its longest string (cost_polynomial, a few operations per request). When that bound passes REFINE_ABOVE,
the expression is measured again on the data itself (data_cost): each comprehension over a list the data holds
counts that list's elements, nested ranges per element, strings by their own length. Both are upper bounds of
cel-go's actual cost, since every iteration and every operand is counted where cel-go may stop early (`all` on the
first false, `&&` on a false left side): an expression within them is within upstream's limit; one over them is
stopped with upstream's error text, which is what a runaway nested comprehension gets from a real API server. Only
an expression near the limit that relies on short-circuiting can be stopped where Kubernetes lets it finish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from kauth.admission.cel import library

PER_CALL_LIMIT = 1_000_000  # celconfig.PerCallLimit
RUNTIME_CEL_COST_BUDGET = 10_000_000  # celconfig.RuntimeCELCostBudget
RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS = 2_500_000  # celconfig.RuntimeCELCostBudgetMatchConditions

# cel-go: interpreter.ErrCostLimitExceeded is reported through the evaluation's error as
# "operation cancelled: actual cost limit exceeded".
COST_LIMIT_EXCEEDED = "operation cancelled: actual cost limit exceeded"
# k8s.io/apiserver/pkg/admission/plugin/cel/activation.go
OUT_OF_BUDGET = "validation failed due to running out of cost budget, no further validation rules will be run"

_LIST_CREATE, _MAP_CREATE, _STRUCT_CREATE = 10, 30, 40  # common.ListCreateBaseCost, MapCreateBaseCost, ...
_STRING_TRAVERSAL = 0.1  # common.StringTraversalCostFactor
_REGEX_STRING_LENGTH = 0.25  # common.RegexStringLengthCostFactor
_LIST_TRAVERSING = {"isSorted", "sum", "min", "max", "indexOf", "lastIndexOf"}
_TRAVERSING = {"contains", "startsWith", "endsWith", "matches", "find", "findAll", "split", "join", "replace",
               "lowerAscii", "upperAscii", "trim", "substring", "format", "_+_", "_==_",
               "_!=_", "_<_", "_<=_", "_>_", "_>=_", "@in", "url", "quantity", "ip", "cidr", "size",
               "isQuantity", "isIP", "isCIDR", "ip.isCanonical", "semver", "isSemver",
               "image", "isImage"}  # image parsing is a traversal too (kauth's bound: library/cost.go lists none)


@dataclass(frozen=True)
class DataBounds:
    """The largest list/map size and the longest string in an evaluation's input data."""

    collection: int
    string: int

    def union(self, other: "DataBounds") -> "DataBounds":
        return DataBounds(max(self.collection, other.collection), max(self.string, other.string))

    @classmethod
    def of(cls, values: Iterable[Any]) -> "DataBounds":
        collection, string = 0, 0
        stack = list(values)
        pop, push, extend = stack.pop, stack.append, stack.extend
        while stack:
            value = pop()
            kind = type(value)
            if kind is dict:
                if len(value) > collection:
                    collection = len(value)
                for key, item in value.items():
                    if len(key) > string:
                        string = len(key)
                    push(item)
            elif kind is list or kind is tuple:
                if len(value) > collection:
                    collection = len(value)
                extend(value)
            elif kind is str or kind is bytes:
                if len(value) > string:
                    string = len(value)
        return cls(collection, string)


# A cost bound as a polynomial in the data's bounds: {(k, s): c} stands for the sum of c * N**k * T**s, where N is
# the largest collection and T the string traversal cost ceil(0.1 * longest string). Built once per expression,
# evaluated per request in a few operations.
Polynomial = dict[tuple[int, int], int]


def expression_cost(expr, bounds: DataBounds) -> int:
    """An upper bound of cel-go's runtime cost of evaluating `expr` (a cel.expr.Expr) on data within `bounds`."""
    return evaluate_polynomial(cost_polynomial(expr), bounds)


def evaluate_polynomial(poly: Polynomial, bounds: "DataBounds | Callable[[], DataBounds]") -> int:
    """The bound for this data; `bounds` may be a function, called only when the cost depends on the data."""
    if all(key == (0, 0) for key in poly):
        return poly.get((0, 0), 0)
    if callable(bounds):
        bounds = bounds()
    traversal = math.ceil(bounds.string * _STRING_TRAVERSAL)
    return sum(c * bounds.collection ** k * (traversal if s else 1) for (k, s), c in poly.items())


def cost_polynomial(e) -> Polynomial:
    kind = _kind(e)
    if kind == "const_expr" or kind is None:
        return {}
    if kind == "ident_expr":
        return {(0, 0): 1}
    if kind == "select_expr":
        return _add({(0, 0): 1}, cost_polynomial(e.select_expr.operand))
    if kind == "call_expr":
        call = e.call_expr
        parts = [{(0, 0): 1}, *(cost_polynomial(a) for a in call.args), _call_cost(call)]
        if call.HasField("target"):
            parts.append(cost_polynomial(call.target))
        return _add(*parts)
    if kind == "list_expr":
        return _add({(0, 0): _LIST_CREATE}, *(cost_polynomial(x) for x in e.list_expr.elements))
    if kind == "struct_expr":
        base = _STRUCT_CREATE if e.struct_expr.message_name else _MAP_CREATE
        return _add({(0, 0): base}, *(_add(cost_polynomial(x.map_key), cost_polynomial(x.value))
                                      for x in e.struct_expr.entries))
    if kind == "comprehension_expr":
        c = e.comprehension_expr
        rng = c.iter_range
        per_iteration = _add(cost_polynomial(c.loop_condition), cost_polynomial(c.loop_step))
        if _kind(rng) == "list_expr":  # a literal: its length is known
            iterations = {key: v * len(rng.list_expr.elements) for key, v in per_iteration.items()}
        else:  # as many as the largest collection in the data
            iterations = {(k + 1, s): v for (k, s), v in per_iteration.items()}
        return _add(cost_polynomial(rng), cost_polynomial(c.accu_init), iterations, cost_polynomial(c.result))
    return {(0, 0): 1}


# Above this bound, an expression's cost is worked out again on the request's own data (data_cost): the bound
# takes every comprehension as long as the largest collection anywhere, which can be far from the truth.
REFINE_ABOVE = 100_000
_UNKNOWN = object()


def cost_shape(e) -> tuple:
    """The expression as plain tuples, with what data_cost needs of each node: walked per request, protobuf
    messages are too slow to read."""
    kind = _kind(e)
    if kind == "ident_expr":
        return ("ident", e.ident_expr.name)
    if kind == "select_expr":
        return ("select", e.select_expr.field, e.select_expr.test_only, cost_shape(e.select_expr.operand))
    if kind == "call_expr":
        call = e.call_expr
        operands = tuple(cost_shape(o) for o in (*call.args, *((call.target,) if call.HasField("target") else ())))
        return ("call", call.function, _call_cost(call), operands)
    if kind == "list_expr":
        return ("sum", _LIST_CREATE, tuple(cost_shape(x) for x in e.list_expr.elements))
    if kind == "struct_expr":
        base = _STRUCT_CREATE if e.struct_expr.message_name else _MAP_CREATE
        return ("sum", base, tuple(cost_shape(x) for entry in e.struct_expr.entries
                                   for x in (entry.map_key, entry.value)))
    if kind == "comprehension_expr":
        c = e.comprehension_expr
        length = len(c.iter_range.list_expr.elements) if _kind(c.iter_range) == "list_expr" else None
        return ("loop", c.iter_var, c.accu_var, cost_shape(c.iter_range), length,
                tuple(cost_shape(x) for x in (c.accu_init, c.result)),
                tuple(cost_shape(x) for x in (c.loop_condition, c.loop_step)))
    if kind == "const_expr":
        const = e.const_expr
        which = next((k for k in ("string_value", "int64_value", "uint64_value") if const.HasField(k)), None)
        return ("const", getattr(const, which) if which else None)
    return ("sum", 1, ())


class _OverLimit(Exception):
    pass


def data_cost(shape: tuple, data: Mapping[str, Any], bounds: DataBounds, limit: int = PER_CALL_LIMIT) -> int:
    """cel-go's cost of the expression (its cost_shape) on this data, still an upper bound (every iteration is
    run, every string traversed whole) but with the data's own sizes where the expression reaches them: a
    comprehension over a list the data holds (`object.spec.containers`) counts that list's elements, binding the
    iteration variable to each in turn so nested ranges (`c.ports`) are measured too; a traversal of a string the
    data holds counts its length. What the data does not settle (a range a function computes) counts as
    cost_polynomial does. Stops counting past `limit`."""
    spent = [0]
    try:
        _data_cost(shape, dict(data), bounds, spent, limit)
    except _OverLimit:
        return limit + 1
    return spent[0]


def _data_cost(node: tuple, scope: dict, bounds: DataBounds, spent: list, limit: int) -> None:
    kind = node[0]
    if kind == "ident":
        spent[0] += 1
    elif kind == "select":
        spent[0] += 1
        _data_cost(node[3], scope, bounds, spent, limit)
    elif kind == "call":
        _, _, own, operands = node
        spent[0] += 1
        if own:
            spent[0] += evaluate_polynomial(own, _local_bounds([_value(o, scope) for o in operands], bounds))
        for operand in operands:
            _data_cost(operand, scope, bounds, spent, limit)
    elif kind == "sum":
        spent[0] += node[1]
        for child in node[2]:
            _data_cost(child, scope, bounds, spent, limit)
    elif kind == "loop":
        _, iter_var, accu_var, iter_range, length, once, each = node
        for child in (iter_range, *once):
            _data_cost(child, scope, bounds, spent, limit)
        items = _value(iter_range, scope)
        if isinstance(items, (list, dict)):  # over the data's own collection: element by element
            elements = items
        else:
            elements = [_UNKNOWN] * (length if length is not None else bounds.collection)
        inner = {**scope, accu_var: _UNKNOWN}
        for item in elements:
            inner[iter_var] = item
            for child in each:
                _data_cost(child, inner, bounds, spent, limit)
            if spent[0] > limit:
                raise _OverLimit
    if spent[0] > limit:
        raise _OverLimit


def _value(node: tuple, scope: dict) -> Any:
    """The value a node has in the data when it is a path into it (`object.spec.containers`, `c.ports`, `x[0]`)
    or a constant, else _UNKNOWN."""
    kind = node[0]
    if kind == "ident":
        return scope.get(node[1], _UNKNOWN)
    if kind == "const":
        return _UNKNOWN if node[1] is None else node[1]
    if kind == "select" and not node[2]:
        parent = _value(node[3], scope)
        return parent.get(node[1], _UNKNOWN) if isinstance(parent, dict) else _UNKNOWN
    if kind == "call" and node[1] == "_[_]" and len(node[3]) == 2:
        parent, index = (_value(o, scope) for o in node[3])
        if isinstance(parent, dict) and isinstance(index, str):
            return parent.get(index, _UNKNOWN)
        if isinstance(parent, list) and isinstance(index, int) and 0 <= index < len(parent):
            return parent[index]
    return _UNKNOWN


def _local_bounds(values: list, bounds: DataBounds) -> DataBounds:
    """The sizes a function's own operands have: exact when the data settles every one, else the data's bounds."""
    if any(v is _UNKNOWN for v in values):
        return bounds
    collection = max((len(v) for v in values if isinstance(v, (list, dict))), default=0)
    strings = [v for v in values if isinstance(v, str)]
    strings += [x for v in values if isinstance(v, list) for x in v if isinstance(x, str)]
    return DataBounds(collection, max((len(x) for x in strings), default=0))


def _call_cost(call) -> Polynomial:
    """What a library function costs beyond its call (library/cost.go CallCost), as a bound."""
    if call.function in _LIST_TRAVERSING:
        # a traversal of the receiver: each element (1, or a tenth of its length for a string) of a list, or a
        # tenth of a string's length for the strings extension's indexOf / lastIndexOf
        return {(1, 0): 1, (1, 1): 1, (0, 1): 1}
    if call.function == "validate":
        # ceil((1 + len) * 0.1) * ceil(MaxRegexSize * 0.25), the format's regex size known when the receiver is a
        # format.<name>() constant, else the largest
        return {(0, 1): _format_regex_cost(call), (0, 0): _format_regex_cost(call)}
    if call.function in _TRAVERSING:
        return {(0, 1): 1}
    return {}


def _format_regex_cost(call) -> int:
    size = library.MAX_FORMAT_REGEX_SIZE
    if call.HasField("target") and call.target.HasField("call_expr"):
        name = call.target.call_expr.function.removeprefix("format.")
        if name in library.FORMATS:
            size = library.FORMATS[name][2]
    return math.ceil(size * _REGEX_STRING_LENGTH)


def _add(*polys: Polynomial) -> Polynomial:
    out: Polynomial = {}
    for poly in polys:
        for key, value in poly.items():
            out[key] = out.get(key, 0) + value
    return out


def _kind(e) -> str | None:
    for name in ("const_expr", "ident_expr", "select_expr", "call_expr", "list_expr", "struct_expr",
                 "comprehension_expr"):
        if e.HasField(name):
            return name
    return None
