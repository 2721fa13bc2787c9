"""Names, labels and object metadata, checked as apimachinery checks them, with its exact messages.

Upstream sources (kubernetes/kubernetes):
- staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go: the Is* checks (DNS names, ports,
  config keys, env var names, percents) and the message helpers MaxLenError, RegexError, EmptyError.
- staging/src/k8s.io/apimachinery/pkg/api/validate/content/{kube,path}.go: label keys (qualified names),
  label values, path segment names.
- staging/src/k8s.io/apimachinery/pkg/api/validation/{generic,objectmeta}.go: the name functions
  (NameIsDNSSubdomain & co, with their prefix handling) and ValidateObjectMeta / ValidateObjectMetaUpdate.
- staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go: labels, label selectors.
- pkg/apis/core/validation/validation.go: the extra finalizer-name check of built-in kinds.

Each Is* function returns the list of problems as Go does (an empty list means valid). Map keys are
visited in sorted order, where Go's map iteration is random, so errors come out deterministically.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable, Iterable, Mapping

from kauth.api.errors import (
    FieldError,
    GoRepr,
    field_invalid,
    forbidden,
    required,
    too_long,
)

# MaxLenError says "characters" in util/validation (the wording of every released apiserver so far).
_LENGTH_UNIT = "characters"


def parse_group_version(text: str) -> tuple[str, str] | None:
    """schema.ParseGroupVersion: `v1` -> ("", "v1"), `apps/v1` -> ("apps", "v1"), "" -> ("", ""); None when the
    text has more than one slash (Go's `unexpected GroupVersion string: <text>`)."""
    if text in ("", "/"):
        return "", ""
    slashes = text.count("/")
    if slashes == 0:
        return "", text
    if slashes == 1:
        group, version = text.split("/")
        return group, version
    return None


def max_len_error(length: int) -> str:
    return f"must be no more than {length} {_LENGTH_UNIT}"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def empty_error() -> str:
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern})\\Z")


# --- DNS names --------------------------------------------------------------------------------------

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                     "and must start and end with an alphanumeric character")
DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                         "'-' or '.', and must start and end with an alphanumeric character")
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                     "alphabetic character, and end with an alphanumeric character")
DNS1035_LABEL_MAX = 63
WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT
WILDCARD_DNS1123_SUBDOMAIN_ERR = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
                                  "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' "
                                  "and end with an alphanumeric character")

_dns1123_label = _full(DNS1123_LABEL_FMT)
_dns1123_subdomain = _full(DNS1123_SUBDOMAIN_FMT)
_dns1035_label = _full(DNS1035_LABEL_FMT)
_wildcard_subdomain = _full(WILDCARD_DNS1123_SUBDOMAIN_FMT)


def _bytes(value: str) -> int:
    """len() of a Go string counts UTF-8 bytes."""
    return len(value.encode("utf-8"))


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if _bytes(value) > DNS1123_LABEL_MAX:
        errs.append(max_len_error(DNS1123_LABEL_MAX))
    if not _dns1123_label.match(value):
        if _dns1123_subdomain.match(value):
            # A valid subdomain but not a valid label: since the length was checked, it must be dots.
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if _bytes(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX))
    if not _dns1123_subdomain.match(value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if _bytes(value) > DNS1035_LABEL_MAX:
        errs.append(max_len_error(DNS1035_LABEL_MAX))
    if not _dns1035_label.match(value):
        errs.append(regex_error(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if _bytes(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX))
    if not _wildcard_subdomain.match(value):
        errs.append(regex_error(WILDCARD_DNS1123_SUBDOMAIN_ERR, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"))
    return errs


# --- path segments (names of RBAC objects; content.IsPathSegmentName) ----------------------------------


def is_path_segment_name(name: str) -> list[str]:
    for illegal in (".", ".."):
        if name == illegal:
            return [f"may not be '{illegal}'"]
    return is_path_segment_prefix(name)


def is_path_segment_prefix(name: str) -> list[str]:
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


# --- label keys and values -------------------------------------------------------------------------

LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_KEY_ERR = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character")
LABEL_KEY_MAX = 63
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
LABEL_VALUE_ERR = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character")
LABEL_VALUE_MAX = 63

_label_key = _full(LABEL_KEY_FMT)
_label_value = _full(LABEL_VALUE_FMT)


def is_qualified_name(value: str) -> list[str]:
    """A label key (what Kubernetes calls a qualified name): an optional DNS subdomain prefix and '/', then a name."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return ["a valid label key " + regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part " + empty_error())
    elif _bytes(name) > LABEL_KEY_MAX:
        errs.append("name part " + max_len_error(LABEL_KEY_MAX))
    if not _label_key.match(name):
        errs.append("name part " + regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


is_label_key = is_qualified_name


def is_label_value(value: str) -> list[str]:
    errs = []
    if _bytes(value) > LABEL_VALUE_MAX:
        errs.append(max_len_error(LABEL_VALUE_MAX))
    if not _label_value.match(value):
        errs.append(regex_error(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- other formats ---------------------------------------------------------------------------------


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


_MAX_ID = 0xFFFFFFFF


def is_valid_user_id(uid: int) -> list[str]:
    return [] if 0 <= uid <= _MAX_ID else [inclusive_range_error(0, _MAX_ID)]


is_valid_group_id = is_valid_user_id

_port_name_charset = re.compile(r"[-a-z0-9]+\Z")
_port_name_letter = re.compile(r"[a-z]")


def is_valid_port_name(port: str) -> list[str]:
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _port_name_charset.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _port_name_letter.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


PERCENT_FMT = "[0-9]+%"
_percent = _full(PERCENT_FMT)


def is_valid_percent(percent: str) -> list[str]:
    if _percent.match(percent):
        return []
    return [regex_error("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT,
                        "1%", "93%")]


HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"
_http_header_name = _full(HTTP_HEADER_NAME_FMT)


def is_http_header_name(value: str) -> list[str]:
    if _http_header_name.match(value):
        return []
    return [regex_error("a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT,
                        "X-Header-Name")]


ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_env_var_name = _full(ENV_VAR_NAME_FMT)


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_env_var_name(value: str) -> list[str]:
    errs = []
    if not _env_var_name.match(value):
        errs.append(regex_error("a valid environment variable name must consist of alphabetic characters, digits, "
                                "'_', '-', or '.', and must not start with a digit", ENV_VAR_NAME_FMT,
                                "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _chdir_prefix(value)


def is_relaxed_env_var_name(value: str) -> list[str]:
    """The env var name rule of current API servers (RelaxedEnvironmentVariableValidation is GA)."""
    errs = []
    if not value:
        errs.append("environment variable name " + empty_error())
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            errs.append("a valid environment variable name must consist only of printable ASCII characters "
                        "other than '='")
            break
    return errs


CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_config_map_key = _full(CONFIG_MAP_KEY_FMT)


def is_config_map_key(value: str) -> list[str]:
    errs = []
    if _bytes(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX))
    if not _config_map_key.match(value):
        errs.append(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _chdir_prefix(value)


def parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """netutils.ParseIPSloppy: like net.ParseIP, but IPv4 parts may have leading zeros."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    parts = value.split(".")
    if len(parts) == 4 and all(p.isdigit() and p.isascii() for p in parts) and all(int(p) < 256 for p in parts):
        return ipaddress.IPv4Address(".".join(str(int(p)) for p in parts))
    return None


def is_valid_ip(path: str, value: str) -> list[FieldError]:
    if parse_ip_sloppy(value) is None:
        return [field_invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_http_path = _full(HTTP_PATH_FMT)


def is_domain_prefixed_path(path: str, value: str) -> list[FieldError]:
    if not value:
        return [required(path)]
    segments = value.split("/", 1)
    if len(segments) != 2 or not segments[0] or not segments[1]:
        return [field_invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")")]
    host, rest = segments
    errs = [field_invalid(path, host, m) for m in is_dns1123_subdomain(host)]
    if not _http_path.match(rest):
        errs.append(field_invalid(path, rest, regex_error("Invalid path", HTTP_PATH_FMT)))
    return errs


# --- name functions (ValidateNameFunc) -------------------------------------------------------------

NameFunc = Callable[[str, bool], list[str]]


def _mask_trailing_dash(name: str) -> str:
    # Upstream replaces the last *two* characters; kept as is.
    if name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


def name_is_path_segment(name: str, prefix: bool = False) -> list[str]:
    """minimalNameRequirements of RBAC objects: only what would break a URL path."""
    return is_path_segment_name(name)


def _any_name(name: str, prefix: bool = False) -> list[str]:
    """Kinds whose validation does not check the name's format (name_rule "")."""
    return []


validate_namespace_name = name_is_dns_label

NAME_RULES: dict[str, NameFunc] = {
    "subdomain": name_is_dns_subdomain,
    "label": name_is_dns_label,
    "label1035": name_is_dns1035_label,
    "path": name_is_path_segment,
}


# --- Go %#v rendering of the composite values shown in messages --------------------------------------


def go_quote(value: str) -> str:
    """Go's %q of a string."""
    out = []
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) >= 0x80 else f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def go_string_map(value: Mapping[str, Any] | None, type_name: str = "map[string]string") -> GoRepr:
    """%#v of a map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`."""
    if not isinstance(value, Mapping):
        return GoRepr(f"{type_name}(nil)")
    items = ", ".join(f"{go_quote(str(k))}:{go_quote(_str(v))}" for k, v in sorted(value.items()))
    return GoRepr(f"{type_name}{{{items}}}")


def go_string_slice(value: Iterable[Any] | None, type_name: str = "[]string") -> GoRepr:
    if not isinstance(value, (list, tuple)):
        return GoRepr(f"{type_name}(nil)")
    return GoRepr(f"{type_name}{{" + ", ".join(go_quote(_str(v)) for v in value) + "}")


def go_label_selector(selector: Mapping[str, Any] | None) -> GoRepr:
    """%#v of a metav1.LabelSelector (the pointer dereferenced, as field errors do)."""
    if not isinstance(selector, Mapping):
        return GoRepr("null")
    labels = go_string_map(selector.get("matchLabels"))
    exprs = selector.get("matchExpressions")
    if not isinstance(exprs, list):
        rendered = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = []
        for e in exprs:
            e = _map(e)
            items.append(f"v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get('key', '')))}, "
                         f"Operator:{go_quote(str(e.get('operator', '')))}, "
                         f"Values:{go_string_slice(e.get('values'))}}}")
        rendered = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    return GoRepr(f"v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{rendered}}}")


def _go_bool_ptr(value: Any) -> str:
    return "(*bool)(nil)" if value is None else "(*bool)(0xc000000000)"


def go_owner_reference(ref: Mapping[str, Any]) -> str:
    return (f"v1.OwnerReference{{APIVersion:{go_quote(str(ref.get('apiVersion', '')))}, "
            f"Kind:{go_quote(str(ref.get('kind', '')))}, Name:{go_quote(str(ref.get('name', '')))}, "
            f"UID:{go_quote(str(ref.get('uid', '')))}, Controller:{_go_bool_ptr(ref.get('controller'))}, "
            f"BlockOwnerDeletion:{_go_bool_ptr(ref.get('blockOwnerDeletion'))}}}")


# --- labels, annotations, selectors, owner references, finalizers ------------------------------------
# Wrongly typed fields (a string where a map belongs) are a decoding error upstream, reported before
# validation; here they are read as empty so validation never fails on them.


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return "" if value is None else str(value)

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * (1 << 10)
IS_NEGATIVE_ERROR = "must be greater than or equal to 0"
FIELD_IMMUTABLE = "field is immutable"


def validate_label_name(name: str, path: str) -> list[FieldError]:
    return [field_invalid(path, name, m) for m in is_qualified_name(name)]


def validate_labels(labels: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key, value in sorted(_map(labels).items()):
        errs.extend(validate_label_name(str(key), path))
        value = "" if value is None else str(value)
        errs.extend(field_invalid(path, value, m) for m in is_label_value(value))
    return errs


def validate_annotations(annotations: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    total = 0
    for key, value in sorted(_map(annotations).items()):
        key = str(key)
        # The rule is QualifiedName except that case doesn't matter.
        errs.extend(field_invalid(path, key, m) for m in is_qualified_name(key.lower()))
        total += _bytes(key) + _bytes(_str(value))
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_label_selector(selector: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    """metav1 ValidateLabelSelector (strict: label values in matchLabels must be valid)."""
    if not isinstance(selector, Mapping):
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(_list(selector.get("matchExpressions"))):
        errs.extend(validate_label_selector_requirement(_map(req), f"{path}.matchExpressions[{i}]"))
    return errs


def validate_label_selector_requirement(req: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    op = _str(req.get("operator"))
    values = _list(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden(f"{path}.values",
                                  "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errs.append(field_invalid(f"{path}.operator", op, "not a valid selector operator"))
    errs.extend(validate_label_name(_str(req.get("key")), f"{path}.key"))
    return errs


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, Any] | None) -> bool:
    """metav1.LabelSelectorAsSelector(selector).Matches(labels); a nil selector matches nothing."""
    if not isinstance(selector, Mapping):
        return False
    labels = {k: _str(v) for k, v in _map(labels).items()}
    for key, value in _map(selector.get("matchLabels")).items():
        if labels.get(key) != _str(value):
            return False
    for req in _list(selector.get("matchExpressions")):
        req = _map(req)
        key, op, values = req.get("key"), req.get("operator"), [_str(v) for v in _list(req.get("values"))]
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def selector_is_empty(selector: Mapping[str, Any] | None) -> bool:
    return isinstance(selector, Mapping) and not selector.get("matchLabels") and not selector.get("matchExpressions")


def _parse_group_version(api_version: str) -> tuple[str, str] | None:
    if not api_version:
        return "", ""
    if api_version == "v1":
        return "", "v1"
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def validate_owner_references(refs: list[Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    first_controller = ""
    refs = _list(refs)
    for ref in refs:
        ref = _map(ref)
        gv = _parse_group_version(str(ref.get("apiVersion", "")))
        group, version = gv if gv is not None else ("", "")
        kind = str(ref.get("kind", ""))
        if not version:
            errs.append(field_invalid(f"{path}.apiVersion", str(ref.get("apiVersion", "")),
                                      "version must not be empty"))
        if not kind:
            errs.append(field_invalid(f"{path}.kind", kind, "must not be empty"))
        if not ref.get("name"):
            errs.append(field_invalid(f"{path}.name", str(ref.get("name", "")), "must not be empty"))
        if not ref.get("uid"):
            errs.append(field_invalid(f"{path}.uid", str(ref.get("uid", "")), "must not be empty"))
        if (group, version, kind) == ("", "v1", "Event"):
            errs.append(field_invalid(path, GoRepr(go_owner_reference(ref)),
                                      "/v1, Kind=Event is disallowed from being an owner"))
        if ref.get("controller") is True:
            current = f"{kind}/{ref.get('name', '')}"
            if first_controller:
                rendered = GoRepr("[]v1.OwnerReference{" + ", ".join(go_owner_reference(_map(r)) for r in refs)
                                  + "}")
                errs.append(field_invalid(path, rendered,
                                          "Only one reference can have Controller set to true. Found \"true\" in "
                                          f"references for {first_controller} and {current}"))
            else:
                first_controller = current
    return errs


_STANDARD_FINALIZERS = {"kubernetes", "orphan", "foregroundDeletion"}


def validate_finalizers(finalizers: list[Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names = [_str(f) for f in _list(finalizers)]
    for name in names:
        errs.extend(field_invalid(path, name, m) for m in is_qualified_name(name))
    if "orphan" in names and "foregroundDeletion" in names:
        errs.append(field_invalid(path, GoRepr(go_string_slice(names)),
                                  "finalizer orphan and foregroundDeletion cannot be both set"))
    return errs


def validate_kube_finalizer_name(name: str, path: str) -> list[FieldError]:
    """Built-in kinds also want a standard name or a fully qualified one (core validateKubeFinalizerName)."""
    if "/" not in name and name not in _STANDARD_FINALIZERS:
        return [field_invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")]
    return []


def validate_nonnegative(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return [field_invalid(path, value, IS_NEGATIVE_ERROR)]
    return []


def validate_immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    """ValidateImmutableField; the bad value is the new one (callers render composites with GoRepr)."""
    if new != old:
        return [field_invalid(path, new, FIELD_IMMUTABLE)]
    return []


# --- ObjectMeta ------------------------------------------------------------------------------------


def validate_object_meta(rt: Any, obj: Mapping[str, Any], old: Mapping[str, Any] | None = None) -> list[FieldError]:
    """ValidateObjectMeta on create, ValidateObjectMetaUpdate on update, for a kind of the resource table.

    `rt` needs `namespaced`, `name_rule` ("" when the kind does not check the name's format) and `is_custom`. Built-in kinds also get the finalizer-name check
    of pkg/apis/core/validation; custom resources do not (apiextensions calls apimachinery directly).
    """
    meta = _map(obj.get("metadata"))
    if tuple(getattr(rt, "verbs", ())) == ("create",):
        return []  # reviews and bindings are never stored; their validation ignores metadata
    if old is None:
        rule = getattr(rt, "name_rule", "subdomain")
        errs = _validate_create_meta(meta, bool(getattr(rt, "namespaced", True)), NAME_RULES.get(rule, _any_name))
    else:
        errs = _validate_update_meta(meta, _map(old.get("metadata")))
    if not getattr(rt, "is_custom", False):
        for i, name in enumerate(_list(meta.get("finalizers"))):
            errs.extend(validate_kube_finalizer_name(str(name), f"metadata.finalizers[{i}]"))
    return errs


def _validate_create_meta(meta: Mapping[str, Any], namespaced: bool, name_fn: NameFunc) -> list[FieldError]:
    errs: list[FieldError] = []
    generate_name = _str(meta.get("generateName"))
    name = _str(meta.get("name"))
    if generate_name:
        errs.extend(field_invalid("metadata.generateName", generate_name, m) for m in name_fn(generate_name, True))
    if not name:
        if not generate_name:
            # The API server generates the name from generateName before validating.
            errs.append(required("metadata.name", "name or generateName is required"))
    else:
        errs.extend(field_invalid("metadata.name", name, m) for m in name_fn(name, False))
    errs.extend(_validate_meta_common(meta, namespaced))
    return errs


def _validate_meta_common(meta: Mapping[str, Any], namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    namespace = str(meta.get("namespace") or "")
    if namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(field_invalid("metadata.namespace", namespace, m)
                        for m in validate_namespace_name(namespace, False))
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    errs.extend(validate_nonnegative(meta.get("generation", 0), "metadata.generation"))
    errs.extend(_validate_labels_annotations_owners(meta))
    errs.extend(validate_finalizers(meta.get("finalizers"), "metadata.finalizers"))
    errs.extend(_validate_managed_fields(meta.get("managedFields")))
    return errs


def _validate_labels_annotations_owners(meta: Mapping[str, Any]) -> list[FieldError]:
    errs = validate_labels(meta.get("labels"), "metadata.labels")
    errs.extend(validate_annotations(meta.get("annotations"), "metadata.annotations"))
    errs.extend(validate_owner_references(meta.get("ownerReferences"), "metadata.ownerReferences"))
    return errs


def _validate_managed_fields(entries: list[Any] | None) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, entry in enumerate(_list(entries)):
        entry = _map(entry)
        path = f"metadata.managedFields[{i}]"
        if entry.get("operation") not in ("Apply", "Update"):
            errs.append(field_invalid(f"{path}.operation", str(entry.get("operation", "")),
                                      "must be `Apply` or `Update`"))
        fields_type = entry.get("fieldsType") or ""
        if fields_type and fields_type != "FieldsV1":
            errs.append(field_invalid(f"{path}.fieldsType", fields_type, "must be `FieldsV1`"))
    return errs


def _validate_update_meta(meta: Mapping[str, Any], old_meta: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    if old_meta.get("deletionTimestamp"):
        extra = sorted({_str(f) for f in _list(meta.get("finalizers"))} - {_str(f) for f in _list(old_meta.get("finalizers"))})
        if extra:
            errs.append(forbidden("metadata.finalizers", "no new finalizers can be added if the object is being "
                                  f"deleted, found new finalizers {go_string_slice(extra)}"))
    # resourceVersion ("must be specified for an update") is the API server's business: it fills it in
    # for unconditional updates before validating.
    generation, old_generation = meta.get("generation") or 0, old_meta.get("generation") or 0
    if isinstance(generation, int) and isinstance(old_generation, int) and generation < old_generation:
        errs.append(field_invalid("metadata.generation", generation, "must not be decremented"))
    errs.extend(validate_immutable(str(meta.get("name") or ""), str(old_meta.get("name") or ""), "metadata.name"))
    errs.extend(validate_immutable(str(meta.get("namespace") or ""), str(old_meta.get("namespace") or ""),
                                   "metadata.namespace"))
    # rest.BeforeUpdate copies an omitted uid and creationTimestamp from the stored object.
    for key in ("uid", "creationTimestamp"):
        if meta.get(key):
            errs.extend(validate_immutable(meta.get(key), old_meta.get(key), f"metadata.{key}"))
    for key in ("deletionTimestamp", "deletionGracePeriodSeconds"):
        errs.extend(validate_immutable(meta.get(key), old_meta.get(key), f"metadata.{key}"))
    errs.extend(_validate_labels_annotations_owners(meta))
    errs.extend(_validate_managed_fields(meta.get("managedFields")))
    return errs


__all__ = [
    "is_dns1123_label", "is_dns1123_subdomain", "is_dns1035_label", "is_wildcard_dns1123_subdomain",
    "is_path_segment_name", "is_path_segment_prefix", "is_qualified_name", "is_label_key", "is_label_value",
    "is_valid_port_num", "is_valid_port_name", "is_config_map_key", "is_env_var_name", "is_relaxed_env_var_name",
    "is_valid_percent", "is_http_header_name", "is_valid_ip", "is_domain_prefixed_path",
    "name_is_dns_subdomain", "name_is_dns_label", "name_is_dns1035_label", "name_is_path_segment", "NAME_RULES",
    "validate_labels", "validate_label_name", "validate_annotations", "validate_label_selector",
    "validate_owner_references", "validate_finalizers", "validate_object_meta", "selector_matches",
]
