"""The RuntimeClass admission plugin, as plugin/pkg/admission/runtimeclass/admission.go (v1.37) behaves.

Cases follow upstream's admission_test.go (TestSetOverhead, TestSetScheduling, TestAdmit, TestValidate,
TestValidateOverhead: case names in comments) and pkg/util/tolerations (MergeTolerations, isSuperset).
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, UPDATE, Attributes, Chain
from kauth.admission.runtimeclass import RuntimeClass, is_superset, merge_tolerations
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
USER = UserInfo("alice")
OVERHEAD = {"cpu": "100m", "memory": "1"}


class State:
    """An in-memory StateView over RuntimeClasses."""

    def __init__(self, *classes) -> None:
        self.classes = list(classes)

    def get(self, group, resource, namespace, name):
        if (group, resource) != ("node.k8s.io", "runtimeclasses"):
            return None
        return next((c for c in self.classes if c["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.classes) if (group, resource) == ("node.k8s.io", "runtimeclasses") else []


def runtime_class(name="kata", *, overhead=None, node_selector=None, tolerations=None) -> dict:
    rc: dict = {"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": {"name": name}, "handler": "kata"}
    if overhead is not None:
        rc["overhead"] = {"podFixed": overhead}
    if node_selector is not None or tolerations is not None:
        rc["scheduling"] = {}
        if node_selector is not None:
            rc["scheduling"]["nodeSelector"] = node_selector
        if tolerations is not None:
            rc["scheduling"]["tolerations"] = tolerations
    return rc


def pod(**spec_fields) -> dict:
    spec = {"containers": [{"name": "c", "image": "nginx"}], **spec_fields}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "dev"}, "spec": spec}


def attrs(obj, operation=CREATE):
    return Attributes(operation, PODS, "dev", "web", obj, None, USER)


def admit(obj, *classes):
    return RuntimeClass().admit(attrs(obj), State(*classes))


def validate(obj, *classes):
    return RuntimeClass().validate(attrs(obj), State(*classes))


def toleration(key, value="", *, operator="Equal", effect="NoSchedule", seconds=None) -> dict:
    t = {"key": key, "operator": operator, "effect": effect}
    if value:
        t["value"] = value
    if seconds is not None:
        t["tolerationSeconds"] = seconds
    return t


# --- the class ----------------------------------------------------------------------------------


def test_pod_without_runtime_class_is_left_alone():
    verdict = admit(pod())
    assert not verdict.changed and verdict.message == "the pod names no RuntimeClass"


def test_missing_runtime_class_is_forbidden():
    # TestAdmit "runtimeClass not found by lister nor client"
    with pytest.raises(StatusError) as caught:
        admit(pod(runtimeClassName="gvisor"))
    assert caught.value.code == 403
    assert caught.value.message == 'pods "web" is forbidden: pod rejected: RuntimeClass "gvisor" not found'


def test_missing_runtime_class_is_forbidden_in_validation_too():
    # Validate runs prepareObjects again.
    with pytest.raises(StatusError, match='RuntimeClass "gvisor" not found'):
        validate(pod(runtimeClassName="gvisor"))


def test_empty_runtime_class_name_is_looked_up():
    # RuntimeClassName is a pointer: "" is set, and no RuntimeClass is named "".
    with pytest.raises(StatusError, match='pod rejected: RuntimeClass "" not found'):
        admit(pod(runtimeClassName=""))


def test_class_without_overhead_or_scheduling_changes_nothing():
    # TestAdmit "runtimeClass found by lister"
    verdict = admit(pod(runtimeClassName="kata"), runtime_class())
    assert not verdict.changed and verdict.message == 'RuntimeClass "kata": nothing to add'


# --- overhead -----------------------------------------------------------------------------------


def test_overhead_is_copied_from_the_class():
    # TestSetOverhead "overhead, no container requirements"
    verdict = admit(pod(runtimeClassName="kata"), runtime_class(overhead=OVERHEAD))
    assert verdict.changed
    assert verdict.object == pod(runtimeClassName="kata", overhead=OVERHEAD)
    assert verdict.message == 'RuntimeClass "kata": set spec.overhead'


def test_matching_overhead_set_by_the_user_is_accepted():
    # TestSetOverhead "overhead, pod with same overhead already set"; quantities compare by value.
    verdict = admit(pod(runtimeClassName="kata", overhead={"cpu": "0.1", "memory": "1"}),
                    runtime_class(overhead=OVERHEAD))
    assert verdict.object["spec"]["overhead"] == OVERHEAD


def test_differing_overhead_set_by_the_user_is_forbidden():
    # TestSetOverhead "overhead, pod with differing overhead already set"
    with pytest.raises(StatusError) as caught:
        admit(pod(runtimeClassName="kata", overhead={"cpu": "10", "memory": "10G"}), runtime_class(overhead=OVERHEAD))
    assert caught.value.message == ("pods \"web\" is forbidden: pod rejected: Pod's Overhead doesn't match "
                                    "RuntimeClass's defined Overhead")


def test_validate_refuses_overhead_without_a_class():
    # TestValidateOverhead "No RunntimeClass, Overhead set in pod"
    with pytest.raises(StatusError) as caught:
        validate(pod(overhead=OVERHEAD))
    assert caught.value.message == ('pods "web" is forbidden: pod rejected: Pod Overhead set without '
                                    "corresponding RuntimeClass defined Overhead")


def test_validate_refuses_overhead_when_the_class_has_none():
    # TestValidateOverhead "No Overhead in RunntimeClass, Overhead set in pod"
    with pytest.raises(StatusError, match="Pod Overhead set without corresponding RuntimeClass defined Overhead"):
        validate(pod(runtimeClassName="kata", overhead=OVERHEAD), runtime_class())


def test_validate_refuses_non_matching_overhead():
    # TestValidateOverhead "Non-matching Overheads"
    with pytest.raises(StatusError, match="Pod's Overhead doesn't match RuntimeClass's defined Overhead"):
        validate(pod(runtimeClassName="kata", overhead={"cpu": "10"}), runtime_class(overhead=OVERHEAD))


def test_validate_accepts_matching_overhead():
    # TestValidateOverhead "Matching Overheads"
    verdict = validate(pod(runtimeClassName="kata", overhead=OVERHEAD), runtime_class(overhead=OVERHEAD))
    assert verdict.message == "the pod overhead is RuntimeClass \"kata\"'s"


@pytest.mark.parametrize("overhead", [None, {}])
def test_validate_accepts_no_or_empty_overhead(overhead):
    # TestValidateOverhead "No RunntimeClass, empty Overhead set in pod", "... Overhead is nil in pod"
    assert validate(pod(overhead=overhead)).message == "the pod sets no overhead"


# --- scheduling ---------------------------------------------------------------------------------


def test_node_selector_is_copied_when_the_pod_has_none():
    # TestSetScheduling "scheduling, nil node selector"
    verdict = admit(pod(runtimeClassName="kata"), runtime_class(node_selector={"foo": "bar"}))
    assert verdict.object == pod(runtimeClassName="kata", nodeSelector={"foo": "bar"})


def test_node_selector_keys_are_merged():
    # TestSetScheduling "scheduling, node selector with different key value"
    verdict = admit(pod(runtimeClassName="kata", nodeSelector={"foo": "bar"}),
                    runtime_class(node_selector={"foo": "bar", "fizz": "buzz"}))
    assert verdict.object["spec"]["nodeSelector"] == {"foo": "bar", "fizz": "buzz"}


def test_node_selector_with_the_same_value_is_fine():
    # TestSetScheduling "scheduling, node selector with the same key value"
    same = runtime_class(node_selector={"foo": "bar"})
    verdict = admit(pod(runtimeClassName="kata", nodeSelector={"foo": "bar"}), same)
    assert not verdict.changed


def test_conflicting_node_selector_is_forbidden():
    # TestSetScheduling "scheduling, conflict node selector"
    with pytest.raises(StatusError) as caught:
        admit(pod(runtimeClassName="kata", nodeSelector={"foo": "bar"}),
              runtime_class(node_selector={"foo": "conflict"}))
    assert caught.value.message == ('pods "web" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[foo] = '
                                    "conflict; pod.spec.nodeSelector[foo] = bar")


def test_tolerations_are_merged_without_duplicates():
    # TestSetScheduling "scheduling, multiple tolerations": the pod's first, equal ones once.
    foo, fizz = toleration("foo", "bar"), toleration("fizz", "buzz")
    verdict = admit(pod(runtimeClassName="kata", tolerations=[foo]), runtime_class(tolerations=[foo, fizz]))
    assert verdict.object["spec"]["tolerations"] == [foo, fizz]
    assert verdict.message == 'RuntimeClass "kata": merged scheduling.tolerations'


def test_nil_scheduling_leaves_the_pod_alone():
    # TestSetScheduling "scheduling, nil scheduling"
    verdict = admit(pod(runtimeClassName="kata", nodeSelector={"foo": "bar"}, tolerations=[]), runtime_class())
    assert verdict.object == pod(runtimeClassName="kata", nodeSelector={"foo": "bar"}, tolerations=[])


def test_class_toleration_covering_the_pods_replaces_it():
    # MergeTolerations: "If one toleration is a superset of another, only the superset is kept."
    narrow = toleration("gpu", "a100")
    wide = toleration("gpu", operator="Exists")
    verdict = admit(pod(runtimeClassName="kata", tolerations=[narrow]), runtime_class(tolerations=[wide]))
    assert verdict.object["spec"]["tolerations"] == [wide]


# --- pkg/util/tolerations -----------------------------------------------------------------------


def test_empty_key_exists_covers_every_key():
    assert is_superset({"operator": "Exists"}, toleration("any", "v"))


def test_empty_effect_covers_every_effect():
    assert is_superset({"key": "k", "operator": "Exists"}, toleration("k", operator="Exists", effect="NoExecute"))


def test_longer_no_execute_seconds_covers_shorter():
    # isSuperset: ss covers t when t.TolerationSeconds <= ss.TolerationSeconds.
    long_, short = (toleration("k", operator="Exists", effect="NoExecute", seconds=s) for s in (600, 60))
    assert is_superset(long_, short) and not is_superset(short, long_)


def test_no_execute_with_seconds_does_not_cover_forever():
    forever = toleration("k", operator="Exists", effect="NoExecute")
    limited = toleration("k", operator="Exists", effect="NoExecute", seconds=60)
    assert is_superset(forever, limited) and not is_superset(limited, forever)


def test_equal_tolerations_keep_the_first():
    a, b = toleration("k", "v"), dict(toleration("k", "v"))
    merged = merge_tolerations([a], [b])
    assert merged == [a] and merged[0] is a


def test_unknown_operator_covers_nothing():
    assert not is_superset({"key": "k", "operator": "Sometimes"}, toleration("k", "v"))


# --- handles, chain, hostile input --------------------------------------------------------------


def test_handles_pod_create_only():
    plugin = RuntimeClass()
    assert plugin.handles(attrs(pod()))
    assert not plugin.handles(attrs(pod(), UPDATE))
    assert not plugin.handles(Attributes(CREATE, PODS, "dev", "web", {}, None, USER, "binding"))
    nodes = TABLE.for_resource("", "v1", "nodes")
    assert not plugin.handles(Attributes(CREATE, nodes, "", "n", {}, None, USER))


def test_in_a_chain_admit_then_validate_agree():
    chain = Chain(mutating=[RuntimeClass()], validating=[RuntimeClass()])
    state = State(runtime_class(overhead=OVERHEAD))
    admitted = chain.admit(attrs(pod(runtimeClassName="kata")), state)
    validated = chain.validate(attrs(admitted.object), state)
    assert admitted.error is None and validated.error is None
    assert validated.object["spec"]["overhead"] == OVERHEAD


def test_admit_does_not_modify_the_request_object():
    original = pod(runtimeClassName="kata", tolerations=[toleration("a", "b")])
    admit(original, runtime_class(overhead=OVERHEAD, node_selector={"x": "y"}, tolerations=[toleration("c", "d")]))
    assert original == pod(runtimeClassName="kata", tolerations=[toleration("a", "b")])


@pytest.mark.parametrize("spec", [[], "spec", 3])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec}
    assert admit(obj).object == obj


def test_non_string_runtime_class_name_is_not_found():
    with pytest.raises(StatusError, match="pod rejected: RuntimeClass 5 not found"):
        admit(pod(runtimeClassName=5))


def test_class_with_odd_scheduling_shapes_is_tolerated():
    rc = runtime_class()
    rc["scheduling"] = {"nodeSelector": "x", "tolerations": ["y", 3, toleration("ok", "1")]}
    verdict = admit(pod(runtimeClassName="kata"), rc)
    expected = {**pod()["spec"], "runtimeClassName": "kata", "tolerations": [toleration("ok", "1")]}
    assert verdict.object["spec"] == expected


def test_pod_with_non_list_tolerations_keeps_them_for_validation():
    verdict = admit(pod(runtimeClassName="kata", tolerations="x"), runtime_class(tolerations=[toleration("a", "b")]))
    assert verdict.object["spec"]["tolerations"] == "x"


def test_thousands_of_tolerations():
    many = [toleration(f"k{i}", "v") for i in range(600)]
    verdict = admit(pod(runtimeClassName="kata", tolerations=many), runtime_class(tolerations=many[::2]))
    assert verdict.object["spec"]["tolerations"] == many


def test_after_default_toleration_seconds_a_wider_class_toleration_replaces_the_default():
    # AllOrderedPlugins runs DefaultTolerationSeconds before RuntimeClass: a class tolerating every NoExecute
    # taint forever makes the two 300s tolerations redundant, and MergeTolerations drops them.
    from kauth.admission.default_toleration_seconds import DefaultTolerationSeconds

    chain = Chain(mutating=[DefaultTolerationSeconds(), RuntimeClass()], validating=[RuntimeClass()])
    everything = {"operator": "Exists", "effect": "NoExecute"}
    outcome = chain.admit(attrs(pod(runtimeClassName="kata")), State(runtime_class(tolerations=[everything])))
    assert outcome.object["spec"]["tolerations"] == [everything]
