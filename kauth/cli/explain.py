"""--explain: the pipeline trace of each request, as a tree for people or JSON for tools."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kauth.apiserver.request import Response, TraceStep

_STYLE = {"ok": "green", "allowed": "green", "admitted": "green", "stored": "green", "mutated": "yellow",
          "defaulted": "yellow", "skipped": "dim", "denied": "red", "rejected": "red", "invalid": "red",
          "conflict": "red", "not found": "red", "failed": "red", "refused": "red", "dry run": "cyan", "unchanged": "cyan",
          "reinvoked": "yellow"}


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


def print_trace(responses: list[Response], fmt: str = "tree", *, stderr: bool = True) -> None:
    if fmt == "json":
        import sys

        sys.stderr.write(json.dumps(trace_json(responses), indent=2) + "\n")
        return
    from rich.console import Console
    from rich.tree import Tree

    console = Console(stderr=stderr, highlight=False)
    for response in responses:
        request = response.request
        head = f"[bold]{request.method} {request.url}[/bold] → {response.code}"
        if not response.ok:
            head += f" {response.reason}"
        tree = Tree(head)
        for step in response.trace:
            _add(tree, step)
        console.print(tree)


# what storage assigned, shown under its step
_STORED_FIELDS = ("uid", "resourceVersion", "generation")


def _add(parent, step: TraceStep) -> None:
    style = _STYLE.get(step.outcome, "white")
    node = parent.add(f"[bold]{step.stage}[/bold]: [{style}]{step.outcome}[/{style}] — {_escape(step.message)}")
    assigned = [f"{key} {step.details[key]}" for key in _STORED_FIELDS if step.details.get(key) is not None]
    if step.stage == "storage" and assigned:
        node.add(f"[dim]{_escape(', '.join(assigned))}[/dim]")
    for line in step.details.get("explanation") or ():  # a rejecting plugin's reasons, one per line
        node.add(f"[red]{_escape(line)}[/red]")
    for line in step.details.get("changes") or ():  # what a mutating admission plugin or an update changed
        node.add(f"[cyan]{_escape(line)}[/cyan]")
    for warning in step.details.get("warnings") or ():
        node.add(f"[yellow]warning:[/yellow] {_escape(warning)}")
    for key, value in (step.details.get("auditAnnotations") or {}).items():
        node.add(f"[dim]audit annotation {_escape(key)}={_escape(str(value))}[/dim]")
    for group in _skips_together(step.children):
        if len(group) == 1:
            _add(node, group[0])
        else:  # the plugins that did not handle the request, in one line: the ones that did stand out
            names = ", ".join(child.stage for child in group)
            node.add(f"[dim]{_escape(names)}: skipped — {_escape(group[0].message)}[/dim]")


def _skips_together(children: tuple[TraceStep, ...]) -> list[list[TraceStep]]:
    """The children in order, each run of steps skipped for the same reason as one group."""
    groups: list[list[TraceStep]] = []
    for child in children:
        last = groups[-1][0] if groups else None
        if last is not None and child.outcome == last.outcome == "skipped" and child.message == last.message \
                and not child.children and not last.children:
            groups[-1].append(child)
        else:
            groups.append([child])
    return groups


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# -- kauth explain request --------------------------------------------------------------------------------------

_EPILOG = """\b
Examples:
  kauth explain request GET /api/v1/namespaces/dev/secrets --as dana --as-group dev-team
  kauth explain request POST /api/v1/namespaces/restricted/pods -f manifests/pod-nginx.yaml
  kauth explain request PATCH /apis/apps/v1/namespaces/default/deployments/web --type merge \\
      -d '{"spec":{"replicas":3}}' --token dana-dev-token-0123456789abcdef
  kauth explain request GET /healthz --anonymous
"""


def _request_command():
    import click

    from kauth.cli.main import CONTEXT_SETTINGS, _connection_options

    @click.command("request", context_settings=CONTEXT_SETTINGS, epilog=_EPILOG)
    @click.argument("method", metavar="METHOD")
    @click.argument("path", metavar="PATH")
    @click.option("-d", "--data", metavar="BODY", help="The request body: JSON or YAML text, @FILE, or @- for stdin.")
    @click.option("-f", "--filename", metavar="FILE", help="The request body from a file (JSON or YAML, one object).")
    @click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
                  help="An HTTP header (repeatable), e.g. 'Impersonate-User: alice'.")
    @click.option("--type", "patch_type", type=click.Choice(["strategic", "merge", "json", "apply"]),
                  help="For PATCH: the patch type, as its Content-Type (default: strategic, as kubectl patch).")
    @click.option("--anonymous", is_flag=True, help="Send no credential at all (kauth's default is the kubeadm "
                  "admin when no --token, certificate or kubeconfig user is given).")
    @click.option("-o", "--output", type=click.Choice(["tree", "json"]), default="tree", show_default=True,
                  help="tree: the pipeline trace and the response, for people; json: the same, for tools.")
    @functools.partial(_connection_options, shadowed=("namespace", "explain", "explain-output"))
    def request(**kwargs) -> None:
        """Send one raw HTTP request (METHOD PATH, a body, headers, a credential) through the API server's
        pipeline and show how each stage handled it, then the response. Exits 1 when the answer is not 2xx,
        as `kubectl get --raw` does."""
        import sys

        from kauth.cli.main import Session, reported_errors

        session = Session(kwargs)
        with reported_errors(session):
            response = explained_request(session, **kwargs)
        if kwargs["output"] == "json":
            click.echo(json.dumps({**trace_json([response])[0], "response": {
                "code": response.code, "body": response.body, "warnings": list(response.warnings)}}, indent=2))
        else:
            print_trace([response], stderr=False)
            for warning in response.warnings:
                click.echo(f"Warning: {warning}")
            click.echo(json.dumps(response.body, indent=2))
        sys.exit(0 if response.ok else 1)

    return request


def explained_request(session, *, method: str, path: str, data: str | None, filename: str | None,
                      headers: tuple[str, ...], patch_type: str | None, anonymous: bool, **kwargs) -> Response:
    """The Response (with its trace) of one raw request against the session's cluster."""
    import sys

    from kauth.api.errors import ClientError
    from kauth.apiserver.http import handle_raw
    from kauth.apiserver.request import PATCH_TYPES
    from kauth.authn.user import CLUSTER_ADMIN
    from kauth.kubectl.kubeconfig import resolve

    method = method.upper()
    if method not in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        raise ClientError(f'unknown HTTP method "{method}"')
    if not path.startswith("/"):
        raise ClientError(f'the path must start with "/": {path}')
    if data is not None and filename:
        raise ClientError("give the body once: --data or --filename, not both")
    body = _body(data, filename, sys.stdin)
    header_map: dict[str, list[str]] = {}
    for line in headers:
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ClientError(f"a header is NAME: VALUE, got {line!r}")
        header_map.setdefault(name.strip(), []).append(value.strip())
    if body and not any(k.lower() == "content-type" for k in header_map):
        content_type = PATCH_TYPES[patch_type or "strategic"] if method == "PATCH" else _content_type(body)
        header_map["Content-Type"] = [content_type]
    elif patch_type:
        raise ClientError("--type sets the Content-Type of a PATCH body: give a body, and no Content-Type header")
    _impersonation_headers(header_map, kwargs)
    identity = None if anonymous else resolve(
        kubeconfig=kwargs.get("kubeconfig"), context=kwargs.get("kube_context"), user=kwargs.get("kube_user"),
        token=kwargs.get("token"), client_certificate=kwargs.get("client_certificate"),
        client_key=kwargs.get("client_key"))
    cert = None
    if identity is not None:
        if identity.credentials.bearer_token is not None:
            header_map["Authorization"] = [f"Bearer {identity.credentials.bearer_token}"]
        cert = identity.credentials.client_cert_pem
    carries_one = any(k.lower() == "authorization" for k in header_map) or cert is not None
    asserted = None if anonymous or carries_one else CLUSTER_ADMIN
    cluster = session.open()
    return handle_raw(cluster, method, path, header_map, body, client_cert_pem=cert, asserted_user=asserted)


def _body(data: str | None, filename: str | None, stdin) -> bytes:
    from kauth.api.errors import ClientError

    if filename:
        source = filename
    elif data is not None and data.startswith("@"):
        source = data[1:]
    else:
        return (data or "").encode()
    try:
        return stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as err:
        raise ClientError(f"error reading {source}: {err.strerror}") from None


def _content_type(body: bytes) -> str:
    """JSON when the body looks like JSON (so a JSON mistake is reported as one), else YAML (kube-apiserver
    decodes both)."""
    return "application/json" if body.lstrip()[:1] in (b"{", b"[") else "application/yaml"


def _impersonation_headers(headers: dict[str, list[str]], kwargs: dict) -> None:
    """--as, --as-group, --as-uid as the Impersonate-* headers client-go sends for them."""
    if kwargs.get("as_user"):
        headers["Impersonate-User"] = [kwargs["as_user"]]
    if kwargs.get("as_groups"):
        headers["Impersonate-Group"] = list(kwargs["as_groups"])
    if kwargs.get("as_uid"):
        headers["Impersonate-Uid"] = [kwargs["as_uid"]]


def explain_group():
    import click

    from kauth.cli.main import CONTEXT_SETTINGS

    @click.group("explain", context_settings=CONTEXT_SETTINGS)
    def explain() -> None:
        """Explain how the API server handles a request, stage by stage."""

    explain.add_command(_request_command())
    return explain
