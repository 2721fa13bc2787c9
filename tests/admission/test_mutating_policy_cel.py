"""The CEL that MutatingAdmissionPolicy adds: Object and JSONPatch initializers and jsonpatch.escapeKey, which kauth
rewrites into map literals for cel-cpp (kauth/admission/cel/objects.py).

Upstream: k8s.io/apiserver/pkg/cel/mutation (JSONPatch type, jsonpatch.escapeKey: "~" -> "~0", "/" -> "~1",
RFC 6901) and cel/mutation/dynamic (Object types named by their field path).
"""

from __future__ import annotations

from kauth.admission.cel import DataBounds, Environment
from kauth.admission.cel import objects

ENV = Environment()


def evaluate(expression: str, obj=None):
    rewritten = objects.rewrite(expression)
    assert not rewritten.error, rewritten.error
    compiled = ENV.compile(rewritten.text)
    assert not compiled.error, compiled.error
    data = {"object": obj or {}}
    result = ENV.evaluate(compiled, data, DataBounds.of([data["object"]]))
    assert not result.error, result.error
    return result.value


def test_escape_key_escapes_tilde_then_slash():
    assert evaluate('jsonpatch.escapeKey("k8s.io/x~y")') == "k8s.io~1x~0y"
    assert evaluate('jsonpatch.escapeKey("a~1")') == "a~01"  # "~" first, so an escaped slash is not mistaken


def test_an_initializer_is_a_map_that_knows_its_type_name():
    value = evaluate('Object{spec: Object.spec{replicas: 3, paused: false}}')
    assert objects.type_of(value) == "Object"
    assert objects.plain(value) == {"spec": {"replicas": 3, "paused": False}}


def test_initializer_fields_read_like_struct_fields():
    assert evaluate('Object.spec{replicas: 3}.replicas + 1') == 4
    assert evaluate('has(JSONPatch{op: "add"}.path)') is False


def test_an_optional_field_is_set_only_when_present():
    value = evaluate('Object{spec: Object.spec{?replicas: object.?spec.replicas}}', {"spec": {}})
    assert objects.plain(value) == {"spec": {}}


def test_strings_and_comments_are_left_alone():
    value = evaluate('// Object{ in a comment\n[JSONPatch{op: "add", path: "/x", value: "Object{spec: 1}"}]')
    assert objects.plain(value) == [{"op": "add", "path": "/x", "value": "Object{spec: 1}"}]


def test_the_whole_expressions_initializer_type_is_known_before_evaluation():
    assert objects.rewrite("Object.spec.metadata{}").root_type == "Object.spec.metadata"
    assert objects.rewrite("true ? Object{} : Object{}").root_type == ""


def test_an_unknown_jsonpatch_field_is_a_compile_error_at_its_colon():
    # cel-go's parser gives a field initializer the id of its ':' token; the checker reports there
    assert objects.rewrite('JSONPatch{op: "add", frm: "/a"}').error == (
        "ERROR: <input>:1:25: undefined field 'frm'\n"
        ' | JSONPatch{op: "add", frm: "/a"}\n'
        " | ........................^")


def test_type_names_must_follow_the_field_path():
    value = evaluate('Object{spec: Object.spec{template: Object.spec.templat{}}}')
    try:
        objects.check_type_names(value)
    except objects.TypeMismatch as err:
        assert str(err) == ('unexpected type name "Object.spec.templat", expected "Object.spec.template", which '
                            "matches field name path from root Object type")
    else:
        raise AssertionError("no type mismatch")


def test_list_items_are_named_by_the_lists_field():
    objects.check_type_names(evaluate(
        'Object{spec: Object.spec{containers: [Object.spec.containers{name: "a"}]}}'))


def test_values_become_json_as_structpb_writes_them():
    value = evaluate('[dyn(b"hi"), dyn(timestamp("2026-01-02T03:04:05.5Z")), dyn(duration("90s")), dyn(1), dyn(2.5),'
                     ' dyn(null)]')
    assert objects.plain(value) == ["aGk=", "2026-01-02T03:04:05.5Z", "90s", 1, 2.5, None]
