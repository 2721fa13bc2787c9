"""JSON merge patch (RFC 7386) as evanphx/json-patch v4 does it in kube-apiserver, and the
three-way JSON merge patch `kubectl apply` sends for custom resources. Expectations come from
`kubectl patch --local --type merge` and from `kubectl apply` against a stub API server (v1.32.4)."""

from __future__ import annotations

import copy

import pytest

from kauth.patch import (PatchError, PreconditionFailedError, apply_merge_patch,
                         create_merge_patch, create_three_way_merge_patch)

DOC = {"metadata": {"name": "c"}, "data": {"k": "v"}, "arr": [1, 2, 3], "obj": {"n": None, "list": [{"x": 1}]}}


def test_keys_merge_and_null_deletes():
    assert apply_merge_patch(DOC, {"data": {"k": None, "new": "1"}})["data"] == {"new": "1"}


def test_lists_are_replaced_and_keep_null_items_but_lose_nulls_inside_their_objects():
    result = apply_merge_patch(DOC, {"arr": [1, None, {"a": None, "b": 1}], "data": None})
    assert result["arr"] == [1, None, {"b": 1}]
    assert "data" not in result


def test_a_value_replacing_null_loses_its_nulls():
    assert apply_merge_patch(DOC, {"obj": {"n": {"x": None, "y": {"z": None}}}})["obj"]["n"] == {"y": {}}


def test_an_object_replacing_a_non_object_loses_its_nulls():
    assert apply_merge_patch(DOC, {"data": {"k": {"a": None}}})["data"] == {"k": {}}
    assert apply_merge_patch(DOC, {"obj": {"list": {"x": None, "y": 1}}})["obj"]["list"] == {"y": 1}


def test_an_array_replacing_an_object_keeps_its_nulls():
    # evanphx/json-patch v4 prunes nulls only when it merges objects.
    assert apply_merge_patch(DOC, {"obj": [{"a": None}]})["obj"] == [{"a": None}]


def test_new_subtrees_lose_their_nulls_except_array_items():
    assert apply_merge_patch(DOC, {"new": {"a": None, "b": [{"c": None}, None]}})["new"] == {"b": [{}, None]}


def test_empty_patch_changes_nothing_and_inputs_are_not_mutated():
    doc, patch = copy.deepcopy(DOC), {"obj": {"n": {"x": None}}}
    assert apply_merge_patch(doc, {}) == DOC
    apply_merge_patch(doc, patch)
    assert doc == DOC and patch == {"obj": {"n": {"x": None}}}


@pytest.mark.parametrize("patch", [None, "x", 5, True])
def test_a_patch_that_is_not_an_object_is_invalid(patch):
    with pytest.raises(PatchError, match="^Invalid JSON Patch$"):
        apply_merge_patch(DOC, patch)


def test_an_array_patch_becomes_the_whole_document():
    assert apply_merge_patch(DOC, [1, {"a": None}]) == [1, {}]


def test_create_merge_patch():
    original = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "e": True}
    modified = {"a": 1.0, "b": {"c": [1, 2, 3]}, "e": 1, "f": None}
    assert create_merge_patch(original, modified) == {"b": {"c": [1, 2, 3], "d": None}, "e": 1, "f": None}
    assert apply_merge_patch(original, create_merge_patch(original, modified)) == {"a": 1, "b": {"c": [1, 2, 3]}, "e": 1}


# -- three-way (kubectl apply for custom resources) ---------------------------------------------

def widget(**spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"}, "spec": spec}


def test_three_way_merge_patch_replaces_lists_and_nulls_removed_keys():
    last = widget(items=[{"a": 1}, {"b": 2}], size=1, color="red")
    live = widget(items=[{"a": 1}, {"b": 2}], size=1, color="red", owner="ops")
    manifest = widget(items=[{"a": 1}], size=3)
    assert create_three_way_merge_patch(last, manifest, live) == {"spec": {"color": None, "items": [{"a": 1}], "size": 3}}


def test_three_way_merge_patch_of_an_unchanged_manifest_is_empty():
    manifest = widget(items=[{"a": [1, None]}], tags={"x": "1"})
    assert create_three_way_merge_patch(manifest, manifest, manifest) == {}


def test_three_way_merge_patch_deletes_only_what_was_applied():
    assert create_three_way_merge_patch(None, widget(size=1), widget(size=1, owner="ops")) == {}


def test_three_way_merge_patch_precondition_text_is_what_kubectl_prints():
    manifest = widget(size=1)
    live = dict(manifest, apiVersion="example.com/v2")
    with pytest.raises(PreconditionFailedError, match=r"^precondition failed for: map\[apiVersion:example.com/v1\]$"):
        create_three_way_merge_patch(manifest, manifest, live)


def test_three_way_merge_patch_without_preconditions():
    manifest = widget(size=1)
    live = dict(manifest, apiVersion="example.com/v2")
    assert create_three_way_merge_patch(manifest, manifest, live, preconditions=()) == {"apiVersion": "example.com/v1"}
