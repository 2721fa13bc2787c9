"""Quantity arithmetic and resource lists, as admission plugins compute with them.

A quantity is `kauth.api.defaults.Quantity` (an exact Decimal and the format it was written in); this
module adds what k8s.io/apimachinery/pkg/api/resource gives Quantity (Add, Sub, Cmp, Sign, String) and
what k8s.io/apiserver/pkg/quota/v1/resources.go gives ResourceList (Add, Mask, LessThanOrEqual, ...).
Resource lists are plain dicts `{resource name: Quantity}`, built from an object's raw map by
`resource_list`, which leaves out values that are not quantities: the API server would have refused such
an object at decode, so no stored object has one, and admission must not crash on a hostile one.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Iterable, Mapping

from kauth.api.defaults import Quantity, canonical_quantity, parse_quantity

ResourceList = dict[str, Quantity]

DECIMAL_SI = "DecimalSI"


def parse(raw: Any) -> Quantity | None:
    """resource.ParseQuantity; None when `raw` is not a quantity."""
    return parse_quantity(raw)


def of_int(value: int) -> Quantity:
    """resource.NewQuantity(value, DecimalSI)."""
    return Quantity(Decimal(value), DECIMAL_SI)


def zero() -> Quantity:
    """resource.Quantity{Format: DecimalSI}: the zero every usage sum starts from."""
    return Quantity(Decimal(0), DECIMAL_SI)


def text(q: Quantity) -> str:
    """Quantity.String()."""
    return canonical_quantity(q)


def add(a: Quantity, b: Quantity) -> Quantity:
    """a.Add(b): a zero receiver takes the other's format (`0 + 1Gi` prints `1Gi`)."""
    fmt = b.format if a.value == 0 else a.format
    return Quantity(a.value + b.value, fmt)


def sub(a: Quantity, b: Quantity) -> Quantity:
    """a.Sub(b), with Add's rule for the format."""
    fmt = b.format if a.value == 0 else a.format
    return Quantity(a.value - b.value, fmt)


def cmp(a: Quantity, b: Quantity) -> int:
    """a.Cmp(b): -1, 0 or 1, on the exact values."""
    return (a.value > b.value) - (a.value < b.value)


def sign(q: Quantity) -> int:
    return (q.value > 0) - (q.value < 0)


MAX_INT64 = 2**63 - 1
MIN_INT64 = -(2**63)
MAX_MILLI_VALUE = MAX_INT64 // 1000  # resource.MaxMilliValue


def int64_value(q: Quantity) -> int:
    """q.Value(): the value rounded up, away from zero, as an int64 (saturated where Go's would wrap)."""
    return _int64(q.value)


def int64_milli_value(q: Quantity) -> int:
    """q.MilliValue(): the value in thousandths, rounded up away from zero, as an int64 (saturated)."""
    return _int64(q.value * 1000)


def _int64(value: Decimal) -> int:
    rounded = int(value.to_integral_value(rounding=ROUND_CEILING if value >= 0 else ROUND_FLOOR))
    return max(MIN_INT64, min(MAX_INT64, rounded))


def resource_list(raw: Any) -> ResourceList:
    """A ResourceList from an object's map (`resources.requests`, `spec.hard`); non-quantities are left out."""
    if not isinstance(raw, Mapping):
        return {}
    out: ResourceList = {}
    for name, value in raw.items():
        q = parse(value)
        if q is not None:
            out[str(name)] = q
    return out


# --- k8s.io/apiserver/pkg/quota/v1/resources.go ---------------------------------------------------------


def add_lists(a: Mapping[str, Quantity], b: Mapping[str, Quantity]) -> ResourceList:
    """quota.Add: the sum of a and b, key by key."""
    out = dict(a)
    for name, value in b.items():
        out[name] = add(out[name], value) if name in out else value
    return out


def subtract_non_negative(a: Mapping[str, Quantity], b: Mapping[str, Quantity]) -> ResourceList:
    """quota.SubtractWithNonNegativeResult: a - b, each value floored at zero, keys of both."""
    out: ResourceList = {}
    for name, value in a.items():
        diff = sub(value, b[name]) if name in b else value
        out[name] = diff if diff.value > 0 else Quantity(Decimal(0), DECIMAL_SI)
    for name in b:
        out.setdefault(name, Quantity(Decimal(0), DECIMAL_SI))
    return out


def mask(a: Mapping[str, Quantity], names: Iterable[str]) -> ResourceList:
    """quota.Mask: only the named resources."""
    keep = set(names)
    return {name: value for name, value in a.items() if name in keep}


def exceeded(used: Mapping[str, Quantity], hard: Mapping[str, Quantity]) -> list[str]:
    """quota.LessThanOrEqual's second result: the resources where used > hard (only those in both)."""
    return [name for name, limit in hard.items() if name in used and cmp(used[name], limit) > 0]


def negative(a: Mapping[str, Quantity]) -> list[str]:
    """quota.IsNegative."""
    return [name for name, value in a.items() if value.value < 0]


def all_zero(a: Mapping[str, Quantity]) -> bool:
    """quota.IsZero."""
    return all(value.value == 0 for value in a.values())


def max_lists(a: Mapping[str, Quantity], b: Mapping[str, Quantity]) -> ResourceList:
    """maxResourceList: for each resource of b, the greater of a's and b's."""
    out = dict(a)
    for name, value in b.items():
        if name not in out or cmp(value, out[name]) > 0:
            out[name] = value
    return out


def pretty(a: Mapping[str, Quantity]) -> str:
    """prettyPrint of the quota admission: `name=value` sorted by name, joined by commas."""
    return ",".join(f"{name}={text(a[name])}" for name in sorted(a))
