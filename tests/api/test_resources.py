"""The built-in resource table: the kinds kube-apiserver v1.37 serves, found the way kubectl finds them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from kauth.api.resources import NoKindMatch, ResourceTable

TABLE = ResourceTable.builtin()

# (apiVersion, kind, plural, namespaced, short names) as `kubectl api-resources` lists them.
EXPECTED = [
    ("v1", "Namespace", "namespaces", False, ("ns",)),
    ("v1", "Pod", "pods", True, ("po",)),
    ("v1", "Service", "services", True, ("svc",)),
    ("v1", "Endpoints", "endpoints", True, ("ep",)),
    ("v1", "ConfigMap", "configmaps", True, ("cm",)),
    ("v1", "Secret", "secrets", True, ()),
    ("v1", "ServiceAccount", "serviceaccounts", True, ("sa",)),
    ("v1", "PersistentVolume", "persistentvolumes", False, ("pv",)),
    ("v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, ("pvc",)),
    ("v1", "ReplicationController", "replicationcontrollers", True, ("rc",)),
    ("v1", "LimitRange", "limitranges", True, ("limits",)),
    ("v1", "ResourceQuota", "resourcequotas", True, ("quota",)),
    ("v1", "Node", "nodes", False, ("no",)),
    ("v1", "Event", "events", True, ("ev",)),
    ("v1", "PodTemplate", "podtemplates", True, ()),
    ("v1", "ComponentStatus", "componentstatuses", False, ("cs",)),
    ("v1", "Binding", "bindings", True, ()),
    ("apps/v1", "Deployment", "deployments", True, ("deploy",)),
    ("apps/v1", "ReplicaSet", "replicasets", True, ("rs",)),
    ("apps/v1", "DaemonSet", "daemonsets", True, ("ds",)),
    ("apps/v1", "StatefulSet", "statefulsets", True, ("sts",)),
    ("apps/v1", "ControllerRevision", "controllerrevisions", True, ()),
    ("batch/v1", "Job", "jobs", True, ()),
    ("batch/v1", "CronJob", "cronjobs", True, ("cj",)),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True, ("hpa",)),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True, ("hpa",)),
    ("networking.k8s.io/v1", "Ingress", "ingresses", True, ("ing",)),
    ("networking.k8s.io/v1", "IngressClass", "ingressclasses", False, ()),
    ("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", True, ("netpol",)),
    ("rbac.authorization.k8s.io/v1", "Role", "roles", True, ()),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", False, ()),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", True, ()),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", False, ()),
    ("storage.k8s.io/v1", "StorageClass", "storageclasses", False, ("sc",)),
    ("storage.k8s.io/v1", "CSIDriver", "csidrivers", False, ()),
    ("storage.k8s.io/v1", "VolumeAttachment", "volumeattachments", False, ()),
    ("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", True, ("pdb",)),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", False, ("crd", "crds")),
    ("events.k8s.io/v1", "Event", "events", True, ("ev",)),
    ("coordination.k8s.io/v1", "Lease", "leases", True, ()),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", False, ()),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings",
     False, ()),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
     False, ()),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", False, ()),
    ("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", False, ("pc",)),
    ("authorization.k8s.io/v1", "SubjectAccessReview", "subjectaccessreviews", False, ()),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", False, ()),
    ("authorization.k8s.io/v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", True, ()),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", False, ()),
    ("authentication.k8s.io/v1", "TokenReview", "tokenreviews", False, ()),
    ("authentication.k8s.io/v1", "SelfSubjectReview", "selfsubjectreviews", False, ()),
]

REVIEWS = ["SubjectAccessReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectRulesReview",
           "TokenReview", "SelfSubjectReview"]


@pytest.mark.parametrize("api_version,kind,plural,namespaced,short", EXPECTED, ids=lambda v: str(v))
def test_kind_is_served_with_its_names_and_scope(api_version, kind, plural, namespaced, short):
    rt = TABLE.for_kind(api_version, kind)
    assert (rt.api_version, rt.kind, rt.plural, rt.singular, rt.namespaced, rt.short_names) == \
        (api_version, kind, plural, kind.lower(), namespaced, short)
    assert rt.schema is not None, "built-in kinds carry strategic-merge metadata (None means custom resource)"


@pytest.mark.parametrize("api_version,kind,plural,namespaced,short", EXPECTED, ids=lambda v: str(v))
def test_plural_singular_kind_and_short_names_resolve_to_the_kind(api_version, kind, plural, namespaced, short):
    for name in (plural, kind.lower(), kind, *short):
        assert TABLE.resolve(name).kind == kind, name


def test_category_all_holds_exactly_upstreams_kinds():
    in_all = {rt.plural for rt in TABLE.preferred() if "all" in rt.categories}
    assert in_all == {"pods", "services", "replicationcontrollers", "deployments", "replicasets", "statefulsets",
                      "daemonsets", "jobs", "cronjobs", "horizontalpodautoscalers"}


def test_api_extensions_category_holds_the_extension_kinds():
    extensions = {rt.plural for rt in TABLE.preferred() if "api-extensions" in rt.categories}
    assert extensions == {"customresourcedefinitions", "apiservices", "mutatingwebhookconfigurations",
                          "validatingwebhookconfigurations", "validatingadmissionpolicies",
                          "validatingadmissionpolicybindings", "mutatingadmissionpolicies",
                          "mutatingadmissionpolicybindings"}


def test_hpa_resolves_to_the_preferred_version_autoscaling_v2():
    assert TABLE.resolve("hpa").api_version == "autoscaling/v2"
    assert TABLE.resolve("horizontalpodautoscalers").api_version == "autoscaling/v2"


def test_fully_qualified_name_picks_autoscaling_v1():
    assert TABLE.resolve("horizontalpodautoscalers.v1.autoscaling").api_version == "autoscaling/v1"
    assert TABLE.resolve("hpa.v1.autoscaling").api_version == "autoscaling/v1"
    assert TABLE.resolve("horizontalpodautoscalers.autoscaling").api_version == "autoscaling/v2"


def test_hpa_v1_is_stored_as_v2():
    v1 = TABLE.for_kind("autoscaling/v1", "HorizontalPodAutoscaler")
    v2 = TABLE.for_kind("autoscaling/v2", "HorizontalPodAutoscaler")
    assert v1.storage_version == "v2" and v2.storage_version == ""
    assert TABLE.storage_type(v1) is v2 and TABLE.storage_type(v2) is v2
    assert TABLE.versions_of(v1) == [v2, v1]
    assert v1.storage_key == v2.storage_key


def test_events_and_ev_resolve_to_core_events_as_kubectl_prefers_core():
    assert TABLE.resolve("events").api_version == "v1"
    assert TABLE.resolve("ev").api_version == "v1"
    assert TABLE.resolve("event").api_version == "v1"
    assert TABLE.resolve("events.events.k8s.io").api_version == "events.k8s.io/v1"
    assert TABLE.resolve("events.v1.events.k8s.io").api_version == "events.k8s.io/v1"


def test_group_qualified_names_resolve():
    assert TABLE.resolve("deployments.apps").kind == "Deployment"
    assert TABLE.resolve("deploy.v1.apps").kind == "Deployment"
    assert TABLE.resolve("ingresses.networking.k8s.io").kind == "Ingress"
    assert TABLE.resolve("roles.rbac.authorization.k8s.io").kind == "Role"
    assert TABLE.resolve("Deployment.apps").kind == "Deployment"


def test_unknown_resource_type_is_a_no_kind_match():
    with pytest.raises(NoKindMatch, match='the server doesn\'t have a resource type "widgets"'):
        TABLE.resolve("widgets")


def test_extensions_v1beta1_ingress_is_no_longer_served():
    with pytest.raises(NoKindMatch) as err:
        TABLE.for_kind("extensions/v1beta1", "Ingress")
    assert str(err.value) == 'no matches for kind "Ingress" in version "extensions/v1beta1"'


def test_apps_v1beta1_deployment_is_no_longer_served():
    with pytest.raises(NoKindMatch, match='no matches for kind "Deployment" in version "apps/v1beta1"'):
        TABLE.for_kind("apps/v1beta1", "Deployment")


@pytest.mark.parametrize("kind", REVIEWS)
def test_review_kinds_can_only_be_created(kind):
    rt = next(t for t in TABLE.all() if t.kind == kind)
    assert rt.verbs == ("create",)
    assert rt.name_rule == ""


def test_namespaces_cannot_be_deleted_as_a_collection():
    assert "deletecollection" not in TABLE.resolve("ns").verbs
    assert "deletecollection" in TABLE.resolve("svc").verbs


def test_component_statuses_are_read_only():
    assert TABLE.resolve("cs").verbs == ("get", "list")


@pytest.mark.parametrize("name,subresources", [
    ("pods", {"attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy",
              "resize", "status"}),
    ("deployments", {"scale", "status"}),
    ("statefulsets", {"scale", "status"}),
    ("replicasets", {"scale", "status"}),
    ("replicationcontrollers", {"scale", "status"}),
    ("daemonsets", {"status"}),
    ("namespaces", {"finalize", "status"}),
    ("serviceaccounts", {"token"}),
    ("services", {"proxy", "status"}),
    ("nodes", {"proxy", "status"}),
    ("certificatesigningrequests", {"approval", "status"}),
    ("customresourcedefinitions", {"status"}),
    ("configmaps", set()),
])
def test_subresources(name, subresources):
    assert set(TABLE.resolve(name).subresources) == subresources


@pytest.mark.parametrize("name,rule", [
    ("namespaces", "label"),
    ("services", "label1035"),
    ("statefulsets", "label"),
    ("roles", "path"),
    ("clusterroles", "path"),
    ("rolebindings", "path"),
    ("clusterrolebindings", "path"),
    ("pods", "subdomain"),
    ("deployments", "subdomain"),
    ("configmaps", "subdomain"),
    ("events.events.k8s.io", "subdomain"),
    ("events", ""),
    ("csr", ""),
])
def test_name_rules_follow_upstream_validation(name, rule):
    assert TABLE.resolve(name).name_rule == rule


def test_core_types_come_before_every_group():
    groups = [rt.group for rt in TABLE.all()]
    first_named_group = next(i for i, g in enumerate(groups) if g)
    assert all(g == "" for g in groups[:first_named_group])
    assert "" not in groups[first_named_group:]


def test_each_group_version_kind_appears_once():
    gvks = [(rt.group, rt.version, rt.kind) for rt in TABLE.all()]
    assert len(gvks) == len(set(gvks))


def test_preferred_lists_each_group_resource_once_in_its_preferred_version():
    preferred = TABLE.preferred()
    assert len({rt.storage_key for rt in preferred}) == len(preferred)
    hpa = [rt for rt in preferred if rt.plural == "horizontalpodautoscalers"]
    assert [rt.api_version for rt in hpa] == ["autoscaling/v2"]


def test_every_storage_version_is_served():
    for rt in TABLE.all():
        assert TABLE.storage_type(rt).version == (rt.storage_version or rt.version)


# -- kubectl's generators produce objects the table serves ---------------------------------------------

GENERATORS = [
    (["create", "deployment", "web", "--image=nginx"], "apps/v1", "Deployment"),
    (["create", "service", "clusterip", "web", "--tcp=80:8080"], "v1", "Service"),
    (["create", "service", "nodeport", "web", "--tcp=80:8080"], "v1", "Service"),
    (["create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *"], "batch/v1", "CronJob"),
    (["create", "job", "once", "--image=busybox"], "batch/v1", "Job"),
    (["create", "ingress", "web", "--rule=example.com/=web:80"], "networking.k8s.io/v1", "Ingress"),
    (["create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=1"], "policy/v1",
     "PodDisruptionBudget"),
    (["create", "priorityclass", "high", "--value=1000"], "scheduling.k8s.io/v1", "PriorityClass"),
    (["create", "quota", "q", "--hard=pods=2"], "v1", "ResourceQuota"),
    (["create", "rolebinding", "rb", "--role=r", "--user=alice"], "rbac.authorization.k8s.io/v1", "RoleBinding"),
    (["create", "clusterrolebinding", "crb", "--clusterrole=view", "--user=alice"], "rbac.authorization.k8s.io/v1",
     "ClusterRoleBinding"),
    (["create", "namespace", "dev"], "v1", "Namespace"),
    (["create", "configmap", "cfg", "--from-literal=a=b"], "v1", "ConfigMap"),
    (["create", "secret", "generic", "s", "--from-literal=a=b"], "v1", "Secret"),
    (["create", "serviceaccount", "robot"], "v1", "ServiceAccount"),
]


@pytest.mark.kubectl
@pytest.mark.parametrize("args,api_version,kind", GENERATORS, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_kubectl_generators_produce_a_kind_the_table_serves_in_its_preferred_version(args, api_version, kind,
                                                                                     tmp_path):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("needs the real kubectl (v1.32, /usr/bin/kubectl) to run its generators; it is not installed")
    env = {**os.environ, "KUBECONFIG": str(tmp_path / "no-kubeconfig")}  # --dry-run=client: no server needed
    done = subprocess.run([kubectl, *args, "--dry-run=client", "-o", "yaml"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    obj = yaml.safe_load(done.stdout)
    assert (obj["apiVersion"], obj["kind"]) == (api_version, kind)
    rt = TABLE.for_kind(obj["apiVersion"], obj["kind"])
    assert TABLE.versions_of(rt)[0] is rt, "kubectl generates the preferred version"
