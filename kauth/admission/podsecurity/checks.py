"""The Pod Security Standards checks, every revision up to v1.37, with upstream's messages verbatim.

A check function takes the pod's metadata and spec (dicts) and returns None when the pod is allowed, or a
CheckResult (reason, detail) naming what is forbidden. Each function cites the Go format string it renders.
Upstream: staging/src/k8s.io/pod-security-admission/policy/check_*.go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kauth.admission.podsecurity.api import BASELINE, RESTRICTED
from kauth.api.errors import go_quote  # Go's %q, for annotation values
from kauth.admission.podsecurity.podspec import (
    container_security_context, containers_phrase, is_windows, items, join_quote, mapping, name_of,
    pluralize, pod_security_context, relax_for_user_namespace, string, visit_containers)


@dataclass(frozen=True)
class CheckResult:
    """A forbidden finding: ForbiddenReason (`privileged`) and ForbiddenDetail (which containers, which values)."""

    reason: str
    detail: str = ""


CheckPod = Callable[[dict, dict], "CheckResult | None"]


@dataclass(frozen=True)
class VersionedCheck:
    """One revision of a check: applies from `minimum` (a v1 minor) until the next revision's minimum."""

    minimum: int
    check_pod: CheckPod
    overrides: tuple[str, ...] = ()  # baseline check IDs this restricted revision replaces at restricted


@dataclass(frozen=True)
class Check:
    id: str
    level: str
    versions: tuple[VersionedCheck, ...]


# --- baseline -----------------------------------------------------------------------------------------

_APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


def app_armor_profile_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """appArmorProfile_1_0: profile types other than RuntimeDefault/Localhost, in fields or beta annotations."""
    allowed_types = ("RuntimeDefault", "Localhost")
    bad_setters: list[str] = []
    bad_values: set[str] = set()
    pod_profile = mapping(pod_security_context(spec), "appArmorProfile")
    if pod_profile is not None and string(pod_profile, "type") not in allowed_types:
        bad_setters.append("pod")
        bad_values.add(string(pod_profile, "type"))
    bad_containers = []
    for c in visit_containers(spec):
        profile = mapping(container_security_context(c), "appArmorProfile")
        if profile is not None and string(profile, "type") not in allowed_types:
            bad_containers.append(name_of(c))
            bad_values.add(string(profile, "type"))
    if bad_containers:
        bad_setters.append(containers_phrase(bad_containers))
    forbidden_annotations = []
    for key, value in (mapping(meta, "annotations") or {}).items():
        value = value if isinstance(value, str) else ""
        if key.startswith(_APPARMOR_ANNOTATION_PREFIX) and not (
                value == "" or value == "runtime/default" or value.startswith("localhost/")):
            forbidden_annotations.append(f"{key}={go_quote(value)}")  # fmt.Sprintf("%s=%q", k, v)
    bad_value_list = sorted(bad_values)
    if forbidden_annotations:
        bad_value_list += sorted(forbidden_annotations)
        bad_setters.append(pluralize("annotation", "annotations", len(forbidden_annotations)))
    if not bad_setters:
        return None
    # "%s must not set AppArmor profile type to %s"
    return CheckResult(pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", len(bad_value_list)),
                       f'{" and ".join(bad_setters)} must not set AppArmor profile type to '
                       f"{join_quote(bad_value_list)}")


_CAPABILITIES_ALLOWED_1_0 = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
    "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})


def capabilities_baseline_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """capabilitiesBaseline_1_0: capabilities.add beyond the default set (exact, case-sensitive names)."""
    bad_containers = []
    non_default: set[str] = set()
    for c in visit_containers(spec):
        capabilities = mapping(container_security_context(c), "capabilities")
        if capabilities is None:
            continue
        added = [cap for cap in items(capabilities, "add") if cap not in _CAPABILITIES_ALLOWED_1_0]
        if added:
            bad_containers.append(name_of(c))
            non_default.update(str(cap) for cap in added)
    if not bad_containers:
        return None
    # "%s %s must not include %s in securityContext.capabilities.add"
    return CheckResult("non-default capabilities", f"{containers_phrase(bad_containers)} must not include "
                       f"{join_quote(sorted(non_default))} in securityContext.capabilities.add")


def host_namespaces_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """hostNamespaces_1_0: hostNetwork, hostPID, hostIPC, in that fixed order."""
    used = [f"{field}=true" for field in ("hostNetwork", "hostPID", "hostIPC") if spec.get(field) is True]
    if not used:
        return None
    return CheckResult("host namespaces", ", ".join(used))


def host_path_volumes_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """hostPathVolumes_1_0: the volumes with a hostPath source, in spec order."""
    volumes = [string(v, "name") for v in items(spec, "volumes") if mapping(v, "hostPath") is not None]
    if not volumes:
        return None
    return CheckResult("hostPath volumes", f'{pluralize("volume", "volumes", len(volumes))} {join_quote(volumes)}')


def host_ports_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """hostPorts_1_0: any non-zero hostPort; the ports are a set of strings, so "10000" sorts before "8080"."""
    bad_containers = []
    ports: set[str] = set()
    for c in visit_containers(spec):
        used = [p.get("hostPort") for p in items(c, "ports") if isinstance(p, dict) and p.get("hostPort")]
        if used:
            bad_containers.append(name_of(c))
            ports.update(str(p) for p in used)
    if not bad_containers:
        return None
    # "%s %s %s %s %s"
    n = len(bad_containers)
    return CheckResult("hostPort", f'{containers_phrase(bad_containers)} {pluralize("uses", "use", n)} '
                       f'{pluralize("hostPort", "hostPorts", len(ports))} {", ".join(sorted(ports))}')


def _handler_hosts(handler: dict | None) -> list[str]:
    if handler is None:
        return []
    return [host for action in ("httpGet", "tcpSocket")
            if (host := string(mapping(handler, action), "host"))]


def host_probes_and_host_lifecycle_1_34(meta: dict, spec: dict) -> CheckResult | None:
    """hostProbesAndHostLifecycleV1Dot34: any probe or lifecycle handler host, loopback included.

    Both the containers and the hosts are sets (sorted), unlike most checks' spec-ordered containers.
    """
    bad_containers: set[str] = set()
    hosts: set[str] = set()
    for c in visit_containers(spec):
        found = []
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            found += _handler_hosts(mapping(c, probe))
        lifecycle = mapping(c, "lifecycle")
        if lifecycle is not None:
            for hook in ("postStart", "preStop"):
                found += _handler_hosts(mapping(lifecycle, hook))
        if found:
            bad_containers.add(name_of(c))
            hosts.update(found)
    if not bad_containers:
        return None
    n = len(bad_containers)
    # "%s %s %s %s %s"
    return CheckResult("probe or lifecycle host", f'{containers_phrase(sorted(bad_containers))} '
                       f'{pluralize("uses", "use", n)} '
                       f'{pluralize("probe or lifecycle host", "probe or lifecycle hosts", len(hosts))} '
                       f'{join_quote(sorted(hosts))}')


def privileged_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """privileged_1_0: securityContext.privileged=true."""
    bad = [name_of(c) for c in visit_containers(spec)
           if (container_security_context(c) or {}).get("privileged") is True]
    if not bad:
        return None
    return CheckResult("privileged", f"{containers_phrase(bad)} must not set securityContext.privileged=true")


def proc_mount_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """procMount_1_0: any procMount other than Default."""
    bad_containers = []
    types: set[str] = set()
    for c in visit_containers(spec):
        sc = container_security_context(c)
        if sc is None or sc.get("procMount") is None:
            continue
        if sc["procMount"] != "Default":
            bad_containers.append(name_of(c))
            types.add(str(sc["procMount"]))
    if not bad_containers:
        return None
    # "%s %s must not set securityContext.procMount to %s"
    return CheckResult("procMount", f"{containers_phrase(bad_containers)} must not set securityContext.procMount "
                       f"to {join_quote(sorted(types))}")


def proc_mount_1_35_baseline(meta: dict, spec: dict) -> CheckResult | None:
    """procMount1_35baseline: a user-namespaced pod (hostUsers: false) may unmask /proc."""
    if relax_for_user_namespace(spec):
        return None
    return proc_mount_1_0(meta, spec)


_SELINUX_TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
_SELINUX_TYPES_1_31 = _SELINUX_TYPES_1_0 | {"container_engine_t"}


def _se_linux_options(spec: dict, valid_types: frozenset[str]) -> CheckResult | None:
    bad_setters: list[str] = []
    bad_types: set[str] = set()
    set_user = set_role = False

    def valid(opts: dict) -> bool:
        nonlocal set_user, set_role
        ok = True
        if string(opts, "type") not in valid_types:
            ok = False
            bad_types.add(string(opts, "type"))
        if string(opts, "user"):
            ok, set_user = False, True
        if string(opts, "role"):
            ok, set_role = False, True
        return ok

    pod_opts = mapping(pod_security_context(spec), "seLinuxOptions")
    if pod_opts is not None and not valid(pod_opts):
        bad_setters.append("pod")
    bad_containers = []
    for c in visit_containers(spec):
        opts = mapping(container_security_context(c), "seLinuxOptions")
        if opts is not None and not valid(opts):
            bad_containers.append(name_of(c))
    if bad_containers:
        bad_setters.append(containers_phrase(bad_containers))
    if not bad_setters:
        return None
    bad_data = []
    if bad_types:
        bad_data.append(f'{pluralize("type", "types", len(bad_types))} {join_quote(sorted(bad_types))}')
    if set_user:
        bad_data.append("user may not be set")
    if set_role:
        bad_data.append("role may not be set")
    # `%s set forbidden securityContext.seLinuxOptions: %s`
    return CheckResult("seLinuxOptions", f'{" and ".join(bad_setters)} set forbidden '
                       f'securityContext.seLinuxOptions: {"; ".join(bad_data)}')


def se_linux_options_1_0(meta: dict, spec: dict) -> CheckResult | None:
    return _se_linux_options(spec, _SELINUX_TYPES_1_0)


def se_linux_options_1_31(meta: dict, spec: dict) -> CheckResult | None:
    """seLinuxOptions1_31: container_engine_t joins the allowed types."""
    return _se_linux_options(spec, _SELINUX_TYPES_1_31)


_SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
_VALID_SECCOMP_TYPES = ("Localhost", "RuntimeDefault")


def seccomp_profile_baseline_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """seccompProfileBaseline_1_0: the alpha annotations (policy versions before v1.19 read only these)."""
    annotations = mapping(meta, "annotations") or {}

    def valid(value: object) -> bool:
        return isinstance(value, str) and (
            value in ("runtime/default", "docker/default") or value.startswith("localhost/"))

    forbidden: set[str] = set()
    keys = [_SECCOMP_POD_ANNOTATION] + [_SECCOMP_CONTAINER_ANNOTATION_PREFIX + name_of(c)
                                        for c in visit_containers(spec)]
    for key in keys:
        if key in annotations and not valid(annotations[key]):
            value = annotations[key] if isinstance(annotations[key], str) else ""
            forbidden.add(f"{key}={go_quote(value)}")
    if not forbidden:
        return None
    # "forbidden %s %s"
    return CheckResult("seccompProfile", f'forbidden {pluralize("annotation", "annotations", len(forbidden))} '
                       f'{", ".join(sorted(forbidden))}')


def seccomp_profile_baseline_1_19(meta: dict, spec: dict) -> CheckResult | None:
    """seccompProfileBaseline_1_19: an explicit seccompProfile type other than RuntimeDefault/Localhost."""
    bad_setters: list[str] = []
    bad_values: set[str] = set()
    profile = mapping(pod_security_context(spec), "seccompProfile")
    if profile is not None and string(profile, "type") not in _VALID_SECCOMP_TYPES:
        bad_setters.append("pod")
        bad_values.add(string(profile, "type"))
    bad_containers = []
    for c in visit_containers(spec):
        profile = mapping(container_security_context(c), "seccompProfile")
        if profile is not None and string(profile, "type") not in _VALID_SECCOMP_TYPES:
            bad_containers.append(name_of(c))
            bad_values.add(string(profile, "type"))
    if bad_containers:
        bad_setters.append(containers_phrase(bad_containers))
    if not bad_setters:
        return None
    # "%s must not set securityContext.seccompProfile.type to %s"
    return CheckResult("seccompProfile", f'{" and ".join(bad_setters)} must not set '
                       f'securityContext.seccompProfile.type to {join_quote(sorted(bad_values))}')


# The safe sysctls, cumulative by policy version (check_sysctls.go; the v1.37 additions rest on the v1.37
# pass fixture sysctls1, the 1.37 source file not being in the index we read).
_SYSCTLS_1_0 = frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                          "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"})
_SYSCTLS_1_27 = _SYSCTLS_1_0 | {"net.ipv4.ip_local_reserved_ports"}
_SYSCTLS_1_29 = _SYSCTLS_1_27 | {"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                                 "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
_SYSCTLS_1_32 = _SYSCTLS_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
_SYSCTLS_1_37 = _SYSCTLS_1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _sysctls(allowed: frozenset[str]) -> CheckPod:
    def check(meta: dict, spec: dict) -> CheckResult | None:
        # Spec order, duplicates kept (a slice, not a set, upstream).
        forbidden = [string(s, "name") for s in items(pod_security_context(spec), "sysctls")
                     if string(s, "name") not in allowed]
        return CheckResult("forbidden sysctls", ", ".join(forbidden)) if forbidden else None
    return check


def windows_host_process_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """windowsHostProcess_1_0: windowsOptions.hostProcess=true on the pod or a container."""
    def host_process(sc: dict | None) -> bool:
        return (mapping(sc, "windowsOptions") or {}).get("hostProcess") is True

    bad_containers = [name_of(c) for c in visit_containers(spec) if host_process(container_security_context(c))]
    setters = ["pod"] if host_process(pod_security_context(spec)) else []
    if bad_containers:
        setters.append(containers_phrase(bad_containers))
    if not setters:
        return None
    # "%s must not set securityContext.windowsOptions.hostProcess=true"
    return CheckResult("hostProcess", f'{" and ".join(setters)} must not set '
                       "securityContext.windowsOptions.hostProcess=true")


# --- restricted ---------------------------------------------------------------------------------------

def allow_privilege_escalation_1_8(meta: dict, spec: dict) -> CheckResult | None:
    """allowPrivilegeEscalation_1_8: must be set, and to false (unset counts as true)."""
    bad = [name_of(c) for c in visit_containers(spec)
           if (container_security_context(c) or {}).get("allowPrivilegeEscalation") is not False]
    if not bad:
        return None
    return CheckResult("allowPrivilegeEscalation != false",
                       f"{containers_phrase(bad)} must set securityContext.allowPrivilegeEscalation=false")


def allow_privilege_escalation_1_25(meta: dict, spec: dict) -> CheckResult | None:
    """allowPrivilegeEscalation_1_25: Windows pods (spec.os.name=windows) are exempt."""
    return None if is_windows(spec) else allow_privilege_escalation_1_8(meta, spec)


def capabilities_restricted_1_22(meta: dict, spec: dict) -> CheckResult | None:
    """capabilitiesRestricted_1_22: drop must contain ALL; add may contain only NET_BIND_SERVICE."""
    missing_drop_all = []
    adding_forbidden = []
    forbidden: set[str] = set()
    for c in visit_containers(spec):
        capabilities = mapping(container_security_context(c), "capabilities")
        if capabilities is None:
            missing_drop_all.append(name_of(c))
            continue
        if "ALL" not in items(capabilities, "drop"):
            missing_drop_all.append(name_of(c))
        added = [cap for cap in items(capabilities, "add") if cap != "NET_BIND_SERVICE"]
        if added:
            adding_forbidden.append(name_of(c))
            forbidden.update(str(cap) for cap in added)
    details = []
    if missing_drop_all:
        # `%s %s must set securityContext.capabilities.drop=["ALL"]`
        details.append(f'{containers_phrase(missing_drop_all)} must set securityContext.capabilities.drop=["ALL"]')
    if adding_forbidden:
        # `%s %s must not include %s in securityContext.capabilities.add`
        details.append(f"{containers_phrase(adding_forbidden)} must not include {join_quote(sorted(forbidden))} "
                       "in securityContext.capabilities.add")
    return CheckResult("unrestricted capabilities", "; ".join(details)) if details else None


def capabilities_restricted_1_25(meta: dict, spec: dict) -> CheckResult | None:
    """capabilitiesRestricted_1_25: Windows pods are exempt."""
    return None if is_windows(spec) else capabilities_restricted_1_22(meta, spec)


_ALLOWED_VOLUME_SOURCES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
                           "persistentVolumeClaim", "projected", "secret")
# The restricted sources in the order upstream's type switch tests them; the label is the JSON field name.
_RESTRICTED_VOLUME_SOURCES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi",
                              "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile",
                              "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume",
                              "scaleIO", "storageos")


def restricted_volumes_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """restrictedVolumes_1_0: only the allowed volume sources (image was added to the 1.0 function in place)."""
    bad_volumes = []
    bad_types: set[str] = set()
    for v in items(spec, "volumes"):
        if any(mapping(v, source) is not None for source in _ALLOWED_VOLUME_SOURCES):
            continue
        bad_volumes.append(string(v, "name"))
        bad_types.add(next((s for s in _RESTRICTED_VOLUME_SOURCES if mapping(v, s) is not None), "unknown"))
    if not bad_volumes:
        return None
    n = len(bad_volumes)
    # "%s %s %s %s %s"
    return CheckResult("restricted volume types", f'{pluralize("volume", "volumes", n)} {join_quote(bad_volumes)} '
                       f'{pluralize("uses", "use", n)} '
                       f'{pluralize("restricted volume type", "restricted volume types", len(bad_types))} '
                       f"{join_quote(sorted(bad_types))}")


def run_as_non_root_1_0(meta: dict, spec: dict) -> CheckResult | None:
    """runAsNonRoot_1_0: the pod, or else every container, must set runAsNonRoot=true; false is never allowed."""
    bad_setters = []
    pod_run_as_non_root = False
    pod_value = (pod_security_context(spec) or {}).get("runAsNonRoot")
    if pod_value is not None:
        if pod_value is False:
            bad_setters.append("pod")
        else:
            pod_run_as_non_root = True
    explicitly_bad, implicitly_bad = [], []
    for c in visit_containers(spec):
        value = (container_security_context(c) or {}).get("runAsNonRoot")
        if value is not None:
            if value is False:
                explicitly_bad.append(name_of(c))
        elif not pod_run_as_non_root:
            implicitly_bad.append(name_of(c))
    if explicitly_bad:
        bad_setters.append(containers_phrase(explicitly_bad))
    if bad_setters:
        # "%s must not set securityContext.runAsNonRoot=false"
        return CheckResult("runAsNonRoot != true",
                           f'{" and ".join(bad_setters)} must not set securityContext.runAsNonRoot=false')
    if implicitly_bad:
        # "pod or %s %s must set securityContext.runAsNonRoot=true"
        return CheckResult("runAsNonRoot != true",
                           f"pod or {containers_phrase(implicitly_bad)} must set securityContext.runAsNonRoot=true")
    return None


def run_as_non_root_1_35(meta: dict, spec: dict) -> CheckResult | None:
    """runAsNonRoot1_35: skipped for user-namespaced pods (hostUsers: false): root there is not root on the node."""
    return None if relax_for_user_namespace(spec) else run_as_non_root_1_0(meta, spec)


def _is_zero(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0


def run_as_user_1_23(meta: dict, spec: dict) -> CheckResult | None:
    """runAsUser_1_23: runAsUser=0 set explicitly (unset is fine)."""
    bad_setters = ["pod"] if _is_zero((pod_security_context(spec) or {}).get("runAsUser")) else []
    bad = [name_of(c) for c in visit_containers(spec)
           if _is_zero((container_security_context(c) or {}).get("runAsUser"))]
    if bad:
        bad_setters.append(containers_phrase(bad))
    if not bad_setters:
        return None
    # "%s must not set runAsUser=0"
    return CheckResult("runAsUser=0", f'{" and ".join(bad_setters)} must not set runAsUser=0')


def run_as_user_1_35(meta: dict, spec: dict) -> CheckResult | None:
    """runAsUser1_35: skipped for user-namespaced pods (hostUsers: false)."""
    return None if relax_for_user_namespace(spec) else run_as_user_1_23(meta, spec)


def seccomp_profile_restricted_1_19(meta: dict, spec: dict) -> CheckResult | None:
    """seccompProfileRestricted_1_19: the pod, or else every container, must set RuntimeDefault or Localhost."""
    bad_setters: list[str] = []
    bad_values: set[str] = set()
    pod_seccomp_set = False
    profile = mapping(pod_security_context(spec), "seccompProfile")
    if profile is not None:
        if string(profile, "type") not in _VALID_SECCOMP_TYPES:
            bad_setters.append("pod")
            bad_values.add(string(profile, "type"))
        else:
            pod_seccomp_set = True
    explicitly_bad, implicitly_bad = [], []
    for c in visit_containers(spec):
        profile = mapping(container_security_context(c), "seccompProfile")
        if profile is not None:
            if string(profile, "type") not in _VALID_SECCOMP_TYPES:
                explicitly_bad.append(name_of(c))
                bad_values.add(string(profile, "type"))
        elif not pod_seccomp_set:
            implicitly_bad.append(name_of(c))
    if explicitly_bad:
        bad_setters.append(containers_phrase(explicitly_bad))
    if bad_setters:
        # "%s must not set securityContext.seccompProfile.type to %s"
        return CheckResult("seccompProfile", f'{" and ".join(bad_setters)} must not set '
                           f"securityContext.seccompProfile.type to {join_quote(sorted(bad_values))}")
    if implicitly_bad:
        # `pod or %s %s must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`
        return CheckResult("seccompProfile", f"pod or {containers_phrase(implicitly_bad)} must set "
                           'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"')
    return None


def seccomp_profile_restricted_1_25(meta: dict, spec: dict) -> CheckResult | None:
    """seccompProfileRestricted_1_25: Windows pods are exempt."""
    return None if is_windows(spec) else seccomp_profile_restricted_1_19(meta, spec)


# --- the registry's input: every check with its revisions (policy.DefaultChecks) ------------------------

V = VersionedCheck

DEFAULT_CHECKS: tuple[Check, ...] = (
    Check("appArmorProfile", BASELINE, (V(0, app_armor_profile_1_0),)),
    Check("capabilities_baseline", BASELINE, (V(0, capabilities_baseline_1_0),)),
    Check("hostNamespaces", BASELINE, (V(0, host_namespaces_1_0),)),
    Check("hostPathVolumes", BASELINE, (V(0, host_path_volumes_1_0),)),
    Check("hostPorts", BASELINE, (V(0, host_ports_1_0),)),
    Check("hostProbesAndHostLifecycle", BASELINE, (V(34, host_probes_and_host_lifecycle_1_34),)),
    Check("privileged", BASELINE, (V(0, privileged_1_0),)),
    Check("procMount", BASELINE, (V(0, proc_mount_1_0), V(35, proc_mount_1_35_baseline))),
    Check("seLinuxOptions", BASELINE, (V(0, se_linux_options_1_0), V(31, se_linux_options_1_31))),
    Check("seccompProfile_baseline", BASELINE,
          (V(0, seccomp_profile_baseline_1_0), V(19, seccomp_profile_baseline_1_19))),
    Check("sysctls", BASELINE, (V(0, _sysctls(_SYSCTLS_1_0)), V(27, _sysctls(_SYSCTLS_1_27)),
                                V(29, _sysctls(_SYSCTLS_1_29)), V(32, _sysctls(_SYSCTLS_1_32)),
                                V(37, _sysctls(_SYSCTLS_1_37)))),
    Check("windowsHostProcess", BASELINE, (V(0, windows_host_process_1_0),)),
    Check("allowPrivilegeEscalation", RESTRICTED,
          (V(8, allow_privilege_escalation_1_8), V(25, allow_privilege_escalation_1_25))),
    Check("capabilities_restricted", RESTRICTED,
          (V(22, capabilities_restricted_1_22, ("capabilities_baseline",)),
           V(25, capabilities_restricted_1_25, ("capabilities_baseline",)))),
    Check("procMount_restricted", RESTRICTED, (V(35, proc_mount_1_0, ("procMount",)),)),
    Check("restrictedVolumes", RESTRICTED, (V(0, restricted_volumes_1_0, ("hostPathVolumes",)),)),
    Check("runAsNonRoot", RESTRICTED, (V(0, run_as_non_root_1_0), V(35, run_as_non_root_1_35))),
    Check("runAsUser", RESTRICTED, (V(23, run_as_user_1_23), V(35, run_as_user_1_35))),
    Check("seccompProfile_restricted", RESTRICTED,
          (V(19, seccomp_profile_restricted_1_19, ("seccompProfile_baseline",)),
           V(25, seccomp_profile_restricted_1_25, ("seccompProfile_baseline",)))),
)
