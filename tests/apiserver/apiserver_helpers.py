"""What the API server tests import (a module of its own: every test folder has a conftest.py, so
`from conftest import ...` would get whichever folder's pytest loaded first)."""

from kauth.apiserver.request import Credentials
from kauth.authn.user import CLUSTER_ADMIN

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


def crd_for(kind: str, plural: str, version: str, schema: dict, group: str = "example.com") -> dict:
    """A namespaced CustomResourceDefinition serving (and storing) one version with this structural schema."""
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": plural, "singular": kind.lower(), "kind": kind},
                     "versions": [{"name": version, "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": schema}}]}}
