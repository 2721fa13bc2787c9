"""State export and import: the whole stored state as a `kind: List`, and back.

Import loads objects exactly as given, metadata included (uid, resourceVersion, managedFields,
status): it restores a state, as an etcd snapshot restore would, rather than making API
requests. It accepts the output of `kubectl get <types> -A -o yaml` from a real cluster, and it
is all or nothing: one bad object and nothing is loaded.
"""

from __future__ import annotations

from kauth.api.errors import ClientError
from kauth.api.resources import NoKindMatch, ResourceTable
from kauth.store.base import Key, Store

CRD_GROUP = "apiextensions.k8s.io"


def export_state(store: Store) -> dict:
    """Every stored object, in key order, as one List (the shape `kubectl get -o yaml` prints)."""
    items = [obj for _, obj in store.all_objects()]
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def flatten(documents: list) -> list[dict]:
    """Objects from loaded documents: any `*List` expanded into its items."""
    out = []
    for doc in documents:
        if not doc:
            continue
        if not isinstance(doc, dict):
            raise ClientError(f"expected an object, found {type(doc).__name__}")
        if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
            out.extend(flatten(doc["items"]))
        else:
            out.append(doc)
    return out


def keys_for(objects: list[dict], table: ResourceTable) -> list[tuple[Key, dict]]:
    """Where each object is stored; raises one ClientError naming every object that cannot be.

    CustomResourceDefinitions in the same import make their kinds importable.
    """
    crds = [o for o in objects if o.get("kind") == "CustomResourceDefinition"
            and str(o.get("apiVersion", "")).startswith(CRD_GROUP + "/")]
    table = table.with_crds(crds)
    out, problems = [], []
    for index, obj in enumerate(objects):
        try:
            out.append(_key_for(index, obj, table))
        except ClientError as err:
            problems.append(err.message)
    if problems:
        raise ClientError("\n".join(problems))
    return out


def _key_for(index: int, obj: dict, table: ResourceTable) -> tuple[Key, dict]:
    meta = obj.get("metadata")
    where = f"item {index}"
    if not isinstance(meta, dict) or not meta.get("name"):
        raise ClientError(f"{where}: object has no metadata.name")
    where = f'{obj.get("kind", "?")} "{meta["name"]}" (item {index})'
    if not obj.get("apiVersion") or not obj.get("kind"):
        raise ClientError(f"{where}: apiVersion and kind are required")
    try:
        rt = table.for_kind(str(obj["apiVersion"]), str(obj["kind"]))
    except NoKindMatch as err:
        raise ClientError(f"{where}: {err}") from None
    namespace = meta.get("namespace") or ""
    if rt.namespaced and not namespace:
        raise ClientError(f"{where}: a namespaced {rt.kind} needs metadata.namespace")
    if not rt.namespaced and namespace:
        raise ClientError(f"{where}: {rt.kind} is cluster-scoped but has metadata.namespace {namespace!r}")
    if (rt.storage_version or rt.version) != rt.version:
        from kauth.api.conversion import convert

        obj = convert(obj, rt.storage_version, table)
    return Key(rt.group, rt.plural, namespace if rt.namespaced else "", meta["name"]), obj


def import_state(store: Store, documents: list, table: ResourceTable) -> int:
    """Load the documents' objects into the store in one transaction; returns how many."""
    return store.load(keys_for(flatten(documents), table))
