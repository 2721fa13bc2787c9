"""Printing objects for -o yaml|json|name|jsonpath=...|custom-columns=..., as kubectl's printers do."""

from __future__ import annotations

from typing import Literal

from kauth.api.errors import ClientError
from kauth.api.resources import ResourceType
from kauth.kubectl.output import Outcome

DryRun = Literal["none", "client", "server"]

OUTPUT_FORMATS = ("json", "yaml", "name", "wide", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                  "custom-columns", "custom-columns-file", "go-template", "go-template-file", "template",
                  "templatefile")


def suffix(dry_run: DryRun) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")


def check_output(output: str, allowed: tuple[str, ...] = ("json", "yaml", "name", "jsonpath",
                                                          "jsonpath-as-json", "custom-columns")) -> None:
    kind = output.split("=", 1)[0]
    if output and kind not in allowed:
        raise ClientError(f"unable to match a printer suitable for the output format \"{output}\", allowed formats "
                          f"are: {','.join(sorted(allowed))}")


def as_list(objects: list[dict]) -> dict:
    """kubectl prints several objects as one `kind: List`."""
    return {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}}


def render(obj: dict, output: str, *, no_headers: bool = False, show_managed_fields: bool = True,
           typed: bool = False) -> str:
    """One object (or List) in a structured format: exactly the text kubectl writes for it.

    JSON and YAML end with a newline; a jsonpath result does not (kubectl adds none).
    Template errors become kubectl's `error: ...`. `show_managed_fields=False` is kubectl's default for
    JSON and YAML (OmitManagedFieldsPrinter, since v1.21): metadata.managedFields left out.
    `typed`: kubectl holds the object as a Go struct (a generator's, a --local edit's), so JSON keeps the
    struct field order rather than sorting (YAML sorts either way).
    """
    from kauth.kubectl import serialize
    from kauth.api.jsonpath import JSONPathError, evaluate

    kind, _, arg = output.partition("=")
    if kind in ("json", "yaml") and not show_managed_fields:
        obj = without_managed_fields(obj)
    try:
        if kind == "json":
            from kauth.kubectl.struct_order import in_struct_order

            return serialize.to_json(in_struct_order(obj) if typed else obj)
        if kind == "yaml":
            return serialize.to_yaml(obj)
        if kind in ("jsonpath", "jsonpath-as-json"):
            return evaluate(_strip_quotes(arg), obj, output_json=kind == "jsonpath-as-json")
        if kind == "custom-columns":
            from kauth.kubectl.printers import custom_columns

            items = obj["items"] if isinstance(obj.get("items"), list) and obj.get("kind") == "List" else [obj]
            return custom_columns(arg, items, no_headers=no_headers)
    except JSONPathError as err:
        raise ClientError(err.kubectl_message.rstrip("\n")) from None
    raise ClientError(f'unable to match a printer suitable for the output format "{output}"')


def without_managed_fields(obj: dict) -> dict:
    """A copy of an object, or of each item of a List, without metadata.managedFields (OmitManagedFieldsPrinter)."""
    def omit(item: object) -> object:
        meta = item.get("metadata") if isinstance(item, dict) else None
        if not isinstance(meta, dict) or "managedFields" not in meta:
            return item
        return {**item, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}

    if isinstance(obj.get("items"), list) and str(obj.get("kind", "")).endswith("List"):
        return {**obj, "items": [omit(item) for item in obj["items"]]}
    return omit(obj)  # type: ignore[return-value]


def print_objects(outcome: Outcome, objects: list[tuple[ResourceType, dict]], output: str, *,
                  typed: bool = False) -> None:
    """Each object on its own (create, replace, patch print what the server returned for each), without
    managedFields as kubectl prints them by default. typed: as in `render`."""
    from kauth.kubectl.printers import name_line

    for rt, obj in objects:
        if output == "name":
            outcome.print(name_line(rt, obj))
        elif output == "yaml":
            from kauth.kubectl.serialize import YAMLConversionError

            try:
                text = render(obj, output, show_managed_fields=False)
            except YAMLConversionError as err:  # what go-yaml refuses (control characters): kubectl's error
                outcome.fail(ClientError(str(err)))
                return
            # kubectl's YAML printer separates the second and later documents with ---.
            outcome.write(("---\n" if outcome.stdout else "") + text)
        else:
            outcome.write(render(obj, output, show_managed_fields=False, typed=typed))


def _strip_quotes(template: str) -> str:
    if len(template) >= 2 and template[0] == template[-1] and template[0] in "'\"":
        return template[1:-1]
    return template


def report(outcome: Outcome, rt: ResourceType, obj: dict, output: str, verb: str, dry_run: DryRun = "none", *,
           typed: bool = False) -> None:
    """What a write command prints per object: `deployment.apps/web created`, or the object with -o.
    typed: kubectl holds the object as a Go struct, not an unstructured map (see `render`)."""
    if output:
        print_objects(outcome, [(rt, obj)], output, typed=typed)
        return
    from kauth.kubectl.printers import name_line

    outcome.print(f"{name_line(rt, obj)} {verb}{suffix(dry_run)}")
