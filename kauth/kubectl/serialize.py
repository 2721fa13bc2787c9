"""Objects printed exactly as kubectl v1.32 prints them: `-o yaml`, `-o json`, and compact JSON.

`-o json` is Go's json.MarshalIndent (4 spaces, sorted keys, HTML-safe escapes) plus "\\n"; an `InOrder`
object keeps its own key order, as a Go struct's fields (kauth/kubectl/struct_order.py makes them).
`-o yaml` is sigs.k8s.io/yaml: json.Marshal, then JSON parsed by go-yaml v2 (numbers
re-typed, raw NEL line breaks folded) and emitted by go-yaml v2's libyaml-derived emitter
(natural key order, indentless block sequences, YAML 1.1 quoting, folding past column 80).
Objects are JSON-compatible values; numbers follow Kubernetes' unstructured decoding
(int64 when the value is an integer in range, float64 otherwise).
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from functools import cmp_to_key

from kauth.api.gofloat import go_float, json_float

__all__ = ["InOrder", "YAMLConversionError", "to_compact_json", "to_json", "to_yaml"]

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1


class InOrder(dict):
    """A JSON object written in its own key order, as encoding/json writes a Go struct's fields; a plain dict
    is a Go map, written with sorted keys. YAML sorts both (sigs.k8s.io/yaml re-reads the JSON as a map)."""


class YAMLConversionError(ValueError):
    """kubectl could not turn the object's JSON into YAML (its message, as kubectl reports it)."""


# --- numbers: Kubernetes' unstructured JSON numbers and Go's strconv formatting -------------


def _float_of(value: int | float) -> float:
    """The float64 an out-of-int64 integer becomes when Kubernetes decodes it (json.Number.Float64)."""
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"json: cannot represent {value} as a float64") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"json: unsupported value: {value}")
    return number


def _json_number(value: int | float) -> str:
    """The number as kubectl writes it in JSON (after the client's decode/encode round trip)."""
    if isinstance(value, int) and _INT64_MIN <= value <= _INT64_MAX:
        return str(value)
    number = _float_of(value)
    if number == 0:
        return "0"  # -0 comes back from kubectl's own JSON round trip as the integer 0
    return json_float(number)


def _yaml_number(value: int | float) -> str:
    """The number as go-yaml re-types and writes its JSON text: int64, then uint64, then float64 %g."""
    text = _json_number(value)
    if re.fullmatch(r"-?\d+", text):
        parsed = int(text)
        if _INT64_MIN <= parsed <= _UINT64_MAX:
            return str(parsed)
    return go_float(float(text))


# --- JSON ------------------------------------------------------------------------------------

_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\<>&\u2028\u2029\ud800-\udfff]')


def _json_escape_char(match: re.Match) -> str:
    char = match.group()
    if char in _JSON_ESCAPES:
        return _JSON_ESCAPES[char]
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"  # Go's decoder turns an unpaired surrogate escape into U+FFFD
    return f"\\u{ord(char):04x}"


def _json_string(text: str) -> str:
    return '"' + _JSON_NEEDS_ESCAPE.sub(_json_escape_char, text) + '"'


def _json_scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return _json_number(value)
    if isinstance(value, str):
        return _json_string(value)
    raise TypeError(f"json: unsupported type: {type(value).__name__}")


def _json_lines(value, indent: str, out: list[str]) -> None:
    inner = indent + "    "
    if isinstance(value, dict) and value:
        out.append("{\n")
        for position, key in enumerate(_json_keys(value)):
            out.append(f"{inner}{_json_string(_key(key))}: ")
            _json_lines(value[key], inner, out)
            out.append(",\n" if position < len(value) - 1 else "\n")
        out.append(indent + "}")
    elif isinstance(value, (list, tuple)) and value:
        out.append("[\n")
        for position, item in enumerate(value):
            out.append(inner)
            _json_lines(item, inner, out)
            out.append(",\n" if position < len(value) - 1 else "\n")
        out.append(indent + "]")
    elif isinstance(value, dict):
        out.append("{}")
    elif isinstance(value, (list, tuple)):
        out.append("[]")
    else:
        out.append(_json_scalar(value))


def _compact(value, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for position, key in enumerate(_json_keys(value)):
            if position:
                out.append(",")
            out.append(_json_string(_key(key)) + ":")
            _compact(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _compact(item, out)
        out.append("]")
    else:
        out.append(_json_scalar(value))


def _json_keys(value: dict) -> list:
    """A struct's fields in declaration order, a map's keys sorted (encoding/json)."""
    return list(value) if isinstance(value, InOrder) else sorted(value, key=_go_string_order)


def _key(key) -> str:
    if not isinstance(key, str):
        raise TypeError(f"json: unsupported map key type: {type(key).__name__}")
    return key


def _go_string_order(key: str) -> bytes:
    """Go sorts map keys by their UTF-8 bytes."""
    return _key(key).encode("utf-8", "surrogatepass")


def to_json(obj) -> str:
    """`kubectl -o json`: json.MarshalIndent(obj, "", "    ") and a trailing newline."""
    out: list[str] = []
    _json_lines(obj, "", out)
    return "".join(out) + "\n"


def to_compact_json(obj) -> str:
    """json.Marshal(obj): compact, sorted keys, HTML-safe. No trailing newline; the
    last-applied-configuration annotation (json.Encoder output) is this plus "\\n"."""
    out: list[str] = []
    _compact(obj, out)
    return "".join(out)


# --- JSON text as go-yaml's parser reads it back ---------------------------------------------

# The YAML reader rejects these raw characters, which encoding/json leaves unescaped.
_YAML_FORBIDDEN = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
_NEL_RUN = re.compile("[ \x85]*\x85[ \x85]*")


def _fold_nel(run: re.Match) -> str:
    """A raw NEL is a line break inside a double-quoted YAML scalar: folded like one."""
    breaks = run.group().count("\x85")
    return " " if breaks == 1 else "\n" * (breaks - 1)


def _yaml_string(text: str) -> str:
    """The string go-yaml decodes from the JSON text kubectl made of `text`."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    if _YAML_FORBIDDEN.search(text):
        raise YAMLConversionError("yaml: control characters are not allowed")
    if "\x85" not in text:
        return text
    if re.search("\x85(---|\\.\\.\\.)[ \t\x85]", text):
        raise YAMLConversionError("yaml: found unexpected document indicator")
    return _NEL_RUN.sub(_fold_nel, text)


def _yaml_value(value):
    """The value go-yaml holds after unmarshalling kubectl's JSON: strings, number tokens, maps, lists."""
    if isinstance(value, dict):
        decoded: dict = {}
        for key in sorted(value, key=_go_string_order):
            # the YAML scanner drops a simple key that spans lines or 1024 characters, then fails
            if "\x85" in key or len(_json_string(key)) > 1024:
                raise YAMLConversionError("yaml: did not find expected ',' or '}'")
            decoded[_yaml_string(key)] = _yaml_value(value[key])  # a later duplicate wins, as in go-yaml
        return decoded
    if isinstance(value, (list, tuple)):
        return [_yaml_value(item) for item in value]
    if isinstance(value, str):
        return _yaml_string(value)
    if value is None:
        return _Token("null")
    if value is True:
        return _Token("true")
    if value is False:
        return _Token("false")
    if isinstance(value, (int, float)):
        return _Token(_yaml_number(value))
    raise TypeError(f"yaml: unsupported type: {type(value).__name__}")


class _Token(str):
    """A non-string scalar's text (number, bool, null): always written plain."""


# --- go-yaml v2 resolve: which strings must be quoted ----------------------------------------

_RESOLVE_MAP = {
    *"y Y yes Yes YES true True TRUE on On ON".split(),
    *"n N no No NO false False FALSE off Off OFF".split(),
    "", "~", "null", "Null", "NULL",
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
}  # "<<" is missing on purpose: resolve only looks it up for a first character in its table
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_DOT_FLOAT = re.compile(r"\.[0-9_]*[0-9][0-9_]*([eE][-+]?[0-9][0-9_]*)?")


def _go_parse_uint(text: str) -> int | None:
    """strconv.ParseUint(text, 0, 64), None on error."""
    if not text:
        return None
    base, digits = 10, text
    if text[0] == "0":
        prefix = text[1:2].lower()
        if len(text) >= 3 and prefix in ("b", "o", "x"):
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
        else:
            base, digits = 8, text[1:]
            if not digits:
                return 0
    alphabet = "0123456789abcdef"[:base]
    if not digits or not digits.isascii() or any(c.lower() not in alphabet for c in digits):
        return None
    number = int(digits, base)
    return number if number <= _UINT64_MAX else None


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), None on error."""
    negative = text.startswith("-")
    magnitude = _go_parse_uint(text[1:] if text.startswith(("+", "-")) else text)
    if magnitude is None:
        return None
    number = -magnitude if negative else magnitude
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def _underscore_ok(text: str) -> bool:
    """strconv's underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    if text[:1] in ("+", "-"):
        text = text[1:]
    for char in text:
        if char.isdigit() and char.isascii():
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


def _go_parse_dot_float(text: str) -> bool:
    """Whether strconv.ParseFloat accepts a string that starts with '.'."""
    if not _DOT_FLOAT.fullmatch(text):
        return False
    if "_" in text and not _underscore_ok(text):
        return False
    return not math.isinf(float(text.replace("_", "")))


_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _take_number(text: str, pos: int) -> tuple[int, int] | None:
    """Go time's getnum(value, false): one or two ASCII digits."""
    if pos >= len(text) or not ("0" <= text[pos] <= "9"):
        return None
    if pos + 1 < len(text) and "0" <= text[pos + 1] <= "9":
        return int(text[pos:pos + 2]), pos + 2
    return int(text[pos]), pos + 1


def _parse_go_time(text: str, separator: str | None, zone: bool) -> bool:
    """time.Parse with layout "2006-1-2<sep>15:4:5.999999999[Z07:00]" (or date only when separator is None)."""
    if len(text) < 4 or not text[:4].isdigit() or not text[:4].isascii():
        return False
    year, pos = int(text[:4]), 4
    fields = []
    for literal, low, high in (("-", 1, 12), ("-", 0, 99)):
        if text[pos:pos + 1] != literal:
            return False
        taken = _take_number(text, pos + 1)
        if taken is None or not low <= taken[0] <= high:
            return False
        fields.append(taken[0])
        pos = taken[1]
    month, day = fields
    if separator is not None:
        if text[pos:pos + 1] != separator:
            return False
        pos += 1
        for index, high in enumerate((23, 59, 59)):
            if index and text[pos:pos + 1] != ":":
                return False
            taken = _take_number(text, pos + (1 if index else 0))
            if taken is None or taken[0] > high:
                return False
            pos = taken[1]
        if text[pos:pos + 1] in (".", ",") and text[pos + 1:pos + 2].isdigit() and text[pos + 1].isascii():
            pos += 1
            while pos < len(text) and "0" <= text[pos] <= "9":
                pos += 1
        if zone:
            if text[pos:pos + 1] == "Z":
                pos += 1
            else:
                offset = text[pos:pos + 6]
                if len(offset) < 6 or offset[3] != ":" or offset[0] not in "+-":
                    return False
                hours, minutes = offset[1:3], offset[4:6]
                if not (hours.isdigit() and hours.isascii() and minutes.isdigit() and minutes.isascii()):
                    return False
                if int(hours) > 24 or int(minutes) > 60:
                    return False
                pos += 6
    if pos != len(text):
        return False
    days = _DAYS[month - 1] + (1 if month == 2 and calendar.isleap(year) else 0)
    return 1 <= day <= days


def _is_timestamp(text: str) -> bool:
    """go-yaml's parseTimestamp: YYYY- then one of its four time.Parse layouts."""
    if not re.match(r"[0-9]{4}-", text):
        return False
    return (_parse_go_time(text, "T", True) or _parse_go_time(text, "t", True)
            or _parse_go_time(text, " ", False) or _parse_go_time(text, None, False))


def _resolves_to_non_string(text: str) -> bool:
    """go-yaml v2 resolve("", text) != !!str: the plain scalar would read back as another type."""
    if text in _RESOLVE_MAP:
        return True
    hint = text[:1]
    if hint == ".":
        return _go_parse_dot_float(text)
    if hint and hint in "+-0123456789":
        if _is_timestamp(text):
            return True
        plain = text.replace("_", "")
        if _go_parse_int(plain) is not None or _go_parse_uint(plain) is not None:
            return True
        if _YAML_STYLE_FLOAT.fullmatch(plain) and plain.isascii():
            return not math.isinf(float(plain))
    return False


def _is_base60_float(text: str) -> bool:
    return bool(text) and text[0] in "+-0123456789" and ":" in text and bool(_BASE60_FLOAT.fullmatch(text))


# --- the go-yaml v2 emitter (a port of libyaml's), restricted to what JSON can hold ----------

_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"
_BEST_INDENT, _BEST_WIDTH = 2, 80
_BREAKS = "\r\n\x85\u2028\u2029"
_NAMED_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r",
                  0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P"}


def _is_printable(char: str) -> bool:
    """libyaml's IS_PRINTABLE (4-byte UTF-8 characters are not printable to it)."""
    code = ord(char)
    return (code == 0x0A or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or (0xE000 <= code <= 0xFFFF and code not in (0xFEFF, 0xFFFE, 0xFFFF)))


class _Analysis:
    """yaml_emitter_analyze_scalar: which styles can carry the scalar. (Flow collections here are
    always empty, so the flow-context rules never apply.)"""

    def __init__(self, value: str):
        self.multiline = False
        if not value:
            self.plain, self.single, self.block = True, True, False
            return
        indicators = False
        line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = False
        previous_space = previous_break = False
        if value.startswith(("---", "...")):
            indicators = True
        preceded_by_whitespace = True
        last = len(value) - 1
        for i, char in enumerate(value):
            followed_by_whitespace = i == last or value[i + 1] in " \t"
            if i == 0:
                if char in "#,[]{}&*!|>'\"%@`" or char in "?:-" and followed_by_whitespace:
                    indicators = True
            elif char == ":" and followed_by_whitespace or char == "#" and preceded_by_whitespace:
                indicators = True
            if not _is_printable(char):
                special = True
            if char == " ":
                leading_space = leading_space or i == 0
                trailing_space = trailing_space or i == last
                break_space = break_space or previous_break
                previous_space, previous_break = True, False
            elif char in _BREAKS:
                line_breaks = True
                leading_break = leading_break or i == 0
                trailing_break = trailing_break or i == last
                space_break = space_break or previous_space
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_whitespace = char in " \t\x00" or char in _BREAKS

        self.multiline = line_breaks
        self.plain = not (leading_space or leading_break or trailing_space or trailing_break or break_space
                          or space_break or special or line_breaks or indicators)
        self.single = not (break_space or space_break or special)
        self.block = not (trailing_space or space_break or special)


class _Emitter:
    """The output half of go-yaml v2's emitter: column tracking, indentation, scalar writers."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.indents: list[int] = []
        self.mapping_context = False
        self.simple_key_context = False

    # low-level writers
    def put(self, char: str) -> None:
        self.out.append(char)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_break(self, char: str) -> None:
        if char == "\n":
            self.put_break()
        else:
            self.out.append(char)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True
        self.indention = True

    def write_indicator(self, indicator: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        self.out.append(indicator)
        self.column += len(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += _BEST_INDENT

    # nodes
    def node(self, value, *, mapping: bool = False, simple_key: bool = False) -> None:
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(value, dict):
            self.block_mapping(value) if value else self.flow_empty("{", "}")
        elif isinstance(value, list):
            self.block_sequence(value) if value else self.flow_empty("[", "]")
        else:
            self.scalar(value)

    def flow_empty(self, start: str, end: str) -> None:
        self.write_indicator(start, True, True, False)
        self.write_indicator(end, False, False, False)

    def block_sequence(self, items: list) -> None:
        self.increase_indent(False, self.mapping_context and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item)
        self.indent = self.indents.pop()

    def block_mapping(self, mapping: dict) -> None:
        self.increase_indent(False, False)
        for key in _sorted_keys(mapping):
            self.write_indent()
            analysis = _Analysis(key)
            if not analysis.multiline and len(key.encode("utf-8")) <= 128:
                self.node(key, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.node(key, mapping=True)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(mapping[key], mapping=True)
        self.indent = self.indents.pop()

    def scalar(self, value: str) -> None:
        analysis = _Analysis(value)
        style = self.select_style(value, analysis)
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == _PLAIN:
            self.write_plain(value, allow_breaks)
        elif style == _SINGLE:
            self.write_single(value, allow_breaks)
        elif style == _DOUBLE:
            self.write_double(value, allow_breaks)
        else:
            self.write_literal(value)
        self.indent = self.indents.pop()

    def select_style(self, value: str, analysis: _Analysis) -> str:
        if isinstance(value, _Token):
            style = _PLAIN
        elif "\n" in value:  # go-yaml's stringv asks for a literal block for any multi-line string
            style = _LITERAL
        elif _resolves_to_non_string(value) or _is_base60_float(value):
            style = _DOUBLE
        else:
            style = _PLAIN
        if self.simple_key_context and analysis.multiline:
            style = _DOUBLE
        if style == _PLAIN and (not analysis.plain or (not value and self.simple_key_context)):
            style = _SINGLE
        if style == _SINGLE and not analysis.single:
            style = _DOUBLE
        if style == _LITERAL and (not analysis.block or self.simple_key_context):
            style = _DOUBLE
        return style

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        spaces = breaks = False
        for i, char in enumerate(value):
            if char == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and value[i + 1:i + 2] != " ":
                    self.write_indent()
                else:
                    self.put(char)
                spaces = True
            elif char in _BREAKS:
                if not breaks and char == "\n":
                    self.put_break()
                self.write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(char)
                self.indention = False
                spaces = breaks = False
        self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        last = len(value) - 1
        for i, char in enumerate(value):
            if char == " ":
                if (allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < last
                        and value[i + 1] != " "):
                    self.write_indent()
                else:
                    self.put(char)
                spaces = True
            elif char in _BREAKS:
                if not breaks and char == "\n":
                    self.put_break()
                self.write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if char == "'":
                    self.put("'")
                self.put(char)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        starts_with_bom = value.startswith("\ufeff")  # go-yaml's is_bom looks at the first character only
        last = len(value) - 1
        for i, char in enumerate(value):
            if not _is_printable(char) or starts_with_bom or char in _BREAKS or char in '"\\':
                code = ord(char)
                if code in _NAMED_ESCAPES:
                    escape = "\\" + _NAMED_ESCAPES[code]
                elif code <= 0xFF:
                    escape = f"\\x{code:02X}"
                elif code <= 0xFFFF:
                    escape = f"\\u{code:04X}"
                else:
                    escape = f"\\U{code:08X}"
                self.out.append(escape)
                self.column += len(escape)
                spaces = False
            elif char == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < last:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(char)
                spaces = True
            else:
                self.put(char)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        if value[0] == " " or value[0] in _BREAKS:
            self.write_indicator(str(_BEST_INDENT), False, False, False)
        if value[-1] not in _BREAKS:
            self.write_indicator("-", False, False, False)
        elif len(value) == 1 or value[-2] in _BREAKS:
            self.write_indicator("+", False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for char in value:
            if char in _BREAKS:
                self.write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(char)
                self.indention = False
                breaks = False


def _letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def _wrap_int64(number: int) -> int:
    number &= (1 << 64) - 1
    return number - (1 << 64) if number >= 1 << 63 else number


def _key_less(a: str, b: str) -> bool:
    """go-yaml v2 sorter.go keyList.Less for two string keys: digit runs compare as numbers,
    non-letters sort before letters."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = _letter(a[i]), _letter(b[i])
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        a_number = b_number = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and _digit(a[j]):
                if a[j] != "0":
                    a_number = b_number = 1
                    break
                j -= 1
        a_end = i
        while a_end < len(a) and _digit(a[a_end]):
            a_number = _wrap_int64(a_number * 10 + ord(a[a_end]) - 48)
            a_end += 1
        b_end = i
        while b_end < len(b) and _digit(b[b_end]):
            b_number = _wrap_int64(b_number * 10 + ord(b[b_end]) - 48)
            b_end += 1
        if a_number != b_number:
            return a_number < b_number
        if a_end != b_end:
            return a_end < b_end
        return a[i] < b[i]
    return len(a) < len(b)


def _sorted_keys(mapping: dict) -> list[str]:
    """Keys in go-yaml's order. That order is not transitive for some key sets ("1a" < "9" < "10" <
    "1a"); for those kubectl itself prints a different order from run to run (Go's random map order)."""
    return sorted(mapping, key=cmp_to_key(lambda a, b: -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)))


def to_yaml(obj) -> str:
    """`kubectl -o yaml`: the object as sigs.k8s.io/yaml (go-yaml v2) writes it."""
    emitter = _Emitter()
    value = _yaml_value(obj)
    emitter.node(value)
    emitter.indent = -1
    emitter.write_indent()
    return "".join(emitter.out)
