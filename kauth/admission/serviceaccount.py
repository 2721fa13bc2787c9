"""ServiceAccount: every pod runs as a ServiceAccount that exists, and gets its API credentials mounted.

Upstream: plugin/pkg/admission/serviceaccount/admission.go (v1.37). The plugin is both mutating and
validating:

- Admit (pod CREATE only): default `spec.serviceAccountName` to `default`; reject the pod when that
  ServiceAccount does not exist; unless automounting is off (the pod's `automountServiceAccountToken`,
  else the ServiceAccount's), add the projected `kube-api-access-<5 random chars>` volume and mount it
  read-only at /var/run/secrets/kubernetes.io/serviceaccount in every init container and container
  (ephemeral containers are never given it) that does not already mount something there; copy the
  ServiceAccount's imagePullSecrets when the pod has none. Then it runs Validate.
- Validate: on pod CREATE, mirror pods (kubelet's copies of static pods) may reference neither a
  ServiceAccount nor a Secret nor a token projection; other pods must name an existing ServiceAccount
  and, when that account carries `kubernetes.io/enforce-mountable-secrets: "true"`, may only use the
  Secrets it lists. On UPDATE of the `ephemeralcontainers` subresource, the ephemeral containers'
  secret references are checked the same way (CVE-2023-2728, CVE-2024-3177). Other updates pass:
  `spec.serviceAccountName` is immutable, which is validation's business, not admission's.

Objects are plain dicts that have not been validated yet, so every field read here tolerates the
wrong type: a field of the wrong shape counts as absent, and validation rejects it afterwards.
"""

from __future__ import annotations

import copy
import random
from dataclasses import replace
from typing import Any, Iterator

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict, pod_request
from kauth.api import errors
from kauth.admission.chain import forbidden as _forbidden

DEFAULT_SERVICE_ACCOUNT_NAME = "default"
ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = "kubernetes.io/enforce-mountable-secrets"
SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access"
DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
# serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds, so the API server can
# tell tokens of this volume apart (it only warns when they are used after their expiry).
TOKEN_EXPIRATION_SECONDS = 3607
# corev1.ProjectedVolumeSourceDefaultMode (0644), set explicitly by upstream (kubernetes#104464).
PROJECTED_DEFAULT_MODE = 420
# k8s.io/apimachinery/pkg/util/rand: the alphabet of SimpleNameGenerator's 5-character suffixes
# (no vowels, no confusable characters). The same alphabet as generateName in kauth/apiserver/registry.py.
NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
NAME_SUFFIX_LENGTH = 5
EPHEMERAL_CONTAINERS = "ephemeralcontainers"


def token_volume_source() -> dict:
    """TokenVolumeSource: the projected source of a kube-api-access volume, as the pod stores it."""
    return {
        "defaultMode": PROJECTED_DEFAULT_MODE,
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [
                {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
        ],
    }


class ServiceAccount:
    """The ServiceAccount admission plugin (mutating and validating).

    `random_source` draws the volume name's suffix (anything with `choice`, e.g. `random.Random(0)`),
    so tests can make it deterministic. `limit_secret_references` enforces mountable secrets for every
    ServiceAccount, as if each carried the annotation (upstream's LimitSecretReferences, off by
    default); `mount_service_account_token` is upstream's MountServiceAccountToken (on by default).
    """

    name = "ServiceAccount"

    def __init__(self, random_source: Any = None, *, limit_secret_references: bool = False,
                 mount_service_account_token: bool = True) -> None:
        self._random = random_source if random_source is not None else random.Random()
        self.limit_secret_references = limit_secret_references
        self.mount_service_account_token = mount_service_account_token

    def handles(self, attributes: Attributes) -> bool:
        # Upstream's Handler takes CREATE and UPDATE; shouldIgnore then drops everything that is not a
        # pod, or a pod subresource other than ephemeralcontainers.
        return pod_request(attributes, (CREATE, UPDATE), ("", EPHEMERAL_CONTAINERS))

    # --- mutating half ---------------------------------------------------------------------------

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to do")
        if attributes.operation != CREATE:
            return Verdict(pod, "only pod creation is mutated")
        if _is_mirror_pod(pod):
            # kubelet deletes a mirror pod whose spec differs from its static pod: never modify one.
            self.validate(attributes, state)
            return Verdict(pod, "mirror pod: left unchanged, and it references no service account or secret")
        pod = copy.deepcopy(pod)
        spec = pod.get("spec")
        if not isinstance(spec, dict):
            if spec is not None:
                return Verdict(attributes.object, "spec is not an object: left to validation")
            spec = pod["spec"] = {}
        notes = []
        if not _str(spec.get("serviceAccountName")):
            spec["serviceAccountName"] = DEFAULT_SERVICE_ACCOUNT_NAME
            notes.append('set serviceAccountName to "default"')
        account_name = spec["serviceAccountName"]
        account = self._service_account(attributes, state, account_name)
        if self.mount_service_account_token and _should_automount(account, spec):
            volume_name = self._mount_service_account_token(spec)
            if volume_name:
                notes.append(f"mounted the projected volume {volume_name} at {DEFAULT_API_TOKEN_MOUNT_PATH}")
        elif self.mount_service_account_token:
            notes.append("automountServiceAccountToken is false: no token mounted")
        if not _list(spec.get("imagePullSecrets")):
            pull_secrets = [{"name": _str(ref.get("name"))} for ref in _list(account.get("imagePullSecrets"))
                            if isinstance(ref, dict)]
            if pull_secrets:
                spec["imagePullSecrets"] = pull_secrets
                notes.append(f"copied imagePullSecrets from ServiceAccount {account_name!r}")
        validated = self.validate(replace(attributes, object=pod), state)
        changed = pod != attributes.object
        summary = "; ".join(notes) if notes else "nothing to add"
        return Verdict(pod, f'pod runs as ServiceAccount "{account_name}": {summary}. {validated.message}',
                       changed=changed)

    def _mount_service_account_token(self, spec: dict) -> str:
        """Mount the kube-api-access volume in every (init) container lacking the path; return its name."""
        volumes = spec.get("volumes")
        token_volume = next((_str(v.get("name")) for v in _list(volumes) if isinstance(v, dict)
                             and _str(v.get("name")).startswith(SERVICE_ACCOUNT_VOLUME_NAME + "-")), "")
        has_token_volume = bool(token_volume)
        if not token_volume:
            token_volume = self._generate_name(SERVICE_ACCOUNT_VOLUME_NAME + "-")
        needs_token_volume = False
        for field in ("initContainers", "containers"):  # never ephemeralContainers
            for container in _list(spec.get(field)):
                if not isinstance(container, dict):
                    continue
                mounts = container.get("volumeMounts")
                if mounts is not None and not isinstance(mounts, list):
                    continue  # a malformed container is validation's to reject
                if any(isinstance(m, dict) and m.get("mountPath") == DEFAULT_API_TOKEN_MOUNT_PATH
                       for m in mounts or ()):
                    continue  # an existing mount at the path wins over the token
                container["volumeMounts"] = [*(mounts or ()), {
                    "name": token_volume, "readOnly": True, "mountPath": DEFAULT_API_TOKEN_MOUNT_PATH}]
                needs_token_volume = True
        if not needs_token_volume:
            return ""
        if not has_token_volume and (volumes is None or isinstance(volumes, list)):
            spec["volumes"] = [*(volumes or ()), {"name": token_volume, "projected": token_volume_source()}]
        return token_volume

    def _generate_name(self, prefix: str) -> str:
        """names.SimpleNameGenerator.GenerateName: the prefix and 5 random characters."""
        return prefix + "".join(self._random.choice(NAME_SUFFIX_ALPHABET) for _ in range(NAME_SUFFIX_LENGTH))

    # --- validating half -------------------------------------------------------------------------

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if not isinstance(pod, dict):
            return Verdict(pod, "no pod in the request: nothing to check")
        spec = _dict(pod.get("spec"))
        if attributes.operation == UPDATE and attributes.subresource == EPHEMERAL_CONTAINERS:
            return self._limit_ephemeral_container_secret_references(attributes, state, pod, spec)
        if attributes.operation != CREATE:
            return Verdict(pod, "pod specs are only checked on create")
        if _is_mirror_pod(pod):
            if _str(spec.get("serviceAccountName")):
                raise _forbidden(attributes, "a mirror pod may not reference service accounts")
            if next(_pod_secret_names(spec), None) is not None:
                raise _forbidden(attributes, "a mirror pod may not reference secrets")
            for volume in _list(spec.get("volumes")):
                projected = _dict(_dict(volume).get("projected"))
                if any(_dict(source).get("serviceAccountToken") is not None
                       for source in _list(projected.get("sources"))):
                    raise _forbidden(attributes, "a mirror pod may not use ServiceAccountToken volume projections")
            return Verdict(pod, "mirror pod references no service account, secret or token projection")
        account_name = _str(spec.get("serviceAccountName"))
        if not account_name:
            raise _forbidden(attributes, f"no service account specified for pod {attributes.namespace}/"
                                         f"{_str(_dict(pod.get('metadata')).get('name'))}")
        account = self._service_account(attributes, state, account_name)
        if self._enforce_mountable_secrets(account):
            problem = _limit_secret_references(account, spec)
            if problem:
                raise _forbidden(attributes, problem)
            return Verdict(pod, f'ServiceAccount "{account_name}" exists and lists every secret the pod uses')
        return Verdict(pod, f'ServiceAccount "{account_name}" exists')

    def _limit_ephemeral_container_secret_references(self, attributes: Attributes, state: StateView,
                                                     pod: dict, spec: dict) -> Verdict:
        account_name = _str(spec.get("serviceAccountName"))
        if not account_name:
            raise _forbidden(attributes, f"no service account specified for pod {attributes.namespace}/"
                                         f"{_str(_dict(pod.get('metadata')).get('name'))}")
        account = self._service_account(attributes, state, account_name)
        if not self._enforce_mountable_secrets(account):
            return Verdict(pod, f'ServiceAccount "{account_name}" does not restrict mountable secrets')
        mountable = _mountable_secrets(account)
        for container in _list(spec.get("ephemeralContainers")):
            problem = _container_secret_problem(_dict(container), mountable, "ephemeral container", account_name)
            if problem:
                # Upstream returns this one as a plain error, not admission.NewForbidden: the API server
                # answers 500 with no reason.
                raise errors.plain_error(problem)
        return Verdict(pod, f'ServiceAccount "{account_name}" lists every secret the ephemeral containers use')

    # --- shared ----------------------------------------------------------------------------------

    def _service_account(self, attributes: Attributes, state: StateView, account_name: str) -> dict:
        account = state.get("", "serviceaccounts", attributes.namespace, account_name)
        if not isinstance(account, dict):
            # getServiceAccount's own NotFound names the resource "serviceaccount" (singular).
            missing = errors.not_found("", "serviceaccount", account_name).message
            raise _forbidden(attributes, f"error looking up service account {attributes.namespace}/{account_name}: "
                                         f"{missing}")
        return account

    def _enforce_mountable_secrets(self, account: dict) -> bool:
        if self.limit_secret_references:
            return True
        annotations = _dict(_dict(account.get("metadata")).get("annotations"))
        return _parse_bool(annotations.get(ENFORCE_MOUNTABLE_SECRETS_ANNOTATION))


def _limit_secret_references(account: dict, spec: dict) -> str:
    """limitSecretReferences: the first secret reference the ServiceAccount does not list, as a message."""
    account_name = _str(_dict(account.get("metadata")).get("name"))
    mountable = _mountable_secrets(account)
    # Only plain secret volumes are checked upstream; projected secret sources are not.
    for volume in _list(spec.get("volumes")):
        secret = _dict(volume).get("secret")
        if not isinstance(secret, dict):
            continue
        secret_name = _str(secret.get("secretName"))
        if secret_name not in mountable:
            return (f'volume with secret.secretName="{secret_name}" is not allowed because service account '
                    f"{account_name} does not reference that secret")
    for field, kind in (("initContainers", "init container"), ("containers", "container")):
        for container in _list(spec.get(field)):
            problem = _container_secret_problem(_dict(container), mountable, kind, account_name)
            if problem:
                return problem
    pull_secrets = {_str(_dict(ref).get("name")) for ref in _list(account.get("imagePullSecrets"))}
    for i, ref in enumerate(_list(spec.get("imagePullSecrets"))):
        name = _str(_dict(ref).get("name"))
        if name not in pull_secrets:
            return (f'imagePullSecrets[{i}].name="{name}" is not allowed because service account {account_name} '
                    "does not reference that imagePullSecret")
    return ""


def _container_secret_problem(container: dict, mountable: set[str], kind: str, account_name: str) -> str:
    """The env (then envFrom) secret reference of one container that the ServiceAccount does not list."""
    name = _str(container.get("name"))
    for env in _list(container.get("env")):
        env = _dict(env)
        ref = _dict(env.get("valueFrom")).get("secretKeyRef")
        if isinstance(ref, dict) and _str(ref.get("name")) not in mountable:
            return (f'{kind} {name} with envVar {_str(env.get("name"))} referencing '
                    f'secret.secretName="{_str(ref.get("name"))}" is not allowed because service account '
                    f"{account_name} does not reference that secret")
    for env_from in _list(container.get("envFrom")):
        ref = _dict(env_from).get("secretRef")
        if isinstance(ref, dict) and _str(ref.get("name")) not in mountable:
            return (f'{kind} {name} with envFrom referencing secret.secretName="{_str(ref.get("name"))}" is not '
                    f"allowed because service account {account_name} does not reference that secret")
    return ""


def _mountable_secrets(account: dict) -> set[str]:
    return {_str(_dict(ref).get("name")) for ref in _list(account.get("secrets"))}


# Volume sources that name a secret, in the order of podutil.VisitPodSecretNames' switch: only the first
# source present counts, as a Go volume has exactly one.
_VOLUME_SECRET_REFS: tuple[tuple[str, str, str], ...] = (
    ("azureFile", "secretName", ""), ("cephfs", "secretRef", "name"), ("cinder", "secretRef", "name"),
    ("flexVolume", "secretRef", "name"), ("projected", "", ""), ("rbd", "secretRef", "name"),
    ("secret", "secretName", ""), ("scaleIO", "secretRef", "name"), ("iscsi", "secretRef", "name"),
    ("storageos", "secretRef", "name"), ("csi", "nodePublishSecretRef", "name"),
)


def _pod_secret_names(spec: dict) -> Iterator[str]:
    """podutil.VisitPodSecretNames over all containers: every non-empty secret name the pod spec uses."""
    for ref in _list(spec.get("imagePullSecrets")):
        yield from _nonempty(_dict(ref).get("name"))
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for container in _list(spec.get(field)):
            container = _dict(container)
            for env_from in _list(container.get("envFrom")):
                ref = _dict(env_from).get("secretRef")
                if isinstance(ref, dict):
                    yield from _nonempty(ref.get("name"))
            for env in _list(container.get("env")):
                ref = _dict(_dict(env).get("valueFrom")).get("secretKeyRef")
                if isinstance(ref, dict):
                    yield from _nonempty(ref.get("name"))
    for volume in _list(spec.get("volumes")):
        volume = _dict(volume)
        for source_key, ref_key, name_key in _VOLUME_SECRET_REFS:
            source = volume.get(source_key)
            if not isinstance(source, dict):
                continue
            if source_key == "projected":
                for projection in _list(source.get("sources")):
                    secret = _dict(projection).get("secret")
                    if isinstance(secret, dict):
                        yield from _nonempty(secret.get("name"))
            elif name_key:
                ref = source.get(ref_key)
                if isinstance(ref, dict):
                    yield from _nonempty(ref.get(name_key))
            else:
                yield from _nonempty(source.get(ref_key))
            break


def _should_automount(account: dict, spec: dict) -> bool:
    """The pod's preference wins, then the ServiceAccount's; true when neither says."""
    for preference in (spec.get("automountServiceAccountToken"), account.get("automountServiceAccountToken")):
        if isinstance(preference, bool):
            return preference
    return True


def _is_mirror_pod(pod: dict) -> bool:
    return MIRROR_POD_ANNOTATION in _dict(_dict(pod.get("metadata")).get("annotations"))


def _parse_bool(value: Any) -> bool:
    """strconv.ParseBool, with an unparsable value meaning false."""
    return value in ("1", "t", "T", "TRUE", "true", "True")


def _nonempty(value: Any) -> Iterator[str]:
    text = _str(value)
    if text:
        yield text


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
