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
from kauth.api.json_syntax import json_kind

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
            text = path.read_text()
        except OSError as err:
            raise _init_error(f"open {path}: {err.strerror.lower() if err.strerror else err}") from None
        return from_dict(load_config(text), document=text)
    return DEFAULT_CONFIGURATION


def from_dict(obj: Any, document: str | None = None) -> ResourceQuotaConfiguration:
    """LoadConfiguration (decode with the plugin's scheme; unknown fields are ignored, as its decoder is not
    strict), then ValidateConfiguration. `document` is the file's text, when it came from one."""
    if not isinstance(obj, Mapping) or not obj.get("kind"):
        # NewMissingKindErr quotes the bytes it was given: a file's text, or an inline entry as JSON.
        raise _init_error(f"Object 'Kind' is missing in '{_go_json(obj) if document is None else document}'")
    api_version, kind = str(obj.get("apiVersion") or ""), str(obj["kind"])
    if (api_version, kind) not in REGISTERED:
        raise _init_error(f'no kind "{kind}" is registered for version "{api_version}" in scheme "{SCHEME}"')
    # The external type decoded into lives in a package named after the version (v1, v1beta1, v1alpha1).
    package = api_version.rpartition("/")[2]
    items = _list(obj, "limitedResources", ("Configuration", []), f"[]{package}.LimitedResource")
    limited = tuple(_limited_resource(item, package) for item in items)
    problems = [errors.required(f"limitedResources[{i}].resource") for i, lr in enumerate(limited) if not lr.resource]
    if problems:
        raise _init_error(errors.aggregate(str(p) for p in problems))
    return ResourceQuotaConfiguration(limited)


# Where the decoder is, as encoding/json reports it: the innermost struct and the JSON field path from the root.
_Context = tuple[str, list[str]]


def _limited_resource(item: Any, package: str) -> LimitedResource:
    if not isinstance(item, Mapping):
        raise _type_error(item, ("Configuration", ["limitedResources"]), f"{package}.LimitedResource")
    here = ("LimitedResource", ["limitedResources"])
    scopes = _list(item, "matchScopes", here, "[]v1.ScopedResourceSelectorRequirement")
    return LimitedResource(_string(item, "apiGroup", here), _string(item, "resource", here),
                           tuple(_strings(item, "matchContains", here)),
                           tuple(_scope_selector(scope) for scope in scopes))


def _scope_selector(item: Any) -> ScopeSelector:
    if not isinstance(item, Mapping):
        raise _type_error(item, ("LimitedResource", ["limitedResources", "matchScopes"]),
                          "v1.ScopedResourceSelectorRequirement")
    here = ("ScopedResourceSelectorRequirement", ["limitedResources", "matchScopes"])
    return ScopeSelector(_string(item, "scopeName", here, "v1.ResourceQuotaScope"),
                         _string(item, "operator", here, "v1.ScopeSelectorOperator"),
                         tuple(_strings(item, "values", here)))


def _field(context: _Context, key: str) -> _Context:
    struct, path = context
    return struct, path + [key]


def _list(obj: Mapping, key: str, context: _Context, go_type: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _type_error(value, _field(context, key), go_type)
    return value


def _string(obj: Mapping, key: str, context: _Context, go_type: str = "string") -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _type_error(value, _field(context, key), go_type)
    return value


def _strings(obj: Mapping, key: str, context: _Context) -> list[str]:
    values = _list(obj, key, context, "[]string")
    for value in values:
        if not isinstance(value, str):
            raise _type_error(value, _field(context, key), "string")
    return values


def _type_error(value: Any, context: _Context, go_type: str) -> AdmissionConfigError:
    """encoding/json's UnmarshalTypeError (`Go struct field <Struct>.<field path>`), as the decoder reports a
    field of the wrong JSON type."""
    struct, path = context
    return _init_error(f"json: cannot unmarshal {json_kind(value)} into Go struct field {struct}.{'.'.join(path)} "
                       f"of type {go_type}")


def _go_json(value: Any) -> str:
    """The document as yaml.YAMLToJSON hands it over: compact, keys sorted."""
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
