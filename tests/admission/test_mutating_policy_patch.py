"""MutatingAdmissionPolicy's two patch types on one Deployment: the cases of upstream's patch tests, run through the
plugin (so the result is also defaulted, as dispatcher.go does after each mutation).

Sources: staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/mutating/patch/json_patch_test.go (TestJSONPatch)
and patch/smd_test.go (TestApplyConfiguration); each case is named as upstream names it.
"""

from __future__ import annotations

import pytest

from kauth.admission.mutatingpolicy import MutatingAdmissionPolicy
from kauth.api.errors import StatusError

from test_mutating_policy import apply_configuration, binding, json_patch, policy, state
from vap_helpers import create


def deployment(spec=None, labels=None) -> dict:
    meta = {"name": "web", "namespace": "default"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec or {}}


def containers(*names: str) -> dict:
    return {"template": {"spec": {"containers": [{"name": n} for n in names]}}}


def run(mutation: dict, obj: dict, old: dict | None = None) -> dict:
    s = state(policy("p", mutation), binding("b", "p"))
    attributes = create(obj, operation="UPDATE", old=old) if old else create(obj)
    return MutatingAdmissionPolicy().admit(attributes, s).object


def error(mutation: dict, obj: dict) -> str:
    with pytest.raises(StatusError) as info:
        run(mutation, obj)
    return info.value.message.removeprefix("policy 'p' with binding 'b' denied request: ")


def names(obj: dict) -> list[str]:
    return [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]]


# -- JSONPatch (json_patch_test.go) -------------------------------------------------------------------------------


def test_jsonpatch_with_false_test_operation():
    expression = ('[JSONPatch{op: "test", path: "/spec/replicas", value: 100},'
                  ' JSONPatch{op: "replace", path: "/spec/replicas", value: 3}]')
    assert run(json_patch(expression), deployment({"replicas": 1}))["spec"]["replicas"] == 1


def test_jsonpatch_with_true_test_operation():
    expression = ('[JSONPatch{op: "test", path: "/spec/replicas", value: 1},'
                  ' JSONPatch{op: "replace", path: "/spec/replicas", value: 3}]')
    assert run(json_patch(expression), deployment({"replicas": 1}))["spec"]["replicas"] == 3


@pytest.mark.parametrize("name, expression, labels, expected", [
    ("jsonPatch remove map entry by key", '[JSONPatch{op: "remove", path: "/metadata/labels/y"}]',
     {"x": "1", "y": "1"}, {"x": "1"}),
    ("jsonPatch copy map entry by key", '[JSONPatch{op: "copy", from: "/metadata/labels/x", path: "/metadata/labels/y"}]',
     {"x": "1"}, {"x": "1", "y": "1"}),
    ("jsonPatch move map entry by key", '[JSONPatch{op: "move", from: "/metadata/labels/x", path: "/metadata/labels/y"}]',
     {"x": "1"}, {"y": "1"}),
    ("jsonPatch add map entry by key and value", '[JSONPatch{op: "add", path: "/metadata/labels/x", value: "2"}]',
     {"y": "1"}, {"y": "1", "x": "2"}),
    ("jsonPatch add map value to field", '[JSONPatch{op: "add", path: "/metadata/labels", value: {"y": "2"}}]',
     None, {"y": "2"}),
    ("jsonPatch add map to existing map", '[JSONPatch{op: "add", path: "/metadata/labels", value: {"y": "2"}}]',
     {"x": "1"}, {"y": "2"}),
    ("jsonPatch replace key in map", '[JSONPatch{op: "replace", path: "/metadata/labels/x", value: "2"}]',
     {"y": "1"}, {"y": "1", "x": "2"}),
    ("jsonPatch replace map value of unset field", '[JSONPatch{op: "replace", path: "/metadata/labels", value: {"y": "2"}}]',
     None, {"y": "2"}),
    ("jsonPatch replace map value of set field", '[JSONPatch{op: "replace", path: "/metadata/labels", value: {"y": "2"}}]',
     {"x": "1"}, {"y": "2"}),
    ("JSONPatch key escaping", '[JSONPatch{op: "add", path: "/metadata/labels", value: {}},'
     ' JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey("k8s.io/x~y"), value: "true"}]',
     {}, {"k8s.io/x~y": "true"}),
])
def test_jsonpatch_on_labels(name, expression, labels, expected):
    assert run(json_patch(expression), deployment(labels=labels))["metadata"]["labels"] == expected


def test_jsonpatch_remove_to_unset_field():
    # upstream's case unsets replicas; through the dispatcher the object is then defaulted, so it comes back as 1
    assert run(json_patch('[JSONPatch{op: "remove", path: "/spec/replicas"}]'),
               deployment({"replicas": 5}))["spec"]["replicas"] == 1


@pytest.mark.parametrize("name, expression, before, after", [
    ("jsonPatch remove element in list", '[JSONPatch{op: "remove", path: "/spec/template/spec/containers/1"}]',
     ("a", "b", "c"), ["a", "c"]),
    ("jsonPatch copy first element to end of list", '[JSONPatch{op: "copy", from: "/spec/template/spec/containers/0",'
     ' path: "/spec/template/spec/containers/-"}]', ("a", "b", "c"), ["a", "b", "c", "a"]),
    ("jsonPatch move first element to end of list", '[JSONPatch{op: "move", from: "/spec/template/spec/containers/0",'
     ' path: "/spec/template/spec/containers/-"}]', ("a", "b", "c"), ["b", "c", "a"]),
    ("jsonPatch add to start of list", '[JSONPatch{op: "add", path: "/spec/template/spec/containers/0",'
     ' value: {"name": "x"}}]', ("a",), ["x", "a"]),
    ("jsonPatch add to end of list", '[JSONPatch{op: "add", path: "/spec/template/spec/containers/-",'
     ' value: {"name": "x"}}]', ("a",), ["a", "x"]),
    ("jsonPatch replace first element in list", '[JSONPatch{op: "replace", path: "/spec/template/spec/containers/0",'
     ' value: {"name": "x"}}]', ("a",), ["x"]),
])
def test_jsonpatch_on_a_list(name, expression, before, after):
    assert names(run(json_patch(expression), deployment(containers(*before)))) == after


def test_jsonpatch_add_with_an_object_initializer():
    # "jsonPatch add map entry by key and value" (the Object.spec one)
    spec = run(json_patch('[JSONPatch{op: "add", path: "/spec",'
                          ' value: Object.spec{selector: Object.spec.selector{}, replicas: 10}}]'), deployment())["spec"]
    assert spec["selector"] == {} and spec["replicas"] == 10


def test_jsonpatch_with_cel_initializer():
    obj = run(json_patch('[JSONPatch{op: "add", path: "/spec/template/spec/containers/-",'
                         ' value: Object.spec.template.spec.containers{name: "x",'
                         ' ports: [Object.spec.template.spec.containers.ports{containerPort: 8080}]}}]'),
              deployment(containers("a")))
    added = obj["spec"]["template"]["spec"]["containers"][1]
    assert added["name"] == "x" and added["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]  # TCP: defaulted


def test_jsonpatch_patch_type_has_field_access():
    expression = ('[JSONPatch{op: "add", path: "/metadata/labels", value: {"op": JSONPatch{op: "opValue"}.op,'
                  ' "path": JSONPatch{path: "pathValue"}.path, "from": JSONPatch{from: "fromValue"}.from,'
                  ' "value": string(JSONPatch{value: "valueValue"}.value)}}]')
    assert run(json_patch(expression), deployment(labels={}))["metadata"]["labels"] == {
        "op": "opValue", "path": "pathValue", "from": "fromValue", "value": "valueValue"}


def test_jsonpatch_patch_type_has_field_testing():
    expression = ('[JSONPatch{op: "add", path: "/metadata/labels", value: {'
                  '"op": string(has(JSONPatch{op: "opValue"}.op)), "path": string(has(JSONPatch{path: "p"}.path)),'
                  ' "from": string(has(JSONPatch{from: "f"}.from)), "value": string(has(JSONPatch{value: "v"}.value)),'
                  ' "op-unset": string(has(JSONPatch{}.op)), "path-unset": string(has(JSONPatch{}.path)),'
                  ' "from-unset": string(has(JSONPatch{}.from)), "value-unset": string(has(JSONPatch{}.value))}}]')
    assert run(json_patch(expression), deployment(labels={}))["metadata"]["labels"] == {
        "op": "true", "path": "true", "from": "true", "value": "true",
        "op-unset": "false", "path-unset": "false", "from-unset": "false", "value-unset": "false"}


def test_jsonpatch_patch_type_equality():
    expression = ('[JSONPatch{op: "add", path: "/metadata/labels", value: {'
                  '"empty": string(JSONPatch{} == JSONPatch{}),'
                  ' "partial": string(JSONPatch{op: "add"} == JSONPatch{op: "add"}),'
                  ' "same-all": string(JSONPatch{op: "add", path: "path", from: "from", value: 1} =='
                  ' JSONPatch{op: "add", path: "path", from: "from", value: 1}),'
                  ' "different-op": string(JSONPatch{op: "add"} == JSONPatch{op: "remove"}),'
                  ' "different-value": string(JSONPatch{op: "add", path: "path", from: "from", value: "1"} =='
                  ' JSONPatch{op: "add", path: "path", from: "from", value: 1})}}]')
    assert run(json_patch(expression), deployment(labels={}))["metadata"]["labels"] == {
        "empty": "true", "partial": "true", "same-all": "true", "different-op": "false", "different-value": "false"}


def test_jsonpatch_invalid_cel_initializer_type():
    message = error(json_patch('[JSONPatch{op: "add", path: "/spec/template/spec/containers/-",'
                               ' value: Object.spec.template.spec.containers{name: "x",'
                               ' ports: [Object.spec.template.spec.containers.portsZ{containerPort: 8080}]}}]'),
                    deployment(containers("a")))
    assert message == ('type mismatch: unexpected type name "Object.spec.template.spec.containers.portsZ", expected '
                       '"Object.spec.template.spec.containers.ports", which matches field name path from root Object '
                       "type")


# -- ApplyConfiguration (smd_test.go) -----------------------------------------------------------------------------


def volumes(*names: str) -> dict:
    return {"template": {"spec": {"containers": [{"name": "a", "image": "a"}],
                                  "volumes": [{"name": n} for n in names]}}}


ADD_VOLUME_Y = apply_configuration(
    'Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{'
    'volumes: [Object.spec.template.spec.volumes{name: "y"}]}}}}')


def test_apply_configuration_add_to_list_type_map():
    obj = run(ADD_VOLUME_Y, deployment(volumes("x")))
    assert [v["name"] for v in obj["spec"]["template"]["spec"]["volumes"]] == ["x", "y"]


def test_apply_configuration_update_list_type_map_entry():
    obj = run(apply_configuration(
        'Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{'
        'volumes: [Object.spec.template.spec.volumes{name: "y",'
        ' hostPath: Object.spec.template.spec.volumes.hostPath{path: "a"}}]}}}}'), deployment(volumes("x", "y")))
    got = obj["spec"]["template"]["spec"]["volumes"]
    assert [v["name"] for v in got] == ["x", "y"] and got[1]["hostPath"]["path"] == "a"


def test_apply_configuration_with_conditionals():
    expression = ("Object{spec: Object.spec{replicas: object.spec.replicas % 2 == 0 ?"
                  " object.spec.replicas + 1 : object.spec.replicas}}")
    assert run(apply_configuration(expression), deployment({"replicas": 2}))["spec"]["replicas"] == 3


def test_apply_configuration_with_old_object():
    expression = ("Object{spec: Object.spec{replicas: oldObject.spec.replicas % 2 == 0 ?"
                  " oldObject.spec.replicas + 1 : oldObject.spec.replicas}}")
    got = run(apply_configuration(expression), deployment({"replicas": 1}), old=deployment({"replicas": 2}))
    assert got["spec"]["replicas"] == 3


def test_complex_apply_configuration_initialization():
    obj = run(apply_configuration(
        'Object{spec: Object.spec{replicas: 1, template: Object.spec.template{'
        'metadata: Object.spec.template.metadata{labels: {"app": "nginx"}},'
        ' spec: Object.spec.template.spec{containers: [Object.spec.template.spec.containers{'
        'name: "nginx", image: "nginx:1.14.2",'
        ' ports: [Object.spec.template.spec.containers.ports{containerPort: 80}],'
        ' resources: Object.spec.template.spec.containers.resources{limits: {"cpu": "128M"}}}]}}}}'), deployment())
    assert obj["spec"]["replicas"] == 1
    assert obj["spec"]["template"]["metadata"]["labels"] == {"app": "nginx"}
    container = obj["spec"]["template"]["spec"]["containers"][0]
    assert (container["name"], container["image"]) == ("nginx", "nginx:1.14.2")
    assert container["ports"][0]["containerPort"] == 80 and container["resources"]["limits"] == {"cpu": "128M"}


def test_apply_configuration_merges_a_map_list_item_by_key_keeping_its_other_fields():
    obj = run(apply_configuration(
        'Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{'
        'containers: [Object.spec.template.spec.containers{name: "b", image: "b:2"}]}}}}'),
        deployment({"template": {"spec": {"containers": [{"name": "a", "image": "a:1"},
                                                          {"name": "b", "image": "b:1", "args": ["x"]}]}}}))
    got = obj["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"], c.get("args")) for c in got] == [("a", "a:1", None), ("b", "b:2", ["x"])]


def test_apply_configuration_with_change_to_atomic():
    message = error(apply_configuration('Object{spec: Object.spec{selector: Object.spec.selector{'
                                        'matchLabels: {"l": "v"}}}}'), deployment({"replicas": 1}))
    assert message == ("error applying patch: invalid ApplyConfiguration: may not mutate atomic arrays, maps or "
                       "structs: .spec.selector")


def test_apply_configuration_may_not_set_an_atomic_list():
    message = error(apply_configuration(
        'Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{'
        'containers: [Object.spec.template.spec.containers{name: "a", args: ["--v=2"]}]}}}}'),
        deployment(containers("a")))
    assert message.endswith("may not mutate atomic arrays, maps or structs: .spec.template.spec.containers[0].args")


def test_apply_configuration_with_invalid_type_name():
    message = error(apply_configuration("Object{spec: Object.specx{replicas: 1}}"), deployment({"replicas": 1}))
    assert message == ('type mismatch: unexpected type name "Object.specx", expected "Object.spec", which matches '
                       "field name path from root Object type")


def test_apply_configuration_with_invalid_field_name():
    message = error(apply_configuration("Object{spec: Object.spec{replicasx: 1}}"), deployment({"replicas": 1}))
    assert message == ("error applying patch: failed to convert patch object to typed object: .spec.replicasx: "
                       "field not declared in schema")


def test_apply_configuration_with_invalid_return_type():
    assert error(apply_configuration('"I\'m a teapot!"'), deployment()) == "must evaluate to Object but got string"


def test_apply_configuration_with_invalid_initializer_return_type():
    assert error(apply_configuration("Object.spec.metadata{}"), deployment()) == (
        "must evaluate to Object but got Object.spec.metadata")


# -- a custom resource: its CRD's structural schema types the merge ------------------------------------------------


WIDGET_SCHEMA = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "size": {"type": "integer"},
    "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
              "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "target": {"x-kubernetes-int-or-string": True},
    "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}


def admit_widget(expression: str) -> dict:
    from dataclasses import replace

    from kauth.api.resources import ResourceType

    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"},
              "spec": {"size": 1, "ports": [{"name": "http", "port": 80}]}}
    rt = ResourceType("example.com", "v1", "Widget", "widgets", True, openapi_schema=WIDGET_SCHEMA)
    rules = [{"apiGroups": ["example.com"], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["widgets"]}]
    s = state(policy("p", apply_configuration(expression), rules=rules), binding("b", "p"))
    attributes = replace(create(deployment()), resource_type=rt, name="w", object=widget)
    return MutatingAdmissionPolicy().admit(attributes, s).object


def widget_error(expression: str) -> str:
    with pytest.raises(StatusError) as info:
        admit_widget(expression)
    return info.value.message.removeprefix("policy 'p' with binding 'b' denied request: error applying patch: ")


def test_apply_configuration_on_a_custom_resource_follows_its_schema():
    got = admit_widget('Object{spec: Object.spec{size: 3, ports: [Object.spec.ports{name: "https", port: 443}]}}')
    assert got["spec"] == {"size": 3, "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}
    assert widget_error('Object{spec: Object.spec{tags: ["a"]}}').endswith(
        "may not mutate atomic arrays, maps or structs: .spec.tags")


def test_apply_configuration_on_a_custom_resource_with_a_field_its_schema_lacks():
    assert widget_error("Object{spec: Object.spec{colour: 1}}") == (
        "failed to convert patch object to typed object: .spec.colour: field not declared in schema")


def test_apply_configuration_on_a_custom_resource_with_a_value_of_the_wrong_type():
    assert widget_error('Object{spec: Object.spec{size: "large"}}') == (
        "failed to convert patch object to typed object: .spec.size: expected numeric (int or float), got string")


def test_apply_configuration_on_a_custom_resource_int_or_string_takes_any_scalar():
    assert admit_widget('Object{spec: Object.spec{target: "50%"}}')["spec"]["target"] == "50%"
    assert widget_error("Object{spec: Object.spec{target: [1]}}") == (
        "failed to convert patch object to typed object: .spec.target: expected any scalar, got &{[1]}")


def test_apply_configuration_on_a_custom_resource_keeps_unknown_fields_where_its_schema_preserves_them():
    got = admit_widget('Object{spec: Object.spec{extra: Object.spec.extra{anything: {"goes": true}}}}')
    assert got["spec"]["extra"] == {"anything": {"goes": True}}


def test_apply_configuration_on_a_custom_resource_types_its_metadata_as_object_meta():
    assert widget_error("Object{metadata: Object.metadata{labels: {'a': 1}}}") == (
        "failed to convert patch object to typed object: .metadata.labels.a: expected string, got "
        "&value.valueUnstructured{Value:1}")

# -- the typed environment: JSONPatch's fields are typed (mutation/jsonpatch.go), Object types are dynamic -------


def test_jsonpatch_invalid_op_type():
    # mutation/typeresolver_test.go "JSONPatch invalid op type": a compile error, so no patch is made
    assert error(json_patch('[JSONPatch{op: 1, path: "/spec/replicas", value: 3}]'), deployment()) == (
        "compilation failed: ERROR: <input>:1:14: expected type of field 'op' is 'string' but provided type is 'int'\n"
        ' | [JSONPatch{op: 1, path: "/spec/replicas", value: 3}]\n'
        " | .............^")


def test_jsonpatch_invalid_path_type():
    # mutation/typeresolver_test.go "JSONPatch invalid path type"
    message = error(json_patch('[JSONPatch{op: "add", path: 1, value: 3}]'), deployment())
    assert message.startswith("compilation failed: ERROR: <input>:1:27: expected type of field 'path' is 'string' "
                              "but provided type is 'int'")


def test_jsonpatch_invalid_from_type():
    # mutation/typeresolver_test.go "JSONPatch invalid from type"
    message = error(json_patch('[JSONPatch{op: "move", from: 1, path: "/spec/replicas"}]'), deployment())
    assert message.startswith("compilation failed: ERROR: <input>:1:28: expected type of field 'from' is 'string' "
                              "but provided type is 'int'")


def test_every_mistyped_jsonpatch_field_is_reported_with_cel_type_names():
    message = error(json_patch('[JSONPatch{op: "add", path: null, from: [1], value: 1}]'), deployment())
    assert message == (
        "compilation failed: ERROR: <input>:1:27: expected type of field 'path' is 'string' but provided type is "
        "'null_type'\n"
        ' | [JSONPatch{op: "add", path: null, from: [1], value: 1}]\n'
        " | ..........................^\n"
        "ERROR: <input>:1:39: expected type of field 'from' is 'string' but provided type is 'list(int)'\n"
        ' | [JSONPatch{op: "add", path: null, from: [1], value: 1}]\n'
        " | ......................................^")


def test_jsonpatch_value_takes_any_type():
    patched = run(json_patch('[JSONPatch{op: "add", path: "/spec/paused", value: true}]'), deployment())
    assert patched["spec"]["paused"] is True


def test_a_dynamic_jsonpatch_field_is_checked_when_the_patch_is_built():
    # object.spec.replicas is dyn: it type-checks as a string field, and fails only once it is an int
    message = error(json_patch('[JSONPatch{op: "add", path: object.spec.replicas, value: 3}]'),
                    deployment({"replicas": 1}))
    assert message == "type mismatch: JSONPatch field 'path' must be a string, got int"


def test_object_initializer_fields_are_not_typed_at_compile_time():
    # DynamicTypeResolver: any Object.<path> field takes any value; the schema is applied to the result
    message = error(apply_configuration('Object{spec: Object.spec{replicas: "three"}}'), deployment())
    assert message == ("error applying patch: failed to convert patch object to typed object: .spec.replicas: "
                       "expected numeric (int or float), got string")


def test_a_compile_error_inside_an_initializer_points_into_the_expression_as_written():
    message = error(apply_configuration("Object{spec: Object.spec{replicas: nope}}"), deployment())
    assert message == ("compilation failed: ERROR: <input>:1:36: undeclared reference to 'nope' (in container '')\n"
                       " | Object{spec: Object.spec{replicas: nope}}\n"
                       " | ...................................^")


def test_escape_key_of_a_non_string_does_not_compile():
    message = error(json_patch('[JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey(1),'
                               ' value: "x"}]'), deployment())
    assert message.startswith("compilation failed: ERROR: <input>:1:70: found no matching overload for "
                              "'jsonpatch.escapeKey' applied to '(int)'")


# typed/validate.go validateScalar and the map and list checks, as ObjectToTyped reports them


def configuration_error(expression: str, obj: dict | None = None) -> str:
    message = error(apply_configuration(expression), obj or deployment(containers("a")))
    return message.removeprefix("error applying patch: failed to convert patch object to typed object: ")


def test_apply_configuration_with_a_number_for_a_string():
    assert configuration_error("Object{spec: Object.spec{template: Object.spec.template{spec: "
                               "Object.spec.template.spec{serviceAccountName: 1}}}}") == (
        ".spec.template.spec.serviceAccountName: expected string, got &value.valueUnstructured{Value:1}")


def test_apply_configuration_with_a_number_for_a_boolean():
    assert configuration_error("Object{spec: Object.spec{paused: 1}}") == ".spec.paused: expected boolean, got &{1}"


def test_apply_configuration_with_a_scalar_for_a_struct():
    assert configuration_error('Object{spec: "fast"}') == ".spec: expected map, got &{fast}"


def test_apply_configuration_with_a_scalar_for_a_list():
    assert configuration_error("Object{spec: Object.spec{template: Object.spec.template{spec: "
                               'Object.spec.template.spec{volumes: "none"}}}}') == (
        ".spec.template.spec.volumes: expected list, got &{none}")


def test_apply_configuration_with_a_scalar_for_a_keyed_list_item():
    assert configuration_error("Object{spec: Object.spec{template: Object.spec.template{spec: "
                               'Object.spec.template.spec{containers: ["nginx"]}}}}') == (
        ".spec.template.spec.containers: element 0: associative list with keys may not have non-map elements")


def test_apply_configuration_with_several_type_errors_lists_them_all():
    assert configuration_error('Object{spec: Object.spec{replicas: "3", paused: "no"}}') == (
        "errors:\n"
        "  .spec.paused: expected boolean, got &{no}\n"
        "  .spec.replicas: expected numeric (int or float), got string")


def test_apply_configuration_reports_one_undeclared_field_per_object():
    # visitMapItems stops at the first field not declared in schema (Go's map order picks which; kauth's is sorted)
    assert configuration_error("Object{spec: Object.spec{replicasx: 1, pausedx: true}}") == (
        ".spec.pausedx: field not declared in schema")


def test_apply_configuration_takes_an_int_or_a_string_for_an_int_or_string():
    # RollingUpdateDeployment.maxSurge is an IntOrString: untyped in the schema
    expression = ('Object{spec: Object.spec{strategy: Object.spec.strategy{rollingUpdate: '
                  'Object.spec.strategy.rollingUpdate{maxSurge: "%s"}}}}')
    patched = run(apply_configuration(expression % "50%"), deployment(containers("a")))
    assert patched["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == "50%"


def test_a_field_type_error_in_a_multi_line_expression_is_placed_on_its_line():
    message = error(json_patch('[\n  JSONPatch{\n    op: "add",\n    path: 7\n  }\n]'), deployment())
    assert message == ("compilation failed: ERROR: <input>:4:9: expected type of field 'path' is 'string' but provided "
                       "type is 'int'\n"
                       " |     path: 7\n"
                       " | ........^")
