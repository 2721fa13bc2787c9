"""ValidatingAdmissionWebhook against a local HTTPS webhook server, as kube-apiserver v1.37 calls webhooks.

Upstream: staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/validating/dispatcher.go, generic/webhook.go,
request/admissionreview.go, errors/statuserror.go, util/webhook/error.go; the cases follow
plugin/webhook/testing/testcase.go (NewNonMutatingTestCases).
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import Chain
from kauth.admission.webhook import services
from kauth.api.errors import StatusError

from vap_helpers import create, deployment, namespace
from webhook_helpers import (UID, configuration, mutating_plugin, snapshot, state, validating_plugin,
                             validating_state, webhook)
from webhook_server import Reply, WebhookServer, allow, deny, fixed, patch, review_reply


@pytest.fixture
def webhook_server():
    """A started HTTPS WebhookServer (webhook_server.py), stopped after the test."""
    with WebhookServer() as server:
        yield server


def rejection(plugin, attributes, s) -> StatusError:
    with pytest.raises(StatusError) as info:
        plugin.validate(attributes, s)
    return info.value


def hook(server, path, name="check.example.com", **spec):
    return webhook(name, server.url(path), server.ca_bundle, **spec)


# -- responses -------------------------------------------------------------------------------------------------

def test_denial_carries_the_webhook_message(webhook_server):
    # errors/statuserror.go ToStatusErr: `admission webhook %q denied the request: <message>`; code < 400 -> 400
    webhook_server.on("/deny", deny("replicas must be odd"))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/deny")))
    assert err.message == 'admission webhook "check.example.com" denied the request: replicas must be odd'
    assert (err.code, err.reason) == (400, "")


def test_denial_keeps_the_webhook_status_code_and_reason(webhook_server):
    webhook_server.on("/deny", deny("no", code=403, reason="Forbidden"))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/deny")))
    assert (err.code, err.reason, err.message) == (403, "Forbidden",
                                                   'admission webhook "check.example.com" denied the request: no')


def test_denial_without_message_uses_the_reason_or_says_without_explanation(webhook_server):
    # testcase.go "match & disallow": ErrorContains "without explanation"
    webhook_server.on("/bare", deny()).on("/reason", deny(reason="NotAcceptable"))
    s = validating_state(hook(webhook_server, "/bare"))
    assert rejection(validating_plugin(), create(deployment()), s).message == \
        'admission webhook "check.example.com" denied the request without explanation'
    s = validating_state(hook(webhook_server, "/reason"))
    assert rejection(validating_plugin(), create(deployment()), s).message == \
        'admission webhook "check.example.com" denied the request: NotAcceptable'


def test_allowed_request_passes_unchanged_with_warnings_and_audit_annotations(webhook_server):
    # dispatcher.go callHook: auditAnnotations recorded as `<webhook name>/<key>`, warnings to the client
    webhook_server.on("/allow", allow(warnings=["replicas is high"], auditAnnotations={"key1": "value1"}))
    obj = deployment()
    verdict = validating_plugin().validate(create(obj), validating_state(hook(webhook_server, "/allow")))
    assert verdict.object is obj and not verdict.changed
    assert verdict.warnings == ("replicas is high",)
    assert verdict.audit_annotations == {"check.example.com/key1": "value1"}


def test_warnings_travel_through_the_chain(webhook_server):
    webhook_server.on("/allow", allow(warnings=["deprecated field"]))
    outcome = Chain(validating=[validating_plugin()]).validate(create(deployment()),
                                                               validating_state(hook(webhook_server, "/allow")))
    assert outcome.error is None and outcome.warnings == ("deprecated field",)


# -- the request -------------------------------------------------------------------------------------------------

def test_the_request_is_an_admission_review_v1(webhook_server):
    # request/admissionreview.go CreateV1AdmissionReview; rest client r.Timeout -> `?timeout=10s`
    webhook_server.on("/allow", allow())
    obj = deployment()
    validating_plugin().validate(create(obj), validating_state(hook(webhook_server, "/allow")))
    (recorded,) = webhook_server.requests
    assert recorded.query == "timeout=10s"
    assert recorded.headers["Content-Type"] == "application/json"
    assert recorded.body == {
        "kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
        "request": {
            "uid": UID,
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "requestKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "requestResource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "name": "web", "namespace": "default", "operation": "CREATE",
            "userInfo": {"username": "alice", "uid": "u-1", "groups": ["dev", "system:authenticated"]},
            "object": obj, "oldObject": None, "dryRun": False,
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"}}}


def test_v1beta1_is_sent_when_the_webhook_accepts_only_v1beta1(webhook_server):
    # CreateAdmissionObjects: the first known version of admissionReviewVersions; v1beta1 answers are not checked
    # for uid or kind (VerifyAdmissionResponse)
    webhook_server.on("/old", fixed(Reply({"response": {"allowed": True}})))
    validating_plugin().validate(create(deployment()), validating_state(
        hook(webhook_server, "/old", admissionReviewVersions=["v1beta1"])))
    assert webhook_server.reviews()[0]["apiVersion"] == "admission.k8s.io/v1beta1"


def test_unknown_review_versions_fail_the_call(webhook_server):
    s = validating_state(hook(webhook_server, "/x", admissionReviewVersions=["v2"]))
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message == ('Internal error occurred: failed calling webhook "check.example.com": could not create '
                           'admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)')
    assert webhook_server.requests == []


def test_timeout_seconds_is_the_query_parameter(webhook_server):
    webhook_server.on("/allow", allow())
    validating_plugin().validate(create(deployment()), validating_state(
        hook(webhook_server, "/allow", timeoutSeconds=3)))
    assert webhook_server.requests[0].query == "timeout=3s"


# -- bad answers: `failed calling webhook`, then failurePolicy -----------------------------------------------------

def test_garbage_body_fails_the_call(webhook_server):
    # json serializer: `couldn't get version/kind; json parse error: ...`, wrapped by ErrCallingWebhook and
    # NewInternalError (failurePolicy Fail)
    webhook_server.on("/garbage", fixed(Reply(raw=b"garbage")))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/garbage")))
    cause = ('failed calling webhook "check.example.com": failed to call webhook: couldn\'t get version/kind; '
             "json parse error: invalid character 'g' looking for beginning of value")
    assert (err.code, err.reason, err.message) == (500, "InternalError", f"Internal error occurred: {cause}")
    assert err.details == {"causes": [{"message": cause}]}


def test_wrong_uid_is_an_invalid_response(webhook_server):
    # VerifyAdmissionResponse: `expected response.uid=%q, got %q`
    webhook_server.on("/uid", lambda review: review_reply(review, {"uid": "not-mine", "allowed": True}))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/uid")))
    assert err.message == ('Internal error occurred: failed calling webhook "check.example.com": received invalid '
                           f'webhook response: expected response.uid="{UID}", got "not-mine"')


def test_answer_without_apiversion_and_kind_is_an_invalid_response(webhook_server):
    # the message users meet when a webhook answers v1 like v1beta1
    webhook_server.on("/nokind", lambda review: Reply({"response": {"uid": review["request"]["uid"],
                                                                    "allowed": True}}))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/nokind")))
    assert err.message.endswith("received invalid webhook response: expected webhook response of "
                                "admission.k8s.io/v1, Kind=AdmissionReview, got /, Kind=")


def test_wrong_kind_is_not_registered_in_the_webhook_client_scheme(webhook_server):
    # json serializer UseOrCreateObject -> scheme.New: runtime.NewNotRegisteredErrForKind
    webhook_server.on("/kind", lambda review: Reply({"apiVersion": "admission.k8s.io/v1", "kind": "Review",
                                                     "response": {"uid": review["request"]["uid"], "allowed": True}}))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/kind")))
    assert err.message.endswith('failed to call webhook: no kind "Review" is registered for version '
                                '"admission.k8s.io/v1" in scheme "pkg/util/webhook/client.go:69"')


def test_v1beta1_answer_to_a_v1_review_does_not_convert(webhook_server):
    # the versioning decoder converts what it decoded into the target type: there is no conversion between them
    webhook_server.on("/beta", lambda review: review_reply(review, {"allowed": True},
                                                           version="admission.k8s.io/v1beta1"))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/beta")))
    assert err.message.endswith("failed to call webhook: converting (k8s.io/api/admission/v1beta1) AdmissionReview "
                                "to (k8s.io/api/admission/v1) AdmissionReview: unknown conversion")


def test_absent_response_fails_the_call(webhook_server):
    # testcase.go "absent response and fail closed": ErrorContains "webhook response was absent"
    webhook_server.on("/nil", fixed(Reply({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"})))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/nil")))
    assert err.message.endswith("received invalid webhook response: webhook response was absent")


def test_http_error_fails_the_call(webhook_server):
    # rest client newUnstructuredResponseError -> NewGenericServerResponse(500, ...)
    webhook_server.on("/boom", fixed(Reply("webhook internal server error\n", 500, "text/plain; charset=utf-8")))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/boom")))
    assert err.message == ('Internal error occurred: failed calling webhook "check.example.com": failed to call '
                           'webhook: an error on the server ("webhook internal server error") has prevented the '
                           'request from succeeding')


def test_http_error_with_a_status_body_reports_that_status(webhook_server):
    # Result.Error(): a Failure Status in the body is preferred
    status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "overloaded", "code": 429}
    webhook_server.on("/busy", fixed(Reply(status, 429)))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/busy")))
    assert err.message.endswith("failed to call webhook: overloaded")


def test_non_json_success_fails_the_call(webhook_server):
    webhook_server.on("/text", fixed(Reply("ok", 200, "text/plain")))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/text")))
    assert err.message.endswith("failed to call webhook: serializer for text/plain doesn't exist")


def test_validating_webhook_may_not_patch(webhook_server):
    webhook_server.on("/patch", patch([{"op": "add", "path": "/metadata/labels/x", "value": "y"}]))
    err = rejection(validating_plugin(), create(deployment()), validating_state(hook(webhook_server, "/patch")))
    assert err.message.endswith("received invalid webhook response: validating webhook may not return "
                                "response.patch")


def test_timeout_fails_the_call_with_context_deadline_exceeded(webhook_server):
    # callHook: context.WithTimeout(timeoutSeconds); url.Error `Post "<url>": context deadline exceeded`
    webhook_server.on("/slow", lambda review: Reply(review_reply(review, {"allowed": True}).body, delay=2))
    err = rejection(validating_plugin(), create(deployment()),
                    validating_state(hook(webhook_server, "/slow", timeoutSeconds=1)))
    assert err.message == ('Internal error occurred: failed calling webhook "check.example.com": failed to call '
                           f'webhook: Post "{webhook_server.url("/slow")}?timeout=1s": context deadline exceeded')


def test_failure_policy_ignore_admits_and_records_failing_open(webhook_server):
    # testcase.go "match & fail (but allow because fail open)": failed-open.validating...round_0_index_<i>
    webhook_server.on("/garbage", fixed(Reply(raw=b"garbage"))).on("/allow", allow())
    s = validating_state(hook(webhook_server, "/allow", name="a.example.com"),
                         hook(webhook_server, "/garbage", name="b.example.com", failurePolicy="Ignore"))
    verdict = validating_plugin().validate(create(deployment()), s)
    assert verdict.audit_annotations == {"failed-open.validating.webhook.admission.k8s.io/round_0_index_1":
                                         "b.example.com"}


def test_failure_policy_ignore_never_ignores_a_denial(webhook_server):
    webhook_server.on("/deny", deny("no"))
    s = validating_state(hook(webhook_server, "/deny", failurePolicy="Ignore"))
    assert rejection(validating_plugin(), create(deployment()), s).message.endswith("denied the request: no")


def test_unreachable_service_fails_with_a_message_naming_it():
    # a simulated cluster has no cluster network: the service's URL is upstream's (`https://<svc>.<ns>.svc:443`)
    s = validating_state(webhook("svc.example.com", service={"namespace": "webhooks", "name": "checker",
                                                            "path": "/validate"}))
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message == (
        'Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: '
        'Post "https://checker.webhooks.svc:443/validate?timeout=10s": service "webhooks/checker" cannot be reached: '
        "a simulated cluster has no cluster network (give the webhook plugin a service_resolver that maps it to a "
        "URL)")


def test_unreachable_service_with_failure_policy_ignore_is_skipped():
    s = validating_state(webhook("svc.example.com", service={"namespace": "webhooks", "name": "checker"},
                                 failurePolicy="Ignore"))
    verdict = validating_plugin().validate(create(deployment()), s)
    assert verdict.audit_annotations == {"failed-open.validating.webhook.admission.k8s.io/round_0_index_0":
                                         "svc.example.com"}


def test_service_resolver_maps_a_service_to_a_local_url(webhook_server):
    # the certificate is verified for `<name>.<namespace>.svc`, as upstream's client does
    webhook_server.on("/validate", deny("seen through the service"))
    s = validating_state(webhook("svc.example.com", ca_bundle=webhook_server.ca_bundle,
                                 service={"namespace": "default", "name": "webhook", "path": "/validate"}))
    plugin = validating_plugin(service_resolver=services({("default", "webhook"): webhook_server.base}))
    assert rejection(plugin, create(deployment()), s).message.endswith("denied the request: seen through the service")


def test_connection_refused_fails_the_call():
    with WebhookServer() as server:
        url = server.url("/gone")
    s = validating_state(webhook("gone.example.com", url))
    err = rejection(validating_plugin(), create(deployment()), s)
    address = url.split("//", 1)[1].split("/", 1)[0]
    assert err.message.endswith(f'failed to call webhook: Post "{url}?timeout=10s": dial tcp {address}: connect: '
                                "connection refused")


def test_certificate_from_an_unknown_authority_fails_the_call(webhook_server):
    webhook_server.on("/allow", allow())
    s = validating_state(webhook("tls.example.com", webhook_server.url("/allow")))  # no caBundle
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message.endswith("tls: failed to verify certificate: x509: certificate signed by unknown authority")


def test_plain_http_url_is_refused_unless_allowed():
    # util/webhook/validation.go ValidateWebhookURL refuses it when written; kauth stores it, so the call fails
    with WebhookServer(tls=False) as server:
        server.on("/deny", deny("over http"))
        s = validating_state(webhook("http.example.com", server.url("/deny")))
        err = rejection(validating_plugin(), create(deployment()), s)
        assert err.message.endswith("'https' is the only allowed URL scheme; desired format: https://host[/path]")
        assert server.requests == []
        err = rejection(validating_plugin(allow_http=True), create(deployment()), s)
        assert err.message.endswith("denied the request: over http")


# -- dry run -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("side_effects", ["Some", "Unknown"])
def test_dry_run_with_side_effects_is_refused_without_calling(webhook_server, side_effects):
    # NewDryRunUnsupportedErr: 400 `admission webhook %q does not support dry run`, whatever the failurePolicy
    webhook_server.on("/allow", allow())
    s = validating_state(hook(webhook_server, "/allow", sideEffects=side_effects, failurePolicy="Ignore"))
    err = rejection(validating_plugin(), create(deployment(), dry_run=True), s)
    assert (err.code, err.reason, err.message) == (
        400, "BadRequest", 'admission webhook "check.example.com" does not support dry run')
    assert webhook_server.requests == []


@pytest.mark.parametrize("side_effects", ["None", "NoneOnDryRun"])
def test_dry_run_calls_webhooks_without_side_effects(webhook_server, side_effects):
    webhook_server.on("/allow", allow())
    s = validating_state(hook(webhook_server, "/allow", sideEffects=side_effects))
    validating_plugin().validate(create(deployment(), dry_run=True), s)
    assert webhook_server.reviews()[0]["request"]["dryRun"] is True


# -- which requests --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("resource, kind", [
    ("validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
    ("mutatingwebhookconfigurations", "MutatingWebhookConfiguration"),
    ("validatingadmissionpolicies", "ValidatingAdmissionPolicy"),
    ("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding"),
])
def test_admission_configuration_is_never_intercepted(webhook_server, resource, kind):
    # rules.IsExemptAdmissionConfigurationResource: a broken webhook can always be removed
    webhook_server.on("/deny", deny("no"))
    everything = [{"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*/*"]}]
    s = validating_state(hook(webhook_server, "/deny", rules=everything))
    obj = {"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind, "metadata": {"name": "x"}}
    plugin = validating_plugin()
    assert not plugin.handles(create(obj)) and not mutating_plugin().handles(create(obj))
    assert Chain(validating=[plugin]).validate(create(obj), s).error is None
    assert webhook_server.requests == []


def test_rules_that_do_not_match_skip_the_webhook(webhook_server):
    webhook_server.on("/deny", deny("no"))
    s = validating_state(hook(webhook_server, "/deny", rules=[{"operations": ["DELETE"], "apiGroups": ["apps"],
                                                               "apiVersions": ["v1"], "resources": ["deployments"]}]))
    validating_plugin().validate(create(deployment()), s)
    assert webhook_server.requests == []


def test_namespace_selector(webhook_server):
    # predicates/namespace/matcher.go: the namespace's labels
    webhook_server.on("/deny", deny("no"))
    selector = {"matchExpressions": [{"key": "runlevel", "operator": "NotIn", "values": ["0"]}]}
    s = validating_state(hook(webhook_server, "/deny", namespaceSelector=selector),
                         namespaces=[namespace("default", {"runlevel": "0"}), namespace("apps", {"runlevel": "1"})])
    validating_plugin().validate(create(deployment()), s)
    assert webhook_server.requests == []
    rejection(validating_plugin(), create(deployment(namespace_name="apps")), s)


def test_namespace_selector_on_a_missing_namespace_is_not_found(webhook_server):
    webhook_server.on("/deny", deny("no"))
    s = validating_state(hook(webhook_server, "/deny", namespaceSelector={"matchLabels": {"a": "b"}}))
    err = rejection(validating_plugin(), create(deployment(namespace_name="nowhere")), s)
    assert (err.code, err.message) == (404, 'namespaces "nowhere" not found')


def test_object_selector(webhook_server):
    # predicates/object/matcher.go: the new or the old object's labels
    webhook_server.on("/deny", deny("no"))
    s = validating_state(hook(webhook_server, "/deny", objectSelector={"matchLabels": {"checked": "yes"}}))
    validating_plugin().validate(create(deployment()), s)
    assert webhook_server.requests == []
    rejection(validating_plugin(), create(deployment(labels={"checked": "yes"})), s)


def test_match_conditions_false_skip_the_webhook(webhook_server):
    webhook_server.on("/deny", deny("no"))
    conditions = [{"name": "big", "expression": "object.spec.replicas > 5"}]
    s = validating_state(hook(webhook_server, "/deny", matchConditions=conditions))
    validating_plugin().validate(create(deployment(replicas=3)), s)
    assert webhook_server.requests == []
    rejection(validating_plugin(), create(deployment(replicas=10)), s)


def test_match_condition_error_forbids_under_fail(webhook_server):
    # generic/webhook.go: a matchConditions error fails closed with NewForbidden, without calling the webhook
    webhook_server.on("/allow", allow())
    conditions = [{"name": "broken", "expression": "object.spec.nope > 5"}]
    s = validating_state(hook(webhook_server, "/allow", matchConditions=conditions))
    err = rejection(validating_plugin(), create(deployment()), s)
    assert (err.code, err.message) == (403, 'deployments.apps "web" is forbidden: expression '
                                            "'object.spec.nope > 5' resulted in error: no such key: nope")
    assert webhook_server.requests == []


def test_match_condition_error_skips_under_ignore(webhook_server):
    # matchconditions/matcher.go: failurePolicy Ignore makes an error a non-match
    webhook_server.on("/deny", deny("no"))
    conditions = [{"name": "broken", "expression": "object.spec.nope > 5"}]
    s = validating_state(hook(webhook_server, "/deny", matchConditions=conditions, failurePolicy="Ignore"))
    validating_plugin().validate(create(deployment()), s)
    assert webhook_server.requests == []


def test_match_policy_equivalent_calls_with_the_matched_version(webhook_server):
    # generic/webhook.go ShouldCallHook: an equivalent resource; the review's kind/resource is that version,
    # requestKind/requestResource the request's
    webhook_server.on("/allow", allow())
    hpa_v1 = [{"operations": ["CREATE"], "apiGroups": ["autoscaling"], "apiVersions": ["v1"],
               "resources": ["horizontalpodautoscalers"]}]
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "namespace": "default"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 1, "maxReplicas": 3}}
    validating_plugin().validate(create(hpa), validating_state(hook(webhook_server, "/allow", rules=hpa_v1,
                                                                    name="e.example.com")))
    request = webhook_server.reviews()[0]["request"]
    assert request["kind"] == {"group": "autoscaling", "version": "v1", "kind": "HorizontalPodAutoscaler"}
    assert request["requestKind"] == {"group": "autoscaling", "version": "v2", "kind": "HorizontalPodAutoscaler"}
    assert request["object"]["apiVersion"] == "autoscaling/v1"
    exact = validating_state(hook(webhook_server, "/allow", rules=hpa_v1, matchPolicy="Exact"))
    validating_plugin().validate(create(hpa), exact)
    assert len(webhook_server.requests) == 1


# -- several webhooks --------------------------------------------------------------------------------------------

def test_every_webhook_is_called_and_the_first_rejection_by_order_is_reported(webhook_server):
    # validating/dispatcher.go calls all relevant webhooks in parallel and returns one of the errors
    webhook_server.on("/allow", allow(warnings=["from a"])).on("/deny1", deny("first")).on("/deny2", deny("second"))
    s = state(configuration("ValidatingWebhookConfiguration", "b-config", hook(webhook_server, "/deny2",
                                                                              name="c.example.com")),
              configuration("ValidatingWebhookConfiguration", "a-config",
                            hook(webhook_server, "/allow", name="a.example.com"),
                            hook(webhook_server, "/deny1", name="b.example.com")))
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message == 'admission webhook "b.example.com" denied the request: first'
    assert sorted(r.path for r in webhook_server.requests) == ["/allow", "/deny1", "/deny2"]
    assert err.warnings == ("from a",)


def test_webhooks_are_called_in_parallel(webhook_server):
    import time

    slow = lambda review: Reply(review_reply(review, {"allowed": True}).body, delay=0.6)  # noqa: E731
    webhook_server.on("/slow", slow)
    s = validating_state(*(hook(webhook_server, "/slow", name=f"w{i}.example.com") for i in range(3)))
    started = time.monotonic()
    validating_plugin().validate(create(deployment()), s)
    assert time.monotonic() - started < 1.5


def test_the_state_is_never_changed(webhook_server):
    webhook_server.on("/deny", deny("no"))
    s = validating_state(hook(webhook_server, "/deny"))
    before = snapshot(s)
    obj = deployment()
    rejection(validating_plugin(), create(obj), s)
    assert s.objects == before and obj == deployment()


def test_audit_annotation_with_an_illegal_key_is_dropped(webhook_server):
    # testcase.go "illegal annotation format": allowed, nothing recorded (AddAnnotation checks the key format)
    webhook_server.on("/allow", allow(auditAnnotations={"invalid*key": "value", "good": "kept"}))
    verdict = validating_plugin().validate(create(deployment()), validating_state(hook(webhook_server, "/allow")))
    assert verdict.audit_annotations == {"check.example.com/good": "kept"}


def test_ca_bundle_that_is_not_pem_fails_the_call(webhook_server):
    # util/webhook/client.go: the REST client config cannot load its root certificates
    s = validating_state(webhook("tls.example.com", webhook_server.url("/allow"), "bm90IGEgY2VydGlmaWNhdGU="))
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message == ('Internal error occurred: failed calling webhook "tls.example.com": could not get REST '
                           "client: unable to load root certificates: unable to parse bytes as PEM block")


def test_url_path_is_cleaned_as_the_rest_client_joins_it(webhook_server):
    # rest client: path.Join("/", apiPath): a trailing slash is dropped, no path is "/"
    webhook_server.on("/allow", allow())
    validating_plugin().validate(create(deployment()), validating_state(hook(webhook_server, "/allow/")))
    assert [r.path for r in webhook_server.requests] == ["/allow"]


def test_the_verdict_says_why_webhooks_were_not_called(webhook_server):
    # the trace (--explain) shows each webhook's fate
    webhook_server.on("/allow", allow())
    s = validating_state(hook(webhook_server, "/allow", name="a.example.com"),
                         hook(webhook_server, "/allow", name="b.example.com",
                              objectSelector={"matchLabels": {"x": "y"}}))
    verdict = validating_plugin().validate(create(deployment()), s)
    assert verdict.message == "b.example.com: not called (objectSelector does not match); a.example.com: allowed"


def test_match_conditions_may_ask_the_authorizer(webhook_server):
    # matchConditions declare `authorizer` (generic/webhook.go passes the plugin's authorizer to the matcher)
    from vap_helpers import RecordingAuthorizer

    webhook_server.on("/deny", deny("only for those who cannot delete"))
    conditions = [{"name": "not-admin", "expression":
                   "!authorizer.group('apps').resource('deployments').namespace('default').check('delete').allowed()"}]
    s = validating_state(hook(webhook_server, "/deny", matchConditions=conditions))
    admin = RecordingAuthorizer(allowed={("alice", "delete", "apps", "deployments", "default")})
    validating_plugin(authorizer=admin).validate(create(deployment()), s)
    assert webhook_server.requests == [] and admin.asked
    rejection(validating_plugin(authorizer=RecordingAuthorizer()), create(deployment()), s)


def test_client_config_without_url_or_service_fails_the_call():
    # util/webhook/client.go HookClient: its own ErrCallingWebhook, wrapped by the dispatcher's
    s = validating_state({**webhook("empty.example.com"), "clientConfig": {}})
    err = rejection(validating_plugin(), create(deployment()), s)
    assert err.message == ('Internal error occurred: failed calling webhook "empty.example.com": could not get REST '
                           'client: failed calling webhook "empty.example.com": webhook configuration must have '
                           "either service or URL")


def test_namespace_selector_on_a_namespace_request_reads_the_new_namespace(webhook_server):
    # namespace/matcher.go GetNamespaceLabels: creating or updating a namespace is matched on attr.Object's labels
    webhook_server.on("/deny", deny("no"))
    rules = [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["namespaces"]}]
    s = validating_state(hook(webhook_server, "/deny", rules=rules,
                              namespaceSelector={"matchLabels": {"team": "payments"}}))
    validating_plugin().validate(create(namespace("quiet", {"team": "search"})), s)
    assert webhook_server.requests == []
    rejection(validating_plugin(), create(namespace("loud", {"team": "payments"})), s)
