"""Errors of kauth.patch, carrying the exact text Kubernetes prints, and the Go formatting behind it.

Upstream messages embed Go values formatted with `%v` (`map[image:x]`), Go type names
(`expected a []interface {}, but received a string`) and, for conflicts, sigs.k8s.io/yaml output.
The helpers here reproduce those renderings for JSON-like Python values.
"""

from __future__ import annotations

import functools
from typing import Any

import yaml

from kauth.api.gofloat import go_float

# HTTP status kube-apiserver answers with. A plain Go error (no Status) becomes 500 with reason "".
BAD_REQUEST = 400
UNPROCESSABLE = 422
TOO_LARGE = 413
INTERNAL = 500


class PatchError(ValueError):
    """A patch could not be made or applied.

    `str(e)` is the upstream message; `code` is the HTTP status kube-apiserver answers with
    (400 BadRequest, 422 Invalid, 413, or 500 for a plain Go error, reason "").
    """

    def __init__(self, message: str, code: int = INTERNAL):
        super().__init__(message)
        self.message = message
        self.code = code


class ConflictError(PatchError):
    """mergepatch.ErrConflict: `kubectl apply --overwrite=false` found live changes the patch overwrites."""


class PreconditionFailedError(PatchError):
    """mergepatch.ErrPreconditionFailed: the patch changes a key a precondition forbids (apiVersion, kind, name)."""


# -- messages of k8s.io/apimachinery/pkg/util/mergepatch/errors.go ---------------------------

def go_panic(message: str) -> PatchError:
    """A Go runtime panic in the library where nothing recovers it (kubectl): the process dies and
    prints `panic: ` and the message first, then the goroutine traces."""
    return PatchError(f"panic: {message}", INTERNAL)


def bad_json_doc() -> PatchError:
    return PatchError("invalid JSON document", BAD_REQUEST)


def no_list_of_lists() -> PatchError:
    return PatchError("lists of lists are not supported", UNPROCESSABLE)


def bad_patch_format_for_primitive_list() -> PatchError:
    return PatchError("invalid patch format of primitive list", BAD_REQUEST)


def bad_patch_format_for_retain_keys() -> PatchError:
    return PatchError("invalid patch format of retainKeys", BAD_REQUEST)


def bad_patch_format_for_set_element_order_list() -> PatchError:
    return PatchError("invalid patch format of setElementOrder list", BAD_REQUEST)


def no_merge_key(m: dict, key: str) -> PatchError:
    return PatchError(f"map: {go_sprint(m)} does not contain declared merge key: {key}")


def bad_arg_type(expected: str, actual: Any) -> PatchError:
    """ErrBadArgType: `expected` is the Go type name of the wanted value."""
    return PatchError(f"expected a {expected}, but received a {go_type_name(actual)}")


def bad_patch_type(directive: Any, m: dict) -> PatchError:
    return PatchError(f"unknown patch type: {go_sprint(directive, 's')} in map: {go_sprint(m)}")


def precondition_failed(patch: dict) -> PreconditionFailedError:
    return PreconditionFailedError(f"precondition failed for: {go_sprint(patch)}")


def conflict(patch: Any, changed: Any) -> ConflictError:
    return ConflictError(f"patch:\n{to_yaml(patch)}\nconflicts with changes made from original to current:\n{to_yaml(changed)}\n")


# -- Go rendering of JSON values ---------------------------------------------------------------

MAP = "map[string]interface {}"
SLICE = "[]interface {}"


def go_type_name(value: Any) -> str:
    """reflect.TypeOf(v).String() for a value decoded by k8s.io/apimachinery/pkg/util/json."""
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return MAP
    if isinstance(value, list):
        return SLICE
    return type(value).__name__


def go_slice(value: Any) -> str:
    """Go's %v of a []string struct field, read from JSON: absent or null is an empty slice, `[]`."""
    return go_sprint(value if isinstance(value, list) else [])


def go_sprint(value: Any, verb: str = "v") -> str:
    """fmt.Sprintf("%v", value) (or "%s") for a JSON-like value: `map[a:1 b:[x y]]`."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k], verb)}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v, verb) for v in value) + "]"
    if verb == "s" and not isinstance(value, str):
        if value is None:
            return "%!s(<nil>)"
        return f"%!s({go_type_name(value)}={go_sprint(value)})"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


# -- sigs.k8s.io/yaml.Marshal (go-yaml v2 underneath) ------------------------------------------

def _yaml_key_less(a: str, b: str) -> bool:
    """go-yaml v2 keyList.Less: non-letters before letters, digit runs compared as numbers."""
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai])
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


class _GoYamlDumper(yaml.SafeDumper):
    pass


class _Sorted(dict):
    """A mapping already in go-yaml's key order."""


def _represent_sorted(dumper: yaml.SafeDumper, data: _Sorted):
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(data.items()))


def _represent_str(dumper: yaml.SafeDumper, data: str):
    # go-yaml v2: multi-line strings use the literal style, strings that would not read back
    # as strings are double-quoted.
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    node = dumper.represent_scalar("tag:yaml.org,2002:str", data)
    implicit = dumper.resolve(yaml.ScalarNode, data, (True, False))
    if implicit != "tag:yaml.org,2002:str" or data == "" or data.lower() in ("y", "n"):
        node.style = '"'
    return node


def _represent_float(dumper: yaml.SafeDumper, data: float):
    return dumper.represent_scalar("tag:yaml.org,2002:float", go_float(data))


_GoYamlDumper.add_representer(_Sorted, _represent_sorted)
_GoYamlDumper.add_representer(str, _represent_str)
_GoYamlDumper.add_representer(float, _represent_float)


def _yaml_key_cmp(a: str, b: str) -> int:
    return -1 if _yaml_key_less(a, b) else (1 if _yaml_key_less(b, a) else 0)


def _go_sorted(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=functools.cmp_to_key(_yaml_key_cmp))
        return _Sorted((k, _go_sorted(value[k])) for k in keys)
    if isinstance(value, list):
        return [_go_sorted(v) for v in value]
    return value


def to_yaml(value: Any) -> str:
    """mergepatch.ToYAMLOrError: the value as sigs.k8s.io/yaml.Marshal writes it."""
    return yaml.dump(_go_sorted(value), Dumper=_GoYamlDumper, default_flow_style=False, sort_keys=False,
                     allow_unicode=True, width=1 << 30)
