"""Go's net/netip parsers, for their error texts: Kubernetes' ip() and cidr() CEL functions put them in their
messages (`ParseAddr("192.168.0.1.0"): IPv4 address too long`). A port of ParseAddr, parseIPv4, parseIPv6 and
ParsePrefix (src/net/netip/netip.go) that answers only whether Go accepts the text, and if not, what it says;
Python's ipaddress then builds the value of a text Go accepted.
"""

from __future__ import annotations

import re

from kauth.api.errors import go_quote

_HEX = "0123456789abcdefABCDEF"


def parse_addr_error(text: str) -> str | None:
    """netip.ParseAddr's error for `text`, or None when it parses."""
    for char in text:
        if char == ".":
            return _ipv4_error(text)
        if char == ":":
            return _ipv6_error(text)
        if char == "%":  # an IPv6 zone with the address missing
            return _addr_error(text, "missing IPv6 address")
    return _addr_error(text, "unable to parse IP")


def parse_prefix_error(text: str) -> str | None:
    """netip.ParsePrefix's error for `text`, or None when it parses."""
    slash = text.rfind("/")
    if slash < 0:
        return _prefix_error(text, "no '/'")
    address, bits = text[:slash], text[slash + 1:]
    problem = parse_addr_error(address)
    if problem is not None:
        return _prefix_error(text, problem)
    if ":" in address and "%" in address:  # https://go.dev/issue/51899
        return _prefix_error(text, "IPv6 zones cannot be present in a prefix")
    # strconv.Atoi would take a sign and leading zeros; ParsePrefix does not
    if (len(bits) > 1 and not "1" <= bits[0] <= "9") or not re.fullmatch(r"[0-9]+", bits):
        return _prefix_error(text, f"bad bits after slash: {go_quote(bits)}")
    if int(bits) > (128 if ":" in address else 32):
        return _prefix_error(text, "prefix length out of range")
    return None


def _addr_error(text: str, message: str, at: str = "") -> str:
    """parseAddrError.Error()."""
    return f"ParseAddr({go_quote(text)}): {message}" + (f" (at {go_quote(at)})" if at else "")


def _prefix_error(text: str, message: str) -> str:
    return f"netip.ParsePrefix({go_quote(text)}): {message}"


def _ipv4_error(text: str) -> str | None:
    value, position, digits = 0, 0, 0
    for i, char in enumerate(text):
        if "0" <= char <= "9":
            if digits == 1 and value == 0:
                return _addr_error(text, "IPv4 field has octet with leading zero")
            value = value * 10 + int(char)
            digits += 1
            if value > 255:
                return _addr_error(text, "IPv4 field has value >255")
        elif char == ".":
            if i == 0 or i == len(text) - 1 or text[i - 1] == ".":
                return _addr_error(text, "IPv4 field must have at least one digit", text[i:])
            if position == 3:
                return _addr_error(text, "IPv4 address too long")
            position += 1
            value, digits = 0, 0
        else:
            return _addr_error(text, "unexpected character", text[i:])
    if position < 3:
        return _addr_error(text, "IPv4 address too short")
    return None


def _ipv6_error(original: str) -> str | None:
    s = original
    zone_at = s.find("%")
    if zone_at != -1:
        s, zone = s[:zone_at], s[zone_at + 1:]
        if not zone:
            return _addr_error(original, "zone must be a non-empty string")
    ellipsis = -1
    if s.startswith("::"):
        ellipsis = 0
        s = s[2:]
        if not s:
            return None
    i = 0
    while i < 16:
        off, acc = 0, 0
        while off < len(s) and s[off] in _HEX:
            acc = (acc << 4) + int(s[off], 16)
            off += 1
            if acc > 0xFFFF:
                return _addr_error(original, "IPv6 field has value >=2^16", s)
        if off == 0:
            return _addr_error(original, "each colon-separated field must have at least one digit", s)
        if off < len(s) and s[off] == ".":  # a trailing IPv4 address
            if ellipsis < 0 and i != 12:
                return _addr_error(original, "embedded IPv4 address must replace the final 2 fields of the address",
                                   s)
            if i + 4 > 16:
                return _addr_error(original, "too many hex fields to fit an embedded IPv4 at the end of the address",
                                   s)
            problem = _ipv4_error(s)
            if problem is not None:
                return _addr_error(original, problem, s)
            s = ""
            i += 4
            break
        i += 2
        s = s[off:]
        if not s:
            break
        if s[0] != ":":
            return _addr_error(original, "unexpected character, want colon", s)
        if len(s) == 1:
            return _addr_error(original, "colon must be followed by more characters", s)
        s = s[1:]
        if s[0] == ":":
            if ellipsis >= 0:
                return _addr_error(original, "multiple :: in address", s)
            ellipsis = i
            s = s[1:]
            if not s:
                break
    if s:
        return _addr_error(original, "trailing garbage after address", s)
    if i < 16 and ellipsis < 0:
        return _addr_error(original, "address string too short")
    if i >= 16 and ellipsis >= 0:
        return _addr_error(original, "the :: must expand to at least one field of zeros")
    return None
