"""ResourceQuotaConfiguration: the resources and scopes that may only be consumed under a covering quota.

It arrives as the ResourceQuota entry of an AdmissionConfiguration (`--admission-control-config-file`):

    plugins:
    - name: ResourceQuota
      configuration: {apiVersion: apiserver.config.k8s.io/v1, kind: ResourceQuotaConfiguration,
                      limitedResources: [{resource: pods, matchContains: [requests.cpu]}]}

Upstream: k8s.io/apiserver/pkg/admission/plugin/resourcequota/config.go (LoadConfiguration),
apis/resourcequota/{install,v1,v1beta1,v1alpha1} (the kinds the scheme knows) and apis/resourcequota/validation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from kauth.admission.plugins import AdmissionConfigError
from kauth.admission.quota.scopes import ScopeSelector
from kauth.api import errors

PLUGIN_NAME = "ResourceQuota"
# install.Install: v1 in apiserver.config.k8s.io; v1beta1 and v1alpha1 in the legacy group, kind Configuration.
REGISTERED = frozenset({("apiserver.config.k8s.io/v1", "ResourceQuotaConfiguration"),
                        ("resourcequota.admission.k8s.io/v1beta1", "Configuration"),
                        ("resourcequota.admission.k8s.io/v1alpha1", "Configuration")})
# runtime.NewScheme() names a scheme after the line that made it (config.go's `scheme = runtime.NewScheme()`).
SCHEME = "k8s.io/apiserver/pkg/admission/plugin/resourcequota/config.go:31"


@dataclass(frozen=True)
class LimitedResource:
    """resourcequotaapi.LimitedResource: a resource whose consumption needs a covering quota."""

    api_group: str
    resource: str
    match_contains: tuple[str, ...] = ()
    match_scopes: tuple[ScopeSelector, ...] = ()


@dataclass(frozen=True)
class ResourceQuotaConfiguration:
    limited_resources: tuple[LimitedResource, ...] = ()


DEFAULT_CONFIGURATION = ResourceQuotaConfiguration()


def _init_error(detail: str) -> AdmissionConfigError:
    """The plugin factory failed: InitPlugin's `couldn't init admission plugin %q: %v`."""
    return AdmissionConfigError(f'couldn\'t init admission plugin "{PLUGIN_NAME}": {detail}')


def from_plugin_entry(entry: Mapping[str, Any], base_dir: str | Path = ".") -> ResourceQuotaConfiguration:
    """One `plugins[]` entry: inline `configuration`, else a `path` to a YAML file; neither means the default."""
    if entry.get("configuration") is not None:
        return from_dict(entry["configuration"])
    if entry.get("path"):
        from kauth.api.yaml11 import load_config

        path = Path(base_dir) / str(entry["path"])
        try:
            return from_dict(load_config(path.read_text()))
        except OSError as err:
            raise _init_error(f"open {path}: {err.strerror.lower() if err.strerror else err}") from None
    return DEFAULT_CONFIGURATION


def from_dict(obj: Any) -> ResourceQuotaConfiguration:
    """LoadConfiguration (decode with the plugin's scheme; unknown fields are ignored, as its decoder is not
    strict), then ValidateConfiguration."""
    if not isinstance(obj, Mapping) or not obj.get("kind"):
        # The serializer's NewMissingKindErr quotes the document it was given (JSON, as the entry is embedded).
        raise _init_error(f"Object 'Kind' is missing in '{_go_json(obj)}'")
    api_version, kind = str(obj.get("apiVersion") or ""), str(obj["kind"])
    if (api_version, kind) not in REGISTERED:
        raise _init_error(f'no kind "{kind}" is registered for version "{api_version}" in scheme '
                          f'"{SCHEME}"')
    limited = tuple(_limited_resource(item, i) for i, item in enumerate(_list(obj, "limitedResources",
                                                                             "Configuration", "[]v1.LimitedResource")))
    problems = [errors.required(f"limitedResources[{i}].resource") for i, lr in enumerate(limited) if not lr.resource]
    if problems:
        raise _init_error(errors.aggregate(str(p) for p in problems))
    return ResourceQuotaConfiguration(limited)


def _limited_resource(item: Any, index: int) -> LimitedResource:
    if not isinstance(item, Mapping):
        raise _type_error(item, "Configuration", "limitedResources", "v1.LimitedResource")
    scopes = tuple(_scope_selector(s) for s in _list(item, "matchScopes", "LimitedResource",
                                                     "[]v1.ScopedResourceSelectorRequirement"))
    return LimitedResource(_string(item, "apiGroup", "LimitedResource"), _string(item, "resource", "LimitedResource"),
                           tuple(_strings(item, "matchContains", "LimitedResource")), scopes)


def _scope_selector(item: Any) -> ScopeSelector:
    struct = "ScopedResourceSelectorRequirement"
    if not isinstance(item, Mapping):
        raise _type_error(item, "LimitedResource", "matchScopes", "v1.ScopedResourceSelectorRequirement")
    return ScopeSelector(_string(item, "scopeName", struct, "v1.ResourceQuotaScope"),
                         _string(item, "operator", struct, "v1.ScopeSelectorOperator"),
                         tuple(_strings(item, "values", struct)))


def _list(obj: Mapping, key: str, struct: str, go_type: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _type_error(value, struct, key, go_type)
    return value


def _string(obj: Mapping, key: str, struct: str, go_type: str = "string") -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _type_error(value, struct, key, go_type)
    return value


def _strings(obj: Mapping, key: str, struct: str) -> list[str]:
    values = _list(obj, key, struct, "[]string")
    for value in values:
        if not isinstance(value, str):
            raise _type_error(value, struct, key, "string")
    return values


def _type_error(value: Any, struct: str, field: str, go_type: str) -> AdmissionConfigError:
    """encoding/json's UnmarshalTypeError, as the decoder reports a field of the wrong JSON type."""
    return _init_error(f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{field} "
                       f"of type {go_type}")


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _go_json(value: Any) -> str:
    """The document as yaml.YAMLToJSON hands it over: compact, keys sorted."""
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
