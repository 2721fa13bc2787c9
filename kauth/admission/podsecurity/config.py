"""PodSecurityConfiguration: the cluster's default policy and its exemptions, read and validated as upstream does.

It arrives embedded in an AdmissionConfiguration (`--admission-control-config-file`):

    plugins:
    - name: PodSecurity
      configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, ...}

Upstream: pod-security-admission/admission/api/{v1/defaults.go,load/load.go,validation/validation.go,helpers.go}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from kauth.admission.podsecurity.api import (
    LATEST, PRIVILEGED, LevelVersion, ParseError, Policy, parse_level, parse_version)
from kauth.api import errors
from kauth.api.errors import FieldError
from kauth.api.names import name_is_dns_label, name_is_dns_subdomain

PLUGIN_NAME = "PodSecurity"
GROUP = "pod-security.admission.config.k8s.io"
KIND = "PodSecurityConfiguration"
# v1 is current; v1beta1 and v1alpha1 are still decoded (and default the same way).
API_VERSIONS = (f"{GROUP}/v1", f"{GROUP}/v1beta1", f"{GROUP}/v1alpha1")
_MODES = ("enforce", "warn", "audit")  # the order ValidatePodSecurityConfiguration checks them in


class ConfigError(ValueError):
    """The configuration cannot be used: kube-apiserver would not start. str() is the error it exits with
    (admission.Plugins.InitPlugin wrapping the plugin's); `detail` is the plugin's own part."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


def _decode_error(detail: str) -> ConfigError:
    """newPlugin failed (LoadFromReader): InitPlugin's `couldn't init admission plugin %q: %v`."""
    return ConfigError(f'couldn\'t init admission plugin "{PLUGIN_NAME}": {detail}', detail)


def _invalid(detail: str) -> ConfigError:
    """ValidateInitialization failed: `failed to initialize admission plugin %q: %v` around the plugin's
    `%s invalid: %w` around ValidatePodSecurityConfiguration's aggregate."""
    return ConfigError(f'failed to initialize admission plugin "{PLUGIN_NAME}": {PLUGIN_NAME} invalid: {detail}',
                       detail)


@dataclass(frozen=True)
class Exemptions:
    """Requests exempt from every mode: by the authenticated user name, the pod's runtimeClassName, or the
    namespace. Each is an exact match (no groups, no wildcards)."""

    usernames: tuple[str, ...] = ()
    runtime_classes: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class PodSecurityConfiguration:
    """The defaults applied to namespaces without PodSecurity labels, and the exemptions."""

    defaults: Policy = field(default_factory=Policy)
    exemptions: Exemptions = field(default_factory=Exemptions)


DEFAULT_CONFIGURATION = PodSecurityConfiguration()  # LoadFromData(nil): privileged:latest everywhere, no exemptions


def from_admission_configuration(admission_configuration: Mapping[str, Any],
                                 base_dir: str | Path = ".") -> PodSecurityConfiguration:
    """The PodSecurity entry of an AdmissionConfiguration (`plugins: [{name, configuration | path}]`); the default
    configuration when there is no such entry. A `path` is read relative to `base_dir`."""
    for entry in admission_configuration.get("plugins") or []:
        if isinstance(entry, dict) and entry.get("name") == PLUGIN_NAME:
            return from_plugin_entry(entry, base_dir)
    return DEFAULT_CONFIGURATION


def from_plugin_entry(entry: Mapping[str, Any], base_dir: str | Path = ".") -> PodSecurityConfiguration:
    """One `plugins[]` entry: inline `configuration`, else a `path` to a YAML file; neither means the default."""
    if entry.get("configuration") is not None:
        return from_dict(entry["configuration"])
    if entry.get("path"):
        from kauth.api.yaml11 import load_config

        path = Path(base_dir) / entry["path"]
        try:
            return from_dict(load_config(path.read_text()) or {})
        except OSError as err:
            raise _decode_error(f"open {path}: {err.strerror.lower() if err.strerror else err}") from err
    return DEFAULT_CONFIGURATION


def from_dict(obj: Mapping[str, Any]) -> PodSecurityConfiguration:
    """Decode, default (empty fields become privileged / latest) and validate a PodSecurityConfiguration object."""
    if not isinstance(obj, Mapping):
        raise _decode_error(f"expected {KIND}, got {type(obj).__name__}")
    api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
    if not kind:
        raise _decode_error("Object 'Kind' is missing in configuration")
    if api_version not in API_VERSIONS or kind != KIND:
        # runtime.Decode with the PodSecurity scheme (which registers only these kinds).
        raise _decode_error(f'no kind "{kind}" is registered for version "{api_version}" in scheme '
                          '"k8s.io/pod-security-admission/admission/api/scheme/scheme.go"')
    defaults = _object(obj, "defaults")
    exemptions = _object(obj, "exemptions")
    raw = {mode: _string(defaults, mode) for mode in _MODES}
    raw.update({f"{mode}-version": _string(defaults, f"{mode}-version") for mode in _MODES})
    # SetDefaults_PodSecurityDefaults: an empty level is privileged, an empty version latest.
    for mode in _MODES:
        raw[mode] = raw[mode] or PRIVILEGED
        raw[f"{mode}-version"] = raw[f"{mode}-version"] or str(LATEST)
    usernames = _strings(exemptions, "usernames")
    runtime_classes = _strings(exemptions, "runtimeClasses")
    namespaces = _strings(exemptions, "namespaces")
    found = _validate(raw, usernames, runtime_classes, namespaces)
    if found:
        raise _invalid(errors.aggregate(str(e) for e in found))
    policy = Policy(*(LevelVersion(parse_level(raw[mode]), parse_version(raw[f"{mode}-version"]))
                      for mode in ("enforce", "audit", "warn")))
    return PodSecurityConfiguration(policy, Exemptions(tuple(usernames), tuple(runtime_classes), tuple(namespaces)))


def _validate(raw: dict[str, str], usernames: list[str], runtime_classes: list[str],
              namespaces: list[str]) -> list[FieldError]:
    """ValidatePodSecurityConfiguration, in its order: defaults, then namespaces, runtime classes, user names."""
    found: list[FieldError] = []
    for mode in _MODES:
        for key, parse in ((mode, parse_level), (f"{mode}-version", parse_version)):
            try:
                parse(raw[key])
            except ParseError as err:
                found.append(errors.field_invalid(f"defaults.{key}", raw[key], str(err)))
    found += _validate_names("exemptions.namespaces", namespaces, name_is_dns_label)
    found += _validate_names("exemptions.runtimeClasses", runtime_classes, name_is_dns_subdomain)
    seen: set[str] = set()
    for i, username in enumerate(usernames):
        if username == "":
            found.append(errors.required(f"exemptions.usernames[{i}]"))
        elif username in seen:
            found.append(errors.duplicate(f"exemptions.usernames[{i}]", username))
        else:
            seen.add(username)
    return found


def _validate_names(path: str, names: list[str], rule) -> list[FieldError]:
    found: list[FieldError] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        if messages := rule(name, False):
            found.append(errors.field_invalid(f"{path}[{i}]", name, ", ".join(messages)))
        elif name in seen:
            found.append(errors.duplicate(f"{path}[{i}]", name))
        else:
            seen.add(name)
    return found


def _object(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _decode_error(f"{KIND}.{key}: expected an object, got {type(value).__name__}")
    return value


def _string(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _decode_error(f"{KIND}.defaults.{key}: expected a string, got {type(value).__name__}")
    return value


def _strings(obj: Mapping[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _decode_error(f"{KIND}.exemptions.{key}: expected a list of strings")
    return list(value)
