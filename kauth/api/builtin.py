"""The built-in kinds served by the simulated API server (Kubernetes v1.37), as `kubectl api-resources` lists them.

Order matters: `ResourceTable.resolve` returns the first match, so the core group comes first (kubectl
prefers core `events` over events.k8s.io), then the groups in kube-apiserver's discovery order, and
within a group/resource the preferred version before the others (`hpa` is autoscaling/v2).
Short names, categories, verbs and subresources are those of the API server's discovery documents;
`name_rule` is how pkg/apis/<group>/validation checks metadata.name ("" where it does not).
"""

from __future__ import annotations

from dataclasses import replace

from kauth.api import merge_meta as m
from kauth.api.resources import ResourceType
from kauth.api.schema import Schema

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
CREATE_ONLY = ("create",)

POD_SUBRESOURCES = ("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy",
                    "resize", "status")


def _t(api_version: str, kind: str, plural: str, *, namespaced: bool = True, short: tuple[str, ...] = (),
       categories: tuple[str, ...] = (), sub: tuple[str, ...] = (), verbs: tuple[str, ...] = ALL_VERBS,
       schema: Schema = m.PLAIN, storage_version: str = "", name_rule: str = "subdomain") -> ResourceType:
    group, _, version = api_version.rpartition("/")
    schema = replace(schema, name=kind)  # the top-level Go struct is named after its kind
    return ResourceType(group, version, kind, plural, namespaced, kind.lower(), short, categories, sub, verbs,
                        schema, storage_version, name_rule)


ALL = ("all",)
API_EXTENSIONS = ("api-extensions",)

BUILTIN_TYPES: list[ResourceType] = [
    # -- core ---------------------------------------------------------------------------------------
    _t("v1", "Binding", "bindings", verbs=CREATE_ONLY, name_rule=""),
    _t("v1", "ComponentStatus", "componentstatuses", namespaced=False, short=("cs",), verbs=("get", "list"),
       schema=m.COMPONENT_STATUS, name_rule=""),
    _t("v1", "ConfigMap", "configmaps", short=("cm",)),
    _t("v1", "Endpoints", "endpoints", short=("ep",), schema=m.ENDPOINTS),
    # Events created through core/v1 skip the name check (legacyValidateEvent); events.k8s.io/v1 ones do not.
    _t("v1", "Event", "events", short=("ev",), name_rule=""),
    _t("v1", "LimitRange", "limitranges", short=("limits",), schema=m.LIMIT_RANGE),
    _t("v1", "Namespace", "namespaces", namespaced=False, short=("ns",), sub=("finalize", "status"),
       verbs=tuple(v for v in ALL_VERBS if v != "deletecollection"), schema=m.NAMESPACE, name_rule="label"),
    _t("v1", "Node", "nodes", namespaced=False, short=("no",), sub=("proxy", "status"), schema=m.NODE),
    _t("v1", "PersistentVolumeClaim", "persistentvolumeclaims", short=("pvc",), sub=("status",),
       schema=m.PERSISTENT_VOLUME_CLAIM),
    _t("v1", "PersistentVolume", "persistentvolumes", namespaced=False, short=("pv",), sub=("status",),
       schema=m.PERSISTENT_VOLUME),
    _t("v1", "Pod", "pods", short=("po",), categories=ALL, sub=POD_SUBRESOURCES, schema=m.POD),
    _t("v1", "PodTemplate", "podtemplates", schema=m.POD_TEMPLATE),
    _t("v1", "ReplicationController", "replicationcontrollers", short=("rc",), categories=ALL,
       sub=("scale", "status"), schema=m.REPLICATION_CONTROLLER),
    _t("v1", "ResourceQuota", "resourcequotas", short=("quota",), sub=("status",), schema=m.RESOURCE_QUOTA),
    _t("v1", "Secret", "secrets"),
    _t("v1", "ServiceAccount", "serviceaccounts", short=("sa",), sub=("token",), schema=m.SERVICE_ACCOUNT),
    _t("v1", "Service", "services", short=("svc",), categories=ALL, sub=("proxy", "status"), schema=m.SERVICE,
       name_rule="label1035"),
    # -- apiregistration.k8s.io: an APIService is named <version>.<group>, a path segment ----------------
    _t("apiregistration.k8s.io/v1", "APIService", "apiservices", namespaced=False, categories=API_EXTENSIONS,
       sub=("status",), schema=m.API_SERVICE, name_rule="path"),
    # -- apps ---------------------------------------------------------------------------------------
    _t("apps/v1", "ControllerRevision", "controllerrevisions"),
    _t("apps/v1", "DaemonSet", "daemonsets", short=("ds",), categories=ALL, sub=("status",), schema=m.DAEMON_SET),
    _t("apps/v1", "Deployment", "deployments", short=("deploy",), categories=ALL, sub=("scale", "status"),
       schema=m.DEPLOYMENT),
    _t("apps/v1", "ReplicaSet", "replicasets", short=("rs",), categories=ALL, sub=("scale", "status"),
       schema=m.REPLICA_SET),
    # Pods take the StatefulSet's name as hostname: a DNS-1123 label (ValidateStatefulSetName).
    _t("apps/v1", "StatefulSet", "statefulsets", short=("sts",), categories=ALL, sub=("scale", "status"),
       schema=m.STATEFUL_SET, name_rule="label"),
    # -- events.k8s.io ------------------------------------------------------------------------------
    _t("events.k8s.io/v1", "Event", "events", short=("ev",)),
    # -- authentication.k8s.io, authorization.k8s.io: reviews are created, never stored ------------
    _t("authentication.k8s.io/v1", "SelfSubjectReview", "selfsubjectreviews", namespaced=False,
       verbs=CREATE_ONLY, name_rule=""),
    _t("authentication.k8s.io/v1", "TokenReview", "tokenreviews", namespaced=False, verbs=CREATE_ONLY,
       name_rule=""),
    _t("authorization.k8s.io/v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", verbs=CREATE_ONLY,
       name_rule=""),
    _t("authorization.k8s.io/v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", namespaced=False,
       verbs=CREATE_ONLY, name_rule=""),
    _t("authorization.k8s.io/v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", namespaced=False,
       verbs=CREATE_ONLY, name_rule=""),
    _t("authorization.k8s.io/v1", "SubjectAccessReview", "subjectaccessreviews", namespaced=False,
       verbs=CREATE_ONLY, name_rule=""),
    # -- autoscaling: v2 is preferred and stored; v1 is served by conversion (kauth.api.conversion) ---
    _t("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short=("hpa",), categories=ALL,
       sub=("status",), schema=m.HORIZONTAL_POD_AUTOSCALER_V2),
    _t("autoscaling/v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short=("hpa",), categories=ALL,
       sub=("status",), schema=m.HORIZONTAL_POD_AUTOSCALER_V1, storage_version="v2"),
    # -- batch --------------------------------------------------------------------------------------
    _t("batch/v1", "CronJob", "cronjobs", short=("cj",), categories=ALL, sub=("status",), schema=m.CRON_JOB),
    _t("batch/v1", "Job", "jobs", categories=ALL, sub=("status",), schema=m.JOB),
    # -- certificates.k8s.io: "We don't care what you call your certificate requests." --------------
    _t("certificates.k8s.io/v1", "CertificateSigningRequest", "certificatesigningrequests", namespaced=False,
       short=("csr",), sub=("approval", "status"), schema=m.CERTIFICATE_SIGNING_REQUEST, name_rule=""),
    # -- networking.k8s.io --------------------------------------------------------------------------
    _t("networking.k8s.io/v1", "IngressClass", "ingressclasses", namespaced=False),
    _t("networking.k8s.io/v1", "Ingress", "ingresses", short=("ing",), sub=("status",), schema=m.INGRESS),
    _t("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", short=("netpol",), schema=m.NETWORK_POLICY),
    _t("networking.k8s.io/v1", "ServiceCIDR", "servicecidrs", namespaced=False, sub=("status",),
       schema=m.SERVICE_CIDR),
    # -- policy -------------------------------------------------------------------------------------
    _t("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", short=("pdb",), sub=("status",),
       schema=m.POD_DISRUPTION_BUDGET),
    # -- rbac.authorization.k8s.io: names are path segments (ValidateRBACName) ------------------------
    _t("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", namespaced=False,
       schema=m.ROLE_BINDING, name_rule="path"),
    _t("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", namespaced=False, schema=m.CLUSTER_ROLE,
       name_rule="path"),
    _t("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", schema=m.ROLE_BINDING, name_rule="path"),
    _t("rbac.authorization.k8s.io/v1", "Role", "roles", schema=m.ROLE, name_rule="path"),
    # -- storage.k8s.io -----------------------------------------------------------------------------
    _t("storage.k8s.io/v1", "CSIDriver", "csidrivers", namespaced=False, schema=m.CSI_DRIVER),
    _t("storage.k8s.io/v1", "CSINode", "csinodes", namespaced=False, schema=m.CSI_NODE),
    _t("storage.k8s.io/v1", "CSIStorageCapacity", "csistoragecapacities"),
    _t("storage.k8s.io/v1", "StorageClass", "storageclasses", namespaced=False, short=("sc",),
       schema=m.STORAGE_CLASS),
    _t("storage.k8s.io/v1", "VolumeAttachment", "volumeattachments", namespaced=False, sub=("status",)),
    _t("storage.k8s.io/v1", "VolumeAttributesClass", "volumeattributesclasses", namespaced=False, short=("vac",)),
    # -- admissionregistration.k8s.io ---------------------------------------------------------------
    _t("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy", "mutatingadmissionpolicies",
       namespaced=False, categories=API_EXTENSIONS),
    _t("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings",
       namespaced=False, categories=API_EXTENSIONS),
    _t("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
       namespaced=False, categories=API_EXTENSIONS, schema=m.MUTATING_WEBHOOK_CONFIGURATION),
    _t("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies",
       namespaced=False, categories=API_EXTENSIONS, sub=("status",), schema=m.VALIDATING_ADMISSION_POLICY),
    _t("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings",
       namespaced=False, categories=API_EXTENSIONS, schema=m.VALIDATING_ADMISSION_POLICY_BINDING),
    _t("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
       namespaced=False, categories=API_EXTENSIONS, schema=m.VALIDATING_WEBHOOK_CONFIGURATION),
    # -- apiextensions.k8s.io: the name must also be <plural>.<group> ---------------------------------
    _t("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", namespaced=False,
       short=("crd", "crds"), categories=API_EXTENSIONS, sub=("status",), schema=m.CUSTOM_RESOURCE_DEFINITION),
    # -- scheduling.k8s.io, coordination.k8s.io, node.k8s.io, discovery.k8s.io ------------------------
    _t("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", namespaced=False, short=("pc",)),
    _t("coordination.k8s.io/v1", "Lease", "leases"),
    _t("node.k8s.io/v1", "RuntimeClass", "runtimeclasses", namespaced=False),
    _t("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", schema=m.ENDPOINT_SLICE),
    # -- flowcontrol.apiserver.k8s.io ---------------------------------------------------------------
    _t("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", "flowschemas", namespaced=False, sub=("status",)),
    _t("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", "prioritylevelconfigurations",
       namespaced=False, sub=("status",)),
    # -- resource.k8s.io (dynamic resource allocation) ---------------------------------------------
    _t("resource.k8s.io/v1", "DeviceClass", "deviceclasses", namespaced=False),
    _t("resource.k8s.io/v1", "ResourceClaim", "resourceclaims", sub=("status",), schema=m.RESOURCE_CLAIM),
    _t("resource.k8s.io/v1", "ResourceClaimTemplate", "resourceclaimtemplates"),
    _t("resource.k8s.io/v1", "ResourceSlice", "resourceslices", namespaced=False),
]
