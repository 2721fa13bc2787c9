"""The checked AST of a compiled expression (cel.expr.CheckedExpr), decoded from cel-cpp's serialized form.

cel-expr-python does not expose the AST; its `serialize()` is a google.protobuf.Any holding a CheckedExpr. The
cost model (cost.py) walks it. Only the fields the walk needs are declared; protobuf skips the rest.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_STRING, _INT64, _BOOL, _MESSAGE, _BYTES, _DOUBLE, _UINT64 = 9, 3, 8, 11, 12, 1, 4
_OPTIONAL, _REPEATED = 1, 3

# cel/expr/syntax.proto and checked.proto (field numbers as upstream).
_SCHEMA = {
    "Any": (("type_url", 1, _STRING, None, _OPTIONAL), ("value", 2, _BYTES, None, _OPTIONAL)),
    "CheckedExpr": (("expr", 4, _MESSAGE, "Expr", _OPTIONAL),),
    "Constant": (("bool_value", 2, _BOOL, None, _OPTIONAL), ("int64_value", 3, _INT64, None, _OPTIONAL),
                 ("uint64_value", 4, _UINT64, None, _OPTIONAL), ("double_value", 5, _DOUBLE, None, _OPTIONAL),
                 ("string_value", 6, _STRING, None, _OPTIONAL)),
    "Ident": (("name", 1, _STRING, None, _OPTIONAL),),
    "Select": (("operand", 1, _MESSAGE, "Expr", _OPTIONAL), ("field", 2, _STRING, None, _OPTIONAL),
               ("test_only", 3, _BOOL, None, _OPTIONAL)),
    "Call": (("target", 1, _MESSAGE, "Expr", _OPTIONAL), ("function", 2, _STRING, None, _OPTIONAL),
             ("args", 3, _MESSAGE, "Expr", _REPEATED)),
    "CreateList": (("elements", 1, _MESSAGE, "Expr", _REPEATED),),
    "Entry": (("map_key", 3, _MESSAGE, "Expr", _OPTIONAL), ("value", 4, _MESSAGE, "Expr", _OPTIONAL)),
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
    fdp = descriptor_pb2.FileDescriptorProto(name="kauth/celexpr.proto", package="kauth.celexpr", syntax="proto3")
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


def checked_expr(serialized: bytes):
    """The root Expr of a serialized compiled expression."""
    envelope = _CLASSES["Any"].FromString(serialized)
    return _CLASSES["CheckedExpr"].FromString(envelope.value).expr
