"""What a test run prints: a line per case, the failures with expected vs actual and the pipeline trace, the
summary line; the same as JSON; JUnit XML for CI."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from kauth.apiserver.request import Response, TraceStep
from kauth.testing.runner import CaseResult

_MARK = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}


def case_line(result: CaseResult) -> str:
    return f"{_MARK[result.status]} {result.id}"


def failure_text(result: CaseResult) -> str:
    """Expected vs actual, what kubectl printed (for a command line), then the trace of the judged response."""
    case = result.case
    lines = [f"_____ {result.id} _____", f"  file: {result.suite.file}",
             f"  as: {case.identity.describe()}", f"  action: {_action(result)}"]
    lines += [f"  {failure}" for failure in result.failures]
    if case.run:
        lines.append(f"  exit code: {result.exit_code}")
        for stream in ("stdout", "stderr"):
            text = getattr(result, stream).rstrip("\n")
            if text:
                lines.append(f"  {stream}:")
                lines += [f"    | {line}" for line in text.splitlines()]
    if result.response is not None:
        lines.append("  trace:")
        lines += ["    " + line for line in trace_lines(result.response)]
    return "\n".join(lines) + "\n"


def _action(result: CaseResult) -> str:
    case = result.case
    if case.run:
        return case.run
    request = case.request
    if request.path:
        return f"{request.verb.upper()} {request.path}"
    where = f" -n {request.namespace}" if request.namespace else ""
    name = f"/{request.name}" if request.name else ""
    sub = f" ({request.subresource})" if request.subresource else ""
    return f"{request.verb} {request.resource}{name}{sub}{where}"


def trace_lines(response: Response) -> list[str]:
    request = response.request
    head = f"{request.method} {request.url} → {response.code}"
    if not response.ok:
        head += f" {response.reason}"
    lines = [head]
    for step in response.trace:
        _step_lines(step, 1, lines)
    return lines


def _step_lines(step: TraceStep, depth: int, lines: list[str]) -> None:
    if step.outcome == "skipped" and depth > 1:
        return  # the plugins that do not handle the request: noise in a failure report
    lines.append("  " * depth + f"{step.stage}: {step.outcome} — {step.message}")
    for child in step.children:
        _step_lines(child, depth + 1, lines)


def summary(results: list[CaseResult], seconds: float) -> str:
    counts = {status: sum(1 for r in results if r.status == status) for status in ("passed", "failed", "skipped")}
    text = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        text += f", {counts['skipped']} skipped"
    return f"{text} in {seconds:.2f}s"


def to_json(results: list[CaseResult], seconds: float, coverage=None) -> dict:
    out = {
        "summary": {"passed": sum(r.status == "passed" for r in results),
                    "failed": sum(r.status == "failed" for r in results),
                    "skipped": sum(r.status == "skipped" for r in results), "seconds": round(seconds, 3)},
        "cases": [case_json(r) for r in results],
    }
    if coverage is not None:
        out["coverage"] = coverage.to_dict()
    return out


def case_json(result: CaseResult) -> dict:
    response = result.response
    out: dict = {"suite": result.suite.name, "file": str(result.suite.file), "name": result.case.name,
                 "status": result.status, "result": result.result, "failures": result.failures,
                 "seconds": round(result.seconds, 4)}
    if response is not None:
        out["response"] = {"code": response.code, "reason": response.reason, "message": response.message,
                           "warnings": list(response.warnings),
                           "user": response.user.name if response.user else None}
    if result.case.run:
        out.update(exit_code=result.exit_code, stdout=result.stdout, stderr=result.stderr)
    if result.status == "failed":
        out["trace"] = [{"request": {"method": r.request.method, "path": r.request.url}, "code": r.code,
                         "trace": [s.to_dict() for s in r.trace]} for r in result.responses]
    return out


def junit_xml(results: list[CaseResult], seconds: float) -> bytes:
    """JUnit XML as CI servers read it: a testsuite per suite file, a testcase per case."""
    root = ET.Element("testsuites", name="kauth test", tests=str(len(results)),
                      failures=str(sum(r.status == "failed" for r in results)),
                      skipped=str(sum(r.status == "skipped" for r in results)), time=f"{seconds:.3f}")
    by_suite: dict[str, list[CaseResult]] = {}
    for result in results:
        by_suite.setdefault(str(result.suite.file), []).append(result)
    for file, members in by_suite.items():
        suite = ET.SubElement(root, "testsuite", name=members[0].suite.name, file=file, tests=str(len(members)),
                              failures=str(sum(r.status == "failed" for r in members)),
                              skipped=str(sum(r.status == "skipped" for r in members)),
                              time=f"{sum(r.seconds for r in members):.3f}")
        for result in members:
            case = ET.SubElement(suite, "testcase", classname=members[0].suite.name, name=result.case.name,
                                 file=file, time=f"{result.seconds:.4f}")
            if result.status == "failed":
                failure = ET.SubElement(case, "failure", message="; ".join(result.failures), type="AssertionError")
                failure.text = failure_text(result)
            elif result.status == "skipped":
                ET.SubElement(case, "skipped", message=result.failures[0] if result.failures else "skipped")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
