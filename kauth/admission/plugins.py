"""Which admission plugins run, in which order, configured as kube-apiserver is: the admission flags
(`--enable-admission-plugins`, `--disable-admission-plugins`, `--admission-control-config-file`) and an
AdmissionConfiguration (apiserver.config.k8s.io/v1) giving plugins their configuration.

Upstream: pkg/kubeapiserver/options/plugins.go (AllOrderedPlugins: the one order every enabled plugin runs
in, mutating phase first, then validating; DefaultOffAdmissionPlugins) and pkg/kubeapiserver/options/
admission.go (the flag checks and their messages). Plugins kauth does not simulate keep their place in the
order and show in the trace as not simulated, so a configuration written for a real cluster still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from kauth.admission.chain import Attributes, Chain, StateView, Verdict

# AllOrderedPlugins of kube-apiserver v1.37 (pkg/kubeapiserver/options/plugins.go).
ORDER = (
    "AlwaysAdmit", "NamespaceAutoProvision", "NamespaceLifecycle", "NamespaceExists",
    "LimitPodHardAntiAffinityTopology", "LimitRanger", "ServiceAccount", "NodeRestriction", "TaintNodesByCondition",
    "AlwaysPullImages", "ImagePolicyWebhook", "PodSecurity", "PodNodeSelector", "Priority",
    "DefaultTolerationSeconds", "PodTolerationRestriction", "EventRateLimit", "ExtendedResourceToleration",
    "DefaultStorageClass", "StorageObjectInUseProtection", "OwnerReferencesPermissionEnforcement",
    "PersistentVolumeClaimResize", "RuntimeClass", "CertificateApproval", "CertificateSigning",
    "ClusterTrustBundleAttest", "CertificateSubjectRestriction", "DefaultIngressClass", "DenyServiceExternalIPs",
    "PodTopologyLabels", "MutatingAdmissionPolicy",
    # webhooks, ResourceQuota and AlwaysDeny go last
    "MutatingAdmissionWebhook", "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
    "AlwaysDeny",
)

# Every plugin but these is on unless disabled (DefaultOffAdmissionPlugins).
DEFAULT_OFF = frozenset({
    "AlwaysAdmit", "AlwaysDeny", "AlwaysPullImages", "DenyServiceExternalIPs", "EventRateLimit",
    "ExtendedResourceToleration", "ImagePolicyWebhook", "LimitPodHardAntiAffinityTopology",
    "NamespaceAutoProvision", "NamespaceExists", "NodeRestriction", "OwnerReferencesPermissionEnforcement",
    "PodNodeSelector", "PodTolerationRestriction",
})

MUTATING, VALIDATING = "mutating", "validating"
BOTH = (MUTATING, VALIDATING)

# The phases of the plugins kauth does not simulate (which of admission.MutationInterface and
# ValidationInterface each implements upstream), so the trace shows them where a real server runs them.
_UNSIMULATED_PHASES: dict[str, tuple[str, ...]] = {
    "AlwaysAdmit": BOTH, "AlwaysDeny": BOTH, "NamespaceAutoProvision": (MUTATING,), "NamespaceExists": (VALIDATING,),
    "LimitPodHardAntiAffinityTopology": (VALIDATING,), "NodeRestriction": (VALIDATING,),
    "ImagePolicyWebhook": (VALIDATING,), "PodNodeSelector": BOTH, "PodTolerationRestriction": BOTH,
    "EventRateLimit": (VALIDATING,), "ExtendedResourceToleration": (MUTATING,),
    "OwnerReferencesPermissionEnforcement": (VALIDATING,),
}


class AdmissionConfigError(ValueError):
    """The admission configuration is refused, as kube-apiserver refuses to start with it."""


@dataclass(frozen=True)
class Context:
    """What plugins are built with: the authorizer (ValidatingAdmissionPolicy's `authorizer`, the certificate
    plugins), the directory relative paths are read from, and each plugin's AdmissionConfiguration entry."""

    authorizer: Any = None
    base_dir: Path = Path(".")
    entries: Mapping[str, Mapping] = field(default_factory=dict)


@dataclass(frozen=True)
class PluginSpec:
    """A plugin kauth simulates: how to build it and which phases it takes part in."""

    build: Callable[[Context], Any]
    phases: tuple[str, ...]


def _lazy(module: str, name: str, *, with_config: bool = False, with_authorizer: bool = False):
    def build(context: Context) -> Any:
        import importlib

        cls = getattr(importlib.import_module(module), name)
        if with_config:
            entry = context.entries.get(cls.name)
            return cls.from_plugin_entry(entry, context.base_dir) if entry else cls()
        return cls(authorizer=context.authorizer) if with_authorizer else cls()
    return build


SIMULATED: dict[str, PluginSpec] = {
    "NamespaceLifecycle": PluginSpec(_lazy("kauth.admission.namespace_lifecycle", "NamespaceLifecycle"),
                                     (MUTATING,)),
    "LimitRanger": PluginSpec(_lazy("kauth.admission.limitranger", "LimitRanger"), BOTH),
    "ServiceAccount": PluginSpec(_lazy("kauth.admission.serviceaccount", "ServiceAccount"), BOTH),
    "AlwaysPullImages": PluginSpec(_lazy("kauth.admission.always_pull_images", "AlwaysPullImages"), BOTH),
    "PodSecurity": PluginSpec(_lazy("kauth.admission.podsecurity", "PodSecurity", with_config=True), (VALIDATING,)),
    "DefaultStorageClass": PluginSpec(_lazy("kauth.admission.default_storage_class", "DefaultStorageClass"),
                                      (MUTATING,)),
    "DefaultIngressClass": PluginSpec(_lazy("kauth.admission.default_ingress_class", "DefaultIngressClass"),
                                      (MUTATING,)),
    "DenyServiceExternalIPs": PluginSpec(_lazy("kauth.admission.deny_external_ips", "DenyServiceExternalIPs"),
                                         (VALIDATING,)),
    "ValidatingAdmissionPolicy": PluginSpec(
        _lazy("kauth.admission.validatingpolicy", "ValidatingAdmissionPolicy", with_authorizer=True), (VALIDATING,)),
    "ResourceQuota": PluginSpec(_lazy("kauth.admission.resourcequota", "ResourceQuota", with_config=True),
                                (VALIDATING,)),
    "TaintNodesByCondition": PluginSpec(_lazy("kauth.admission.taint_nodes_by_condition", "TaintNodesByCondition"),
                                        (MUTATING,)),
    "Priority": PluginSpec(_lazy("kauth.admission.priority", "Priority"), BOTH),
    "DefaultTolerationSeconds": PluginSpec(
        _lazy("kauth.admission.default_toleration_seconds", "DefaultTolerationSeconds"), (MUTATING,)),
    "StorageObjectInUseProtection": PluginSpec(
        _lazy("kauth.admission.storage_object_in_use_protection", "StorageObjectInUseProtection"), (MUTATING,)),
    "PersistentVolumeClaimResize": PluginSpec(
        _lazy("kauth.admission.persistent_volume_claim_resize", "PersistentVolumeClaimResize"), (VALIDATING,)),
    "RuntimeClass": PluginSpec(_lazy("kauth.admission.runtimeclass", "RuntimeClass"), BOTH),
    "CertificateApproval": PluginSpec(
        _lazy("kauth.admission.certificate_approval", "CertificateApproval", with_authorizer=True), (VALIDATING,)),
    "CertificateSigning": PluginSpec(
        _lazy("kauth.admission.certificate_signing", "CertificateSigning", with_authorizer=True), (VALIDATING,)),
    "ClusterTrustBundleAttest": PluginSpec(
        _lazy("kauth.admission.cluster_trust_bundle_attest", "ClusterTrustBundleAttest", with_authorizer=True),
        (VALIDATING,)),
    "CertificateSubjectRestriction": PluginSpec(
        _lazy("kauth.admission.certificate_subject_restriction", "CertificateSubjectRestriction"), (VALIDATING,)),
    "PodTopologyLabels": PluginSpec(_lazy("kauth.admission.pod_topology_labels", "PodTopologyLabels"), (MUTATING,)),
    "MutatingAdmissionPolicy": PluginSpec(
        _lazy("kauth.admission.mutatingpolicy", "MutatingAdmissionPolicy", with_authorizer=True), (MUTATING,)),
    "MutatingAdmissionWebhook": PluginSpec(
        _lazy("kauth.admission.webhook", "MutatingAdmissionWebhook", with_authorizer=True), (MUTATING,)),
    "ValidatingAdmissionWebhook": PluginSpec(
        _lazy("kauth.admission.webhook", "ValidatingAdmissionWebhook", with_authorizer=True), (VALIDATING,)),
}
assert set(SIMULATED) | set(_UNSIMULATED_PHASES) == set(ORDER) and not set(SIMULATED) & set(_UNSIMULATED_PHASES)


@dataclass(frozen=True)
class NotSimulated:
    """A plugin of kube-apiserver's that kauth does not simulate: it keeps its place and says so in the trace."""

    name: str
    simulated = False

    def handles(self, attributes: Attributes) -> bool:
        return True

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        return Verdict(attributes.object, "not simulated by kauth: a real cluster would run it here")

    validate = admit


@dataclass(frozen=True)
class AdmissionOptions:
    """kube-apiserver's admission flags; `configuration` is the AdmissionConfiguration document."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    configuration: Mapping | None = None
    base_dir: Path = Path(".")

    def enabled(self) -> list[str]:
        """The plugins that run, in upstream's order (the flags' own order does not matter)."""
        on = (set(ORDER) - DEFAULT_OFF | set(self.enable)) - set(self.disable)
        return [name for name in ORDER if name in on]


def validate_options(options: AdmissionOptions) -> None:
    """AdmissionOptions.Validate's checks (pkg/kubeapiserver/options/admission.go)."""
    problems = [f'enable-admission-plugins plugin "{n}" is unknown' for n in options.enable if n not in ORDER]
    problems += [f'disable-admission-plugins plugin "{n}" is unknown' for n in options.disable if n not in ORDER]
    both = sorted(set(options.enable) & set(options.disable))
    if both:
        problems.append(f"[{' '.join(both)}] in enable-admission-plugins and disable-admission-plugins overlapped")
    if problems:
        raise AdmissionConfigError("; ".join(problems))


def plugin_entries(configuration: Mapping | None) -> dict[str, Mapping]:
    """The AdmissionConfiguration's `plugins` by name."""
    if not configuration:
        return {}
    if configuration.get("kind") != "AdmissionConfiguration":
        raise AdmissionConfigError(f"admission-control-config-file: kind {configuration.get('kind')!r} is not "
                                   "AdmissionConfiguration")
    plugins = configuration.get("plugins") or []
    if not isinstance(plugins, list) or not all(isinstance(p, Mapping) and p.get("name") for p in plugins):
        raise AdmissionConfigError("admission-control-config-file: plugins must be a list of {name, configuration "
                                   "or path}")
    return {p["name"]: p for p in plugins}


def build_chain(options: AdmissionOptions = AdmissionOptions(), *, authorizer: Any = None) -> Chain:
    """The chain kube-apiserver would run with these flags: every enabled plugin in upstream's order, mutating
    phase first, then validating."""
    validate_options(options)
    context = Context(authorizer, options.base_dir, plugin_entries(options.configuration))
    mutating: list = []
    validating: list = []
    for name in options.enabled():
        spec = SIMULATED.get(name)
        if spec is None:
            plugin, phases = NotSimulated(name), _UNSIMULATED_PHASES[name]
        else:
            plugin, phases = spec.build(context), spec.phases
        if MUTATING in phases:
            mutating.append(plugin)
        if VALIDATING in phases:
            validating.append(plugin)
    return Chain(mutating=mutating, validating=validating)


def read_options(policies: Path | None) -> AdmissionOptions:
    """`<policies>/admission.yaml`: the admission flags by their own names (defaults without the file)."""
    if policies is None or not (policies / "admission.yaml").is_file():
        return AdmissionOptions()
    import yaml

    from kauth.api.yaml11 import load_config

    def read(path: Path) -> Any:
        try:
            return load_config(path.read_text())
        except (OSError, yaml.YAMLError) as err:
            raise AdmissionConfigError(f"{path}: {getattr(err, 'strerror', None) or err}") from None

    flags = read(policies / "admission.yaml") or {}
    if not isinstance(flags, Mapping):
        raise AdmissionConfigError(f"{policies / 'admission.yaml'}: expected a mapping of kube-apiserver flags")
    configuration = None
    config_file = flags.get("admission-control-config-file")
    if config_file:
        configuration = read(policies / str(config_file))
    return AdmissionOptions(_names(flags.get("enable-admission-plugins")), _names(flags.get("disable-admission-plugins")),
                            configuration, policies)


def _names(value: Any) -> tuple[str, ...]:
    """A flag's plugin names: a YAML list or the flag's own comma-separated string."""
    if value is None:
        return ()
    items: Sequence = value.split(",") if isinstance(value, str) else value
    return tuple(str(item).strip() for item in items if str(item).strip())
