"""Reinvocation: the mutating chain runs a second time when a webhook or a MutatingAdmissionPolicy changed the object,
as kube-apiserver v1.37 does.

Upstream: staging/src/k8s.io/apiserver/pkg/admission/reinvocation.go (the reinvoker), plugin/webhook/mutating/
dispatcher.go and reinvocationcontext.go, plugin/policy/mutating/dispatcher.go and reinvocationcontext.go; the
webhook cases follow plugin/webhook/testing/testcase.go (NewReinvocationTestCases).
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import REINVOCATION, Attributes, Chain, Outcome
from kauth.admission.mutatingpolicy import MutatingAdmissionPolicy
from kauth.admission.plugins import build_chain
from kauth.admission.serviceaccount import DEFAULT_API_TOKEN_MOUNT_PATH, ServiceAccount
from kauth.apiserver.request import Credentials, Request, TraceStep
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster

from test_mutating_policy import apply_configuration, binding, policy, web
from vap_helpers import TABLE, ALICE, create, deployment
from webhook_helpers import GROUP, configuration, mutating_plugin, mutating_state, webhook
from webhook_server import WebhookServer, allow, deny, patch, review_reply

PODS = [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}]
COUNT_LABELS = apply_configuration(
    'Object{metadata: Object.metadata{annotations: {"labels": string(size(object.metadata.labels))}}}')


@pytest.fixture
def webhook_server():
    """A started HTTPS WebhookServer (webhook_server.py), stopped after the test."""
    with WebhookServer() as server:
        yield server


def hook(server, path, name, **spec) -> dict:
    return webhook(name, server.url(path), server.ca_bundle, **spec)


def labeller(label: str):
    """Adds `label` unless present (an idempotent webhook, as reinvocation expects)."""

    def handler(review):
        labels = review["request"]["object"]["metadata"].get("labels") or {}
        if label in labels:
            return review_reply(review, {"allowed": True})
        return patch([{"op": "add", "path": f"/metadata/labels/{label}", "value": "x"}])(review)

    return handler


def counter(review):
    """Counts its calls in the `count` annotation: it changes the object every time."""
    annotations = review["request"]["object"]["metadata"].get("annotations")
    if not annotations:
        return patch([{"op": "add", "path": "/metadata/annotations", "value": {"count": "1"}}])(review)
    count = str(int(annotations["count"]) + 1)
    return patch([{"op": "replace", "path": "/metadata/annotations/count", "value": count}])(review)


def sidecar(review):
    """Adds a `sidecar` container unless there is one."""
    if any(c["name"] == "sidecar" for c in review["request"]["object"]["spec"]["containers"]):
        return review_reply(review, {"allowed": True})
    return patch([{"op": "add", "path": "/spec/containers/-", "value": {"name": "sidecar", "image": "busybox"}}])(
        review)


def with_policies(s, *objects: dict):
    """Adds MutatingAdmissionPolicies and their bindings to a state."""
    for obj in objects:
        plural = "mutatingadmissionpolicies" if obj["kind"] == "MutatingAdmissionPolicy" else \
            "mutatingadmissionpolicybindings"
        s.add(GROUP, plural, obj)
    return s


def admit(s, attributes: Attributes, *plugins) -> Outcome:
    return Chain(mutating=list(plugins) or [mutating_plugin()]).admit(attributes, s)


def second_pass(outcome: Outcome) -> TraceStep:
    return next(s for s in outcome.steps if s.stage == REINVOCATION)


def passes(outcome: Outcome, plugin: str) -> list[TraceStep]:
    """The plugin's trace steps: the first pass's, then the second's."""
    steps = [s for s in outcome.steps if s.stage == plugin]
    return steps + [s for s in second_pass(outcome).children if s.stage == plugin]


# -- webhooks -------------------------------------------------------------------------------------------------------


def test_if_needed_webhook_is_reinvoked_after_a_later_webhook_changed_the_object(webhook_server):
    # reinvocationcontext.go: a change by a later webhook reinvokes the earlier IfNeeded one, in round 1
    webhook_server.on("/a", labeller("a")).on("/b", labeller("b"))
    s = mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded"), hook(webhook_server, "/b", "b"))
    outcome = admit(s, create(deployment()))
    assert [r.path for r in webhook_server.requests] == ["/a", "/b", "/a"]
    assert webhook_server.reviews()[2]["request"]["object"]["metadata"]["labels"] == {"app": "web", "a": "x",
                                                                                        "b": "x"}
    second = passes(outcome, "MutatingAdmissionWebhook")[1]
    assert second.details["auditAnnotations"] == {"mutation.webhook.admission.k8s.io/round_1_index_0":
                                                  '{"configuration":"test-webhooks","webhook":"a","mutated":false}'}


def test_never_webhook_is_not_reinvoked(webhook_server):
    webhook_server.on("/a", labeller("a")).on("/b", labeller("b"))
    outcome = admit(mutating_state(hook(webhook_server, "/a", "a"), hook(webhook_server, "/b", "b")),
                    create(deployment()))
    assert [r.path for r in webhook_server.requests] == ["/a", "/b"]
    assert "a: not reinvoked (reinvocationPolicy Never)" in passes(outcome, "MutatingAdmissionWebhook")[1].message


def test_if_needed_webhook_is_not_reinvoked_for_its_own_change(webhook_server):
    # dispatcher.go: the change is noted before the webhook joins the previously invoked ones
    webhook_server.on("/a", labeller("a")).on("/b", allow())
    s = mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded"),
                       hook(webhook_server, "/b", "b", reinvocationPolicy="IfNeeded"))
    outcome = admit(s, create(deployment()))
    assert [r.path for r in webhook_server.requests] == ["/a", "/b"]
    assert "a: not reinvoked: the object did not change after it ran" in \
        passes(outcome, "MutatingAdmissionWebhook")[1].message


def test_no_second_pass_when_no_webhook_changed_the_object(webhook_server):
    webhook_server.on("/a", allow())
    outcome = admit(mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded")),
                    create(deployment()))
    assert [s.stage for s in outcome.steps] == ["MutatingAdmissionWebhook"]
    assert len(webhook_server.requests) == 1


def test_the_chain_runs_a_second_time_only_once(webhook_server):
    # reinvocation.go: Admit at most twice, even when the reinvoked webhooks change the object again
    webhook_server.on("/a", counter).on("/b", counter)
    s = mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded"),
                       hook(webhook_server, "/b", "b", reinvocationPolicy="IfNeeded"))
    outcome = admit(s, create(deployment()))
    assert [r.path for r in webhook_server.requests] == ["/a", "/b", "/a", "/b"]
    assert outcome.object["metadata"]["annotations"] == {"count": "4"}
    assert [s.stage for s in outcome.steps] == ["MutatingAdmissionWebhook", REINVOCATION]


def test_a_webhook_is_never_called_for_the_first_time_on_reinvocation(webhook_server):
    # dispatcher.go: "during reinvocation, a webhook will not be called for the first time", even when the
    # object now matches its objectSelector
    webhook_server.on("/late", allow()).on("/b", labeller("b"))
    s = mutating_state(hook(webhook_server, "/late", "late", reinvocationPolicy="IfNeeded",
                            objectSelector={"matchLabels": {"b": "x"}}),
                       hook(webhook_server, "/b", "b"))
    outcome = admit(s, create(deployment()))
    assert [r.path for r in webhook_server.requests] == ["/b"]
    assert ("late: not called: a reinvocation never calls a webhook or policy for the first time"
            in passes(outcome, "MutatingAdmissionWebhook")[1].message)


def test_the_trace_shows_the_second_pass_and_why(webhook_server):
    webhook_server.on("/a", allow()).on("/b", labeller("b"))
    s = mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded"), hook(webhook_server, "/b", "b"))
    step = second_pass(admit(s, create(deployment())))
    assert (step.outcome, step.message) == ("reinvoked", (
        'the mutating plugins ran a second time because webhook "b" changed the object: in-tree plugins run again, '
        "a webhook or policy only with reinvocationPolicy IfNeeded when the object changed after it ran"))
    assert step.children[0].message.startswith(
        'a: reinvoked (reinvocationPolicy IfNeeded): webhook "b" changed the object after it ran; a: allowed')


def test_a_denial_on_the_second_pass_rejects_the_request(webhook_server):
    # reinvocation.go returns the second Admit's error as the chain's
    answers = iter([allow(), deny("changed my mind")])
    webhook_server.on("/a", lambda review: next(answers)(review)).on("/b", labeller("b"))
    s = mutating_state(hook(webhook_server, "/a", "a", reinvocationPolicy="IfNeeded"), hook(webhook_server, "/b", "b"))
    outcome = admit(s, create(deployment()))
    assert outcome.error is not None
    assert outcome.error.message == 'admission webhook "a" denied the request: changed my mind'
    assert (second_pass(outcome).outcome, second_pass(outcome).children[-1].outcome) == ("rejected", "rejected")


# -- webhooks and policies together -----------------------------------------------------------------------------


def test_if_needed_policy_is_reinvoked_after_a_later_webhook_changed_the_object(webhook_server):
    # policy/mutating/dispatcher.go: the policy's applied mutation left the object dirty, which re-armed it
    webhook_server.on("/w", labeller("w"))
    s = with_policies(mutating_state(hook(webhook_server, "/w", "w")),
                      policy("count", COUNT_LABELS, reinvocationPolicy="IfNeeded"), binding("count-binding", "count"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy(), mutating_plugin())
    assert outcome.object["metadata"]["annotations"] == {"labels": "2"}
    assert passes(outcome, "MutatingAdmissionPolicy")[1].message.startswith(
        "count with binding count-binding: reinvoked (reinvocationPolicy IfNeeded): the mutations applied marked the "
        "object dirty")


def test_if_needed_policy_that_applied_nothing_is_reinvoked_when_the_object_changed_after_it_ran(webhook_server):
    # policy/mutating/dispatcher.go: IsOutputChangedSinceLastPolicyInvocation on the second pass; the policy's
    # mutation failed (ignored) the first time, and works once the webhook added the label it reads
    webhook_server.on("/w", labeller("w"))
    copy_label = apply_configuration(
        'Object{metadata: Object.metadata{annotations: {"w": object.metadata.labels["w"]}}}')
    s = with_policies(mutating_state(hook(webhook_server, "/w", "w")),
                      policy("copy", copy_label, reinvocationPolicy="IfNeeded", failurePolicy="Ignore"),
                      binding("copy-binding", "copy"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy(), mutating_plugin())
    assert outcome.object["metadata"]["annotations"] == {"w": "x"}
    assert passes(outcome, "MutatingAdmissionPolicy")[1].message.startswith(
        "copy with binding copy-binding: reinvoked (reinvocationPolicy IfNeeded): the object changed after it ran "
        "(changed by MutatingAdmissionWebhook)")


def test_never_policy_is_not_reinvoked_after_a_later_webhook_changed_the_object(webhook_server):
    webhook_server.on("/w", labeller("w"))
    s = with_policies(mutating_state(hook(webhook_server, "/w", "w")),
                      policy("count", COUNT_LABELS), binding("count-binding", "count"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy(), mutating_plugin())
    assert outcome.object["metadata"]["annotations"] == {"labels": "1"}
    assert passes(outcome, "MutatingAdmissionPolicy")[1].message == \
        "count with binding count-binding: not reinvoked (reinvocationPolicy Never)"


def test_if_needed_webhook_is_reinvoked_after_a_policy_changed_the_object_on_the_second_pass(webhook_server):
    # the policy runs before the webhooks; reinvoked, it changes the object after the webhook ran
    webhook_server.on("/w", labeller("w"))
    s = with_policies(mutating_state(hook(webhook_server, "/w", "w", reinvocationPolicy="IfNeeded")),
                      policy("count", COUNT_LABELS, reinvocationPolicy="IfNeeded"), binding("count-binding", "count"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy(), mutating_plugin())
    assert [r.path for r in webhook_server.requests] == ["/w", "/w"]
    assert webhook_server.reviews()[1]["request"]["object"]["metadata"]["annotations"] == {"labels": "2"}
    assert passes(outcome, "MutatingAdmissionWebhook")[1].message.startswith(
        "w: reinvoked (reinvocationPolicy IfNeeded): the object changed after it ran (changed by "
        "MutatingAdmissionPolicy)")


def test_policy_mutations_that_change_nothing_still_reinvoke_the_chain():
    # policy/mutating/dispatcher.go: applying a mutation marks the versioned object Dirty, changed or not, and a
    # dirty object sets ShouldReinvoke and re-arms the IfNeeded policies that ran
    team = apply_configuration('Object{metadata: Object.metadata{labels: {"app": "web"}}}')
    s = with_policies(mutating_state(), policy("team", team, reinvocationPolicy="IfNeeded"), binding("tb", "team"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy())
    assert second_pass(outcome).message.startswith("the mutating plugins ran a second time because policies applied "
                                                    "mutations, which mark the object dirty even when they change "
                                                    "nothing")
    assert passes(outcome, "MutatingAdmissionPolicy")[1].message == (
        "team with binding tb: reinvoked (reinvocationPolicy IfNeeded): the mutations applied marked the object "
        "dirty; team with binding tb: reapplied 1 mutation(s), object unchanged")


def test_no_second_pass_when_no_policy_applied_a_mutation():
    conditional = policy("count", COUNT_LABELS, reinvocationPolicy="IfNeeded",
                         matchConditions=[{"name": "never", "expression": "false"}])
    s = with_policies(mutating_state(), conditional, binding("count-binding", "count"))
    outcome = admit(s, create(web()), MutatingAdmissionPolicy())
    assert [s.stage for s in outcome.steps] == ["MutatingAdmissionPolicy"]


# -- in-tree plugins ------------------------------------------------------------------------------------------------


class FirstChoice:
    """A random source that always picks the alphabet's first character: volume suffixes are "bbbbb"."""

    def choice(self, seq):
        return seq[0]


def pod_state(*webhooks: dict):
    s = mutating_state(*webhooks)
    return s.add("", "serviceaccounts", {"apiVersion": "v1", "kind": "ServiceAccount",
                                         "metadata": {"name": "default", "namespace": "default"}})


def pod_create() -> Attributes:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default", "labels": {"app": "p"}},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    return Attributes("CREATE", TABLE.for_resource("", "v1", "pods"), "default", "p", pod, None, ALICE)


def mounts(pod: dict) -> dict:
    return {c["name"]: [m["name"] for m in c.get("volumeMounts", [])] for c in pod["spec"]["containers"]}


def test_in_tree_plugins_run_again_and_serviceaccount_adds_no_second_volume(webhook_server):
    webhook_server.on("/label", labeller("team"))
    outcome = admit(pod_state(hook(webhook_server, "/label", "label", rules=PODS)), pod_create(),
                    ServiceAccount(FirstChoice()), mutating_plugin())
    assert [v["name"] for v in outcome.object["spec"]["volumes"]] == ["kube-api-access-bbbbb"]
    assert mounts(outcome.object) == {"c": ["kube-api-access-bbbbb"]}
    assert [s.outcome for s in passes(outcome, "ServiceAccount")] == ["mutated", "admitted"]


def test_an_in_tree_change_on_the_second_pass_reinvokes_an_if_needed_webhook(webhook_server):
    # the webhook adds a container; ServiceAccount, run again, mounts the token in it; the webhook, seeing the
    # object changed since it ran, is reinvoked
    webhook_server.on("/sidecar", sidecar)
    outcome = admit(pod_state(hook(webhook_server, "/sidecar", "sidecar", rules=PODS, reinvocationPolicy="IfNeeded")),
                    pod_create(), ServiceAccount(FirstChoice()), mutating_plugin())
    assert mounts(outcome.object) == {"c": ["kube-api-access-bbbbb"], "sidecar": ["kube-api-access-bbbbb"]}
    assert len(webhook_server.requests) == 2
    assert passes(outcome, "MutatingAdmissionWebhook")[1].message.startswith(
        "sidecar: reinvoked (reinvocationPolicy IfNeeded): the object changed after it ran (changed by "
        "ServiceAccount)")


def test_the_default_chain_reinvokes_through_the_pipeline(webhook_server):
    # every in-tree plugin of kube-apiserver's default chain runs twice without rejecting its own result
    webhook_server.on("/label", labeller("team"))
    cluster = Cluster.in_memory()
    cluster.server.admission = build_chain(authorizer=cluster.server.authorizer)
    admin = Credentials(asserted_user=CLUSTER_ADMIN)
    config = configuration("MutatingWebhookConfiguration", "labels",
                           hook(webhook_server, "/label", "label.example.com", rules=PODS))
    assert cluster.handle(Request("create", GROUP, "v1", "mutatingwebhookconfigurations", body=config,
                                  credentials=admin)).ok
    response = cluster.handle(Request("create", "", "v1", "pods", "default", body=pod_create().object,
                                      credentials=admin))
    assert response.ok, response.body
    assert response.body["metadata"]["labels"] == {"app": "p", "team": "x"}
    assert len(response.body["spec"]["volumes"]) == 1
    assert response.body["spec"]["containers"][0]["volumeMounts"][0]["mountPath"] == DEFAULT_API_TOKEN_MOUNT_PATH
    mutating = next(s for s in response.trace if s.stage == "mutating admission")
    assert mutating.message.endswith("; then all ran a second time (reinvocation)")
