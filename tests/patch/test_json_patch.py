"""JSON patch (RFC 6902) as evanphx/json-patch v4.12 applies it in kube-apiserver. Expectations from
`kubectl patch --local --type json` (kubectl v1.32.4, same library), except where kubectl patch
rewrites "doc is missing key" errors locally; those show the library's (the server's) text."""

from __future__ import annotations

import copy
import json

import pytest

from kauth.patch import PatchError, apply_json_patch

DOC = {"metadata": {"name": "c", "labels": {"a/b": "1", "t~x": "2"}}, "data": {"k": "v"}, "arr": [1, 2, 3],
       "obj": {"n": None, "list": [{"x": 1}]}}


def applied(*ops: dict) -> dict:
    return apply_json_patch(DOC, list(ops))


def failure(*ops: dict) -> PatchError:
    with pytest.raises(PatchError) as raised:
        applied(*ops)
    return raised.value


def test_add_replace_remove():
    result = applied({"op": "add", "path": "/data/new", "value": 1}, {"op": "replace", "path": "/data/k", "value": "w"},
                     {"op": "remove", "path": "/obj/n"})
    assert result["data"] == {"k": "w", "new": 1}
    assert result["obj"] == {"list": [{"x": 1}]}


def test_pointer_escapes():
    result = applied({"op": "remove", "path": "/metadata/labels/a~1b"}, {"op": "add", "path": "/metadata/labels/t~0y", "value": "z"})
    assert result["metadata"]["labels"] == {"t~x": "2", "t~y": "z"}


def test_array_indexes_dash_and_negative():
    result = applied({"op": "add", "path": "/arr/-", "value": 4}, {"op": "add", "path": "/arr/0", "value": 0},
                     {"op": "remove", "path": "/arr/-1"}, {"op": "replace", "path": "/arr/-1", "value": 9})
    assert result["arr"] == [0, 1, 2, 9]


def test_add_with_a_negative_index_counts_from_the_end_of_the_new_array():
    assert applied({"op": "add", "path": "/arr/-4", "value": 9})["arr"] == [9, 1, 2, 3]


def test_replace_of_a_missing_member_adds_it():
    assert applied({"op": "replace", "path": "/data/missing", "value": 1})["data"] == {"k": "v", "missing": 1}


def test_copy_from_a_missing_member_copies_null():
    assert applied({"op": "copy", "from": "/data/zz", "path": "/obj/list/-"})["obj"]["list"] == [{"x": 1}, None]


def test_move_and_copy():
    result = applied({"op": "move", "from": "/data/k", "path": "/data/k2"}, {"op": "copy", "from": "/data/k2", "path": "/obj/list/-"})
    assert result["data"] == {"k2": "v"}
    assert result["obj"]["list"] == [{"x": 1}, "v"]


def test_add_without_value_adds_null():
    assert applied({"op": "add", "path": "/data/q"})["data"] == {"k": "v", "q": None}


def test_path_without_leading_slash_uses_its_last_segment_on_the_root():
    assert applied({"op": "add", "path": "data/x", "value": 1})["x"] == 1


def test_replace_of_the_root_with_an_object_replaces_the_document():
    assert applied({"op": "replace", "path": "", "value": {"metadata": {"name": "c"}}}) == {"metadata": {"name": "c"}}


def test_replace_of_the_root_with_a_scalar_is_ignored():
    assert applied({"op": "replace", "path": "", "value": 1}) == DOC


@pytest.mark.parametrize("ops", [
    [{"op": "test", "path": "/data/k", "value": "v"}],
    [{"op": "test", "path": "/data/missing", "value": None}],
    [{"op": "test", "path": "/obj/n", "value": None}],
    [{"op": "test", "path": "/arr/0", "value": 1.0}],
    [{"op": "test", "path": "/arr", "value": [1, 2, 3.0]}],
    [{"op": "test", "path": "/metadata/labels", "value": {"t~x": "2", "a/b": "1"}}],
])
def test_test_passes(ops):
    assert applied(*ops) == DOC


@pytest.mark.parametrize("op", [
    {"op": "test", "path": "/data/k", "value": "x"},
    {"op": "test", "path": "/metadata", "value": {"name": "c"}},
    {"op": "test", "path": "/metadata", "value": {"name": "c", "labels": {"a/b": "1", "t~x": "2"}, "zz": 1}},
    {"op": "test", "path": "/obj/n", "value": {}},
    {"op": "test", "path": "/arr/0", "value": True},
    {"op": "test", "path": "/arr", "value": [1, 2]},
    {"op": "test", "path": "/data", "value": None},
    {"op": "test", "path": "/data/k"},
])
def test_test_fails(op):
    error = failure(op)
    assert str(error) == f"testing value {op['path']} failed: test failed"
    assert error.code == 422


@pytest.mark.parametrize("ops, message", [
    ([{"op": "add", "path": "/spec/foo", "value": 1}], 'add operation does not apply: doc is missing path: "/spec/foo": missing value'),
    ([{"op": "add", "path": "/data/k/y", "value": 9}], 'add operation does not apply: doc is missing path: "/data/k/y": missing value'),
    ([{"op": "add", "path": "/obj/n/x", "value": 5}], 'add operation does not apply: doc is missing path: "/obj/n/x": missing value'),
    ([{"op": "add", "path": "", "value": 1}], 'add operation does not apply: doc is missing path: "": missing value'),
    ([{"op": "add", "path": "/arr/10", "value": 4}], "error in add for path: '/arr/10': Unable to access invalid index: 10: invalid index referenced"),
    ([{"op": "add", "path": "/arr/-5", "value": 9}], "error in add for path: '/arr/-5': Unable to access invalid index: -5: invalid index referenced"),
    ([{"op": "add", "path": "/arr/x", "value": 4}],
     "error in add for path: '/arr/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"),
    ([{"op": "replace", "path": "/nope/missing", "value": 1}], "replace operation does not apply: doc is missing path: /nope/missing: missing value"),
    ([{"op": "replace", "path": "/arr/5", "value": 1}], "replace operation does not apply: doc is missing key: /arr/5: missing value"),
    ([{"op": "remove", "path": "/data/missing"}], "error in remove for path: '/data/missing': Unable to remove nonexistent key: missing: missing value"),
    ([{"op": "remove", "path": "/nope/missing"}], 'remove operation does not apply: doc is missing path: "/nope/missing": missing value'),
    ([{"op": "remove", "path": "/arr/5"}], "error in remove for path: '/arr/5': Unable to access invalid index: 5: invalid index referenced"),
    ([{"op": "remove", "path": "/arr/-4"}], "error in remove for path: '/arr/-4': Unable to access invalid index: -4: invalid index referenced"),
    ([{"op": "remove", "path": "/arr/-"}], "error in remove for path: '/arr/-': strconv.Atoi: parsing \"-\": invalid syntax"),
    ([{"op": "test", "path": "/nope/x", "value": None}], "test operation does not apply: is missing path: /nope/x: missing value"),
    ([{"op": "move", "from": "/data/zz", "path": "/data/k2"}], "error in move for path: 'zz': Unable to remove nonexistent key: zz: missing value"),
    ([{"op": "move", "from": "/data", "path": "/data/x"}], "move operation does not apply: doc is missing destination path: /data/x: missing value"),
    ([{"op": "move", "path": "/data/x"}], "move operation failed to decode from: operation, missing from field: missing value"),
    ([{"op": "copy", "path": "/data/x"}], "copy operation failed to decode from: operation, missing from field: missing value"),
    ([{"op": "replace", "value": 1}], "replace operation failed to decode path: operation missing path field: missing value"),
    ([{"op": "test", "value": 1}], "test operation failed to decode path: operation missing path field: missing value"),
    ([{"op": "remove"}], "remove operation failed to decode path: missing value"),
    ([{"op": "add", "path": 5, "value": 1}], "add operation failed to decode path: missing value"),
    ([{"op": "foo", "path": "/data/k"}], "Unexpected kind: foo"),
    ([{"path": "/data/k"}], "Unexpected kind: unknown"),
    ([None], "Unexpected kind: unknown"),
])
def test_failing_operations_carry_upstream_text(ops, message):
    error = failure(*ops)
    assert str(error) == message
    assert error.code == 422


def test_operations_apply_in_order_and_stop_at_the_first_failure():
    error = failure({"op": "add", "path": "/data/a", "value": 1}, {"op": "test", "path": "/data/a", "value": 2})
    assert str(error) == "testing value /data/a failed: test failed"


def test_a_patch_that_is_not_an_array_is_a_bad_request():
    with pytest.raises(PatchError) as raised:
        apply_json_patch(DOC, {"op": "add"})
    assert str(raised.value) == "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    assert raised.value.code == 400


def test_null_and_empty_patches_change_nothing():
    assert apply_json_patch(DOC, None) == DOC
    assert apply_json_patch(DOC, []) == DOC


def test_too_many_operations():
    with pytest.raises(PatchError) as raised:
        apply_json_patch(DOC, [{"op": "test", "path": "/data/k", "value": "v"}] * 10001)
    assert str(raised.value) == "The allowed maximum operations in a JSON patch is 10000, got 10001"
    assert raised.value.code == 413


def test_inputs_are_not_mutated():
    doc, ops = copy.deepcopy(DOC), [{"op": "add", "path": "/obj/list/0/y", "value": {"z": 1}}, {"op": "add", "path": "/obj/list/0/y/w", "value": 2}]
    assert apply_json_patch(doc, ops)["obj"]["list"] == [{"x": 1, "y": {"z": 1, "w": 2}}]
    assert doc == DOC and ops[0]["value"] == {"z": 1}


# -- Go's three kinds of null, and the panics they lead to ---------------------------------------
# A null of the document (or a member added without "value") is a nil *lazyNode; `"value": null`
# is a lazyNode whose raw is a nil *json.RawMessage; a copy of that is a lazyNode of the bytes
# `null`, which unmarshals to a nil map. Upstream dereferences them in different places; kube-apiserver
# recovers the panic and answers 500. Every case here was checked against kubectl v1.32.4, which
# crashes with `panic: runtime error: ...` where we raise the 500.

PANIC = "This request caused apiserver to panic. Look in the logs for details."
PATCH_NULL = {"op": "add", "path": "/data/p", "value": None}
COPIED_NULL = [PATCH_NULL, {"op": "copy", "from": "/data/p", "path": "/data/c"}]


@pytest.mark.parametrize("ops", [
    # findObject reads *next.raw of a `"value": null` it walks through
    [PATCH_NULL, {"op": "add", "path": "/data/p/x", "value": 1}],
    [PATCH_NULL, {"op": "add", "path": "/data/p/x", "value": None}],
    [PATCH_NULL, {"op": "remove", "path": "/data/p/x"}],
    [PATCH_NULL, {"op": "test", "path": "/data/p/x", "value": None}],
    [PATCH_NULL, {"op": "copy", "from": "/data/p/x", "path": "/data/y"}],
    [PATCH_NULL, {"op": "move", "from": "/data/k", "path": "/data/p/x"}],
    [{"op": "add", "path": "/arr/0", "value": None}, {"op": "add", "path": "/arr/0/x", "value": 1}],
    [{"op": "add", "path": "/arr/-", "value": None}, {"op": "add", "path": "/arr/3/x", "value": 1}],
    [{"op": "replace", "path": "/data/k", "value": None}, {"op": "add", "path": "/data/k/x", "value": 1}],
    [PATCH_NULL, {"op": "move", "from": "/data/p", "path": "/data/q"}, {"op": "add", "path": "/data/q/x", "value": 1}],
    # a copy of it is a nil map: writing a member is `assignment to entry in nil map`
    [*COPIED_NULL, {"op": "add", "path": "/data/c/x", "value": 1}],
    [*COPIED_NULL, {"op": "add", "path": "/data/c/-", "value": 1}],
    [*COPIED_NULL, {"op": "replace", "path": "/data/c/x", "value": 1}],
    [*COPIED_NULL, {"op": "copy", "from": "/data/k", "path": "/data/c/x"}],
    # lazyNode.equal of arrays dereferences a nil item on either side once the walk reaches it
    [{"op": "add", "path": "/arr/-", "value": None}, {"op": "test", "path": "/arr", "value": [1, 2, 3, None]}],
    [{"op": "test", "path": "/arr", "value": [1, None, 3]}],
    [{"op": "add", "path": "/obj/list/-"}, {"op": "test", "path": "/obj/list", "value": [{"x": 1}, None]}],
    [{"op": "add", "path": "/obj/list/0"}, {"op": "test", "path": "/obj/list", "value": [{}, {"x": 1}]}],
    [{"op": "add", "path": "/arr/-", "value": None}, {"op": "test", "path": "", "value": {**DOC, "arr": [1, 2, 3, None]}}],
    [{"op": "add", "path": "/obj/list/-", "value": None}, {"op": "copy", "from": "/obj/list", "path": "/data/c"},
     {"op": "test", "path": "/data/c", "value": [{"x": 1}, None]}],
    # an operation without "value" is a nil node, dereferenced by these
    [{"op": "test", "path": "/obj/n"}],
    [{"op": "test", "path": "/data/missing"}],
    [{"op": "test", "path": ""}],
    [{"op": "replace", "path": ""}],
])
def test_go_panics_answer_500(ops):
    error = failure(*ops)
    assert (str(error), error.code) == (PANIC, 500)


@pytest.mark.parametrize("ops, data", [
    # a `"value": null` member reads as null, is tested equal to null only, and can be replaced or removed
    ([PATCH_NULL, {"op": "test", "path": "/data/p", "value": None}], {"k": "v", "p": None}),
    ([PATCH_NULL, {"op": "replace", "path": "/data/p", "value": 1}], {"k": "v", "p": 1}),
    ([PATCH_NULL, {"op": "remove", "path": "/data/p"}, {"op": "add", "path": "/data/p", "value": {}},
      {"op": "add", "path": "/data/p/x", "value": 1}], {"k": "v", "p": {"x": 1}}),
    ([PATCH_NULL, {"op": "move", "from": "/data/p", "path": "/data/q"}, {"op": "test", "path": "/data/q", "value": None}],
     {"k": "v", "q": None}),
    # its copy: every member reads as null, removing one is missing, and it tests equal to {}
    (COPIED_NULL, {"k": "v", "p": None, "c": None}),
    ([*COPIED_NULL, {"op": "test", "path": "/data/c", "value": {}}], {"k": "v", "p": None, "c": None}),
    ([*COPIED_NULL, {"op": "test", "path": "/data/c/x", "value": None}], {"k": "v", "p": None, "c": None}),
    ([*COPIED_NULL, {"op": "test", "path": "/data/c/0", "value": None}], {"k": "v", "p": None, "c": None}),
    ([*COPIED_NULL, {"op": "copy", "from": "/data/c/x", "path": "/data/d"}], {"k": "v", "p": None, "c": None, "d": None}),
    ([*COPIED_NULL, {"op": "copy", "from": "/data/c", "path": "/data/d"}, {"op": "test", "path": "/data/d", "value": {}}],
     {"k": "v", "p": None, "c": None, "d": None}),
    # a null of the document, or one added without "value", is a plain nil
    ([{"op": "add", "path": "/data/q"}, {"op": "test", "path": "/data/q", "value": None}], {"k": "v", "q": None}),
    ([{"op": "add", "path": "/data/q", "value": {"x": None}}, {"op": "test", "path": "/data/q/x", "value": None}],
     {"k": "v", "q": {"x": None}}),
    ([{"op": "add", "path": "/data/q", "value": {"x": None}}, {"op": "test", "path": "/data/q", "value": {"x": None}}],
     {"k": "v", "q": {"x": None}}),
])
def test_patch_nulls_that_do_not_panic(ops, data):
    assert applied(*ops)["data"] == data


@pytest.mark.parametrize("ops, message", [
    ([PATCH_NULL, {"op": "test", "path": "/data/p", "value": 1}], "testing value /data/p failed: test failed"),
    ([PATCH_NULL, {"op": "test", "path": "/data/p", "value": {}}], "testing value /data/p failed: test failed"),
    ([PATCH_NULL, {"op": "test", "path": "/data/p"}], "testing value /data/p failed: test failed"),
    ([{"op": "add", "path": "/obj/x", "value": None},
      {"op": "test", "path": "/obj", "value": {"n": None, "list": [{"x": 1}], "x": None}}], "testing value /obj failed: test failed"),
    ([*COPIED_NULL, {"op": "test", "path": "/data/c", "value": None}], "testing value /data/c failed: test failed"),
    ([*COPIED_NULL, {"op": "test", "path": "/data/c", "value": []}], "testing value /data/c failed: test failed"),
    ([*COPIED_NULL, {"op": "remove", "path": "/data/c/x"}],
     "error in remove for path: '/data/c/x': Unable to remove nonexistent key: x: missing value"),
    ([*COPIED_NULL, {"op": "move", "from": "/data/c/x", "path": "/data/d"}],
     "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"),
    ([*COPIED_NULL, {"op": "add", "path": "/data/c/x/y", "value": 1}],
     'add operation does not apply: doc is missing path: "/data/c/x/y": missing value'),
    # a copy of an array turns the `"value": null` inside it into a plain nil
    ([{"op": "add", "path": "/arr/-", "value": None}, {"op": "copy", "from": "/arr", "path": "/data/c"},
      {"op": "add", "path": "/data/c/3/x", "value": 1}], 'add operation does not apply: doc is missing path: "/data/c/3/x": missing value'),
    ([{"op": "add", "path": "/data/q"}, {"op": "add", "path": "/data/q/x", "value": 1}],
     'add operation does not apply: doc is missing path: "/data/q/x": missing value'),
    # array compares stop at the first difference, before any nil
    ([{"op": "test", "path": "/arr", "value": [2, None, 3]}], "testing value /arr failed: test failed"),
    ([{"op": "test", "path": "/arr", "value": [1, 2, 3, None]}], "testing value /arr failed: test failed"),
    ([{"op": "add", "path": "/arr/-", "value": None}, {"op": "test", "path": "/arr", "value": [1, 2, 3, 4]}],
     "testing value /arr failed: test failed"),
])
def test_patch_null_failures_are_422(ops, message):
    error = failure(*ops)
    assert (str(error), error.code) == (message, 422)


def test_object_members_differing_and_panicking_report_the_difference():
    # Go walks the members in random map order, so kubectl answers either way; we answer 422.
    doc = {"m": {"a": 1, "b": [None]}}
    with pytest.raises(PatchError) as raised:
        apply_json_patch(doc, [{"op": "test", "path": "/m", "value": {"a": 2, "b": [None]}}])
    assert raised.value.code == 422
    with pytest.raises(PatchError) as raised:
        apply_json_patch(doc, [{"op": "test", "path": "/m", "value": {"a": 1, "b": [None]}}])
    assert raised.value.code == 500


def test_results_hold_only_json_values():
    result = applied(*COPIED_NULL, {"op": "add", "path": "/arr/-", "value": None}, {"op": "add", "path": "/obj/list/0/y", "value": None})
    assert json.loads(json.dumps(result)) == result
    assert result["data"] == {"k": "v", "p": None, "c": None}
    assert result["arr"] == [1, 2, 3, None] and result["obj"]["list"] == [{"x": 1, "y": None}]
