"""metav1.Status messages and kubectl's rendering of them (apimachinery api/errors, kubectl cmd/util/helpers.go)."""

from kauth.api import errors


def test_not_found_names_the_qualified_resource():
    err = errors.not_found("apps", "deployments", "web")
    assert (err.code, err.reason, err.message) == (404, "NotFound", 'deployments.apps "web" not found')
    assert errors.kubectl_message(err) == 'Error from server (NotFound): deployments.apps "web" not found'


def test_add_source_prefixes_the_message_and_keeps_the_reason():
    err = errors.already_exists("", "pods", "my-nginx").with_source("creating", "pod.yaml")
    assert errors.kubectl_message(err) == ('Error from server (AlreadyExists): error when creating "pod.yaml": '
                                           'pods "my-nginx" already exists')


def test_invalid_with_one_cause_prints_on_one_line():
    err = errors.invalid("", "Pod", "Bad_Name", [errors.field_invalid("metadata.name", "Bad_Name", "bad")])
    assert err.message == 'Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": bad'
    assert errors.kubectl_message(err) == 'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": bad'


def test_invalid_with_several_causes_prints_a_bulleted_list():
    causes = [errors.required("spec.containers[0].image"), errors.required("spec.containers[0].name")]
    err = errors.invalid("apps", "Deployment", "web", causes)
    assert err.message == ('Deployment.apps "web" is invalid: [spec.containers[0].image: Required value, '
                           "spec.containers[0].name: Required value]")
    assert errors.kubectl_message(err) == ('The Deployment "web" is invalid: \n'
                                           "* spec.containers[0].image: Required value\n"
                                           "* spec.containers[0].name: Required value")


def test_invalid_inside_an_aggregate_prints_in_standard_form():
    err = errors.invalid("", "Pod", "x", [errors.required("spec.containers")])
    assert errors.kubectl_message(err, aggregated=True) == (
        'Error from server (Invalid): Pod "x" is invalid: spec.containers: Required value')


def test_a_patch_that_does_not_apply_is_the_generic_422():
    err = errors.patch_failed("doc is missing path")
    assert err.message == "the server rejected our request due to an error in our request"
    # kubectl's checkErr appends the message when the Status has no kind, name or causes.
    assert errors.kubectl_message(err) == ("The request is invalid: the server rejected our request due to an error "
                                           "in our request")


def test_unauthorized_is_the_logged_in_message():
    assert errors.kubectl_message(errors.unauthorized()) == "error: You must be logged in to the server (Unauthorized)"


def test_forbidden_messages_at_each_scope():
    assert errors.forbidden_reason("alice", "create", resource_request=True, resource="pods", namespace="dev") == (
        'User "alice" cannot create resource "pods" in API group "" in the namespace "dev"')
    assert errors.forbidden_reason("alice", "list", resource_request=True, group="rbac.authorization.k8s.io",
                                   resource="clusterroles") == (
        'User "alice" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope')
    assert errors.forbidden_reason("alice", "get", resource_request=True, resource="pods", subresource="log",
                                   namespace="dev") == (
        'User "alice" cannot get resource "pods/log" in API group "" in the namespace "dev"')
    assert errors.forbidden_reason("alice", "get", resource_request=False, path="/healthz") == (
        'User "alice" cannot get path "/healthz"')


def test_kubectl_report_of_one_client_error_has_the_prefix_and_of_several_does_not():
    one = errors.ClientError("the path \"x\" does not exist")
    assert errors.kubectl_report([one]) == 'error: the path "x" does not exist'
    two = [one, errors.not_found("", "pods", "p")]
    assert errors.kubectl_report(two) == 'the path "x" does not exist\nError from server (NotFound): pods "p" not found'
