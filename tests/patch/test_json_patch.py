"""JSON patch (RFC 6902) as evanphx/json-patch v4.12 applies it in kube-apiserver. Expectations from
`kubectl patch --local --type json` (kubectl v1.32.4, same library), except where kubectl patch
rewrites "doc is missing key" errors locally; those show the library's (the server's) text."""

from __future__ import annotations

import copy

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
