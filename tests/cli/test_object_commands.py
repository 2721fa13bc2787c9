"""End to end through the CLI: kubectl's command lines, words and exit codes on a SQLite state."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner


from kauth.cli.main import cli

REPO = Path(__file__).resolve().parents[2]

POD = textwrap.dedent("""\
    apiVersion: v1
    kind: Pod
    metadata:
      name: my-nginx
      labels: {app: my-nginx}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
    """)

LEGACY_INGRESS = textwrap.dedent("""\
    apiVersion: extensions/v1beta1
    kind: Ingress
    metadata:
      name: car-sharing-ingress
    spec:
      rules:
      - http:
          paths:
          - path: /reservation
            backend: {serviceName: reservation-svc, servicePort: 80}
    """)


def write(name, text):
    Path(name).write_text(text)
    return name


def test_create_prints_kind_and_name(kauth):
    write("pod.yaml", POD)
    result = kauth("create", "-f", "pod.yaml")
    assert (result.exit_code, result.stdout) == (0, "pod/my-nginx created\n")


def test_create_of_an_existing_object_is_already_exists_with_the_source(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("create", "-f", "pod.yaml")
    assert result.exit_code == 1
    assert result.stderr == ('Error from server (AlreadyExists): error when creating "pod.yaml": '
                             'pods "my-nginx" already exists\n')


def test_legacy_ingress_is_a_resource_mapping_error_and_other_documents_still_run(kauth):
    write("mixed.yaml", LEGACY_INGRESS + "---\n" + POD)
    result = kauth("create", "-f", "mixed.yaml")
    assert result.exit_code == 1
    assert result.stdout == "pod/my-nginx created\n"
    assert result.stderr == (
        'error: resource mapping not found for name: "car-sharing-ingress" namespace: "" from "mixed.yaml": '
        'no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first\n')


def test_several_errors_print_one_per_line_without_the_error_prefix(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    write("mixed.yaml", LEGACY_INGRESS + "---\n" + POD)
    result = kauth("create", "-f", "mixed.yaml")
    assert result.stderr.splitlines() == [
        'resource mapping not found for name: "car-sharing-ingress" namespace: "" from "mixed.yaml": '
        'no matches for kind "Ingress" in version "extensions/v1beta1"',
        "ensure CRDs are installed first",
        'Error from server (AlreadyExists): error when creating "mixed.yaml": pods "my-nginx" already exists',
    ]


def test_get_a_missing_object_is_not_found(kauth):
    result = kauth("get", "pods", "x")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (NotFound): pods "x" not found\n')


def test_get_by_short_name_and_slash_form(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    for args in (["po", "my-nginx"], ["pod/my-nginx"], ["pods"]):
        result = kauth("get", *args, "-o", "name")
        assert (result.exit_code, result.stdout) == (0, "pod/my-nginx\n"), args


def test_get_json_of_one_object_is_the_object_and_of_a_list_is_a_list(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    one = json.loads(kauth("get", "pod", "my-nginx", "-o", "json").stdout)
    assert one["kind"] == "Pod" and one["metadata"]["name"] == "my-nginx"
    many = json.loads(kauth("get", "pods", "-o", "json").stdout)
    assert many["kind"] == "List" and [i["metadata"]["name"] for i in many["items"]] == ["my-nginx"]


def test_get_with_no_matches_says_so_on_stderr(kauth):
    result = kauth("get", "pods")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No resources found in default namespace.\n")


def test_get_all_namespaces_lists_the_default_service_accounts(kauth):
    result = kauth("get", "serviceaccounts", "-A", "-o", "jsonpath={.items[*].metadata.namespace}")
    assert result.stdout.split() == ["default", "dev", "kube-node-lease", "kube-public", "kube-system"] or \
        set(result.stdout.split()) >= {"default", "kube-node-lease", "kube-public", "kube-system"}


def test_unknown_resource_type_is_kubectls_error(kauth):
    result = kauth("get", "gizmos")
    assert (result.exit_code, result.stderr) == (1, 'error: the server doesn\'t have a resource type "gizmos"\n')


def test_a_50_mb_object_is_refused_by_the_api_servers_body_limit_and_nothing_changes(kauth):
    blob = "x" * (50 * 1024 * 1024)
    write("big.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {blob}\n---\n" + POD)
    result = kauth("create", "-f", "big.yaml", "--dry-run=server")
    assert (result.exit_code, result.stdout) == (1, "pod/my-nginx created (server dry run)\n")
    assert result.stderr == ('Error from server (RequestEntityTooLarge): error when creating "big.yaml": '
                             "Request entity too large: limit is 3145728\n")
    result = kauth("create", "-f", "big.yaml")
    assert result.exit_code == 1 and "RequestEntityTooLarge" in result.stderr
    assert kauth("get", "cm", "big", "--ignore-not-found").stdout == ""
    assert kauth("get", "pod", "my-nginx", "-o", "name").stdout == "pod/my-nginx\n"  # the other document went in


TYPO_POD = POD.replace("  name: my-nginx\n", "  name: my-nginx\n  labelz: {a: b}\n").replace(
    "    image: nginx", "    imagee: nginx\n    image: nginx")


@pytest.mark.parametrize("flag", [None, "--validate", "--validate=true", "--validate=strict", "--validate=1"])
def test_validate_strict_is_kubectls_default(kauth, flag):
    write("pod.yaml", TYPO_POD)
    result = kauth("create", "-f", "pod.yaml", *([flag] if flag else []))
    assert (result.exit_code, result.stdout) == (1, "")
    # kubectl sends its keys sorted, so the errors come in that order.
    assert result.stderr == (
        'Error from server (BadRequest): error when creating "pod.yaml": Pod in version "v1" cannot be handled as a '
        'Pod: strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[0].imagee"\n')


def test_validate_warn_prints_each_warning_once_and_drops_the_fields(kauth):
    write("pods.yaml", TYPO_POD + "---\n" + TYPO_POD.replace("name: my-nginx", "name: second"))
    result = kauth("create", "-f", "pods.yaml", "--validate=warn")
    assert (result.exit_code, result.stdout) == (0, "pod/my-nginx created\npod/second created\n")
    assert result.stderr == ('Warning: unknown field "metadata.labelz"\n'
                             'Warning: unknown field "spec.containers[0].imagee"\n')
    assert "labelz" not in kauth("get", "pod", "my-nginx", "-o", "yaml").stdout


def test_validate_false_is_ignore(kauth):
    write("pod.yaml", TYPO_POD)
    result = kauth("replace", "-f", "pod.yaml", "--validate=false")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (NotFound): error when replacing "pod.yaml": '
                                                    'pods "my-nginx" not found\n')
    result = kauth("create", "-f", "pod.yaml", "--validate=ignore")
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize("value", ["Strict", "WARN", "bogus", ""])
def test_validate_refuses_other_words_before_sending_anything(kauth, value):
    write("pod.yaml", POD)
    result = kauth("create", "-f", "pod.yaml", f"--validate={value}", "--explain")
    assert (result.exit_code, result.stderr) == (1, f'error: invalid - validate option "{value}"; must be one of: '
                                                    'strict (or true), warn, ignore (or false)\n')


def test_kubectl_patch_sends_no_directive_so_the_server_warns(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("patch", "pod", "my-nginx", "-p", '{"spec":{"zzz":1}}')
    assert (result.exit_code, result.stdout, result.stderr) == (0, "pod/my-nginx patched (no change)\n",
                                                                'Warning: unknown field "spec.zzz"\n')


def test_delete_by_name_and_ignore_not_found(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("delete", "pod", "my-nginx")
    assert (result.exit_code, result.stdout) == (0, 'pod "my-nginx" deleted\n')
    again = kauth("delete", "pod", "my-nginx")
    assert (again.exit_code, again.stderr) == (1, 'Error from server (NotFound): pods "my-nginx" not found\n')
    assert kauth("delete", "pod", "my-nginx", "--ignore-not-found").exit_code == 0


def test_delete_by_file_names_the_file_on_not_found(kauth):
    write("pod.yaml", POD)
    result = kauth("delete", "-f", "pod.yaml")
    assert result.stderr == 'Error from server (NotFound): error when deleting "pod.yaml": pods "my-nginx" not found\n'


def test_replace_puts_the_file_and_reports_a_missing_object(kauth):
    write("pod.yaml", POD)
    missing = kauth("replace", "-f", "pod.yaml")
    assert missing.stderr == ('Error from server (NotFound): error when replacing "pod.yaml": '
                              'pods "my-nginx" not found\n')
    write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
    kauth("create", "-f", "cm.yaml")
    result = kauth("replace", "-f", "cm.yaml", "--save-config")
    assert (result.exit_code, result.stdout) == (0, "configmap/settings replaced\n")
    annotations = json.loads(kauth("get", "cm", "settings", "-o", "json").stdout)["metadata"]["annotations"]
    assert "kubectl.kubernetes.io/last-applied-configuration" in annotations


def test_replace_of_a_pod_from_its_own_file_is_refused_because_admission_changed_it(kauth):
    """The ServiceAccount plugin mounted the token volume at create; the file lacks it, and a Pod's spec is
    immutable but for images and a few fields: as on a real cluster, replace needs --force."""
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("replace", "-f", "pod.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith('The Pod "my-nginx" is invalid: spec: Forbidden: pod updates may not change fields '
                                    'other than `spec.containers[*].image`')
    assert kauth("replace", "-f", "pod.yaml", "--force").stdout == 'pod "my-nginx" deleted\npod/my-nginx replaced\n'


def test_replace_with_a_stale_resource_version_is_a_conflict(kauth):
    write("pod.yaml", POD)
    created = json.loads(kauth("create", "-f", "pod.yaml", "-o", "json").stdout)
    kauth("patch", "pod", "my-nginx", "-p", '{"metadata":{"labels":{"x":"1"}}}')
    created["metadata"]["labels"]["y"] = "2"
    write("stale.json", json.dumps(created))
    result = kauth("replace", "-f", "stale.json")
    assert result.stderr == (
        'Error from server (Conflict): error when replacing "stale.json": Operation cannot be fulfilled on pods '
        '"my-nginx": the object has been modified; please apply your changes to the latest version and try again\n')


def test_patch_reports_no_change(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    changed = kauth("patch", "pod", "my-nginx", "-p", '{"metadata":{"labels":{"tier":"web"}}}')
    assert changed.stdout == "pod/my-nginx patched\n"
    same = kauth("patch", "pod", "my-nginx", "--type", "merge", "-p", '{"metadata":{"labels":{"tier":"web"}}}')
    assert same.stdout == "pod/my-nginx patched (no change)\n"


def test_patch_json_type(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("patch", "pod", "my-nginx", "--type", "json",
                   "-p", '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"}]')
    assert result.exit_code == 0
    assert kauth("get", "pod", "my-nginx", "-o", "jsonpath={.spec.containers[0].image}").stdout == "nginx:1.27"


def test_create_from_stdin(kauth):
    result = kauth("create", "-f", "-", input=POD)
    assert (result.exit_code, result.stdout) == (0, "pod/my-nginx created\n")


def test_create_in_an_enforced_namespace_that_disagrees_with_the_file(kauth):
    write("pod.yaml", POD.replace("  name: my-nginx\n", "  name: my-nginx\n  namespace: kube-system\n"))
    result = kauth("create", "-f", "pod.yaml", "-n", "default")
    assert result.stderr == ('error: the namespace from the provided object "kube-system" does not match the namespace '
                             '"default". You must pass \'--namespace=kube-system\' to perform this operation.\n')


def test_commands_without_a_state_say_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KAUTH_STATE", raising=False)
    result = CliRunner().invoke(cli, ["get", "pods"])
    assert result.exit_code == 1
    assert result.stderr == ('error: no kauth state at .kauth/state.db: run "kauth init" to create one '
                             "(or pass --state PATH / set KAUTH_STATE)\n")


def test_init_refuses_to_overwrite_without_force(kauth):
    result = kauth("init")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert kauth("init", "--force").exit_code == 0


BAD_QUOTA_CONFIG = """apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ResourceQuota
  configuration: {apiVersion: apiserver.config.k8s.io/v1, kind: ResourceQuotaConfiguration,
                  limitedResources: [{resource: ""}]}
"""
BAD_CONFIG_ERROR = ('error: couldn\'t init admission plugin "ResourceQuota": limitedResources[0].resource: '
                    "Required value\n")


@pytest.fixture
def bad_policies(tmp_path):
    folder = tmp_path / "bad-policies"
    folder.mkdir()
    (folder / "admission.yaml").write_text("admission-control-config-file: admission-configuration.yaml\n")
    (folder / "admission-configuration.yaml").write_text(BAD_QUOTA_CONFIG)
    return folder


def test_init_with_policies_kube_apiserver_would_refuse_creates_no_state(kauth, tmp_path, bad_policies):
    target = tmp_path / "new.db"
    result = kauth("init", "--state", str(target), "--policies", str(bad_policies))
    assert (result.exit_code, result.stderr) == (1, BAD_CONFIG_ERROR)
    assert not list(tmp_path.glob("new.db*"))


def test_init_force_with_refused_policies_keeps_the_old_state(kauth, bad_policies):
    kauth("create", "configmap", "keep-me")
    result = kauth("init", "--force", "--policies", str(bad_policies))
    assert (result.exit_code, result.stderr) == (1, BAD_CONFIG_ERROR)
    assert kauth("get", "configmap", "keep-me", "-o", "name").stdout == "configmap/keep-me\n"


def test_serve_with_refused_policies_is_an_error_not_a_traceback(kauth, bad_policies):
    result = kauth("serve", "--policies", str(bad_policies), "--secure-port", "0")
    assert (result.exit_code, result.stderr) == (1, BAD_CONFIG_ERROR)


def test_explain_prints_the_pipeline(kauth):
    write("pod.yaml", POD)
    result = kauth("create", "-f", "pod.yaml", "--explain", "--explain-output", "json")
    trace = json.loads(result.stderr)
    assert [s["stage"] for s in trace[0]["trace"]][:3] == ["authentication", "impersonation", "authorization"]
    assert trace[0]["request"] == {"verb": "create", "method": "POST",
                                   "path": "/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict"}


def test_explain_tree_shows_what_an_update_stored_and_changed(kauth):
    kauth("create", "deployment", "web", "--image=nginx")
    result = kauth("scale", "deployment", "web", "--replicas=3", "--explain")
    lines = [line.strip("│├└─ ") for line in result.stderr.splitlines()]
    assert "spec.replicas: 1 → 3" in lines
    assert "metadata.generation: 1 → 2" in lines
    assert any(line.startswith("resourceVersion ") and line.endswith(", generation 2") for line in lines)
    assert not any(line.startswith("metadata.resourceVersion") for line in lines)


def test_explain_tree_puts_plugins_skipped_for_one_reason_on_one_line(kauth):
    kauth("create", "deployment", "web", "--image=nginx")
    result = kauth("scale", "deployment", "web", "--replicas=3", "--explain")
    text = " ".join(line.strip("│├└─ ") for line in result.stderr.splitlines())
    assert "LimitRanger, ServiceAccount, TaintNodesByCondition, Priority," in text
    assert "ValidatingAdmissionPolicy: admitted — no policy applies to this request" in text
    json_trace = json.loads(kauth("scale", "deployment", "web", "--replicas=4", "--explain",
                                  "--explain-output", "json").stderr)
    mutating = next(s for s in json_trace[0]["trace"] if s["stage"] == "mutating admission")
    assert len([c for c in mutating["children"] if c["outcome"] == "skipped"]) >= 10  # JSON keeps every plugin


def test_state_export_import_round_trip(kauth, tmp_path):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    exported = kauth("state", "export", "-o", "json").stdout
    write("dump.json", exported)
    fresh = tmp_path / "fresh.db"
    assert kauth("init", "--state", str(fresh)).exit_code == 0
    imported = kauth("state", "import", "dump.json", "--state", str(fresh))
    assert imported.exit_code == 0, imported.output
    assert kauth("state", "export", "-o", "json", "--state", str(fresh)).stdout == exported


def test_state_import_is_all_or_nothing(kauth):
    write("bad.yaml", POD + "---\napiVersion: example.com/v1\nkind: Nope\nmetadata: {name: x, namespace: default}\n")
    before = kauth("state", "export", "-o", "json").stdout
    result = kauth("state", "import", "bad.yaml")
    assert result.exit_code == 1 and 'no matches for kind "Nope"' in result.stderr
    assert kauth("state", "export", "-o", "json").stdout == before


def test_the_real_subprocess_entry_point(tmp_path):
    state = tmp_path / "s.db"
    # The checkout goes first on the path, so this runs the code under test even where kauth is not installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    run = lambda *a: subprocess.run([sys.executable, "-m", "kauth", *a], capture_output=True, text=True,
                                    cwd=tmp_path, env=env)
    assert run("init", "--state", str(state)).returncode == 0
    (tmp_path / "pod.yaml").write_text(POD)
    result = run("create", "-f", "pod.yaml", "--state", str(state))
    assert (result.returncode, result.stdout) == (0, "pod/my-nginx created\n")


def test_state_import_takes_a_real_clusters_dump_as_it_is(kauth):
    dump = REPO / "tests" / "cli" / "fixtures" / "real-cluster-dump.yaml"
    assert kauth("state", "import", str(dump)).exit_code == 0
    deployment = json.loads(kauth("get", "deploy", "web", "-n", "shop", "-o", "json", "--show-managed-fields").stdout)
    assert deployment["metadata"]["resourceVersion"] == "51877"
    assert deployment["metadata"]["managedFields"][1]["subresource"] == "scale"
    assert deployment["status"]["readyReplicas"] == 3
    pods = kauth("get", "pods", "-n", "shop")
    assert pods.stdout.splitlines()[1].split()[:3] == ["web-6d4cf56db6-x7k2p", "1/1", "Running"]
    # Writes after the import continue the cluster's revision counter and bump generation on spec changes.
    assert kauth("patch", "deploy", "web", "-n", "shop", "-p", '{"spec":{"replicas":5}}').exit_code == 0
    shown = kauth("get", "deploy", "web", "-n", "shop", "-o",
                  "jsonpath={.metadata.resourceVersion} {.metadata.generation} {.spec.replicas}").stdout
    assert shown == "51878 4 5"
    # The imported Service keeps its clusterIP, and a new one is not given the same address.
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"},
           "spec": {"ports": [{"port": 80}]}}
    write("svc.json", json.dumps(svc))
    assert kauth("create", "-f", "svc.json").exit_code == 0
    ips = kauth("get", "svc", "-n", "shop", "-o", "jsonpath={.items[*].spec.clusterIP}").stdout.split()
    assert "10.96.132.17" in ips and len(set(ips)) == 2


def test_replace_of_a_service_manifest_keeps_its_cluster_ip_and_node_ports(kauth):
    manifest = str(REPO / "manifests" / "service-nginx-nodeport.yaml")
    kauth("create", "-f", manifest)
    query = "jsonpath={.spec.clusterIP} {.spec.ports[*].nodePort}"
    before = kauth("get", "svc", "my-nginx", "-o", query).stdout
    assert kauth("replace", "-f", manifest).stdout == "service/my-nginx replaced\n"
    assert kauth("get", "svc", "my-nginx", "-o", query).stdout == before


def test_jsonpath_output_has_no_final_newline_and_json_and_yaml_do(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    assert kauth("get", "pod", "my-nginx", "-o", "jsonpath={.metadata.name}").stdout == "my-nginx"
    assert kauth("get", "pod", "my-nginx", "-o", "yaml").stdout.endswith("\n")
    bad = kauth("get", "pod", "my-nginx", "-o", "jsonpath={.metadata.name")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ")


def test_custom_columns(kauth):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("get", "pods", "-o", "custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image")
    assert result.stdout.split("\n")[:2] == ["NAME       IMAGE", "my-nginx   nginx"]


@pytest.mark.parametrize(("patch", "words"), [
    ('{"spec": {bad', "Error from server (BadRequest): invalid character 'b' looking for beginning of object key string"),
    ("spec: [", 'error: unable to parse "spec: [": yaml: line 1: did not find expected node content'),
])
def test_patch_text_kubectl_cannot_read(kauth, patch, words):
    write("pod.yaml", POD)
    kauth("create", "-f", "pod.yaml")
    result = kauth("patch", "pod", "my-nginx", "-p", patch)
    assert (result.exit_code, result.stderr) == (1, words + "\n")


CRD = textwrap.dedent("""\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
      versions:
      - name: v1
        served: true
        storage: true
        schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        additionalPrinterColumns:
        - {name: Size, type: integer, jsonPath: .spec.size}
    ---
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w1}
    spec: {size: 3}
    """)


def test_a_crd_and_its_object_in_one_file_need_two_runs_as_with_kubectl(kauth):
    """kubectl maps kinds with the discovery it read when it started (still fresh, so not re-read):
    the custom kind is unknown on the first run, and the second run finds it."""
    write("crd.yaml", CRD)
    first = kauth("create", "-f", "crd.yaml")
    assert first.exit_code == 1
    assert first.stderr == ('error: resource mapping not found for name: "w1" namespace: "" from "crd.yaml": '
                            'no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n')
    second = kauth("create", "-f", "crd.yaml")
    assert second.stdout == "widget.example.com/w1 created\n"
    assert kauth("get", "wd", "--no-headers").stdout.split() == ["w1", "3"]
