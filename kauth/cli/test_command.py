"""`kauth test PATH...`: run policy test suites (see kauth.testing.suite for the format) with no cluster."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click


def suite_files(paths: tuple[str, ...]) -> list[Path]:
    """The suite files named, and every .yaml/.yml file under the folders named (sorted)."""
    out: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


@click.command("test", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-k", "keyword", default="", metavar="TEXT", help="Run only the cases whose `suite::case` name "
              "contains TEXT (case-insensitive).")
@click.option("--policies", metavar="DIR", help="Policies directory for suites that name none (default: "
              "$KAUTH_POLICIES, else ./policies when present).")
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one document with every case, its result and the coverage.")
@click.option("--junit-xml", "junit_xml", metavar="FILE", help="Also write JUnit XML (for CI) to FILE.")
@click.option("--coverage", "show_coverage", is_flag=True, help="Print which RBAC rules, bindings and admission "
              "policies the cases exercised, and which they never did.")
@click.option("--coverage-json", metavar="FILE", help="Also write the coverage as JSON to FILE.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Fail (exit 1) when the coverage is below PERCENT.")
def test(paths: tuple[str, ...], keyword: str, policies: str | None, output: str, junit_xml: str | None,
         show_coverage: bool, coverage_json: str | None, fail_under: float | None) -> None:
    """Run policy test suites: each case is an identity, a kubectl command line or a raw request, and what the
    API server must answer (allowed, forbidden, unauthorized, invalid; code, reason, message, warnings, the
    stored object). Each case starts from the suite's starting state. Exit 0: all passed; 1: a case failed
    (or the coverage is under --fail-under); 2: a suite could not be read."""
    from kauth.testing import report
    from kauth.testing.coverage import Coverage
    from kauth.testing.runner import run_suites
    from kauth.testing.suite import SuiteError, load

    began = time.perf_counter()
    files = suite_files(paths)
    if not files:
        click.echo(f"error: no suite files (.yaml) in {', '.join(paths)}", err=True)
        sys.exit(2)
    try:
        suites = [load(f) for f in files]
        text = output == "text"
        results, starts = run_suites(suites, policies=Path(policies).resolve() if policies else None,
                                     keyword=keyword,
                                     on_result=(lambda r: click.echo(report.case_line(r))) if text else None)
    except SuiteError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    seconds = time.perf_counter() - began
    coverage = Coverage()
    for start in starts.values():
        coverage.add_inventory(start)
    for result in results:
        coverage.record(result.id, result.responses)
    if junit_xml:
        Path(junit_xml).write_bytes(report.junit_xml(results, seconds))
    if coverage_json:
        Path(coverage_json).write_text(coverage.to_json() + "\n")
    failed = any(r.status == "failed" for r in results)
    under = fail_under is not None and coverage.percent < fail_under
    if output == "json":
        click.echo(report.dumps(report.to_json(results, seconds, coverage)), nl=False)
    else:
        failures = [r for r in results if r.status == "failed"]
        if failures:
            click.echo("\nFAILURES")
            for result in failures:
                click.echo(report.failure_text(result))
        if show_coverage:
            click.echo("\nCOVERAGE")
            click.echo(coverage.table(), nl=False)
        elif fail_under is not None:
            click.echo(f"coverage: {coverage.covered}/{coverage.total} ({coverage.percent:.1f}%)")
        if not results:
            click.echo(f"no cases{' match -k ' + keyword if keyword else ''}")
        click.echo(report.summary(results, seconds))
    if under:
        click.echo(f"error: coverage {coverage.percent:.1f}% is under --fail-under {fail_under:g}%", err=True)
    sys.exit(1 if failed or under else 0)
