"""The CLI tests' default cluster: a fresh copy of an initialised state per test (a module may override it)."""

import pytest

from cli_runner import initialised_state, runner_on_copy


@pytest.fixture(scope="module")
def template_state(tmp_path_factory):
    return initialised_state(tmp_path_factory)


@pytest.fixture
def kauth(template_state, tmp_path, monkeypatch):
    """Run kauth in tmp_path against a fresh copy of an initialised state."""
    return runner_on_copy(template_state, tmp_path, monkeypatch)
