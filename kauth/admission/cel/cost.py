"""Runtime cost limits, as cel-go's cost tracker enforces them for admission expressions.

Upstream (k8s.io/apiserver/pkg/apis/cel/config.go): each expression may cost at most PerCallLimit; the
expressions of one policy evaluation share RuntimeCELCostBudget (match conditions have their own budget).
cel-go counts cost while it evaluates (interpreter/runtimecost.go): 1 per identifier, field selection, index and
function call, 10 per list literal, 30 per map literal, 40 per message literal, a tenth of the length for string
traversals (contains, startsWith, matches, ...), and every comprehension iteration's condition and step.

cel-cpp keeps no cost, so kauth computes it from the checked AST before evaluating: the same unit costs, with each
comprehension assumed to iterate over the largest list or map found in the request's data and each string taken as
long as its longest string. That is an upper bound of cel-go's actual cost: an expression within it is within
upstream's limit; an expression over it is stopped with upstream's error text, which is what a runaway nested
comprehension gets from a real API server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

PER_CALL_LIMIT = 1_000_000  # celconfig.PerCallLimit
RUNTIME_CEL_COST_BUDGET = 10_000_000  # celconfig.RuntimeCELCostBudget
RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS = 500_000  # celconfig.RuntimeCELCostBudgetMatchConditions

# cel-go: interpreter.ErrCostLimitExceeded is reported through the evaluation's error as
# "operation cancelled: actual cost limit exceeded".
COST_LIMIT_EXCEEDED = "operation cancelled: actual cost limit exceeded"
# k8s.io/apiserver/pkg/admission/plugin/cel/activation.go
OUT_OF_BUDGET = "validation failed due to running out of cost budget, no further validation rules will be run"

_LIST_CREATE, _MAP_CREATE, _STRUCT_CREATE = 10, 30, 40  # common.ListCreateBaseCost, MapCreateBaseCost, ...
_STRING_TRAVERSAL = 0.1  # common.StringTraversalCostFactor
_TRAVERSING = {"contains", "startsWith", "endsWith", "matches", "find", "findAll", "split", "join", "replace",
               "lowerAscii", "upperAscii", "trim", "indexOf", "lastIndexOf", "substring", "format", "_+_", "_==_",
               "_!=_", "_<_", "_<=_", "_>_", "_>=_", "@in", "url", "quantity", "ip", "cidr", "size"}


@dataclass(frozen=True)
class DataBounds:
    """The largest list/map size and the longest string in an evaluation's input data."""

    collection: int
    string: int

    @classmethod
    def of(cls, values: Iterable[Any]) -> "DataBounds":
        collection, string = 0, 0
        stack = list(values)
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                collection = max(collection, len(value))
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, (list, tuple)):
                collection = max(collection, len(value))
                stack.extend(value)
            elif isinstance(value, (str, bytes)):
                string = max(string, len(value))
        return cls(collection, string)


def expression_cost(expr, bounds: DataBounds) -> int:
    """An upper bound of cel-go's runtime cost of evaluating `expr` (a cel.expr.Expr) on data within `bounds`."""
    return _cost(expr, bounds, {})


def _cost(e, b: DataBounds, sizes: dict[str, int]) -> int:
    kind = _kind(e)
    if kind == "const_expr" or kind is None:
        return 0
    if kind == "ident_expr":
        return 1
    if kind == "select_expr":
        return 1 + _cost(e.select_expr.operand, b, sizes)
    if kind == "call_expr":
        call = e.call_expr
        total = 1 + sum(_cost(a, b, sizes) for a in call.args)
        if call.HasField("target"):
            total += _cost(call.target, b, sizes)
        if call.function in _TRAVERSING:
            total += math.ceil(b.string * _STRING_TRAVERSAL)
        return total
    if kind == "list_expr":
        return _LIST_CREATE + sum(_cost(x, b, sizes) for x in e.list_expr.elements)
    if kind == "struct_expr":
        base = _STRUCT_CREATE if e.struct_expr.message_name else _MAP_CREATE
        return base + sum(_cost(x.map_key, b, sizes) + _cost(x.value, b, sizes) for x in e.struct_expr.entries)
    if kind == "comprehension_expr":
        c = e.comprehension_expr
        rng = c.iter_range
        iterations = len(rng.list_expr.elements) if _kind(rng) == "list_expr" else b.collection
        per_iteration = _cost(c.loop_condition, b, sizes) + _cost(c.loop_step, b, sizes)
        return (_cost(rng, b, sizes) + _cost(c.accu_init, b, sizes) + iterations * per_iteration
                + _cost(c.result, b, sizes))
    return 1


def _kind(e) -> str | None:
    for name in ("const_expr", "ident_expr", "select_expr", "call_expr", "list_expr", "struct_expr",
                 "comprehension_expr"):
        if e.HasField(name):
            return name
    return None
