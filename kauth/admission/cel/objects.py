"""The CEL types MutatingAdmissionPolicy adds: `Object` initializers (`Object{spec: Object.spec{replicas: 3}}`),
`JSONPatch{op, path, from, value}` and `jsonpatch.escapeKey`.

Upstream: k8s.io/apiserver/pkg/cel/mutation (the JSONPatch type, jsonpatch.escapeKey) and cel/mutation/dynamic
(ObjectType: any `Object.<path>` names a type whose fields are anything; ObjectVal.CheckTypeNamesMatchFieldPathNames).

cel-cpp only builds structs of declared protobuf messages, and `Object.<path>` types are open-ended, so kauth
rewrites the expression text before compiling it: an initializer becomes a map literal that carries its type name
under a key no Kubernetes object has (TYPE_KEY), each field value wrapped in dyn() (the literal is heterogeneous),
and `jsonpatch.escapeKey(k)` becomes `(k).replace("~", "~0").replace("/", "~1")` (RFC 6901, which is what
escapeKey does). After evaluation, typed_value() checks the type names and removes the keys.

Typing, as upstream's environment has it (mutation.DynamicTypeResolver): `Object.<path>` fields take any value (the
kind's schema is applied to the result, kauth/admission/mutatingpolicy/typed.py); JSONPatch's op, path and from are
strings and value is dyn, so `JSONPatch{op: 1}` does not compile ("expected type of field 'op' is 'string' but
provided type is 'int'"). cel-cpp checks that on a probe: the expression again, with each of those fields
concatenated with "" (a string only). Compile errors are moved back to the expression as written, a field's to its
colon, where cel-go puts them.

What differs from upstream: `has(JSONPatch{op: ""}.op)` is true (upstream's zero value is unset); the CEL type of an
initializer in a message is cel-cpp's map(string, dyn), not Object.<path>; a JSONPatch field type mismatch is
reported only when the expression has no other compile error.
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
class _Segment:
    """A piece of the rewritten text and where it comes from: `origin` is its offset in the expression as written;
    `copied` text is the expression's own (so offsets inside it map one to one); `field` names the JSONPatch field
    a string check stands for; `escape_key` marks what jsonpatch.escapeKey became."""

    text: str
    origin: int
    copied: bool = False
    field: str = ""
    escape_key: bool = False


@dataclass(frozen=True)
class Rewritten:
    """An expression with its initializers rewritten: `text` to compile, `root_type` the type name of the
    initializer that is the whole expression ("" when it is something else), `error` a compile error
    (cel-go's issue text) found while rewriting. `probe` is the text again with each JSONPatch op, path and from
    checked to be a string ("" when there are none): compiling it is the type check cel-go makes of those fields."""

    text: str
    root_type: str = ""
    error: str = ""
    uses_jsonpatch: bool = False
    expression: str = ""
    segments: tuple[_Segment, ...] = ()
    probe: str = ""
    probe_segments: tuple[_Segment, ...] = ()

    def relocate(self, error: str) -> str:
        """A compile error of `text` as cel-go reports it for the expression as written."""
        return _relocate(error, self.text, self.segments, self.expression)

    def field_type_errors(self, probe_error: str) -> str:
        """A compile error of `probe`: checker.go's fieldTypeMismatch for each JSONPatch field that is not a
        string, at the field's colon, as cel-go places it."""
        return _relocate(probe_error, self.probe, self.probe_segments, self.expression)


class _RewriteError(Exception):
    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset


def rewrite(expression: str) -> Rewritten:
    """The expression cel-cpp can compile, with Object / JSONPatch initializers as typed map literals."""
    tokens = _tokenize(expression)
    if tokens is None:
        return Rewritten(expression, expression=expression)  # let the compiler report what does not tokenize
    rewriter = _Rewriter(tokens, expression)
    try:
        segments, _ = rewriter.copy_until(0, frozenset())
    except _RewriteError as err:
        from kauth.admission.cel.ast import location_error
        return Rewritten(expression, error=location_error(expression, err.offset, str(err)), expression=expression)
    segments.append(_Segment(rewriter.trailing, len(expression)))
    probe: list[_Segment] = []
    if rewriter.string_fields:
        prober = _Rewriter(tokens, expression, probe=True)
        probe, _ = prober.copy_until(0, frozenset())
    return Rewritten("".join(x.text for x in segments), rewriter.root_type if rewriter.root_is_whole else "",
                     uses_jsonpatch=rewriter.jsonpatch, expression=expression, segments=tuple(segments),
                     probe="".join(x.text for x in probe), probe_segments=tuple(probe))


_ISSUE = re.compile(r"^ERROR: <input>:(-?\d+):(-?\d+): (.*)$")
_NO_REPLACE = re.compile(r"^found no matching overload for 'replace' applied to '\((.*), string, string\)'$")
_NO_STRING_CONCATENATION = re.compile(r"^found no matching overload for '_\+_' applied to '\((.*), string\)'$")


def _relocate(error: str, text: str, segments: tuple[_Segment, ...], expression: str) -> str:
    """Each `ERROR: <input>:L:C: message` of `text` moved to its place in `expression` (caret lines redrawn)."""
    from kauth.admission.cel.ast import location_error
    issues = []
    for line in error.split("\n"):
        m = _ISSUE.match(line)
        if m is None:
            continue  # a source or caret line, redrawn below
        if int(m.group(1)) < 1:
            issues.append(line)  # an issue without a place (cel-go prints these as they are)
            continue
        offset = _offset(text, int(m.group(1)), int(m.group(2)) - 1)
        segment, start = _segment_at(segments, offset)
        message = m.group(3)
        if segment is None:
            issues.append(location_error(expression, min(offset, len(expression)), message))
            continue
        mismatch = _NO_STRING_CONCATENATION.match(message)
        if segment.field and mismatch:
            message = (f"expected type of field '{segment.field}' is 'string' but provided type is "
                       f"'{mismatch.group(1)}'")
        not_a_string = _NO_REPLACE.match(message)
        if segment.escape_key and not_a_string:
            message = f"found no matching overload for 'jsonpatch.escapeKey' applied to '({not_a_string.group(1)})'"
        place = segment.origin + (offset - start if segment.copied else 0)
        issues.append(location_error(expression, min(place, len(expression)), message))
    return "\n".join(issues) if issues else error


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
    return start + column


def _segment_at(segments: tuple[_Segment, ...], offset: int) -> tuple[_Segment | None, int]:
    start = 0
    for segment in segments:
        if start <= offset < start + len(segment.text):
            return segment, start
        start += len(segment.text)
    return None, start


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


def _copy(token: _Token) -> list[_Segment]:
    """A token as written, its leading whitespace and comments first."""
    return [_Segment(token.lead, token.start - len(token.lead), copied=True), _Segment(token.text, token.start, True)]


class _Rewriter:
    def __init__(self, tokens: list[_Token], expression: str, probe: bool = False) -> None:
        self.tokens = tokens
        self.expression = expression
        self.probe = probe
        self.root_type = ""
        self.root_is_whole = False
        self.jsonpatch = False
        self.string_fields = False  # a JSONPatch sets op, path or from (their type is checked by a probe)
        self.trailing = tokens[-1].lead

    def copy_until(self, i: int, closers: frozenset[str]) -> tuple[list[_Segment], int]:
        """Copy tokens from i up to (not including) a closer at this depth; returns (segments, index of the
        closer)."""
        parts: list[_Segment] = []
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
                    segments, j = self.initializer(i, end)
                    if i == 0 and tokens[j].kind == "end":
                        self.root_is_whole = True
                    parts += segments
                    i = j
                    continue
            if (t.kind == "ident" and t.text == "jsonpatch" and not after_dot
                    and [x.text for x in tokens[i + 1:i + 4]] == [".", "escapeKey", "("]):
                argument, j = self.copy_until(i + 4, frozenset(")"))
                if tokens[j].text != ")":
                    raise _RewriteError(tokens[j].start, "Syntax error: missing ')'")
                call = tokens[i + 3].start  # cel-go places a call's errors at its '('
                parts += [_Segment(t.lead + "((", t.start), *argument, _Segment(tokens[j].lead, tokens[j].start),
                          _Segment(').replace("~", "~0").replace("/", "~1"))', call, escape_key=True)]
                i = j + 1
                continue
            if t.kind == "punct" and t.text in _CLOSERS:
                inner, j = self.copy_until(i + 1, frozenset(_CLOSERS[t.text]))
                parts += _copy(t) + inner
                if tokens[j].kind == "end":
                    i = j
                    continue
                parts += _copy(tokens[j])
                i = j + 1
                continue
            parts += _copy(t)
            i += 1
        return parts, i

    def _initializer_end(self, i: int) -> int | None:
        """The index of the `{` ending a type name `Object(.ident)*` that starts at i, or None."""
        tokens = self.tokens
        j = i + 1
        while tokens[j].text == "." and tokens[j + 1].kind == "ident":
            j += 2
        return j if tokens[j].text == "{" else None

    def initializer(self, i: int, brace: int) -> tuple[list[_Segment], int]:
        tokens = self.tokens
        type_name = "".join(t.text for t in tokens[i:brace])
        if i == 0:
            self.root_type = type_name
        is_patch = type_name == JSONPATCH
        if type_name.startswith(JSONPATCH) and not is_patch:
            raise _RewriteError(tokens[i].start, f"undeclared reference to '{type_name}' (in container '')")
        self.jsonpatch |= is_patch
        origin = tokens[i].start
        parts = [_Segment(f'{tokens[i].lead}{{{_TYPE_KEY_LITERAL}: dyn("{type_name}")', origin)]
        j = brace + 1
        while tokens[j].text != "}":
            optional = tokens[j].text == "?"
            if optional:
                j += 1
            name = tokens[j]
            if name.kind != "ident" or tokens[j + 1].text != ":":
                raise _RewriteError(name.start, f"Syntax error: mismatched input '{name.text}' expecting IDENTIFIER"
                                    if name.kind != "ident" else "Syntax error: missing ':'")
            colon = tokens[j + 1].start  # cel-go places a field's errors at its colon
            if is_patch and name.text not in JSONPATCH_FIELDS:
                raise _RewriteError(colon, f"undefined field '{name.text}'")
            value, j = self.copy_until(j + 2, frozenset({",", "}"}))
            if tokens[j].kind == "end":
                raise _RewriteError(tokens[j].start, "Syntax error: missing '}'")
            parts.append(_Segment(", ", colon))
            parts += self._field(name.text, value, colon, optional, string=is_patch and name.text != "value")
            if tokens[j].text == ",":
                j += 1
        return parts + [_Segment("}", tokens[j].start)], j + 1

    def _field(self, name: str, value: list[_Segment], colon: int, optional: bool, string: bool) -> list[_Segment]:
        """One field of a map literal: optional entries as written, others wrapped in dyn() (the literal is
        heterogeneous); in the probe, JSONPatch's string fields concatenated with "" so that the checker says
        when they are not strings."""
        if optional:
            return [_Segment(f'?"{name}": ', colon), *value]
        self.string_fields |= string
        if string and self.probe:
            return [_Segment(f'"{name}": dyn((', colon), *value, _Segment(') + "")', colon, field=name)]
        return [_Segment(f'"{name}": dyn(', colon), *value, _Segment(")", colon)]


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
