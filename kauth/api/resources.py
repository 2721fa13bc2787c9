"""The resource table: every kind the simulated API server serves, and how to find it.

One source of truth for a kind's group, version, plural, singular, scope, short names,
subresources and strategic-merge metadata. The table is a value: the built-in kinds plus
the kinds of the CustomResourceDefinitions stored in a cluster (`with_crds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from kauth.api.schema import Schema


_BUILTIN: "ResourceTable | None" = None

@dataclass(frozen=True)
class ResourceType:
    """One served group/version/resource and its kind."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    singular: str = ""
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
    # Strategic-merge metadata of the whole object; None means the kind has none
    # (custom resources): kubectl then builds JSON merge patches and lists are replaced whole.
    schema: Schema | None = field(default=None, repr=False)
    # The version the API server stores; other served versions of the group/resource convert to it.
    storage_version: str = ""
    # How the API server validates metadata.name for this kind: "subdomain" (DNS-1123 subdomain),
    # "label" (DNS-1123 label), "label1035" (DNS-1035 label: Services), "path" (path segment: RBAC),
    # "" (not validated: reviews, core/v1 Events, CertificateSigningRequests).
    name_rule: str = "subdomain"
    # A custom resource's additionalPrinterColumns for this version (the server's Table columns).
    printer_columns: tuple[Mapping, ...] | None = field(default=None, repr=False, compare=False, hash=False)
    # A custom resource's structural schema for this version (openAPIV3Schema), which prunes its objects.
    openapi_schema: Mapping | None = field(default=None, repr=False, compare=False, hash=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """`deployments.apps`, `pods`: how the API server names the resource in messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def group_kind(self) -> str:
        """`Deployment.apps`, `Pod`: how kubectl prefixes names (`deployment.apps/web`) and Invalid messages."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def storage_key(self) -> tuple[str, str]:
        """Objects of every served version of one group/resource are stored once, under this key."""
        return (self.group, self.plural)

    @property
    def is_custom(self) -> bool:
        return self.schema is None

    def has_subresource(self, name: str) -> bool:
        return name in self.subresources


class NoKindMatch(LookupError):
    """No served resource for a kind/version or a name typed by the user."""


@dataclass
class ResourceTable:
    """Lookups over a set of ResourceTypes; immutable once built (with_crds returns a new table)."""

    types: tuple[ResourceType, ...]
    _by_gvk: dict[tuple[str, str, str], ResourceType] = field(init=False, repr=False)
    _by_name: dict[str, list[ResourceType]] = field(init=False, repr=False)
    _by_gvr: dict[tuple[str, str, str], ResourceType] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_gvk = {}
        self._by_name = {}
        self._by_gvr = {}
        for rt in self.types:
            self._by_gvk.setdefault((rt.group, rt.version, rt.kind), rt)
            self._by_gvr.setdefault((rt.group, rt.version, rt.plural), rt)
            names = {rt.plural, rt.singular or rt.kind.lower(), rt.kind.lower(), *rt.short_names}
            for name in names:
                self._by_name.setdefault(name.lower(), []).append(rt)

    @classmethod
    def builtin(cls) -> "ResourceTable":
        """The built-in kinds' table, made once: a table is never changed (with_* make new ones)."""
        global _BUILTIN
        if _BUILTIN is None:
            from kauth.api.builtin import BUILTIN_TYPES

            _BUILTIN = cls(tuple(BUILTIN_TYPES))
        return _BUILTIN

    def with_crds(self, crds: Iterable[Mapping]) -> "ResourceTable":
        """A table that also serves the kinds of these CustomResourceDefinition objects."""
        extra: list[ResourceType] = []
        for crd in crds:
            extra.extend(types_of_crd(crd))
        if not extra:
            return self
        return ResourceTable(self.types + tuple(extra))

    def for_kind(self, api_version: str, kind: str) -> ResourceType:
        """The type of an object from its apiVersion and kind (how a manifest names it)."""
        group, _, version = api_version.rpartition("/")
        rt = self._by_gvk.get((group, version, kind))
        if rt is None:
            raise NoKindMatch(f'no matches for kind "{kind}" in version "{api_version}"')
        return rt

    def for_resource(self, group: str, version: str, resource: str) -> ResourceType | None:
        """The type a URL names (/apis/GROUP/VERSION/.../RESOURCE), or None when it is not served."""
        return self._by_gvr.get((group, version, resource))

    def resolve(self, name: str) -> ResourceType:
        """The type a user means by `pods`, `po`, `pod`, `Deployment`, `deployments.apps`, `hpa.v1.autoscaling`.

        Like kubectl's RESTMapper: a bare name picks the preferred version of the first group
        that serves it (core first, then the table's order); `resource.group` and
        `resource.version.group` narrow it.
        """
        text = name.strip()
        resource, _, rest = text.partition(".")
        candidates = self._by_name.get(resource.lower(), [])
        if rest:
            version, _, group = rest.partition(".")
            exact_version = [rt for rt in candidates if rt.version == version and rt.group == group]
            candidates = exact_version or [rt for rt in candidates if rt.group == rest]
        if not candidates:
            raise NoKindMatch(f'the server doesn\'t have a resource type "{resource}"')
        return candidates[0]

    def named(self, name: str) -> list[ResourceType]:
        """Every type a name (plural, singular, kind or short name, any case) stands for, in table order."""
        return list(self._by_name.get(name.lower(), []))

    def versions_of(self, rt: ResourceType) -> list[ResourceType]:
        """Every served version of the same group/resource, preferred first."""
        return [t for t in self.types if t.storage_key == rt.storage_key]

    def storage_type(self, rt: ResourceType) -> ResourceType:
        """The served type whose version objects of `rt`'s group/resource are stored in."""
        wanted = rt.storage_version or rt.version
        return next((t for t in self.versions_of(rt) if t.version == wanted), rt)

    def all(self) -> tuple[ResourceType, ...]:
        return self.types

    def preferred(self) -> list[ResourceType]:
        """One type per group/resource (the preferred version), in table order."""
        seen: set[tuple[str, str]] = set()
        out = []
        for rt in self.types:
            if rt.storage_key not in seen:
                seen.add(rt.storage_key)
                out.append(rt)
        return out


def types_of_crd(crd: Mapping) -> list[ResourceType]:
    """The ResourceTypes a CustomResourceDefinition serves, preferred (storage) version first."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    group = spec.get("group", "")
    plural = names.get("plural", "")
    kind = names.get("kind", "")
    if not (group and plural and kind):
        return []
    versions = [v for v in spec.get("versions") or [] if v.get("served", True)]
    storage = next((v["name"] for v in spec.get("versions") or [] if v.get("storage")), "")
    versions.sort(key=lambda v: v.get("name") != storage)
    out = []
    for v in versions:
        subresources = tuple(sorted((v.get("subresources") or {}).keys()))
        out.append(
            ResourceType(
                group=group,
                version=v.get("name", ""),
                kind=kind,
                plural=plural,
                singular=names.get("singular", "") or kind.lower(),
                namespaced=spec.get("scope", "Namespaced") == "Namespaced",
                short_names=tuple(names.get("shortNames") or ()),
                categories=tuple(names.get("categories") or ()),
                subresources=subresources,
                schema=None,
                storage_version=storage or v.get("name", ""),
                printer_columns=tuple(v.get("additionalPrinterColumns") or ()),
                openapi_schema=(v.get("schema") or {}).get("openAPIV3Schema"),
            )
        )
    return out
