"""YAML read exactly as kubectl v1.32 reads it: go-yaml v2 (YAML 1.1) under sigs.k8s.io/yaml.

kubectl splits a stream into documents line by line (apimachinery's YAMLReader), parses each
document with go-yaml v2 (which only ever reads the first document of its input), converts the
result to JSON (sigs.k8s.io/yaml: keys become strings, json.Marshal) and decodes that JSON the way
Kubernetes' unstructured objects do (integers that fit int64 stay integers, every other number is
a float64). This module reproduces that whole chain, errors included:

- `y`, `yes`, `on`, `TRUE` are true; `0o17`, `017`, `0x1F`, `0b101`, `1_000` are integers;
  `1e3` and `1.0` become the integer 1000 and 1; timestamps stay strings; `.inf` and `.nan` are
  errors (`json: unsupported value: +Inf`); mapping keys are resolved too, then made strings.
- `<<` merges follow go-yaml: a merge overwrites keys already set, and later keys win.
- Duplicate keys: the last one wins silently, as in kubectl.
- Hostile input is bounded the way go-yaml bounds it: "exceeded max depth of 10000" for deep
  nesting, "document contains excessive aliasing" for alias bombs (counted while expanding).
- Errors carry go-yaml's text: `yaml: line 6: did not find expected ',' or ']'`, the line counted
  from the start of the document, libyaml's way.

PyYAML (its C parser when present) provides the event stream; everything above it (tag
resolution, aliases, merges, keys, numbers) is done here, because go-yaml's decoder differs from
PyYAML's constructors in all of them. Where go-yaml's scanner (a port of an older libyaml) parts
from PyYAML's libyaml 0.2.5, this module makes up the difference:
- `[a:]`: go-yaml reads the colon into the scalar, libyaml refuses it;
- `[a?b]`: go-yaml ends a plain scalar at `?` inside [] and {} (and then fails), libyaml reads on;
- a byte order mark at the start of a line: go-yaml reads it as a character, libyaml skips it;
- a control character: go-yaml meets it 512 bytes at a time, libyaml 16K ahead, so a syntax
  error well before it is what go-yaml reports.
One difference is left: in a flow collection go-yaml lets a tag run on through `,` `[` `]`
(`[!t, x]` has one element for kubectl, two here). The pure-Python parser, used when PyYAML has no
libyaml, reads the same values but words some syntax errors differently.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import math
import re
import struct
from collections.abc import Iterator
from decimal import Decimal

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kauth.api.gofloat import format_g, go_float

__all__ = ["YAMLError", "load", "load_all", "iter_documents", "split_documents", "resolve_plain", "go_quote"]

# The libyaml-backed parser when PyYAML was built with it; its messages are libyaml's, which
# go-yaml's ported parser shares. The pure-Python parser words a few errors differently.
_Loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def load_config(text: str):
    """A configuration file (policies, kubeconfigs, test suites): plain safe YAML, with libyaml's C loader when
    present; not kubectl's reading of manifests (load, load_all)."""
    return yaml.load(text, Loader=_Loader)


def load_config_all(text: str) -> list:
    return list(yaml.load_all(text, Loader=_Loader))

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1
MAX_DEPTH = 10000  # go-yaml v2's max_flow_level and max_indents

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT, _NULL = _TAG + "str", _TAG + "bool", _TAG + "int", _TAG + "float", _TAG + "null"
_TIMESTAMP, _BINARY, _MERGE = _TAG + "timestamp", _TAG + "binary", _TAG + "merge"
_RESOLVABLE = frozenset({_STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP})


class YAMLError(ValueError):
    """A document kubectl cannot read. str() is kubectl's text, the part after `error parsing FILE: `
    (`error converting YAML to JSON: yaml: line 3: ...`). `reason` is the same without the
    `error converting YAML to JSON: ` that only sigs.k8s.io/yaml.Unmarshal adds: what kubectl
    prints for text it converts with yaml.ToJSON, such as `kubectl patch -p`."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.reason = message.removeprefix(_CONVERTING)
        self.index = index  # where in the text the parser stopped, for syntax errors


_CONVERTING = "error converting YAML to JSON: "


class _ParseError(Exception):
    """go-yaml's parser or scanner failed: the message, `yaml: ` prefix included, and where."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class _DecodeError(Exception):
    """go-yaml's decoder failed (only reported if the whole document parses)."""


# --- go-yaml v2 resolve.go ------------------------------------------------------------------

_HINTS = {"+": "S", "-": "S", ".": "."}
_HINTS.update(dict.fromkeys("0123456789", "D"))
_HINTS.update(dict.fromkeys("yYnNtTfFoO~", "M"))

_NAN, _INF = float("nan"), float("inf")
_RESOLVE_MAP: dict[str, tuple[str, object]] = {}
for _value, _tag, _words in [
    (True, _BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, _BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, _NULL, "~ null Null NULL"),
    (_NAN, _FLOAT, ".nan .NaN .NAN"),
    (_INF, _FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-_INF, _FLOAT, "-.inf -.Inf -.INF"),
]:
    for _word in _words.split():
        _RESOLVE_MAP[_word] = (_tag, _value)
_RESOLVE_MAP[""] = (_NULL, None)

# yamlStyleFloat, applied after underscores are removed.
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# strconv.ParseFloat's decimal syntax for text starting with "." (underscores checked apart).
_DOT_FLOAT = re.compile(r"\.[0-9_]*[0-9][0-9_]*(?:[eE][-+]?[0-9][0-9_]*)?\Z")
# strconv.ParseInt(s, 0, 64)'s syntax once underscores are gone: sign, base prefix, digits.
_GO_INT = re.compile(r"([-+]?)(?:0([bB])([01]+)|0([oO])([0-7]+)|0([xX])([0-9a-fA-F]+)|0([0-7]+)|([0-9]+))\Z")


def _underscore_ok(text: str) -> bool:
    """strconv's underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    i = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexadecimal = False
    if len(text) >= 2 and text[0] == "0" and text[1] in "bBoOxX":
        i, saw, hexadecimal = 2, "0", text[1] in "xX"
    for char in text[i:]:
        if char.isdigit() and char.isascii() or hexadecimal and char in "abcdefABCDEF":
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for already-validated syntax: None when it overflows (ErrRange)."""
    value = float(text.replace("_", ""))
    return None if math.isinf(value) else value


def _parse_int(plain: str) -> int | None:
    """strconv.ParseInt(plain, 0, 64), then ParseUint(plain, 0, 64): an int64 or a uint64."""
    match = _GO_INT.match(plain)
    if match is None:
        return None
    sign, _, b2, _, b8, _, b16, b8_legacy, b10 = match.groups()
    if b2 is not None:
        value = int(b2, 2)
    elif b8 is not None:
        value = int(b8, 8)
    elif b16 is not None:
        value = int(b16, 16)
    elif b8_legacy is not None:
        value = int(b8_legacy, 8)  # Go's base 0 reads a leading 0 as octal
    else:
        if len(b10) > 1 and b10[0] == "0":
            return None  # "08": a leading 0 means octal, and 8 is not an octal digit
        value = int(b10)
    if sign == "-":
        value = -value
    if INT64_MIN <= value <= INT64_MAX:
        return value
    if not sign and value <= UINT64_MAX:  # ParseUint takes no sign at all
        return value
    return None


_TIMESTAMP_FORMATS = (
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?)[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?(?:Z|[+-](\d\d):(\d\d))\Z", re.ASCII),
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?) (\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?\Z", re.ASCII),
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?)\Z", re.ASCII),
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_timestamp(text: str) -> bool:
    """go-yaml's parseTimestamp: YYYY- and then one of its time.Parse layouts (ranges checked)."""
    if len(text) < 5 or text[4] != "-" or not (text[:4].isascii() and text[:4].isdigit()):
        return False
    for layout in _TIMESTAMP_FORMATS:
        match = layout.match(text)
        if match is None:
            continue
        fields = [int(g) for g in match.groups() if g is not None]
        year, month, day = fields[:3]
        if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            continue
        if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            continue
        if len(fields) > 3 and (fields[3] > 23 or fields[4] > 59 or fields[5] > 59):
            continue
        if len(fields) > 6 and (fields[6] > 24 or fields[7] > 59):
            continue
        return True
    return False


def _resolve(text: str, tag: str = "") -> tuple[str, object]:
    """go-yaml v2 resolve(tag, in) for a resolvable tag or "" (plain): the resolved tag and value.

    Timestamps resolve to their text: go-yaml hands a timestamp to interface{} as the string."""
    hint = _HINTS.get(text[0]) if text else "M"
    if hint is None or tag == _STR:
        return _STR, text
    item = _RESOLVE_MAP.get(text)
    if item is not None:
        return item
    if hint == ".":
        if _DOT_FLOAT.match(text) and _underscore_ok(text):
            value = _parse_float(text)
            if value is not None:
                return _FLOAT, value
    elif hint in "DS":
        if tag in ("", _TIMESTAMP) and _is_timestamp(text):
            return _TIMESTAMP, text
        plain = text.replace("_", "")
        value = _parse_int(plain)
        if value is not None:
            return _INT, value
        if _YAML_FLOAT.match(plain):
            number = _parse_float(plain)
            if number is not None:
                return _FLOAT, number
        if plain.startswith("0b"):  # go-yaml's own base-2 retry: ParseInt(plain[2:], 2) takes a sign
            value = _parse_binary(plain[2:])
            if value is not None:
                return _INT, value
        elif plain.startswith("-0b"):
            value = _parse_binary("-" + plain[3:])
            if value is not None:
                return _INT, value
    return _STR, text


def _parse_binary(text: str) -> int | None:
    """strconv.ParseInt(text, 2, 64), then ParseUint(text, 2, 64)."""
    match = re.fullmatch(r"([-+]?)([01]+)", text)
    if match is None:
        return None
    value = int(match.group(2), 2) * (-1 if match.group(1) == "-" else 1)
    if INT64_MIN <= value <= INT64_MAX or not match.group(1) and value <= UINT64_MAX:
        return value
    return None


def resolve_plain(text: str) -> object:
    """What go-yaml v2 makes of a plain (unquoted, untagged) scalar: str, bool, None, int or float."""
    return _resolve(text)[1]


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _resolve_tagged(tag: str, text: str) -> object:
    """A scalar with an explicit tag, as go-yaml v2's decoder reads it into interface{}."""
    if tag == _BINARY:
        try:
            data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            raise _DecodeError("!!binary value contains invalid base64 data") from None
        return data.decode("utf-8", "go-replace")
    if tag not in _RESOLVABLE:
        return text  # go-yaml keeps the text of a scalar with a tag it does not know
    resolved_tag, value = _resolve(text, tag)
    if resolved_tag == tag or tag == _STR:
        return value
    if tag == _FLOAT and resolved_tag == _INT:
        return float(value)
    raise _DecodeError(f"cannot decode {_short_tag(resolved_tag)} `{text}` as a {_short_tag(tag)}")


def _go_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    """Go's UTF-8 repair: every byte that does not start a valid sequence becomes one U+FFFD."""
    return "\ufffd", error.start + 1


codecs.register_error("go-replace", _go_replace)


# --- Go formatting for keys and messages ----------------------------------------------------


def _digits_of(text: str) -> tuple[str, int]:
    """Digits and decimal-point position of a %e-formatted number (Go's decimal{d, dp})."""
    mantissa, _, exponent = text.partition("e")
    digits = mantissa.replace(".", "").lstrip("-").rstrip("0")
    return digits, int(exponent) + 1


def _float32_key(number: float) -> str:
    """sigs.k8s.io/yaml's float key: strconv.FormatFloat(k, 'g', -1, 32), with .inf/.nan spellings."""
    if math.isnan(number):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        single = math.copysign(_INF, number)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    negative = math.copysign(1.0, single) < 0
    if single == 0:
        return "-0" if negative else "0"
    for precision in range(1, 10):  # the shortest digits that still read back as this float32
        text = f"{abs(single):.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == abs(single):
            break
    digits, dp = _digits_of(text)
    return format_g(digits, dp, negative)


def go_quote(text: str) -> str:
    """strconv.Quote: Go's double-quoted string literal."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x80 or char.isprintable():
            out.append(char)
        elif code == 0xFFFD:
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_syntax(value: object, nested: bool = False, _depth: int = 0) -> str:
    """fmt's %#v of a value held in an interface{} (a go-yaml decoded value), for messages.
    Nesting past 100 levels is elided rather than spelled out."""
    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return f"0x{value:x}" if value > INT64_MAX else str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    if _depth >= 100 and isinstance(value, (list, dict)):
        return "..."
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(item, True, _depth + 1) for item in value) + "}"
    if isinstance(value, dict):
        items = ", ".join(f"{go_quote(k)}:{go_syntax(v, True, _depth + 1)}" for k, v in sorted(value.items()))
        return "map[interface {}]interface {}{" + items + "}"
    return repr(value)


def _go_type(value: object) -> str:
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, int) and not isinstance(value, bool) and value > INT64_MAX:
        return "uint64"
    return type(value).__name__


# --- the decoder: go-yaml v2's parser and decoder, then sigs.k8s.io/yaml's JSON conversion ----

_SEQ, _MAP, _MERGE_SEQ = 0, 1, 2
# _MAP frame states
_KEY, _VALUE, _MERGE_VALUE, _ALIAS_KEY = 0, 1, 2, 3

_ALIAS_RATIO_LOW, _ALIAS_RATIO_HIGH = 400_000, 4_000_000


def _allowed_alias_ratio(decode_count: int) -> float:
    """go-yaml's allowedAliasRatio: 99% of decodes may come from aliases, falling to 10% for huge documents."""
    if decode_count <= _ALIAS_RATIO_LOW:
        return 0.99
    if decode_count >= _ALIAS_RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW))


class _Anchor:
    """The events of an anchored node, recorded as the parser produces them."""

    __slots__ = ("events", "complete", "level")

    def __init__(self, first_event) -> None:
        self.events = [first_event]
        self.complete = False
        self.level = 1


class _Replay:
    """A run of recorded events fed back into the decoder (an alias, or one element of a `<<` list)."""

    __slots__ = ("events", "position", "alias")

    def __init__(self, events: list, alias) -> None:
        self.events = events
        self.position = 0
        self.alias = alias  # the alias event being expanded, or None


def _scanner_line(line: int) -> str:
    """go-yaml's `line N: ` for a scanner error at 0-based line `line` (none on the first line)."""
    return f"line {line + 1}: " if line else ""


class _Decoder:
    """Reads the first document of one YAML text into JSON-compatible Python, as kubectl would."""

    def __init__(self, text: str, hidden: dict[str, str] | None = None, loader: type = _Loader) -> None:
        self._parser = loader(text)
        self._text = text
        self._hidden = hidden  # stand-in characters and what they stand for (see _hide)
        self._anchors: dict[str, _Anchor] = {}
        self._recording: list[_Anchor] = []
        self._replays: list[_Replay] = []
        # per open collection: (flow, column, pushed an indent, explicit flow kind "[" / "{" / "", start mark)
        self._levels: list[tuple] = []
        self._flow_depth = 0
        self._indent_depth = 0
        self.decode_count = 0
        self.alias_count = 0
        self._alias_depth = 0
        self._expanding: set[int] = set()
        self.convert_error: str | None = None
        self.unsupported_number = False
        self.maybe_too_deep = False

    def close(self) -> None:
        dispose = getattr(self._parser, "dispose", None)
        if dispose is not None:
            dispose()

    # -- events --------------------------------------------------------------------------

    def _parser_event(self):
        """The next event of the text: depth limits, anchors and unknown aliases checked (parse time)."""
        event = self._parser.get_event()
        cls = event.__class__
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            self._enter(event, cls)
            for anchor in self._recording:
                anchor.events.append(event)
                anchor.level += 1
            if event.anchor is not None:
                anchor = _Anchor(event)
                self._anchors[event.anchor] = anchor
                self._recording.append(anchor)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            flow, _, pushed, _, _ = self._levels.pop()
            if flow:
                self._flow_depth -= 1
            elif pushed:
                self._indent_depth -= 1
            if self._recording:
                for anchor in self._recording:
                    anchor.events.append(event)
                    anchor.level -= 1
                    if anchor.level == 0:
                        anchor.complete = True
                self._recording = [a for a in self._recording if not a.complete]
        elif cls is ScalarEvent or cls is AliasEvent:
            if cls is AliasEvent and event.anchor not in self._anchors:
                raise _ParseError(f"yaml: unknown anchor '{event.anchor}' referenced", event.start_mark.index)
            if cls is ScalarEvent:
                if self._hidden:
                    for stand_in, char in self._hidden.items():
                        if stand_in in event.value:
                            event.value = event.value.replace(stand_in, char)
                if self._flow_depth and not event.style and "?" in event.value:
                    self._question_mark(event)
            for anchor in self._recording:
                anchor.events.append(event)
            if cls is ScalarEvent and event.anchor is not None:
                anchor = _Anchor(event)
                anchor.complete = True
                anchor.level = 0
                self._anchors[event.anchor] = anchor
        return event

    def _enter(self, event, cls) -> None:
        """go-yaml's scanner limits: 10000 nested flow collections, 10000 block indentation levels."""
        mark = event.start_mark
        if event.flow_style:
            self._flow_depth += 1
            if cls is SequenceStartEvent:
                opening = "["
            elif event.anchor is not None or event.tag is not None or self._text[mark.index:mark.index + 1] == "{":
                opening = "{"
            else:
                opening = ""  # the implicit single-pair mapping of `[key: value]`
            self._levels.append((True, mark.column, False, opening, mark))
            if self._flow_depth > MAX_DEPTH:
                raise _ParseError(f"yaml: {_scanner_line(mark.line)}exceeded max depth of {MAX_DEPTH}", mark.index)
            return
        parent = self._levels[-1] if self._levels else None
        # A block sequence at its parent mapping's column ("key:\n- a") opens no indentation level.
        indentless = cls is SequenceStartEvent and parent is not None and not parent[0] and parent[1] == mark.column
        self._levels.append((False, mark.column, not indentless, "", mark))
        if not indentless:
            self._indent_depth += 1
            if self._indent_depth > MAX_DEPTH:
                raise _ParseError(f"yaml: {_scanner_line(mark.line)}exceeded max depth of {MAX_DEPTH}", mark.index)

    def _question_mark(self, event) -> None:
        """go-yaml ends a plain scalar at `?` inside [] and {} (libyaml reads on): what follows is a
        key indicator where a `,` is expected, so go-yaml fails there."""
        start, end = event.start_mark, event.end_mark
        raw = self._text[start.index:end.index]
        at = raw.find("?", 1)
        if at < 0:
            return
        line = start.line + raw.count("\n", 0, at)
        kind, context_line = "[", 0
        for flow, _, _, opening, mark in reversed(self._levels):
            if flow and opening:
                kind, context_line = opening, mark.line
                break
        where = line or context_line
        closing = "]" if kind == "[" else "}"
        raise _ParseError(f"yaml: {f'line {where}: ' if where else ''}did not find expected ',' or '{closing}'",
                          start.index + at)

    def _next(self):
        replays = self._replays
        if replays and replays[-1].position == len(replays[-1].events):
            self._finish_replays()
        if replays:
            replay = replays[-1]
            event = replay.events[replay.position]
            replay.position += 1
            return event
        return self._parser_event()

    def _finish_replays(self) -> None:
        """Close the expansions whose last event was just decoded (go-yaml's aliasDepth--)."""
        replays = self._replays
        while replays and replays[-1].position == len(replays[-1].events):
            replay = replays.pop()
            if replay.alias is not None:
                self._alias_depth -= 1
                self._expanding.discard(id(replay.alias))

    # -- go-yaml's decoder ---------------------------------------------------------------

    def _count(self) -> None:
        """One d.unmarshal call: go-yaml's alias-bomb guard counts them."""
        self.decode_count += 1
        if self._alias_depth:
            self.alias_count += 1
        if (self.alias_count > 100 and self.decode_count > 1000
                and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)):
            raise _DecodeError("document contains excessive aliasing")

    def _expand(self, event) -> None:
        """Start decoding the anchored node an alias names (its recorded events come next)."""
        anchor = self._anchors[event.anchor]
        if not anchor.complete or id(event) in self._expanding:
            raise _DecodeError(f"anchor '{event.anchor}' value contains itself")
        self._expanding.add(id(event))
        self._alias_depth += 1
        self._replays.append(_Replay(anchor.events, event))

    def document(self):
        """The first document of the text (None when there is none), or raise YAMLError."""
        try:
            self._next()  # StreamStart
            if self._next().__class__ is StreamEndEvent:
                return None
            try:
                self._count()  # the document node
                value = self._node()
            except _DecodeError as err:
                # go-yaml parses the whole document before it decodes: a syntax error further on wins.
                while self._parser_event().__class__ is not DocumentEndEvent:
                    pass
                raise YAMLError(f"error converting YAML to JSON: yaml: {err}") from None
            self._next()  # DocumentEnd: go-yaml stops here and never reads a second document
        except _ParseError as err:
            raise YAMLError(f"error converting YAML to JSON: {err}", err.index) from None
        except yaml.MarkedYAMLError as err:
            if err.problem == "found unexpected ':'" and ":" not in (self._hidden or {}).values():
                raise _UnexpectedColon() from None
            if err.problem == _LIBYAML_NEST_LIMIT:
                raise _NestLimit() from None
            mark = err.problem_mark or err.context_mark
            raise YAMLError(f"error converting YAML to JSON: {_libyaml_message(err)}",
                            mark.index if mark is not None else None) from None
        except yaml.reader.ReaderError:
            raise YAMLError("error converting YAML to JSON: yaml: control characters are not allowed") from None
        if self.convert_error is not None:
            raise YAMLError(f"error converting YAML to JSON: {self.convert_error}")
        if self.unsupported_number:
            raise YAMLError(f"error converting YAML to JSON: json: unsupported value: {_first_unsupported(value)}")
        if self.maybe_too_deep:
            opening = _too_deep(value)
            if opening:  # the JSON is then decoded, and Go's JSON scanner stops at 10000 levels
                raise YAMLError("error unmarshaling JSON: while decoding JSON: "
                                f"invalid character '{opening}' exceeded max depth")
        return value

    def _node(self):
        """Decode one node and everything under it, without recursion (nesting goes to 10000)."""
        frames: list[list] = []
        next_event = self._next
        count = self._count
        while True:
            event = next_event()
            cls = event.__class__
            top = frames[-1] if frames else None
            done = False  # a complete value is in `value`
            if top is not None and top[0] == _MAP and top[2] != _VALUE:
                state = top[2]
                if state == _MERGE_VALUE:
                    self._merge_value(event, cls, top, frames)
                    self._finish_replays()
                    continue
                if cls is MappingEndEvent:  # the mapping is complete
                    frames.pop()
                    self._finish_replays()
                    if top[4]:  # a merged mapping: its keys went into the target already
                        self._merged(frames)
                        continue
                    value, done = top[1], True
                elif cls is ScalarEvent:
                    if state == _KEY and event.value == "<<" and (event.implicit[0] or event.tag == _MERGE):
                        top[2] = _MERGE_VALUE  # a merge key is not decoded itself
                        continue
                    count()
                    top[3] = self._key(event)
                    top[2] = _VALUE
                    self._finish_replays()
                    continue
                elif cls is AliasEvent:
                    count()
                    self._expand(event)
                    top[2] = _ALIAS_KEY  # the key's events follow; an aliased "<<" is a plain key
                    continue
                else:  # a collection as a key: decoded, then refused
                    count()
                    frames.append([_SEQ, [], None] if cls is SequenceStartEvent else [_MAP, {}, _KEY, None, False])
                    continue
            elif top is not None and top[0] == _MERGE_SEQ:
                self._merge_element(event, cls, top, frames)
                self._finish_replays()
                continue
            elif cls is ScalarEvent:
                count()
                tag = event.tag
                if tag is None:
                    value = _resolve(event.value)[1] if event.implicit[0] else event.value
                else:
                    value = _resolve_tagged(tag, event.value)
                # sigs.k8s.io/yaml's json.Marshal, then Kubernetes' int64-or-float64 decoding
                vtype = value.__class__
                if vtype is float:
                    if value != value or value in (_INF, -_INF):
                        self.unsupported_number = True
                    elif value.is_integer() and -1e21 < value < 1e21:
                        value = _whole_float(value)
                elif vtype is int and value > INT64_MAX:
                    value = float(value)
                done = True
            elif cls is MappingStartEvent:
                count()
                frames.append([_MAP, {}, _KEY, None, False])
                if len(frames) > MAX_DEPTH:
                    self.maybe_too_deep = True
                continue
            elif cls is SequenceStartEvent:
                count()
                frames.append([_SEQ, [], None])
                if len(frames) > MAX_DEPTH:
                    self.maybe_too_deep = True
                continue
            elif cls is SequenceEndEvent:
                frames.pop()
                value, done = top[1], True
            elif cls is AliasEvent:
                count()
                self._expand(event)
                continue
            if not done:  # pragma: no cover - every event kind is handled above
                raise _ParseError(f"yaml: unexpected {cls.__name__}")
            self._finish_replays()
            # deliver the complete value to whatever holds it
            while True:
                if not frames:
                    return value
                parent = frames[-1]
                if parent[0] == _SEQ:
                    parent[1].append(value)
                    break
                if parent[2] == _VALUE:
                    key = parent[3]
                    if key.__class__ is _BadKey:
                        if self.convert_error is None:
                            self.convert_error = key.message(value)
                    else:
                        parent[1][key] = value
                    parent[2] = _KEY
                    break
                raise _DecodeError(f"invalid map key: {go_syntax(value)}")

    def _key(self, event) -> object:
        """A scalar key: sigs.k8s.io/yaml turns go-yaml's key into a JSON string."""
        tag = event.tag
        if tag is None:
            key = _resolve(event.value)[1] if event.implicit[0] else event.value
        else:
            key = _resolve_tagged(tag, event.value)
        ktype = key.__class__
        if ktype is str:
            return key
        if ktype is bool:
            return "true" if key else "false"
        if ktype is int:
            return str(key) if key <= INT64_MAX else _BadKey(key)
        if ktype is float:
            return _float32_key(key)
        return _BadKey(key)

    def _merge_value(self, event, cls, top: list, frames: list) -> None:
        """The value of a `<<` key (go-yaml's d.merge): a mapping, an alias to one, or a list of those."""
        target = top[1]
        if cls is MappingStartEvent:
            self._count()
            frames.append([_MAP, target, _KEY, None, True])
        elif cls is AliasEvent:
            if self._anchors[event.anchor].events[0].__class__ is not MappingStartEvent:
                raise _DecodeError("map merge requires map or sequence of maps as the value")
            self._count()
            self._expand(event)  # the replayed mapping arrives while the key still waits for its merge
        elif cls is SequenceStartEvent:
            elements = self._read_elements()
            frames.append([_MERGE_SEQ, target, elements, len(elements)])
            self._next_merge_element(frames)
        else:
            raise _DecodeError("map merge requires map or sequence of maps as the value")

    def _read_elements(self) -> list[list]:
        """The events of each element of a sequence, read up to its end (for a `<<` list)."""
        elements: list[list] = []
        depth = 0
        while True:
            event = self._next()
            cls = event.__class__
            if depth == 0:
                if cls is SequenceEndEvent:
                    return elements
                elements.append([])
            elements[-1].append(event)
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1

    def _next_merge_element(self, frames: list) -> None:
        """go-yaml merges a list of maps from the last to the first: earlier maps take precedence."""
        top = frames[-1]
        if top[3] == 0:
            frames.pop()
            self._merged(frames)
            return
        top[3] -= 1
        element = top[2][top[3]]
        first = element[0].__class__
        if first is AliasEvent:
            if self._anchors[element[0].anchor].events[0].__class__ is not MappingStartEvent:
                raise _DecodeError("map merge requires map or sequence of maps as the value")
        elif first is not MappingStartEvent:
            raise _DecodeError("map merge requires map or sequence of maps as the value")
        self._replays.append(_Replay(element, None))

    def _merge_element(self, event, cls, top: list, frames: list) -> None:
        """The first event of one element of a `<<` list."""
        if cls is MappingStartEvent:
            self._count()
            frames.append([_MAP, top[1], _KEY, None, True])
        else:  # an alias to a mapping (checked before the element started); the mapping follows
            self._count()
            self._expand(event)

    def _merged(self, frames: list) -> None:
        """A merged mapping is complete: back to the mapping's next key, or the list's next element."""
        parent = frames[-1]
        if parent[0] == _MAP:
            parent[2] = _KEY
        else:
            self._next_merge_element(frames)


def _whole_float(value: float) -> int | float:
    """A whole float64 after json.Marshal wrote it (shortest digits, zero padded, e.g.
    -9223372036854776000) and Kubernetes read the text back: int64 when it fits, else the float."""
    if -(2.0 ** 53) < value < 2.0 ** 53:
        return int(value)
    number = int(Decimal(repr(value)))
    return number if INT64_MIN <= number <= INT64_MAX else value


class _BadKey:
    """A key JSON cannot hold (null, a uint64): sigs.k8s.io/yaml refuses it once the value is known."""

    __slots__ = ("key",)

    def __init__(self, key: object) -> None:
        self.key = key

    def message(self, value: object) -> str:
        key = self.key
        key_text = "<nil>" if key is None else go_syntax(key)
        return (f"unsupported map key of type: {_go_type(key)}, key: {key_text}, "
                f"value: {go_syntax(value)}")


def _first_unsupported(value: object) -> str:
    """The first NaN or infinity json.Marshal meets (objects in sorted key order), as Go prints it."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item[k] for k in sorted(item, reverse=True))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, float) and (item != item or math.isinf(item)):
            return go_float(item)
    return "NaN"  # pragma: no cover - only called when one was seen


def _too_deep(value: object) -> str | None:
    """The bracket that opens the 10001st level of the JSON text (keys in sorted order), if any."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                return "{"
            stack.extend((item[k], depth + 1) for k in sorted(item, reverse=True))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                return "["
            stack.extend((v, depth + 1) for v in reversed(item))
    return None


def _libyaml_message(err: yaml.MarkedYAMLError) -> str:
    """go-yaml v2's parser.fail(): the problem mark's line (+1 for scanner errors), else the context's."""
    line = 0
    scanner = isinstance(err, yaml.scanner.ScannerError)
    if err.problem_mark is not None and err.problem_mark.line != 0:
        line = err.problem_mark.line + (1 if scanner else 0)
    elif err.context_mark is not None and err.context_mark.line != 0:
        line = err.context_mark.line
    where = f"line {line}: " if line else ""
    problem = err.problem or "unknown problem parsing YAML content"
    return f"yaml: {where}{_PURE_PYTHON_PROBLEMS.get(problem, problem)}"


# The pure-Python parser's wording for the problems libyaml (and go-yaml) word differently.
_PURE_PYTHON_PROBLEMS = {
    "sequence entries are not allowed here": "block sequence entries are not allowed in this context",
    "mapping values are not allowed here": "mapping values are not allowed in this context",
    "found character that cannot start any token": "found character that cannot start any token",
}


# --- documents ------------------------------------------------------------------------------

# unicode.IsSpace, which strings.TrimSpace uses.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SEPARATOR = re.compile(r"^---[^\n]*\n", re.MULTILINE)


def split_documents(text: str) -> Iterator[str]:
    """The documents of a stream as kubectl's YAMLReader cuts them: at lines that start with `---`.

    Only spaces or a comment may follow the `---`; anything else is kubectl's "invalid Yaml document
    separator" error, raised when that line is reached. A separator ends a document and is dropped,
    unless nothing came before it: then it starts the next one. Line ends are normalised to "\\n"
    and the last line gets one, as kubectl's line reader does."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    start = 0
    for match in _SEPARATOR.finditer(text):
        rest = match.group()[3:].strip(GO_SPACE)
        if rest and rest[0] != "#":
            raise YAMLError(f"invalid Yaml document separator: {rest}")
        if match.start() > start:
            yield text[start:match.start()]
            start = match.end()
        # A separator that opens an empty document stays in it (YAMLReader writes it to the new
        # buffer): go-yaml reads it as `---` and counts it in line numbers.
    if start < len(text):
        yield text[start:]


def load(text: str) -> object:
    """The first YAML document of `text` as kubectl reads it (sigs.k8s.io/yaml.YAMLToJSON, then
    Kubernetes' JSON decoding): JSON-compatible Python, None for an empty document."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes smuggled in a str): Go sees U+FFFD
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "go-replace")
    hidden: dict[str, str] = {}
    if "\ufeff" in text[1:]:
        # libyaml skips a byte order mark at the start of any line; go-yaml only at the start of the
        # stream, and reads any other as an ordinary character.
        text = _hide(text, _LINE_START_BOM, "\ufeff", hidden)
    try:
        return _load(text, hidden)
    except _UnexpectedColon:
        # libyaml refuses `a:` followed by one of `,?[]{}` inside flow collections ("found
        # unexpected ':'"); go-yaml reads the colon as part of the scalar.
        return _load(_hide(text, _FLOW_COLON, ":", hidden), hidden)


_LINE_START_BOM = re.compile("(?<=[\n\r])\ufeff")
_FLOW_COLON = re.compile(r":(?=[,?\[\]{}])")


def _hide(text: str, pattern: re.Pattern, char: str, hidden: dict[str, str]) -> str:
    """Swap what `pattern` matches for a character the text does not use; the decoder swaps it
    back in every scalar."""
    stand_in = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text and chr(c) not in hidden)
    hidden[stand_in] = char
    return pattern.sub(stand_in, text)


class _UnexpectedColon(Exception):
    pass


# libyaml 0.2.6 (bundled with PyYAML 6.0.4 wheels) stops at 1000 nested collections; go-yaml allows
# 10000 flow levels and 10000 indents, which the decoder enforces with go-yaml's words. So libyaml's
# process-wide limit is raised past both; where that cannot be done, the document is read again by
# PyYAML's own parser (no limit, but quadratic in the nesting depth: ~30 s at 10000 levels).
_LIBYAML_NEST_LIMIT = "exceeded maximum nesting depth"


def _raise_libyaml_nest_limit() -> None:
    try:
        import ctypes

        from yaml import _yaml

        set_limit = ctypes.CDLL(_yaml.__file__).yaml_set_max_nest_level
    except (ImportError, OSError, AttributeError):  # no libyaml, or one older than 0.2.6 (no limit)
        return
    set_limit.argtypes, set_limit.restype = [ctypes.c_int], None
    set_limit(2 * MAX_DEPTH + 2)


if _Loader is not yaml.SafeLoader:
    _raise_libyaml_nest_limit()


class _NestLimit(Exception):
    pass


def _load(text: str, hidden: dict[str, str]) -> object:
    forbidden = _FORBIDDEN.search(text)
    if forbidden is not None:
        return _load_with_control_character(text, forbidden.start(), hidden)
    return _decode(text, hidden)


def _decode(text: str, hidden: dict[str, str]) -> object:
    """The first document, read by libyaml; past libyaml's nesting limit, by PyYAML's own parser,
    which has none (the decoder enforces go-yaml's 10000)."""
    for loader in (_Loader, yaml.SafeLoader):
        decoder = _Decoder(text, hidden, loader)
        try:
            return decoder.document()
        except _NestLimit:
            continue
        finally:
            decoder.close()
    raise AssertionError("the pure-Python parser has no nesting limit")


# What YAML's reader refuses (libyaml's and go-yaml's "control characters are not allowed").
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GO_READ_CHUNK = 512  # go-yaml decodes its input 512 bytes at a time


def _load_with_control_character(text: str, at: int, hidden: dict[str, str]) -> object:
    """go-yaml only checks characters as its reader reaches them (512 bytes at a time), libyaml reads
    16K ahead: a syntax error well before the bad character is what go-yaml, and kubectl, report."""
    chunk_start = len(text[:at].encode("utf-8")) // _GO_READ_CHUNK * _GO_READ_CHUNK
    message = "error converting YAML to JSON: yaml: control characters are not allowed"
    if chunk_start == 0:
        raise YAMLError(message)
    try:
        _decode(_FORBIDDEN.sub(" ", text), hidden)
    except YAMLError as err:
        if err.index is not None and len(text[:err.index].encode("utf-8")) + 64 < chunk_start:
            raise
    raise YAMLError(message)


def iter_documents(text: str) -> Iterator[object]:
    """Each non-empty document of a YAML stream, kubectl's way (empty and `null` documents are
    skipped). Raises YAMLError at the first document kubectl cannot read, after yielding the
    ones before it."""
    for chunk in split_documents(text):
        value = load(chunk)
        if value is not None:
            yield value


def load_all(text: str) -> list:
    """All non-empty documents of a YAML stream, read as kubectl reads them."""
    return list(iter_documents(text))
