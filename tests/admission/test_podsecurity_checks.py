"""Each Pod Security check alone: reasons, details, plural forms and sort orders as upstream's check tests pin them.

Cases named after an upstream test come from `staging/src/k8s.io/pod-security-admission/policy/check_*_test.go`
(translated from Go structs to v1 JSON; the expected strings are upstream's). Cases marked "kauth case" are ours,
their expectations derived from the Go format string in the check's source.
"""

from __future__ import annotations

import pytest

from kauth.admission.podsecurity import checks
from kauth.admission.podsecurity.api import BASELINE, LATEST, RESTRICTED, LevelVersion, version
from kauth.admission.podsecurity.checks import CheckResult
from kauth.admission.podsecurity.registry import Evaluator


def c(name: str, **fields) -> dict:
    """A container; securityContext and the rest as keyword arguments."""
    return {"name": name, "image": "pause", **fields}


def sc(name: str, **security_context) -> dict:
    return c(name, securityContext=security_context)


# check_seLinuxOptions_test.go TestSELinuxOptions (seLinuxOptions1_31)
def test_se_linux_options_pod_and_containers():
    spec = {"securityContext": {"seLinuxOptions": {"type": "foo", "user": "bar", "role": "baz"}},
            "containers": [sc("a", seLinuxOptions={"type": "container_t"}),
                           sc("b", seLinuxOptions={"type": "container_init_t"}),
                           sc("c", seLinuxOptions={"type": "container_kvm_t"}),
                           sc("d", seLinuxOptions={"type": "container_engine_t"}),
                           sc("e", seLinuxOptions={"type": "bar"}),
                           sc("f", seLinuxOptions={"user": "bar"}),
                           sc("g", seLinuxOptions={"role": "baz"})]}
    assert checks.se_linux_options_1_31({}, spec) == CheckResult(
        "seLinuxOptions", 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: '
        'types "bar", "foo"; user may not be set; role may not be set')


@pytest.mark.parametrize(("options", "detail"), [
    ({"type": "bad"}, 'pod set forbidden securityContext.seLinuxOptions: type "bad"'),
    ({"user": "bad"}, "pod set forbidden securityContext.seLinuxOptions: user may not be set"),
    ({"role": "bad"}, "pod set forbidden securityContext.seLinuxOptions: role may not be set"),
])
def test_se_linux_options_pod_only(options, detail):
    spec = {"securityContext": {"seLinuxOptions": options}}
    assert checks.se_linux_options_1_31({}, spec) == CheckResult("seLinuxOptions", detail)


def test_se_linux_container_engine_t_is_allowed_from_v1_31_only():
    spec = {"containers": [sc("a", seLinuxOptions={"type": "container_engine_t"})]}
    assert checks.se_linux_options_1_31({}, spec) is None
    assert checks.se_linux_options_1_0({}, spec).detail == (
        'container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t"')


# check_appArmorProfile_test.go TestAppArmorProfile: Go's %q inside joinQuote's unescaped quotes.
def test_app_armor_annotations():
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    meta = {"annotations": {prefix: "bogus", prefix + "a": "", prefix + "b": "runtime/default",
                            prefix + "c": "localhost/", prefix + "d": "localhost/foo", prefix + "e": "unconfined",
                            prefix + "f": "unknown", "env": "prod"}}
    assert checks.app_armor_profile_1_0(meta, {}) == CheckResult(
        "forbidden AppArmor profiles",
        'annotations must not set AppArmor profile type to '
        '"container.apparmor.security.beta.kubernetes.io/="bogus"", '
        '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", '
        '"container.apparmor.security.beta.kubernetes.io/f="unknown""')


def test_app_armor_fields_pod_then_containers_then_annotations():
    # kauth case, check_appArmorProfile.go: field values (a sorted set) come before the sorted annotation strings.
    meta = {"annotations": {"container.apparmor.security.beta.kubernetes.io/x": "unconfined"}}
    spec = {"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
            "containers": [sc("foo", appArmorProfile={"type": "Unconfined"}),
                           sc("ok", appArmorProfile={"type": "RuntimeDefault"})]}
    assert checks.app_armor_profile_1_0(meta, spec) == CheckResult(
        "forbidden AppArmor profiles",
        'pod and container "foo" and annotation must not set AppArmor profile type to '
        '"Unconfined", "container.apparmor.security.beta.kubernetes.io/x="unconfined""')


# check_capabilities_restricted_test.go TestCapabilitiesRestricted
def test_capabilities_restricted():
    spec = {"containers": [sc("a", capabilities={"add": ["FOO", "BAR"]}),
                           sc("b", capabilities={"add": ["BAR", "BAZ"]}),
                           sc("c", capabilities={"add": ["NET_BIND_SERVICE", "CHOWN"], "drop": ["ALL", "FOO"]})]}
    assert checks.capabilities_restricted_1_22({}, spec) == CheckResult(
        "unrestricted capabilities",
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; '
        'containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add')


# check_capabilities_baseline_test.go TestCapabilitiesBaseline
def test_capabilities_baseline():
    spec = {"containers": [sc("a", capabilities={"add": ["FOO", "BAR"]}),
                           sc("b", capabilities={"add": ["BAR", "BAZ"]}),
                           sc("c", capabilities={"add": ["CHOWN"]})]}
    assert checks.capabilities_baseline_1_0({}, spec) == CheckResult(
        "non-default capabilities",
        'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add')


# check_hostProbesAndhostLifecycle_test.go TestHostProbesAndHostLifecycle (hostProbesAndHostLifecycleV1Dot34)
def test_host_probes_loopback_is_forbidden_too():
    spec = {"containers": [c("a", livenessProbe={"httpGet": {"host": "127.0.0.1"}},
                             readinessProbe={"tcpSocket": {"host": "::1"}},
                             startupProbe={"httpGet": {"host": "localhost"}})]}
    assert checks.host_probes_and_host_lifecycle_1_34({}, spec) == CheckResult(
        "probe or lifecycle host", 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"')


def test_host_probes_and_lifecycle_across_containers():
    spec = {"containers": [c("valid", livenessProbe={"httpGet": {"port": 80}}),
                           c("invalid1", livenessProbe={"httpGet": {"host": "a.com"}}),
                           c("invalid2", lifecycle={"preStop": {"tcpSocket": {"host": "b.com"}}},
                             startupProbe={"httpGet": {"host": "a.com"}})]}
    assert checks.host_probes_and_host_lifecycle_1_34({}, spec) == CheckResult(
        "probe or lifecycle host", 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"')


def test_host_probe_in_init_container():
    spec = {"initContainers": [c("init", livenessProbe={"httpGet": {"host": "invalid.init.host"}})]}
    assert checks.host_probes_and_host_lifecycle_1_34({}, spec).detail == (
        'container "init" uses probe or lifecycle host "invalid.init.host"')


# check_runAsNonRoot_test.go TestRunAsNonRoot (runAsNonRoot1_35)
@pytest.mark.parametrize(("spec", "detail"), [
    ({"containers": [c("a")]}, 'pod or container "a" must set securityContext.runAsNonRoot=true'),
    ({"securityContext": {"runAsNonRoot": False}, "containers": [c("a")]},
     "pod must not set securityContext.runAsNonRoot=false"),
    ({"securityContext": {"runAsNonRoot": True},
      "containers": [c("a"), sc("b"), sc("c", runAsNonRoot=False), sc("d", runAsNonRoot=False),
                     sc("e", runAsNonRoot=True), sc("f", runAsNonRoot=True)]},
     'containers "c", "d" must not set securityContext.runAsNonRoot=false'),
    ({"containers": [c("a"), sc("b"), sc("d", runAsNonRoot=True), sc("e", runAsNonRoot=True)]},
     'pod or containers "a", "b" must set securityContext.runAsNonRoot=true'),
])
def test_run_as_non_root(spec, detail):
    assert checks.run_as_non_root_1_35({}, spec) == CheckResult("runAsNonRoot != true", detail)


def test_run_as_non_root_relaxed_for_user_namespaces_from_v1_35():
    spec = {"hostUsers": False, "containers": [c("a")]}
    assert checks.run_as_non_root_1_35({}, spec) is None
    assert checks.run_as_non_root_1_0({}, spec) is not None


# kauth case (check_runAsUser.go, runAsUser1_35)
def test_run_as_user():
    spec = {"securityContext": {"runAsUser": 0},
            "containers": [c("a"), sc("b", runAsUser=1000), sc("c", runAsUser=0), sc("d", runAsUser=0)]}
    assert checks.run_as_user_1_35({}, spec) == CheckResult(
        "runAsUser=0", 'pod and containers "c", "d" must not set runAsUser=0')
    assert checks.run_as_user_1_35({}, {**spec, "hostUsers": False}) is None


# check_restrictedVolumes_test.go TestRestrictedVolumes
def test_restricted_volumes():
    allowed = ["emptyDir", "secret", "persistentVolumeClaim", "downwardAPI", "configMap", "projected", "csi",
               "ephemeral", "image"]
    restricted = ["hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs",
                  "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte",
                  "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"]
    volumes = ([{"name": f"a{i}", source: {}} for i, source in enumerate(allowed, 1)]
               + [{"name": f"b{i}", source: {}} for i, source in enumerate(restricted, 1)]
               + [{"name": "c1"}])
    names = ", ".join(f'"b{i}"' for i in range(1, 22)) + ', "c1"'
    types = ", ".join(f'"{t}"' for t in sorted(restricted + ["unknown"]))
    assert checks.restricted_volumes_1_0({}, {"volumes": volumes}) == CheckResult(
        "restricted volume types", f"volumes {names} use restricted volume types {types}")


# check_hostPorts_test.go TestHostPort
def test_host_ports():
    spec = {"containers": [c("a", ports=[{"hostPort": 0}]),
                           c("b", ports=[{"hostPort": 0}, {"hostPort": 10}, {"hostPort": 20}]),
                           c("c", ports=[{"hostPort": 0}, {"hostPort": 10}, {"hostPort": 30}])]}
    assert checks.host_ports_1_0({}, spec) == CheckResult("hostPort", 'containers "b", "c" use hostPorts 10, 20, 30')
    one = {"containers": [c("a", ports=[{"hostPort": 0}]), c("b", ports=[{"hostPort": 0}, {"hostPort": 20}])]}
    assert checks.host_ports_1_0({}, one).detail == 'container "b" uses hostPort 20'


def test_host_ports_sort_as_strings():
    # kauth case: check_hostPorts.go inserts strconv.Itoa(port) into a string set.
    spec = {"containers": [c("a", ports=[{"hostPort": 8080}, {"hostPort": 10000}])]}
    assert checks.host_ports_1_0({}, spec).detail == 'container "a" uses hostPorts 10000, 8080'


# check_hostNamespaces_test.go TestHostNamespaces: fixed order, not sorted.
def test_host_namespaces():
    spec = {"hostIPC": True, "hostPID": True, "hostNetwork": True}
    assert checks.host_namespaces_1_0({}, spec) == CheckResult(
        "host namespaces", "hostNetwork=true, hostPID=true, hostIPC=true")


# kauth case (check_hostPathVolumes.go)
def test_host_path_volumes():
    spec = {"volumes": [{"name": "a", "hostPath": {"path": "/a"}}, {"name": "b", "hostPath": {"path": "/b"}},
                        {"name": "c", "emptyDir": {}}]}
    assert checks.host_path_volumes_1_0({}, spec) == CheckResult("hostPath volumes", 'volumes "a", "b"')


# kauth case (check_privileged.go)
def test_privileged():
    spec = {"containers": [c("a"), sc("b"), sc("c", privileged=False), sc("d", privileged=True),
                           sc("e", privileged=True)]}
    assert checks.privileged_1_0({}, spec) == CheckResult(
        "privileged", 'containers "d", "e" must not set securityContext.privileged=true')


# kauth case (check_procMount_baseline.go, procMount1_35baseline)
def test_proc_mount():
    spec = {"containers": [c("a"), sc("b", procMount="Default"), sc("container1", procMount="Unmasked")]}
    assert checks.proc_mount_1_0({}, spec) == CheckResult(
        "procMount", 'container "container1" must not set securityContext.procMount to "Unmasked"')
    assert checks.proc_mount_1_35_baseline({}, {**spec, "hostUsers": False}) is None


# kauth case (check_windowsHostProcess.go)
def test_windows_host_process():
    spec = {"securityContext": {"windowsOptions": {"hostProcess": True}},
            "containers": [sc("a", windowsOptions={"hostProcess": True}),
                           sc("b", windowsOptions={"hostProcess": False}),
                           sc("c", windowsOptions={"hostProcess": True})]}
    assert checks.windows_host_process_1_0({}, spec) == CheckResult(
        "hostProcess", 'pod and containers "a", "c" must not set securityContext.windowsOptions.hostProcess=true')


# kauth cases (check_seccompProfile_restricted.go)
def test_seccomp_restricted_explicit_beats_implicit():
    spec = {"containers": [c("a"), sc("b", seccompProfile={"type": "Unconfined"})]}
    assert checks.seccomp_profile_restricted_1_19({}, spec) == CheckResult(
        "seccompProfile", 'container "b" must not set securityContext.seccompProfile.type to "Unconfined"')


def test_seccomp_restricted_pod_level_covers_containers():
    spec = {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [c("a"), c("b")]}
    assert checks.seccomp_profile_restricted_1_19({}, spec) is None


def test_seccomp_baseline_annotations_before_v1_19():
    meta = {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined",
                            "container.seccomp.security.alpha.kubernetes.io/a": "runtime/default",
                            "container.seccomp.security.alpha.kubernetes.io/b": "bogus"}}
    spec = {"containers": [c("a"), c("b")]}
    assert checks.seccomp_profile_baseline_1_0(meta, spec) == CheckResult(
        "seccompProfile", 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/b="bogus", '
        'seccomp.security.alpha.kubernetes.io/pod="unconfined"')


# kauth cases (check_sysctls.go): spec order, duplicates kept; the allowed set grows by version.
def test_sysctls_keep_spec_order_and_duplicates():
    spec = {"securityContext": {"sysctls": [{"name": "b"}, {"name": "a"}, {"name": "b"},
                                            {"name": "kernel.shm_rmid_forced"}]}}
    assert Evaluator().evaluate_pod(LevelVersion(BASELINE, LATEST), {}, spec).forbidden_detail() == (
        "forbidden sysctls (b, a, b)")


@pytest.mark.parametrize(("sysctl", "first_minor"), [
    ("net.ipv4.ip_local_port_range", 0), ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29), ("net.ipv4.tcp_rmem", 32), ("net.ipv4.tcp_notsent_lowat", 37)])
def test_sysctl_allowed_from_its_version(sysctl, first_minor):
    spec = {"securityContext": {"sysctls": [{"name": sysctl}]}}
    evaluator = Evaluator()
    assert evaluator.evaluate_pod(LevelVersion(BASELINE, version(first_minor)), {}, spec).allowed
    if first_minor:
        assert not evaluator.evaluate_pod(LevelVersion(BASELINE, version(first_minor - 1)), {}, spec).allowed


# --- the registry: order, overrides, versions (registry.go, kubernetes#107698) ---

def test_check_order_is_sorted_ids_baseline_first():
    evaluator = Evaluator()
    assert evaluator.check_ids(LevelVersion(BASELINE, LATEST)) == (
        "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts",
        "hostProbesAndHostLifecycle", "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline",
        "sysctls", "windowsHostProcess")
    assert evaluator.check_ids(LevelVersion(RESTRICTED, LATEST)) == (
        "appArmorProfile", "hostNamespaces", "hostPorts", "hostProbesAndHostLifecycle", "privileged",
        "seLinuxOptions", "sysctls", "windowsHostProcess", "allowPrivilegeEscalation", "capabilities_restricted",
        "procMount_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seccompProfile_restricted")


def test_older_versions_run_older_check_lists():
    evaluator = Evaluator()
    v1_0 = evaluator.check_ids(LevelVersion(RESTRICTED, version(0)))
    # Before v1.8/v1.19/v1.22/v1.23 the restricted-only revisions do not exist, so no overrides but volumes.
    assert "allowPrivilegeEscalation" not in v1_0 and "runAsUser" not in v1_0
    assert "capabilities_baseline" in v1_0 and "seccompProfile_baseline" in v1_0 and "procMount" in v1_0
    assert "hostPathVolumes" not in v1_0  # restrictedVolumes (1.0) overrides it from the start
    assert "hostProbesAndHostLifecycle" not in evaluator.check_ids(LevelVersion(BASELINE, version(33)))
    assert "procMount" in evaluator.check_ids(LevelVersion(RESTRICTED, version(34)))
    assert "procMount_restricted" in evaluator.check_ids(LevelVersion(RESTRICTED, version(35)))


def test_future_versions_evaluate_as_the_newest():
    evaluator = Evaluator()
    assert evaluator.check_ids(LevelVersion(RESTRICTED, version(99))) == evaluator.check_ids(
        LevelVersion(RESTRICTED, LATEST))


def test_windows_pods_skip_linux_only_restricted_checks_from_v1_25():
    spec = {"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": True}, "containers": [c("a")]}
    evaluator = Evaluator()
    assert evaluator.evaluate_pod(LevelVersion(RESTRICTED, LATEST), {}, spec).allowed
    v1_24 = evaluator.evaluate_pod(LevelVersion(RESTRICTED, version(24)), {}, spec)
    assert v1_24.forbidden_reason() == "allowPrivilegeEscalation != false, unrestricted capabilities, seccompProfile"


def test_one_pod_all_violations_in_order():
    # docs/pod-security.md §2.5: a privileged container with nothing else set, at restricted.
    spec = {"containers": [sc("x", privileged=True)]}
    result = Evaluator().evaluate_pod(LevelVersion(RESTRICTED, LATEST), {}, spec)
    assert result.forbidden_reason() == (
        "privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
        "seccompProfile")
    assert result.forbidden_detail() == (
        'privileged (container "x" must not set securityContext.privileged=true), '
        'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), '
        'unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), '
        'runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), '
        'seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" '
        'or "Localhost")')
