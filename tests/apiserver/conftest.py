"""A bootstrapped in-memory cluster per module, copied fresh for each test."""

import pytest

from kauth.cluster import Cluster


@pytest.fixture(scope="module")
def bootstrapped():
    return Cluster.in_memory()


@pytest.fixture
def cluster(bootstrapped):
    return bootstrapped.copy()
