"""The apply scenario corpus: the real kubectl v1.32 and kauth run the same command lines on copies of one state.

For every step, stdout, stderr and the exit code must be equal (uids and timestamps normalised), and after
the last step so must every stored object. See kubectl_vs_kauth.py for how the two sides are wired.
Scenarios: create → imperative edit → re-apply; lists with merge keys and kubectl's sharp edges; removals;
the directives apply emits; dry runs and diff; prune; conflicts and --force; custom resources; errors.
"""

from __future__ import annotations

import textwrap

import pytest

import kubectl_vs_kauth as kv

pytestmark = [pytest.mark.kubectl, pytest.mark.skipif(kv.KUBECTL is None, reason=(
    "kubectl binary not on PATH: the scenario corpus compares kauth with the real kubectl v1.32"))]


def deployment(image="nginx:1.25", containers="", extra_spec="", labels="app: web", replicas=""):
    containers = containers or f"""
      - name: nginx
        image: {image}"""
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {{{labels}}}
spec:{replicas}
  selector: {{matchLabels: {{app: web}}}}{extra_spec}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:{containers}
"""


SCENARIOS = {
    "scale survives apply; create fails on an existing object; replace drops last-applied": [
        ("write", "web.yaml", deployment()),
        "apply -f web.yaml",
        "scale deployment web --replicas=3",
        ("write", "web.yaml", deployment(image="nginx:1.26")),
        "apply -f web.yaml",
        "apply -f web.yaml",
        "create -f web.yaml",
        "get deployment web -o jsonpath={.spec.replicas}",
        "replace -f web.yaml",
        "apply -f web.yaml",
        "scale deployment web --replicas=1 --current-replicas=2",
    ],
    "a field dropped from the file is deleted only if it had been applied": [
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {tier: backend}}
data: {a: "1", b: "2"}
"""),
        "apply -f cm.yaml",
        "label configmap settings team=red",
        "annotate configmap settings note=kept",
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1", c: null}
"""),
        "apply -f cm.yaml",
        "get configmap settings -o json",
    ],
    "lists with merge keys: containers, env, ports; duplicate env names; ports keyed by number alone": [
        ("write", "web.yaml", deployment(containers="""
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 80, name: http}, {containerPort: 443, name: https}]
        env: [{name: A, value: "1"}, {name: A, value: "2"}, {name: B, value: b}]
      - name: sidecar
        image: busybox
        command: [sleep, "3600"]""")),
        ("write", "svc.yaml", """
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports: [{name: dns-tcp, port: 53, protocol: TCP}, {name: dns, port: 53, protocol: UDP}]
"""),
        "apply -f web.yaml -f svc.yaml",
        ("write", "web.yaml", deployment(containers="""
      - name: sidecar
        image: busybox:1.36
        command: [sleep, "7200"]
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 443, name: https}, {containerPort: 8080, name: alt}]
        env: [{name: A, value: "2"}, {name: B, value: b}]""")),
        ("write", "svc.yaml", """
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports: [{name: dns-tcp, port: 53, protocol: TCP}]
"""),
        "apply -f web.yaml -f svc.yaml",
        "get deployment web -o json",
        "get service dns -o jsonpath={.spec.ports}",
    ],
    "directives: retainKeys on a strategy change, deleteFromPrimitiveList, setElementOrder, volumes": [
        ("write", "web.yaml", deployment(extra_spec="""
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 2, maxUnavailable: 0}""", containers="""
      - name: nginx
        image: nginx:1.25
        volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: data, emptyDir: {}}]""").replace("  labels: {app: web}\n", "  labels: {app: web}\n"
                                                        "  finalizers: [example.com/a, example.com/b]\n", 1)),
        "apply -f web.yaml",
        ("write", "web.yaml", deployment(extra_spec="""
  strategy: {type: Recreate}""", containers="""
      - name: nginx
        image: nginx:1.25
        volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: data, configMap: {name: settings}}]""").replace(
            "  labels: {app: web}\n", "  labels: {app: web}\n  finalizers: [example.com/b]\n", 1)),
        "apply -f web.yaml",
        "get deployment web -o json",
    ],
    "dry runs and diff change nothing; diff exits 1 on a change and 0 after apply": [
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1"}
"""),
        "apply -f cm.yaml --dry-run=server",
        "apply -f cm.yaml --dry-run=client",
        "diff -f cm.yaml",
        "apply -f cm.yaml",
        "diff -f cm.yaml",
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "2", b: "3"}
"""),
        "diff -f cm.yaml",
        "apply -f cm.yaml --dry-run=server -o yaml",
        "apply -f cm.yaml --dry-run=client -o name",
        "get configmap settings -o yaml",
    ],
    "an object created without last-applied: the warning, then apply patches it in": [
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1"}
"""),
        "create -f cm.yaml",
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "2", b: "3"}
"""),
        "diff -f cm.yaml",
        "apply -f cm.yaml --dry-run=client -o yaml",
        "apply -f cm.yaml --dry-run=server -o name",
        "apply -f cm.yaml",
        "apply -f cm.yaml",
    ],
    "custom resources get a JSON merge patch: lists replaced whole": [
        ("write", "crd.yaml", """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"""),
        "apply -f crd.yaml",
        ("write", "w.yaml", """
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {items: [{name: a, size: 1}, {name: b, size: 2}], color: red}
"""),
        "apply -f w.yaml",
        ("write", "w.yaml", """
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {items: [{name: b, size: 3}]}
"""),
        "apply -f w.yaml",
        "get widget w -o json",
    ],
    "identity: a dev-team member may apply workloads in dev but not Secrets": [
        ("write", "app.yaml", deployment().replace("name: web\n", "name: web\n  namespace: dev\n", 1)),
        ("write", "secret.yaml", """
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: dev}
stringData: {password: hunter2}
"""),
        "apply -f app.yaml --token <dana>",
        "apply -f secret.yaml --token <dana>",
        "apply -f app.yaml -f secret.yaml --token <dana>",
        "get deployments -n dev -o name --token <dana>",
    ],
    "bad input: generateName, an unknown kind, malformed YAML, a namespace mismatch": [
        ("write", "gen.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {generateName: cm-}
"""),
        ("write", "unknown.yaml", """
apiVersion: example.com/v9
kind: Gadget
metadata: {name: g}
"""),
        ("write", "broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n"),
        ("write", "other-ns.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: x, namespace: kube-public}
"""),
        "apply -f gen.yaml",
        # --validate=false: the front door serves no OpenAPI v2 (protobuf only), without which kubectl's
        # client-side validation of an unknown kind fails before its REST mapping does, as it would not
        # against kube-apiserver.
        "apply -f unknown.yaml --validate=false",
        "create -f unknown.yaml --validate=false",
        "apply -f broken.yaml",
        "apply -f other-ns.yaml -n dev",
    ],
    "imperative edits between applies: patch, set image, label --overwrite, delete": [
        ("write", "web.yaml", deployment(labels="app: web, tier: fe")),
        "apply -f web.yaml",
        """patch deployment web -p '{"spec":{"minReadySeconds":5}}'""",
        """patch deployment web -p '{spec: {paused: true}}'""",
        """patch deployment web --type merge -p '{"metadata":{"labels":{"tier":null}}}'""",
        """patch deployment web --type json -p '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":3}]'""",
        """patch deployment web --type json -p '[{"op":"remove","path":"/spec/nothing"}]'""",
        "set image deployment/web nginx=nginx:1.27",
        "label deployment web tier=be",
        "label deployment web tier=be --overwrite",
        "apply -f web.yaml",
        "get deployment web -o json",
        "delete -f web.yaml",
        "delete -f web.yaml",
    ],
    "prune: what was applied before and left the files is deleted; created objects never are": [
        ("write", "abc.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {app: demo}}
data: {x: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, labels: {app: demo}}
data: {x: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, labels: {app: demo}, namespace: dev}
data: {x: "3"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, labels: {app: else}}
"""),
        ("write", "a.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {app: demo}}
data: {x: "1"}
"""),
        ("write", "z.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: z, labels: {app: demo}}
"""),
        "apply -f abc.yaml -l app=demo",
        "create -f z.yaml",
        "apply --prune -f a.yaml",
        "apply --prune -f a.yaml --all -l app=demo",
        "apply --prune -f a.yaml --all --force",
        "apply --prune -f a.yaml --all --prune-allowlist=v1/ConfigMap",
        "apply --prune -f a.yaml --all --prune-allowlist=core/v1/Nope",
        "apply --prune -f a.yaml -l app=demo --dry-run=client",
        "apply --prune -f a.yaml -l app=demo --dry-run=server",
        "apply --prune -f a.yaml --all --prune-allowlist=core/v1/Secret",
        "apply --prune -f a.yaml -l app=demo",
        "apply --prune -f a.yaml -l app=demo -o name",
        "apply -f a.yaml -l app=nothing",
        "get configmaps -A -l app -o name",
    ],
    "conflicts: a stale resourceVersion is retried, then fails; --force deletes and re-creates": [
        ("write", "web.yaml", deployment()),
        "apply -f web.yaml",
        ("write", "web.yaml", deployment().replace("app: web}", "app: web2}")),
        "apply -f web.yaml",
        "apply -f web.yaml --force --dry-run=server",
        "apply -f web.yaml --force",
        "get deployment web -o jsonpath={.spec.selector}",
        ("write", "web.yaml", deployment(image="nginx:1.26").replace("app: web}", "app: web2}").replace(
            "name: web\n", 'name: web\n  resourceVersion: "1"\n', 1)),
        "apply -f web.yaml",
        "apply -f web.yaml --force",
        "get deployment web -o json",
    ],
    "get: the server's Table as kubectl prints it, kinds shown when several types are asked for": [
        ("write", "web.yaml", deployment()),
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {app: web}, namespace: dev}
data: {a: "1"}
"""),
        "apply -f web.yaml -f cm.yaml",
        "get deployments",
        "get deployment web -o wide",
        "get configmaps -A --show-labels -l app",
        "get configmaps settings -n dev -L app",
        "get pods,configmaps -n dev",
        "get deployment/web configmap/settings",
        "get namespaces",
        "get clusterrole admin",
        "get deployment nope",
        "get secrets -n dev --token <dana>",
    ],
    "imperative commands between applies: run, expose, set env, label, annotate, set image, scale": [
        # (generators such as `create deployment` and `create role` send protobuf, which kauth serve does not
        # decode: they are compared with --dry-run=client in test_imperative_differential.py)
        ("write", "web.yaml", deployment()),
        "apply -f web.yaml",
        "run tmp --image=busybox --restart=Never --labels=app=tmp -- sleep 60",
        "run tmp --image=busybox",
        "run tmp2 --image=busybox --restart=Never --dry-run=server -o name",
        "run tmp3 --image=busybox -t",
        "run tmp3 --image=busybox --rm",
        "run tmp3 --image=busybox -i --dry-run=client",
        "run tmp3 --image=busybox --attach --dry-run=server",
        "run tmp3 --image=busybox -i --pod-running-timeout=0s",
        "run tmp3 --image=busybox --pod-running-timeout=1x",
        "expose deployment web --port=80 --target-port=8080",
        "expose deployment web --port=81 --name=web2 --type=NodePort --dry-run=server -o yaml",
        "expose pod tmp --port=9000",
        "run exposed --image=nginx --expose",
        "run exposed --image=nginx --port=80 --expose",
        "run exposed --image=nginx --port=80 --expose",
        "delete pod exposed",
        "run exposed --image=nginx --port=80 --expose",
        "run e2 --image=nginx --port=80 --expose --labels=app=e2,tier=x --dry-run=client -o yaml",
        "set env deployment/web LOG_LEVEL=debug A=1",
        "set env deployment/web A-",
        "set env deployment/web --list",
        "set env deployment/web --env=LOG_LEVEL=info --overwrite=false",
        "annotate deployment web note=y",
        "set image deployment/web nginx=nginx:1.27",
        "scale deployment web --replicas=2",
        "apply -f web.yaml",
        "get deployment web -o json",
        "get service web -o json",
    ],
    "--overwrite=false: a field changed since the last apply and changed again by the file is a conflict": [
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1", b: "1"}
"""),
        "apply -f cm.yaml",
        """patch configmap settings -p '{"data":{"a":"2"}}'""",
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "3", b: "1"}
"""),
        "apply -f cm.yaml --overwrite=false",
        "apply -f cm.yaml --overwrite=false --dry-run=client",
        ("write", "cm.yaml", """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "2", b: "4"}
"""),
        "apply -f cm.yaml --overwrite=false",
        "apply -f cm.yaml",
    ],
    "admission changes a Pod: replace from its file is refused, --force deletes and re-creates": [
        ("write", "pod.yaml", """
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: nginx, image: nginx}]
"""),
        "create -f pod.yaml",
        "replace -f pod.yaml",
        "replace -f pod.yaml --force",
        "replace -f pod.yaml --force --dry-run=server",
        "replace -f pod.yaml --grace-period=3",
        "replace -f pod.yaml --timeout=1s",
        "replace -f pod.yaml --force --timeout=1x",
        "delete pod web",
        "replace -f pod.yaml --force -o name",
        "create -f pod.yaml --namespace restricted",
    ],
    "the 262144-byte annotation limit: create works, apply's copy does not fit": [
        ("write", "big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "
                              + "x" * 140000 + "\n"),
        "apply -f big.yaml",
        "create -f big.yaml",
        "apply -f big.yaml",
    ],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "state.db"
    kv.Cluster.init(path, policies=kv.POLICIES).close()
    return path


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_kauth_prints_returns_and_stores_what_kubectl_does(name, template, tmp_path):
    real_dir, ours_dir = tmp_path / "kubectl", tmp_path / "kauth"
    real_dir.mkdir()
    ours_dir.mkdir()
    real, ours = kv.RealKubectl(template, real_dir), kv.Kauth(template, ours_dir)
    try:
        for step in SCENARIOS[name]:
            if isinstance(step, tuple):
                _, filename, text = step
                for folder in (real_dir, ours_dir):
                    (folder / filename).write_text(textwrap.dedent(text).lstrip())
                continue
            args = kv.command(step)
            expected, got = real.run(args), ours.run(args)
            assert (kv.normalized(got.stdout), kv.normalized(got.stderr), got.code) == (
                kv.normalized(expected.stdout), kv.normalized(expected.stderr), expected.code), step
    finally:
        real.close()
    assert [kv.comparable(o) for o in ours.objects()] == [kv.comparable(o) for o in real.objects()]
