"""Go's float texts: strconv.FormatFloat(f, 'g', -1, 64) (fmt's %v, go-yaml) and encoding/json's float64, built
from the shortest decimal digits that read back as the same float, as strconv's shortest mode finds them."""

from __future__ import annotations

import math
import re
from decimal import Decimal


def shortest_digits(number: float) -> tuple[str, int]:
    """The shortest round-trip decimal digits of |number| and the decimal point's position (strconv's digs.d and
    digs.dp): 0.0125 is ("125", -1). Zero has no digits."""
    if number == 0:
        return "", 0
    _, digits, exponent = Decimal(repr(abs(number))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    exponent += len(digits) - len(text)
    return text, len(text) + exponent


def format_e(digits: str, dp: int, negative: bool) -> str:
    """%e with every digit: 1.25e-02, 1e+21."""
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp = dp - 1
    return ("-" if negative else "") + f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def format_f(digits: str, dp: int, negative: bool) -> str:
    """%f with every digit and no more: 0.0125, 1200."""
    if dp <= 0:
        text = "0." + "0" * -dp + digits
    elif dp >= len(digits):
        text = digits + "0" * (dp - len(digits))
    else:
        text = digits[:dp] + "." + digits[dp:]
    return ("-" if negative else "") + text


def format_g(digits: str, dp: int, negative: bool) -> str:
    """strconv's %g of shortest digits: %e when the exponent is < -4 or >= 6 ("precision 6 for this decision")."""
    if not digits:
        return "-0" if negative else "0"
    exp = dp - 1
    return format_e(digits, dp, negative) if exp < -4 or exp >= 6 else format_f(digits, dp, negative)


def go_float(number: float) -> str:
    """strconv.FormatFloat(number, 'g', -1, 64): what %v prints for a float64."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "+Inf" if number > 0 else "-Inf"
    digits, dp = shortest_digits(number)
    return format_g(digits, dp, math.copysign(1.0, number) < 0)


def json_float(number: float) -> str:
    """encoding/json's float64 (finite): %f between 1e-6 and 1e21, else %e with e-07 shortened to e-7."""
    digits, dp = shortest_digits(number)
    negative = math.copysign(1.0, number) < 0
    if not digits:
        return "-0" if negative else "0"
    if abs(number) < 1e-6 or abs(number) >= 1e21:
        return re.sub(r"e-0(\d)$", r"e-\1", format_e(digits, dp, negative))
    return format_f(digits, dp, negative)
