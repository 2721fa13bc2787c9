"""Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library): lists, regex, url, quantity, ip, cidr and
authz, declared for cel-cpp with Python implementations. The CEL standard library, the strings extension
(split, join, lowerAscii, format, quote, ...), sets, two-variable comprehensions and optionals come with cel-cpp.

Not provided: the lists library's `indexOf` / `lastIndexOf` (cel-cpp refuses to overload the strings
extension's functions of those names from Python), `string(ip)` / `string(cidr)` (nor new overloads of the
built-in `string`), and the semver (1.33), image (1.33) and format (1.31) libraries of the base environment.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from decimal import Decimal
from typing import Any, Callable

from cel_expr_python import cel

from kauth.admission.cel import types
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
    # Kubernetes refuses IPv4-mapped IPv6 and zones (netip.ParseAddr plus its own checks).
    if "%" in text:
        raise ValueError("IP address with zone value is not allowed")
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f"IP Address {go_q(text)} parse error during conversion from string: "
                         f"ParseAddr({go_q(text)}): unable to parse IP") from None
    if addr.version == 6 and addr.ipv4_mapped is not None:
        raise ValueError("IPv4-mapped IPv6 address is not allowed")
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


def _parse_cidr(text: str):
    try:
        return ipaddress.ip_network(text, strict=False), ipaddress.ip_address(text.split("/")[0])
    except ValueError:
        raise ValueError(f"network address parse error during conversion from string: "
                         f"netip.ParsePrefix({go_q(text)}): bad prefix") from None


def _cidr(text: str):
    _parse_cidr(text)
    return types.CIDR(value=text)


def _is_cidr(text: str) -> bool:
    try:
        _parse_cidr(text)
        return "/" in text
    except ValueError:
        return False


def _contains_ip(c, ip) -> bool:
    addr = _parse_ip(ip) if isinstance(ip, str) else _addr(ip)
    return addr in _parse_cidr(c.value)[0]


def _contains_cidr(c, other) -> bool:
    net = _parse_cidr(other if isinstance(other, str) else other.value)[0]
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


KUBERNETES = LISTS + REGEX + URLS + QUANTITIES + IPS + SEMVERS + ORDERING
