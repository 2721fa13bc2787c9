"""Helpers for the CLI tests: a kauth command line against a fresh copy of an initialised SQLite state."""

from pathlib import Path

from click.testing import CliRunner

from kauth.cli.main import cli


def initialised_state(tmp_path_factory, *init_args: str) -> Path:
    path = tmp_path_factory.mktemp("state") / "state.db"
    result = CliRunner().invoke(cli, ["init", "--state", str(path), *init_args])
    assert result.exit_code == 0, result.output
    return path


def runner_on_copy(template: Path, tmp_path: Path, monkeypatch):
    """Run kauth in tmp_path against a copy of the template state: each test starts from the same cluster."""
    state = tmp_path / "state.db"
    state.write_bytes(template.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAUTH_STATE", str(state))
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run
