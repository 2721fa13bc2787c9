"""The PodSecurity plugin's decisions: modes, versions, exemptions, workloads, updates, subresources, bypasses.

Expectations follow upstream's pod-security-admission/admission/admission.go (ValidatePod, ValidatePodController,
EvaluatePod, isSignificantPodUpdate) and its tests (admission_test.go); each test names its source when the
behaviour is surprising.
"""

from __future__ import annotations

import copy

import pytest

from kauth.admission.chain import CONNECT, CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.admission.podsecurity import Exemptions, PodSecurity, PodSecurityConfiguration
from kauth.admission.podsecurity.api import LATEST, LevelVersion, Policy
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import CLUSTER_ADMIN, UserInfo

TABLE = ResourceTable.builtin()
POD = TABLE.for_kind("v1", "Pod")
RESTRICTED_SC = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
ALICE = UserInfo("alice", groups=("system:authenticated",))


class State:
    """A StateView: namespaces by name (with their labels) and the pods stored in each."""

    def __init__(self, namespaces: dict[str, dict[str, str]] | None = None, pods: dict[str, list] | None = None):
        self.namespaces = {name: namespace(name, labels) for name, labels in (namespaces or {}).items()}
        self.pods = pods or {}

    def get(self, group, resource, ns, name):
        return self.namespaces.get(name) if (group, resource) == ("", "namespaces") else None

    def list(self, group, resource, ns=None):
        return list(self.pods.get(ns, [])) if (group, resource) == ("", "pods") else []


def psa(**modes: str) -> dict[str, str]:
    """psa(enforce="restricted", enforce_version="v1.30") -> the pod-security.kubernetes.io/ labels."""
    return {"pod-security.kubernetes.io/" + mode.replace("_", "-"): value for mode, value in modes.items()}


def namespace(name: str, labels: dict[str, str] | None = None) -> dict:
    meta: dict = {"name": name}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def container(name: str = "x", **security_context) -> dict:
    c = {"name": name, "image": "nginx"}
    if security_context:
        c["securityContext"] = security_context
    return c


def restricted_container(name: str = "x", **extra) -> dict:
    return container(name, **{**RESTRICTED_SC, **extra})


def pod(name: str = "x", containers=None, *, init=(), ephemeral=(), pod_sc=None, **spec) -> dict:
    """A pod; by default one container that satisfies restricted, with the pod-level settings restricted needs."""
    body = {"containers": list(containers) if containers is not None else [restricted_container()],
            "securityContext": pod_sc if pod_sc is not None else {
                "runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}, **spec}
    if init:
        body["initContainers"] = list(init)
    if ephemeral:
        body["ephemeralContainers"] = list(ephemeral)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "ns"}, "spec": body}


def attrs(obj: dict, rt=POD, *, operation: str = CREATE, old: dict | None = None, ns: str = "ns",
          user: UserInfo = CLUSTER_ADMIN, subresource: str = "") -> Attributes:
    return Attributes(operation, rt, ns, obj["metadata"]["name"], obj, old, user, subresource)


def reject(plugin: PodSecurity, attributes: Attributes, state: State) -> StatusError:
    with pytest.raises(StatusError) as caught:
        plugin.validate(attributes, state)
    return caught.value


RESTRICTED_NS = State({"ns": psa(enforce="restricted")})


# --- messages -----------------------------------------------------------------------------------------

def test_enforce_denial_message_is_upstreams():
    # The example; format from admission.go EvaluatePod: `violates PodSecurity %q: %s`.
    bare = pod(containers=[container()], pod_sc={})
    err = reject(PodSecurity(), attrs(bare), RESTRICTED_NS)
    assert (err.code, err.reason) == (403, "Forbidden")
    assert err.message == (
        'pods "x" is forbidden: violates PodSecurity "restricted:latest": '
        'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), '
        'unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), '
        'runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), '
        'seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" '
        'or "Localhost")')


def test_compliant_pod_is_admitted_with_the_enforce_policy_annotation():
    verdict = PodSecurity().validate(attrs(pod()), RESTRICTED_NS)
    assert verdict.warnings == ()
    assert verdict.audit_annotations == {"enforce-policy": "restricted:latest"}
    assert verdict.object is not None and not verdict.changed


def test_warn_mode_warns_with_upstreams_text():
    state = State({"ns": psa(enforce="baseline", warn="restricted", warn_version="v1.30")})
    verdict = PodSecurity().validate(attrs(pod(containers=[container()])), state)
    assert verdict.warnings == (
        'would violate PodSecurity "restricted:v1.30": allowPrivilegeEscalation != false (container "x" must set '
        'securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "x" must set '
        'securityContext.capabilities.drop=["ALL"])',)
    assert verdict.audit_annotations == {"enforce-policy": "baseline:latest"}


def test_no_warning_on_a_request_that_is_denied():
    # admission.go: "avoid adding warnings to a request we're already going to reject with an error".
    state = State({"ns": psa(enforce="restricted", warn="restricted", audit="restricted")})
    response = PodSecurity().respond(attrs(pod(containers=[container("x", privileged=True)])), state)
    assert not response.allowed and response.warnings == ()
    detail = response.error.message.split('"restricted:latest": ', 1)[1]
    assert response.audit_annotations == {
        "enforce-policy": "restricted:latest",
        "audit-violations": f'would violate PodSecurity "restricted:latest": {detail}'}


def test_audit_mode_annotates_only():
    state = State({"ns": psa(audit="baseline")})
    verdict = PodSecurity().validate(attrs(pod(hostPID=True)), state)
    assert verdict.warnings == ()
    assert verdict.audit_annotations == {
        "enforce-policy": "privileged:latest",
        "audit-violations": 'would violate PodSecurity "baseline:latest": host namespaces (hostPID=true)'}


def test_unlabelled_namespace_uses_the_configured_defaults():
    plugin = PodSecurity(PodSecurityConfiguration(Policy(enforce=LevelVersion("baseline", LATEST))))
    err = reject(plugin, attrs(pod(hostNetwork=True)), State({"ns": None}))
    assert err.message.endswith('violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)')


def test_fully_privileged_namespace_short_circuits_as_privileged_latest():
    # response.go sharedAllowedPrivilegedResponse: always "privileged:latest", whatever the version labels say.
    state = State({"ns": psa(enforce="privileged", enforce_version="v1.25")})
    verdict = PodSecurity().validate(attrs(pod(containers=[container(privileged=True)])), state)
    assert verdict.audit_annotations == {"enforce-policy": "privileged:latest"}


# --- versions -----------------------------------------------------------------------------------------

def test_future_version_prints_as_labelled_but_evaluates_as_latest():
    state = State({"ns": psa(enforce="baseline", enforce_version="v1.99")})
    err = reject(PodSecurity(), attrs(pod(hostIPC=True)), state)
    assert err.message == 'pods "x" is forbidden: violates PodSecurity "baseline:v1.99": host namespaces (hostIPC=true)'


def test_pinned_version_before_probe_host_check_admits_probe_hosts():
    probed = {**restricted_container(), "livenessProbe": {"httpGet": {"host": "evil.example", "port": 80}}}
    probing = pod(containers=[probed])
    PodSecurity().validate(attrs(probing), State({"ns": psa(enforce="baseline", enforce_version="v1.33")}))
    err = reject(PodSecurity(), attrs(probing), State({"ns": psa(enforce="baseline", enforce_version="v1.34")}))
    assert "probe or lifecycle host" in err.message


def test_pinned_version_before_1_19_reads_seccomp_annotations_not_fields():
    unconfined_field = pod(pod_sc={"seccompProfile": {"type": "Unconfined"}})
    PodSecurity().validate(attrs(unconfined_field), State({"ns": psa(enforce="baseline", enforce_version="v1.18")}))
    annotated = pod()
    annotated["metadata"]["annotations"] = {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}
    err = reject(PodSecurity(), attrs(annotated), State({"ns": psa(enforce="baseline", enforce_version="v1.18")}))
    assert err.message.endswith(
        'violates PodSecurity "baseline:v1.18": seccompProfile (forbidden annotation '
        'seccomp.security.alpha.kubernetes.io/pod="unconfined")')


def test_user_namespace_relaxation_applies_from_v1_35_only():
    rootful = pod(containers=[restricted_container(runAsUser=0)], pod_sc={"seccompProfile": {"type": "RuntimeDefault"}},
                  hostUsers=False)
    PodSecurity().validate(attrs(rootful), State({"ns": psa(enforce="restricted", enforce_version="v1.35")}))
    err = reject(PodSecurity(), attrs(rootful), State({"ns": psa(enforce="restricted", enforce_version="v1.34")}))
    assert "runAsNonRoot != true" in err.message and "runAsUser=0" in err.message


# --- label errors (api/helpers.go PolicyToEvaluate) --------------------------------------------------

def test_invalid_enforce_label_fails_closed_to_restricted():
    state = State({"ns": psa(enforce="Restricted")})
    response = PodSecurity().respond(attrs(pod(containers=[container()], pod_sc={})), state)
    assert response.error.message.startswith('pods "x" is forbidden: violates PodSecurity "restricted:latest": ')
    assert response.audit_annotations["error"] == (
        'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "Restricted": '
        "must be one of privileged, baseline, restricted")


def test_invalid_warn_label_fails_open_and_bad_version_means_latest():
    state = State({"ns": psa(warn="strict", audit="baseline", audit_version="1.30")})
    verdict = PodSecurity().validate(attrs(pod(hostPID=True)), state)
    assert verdict.warnings == ()
    assert verdict.audit_annotations == {
        "error": 'Failed to parse policy: [metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: '
                 '"1.30": must be "latest" or "v1.x", metadata.labels[pod-security.kubernetes.io/warn]: Invalid '
                 'value: "strict": must be one of privileged, baseline, restricted]',
        "enforce-policy": "privileged:latest",
        "audit-violations": 'would violate PodSecurity "baseline:latest": host namespaces (hostPID=true)'}


# --- bypass attempts ----------------------------------------------------------------------------------

def test_privilege_hidden_in_an_init_container_is_rejected():
    sneaky = pod(init=[restricted_container("setup", privileged=True)])
    err = reject(PodSecurity(), attrs(sneaky), State({"ns": psa(enforce="baseline")}))
    assert err.message == ('pods "x" is forbidden: violates PodSecurity "baseline:latest": '
                           'privileged (container "setup" must not set securityContext.privileged=true)')


def test_init_containers_are_listed_before_containers():
    sneaky = pod(containers=[container("app", privileged=True)], init=[container("setup", privileged=True)])
    err = reject(PodSecurity(), attrs(sneaky), State({"ns": psa(enforce="baseline")}))
    assert 'containers "setup", "app" must not set securityContext.privileged=true' in err.message


def test_privilege_hidden_in_an_ephemeral_container_at_create_is_rejected():
    debug = {"name": "debug", "image": "busybox", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}
    sneaky = pod(ephemeral=[debug])
    err = reject(PodSecurity(), attrs(sneaky), State({"ns": psa(enforce="baseline")}))
    assert err.message.endswith('non-default capabilities (container "debug" must not include "SYS_ADMIN" in '
                                "securityContext.capabilities.add)")


def test_ephemeral_containers_subresource_update_is_checked():
    # ignoredPodSubresources does not list ephemeralcontainers: kubectl debug goes through PodSecurity.
    running = pod()
    debugged = copy.deepcopy(running)
    debugged["spec"]["ephemeralContainers"] = [{"name": "debugger", "image": "busybox", "targetContainerName": "x",
                                                "securityContext": {"privileged": True}}]
    request = attrs(debugged, operation=UPDATE, old=running, subresource="ephemeralcontainers")
    err = reject(PodSecurity(), request, State({"ns": psa(enforce="baseline")}))
    assert err.message == ('pods "x" is forbidden: violates PodSecurity "baseline:latest": '
                           'privileged (container "debugger" must not set securityContext.privileged=true)')


def test_compliant_ephemeral_container_is_admitted():
    running = pod()
    debugged = copy.deepcopy(running)
    debugged["spec"]["ephemeralContainers"] = [{"name": "debugger", "image": "busybox",
                                                "securityContext": RESTRICTED_SC}]
    request = attrs(debugged, operation=UPDATE, old=running, subresource="ephemeralcontainers")
    assert PodSecurity().validate(request, RESTRICTED_NS).audit_annotations == {"enforce-policy": "restricted:latest"}


@pytest.mark.parametrize(("pod_sc", "container_sc", "detail"), [
    ({"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}, {"runAsNonRoot": False},
     'runAsNonRoot != true (container "x" must not set securityContext.runAsNonRoot=false)'),
    ({"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}, {"seccompProfile": {"type": "Unconfined"}},
     'seccompProfile (container "x" must not set securityContext.seccompProfile.type to "Unconfined")'),
    ({"runAsNonRoot": True, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}}, {"runAsUser": 0},
     'runAsUser=0 (container "x" must not set runAsUser=0)'),
    ({"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}, "seLinuxOptions": {"type": "container_t"}},
     {"seLinuxOptions": {"type": "spc_t"}},
     'seLinuxOptions (container "x" set forbidden securityContext.seLinuxOptions: type "spc_t")'),
])
def test_container_level_setting_overrides_a_compliant_pod_level_one(pod_sc, container_sc, detail):
    sneaky = pod(containers=[restricted_container(**container_sc)], pod_sc=pod_sc)
    err = reject(PodSecurity(), attrs(sneaky), RESTRICTED_NS)
    assert err.message == f'pods "x" is forbidden: violates PodSecurity "restricted:latest": {detail}'


def test_compliant_containers_do_not_excuse_a_bad_pod_level_setting():
    # check_runAsNonRoot.go: the pod's explicit false is reported even when every container sets true.
    sneaky = pod(containers=[restricted_container(runAsNonRoot=True)],
                 pod_sc={"runAsNonRoot": False, "seccompProfile": {"type": "RuntimeDefault"}})
    err = reject(PodSecurity(), attrs(sneaky), RESTRICTED_NS)
    assert err.message.endswith('runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)')


def test_pod_level_setting_covers_containers_that_leave_it_unset():
    PodSecurity().validate(attrs(pod()), RESTRICTED_NS)  # runAsNonRoot/seccomp only at pod level


def test_a_windows_claim_does_not_excuse_baseline_violations():
    sneaky = pod(containers=[container(privileged=True)], os={"name": "windows"})
    err = reject(PodSecurity(), attrs(sneaky), RESTRICTED_NS)
    assert err.message == ('pods "x" is forbidden: violates PodSecurity "restricted:latest": '
                           'privileged (container "x" must not set securityContext.privileged=true)')


# --- workloads: warn and audit only (ValidatePodController) -------------------------------------------

def _template(spec_pod: dict) -> dict:
    return {"metadata": {"labels": {"app": "x"}}, "spec": spec_pod["spec"]}


def _workload(kind: str, template: dict) -> tuple:
    api_version = {"Deployment": "apps/v1", "DaemonSet": "apps/v1", "StatefulSet": "apps/v1",
                   "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
                   "ReplicationController": "v1", "PodTemplate": "v1"}[kind]
    obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "web", "namespace": "ns"}}
    if kind == "PodTemplate":
        obj["template"] = template
    elif kind == "CronJob":
        obj["spec"] = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}
    else:
        obj["spec"] = {"selector": {"matchLabels": {"app": "x"}}, "template": template}
    return TABLE.for_kind(api_version, kind), obj


WORKLOAD_KINDS = ["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "ReplicaSet", "ReplicationController",
                  "PodTemplate"]


@pytest.mark.parametrize("kind", WORKLOAD_KINDS)
def test_workload_template_violation_warns_and_is_never_rejected(kind):
    rt, obj = _workload(kind, _template(pod(hostNetwork=True, containers=[restricted_container(privileged=True)])))
    state = State({"ns": psa(enforce="restricted", warn="restricted", audit="baseline")})
    verdict = PodSecurity().validate(attrs(obj, rt), state)
    assert verdict.warnings == (
        'would violate PodSecurity "restricted:latest": host namespaces (hostNetwork=true), '
        'privileged (container "x" must not set securityContext.privileged=true)',)
    assert verdict.audit_annotations == {"audit-violations": 'would violate PodSecurity "baseline:latest": '
                                         'host namespaces (hostNetwork=true), privileged (container "x" must not '
                                         'set securityContext.privileged=true)'}


@pytest.mark.parametrize("kind", WORKLOAD_KINDS)
def test_workload_in_enforce_only_namespace_is_silent(kind):
    # Enforce does not apply to workloads; with audit and warn privileged nothing is evaluated.
    rt, obj = _workload(kind, _template(pod(containers=[container(privileged=True)])))
    verdict = PodSecurity().validate(attrs(obj, rt), RESTRICTED_NS)
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {})


def test_workload_template_metadata_is_the_pods_metadata():
    template = _template(pod())
    template["metadata"]["annotations"] = {"container.apparmor.security.beta.kubernetes.io/x": "unconfined"}
    rt, obj = _workload("Deployment", template)
    verdict = PodSecurity().validate(attrs(obj, rt), State({"ns": psa(warn="baseline")}))
    assert verdict.warnings == ('would violate PodSecurity "baseline:latest": forbidden AppArmor profile (annotation '
                                'must not set AppArmor profile type to '
                                '"container.apparmor.security.beta.kubernetes.io/x="unconfined"")',)


def test_workload_subresources_are_not_checked():
    rt, obj = _workload("Deployment", _template(pod(containers=[container(privileged=True)])))
    verdict = PodSecurity().validate(attrs(obj, rt, operation=UPDATE, old=obj, subresource="scale"),
                                     State({"ns": psa(warn="baseline")}))
    assert verdict.warnings == ()


def test_replication_controller_without_template_is_allowed():
    rt = TABLE.for_kind("v1", "ReplicationController")
    obj = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {"replicas": 0}}
    assert PodSecurity().validate(attrs(obj, rt), State({"ns": psa(warn="restricted")})).warnings == ()


def test_workload_in_missing_namespace_fails_open_with_an_error_annotation():
    rt, obj = _workload("Deployment", _template(pod()))
    verdict = PodSecurity().validate(attrs(obj, rt, ns="gone"), State({}))
    assert verdict.audit_annotations == {"error": 'failed to lookup namespace "gone": namespaces "gone" not found'}


# --- exemptions ---------------------------------------------------------------------------------------

EXEMPT = PodSecurity(PodSecurityConfiguration(exemptions=Exemptions(
    usernames=("system:serviceaccount:kube-system:replicaset-controller",), runtime_classes=("kata",),
    namespaces=("kube-system",))))
PRIVILEGED_POD = pod(containers=[container(privileged=True)], hostPID=True)


def test_pod_in_exempt_namespace_is_admitted():
    state = State({"kube-system": psa(enforce="restricted")})
    verdict = EXEMPT.validate(attrs(PRIVILEGED_POD, ns="kube-system"), state)
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {"exempt": "namespace"})


def test_pod_by_exempt_user_is_admitted():
    controller = UserInfo("system:serviceaccount:kube-system:replicaset-controller")
    verdict = EXEMPT.validate(attrs(PRIVILEGED_POD, user=controller), RESTRICTED_NS)
    assert verdict.audit_annotations == {"exempt": "user"}


def test_user_exemption_is_by_name_not_group():
    member = UserInfo("bob", groups=("system:serviceaccount:kube-system:replicaset-controller",))
    reject(EXEMPT, attrs(PRIVILEGED_POD, user=member), RESTRICTED_NS)


def test_pod_with_exempt_runtime_class_is_admitted():
    sandboxed = copy.deepcopy(PRIVILEGED_POD)
    sandboxed["spec"]["runtimeClassName"] = "kata"
    verdict = EXEMPT.validate(attrs(sandboxed, user=ALICE), RESTRICTED_NS)
    assert verdict.audit_annotations == {"exempt": "runtimeClass"}


def test_other_runtime_class_is_not_exempt():
    other = copy.deepcopy(PRIVILEGED_POD)
    other["spec"]["runtimeClassName"] = "gvisor"
    reject(EXEMPT, attrs(other, user=ALICE), RESTRICTED_NS)


@pytest.mark.parametrize(("ns", "user", "runtime_class", "annotation"), [
    ("kube-system", ALICE, "", "namespace"),
    ("ns", UserInfo("system:serviceaccount:kube-system:replicaset-controller"), "", "user"),
    ("ns", ALICE, "kata", "runtimeClass"),
])
def test_exempt_workloads_are_not_warned(ns, user, runtime_class, annotation):
    spec_pod = copy.deepcopy(PRIVILEGED_POD)
    if runtime_class:
        spec_pod["spec"]["runtimeClassName"] = runtime_class
    rt, obj = _workload("Deployment", _template(spec_pod))
    state = State({ns: psa(enforce="restricted", warn="restricted")})
    verdict = EXEMPT.validate(attrs(obj, rt, ns=ns, user=user), state)
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {"exempt": annotation})


# --- what is not checked --------------------------------------------------------------------------------

@pytest.mark.parametrize("subresource", ["status", "exec", "attach", "binding", "eviction", "log", "portforward",
                                         "proxy"])
def test_ignored_pod_subresources(subresource):
    verdict = PodSecurity().validate(attrs(PRIVILEGED_POD, operation=UPDATE, old=PRIVILEGED_POD,
                                           subresource=subresource), RESTRICTED_NS)
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {})


@pytest.mark.parametrize("operation", [DELETE, CONNECT])
def test_only_create_and_update_are_handled(operation):
    assert not PodSecurity().handles(attrs(PRIVILEGED_POD, operation=operation))


def test_other_resources_are_not_handled():
    configmaps = TABLE.for_kind("v1", "ConfigMap")
    assert not PodSecurity().handles(attrs({"metadata": {"name": "c"}}, configmaps))
    assert PodSecurity().handles(attrs(PRIVILEGED_POD))


def test_update_that_changes_no_image_is_not_evaluated():
    # isSignificantPodUpdate: labels, annotations, tolerations... cannot make a pod less secure.
    old = PRIVILEGED_POD
    relabelled = copy.deepcopy(old)
    relabelled["metadata"]["labels"] = {"tier": "web"}
    relabelled["spec"]["activeDeadlineSeconds"] = 30
    verdict = PodSecurity().validate(attrs(relabelled, operation=UPDATE, old=old), RESTRICTED_NS)
    assert (verdict.warnings, dict(verdict.audit_annotations)) == ((), {})


def test_update_that_changes_an_image_is_evaluated():
    old = PRIVILEGED_POD
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:2"
    assert reject(PodSecurity(), attrs(new, operation=UPDATE, old=old), RESTRICTED_NS).code == 403


def test_update_that_changes_a_container_seccomp_annotation_is_evaluated():
    old = PRIVILEGED_POD
    new = copy.deepcopy(old)
    new["metadata"]["annotations"] = {"container.seccomp.security.alpha.kubernetes.io/x": "unconfined"}
    reject(PodSecurity(), attrs(new, operation=UPDATE, old=old), RESTRICTED_NS)


def test_pod_in_missing_namespace_is_an_internal_error():
    response = PodSecurity().respond(attrs(pod(), ns="gone"), State({}))
    assert (response.error.code, response.error.message) == (500, 'Internal error occurred: failed to lookup '
                                                             'namespace "gone"')
    assert response.audit_annotations == {
        "error": 'Internal error occurred: failed to lookup namespace "gone": namespaces "gone" not found'}


def test_generated_name_is_used_in_the_message():
    unnamed = pod(containers=[container(privileged=True)])
    unnamed["metadata"] = {"generateName": "web-", "name": "web-abcde"}
    err = reject(PodSecurity(), Attributes(CREATE, POD, "ns", "web-abcde", unnamed, None, ALICE), RESTRICTED_NS)
    assert err.message.startswith('pods "web-abcde" is forbidden: ')
    assert err.details == {"name": "web-abcde", "kind": "pods"}


# --- in the admission chain ---------------------------------------------------------------------------

def test_the_chain_records_warnings_and_audit_annotations_for_the_trace():
    state = State({"ns": psa(enforce="baseline", warn="restricted", audit="restricted")})
    outcome = Chain(validating=[PodSecurity()]).validate(attrs(pod(containers=[container()])), state)
    (step,) = outcome.steps
    assert (step.stage, step.outcome, step.message) == (
        "PodSecurity", "admitted", "enforce baseline:latest: allowed; audit restricted:latest: violations recorded; "
        "warn restricted:latest: warned")
    assert step.details["auditAnnotations"]["enforce-policy"] == "baseline:latest"
    assert step.details["auditAnnotations"]["audit-violations"] == step.details["warnings"][0]
    assert outcome.warnings == tuple(step.details["warnings"]) and outcome.error is None


def test_the_chain_records_a_denial():
    outcome = Chain(validating=[PodSecurity()]).validate(attrs(PRIVILEGED_POD), RESTRICTED_NS)
    assert outcome.error is not None and outcome.error.code == 403
    assert outcome.steps[0].outcome == "rejected" and outcome.warnings == ()
