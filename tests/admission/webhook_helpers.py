"""Builders for admission webhook tests: webhook configurations, a state holding them, the plugins."""

from __future__ import annotations

import copy

from kauth.admission.webhook import MutatingAdmissionWebhook, ValidatingAdmissionWebhook
from kauth.admission.webhook.call import Caller

from vap_helpers import State, namespace

GROUP = "admissionregistration.k8s.io"
DEPLOYMENTS = [{"operations": ["CREATE", "UPDATE"], "apiGroups": ["apps"], "apiVersions": ["v1"],
                "resources": ["deployments"]}]
UID = "0f2c7a4e-5b8d-4c1e-9f3a-6d2b8e1c4a70"


def webhook(name: str, url: str = "", ca_bundle: str = "", *, rules=None, service=None, **spec) -> dict:
    client_config: dict = {"service": service} if service else {"url": url}
    if ca_bundle:
        client_config["caBundle"] = ca_bundle
    body = {"name": name, "clientConfig": client_config, "rules": rules if rules is not None else DEPLOYMENTS,
            "sideEffects": "None", "admissionReviewVersions": ["v1"]}
    body.update(spec)
    return body


def configuration(kind: str, name: str, *webhooks: dict) -> dict:
    return {"apiVersion": f"{GROUP}/v1", "kind": kind, "metadata": {"name": name}, "webhooks": list(webhooks)}


def state(*configurations: dict, namespaces=None) -> State:
    s = State()
    for ns in namespaces or [namespace()]:
        s.add("", "namespaces", ns)
    for c in configurations:
        resource = ("mutatingwebhookconfigurations" if c["kind"] == "MutatingWebhookConfiguration"
                    else "validatingwebhookconfigurations")
        s.add(GROUP, resource, c)
    return s


def validating_state(*webhooks: dict, name: str = "test-webhooks", **kwargs) -> State:
    return state(configuration("ValidatingWebhookConfiguration", name, *webhooks), **kwargs)


def mutating_state(*webhooks: dict, name: str = "test-webhooks", **kwargs) -> State:
    return state(configuration("MutatingWebhookConfiguration", name, *webhooks), **kwargs)


def validating_plugin(**kwargs) -> ValidatingAdmissionWebhook:
    return ValidatingAdmissionWebhook(caller=Caller(kwargs.pop("service_resolver", None),
                                                    kwargs.pop("allow_http", False), lambda: UID), **kwargs)


def mutating_plugin(**kwargs) -> MutatingAdmissionWebhook:
    return MutatingAdmissionWebhook(caller=Caller(kwargs.pop("service_resolver", None),
                                                  kwargs.pop("allow_http", False), lambda: UID), **kwargs)


def snapshot(s: State) -> dict:
    return copy.deepcopy(s.objects)
