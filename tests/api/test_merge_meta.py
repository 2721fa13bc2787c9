"""Strategic-merge metadata of the built-in kinds, checked against upstream's struct tags and the real kubectl.

kubectl v1.32 merges lists with the struct tags compiled into it, so `kubectl patch -f obj.yaml --local
--type strategic -p PATCH -o json` is an oracle for every list field: one that merges keeps both an
existing item and a patch item with another key; an atomic one keeps only the patch's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from kauth.api import merge_meta as m
from kauth.api.resources import ResourceTable, ResourceType
from kauth.api.schema import FieldMeta, Schema

TABLE = ResourceTable.builtin()
KUBECTL = shutil.which("kubectl") or ("/usr/bin/kubectl" if Path("/usr/bin/kubectl").exists() else None)
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="needs the real kubectl (v1.32, /usr/bin/kubectl) as the oracle; it is not installed")

# kubectl v1.32 knows these kinds only in an earlier version whose struct tags are the same.
KUBECTL_API_VERSION = {
    ("networking.k8s.io", "ServiceCIDR"): "networking.k8s.io/v1beta1",
    ("storage.k8s.io", "VolumeAttributesClass"): "storage.k8s.io/v1beta1",
    ("resource.k8s.io", "DeviceClass"): "resource.k8s.io/v1beta1",
    ("resource.k8s.io", "ResourceClaim"): "resource.k8s.io/v1beta1",
    ("resource.k8s.io", "ResourceClaimTemplate"): "resource.k8s.io/v1beta1",
    ("resource.k8s.io", "ResourceSlice"): "resource.k8s.io/v1beta1",
}
# Not in kubectl's scheme: `patch --local --type strategic` refuses them, so kubectl cannot judge them.
KUBECTL_CANNOT_PATCH = {("apiextensions.k8s.io", "CustomResourceDefinition"), ("apiregistration.k8s.io", "APIService"),
                        # admissionregistration.k8s.io/v1 since Kubernetes 1.36: not in kubectl 1.32's scheme
                        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
                        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding")}


# -- walking the metadata ---------------------------------------------------------------------------------

Step = tuple[str, FieldMeta]  # a field name and its metadata; a merging list is entered through its items


def is_list(fm: FieldMeta) -> bool:
    return fm.merges or fm.list_type is not None


def walk(schema: Schema, prefix: tuple[Step, ...] = ()) -> Iterator[tuple[Step, ...]]:
    """Every declared field, as the steps that lead to it."""
    for name, fm in schema.fields.items():
        path = prefix + ((name, fm),)
        yield path
        if fm.schema is None or "replace" in fm.strategies:
            continue
        if not is_list(fm):
            yield from walk(fm.schema, path)
        elif fm.merges and fm.merge_key:
            yield from walk(fm.schema, path)


def list_paths(schema: Schema) -> list[tuple[Step, ...]]:
    return [path for path in walk(schema) if is_list(path[-1][1])]


def dotted(path: tuple[Step, ...]) -> str:
    return ".".join(name + ("[]" if is_list(fm) and i < len(path) - 1 else "") for i, (name, fm) in enumerate(path))


def key_value(key: str, n: int) -> object:
    if key in ("containerPort", "port"):
        return 8000 + n
    if key == "ip":
        return f"10.0.0.{n}"
    return f"k{n}"


SHARED = 0  # the key of the one item every intermediate merging list carries, in the object and in the patch


def put(tree: dict, path: tuple[Step, ...], value: object) -> None:
    node = tree
    for name, fm in path[:-1]:
        if is_list(fm):  # an enclosing merging list: walk into its shared item
            items = node.setdefault(name, [{fm.merge_key: key_value(fm.merge_key, SHARED)}])
            node = items[0]
        else:
            node = node.setdefault(name, {})
    node[path[-1][0]] = value


def get(tree: dict, path: tuple[Step, ...]) -> object:
    node: object = tree
    for name, fm in path[:-1]:
        node = node[name]  # type: ignore[index]
        if is_list(fm):
            shared = key_value(fm.merge_key, SHARED)
            node = next(item for item in node if item.get(fm.merge_key) == shared)  # type: ignore[union-attr]
    return node[path[-1][0]]  # type: ignore[index]


def item(fm: FieldMeta, n: int, extra: str) -> object:
    """The n-th list item of a field: a scalar for a merging set, else a map with the merge key (or a name)."""
    if fm.merges and fm.merge_key is None:
        return f"s{n}"
    key = fm.merge_key or "name"
    return {key: key_value(key, n), extra: "x"}


def expected_count(fm: FieldMeta) -> int:
    return 2 if fm.merges else 1


# -- the oracle -------------------------------------------------------------------------------------------


def kubectl_patch(tmp_path: Path, obj: dict, patch: dict) -> dict:
    live = tmp_path / "live.yaml"
    live.write_text(yaml.safe_dump(obj))
    env = {**os.environ, "KUBECONFIG": str(tmp_path / "no-kubeconfig")}  # never reach a real cluster
    done = subprocess.run([KUBECTL, "patch", "-f", str(live), "--local", "--type", "strategic", "-p",
                           json.dumps(patch), "-o", "json", "--show-managed-fields"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def skeleton(rt: ResourceType) -> dict:
    api_version = KUBECTL_API_VERSION.get((rt.group, rt.kind), rt.api_version)
    return {"apiVersion": api_version, "kind": rt.kind, "metadata": {"name": "oracle"}}


def kinds_for_kubectl() -> list[ResourceType]:
    return [rt for rt in TABLE.all() if rt.schema is not None and (rt.group, rt.kind) not in KUBECTL_CANNOT_PATCH]


def batches(schema: Schema) -> list[list[tuple[Step, ...]]]:
    """List fields in groups that can share one object and one patch: no field inside another of its group."""
    paths = list_paths(schema)
    names = lambda path: tuple(name for name, _ in path)  # noqa: E731 - Schemas do not hash
    enclosing = {names(path)[:i] for path in paths for i in range(1, len(path))}
    leaves = [p for p in paths if names(p) not in enclosing]
    by_depth: dict[int, list] = {}
    for p in paths:
        if names(p) in enclosing:
            by_depth.setdefault(len(p), []).append(p)
    return [leaves] + [by_depth[d] for d in sorted(by_depth)]


def check_batch(tmp_path: Path, rt: ResourceType, paths: list[tuple[Step, ...]]) -> int:
    """Two kubectl runs over `paths`: a patch item with another key, then one with the same key."""
    obj, patch = skeleton(rt), {}
    for path in paths:
        fm = path[-1][1]
        put(obj, path, [item(fm, 1, "x1")])
        put(patch, path, [item(fm, 2, "x2")])
    result = kubectl_patch(tmp_path, obj, patch)
    for path in paths:
        fm = path[-1][1]
        got = get(result, path)
        assert len(got) == expected_count(fm), (
            f"{rt.kind} {dotted(path)}: declared {'merging' if fm.merges else 'atomic'}, kubectl gave {got}")

    keyed = [p for p in paths if not (p[-1][1].merges and p[-1][1].merge_key is None)]
    obj, patch = skeleton(rt), {}
    for path in keyed:
        fm = path[-1][1]
        put(obj, path, [item(fm, 1, "x1")])
        put(patch, path, [item(fm, 1, "x2")])
    result = kubectl_patch(tmp_path, obj, patch)
    for path in keyed:
        fm = path[-1][1]
        got = get(result, path)
        assert len(got) == 1, f"{rt.kind} {dotted(path)}: {got}"
        # a merge key merges the two items; an atomic list keeps only the patch's
        assert ("x1" in got[0]) == fm.merges and "x2" in got[0], f"{rt.kind} {dotted(path)}: {got}"
    return len(paths)


# -- what the metadata says, in kubectl's words -------------------------------------------------------------


def test_names_other_packages_import_are_kept():
    for name in ("POD", "DEPLOYMENT", "SERVICE", "OBJECT_META", "POD_SPEC", "CONTAINER", "POD_TEMPLATE_SPEC", "PLAIN"):
        assert isinstance(getattr(m, name), Schema), name


def test_containers_merge_by_name():
    containers = m.POD_SPEC.lookup("containers")
    assert containers.merges and containers.merge_key == "name" and containers.schema is m.CONTAINER
    assert m.POD_SPEC.lookup("initContainers") == containers
    assert m.POD_SPEC.lookup("ephemeralContainers").merge_key == "name"


def test_container_ports_merge_by_container_port_but_apply_keys_by_port_and_protocol():
    ports = m.CONTAINER.lookup("ports")
    assert ports.merge_key == "containerPort"
    assert ports.list_map_keys == ("containerPort", "protocol") and ports.list_type == "map"


def test_service_ports_merge_by_port_but_apply_keys_by_port_and_protocol():
    ports = m.SERVICE.lookup("spec").schema.lookup("ports")
    assert (ports.merge_key, ports.list_map_keys) == ("port", ("port", "protocol"))


def test_env_volume_mounts_and_devices_merge_by_their_keys():
    assert m.CONTAINER.lookup("env").merge_key == "name"
    assert m.CONTAINER.lookup("volumeMounts").merge_key == "mountPath"
    assert m.CONTAINER.lookup("volumeDevices").merge_key == "devicePath"


def test_command_args_and_resize_policy_are_atomic():
    for name in ("command", "args", "resizePolicy", "envFrom"):
        fm = m.CONTAINER.lookup(name)
        assert not fm.merges and fm.list_type == "atomic", name


def test_volumes_merge_by_name_and_retain_keys():
    volumes = m.POD_SPEC.lookup("volumes")
    assert volumes.merges and volumes.retains_keys and volumes.merge_key == "name"


def test_resource_claims_merge_by_name_and_retain_keys():
    claims = m.POD_SPEC.lookup("resourceClaims")
    assert claims.merges and claims.retains_keys and claims.merge_key == "name"


def test_topology_spread_constraints_merge_by_topology_key_but_apply_adds_when_unsatisfiable():
    tsc = m.POD_SPEC.lookup("topologySpreadConstraints")
    assert (tsc.merge_key, tsc.list_map_keys) == ("topologyKey", ("topologyKey", "whenUnsatisfiable"))


def test_tolerations_and_readiness_gates_are_atomic():
    assert m.POD_SPEC.lookup("tolerations") == m.ATOMIC
    assert m.POD_SPEC.lookup("readinessGates") == m.ATOMIC


def test_host_aliases_merge_by_ip_and_scheduling_gates_by_name():
    assert m.POD_SPEC.lookup("hostAliases").merge_key == "ip"
    assert m.POD_SPEC.lookup("schedulingGates").merge_key == "name"


def test_finalizers_are_a_merging_set_and_owner_references_merge_by_uid():
    finalizers = m.OBJECT_META.lookup("finalizers")
    assert finalizers.merges and finalizers.merge_key is None and finalizers.list_type == "set"
    assert m.OBJECT_META.lookup("ownerReferences").merge_key == "uid"


def test_pod_status_lists():
    assert m.POD_STATUS.lookup("conditions").merge_key == "type"
    assert m.POD_STATUS.lookup("podIPs").merge_key == "ip"
    host_ips = m.POD_STATUS.lookup("hostIPs")  # +patchStrategy=merge yet +listType=atomic
    assert host_ips.merges and host_ips.merge_key == "ip" and host_ips.list_type == "atomic"
    assert m.POD_STATUS.lookup("containerStatuses") == m.ATOMIC


def test_job_conditions_merge_by_type_but_apply_owns_them_whole():
    conditions = m.JOB.lookup("status").schema.lookup("conditions")
    assert conditions.merges and conditions.merge_key == "type" and conditions.list_type == "atomic"


def test_deployment_strategy_retains_keys():
    strategy = m.DEPLOYMENT.lookup("spec").schema.lookup("strategy")
    assert strategy.retains_keys and not strategy.merges


def test_statefulset_volume_claim_templates_are_atomic():
    assert m.STATEFUL_SET.lookup("spec").schema.lookup("volumeClaimTemplates") == m.ATOMIC


def test_node_addresses_merge_by_type_and_pod_cidrs_are_a_merging_set():
    node = m.NODE
    assert node.lookup("status").schema.lookup("addresses").merge_key == "type"
    pod_cidrs = node.lookup("spec").schema.lookup("podCIDRs")
    assert pod_cidrs.merges and pod_cidrs.merge_key is None
    assert node.lookup("spec").schema.lookup("taints") == m.ATOMIC


def test_service_account_secrets_merge_but_its_image_pull_secrets_do_not():
    assert m.SERVICE_ACCOUNT.lookup("secrets").merge_key == "name"
    assert m.SERVICE_ACCOUNT.lookup("imagePullSecrets") == m.ATOMIC
    assert m.POD_SPEC.lookup("imagePullSecrets").merge_key == "name"


def test_pod_disruption_budget_selector_is_replaced_whole():
    selector = m.POD_DISRUPTION_BUDGET.lookup("spec").schema.lookup("selector")
    assert selector.strategies == frozenset({"replace"})


@pytest.mark.parametrize("configuration", [m.VALIDATING_WEBHOOK_CONFIGURATION, m.MUTATING_WEBHOOK_CONFIGURATION])
def test_webhooks_and_their_match_conditions_merge_by_name(configuration):
    webhooks = configuration.lookup("webhooks")
    assert webhooks.merge_key == "name"
    assert webhooks.schema.lookup("matchConditions").merge_key == "name"
    assert webhooks.schema.lookup("rules") == m.ATOMIC


def test_structs_carry_the_go_names_that_patch_errors_quote():
    assert m.POD.lookup("metadata").schema.name == "ObjectMeta"
    assert m.POD_SPEC.lookup("ephemeralContainers").schema.name == "EphemeralContainer"
    assert m.MUTATING_WEBHOOK_CONFIGURATION.lookup("webhooks").schema.name == "MutatingWebhook"
    # Kinds sharing one schema (DaemonSet uses ReplicaSet's) are named after their own kind in the table.
    assert TABLE.for_kind("apps/v1", "DaemonSet").schema.name == "DaemonSet"
    assert TABLE.for_kind("autoscaling/v1", "HorizontalPodAutoscaler").schema.name == "HorizontalPodAutoscaler"


def test_rbac_rules_and_subjects_are_atomic():
    assert m.ROLE.lookup("rules") == m.ATOMIC
    assert m.ROLE_BINDING.lookup("subjects") == m.ATOMIC


def test_every_template_kind_shares_the_pod_spec():
    for kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"):
        rt = next(t for t in TABLE.all() if t.kind == kind)
        template = rt.schema.lookup("spec").schema.lookup("template").schema
        assert template is m.POD_TEMPLATE_SPEC, kind
    cron = next(t for t in TABLE.all() if t.kind == "CronJob").schema
    job_spec = cron.lookup("spec").schema.lookup("jobTemplate").schema.lookup("spec").schema
    assert job_spec.lookup("template").schema is m.POD_TEMPLATE_SPEC


def test_every_merging_list_of_maps_has_a_merge_key_and_its_apply_keys_start_with_it():
    for rt in TABLE.all():
        for path in list_paths(rt.schema):
            fm = path[-1][1]
            if fm.merges and fm.merge_key:
                assert fm.list_type == "atomic" or fm.list_map_keys[0] == fm.merge_key, (rt.kind, dotted(path))


# -- the differential tests against kubectl -----------------------------------------------------------------

@needs_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("rt", kinds_for_kubectl(), ids=lambda rt: f"{rt.kind}.{rt.api_version}")
def test_kubectl_merges_or_replaces_every_declared_list_as_declared(rt, tmp_path):
    for group in batches(rt.schema):
        if group:
            check_batch(tmp_path, rt, group)


@needs_kubectl
@pytest.mark.kubectl
def test_kubectl_merges_container_ports_by_port_alone_so_udp_replaces_tcp(tmp_path):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "dns", "ports": [{"containerPort": 53, "protocol": "TCP"}]}]}}
    patch = {"spec": {"containers": [{"name": "dns", "ports": [{"containerPort": 53, "protocol": "UDP"}]}]}}
    got = kubectl_patch(tmp_path, pod, patch)["spec"]["containers"][0]["ports"]
    assert got == [{"containerPort": 53, "protocol": "UDP"}]


@needs_kubectl
@pytest.mark.kubectl
def test_kubectl_replaces_a_pdb_selector_but_merges_a_deployment_selector(tmp_path):
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"},
           "spec": {"selector": {"matchLabels": {"a": "1"}}}}
    patch = {"spec": {"selector": {"matchLabels": {"b": "2"}}}}
    assert kubectl_patch(tmp_path, pdb, patch)["spec"]["selector"] == {"matchLabels": {"b": "2"}}
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
              "spec": {"selector": {"matchLabels": {"a": "1"}}}}
    assert kubectl_patch(tmp_path, deploy, patch)["spec"]["selector"] == {"matchLabels": {"a": "1", "b": "2"}}


@needs_kubectl
@pytest.mark.kubectl
def test_kubectl_refuses_strategic_patches_of_kinds_outside_its_scheme(tmp_path):
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a.b.c"}}
    live = tmp_path / "crd.yaml"
    live.write_text(yaml.safe_dump(crd))
    done = subprocess.run([KUBECTL, "patch", "-f", str(live), "--local", "--type", "strategic", "-p", "{}",
                           "-o", "json"], capture_output=True, text=True,
                          env={**os.environ, "KUBECONFIG": str(tmp_path / "none")})
    assert done.returncode != 0 and "strategic merge patch is not supported" in done.stderr


# -- the struct tags compiled into kubectl ------------------------------------------------------------------

# Tags kubectl carries for fields kauth does not model: inside atomic lists (a patch replaces the whole
# list, so the tags inside never apply) or in kinds outside the table.
UNMODELLED_TAGS = {
    ("allocatedResourcesStatus", frozenset({"merge"}), "name"),  # pod status.containerStatuses[] (atomic)
    ("items", frozenset({"merge"}), "type"),  # StorageVersionMigrationList
}


@lru_cache(maxsize=1)
def compiled_patch_tags() -> frozenset[tuple[str, frozenset[str], str | None]]:
    """(json name, patchStrategy, patchMergeKey) of every struct tag with a patchStrategy in the kubectl binary."""
    data = Path(KUBECTL).resolve().read_bytes()
    tags = set()
    for run in re.finditer(rb'json:"[ -~]{0,400}', data):
        for tag in re.split(r'(?=json:")', run.group(0).decode("ascii")):
            strategy = re.search(r'patchStrategy:"([^"]*)"', tag)
            name = re.match(r'json:"([^",]*)', tag)
            if strategy and name:
                key = re.search(r'patchMergeKey:"([^"]*)"', tag)
                tags.add((name.group(1), frozenset(strategy.group(1).split(",")), key.group(1) if key else None))
    return frozenset(tags)


def declared_patch_tags() -> set[tuple[str, frozenset[str], str | None]]:
    return {(path[-1][0], path[-1][1].strategies, path[-1][1].merge_key)
            for rt in TABLE.all() for path in walk(rt.schema) if path[-1][1].strategies}


@needs_kubectl
@pytest.mark.kubectl
def test_every_declared_strategy_is_a_struct_tag_compiled_into_kubectl():
    if not compiled_patch_tags():
        pytest.skip(f"{KUBECTL} carries no Go struct tags: a wrapper, not the kubectl binary itself")
    assert declared_patch_tags() - compiled_patch_tags() == set()


@needs_kubectl
@pytest.mark.kubectl
def test_every_struct_tag_compiled_into_kubectl_is_declared():
    tags = compiled_patch_tags()
    if not tags:
        pytest.skip(f"{KUBECTL} carries no Go struct tags: a wrapper, not the kubectl binary itself")
    assert tags - declared_patch_tags() - UNMODELLED_TAGS == set()
