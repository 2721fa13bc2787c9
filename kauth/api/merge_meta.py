"""Strategic-merge metadata of the built-in kinds: the `patchStrategy` / `patchMergeKey` struct tags
and the `+listType` / `+listMapKey` markers of k8s.io/api.

Source: staging/src/k8s.io/api/*/types.go (kubernetes v1.32+), cross-checked against the tags compiled
into kubectl v1.32 and against `kubectl patch --local --type strategic` (tests/api/test_merge_meta.py).
A list declared here without "merge" is atomic: a strategic merge patch replaces it whole. Lists and
maps not declared at all are atomic lists / plain maps, which is also what every undeclared field of a
built-in type is, so only the fields that need something else (and a few notable atomic ones, for
server-side apply and for the reader) are listed.
"""

from __future__ import annotations

from dataclasses import replace as _with

from kauth.api.schema import FieldMeta, Schema, merge_list, nested, obj, retain_keys

# -- shorthands for what schema.py's helpers do not cover ------------------------------------------

ATOMIC = FieldMeta(list_type="atomic")  # `+listType=atomic`, no patchStrategy: replaced whole


def atomic_set() -> FieldMeta:
    """`+listType=set` without a patchStrategy: server-side apply owns items, a strategic patch replaces it."""
    return FieldMeta(list_type="set")


def map_list(*keys: str) -> FieldMeta:
    """`+listType=map` without a patchStrategy: keyed for server-side apply, replaced by a strategic patch."""
    return FieldMeta(list_map_keys=tuple(keys), list_type="map")


def merge_atomic(key: str) -> FieldMeta:
    """`patchStrategy:"merge"` but `+listType=atomic`: strategic patches merge by key, apply owns it whole."""
    return _with(merge_list(key), list_map_keys=(), list_type="atomic")


def replace_map(schema: Schema | None = None) -> FieldMeta:
    """`patchStrategy:"replace"` on an object field: a patch that sets it replaces the whole object."""
    return FieldMeta(frozenset({"replace"}), None, schema)


def conditions() -> FieldMeta:
    """`status.conditions` of most kinds: merged by type, keyed by type for apply."""
    return merge_list("type")


def status(**fields: FieldMeta) -> FieldMeta:
    return nested(obj(**fields))


# -- metav1 ---------------------------------------------------------------------------------------

OBJECT_META = obj("ObjectMeta",
    finalizers=merge_list(None),  # patchStrategy:"merge", +listType=set
    ownerReferences=merge_list("uid"),
    managedFields=ATOMIC,
)

# LabelSelector is +structType=atomic for apply; for strategic merge its maps merge as usual.
LABEL_SELECTOR = obj("LabelSelector", matchExpressions=ATOMIC)

PLAIN = obj(metadata=nested(OBJECT_META))

# -- core/v1: the pod ---------------------------------------------------------------------------------

RESOURCE_REQUIREMENTS = obj("ResourceRequirements", claims=map_list("name"))

SECURITY_CONTEXT = obj("SecurityContext", capabilities=nested(obj(add=ATOMIC, drop=ATOMIC)))

CONTAINER = obj("Container",
    command=ATOMIC,
    args=ATOMIC,
    # Merged by containerPort alone: the same port for TCP and UDP collapses (kubernetes#108255).
    ports=merge_list("containerPort", map_keys=("containerPort", "protocol")),
    envFrom=ATOMIC,
    env=merge_list("name"),
    resources=nested(RESOURCE_REQUIREMENTS),
    resizePolicy=ATOMIC,
    volumeMounts=merge_list("mountPath"),
    volumeDevices=merge_list("devicePath"),
    securityContext=nested(SECURITY_CONTEXT),
)

# EphemeralContainerCommon repeats Container field for field, struct tags included.
EPHEMERAL_CONTAINER = _with(CONTAINER, name="EphemeralContainer")

NODE_SELECTOR = obj("NodeSelector", nodeSelectorTerms=ATOMIC)

AFFINITY = obj("Affinity",
    nodeAffinity=nested(obj(
        requiredDuringSchedulingIgnoredDuringExecution=nested(NODE_SELECTOR),
        preferredDuringSchedulingIgnoredDuringExecution=ATOMIC,
    )),
    podAffinity=nested(obj(
        requiredDuringSchedulingIgnoredDuringExecution=ATOMIC,
        preferredDuringSchedulingIgnoredDuringExecution=ATOMIC,
    )),
    podAntiAffinity=nested(obj(
        requiredDuringSchedulingIgnoredDuringExecution=ATOMIC,
        preferredDuringSchedulingIgnoredDuringExecution=ATOMIC,
    )),
)

POD_SPEC = obj("PodSpec",
    volumes=merge_list("name", retain_keys=True),
    initContainers=merge_list("name", CONTAINER),
    containers=merge_list("name", CONTAINER),
    ephemeralContainers=merge_list("name", EPHEMERAL_CONTAINER),
    imagePullSecrets=merge_list("name"),
    hostAliases=merge_list("ip"),
    tolerations=ATOMIC,
    readinessGates=ATOMIC,
    topologySpreadConstraints=merge_list("topologyKey", map_keys=("topologyKey", "whenUnsatisfiable")),
    schedulingGates=merge_list("name"),
    resourceClaims=merge_list("name", retain_keys=True),
    securityContext=nested(obj(supplementalGroups=ATOMIC, sysctls=ATOMIC)),
    dnsConfig=nested(obj(nameservers=ATOMIC, searches=ATOMIC, options=ATOMIC)),
    affinity=nested(AFFINITY),
)

POD_STATUS = obj("PodStatus",
    conditions=conditions(),
    hostIPs=merge_atomic("ip"),
    podIPs=merge_list("ip"),
    initContainerStatuses=ATOMIC,
    containerStatuses=ATOMIC,
    ephemeralContainerStatuses=ATOMIC,
    resourceClaimStatuses=merge_list("name", retain_keys=True),
)

POD = obj("Pod", metadata=nested(OBJECT_META), spec=nested(POD_SPEC), status=nested(POD_STATUS))
POD_TEMPLATE_SPEC = obj("PodTemplateSpec", metadata=nested(OBJECT_META), spec=nested(POD_SPEC))
POD_TEMPLATE = obj("PodTemplate", metadata=nested(OBJECT_META), template=nested(POD_TEMPLATE_SPEC))

# -- core/v1: everything else -----------------------------------------------------------------------

SERVICE = obj("Service",
    metadata=nested(OBJECT_META),
    spec=nested(obj(
        # Merged by port alone, keyed by port+protocol for apply (kubernetes#47249).
        ports=merge_list("port", map_keys=("port", "protocol")),
        clusterIPs=ATOMIC,
        externalIPs=ATOMIC,
        ipFamilies=ATOMIC,
        loadBalancerSourceRanges=ATOMIC,
    )),
    status=status(conditions=conditions(), loadBalancer=nested(obj(ingress=ATOMIC))),
)

ENDPOINTS = obj("Endpoints", metadata=nested(OBJECT_META), subsets=ATOMIC)

NAMESPACE = obj("Namespace",
    metadata=nested(OBJECT_META),
    spec=nested(obj(finalizers=ATOMIC)),
    status=status(conditions=conditions()),
)

NODE = obj("Node",
    metadata=nested(OBJECT_META),
    spec=nested(obj(podCIDRs=merge_list(None), taints=ATOMIC)),
    status=status(
        conditions=conditions(),
        # Declared mergeable by type although several addresses share a type (kubernetes#79391).
        addresses=merge_list("type"),
        images=ATOMIC,
        volumesInUse=ATOMIC,
        volumesAttached=ATOMIC,
        runtimeHandlers=ATOMIC,
    ),
)

PERSISTENT_VOLUME = obj("PersistentVolume",
    metadata=nested(OBJECT_META),
    spec=nested(obj(accessModes=ATOMIC, mountOptions=ATOMIC)),
)

PERSISTENT_VOLUME_CLAIM_SPEC = obj("PersistentVolumeClaimSpec", accessModes=ATOMIC, selector=nested(LABEL_SELECTOR))

PERSISTENT_VOLUME_CLAIM = obj("PersistentVolumeClaim",
    metadata=nested(OBJECT_META),
    spec=nested(PERSISTENT_VOLUME_CLAIM_SPEC),
    status=status(conditions=conditions(), accessModes=ATOMIC),
)

SERVICE_ACCOUNT = obj("ServiceAccount",
    metadata=nested(OBJECT_META),
    secrets=merge_list("name"),
    imagePullSecrets=ATOMIC,  # unlike the pod's, no patchStrategy
)

REPLICATION_CONTROLLER = obj("ReplicationController",
    metadata=nested(OBJECT_META),
    spec=nested(obj(template=nested(POD_TEMPLATE_SPEC))),
    status=status(conditions=conditions()),
)

LIMIT_RANGE = obj("LimitRange", metadata=nested(OBJECT_META), spec=nested(obj(limits=ATOMIC)))

RESOURCE_QUOTA = obj("ResourceQuota",
    metadata=nested(OBJECT_META),
    spec=nested(obj(scopes=ATOMIC, scopeSelector=nested(obj(matchExpressions=ATOMIC)))),
)

COMPONENT_STATUS = obj("ComponentStatus", metadata=nested(OBJECT_META), conditions=conditions())

# -- apps/v1 ----------------------------------------------------------------------------------------

DEPLOYMENT = obj("Deployment",
    metadata=nested(OBJECT_META),
    spec=nested(obj(
        selector=nested(LABEL_SELECTOR),
        template=nested(POD_TEMPLATE_SPEC),
        strategy=retain_keys(),  # switching to Recreate clears rollingUpdate
    )),
    status=status(conditions=conditions()),
)

REPLICA_SET = obj("ReplicaSet",
    metadata=nested(OBJECT_META),
    spec=nested(obj(selector=nested(LABEL_SELECTOR), template=nested(POD_TEMPLATE_SPEC))),
    status=status(conditions=conditions()),
)

DAEMON_SET = REPLICA_SET  # updateStrategy carries no retainKeys, unlike Deployment's strategy

STATEFUL_SET = obj("StatefulSet",
    metadata=nested(OBJECT_META),
    spec=nested(obj(
        selector=nested(LABEL_SELECTOR),
        template=nested(POD_TEMPLATE_SPEC),
        volumeClaimTemplates=ATOMIC,
    )),
    status=status(conditions=conditions()),
)

# -- batch/v1 ---------------------------------------------------------------------------------------

JOB_SPEC = obj("JobSpec",
    selector=nested(LABEL_SELECTOR),
    template=nested(POD_TEMPLATE_SPEC),
    podFailurePolicy=nested(obj(rules=ATOMIC)),
    successPolicy=nested(obj(rules=ATOMIC)),
)

JOB = obj("Job",
    metadata=nested(OBJECT_META),
    spec=nested(JOB_SPEC),
    status=status(
        conditions=merge_atomic("type"),  # merged by type, yet +listType=atomic
        uncountedTerminatedPods=nested(obj(succeeded=atomic_set(), failed=atomic_set())),
    ),
)

CRON_JOB = obj("CronJob",
    metadata=nested(OBJECT_META),
    spec=nested(obj(jobTemplate=nested(obj(metadata=nested(OBJECT_META), spec=nested(JOB_SPEC))))),
    status=status(active=ATOMIC),
)

# -- autoscaling ------------------------------------------------------------------------------------

HPA_SCALING_RULES = obj("HPAScalingRules", policies=ATOMIC)

HORIZONTAL_POD_AUTOSCALER_V2 = obj("HorizontalPodAutoscaler",
    metadata=nested(OBJECT_META),
    spec=nested(obj(
        metrics=ATOMIC,
        behavior=nested(obj(scaleUp=nested(HPA_SCALING_RULES), scaleDown=nested(HPA_SCALING_RULES))),
    )),
    status=status(currentMetrics=ATOMIC, conditions=conditions()),
)

HORIZONTAL_POD_AUTOSCALER_V1 = PLAIN  # no list fields: the rest lives in annotations

# -- networking.k8s.io/v1 ---------------------------------------------------------------------------

INGRESS = obj("Ingress",
    metadata=nested(OBJECT_META),
    spec=nested(obj(rules=ATOMIC, tls=ATOMIC)),
    status=status(loadBalancer=nested(obj(ingress=ATOMIC))),
)

NETWORK_POLICY = obj("NetworkPolicy",
    metadata=nested(OBJECT_META),
    spec=nested(obj(podSelector=nested(LABEL_SELECTOR), ingress=ATOMIC, egress=ATOMIC, policyTypes=ATOMIC)),
)

SERVICE_CIDR = obj("ServiceCIDR", metadata=nested(OBJECT_META), spec=nested(obj(cidrs=ATOMIC)),
                   status=status(conditions=conditions()))

# -- rbac.authorization.k8s.io/v1 -------------------------------------------------------------------

ROLE = obj("Role", metadata=nested(OBJECT_META), rules=ATOMIC)
CLUSTER_ROLE = obj("ClusterRole", metadata=nested(OBJECT_META), rules=ATOMIC,
                   aggregationRule=nested(obj(clusterRoleSelectors=ATOMIC)))
ROLE_BINDING = obj("RoleBinding", metadata=nested(OBJECT_META), subjects=ATOMIC)

# -- storage.k8s.io/v1 ------------------------------------------------------------------------------

STORAGE_CLASS = obj("StorageClass", metadata=nested(OBJECT_META), mountOptions=ATOMIC, allowedTopologies=ATOMIC)
CSI_DRIVER = obj("CSIDriver", metadata=nested(OBJECT_META),
                 spec=nested(obj(volumeLifecycleModes=atomic_set(), tokenRequests=ATOMIC)))
CSI_NODE = obj("CSINode", metadata=nested(OBJECT_META), spec=nested(obj(drivers=merge_list("name"))))

# -- policy/v1 --------------------------------------------------------------------------------------

POD_DISRUPTION_BUDGET = obj("PodDisruptionBudget",
    metadata=nested(OBJECT_META),
    spec=nested(obj(selector=replace_map(LABEL_SELECTOR))),  # patchStrategy:"replace"
    status=status(conditions=conditions()),
)

# -- admissionregistration.k8s.io/v1 ----------------------------------------------------------------

WEBHOOK = obj("ValidatingWebhook",
    rules=ATOMIC,
    matchConditions=merge_list("name"),
    admissionReviewVersions=ATOMIC,
    namespaceSelector=nested(LABEL_SELECTOR),
    objectSelector=nested(LABEL_SELECTOR),
)

MUTATING_WEBHOOK = _with(WEBHOOK, name="MutatingWebhook")  # the same tags on its own struct

VALIDATING_WEBHOOK_CONFIGURATION = obj(metadata=nested(OBJECT_META), webhooks=merge_list("name", WEBHOOK))
MUTATING_WEBHOOK_CONFIGURATION = obj(metadata=nested(OBJECT_META), webhooks=merge_list("name", MUTATING_WEBHOOK))

VALIDATING_ADMISSION_POLICY = obj("ValidatingAdmissionPolicy",
    metadata=nested(OBJECT_META),
    spec=nested(obj(
        matchConstraints=nested(obj(resourceRules=ATOMIC, excludeResourceRules=ATOMIC)),
        validations=ATOMIC,
        auditAnnotations=ATOMIC,
        matchConditions=merge_list("name"),
        variables=merge_list("name"),
    )),
    status=status(conditions=map_list("type")),
)

VALIDATING_ADMISSION_POLICY_BINDING = obj("ValidatingAdmissionPolicyBinding",
    metadata=nested(OBJECT_META),
    spec=nested(obj(validationActions=atomic_set())),
)

# -- apiextensions.k8s.io/v1, apiregistration.k8s.io/v1 --------------------------------------------

CUSTOM_RESOURCE_DEFINITION = obj("CustomResourceDefinition",
    metadata=nested(OBJECT_META),
    spec=nested(obj(versions=ATOMIC)),
    status=status(conditions=map_list("type"), storedVersions=ATOMIC),
)

API_SERVICE = obj("APIService", metadata=nested(OBJECT_META), status=status(conditions=conditions()))

# -- the rest ---------------------------------------------------------------------------------------

CERTIFICATE_SIGNING_REQUEST = obj("CertificateSigningRequest",
    metadata=nested(OBJECT_META),
    spec=nested(obj(usages=ATOMIC, groups=ATOMIC)),
    status=status(conditions=map_list("type")),
)

ENDPOINT_SLICE = obj("EndpointSlice", metadata=nested(OBJECT_META), endpoints=ATOMIC, ports=ATOMIC)

RESOURCE_CLAIM = obj("ResourceClaim",
    metadata=nested(OBJECT_META),
    status=status(reservedFor=merge_list("uid")),
)

__all__ = [
    "ATOMIC", "Schema", "OBJECT_META", "LABEL_SELECTOR", "PLAIN", "CONTAINER", "POD_SPEC", "POD_STATUS", "POD",
    "POD_TEMPLATE_SPEC", "POD_TEMPLATE", "SERVICE", "ENDPOINTS", "NAMESPACE", "NODE", "PERSISTENT_VOLUME",
    "PERSISTENT_VOLUME_CLAIM", "SERVICE_ACCOUNT", "REPLICATION_CONTROLLER", "LIMIT_RANGE", "RESOURCE_QUOTA",
    "COMPONENT_STATUS", "DEPLOYMENT", "REPLICA_SET", "DAEMON_SET", "STATEFUL_SET", "JOB", "CRON_JOB",
    "HORIZONTAL_POD_AUTOSCALER_V2", "HORIZONTAL_POD_AUTOSCALER_V1", "INGRESS", "NETWORK_POLICY",
    "SERVICE_CIDR", "ROLE", "CLUSTER_ROLE", "ROLE_BINDING", "STORAGE_CLASS", "CSI_DRIVER", "CSI_NODE",
    "POD_DISRUPTION_BUDGET", "VALIDATING_WEBHOOK_CONFIGURATION", "MUTATING_WEBHOOK_CONFIGURATION", "VALIDATING_ADMISSION_POLICY",
    "VALIDATING_ADMISSION_POLICY_BINDING", "CUSTOM_RESOURCE_DEFINITION", "API_SERVICE",
    "CERTIFICATE_SIGNING_REQUEST", "ENDPOINT_SLICE", "RESOURCE_CLAIM",
]
