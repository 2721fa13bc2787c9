"""create role|clusterrole|ingress, run, expose and set env against the real kubectl, byte for byte (-o json
included: kubectl writes it in Go struct field order), on
hypothesis-generated arguments. kubectl needs discovery for role, run and expose even with
--dry-run=client, so it talks to a loopback stub that serves kauth's own resource table."""

import json
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery_stub import DiscoveryStub
from kauth.cli.main import cli
from test_generators_differential import names

KUBECTL = shutil.which("kubectl")
pytestmark = [pytest.mark.kubectl,
              pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed: no oracle to compare with")]

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    import os

    path = tmp_path_factory.mktemp("state") / "state.db"
    assert CliRunner().invoke(cli, ["init", "--state", str(path)]).exit_code == 0
    os.environ["KAUTH_STATE"] = str(path)
    with DiscoveryStub() as server:
        yield server
    os.environ.pop("KAUTH_STATE", None)


def with_dry_run(args: list[str], output: str = "yaml") -> list[str]:
    """The flags go before `--`: what follows it is the container's command."""
    cut = args.index("--") if "--" in args else len(args)
    return [*args[:cut], "--dry-run=client", "-o", output, *args[cut:]]


def same(stub: DiscoveryStub, args: list[str], output: str = "yaml", cwd: str | None = None) -> None:
    """The same stdout bytes, stderr and exit code as kubectl's; -o json of the typed objects these commands
    print keeps kubectl's Go struct field order."""
    full = with_dry_run(args, output)
    result = CliRunner().invoke(cli, full, catch_exceptions=False)
    ours, theirs = (result.exit_code, result.stdout, result.stderr), stub.kubectl(full, cwd=cwd)
    if theirs[2].startswith("panic: "):  # kubectl crashed: only its exit code and first line can be matched
        ours, theirs = (ours[0], ours[2].splitlines()[:1]), (theirs[0], theirs[2].splitlines()[:1])
    assert ours == theirs, full


# -- create role / clusterrole --------------------------------------------------------------------------------

verbs = st.sampled_from(["get", "list", "watch", "create", "*", "bind", "escalate", "impersonate", "use", "proxy",
                         "frobnicate", "post", ""])
resources = st.sampled_from(["pods", "po", "Pod", "pods/status", "deployments.apps", "deploy", "rs.apps",
                             "replicasets.apps/scale", "roles", "clusterroles.rbac.authorization.k8s.io", "users",
                             "serviceaccounts", "events", "hpa", "*", "*.apps", "foo", "foo/bar", "nodes.v1",
                             "deployments.v1.apps", ".apps", "/status", "podsecuritypolicies.policy"])
urls = st.sampled_from(["/healthz", "/logs/*", "*", "/api*", "logs", "/a*b", ""])


def slice_flags(flag: str, items: list[list[str]]) -> list[str]:
    """Each inner list as one comma-separated occurrence of the flag (pflag StringSlice)."""
    return [f"--{flag}={','.join(group)}" for group in items]


@SETTINGS
@given(name=names, verb_groups=st.lists(st.lists(verbs, min_size=1, max_size=3), max_size=2),
       resource_groups=st.lists(st.lists(resources, min_size=1, max_size=3), max_size=2),
       resource_names=st.lists(st.sampled_from(["a", "b", "web"]), max_size=3),
       ns=st.one_of(st.just([]), names.map(lambda n: ["-n", n])), output=st.sampled_from(["yaml", "json"]))
def test_create_role(stub, name, verb_groups, resource_groups, resource_names, ns, output):
    same(stub, ["create", "role", name, *slice_flags("verb", verb_groups), *slice_flags("resource", resource_groups),
                *[f"--resource-name={n}" for n in resource_names], *ns], output)


@SETTINGS
@given(name=names, verb_groups=st.lists(st.lists(verbs, min_size=1, max_size=3), max_size=2),
       resource_groups=st.lists(st.lists(resources, min_size=1, max_size=2), max_size=2),
       url_groups=st.lists(st.lists(urls, min_size=1, max_size=3), max_size=2),
       aggregation=st.lists(st.sampled_from(["a=b", "rbac.example.com/aggregate-to-view=true", " x = y ,z=1", "bad"]),
                            max_size=2),
       output=st.sampled_from(["yaml", "json"]))
def test_create_clusterrole(stub, name, verb_groups, resource_groups, url_groups, aggregation, output):
    same(stub, ["create", "clusterrole", name, *slice_flags("verb", verb_groups),
                *slice_flags("resource", resource_groups), *slice_flags("non-resource-url", url_groups),
                *[f"--aggregation-rule={a}" for a in aggregation]], output)


# -- create ingress ---------------------------------------------------------------------------------------------

rules = st.builds("{}/{}={}:{}{}".format, st.sampled_from(["", "foo.com", "*.bar.io", "a_b", "x y"]),
                  st.sampled_from(["", "x", "x/y*", "*", "p=q", "a,b", "p="]), st.sampled_from(["svc", "s-1", ""]),
                  st.sampled_from(["80", "http", "0", "08", "-1", "", "1:2"]),
                  st.sampled_from(["", ",tls", ",tls=sec", ",tls=", ",tls=other", ",x", ",tls,y"]))
backends = st.sampled_from(["", "def:80", "def:http", ":", "a:b:c", "nocolon", "x:+5"])


@SETTINGS
@given(name=names, rule_list=st.lists(rules, max_size=4), backend=backends,
       ingress_class=st.sampled_from(["", "nginx"]),
       annotations=st.lists(st.sampled_from(["a=b", "k=v=w", "=v", "bare", "e="]), max_size=2),
       output=st.sampled_from(["yaml", "json"]))
def test_create_ingress(stub, name, rule_list, backend, ingress_class, annotations, output):
    same(stub, ["create", "ingress", name, *[f"--rule={r}" for r in rule_list],
                *([f"--default-backend={backend}"] if backend else []),
                *([f"--class={ingress_class}"] if ingress_class else []),
                *[f"--annotation={a}" for a in annotations]], output)


# -- run ---------------------------------------------------------------------------------------------------------

run_images = st.sampled_from(["nginx", "redis:7", "registry.k8s.io/pause:3.9", "localhost:5000/a/b__c:v1",
                              "alpine@sha256:" + "a" * 64, "Nginx", "a//b", "x:", ""])
overrides = st.sampled_from([
    ("merge", '{"spec":{"hostNetwork":true}}'), ("merge", '{"spec":{"containers":[{"image":"x","ports":[{}]}]}}'),
    ("merge", '{"metadata":{"labels":null}}'), ("merge", "{bad"),
    ("strategic", '{"spec":{"containers":[{"name":"p","image":"x"}]}}'),
    ("json", '[{"op":"add","path":"/spec/nodeName","value":"n1"}]'), ("json", '[{"op":"remove","path":"/x"}]'),
    # fields deep in PodSpec, so -o json shows their Go struct order
    ("merge", '{"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"w","configMap":{"name":"c","items":[{"key":"k",'
              '"path":"p"}]}}],"tolerations":[{"key":"k","operator":"Exists"}],"securityContext":{"runAsUser":1},'
              '"dnsPolicy":"None","dnsConfig":{"nameservers":["1.1.1.1"]}}}'),
    ("strategic", '{"metadata":{"annotations":{"b":"1","a":"2"}},"spec":{"affinity":{"nodeAffinity":{'
                  '"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{'
                  '"key":"k","operator":"In","values":["v"]}]}]}}}}}'),
    ("merge", '{"spec":{"containers":[{"name":"p","image":"x","livenessProbe":{"httpGet":{"path":"/","port":80}},'
              '"resources":{"limits":{"cpu":"1"}},"securityContext":{"capabilities":{"add":["NET_ADMIN"]}},'
              '"volumeMounts":[{"name":"v","mountPath":"/v"}]}]}}')])


@SETTINGS
@given(name=names, image=run_images, port=st.sampled_from(["", "80", "0", "-1", "http", "3000000000"]),
       env=st.lists(st.sampled_from(["A=1", "B=", "a.b-c=x=y", "1A=b", "NOEQ", "=x"]), max_size=2),
       labels=st.sampled_from(["", "a=b", "a=b,c=d", "bad", "a=b,,c=d", "x=1,x=2"]),
       annotations=st.lists(st.sampled_from(["n=v", "k=v=w", "e=", "bad", "=x"]), max_size=2),
       restart=st.sampled_from(["", "Always", "OnFailure", "Never", "Sometimes"]),
       pull=st.sampled_from(["", "Always", "IfNotPresent", "Never", "Maybe"]), privileged=st.booleans(),
       command=st.booleans(), words=st.lists(st.sampled_from(["sh", "-c", "echo hi", "--x"]), max_size=3),
       override=st.one_of(st.none(), overrides), ns=st.one_of(st.just([]), names.map(lambda n: ["-n", n])),
       output=st.sampled_from(["yaml", "yaml", "json", "name"]), expose=st.booleans())
def test_run(stub, name, image, port, env, labels, annotations, restart, pull, privileged, command, words, override,
             ns, output, expose):
    args = ["run", name, f"--image={image}", *([f"--port={port}"] if port else []), *[f"--env={e}" for e in env],
            *([f"--labels={labels}"] if labels else []), *[f"--annotations={a}" for a in annotations],
            *([f"--restart={restart}"] if restart else []), *([f"--image-pull-policy={pull}"] if pull else []),
            *(["--privileged"] if privileged else []), *(["--command"] if command else []), *ns,
            *(["--expose"] if expose else [])]  # --expose prints the Service, then the Pod
    if override:
        args += [f"--override-type={override[0]}", f"--overrides={override[1]}"]
    same(stub, args + (["--", *words] if words else []), output)


# -- expose --------------------------------------------------------------------------------------------------------

container_ports = st.lists(st.tuples(st.sampled_from([80, 443, 53, 8080]), st.sampled_from([None, "TCP", "UDP"])),
                           max_size=3)
label_sets = st.sampled_from([{}, {"app": "web"}, {"app": "web", "tier": "fe"}])


def exposable(kind: str, name: str, labels: dict, ports: list, selector: str) -> dict:
    """An object of `kind` with these labels and ports; selector: "labels", "expressions", "both" or "none"."""
    declared = [{"containerPort": p, **({"protocol": proto} if proto else {})} for p, proto in ports]
    pod_spec = {"containers": [{"name": "c", "image": "nginx", **({"ports": declared} if declared else {})}]}
    meta = {"name": name, **({"labels": labels} if labels else {})}
    match = {"labels": {"matchLabels": {"app": "web"}}, "none": None,
             "expressions": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]},
             "both": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "x", "operator": "Exists"}]}}
    template = {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec}
    if kind == "Service":
        service_ports = [{"port": p, **({"protocol": proto} if proto else {}), "targetPort": 9000} for p, proto in ports]
        return {"apiVersion": "v1", "kind": "Service", "metadata": meta,
                "spec": {**({"selector": {"app": "web"}} if selector != "none" else {}), "ports": service_ports}}
    if kind == "ReplicationController":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta,
                "spec": {**({"selector": {"app": "web"}} if selector != "none" else {}), "template": template}}
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta,
            "spec": {**({"selector": match[selector]} if match[selector] else {}), "template": template}}


@SETTINGS
@given(kinds=st.lists(st.sampled_from(["Pod", "Deployment", "ReplicaSet", "ReplicationController", "Service",
                                       "ConfigMap"]), min_size=1, max_size=2),
       name=names, labels=label_sets, ports=container_ports,
       selector=st.sampled_from(["labels", "labels", "expressions", "both", "none"]),
       flags=st.lists(st.sampled_from(["--port=80", "--port=81,82", "--port=x", "--protocol=UDP", "--target-port=http",
                                       "--target-port=8080", "--name=svc", "--type=NodePort", "--type=LoadBalancer",
                                       "--selector=run=x", "--selector=bad", "--labels=a=b", "--labels=bad",
                                       "--external-ip=1.2.3.4", "--load-balancer-ip=5.6.7.8",
                                       "--session-affinity=ClientIP", "--session-affinity=Sticky",
                                       "--cluster-ip=None", "--cluster-ip=10.0.0.9", "--namespace=dev"]),
                      max_size=4, unique_by=lambda f: f.split("=")[0]),
       output=st.sampled_from(["yaml", "yaml", "json", "name"]))
def test_expose_files(stub, tmp_path_factory, kinds, name, labels, ports, selector, flags, output):
    folder = tmp_path_factory.mktemp("expose")
    files = []
    for index, kind in enumerate(kinds):
        (folder / f"{index}.json").write_text(json.dumps(exposable(kind, f"{name}-{index}", labels, ports, selector)))
        files += ["-f", f"{index}.json"]
    import os

    here = os.getcwd()
    os.chdir(folder)  # kubectl and kauth both read the relative paths
    try:
        same(stub, ["expose", *files, *flags], output, cwd=str(folder))
    finally:
        os.chdir(here)


@pytest.mark.parametrize("args", [["deployment", "exposed-web", "--port=80"], ["deploy/exposed-web"],
                                  ["deployment", "missing", "--port=80"], ["pod", "exposed-web"]])
@pytest.mark.parametrize("output", ["yaml", "json"])
def test_expose_named_objects(stub, args, output):
    """TYPE NAME reads the object from the server: kauth's store, and the same object served by the stub."""
    deployment = exposable("Deployment", "exposed-web", {"app": "web"}, [(8080, None)], "labels")
    created = CliRunner().invoke(cli, ["create", "-f", "-"], input=json.dumps(deployment))
    assert created.exit_code in (0, 1)  # the module's state may have it from an earlier run of this test
    stub.objects["/apis/apps/v1/namespaces/default/deployments/exposed-web"] = {
        **deployment, "metadata": {**deployment["metadata"], "namespace": "default"}}
    same(stub, ["expose", *args], output)


# -- set env ----------------------------------------------------------------------------------------------------------

env_vars = st.lists(st.sampled_from([{"name": "A", "value": "1"}, {"name": "B", "value": ""},
                                     {"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                     {"name": "D", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "d"}}},
                                     {"name": "E", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]),
                    max_size=3, unique_by=lambda e: e["name"])
env_changes = st.lists(st.sampled_from(["A=1", "A=2", "B=", "N=x=y", "A-", "C-", "Z-", "1X=2", "a.b-c=3", "=v", "X"]),
                       max_size=3)


def workload(kind: str, name: str, containers: list[tuple[str, list]], init: list) -> dict:
    """A Pod, or a kind with a pod template (apps/v1, batch/v1 or a ReplicationController), with these containers."""
    spec = {"containers": [{"name": n, "image": "nginx", **({"env": env} if env else {})} for n, env in containers]}
    if init:
        spec["initContainers"] = [{"name": "init", "image": "busybox", "env": init}]
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}
    meta, template = {"name": name, "labels": {"app": name}}, {"metadata": {"labels": {"app": name}}, "spec": spec}
    if kind == "Job":
        return {"apiVersion": "batch/v1", "kind": kind, "metadata": meta,
                "spec": {"template": {**template, "spec": {**spec, "restartPolicy": "Never"}}}}
    if kind == "CronJob":
        return {"apiVersion": "batch/v1", "kind": kind, "metadata": meta,
                "spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": template}}}}
    if kind == "ReplicationController":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "spec": {"selector": {"app": name},
                                                                          "template": template}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta,
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": template}}


@SETTINGS
@given(kind=st.sampled_from(["Deployment", "Pod", "DaemonSet", "ReplicaSet", "StatefulSet", "Job", "CronJob",
                              "ReplicationController"]), name=names, web=env_vars,
       side=env_vars, init=env_vars, changes=env_changes,
       flags=st.lists(st.sampled_from(["--containers=web", "--containers=s*", "--containers=none", "--overwrite=false", "--prefix=P_", "--list",
                                       "--keys=a", "--dry-run=server"]), max_size=2, unique=True),
       output=st.sampled_from(["yaml", "yaml", "json", "name", ""]))
def test_set_env_local(stub, tmp_path_factory, kind, name, web, side, init, changes, flags, output):
    folder = tmp_path_factory.mktemp("env")
    (folder / "obj.json").write_text(json.dumps(workload(kind, name, [("web", web), ("side", side)], init)))
    output = "" if "--list" in flags else output  # kubectl refuses --list with -o
    args = ["set", "env", "--local", "-f", str(folder / "obj.json"), *flags, *changes, *(["-o", output] if output else [])]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (result.exit_code, result.stdout, result.stderr) == stub.kubectl(args), args


@pytest.fixture(scope="module")
def env_objects(stub):
    """A Deployment, ConfigMaps and a Secret stored in kauth, and served by the stub exactly as kauth returns them."""
    objects = [workload("Deployment", "envweb", [("web", [{"name": "A", "value": "1"},
                                                          {"name": "R", "valueFrom": {"configMapKeyRef": {
                                                              "name": "one", "key": "only.key"}}},
                                                          {"name": "S", "valueFrom": {"secretKeyRef": {
                                                              "name": "pw", "key": "password"}}},
                                                          {"name": "M", "valueFrom": {"configMapKeyRef": {
                                                              "name": "missing", "key": "k"}}},
                                                          {"name": "F", "valueFrom": {"fieldRef": {
                                                              "fieldPath": "metadata.labels['app']"}}}]),
                                                 ("side", [])], []),
               {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "one"}, "data": {"only.key": "v1"}},
               {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "pw"},
                "data": {"password": "c2VjcmV0", "user": "YWRtaW4="}}]
    for obj in objects:
        CliRunner().invoke(cli, ["create", "-f", "-"], input=json.dumps(obj))
    for what, path in [("deployment/envweb", "/apis/apps/v1/namespaces/default/deployments/envweb"),
                       ("configmap/one", "/api/v1/namespaces/default/configmaps/one"),
                       ("secret/pw", "/api/v1/namespaces/default/secrets/pw")]:
        stub.objects[path] = json.loads(CliRunner().invoke(cli, ["get", what, "-o", "json"]).stdout)


@SETTINGS
@given(changes=env_changes,
       flags=st.lists(st.sampled_from(["--containers=side", "--containers=web", "--overwrite=false", "--prefix=P_", "--list", "--resolve",
                                       "--from=configmap/one", "--from=secret/pw --keys=password", "--keys=user",
                                       "--from=configmap/missing"]), max_size=3, unique_by=lambda f: f.split("=")[0]),
       output=st.sampled_from(["yaml", "json", "name", ""]))
def test_set_env_against_a_server(stub, env_objects, changes, flags, output):
    """--dry-run=client reads the Deployment and the --from source from the server (the stub serves kauth's).
    A source with several keys always comes with --keys: kubectl walks them in Go's random map order."""
    args = ["set", "env", "deployment/envweb", *[word for flag in flags for word in flag.split()], *changes]
    if "--list" not in flags:
        args += ["--dry-run=client", *(["-o", output] if output else [])]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (result.exit_code, result.stdout, result.stderr) == stub.kubectl(args), args
