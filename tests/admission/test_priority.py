"""The Priority admission plugin, as plugin/pkg/admission/priority/admission.go (v1.37) behaves.

Cases follow upstream's admission_test.go (TestPodAdmission, TestPriorityClassAdmission, TestDefaultPriority:
case names in comments); messages are admission.go's format strings.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes, Chain
from kauth.admission.priority import Priority, default_priority_class
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
PODS = TABLE.for_resource("", "v1", "pods")
CLASSES = TABLE.for_resource("scheduling.k8s.io", "v1", "priorityclasses")
USER = UserInfo("alice")


class State:
    """An in-memory StateView over PriorityClasses."""

    def __init__(self, *classes) -> None:
        self.classes = list(classes)

    def get(self, group, resource, namespace, name):
        return next((c for c in self.list(group, resource) if c["metadata"]["name"] == name), None)

    def list(self, group, resource, namespace=None):
        return list(self.classes) if (group, resource) == ("scheduling.k8s.io", "priorityclasses") else []


def priority_class(name: str, value: int, *, default: bool = False, policy: str | None = "PreemptLowerPriority"):
    pc = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name}, "value": value}
    if default:
        pc["globalDefault"] = True
    if policy is not None:
        pc["preemptionPolicy"] = policy
    return pc


def pod(**spec_fields) -> dict:
    spec = {"containers": [{"name": "c", "image": "nginx"}], **spec_fields}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "dev"}, "spec": spec}


def admit(obj, *classes, operation=CREATE, old=None, plugin=None, namespace="dev"):
    attributes = Attributes(operation, PODS, namespace, "web", obj, old, USER)
    return (plugin or Priority()).admit(attributes, State(*classes))


def validate(obj, *classes, operation=CREATE):
    attributes = Attributes(operation, CLASSES, "", obj["metadata"]["name"], obj, None, USER)
    return Priority().validate(attributes, State(*classes))


# --- pods: resolving the class ------------------------------------------------------------------


def test_pod_without_class_and_no_default_gets_priority_zero():
    # TestPodAdmission "pod without priority class and no default class"; getDefaultPriority: 0, PreemptLowerPriority.
    verdict = admit(pod(), priority_class("high", 1000))
    assert verdict.changed
    assert verdict.object == pod(priority=0, preemptionPolicy="PreemptLowerPriority")


def test_pod_without_class_gets_the_global_default():
    # TestPodAdmission "Pod without priority class": the default's name, value and policy.
    verdict = admit(pod(), priority_class("default-pc", 1000, default=True, policy="Never"))
    assert verdict.object == pod(priorityClassName="default-pc", priority=1000, preemptionPolicy="Never")
    assert verdict.message == 'priority 1000, preemptionPolicy Never from the global-default PriorityClass "default-pc"'


def test_several_defaults_pick_the_lowest_value():
    # TestDefaultPriority "multiple default classes resolves to the minimum value among them"
    classes = [priority_class("a", 300, default=True), priority_class("b", 100, default=True),
               priority_class("c", 200, default=True)]
    assert admit(pod(), *classes).object["spec"]["priorityClassName"] == "b"


def test_several_defaults_with_the_same_value_pick_the_first_listed():
    classes = [priority_class("first", 100, default=True), priority_class("second", 100, default=True)]
    assert default_priority_class(classes)["metadata"]["name"] == "first"


def test_named_class_sets_its_value_and_policy():
    # TestPodAdmission "Pod with priority class"
    verdict = admit(pod(priorityClassName="high"), priority_class("high", 1000, policy="Never"))
    assert verdict.object == pod(priorityClassName="high", priority=1000, preemptionPolicy="Never")


def test_named_class_wins_over_the_default():
    classes = [priority_class("default-pc", 10, default=True), priority_class("high", 1000)]
    assert admit(pod(priorityClassName="high"), *classes).object["spec"]["priority"] == 1000


def test_missing_class_is_forbidden():
    # TestPodAdmission "Pod with non-existing priority class"
    with pytest.raises(StatusError) as caught:
        admit(pod(priorityClassName="nope"), priority_class("high", 1000))
    assert caught.value.code == 403 and caught.value.reason == "Forbidden"
    assert caught.value.message == 'pods "web" is forbidden: no PriorityClass with name nope was found'


def test_forbidden_names_the_generate_name_when_the_pod_has_no_name():
    obj = pod(priorityClassName="nope")
    obj["metadata"] = {"generateName": "web-", "namespace": "dev"}
    attributes = Attributes(CREATE, PODS, "dev", "", obj, None, USER)
    with pytest.raises(StatusError) as caught:
        Priority().admit(attributes, State())
    assert caught.value.message == 'pods "web-" is forbidden: no PriorityClass with name nope was found'


def test_class_without_preemption_policy_leaves_the_pod_policy_alone():
    # preemptionPolicy is copied only when the class has one (stored classes always do: it is defaulted).
    verdict = admit(pod(priorityClassName="high", preemptionPolicy="Never"), priority_class("high", 5, policy=None))
    assert verdict.object == pod(priorityClassName="high", priority=5, preemptionPolicy="Never")


# --- pods: values the user sent -----------------------------------------------------------------


def test_user_priority_equal_to_the_computed_one_is_accepted():
    # TestPodAdmission "pod with priority that matches resolved priority"
    verdict = admit(pod(priorityClassName="high", priority=1000), priority_class("high", 1000))
    assert verdict.object["spec"]["priority"] == 1000


def test_user_priority_differing_from_the_class_is_forbidden():
    # TestPodAdmission "pod with integer priority"
    with pytest.raises(StatusError) as caught:
        admit(pod(priorityClassName="high", priority=7), priority_class("high", 1000))
    assert caught.value.message == (
        'pods "web" is forbidden: the integer value of priority (7) must not be provided in pod spec; '
        "priority admission controller computed 1000 from the given PriorityClass name")


def test_user_priority_without_class_must_be_zero():
    # The converse of TestPodAdmission "pod with priority that matches computed priority".
    with pytest.raises(StatusError) as caught:
        admit(pod(priority=5))
    assert "the integer value of priority (5) must not be provided in pod spec; priority admission controller " \
           "computed 0 from the given PriorityClass name" in caught.value.message


def test_user_preemption_policy_differing_from_the_class_is_forbidden():
    # TestPodAdmission "pod with preemtpion policy that does't matches resolved preemtpion policy"
    with pytest.raises(StatusError) as caught:
        admit(pod(priorityClassName="high", preemptionPolicy="Never"), priority_class("high", 1000))
    assert caught.value.message == (
        'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; '
        "priority admission controller computed PreemptLowerPriority from the given PriorityClass name")


# --- pods: the built-in system classes ----------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [("system-node-critical", 2000001000),
                                             ("system-cluster-critical", 2000000000)])
def test_system_classes_resolve_without_being_stored(name, value):
    # scheduling.SystemPriorityClasses(), created by the API server's bootstrap hook on a real cluster.
    verdict = admit(pod(priorityClassName=name), namespace="kube-system")
    assert verdict.object["spec"]["priority"] == value
    assert verdict.object["spec"]["preemptionPolicy"] == "PreemptLowerPriority"


def test_system_classes_are_allowed_in_any_namespace():
    # TestPodAdmission "pod with system critical priority in non-system namespace" expects no error: since
    # v1.17 the plugin no longer confines them to kube-system.
    verdict = admit(pod(priorityClassName="system-node-critical"), namespace="dev")
    assert verdict.object["spec"]["priority"] == 2000001000


def test_system_classes_can_be_switched_off():
    with pytest.raises(StatusError, match="no PriorityClass with name system-node-critical was found"):
        admit(pod(priorityClassName="system-node-critical"), plugin=Priority(system_classes=False))


def test_stored_system_class_wins_over_the_builtin():
    stored = priority_class("system-node-critical", 2000001000, policy="Never")
    assert admit(pod(priorityClassName="system-node-critical"), stored).object["spec"]["preemptionPolicy"] == "Never"


# --- pods: update -------------------------------------------------------------------------------


def test_update_keeps_priority_and_policy_the_new_pod_leaves_out():
    # admitPod: "This admission plugin set pod.Spec.Priority on create. Ensure the existing priority is preserved".
    old = pod(priority=1000, preemptionPolicy="Never")
    verdict = admit(pod(), operation=UPDATE, old=old)
    assert verdict.changed
    assert verdict.object == pod(priority=1000, preemptionPolicy="Never")


def test_update_with_priority_set_is_left_to_validation():
    verdict = admit(pod(priority=5), operation=UPDATE, old=pod(priority=1000))
    assert not verdict.changed and verdict.object == pod(priority=5)


def test_update_does_not_look_up_the_class():
    verdict = admit(pod(priorityClassName="gone"), operation=UPDATE, old=pod(priorityClassName="gone", priority=3))
    assert verdict.object["spec"]["priority"] == 3


# --- PriorityClasses ----------------------------------------------------------------------------


def test_first_global_default_is_allowed():
    # TestPriorityClassAdmission "create operator with default class"
    verdict = validate(priority_class("default-pc", 1000, default=True), priority_class("other", 10))
    assert verdict.message == "no other PriorityClass is the global default"


def test_second_global_default_is_forbidden():
    # TestPriorityClassAdmission "create operator with one existing default class"
    with pytest.raises(StatusError) as caught:
        validate(priority_class("second", 5, default=True), priority_class("first", 1000, default=True))
    assert caught.value.code == 403
    assert caught.value.message == ('priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first '
                                    "is already marked as default. Only one default can exist")


def test_update_of_the_default_class_itself_is_allowed():
    # "an existing priority class is being marked as default, while another default already exists" is the
    # only update refused: the default may be updated.
    current = priority_class("first", 1000, default=True)
    verdict = validate(priority_class("first", 1000, default=True), current, operation=UPDATE)
    assert verdict.message == "this PriorityClass is already the global default"


def test_marking_another_class_default_on_update_is_forbidden():
    # TestPriorityClassAdmission "update operator with different default classes"
    with pytest.raises(StatusError, match="PriorityClass first is already marked as default"):
        validate(priority_class("second", 5, default=True), priority_class("first", 1000, default=True),
                 operation=UPDATE)


def test_non_default_class_is_not_checked():
    verdict = validate(priority_class("plain", 5), priority_class("first", 1000, default=True))
    assert verdict.message == "not a global default: nothing to check"


@pytest.mark.parametrize("flag", ["true", 1, "yes"])
def test_global_default_must_be_the_boolean_true(flag):
    obj = priority_class("odd", 5)
    obj["globalDefault"] = flag
    validate(obj, priority_class("first", 1000, default=True))  # no error: validation rejects the type


# --- handles ------------------------------------------------------------------------------------


def test_handles_pod_and_priority_class_create_and_update_only():
    plugin = Priority()
    assert plugin.handles(Attributes(CREATE, PODS, "dev", "web", pod(), None, USER))
    assert plugin.handles(Attributes(UPDATE, PODS, "dev", "web", pod(), pod(), USER))
    assert plugin.handles(Attributes(CREATE, CLASSES, "", "x", priority_class("x", 1), None, USER))
    assert not plugin.handles(Attributes(DELETE, PODS, "dev", "web", None, pod(), USER))
    assert not plugin.handles(Attributes(UPDATE, PODS, "dev", "web", pod(), pod(), USER, "status"))
    assert not plugin.handles(Attributes(CREATE, PODS, "dev", "web", {}, None, USER, "binding"))
    services = TABLE.for_resource("", "v1", "services")
    assert not plugin.handles(Attributes(CREATE, services, "dev", "s", {}, None, USER))


def test_in_a_chain_the_pod_is_resolved_and_the_trace_says_so():
    chain = Chain(mutating=[Priority()], validating=[Priority()])
    attributes = Attributes(CREATE, PODS, "dev", "web", pod(priorityClassName="high"), None, USER)
    outcome = chain.admit(attributes, State(priority_class("high", 1000)))
    assert outcome.object["spec"]["priority"] == 1000
    assert outcome.steps[0].message == 'priority 1000, preemptionPolicy PreemptLowerPriority from PriorityClass "high"'


def test_admit_does_not_modify_the_request_object():
    original = pod(priorityClassName="high")
    admit(original, priority_class("high", 1000))
    assert original == pod(priorityClassName="high")


# --- hostile input ------------------------------------------------------------------------------


def test_pod_without_spec_gets_priority():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}
    assert admit(obj).object["spec"] == {"priority": 0, "preemptionPolicy": "PreemptLowerPriority"}


@pytest.mark.parametrize("spec", [[], "spec", 3])
def test_non_object_spec_is_left_to_validation(spec):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": spec}
    verdict = admit(obj)
    assert verdict.object == obj and not verdict.changed


@pytest.mark.parametrize("field", [{"priorityClassName": 5}, {"priority": "5"}, {"priority": True}])
def test_wrongly_typed_fields_are_left_to_validation(field):
    verdict = admit(pod(**field))
    assert verdict.object == pod(**field) and not verdict.changed


def test_non_object_pod_is_ignored():
    assert admit(None).object is None


def test_stored_classes_with_odd_shapes_are_skipped():
    odd = ["x", {"metadata": {"name": "v"}, "globalDefault": True, "value": "high"},
           priority_class("real", 50, default=True)]
    # A default whose value is not an integer counts as 0, the lowest: it wins, as a zero Value would.
    assert admit(pod(), *odd).object["spec"]["priority"] == 0


def test_thousands_of_classes():
    classes = [priority_class(f"pc-{i:05d}", i, default=(i % 100 == 7)) for i in range(5000)]
    assert admit(pod(), *classes).object["spec"]["priorityClassName"] == "pc-00007"
