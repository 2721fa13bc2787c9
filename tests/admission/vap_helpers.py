"""Builders for ValidatingAdmissionPolicy tests: policies, bindings, a state, a request."""

from __future__ import annotations

from dataclasses import dataclass, field

from kauth.admission.chain import Attributes
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo
from kauth.authz.authorizer import Decision

TABLE = ResourceTable.builtin()
ALICE = UserInfo("alice", uid="u-1", groups=("dev", "system:authenticated"))


@dataclass
class State:
    """An in-memory StateView: (group, resource) -> objects."""

    objects: dict = field(default_factory=dict)

    def add(self, group: str, resource: str, obj: dict) -> "State":
        self.objects.setdefault((group, resource), []).append(obj)
        return self

    def get(self, group, resource, namespace, name):
        for obj in self.objects.get((group, resource), []):
            meta = obj["metadata"]
            if meta["name"] == name and meta.get("namespace", "") == (namespace or ""):
                return obj
        return None

    def list(self, group, resource, namespace=None):
        return [o for o in self.objects.get((group, resource), [])
                if namespace is None or o["metadata"].get("namespace", "") == namespace]


def policy(name="demo-policy.example.com", *, validations=None, rules=None, **spec) -> dict:
    body = {"matchConstraints": {"resourceRules": rules or [
        {"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
         "resources": ["deployments"]}]},
        "validations": validations if validations is not None else [{"expression": "object.spec.replicas <= 5"}]}
    body.update(spec)
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": name}, "spec": body}


def binding(name="demo-binding-test.example.com", policy_name="demo-policy.example.com", actions=("Deny",),
            **spec) -> dict:
    body = {"policyName": policy_name, "validationActions": list(actions)}
    body.update(spec)
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": name}, "spec": body}


def namespace(name="default", labels=None) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def state(*objects: dict) -> State:
    s = State()
    s.add("", "namespaces", namespace())
    for obj in objects:
        kind = obj["kind"]
        if kind == "ValidatingAdmissionPolicy":
            s.add("admissionregistration.k8s.io", "validatingadmissionpolicies", obj)
        elif kind == "ValidatingAdmissionPolicyBinding":
            s.add("admissionregistration.k8s.io", "validatingadmissionpolicybindings", obj)
        else:
            rt = TABLE.for_kind(obj["apiVersion"], kind)
            s.add(rt.group, rt.plural, obj)
    return s


def deployment(replicas=3, name="web", labels=None, namespace_name="default") -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace_name, "labels": labels or {"app": "web"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}


def create(obj: dict, *, user=ALICE, operation="CREATE", old=None, subresource="", dry_run=False) -> Attributes:
    rt = TABLE.for_kind(obj["apiVersion"], obj["kind"])
    meta = obj["metadata"]
    return Attributes(operation, rt, meta.get("namespace", "") if rt.namespaced else "", meta["name"],
                      None if operation == "DELETE" else obj, old, user, subresource, dry_run)


@dataclass
class RecordingAuthorizer:
    """Allows what `allowed` lists as (user, verb, group, resource, namespace); records every question."""

    allowed: set = field(default_factory=set)
    asked: list = field(default_factory=list)
    name: str = "recording"

    def authorize(self, a):
        self.asked.append(a)
        key = (a.user.name, a.verb, a.group, a.resource, a.namespace)
        if key in self.allowed:
            return Decision(True, "allowed by test", self.name)
        return Decision(None, "no rule", self.name)
