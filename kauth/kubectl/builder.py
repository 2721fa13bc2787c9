"""kubectl's resource builder: from files or `TYPE NAME` arguments to (type, namespace, name) targets.

Mirrors k8s.io/cli-runtime/pkg/resource/builder.go: documents are mapped to served kinds through
discovery, namespaces defaulted or enforced, and `TYPE[,TYPE] [NAME...]` / `TYPE/NAME` arguments
resolved with short names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from kauth.api import errors
from kauth.api.errors import ClientError
from kauth.api.resources import NoKindMatch, ResourceTable, ResourceType


# resource.Builder's error when a command names nothing to act on
NO_RESOURCES = ("You must provide one or more resources by argument or filename.\nExample resource specifications "
                "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")

@dataclass(frozen=True)
class Target:
    """One object a command acts on."""

    rt: ResourceType
    namespace: str
    name: str
    source: str = ""  # the file it came from ("" for arguments)
    obj: dict | None = None  # the manifest, for -f


@dataclass(frozen=True)
class Selection:
    """What the arguments of get/delete select: named targets, or whole types to list."""

    targets: tuple[Target, ...] = ()
    listed_types: tuple[ResourceType, ...] = ()


def target_for_document(table: ResourceTable, obj: dict, source: str, namespace: str,
                        enforce_namespace: bool) -> Target:
    """Map one manifest to its served type and namespace, or raise kubectl's ClientError."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = meta.get("name") or ""
    try:
        rt = table.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    except NoKindMatch as err:
        raise errors.resource_mapping_not_found(name, meta.get("namespace") or "", source, str(err)) from None
    target_namespace = ""
    if rt.namespaced:
        object_namespace = meta.get("namespace") or ""
        if enforce_namespace and object_namespace and object_namespace != namespace:
            raise errors.namespace_mismatch(object_namespace, namespace)
        target_namespace = object_namespace or namespace
        obj = {**obj, "metadata": {**meta, "namespace": target_namespace}}
    return Target(rt, target_namespace, name, source, obj)


def document_targets(table: ResourceTable, documents: "list", namespace: str, enforce_namespace: bool,
                     fail: "Callable[[ClientError], None]") -> "Iterator[tuple[Target, object]]":
    """Each readable document of -f with its target; unreadable or unmappable ones go to `fail`, in order,
    and the command carries on with the rest (as kubectl's builder visits every object)."""
    from kauth.kubectl.loader import with_errors

    for doc, problem in with_errors(documents):
        if problem is not None:
            fail(problem)
            continue
        try:
            yield target_for_document(table, doc.obj, doc.source, namespace, enforce_namespace), doc
        except ClientError as err:
            fail(err)


def split_type_arg(table: ResourceTable, text: str) -> list[ResourceType]:
    """`pods,svc` or `all` (a category) into types; unknown names raise kubectl's error."""
    out: list[ResourceType] = []
    for part in filter(None, text.split(",")):
        category = [rt for rt in table.preferred() if part in rt.categories]
        if category and part not in {rt.plural for rt in table.all()}:
            out.extend(category)
            continue
        try:
            out.append(table.resolve(part))
        except NoKindMatch as err:
            raise ClientError(str(err)) from None
    return out


def select(table: ResourceTable, args: list[str], namespace: str, command: str) -> Selection:
    """kubectl's argument forms: `TYPE`, `TYPE NAME...`, `TYPE/NAME...`, `TYPE1,TYPE2`."""
    if not args:
        raise ClientError("Required resource not specified.")
    slashed = [a for a in args if "/" in a]
    if slashed:
        if len(slashed) != len(args):
            raise ClientError(
                "there is no need to specify a resource type as a separate argument when passing arguments in "
                f"resource/name form (e.g. 'kubectl {command} resource/<resource_name>' instead of "
                f"'kubectl {command} resource resource/<resource_name>'")
        targets = []
        for arg in args:
            type_text, _, name = arg.partition("/")
            if not name:
                raise ClientError(f"arguments in resource/name form must have a single resource and name")
            (rt,) = split_type_arg(table, type_text)[:1] or [None]
            targets.append(Target(rt, namespace if rt.namespaced else "", name))
        return Selection(tuple(targets))
    types = split_type_arg(table, args[0])
    names = args[1:]
    if not names:
        return Selection(listed_types=tuple(types))
    if len(types) > 1:
        raise ClientError("arguments in resource/name form must have a single resource and name")
    rt = types[0]
    return Selection(tuple(Target(rt, namespace if rt.namespaced else "", n) for n in names))
