"""The CEL types MutatingAdmissionPolicy adds: `Object` initializers (`Object{spec: Object.spec{replicas: 3}}`),
`JSONPatch{op, path, from, value}` and `jsonpatch.escapeKey`.

Upstream: k8s.io/apiserver/pkg/cel/mutation (the JSONPatch type, jsonpatch.escapeKey) and cel/mutation/dynamic
(ObjectType: any `Object.<path>` names a type whose fields are anything; ObjectVal.CheckTypeNamesMatchFieldPathNames).

cel-cpp only builds structs of declared protobuf messages, and `Object.<path>` types are open-ended, so kauth
rewrites the expression text before compiling it: an initializer becomes a map literal that carries its type name
under a key no Kubernetes object has (TYPE_KEY), each field value wrapped in dyn() (the literal is heterogeneous),
and `jsonpatch.escapeKey(k)` becomes `(k).replace("~", "~0").replace("/", "~1")` (RFC 6901, which is what
escapeKey does). After evaluation, typed_value() checks the type names and removes the keys.

What differs from upstream: a compile error inside a rewritten expression points at the rewritten text's column;
`has(JSONPatch{op: ""}.op)` is true (upstream's zero value is unset); JSONPatch field types are checked when the
patch is built rather than at compile time.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass
from typing import Any

TYPE_KEY = "\u0000type"  # a map key no JSON object from the API server has
_TYPE_KEY_LITERAL = '"\\u0000type"'
OBJECT, JSONPATCH = "Object", "JSONPatch"
JSONPATCH_FIELDS = ("op", "path", "from", "value")

_TOKEN = re.compile(r"""
    (?P<space>(?:\s+|//[^\n]*)+)
  | (?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
  | (?P<number>\d[\w.]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>==|!=|<=|>=|&&|\|\||.)
""", re.VERBOSE | re.DOTALL)

_CLOSERS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    lead: str  # the whitespace and comments before it


@dataclass(frozen=True)
class Rewritten:
    """An expression with its initializers rewritten: `text` to compile, `root_type` the type name of the
    initializer that is the whole expression ("" when it is something else), `error` a compile error
    (cel-go's issue text) found while rewriting."""

    text: str
    root_type: str = ""
    error: str = ""
    uses_jsonpatch: bool = False


class _RewriteError(Exception):
    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset


def rewrite(expression: str) -> Rewritten:
    """The expression cel-cpp can compile, with Object / JSONPatch initializers as typed map literals."""
    tokens = _tokenize(expression)
    if tokens is None:
        return Rewritten(expression)  # let the compiler report what does not tokenize
    rewriter = _Rewriter(tokens, expression)
    try:
        text, end = rewriter.copy_until(0, frozenset())
    except _RewriteError as err:
        from kauth.admission.cel.ast import location_error
        return Rewritten(expression, error=location_error(expression, err.offset, str(err)))
    text += rewriter.trailing
    return Rewritten(text, rewriter.root_type if rewriter.root_is_whole else "", uses_jsonpatch=rewriter.jsonpatch)


def _tokenize(expression: str) -> list[_Token] | None:
    tokens: list[_Token] = []
    lead = ""
    position = 0
    while position < len(expression):
        m = _TOKEN.match(expression, position)
        if m is None:
            return None
        kind = m.lastgroup or "punct"
        if kind == "space":
            lead += m.group()
        else:
            tokens.append(_Token(kind, m.group(), position, lead))
            lead = ""
        position = m.end()
    tokens.append(_Token("end", "", len(expression), lead))
    return tokens


class _Rewriter:
    def __init__(self, tokens: list[_Token], expression: str) -> None:
        self.tokens = tokens
        self.expression = expression
        self.root_type = ""
        self.root_is_whole = False
        self.jsonpatch = False
        self.trailing = tokens[-1].lead

    def copy_until(self, i: int, closers: frozenset[str]) -> tuple[str, int]:
        """Copy tokens from i up to (not including) a closer at this depth; returns (text, index of the closer)."""
        parts: list[str] = []
        tokens = self.tokens
        while tokens[i].kind != "end":
            t = tokens[i]
            if t.kind == "punct" and t.text in closers:
                break
            previous = tokens[i - 1] if i > 0 else None
            after_dot = previous is not None and previous.kind == "punct" and previous.text == "."
            if t.kind == "ident" and not after_dot and t.text in (OBJECT, JSONPATCH):
                end = self._initializer_end(i)
                if end is not None:
                    text, j = self.initializer(i, end)
                    if i == 0 and tokens[j].kind == "end":
                        self.root_is_whole = True
                    parts.append(text)
                    i = j
                    continue
            if (t.kind == "ident" and t.text == "jsonpatch" and not after_dot
                    and [x.text for x in tokens[i + 1:i + 4]] == [".", "escapeKey", "("]):
                argument, j = self.copy_until(i + 4, frozenset(")"))
                if tokens[j].text != ")":
                    raise _RewriteError(tokens[j].start, "Syntax error: missing ')'")
                parts.append(f'{t.lead}(({argument}{tokens[j].lead}).replace("~", "~0").replace("/", "~1"))')
                i = j + 1
                continue
            if t.kind == "punct" and t.text in _CLOSERS:
                inner, j = self.copy_until(i + 1, frozenset(_CLOSERS[t.text]))
                if tokens[j].kind == "end":
                    parts.append(t.lead + t.text + inner)
                    i = j
                    continue
                parts.append(t.lead + t.text + inner + tokens[j].lead + tokens[j].text)
                i = j + 1
                continue
            parts.append(t.lead + t.text)
            i += 1
        return "".join(parts), i

    def _initializer_end(self, i: int) -> int | None:
        """The index of the `{` ending a type name `Object(.ident)*` that starts at i, or None."""
        tokens = self.tokens
        j = i + 1
        while tokens[j].text == "." and tokens[j + 1].kind == "ident":
            j += 2
        return j if tokens[j].text == "{" else None

    def initializer(self, i: int, brace: int) -> tuple[str, int]:
        tokens = self.tokens
        type_name = "".join(t.text for t in tokens[i:brace])
        if i == 0:
            self.root_type = type_name
        is_patch = type_name == JSONPATCH
        if type_name.startswith(JSONPATCH) and not is_patch:
            raise _RewriteError(tokens[i].start, f"undeclared reference to '{type_name}' (in container '')")
        self.jsonpatch |= is_patch
        entries = [f'{_TYPE_KEY_LITERAL}: dyn("{type_name}")']
        j = brace + 1
        while tokens[j].text != "}":
            optional = tokens[j].text == "?"
            if optional:
                j += 1
            name = tokens[j]
            if name.kind != "ident" or tokens[j + 1].text != ":":
                raise _RewriteError(name.start, f"Syntax error: mismatched input '{name.text}' expecting IDENTIFIER"
                                    if name.kind != "ident" else "Syntax error: missing ':'")
            if is_patch and name.text not in JSONPATCH_FIELDS:
                raise _RewriteError(name.start, f"undefined field '{name.text}'")
            value, j = self.copy_until(j + 2, frozenset({",", "}"}))
            if tokens[j].kind == "end":
                raise _RewriteError(tokens[j].start, "Syntax error: missing '}'")
            entries.append(f'?"{name.text}": {value}' if optional else f'"{name.text}": dyn({value})')
            if tokens[j].text == ",":
                j += 1
        return f"{tokens[i].lead}{{{', '.join(entries)}}}", j + 1


# -- after evaluation ----------------------------------------------------------------------------------------


class TypeMismatch(Exception):
    """An initializer whose type name is not its field's path (upstream: "type mismatch: ...")."""


def type_of(value: Any) -> str:
    """The CEL type name of an evaluated value, as cel-go prints it."""
    if isinstance(value, dict):
        return value.get(TYPE_KEY) or "map(string, dyn)"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list(dyn)"
    if value is None:
        return "null_type"
    return "dyn"


def check_type_names(value: Any) -> None:
    """ObjectVal.CheckTypeNamesMatchFieldPathNames: each initializer held by a field (or by a list in a field) of
    an initializer named T must be named T.<field>."""
    stack = [value]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict) or TYPE_KEY not in current:
            continue
        parent = current[TYPE_KEY]
        for key, child in current.items():
            if key == TYPE_KEY:
                continue
            for item in (child if isinstance(child, list) else [child]):
                if isinstance(item, dict) and TYPE_KEY in item:
                    expected = f"{parent}.{key}"
                    if item[TYPE_KEY] != expected:
                        raise TypeMismatch(f"unexpected type name {_quote(item[TYPE_KEY])}, expected "
                                           f"{_quote(expected)}, which matches field name path from root Object type")
                    stack.append(item)


def plain(value: Any) -> Any:
    """The value as JSON (ConvertToNative(structpb.Value)): initializers become plain objects (their type names
    removed), bytes base64, timestamps RFC 3339, durations seconds ("90s")."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != TYPE_KEY}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        text = value.isoformat()
        return (text.rstrip("0").rstrip(".") if "." in text else text) + "Z"
    if isinstance(value, datetime.timedelta):
        return f"{value.total_seconds():g}s"
    return value


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
