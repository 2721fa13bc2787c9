"""Upstream's own strategic merge patch test tables (patch_test.go), run the way upstream runs them.

The YAML tables (`custom`, `create`) compare after sorting merging lists by merge key, as upstream's
sortMergeListsByName does; the raw tables compare exact documents, list order included. Three-way
patches are made with overwrite=False first: a conflict must happen exactly when the description
says "conflict", and then the forced (overwrite=True) patch must match.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kauth.api.schema import FieldMeta, Schema, merge_list, obj, retain_keys
from kauth.patch import ConflictError, PatchError, apply_patch, create_three_way_patch, create_two_way_patch
from kauth.patch.errors import go_sprint

# The MergeItem struct of patch_test.go.
_MERGE_ITEM_FIELDS: dict = {}
MERGE_ITEM = Schema(_MERGE_ITEM_FIELDS)
RETAIN_KEYS_MERGE_ITEM = obj(mergingIntList=merge_list(None), mergingList=merge_list("name", MERGE_ITEM))
_MERGE_ITEM_FIELDS.update(
    mergingList=merge_list("name", MERGE_ITEM),
    mergingIntList=merge_list(None),
    mergeItemPtr=merge_list("name", MERGE_ITEM),
    replacingItem=FieldMeta(frozenset({"replace"})),
    retainKeysMap=retain_keys(RETAIN_KEYS_MERGE_ITEM),
    retainKeysMergingList=merge_list("name", MERGE_ITEM, retain_keys=True),
)

CASES = yaml.safe_load((Path(__file__).parent / "upstream_smp_cases.yaml").read_text())


def sort_merge_lists(value: dict | None, schema: Schema | None = MERGE_ITEM) -> dict | None:
    """sortMergeListsByName: merging lists sorted by merge key (recursively), scalar sets sorted."""
    if value is None:
        return None
    out = {}
    for key, v in value.items():
        if key == "$retainKeys" or key.startswith("$deleteFromPrimitiveList"):
            v = sorted(v, key=go_sprint)
        elif not key.startswith("$setElementOrder") and key != "$patch":
            meta = schema.lookup(key) if schema else FieldMeta()
            if isinstance(v, dict):
                v = sort_merge_lists(v, meta.schema)
            elif isinstance(v, list) and meta.merges and v:
                if isinstance(v[0], dict):
                    v = sorted((sort_merge_lists(item, meta.schema) for item in v),
                               key=lambda item: go_sprint(item.get(meta.merge_key)))
                else:
                    v = sorted({go_sprint(x): x for x in v}.values(), key=go_sprint)
        out[key] = v
    return out


def ids(cases):
    return [c["description"] for c in cases]


@pytest.mark.parametrize("case", CASES["custom"], ids=ids(CASES["custom"]))
def test_custom_patch_applies_like_upstream(case):
    result = apply_patch(sort_merge_lists(case["original"]), sort_merge_lists(case["twoWay"]), MERGE_ITEM)
    assert result == sort_merge_lists(case.get("twoWayResult", case["modified"]))


@pytest.mark.parametrize("case", CASES["custom_raw"], ids=ids(CASES["custom_raw"]))
def test_custom_raw_patch_applies_like_upstream(case):
    if "expectedError" in case:
        with pytest.raises(PatchError, match=case["expectedError"]):
            apply_patch(case["original"], case["twoWay"], MERGE_ITEM)
    else:
        assert apply_patch(case["original"], case["twoWay"], MERGE_ITEM) == case["modified"]


def _check_two_way(case, prepare):
    original, expected_patch = prepare(case.get("original")) or {}, prepare(case["twoWay"])
    modified = prepare(case["modified"])
    patch = create_two_way_patch(original, modified, MERGE_ITEM)
    assert patch == expected_patch
    assert apply_patch(original, patch, MERGE_ITEM) == prepare(case.get("twoWayResult", case["modified"]))


def _check_three_way(case, prepare):
    original, modified, current = prepare(case.get("original")), prepare(case["modified"]), prepare(case["current"])
    expected, result = prepare(case["threeWay"]), prepare(case["result"])
    try:
        patch = create_three_way_patch(original, modified, current, MERGE_ITEM, overwrite=False)
    except ConflictError:
        assert "conflict" in case["description"], "unexpected conflict"
        patch = create_three_way_patch(original, modified, current, MERGE_ITEM, overwrite=True)
    else:
        assert "conflict" not in case["description"], "expected a conflict"
    assert patch == expected
    assert apply_patch(current, patch, MERGE_ITEM) == result


@pytest.mark.parametrize("case", CASES["create"], ids=ids(CASES["create"]))
def test_create_two_way_patch_like_upstream(case):
    _check_two_way(case, sort_merge_lists)


@pytest.mark.parametrize("case", CASES["create"], ids=ids(CASES["create"]))
def test_create_three_way_patch_like_upstream(case):
    _check_three_way(case, sort_merge_lists)


@pytest.mark.parametrize("case", CASES["raw"], ids=ids(CASES["raw"]))
def test_raw_two_way_patch_like_upstream(case):
    _check_two_way(case, copy.deepcopy)


@pytest.mark.parametrize("case", CASES["raw"], ids=ids(CASES["raw"]))
def test_raw_three_way_patch_like_upstream(case):
    _check_three_way(case, copy.deepcopy)
