"""-o json of typed objects: Go struct field order for structs, sorted keys for maps (kauth/kubectl/struct_order.py)."""

from __future__ import annotations

import json
import shutil

import pytest

from kauth.api.fields import root_type, struct_fields
from kauth.kubectl.printing import render
from kauth.kubectl.serialize import InOrder, to_compact_json, to_json, to_yaml
from kauth.kubectl.struct_order import in_struct_order
from kauth.kubectl.struct_order_data import FIELD_ORDER

DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"labels": {"z": "1", "app": "web"}, "creationTimestamp": None, "name": "web"},
              "spec": {"template": {"spec": {"containers": [{"resources": {}, "name": "web", "image": "nginx"}]},
                                    "metadata": {"creationTimestamp": None}},
                       "selector": {"matchLabels": {"app": "web"}}, "replicas": 1},
              "status": {}}


def keys_in_order(text: str) -> list:
    """The objects of a JSON text as nested (key, value) pair lists, in the order written."""
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


def test_typemeta_then_objectmeta_then_spec_and_status():
    printed = keys_in_order(to_json(in_struct_order(DEPLOYMENT)))
    assert [key for key, _ in printed] == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert [key for key, _ in printed[2][1]] == ["name", "creationTimestamp", "labels"]


def test_map_keys_stay_sorted_inside_a_struct():
    labels = dict(keys_in_order(to_json(in_struct_order(DEPLOYMENT)))[2][1])["labels"]
    assert [key for key, _ in labels] == ["app", "z"]


def test_structs_in_lists_and_below_are_ordered():
    spec = dict(keys_in_order(to_json(in_struct_order(DEPLOYMENT)))[3][1])
    assert list(spec) == ["replicas", "selector", "template"]
    container = dict(dict(dict(spec["template"])["spec"])["containers"][0])
    assert list(container) == ["name", "image", "resources"]


def test_a_kind_without_a_known_struct_is_printed_sorted():
    custom = {"kind": "Widget", "apiVersion": "example.com/v1", "metadata": {"name": "w"}, "spec": {"b": 1, "a": 2}}
    assert in_struct_order(custom) is custom
    assert to_json(in_struct_order(custom)) == to_json(custom)


def test_a_field_the_struct_lacks_goes_last():
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "zzz": 1, "aaa": 2, "data": {}}
    assert list(in_struct_order(obj)) == ["kind", "apiVersion", "metadata", "data", "aaa", "zzz"]


def test_yaml_and_compact_json_are_unchanged_by_the_order():
    ordered = in_struct_order(DEPLOYMENT)
    assert to_yaml(ordered) == to_yaml(DEPLOYMENT)
    assert to_compact_json(InOrder(b=1, a=2)) == '{"b":1,"a":2}'


def test_render_orders_only_typed_objects():
    assert render(DEPLOYMENT, "json").startswith('{\n    "apiVersion"')
    assert render(DEPLOYMENT, "json", typed=True).startswith('{\n    "kind": "Deployment",\n    "apiVersion"')


def test_every_ordered_type_names_only_fields_it_has():
    for type_name, order in FIELD_ORDER.items():
        assert len(order) == len(set(order)), type_name
        assert set(order) <= set(struct_fields(type_name)), type_name


def test_the_kinds_kubectl_prints_typed_have_an_order():
    for api_version, kind in [("v1", "Pod"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"),
                              ("v1", "Namespace"), ("v1", "ServiceAccount"), ("v1", "ResourceQuota"),
                              ("v1", "ReplicationController"), ("apps/v1", "Deployment"), ("apps/v1", "DaemonSet"),
                              ("apps/v1", "ReplicaSet"), ("apps/v1", "StatefulSet"), ("batch/v1", "Job"),
                              ("batch/v1", "CronJob"), ("rbac.authorization.k8s.io/v1", "Role"),
                              ("rbac.authorization.k8s.io/v1", "ClusterRole"),
                              ("rbac.authorization.k8s.io/v1", "RoleBinding"),
                              ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
                              ("networking.k8s.io/v1", "Ingress"), ("scheduling.k8s.io/v1", "PriorityClass"),
                              ("policy/v1", "PodDisruptionBudget"), ("authentication.k8s.io/v1", "TokenRequest")]:
        assert FIELD_ORDER[root_type(api_version, kind)][:2] == ["kind", "apiVersion"], kind


@pytest.mark.kubectl
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="the real kubectl is not installed: no oracle")
def test_the_table_is_what_kubectl_prints():
    """Regenerating struct_order_data.py from kubectl v1.32 gives the table kauth ships."""
    from gen_struct_order import table

    assert table() == FIELD_ORDER


def test_create_token_prints_the_token_request_in_struct_order():
    """`kubectl create token -o json` prints what CreateToken decoded: a TokenRequest struct."""
    answer = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
              "metadata": {"namespace": "default", "name": "ci", "creationTimestamp": None},
              "spec": {"expirationSeconds": 3600, "boundObjectRef": None, "audiences": ["https://kubernetes.default"]},
              "status": {"token": "t", "expirationTimestamp": "2026-01-01T00:00:00Z"}}
    printed = keys_in_order(render(answer, "json", typed=True))
    assert [key for key, _ in printed] == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert [[key for key, _ in part] for _, part in printed[2:]] == [
        ["name", "namespace", "creationTimestamp"], ["audiences", "expirationSeconds", "boundObjectRef"],
        ["token", "expirationTimestamp"]]
