"""kubectl's flag value types (spf13/pflag and component-base cliflag) for flags click collects as strings."""

from __future__ import annotations

import csv
import re

from kauth.api.errors import ClientError


def string_slice(values: list[str]) -> list[str]:
    """pflag StringSlice: each occurrence is one CSV record, empty items kept (`get,` is get and "")."""
    out: list[str] = []
    for value in values:
        if value:
            out.extend(next(csv.reader([value])))
    return out


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_NUMBER = re.compile(r"(\d*)(\.(\d*))?")
_UNIT = re.compile(r"[^0-9.]*")


def parse_go_duration(text: str) -> tuple[float | None, str]:
    """time.ParseDuration: (seconds, "") or (None, Go's error text) for `1m0s`, `1.5h`, `-2s`, `0`."""
    from kauth.api.errors import go_quote

    invalid = (None, f"time: invalid duration {go_quote(text)}")
    body, sign = text, 1
    if body[:1] in ("-", "+"):
        sign, body = (-1 if body[0] == "-" else 1), body[1:]
    if body == "0":
        return 0.0, ""
    if not body:
        return invalid
    total = 0.0
    while body:
        number = _NUMBER.match(body)
        whole, fraction = number.group(1), number.group(3) or ""
        if not whole and not fraction:
            return invalid  # the next character must be a digit or `.` followed by digits
        body = body[number.end():]
        unit = _UNIT.match(body).group(0)
        if not unit:
            return None, f"time: missing unit in duration {go_quote(text)}"
        if unit not in _DURATION_UNITS:
            return None, f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}"
        body = body[len(unit):]
        total += float(f"{whole or 0}.{fraction or 0}") * _DURATION_UNITS[unit]
    if total > (2**63 - 1) / 1e9:
        return invalid
    return sign * total, ""


def flag_error(command: str, flag: str, value: str, why: str) -> ClientError:
    """cobra's report of a flag value its type refuses (before the command runs)."""
    return ClientError(f'Error: invalid argument "{value}" for "--{flag}" flag: {why}\n'
                       f"See 'kubectl {command} --help' for usage.", bare=True)


def map_string_string(values: list[str], *, command: str, flag: str) -> dict[str, str]:
    """cliflag.MapStringString: comma-separated key=value pairs, spaces trimmed, later keys win."""
    out: dict[str, str] = {}
    for value in values:
        for pair in (p.strip() for p in value.split(",")):
            if not pair:
                continue
            key, sep, item = pair.partition("=")
            if not sep:
                raise flag_error(command, flag, value, "malformed pair, expect string=string")
            out[key.strip()] = item.strip()
    return out
