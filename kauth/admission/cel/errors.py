"""cel-cpp's error texts rewritten as cel-go words them, since Kubernetes (cel-go) is the specification.

cel-go sources: common/types/err.go (`no such key: %v`, `division by zero`, `modulus by zero`, `integer overflow`,
`no such overload`), common/types/list.go (`index '%d' out of range in list size '%d'`).
"""

from __future__ import annotations

import re

_STATUS = re.compile(r"^[A-Z_]+: ")
_TRAILER = re.compile(r" \[[A-Z_]+\]$")
_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r'^Key not found in map : "?(.*?)"?$'), r"no such key: \1"),
    (re.compile(r"^Key not found in map : (.*)$"), r"no such key: \1"),
    (re.compile(r"^Index error: index=(-?\d+) size=(\d+)$"), r"index '\1' out of range in list size '\2'"),
    (re.compile(r"^divide by zero$"), "division by zero"),
    (re.compile(r"^modulus by zero$"), "modulus by zero"),
    (re.compile(r"^integer overflow$"), "integer overflow"),
    (re.compile(r"^unsigned integer overflow$"), "unsigned integer overflow"),
    (re.compile(r"^No matching overloads found.*$"), "no such overload"),
    (re.compile(r"^No overload found.*$"), "no such overload"),
    # cel-cpp's comprehension_max_iterations (10,000 per evaluation, not configurable from Python) has no
    # cel-go counterpart: cel-go only stops at the cost limit. Said plainly, since upstream would go on.
    (re.compile(r"^Iteration budget exceeded$"),
     "kauth: more than 10000 comprehension iterations (cel-cpp's limit; Kubernetes stops only at its cost limit)"),
    (re.compile(r"^Applying SELECT to non-message type$"), "no such overload"),
)


def runtime_error(message: str) -> str:
    """A cel-cpp evaluation error as cel-go's error text."""
    # only line breaks are trimmed: a message may end in a space ("could not parse reference: " of "")
    text = _TRAILER.sub("", _STATUS.sub("", str(message).strip("\n")))
    for pattern, replacement in _RULES:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text


def compile_error(message: str) -> str:
    """cel-cpp's issues (`ERROR: <input>:1:4: ...` with a caret line) as cel-go's Issues.String()."""
    return _TRAILER.sub("", _STATUS.sub("", str(message).strip()))
