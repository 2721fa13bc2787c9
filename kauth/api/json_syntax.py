"""encoding/json's syntax checking, character by character, for Go's exact messages: what json.Unmarshal and
json.Decoder say about text that is not JSON (`invalid character 'b' looking for beginning of object key
string`, `unexpected end of JSON input`). kubectl says it about files and patches, kube-apiserver about
request bodies.
"""

from __future__ import annotations

from kauth.api.errors import go_quote

JSON_SPACE = " \t\r\n"
MAX_JSON_DEPTH = 10000
CONTINUE, SKIP, END, END_CONTAINER, ERROR = range(5)
DIGITS = "0123456789"


class GoJSONScanner:
    """encoding/json's scanner (scanner.go), one character at a time, for Go's exact messages."""

    def __init__(self) -> None:
        self.step = self.begin_value
        self.stack: list[str] = []  # "key" (after a key), "value" (after a value), "array"
        self.context = ""
        self.literal = ""

    def error(self, context: str) -> int:
        self.context = context
        return ERROR

    def push(self, state: str) -> int:
        self.stack.append(state)
        return self.error("exceeded max depth") if len(self.stack) > MAX_JSON_DEPTH else CONTINUE

    def begin_value_or_empty(self, c: str) -> int:
        if c in JSON_SPACE:
            return SKIP
        return self.end_value(c) if c == "]" else self.begin_value(c)

    def begin_value(self, c: str) -> int:
        if c in JSON_SPACE:
            return SKIP
        if c == "{":
            self.step = self.begin_string_or_empty
            return self.push("key")
        if c == "[":
            self.step = self.begin_value_or_empty
            return self.push("array")
        if c == '"':
            self.step = self.in_string
        elif c == "-":
            self.step = self.negative
        elif c == "0":
            self.step = self.zero
        elif c in "123456789" and c:
            self.step = self.one
        elif c in ("t", "f", "n"):
            self.literal = {"t": "true", "f": "false", "n": "null"}[c]
            self.literal_at = 1
            self.step = self.in_literal
        else:
            return self.error("looking for beginning of value")
        return CONTINUE

    def begin_string_or_empty(self, c: str) -> int:
        if c in JSON_SPACE:
            return SKIP
        if c == "}":
            self.stack[-1] = "value"
            return self.end_value(c)
        return self.begin_string(c)

    def begin_string(self, c: str) -> int:
        if c in JSON_SPACE:
            return SKIP
        if c == '"':
            self.step = self.in_string
            return CONTINUE
        return self.error("looking for beginning of object key string")

    def end_value(self, c: str) -> int:
        if not self.stack:
            return END  # the value ended before this character
        if c in JSON_SPACE:
            self.step = self.end_value
            return SKIP
        state = self.stack[-1]
        if state == "key":
            if c == ":":
                self.stack[-1] = "value"
                self.step = self.begin_value
                return CONTINUE
            return self.error("after object key")
        if state == "value":
            if c == ",":
                self.stack[-1] = "key"
                self.step = self.begin_string
                return CONTINUE
            if c == "}":
                return self.pop()
            return self.error("after object key:value pair")
        if c == ",":
            self.step = self.begin_value
            return CONTINUE
        if c == "]":
            return self.pop()
        return self.error("after array element")

    def pop(self) -> int:
        self.stack.pop()
        self.step = self.end_value
        return END_CONTAINER

    def in_string(self, c: str) -> int:
        if c == '"':
            self.step = self.end_value
        elif c == "\\":
            self.step = self.in_string_escape
        elif c < " ":
            return self.error("in string literal")
        return CONTINUE

    def in_string_escape(self, c: str) -> int:
        if c in 'bfnrt\\/"' and c:
            self.step = self.in_string
            return CONTINUE
        if c == "u":
            self.literal_at = 0
            self.step = self.in_unicode_escape
            return CONTINUE
        return self.error("in string escape code")

    def in_unicode_escape(self, c: str) -> int:
        if c and c in "0123456789abcdefABCDEF":
            self.literal_at += 1
            if self.literal_at == 4:
                self.step = self.in_string
            return CONTINUE
        return self.error("in \\u hexadecimal character escape")

    def negative(self, c: str) -> int:
        if c == "0":
            self.step = self.zero
            return CONTINUE
        if c and c in "123456789":
            self.step = self.one
            return CONTINUE
        return self.error("in numeric literal")

    def one(self, c: str) -> int:
        if c and c in DIGITS:
            return CONTINUE
        return self.zero(c)

    def zero(self, c: str) -> int:
        if c == ".":
            self.step = self.dot
            return CONTINUE
        if c in ("e", "E"):
            self.step = self.exponent
            return CONTINUE
        return self.end_value(c)

    def dot(self, c: str) -> int:
        if c and c in DIGITS:
            self.step = self.fraction
            return CONTINUE
        return self.error("after decimal point in numeric literal")

    def fraction(self, c: str) -> int:
        if c and c in DIGITS:
            return CONTINUE
        if c in ("e", "E"):
            self.step = self.exponent
            return CONTINUE
        return self.end_value(c)

    def exponent(self, c: str) -> int:
        if c in ("+", "-"):
            self.step = self.exponent_sign
            return CONTINUE
        return self.exponent_sign(c)

    def exponent_sign(self, c: str) -> int:
        if c and c in DIGITS:
            self.step = self.exponent_digits
            return CONTINUE
        return self.error("in exponent of numeric literal")

    def exponent_digits(self, c: str) -> int:
        if c and c in DIGITS:
            return CONTINUE
        return self.end_value(c)

    def in_literal(self, c: str) -> int:
        expected = self.literal[self.literal_at]
        if c != expected:
            return self.error(f"in literal {self.literal} (expecting {quote_char(expected)})")
        self.literal_at += 1
        if self.literal_at == len(self.literal):
            self.step = self.end_value
        return CONTINUE


def go_json_syntax_error(text: str) -> str | None:
    """What json.Unmarshal says about text that is not one JSON value (encoding/json checkValid),
    or None for valid JSON: `invalid character 'b' looking for beginning of object key string`,
    `unexpected end of JSON input`."""
    scanner = GoJSONScanner()
    done = False
    for char in text:
        if done:
            if char not in JSON_SPACE:
                return f"invalid character {quote_char(char)} after top-level value"
            continue
        op = scanner.step(char)
        if op == ERROR:
            return f"invalid character {quote_char(char)} {scanner.context}"
        if op == END or (op == END_CONTAINER and not scanner.stack):
            done = True
            if op == END and char not in JSON_SPACE:
                return f"invalid character {quote_char(char)} after top-level value"
    if done:
        return None
    op = scanner.step(" ")  # scanner.eof: a number or literal may end here
    if op == ERROR:
        return f"invalid character ' ' {scanner.context}"
    if op == END or (not scanner.stack and scanner.step == scanner.end_value):
        return None
    return "unexpected end of JSON input"


def quote_char(char: str) -> str:
    """encoding/json's quoteChar for the byte that starts `char`."""
    byte = char.encode("utf-8")[0] if char else 0
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


def json_kind(value) -> str:
    """The JSON type word encoding/json's UnmarshalTypeError uses for a decoded value (`cannot unmarshal
    string into ...`)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")
