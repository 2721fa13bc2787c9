"""A bootstrapped in-memory cluster per module, copied fresh for each test, and the admin's credentials."""

import pytest

from kauth.apiserver.request import Credentials
from kauth.authn.user import CLUSTER_ADMIN
from kauth.cluster import Cluster

ADMIN = Credentials(asserted_user=CLUSTER_ADMIN)


@pytest.fixture(scope="module")
def bootstrapped():
    return Cluster.in_memory()


@pytest.fixture
def cluster(bootstrapped):
    return bootstrapped.copy()


def crd_for(kind: str, plural: str, version: str, schema: dict, group: str = "example.com") -> dict:
    """A namespaced CustomResourceDefinition serving (and storing) one version with this structural schema."""
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": plural, "singular": kind.lower(), "kind": kind},
                     "versions": [{"name": version, "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": schema}}]}}
