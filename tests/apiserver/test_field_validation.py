"""Server-side field validation (fieldValidation=Strict|Warn|Ignore), as kube-apiserver v1.37 does it.

Expected texts: handlers/rest.go (transformDecodeError), handlers/patch.go, sigs.k8s.io/json's strict
decoder (paths, document order, no report below an unknown field) and runtime.NewStrictDecodingError.
"""

import pytest

from apiserver_helpers import ADMIN, crd_for

from kauth.api.errors import StatusError, kubectl_message
from kauth.apiserver.request import Request


def send(cluster, verb, body=None, name="", resource="pods", **kw):
    return cluster.handle(Request(verb, "", "v1", resource, "default", name, body=body, credentials=ADMIN, **kw))


def typo_pod() -> dict:
    """A Pod with unknown fields, its keys in the order a hand-written body has them."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "typo", "labelz": {"a": "b"}},
            "spec": {"zzz": 1,
                     "containers": [{"name": "a", "image": "nginx", "imagee": "nginx"},
                                    {"name": "b", "image": "nginx", "foo": {"nested": {"deeper": 1}}}],
                     "foo": 2},
            "Spec": 3}


def test_strict_refuses_unknown_fields_in_document_order(cluster):
    response = send(cluster, "create", typo_pod(), field_validation="Strict")
    assert (response.code, response.body["reason"]) == (400, "BadRequest")
    assert response.body["message"] == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.labelz", '
        'unknown field "spec.zzz", unknown field "spec.containers[0].imagee", unknown field "spec.containers[1].foo", '
        'unknown field "spec.foo", unknown field "Spec"')
    assert send(cluster, "get", name="typo").code == 404


def test_warn_is_the_default_and_stores_the_object_without_the_unknown_fields(cluster):
    response = send(cluster, "create", typo_pod())
    assert response.code == 201
    assert response.warnings[:2] == ('unknown field "metadata.labelz"', 'unknown field "spec.zzz"')
    assert len(response.warnings) == 6
    stored = send(cluster, "get", name="typo").body
    assert "labelz" not in stored["metadata"] and "Spec" not in stored and "foo" not in stored["spec"]
    assert [sorted(c) for c in stored["spec"]["containers"]][0][:3] == ["image", "imagePullPolicy", "name"]
    assert "imagee" not in stored["spec"]["containers"][0]


def test_ignore_drops_unknown_fields_silently(cluster):
    response = send(cluster, "create", typo_pod(), field_validation="Ignore")
    assert (response.code, response.warnings) == (201, ())
    assert "zzz" not in send(cluster, "get", name="typo").body["spec"]


def test_field_names_match_case_sensitively(cluster):
    body = typo_pod()
    body["metadata"] = {"Name": "x", "name": "typo"}
    body["spec"] = {"containers": [{"name": "a", "Image": "nginx", "image": "nginx"}]}
    del body["Spec"]
    response = send(cluster, "create", body, field_validation="Strict")
    assert response.body["message"].endswith(
        'strict decoding error: unknown field "metadata.Name", unknown field "spec.containers[0].Image"')


def test_map_keys_are_path_segments_and_repeats_are_reported_once(cluster):
    secret_volume = {"name": "v", "secret": {"secretName": "s", "optional": True, "bogus": 1}}
    body = typo_pod()
    body["spec"] = {"containers": [{"name": "a", "image": "nginx",
                                    "resources": {"limits": {"cpu": "1"}, "bogus": 1}}],
                    "volumes": [secret_volume, secret_volume], "overhead": {"cpu": "1"}}
    body["metadata"] = {"name": "typo"}
    del body["Spec"]
    response = send(cluster, "create", body, field_validation="Strict")
    assert response.body["message"].endswith(
        'unknown field "spec.containers[0].resources.bogus", unknown field "spec.volumes[0].secret.bogus", '
        'unknown field "spec.volumes[1].secret.bogus"')


def test_at_most_100_errors_are_reported(cluster):
    body = typo_pod()
    body["metadata"] = {"name": "typo"}
    body["spec"] = {"containers": [{"name": "a", "image": "nginx"}], **{f"x{i:03}": i for i in range(150)}}
    del body["Spec"]
    message = send(cluster, "create", body, field_validation="Strict").body["message"]
    assert message.count("unknown field") == 100 and message.endswith('unknown field "spec.x099"')


def test_the_directive_is_case_sensitive(cluster):
    response = send(cluster, "create", typo_pod(), field_validation="strict")
    assert (response.code, response.body["message"]) == (422, (
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": '
        'supported values: "", "Ignore", "Strict", "Warn"'))


def test_update_reports_like_create(cluster):
    send(cluster, "create", typo_pod(), field_validation="Ignore")
    live = send(cluster, "get", name="typo").body
    live["spec"]["containers"][0]["imagee"] = "x"
    response = send(cluster, "update", live, name="typo", field_validation="Strict")
    assert response.body["message"] == ('Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
                                        'unknown field "spec.containers[0].imagee"')


def _create_plain_pod(cluster):
    body = typo_pod()
    body["metadata"] = {"name": "typo"}
    body["spec"] = {"containers": [{"name": "a", "image": "nginx"}]}
    del body["Spec"]
    assert send(cluster, "create", body, field_validation="Strict").code == 201


def test_a_strict_strategic_merge_patch_is_a_422_quoting_the_patch_map_with_sorted_errors(cluster):
    _create_plain_pod(cluster)
    patch = {"spec": {"zzz": "bar", "aaa": [1, 2]}}
    response = send(cluster, "patch", patch, name="typo", patch_type="strategic", field_validation="Strict")
    assert (response.code, response.body["reason"]) == (422, "Invalid")
    cause = 'patch: Invalid value: "map[spec:map[aaa:[1 2] zzz:bar]]": strict decoding error: ' \
            'unknown field "spec.aaa", unknown field "spec.zzz"'
    assert response.body["message"] == ' "" is invalid: ' + cause
    assert kubectl_message(StatusError.from_status(response.body)) == "The request is invalid: " + cause


def test_a_strict_merge_patch_quotes_the_patched_object(cluster):
    _create_plain_pod(cluster)
    response = send(cluster, "patch", {"metadata": {"labels": {"a": "<b>"}}, "spec": {"zzz": 1}}, name="typo",
                    patch_type="merge", field_validation="Strict")
    assert response.code == 422
    message = response.body["message"]
    assert message.startswith(' "" is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\"')
    assert '\\"labels\\":{\\"a\\":\\"\\\\u003cb\\\\u003e\\"}' in message  # json.Marshal escapes < and >
    assert message.endswith('": strict decoding error: unknown field "spec.zzz"')


def test_kubectl_patch_sends_no_directive_so_unknown_fields_are_warnings(cluster):
    _create_plain_pod(cluster)
    response = send(cluster, "patch", [{"op": "add", "path": "/spec/zzz", "value": 1, "extra": True}],
                    name="typo", patch_type="json")
    assert response.code == 200
    assert response.warnings == ('json patch unknown field "[0].extra"', 'unknown field "spec.zzz"')
    assert "zzz" not in response.body["spec"]


def test_an_unknown_field_nested_thousands_deep_is_reported_not_crashed_on(cluster):
    body = typo_pod()
    body["metadata"] = {"name": "deep"}
    body["spec"] = {"containers": [{"name": "a", "image": "nginx"}]}
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    body["Spec"] = deep
    response = send(cluster, "create", body, field_validation="Strict")
    assert response.body["message"].endswith('strict decoding error: unknown field "Spec"')
    assert send(cluster, "create", body).code == 201


def test_custom_resources_are_not_checked_against_built_in_fields(cluster):
    from kauth.api.fields import unknown_fields

    assert unknown_fields("example.com/v1", "Widget", {"spec": {"anything": 1}}) == []


# -- custom resources: pruned by the CRD's structural schema -------------------------------------------

PET_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {
            "name": {"type": "string"},
            "toys": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                     "properties": {"typed": {"type": "object", "properties": {"a": {"type": "string"}}}}},
            "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                         "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
        }},
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}


@pytest.fixture
def pets(cluster):
    crd = crd_for("Pet", "pets", "v1alpha1", PET_SCHEMA)
    response = cluster.handle(Request("create", "apiextensions.k8s.io", "v1", "customresourcedefinitions",
                                      body=crd, credentials=ADMIN))
    assert response.code == 201
    return cluster


def pet(**spec) -> dict:
    return {"apiVersion": "example.com/v1alpha1", "kind": "Pet", "metadata": {"name": "rex"}, "spec": spec}


def send_pet(cluster, verb, body, **kw):
    return cluster.handle(Request(verb, "example.com", "v1alpha1", "pets", "default", kw.pop("name", ""),
                                  body=body, credentials=ADMIN, **kw))


def test_strict_refuses_fields_the_schema_does_not_declare(pets):
    response = send_pet(pets, "create", pet(name="rex", favoriteColor="red"), field_validation="Strict")
    assert (response.code, response.body["message"]) == (400, (
        'Pet in version "v1alpha1" cannot be handled as a Pet: strict decoding error: '
        'unknown field "spec.favoriteColor"'))


def test_pruned_paths_come_after_metadata_errors_and_are_sorted(pets):
    body = pet(zeta=1, toys=[{"kind": "ball", "squeaks": True}], free={"anything": {"goes": 1}, "typed": {"b": 1}},
               labels={"x": "y"}, template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                            "spec": {"kept": 1}, "extra": 1})
    body["metadata"]["zz"] = 1
    body["metadata"]["aa"] = 1
    body["top"] = 1
    response = send_pet(pets, "create", body, field_validation="Strict")
    assert response.body["message"].split("strict decoding error: ")[1] == ", ".join(f'unknown field "{p}"' for p in [
        "metadata.aa", "metadata.zz",
        "spec.free.typed.b", "spec.template.extra", "spec.toys[0].squeaks", "spec.zeta", "top"])


def test_warn_prunes_and_stores_what_the_schema_keeps(pets):
    body = pet(name="rex", zeta=1, free={"anything": {"goes": 1}}, template={"apiVersion": "v1", "spec": {"kept": 1}})
    response = send_pet(pets, "create", body)
    assert response.code == 201
    assert response.warnings == ('unknown field "spec.zeta"',)
    assert response.body["spec"] == {"name": "rex", "free": {"anything": {"goes": 1}},
                                     "template": {"apiVersion": "v1", "spec": {"kept": 1}}}


def test_an_object_property_without_properties_prunes_everything_below_it(pets):
    # Without a status subresource, status is an ordinary field of the object.
    response = send_pet(pets, "create", {**pet(), "status": {"ready": True, "phase": "x"}}, field_validation="Ignore")
    assert (response.code, response.body["status"], response.warnings) == (201, {"ready": True}, ())
    body = pet(toys=[{"kind": "ball", "size": {"cm": 3}}])
    assert send_pet(pets, "create", {**body, "metadata": {"name": "two"}}).warnings == (
        'unknown field "spec.toys[0].size"',)


def test_a_strict_merge_patch_of_a_custom_resource_is_the_patch_422(pets):
    assert send_pet(pets, "create", pet(name="rex")).code == 201
    response = send_pet(pets, "patch", {"spec": {"zeta": 1}}, name="rex", patch_type="merge",
                        field_validation="Strict")
    assert response.code == 422 and response.body["message"].endswith(
        '": strict decoding error: unknown field "spec.zeta"')
