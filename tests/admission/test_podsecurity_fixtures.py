"""Conformance: upstream's Pod Security fixtures (pod-security-admission/test/testdata, v1.37) through the plugin.

Every `pass/` pod is admitted and every `fail/` pod rejected at its level, with the version pinned (v1.37) or
`latest`; the same pods only warn or annotate in warn and audit modes, only warn as Deployment templates, and
are all admitted at privileged. As upstream's harness (test/run.go), each pod is renamed "test" (fixture stems
like `base_linux` are not valid object names) and is defaulted first, as the API server does before admission.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kauth.admission.chain import CREATE, Attributes
from kauth.admission.podsecurity import PodSecurity
from kauth.api.defaults import apply_defaults
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import CLUSTER_ADMIN

FIXTURES = Path(__file__).parent / "fixtures" / "pod-security"
TABLE = ResourceTable.builtin()
POD = TABLE.for_kind("v1", "Pod")
DEPLOYMENT = TABLE.for_kind("apps/v1", "Deployment")


class State:
    """A StateView over a few namespaces (no pods)."""

    def __init__(self, **namespaces: dict[str, str]):
        self.namespaces = {name: {"apiVersion": "v1", "kind": "Namespace",
                                  "metadata": {"name": name, "labels": labels}}
                           for name, labels in namespaces.items()}

    def get(self, group, resource, namespace, name):
        return self.namespaces.get(name) if (group, resource) == ("", "namespaces") else None

    def list(self, group, resource, namespace=None):
        return []


def labels(**modes: str) -> dict[str, str]:
    """labels(enforce="restricted", enforce_version="v1.37") -> the pod-security.kubernetes.io/ labels."""
    return {"pod-security.kubernetes.io/" + mode.replace("_", "-"): value for mode, value in modes.items()}


def fixture_files(outcome: str) -> list:
    return [pytest.param(level, path, id=f"{level}/{outcome}/{path.stem}")
            for level in ("baseline", "restricted")
            for path in sorted((FIXTURES / level / "v1.37" / outcome).glob("*.yaml"))]


def load_pod(path: Path) -> dict:
    pod = yaml.safe_load(path.read_text())
    pod["metadata"]["name"] = "test"
    return apply_defaults(POD, pod)


def create(obj: dict, rt=POD, namespace: str = "ns") -> Attributes:
    return Attributes(CREATE, rt, namespace, obj["metadata"]["name"], obj, None, CLUSTER_ADMIN)


def as_deployment(pod: dict) -> dict:
    """test/run.go createController: the pod's metadata and spec as a Deployment's template, labelled test=true."""
    meta = copy.deepcopy(pod["metadata"])
    meta["labels"] = {"test": "true"}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "test"},
                  "spec": {"selector": {"matchLabels": {"test": "true"}},
                           "template": {"metadata": meta, "spec": copy.deepcopy(pod["spec"])}}}
    return apply_defaults(DEPLOYMENT, deployment)


def test_the_fixture_copy_is_complete():
    counts = {f"{level}/{outcome}": len(list((FIXTURES / level / "v1.37" / outcome).glob("*.yaml")))
              for level in ("baseline", "restricted") for outcome in ("pass", "fail")}
    assert counts == {"baseline/pass": 15, "baseline/fail": 34, "restricted/pass": 23, "restricted/fail": 76}
    assert (FIXTURES / "LICENSE").is_file() and (FIXTURES / "ATTRIBUTION.md").is_file()


@pytest.mark.parametrize("version", ["v1.37", "latest"])
@pytest.mark.parametrize(("level", "path"), fixture_files("pass"))
def test_pass_fixture_is_admitted_at_its_level(level, path, version):
    state = State(ns=labels(enforce=level, enforce_version=version, warn=level, warn_version=version))
    verdict = PodSecurity().validate(create(load_pod(path)), state)
    assert verdict.warnings == ()
    assert verdict.audit_annotations == {"enforce-policy": f"{level}:{version}"}


@pytest.mark.parametrize("version", ["v1.37", "latest"])
@pytest.mark.parametrize(("level", "path"), fixture_files("fail"))
def test_fail_fixture_is_rejected_at_its_level(level, path, version):
    state = State(ns=labels(enforce=level, enforce_version=version, warn=level, warn_version=version))
    with pytest.raises(StatusError) as caught:
        PodSecurity().validate(create(load_pod(path)), state)
    err = caught.value
    assert (err.code, err.reason, err.details) == (403, "Forbidden", {"name": "test", "kind": "pods"})
    detail = EXPECTED_DETAIL[f"{level}/{path.stem}"]
    assert err.message == f'pods "test" is forbidden: violates PodSecurity "{level}:{version}": {detail}'
    assert "unknown forbidden reason" not in err.message  # upstream's harness checks this too


@pytest.mark.parametrize(("level", "path"), fixture_files("fail"))
def test_fail_fixture_only_warns_in_warn_mode(level, path):
    verdict = PodSecurity().validate(create(load_pod(path)), State(ns=labels(warn=level)))
    detail = EXPECTED_DETAIL[f"{level}/{path.stem}"]
    assert verdict.warnings == (f'would violate PodSecurity "{level}:latest": {detail}',)
    assert verdict.audit_annotations == {"enforce-policy": "privileged:latest"}


@pytest.mark.parametrize(("level", "path"), fixture_files("fail"))
def test_fail_fixture_only_annotates_in_audit_mode(level, path):
    verdict = PodSecurity().validate(create(load_pod(path)), State(ns=labels(audit=level)))
    detail = EXPECTED_DETAIL[f"{level}/{path.stem}"]
    assert verdict.warnings == ()
    assert verdict.audit_annotations == {"enforce-policy": "privileged:latest",
                                         "audit-violations": f'would violate PodSecurity "{level}:latest": {detail}'}


@pytest.mark.parametrize(("level", "path"), fixture_files("fail") + fixture_files("pass"))
def test_fixture_as_deployment_template_is_never_rejected(level, path):
    # test/run.go: a workload's failure shows as a warning, never an error.
    state = State(ns=labels(enforce=level, warn=level))
    verdict = PodSecurity().validate(create(as_deployment(load_pod(path)), DEPLOYMENT), state)
    if "/fail/" in str(path):
        assert verdict.warnings == (
            f'would violate PodSecurity "{level}:latest": {EXPECTED_DETAIL[f"{level}/{path.stem}"]}',)
    else:
        assert verdict.warnings == ()
    assert "enforce-policy" not in verdict.audit_annotations  # enforce is not evaluated for workloads


@pytest.mark.parametrize(("level", "path"), fixture_files("fail") + fixture_files("pass"))
def test_every_fixture_is_admitted_at_privileged(level, path):
    state = State(ns=labels(enforce="privileged", enforce_version="v1.37"))
    verdict = PodSecurity().validate(create(load_pod(path)), state)
    # A fully privileged namespace short-circuits with "privileged:latest" whatever its version label says.
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {"enforce-policy": "privileged:latest"})


# The expected ForbiddenDetail of every fail fixture at its level. Derived from upstream's check sources and
# check_*_test.go strings (docs/pod-security.md, Appendix A); note the restricted overrides: a hostPath volume
# reads `restricted volume types`, an added NET_RAW `unrestricted capabilities` (kubernetes#107698).
# Not from a live server: there, the AppArmor fixtures would also name the container, as the pod strategy copies
# the beta annotation into the securityContext field before admission (not simulated by kauth yet).
EXPECTED_DETAIL = {
    'baseline/apparmorprofile0':
        'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/container1="unconfined"")',
    'baseline/apparmorprofile1':
        'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/initcontainer1="unconfined"")',
    'baseline/capabilities_baseline0':
        'non-default capabilities (container "container1" must not include "NET_RAW" in securityContext.capabilities.add)',
    'baseline/capabilities_baseline1':
        'non-default capabilities (container "initcontainer1" must not include "NET_RAW" in securityContext.capabilities.add)',
    'baseline/capabilities_baseline2':
        'non-default capabilities (container "container1" must not include "chown" in securityContext.capabilities.add)',
    'baseline/capabilities_baseline3':
        'non-default capabilities (container "container1" must not include "CAP_CHOWN" in securityContext.capabilities.add)',
    'baseline/hostnamespaces0':
        'host namespaces (hostIPC=true)',
    'baseline/hostnamespaces1':
        'host namespaces (hostNetwork=true)',
    'baseline/hostnamespaces2':
        'host namespaces (hostPID=true)',
    'baseline/hostpathvolumes0':
        'hostPath volumes (volume "volume-hostpath")',
    'baseline/hostpathvolumes1':
        'hostPath volumes (volumes "volume-hostpath-a", "volume-hostpath-b")',
    'baseline/hostports0':
        'hostPort (container "container1" uses hostPort 12345)',
    'baseline/hostports1':
        'hostPort (container "initcontainer1" uses hostPort 12346)',
    'baseline/hostports2':
        'hostPort (containers "initcontainer1", "container1" use hostPorts 12345, 12346)',
    'baseline/hostprobesandhostlifecycle0':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "bad.host")',
    'baseline/hostprobesandhostlifecycle1':
        'probe or lifecycle host (container "initcontainer1" uses probe or lifecycle host "8.8.8.8")',
    'baseline/hostprobesandhostlifecycle2':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "bad.host")',
    'baseline/hostprobesandhostlifecycle3':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "127.0.0.1")',
    'baseline/hostprobesandhostlifecycle4':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "::1")',
    'baseline/privileged0':
        'privileged (container "container1" must not set securityContext.privileged=true)',
    'baseline/privileged1':
        'privileged (container "initcontainer1" must not set securityContext.privileged=true)',
    'baseline/procmount0':
        'procMount (container "container1" must not set securityContext.procMount to "Unmasked")',
    'baseline/procmount1':
        'procMount (container "initcontainer1" must not set securityContext.procMount to "Unmasked")',
    'baseline/seccompprofile_baseline0':
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    'baseline/seccompprofile_baseline1':
        'seccompProfile (container "container1" must not set securityContext.seccompProfile.type to "Unconfined")',
    'baseline/seccompprofile_baseline2':
        'seccompProfile (container "initcontainer1" must not set securityContext.seccompProfile.type to "Unconfined")',
    'baseline/selinuxoptions0':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'baseline/selinuxoptions1':
        'seLinuxOptions (container "container1" set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'baseline/selinuxoptions2':
        'seLinuxOptions (container "initcontainer1" set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'baseline/selinuxoptions3':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)',
    'baseline/selinuxoptions4':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: role may not be set)',
    'baseline/sysctls0':
        'forbidden sysctls (othersysctl)',
    'baseline/windowshostprocess0':
        'host namespaces (hostNetwork=true), hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
    'baseline/windowshostprocess1':
        'host namespaces (hostNetwork=true), hostProcess (containers "initcontainer1", "container1" must not set securityContext.windowsOptions.hostProcess=true)',
    'restricted/allowprivilegeescalation0':
        'allowPrivilegeEscalation != false (container "container1" must set securityContext.allowPrivilegeEscalation=false)',
    'restricted/allowprivilegeescalation1':
        'allowPrivilegeEscalation != false (container "initcontainer1" must set securityContext.allowPrivilegeEscalation=false)',
    'restricted/allowprivilegeescalation2':
        'allowPrivilegeEscalation != false (container "container1" must set securityContext.allowPrivilegeEscalation=false)',
    'restricted/allowprivilegeescalation3':
        'allowPrivilegeEscalation != false (container "container1" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "container1" must set securityContext.capabilities.drop=["ALL"])',
    'restricted/apparmorprofile0':
        'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/container1="unconfined"")',
    'restricted/apparmorprofile1':
        'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/initcontainer1="unconfined"")',
    'restricted/capabilities_baseline0':
        'unrestricted capabilities (container "container1" must not include "NET_RAW" in securityContext.capabilities.add)',
    'restricted/capabilities_baseline1':
        'unrestricted capabilities (container "initcontainer1" must not include "NET_RAW" in securityContext.capabilities.add)',
    'restricted/capabilities_baseline2':
        'unrestricted capabilities (container "container1" must not include "chown" in securityContext.capabilities.add)',
    'restricted/capabilities_baseline3':
        'unrestricted capabilities (container "container1" must not include "CAP_CHOWN" in securityContext.capabilities.add)',
    'restricted/capabilities_restricted0':
        'unrestricted capabilities (container "container1" must set securityContext.capabilities.drop=["ALL"])',
    'restricted/capabilities_restricted1':
        'unrestricted capabilities (container "initcontainer1" must set securityContext.capabilities.drop=["ALL"])',
    'restricted/capabilities_restricted2':
        'unrestricted capabilities (containers "initcontainer1", "container1" must set securityContext.capabilities.drop=["ALL"])',
    'restricted/capabilities_restricted3':
        'unrestricted capabilities (containers "initcontainer1", "container1" must not include "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT" in securityContext.capabilities.add)',
    'restricted/hostnamespaces0':
        'host namespaces (hostIPC=true)',
    'restricted/hostnamespaces1':
        'host namespaces (hostNetwork=true)',
    'restricted/hostnamespaces2':
        'host namespaces (hostPID=true)',
    'restricted/hostpathvolumes0':
        'restricted volume types (volume "volume-hostpath" uses restricted volume type "hostPath")',
    'restricted/hostpathvolumes1':
        'restricted volume types (volumes "volume-hostpath-a", "volume-hostpath-b" use restricted volume type "hostPath")',
    'restricted/hostports0':
        'hostPort (container "container1" uses hostPort 12345)',
    'restricted/hostports1':
        'hostPort (container "initcontainer1" uses hostPort 12346)',
    'restricted/hostports2':
        'hostPort (containers "initcontainer1", "container1" use hostPorts 12345, 12346)',
    'restricted/hostprobesandhostlifecycle0':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "bad.host")',
    'restricted/hostprobesandhostlifecycle1':
        'probe or lifecycle host (container "initcontainer1" uses probe or lifecycle host "8.8.8.8")',
    'restricted/hostprobesandhostlifecycle2':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "bad.host")',
    'restricted/hostprobesandhostlifecycle3':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "127.0.0.1")',
    'restricted/hostprobesandhostlifecycle4':
        'probe or lifecycle host (container "container1" uses probe or lifecycle host "::1")',
    'restricted/privileged0':
        'privileged (container "container1" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "container1" must set securityContext.allowPrivilegeEscalation=false)',
    'restricted/privileged1':
        'privileged (container "initcontainer1" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "initcontainer1" must set securityContext.allowPrivilegeEscalation=false)',
    'restricted/procmount0':
        'procMount (container "container1" must not set securityContext.procMount to "Unmasked")',
    'restricted/procmount1':
        'procMount (container "initcontainer1" must not set securityContext.procMount to "Unmasked")',
    'restricted/procmount_restricted0':
        'procMount (container "container1" must not set securityContext.procMount to "Unmasked")',
    'restricted/procmount_restricted1':
        'procMount (container "initcontainer1" must not set securityContext.procMount to "Unmasked")',
    'restricted/restrictedvolumes0':
        'restricted volume types (volume "volume1" uses restricted volume type "gcePersistentDisk")',
    'restricted/restrictedvolumes1':
        'restricted volume types (volume "volume1" uses restricted volume type "awsElasticBlockStore")',
    'restricted/restrictedvolumes2':
        'restricted volume types (volume "volume1" uses restricted volume type "gitRepo")',
    'restricted/restrictedvolumes3':
        'restricted volume types (volume "volume1" uses restricted volume type "nfs")',
    'restricted/restrictedvolumes4':
        'restricted volume types (volume "volume1" uses restricted volume type "iscsi")',
    'restricted/restrictedvolumes5':
        'restricted volume types (volume "volume1" uses restricted volume type "glusterfs")',
    'restricted/restrictedvolumes6':
        'restricted volume types (volume "volume1" uses restricted volume type "rbd")',
    'restricted/restrictedvolumes7':
        'restricted volume types (volume "volume1" uses restricted volume type "flexVolume")',
    'restricted/restrictedvolumes8':
        'restricted volume types (volume "volume1" uses restricted volume type "cinder")',
    'restricted/restrictedvolumes9':
        'restricted volume types (volume "volume1" uses restricted volume type "cephfs")',
    'restricted/restrictedvolumes10':
        'restricted volume types (volume "volume1" uses restricted volume type "flocker")',
    'restricted/restrictedvolumes11':
        'restricted volume types (volume "volume1" uses restricted volume type "fc")',
    'restricted/restrictedvolumes12':
        'restricted volume types (volume "volume1" uses restricted volume type "azureFile")',
    'restricted/restrictedvolumes13':
        'restricted volume types (volume "volume1" uses restricted volume type "vsphereVolume")',
    'restricted/restrictedvolumes14':
        'restricted volume types (volume "volume1" uses restricted volume type "quobyte")',
    'restricted/restrictedvolumes15':
        'restricted volume types (volume "volume1" uses restricted volume type "azureDisk")',
    'restricted/restrictedvolumes16':
        'restricted volume types (volume "volume1" uses restricted volume type "portworxVolume")',
    'restricted/restrictedvolumes17':
        'restricted volume types (volume "volume1" uses restricted volume type "scaleIO")',
    'restricted/restrictedvolumes18':
        'restricted volume types (volume "volume1" uses restricted volume type "storageos")',
    'restricted/restrictedvolumes19':
        'restricted volume types (volume "volume1" uses restricted volume type "hostPath")',
    'restricted/runasnonroot0':
        'runAsNonRoot != true (pod or containers "initcontainer1", "container1" must set securityContext.runAsNonRoot=true)',
    'restricted/runasnonroot1':
        'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
    'restricted/runasnonroot2':
        'runAsNonRoot != true (container "container1" must not set securityContext.runAsNonRoot=false)',
    'restricted/runasnonroot3':
        'runAsNonRoot != true (container "initcontainer1" must not set securityContext.runAsNonRoot=false)',
    'restricted/runasuser0':
        'runAsUser=0 (pod must not set runAsUser=0)',
    'restricted/runasuser1':
        'runAsUser=0 (container "container1" must not set runAsUser=0)',
    'restricted/runasuser2':
        'runAsUser=0 (container "initcontainer1" must not set runAsUser=0)',
    'restricted/seccompprofile_baseline0':
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    'restricted/seccompprofile_baseline1':
        'seccompProfile (container "container1" must not set securityContext.seccompProfile.type to "Unconfined")',
    'restricted/seccompprofile_baseline2':
        'seccompProfile (container "initcontainer1" must not set securityContext.seccompProfile.type to "Unconfined")',
    'restricted/seccompprofile_restricted0':
        'seccompProfile (pod or containers "initcontainer1", "container1" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    'restricted/seccompprofile_restricted1':
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    'restricted/seccompprofile_restricted2':
        'seccompProfile (pod or container "initcontainer1" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    'restricted/seccompprofile_restricted3':
        'seccompProfile (pod or container "container1" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    'restricted/seccompprofile_restricted4':
        'seccompProfile (container "initcontainer1" must not set securityContext.seccompProfile.type to "Unconfined")',
    'restricted/selinuxoptions0':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'restricted/selinuxoptions1':
        'seLinuxOptions (container "container1" set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'restricted/selinuxoptions2':
        'seLinuxOptions (container "initcontainer1" set forbidden securityContext.seLinuxOptions: type "somevalue")',
    'restricted/selinuxoptions3':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)',
    'restricted/selinuxoptions4':
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: role may not be set)',
    'restricted/sysctls0':
        'forbidden sysctls (othersysctl)',
    'restricted/windowshostprocess0':
        'host namespaces (hostNetwork=true), hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
    'restricted/windowshostprocess1':
        'host namespaces (hostNetwork=true), hostProcess (containers "initcontainer1", "container1" must not set securityContext.windowsOptions.hostProcess=true)',
}
