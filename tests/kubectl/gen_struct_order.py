"""Generate kauth/kubectl/struct_order_data.py: the Go struct field order of the k8s.io/api v1.32 types kubectl
prints as typed objects.

encoding/json writes a struct's fields in their declaration order (embedded `json:",inline"` structs in
place), so the order is that of the Go source, k8s.io/api v1.32 `staging/src/k8s.io/api/<group>/<version>/
types.go` and apimachinery's `pkg/apis/meta/v1/types.go`. It is read two ways:

- from kubectl v1.32 itself, for the kinds it decodes into their structs and prints again offline
  (`set env|selector|subject --local -f`): this script fills every field fields.json knows with a non-zero
  value and records the order in which kubectl writes them back. This covers the pod-template kinds, Pod,
  Service and the RBAC bindings, and every type below them (PodSpec alone reaches ~150 types);
- from the Go source, copied by hand into FROM_SOURCE below, for the kinds no offline kubectl command
  decodes (ConfigMap, Secret, Role, Ingress, ...). A type found both ways must agree.

Type names are those of kauth/api/fields.json (V1Container, ...), which also says how the types nest.
Regenerate from the repository root (needs the real kubectl v1.32 on PATH):

    PYTHONPATH=. python3 tests/kubectl/gen_struct_order.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kauth.api.fields import root_type, struct_fields

OUT = Path(__file__).resolve().parents[2] / "kauth" / "kubectl" / "struct_order_data.py"

# Kinds kubectl v1.32 decodes into their Go struct and prints again without a server, and how.
ORACLES = {
    ("v1", "Pod"): ["set", "env", "A=1"], ("v1", "ReplicationController"): ["set", "env", "A=1"],
    ("apps/v1", "Deployment"): ["set", "env", "A=1"], ("apps/v1", "DaemonSet"): ["set", "env", "A=1"],
    ("apps/v1", "ReplicaSet"): ["set", "env", "A=1"], ("apps/v1", "StatefulSet"): ["set", "env", "A=1"],
    ("batch/v1", "Job"): ["set", "env", "A=1"], ("batch/v1", "CronJob"): ["set", "env", "A=1"],
    ("v1", "Service"): ["set", "selector", "a=b"],
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ["set", "subject", "--user=u"],
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ["set", "subject", "--user=u"],
}

# Types of the kinds the generators build that no offline command decodes: field order copied from
# k8s.io/api v1.32 (kubernetes/kubernetes release-1.32, staging/src/k8s.io/api/...).
OBJECT = ["kind", "apiVersion", "metadata"]  # metav1.TypeMeta `json:",inline"`, then ObjectMeta
FROM_SOURCE: dict[str, list[str]] = {
    # core/v1/types.go
    "V1ConfigMap": [*OBJECT, "immutable", "data", "binaryData"],
    "V1Secret": [*OBJECT, "immutable", "data", "stringData", "type"],
    "V1Namespace": [*OBJECT, "spec", "status"],
    "V1NamespaceSpec": ["finalizers"],
    "V1NamespaceStatus": ["phase", "conditions"],
    "V1NamespaceCondition": ["type", "status", "lastTransitionTime", "reason", "message"],
    "V1ServiceAccount": [*OBJECT, "secrets", "imagePullSecrets", "automountServiceAccountToken"],
    "V1ResourceQuota": [*OBJECT, "spec", "status"],
    "V1ResourceQuotaSpec": ["hard", "scopes", "scopeSelector"],
    "V1ResourceQuotaStatus": ["hard", "used"],
    "V1ScopeSelector": ["matchExpressions"],
    "V1ScopedResourceSelectorRequirement": ["scopeName", "operator", "values"],
    # rbac/v1/types.go
    "V1Role": [*OBJECT, "rules"],
    "V1ClusterRole": [*OBJECT, "rules", "aggregationRule"],
    "V1PolicyRule": ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"],
    "V1AggregationRule": ["clusterRoleSelectors"],
    # networking/v1/types.go; IngressRule embeds IngressRuleValue (http) inline after host
    "V1Ingress": [*OBJECT, "spec", "status"],
    "V1IngressSpec": ["ingressClassName", "defaultBackend", "tls", "rules"],
    "V1IngressTLS": ["hosts", "secretName"],
    "V1IngressStatus": ["loadBalancer"],
    "V1IngressLoadBalancerStatus": ["ingress"],
    "V1IngressLoadBalancerIngress": ["ip", "hostname", "ports"],
    "V1IngressPortStatus": ["port", "protocol", "error"],
    "V1IngressRule": ["host", "http"],
    "V1HTTPIngressRuleValue": ["paths"],
    "V1HTTPIngressPath": ["path", "pathType", "backend"],
    "V1IngressBackend": ["service", "resource"],
    "V1IngressServiceBackend": ["name", "port"],
    "V1ServiceBackendPort": ["name", "number"],
    # scheduling/v1/types.go
    "V1PriorityClass": [*OBJECT, "value", "globalDefault", "description", "preemptionPolicy"],
    # policy/v1/types.go
    "V1PodDisruptionBudget": [*OBJECT, "spec", "status"],
    "V1PodDisruptionBudgetSpec": ["minAvailable", "selector", "maxUnavailable", "unhealthyPodEvictionPolicy"],
    "V1PodDisruptionBudgetStatus": ["observedGeneration", "disruptedPods", "disruptionsAllowed", "currentHealthy",
                                    "desiredHealthy", "expectedPods", "conditions"],
    # authentication/v1/types.go (`kubectl create token` prints the TokenRequest it got back)
    "AuthenticationV1TokenRequest": [*OBJECT, "spec", "status"],
    "V1TokenRequestSpec": ["audiences", "expirationSeconds", "boundObjectRef"],
    "V1TokenRequestStatus": ["token", "expirationTimestamp"],
    "V1BoundObjectReference": ["kind", "apiVersion", "name", "uid"],
    # apimachinery pkg/apis/meta/v1/types.go
    "V1Condition": ["type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"],
}

HEADER = '''"""Go struct field order of the k8s.io/api v1.32 types kubectl prints typed: fields.json type name -> JSON
field names in declaration order (embedded inline structs in place). Generated by
tests/kubectl/gen_struct_order.py from kubectl v1.32's own output and the Go sources; do not edit.
"""

# fmt: off
'''

# Fields fields.json (Kubernetes v1.37) has that k8s.io/api v1.32 does not.
NEWER_THAN_1_32 = {"V1TokenRequestSpec": ["attestations"]}

SAMPLES = {"string": "1", "integer": 1, "number": 1.5, "boolean": True, "time": "2020-01-01T00:00:00.000000Z",
           "any": 1}


def sample(type_: object, seen: frozenset = frozenset()) -> object:
    """A non-zero value of a fields.json type: every field of a struct set, one item in each list and map."""
    if isinstance(type_, list):
        kind_of, item = type_
        return [sample(item, seen)] if kind_of == "list" else {"k": sample(item, seen)}
    if type_ in SAMPLES:
        return SAMPLES[type_]
    if type_ in seen:  # a recursive type: one level is enough to learn its order
        return {}
    return {name: sample(field, seen | {type_}) for name, field in struct_fields(type_).items()}


def full_object(api_version: str, kind: str) -> dict:
    obj = sample(root_type(api_version, kind))
    return {**obj, "apiVersion": api_version, "kind": kind, "metadata": {**obj["metadata"], "name": "n"}}


def printed(obj: dict, command: list[str]) -> list:
    """kubectl's -o json of the object after its typed round trip, as nested (key, value) pair lists."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(obj, file)
        file.flush()
        done = subprocess.run([shutil.which("kubectl") or "kubectl", *command[:2], "--local", "-f", file.name, *command[2:], "-o", "json"],
                              capture_output=True, text=True, check=True, env={"KUBECONFIG": "/dev/null"})
    return json.loads(done.stdout, object_pairs_hook=lambda pairs: pairs)


def record(value: object, type_: object, orders: dict[str, list[str]]) -> None:
    """Add the order of each struct's keys in `value` (pair lists) to `orders`, walking fields.json types."""
    if isinstance(type_, list):
        kind_of, item = type_
        if kind_of == "list" and isinstance(value, list) and not (value and isinstance(value[0], tuple)):
            for element in value:
                record(element, item, orders)
        elif kind_of == "map" and isinstance(value, list):
            for _, element in value:
                record(element, item, orders)
        return
    if type_ in SAMPLES or not isinstance(value, list) or not value:
        return
    fields = struct_fields(type_)
    keys = [key for key, _ in value]
    # kubectl leaves out the top-level metadata.managedFields (OmitManagedFieldsPrinter) but not a template's:
    # where a type shows up twice, one key list must be the other with keys left out.
    known = orders.setdefault(type_, keys)
    shorter, longer = sorted((known, keys), key=len)
    assert [key for key in longer if key in shorter] == shorter, (type_, known, keys)
    orders[type_] = longer
    for key, element in value:
        record(element, fields.get(key, "any"), orders)


def entry(name: str, keys: list[str]) -> str:
    """One line of the table, wrapped at 120 columns."""
    words, lines, line = [json.dumps(k) for k in keys], [], f"    {json.dumps(name)}: ["
    for position, word in enumerate(words):
        word += "]," if position == len(words) - 1 else ", "
        if len(line) + len(word.rstrip()) > 120:
            lines.append(line.rstrip())
            line = " " * 8
        line += word
    return "\n".join([*lines, line])


def table() -> dict[str, list[str]]:
    """Type name -> field order: kubectl's, checked against and completed by FROM_SOURCE."""
    orders: dict[str, list[str]] = {}
    for (api_version, kind), command in ORACLES.items():
        record(printed(full_object(api_version, kind), command), root_type(api_version, kind), orders)
    for type_, keys in FROM_SOURCE.items():
        expected = sorted(set(struct_fields(type_)) - set(NEWER_THAN_1_32.get(type_, [])))
        assert sorted(keys) == expected, (type_, keys)  # a misspelt or missing field
        assert orders.get(type_, keys) == keys, (type_, orders[type_], keys)
        orders[type_] = keys
    return orders


def main() -> None:
    orders = table()
    lines = [entry(name, keys) for name, keys in sorted(orders.items())]
    OUT.write_text(HEADER + "FIELD_ORDER: dict[str, list[str]] = {\n" + "\n".join(lines) + "\n}\n")
    print(f"{len(orders)} types -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
