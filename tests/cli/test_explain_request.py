"""`kauth explain request`: one raw HTTP request through the pipeline, its trace, then the response."""

import json
from pathlib import Path

import pytest

from cli_runner import initialised_state, runner_on_copy

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
DANA_TOKEN = "dana-dev-token-0123456789abcdef"  # policies/tokens.csv: dana, group dev-team


@pytest.fixture(scope="module")
def template_state(tmp_path_factory):
    return initialised_state(tmp_path_factory, "--policies", str(POLICIES))


@pytest.fixture
def kauth(template_state, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUTH_POLICIES", str(POLICIES))
    return runner_on_copy(template_state, tmp_path, monkeypatch)


def explained(kauth, *args, input=None) -> tuple[int, dict]:
    result = kauth("explain", "request", *args, "-o", "json", input=input)
    return result.exit_code, json.loads(result.output)


def steps(answer: dict) -> list[tuple[str, str]]:
    return [(s["stage"], s["outcome"]) for s in answer["trace"]]


def test_a_token_is_authenticated_and_rbac_names_the_nearest_rule(kauth):
    result = kauth("explain", "request", "GET", "/api/v1/namespaces/dev/secrets", "--token", DANA_TOKEN)
    assert result.exit_code == 1
    assert result.output.startswith("GET /api/v1/namespaces/dev/secrets → 403 Forbidden\n")
    assert 'authentication: ok — user "dana"' in result.output
    assert 'nearest rule: missed — RoleBinding "dev-team-edits-workloads/dev"' in result.output
    body = json.loads(result.output[result.output.index("\n{") + 1:])
    assert body["message"] == ('secrets is forbidden: User "dana" cannot list resource "secrets" in API group "" in '
                               'the namespace "dev"')


def test_json_output_holds_the_request_the_trace_and_the_response(kauth):
    code, answer = explained(kauth, "GET", "/api/v1/namespaces/dev/configmaps", "--token", DANA_TOKEN)
    assert code == 0
    assert answer["request"] == {"verb": "list", "method": "GET", "path": "/api/v1/namespaces/dev/configmaps"}
    assert answer["user"] == "dana"
    assert steps(answer)[:3] == [("authentication", "ok"), ("impersonation", "skipped"), ("authorization", "allowed")]
    assert answer["response"]["code"] == 200 and answer["response"]["body"]["kind"] == "ConfigMapList"


def test_a_pod_body_from_a_file_meets_pod_security(kauth):
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/restricted/pods", "-f",
                             str(REPO / "manifests" / "pod-nginx.yaml"))
    assert code == 1 and answer["code"] == 403
    validating = next(s for s in answer["trace"] if s["stage"] == "validating admission")
    assert [c["stage"] for c in validating["children"] if c["outcome"] == "rejected"] == ["PodSecurity"]
    assert 'violates PodSecurity "restricted:latest"' in answer["response"]["body"]["message"]


def test_no_credential_is_the_kubeadm_admin_and_anonymous_sends_none(kauth):
    assert explained(kauth, "GET", "/api/v1/namespaces")[1]["user"] == "kubernetes-admin"
    code, answer = explained(kauth, "GET", "/api/v1/namespaces", "--anonymous")
    assert (code, answer["user"], answer["code"]) == (1, "system:anonymous", 403)
    code, answer = explained(kauth, "GET", "/healthz", "--anonymous")
    assert (code, answer["code"]) == (0, 200)


def test_a_forged_token_is_a_401(kauth):
    code, answer = explained(kauth, "GET", "/api/v1/pods", "--token", "forged")
    assert (code, answer["code"]) == (1, 401)
    assert steps(answer) == [("authentication", "rejected")]


def test_impersonation_headers_and_flags_are_the_same_request(kauth):
    by_header = explained(kauth, "GET", "/api/v1/namespaces/dev/pods", "-H", "Impersonate-User: dana",
                          "-H", "Impersonate-Group: dev-team")[1]
    by_flag = explained(kauth, "GET", "/api/v1/namespaces/dev/pods", "--as", "dana", "--as-group", "dev-team")[1]
    assert by_header["user"] == by_flag["user"] == "dana"
    assert steps(by_header) == steps(by_flag)
    assert ("impersonation", "ok") in steps(by_flag)


def test_a_patch_body_takes_its_type_from_the_type_flag(kauth):
    kauth("create", "configmap", "settings", "--from-literal=mode=slow", "-n", "dev")
    code, answer = explained(kauth, "PATCH", "/api/v1/namespaces/dev/configmaps/settings", "--type", "merge",
                             "-d", '{"data":{"mode":"fast"}}')
    assert code == 0 and answer["response"]["body"]["data"] == {"mode": "fast"}
    assert kauth("get", "configmap", "settings", "-n", "dev", "-o", "jsonpath={.data.mode}").output == "fast"


def test_a_body_from_stdin_in_yaml(kauth):
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-stdin}\ndata: {a: b}\n"
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps", "-d", "@-", input=body)
    assert (code, answer["code"]) == (0, 201)
    assert steps(answer)[-1] == ("storage", "stored")


UNRECOGNIZED = "the object provided is unrecognized (must be of type ConfigMap): "


@pytest.mark.parametrize("data, message", [
    ('{"kind": ', "couldn't get version/kind; json parse error: unexpected end of JSON input ({\"kind\": )"),
    ("[1, 2]", "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type "
               'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string '
               '"json:\\"kind,omitempty\\"" } (5b312c20325d)'),
    ("a: b: c", "error converting YAML to JSON: yaml: mapping values are not allowed in this context "
                "(613a20623a2063)"),
    ('{"metadata": {"name": "a-name-long-enough-to-be-cut"}', "couldn't get version/kind; json parse error: "
     'unexpected end of JSON input ({"metadata": {"name": "a-name- ...)'),
])
def test_a_body_that_does_not_decode_is_refused_as_transform_decode_error_words_it(kauth, data, message):
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps", "-d", data)
    assert (code, answer["code"]) == (1, 400)
    assert answer["response"]["body"]["message"] == UNRECOGNIZED + message
    assert answer["trace"][-1]["stage"] == "handler" and answer["trace"][-1]["outcome"] == "refused"


def test_an_empty_body_is_refused_and_a_body_without_kind_takes_the_urls(kauth):
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps")
    assert answer["response"]["body"]["message"] == (
        UNRECOGNIZED + "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)")
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps", "-d",
                             '{"metadata": {"name": "kindless"}, "data": {"a": "b"}}')
    assert (code, answer["code"]) == (0, 201)
    assert (answer["response"]["body"]["kind"], answer["response"]["body"]["apiVersion"]) == ("ConfigMap", "v1")
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps", "-d",
                             '{"apiVersion": "apps/v1", "metadata": {"name": "x"}}')
    assert answer["response"]["body"]["message"] == (
        "the API version in the data (apps/v1) does not match the expected API version (v1)")


def test_a_dry_run_stores_nothing(kauth):
    body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"}}'
    code, answer = explained(kauth, "POST", "/api/v1/namespaces/dev/configmaps?dryRun=All", "-d", body)
    assert (code, steps(answer)[-1]) == (0, ("storage", "dry run"))
    assert kauth("get", "configmap", "dry", "-n", "dev").exit_code == 1


@pytest.mark.parametrize("args, message", [
    (("FETCH", "/api"), 'error: unknown HTTP method "FETCH"'),
    (("GET", "api/v1/pods"), 'error: the path must start with "/": api/v1/pods'),
    (("GET", "/api", "-H", "no colon"), "error: a header is NAME: VALUE, got 'no colon'"),
    (("PATCH", "/api", "--type", "merge"), "error: --type sets the Content-Type of a PATCH body: give a body, and "
                                           "no Content-Type header"),
    (("POST", "/api", "-d", "@missing.json"), "error: error reading missing.json: No such file or directory"),
])
def test_a_malformed_invocation_is_an_error_before_any_request(kauth, args, message):
    result = kauth("explain", "request", *args)
    assert (result.exit_code, result.output.strip()) == (1, message)
