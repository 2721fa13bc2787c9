"""Which admission plugins run and in which order, configured as kube-apiserver is (its admission flags and an
AdmissionConfiguration). Expectations from pkg/kubeapiserver/options/plugins.go (AllOrderedPlugins,
DefaultOffAdmissionPlugins) and admission.go (the flag checks)."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from kauth.admission.plugins import (AdmissionConfigError, AdmissionOptions, build_chain, read_options)
from kauth.admission.quota.config import LimitedResource
from kauth.apiserver.request import Credentials, Request
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cli.main import cli
from kauth.cluster import Cluster

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)
PRIVILEGED_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": True}}]}}


def names(plugins) -> list[str]:
    return [p.name for p in plugins]


def test_the_default_chain_is_kube_apiservers_defaults_in_its_order():
    chain = build_chain()
    assert names(chain.mutating)[:3] == ["NamespaceLifecycle", "LimitRanger", "ServiceAccount"]
    assert names(chain.validating)[-3:] == ["ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota"]
    assert "PodSecurity" in names(chain.validating)
    for off in ("AlwaysPullImages", "DenyServiceExternalIPs", "NodeRestriction", "AlwaysDeny"):
        assert off not in names(chain.mutating) + names(chain.validating)


def test_enabled_plugins_take_upstreams_place_whatever_the_flags_order():
    chain = build_chain(AdmissionOptions(enable=("DenyServiceExternalIPs", "AlwaysPullImages")))
    mutating = names(chain.mutating)
    assert mutating.index("ServiceAccount") < mutating.index("AlwaysPullImages") < mutating.index("DefaultStorageClass")
    validating = names(chain.validating)
    assert validating.index("PodSecurity") < validating.index("DenyServiceExternalIPs") < validating.index(
        "ResourceQuota")


def test_a_plugin_in_both_phases_is_one_object_in_both_lists():
    chain = build_chain()
    limit_ranger = [p for p in chain.mutating if p.name == "LimitRanger"][0]
    assert [p for p in chain.validating if p.name == "LimitRanger"][0] is limit_ranger


def test_disabled_plugins_do_not_run():
    chain = build_chain(AdmissionOptions(disable=("ResourceQuota", "ServiceAccount")))
    assert "ResourceQuota" not in names(chain.validating)
    assert "ServiceAccount" not in names(chain.mutating) + names(chain.validating)


def test_unknown_and_overlapping_plugins_are_refused_with_kube_apiservers_words():
    with pytest.raises(AdmissionConfigError) as failure:
        build_chain(AdmissionOptions(enable=("Nope", "AlwaysPullImages"), disable=("AlwaysPullImages", "Gone")))
    assert str(failure.value) == ('enable-admission-plugins plugin "Nope" is unknown; disable-admission-plugins plugin '
                                  '"Gone" is unknown; [AlwaysPullImages] in enable-admission-plugins and '
                                  'disable-admission-plugins overlapped')


def test_an_admission_configuration_configures_pod_security():
    configuration = {"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration", "plugins": [{
        "name": "PodSecurity", "configuration": {
            "apiVersion": "pod-security.admission.config.k8s.io/v1", "kind": "PodSecurityConfiguration",
            "defaults": {"enforce": "baseline"}}}]}
    cluster = Cluster.in_memory()
    cluster.server.admission = build_chain(AdmissionOptions(configuration=configuration))
    response = cluster.handle(Request("create", "", "v1", "pods", "default", body=PRIVILEGED_POD, credentials=ADMIN))
    assert response.code == 403
    assert response.body["message"] == ('pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged '
                                        '(container "c" must not set securityContext.privileged=true)')


def test_plugins_kauth_does_not_simulate_say_so_in_the_trace():
    cluster = Cluster.in_memory()
    cluster.server.admission = build_chain(AdmissionOptions(enable=("NodeRestriction",)))
    pod = {**PRIVILEGED_POD, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    response = cluster.handle(Request("create", "", "v1", "pods", "default", body=pod, credentials=ADMIN))
    validating = [s for s in response.trace if s.stage == "validating admission"][0]
    node_restriction = [s for s in validating.children if s.stage == "NodeRestriction"][0]
    assert (node_restriction.outcome, node_restriction.message) == (
        "not simulated", "not simulated by kauth: a real cluster would run it here")
    assert "(1 not simulated by kauth)" in validating.message


def test_policies_admission_yaml_is_read_with_its_configuration_file(tmp_path):
    (tmp_path / "admission.yaml").write_text("enable-admission-plugins: AlwaysPullImages,DenyServiceExternalIPs\n"
                                             "disable-admission-plugins: [ResourceQuota]\n"
                                             "admission-control-config-file: config.yaml\n")
    (tmp_path / "config.yaml").write_text("apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\n"
                                          "plugins: []\n")
    options = read_options(tmp_path)
    assert options.enable == ("AlwaysPullImages", "DenyServiceExternalIPs")
    assert options.disable == ("ResourceQuota",)
    assert options.configuration["kind"] == "AdmissionConfiguration"


def test_without_admission_yaml_the_defaults_apply(tmp_path):
    assert read_options(tmp_path) == AdmissionOptions()


def test_the_trace_lists_each_mutating_plugins_changes_and_only_its_own():
    cluster = Cluster.in_memory()
    pod = {**PRIVILEGED_POD, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    response = cluster.handle(Request("create", "", "v1", "pods", "default", body=pod, credentials=ADMIN))
    mutating = [s for s in response.trace if s.stage == "mutating admission"][0]
    steps = {s.stage: s for s in mutating.children}
    assert [line.split(":")[0] for line in steps["DefaultTolerationSeconds"].details["changes"]] == ["spec.tolerations"]
    assert "spec.serviceAccountName: (none) → \"default\"" in steps["ServiceAccount"].details["changes"]
    assert mutating.to_dict()["children"][2]["details"]["changes"] == list(steps["ServiceAccount"].details["changes"])


@pytest.mark.parametrize("flags, problem", [
    ("enable-admission-plugins: [\n", "admission.yaml: while parsing a flow node"),
    ("admission-control-config-file: missing.yaml\n", "missing.yaml: No such file or directory"),
    ("- a list\n", "admission.yaml: expected a mapping of kube-apiserver flags"),
])
def test_a_broken_admission_yaml_is_a_clear_error_naming_the_file(tmp_path, flags, problem):
    (tmp_path / "admission.yaml").write_text(flags)
    with pytest.raises(AdmissionConfigError, match=problem):
        read_options(tmp_path)


def test_the_api_server_refuses_an_invalid_policy_binding_and_stores_nothing():
    cluster = Cluster.in_memory()
    binding = {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
               "metadata": {"name": "both"}, "spec": {"policyName": "p", "validationActions": ["Deny", "Warn"]}}
    response = cluster.handle(Request("create", "admissionregistration.k8s.io", "v1",
                                      "validatingadmissionpolicybindings", body=binding, credentials=ADMIN))
    assert (response.code, response.body["reason"]) == (422, "Invalid")
    assert "must not contain both Deny and Warn" in response.body["message"]
    assert cluster.handle(Request("get", "admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings",
                                  name="both", credentials=ADMIN)).code == 404


# --- ResourceQuota's own configuration (ResourceQuotaConfiguration) ---------------------------------------------

LIMITED_STORAGE = """\
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ResourceQuota
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: ResourceQuotaConfiguration
    limitedResources:
    - resource: persistentvolumeclaims
      matchContains: [.storageclass.storage.k8s.io/requests.storage]
"""
GOLD_CLAIM = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
              "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gold",
                       "resources": {"requests": {"storage": "1Gi"}}}}


def policies_with(tmp_path, admission_configuration: str):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "admission.yaml").write_text("admission-control-config-file: config.yaml\n")
    (tmp_path / "config.yaml").write_text(admission_configuration)
    return tmp_path


def create_claim(cluster):
    return cluster.handle(Request("create", "", "v1", "persistentvolumeclaims", "default", body=GOLD_CLAIM,
                                  credentials=ADMIN))


def test_an_admission_configuration_gives_resource_quota_its_limited_resources():
    chain = build_chain(AdmissionOptions(configuration=yaml.safe_load(LIMITED_STORAGE)))
    resource_quota = [p for p in chain.validating if p.name == "ResourceQuota"][0]
    assert resource_quota.configuration.limited_resources == (
        LimitedResource("", "persistentvolumeclaims", (".storageclass.storage.k8s.io/requests.storage",)),)


def test_a_cluster_with_limited_storage_refuses_a_claim_no_quota_covers_and_stores_nothing(tmp_path):
    cluster = Cluster.in_memory(policies=policies_with(tmp_path, LIMITED_STORAGE))
    response = create_claim(cluster)
    assert (response.code, response.body["reason"]) == (403, "Forbidden")
    assert response.body["message"] == ('persistentvolumeclaims "data" is forbidden: insufficient quota to consume: '
                                        'gold.storageclass.storage.k8s.io/requests.storage')
    assert cluster.handle(Request("get", "", "v1", "persistentvolumeclaims", "default", "data",
                                  credentials=ADMIN)).code == 404


def test_a_cluster_with_limited_storage_admits_a_claim_once_a_quota_covers_its_class(tmp_path):
    cluster = Cluster.in_memory(policies=policies_with(tmp_path, LIMITED_STORAGE))
    gold = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "gold"},
            "spec": {"hard": {"gold.storageclass.storage.k8s.io/requests.storage": "10Gi"}}}
    assert cluster.handle(Request("create", "", "v1", "resourcequotas", "default", body=gold,
                                  credentials=ADMIN)).code == 201
    assert create_claim(cluster).code == 201


def test_an_invalid_resource_quota_configuration_stops_the_cluster_from_starting(tmp_path):
    broken = LIMITED_STORAGE.replace("    - resource: persistentvolumeclaims\n      matchContains", "    - matchContains")
    with pytest.raises(AdmissionConfigError) as failure:
        Cluster.in_memory(policies=policies_with(tmp_path, broken))
    assert str(failure.value) == ('couldn\'t init admission plugin "ResourceQuota": limitedResources[0].resource: '
                                  'Required value')


def test_the_cli_reports_an_invalid_resource_quota_configuration_cleanly(tmp_path, monkeypatch):
    state = tmp_path / "state.db"
    assert CliRunner().invoke(cli, ["init", "--state", str(state)]).exit_code == 0
    policies_with(tmp_path / "policies", LIMITED_STORAGE.replace("kind: ResourceQuotaConfiguration",
                                                                  "kind: Configuration"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAUTH_STATE", str(state))
    result = CliRunner().invoke(cli, ["get", "pods"])
    assert result.exit_code == 1
    assert result.output == ('error: couldn\'t init admission plugin "ResourceQuota": no kind "Configuration" is '
                             'registered for version "apiserver.config.k8s.io/v1" in scheme '
                             '"k8s.io/apiserver/pkg/admission/plugin/resourcequota/config.go:31"\n')


def test_a_cluster_with_a_limited_scope_answers_500_for_a_pod_no_scoped_quota_covers(tmp_path):
    limited_best_effort = LIMITED_STORAGE.replace(
        "    - resource: persistentvolumeclaims\n      matchContains: [.storageclass.storage.k8s.io/requests.storage]\n",
        "    - resource: pods\n      matchScopes: [{scopeName: BestEffort, operator: Exists}]\n")
    cluster = Cluster.in_memory(policies=policies_with(tmp_path, limited_best_effort))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    response = cluster.handle(Request("create", "", "v1", "pods", "default", body=pod, credentials=ADMIN))
    # CheckRequest returns a plain error here, not admission.NewForbidden.
    assert (response.code, response.body["reason"], response.body["message"]) == (
        500, "", "insufficient quota to match these scopes: [{BestEffort Exists []}]")
