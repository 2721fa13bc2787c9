"""The ServiceAccount admission plugin, as plugin/pkg/admission/serviceaccount/admission.go (v1.37) behaves.

Test names in comments are upstream's admission_test.go; messages are the format strings of admission.go.
"""

from __future__ import annotations

import copy
import random

import pytest

from kauth.admission.chain import CONNECT, CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.admission.serviceaccount import DEFAULT_API_TOKEN_MOUNT_PATH, ServiceAccount
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
USER = UserInfo("alice")
NS = "myns"
MOUNT = {"name": "kube-api-access-bbbbb", "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
TOKEN_VOLUME = {
    "name": "kube-api-access-bbbbb",
    "projected": {
        "defaultMode": 420,
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [
                {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
        ],
    },
}


class FirstChoice:
    """A random source that always picks the alphabet's first character: suffixes are "bbbbb"."""

    def choice(self, seq):
        return seq[0]


class State:
    """An in-memory StateView over a list of objects."""

    def __init__(self, *objects: dict) -> None:
        self.objects = list(objects)

    def get(self, group, resource, namespace, name):
        return next((o for o in self.list(group, resource, namespace) if o["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        kinds = {("", "serviceaccounts"): "ServiceAccount"}
        return [o for o in self.objects if o["kind"] == kinds.get((group, resource))
                and (namespace is None or o["metadata"].get("namespace") == namespace)]


def account(name: str = "default", **fields) -> dict:
    annotations = fields.pop("annotations", None)
    meta = {"name": name, "namespace": NS}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta, **fields}


def pod(spec: dict | None = None, annotations: dict | None = None, name: str = "myname") -> dict:
    meta = {"name": name, "namespace": NS}
    if annotations is not None:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [{"name": "c", "image": "nginx"}]} if spec is None else spec}


def attrs(obj, operation: str = CREATE, old=None, subresource: str = "", rt=PODS, name: str = "myname") -> Attributes:
    return Attributes(operation, rt, NS, name, obj, old, USER, subresource)


def admit(obj, state=None, plugin=None, **kw):
    plugin = plugin or ServiceAccount(FirstChoice())
    return plugin.admit(attrs(obj, **kw), state if state is not None else State(account()))


def rejection(call) -> StatusError:
    with pytest.raises(StatusError) as info:
        call()
    return info.value


ENFORCED = {"kubernetes.io/enforce-mountable-secrets": "true"}

# --- which requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", [DELETE, CONNECT])
def test_does_not_handle_delete_or_connect(operation):
    # TestIgnoresNonCreate
    assert not ServiceAccount().handles(attrs(pod(), operation))


def test_handles_pod_create_and_update():
    plugin = ServiceAccount()
    assert plugin.handles(attrs(pod(), CREATE)) and plugin.handles(attrs(pod(), UPDATE, old=pod()))


def test_does_not_handle_other_resources():
    # TestIgnoresNonPodResource
    assert not ServiceAccount().handles(attrs(pod(), rt=TABLE.for_resource("", "v1", "configmaps")))


def test_handles_the_ephemeralcontainers_subresource_but_no_other():
    plugin = ServiceAccount()
    assert plugin.handles(attrs(pod(), UPDATE, old=pod(), subresource="ephemeralcontainers"))
    assert not plugin.handles(attrs(pod(), UPDATE, old=pod(), subresource="status"))


def test_nil_object_is_admitted_unchanged():
    # TestIgnoresNilObject
    verdict = admit(None)
    assert verdict.object is None and not verdict.changed


# --- defaulting and existence ---------------------------------------------------------------------


def test_pod_without_service_account_gets_default_and_token_volume():
    # TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens
    verdict = admit(pod())
    assert verdict.changed
    assert verdict.object == {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "myname", "namespace": NS},
        "spec": {
            "containers": [{"name": "c", "image": "nginx", "volumeMounts": [MOUNT]}],
            "serviceAccountName": "default",
            "volumes": [TOKEN_VOLUME],
        },
    }


def test_admit_does_not_modify_the_request_object():
    original = pod()
    admit(original)
    assert original == pod()


def test_missing_default_service_account_is_forbidden():
    # TestDeniesInvalidServiceAccount; getServiceAccount's NotFound names the resource "serviceaccount".
    err = rejection(lambda: admit(pod(), State()))
    assert (err.code, err.reason) == (403, "Forbidden")
    assert err.message == ('pods "myname" is forbidden: error looking up service account myns/default: '
                           'serviceaccount "default" not found')


def test_missing_named_service_account_is_forbidden():
    spec = {"serviceAccountName": "robot", "containers": [{"name": "c", "image": "nginx"}]}
    err = rejection(lambda: admit(pod(spec)))
    assert err.message == ('pods "myname" is forbidden: error looking up service account myns/robot: '
                           'serviceaccount "robot" not found')


def test_forbidden_message_names_generate_name_when_the_pod_has_no_name():
    # admission.NewForbidden (extractResourceName): the object's generateName before it is generated.
    obj = pod()
    del obj["metadata"]["name"]
    obj["metadata"]["generateName"] = "web-"
    err = rejection(lambda: admit(obj, State(), name=""))
    assert err.message.startswith('pods "web-" is forbidden: error looking up service account')


def test_forbidden_message_says_unknown_without_any_name():
    obj = pod()
    del obj["metadata"]["name"]
    err = rejection(lambda: admit(obj, State(), name=""))
    assert err.message.startswith('pods "Unknown" is forbidden:')


def test_existing_named_service_account_is_kept():
    spec = {"serviceAccountName": "robot", "containers": [{"name": "c", "image": "nginx"}]}
    verdict = admit(pod(spec), State(account("robot")))
    assert verdict.object["spec"]["serviceAccountName"] == "robot"


# --- the token volume -----------------------------------------------------------------------------


def test_token_is_mounted_in_init_containers_and_containers():
    # TestAutomountsAPIToken (its init-container half)
    spec = {"initContainers": [{"name": "i", "image": "busybox"}],
            "containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx"}]}
    out = admit(pod(spec)).object["spec"]
    assert [c["volumeMounts"] for c in out["initContainers"] + out["containers"]] == [[MOUNT]] * 3
    assert out["volumes"] == [TOKEN_VOLUME]


def test_ephemeral_containers_get_no_token_mount():
    # mountServiceAccountToken walks InitContainers and Containers only.
    spec = {"containers": [{"name": "c", "image": "nginx"}],
            "ephemeralContainers": [{"name": "debugger", "image": "busybox"}]}
    out = admit(pod(spec)).object["spec"]
    assert out["ephemeralContainers"] == [{"name": "debugger", "image": "busybox"}]


def test_existing_mount_at_the_token_path_is_respected():
    # TestRespectsExistingMount: the container keeps its own mount; nobody needs the volume.
    own = {"name": "my-token", "mountPath": DEFAULT_API_TOKEN_MOUNT_PATH}
    spec = {"containers": [{"name": "c", "image": "nginx", "volumeMounts": [own]}],
            "volumes": [{"name": "my-token", "emptyDir": {}}]}
    out = admit(pod(spec)).object["spec"]
    assert out["containers"][0]["volumeMounts"] == [own]
    assert out["volumes"] == [{"name": "my-token", "emptyDir": {}}]


def test_token_mount_is_appended_after_other_mounts():
    other = {"name": "data", "mountPath": "/data"}
    spec = {"containers": [{"name": "c", "image": "nginx", "volumeMounts": [other]}],
            "volumes": [{"name": "data", "emptyDir": {}}]}
    out = admit(pod(spec)).object["spec"]
    assert out["containers"][0]["volumeMounts"] == [other, MOUNT]
    assert out["volumes"] == [{"name": "data", "emptyDir": {}}, TOKEN_VOLUME]


def test_existing_kube_api_access_volume_is_reused():
    # A volume named kube-api-access-* is taken as the token volume: no second one, no new name.
    existing = {"name": "kube-api-access-x7k2p", "projected": {"sources": []}}
    spec = {"containers": [{"name": "c", "image": "nginx"}], "volumes": [existing]}
    out = admit(pod(spec)).object["spec"]
    assert out["volumes"] == [existing]
    assert out["containers"][0]["volumeMounts"] == [
        {"name": "kube-api-access-x7k2p", "readOnly": True, "mountPath": DEFAULT_API_TOKEN_MOUNT_PATH}]


def test_volume_suffix_comes_from_the_random_source():
    # names.SimpleNameGenerator: 5 characters of utilrand's alphabet, drawn from the given source.
    out = admit(pod(), plugin=ServiceAccount(random.Random(7))).object["spec"]
    rng = random.Random(7)
    expected = "kube-api-access-" + "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
    assert out["volumes"][0]["name"] == expected == "kube-api-access-ngq2c"
    assert out["containers"][0]["volumeMounts"][0]["name"] == expected


def test_pod_automount_false_wins_over_service_account():
    # TestAutomountServiceAccountTokenPodFalse... (shouldAutomount: the pod's preference wins)
    spec = {"automountServiceAccountToken": False, "containers": [{"name": "c", "image": "nginx"}]}
    out = admit(pod(spec), State(account(automountServiceAccountToken=True))).object["spec"]
    assert out == {**spec, "serviceAccountName": "default"}


def test_service_account_automount_false_applies_when_pod_is_silent():
    out = admit(pod(), State(account(automountServiceAccountToken=False))).object["spec"]
    assert out == {"containers": [{"name": "c", "image": "nginx"}], "serviceAccountName": "default"}


def test_pod_automount_true_wins_over_service_account_false():
    spec = {"automountServiceAccountToken": True, "containers": [{"name": "c", "image": "nginx"}]}
    out = admit(pod(spec), State(account(automountServiceAccountToken=False))).object["spec"]
    assert out["volumes"] == [TOKEN_VOLUME]


def test_pod_with_node_name_is_not_a_mirror_pod():
    # Only the kubernetes.io/config.mirror annotation makes a mirror pod; nodeName alone changes nothing
    # here (validation requires nodeName on mirror pods, admission does not look at it).
    spec = {"nodeName": "node-1", "containers": [{"name": "c", "image": "nginx"}]}
    out = admit(pod(spec)).object["spec"]
    assert out["volumes"] == [TOKEN_VOLUME] and out["serviceAccountName"] == "default"


# --- imagePullSecrets -----------------------------------------------------------------------------


def test_image_pull_secrets_are_copied_from_the_service_account():
    # TestAddImagePullSecrets: names only.
    sa = account(imagePullSecrets=[{"name": "foo"}, {"name": "bar"}])
    out = admit(pod(), State(sa)).object["spec"]
    assert out["imagePullSecrets"] == [{"name": "foo"}, {"name": "bar"}]


def test_pod_image_pull_secrets_are_kept():
    sa = account(imagePullSecrets=[{"name": "foo"}])
    spec = {"imagePullSecrets": [{"name": "mine"}], "containers": [{"name": "c", "image": "nginx"}]}
    assert admit(pod(spec), State(sa)).object["spec"]["imagePullSecrets"] == [{"name": "mine"}]


def test_no_image_pull_secrets_field_when_the_account_has_none():
    assert "imagePullSecrets" not in admit(pod()).object["spec"]


# --- mirror pods ----------------------------------------------------------------------------------

MIRROR = {"kubernetes.io/config.mirror": "true"}


def test_mirror_pod_is_left_unchanged():
    # TestIgnoresMirrorPod: no default account, no token, no lookup (the state is empty).
    obj = pod({"nodeName": "n", "containers": [{"name": "c", "image": "nginx"}]}, MIRROR)
    verdict = admit(obj, State())
    assert verdict.object == obj and not verdict.changed


def test_mirror_pod_may_not_reference_a_service_account():
    # TestRejectsMirrorPodWithServiceAccount
    obj = pod({"serviceAccountName": "default", "containers": []}, MIRROR)
    err = rejection(lambda: admit(obj))
    assert (err.code, err.message) == (403, 'pods "myname" is forbidden: a mirror pod may not reference service accounts')


def test_mirror_pod_may_not_mount_a_secret():
    # TestRejectsMirrorPodWithSecretVolumes
    obj = pod({"containers": [], "volumes": [{"name": "s", "secret": {"secretName": "foo"}}]}, MIRROR)
    assert rejection(lambda: admit(obj)).message == 'pods "myname" is forbidden: a mirror pod may not reference secrets'


def test_mirror_pod_secret_check_covers_ephemeral_container_env():
    # podutil.VisitPodSecretNames(..., podutil.AllContainers)
    env = [{"name": "E", "valueFrom": {"secretKeyRef": {"name": "foo", "key": "k"}}}]
    obj = pod({"containers": [], "ephemeralContainers": [{"name": "d", "env": env}]}, MIRROR)
    assert rejection(lambda: admit(obj)).message.endswith("a mirror pod may not reference secrets")


def test_mirror_pod_secret_check_skips_empty_names():
    # VisitPodSecretNames wraps its visitor in skipEmptyNames.
    obj = pod({"containers": [], "volumes": [{"name": "s", "secret": {}}]}, MIRROR)
    assert admit(obj).object == obj


def test_mirror_pod_may_not_project_a_service_account_token():
    # TestRejectsMirrorPodWithServiceAccountTokenVolumeProjections
    volume = {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}
    obj = pod({"containers": [], "volumes": [volume]}, MIRROR)
    assert rejection(lambda: admit(obj)).message == (
        'pods "myname" is forbidden: a mirror pod may not use ServiceAccountToken volume projections')


# --- mountable secrets (kubernetes.io/enforce-mountable-secrets) -----------------------------------


def enforced_state(**fields) -> State:
    return State(account(annotations=ENFORCED, **fields))


def test_enforced_account_allows_secrets_it_references():
    # TestAllowsReferencedSecret
    spec = {"containers": [{"name": "c", "image": "nginx"}], "volumes": [{"name": "s", "secret": {"secretName": "foo"}}]}
    out = admit(pod(spec), enforced_state(secrets=[{"name": "foo"}])).object
    assert out["spec"]["volumes"][0] == {"name": "s", "secret": {"secretName": "foo"}}


def test_enforced_account_rejects_unreferenced_secret_volume():
    # TestRejectsUnreferencedSecretVolumes
    spec = {"containers": [{"name": "c", "image": "nginx"}], "volumes": [{"name": "s", "secret": {"secretName": "foo"}}]}
    err = rejection(lambda: admit(pod(spec), enforced_state()))
    assert (err.code, err.message) == (403, 'pods "myname" is forbidden: volume with secret.secretName="foo" is not '
                                            'allowed because service account default does not reference that secret')


def test_enforced_account_rejects_container_env_secret():
    env = [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "foo", "key": "k"}}}]
    err = rejection(lambda: admit(pod({"containers": [{"name": "app", "env": env}]}), enforced_state()))
    assert err.message == ('pods "myname" is forbidden: container app with envVar PASSWORD referencing '
                           'secret.secretName="foo" is not allowed because service account default does not '
                           'reference that secret')


def test_enforced_account_rejects_container_env_from_secret():
    # CVE-2024-3177: envFrom was not checked before v1.30.
    container = {"name": "app", "envFrom": [{"secretRef": {"name": "foo"}}]}
    err = rejection(lambda: admit(pod({"containers": [container]}), enforced_state()))
    assert err.message == ('pods "myname" is forbidden: container app with envFrom referencing secret.secretName="foo" '
                           'is not allowed because service account default does not reference that secret')


def test_enforced_account_rejects_init_container_env_secret():
    env = [{"name": "E", "valueFrom": {"secretKeyRef": {"name": "foo", "key": "k"}}}]
    spec = {"initContainers": [{"name": "setup", "env": env}], "containers": [{"name": "c"}]}
    err = rejection(lambda: admit(pod(spec), enforced_state()))
    assert err.message == ('pods "myname" is forbidden: init container setup with envVar E referencing '
                           'secret.secretName="foo" is not allowed because service account default does not '
                           'reference that secret')


def test_enforced_account_rejects_init_container_env_from_secret():
    spec = {"initContainers": [{"name": "setup", "envFrom": [{"secretRef": {"name": "foo"}}]}], "containers": []}
    err = rejection(lambda: admit(pod(spec), enforced_state()))
    assert err.message.endswith('init container setup with envFrom referencing secret.secretName="foo" is not '
                                'allowed because service account default does not reference that secret')


def test_enforced_account_rejects_unreferenced_image_pull_secret():
    # TestRejectsUnreferencedImagePullSecrets
    spec = {"imagePullSecrets": [{"name": "foo"}], "containers": [{"name": "c"}]}
    err = rejection(lambda: admit(pod(spec), enforced_state()))
    assert err.message == ('pods "myname" is forbidden: imagePullSecrets[0].name="foo" is not allowed because '
                           'service account default does not reference that imagePullSecret')


def test_image_pull_secrets_copied_from_an_enforced_account_pass():
    state = enforced_state(imagePullSecrets=[{"name": "regcred"}])
    assert admit(pod(), state).object["spec"]["imagePullSecrets"] == [{"name": "regcred"}]


def test_enforcement_needs_the_annotation_to_parse_as_true():
    # strconv.ParseBool: "1" enforces, "yes" does not parse and so does not.
    spec = {"containers": [{"name": "c"}], "volumes": [{"name": "s", "secret": {"secretName": "foo"}}]}
    rejection(lambda: admit(pod(spec), State(account(annotations={"kubernetes.io/enforce-mountable-secrets": "1"}))))
    admit(pod(spec), State(account(annotations={"kubernetes.io/enforce-mountable-secrets": "yes"})))


def test_limit_secret_references_enforces_every_account():
    # LimitSecretReferences = true overrides the annotation (TestRejectsUnreferencedSecretVolumes sets it).
    spec = {"containers": [{"name": "c"}], "volumes": [{"name": "s", "secret": {"secretName": "foo"}}]}
    plugin = ServiceAccount(FirstChoice(), limit_secret_references=True)
    assert "is not allowed because service account default" in rejection(lambda: admit(pod(spec), plugin=plugin)).message


def test_projected_secret_sources_are_not_checked():
    # limitSecretReferences only looks at volume.Secret (upstream, v1.37).
    volume = {"name": "p", "projected": {"sources": [{"secret": {"name": "foo"}}]}}
    spec = {"containers": [{"name": "c"}], "volumes": [volume]}
    assert admit(pod(spec), enforced_state()).object["spec"]["volumes"][0] == volume


# --- updates --------------------------------------------------------------------------------------


def test_update_of_a_pod_is_neither_mutated_nor_checked():
    # Admit and Validate return early for anything but CREATE (outside ephemeralcontainers).
    obj = pod({"serviceAccountName": "gone", "containers": [{"name": "c"}]})
    plugin = ServiceAccount(FirstChoice())
    verdict = plugin.admit(attrs(obj, UPDATE, old=obj), State())
    assert verdict.object == obj and not verdict.changed
    plugin.validate(attrs(obj, UPDATE, old=obj), State())


def ephemeral_update(container: dict, sa_name: str = "default") -> Attributes:
    old = pod({"serviceAccountName": sa_name, "containers": [{"name": "c"}]})
    new = copy.deepcopy(old)
    new["spec"]["ephemeralContainers"] = [container]
    return attrs(new, UPDATE, old=old, subresource="ephemeralcontainers")


def test_ephemeral_container_update_is_not_mutated():
    attributes = ephemeral_update({"name": "debugger", "image": "busybox"})
    verdict = ServiceAccount(FirstChoice()).admit(attributes, State(account()))
    assert verdict.object == attributes.object and not verdict.changed


def test_ephemeral_container_with_unreferenced_env_secret_is_rejected_as_a_plain_error():
    # CVE-2023-2728 fix: limitEphemeralContainerSecretReferences returns fmt.Errorf, not NewForbidden,
    # so the API server answers 500 with no reason.
    env = [{"name": "E", "valueFrom": {"secretKeyRef": {"name": "foo", "key": "k"}}}]
    attributes = ephemeral_update({"name": "debugger", "env": env})
    err = rejection(lambda: ServiceAccount().validate(attributes, enforced_state()))
    assert (err.code, err.reason) == (500, "")
    assert err.message == ('ephemeral container debugger with envVar E referencing secret.secretName="foo" is not '
                           'allowed because service account default does not reference that secret')


def test_ephemeral_container_with_unreferenced_env_from_secret_is_rejected():
    # CVE-2024-3177
    attributes = ephemeral_update({"name": "debugger", "envFrom": [{"secretRef": {"name": "foo"}}]})
    err = rejection(lambda: ServiceAccount().validate(attributes, enforced_state()))
    assert err.message == ('ephemeral container debugger with envFrom referencing secret.secretName="foo" is not '
                           'allowed because service account default does not reference that secret')


def test_ephemeral_container_secrets_pass_without_enforcement():
    attributes = ephemeral_update({"name": "debugger", "envFrom": [{"secretRef": {"name": "foo"}}]})
    ServiceAccount().validate(attributes, State(account()))


def test_ephemeral_container_update_needs_the_service_account():
    attributes = ephemeral_update({"name": "debugger"}, sa_name="gone")
    err = rejection(lambda: ServiceAccount().validate(attributes, State(account())))
    assert (err.code, err.message) == (403, 'pods "myname" is forbidden: error looking up service account myns/gone: '
                                            'serviceaccount "gone" not found')


def test_ephemeral_container_update_of_a_pod_without_service_account_is_forbidden():
    attributes = ephemeral_update({"name": "debugger"}, sa_name="")
    err = rejection(lambda: ServiceAccount().validate(attributes, State(account())))
    assert err.message == 'pods "myname" is forbidden: no service account specified for pod myns/myname'


def test_validate_on_create_requires_a_service_account_name():
    # Reached when a later mutating plugin drops serviceAccountName.
    err = rejection(lambda: ServiceAccount().validate(attrs(pod()), State(account())))
    assert err.message == 'pods "myname" is forbidden: no service account specified for pod myns/myname'


# --- hostile input --------------------------------------------------------------------------------


def test_pod_without_spec_gets_only_the_account_name():
    # No container needs the token, so no volume is added.
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "myname"}}
    assert admit(obj).object["spec"] == {"serviceAccountName": "default"}


def test_pod_without_containers_gets_no_volume():
    assert admit(pod({"containers": []})).object["spec"] == {"containers": [], "serviceAccountName": "default"}


@pytest.mark.parametrize("containers", ["nginx", 3, {"name": "c"}, ["nginx", None, 7]])
def test_malformed_containers_are_left_to_validation(containers):
    out = admit(pod({"containers": containers})).object["spec"]
    assert out == {"containers": containers, "serviceAccountName": "default"}


def test_malformed_volume_mounts_are_left_to_validation():
    spec = {"containers": [{"name": "a", "volumeMounts": "oops"}, {"name": "b"}]}
    out = admit(pod(spec)).object["spec"]
    assert out["containers"] == [{"name": "a", "volumeMounts": "oops"}, {"name": "b", "volumeMounts": [MOUNT]}]


@pytest.mark.parametrize("spec", [[], "spec", 5])
def test_non_object_spec_is_left_to_validation(spec):
    obj = pod(spec)
    verdict = admit(obj)
    assert verdict.object == obj and not verdict.changed


def test_non_object_annotations_do_not_make_a_mirror_pod():
    obj = pod(annotations=["kubernetes.io/config.mirror"])
    assert admit(obj).object["spec"]["serviceAccountName"] == "default"


def test_non_string_service_account_name_is_replaced_by_default():
    spec = {"serviceAccountName": 42, "containers": [{"name": "c"}]}
    assert admit(pod(spec)).object["spec"]["serviceAccountName"] == "default"


def test_thousands_of_containers_share_one_token_volume():
    spec = {"containers": [{"name": f"c{i}"} for i in range(5000)]}
    out = admit(pod(spec)).object["spec"]
    assert all(c["volumeMounts"] == [MOUNT] for c in out["containers"])
    assert out["volumes"] == [TOKEN_VOLUME]


# --- through the chain ----------------------------------------------------------------------------


def test_chain_runs_both_halves():
    plugin = ServiceAccount(FirstChoice())
    chain = Chain(mutating=[plugin], validating=[plugin])
    state = State(account())
    admitted = chain.admit(attrs(pod()), state)
    assert admitted.error is None and admitted.steps[0].outcome == "mutated"
    validated = chain.validate(attrs(admitted.object), state)
    assert validated.error is None and validated.steps[0].outcome == "admitted"
