"""PodSecurity on Namespace create/update: label validation (422) and the warnings about existing pods.

Source: pod-security-admission/admission/admission.go ValidateNamespace, EvaluatePodsInNamespace,
exemptNamespaceWarning; response.go invalidResponse.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes
from kauth.admission.podsecurity import Exemptions, PodSecurity, PodSecurityConfiguration
from kauth.api.errors import StatusError, kubectl_message
from kauth.api.resources import ResourceTable
from kauth.authn.user import CLUSTER_ADMIN

NAMESPACE = ResourceTable.builtin().for_kind("v1", "Namespace")


class State:
    def __init__(self, pods: dict[str, list] | None = None):
        self.pods = pods or {}

    def get(self, group, resource, ns, name):
        return None

    def list(self, group, resource, ns=None):
        return list(self.pods.get(ns, []))


def psa(**modes: str) -> dict[str, str]:
    return {"pod-security.kubernetes.io/" + mode.replace("_", "-"): value for mode, value in modes.items()}


def namespace(name: str, labels: dict[str, str] | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}}


def create(ns: dict) -> Attributes:
    # A create is POST /api/v1/namespaces: the request's namespace is empty.
    return Attributes(CREATE, NAMESPACE, "", ns["metadata"]["name"], ns, None, CLUSTER_ADMIN)


def relabel(name: str, old: dict[str, str] | None, new: dict[str, str] | None, subresource: str = "") -> Attributes:
    # PUT /api/v1/namespaces/<name>: RequestInfo sets the namespace to the name.
    return Attributes(UPDATE, NAMESPACE, name, name, namespace(name, new), namespace(name, old), CLUSTER_ADMIN,
                      subresource)


def a_pod(name: str, *, privileged: bool = False, host_network: bool = False, owner: str | None = None,
          runtime_class: str = "") -> dict:
    meta: dict = {"name": name, "namespace": "demo"}
    if owner:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner, "uid": owner,
                                    "controller": True}]
    spec: dict = {"containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": privileged}}]}
    if host_network:
        spec["hostNetwork"] = True
    if runtime_class:
        spec["runtimeClassName"] = runtime_class
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


# --- label validation -----------------------------------------------------------------------------------

def test_create_with_a_bad_level_is_invalid():
    with pytest.raises(StatusError) as caught:
        PodSecurity().validate(create(namespace("demo", psa(enforce="foo"))), State())
    err = caught.value
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == ('Namespace "demo" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: '
                           'Invalid value: "foo": must be one of privileged, baseline, restricted')
    assert kubectl_message(err) == ('The Namespace "demo" is invalid: metadata.labels[pod-security.kubernetes.io/'
                                    'enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted')


def test_several_bad_labels_are_reported_in_label_order():
    labels = psa(warn_version="v1.05", enforce="", audit="Baseline")
    with pytest.raises(StatusError) as caught:
        PodSecurity().validate(create(namespace("demo", labels)), State())
    assert caught.value.message == (
        'Namespace "demo" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "": must '
        'be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/audit]: Invalid '
        'value: "Baseline": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.'
        'io/warn-version]: Invalid value: "v1.05": must be "latest" or "v1.x"]')
    assert [c["field"] for c in caught.value.details["causes"]] == [
        "metadata.labels[pod-security.kubernetes.io/enforce]", "metadata.labels[pod-security.kubernetes.io/audit]",
        "metadata.labels[pod-security.kubernetes.io/warn-version]"]


@pytest.mark.parametrize("value", ["latest", "v1.0", "v1.37", "v1.99"])
def test_valid_versions(value):
    PodSecurity().validate(create(namespace("demo", psa(enforce="baseline", enforce_version=value))), State())


@pytest.mark.parametrize("value", ["v1.05", "1.30", "v2.0", "V1.30", "v1", ""])
def test_invalid_versions(value):
    with pytest.raises(StatusError):
        PodSecurity().validate(create(namespace("demo", psa(enforce_version=value))), State())


def test_update_keeping_the_same_bad_labels_is_allowed():
    # "require valid labels on update if they have changed"
    bad = psa(enforce="foo")
    verdict = PodSecurity().validate(relabel("demo", bad, {**bad, "team": "a"}), State())
    assert verdict.warnings == ()


def test_update_introducing_a_bad_label_is_invalid():
    with pytest.raises(StatusError) as caught:
        PodSecurity().validate(relabel("demo", psa(enforce="foo"), psa(enforce="foo", warn="bar")), State())
    assert caught.value.code == 422


def test_namespace_subresources_are_not_checked():
    verdict = PodSecurity().validate(relabel("demo", {}, psa(enforce="foo"), subresource="status"), State())
    assert verdict.warnings == ()


# --- the relabel dry run ------------------------------------------------------------------------------------

DEMO_PODS = {"demo": [a_pod("b", host_network=True), a_pod("c", privileged=True), a_pod("a", host_network=True),
                      a_pod("ok")]}


def test_stricter_enforce_level_warns_about_existing_pods():
    verdict = PodSecurity().validate(relabel("demo", {}, psa(enforce="baseline")), State(DEMO_PODS))
    assert verdict.warnings == (
        'existing pods in namespace "demo" violate the new PodSecurity enforce level "baseline:latest"',
        "a (and 1 other pod): host namespaces",
        "c: privileged")


def test_relabel_groups_three_or_more_pods():
    pods = {"demo": [a_pod(f"p{i}", privileged=True) for i in (3, 1, 2, 4)]}
    verdict = PodSecurity().validate(relabel("demo", psa(enforce="privileged"), psa(enforce="baseline")),
                                     State(pods))
    assert verdict.warnings[1:] == ("p1 (and 3 other pods): privileged",)


def test_relabel_reasons_only_without_details_at_restricted():
    pods = {"demo": [a_pod("web", privileged=True)]}
    verdict = PodSecurity().validate(relabel("demo", None, psa(enforce="restricted")), State(pods))
    assert verdict.warnings[1:] == (
        "web: privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
        "seccompProfile",)


@pytest.mark.parametrize(("old", "new"), [
    (psa(enforce="restricted"), psa(enforce="baseline")),           # relaxed at the same version
    (psa(enforce="baseline"), psa(enforce="baseline")),             # unchanged
    (psa(enforce="baseline"), psa(enforce="privileged")),           # privileged
    ({}, psa(warn="restricted", audit="restricted")),               # audit and warn never dry-run
    (psa(enforce="baseline", enforce_version="v1.30"), psa(enforce="baseline", enforce_version="v1.30", team="x")),
])
def test_no_dry_run(old, new):
    assert PodSecurity().validate(relabel("demo", old, new), State(DEMO_PODS)).warnings == ()


def test_changing_only_the_version_dry_runs():
    verdict = PodSecurity().validate(
        relabel("demo", psa(enforce="baseline", enforce_version="v1.30"), psa(enforce="baseline")), State(DEMO_PODS))
    assert verdict.warnings[0] == ('existing pods in namespace "demo" violate the new PodSecurity enforce level '
                                   '"baseline:latest"')


def test_compliant_pods_give_no_warning():
    verdict = PodSecurity().validate(relabel("demo", {}, psa(enforce="baseline")), State({"demo": [a_pod("ok")]}))
    assert verdict.warnings == ()


def test_pods_checked_are_capped_with_one_pod_per_controller_first():
    # prioritizePods: one pod per controller first, siblings last; namespaceMaxPodsToCheck caps the count.
    pods = {"demo": [a_pod("rs-1", privileged=True, owner="rs"), a_pod("rs-2", privileged=True, owner="rs"),
                     a_pod("lone", host_network=True)]}
    plugin = PodSecurity(namespace_max_pods_to_check=2)
    verdict = plugin.validate(relabel("demo", {}, psa(enforce="baseline")), State(pods))
    assert verdict.warnings == (
        "new PodSecurity enforce level only checked against the first 2 of 3 existing pods",
        'existing pods in namespace "demo" violate the new PodSecurity enforce level "baseline:latest"',
        "lone: host namespaces",
        "rs-1: privileged")


def test_pods_with_an_exempt_runtime_class_are_skipped():
    plugin = PodSecurity(PodSecurityConfiguration(exemptions=Exemptions(runtime_classes=("kata",))))
    pods = {"demo": [a_pod("sandboxed", privileged=True, runtime_class="kata")]}
    assert plugin.validate(relabel("demo", {}, psa(enforce="baseline")), State(pods)).warnings == ()


# --- exempt namespaces --------------------------------------------------------------------------------------

EXEMPT_KUBE_SYSTEM = PodSecurity(PodSecurityConfiguration(exemptions=Exemptions(namespaces=("kube-system",))))


def test_relabelling_an_exempt_namespace_warns_that_the_policy_is_ignored():
    pods = {"kube-system": [a_pod("kube-proxy", privileged=True, host_network=True)]}
    verdict = EXEMPT_KUBE_SYSTEM.validate(
        relabel("kube-system", {}, psa(enforce="baseline", warn="restricted", audit="privileged")), State(pods))
    assert verdict.warnings == ('namespace "kube-system" is exempt from Pod Security, and the policy '
                                "(enforce=baseline:latest, warn=restricted:latest) will be ignored",)


def test_creating_an_exempt_namespace_has_no_request_namespace_so_no_warning():
    # Upstream tests attrs.GetNamespace(), empty on POST /api/v1/namespaces.
    verdict = EXEMPT_KUBE_SYSTEM.validate(create(namespace("kube-system", psa(enforce="baseline"))), State())
    assert verdict.warnings == ()


def test_exempt_namespace_warning_names_only_labelled_modes():
    verdict = EXEMPT_KUBE_SYSTEM.validate(
        relabel("kube-system", {}, psa(enforce_version="v1.30", enforce="restricted")), State())
    assert verdict.warnings == ('namespace "kube-system" is exempt from Pod Security, and the policy '
                                "(enforce=restricted:v1.30) will be ignored",)
