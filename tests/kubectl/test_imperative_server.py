"""create role|clusterrole|ingress, run, expose and set env through the kauth API pipeline: what they store,
which field manager writes it, and the errors a real server gives (Forbidden, NotFound, AlreadyExists)."""

import json

import pytest
from click.testing import CliRunner

from kauth.cli.main import cli

ALICE = ("--as", "alice")  # no RBAC rules bind alice: every write is forbidden


@pytest.fixture
def kauth(tmp_path, monkeypatch):
    monkeypatch.setenv("KAUTH_STATE", str(tmp_path / "state.db"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "250")  # --explain's trace lines unwrapped
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def stored(kauth, *what) -> dict:
    result = kauth("get", *what, "-o", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def writes(kauth, *args) -> list[str]:
    """The first line of each request's trace (`POST /api/v1/...?fieldManager=kubectl-run → 201`)."""
    cut = args.index("--") if "--" in args else len(args)
    result = kauth(*args[:cut], "--explain", *args[cut:])
    return [line for line in (result.stdout + result.stderr).splitlines() if line.startswith(("POST ", "PATCH "))]


def test_create_role_stores_one_rule_per_group(kauth):
    assert writes(kauth, "create", "role", "reader", "--verb=get,list", "--resource=po,deployments.apps") == [
        "POST /apis/rbac.authorization.k8s.io/v1/namespaces/default/roles?fieldManager=kubectl-create&"
        "fieldValidation=Strict → 201"]
    role = stored(kauth, "role", "reader")
    assert role["rules"] == [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
                             {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list"]}]


def test_create_role_is_forbidden_without_rbac(kauth):
    result = kauth("create", "role", "reader", "--verb=get", "--resource=pods", *ALICE)
    assert result.exit_code == 1
    assert result.stderr == ('error: failed to create role: roles.rbac.authorization.k8s.io is forbidden: User "alice" '
                             'cannot create resource "roles" in API group "rbac.authorization.k8s.io" in the namespace '
                             '"default"\n')
    assert kauth("get", "role", "reader").exit_code == 1


def test_create_clusterrole_twice_is_already_exists(kauth):
    assert kauth("create", "clusterrole", "agg", "--aggregation-rule=team=web").exit_code == 0
    assert stored(kauth, "clusterrole", "agg")["aggregationRule"] == {
        "clusterRoleSelectors": [{"matchLabels": {"team": "web"}}]}
    again = kauth("create", "clusterrole", "agg", "--verb=get", "--non-resource-url=/healthz")
    assert (again.exit_code, again.stderr) == (1, 'error: failed to create clusterrole: clusterroles.rbac.authorization'
                                                  '.k8s.io "agg" already exists\n')
    assert "rules" not in stored(kauth, "clusterrole", "agg") or not stored(kauth, "clusterrole", "agg")["rules"]


def test_create_ingress_stores_rules_and_tls(kauth):
    result = kauth("create", "ingress", "web", "--class=nginx", "--rule=shop.example.com/api*=api:8080,tls=shop-tls")
    assert result.stdout == "ingress.networking.k8s.io/web created\n"
    assert kauth("get", "ingress", "web", "-o", "name").stdout == "ingress.networking.k8s.io/web\n"
    ingress = stored(kauth, "ingress", "web")
    assert ingress["spec"]["tls"] == [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Prefix"


def test_run_creates_a_pod_written_by_kubectl_run(kauth):
    assert writes(kauth, "run", "web", "--image=nginx", "--port=80", "--labels=app=web", "--", "nginx", "-g",
                  "daemon off;") == ["POST /api/v1/namespaces/default/pods?fieldManager=kubectl-run → 201"]
    pod = stored(kauth, "pod", "web")
    assert pod["metadata"]["labels"] == {"app": "web"}
    assert pod["spec"]["containers"][0]["args"] == ["nginx", "-g", "daemon off;"]


def test_run_errors_change_nothing(kauth):
    refused = kauth("run", "web", "--image=nginx", *ALICE)
    assert refused.exit_code == 1
    assert refused.stderr == ('Error from server (Forbidden): pods is forbidden: User "alice" cannot create resource '
                              '"pods" in API group "" in the namespace "default"\n')
    assert kauth("run", "web", "--image=nginx").exit_code == 0
    again = kauth("run", "web", "--image=redis")
    assert (again.exit_code, again.stderr) == (1, 'Error from server (AlreadyExists): pods "web" already exists\n')
    assert stored(kauth, "pod", "web")["spec"]["containers"][0]["image"] == "nginx"


def test_run_server_dry_run_stores_nothing(kauth):
    result = kauth("run", "web", "--image=nginx", "--dry-run=server")
    assert result.stdout == "pod/web created (server dry run)\n"
    assert kauth("get", "pod", "web").exit_code == 1


# Measured against the real kubectl 1.32 talking to `kauth serve` (--pod-running-timeout=2s): the Pod is created
# with stdin (and tty), not printed; attaching then fails (kubectl times out, kauth says why at once); --rm
# deletes what was created and prints it.

def test_run_interactive_creates_the_pod_kubectl_would_and_says_it_cannot_attach(kauth):
    result = kauth("run", "shell", "--image=busybox", "-it")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("error: kauth cannot attach to pod/shell: the simulated cluster runs no containers "
                             "(the Pod was created and stays Pending)\n")
    pod = stored(kauth, "pod", "shell")
    container = pod["spec"]["containers"][0]
    assert (container["stdin"], container["stdinOnce"], container["tty"]) == (True, True, True)
    assert pod["spec"]["restartPolicy"] == "OnFailure"  # getRestartPolicy: interactive pods restart on failure


def test_run_attach_without_stdin_keeps_the_restart_policy_always(kauth):
    assert kauth("run", "job", "--image=busybox", "--attach").exit_code == 1
    pod = stored(kauth, "pod", "job")
    assert pod["spec"]["restartPolicy"] == "Always"
    assert "stdin" not in pod["spec"]["containers"][0]


def test_run_rm_deletes_the_pod_and_its_service_after_the_attach(kauth):
    result = kauth("run", "tmp", "--image=nginx", "-i", "--rm", "--expose", "--port=80")
    assert result.exit_code == 1
    assert result.stdout == 'service/tmp created\npod "tmp" deleted\nservice "tmp" deleted\n'
    assert kauth("get", "pod", "tmp").exit_code == 1
    assert kauth("get", "service", "tmp").exit_code == 1


def test_run_rm_quiet_prints_nothing(kauth):
    result = kauth("run", "tmp", "--image=nginx", "-i", "--rm", "-q")
    assert (result.exit_code, result.stdout) == (1, "")
    assert kauth("get", "pod", "tmp").exit_code == 1


def test_expose_creates_a_service_for_a_stored_deployment(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx", "--port=8080").exit_code == 0
    assert writes(kauth, "expose", "deployment", "web", "--port=80", "--target-port=8080") == [
        "POST /api/v1/namespaces/default/services?fieldManager=kubectl-expose → 201"]
    service = stored(kauth, "service", "web")
    assert service["spec"]["selector"] == {"app": "web"}
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(80, 8080)]
    again = kauth("expose", "deployment", "web", "--port=80")
    assert (again.exit_code, again.stderr) == (1, 'Error from server (AlreadyExists): services "web" already exists\n')


def test_expose_of_a_missing_object_is_not_found_and_creates_nothing(kauth):
    result = kauth("expose", "deployment", "nope", "--port=80")
    assert (result.exit_code, result.stderr) == (1, 'Error from server (NotFound): deployments.apps "nope" not '
                                                    'found\n')
    assert kauth("get", "service", "nope").exit_code == 1


def test_expose_is_forbidden_without_rbac(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx", "--port=8080").exit_code == 0
    result = kauth("expose", "deployment", "web", *ALICE)
    assert (result.exit_code, result.stderr) == (1, 'Error from server (Forbidden): deployments.apps "web" is '
                                                    'forbidden: User "alice" cannot get resource "deployments" in API '
                                                    'group "apps" in the namespace "default"\n')
    assert kauth("get", "service", "web").exit_code == 1


def env_of(kauth, container: int = 0) -> list:
    return stored(kauth, "deployment", "web")["spec"]["template"]["spec"]["containers"][container].get("env")


def test_set_env_patches_the_pod_template_as_kubectl_set(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    assert writes(kauth, "set", "env", "deployment/web", "MODE=prod", "DEBUG=") == [
        "PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl-set → 200"]
    assert env_of(kauth) == [{"name": "MODE", "value": "prod"}, {"name": "DEBUG"}]
    assert kauth("set", "env", "deployment/web", "MODE=prod").stdout == ""  # no change: nothing sent or printed
    assert kauth("set", "env", "deployment/web", "DEBUG-").stdout == "deployment.apps/web env updated\n"
    assert env_of(kauth) == [{"name": "MODE", "value": "prod"}]


def test_set_env_from_a_config_map_and_list_resolve(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    assert kauth("create", "configmap", "settings", "--from-literal=log.level=debug").exit_code == 0
    result = kauth("set", "env", "deployment/web", "--from=configmap/settings")
    assert (result.stdout, result.stderr) == ("deployment.apps/web env updated\n",
                                              "Warning: key log.level transferred to LOG_LEVEL\n")
    assert env_of(kauth) == [{"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"key": "log.level",
                                                                                    "name": "settings"}}}]
    listed = kauth("set", "env", "deployment/web", "--list", "--resolve")
    assert listed.stdout == "# Deployment web, container nginx\nLOG_LEVEL=debug\n"


def test_set_env_refusing_to_overwrite_changes_nothing(kauth):
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    assert kauth("set", "env", "deployment/web", "MODE=prod").exit_code == 0
    refused = kauth("set", "env", "deployment/web", "MODE=dev", "--overwrite=false")
    assert (refused.exit_code, refused.stderr) == (1, "error: deployments/web 'MODE' already has a value (prod), and "
                                                      "--overwrite is false\n")
    assert env_of(kauth) == [{"name": "MODE", "value": "prod"}]


def test_set_env_errors_from_the_server(kauth):
    missing = kauth("set", "env", "deployment/nope", "A=1")
    assert (missing.exit_code, missing.stderr) == (1, 'Error from server (NotFound): deployments.apps "nope" not '
                                                      'found\n')
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    forbidden = kauth("set", "env", "deployment/web", "A=1", *ALICE)
    assert forbidden.exit_code == 1
    assert forbidden.stderr.startswith('Error from server (Forbidden): deployments.apps "web" is forbidden: User '
                                       '"alice" cannot get resource "deployments"')
    assert env_of(kauth) is None


def test_set_env_forbidden_patch_is_reported_as_kubectl_does(kauth):
    """alice may read deployments (a Role made with create role) but not patch them."""
    assert kauth("create", "deployment", "web", "--image=nginx").exit_code == 0
    assert kauth("create", "role", "reader", "--verb=get,list", "--resource=deployments.apps").exit_code == 0
    assert kauth("create", "rolebinding", "alice-reads", "--role=reader", "--user=alice").exit_code == 0
    refused = kauth("set", "env", "deployment/web", "A=1", *ALICE)
    assert (refused.exit_code, refused.stderr) == (
        1, 'error: failed to patch env update to pod template: deployments.apps "web" is forbidden: User "alice" '
           'cannot patch resource "deployments" in API group "apps" in the namespace "default"\n')
    assert env_of(kauth) is None
