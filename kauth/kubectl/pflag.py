"""kubectl's flag value types (spf13/pflag and component-base cliflag) for flags click collects as strings."""

from __future__ import annotations

import csv

from kauth.api.errors import ClientError


def string_slice(values: list[str]) -> list[str]:
    """pflag StringSlice: each occurrence is one CSV record, empty items kept (`get,` is get and "")."""
    out: list[str] = []
    for value in values:
        if value:
            out.extend(next(csv.reader([value])))
    return out


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
