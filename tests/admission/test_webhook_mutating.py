"""MutatingAdmissionWebhook against a local HTTPS webhook server, as kube-apiserver v1.37 calls webhooks.

Upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/mutating/dispatcher.go (Dispatch,
callAttrMutatingHook, the audit annotations), request/admissionreview.go; the cases follow
plugin/webhook/testing/testcase.go (NewMutatingTestCases); reinvocation is in test_reinvocation.py.
"""

from __future__ import annotations

import base64
import json

import pytest

from kauth.admission.chain import Chain
from kauth.api.errors import StatusError

from vap_helpers import create, deployment
from webhook_helpers import configuration, mutating_plugin, mutating_state, snapshot, state, webhook
from webhook_server import WebhookServer, Reply, allow, deny, fixed, patch, review_reply


@pytest.fixture
def webhook_server():
    """A started HTTPS WebhookServer (webhook_server.py), stopped after the test."""
    with WebhookServer() as server:
        yield server


ADD_LABEL = [{"op": "add", "path": "/metadata/labels/added", "value": "test"}]


def hook(server, path, name="mutate.example.com", **spec):
    return webhook(name, server.url(path), server.ca_bundle, **spec)


def rejection(plugin, attributes, s) -> StatusError:
    with pytest.raises(StatusError) as info:
        plugin.admit(attributes, s)
    return info.value


def mutation(configuration_name: str, name: str, mutated: bool) -> str:
    # testcase.go mutationAnnotationValue
    return json.dumps({"configuration": configuration_name, "webhook": name, "mutated": mutated},
                      separators=(",", ":"))


def test_patch_is_applied_and_annotated(webhook_server):
    # testcase.go "match & add label": mutation and patch annotations of round 0, index 0
    webhook_server.on("/add", patch(ADD_LABEL))
    obj = deployment()
    verdict = mutating_plugin().admit(create(obj), mutating_state(hook(webhook_server, "/add")))
    assert verdict.changed
    assert verdict.object["metadata"]["labels"] == {"app": "web", "added": "test"}
    assert obj == deployment()  # the input is never mutated
    assert verdict.audit_annotations == {
        "patch.webhook.admission.k8s.io/round_0_index_0":
            '{"configuration":"test-webhooks","webhook":"mutate.example.com","patch":[{"op":"add",'
            '"path":"/metadata/labels/added","value":"test"}],"patchType":"JSONPatch"}',
        "mutation.webhook.admission.k8s.io/round_0_index_0": mutation("test-webhooks", "mutate.example.com", True),
    }


def test_allow_without_patch_records_an_unmutated_call(webhook_server):
    webhook_server.on("/allow", allow(auditAnnotations={"key1": "value1"}))
    obj = deployment()
    verdict = mutating_plugin().admit(create(obj), mutating_state(hook(webhook_server, "/allow")))
    assert verdict.object is obj and not verdict.changed
    assert verdict.audit_annotations == {
        "mutate.example.com/key1": "value1",
        "mutation.webhook.admission.k8s.io/round_0_index_0": mutation("test-webhooks", "mutate.example.com", False)}


def test_patch_that_changes_nothing_is_not_a_mutation(webhook_server):
    webhook_server.on("/same", patch([{"op": "replace", "path": "/metadata/labels/app", "value": "web"}]))
    verdict = mutating_plugin().admit(create(deployment()), mutating_state(hook(webhook_server, "/same")))
    assert not verdict.changed
    assert verdict.audit_annotations["mutation.webhook.admission.k8s.io/round_0_index_0"] == \
        mutation("test-webhooks", "mutate.example.com", False)


def test_webhooks_run_in_configuration_name_order_each_seeing_the_previous_patch(webhook_server):
    # the configuration managers sort configurations by name; webhooks keep their order within one
    webhook_server.on("/first", patch([{"op": "add", "path": "/metadata/labels/first", "value": "1"}]))
    webhook_server.on("/second", patch([{"op": "add", "path": "/metadata/labels/second", "value": "2"}]))
    webhook_server.on("/third", allow())
    s = state(configuration("MutatingWebhookConfiguration", "b-config", hook(webhook_server, "/third", name="c")),
              configuration("MutatingWebhookConfiguration", "a-config", hook(webhook_server, "/first", name="a"),
                            hook(webhook_server, "/second", name="b")))
    verdict = mutating_plugin().admit(create(deployment()), s)
    assert [r.path for r in webhook_server.requests] == ["/first", "/second", "/third"]
    seen = [r["request"]["object"]["metadata"]["labels"] for r in webhook_server.reviews()]
    assert seen == [{"app": "web"}, {"app": "web", "first": "1"}, {"app": "web", "first": "1", "second": "2"}]
    assert verdict.audit_annotations["mutation.webhook.admission.k8s.io/round_0_index_2"] == \
        mutation("b-config", "c", False)


def test_patch_that_does_not_apply_rejects_whatever_the_failure_policy(webhook_server):
    # callAttrMutatingHook: patchObj.Apply's error is NewInternalError, not a call failure
    webhook_server.on("/bad", patch([{"op": "remove", "path": "/metadata/labels/nope"}]))
    s = mutating_state(hook(webhook_server, "/bad", failurePolicy="Ignore"))
    err = rejection(mutating_plugin(), create(deployment()), s)
    assert (err.code, err.reason, err.message) == (
        500, "InternalError", "Internal error occurred: error in remove for path: '/metadata/labels/nope': Unable "
                              "to remove nonexistent key: nope: missing value")
    assert err.audit_annotations == {"mutation.webhook.admission.k8s.io/round_0_index_0":
                                     mutation("test-webhooks", "mutate.example.com", False)}


def test_patch_that_breaks_the_object_rejects(webhook_server):
    # decoding the patched JSON into the kind's struct fails
    webhook_server.on("/break", patch([{"op": "replace", "path": "/metadata", "value": "gone"}]))
    err = rejection(mutating_plugin(), create(deployment()), mutating_state(hook(webhook_server, "/break")))
    assert err.message == ("Internal error occurred: json: cannot unmarshal string into Go struct field "
                           "Deployment.metadata of type v1.ObjectMeta")


def test_patched_unknown_fields_are_dropped(webhook_server):
    webhook_server.on("/unknown", patch([{"op": "add", "path": "/spec/bogus", "value": 1}]))
    verdict = mutating_plugin().admit(create(deployment()), mutating_state(hook(webhook_server, "/unknown")))
    assert "bogus" not in verdict.object["spec"] and not verdict.changed


def test_undecodable_patch_fails_the_call(webhook_server):
    # testcase.go "match & invalid mutation": ErrorContains "invalid character", status 500
    corrupted = base64.b64encode(b'[{"op": "add", "CORRUPTED_KEY":}]').decode()
    webhook_server.on("/corrupt", lambda review: review_reply(review, {"allowed": True, "patchType": "JSONPatch",
                                                                      "patch": corrupted}))
    err = rejection(mutating_plugin(), create(deployment()), mutating_state(hook(webhook_server, "/corrupt")))
    assert err.message == ('Internal error occurred: failed calling webhook "mutate.example.com": received '
                           "undecodable patch in webhook response: invalid character '}' looking for beginning of "
                           "value")


def test_undecodable_patch_is_ignored_under_failure_policy_ignore(webhook_server):
    corrupted = base64.b64encode(b"{").decode()
    webhook_server.on("/corrupt", lambda review: review_reply(review, {"allowed": True, "patchType": "JSONPatch",
                                                                      "patch": corrupted}))
    s = mutating_state(hook(webhook_server, "/corrupt", failurePolicy="Ignore"))
    verdict = mutating_plugin().admit(create(deployment()), s)
    assert verdict.audit_annotations["failed-open.mutation.webhook.admission.k8s.io/round_0_index_0"] == \
        "mutate.example.com"


def test_patch_without_patch_type_is_an_invalid_response(webhook_server):
    encoded = base64.b64encode(json.dumps(ADD_LABEL).encode()).decode()
    webhook_server.on("/notype", lambda review: review_reply(review, {"allowed": True, "patch": encoded}))
    err = rejection(mutating_plugin(), create(deployment()), mutating_state(hook(webhook_server, "/notype")))
    assert err.message.endswith("received invalid webhook response: webhook returned response.patch but not "
                                "response.patchType")


def test_v1beta1_patch_needs_no_patch_type(webhook_server):
    encoded = base64.b64encode(json.dumps(ADD_LABEL).encode()).decode()
    webhook_server.on("/beta", fixed(Reply({"response": {"allowed": True, "patch": encoded}})))
    s = mutating_state(hook(webhook_server, "/beta", admissionReviewVersions=["v1beta1", "v1"]))
    assert mutating_plugin().admit(create(deployment()), s).object["metadata"]["labels"]["added"] == "test"


def test_denial_stops_the_mutation(webhook_server):
    webhook_server.on("/deny", deny("images must be pinned", code=403, reason="Forbidden"))
    webhook_server.on("/add", patch(ADD_LABEL))
    s = mutating_state(hook(webhook_server, "/deny", name="a"), hook(webhook_server, "/add", name="b"))
    err = rejection(mutating_plugin(), create(deployment()), s)
    assert (err.code, err.message) == (403, 'admission webhook "a" denied the request: images must be pinned')
    assert [r.path for r in webhook_server.requests] == ["/deny"]


def test_patching_a_delete_is_refused(webhook_server):
    webhook_server.on("/add", patch(ADD_LABEL))
    rules = [{"operations": ["DELETE"], "apiGroups": ["apps"], "apiVersions": ["v1"], "resources": ["deployments"]}]
    obj = deployment()
    err = rejection(mutating_plugin(), create(obj, operation="DELETE", old=obj),
                    mutating_state(hook(webhook_server, "/add", rules=rules)))
    assert err.message == ('Internal error occurred: admission webhook "mutate.example.com" attempted to modify the '
                           "object, which is not supported for this operation")
    request = webhook_server.reviews()[0]["request"]
    assert request["object"] is None and request["oldObject"] == obj
    assert request["options"] == {"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1"}


def test_dry_run_with_side_effects_is_refused_and_recorded(webhook_server):
    # testcase.go "match & remove label dry run unsupported": 400, mutation annotation mutated=false
    webhook_server.on("/add", patch(ADD_LABEL))
    s = mutating_state(hook(webhook_server, "/add", sideEffects="Unknown"))
    err = rejection(mutating_plugin(), create(deployment(), dry_run=True), s)
    assert (err.code, err.message) == (400, 'admission webhook "mutate.example.com" does not support dry run')
    assert err.audit_annotations == {"mutation.webhook.admission.k8s.io/round_0_index_0":
                                     mutation("test-webhooks", "mutate.example.com", False)}
    assert webhook_server.requests == []


def test_warnings_are_returned(webhook_server):
    webhook_server.on("/add", patch(ADD_LABEL, warnings=["label added"]))
    outcome = Chain(mutating=[mutating_plugin()]).admit(create(deployment()),
                                                        mutating_state(hook(webhook_server, "/add")))
    assert outcome.warnings == ("label added",)
    assert outcome.object["metadata"]["labels"]["added"] == "test"


def test_timeout_with_failure_policy_fail_rejects(webhook_server):
    webhook_server.on("/slow", lambda review: Reply(review_reply(review, {"allowed": True}).body, delay=2))
    err = rejection(mutating_plugin(), create(deployment()),
                    mutating_state(hook(webhook_server, "/slow", timeoutSeconds=1)))
    assert err.message.endswith(f'Post "{webhook_server.url("/slow")}?timeout=1s": context deadline exceeded')


def test_the_state_is_never_changed(webhook_server):
    webhook_server.on("/add", patch(ADD_LABEL))
    s = mutating_state(hook(webhook_server, "/add"))
    before = snapshot(s)
    mutating_plugin().admit(create(deployment()), s)
    assert s.objects == before
