"""PodSecurityConfiguration: defaulting, validation messages, and the ways to build the plugin from it.

Source: pod-security-admission/admission/api/{v1/defaults.go,load/load.go,validation/validation.go}; kube-apiserver
exits with InitPlugin's `failed to initialize admission plugin "PodSecurity": ` around the plugin's
`PodSecurity invalid: ` (plugin/pkg/admission/security/podsecurity ValidateInitialization) around the aggregate.
"""

from __future__ import annotations

import pytest

from kauth.admission.podsecurity import ConfigError, Exemptions, PodSecurity, PodSecurityConfiguration
from kauth.admission.podsecurity.api import LATEST, LevelVersion, Policy, version

API_VERSION = "pod-security.admission.config.k8s.io/v1"


def configuration(**body) -> dict:
    return {"apiVersion": API_VERSION, "kind": "PodSecurityConfiguration", **body}


def test_no_configuration_means_privileged_latest_and_no_exemptions():
    assert PodSecurity().configuration == PodSecurityConfiguration(Policy(), Exemptions())
    assert PodSecurity.from_admission_configuration({"apiVersion": "apiserver.config.k8s.io/v1",
                                                     "kind": "AdmissionConfiguration", "plugins": []}).configuration \
        == PodSecurityConfiguration()


def test_empty_defaults_are_defaulted():
    plugin = PodSecurity.from_configuration(configuration(defaults={"enforce": "baseline", "warn-version": "v1.30"}))
    assert plugin.configuration.defaults == Policy(
        enforce=LevelVersion("baseline", LATEST), audit=LevelVersion("privileged", LATEST),
        warn=LevelVersion("privileged", version(30)))


@pytest.mark.parametrize("api_version", ["pod-security.admission.config.k8s.io/v1",
                                         "pod-security.admission.config.k8s.io/v1beta1",
                                         "pod-security.admission.config.k8s.io/v1alpha1"])
def test_from_an_admission_configuration_plugin_entry(api_version):
    admission_configuration = {
        "apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration",
        "plugins": [{"name": "PodSecurity", "configuration": {
            "apiVersion": api_version, "kind": "PodSecurityConfiguration",
            "defaults": {"enforce": "baseline", "enforce-version": "latest", "audit": "restricted",
                         "audit-version": "latest", "warn": "restricted", "warn-version": "latest"},
            "exemptions": {"usernames": ["system:serviceaccount:kube-system:replicaset-controller"],
                           "runtimeClasses": ["kata"], "namespaces": ["kube-system"]}}}]}
    plugin = PodSecurity.from_admission_configuration(admission_configuration)
    assert plugin.configuration == PodSecurityConfiguration(
        Policy(LevelVersion("baseline", LATEST), LevelVersion("restricted", LATEST),
               LevelVersion("restricted", LATEST)),
        Exemptions(("system:serviceaccount:kube-system:replicaset-controller",), ("kata",), ("kube-system",)))
    assert PodSecurity.from_plugin_entry(admission_configuration["plugins"][0]).configuration == plugin.configuration


def test_plugin_entry_with_a_path(tmp_path):
    (tmp_path / "podsecurity.yaml").write_text(
        f"apiVersion: {API_VERSION}\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: restricted\n")
    plugin = PodSecurity.from_plugin_entry({"name": "PodSecurity", "path": "podsecurity.yaml"}, base_dir=tmp_path)
    assert plugin.configuration.defaults.enforce == LevelVersion("restricted", LATEST)


def test_invalid_defaults_fail_with_upstreams_messages_in_its_order():
    with pytest.raises(ConfigError) as caught:
        PodSecurity.from_configuration(configuration(defaults={
            "audit": "loud", "enforce": "strict", "enforce-version": "1.30", "warn-version": "v1.05"}))
    assert str(caught.value) == 'failed to initialize admission plugin "PodSecurity": PodSecurity invalid: ' + (
        '[defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted, '
        'defaults.enforce-version: Invalid value: "1.30": must be "latest" or "v1.x", '
        'defaults.warn-version: Invalid value: "v1.05": must be "latest" or "v1.x", '
        'defaults.audit: Invalid value: "loud": must be one of privileged, baseline, restricted]')


def test_invalid_exemptions_fail_with_upstreams_messages():
    with pytest.raises(ConfigError) as caught:
        PodSecurity.from_configuration(configuration(exemptions={
            "namespaces": ["kube-system", "Bad_NS", "kube-system"], "runtimeClasses": ["kata", "kata"],
            "usernames": ["", "alice", "alice"]}))
    assert caught.value.detail == (
        '[exemptions.namespaces[1]: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
        "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), "
        'exemptions.namespaces[2]: Duplicate value: "kube-system", '
        'exemptions.runtimeClasses[1]: Duplicate value: "kata", '
        "exemptions.usernames[0]: Required value, "
        'exemptions.usernames[2]: Duplicate value: "alice"]')


def test_unknown_kind_or_version_is_rejected():
    with pytest.raises(ConfigError, match='^couldn\'t init admission plugin "PodSecurity": no kind '
                                          '"PodSecurityConfiguration" is registered for version '
                                          '"pod-security.admission.config.k8s.io/v2"'):
        PodSecurity.from_configuration({"apiVersion": "pod-security.admission.config.k8s.io/v2",
                                        "kind": "PodSecurityConfiguration"})
