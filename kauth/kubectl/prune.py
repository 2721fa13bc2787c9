"""`kubectl apply --prune`: after applying, delete what was applied before but is no longer in the files.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/prune.go and pkg/util/prune/prune.go (kubectl 1.32, the
allowlist pruner; --applyset is not simulated). For every namespace an applied object was in (or -n named),
each allowlisted type is listed with the selector; an object that carries the last-applied annotation and
was not applied in this run is deleted and printed as `pruned`. Objects made by `create` (no annotation) are
never pruned. Then the cluster-scoped allowlisted types, cluster-wide.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from kauth.api.errors import ClientError, StatusError
from kauth.api.resources import NoKindMatch, ResourceTable, ResourceType
from kauth.kubectl.client import Client
from kauth.kubectl.delete import BACKGROUND_DELETE
from kauth.kubectl.last_applied import last_applied
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report

# pkg/util/prune: the default allowlist, namespaced first, then cluster-scoped.
DEFAULT_ALLOWLIST = (
    ("", "v1", "ConfigMap"), ("", "v1", "Endpoints"), ("", "v1", "PersistentVolumeClaim"), ("", "v1", "Pod"),
    ("", "v1", "ReplicationController"), ("", "v1", "Secret"), ("", "v1", "Service"), ("batch", "v1", "Job"),
    ("batch", "v1", "CronJob"), ("networking.k8s.io", "v1", "Ingress"), ("apps", "v1", "DaemonSet"),
    ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"), ("apps", "v1", "StatefulSet"),
    ("", "v1", "Namespace"), ("", "v1", "PersistentVolume"),
)
_DEPRECATED_DEFAULT = ("Deprecated: kubectl apply will no longer prune non-namespaced resources by default when "
                       "used with the --namespace flag in a future release. To preserve the current behaviour, list "
                       "the resources you want to target explicitly in the --prune-allowlist flag.")


@dataclass
class Visited:
    """What this apply touched (ApplyOptions.VisitedNamespaces / VisitedUids)."""

    namespaces: set[str] = field(default_factory=set)
    uids: set[str] = field(default_factory=set)


def parse_allowlist(table: ResourceTable, entries: tuple[str, ...]) -> list[ResourceType]:
    """--prune-allowlist group/version/Kind entries (`core` for the core group), as prune.ParseResources."""
    types = []
    for entry in entries:
        parts = entry.split("/")
        if len(parts) != 3:
            raise ClientError(f"invalid GroupVersionKind format: {entry}, please follow <group/version/kind>")
        group = "" if parts[0] == "core" else parts[0]
        try:
            types.append(table.for_kind(f"{group}/{parts[1]}" if group else parts[1], parts[2]))
        except NoKindMatch as err:
            raise ClientError(str(err)) from None
    return types


def prune(client: Client, outcome: Outcome, visited: Visited, allowlist: list[ResourceType], *, selector: str,
          dry_run: DryRun, output: str) -> None:
    """Delete and report what the apply left behind. kubectl visits namespaces in Go's random set order; kauth
    visits them sorted."""
    types = allowlist
    if not types:
        types = [client.table().for_kind(f"{g}/{v}" if g else v, k) for g, v, k in DEFAULT_ALLOWLIST]
        # prune.GetRESTMappings warns whenever the default allowlist meets a namespace, which kubectl always has.
        outcome.notes.append(klog_warning("prune.go:71", _DEPRECATED_DEFAULT))
    namespaced = [rt for rt in types if rt.namespaced]
    cluster_scoped = [rt for rt in types if not rt.namespaced]
    try:
        for namespace in sorted(visited.namespaces):
            for rt in namespaced:
                _prune_type(client, outcome, visited, rt, namespace, selector, dry_run, output, "namespaced")
        for rt in cluster_scoped:
            _prune_type(client, outcome, visited, rt, "", selector, dry_run, output, "nonNamespaced")
    except ClientError as err:
        outcome.fail(err)


def _prune_type(client: Client, outcome: Outcome, visited: Visited, rt: ResourceType, namespace: str, selector: str,
                dry_run: DryRun, output: str, scope: str) -> None:
    listed = client.send("list", rt, namespace, label_selector=selector)
    outcome.record(listed)
    if not listed.ok:
        raise _prune_error(rt, scope, StatusError.from_status(listed.body))
    for obj in listed.body.get("items") or []:
        meta = obj.get("metadata") or {}
        if last_applied(obj) is None or meta.get("uid") in visited.uids:
            continue
        if dry_run != "client":
            deleted = client.send("delete", rt, meta.get("namespace", ""), meta.get("name", ""),
                                  body=BACKGROUND_DELETE,
                                  dry_run=dry_run == "server")
            outcome.record(deleted)
            if not deleted.ok:
                raise _prune_error(rt, scope, StatusError.from_status(deleted.body))
        report(outcome, rt, {"apiVersion": rt.api_version, "kind": rt.kind, **obj}, output, "pruned", dry_run)


def _prune_error(rt: ResourceType, scope: str, err: StatusError) -> ClientError:
    """pruneAll's fmt.Errorf wrapping (no longer a server error): `error pruning namespaced object /v1, Kind=...`."""
    return ClientError(f"error pruning {scope} object {rt.group}/{rt.version}, Kind={rt.kind}: {err.message}")


def klog_warning(location: str, message: str) -> str:
    """A klog.Warning line as kubectl writes it to stderr: `W1202 00:56:46.848031   31730 prune.go:71] ...`."""
    now = time.time()
    stamp = time.strftime("%m%d %H:%M:%S", time.localtime(now)) + f".{int(now % 1 * 1_000_000):06d}"
    return f"W{stamp} {os.getpid():7d} {location}] {message}"
