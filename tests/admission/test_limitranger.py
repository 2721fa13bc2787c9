"""LimitRanger, through the plugin interface: defaults on admit, min/max/ratio on validate.

Expectations come from plugin/pkg/admission/limitranger/admission.go (messages, annotation, which requests
it handles) and its admission_test.go (TestPodLimitFunc, TestLimitRangerAdmitPod,
TestPersistentVolumeClaimLimitFunc).
"""

from __future__ import annotations

import copy

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.admission.limitranger import ANNOTATION, LimitRanger
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
PVCS = TABLE.for_resource("", "v1", "persistentvolumeclaims")
SERVICES = TABLE.for_resource("", "v1", "services")
ALICE = UserInfo("alice")


class State:
    """A small in-memory StateView: objects by (group, resource, namespace)."""

    def __init__(self, **by_resource: list[dict]):
        self.objects = by_resource

    def get(self, group, resource, namespace, name):
        return next((o for o in self.list(group, resource, namespace) if o["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return [o for o in self.objects.get(resource, [])
                if namespace is None or o["metadata"].get("namespace") == namespace]


def limit_range(*items: dict, name: str = "limits") -> dict:
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": name, "namespace": "dev"},
            "spec": {"limits": list(items)}}


def container(name: str = "app", requests: dict | None = None, limits: dict | None = None, **extra) -> dict:
    resources = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    return {"name": name, "image": "nginx", "resources": resources, **extra}


def pod(*containers: dict, name: str = "x", init: list | None = None, **spec) -> dict:
    body = {"containers": list(containers), **spec}
    if init is not None:
        body["initContainers"] = init
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "dev"}, "spec": body}


def attrs(obj, rt=PODS, operation=CREATE, old=None, subresource="", name="x") -> Attributes:
    return Attributes(operation, rt, "dev", name, obj, old, ALICE, subresource)


def admit(obj, *ranges, **kw) -> dict:
    return LimitRanger().admit(attrs(obj, **kw), State(limitranges=list(ranges))).object


def rejection(obj, *ranges, **kw) -> str:
    with pytest.raises(StatusError) as err:
        LimitRanger().validate(attrs(obj, **kw), State(limitranges=list(ranges)))
    assert err.value.code == 403 and err.value.reason == "Forbidden"
    return err.value.message


DEFAULTS = {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
            "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}


# --- which requests it handles (DefaultLimitRangerActions.SupportsAttributes) -------------------------


def test_handles_pod_and_pvc_creates():
    assert LimitRanger().handles(attrs(pod(container())))
    assert LimitRanger().handles(attrs({}, rt=PVCS))


def test_ignores_pod_updates_because_containers_cannot_change():
    # kubernetes#62673: "Don't run limitranger admission plugin on pod update requests".
    assert not LimitRanger().handles(attrs(pod(container()), operation=UPDATE, old=pod(container())))


def test_handles_the_pod_resize_subresource_on_update():
    assert LimitRanger().handles(attrs(pod(container()), operation=UPDATE, subresource="resize"))


def test_a_resize_past_the_maximum_is_refused():
    # In-place resize goes through pods/resize, which LimitRanger validates like a create.
    lr = limit_range({"type": "Container", "max": {"cpu": "1"}})
    old = pod(container(limits={"cpu": "500m"}))
    assert rejection(pod(container(limits={"cpu": "2"})), lr, operation=UPDATE, old=old, subresource="resize") == (
        'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2')


def test_ignores_other_subresources_deletes_and_other_kinds():
    assert not LimitRanger().handles(attrs(pod(container()), operation=UPDATE, subresource="status"))
    assert not LimitRanger().handles(attrs(None, operation=DELETE))
    assert not LimitRanger().handles(attrs({"metadata": {"name": "s"}}, rt=SERVICES))


def test_handles_pvc_updates():
    assert LimitRanger().handles(attrs({}, rt=PVCS, operation=UPDATE, old={}))


# --- defaults (mergePodResourceRequirements) --------------------------------------------------------------


def test_defaults_requests_and_limits_and_annotates_as_upstream():
    out = admit(pod(container("nginx", requests=None)), limit_range(DEFAULTS))
    assert out["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}
    # The annotation documented at kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-limit-ranger
    assert out["metadata"]["annotations"][ANNOTATION] == (
        "LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx")


def test_defaults_only_what_the_container_lacks():
    out = admit(pod(container("a", requests={"cpu": "200m"}, limits={"memory": "1Gi"})), limit_range(DEFAULTS))
    assert out["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "200m", "memory": "128Mi"}, "limits": {"memory": "1Gi", "cpu": "500m"}}
    assert out["metadata"]["annotations"][ANNOTATION] == (
        "LimitRanger plugin set: memory request for container a; cpu limit for container a")


def test_defaults_init_containers_after_containers():
    out = admit(pod(container("app"), init=[container("setup")]), limit_range(DEFAULTS))
    assert out["spec"]["initContainers"][0]["resources"]["limits"] == {"cpu": "500m", "memory": "512Mi"}
    assert out["metadata"]["annotations"][ANNOTATION] == (
        "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; "
        "cpu, memory request for init container setup; cpu, memory limit for init container setup")


def test_a_container_without_resources_field_gets_defaults():
    bare = pod({"name": "app", "image": "nginx"})
    out = admit(bare, limit_range(DEFAULTS))
    assert out["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "100m", "memory": "128Mi"}
    assert "resources" not in bare["spec"]["containers"][0], "the input object is not mutated"


def test_nothing_to_default_leaves_the_pod_unchanged():
    full = pod(container(requests={"cpu": "1", "memory": "1Gi"}, limits={"cpu": "1", "memory": "1Gi"}))
    verdict = LimitRanger().admit(attrs(full), State(limitranges=[limit_range(DEFAULTS)]))
    assert not verdict.changed and verdict.object == full
    assert ANNOTATION not in full["metadata"].get("annotations", {})


def test_no_limit_range_no_change():
    verdict = LimitRanger().admit(attrs(pod(container())), State())
    assert not verdict.changed and verdict.message == "no LimitRange in the namespace"


def test_the_first_limit_range_defaults_win_and_the_last_one_writes_the_annotation():
    first = limit_range({"type": "Container", "defaultRequest": {"cpu": "100m"}}, name="a")
    second = limit_range({"type": "Container", "defaultRequest": {"cpu": "300m", "memory": "64Mi"}}, name="b")
    out = admit(pod(container("app")), first, second)
    assert out["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "100m", "memory": "64Mi"}
    # Each LimitRange's merge sets the annotation anew (mergePodResourceRequirements).
    assert out["metadata"]["annotations"][ANNOTATION] == "LimitRanger plugin set: memory request for container app"


def test_pvcs_are_never_defaulted():
    claim = {"metadata": {"name": "c"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}}
    assert admit(claim, limit_range(DEFAULTS), rt=PVCS) == claim


def test_defaults_are_written_canonical():
    out = admit(pod(container("app")), limit_range({"type": "Container", "default": {"cpu": "0.5"}}))
    assert out["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "500m"}


# --- Container min/max/ratio (PodValidateLimitFunc) ------------------------------------------------------


def test_min_and_max_errors_aggregate_in_brackets():
    lr = limit_range({"type": "Container", "min": {"cpu": "100m"}, "max": {"memory": "1Gi"}})
    message = rejection(pod(container(requests={"cpu": "50m", "memory": "1Gi"}, limits={"memory": "2Gi"})), lr)
    assert message == ('pods "x" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, '
                       'maximum memory usage per Container is 1Gi, but limit is 2Gi]')


def test_one_error_is_not_bracketed():
    lr = limit_range({"type": "Container", "max": {"cpu": "500m"}})
    assert rejection(pod(container(limits={"cpu": "1"})), lr) == (
        'pods "x" is forbidden: maximum cpu usage per Container is 500m, but limit is 1')


def test_min_without_a_request():
    lr = limit_range({"type": "Container", "min": {"cpu": "100m"}})
    assert rejection(pod(container()), lr) == (
        'pods "x" is forbidden: minimum cpu usage per Container is 100m.  No request is specified')


def test_min_checks_the_limit_too():
    lr = limit_range({"type": "Container", "min": {"memory": "100Mi"}})
    message = rejection(pod(container(requests={"memory": "200Mi"}, limits={"memory": "50Mi"})), lr)
    assert message == 'pods "x" is forbidden: minimum memory usage per Container is 100Mi, but limit is 50Mi'


def test_max_requires_a_limit():
    lr = limit_range({"type": "Container", "max": {"cpu": "2"}})
    assert rejection(pod(container(requests={"cpu": "1"})), lr) == (
        'pods "x" is forbidden: maximum cpu usage per Container is 2.  No limit is specified')


def test_max_checks_the_request_when_the_limit_fits():
    lr = limit_range({"type": "Container", "max": {"cpu": "2"}})
    assert rejection(pod(container(requests={"cpu": "3"}, limits={"cpu": "2"})), lr) == (
        'pods "x" is forbidden: maximum cpu usage per Container is 2, but request is 3')


def test_ratio_message_has_six_decimals():
    # `provided ratio is 4.000000`, as clusters print it (Go's %f of a float64).
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"cpu": "2"}})
    assert rejection(pod(container(requests={"cpu": "250m"}, limits={"cpu": "1"})), lr) == (
        'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000')


def test_ratio_rounds_half_even_to_six_decimals():
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"memory": "1"}})
    message = rejection(pod(container(requests={"memory": "3"}, limits={"memory": "10"})), lr)
    assert message.endswith("but provided ratio is 3.333333")


def test_ratio_without_request_or_limit():
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"cpu": "2"}})
    assert rejection(pod(container(limits={"cpu": "1"})), lr) == (
        'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, '
        "but no request is specified or request is 0")
    assert rejection(pod(container(requests={"cpu": "1"})), lr) == (
        'pods "x" is forbidden: cpu max limit to request ratio per Container is 2, '
        "but no limit is specified or limit is 0")


def test_ratio_exactly_at_the_maximum_is_allowed():
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"cpu": "1500m"}})
    LimitRanger().validate(attrs(pod(container(requests={"cpu": "2"}, limits={"cpu": "3"}))),
                           State(limitranges=[lr]))


def test_init_containers_are_bounded_like_containers():
    lr = limit_range({"type": "Container", "max": {"cpu": "1"}})
    message = rejection(pod(container(limits={"cpu": "1"}), init=[container("setup", limits={"cpu": "2"})]), lr)
    assert message == 'pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2'


def test_a_pod_within_the_limits_is_admitted():
    lr = limit_range({"type": "Container", "min": {"cpu": "100m"}, "max": {"cpu": "1"}})
    verdict = LimitRanger().validate(attrs(pod(container(requests={"cpu": "500m"}, limits={"cpu": "1"}))),
                                     State(limitranges=[lr]))
    assert verdict.message == "within every limit range (LimitRange limits)"


def test_defaults_then_validation_through_the_chain():
    # The annotation's defaults are what validation then sees (Admit before Validate, as upstream).
    plugin = LimitRanger()
    lr = limit_range({**DEFAULTS, "max": {"cpu": "400m"}})
    chain = Chain(mutating=[plugin], validating=[plugin])
    state = State(limitranges=[lr])
    admitted = chain.admit(attrs(pod(container("app"))), state)
    outcome = chain.validate(attrs(admitted.object), state)
    assert outcome.error.message == (
        'pods "x" is forbidden: maximum cpu usage per Container is 400m, but limit is 500m')


def test_a_fraction_of_a_milli_over_the_maximum_counts_as_the_next_milli():
    # requestLimitEnforcedValues: MilliValue() rounds 100.000001m up to 101m.
    lr = limit_range({"type": "Container", "max": {"cpu": "100m"}})
    assert rejection(pod(container(limits={"cpu": "100000001n"})), lr) == (
        'pods "x" is forbidden: maximum cpu usage per Container is 100m, but limit is 100000001n')


def test_a_fraction_of_a_milli_under_the_minimum_is_not_seen():
    # 99.999999m rounds up to 100m: v1.37 admits it (kubernetes#141348 compares exactly, after v1.37).
    lr = limit_range({"type": "Container", "min": {"cpu": "100m"}})
    LimitRanger().validate(attrs(pod(container(requests={"cpu": "99999999n"}))), State(limitranges=[lr]))


def test_huge_values_saturate_instead_of_wrapping():
    # v1.37 projects 2^64 to 0 and admits it; kauth saturates at the int64 limit (see the module docstring).
    lr = limit_range({"type": "Container", "max": {"memory": "1000"}})
    assert rejection(pod(container(limits={"memory": "18446744073709551616"})), lr) == (
        'pods "x" is forbidden: maximum memory usage per Container is 1k, but limit is 18446744073709551616')


def test_generate_name_names_the_pod_in_the_message():
    lr = limit_range({"type": "Container", "max": {"cpu": "1"}})
    unnamed = pod(container(limits={"cpu": "2"}))
    unnamed["metadata"] = {"generateName": "web-", "namespace": "dev"}
    assert rejection(unnamed, lr).startswith('pods "web-" is forbidden: ')


# --- Pod type: the pod's effective requests and limits (podRequests/podLimits) ---------------------------


def test_pod_max_sums_the_containers():
    lr = limit_range({"type": "Pod", "max": {"cpu": "1"}})
    two = pod(container("a", limits={"cpu": "600m"}), container("b", limits={"cpu": "600m"}))
    assert rejection(two, lr) == 'pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m'


def test_pod_takes_the_larger_of_the_sum_and_the_largest_init_container():
    lr = limit_range({"type": "Pod", "min": {"memory": "1Gi"}})
    message = rejection(pod(container("a", requests={"memory": "256Mi"}),
                            init=[container("i1", requests={"memory": "512Mi"}),
                                  container("i2", requests={"memory": "384Mi"})]), lr)
    assert message == 'pods "x" is forbidden: minimum memory usage per Pod is 1Gi, but request is 512Mi'


def test_sidecar_init_containers_add_to_the_pod():
    # restartPolicy: Always init containers run beside the app (KEP-753's formula).
    lr = limit_range({"type": "Pod", "max": {"cpu": "1"}})
    message = rejection(pod(container("a", limits={"cpu": "800m"}),
                            init=[container("proxy", limits={"cpu": "300m"}, restartPolicy="Always")]), lr)
    assert message == 'pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1100m'


def test_pod_level_resources_replace_the_containers_sum():
    lr = limit_range({"type": "Pod", "max": {"cpu": "1"}})
    spec_level = pod(container("a", limits={"cpu": "2"}), resources={"limits": {"cpu": "1"}})
    LimitRanger().validate(attrs(spec_level), State(limitranges=[lr]))


def test_pod_type_is_not_checked_against_a_container_missing_the_resource():
    # The sum keeps a resource some container lacks (addResourceList), unlike the pre-1.27 `sum`.
    lr = limit_range({"type": "Pod", "max": {"cpu": "1"}})
    message = rejection(pod(container("a", limits={"cpu": "600m"}), container("b", limits={"cpu": "600m"}),
                            container("c")), lr)
    assert message == 'pods "x" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m'


# --- PersistentVolumeClaim (PersistentVolumeClaimValidateLimitFunc) ---------------------------------------


def claim(storage: str | None) -> dict:
    requests = {"storage": storage} if storage is not None else {}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "dev"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": requests}}}


PVC_RANGE = {"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"}, "max": {"storage": "10Gi"}}


def test_pvc_over_the_max():
    assert rejection(claim("20Gi"), limit_range(PVC_RANGE), rt=PVCS) == (
        'persistentvolumeclaims "data" is forbidden: '
        "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi")


def test_pvc_under_the_min():
    assert rejection(claim("500Mi"), limit_range(PVC_RANGE), rt=PVCS) == (
        'persistentvolumeclaims "data" is forbidden: '
        "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi")


def test_pvc_without_a_request_fails_both():
    assert rejection(claim(None), limit_range(PVC_RANGE), rt=PVCS) == (
        'persistentvolumeclaims "data" is forbidden: '
        "[minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified, "
        "maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified]")


def test_pvc_update_rechecks_even_an_unchanged_stored_request():
    # v1.37 checks the new object only: a claim stored before the LimitRange fails every update, even of
    # its labels (kubernetes#142170 skips unchanged requests, after v1.37).
    old = claim("20Gi")
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"tier": "gold"}
    assert rejection(new, limit_range(PVC_RANGE), rt=PVCS, operation=UPDATE, old=old) == (
        'persistentvolumeclaims "data" is forbidden: '
        "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi")


def test_pvc_update_changing_the_request_is_checked():
    assert rejection(claim("30Gi"), limit_range(PVC_RANGE), rt=PVCS, operation=UPDATE, old=claim("20Gi")) == (
        'persistentvolumeclaims "data" is forbidden: '
        "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 30Gi")


def test_objects_marked_for_deletion_are_ignored():
    # kubernetes#56971: a LimitRange added later must not block a terminating object's updates.
    old = claim("20Gi")
    old["metadata"]["deletionTimestamp"] = "2026-12-01T00:00:00Z"
    new = claim("30Gi")
    verdict = LimitRanger().validate(attrs(new, rt=PVCS, operation=UPDATE, old=old),
                                     State(limitranges=[limit_range(PVC_RANGE)]))
    assert "being deleted" in verdict.message


def test_container_limits_do_not_apply_to_pvcs():
    lr = limit_range({"type": "Container", "max": {"storage": "1Gi"}})
    LimitRanger().validate(attrs(claim("5Gi"), rt=PVCS), State(limitranges=[lr]))


# --- hostile input -----------------------------------------------------------------------------------------


def test_unparseable_quantities_in_the_limit_range_are_ignored():
    lr = limit_range({"type": "Container", "max": {"cpu": "lots"}, "default": {"memory": "a-lot"},
                      "defaultRequest": {"cpu": "100m"}})
    out = admit(pod(container("app")), lr)
    assert out["spec"]["containers"][0]["resources"] == {"requests": {"cpu": "100m"}}
    LimitRanger().validate(attrs(out), State(limitranges=[lr]))


def test_an_unparseable_request_counts_as_missing():
    # The API server refuses such a pod at decode; admission must still not crash on it.
    lr = limit_range({"type": "Container", "min": {"cpu": "100m"}})
    assert rejection(pod(container(requests={"cpu": "fast"})), lr) == (
        'pods "x" is forbidden: minimum cpu usage per Container is 100m.  No request is specified')


def test_an_unparseable_request_is_not_overwritten_by_a_default():
    out = admit(pod(container("app", requests={"cpu": "fast"})), limit_range(DEFAULTS))
    assert out["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "fast", "memory": "128Mi"}


@pytest.mark.parametrize("spec", [None, "nope", {"containers": "nope"}, {"containers": [None, 3, "x"]},
                                  {"containers": [{"name": "a", "resources": "nope"}]},
                                  {"containers": [{"name": "a", "resources": {"requests": ["cpu"]}}]}])
def test_malformed_pods_neither_crash_admit_nor_validate(spec):
    malformed = {"metadata": {"name": "x"}, "spec": spec}
    lr = limit_range(DEFAULTS, {"type": "Pod", "max": {"cpu": "1"}})
    LimitRanger().admit(attrs(malformed), State(limitranges=[lr]))
    with pytest.raises(StatusError):
        LimitRanger().validate(attrs(malformed), State(limitranges=[lr]))


def test_malformed_limit_ranges_are_skipped():
    broken = [{"metadata": {"name": "a", "namespace": "dev"}, "spec": None},
              {"metadata": {"name": "b", "namespace": "dev"}, "spec": {"limits": ["x", None]}}]
    verdict = LimitRanger().admit(attrs(pod(container())), State(limitranges=broken))
    assert not verdict.changed


def test_a_large_ratio_is_computed_in_whole_units():
    # Past MaxMilliValue the values are compared as Value(): 1n rounds up to 1, so the ratio is 10^18.
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"memory": "2"}})
    message = rejection(pod(container(requests={"memory": "1n"}, limits={"memory": "1E"})), lr)
    assert message.endswith("but provided ratio is 1000000000000000000.000000")


def test_ratio_uses_milli_values_so_a_nano_request_counts_as_one_milli():
    lr = limit_range({"type": "Container", "maxLimitRequestRatio": {"cpu": "10"}})
    message = rejection(pod(container(requests={"cpu": "1n"}, limits={"cpu": "100m"})), lr)
    assert message.endswith("but provided ratio is 100.000000")
