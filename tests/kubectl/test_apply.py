"""Client-side `kauth apply -f`, as kubectl 1.32 applies: create with the last-applied annotation, then
three-way strategic merge patches (JSON merge patches for custom resources)."""

import json
from pathlib import Path

import pytest

from kauth.cluster import Cluster
from kauth.kubectl.apply import apply
from kauth.kubectl.client import Client
from kauth.kubectl.last_applied import ANNOTATION
from kauth.kubectl.loader import Document


@pytest.fixture(scope="module")
def base():
    return Cluster.in_memory()


@pytest.fixture
def client(base):
    return Client(base.copy())


def deployment(replicas=None, image="nginx:1.27", labels=None, env=None):
    spec = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": image, **({"env": env} if env else {})}]}}}
    if replicas is not None:
        spec["replicas"] = replicas
    meta = {"name": "web", **({"labels": labels} if labels else {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec}


def run(client, obj, **options):
    outcome = apply(client, [Document("web.yaml", obj, None)], **options)
    return outcome.text, outcome.stderr, outcome.exit_code


def live(client):
    return client.send("get", client.table().resolve("deployments.apps"), "default", "web").body


def test_create_then_unchanged_then_configured(client):
    assert run(client, deployment(replicas=2))[0] == "deployment.apps/web created\n"
    annotation = live(client)["metadata"]["annotations"][ANNOTATION]
    assert annotation == json.dumps(deployment(replicas=2) | {"metadata": {"annotations": {}, "name": "web",
                                                                          "namespace": "default"}},
                                    sort_keys=True, separators=(",", ":")) + "\n"
    assert run(client, deployment(replicas=2))[0] == "deployment.apps/web unchanged\n"
    assert run(client, deployment(replicas=3))[0] == "deployment.apps/web configured\n"
    assert live(client)["spec"]["replicas"] == 3


def test_apply_keeps_replicas_set_by_scale(client):
    run(client, deployment())
    scale = client.send("patch", client.table().resolve("deployments.apps"), "default", "web",
                        body={"spec": {"replicas": 5}}, patch_type="merge", subresource="scale")
    assert scale.ok, scale.body
    run(client, deployment(image="nginx:1.28"))
    assert (live(client)["spec"]["replicas"], live(client)["spec"]["template"]["spec"]["containers"][0]["image"]) == \
        (5, "nginx:1.28")


def test_a_field_dropped_from_the_file_is_deleted_only_if_it_had_been_applied(client):
    run(client, deployment(labels={"team": "a", "tier": "web"}))
    run(client, deployment(labels={"team": "a"}))
    assert live(client)["metadata"]["labels"] == {"team": "a"}


def test_a_field_never_applied_survives_and_the_missing_annotation_is_warned(client):
    rt = client.table().resolve("deployments.apps")
    assert client.send("create", rt, "default", body=deployment(labels={"team": "a", "extra": "kept"})).ok
    text, stderr, code = run(client, deployment(labels={"team": "a"}))
    assert (text, code) == ("deployment.apps/web configured\n", 0)
    assert stderr.startswith("Warning: resource deployments/web is missing the "
                             "kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl "
                             "apply.")
    assert live(client)["metadata"]["labels"] == {"team": "a", "extra": "kept"}


def test_removing_one_of_two_duplicate_env_names_deletes_both(client):
    """kubectl's known sharp edge (kubernetes/kubernetes#58477): env is keyed by name alone."""
    run(client, deployment(env=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]))
    run(client, deployment(env=[{"name": "A", "value": "1"}]))
    # Both are gone. (A real server stores no `env` at all: Go's omitempty drops the empty list kauth keeps.)
    assert not live(client)["spec"]["template"]["spec"]["containers"][0].get("env")


def test_dry_run_client_stores_nothing(client):
    text = run(client, deployment(), dry_run="client")[0]
    assert text == "deployment.apps/web created (dry run)\n"
    assert client.send("get", client.table().resolve("deployments.apps"), "default", "web").code == 404


def test_dry_run_server_runs_the_pipeline_and_stores_nothing(client):
    run(client, deployment(replicas=1))
    assert run(client, deployment(replicas=4), dry_run="server")[0] == "deployment.apps/web configured (server dry run)\n"
    assert live(client)["spec"]["replicas"] == 1


def test_server_side_apply_says_it_is_not_simulated(client):
    from kauth.api.errors import ClientError

    with pytest.raises(ClientError, match="server-side apply"):
        run(client, deployment(), server_side=True)


def test_generate_name_is_refused(client):
    obj = deployment()
    obj["metadata"] = {"generateName": "web-"}
    text, stderr, code = run(client, obj)
    # apply.go formats the generateName where the source is meant; the real kubectl 1.32 prints exactly this
    # (test_kubectl_scenarios.py runs it).
    assert (stderr, code) == ("error: from web-: cannot use generate name with apply\n", 1)


def test_a_custom_resource_gets_a_json_merge_patch_that_replaces_lists(client):
    crd = json.loads((Path(__file__).parent / "fixtures" / "crd-widget.json").read_text()) \
        if (Path(__file__).parent / "fixtures" / "crd-widget.json").exists() else {
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                         "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
    rt = client.table().for_kind("apiextensions.k8s.io/v1", "CustomResourceDefinition")
    assert client.send("create", rt, body=crd).ok
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
              "spec": {"sizes": [1, 2], "colour": "red"}}
    outcome = apply(client, [Document("w.yaml", widget, None)])
    assert outcome.text == "widget.example.com/w created\n"
    widget["spec"] = {"sizes": [3]}
    outcome = apply(client, [Document("w.yaml", widget, None)])
    assert outcome.text == "widget.example.com/w configured\n"
    patch = outcome.responses[-1].request
    assert patch.patch_type == "merge" and patch.body["spec"] == {"colour": None, "sizes": [3]}
    stored = client.send("get", client.table().for_kind("example.com/v1", "Widget"), "default", "w").body
    assert stored["spec"] == {"sizes": [3]}


def test_apply_through_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kauth.cli.main import cli

    monkeypatch.setenv("KAUTH_STATE", str(tmp_path / "state.db"))
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    path = tmp_path / "web.yaml"
    path.write_text(json.dumps(deployment(replicas=1)))
    assert runner.invoke(cli, ["apply", "-f", str(path)]).stdout == "deployment.apps/web created\n"
    assert runner.invoke(cli, ["apply", "-f", str(path)]).stdout == "deployment.apps/web unchanged\n"


def test_a_configuration_too_big_for_its_annotation_is_invalid(client):
    """The last-applied copy of 300 kB of data breaks the 256 KiB annotation limit: create takes it, apply not."""
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"blob": "x" * 300_000}}
    outcome = apply(client, [Document("big.yaml", big, None)])
    assert outcome.exit_code == 1
    assert outcome.stderr == ('The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than '
                              '262144 bytes\n')


def test_explain_says_per_field_why_apply_keeps_changes_or_deletes(client):
    run(client, deployment(replicas=2, labels={"tier": "web"}))
    rt = client.table().resolve("deployments.apps")
    client.send("patch", rt, "default", "web", body={"spec": {"replicas": 5}}, patch_type="merge", subresource="scale")
    outcome = apply(client, [Document("web.yaml", deployment(replicas=2, image="nginx:1.28"), None)])
    (title, lines), = outcome.explained()
    assert title == "client-side apply of deployment web (strategic merge patch)"
    assert lines[0] == "last-applied (original): present"
    assert 'deleted   metadata.labels.tier (was "web"): applied last time, gone from the file' in lines
    assert "changed   spec.replicas: 5 → 2: the file says so, whoever set it" in lines
    assert any(line.startswith("left      ") and "spec.revisionHistoryLimit" in line for line in lines)


# -- --prune and --force (the same steps run against the real kubectl in test_kubectl_scenarios.py) ----------

def configmap(name, namespace=None, app="demo"):
    meta = {"name": name, "labels": {"app": app}, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def apply_docs(client, *objs, **options):
    outcome = apply(client, [Document("cms.yaml", o, None) for o in objs], **options)
    return outcome.text, outcome.stderr, outcome.exit_code


def stored_configmaps(client):
    items = client.send("list", client.table().resolve("configmaps"), "").body["items"]
    return sorted((i["metadata"]["namespace"], i["metadata"]["name"]) for i in items
                  if (i["metadata"].get("labels") or {}).get("app") == "demo")


def test_prune_deletes_applied_objects_left_out_of_the_files_in_the_visited_namespaces_only(client):
    from kauth.kubectl.create import create

    apply_docs(client, configmap("a"), configmap("b"), configmap("c", "kube-public"))
    create(client, [Document("z.yaml", configmap("z"), None)])  # no last-applied: never pruned
    text, stderr, code = apply_docs(client, configmap("a"), prune=True, selector="app=demo")
    assert (text, code) == ("configmap/a unchanged\nconfigmap/b pruned\n", 0)
    assert "prune.go:71] Deprecated: kubectl apply will no longer prune non-namespaced resources" in stderr
    assert stored_configmaps(client) == [("default", "a"), ("default", "z"), ("kube-public", "c")]


def test_prune_dry_runs_report_without_deleting(client):
    apply_docs(client, configmap("a"), configmap("b"))
    for dry_run, line in (("client", "configmap/b pruned (dry run)"), ("server", "configmap/b pruned (server dry run)")):
        text, _, code = apply_docs(client, configmap("a"), prune=True, select_all=True, dry_run=dry_run)
        assert line in text.splitlines() and code == 0
    assert stored_configmaps(client) == [("default", "a"), ("default", "b")]


@pytest.mark.parametrize("options, message", [
    (dict(prune=True), "all resources selected for prune without explicitly passing --all. To prune all resources, "
                       "pass the --all flag. If you did not mean to prune all resources, specify a label selector"),
    (dict(prune=True, select_all=True, selector="a=b"), "cannot set --all and --selector at the same time"),
    (dict(prune=True, select_all=True, force=True), "--force cannot be used with --prune"),
    (dict(force=True, dry_run="server"), "--dry-run=server cannot be used with --force"),
    (dict(prune=True, select_all=True, prune_allowlist=("v1/ConfigMap",)),
     "invalid GroupVersionKind format: v1/ConfigMap, please follow <group/version/kind>"),
    (dict(prune=True, select_all=True, prune_allowlist=("core/v1/Nope",)), 'no matches for kind "Nope" in version "v1"'),
])
def test_prune_and_force_flag_errors_are_kubectls_and_change_nothing(client, options, message):
    from kauth.api.errors import ClientError

    before = client.server.store.revision()
    with pytest.raises(ClientError) as raised:
        apply_docs(client, configmap("a"), **options)
    assert raised.value.message == message
    assert client.server.store.revision() == before


def test_an_allowlist_narrows_what_prune_may_delete(client):
    apply_docs(client, configmap("a"), configmap("b"))
    text, stderr, _ = apply_docs(client, configmap("a"), prune=True, select_all=True,
                                 prune_allowlist=("core/v1/Secret",))
    assert text == "configmap/a unchanged\n" and "Deprecated" not in stderr
    assert stored_configmaps(client) == [("default", "a"), ("default", "b")]


def test_force_recreates_an_object_whose_patch_is_invalid(client):
    run(client, deployment())
    moved = deployment()
    moved["spec"]["selector"]["matchLabels"] = {"app": "web2"}
    moved["spec"]["template"]["metadata"]["labels"] = {"app": "web2"}
    old_uid = live(client)["metadata"]["uid"]
    _, stderr, code = run(client, moved)
    assert code == 1 and "field is immutable" in stderr
    assert run(client, moved, force=True) == ("deployment.apps/web configured\n", "", 0)
    assert live(client)["spec"]["selector"] == {"matchLabels": {"app": "web2"}}
    assert live(client)["metadata"]["uid"] != old_uid


def test_overwrite_false_refuses_a_field_changed_since_the_last_apply_and_changes_nothing(client):
    run(client, deployment(replicas=1))
    client.send("patch", client.table().resolve("deployments.apps"), "default", "web",
                body={"spec": {"replicas": 5}}, patch_type="merge")
    before = client.server.store.revision()
    text, stderr, code = run(client, deployment(replicas=2), overwrite=False)
    assert (text, code) == ("", 1)
    assert stderr.startswith('error: error when applying patch:\n\nto:\nResource: "apps/v1, Resource=deployments"')
    assert 'creating patch with:\noriginal:\n{"apiVersion":"apps/v1"' in stderr
    assert "conflicts with changes made from original to current:" in stderr and not stderr.endswith("\n\n\n")
    assert client.server.store.revision() == before
    assert run(client, deployment(replicas=2))[0] == "deployment.apps/web configured\n"  # overwrite (the default)
