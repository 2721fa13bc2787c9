"""JSON patch (RFC 6902), as gopkg.in/evanphx/json-patch.v4 v4.12 applies it inside kube-apiserver.

That library (used by kube-apiserver and kubectl v1.32 for `application/json-patch+json`) departs
from the RFC in ways users meet, and this port keeps them:
- `replace` of a missing object member adds it; `copy` from a missing member copies null.
- `add` never creates parents: `doc is missing path` (no auto-vivification).
- negative array indexes count from the end (`/arr/-1`), `+1` is a valid index, `-` only appends.
- a path without a leading `/` still works on its last segment ("data/x" sets "/x").
- `test` compares numbers numerically (1 == 1.0) and objects key by key.
- Go panics (nil pointer dereferences, writes to a nil map) are kept: kube-apiserver recovers them
  and answers 500 "This request caused apiserver to panic". See "Go's three kinds of null" below.
Error texts are upstream's (`add operation does not apply: doc is missing path: "/spec/x": missing value`).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from kauth.api.json_syntax import json_kind
from kauth.patch.errors import BAD_REQUEST, INTERNAL, TOO_LARGE, UNPROCESSABLE, PatchError

__all__ = ["apply_json_patch", "MAX_OPERATIONS"]

# kube-apiserver's maxJSONPatchOperations.
MAX_OPERATIONS = 10000

_MISSING = object()
_MISSING_VALUE = "missing value"  # evanphx ErrMissing
_INVALID_INDEX = "invalid index referenced"  # evanphx ErrInvalidIndex
_PANIC = "This request caused apiserver to panic. Look in the logs for details."

# Go's three kinds of null. The library holds the document as *lazyNode trees, and a JSON null can
# be one of three things there; each reads as null in the result, but they behave differently:
# - a nil *lazyNode (Python None): a null of the original document, a member added without a
#   "value", a copy of such a member. Traversing it is "doc is missing path"; inside an array a
#   `test` compare dereferences it and panics.
# - _PATCH_NULL: an operation's `"value": null`, which json.Unmarshal makes a nil *json.RawMessage,
#   so op.value() is a lazyNode whose raw is nil. findObject's isArray(*next.raw) panics when a
#   path goes through it; it equals only another `"value": null`.
# - _COPIED_NULL: a `copy` of a _PATCH_NULL (or of a _COPIED_NULL): deepCopy marshals it to the
#   bytes `null`, and unmarshalling `null` into a partialDoc succeeds, leaving a nil map. A path
#   goes through it (every member reads as nil), writing a member panics (assignment to entry in
#   nil map), and `test` finds it equal to {}.
# A copy of a container (deepCopy marshals it) turns the special nulls inside it into plain nils.


class _GoNull:
    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __deepcopy__(self, memo: dict) -> "_GoNull":
        return self


_PATCH_NULL = _GoNull("_PATCH_NULL")
_COPIED_NULL = _GoNull("_COPIED_NULL")


class _OpError(Exception):
    pass


class _GoPanic(Exception):
    """A Go runtime panic in the library: kube-apiserver recovers it and answers 500."""


def apply_json_patch(doc: Any, operations: Any) -> Any:
    """Apply the RFC 6902 `operations` to `doc`; the input is not mutated.

    Raises PatchError: code 400 when the patch does not decode, 413 above 10000 operations, 422
    when an operation fails. The text is the library's, which `kubectl patch --local` prints; for
    a 422 kube-apiserver answers NewGenericServerResponse(422): reason Invalid, message "the server
    rejected our request due to an error in our request", no causes (so kubectl prints `The request
    is invalid: the server rejected our request due to an error in our request`).
    """
    ops = _decode(operations)
    if len(ops) > MAX_OPERATIONS:
        raise PatchError(f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {len(ops)}",
                         TOO_LARGE)
    root = [copy.deepcopy(doc)]
    for op in ops:
        try:
            _apply(root, op)
        except _OpError as e:
            raise PatchError(str(e), UNPROCESSABLE) from None
        except _GoPanic:
            raise PatchError(_PANIC, INTERNAL) from None
    return _plain(root[0])


def _plain(value: Any) -> Any:
    """The document as json.Marshal writes it: every kind of null is null."""
    if isinstance(value, _GoNull):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _go_copy(value: Any) -> Any:
    """deepCopy: a marshal/unmarshal round trip of the node (nil stays nil)."""
    if isinstance(value, _GoNull):
        return _COPIED_NULL
    return _plain(value)


def _decode(operations: Any) -> list[dict]:
    if operations is None:
        return []
    if not isinstance(operations, list):
        raise PatchError(f"json: cannot unmarshal {json_kind(operations)} into Go value of type jsonpatch.Patch",
                         BAD_REQUEST)
    ops = []
    for op in operations:
        if op is None:
            op = {}
        if not isinstance(op, dict):
            raise PatchError(f"json: cannot unmarshal {json_kind(op)} into Go value of type jsonpatch.Operation",
                             BAD_REQUEST)
        ops.append(op)
    return ops


# -- operation fields --------------------------------------------------------------------------

def _kind(op: dict) -> str:
    value = op.get("op")
    return value if isinstance(value, str) else "unknown"


def _string_field(op: dict, name: str, missing: str) -> str:
    """Operation.Path()/From(): raises _OpError with the wrapped upstream error."""
    value = op.get(name)
    if value is None:
        raise _OpError(f"{missing}: {_MISSING_VALUE}")
    if not isinstance(value, str):
        raise _OpError(f"json: cannot unmarshal {json_kind(value)} into Go value of type string")
    return value


def _path(op: dict) -> str:
    return _string_field(op, "path", "operation missing path field")


def _from(op: dict) -> str:
    return _string_field(op, "from", "operation, missing from field")


def _value(op: dict) -> Any:
    """op.value(): _MISSING when absent (Go: a nil node), _PATCH_NULL for `"value": null`."""
    if "value" not in op:
        return _MISSING
    value = op["value"]
    return _PATCH_NULL if value is None else copy.deepcopy(value)


def _node(value: Any) -> Any:
    """The node add/replace store for an operation's value: an absent value stores a nil node."""
    return None if value is _MISSING else value


def _decoded_path(op: dict, wrap: str, keep_cause: bool) -> str:
    try:
        return _path(op)
    except _OpError as e:
        raise _OpError(f"{wrap}: {e}" if keep_cause else f"{wrap}: {_MISSING_VALUE}") from None


# -- documents ---------------------------------------------------------------------------------

def _decode_key(key: str) -> str:
    return key.replace("~1", "/").replace("~0", "~")


def _atoi(key: str) -> int:
    """strconv.Atoi, with its error text."""
    quoted = json.dumps(key, ensure_ascii=False)
    if not re.fullmatch(r"[+-]?[0-9]+", key):
        raise _OpError(f"strconv.Atoi: parsing {quoted}: invalid syntax")
    value = int(key)
    if not -(1 << 63) <= value < (1 << 63):
        raise _OpError(f"strconv.Atoi: parsing {quoted}: value out of range")
    return value


def _invalid_index(idx: int) -> _OpError:
    return _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")


def _get(container: Any, key: str) -> Any:
    """container.get: None for a missing (or null) member; raises for a bad array index."""
    if container is _COPIED_NULL:  # a nil partialDoc
        return None
    if isinstance(container, dict):
        return container.get(key)
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(container):
            raise _invalid_index(idx)
        idx += len(container)
    if idx >= len(container):
        raise _invalid_index(idx)
    return container[idx]


def _set(container: Any, key: str, value: Any) -> None:
    if container is _COPIED_NULL:
        raise _GoPanic()  # assignment to entry in nil map
    if isinstance(container, dict):
        container[key] = value
        return
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(container):
            raise _invalid_index(idx)
        idx += len(container)
    container[idx] = value


def _add(container: Any, key: str, value: Any) -> None:
    if container is _COPIED_NULL:
        raise _GoPanic()  # assignment to entry in nil map
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    try:
        idx = _atoi(key)
    except _OpError as e:
        raise _OpError(f"value was not a proper array index: '{key}': {e}") from None
    size = len(container) + 1
    if idx >= size:
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -size:
            raise _invalid_index(idx)
        idx += size
    container.insert(idx, value)


def _remove(container: Any, key: str) -> None:
    if isinstance(container, dict) or container is _COPIED_NULL:
        if container is _COPIED_NULL or key not in container:
            raise _OpError(f"Unable to remove nonexistent key: {key}: {_MISSING_VALUE}")
        del container[key]
        return
    idx = _atoi(key)
    if idx >= len(container):
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -len(container):
            raise _invalid_index(idx)
        idx += len(container)
    del container[idx]


def _find_object(root: list, path: str) -> tuple[Any, str]:
    """findObject: the container holding the last segment of `path`, or (None, "")."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    doc = root[0]
    for part in split[1:-1]:
        try:
            nxt = _get(doc, _decode_key(part))
        except _OpError:
            return None, ""
        if nxt is _PATCH_NULL:
            raise _GoPanic()  # isArray(*next.raw) with a nil raw
        if not isinstance(nxt, (dict, list)) and nxt is not _COPIED_NULL:
            return None, ""
        doc = nxt
    return doc, _decode_key(split[-1])


def _equal(node: Any, value: Any) -> bool:
    """lazyNode.equal(value): `node` is a non-nil node of the document, `value` the operation's.

    Objects compare key by key, arrays item by item, scalars by value (numbers as float64). A nil
    `value` at a place the walk reaches dereferences it (`o.which`) and panics; so does a nil item
    of a document array (nil receiver). Go walks an object's members in random map order, so when
    one member differs and another panics upstream answers either way: this port reports the
    difference.
    """
    if node is _PATCH_NULL:  # raw is nil: bytes.Equal(n.compact(), o.compact())
        if value is None:
            raise _GoPanic()
        return value is _PATCH_NULL
    if node is _COPIED_NULL:  # tryDoc of `null` succeeds: an empty (nil) object
        node = {}
    if value is None:
        raise _GoPanic()
    if isinstance(node, dict):
        if not isinstance(value, dict) or len(node) != len(value):
            return False
        panicked = False
        for key, member in node.items():
            if key not in value or (member is None) != (value[key] is None):
                return False
            if member is None:
                continue
            try:
                if not _equal(member, value[key]):
                    return False
            except _GoPanic:
                panicked = True
        if panicked:
            raise _GoPanic()
        return True
    if isinstance(node, list):
        if not isinstance(value, list) or len(node) != len(value):
            return False
        for item, other in zip(node, value):
            if item is None:
                raise _GoPanic()
            if not _equal(item, other):
                return False
        return True
    if value is _PATCH_NULL or isinstance(value, (dict, list)):
        return False
    if isinstance(node, bool) or isinstance(value, bool):
        return isinstance(node, bool) and isinstance(value, bool) and node == value
    if isinstance(node, (int, float)) and isinstance(value, (int, float)):
        return float(node) == float(value)
    return type(node) is type(value) and node == value


# -- operations ----------------------------------------------------------------------------------

def _apply(root: list, op: dict) -> None:
    kind = _kind(op)
    handler = _OPERATIONS.get(kind)
    if handler is None:
        raise _OpError(f"Unexpected kind: {kind}")
    handler(root, op)


def _op_add(root: list, op: dict) -> None:
    path = _decoded_path(op, "add operation failed to decode path", keep_cause=False)
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f'add operation does not apply: doc is missing path: "{path}": {_MISSING_VALUE}')
    try:
        _add(container, key, _node(_value(op)))
    except _OpError as e:
        raise _OpError(f"error in add for path: '{path}': {e}") from None


def _op_remove(root: list, op: dict) -> None:
    path = _decoded_path(op, "remove operation failed to decode path", keep_cause=False)
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f'remove operation does not apply: doc is missing path: "{path}": {_MISSING_VALUE}')
    try:
        _remove(container, key)
    except _OpError as e:
        raise _OpError(f"error in remove for path: '{path}': {e}") from None


def _op_replace(root: list, op: dict) -> None:
    path = _decoded_path(op, "replace operation failed to decode path", keep_cause=True)
    value = _value(op)
    if path == "":
        # The whole document; a value that is neither object nor array is silently ignored (the
        # library wraps a nil error), a missing one is dereferenced.
        if value is _MISSING:
            raise _GoPanic()
        if isinstance(value, (dict, list)):
            root[0] = value
        return
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f"replace operation does not apply: doc is missing path: {path}: {_MISSING_VALUE}")
    try:
        _get(container, key)
    except _OpError:
        raise _OpError(f"replace operation does not apply: doc is missing key: {path}: {_MISSING_VALUE}") from None
    try:
        _set(container, key, _node(value))
    except _OpError as e:
        raise _OpError(f"error in remove for path: '{path}': {e}") from None


def _op_move(root: list, op: dict) -> None:
    try:
        source = _from(op)
    except _OpError as e:
        raise _OpError(f"move operation failed to decode from: {e}") from None
    container, key = _find_object(root, source)
    if container is None:
        raise _OpError(f"move operation does not apply: doc is missing from path: {source}: {_MISSING_VALUE}")
    try:
        value = _get(container, key)
        _remove(container, key)
    except _OpError as e:
        raise _OpError(f"error in move for path: '{key}': {e}") from None
    path = _decoded_path(op, "move operation failed to decode path", keep_cause=True)
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f"move operation does not apply: doc is missing destination path: {path}: {_MISSING_VALUE}")
    try:
        _add(container, key, value)
    except _OpError as e:
        raise _OpError(f"error in move for path: '{path}': {e}") from None


def _op_test(root: list, op: dict) -> None:
    path = _decoded_path(op, "test operation failed to decode path", keep_cause=True)
    value = _value(op)
    failed = _OpError(f"testing value {path} failed: test failed")
    if path == "":
        if value is _MISSING:
            raise _GoPanic()  # self.equal(nil)
        if not _equal(root[0], value):
            raise failed
        return
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f"test operation does not apply: is missing path: {path}: {_MISSING_VALUE}")
    try:
        actual = _get(container, key)
    except _OpError as e:
        raise _OpError(f"error in test for path: '{path}': {e}") from None
    if actual is None:
        if value is _MISSING:
            raise _GoPanic()  # op.value().raw with op.value() nil
        if value is not _PATCH_NULL:
            raise failed
        return
    if value is _MISSING or not _equal(actual, value):
        raise failed


def _op_copy(root: list, op: dict) -> None:
    try:
        source = _from(op)
    except _OpError as e:
        raise _OpError(f"copy operation failed to decode from: {e}") from None
    container, key = _find_object(root, source)
    if container is None:
        raise _OpError(f"copy operation does not apply: doc is missing from path: {source}: {_MISSING_VALUE}")
    try:
        value = _go_copy(_get(container, key))
    except _OpError as e:
        raise _OpError(f"error in copy for from: '{source}': {e}") from None
    path = _decoded_path(op, "copy operation failed to decode path", keep_cause=False)
    container, key = _find_object(root, path)
    if container is None:
        raise _OpError(f"copy operation does not apply: doc is missing destination path: {path}: {_MISSING_VALUE}")
    try:
        _add(container, key, value)
    except _OpError as e:
        raise _OpError(f"error while adding value during copy: {e}") from None


_OPERATIONS = {"add": _op_add, "remove": _op_remove, "replace": _op_replace, "move": _op_move,
               "test": _op_test, "copy": _op_copy}
