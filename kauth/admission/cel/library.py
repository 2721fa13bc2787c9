"""Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library): lists, regex, url, quantity, ip, cidr, authz,
semver, format and image, declared for cel-cpp with Python implementations. The CEL standard library, the strings extension
(split, join, lowerAscii, format, quote, ...), sets, two-variable comprehensions and optionals come with cel-cpp.

Where cel-cpp's Python bindings force a detour (each explained where it is taken):
- the lists library's indexOf / lastIndexOf and string(ip) are overloads of functions cel-cpp declares itself, added
  as an extension after the strings extension (BUILTIN_OVERLOADS); indexOf's element is dyn, so
  `[1].indexOf('a')` is -1 here where cel-go's type check (list(A), A) refuses it.
- string(cidr) of a value typed net.CIDR is a compile error: only one string() implementation can take a message, so
  string(ip) has it, and it also converts a CIDR that reaches it as dyn (`string(dyn(cidr(...)))`).
- validate() and format.named() return optionals, which Python cannot return: their calls are rewritten to read the
  map they return with `_[?_]` (with_optional_results); they type-check as dyn rather than optional(...).
- compareTo / isGreaterThan / isLessThan have one implementation for quantities and semvers (ORDERING).

Not provided: the authz selectors (fieldSelector / labelSelector, behind the AuthorizeWithSelectors gate);
jsonpatch is objects.py's.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from decimal import Decimal
from typing import Any, Callable

from cel_expr_python import cel

from kauth.admission.cel import netip, types
from kauth.api import names
from kauth.api.defaults import parse_quantity

T = cel.Type
LIST = T.List(T.DYN)
STRINGS = T.List(T.STRING)
QUANTITY, URL, IP, CIDR = T("kubernetes.Quantity"), T("kubernetes.URL"), T("net.IP"), T("net.CIDR")
AUTHORIZER = T("kubernetes.authorization.Authorizer")
# cel-cpp's runtime tells messages apart by neither type nor name when it picks a member overload, so
# check(ResourceCheck, verb) and check(PathCheck, verb) would collide: a path check is a ResourceCheck with a path.
PATH_CHECK = T("kubernetes.authorization.ResourceCheck")
GROUP_CHECK = T("kubernetes.authorization.GroupCheck")
RESOURCE_CHECK = T("kubernetes.authorization.ResourceCheck")
DECISION = T("kubernetes.authorization.Decision")


def _fn(name: str, *overloads: tuple[str, Any, list, bool, Callable]) -> cel.FunctionDecl:
    return cel.FunctionDecl(name, [cel.Overload(oid, ret, params, is_member=member, impl=impl)
                                   for oid, ret, params, member, impl in overloads])


# -- lists (library/lists.go) ------------------------------------------------------------------------------

def _is_sorted(items: list) -> bool:
    return all(items[i] <= items[i + 1] for i in range(len(items) - 1))


def _min(items: list) -> Any:
    if not items:
        raise ValueError("min called on empty list")
    return min(items)


def _max(items: list) -> Any:
    if not items:
        raise ValueError("max called on empty list")
    return max(items)


LISTS = [
    _fn("isSorted", ("list_is_sorted", T.BOOL, [LIST], True, _is_sorted)),
    _fn("sum", ("list_sum", T.DYN, [LIST], True, lambda items: sum(items) if items else 0)),
    _fn("min", ("list_min", T.DYN, [LIST], True, _min)),
    _fn("max", ("list_max", T.DYN, [LIST], True, _max)),
]

# -- regex (library/regex.go): RE2 syntax; Python's re agrees on the patterns policies use -------------------


def _find(text: str, pattern: str) -> str:
    m = _compile(pattern).search(text)
    return m.group(0) if m else ""


def _find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    found = [m.group(0) for m in _compile(pattern).finditer(text)]
    return found if limit < 0 else found[:limit]


def _compile(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise ValueError(f"regex compilation failed: {err}") from None


REGEX = [
    _fn("find", ("string_find_string", T.STRING, [T.STRING, T.STRING], True, _find)),
    _fn("findAll", ("string_find_all_string", STRINGS, [T.STRING, T.STRING], True, _find_all),
        ("string_find_all_string_int", STRINGS, [T.STRING, T.STRING, T.INT], True, _find_all)),
]

# -- url (library/urls.go) --------------------------------------------------------------------------------


def _parse_url(text: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(text)
    # Go's url.ParseRequestURI: an absolute URI or an absolute path.
    if not (parts.scheme or text.startswith("/")):
        raise ValueError(f"URL parse error during conversion from string: parse {go_q(text)}: "
                         "invalid URI for request")
    return parts


def go_q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _url(text: str):
    _parse_url(text)
    return types.URL(value=text)


def _is_url(text: str) -> bool:
    try:
        _parse_url(text)
        return True
    except ValueError:
        return False


def _host(u) -> str:
    return urllib.parse.urlsplit(u.value).netloc.rpartition("@")[2]


def _hostname(u) -> str:
    host = _host(u)
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0] if ":" in host else host


def _port(u) -> str:
    host = _host(u)
    tail = host[host.find("]") + 1:] if host.startswith("[") else host
    return tail.rsplit(":", 1)[1] if ":" in tail else ""


def _query(u) -> dict[str, list[str]]:
    return {k: v for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(u.value).query,
                                                   keep_blank_values=True).items()}


URLS = [
    _fn("url", ("string_to_url", URL, [T.STRING], False, _url)),
    _fn("isURL", ("is_url_string", T.BOOL, [T.STRING], False, _is_url)),
    _fn("getScheme", ("url_get_scheme", T.STRING, [URL], True, lambda u: urllib.parse.urlsplit(u.value).scheme)),
    _fn("getHost", ("url_get_host", T.STRING, [URL], True, _host)),
    _fn("getHostname", ("url_get_hostname", T.STRING, [URL], True, _hostname)),
    _fn("getPort", ("url_get_port", T.STRING, [URL], True, _port)),
    _fn("getEscapedPath", ("url_get_escaped_path", T.STRING, [URL], True,
                           lambda u: urllib.parse.urlsplit(u.value).path)),
    _fn("getQuery", ("url_get_query", T.Map(T.STRING, STRINGS), [URL], True, _query)),
]

# -- quantity (library/quantity.go) -------------------------------------------------------------------------


def _q(text: str) -> Decimal:
    parsed = parse_quantity(text)
    if parsed is None or not isinstance(text, str):
        raise ValueError("quantities must match the regular expression "
                         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    return parsed.value


def _quantity(text: str):
    _q(text)
    return types.Quantity(value=text)


def _is_quantity(text: str) -> bool:
    return parse_quantity(text) is not None


def _qv(q) -> Decimal:
    return _q(q.value)


def _sign(q) -> int:
    v = _qv(q)
    return (v > 0) - (v < 0)


def _as_integer(q) -> int:
    v = _qv(q)
    if v != v.to_integral_value() or not -2 ** 63 <= v < 2 ** 63:
        raise ValueError("cannot convert value to integer")
    return int(v)


def _is_integer(q) -> bool:
    v = _qv(q)
    return v == v.to_integral_value() and -2 ** 63 <= v < 2 ** 63


def _quantity_of(v: Decimal):
    return types.Quantity(value=str(v.normalize()) if v != v.to_integral_value() else str(int(v)))


def _add(a, b):
    return _quantity_of(_qv(a) + (Decimal(b) if isinstance(b, int) else _qv(b)))


def _sub(a, b):
    return _quantity_of(_qv(a) - (Decimal(b) if isinstance(b, int) else _qv(b)))


def _compare(a, b) -> int:
    x, y = _qv(a), _qv(b)
    return (x > y) - (x < y)


QUANTITIES = [
    _fn("quantity", ("string_to_quantity", QUANTITY, [T.STRING], False, _quantity)),
    _fn("isQuantity", ("is_quantity_string", T.BOOL, [T.STRING], False, _is_quantity)),
    _fn("sign", ("quantity_sign", T.INT, [QUANTITY], True, _sign)),
    _fn("isInteger", ("quantity_is_integer", T.BOOL, [QUANTITY], True, _is_integer)),
    _fn("asInteger", ("quantity_as_integer", T.INT, [QUANTITY], True, _as_integer)),
    _fn("asApproximateFloat", ("quantity_as_float", T.DOUBLE, [QUANTITY], True, lambda q: float(_qv(q)))),
    _fn("add", ("quantity_add", QUANTITY, [QUANTITY, QUANTITY], True, _add),
        ("quantity_add_int", QUANTITY, [QUANTITY, T.INT], True, _add)),
    _fn("sub", ("quantity_sub", QUANTITY, [QUANTITY, QUANTITY], True, _sub),
        ("quantity_sub_int", QUANTITY, [QUANTITY, T.INT], True, _sub)),
]

# -- ip and cidr (library/ip.go, library/cidr.go) --------------------------------------------------------------


def _parse_ip(text: str):
    """parseIPAddr (library/ip.go): netip.ParseAddr's errors, then no zones and no IPv4-mapped IPv6."""
    problem = netip.parse_addr_error(text)
    if problem is not None:
        raise ValueError(f"IP Address {go_q(text)} parse error during conversion from string: {problem}")
    if "%" in text:
        raise ValueError(f"IP address {go_q(text)} with zone value is not allowed")
    addr = ipaddress.ip_address(text)
    if addr.version == 6 and addr.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address {go_q(text)} is not allowed")
    return addr


def _ip(text: str):
    _parse_ip(text)
    return types.IP(value=text)


def _is_ip(text: str) -> bool:
    try:
        _parse_ip(text)
        return True
    except ValueError:
        return False


def _addr(ip):
    return ipaddress.ip_address(ip.value)


_CONVERSION = "network address parse error during conversion from string: "


def _parse_cidr(text: str):
    """parseCIDR (library/cidr.go): netip.ParsePrefix's errors, then no IPv4-mapped IPv6. The network and the
    address as written."""
    problem = netip.parse_prefix_error(text)
    if problem is not None:
        raise ValueError(_CONVERSION + problem)
    address, bits = text.rsplit("/", 1)
    addr = ipaddress.ip_address(address)
    if addr.version == 6 and addr.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address {go_q(text)} is not allowed")
    return ipaddress.ip_network(f"{address}/{int(bits)}", strict=False), addr


def _string_to_cidr(text: str):
    """stringToCIDR: parseCIDR's error with the same context added once more (upstream's tests expect it twice)."""
    try:
        return _parse_cidr(text)
    except ValueError as err:
        raise ValueError(_CONVERSION + str(err)) from None


def _cidr(text: str):
    _string_to_cidr(text)
    return types.CIDR(value=text)


def _is_cidr(text: str) -> bool:
    try:
        _parse_cidr(text)
        return True
    except ValueError:
        return False


def _contains_ip(c, ip) -> bool:
    addr = _parse_ip(ip) if isinstance(ip, str) else _addr(ip)
    return addr in _parse_cidr(c.value)[0]


def _contains_cidr(c, other) -> bool:
    net = (_string_to_cidr(other) if isinstance(other, str) else _parse_cidr(other.value))[0]
    mine = _parse_cidr(c.value)[0]
    return net.version == mine.version and net.subnet_of(mine)


IPS = [
    _fn("ip", ("string_to_ip", IP, [T.STRING], False, _ip),
        ("cidr_ip", IP, [CIDR], True, lambda c: types.IP(value=c.value.split("/")[0]))),
    _fn("isIP", ("is_ip", T.BOOL, [T.STRING], False, _is_ip)),
    _fn("ip.isCanonical", ("ip_is_canonical", T.BOOL, [T.STRING], False,
                           lambda s: str(_parse_ip(s)) == s)),
    _fn("family", ("ip_family", T.INT, [IP], True, lambda ip: _addr(ip).version)),
    _fn("isUnspecified", ("ip_is_unspecified", T.BOOL, [IP], True, lambda ip: _addr(ip).is_unspecified)),
    _fn("isLoopback", ("ip_is_loopback", T.BOOL, [IP], True, lambda ip: _addr(ip).is_loopback)),
    _fn("isLinkLocalMulticast", ("ip_is_link_local_multicast", T.BOOL, [IP], True,
                                 lambda ip: _addr(ip).is_multicast and _addr(ip).is_link_local
                                 if _addr(ip).version == 6 else _addr(ip) in ipaddress.ip_network("224.0.0.0/24"))),
    _fn("isLinkLocalUnicast", ("ip_is_link_local_unicast", T.BOOL, [IP], True,
                               lambda ip: _addr(ip).is_link_local and not _addr(ip).is_multicast)),
    _fn("isGlobalUnicast", ("ip_is_global_unicast", T.BOOL, [IP], True,
                            lambda ip: not (_addr(ip).is_unspecified or _addr(ip).is_loopback
                                            or _addr(ip).is_multicast or _addr(ip).is_link_local
                                            or str(_addr(ip)) == "255.255.255.255"))),
    _fn("cidr", ("string_to_cidr", CIDR, [T.STRING], False, _cidr)),
    _fn("isCIDR", ("is_cidr", T.BOOL, [T.STRING], False, _is_cidr)),
    _fn("containsIP", ("cidr_contains_ip_string", T.BOOL, [CIDR, T.STRING], True, _contains_ip),
        ("cidr_contains_ip_ip", T.BOOL, [CIDR, IP], True, _contains_ip)),
    _fn("containsCIDR", ("cidr_contains_cidr_string", T.BOOL, [CIDR, T.STRING], True, _contains_cidr),
        ("cidr_contains_cidr", T.BOOL, [CIDR, CIDR], True, _contains_cidr)),
    _fn("masked", ("cidr_masked", CIDR, [CIDR], True,
                   lambda c: types.CIDR(value=str(_parse_cidr(c.value)[0])))),
    _fn("prefixLength", ("cidr_prefix_length", T.INT, [CIDR], True, lambda c: _parse_cidr(c.value)[0].prefixlen)),
]


# -- overloads of functions cel-cpp itself declares: the lists library's indexOf / lastIndexOf (library/lists.go)
# beside the strings extension's, and string(ip) / string(cidr) (library/ip.go, cidr.go) beside the standard
# string(). A FunctionDecl of such a name is refused ("declared multiple times"); the Environment adds these as an
# extension after the strings extension, which merges overloads.


def _cel_equal(a, b) -> bool:
    """CEL's heterogeneous equality: numbers by value across int, uint and double, values of other types unequal."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_cel_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_cel_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _index_of(items: list, item: Any) -> int:
    return next((i for i, x in enumerate(items) if _cel_equal(x, item)), -1)


def _last_index_of(items: list, item: Any) -> int:
    return next((i for i in range(len(items) - 1, -1, -1) if _cel_equal(items[i], item)), -1)


def _address_string(value) -> str:
    """string(ip) and string(cidr): netip.Addr and netip.Prefix's String(), the address in canonical form."""
    kind = value.DESCRIPTOR.full_name
    if kind == "net.IP":
        return str(_addr(value))
    if kind != "net.CIDR":  # another opaque value reaching string() as dyn: its ConvertToType refuses, as here
        raise ValueError(f"type conversion error from '{kind}' to 'string'")
    network, address = _parse_cidr(value.value)
    return f"{address}/{network.prefixlen}"


# IP and CIDR are both messages, which cel-cpp's runtime does not tell apart, so only one string() overload can be
# registered, and in an extension an overload without implementation is bound lazily, hiding the standard string()
# overloads at run time: string(ip) is declared, and its implementation also converts a CIDR that reaches it as dyn.
BUILTIN_OVERLOADS = [
    _fn("indexOf", ("list_a_index_of_int", T.INT, [LIST, T.DYN], True, _index_of)),
    _fn("lastIndexOf", ("list_a_last_index_of_int", T.INT, [LIST, T.DYN], True, _last_index_of)),
    _fn("string", ("ip_to_string", T.STRING, [IP], False, _address_string)),
]


# -- semver (library/semverlib.go: blang/semver v4's Parse, errors in its words) -----------------------------------

_DIGITS = frozenset("0123456789")
_ALPHANUMERIC = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
_UINT64_MAX = 2 ** 64 - 1


def _parse_uint(text: str) -> int:
    """strconv.ParseUint(text, 10, 64), for text already known to hold only ASCII digits."""
    if not text:
        raise ValueError(f'strconv.ParseUint: parsing {go_q(text)}: invalid syntax')
    if int(text) > _UINT64_MAX:
        raise ValueError(f'strconv.ParseUint: parsing {go_q(text)}: value out of range')
    return int(text)


def _version_number(text: str, part: str) -> int:
    if not set(text) <= _DIGITS:
        raise ValueError(f"Invalid character(s) found in {part} number {go_q(text)}")
    if len(text) > 1 and text[0] == "0":
        raise ValueError(f"{part.capitalize()} number must not contain leading zeroes {go_q(text)}")
    return _parse_uint(text)


def _check_prerelease(identifier: str) -> None:
    if not identifier:
        raise ValueError("Prerelease is empty")
    if set(identifier) <= _DIGITS:
        if len(identifier) > 1 and identifier[0] == "0":
            raise ValueError(f"Numeric PreRelease version must not contain leading zeroes {go_q(identifier)}")
        _parse_uint(identifier)
    elif not set(identifier) <= _ALPHANUMERIC:
        raise ValueError(f"Invalid character(s) found in prerelease {go_q(identifier)}")


def _check_build(identifier: str) -> None:
    if not identifier:
        raise ValueError("Build meta data is empty")
    if not set(identifier) <= _ALPHANUMERIC:
        raise ValueError(f"Invalid character(s) found in build meta data {go_q(identifier)}")


def parse_semver(text: str):
    """semver.Parse: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], checked in blang/semver's order."""
    if not text:
        raise ValueError("Version string empty")
    parts = text.split(".", 2)
    if len(parts) != 3:
        raise ValueError("No Major.Minor.Patch elements found")
    major = _version_number(parts[0], "major")
    minor = _version_number(parts[1], "minor")
    patch, plus, build = parts[2].partition("+")
    patch, dash, prerelease = patch.partition("-")
    number = _version_number(patch, "patch")
    identifiers = prerelease.split(".") if dash else []
    for identifier in identifiers:
        _check_prerelease(identifier)
    for identifier in build.split(".") if plus else []:
        _check_build(identifier)
    return types.Semver(major=major, minor=minor, patch=number, prerelease=".".join(identifiers))


def _normalize_semver(text: str) -> str:
    """semverlib.go normalizeAndParse: no "v" prefix, no leading zeros, missing minor/patch as 0."""
    parts = text.removeprefix("v").split(".", 2)
    for i, part in enumerate(parts):
        if len(part) > 1:
            part = part.lstrip("0")
            if not part or part[0] not in _DIGITS:
                part = "0" + part
            parts[i] = part
    if len(parts) < 3:
        if any(c in "+-" for c in parts[-1]):
            raise ValueError("short version cannot contain PreRelease/Build meta data")
        parts += ["0"] * (3 - len(parts))
    return ".".join(parts)


def _semver(text: str, normalize: bool = False):
    return parse_semver(_normalize_semver(text) if normalize else text)


def _is_semver(text: str, normalize: bool = False) -> bool:
    try:
        _semver(text, normalize)
        return True
    except ValueError:
        return False


def _prerelease_key(identifier: str) -> tuple[int, int, str]:
    # numeric identifiers sort before alphanumeric ones, numbers by value, the rest by bytes
    return (0, int(identifier), "") if set(identifier) <= _DIGITS else (1, 0, identifier)


def semver_compare(a, b) -> int:
    """semver.Version.Compare: the numbers, then a release above its prereleases, then the prerelease identifiers."""
    x, y = (a.major, a.minor, a.patch), (b.major, b.minor, b.patch)
    if x != y:
        return 1 if x > y else -1
    if a.prerelease == b.prerelease:
        return 0
    if not a.prerelease or not b.prerelease:
        return 1 if not a.prerelease else -1
    left = [_prerelease_key(i) for i in a.prerelease.split(".")]
    right = [_prerelease_key(i) for i in b.prerelease.split(".")]
    return 1 if left > right else -1


def _as_int(number: int) -> int:
    # types.Int(uint64) in Go wraps past 2**63
    return number - 2 ** 64 if number >= 2 ** 63 else number


SEMVER = T("kubernetes.Semver")
SEMVERS = [
    _fn("semver", ("string_to_semver", SEMVER, [T.STRING], False, _semver),
        ("string_bool_to_semver", SEMVER, [T.STRING, T.BOOL], False, _semver)),
    _fn("isSemver", ("is_semver_string", T.BOOL, [T.STRING], False, _is_semver),
        ("is_semver_string_bool", T.BOOL, [T.STRING, T.BOOL], False, _is_semver)),
    _fn("major", ("semver_major", T.INT, [SEMVER], True, lambda v: _as_int(v.major))),
    _fn("minor", ("semver_minor", T.INT, [SEMVER], True, lambda v: _as_int(v.minor))),
    _fn("patch", ("semver_patch", T.INT, [SEMVER], True, lambda v: _as_int(v.patch))),
]


# -- format (library/format.go) --------------------------------------------------------------------------------
# validate() and format.named() return optionals, which a Python function cannot hand to cel-cpp: they return a
# map instead ({} or {"errors": [...]}, {} or {"format": f}) and the compiled expression reads it with the optional
# index `_[?_]` (with_optional_results below), which is optional.none() for the missing key as upstream's result.


def _escape_error(text: str, i: int) -> ValueError:
    return ValueError(f"invalid URL escape {go_q(text[i:i + 3])}")


def _should_escape(c: str, host: bool) -> bool:
    """net/url shouldEscape for the host (encodeHost) and path (encodePath) modes."""
    if c.isascii() and c.isalnum() or c in "-_.~":
        return False
    if host and c in "!$&'()*+,;=:[]<>\"":
        return False
    if not host and c in "$&+,/:;=@":
        return False
    return True


def _unescape(text: str, host: bool) -> None:
    """net/url unescape's checks (encodeHost or encodePath): raises its EscapeError or InvalidHostError."""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            if i + 2 >= len(text) or not all(x in "0123456789abcdefABCDEF" for x in text[i + 1:i + 3]):
                raise _escape_error(text, i)
            # a host may %-encode only non-ASCII bytes, or the "%25" of an IPv6 zone
            if host and int(text[i + 1], 16) < 8 and text[i:i + 3] != "%25":
                raise _escape_error(text, i)
            i += 3
            continue
        if host and ord(c) < 0x80 and _should_escape(c, True):
            raise ValueError(f"invalid character {go_q(c)} in host name")
        i += 1


def _valid_optional_port(port: str) -> bool:
    return port == "" or port[0] == ":" and set(port[1:]) <= _DIGITS


def _parse_host(host: str) -> None:
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            raise ValueError("missing ']' in host")
        if not _valid_optional_port(host[end + 1:]):
            raise ValueError(f"invalid port {go_q(host[end + 1:])} after host")
        zone = host.find("%25", 0, end)
        if zone >= 0:  # RFC 6874: the zone may %-encode anything a host could hold
            _unescape(host[:zone], True)
            _unescape(host[end:], True)
            return
    elif ":" in host:
        colon_port = host[host.rfind(":"):]
        if not _valid_optional_port(colon_port):
            raise ValueError(f"invalid port {go_q(colon_port)} after host")
    _unescape(host, True)


_USERINFO = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:~!$&'()*+,;=%@")


def _request_uri_problem(text: str) -> str | None:
    """Why net/url.ParseRequestURI refuses `text`, or None."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return "net/url: invalid control character in URL"
    if text == "":
        return "empty url"
    if text == "*":
        return None
    scheme, rest = "", text
    for i, c in enumerate(text):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and c.isdigit() or c in "+-.":
            if i == 0:
                break
            continue
        if c == ":":
            if i == 0:
                return "missing protocol scheme"
            scheme, rest = text[:i], text[i + 1:]
        break
    rest = rest[:-1] if rest.endswith("?") and rest.count("?") == 1 else rest.partition("?")[0]
    if not rest.startswith("/"):
        return None if scheme else "invalid URI for request"
    try:
        if scheme and rest.startswith("//"):
            authority, slash, path = rest[2:].partition("/")
            rest = slash + path
            userinfo, at, host = authority.rpartition("@")
            _parse_host(host if at else authority)
            if at and not set(userinfo) <= _USERINFO:
                return "net/url: invalid userinfo"
            if at:
                _unescape(userinfo, False)
        _unescape(rest, False)
    except ValueError as err:
        return str(err)
    return None


def _uri_errors(text: str) -> list[str]:
    problem = _request_uri_problem(text)
    return [] if problem is None else [f"parse {go_q(text)}: {problem}"]


_UUID = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\Z")  # strfmt.UUIDPattern
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})\Z")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_TIME = re.compile(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\Z")  # strfmt


def _is_date(text: str) -> bool:
    """time.Parse("2006-01-02", text) succeeds: the month 01-12 and the day within it (year 0 a leap year)."""
    m = _DATE.match(text)
    if not m:
        return False
    year, month, day = (int(g) for g in m.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def _is_datetime(text: str) -> bool:
    """strfmt.IsDateTime: a date, a "T", and a time whose fields strfmt compares as strings."""
    parts = text.lower().split("t")
    if len(text) < 4 or len(parts) < 2 or not _is_date(parts[0]):
        return False
    m = _TIME.match(parts[1])
    return bool(m) and m.group(1) <= "23" and m.group(2) <= "59" and m.group(3) <= "59"


def _check(predicate: Callable[[str], bool], message: str) -> Callable[[str], list[str]]:
    return lambda text: [] if predicate(text) else [message]


# format name -> (Format.Name, ValidateFunc, MaxRegexSize) as ConstantFormats declares them
FORMATS: dict[str, tuple[str, Callable[[str], list[str]], int]] = {
    "dns1123Label": ("DNS1123Label", lambda s: names.name_is_dns_label(s, False), 30),
    "dns1123Subdomain": ("DNS1123Subdomain", lambda s: names.name_is_dns_subdomain(s, False), 60),
    "dns1035Label": ("DNS1035Label", lambda s: names.name_is_dns1035_label(s, False), 30),
    "qualifiedName": ("QualifiedName", names.is_qualified_name, 60),
    "dns1123LabelPrefix": ("DNS1123LabelPrefix", lambda s: names.name_is_dns_label(s, True), 30),
    "dns1123SubdomainPrefix": ("DNS1123SubdomainPrefix", lambda s: names.name_is_dns_subdomain(s, True), 60),
    "dns1035LabelPrefix": ("DNS1035LabelPrefix", lambda s: names.name_is_dns1035_label(s, True), 30),
    "labelValue": ("LabelValue", names.is_label_value, 40),
    "uri": ("URI", _uri_errors, 357),  # len(govalidator.URL)
    "uuid": ("uuid", _check(_UUID.match, "does not match the UUID format"), 70),  # len(strfmt.UUIDPattern)
    "byte": ("byte", _check(_BASE64.match, "invalid base64"), 84),  # len(govalidator.Base64)
    "date": ("date", _check(_is_date, "invalid date"), 71),  # len(strfmt.DateTimePattern)
    "datetime": ("datetime", _check(_is_datetime, "invalid datetime"), 71),
}
_BY_NAME = {name: check for name, check, _ in FORMATS.values()}
MAX_FORMAT_REGEX_SIZE = max(size for _, _, size in FORMATS.values())

NAMED_FORMAT = T("kubernetes.NamedFormat")
_OPTIONAL_KEYS = {"validate": "errors", "format.named": "format"}


def _format_named(name: str) -> dict:
    if name not in FORMATS:
        return {}
    return {"format": types.NamedFormat(name=FORMATS[name][0])}


def _format_validate(f, text: str) -> dict:
    errors = _BY_NAME[f.name](text)
    return {"errors": errors} if errors else {}


def _constant_format(key: str):
    name = FORMATS[key][0]
    return _fn(f"format.{key}", (f"format.{key}", NAMED_FORMAT, [], False, lambda: types.NamedFormat(name=name)))


NAMED_FORMATS = [
    _fn("validate", ("format-validate", T.DYN, [NAMED_FORMAT, T.STRING], True, _format_validate)),
    _fn("format.named", ("format-named", T.DYN, [T.STRING], False, _format_named)),
    *(_constant_format(key) for key in FORMATS),
]


def with_optional_results(checked) -> bool:
    """Rewrite each validate() / format.named() call of a checked expression (cel.expr.CheckedExpr) into
    `call[?key]`, its optional result; True when the expression had any."""
    next_id = max(_ids(checked.expr)) + 1
    found = False
    stack = [checked.expr]
    while stack:
        e = stack.pop()
        call = e.call_expr if e.HasField("call_expr") else None
        key = _OPTIONAL_KEYS.get(call.function) if call is not None else None
        if key is not None and (call.function == "validate") == call.HasField("target"):
            e = _wrap_in_optional_index(e, key, next_id)
            next_id += 2
            found = True
        stack.extend(_children(e))
    return found


def _wrap_in_optional_index(e, key: str, next_id: int):
    """Turn `e` into `e[?key]` in place; the wrapped call, now its first argument, is returned."""
    inner = type(e)()
    inner.CopyFrom(e)
    e.Clear()
    e.id = next_id
    e.call_expr.function = "_[?_]"
    e.call_expr.args.append(inner)
    index = e.call_expr.args.add(id=next_id + 1)
    index.const_expr.string_value = key
    return e.call_expr.args[0]


def _children(e) -> list:
    if e.HasField("select_expr"):
        return [e.select_expr.operand]
    if e.HasField("call_expr"):
        return [*e.call_expr.args, *([e.call_expr.target] if e.call_expr.HasField("target") else [])]
    if e.HasField("list_expr"):
        return list(e.list_expr.elements)
    if e.HasField("struct_expr"):
        return [x for entry in e.struct_expr.entries for x in (entry.map_key, entry.value)]
    if e.HasField("comprehension_expr"):
        c = e.comprehension_expr
        return [c.iter_range, c.accu_init, c.loop_condition, c.loop_step, c.result]
    return []


def _ids(root) -> list[int]:
    ids, stack = [], [root]
    while stack:
        e = stack.pop()
        ids.append(e.id)
        stack.extend(_children(e))
    return ids


# -- image (library/image.go: go-containerregistry's name.ParseReference, as Kubernetes vendors it) ---------------

_REPOSITORY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-./")
_TAG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGEST_CHARS = frozenset("sh:0123456789abcdef")
DEFAULT_REGISTRY = "index.docker.io"


def _check_element(element: str, allowed: frozenset, shortest: int, longest: int) -> None:
    if not shortest <= len(element) <= longest or not set(element) <= allowed:
        raise ValueError(element)


def _check_registry(name: str) -> None:
    """url.Parse("//" + name) must succeed with the whole name as its host."""
    if any(c in name for c in "@?#") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise ValueError(name)
    _parse_host(name)
    if "%" in name:  # an escape would make the parsed host differ from the name
        raise ValueError(name)


def _new_repository(name: str) -> tuple[str, str]:
    """name.NewRepository: (registry, repository), Docker Hub's when the first part names no host."""
    if not name:
        raise ValueError(name)
    registry, repository = "", name
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first):
        registry, repository = first, rest
    _check_element(repository, _REPOSITORY_CHARS, 2, 255)
    _check_registry(registry)
    if registry in ("", "docker.io"):
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and "/" not in repository:
        repository = "library/" + repository  # Docker Hub's official images
    return registry, repository


def _new_tag(name: str) -> tuple[str, str, str]:
    """name.NewTag: (registry, repository, tag), the tag "latest" when none is given."""
    base, tag = name, ""
    parts = name.split(":")
    if len(parts) > 1 and "/" not in parts[-1]:  # not a registry's port
        base, tag = ":".join(parts[:-1]), parts[-1]
    if tag:
        _check_element(tag, _TAG_CHARS, 1, 128)
    return (*_new_repository(base), tag or "latest")


def _new_digest(name: str) -> tuple[str, str, str]:
    """name.NewDigest: (registry, repository, digest); a tag beside the digest is dropped."""
    parts = name.split("@")
    if len(parts) != 2:
        raise ValueError(name)
    base, digest = parts
    _check_element(digest, _DIGEST_CHARS, 7 + 64, 7 + 64)
    try:
        registry, repository, _ = _new_tag(base)
        base = f"{registry}/{repository}"
    except ValueError:
        pass
    return (*_new_repository(base), digest)


def parse_image(text: str):
    """name.ParseReference: a tag reference if the text is one, else a digest reference (ConvertToImageRef)."""
    try:
        registry, repository, tag = _new_tag(text)
        return types.Image(image=text, registry=registry, repository=repository, identifier=tag, tag=tag)
    except ValueError:
        pass
    try:
        registry, repository, digest = _new_digest(text)
        return types.Image(image=text, registry=registry, repository=repository, identifier=digest, digest=digest)
    except ValueError:
        raise ValueError(f"could not parse reference: {text}") from None


def _is_image(text: str) -> bool:
    try:
        parse_image(text)
        return True
    except ValueError:
        return False


IMAGE = T("kubernetes.Image")
IMAGES = [
    _fn("image", ("string_to_image", IMAGE, [T.STRING], False, parse_image)),
    _fn("isImage", ("is_image_string", T.BOOL, [T.STRING], False, _is_image)),
    _fn("containsDigest", ("image_contains_digest", T.BOOL, [IMAGE], True, lambda i: bool(i.digest))),
    _fn("registry", ("image_registry", T.STRING, [IMAGE], True, lambda i: i.registry)),
    _fn("repository", ("image_repository", T.STRING, [IMAGE], True, lambda i: i.repository)),
    _fn("identifier", ("image_identifier", T.STRING, [IMAGE], True, lambda i: i.identifier)),
    _fn("tag", ("image_tag", T.STRING, [IMAGE], True, lambda i: i.tag)),
    _fn("digest", ("image_digest", T.STRING, [IMAGE], True, lambda i: i.digest)),
]


# -- compareTo / isGreaterThan / isLessThan of quantities and semvers ------------------------------------------
# cel-cpp's runtime keys a Python overload by its arguments' kinds, and both types are messages: the Quantity
# overloads carry the one implementation, which tells the types apart; the Semver ones only declare the signature.

_COMPARATORS: dict[str, Callable[[Any, Any], int]] = {"kubernetes.Quantity": _compare,
                                                      "kubernetes.Semver": semver_compare}


def _compare_to(a, b) -> int:
    kind = a.DESCRIPTOR.full_name
    if b.DESCRIPTOR.full_name != kind:  # only reachable through dyn, where cel-go finds no overload either
        raise ValueError("no such overload")
    return _COMPARATORS[kind](a, b)


ORDERING = [
    _fn("compareTo", ("quantity_compare_to", T.INT, [QUANTITY, QUANTITY], True, _compare_to),
        ("semver_compare_to", T.INT, [SEMVER, SEMVER], True, None)),
    _fn("isGreaterThan", ("quantity_is_greater_than", T.BOOL, [QUANTITY, QUANTITY], True,
                          lambda a, b: _compare_to(a, b) == 1),
        ("semver_is_greater_than", T.BOOL, [SEMVER, SEMVER], True, None)),
    _fn("isLessThan", ("quantity_is_less_than", T.BOOL, [QUANTITY, QUANTITY], True,
                       lambda a, b: _compare_to(a, b) == -1),
        ("semver_is_less_than", T.BOOL, [SEMVER, SEMVER], True, None)),
]


def authz_functions(check: Callable[..., Any], service_account: Callable[..., Any]) -> list:
    """library/authz.go. `check(resource_or_path_check, verb)` asks the evaluation's authorizer."""
    return [
        _fn("path", ("authorizer_path", PATH_CHECK, [AUTHORIZER, T.STRING], True,
                     lambda a, p: types.ResourceCheck(handle=a.handle, username=a.username, path=p))),
        _fn("group", ("authorizer_group", GROUP_CHECK, [AUTHORIZER, T.STRING], True,
                      lambda a, g: types.GroupCheck(handle=a.handle, username=a.username, group=g))),
        _fn("serviceAccount", ("authorizer_serviceaccount", AUTHORIZER, [AUTHORIZER, T.STRING, T.STRING], True,
                               service_account)),
        _fn("resource", ("groupcheck_resource", RESOURCE_CHECK, [GROUP_CHECK, T.STRING], True,
                         lambda g, r: types.ResourceCheck(handle=g.handle, username=g.username, group=g.group,
                                                          resource=r))),
        _fn("subresource", ("resourcecheck_subresource", RESOURCE_CHECK, [RESOURCE_CHECK, T.STRING], True,
                            lambda r, s: _with(r, subresource=s))),
        _fn("namespace", ("resourcecheck_namespace", RESOURCE_CHECK, [RESOURCE_CHECK, T.STRING], True,
                          lambda r, s: _with(r, namespace=s))),
        _fn("name", ("resourcecheck_name", RESOURCE_CHECK, [RESOURCE_CHECK, T.STRING], True,
                     lambda r, s: _with(r, name=s))),
        _fn("check", ("resourcecheck_check", DECISION, [RESOURCE_CHECK, T.STRING], True, check)),
        _fn("allowed", ("decision_allowed", T.BOOL, [DECISION], True, lambda d: d.allowed)),
        _fn("reason", ("decision_reason", T.STRING, [DECISION], True, lambda d: d.reason)),
        _fn("errored", ("decision_errored", T.BOOL, [DECISION], True, lambda d: bool(d.error))),
        _fn("error", ("decision_error", T.STRING, [DECISION], True, lambda d: d.error)),
    ]


def _with(check, **changes):
    copy = types.ResourceCheck()
    copy.CopyFrom(check)
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


KUBERNETES = LISTS + REGEX + URLS + QUANTITIES + IPS + SEMVERS + ORDERING + NAMED_FORMATS + IMAGES
