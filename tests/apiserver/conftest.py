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
