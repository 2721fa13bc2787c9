"""`kauth compare -f`: apply, create and replace side by side on copies of one state, which never changes."""

import json

import pytest

from kauth.cluster import Cluster
from kauth.kubectl.apply import apply
from kauth.kubectl.client import Client
from kauth.kubectl.compare import compare, render
from kauth.kubectl.loader import Document


def deployment(image="nginx:1.27", replicas=None):
    spec = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": image}]}}}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec}


@pytest.fixture
def cluster():
    return Cluster.in_memory()


def run(cluster, obj):
    return compare(cluster, Client, [Document("web.yaml", obj, None)])


def test_on_an_absent_object_apply_and_create_create_and_replace_is_not_found(cluster):
    (comparison,) = run(cluster, deployment())
    outcomes = {r.command: r.outcome for r in comparison.results}
    assert outcomes == {"apply": "created", "create": "created", "replace": "NotFound"}
    assert {r.command: r.last_applied for r in comparison.results} == \
        {"apply": "written", "create": "absent", "replace": "(no object)"}


def test_a_field_set_by_scale_survives_apply_but_not_replace(cluster):
    client = Client(cluster)
    apply(client, [Document("web.yaml", deployment(), None)])
    rt = client.table().resolve("deployments.apps")
    assert client.send("patch", rt, "default", "web", body={"spec": {"replicas": 5}}, patch_type="merge",
                       subresource="scale").ok
    before = cluster.store.revision()
    (comparison,) = run(cluster, deployment(image="nginx:1.28"))
    by = {r.command: r for r in comparison.results}
    assert by["apply"].changes == ['spec.template.spec.containers[0].image: "nginx:1.27" → "nginx:1.28"']
    assert "spec.replicas: 5 → 1" in by["replace"].changes
    assert by["create"].outcome == "AlreadyExists"
    assert any("AlreadyExists" in line for line in comparison.why)
    assert any("apply leaves them alone" in line and "spec.replicas" in line for line in comparison.why)
    assert cluster.store.revision() == before  # compare never changes the state


def test_apply_deletes_a_dropped_field_only_if_it_had_been_applied(cluster):
    client = Client(cluster)
    apply(client, [Document("web.yaml", deployment(replicas=3), None)])
    (comparison,) = run(cluster, deployment())
    apply_result = next(r for r in comparison.results if r.command == "apply")
    assert "spec.replicas: 3 → 1" in apply_result.changes
    assert any(line.startswith("apply deletes spec.replicas") for line in comparison.why)


def test_the_table_and_json_carry_the_requests(cluster):
    comparisons = run(cluster, deployment())
    text = render(comparisons)
    assert "kubectl apply" in text and "kubectl create" in text and "kubectl replace" in text
    data = json.loads(json.dumps([c.to_dict() for c in comparisons]))
    assert data[0]["results"]["create"]["requests"][0]["method"] == "POST"
