"""kubectl's JSONPath template language, as k8s.io/client-go/util/jsonpath runs it (kubectl's -o jsonpath and
custom columns, and the API server's additionalPrinterColumns of custom resources).

`evaluate(template, data)` returns what `kubectl get -o jsonpath=TEMPLATE` prints for one
object (or one List). It is a port of the Go parser and evaluator, down to the rules that
surprise people: results of one `{...}` are joined by a space, maps and lists print as
compact JSON, strings print bare, a missing key prints nothing (kubectl runs with
allowMissingKeys), `{range}`/`{end}` loop, and filters compare only values of one Go kind.

Objects are plain JSON values. They are seen the way kubectl's unstructured decoder sees
them: integral numbers are Go int64, others float64, `null` is a nil interface. The Go
formatting those types get (`%v`, `%#v`, encoding/json) lives here too, because kubectl's
messages and custom columns print through it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from kauth.api.gofloat import go_float, json_float
from kauth.api.errors import go_quote

__all__ = [
    "JSONPathError",
    "Template",
    "parse",
    "evaluate",
    "relaxed_expression",
    "go_sprint",
    "go_json",
]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class JSONPathError(ValueError):
    """A template kubectl cannot parse or execute.

    `str(error)` is the engine's own message (`array index out of bounds: index 5, length 2`);
    `kubectl_message` is the whole text kubectl writes to stderr for it, `error: ` included.
    """

    def __init__(self, message: str, kubectl_message: str = ""):
        super().__init__(message)
        self.kubectl_message = kubectl_message or f"error: {message}\n"


class _GoPanic(JSONPathError):
    """Where client-go panics instead of returning an error; kubectl dies with a stack trace."""


class _GoInt(int):
    """An integer literal of a template (`{1}`, `[?(@.x==1)]`): Go `int`, not int64."""


class _GoUint8(int):
    """One byte of a string, as `{.s.*}` yields it in Go."""


class _Invalid:
    """reflect.Value{}: what `FindResults(nil)` starts from inside an empty range."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<invalid>"


_INVALID = _Invalid()


# --------------------------------------------------------------------------- Go kinds


def _kind(v: Any) -> str:
    if v is _INVALID:
        return "invalid"
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, _GoUint8):
        return "uint"
    if isinstance(v, int):
        return "int" if _INT64_MIN <= v <= _INT64_MAX else "float"
    if isinstance(v, float):
        # an integral float crosses the wire as an integer and comes back int64 (see _normalize)
        return "int" if isinstance(_normalize(v), int) else "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, Mapping):
        return "map"
    if isinstance(v, (list, tuple)):
        return "slice"
    raise TypeError(f"not a JSON value: {type(v).__name__}")


def _go_type(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, _GoUint8):
        return "uint8"
    if isinstance(v, _GoInt):
        return "int"
    k = _kind(v)
    return {
        "int": "int64",
        "float": "float64",
        "string": "string",
        "map": "map[string]interface {}",
        "slice": "[]interface {}",
        "nil": "interface {}",
    }.get(k, k)


# --------------------------------------------------------------------------- Go formatting


def _json_float(f: float) -> str:
    """encoding/json's float64 encoding."""
    if math.isnan(f) or math.isinf(f):
        raise JSONPathError(f"json: unsupported value: {go_float(f)}")
    return json_float(f)


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[ch])
        elif ch < " " or ch in "<>&\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_json(v: Any, indent: str | None = None, _level: int = 0) -> str:
    """encoding/json.Marshal (or MarshalIndent with prefix "" and `indent`): sorted keys, HTML-escaped."""
    k = _kind(v)
    if k == "invalid":
        msg = "reflect: call of reflect.Value.Interface on zero Value"
        raise _GoPanic(msg, f"panic: {msg}\n")
    if k == "nil":
        return "null"
    if k == "bool":
        return "true" if v else "false"
    if k == "int" or k == "uint":
        return str(_normalize(v))
    if k == "float":
        return _json_float(float(v))
    if k == "string":
        return _json_string(v)
    if k == "map":
        if not v:
            return "{}"
        items = [(_json_string(str(key)), v[key]) for key in sorted(v, key=str)]
        if indent is None:
            return "{" + ",".join(f"{key}:{go_json(val)}" for key, val in items) + "}"
        pad = "\n" + indent * (_level + 1)
        body = ",".join(f"{pad}{key}: {go_json(val, indent, _level + 1)}" for key, val in items)
        return "{" + body + "\n" + indent * _level + "}"
    if k == "slice":
        if not v:
            return "[]"
        if indent is None:
            return "[" + ",".join(go_json(x) for x in v) + "]"
        pad = "\n" + indent * (_level + 1)
        body = ",".join(f"{pad}{go_json(x, indent, _level + 1)}" for x in v)
        return "[" + body + "\n" + indent * _level + "]"
    raise JSONPathError(f"json: unsupported type: {_go_type(v)}")


def go_sprint(v: Any) -> str:
    """fmt.Sprint of a JSON value: `map[a:1 b:[x y]]`, `<nil>`, bare strings."""
    k = _kind(v)
    if k == "nil":
        return "<nil>"
    if k == "bool":
        return "true" if v else "false"
    if k in ("int", "uint"):
        return str(_normalize(v))
    if k == "float":
        return go_float(float(v))
    if k == "string":
        return v
    if k == "map":
        return "map[" + " ".join(f"{key}:{go_sprint(v[key])}" for key in sorted(v, key=str)) + "]"
    if k == "slice":
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return "<invalid reflect.Value>"


def go_sharp_v(v: Any) -> str:
    """fmt.Sprintf("%#v") of a JSON value held in interface{} (how kubectl dumps the object)."""
    k = _kind(v)
    if k == "nil":
        return "interface {}(nil)"
    if k == "bool":
        return "true" if v else "false"
    if isinstance(v, _GoUint8):
        return f"0x{int(v):x}"
    if k == "int":
        return str(_normalize(v))
    if k == "float":
        return go_float(float(v))
    if k == "string":
        return go_quote(v)
    if k == "map":
        body = ", ".join(f"{go_quote(str(key))}:{go_sharp_v(v[key])}" for key in sorted(v, key=str))
        return "map[string]interface {}{" + body + "}"
    if k == "slice":
        return "[]interface {}{" + ", ".join(go_sharp_v(x) for x in v) + "}"
    return "<invalid reflect.Value>"


def _go_rune_repr(ch: str) -> str:
    """fmt's %#U: `U+0021 '!'`."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch.isprintable() else code


# --------------------------------------------------------------------------- nodes


@dataclass
class _List:
    nodes: list = field(default_factory=list)


@dataclass
class _Text:
    text: str


@dataclass
class _Field:
    name: str


@dataclass
class _Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass
class _Array:
    params: tuple[_Param, _Param, _Param]


@dataclass
class _Filter:
    left: _List
    right: _List
    operator: str


@dataclass
class _Int:
    value: int


@dataclass
class _Float:
    value: float


@dataclass
class _Bool:
    value: bool


@dataclass
class _Wildcard:
    pass


@dataclass
class _Recursive:
    pass


@dataclass
class _Union:
    nodes: list


@dataclass
class _Identifier:
    name: str


# --------------------------------------------------------------------------- parser

_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.S)
_EOF = ""


def _is_terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alnum(r: str) -> bool:
    return r != _EOF and (r == "_" or r.isalpha() or r.isdigit())


def _atoi(text: str) -> int:
    """strconv.Atoi: optional sign, ASCII digits, int64 range."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(text)
    n = int(text)
    if not _INT64_MIN <= n <= _INT64_MAX:
        raise ValueError(text)
    return n


_UNQUOTE_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote_extend(s: str) -> str:
    """UnquoteExtend: strconv.Unquote that also accepts single-quoted strings."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise ValueError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("invalid syntax")
        e = body[i + 1]
        i += 2
        if e in _UNQUOTE_SIMPLE:
            out.append(_UNQUOTE_SIMPLE[e])
        elif e in "'\"":
            if e != quote:
                raise ValueError("invalid syntax")
            out.append(e)
        elif e in "xuU":
            n = {"x": 2, "u": 4, "U": 8}[e]
            digits = body[i : i + n]
            if len(digits) < n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise ValueError("invalid syntax")
            i += n
            code = int(digits, 16)
            if e == "x":
                out.append(chr(code))  # a single byte; Go keeps it raw, good enough for text output
            else:
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise ValueError("invalid syntax")
                out.append(chr(code))
        elif e in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) < 3 or not re.fullmatch(r"[0-7]{3}", digits):
                raise ValueError("invalid syntax")
            code = int(digits, 8)
            if code > 255:
                raise ValueError("invalid syntax")
            i += 2
            out.append(chr(code))
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


class _Parser:
    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0
        self.root = _List()

    @classmethod
    def parse(cls, text: str) -> "_Parser":
        p = cls(text)
        p._parse_text(p.root)
        return p

    @classmethod
    def parse_action(cls, text: str) -> _List:
        p = cls.parse("{" + text + "}")
        return p.root.nodes[0]

    def _consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def _peek(self) -> str:
        r = self._next()
        self._backup()
        return r

    def _backup(self) -> None:
        self.pos -= self.width

    # The Go parser is mutually recursive; these loops keep Python's stack shallow.
    def _parse_text(self, cur: _List) -> None:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(_Text(self._consume()))
                self.pos += 1
                self._consume()
                node = _List()
                cur.nodes.append(node)
                self._parse_inside_action(node)
                continue
            if self._next() == _EOF:
                break
        if self.pos > self.start:
            cur.nodes.append(_Text(self._consume()))

    def _parse_inside_action(self, cur: _List) -> None:
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self._consume()
                return
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self._parse_recursive(cur)
                continue
            r = self._next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self._consume()
            elif r == "[":
                self._parse_array(cur)
            elif r in "\"'":
                self._parse_quote(cur, r)
            elif r == ".":
                self._parse_field(cur)
            elif r in "+-" or r.isdigit():
                self._backup()
                self._parse_number(cur)
            elif _is_alnum(r):
                self._backup()
                self._parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: {_go_rune_repr(r)}")

    def _parse_identifier(self, cur: _List) -> None:
        while True:
            r = self._next()
            if _is_terminator(r):
                self._backup()
                break
        value = self._consume()
        if value in ("true", "false"):
            cur.nodes.append(_Bool(value == "true"))
        else:
            cur.nodes.append(_Identifier(value))

    def _parse_recursive(self, cur: _List) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], _Recursive):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self._consume()
        cur.nodes.append(_Recursive())
        if _is_alnum(self._peek()):
            self._parse_field(cur)

    def _parse_number(self, cur: _List) -> None:
        r = self._peek()
        if r in ("+", "-"):
            self._next()
        while True:
            r = self._next()
            if r != "." and not r.isdigit():
                self._backup()
                break
        value = self._consume()
        try:
            cur.nodes.append(_Int(_atoi(value)))
            return
        except ValueError:
            pass
        try:
            if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
                raise ValueError(value)
            cur.nodes.append(_Float(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _parse_array(self, cur: _List) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = [_Parser.parse_action(f"[{part.strip(' ')}]") for part in parts]
            cur.nodes.append(_Union(union))
            return
        m = _DICT_KEY.match(text)
        if m:
            cur.nodes.extend(_Parser.parse_action("." + m.group(1)).nodes)
            return
        m = _SLICE.match(text)
        if not m:
            raise JSONPathError(f"invalid array index {text}")
        groups = [g or "" for g in m.groups()]
        params = [_Param(), _Param(), _Param()]
        for i in range(3):
            if groups[i]:
                if i > 0:
                    groups[i] = groups[i][1:]
                if i > 0 and groups[i] == "":
                    params[i].known = False
                else:
                    try:
                        params[i].value = _atoi(groups[i])
                    except ValueError:
                        raise JSONPathError(f"array index {groups[i]} is not a number") from None
                    params[i].known = True
            elif i == 1:
                params[i] = _Param(value=params[0].value + 1, known=True, derived=True)
        cur.nodes.append(_Array((params[0], params[1], params[2])))

    def _parse_filter(self, cur: _List) -> None:
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")":
                if begin == end:
                    break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.nodes.append(_Filter(_Parser.parse_action(text), _List(), "exists"))
        else:
            left = _Parser.parse_action(m.group(1))
            right = _Parser.parse_action(m.group(3))
            cur.nodes.append(_Filter(left, right, m.group(2)))

    def _parse_quote(self, cur: _List, end: str) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        try:
            cur.nodes.append(_Text(_unquote_extend(value)))
        except ValueError as e:
            raise JSONPathError(f"unquote string {value} error {e}") from None

    def _parse_field(self, cur: _List) -> None:
        self._consume()
        while True:
            r = self._next()
            if r == "\\":
                self._next()
            elif _is_terminator(r):
                self._backup()
                break
        value = self._consume()
        if value == "*":
            cur.nodes.append(_Wildcard())
        else:
            cur.nodes.append(_Field(value.replace("\\", "")))


# --------------------------------------------------------------------------- comparisons (text/template's)

_BAD_TYPE = "invalid type for comparison"
_BAD_CMP = "incompatible types for comparison"


def _basic_kind(v: Any) -> str:
    k = _kind(v)
    if k in ("bool", "int", "uint", "float", "string"):
        return k
    raise JSONPathError(_BAD_TYPE)


def _num(v: Any, k: str) -> Any:
    if k == "float":
        return float(v)
    return _normalize(v) if k == "int" else v


def _equal(a: Any, b: Any) -> bool:
    k1, k2 = _basic_kind(a), _basic_kind(b)
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return int(a) == int(b)
        raise JSONPathError(_BAD_CMP)
    return _num(a, k1) == _num(b, k2)


def _less(a: Any, b: Any) -> bool:
    k1, k2 = _basic_kind(a), _basic_kind(b)
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return int(a) < int(b)
        raise JSONPathError(_BAD_CMP)
    if k1 == "bool":
        raise JSONPathError(_BAD_TYPE)
    if k1 == "string":
        return a.encode("utf-8", "surrogatepass") < b.encode("utf-8", "surrogatepass")
    return _num(a, k1) < _num(b, k2)


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "<":
        return _less(a, b)
    if op == ">":
        return not (_less(a, b) or _equal(a, b))
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    if op == "<=":
        return _less(a, b) or _equal(a, b)
    if op == ">=":
        return not _less(a, b)
    raise JSONPathError(f"unrecognized filter operator {op}")


# --------------------------------------------------------------------------- evaluator


def _normalize(v: Any) -> Any:
    """A number as kubectl decodes it from the API server's JSON.

    Go writes an integral float64 without a fraction (`2.0` -> `2`) and kubectl's unstructured
    decoder reads back int64 whenever the text parses as one; beyond int64 it is float64.
    """
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if _INT64_MIN <= v <= _INT64_MAX else float(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        wire = int(_json_float(v))  # the shortest decimal Go writes, not the exact binary value
        return wire if _INT64_MIN <= wire <= _INT64_MAX else v
    return v


def _children(v: Any) -> list:
    """What `*` and `..` see inside a value: map values (sorted keys), list items, string bytes."""
    k = _kind(v)
    if k == "map":
        return [_normalize(v[key]) for key in sorted(v, key=str)]
    if k == "slice":
        return [_normalize(x) for x in v]
    if k == "string":
        return [_GoUint8(b) for b in v.encode("utf-8", "surrogatepass")]
    return []


class _Engine:
    def __init__(self, nodes: list, allow_missing_keys: bool):
        self.nodes = nodes
        self.allow_missing_keys = allow_missing_keys
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end: int | None = None

    def find_results(self, data: Any, start: int = 0) -> list[list]:
        cur = [data]
        full: list[list] = []
        i = start
        n = len(self.nodes)
        while i < n:
            results = self.walk(cur, self.nodes[i])
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end = i
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        # FindResults(value.Interface()): a JSON null becomes a zero reflect.Value
                        full.extend(self.find_results(_INVALID if value is None else value, i + 1))
                else:
                    # an empty range still walks its body, so the position reaches its {end}
                    self.find_results(_INVALID, i + 1)
                self.in_range -= 1
                for k in range(i + 1, n):
                    if k == self.last_end:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def walk(self, values: list, node: Any) -> list:
        if isinstance(node, _List):
            for child in node.nodes:
                values = self.walk(values, child)
            return values
        if isinstance(node, _Text):
            return [node.text]
        if isinstance(node, _Field):
            return self.eval_field(values, node)
        if isinstance(node, _Array):
            return self.eval_array(values, node)
        if isinstance(node, _Filter):
            return self.eval_filter(values, node)
        if isinstance(node, _Int):
            return [_GoInt(node.value) for _ in values]
        if isinstance(node, _Float):
            return [node.value for _ in values]
        if isinstance(node, _Bool):
            return [node.value for _ in values]
        if isinstance(node, _Wildcard):
            out = []
            for v in values:
                if v is None or v is _INVALID:
                    continue
                out.extend(_children(v))
            return out
        if isinstance(node, _Recursive):
            return self.eval_recursive(values)
        if isinstance(node, _Union):
            out = []
            for child in node.nodes:
                out.extend(self.walk(values, child))
            return out
        if isinstance(node, _Identifier):
            return self.eval_identifier(values, node)
        raise JSONPathError(f"unexpected Node {node}")  # pragma: no cover

    def eval_identifier(self, values: list, node: _Identifier) -> list:
        if node.name == "range":
            self.begin_range += 1
            return values
        if node.name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def eval_field(self, values: list, node: _Field) -> list:
        out = []
        for v in values:
            if v is None:
                continue
            if isinstance(v, Mapping) and node.name in v:
                out.append(_normalize(v[node.name]))
        if not out and not self.allow_missing_keys and values:
            raise JSONPathError(f"{node.name} is not found")
        return out

    def eval_array(self, values: list, node: _Array) -> list:
        out = []
        for v in values:
            if v is None:
                continue
            if v is _INVALID:
                # client-go asks the type of a zero reflect.Value here, and kubectl panics
                msg = "reflect: call of reflect.Value.Type on zero Value"
                raise _GoPanic(msg, f"panic: {msg}\n")
            if _kind(v) != "slice":
                raise JSONPathError(f"{_go_type(v)} is not array or slice")
            length = len(v)
            p0, p1, p2 = node.params
            start = p0.value if p0.known else 0
            if start < 0:
                start += length
            stop = p1.value if p1.known else length
            if stop < 0 or (stop == 0 and p1.derived):
                stop += length
            if stop == start:
                return out
            if start >= length or start < 0:
                raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
            if stop > length or stop < 0:
                raise JSONPathError(f"array index out of bounds: index {stop - 1}, length {length}")
            if start > stop:
                raise JSONPathError(f"starting index {start} is greater than ending index {stop}")
            step = 1
            if p2.known:
                if p2.value <= 0:
                    raise JSONPathError("step must be > 0")
                step = p2.value
            out.extend(_normalize(x) for x in list(v)[start:stop:step])
        return out

    def eval_recursive(self, values: list) -> list:
        out = []
        for v in values:
            if v is None or v is _INVALID:
                continue
            children = _children(v)
            if children:
                out.append(v)
                out.extend(self.eval_recursive(children))
        return out

    def eval_filter(self, values: list, node: _Filter) -> list:
        out = []
        for v in values:
            if _kind(v) != "slice":
                shown = "<invalid reflect.Value>" if v is _INVALID else go_sprint(v)
                raise JSONPathError(f"{shown} is not array or slice and cannot be filtered")
            for item in v:
                item = _normalize(item)
                if node.operator == "exists":
                    try:
                        lefts = self.walk([item], node.left)
                    except JSONPathError:
                        lefts = []
                    if lefts:
                        out.append(item)
                    continue
                lefts = self.walk([item], node.left)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self.walk([item], node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                if _compare(node.operator, lefts[0], rights[0]):
                    out.append(item)
        return out


def _text_of(v: Any) -> str:
    """PrintResults for one value: containers as compact JSON, nil as null, the rest as fmt.Sprint."""
    k = _kind(v)
    if k in ("map", "slice"):
        return go_json(v)
    if k == "nil":
        return "null"
    if k == "invalid":
        return "<no value>"
    return go_sprint(v)


@dataclass(frozen=True)
class Template:
    """A parsed JSONPath template; reusable across objects."""

    text: str
    root: _List = field(repr=False)

    def find_results(self, data: Any, *, allow_missing_keys: bool = True) -> list[list]:
        """client-go's FindResults: one list of values per top-level node (ranges expand)."""
        engine = _Engine(self.root.nodes, allow_missing_keys)
        return engine.find_results(_normalize(data))

    def execute(self, data: Any, *, allow_missing_keys: bool = True, output_json: bool = False) -> str:
        """client-go's Execute: the text written for `data`, or JSONPathError."""
        out = []
        for results in self.find_results(data, allow_missing_keys=allow_missing_keys):
            if output_json:
                out.append(go_json(list(results), indent="    ") + "\n")
            else:
                out.append(" ".join(_text_of(v) for v in results))
        return "".join(out)


def parse(template: str) -> Template:
    """Parse a template as `kubectl -o jsonpath` does; JSONPathError carries kubectl's message."""
    try:
        return Template(template, _Parser.parse(template).root)
    except JSONPathError as e:
        raise JSONPathError(str(e), f"error: error parsing jsonpath {template}, {e}\n") from None
    except RecursionError:  # pragma: no cover - absurdly nested unions
        message = f"error: error parsing jsonpath {template}, template too deep\n"
        raise JSONPathError("template too deep", message) from None


def evaluate(template: str, data: Any, *, allow_missing_keys: bool = True, output_json: bool = False) -> str:
    """What `kubectl get -o jsonpath=TEMPLATE` (or `-o jsonpath-as-json`) prints for `data`.

    Missing keys print nothing, as kubectl's default --allow-missing-template-keys=true.
    Raises JSONPathError whose `kubectl_message` is kubectl's stderr for the failure.
    """
    tmpl = parse(template)
    try:
        return tmpl.execute(data, allow_missing_keys=allow_missing_keys, output_json=output_json)
    except _GoPanic:
        raise
    except JSONPathError as e:
        debug = (
            f"Error executing template: {e}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(data)}\n\n"
        )
        raise JSONPathError(str(e), f"error: error executing jsonpath {go_quote(template)}: {debug}\n") from None


# --------------------------------------------------------------------------- custom columns

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_expression(path: str) -> str:
    """kubectl's RelaxedJSONPathExpression: `.a.b`, `a.b`, `{a.b}` all become `{.a.b}`."""
    if not path:
        return path
    m = _RELAXED.match(path)
    if m is None:
        raise JSONPathError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        )
    return "{.%s}" % (m.group(1) or m.group(2))
