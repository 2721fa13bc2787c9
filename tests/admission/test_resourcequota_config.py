"""ResourceQuota's own configuration (ResourceQuotaConfiguration, limitedResources): how it is read and what it
requires of a request.

Expectations from k8s.io/apiserver/pkg/admission/plugin/resourcequota: config_test.go (TestLoadConfiguration),
apis/resourcequota/validation/validation_test.go, and admission_test.go (TestAdmitLimitedResourceNoQuota,
TestAdmitLimitedResourceNoQuotaIgnoresNonMatchingResources, TestAdmitLimitedResourceWithQuota,
TestAdmitLimitedResourceWithMultipleQuota, TestAdmitLimitedResourceWithQuotaThatDoesNotCover,
TestAdmitLimitedScopeWithCoverQuota); the messages from controller.go (CheckRequest).
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import UPDATE
from kauth.admission.plugins import AdmissionConfigError
from kauth.admission.quota.config import (DEFAULT_CONFIGURATION, LimitedResource, ResourceQuotaConfiguration,
                                          from_dict, from_plugin_entry)
from kauth.admission.quota.scopes import ScopeSelector
from kauth.admission.resourcequota import ResourceQuota
from kauth.api.errors import StatusError

from test_resourcequota import CONFIGMAPS, NOW, PVCS, State, attrs, container, pod, quota

V1 = {"apiVersion": "apiserver.config.k8s.io/v1", "kind": "ResourceQuotaConfiguration"}
PVC_BY_CLASS = {"resource": "persistentvolumeclaims", "matchContains": [".storageclass.storage.k8s.io/requests.storage"]}
CLUSTER_SERVICES = {"resource": "pods", "matchScopes": [
    {"scopeName": "PriorityClass", "operator": "In", "values": ["cluster-services"]}]}
BEST_EFFORT = {"resource": "pods", "matchScopes": [{"scopeName": "BestEffort", "operator": "Exists"}]}
PRIORITY_CLASS_EXISTS = {"resource": "pods", "matchScopes": [{"scopeName": "PriorityClass", "operator": "Exists"}]}


def configured(*limited: dict) -> ResourceQuota:
    return ResourceQuota(from_dict({**V1, "limitedResources": list(limited)}), clock=lambda: NOW)


def admitted(plugin: ResourceQuota, obj: dict, *stored: dict, **kw) -> str:
    return plugin.validate(attrs(obj, **kw), State(*stored)).message


def refused(plugin: ResourceQuota, obj: dict, *stored: dict, **kw) -> StatusError:
    with pytest.raises(StatusError) as err:
        plugin.validate(attrs(obj, **kw), State(*stored))
    return err.value


def sized_pod(name: str, cpu: str = "3", memory: str = "2Gi", **spec) -> dict:
    """admission_test.go's validPod with requests (getResourceRequirements(getResourceList(cpu, memory), ...))."""
    return pod(name, container(requests={"cpu": cpu, "memory": memory}), **spec)


def claim(name: str, storage_class: str | None = None) -> dict:
    spec: dict = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": "dev"},
            "spec": spec}


# --- reading the configuration (config.go LoadConfiguration, validation.go) -------------------------------------


@pytest.mark.parametrize("api_version, kind", [
    ("resourcequota.admission.k8s.io/v1alpha1", "Configuration"),
    ("resourcequota.admission.k8s.io/v1beta1", "Configuration"),
    ("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration"),
])
def test_every_registered_version_decodes_to_the_same_limited_resources(api_version, kind):
    configuration = from_dict({"apiVersion": api_version, "kind": kind, "limitedResources": [
        {"apiGroup": "", **PVC_BY_CLASS}, {"apiGroup": "", **CLUSTER_SERVICES}]})
    assert configuration == ResourceQuotaConfiguration((
        LimitedResource("", "persistentvolumeclaims", (".storageclass.storage.k8s.io/requests.storage",)),
        LimitedResource("", "pods", match_scopes=(ScopeSelector("PriorityClass", "In", ("cluster-services",)),)),
    ))


def test_an_empty_configuration_is_missing_its_kind():
    with pytest.raises(AdmissionConfigError) as err:
        from_dict(None)
    assert str(err.value) == 'couldn\'t init admission plugin "ResourceQuota": Object \'Kind\' is missing in \'\''


def test_an_unknown_kind_is_not_registered_in_the_plugins_scheme():
    with pytest.raises(AdmissionConfigError) as err:
        from_dict({"kind": "Unknown", "apiVersion": "v1"})
    assert str(err.value) == ('couldn\'t init admission plugin "ResourceQuota": no kind "Unknown" is registered for '
                              'version "v1" in scheme "k8s.io/apiserver/pkg/admission/plugin/resourcequota/config.go:31"')


def test_the_v1_group_does_not_know_the_legacy_kind_name():
    with pytest.raises(AdmissionConfigError, match='no kind "Configuration" is registered for version '
                                                   '"apiserver.config.k8s.io/v1"'):
        from_dict({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "Configuration"})


def test_a_limited_resource_without_its_resource_is_refused():
    with pytest.raises(AdmissionConfigError) as err:
        from_dict({**V1, "limitedResources": [{"matchContains": ["requests.cpu"]}, {"resource": "pods"},
                                              {"apiGroup": "apps"}]})
    assert str(err.value) == ('couldn\'t init admission plugin "ResourceQuota": [limitedResources[0].resource: '
                              'Required value, limitedResources[2].resource: Required value]')


@pytest.mark.parametrize("api_version, kind, limited_resources, problem", [
    ("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration", {"resource": "pods"},
     "object into Go struct field Configuration.limitedResources of type []v1.LimitedResource"),
    ("resourcequota.admission.k8s.io/v1beta1", "Configuration", ["pods"],
     "string into Go struct field Configuration.limitedResources of type v1beta1.LimitedResource"),
    ("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration", [{"resource": "pods", "matchContains": "cpu"}],
     "string into Go struct field LimitedResource.limitedResources.matchContains of type []string"),
    ("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration", [{"resource": 5}],
     "number into Go struct field LimitedResource.limitedResources.resource of type string"),
    ("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration",
     [{"resource": "pods", "matchScopes": [{"scopeName": "BestEffort", "operator": True}]}],
     "bool into Go struct field ScopedResourceSelectorRequirement.limitedResources.matchScopes.operator of type "
     "v1.ScopeSelectorOperator"),
])
def test_a_field_of_the_wrong_type_is_a_decoding_error_naming_the_go_field(api_version, kind, limited_resources,
                                                                            problem):
    with pytest.raises(AdmissionConfigError) as err:
        from_dict({"apiVersion": api_version, "kind": kind, "limitedResources": limited_resources})
    assert str(err.value) == f'couldn\'t init admission plugin "ResourceQuota": json: cannot unmarshal {problem}'


def test_unknown_fields_are_ignored_as_the_decoder_is_not_strict():
    assert from_dict({**V1, "limitedResources": [{"resource": "pods", "matchContain": ["cpu"]}], "extra": 1}) == (
        ResourceQuotaConfiguration((LimitedResource("", "pods"),)))


def test_a_plugin_entry_may_name_a_file_relative_to_the_policies_directory(tmp_path):
    (tmp_path / "quota.yaml").write_text("apiVersion: resourcequota.admission.k8s.io/v1beta1\nkind: Configuration\n"
                                         "limitedResources:\n- resource: pods\n  matchContains: [cpu]\n")
    assert from_plugin_entry({"name": "ResourceQuota", "path": "quota.yaml"}, tmp_path) == (
        ResourceQuotaConfiguration((LimitedResource("", "pods", ("cpu",)),)))


def test_a_file_without_a_kind_is_quoted_as_written(tmp_path):
    (tmp_path / "quota.yaml").write_text("limitedResources: []\n")
    with pytest.raises(AdmissionConfigError) as err:
        from_plugin_entry({"name": "ResourceQuota", "path": "quota.yaml"}, tmp_path)
    assert str(err.value) == ('couldn\'t init admission plugin "ResourceQuota": Object \'Kind\' is missing in '
                              '\'limitedResources: []\n\'')


def test_an_inline_configuration_without_a_kind_is_quoted_as_json():
    with pytest.raises(AdmissionConfigError) as err:
        from_plugin_entry({"name": "ResourceQuota", "configuration": {"limitedResources": [], "apiVersion": "v1"}})
    assert str(err.value) == ('couldn\'t init admission plugin "ResourceQuota": Object \'Kind\' is missing in '
                              '\'{"apiVersion":"v1","limitedResources":[]}\'')


def test_a_plugin_entry_naming_a_missing_file_is_refused(tmp_path):
    with pytest.raises(AdmissionConfigError, match=r'^couldn\'t init admission plugin "ResourceQuota": open .*'
                                                   r'missing\.yaml: no such file or directory$'):
        from_plugin_entry({"name": "ResourceQuota", "path": "missing.yaml"}, tmp_path)


def test_a_plugin_entry_without_configuration_limits_nothing():
    assert from_plugin_entry({"name": "ResourceQuota"}) == DEFAULT_CONFIGURATION == ResourceQuotaConfiguration()


# --- limitedResources matchContains: consumption needs a covering quota (CheckRequest) -----------------------


def test_a_limited_resource_cannot_be_consumed_without_any_quota():
    failure = refused(configured({"resource": "pods", "matchContains": ["cpu"]}), sized_pod("not-allowed-pod"))
    assert (failure.code, failure.reason) == (403, "Forbidden")
    # Usage names are matched by substring: the pod consumes both `cpu` and `requests.cpu`.
    assert failure.message == 'pods "not-allowed-pod" is forbidden: insufficient quota to consume: cpu,requests.cpu'


def test_limited_resources_of_another_resource_do_not_apply():
    plugin = configured({"resource": "services", "matchContains": ["services"]})
    assert admitted(plugin, sized_pod("allowed-pod")) == "no ResourceQuota covers this object"


def test_a_limited_resource_is_consumed_under_a_quota_that_covers_it():
    plugin = configured({"resource": "pods", "matchContains": ["requests.cpu"]})
    assert admitted(plugin, sized_pod("allowed-pod"), quota({"requests.cpu": "10"})) == (
        "fits quota quota (requests.cpu=3; used requests.cpu=3 of requests.cpu=10)")


def test_one_covering_quota_among_several_is_enough():
    plugin = configured({"resource": "pods", "matchContains": ["requests.cpu"]})
    stored = [quota({"requests.cpu": "10"}, name="quota1"), quota({"memory": "10Gi"}, name="quota2")]
    assert admitted(plugin, sized_pod("allowed-pod"), *stored).startswith("fits quota quota1 (requests.cpu=3;")


def test_a_quota_that_does_not_cover_the_limited_resource_is_not_enough():
    plugin = configured({"resource": "pods", "matchContains": ["cpu"]})
    assert refused(plugin, sized_pod("not-allowed-pod"), quota({"memory": "10Gi"})).message == (
        'pods "not-allowed-pod" is forbidden: insufficient quota to consume: cpu,requests.cpu')


def test_only_consumed_usage_counts_as_limited():
    # A pod without requests uses no cpu: nothing limited is consumed.
    plugin = configured({"resource": "pods", "matchContains": ["cpu"]})
    assert admitted(plugin, pod("best-effort")) == "no ResourceQuota covers this object"


def test_storage_of_any_storage_class_needs_a_quota_for_that_class():
    plugin = configured(PVC_BY_CLASS)
    assert refused(plugin, claim("gold-claim", "gold"), rt=PVCS).message == (
        'persistentvolumeclaims "gold-claim" is forbidden: insufficient quota to consume: '
        'gold.storageclass.storage.k8s.io/requests.storage')
    gold_quota = quota({"gold.storageclass.storage.k8s.io/requests.storage": "5Gi"})
    assert admitted(plugin, claim("gold-claim", "gold"), gold_quota, rt=PVCS).startswith("fits quota quota")
    assert admitted(plugin, claim("plain-claim"), rt=PVCS) == "no ResourceQuota covers this object"


def test_limited_resources_name_the_api_group_of_the_resource():
    plugin = configured({"resource": "configmaps", "matchContains": ["count/configmaps"]})
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "dev"}}
    assert refused(plugin, configmap, rt=CONFIGMAPS).message == (
        'configmaps "c" is forbidden: insufficient quota to consume: count/configmaps')
    assert admitted(configured({"apiGroup": "apps", "resource": "configmaps", "matchContains": ["configmaps"]}),
                    configmap, rt=CONFIGMAPS) == "no ResourceQuota covers this object"


# --- limitedResources matchScopes: a matched scope needs a quota with that scope (TestAdmitLimitedScopeWithCoverQuota)


def test_a_quota_with_the_same_scope_covers_a_limited_scope():
    scoped = quota({}, scopeSelector={"matchExpressions": [{"scopeName": "PriorityClass", "operator": "Exists"}]})
    # The quota tracks nothing, yet its matched scope covers the limited one.
    assert admitted(configured(PRIORITY_CLASS_EXISTS), sized_pod("allowed-pod", priorityClassName="fake-priority"),
                    scoped) == "no ResourceQuota covers this object"


def test_a_covered_scope_still_needs_a_quota_for_its_limited_resources():
    scoped = quota({}, scopeSelector={"matchExpressions": [{"scopeName": "PriorityClass", "operator": "Exists"}]})
    plugin = configured({**PRIORITY_CLASS_EXISTS, "matchContains": ["requests.cpu"]})
    assert refused(plugin, sized_pod("not-allowed-pod", priorityClassName="fake-priority"), scoped).message == (
        'pods "not-allowed-pod" is forbidden: insufficient quota to consume: requests.cpu')


def test_a_limited_scope_without_a_covering_quota_is_an_internal_error():
    failure = refused(configured(PRIORITY_CLASS_EXISTS), sized_pod("not-allowed-pod", priorityClassName="fake-priority"))
    # A plain Go error in CheckRequest, not admission.NewForbidden: the client gets a 500 without a reason.
    assert (failure.code, failure.reason) == (500, "")
    assert failure.message == "insufficient quota to match these scopes: [{PriorityClass Exists []}]"


def test_a_best_effort_pod_needs_a_best_effort_quota_when_that_scope_is_limited():
    assert refused(configured(BEST_EFFORT), pod("not-allowed-pod")).message == (
        "insufficient quota to match these scopes: [{BestEffort Exists []}]")
    best_effort = quota({"pods": "5"}, name="quota-besteffort", scopes=["BestEffort"])
    assert admitted(configured(BEST_EFFORT), pod("allowed-pod"), best_effort).startswith(
        "fits quota quota-besteffort (pods=1;")


def test_a_pod_matching_no_limited_scope_is_admitted():
    assert admitted(configured(BEST_EFFORT, CLUSTER_SERVICES), sized_pod("allowed-pod", "100m", "1Gi",
                                                                         priorityClassName="fake-priority")) == (
        "no ResourceQuota covers this object")


def test_only_the_limited_scopes_the_pod_matches_are_reported():
    plugin = configured(BEST_EFFORT, CLUSTER_SERVICES)
    assert refused(plugin, pod("best-effort", priorityClassName="fake-priority")).message == (
        "insufficient quota to match these scopes: [{BestEffort Exists []}]")
    assert refused(plugin, sized_pod("burstable", "100m", "1Gi", priorityClassName="cluster-services")).message == (
        "insufficient quota to match these scopes: [{PriorityClass In [cluster-services]}]")
    assert refused(plugin, pod("both", priorityClassName="cluster-services")).message == (
        "insufficient quota to match these scopes: [{BestEffort Exists []} {PriorityClass In [cluster-services]}]")


def test_a_quota_scope_of_another_name_does_not_cover_a_limited_scope():
    not_best_effort = quota({"pods": "5"}, scopes=["NotBestEffort"])
    terminating = quota({"pods": "5"}, name="terminating", scopes=["Terminating"])
    assert refused(configured(BEST_EFFORT), pod("x"), not_best_effort, terminating).message == (
        "insufficient quota to match these scopes: [{BestEffort Exists []}]")


def test_matched_scopes_of_any_limited_entry_apply_whatever_resource_it_names():
    # getMatchedLimitedScopes walks every entry, not only those for the request's resource.
    plugin = configured({"resource": "persistentvolumeclaims", "matchScopes": [
        {"scopeName": "BestEffort", "operator": "Exists"}]})
    assert refused(plugin, pod("x")).message == "insufficient quota to match these scopes: [{BestEffort Exists []}]"


def test_a_limited_scope_that_cannot_be_evaluated_lets_the_request_through_unchecked():
    plugin = configured({"resource": "pods", "matchScopes": [
        {"scopeName": "PriorityClass", "operator": "Like", "values": ["x"]}]})
    # CheckRequest logs the matching error and returns the quotas unchanged: not even the full quota refuses it.
    assert admitted(plugin, pod("x"), quota({"pods": "0"})) == (
        'a limitedResources matchScopes entry cannot be evaluated (error on matching scope {PriorityClass Like [x]}: '
        'failed to parse and convert selector: "Like" is not a valid scope selector operator): the request is not '
        'checked against any quota')


def test_a_request_that_consumes_nothing_is_not_checked_for_limited_resources():
    # CheckRequest returns before the limited checks when the request changes no usage.
    plugin = configured({"resource": "pods", "matchContains": ["cpu"]}, BEST_EFFORT)
    old = sized_pod("x", activeDeadlineSeconds=30)
    new = sized_pod("x")
    assert admitted(plugin, new, operation=UPDATE, old=old) == "the request changes no quota usage"
