from pathlib import Path

import pytest

from kauth.testing.runner import StartStates

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def states():
    """Fresh clusters for the repository's policies/, bootstrapped once for the whole session."""
    return StartStates(REPO / "policies")
