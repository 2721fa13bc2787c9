"""`kubectl api-resources`: the served resource types, as discovery reports them."""

from __future__ import annotations

from kauth.kubectl.client import Client
from kauth.kubectl.output import Outcome


def api_resources(client: Client, *, namespaced: bool | None = None, output: str = "") -> Outcome:
    outcome = Outcome()
    rows = []
    for rt in client.table().preferred():
        if namespaced is not None and rt.namespaced != namespaced:
            continue
        if output == "name":
            outcome.print(rt.group_resource)
            continue
        row = [rt.plural, ",".join(rt.short_names), rt.api_version, str(rt.namespaced).lower(), rt.kind]
        if output == "wide":
            row += [f"[{' '.join(sorted(rt.verbs))}]", ",".join(rt.categories)]
        rows.append(row)
    if output == "name":
        return outcome
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if output == "wide":
        header += ["VERBS", "CATEGORIES"]
    rows.sort(key=lambda r: (r[2].rpartition("/")[0] if "/" in r[2] else "", r[0]))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        outcome.print("   ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return outcome
