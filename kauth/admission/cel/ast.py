"""The checked AST of a compiled expression (cel.expr.CheckedExpr), decoded from cel-cpp's serialized form.

cel-expr-python does not expose the AST; its `serialize()` is a google.protobuf.Any holding a CheckedExpr. The
cost model (cost.py) walks it. Only the fields the walk needs are declared; protobuf skips the rest.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_STRING, _INT64, _BOOL, _MESSAGE, _BYTES, _DOUBLE, _UINT64, _INT32 = 9, 3, 8, 11, 12, 1, 4, 5
_OPTIONAL, _REPEATED = 1, 3

# cel/expr/syntax.proto and checked.proto (field numbers as upstream).
_SCHEMA = {
    "Any": (("type_url", 1, _STRING, None, _OPTIONAL), ("value", 2, _BYTES, None, _OPTIONAL)),
    "CheckedExpr": (("type_map", 3, _MESSAGE, "TypeMapEntry", _REPEATED), ("expr", 4, _MESSAGE, "Expr", _OPTIONAL),
                    ("source_info", 5, _MESSAGE, "SourceInfo", _OPTIONAL)),
    # map<int64, Type>; the Type is kept serialized: equal bytes, equal types
    "TypeMapEntry": (("key", 1, _INT64, None, _OPTIONAL), ("value", 2, _BYTES, None, _OPTIONAL)),
    "SourceInfo": (("line_offsets", 3, _INT32, None, _REPEATED),
                   ("positions", 4, _MESSAGE, "PositionsEntry", _REPEATED)),
    "PositionsEntry": (("key", 1, _INT64, None, _OPTIONAL), ("value", 2, _INT32, None, _OPTIONAL)),
    "Type": (("dyn", 1, _BYTES, None, _OPTIONAL), ("null", 2, _INT32, None, _OPTIONAL),
             ("primitive", 3, _INT32, None, _OPTIONAL), ("list_type", 6, _BYTES, None, _OPTIONAL),
             ("map_type", 7, _BYTES, None, _OPTIONAL), ("message_type", 9, _STRING, None, _OPTIONAL),
             ("type_param", 10, _STRING, None, _OPTIONAL), ("abstract_type", 14, _BYTES, None, _OPTIONAL)),
    "Constant": (("bool_value", 2, _BOOL, None, _OPTIONAL), ("int64_value", 3, _INT64, None, _OPTIONAL),
                 ("uint64_value", 4, _UINT64, None, _OPTIONAL), ("double_value", 5, _DOUBLE, None, _OPTIONAL),
                 ("string_value", 6, _STRING, None, _OPTIONAL)),
    "Ident": (("name", 1, _STRING, None, _OPTIONAL),),
    "Select": (("operand", 1, _MESSAGE, "Expr", _OPTIONAL), ("field", 2, _STRING, None, _OPTIONAL),
               ("test_only", 3, _BOOL, None, _OPTIONAL)),
    "Call": (("target", 1, _MESSAGE, "Expr", _OPTIONAL), ("function", 2, _STRING, None, _OPTIONAL),
             ("args", 3, _MESSAGE, "Expr", _REPEATED)),
    "CreateList": (("elements", 1, _MESSAGE, "Expr", _REPEATED), ("optional_indices", 2, _INT32, None, _REPEATED)),
    "Entry": (("map_key", 3, _MESSAGE, "Expr", _OPTIONAL), ("value", 4, _MESSAGE, "Expr", _OPTIONAL),
              ("optional_entry", 5, _BOOL, None, _OPTIONAL)),
    "CreateStruct": (("message_name", 1, _STRING, None, _OPTIONAL), ("entries", 2, _MESSAGE, "Entry", _REPEATED)),
    "Comprehension": (("iter_var", 1, _STRING, None, _OPTIONAL), ("iter_range", 2, _MESSAGE, "Expr", _OPTIONAL),
                      ("accu_var", 3, _STRING, None, _OPTIONAL), ("accu_init", 4, _MESSAGE, "Expr", _OPTIONAL),
                      ("loop_condition", 5, _MESSAGE, "Expr", _OPTIONAL),
                      ("loop_step", 6, _MESSAGE, "Expr", _OPTIONAL), ("result", 7, _MESSAGE, "Expr", _OPTIONAL)),
    "Expr": (("id", 2, _INT64, None, _OPTIONAL), ("const_expr", 3, _MESSAGE, "Constant", _OPTIONAL),
             ("ident_expr", 4, _MESSAGE, "Ident", _OPTIONAL), ("select_expr", 5, _MESSAGE, "Select", _OPTIONAL),
             ("call_expr", 6, _MESSAGE, "Call", _OPTIONAL), ("list_expr", 7, _MESSAGE, "CreateList", _OPTIONAL),
             ("struct_expr", 8, _MESSAGE, "CreateStruct", _OPTIONAL),
             ("comprehension_expr", 9, _MESSAGE, "Comprehension", _OPTIONAL)),
}


def _build() -> dict[str, type]:
    # proto2, so every field has presence (HasField on scalars: a Type's `null` is the value 0)
    fdp = descriptor_pb2.FileDescriptorProto(name="kauth/celexpr.proto", package="kauth.celexpr", syntax="proto2")
    for name, fields in _SCHEMA.items():
        m = fdp.message_type.add(name=name)
        for field, number, kind, type_name, label in fields:
            f = m.field.add(name=field, number=number, type=kind, label=label)
            if type_name:
                f.type_name = f".kauth.celexpr.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"kauth.celexpr.{name}"))
            for name in _SCHEMA}


_CLASSES = _build()


def checked(serialized: bytes):
    """The CheckedExpr of a serialized compiled expression (expr, type_map, source_info)."""
    envelope = _CLASSES["Any"].FromString(serialized)
    return _CLASSES["CheckedExpr"].FromString(envelope.value)


def checked_expr(serialized: bytes):
    """The root Expr of a serialized compiled expression."""
    return checked(serialized).expr


_PRIMITIVES = {1: "bool", 2: "int", 3: "uint", 4: "double", 5: "string", 6: "bytes"}
_DYN = b"\n\x00"


def type_name(serialized_type: bytes) -> str:
    """A checked type as cel-go's FormatCELType prints it (the common cases)."""
    t = _CLASSES["Type"].FromString(serialized_type)
    if t.HasField("primitive"):
        return _PRIMITIVES.get(t.primitive, "dyn")
    if t.HasField("null"):
        return "null_type"
    if t.HasField("list_type"):
        return "list"
    if t.HasField("map_type"):
        return "map"
    if t.HasField("message_type"):
        return t.message_type
    return "dyn"


def heterogeneous_literal(checked_expr) -> tuple[int, str, str] | None:
    """The first element of a list or map literal whose type differs from the elements before it (neither dyn),
    as (offset, expected, found): what cel-go's HomogeneousAggregateLiterals option, which Kubernetes enables,
    rejects at compile time. None when every literal is homogeneous."""
    types = {entry.key: entry.value for entry in checked_expr.type_map}
    positions = {entry.key: entry.value for entry in checked_expr.source_info.positions}
    stack = [checked_expr.expr]
    while stack:
        e = stack.pop()
        groups: list[list] = []
        if e.HasField("list_expr"):
            # an optional element (`?x`) is typed optional(T): cel-go checks T, kauth leaves it out
            optional = set(e.list_expr.optional_indices)
            groups.append([x for i, x in enumerate(e.list_expr.elements) if i not in optional])
            stack.extend(e.list_expr.elements)
        elif e.HasField("struct_expr"):
            entries = list(e.struct_expr.entries)
            if not e.struct_expr.message_name:
                groups += [[x.map_key for x in entries], [x.value for x in entries if not x.optional_entry]]
            for x in entries:
                stack.extend((x.map_key, x.value))
        elif e.HasField("select_expr"):
            stack.append(e.select_expr.operand)
        elif e.HasField("call_expr"):
            stack.extend(e.call_expr.args)
            if e.call_expr.HasField("target"):
                stack.append(e.call_expr.target)
        elif e.HasField("comprehension_expr"):
            c = e.comprehension_expr
            stack.extend((c.iter_range, c.accu_init, c.loop_condition, c.loop_step, c.result))
        for group in groups:
            previous = None
            for element in group:
                current = types.get(element.id)
                if current is None or current == _DYN:
                    continue
                if previous is not None and current != previous:
                    return positions.get(element.id, 0), type_name(previous), type_name(current)
                previous = current
    return None


def location_error(expression: str, offset: int, message: str) -> str:
    """A cel-go issue: `ERROR: <input>:L:C: message` and the source line with a caret under column C."""
    line_start = expression.rfind("\n", 0, offset) + 1
    line_end = expression.find("\n", offset)
    line = expression[line_start:] if line_end < 0 else expression[line_start:line_end]
    line_number = expression.count("\n", 0, offset) + 1
    column = offset - line_start
    return f"ERROR: <input>:{line_number}:{column + 1}: {message}\n | {line}\n | {'.' * column}^"
