"""FieldsV1: field sets as the API server writes them in metadata.managedFields.

Expected encodings follow sigs.k8s.io/structured-merge-diff fieldpath/serialize.go and serialize-pe.go:
`f:` fields, `k:` associative-list keys (fields sorted, compact JSON), `v:` set items, `.` for a path that is
itself in the set while paths below it are too, fields before keys before values.
"""

import pytest

from kauth.patch import fieldpath as fp


def test_a_leaf_field_is_an_empty_object():
    assert fp.to_fields_v1({("f:data", "f:key")}) == {"f:data": {"f:key": {}}}


def test_a_member_with_members_below_it_gets_a_dot():
    paths = {("f:metadata", "f:labels"), ("f:metadata", "f:labels", "f:app")}
    assert fp.to_fields_v1(paths) == {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}


def test_associative_list_items_are_keyed_by_their_sorted_key_fields():
    item = fp.key({"protocol": "TCP", "containerPort": 80})
    assert item == 'k:{"containerPort":80,"protocol":"TCP"}'
    assert fp.to_fields_v1({("f:ports",), ("f:ports", item), ("f:ports", item, "f:containerPort")}) == {
        "f:ports": {".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}


def test_set_items_are_their_json_values():
    assert fp.value("foregroundDeletion") == 'v:"foregroundDeletion"'
    assert fp.to_fields_v1({("f:metadata", "f:finalizers", fp.value("a")), ("f:metadata", "f:finalizers", fp.value(3))}) \
        == {"f:metadata": {"f:finalizers": {'v:"a"': {}, "v:3": {}}}}


def test_key_values_are_escaped_as_go_encoding_json_does():
    assert fp.key({"name": "<a&b>"}) == 'k:{"name":"\\u003ca\\u0026b\\u003e"}'


def test_elements_are_ordered_dot_fields_keys_values():
    encoded = fp.to_fields_v1({("f:x",), ("f:x", "v:1"), ("f:x", 'k:{"a":1}'), ("f:x", "f:b"), ("f:x", "f:a")})
    assert list(encoded["f:x"]) == [".", "f:a", "f:b", 'k:{"a":1}', "v:1"]


def test_fields_v1_round_trips():
    encoded = {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
               "f:spec": {"f:containers": {'k:{"name":"web"}': {".": {}, "f:image": {}, "f:name": {}}}}}
    assert fp.to_fields_v1(fp.from_fields_v1(encoded)) == encoded


@pytest.mark.parametrize("bad", [[], {"x:spec": {}}, {"f:spec": "leaf"}, {"f:spec": {"k:{oops": {}}}])
def test_malformed_fields_v1_is_an_error(bad):
    with pytest.raises(fp.FieldsError):
        fp.from_fields_v1(bad)


def test_contains_reads_membership_without_decoding():
    encoded = {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:data": {"f:key": {}}}
    assert fp.contains(encoded, ("f:metadata", "f:labels"))
    assert fp.contains(encoded, ("f:data", "f:key"))
    assert not fp.contains(encoded, ("f:data",))  # only a parent of a member
    assert not fp.contains(encoded, ("f:spec",))


def test_without_prefixes_drops_a_path_and_everything_below_it():
    paths = frozenset({("f:status",), ("f:status", "f:phase"), ("f:spec", "f:replicas")})
    assert fp.without_prefixes(paths, [("f:status",)]) == {("f:spec", "f:replicas")}
