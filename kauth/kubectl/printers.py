"""What `kubectl get` prints: kubectl v1.32's rendering of the server's Table (kauth/apiserver/printers.py).

`render(table, ...)` is kubectl's human-readable printer: NAMESPACE first with `-A`, `kind/name` with
several types, `-L` label columns, LABELS, headers upper-cased, and the layout of Go's text/tabwriter (min
width 6, padding 3, no padding after the last cell of a line). `table(...)` asks for the server's Table and
renders it; custom columns evaluate JSONPath per object. Everything is pure: objects in, text out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

from kauth.api import jsonpath as jp
from kauth.api.resources import ResourceType
from kauth.apiserver.printers import Table, format_labels, server_table

__all__ = [
    "render",
    "table",
    "name_line",
    "no_resources_message",
    "tabwrite",
    "custom_columns",
]


# --------------------------------------------------------------------------- kubectl's rendering

_TERMINAL = {"\x1b": "^[", "\r": "\\r"}


def _escape_terminal(s: str) -> str:
    """printers.EscapeTerminal: no raw escape sequences reach the terminal."""
    return "".join(_TERMINAL.get(ch, ch) for ch in s)


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        cut = min((i for i in (cell.find("\f"), cell.find("\n"), cell.find("\r")) if i >= 0), default=-1)
        if cut >= 0:
            return _escape_terminal(cell[:cut]) + "..."
        return _escape_terminal(cell)
    return _escape_terminal(jp.go_sprint(cell))


def tabwrite(lines: Sequence[Sequence[str]]) -> str:
    """Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, pad with spaces).

    Each line is a list of cells; every cell but the last of a line is tab-terminated, so
    the last one is never padded. Column widths are computed per block of consecutive lines
    that have a cell in that column, exactly as tabwriter does.
    """
    minwidth, padding = 6, 3
    rows = [list(line) for line in lines]
    # cell widths in runes; Go counts runes, not bytes
    widths_cache = [[len(c) for c in row] for row in rows]
    out_widths: list[list[int]] = [[0] * max(len(r) - 1, 0) for r in rows]

    def fmt(line0: int, line1: int, column: int) -> None:
        this = line0
        while this < line1:
            if column >= len(rows[this]) - 1:
                this += 1
                continue
            width = minwidth
            end = this
            while end < line1 and column < len(rows[end]) - 1:
                width = max(width, widths_cache[end][column] + padding)
                end += 1
            for k in range(this, end):
                out_widths[k][column] = width
            fmt(this, end, column + 1)
            this = end

    fmt(0, len(rows), 0)
    text = []
    for row, widths in zip(rows, out_widths):
        parts = []
        for j, cell in enumerate(row):
            if j < len(widths):
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        text.append("".join(parts) + "\n")
    return "".join(text)


def _label_header(key: str) -> str:
    return key.split("/")[-1].upper()


def render(
    tbl: Table,
    rt: ResourceType,
    *,
    wide: bool = False,
    all_namespaces: bool = False,
    show_kind: bool = False,
    no_headers: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
) -> str:
    """kubectl v1.32's human-readable printer for a server Table (decorateTable + printTable)."""
    if not tbl.rows:
        return ""
    with_namespace = all_namespaces and rt.namespaced
    columns = list(tbl.columns)
    name_index = -1
    if show_kind:
        name_index = next((i for i, c in enumerate(columns) if c.format == "name" and c.type == "string"), -1)
    kind_prefix = rt.group_kind.lower()

    header: list[str] = []
    visible = [i for i, c in enumerate(columns) if wide or c.priority == 0]
    if with_namespace:
        header.append("NAMESPACE")
    header += [columns[i].name.upper() for i in visible]
    header += [_label_header(k) for k in label_columns]
    if show_labels:
        header.append("LABELS")

    lines: list[list[str]] = [] if no_headers else [header]
    for r, cells in enumerate(tbl.rows):
        obj = tbl.objects[r] if r < len(tbl.objects) else {}
        meta = obj.get("metadata") or {} if isinstance(obj, Mapping) else {}
        line: list[str] = []
        if with_namespace:
            line.append(_escape_terminal(meta.get("namespace", "")))
        for i in visible:
            cell = cells[i] if i < len(cells) else None
            if i == name_index:
                cell = f"{kind_prefix}/{jp.go_sprint(cell) if cell is not None else '%!s(<nil>)'}"
            line.append(_cell_text(cell))
        labels = meta.get("labels") or {}
        for key in label_columns:
            line.append(_escape_terminal(str(labels.get(key, ""))))
        if show_labels:
            line.append(_escape_terminal(format_labels(labels)))
        lines.append(line)
    return tabwrite(lines)


def table(
    rt: ResourceType,
    objects: Iterable[Mapping],
    *,
    wide: bool = False,
    all_namespaces: bool = False,
    show_kind: bool = False,
    no_headers: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    now: datetime,
    printer_columns: Sequence[Mapping] | None = None,
) -> str:
    """What `kubectl get` prints on stdout for these objects of one kind ("" when there are none)."""
    tbl = server_table(rt, objects, now=now, printer_columns=printer_columns)
    return render(
        tbl, rt, wide=wide, all_namespaces=all_namespaces, show_kind=show_kind, no_headers=no_headers,
        show_labels=show_labels, label_columns=label_columns,
    )


def name_line(rt: ResourceType, obj: Mapping) -> str:
    """`kubectl get -o name`: `pod/my-nginx`, `deployment.apps/web`."""
    return f"{rt.group_kind.lower()}/{(obj.get('metadata') or {}).get('name', '')}"


def no_resources_message(namespace: str | None) -> str:
    """kubectl's stderr when nothing matched; namespace None for -A or cluster-scoped kinds."""
    if namespace:
        return f"No resources found in {namespace} namespace."
    return "No resources found"


# --------------------------------------------------------------------------- custom columns


def custom_columns(spec: str, objects: Iterable[Mapping], *, no_headers: bool = False) -> str:
    """`kubectl get -o custom-columns=NAME:.metadata.name,...`: `<none>` for what is missing."""
    if not spec:
        raise jp.JSONPathError("custom-columns format specified but no custom columns given")
    headers, templates = [], []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise jp.JSONPathError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        expr = jp.relaxed_expression(path)
        headers.append(header)
        templates.append(jp.parse(expr))
    lines: list[list[str]] = [] if no_headers else [headers]
    for obj in objects:
        line = []
        for tmpl in templates:
            results = tmpl.find_results(obj)
            values: list[str] = []
            if not results or not results[0]:
                values.append("<none>")
            for group in results:
                values.extend(_escape_terminal(jp.go_sprint(v)) for v in group)
            line.append(",".join(values))
        lines.append(line)
    return tabwrite(lines)
