"""--explain: the pipeline trace of each request, as a tree for people or JSON for tools."""

from __future__ import annotations

import json

from kauth.apiserver.request import Response, TraceStep

_STYLE = {"ok": "green", "allowed": "green", "admitted": "green", "stored": "green", "mutated": "yellow",
          "defaulted": "yellow", "skipped": "dim", "denied": "red", "rejected": "red", "invalid": "red",
          "conflict": "red", "not found": "red", "failed": "red", "dry run": "cyan", "unchanged": "cyan"}


def trace_json(responses: list[Response]) -> list[dict]:
    return [{"request": {"verb": r.request.verb, "method": r.request.method, "path": r.request.url},
             "user": r.user.name if r.user else None, "code": r.code,
             "trace": [s.to_dict() for s in r.trace]} for r in responses]


def print_explanations(explanations: list[tuple[str, list[str]]], fmt: str = "tree") -> None:
    """What kubectl itself reasoned before sending anything (client-side apply's three-way patch)."""
    if not explanations:
        return
    if fmt == "json":
        import sys

        sys.stderr.write(json.dumps([{"client": title, "reasons": lines} for title, lines in explanations],
                                    indent=2) + "\n")
        return
    from rich.console import Console
    from rich.tree import Tree

    console = Console(stderr=True, highlight=False)
    for title, lines in explanations:
        tree = Tree(f"[bold]{_escape(title)}[/bold]")
        for line in lines:
            tree.add(_escape(line))
        console.print(tree)


def print_trace(responses: list[Response], fmt: str = "tree") -> None:
    if fmt == "json":
        import sys

        sys.stderr.write(json.dumps(trace_json(responses), indent=2) + "\n")
        return
    from rich.console import Console
    from rich.tree import Tree

    console = Console(stderr=True, highlight=False)
    for response in responses:
        request = response.request
        head = f"[bold]{request.method} {request.url}[/bold] → {response.code}"
        if not response.ok:
            head += f" {response.reason}"
        tree = Tree(head)
        for step in response.trace:
            _add(tree, step)
        console.print(tree)


def _add(parent, step: TraceStep) -> None:
    style = _STYLE.get(step.outcome, "white")
    node = parent.add(f"[bold]{step.stage}[/bold]: [{style}]{step.outcome}[/{style}] — {_escape(step.message)}")
    for line in step.details.get("changes") or ():  # what a mutating admission plugin changed
        node.add(f"[cyan]{_escape(line)}[/cyan]")
    for warning in step.details.get("warnings") or ():
        node.add(f"[yellow]warning:[/yellow] {_escape(warning)}")
    for key, value in (step.details.get("auditAnnotations") or {}).items():
        node.add(f"[dim]audit annotation {_escape(key)}={_escape(str(value))}[/dim]")
    for child in step.children:
        _add(node, child)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
