"""Generate kauth/api/fields.json: the JSON fields and value types of every built-in Kubernetes kind.

The source of truth is the official Kubernetes Python client, kubernetes==37.0.2, which is generated
from the Kubernetes v1.37 OpenAPI document. The client is read, never imported (importing it needs
pydantic, urllib3, ...): each model's `openapi_types` and `attribute_map` dict literals give its
fields, and each API method's HTTP method, resource path and response type give the kinds.

Regenerate (from the repository root; stdlib only, nothing is installed):

    pip download --no-deps kubernetes==37.0.2 -d /tmp/k8sclient
    python3 tools/gen_fields.py /tmp/k8sclient/kubernetes-37.0.2-py2.py3-none-any.whl

CLIENT may also be a directory holding the `kubernetes` package (an unzipped wheel, a site-packages)
or the package directory itself; without it, an installed `kubernetes` package is used.

Output format (compact JSON, sorted keys):

    {"version": "kubernetes-client 37.0.2 (Kubernetes v1.37)",
     "kinds": {"<group>/<version>/<Kind>": "<TypeName>"},      # group "" for core: "/v1/Pod"
     "types": {"<TypeName>": {"<jsonField>": <type>}}}

where <type> is "string", "integer", "number", "boolean", "time", "any" (free-form JSON:
IntOrString, RawExtension, JSON, FieldsV1), ["list", <type>], ["map", <type>], or a TypeName.
Only stable versions (v1, v2, ...) are included, and only the types reachable from their kinds.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Iterator

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "kauth" / "api" / "fields.json"

# Kinds that are only ever sent to a subresource, so no collection path names their group/version.
# Their group/version is that of their Go package (k8s.io/api/<group>/<version>), as discovery reports it.
SUBRESOURCE_KINDS = {
    "autoscaling/v1/Scale": "V1Scale",                                      # */scale
    "policy/v1/Eviction": "V1Eviction",                                     # pods/eviction
    "authentication.k8s.io/v1/TokenRequest": "AuthenticationV1TokenRequest",  # serviceaccounts/token
}

SCALARS = {
    "str": "string",
    "bytes": "string",  # []byte is base64 in JSON
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "datetime": "time",
    "date": "time",
    "object": "any",  # no schema in the OpenAPI document: IntOrString, RawExtension, JSON, FieldsV1
}

# /api/v1[/namespaces/{namespace}]/<plural> and /apis/<group>/<version>[/namespaces/{namespace}]/<plural>
COLLECTION_PATH = re.compile(
    r"^/(?:api|apis/(?P<group>[^/{}]+))/(?P<version>v\d+)(?:/namespaces/\{namespace\})?/(?P<plural>[a-z0-9]+)$")
SUBRESOURCE_PATH = re.compile(r"^/apis?/.*/\{name\}/[a-z]+$")
# V1Pod, V2HorizontalPodAutoscaler, CoreV1Event, ResourceV1ResourceClaim: the prefix before the kind.
TYPE_PREFIX = re.compile(r"^(?:[A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])")


# -- reading the client ------------------------------------------------------------------------------

def client_files(client: str | None) -> dict[str, str]:
    """The client's sources under kubernetes/, by relative path ("__init__.py", "client/models/v1_pod.py")."""
    if client is None:
        spec = importlib.util.find_spec("kubernetes")  # finds the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("no CLIENT given and no installed kubernetes package")
        return _dir_files(Path(list(spec.submodule_search_locations)[0]))
    path = Path(client)
    if path.is_file():
        with zipfile.ZipFile(path) as wheel:
            files = {name.removeprefix("kubernetes/"): wheel.read(name).decode() for name in wheel.namelist()
                     if name.startswith("kubernetes/") and _wanted(name.removeprefix("kubernetes/"))}
    else:
        files = _dir_files(path / "kubernetes" if (path / "kubernetes" / "__init__.py").exists() else path)
    if "client/models/v1_pod.py" not in files:
        raise SystemExit(f"{client}: not a kubernetes client wheel or package")
    return files


def _dir_files(package: Path) -> dict[str, str]:
    return {str(p.relative_to(package)): p.read_text() for p in package.rglob("*.py")
            if _wanted(str(p.relative_to(package)))}


def _wanted(relative: str) -> bool:
    return relative == "__init__.py" or re.fullmatch(r"client/(models|api)/\w+\.py", relative) is not None


def client_version(files: dict[str, str]) -> str:
    """`kubernetes-client 37.0.2 (Kubernetes v1.37)`, from the package and its OpenAPI document."""
    package = re.search(r'__version__ = "([^"]+)"', files["__init__.py"])
    release = re.search(r"The version of the OpenAPI document: release-(\S+)", files["client/models/v1_pod.py"])
    if package is None or release is None:
        raise SystemExit("cannot tell the client's version")
    return f"kubernetes-client {package.group(1)} (Kubernetes v{release.group(1)})"


def model_fields(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """Every model class: JSON field name -> the client's type string ('List[V1Container]')."""
    models = {}
    for cls in _classes(files, "client/models/"):
        literals = dict(_annotated_literals(cls))
        if "openapi_types" in literals and "attribute_map" in literals:
            types, names = literals["openapi_types"], literals["attribute_map"]
            if set(types) != set(names):
                raise SystemExit(f"{cls.name}: openapi_types and attribute_map name different attributes")
            models[cls.name] = {names[attr]: types[attr] for attr in types}
    return models


def _classes(files: dict[str, str], under: str) -> Iterator[ast.ClassDef]:
    """The top-level classes of the client's source files under `under`."""
    for relative, source in files.items():
        if relative.startswith(under):
            yield from (node for node in ast.parse(source).body if isinstance(node, ast.ClassDef))


def _annotated_literals(node: ast.ClassDef | ast.FunctionDef) -> Iterator[tuple[str, object]]:
    """The literal values of `name: Type = <literal>` statements in a class or function body."""
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
            yield statement.target.id, _literal(statement.value)


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def api_operations(files: dict[str, str]) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Every API method as (HTTP method, resource path, body type, type of the 200/201 response)."""
    for cls in _classes(files, "client/api/"):
        functions = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        for name, function in functions.items():
            serialize = functions.get(f"_{name}_serialize")
            if serialize is None:
                continue
            request = _param_serialize_call(serialize)
            responses = dict(_annotated_literals(function)).get("_response_types_map") or {}
            body = next((a.annotation.id for a in function.args.args
                         if a.arg == "body" and isinstance(a.annotation, ast.Name)), None)
            yield request["method"], request["resource_path"], body, responses.get("200") or responses.get("201")


def _param_serialize_call(function: ast.FunctionDef) -> dict[str, str]:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "param_serialize":
            return {k.arg: k.value.value for k in node.keywords
                    if k.arg in ("method", "resource_path") and isinstance(k.value, ast.Constant)}
    raise SystemExit(f"{function.name}: no param_serialize call")


# -- deriving the data ---------------------------------------------------------------------------------

def kind_name(type_name: str) -> str:
    """`Pod` from V1Pod, `Event` from EventsV1Event."""
    kind = TYPE_PREFIX.sub("", type_name)
    if kind == type_name:
        raise SystemExit(f"{type_name}: not a versioned model name")
    return kind


def served_kinds(operations: list[tuple[str, str, str | None, str | None]],
                 models: dict[str, dict[str, str]]) -> tuple[dict[str, str], set[str]]:
    """`<group>/<version>/<Kind>` -> model, for the collections of stable versions; and the List models."""
    kinds: dict[str, str] = {}
    lists: set[str] = set()
    for method, path, body, response in operations:
        match = COLLECTION_PATH.match(path)
        if match is None or response is None:
            continue
        if method == "GET":  # list: the kind is the List's item type
            lists.add(response)
            item = re.fullmatch(r"List\[(\w+)\]", models[response]["items"])
            if item is None:
                raise SystemExit(f"{response}: items is not a list of a model")
            model = item.group(1)
        elif method == "POST":  # create, or a review: the response is the kind
            model = response
        else:
            continue
        key = f"{match['group'] or ''}/{match['version']}/{kind_name(model)}"
        if kinds.setdefault(key, model) != model:
            raise SystemExit(f"{key}: both {kinds[key]} and {model}")
    subresource_bodies = {body for method, path, body, _ in operations
                          if method in ("POST", "PUT") and SUBRESOURCE_PATH.match(path)}
    for key, model in SUBRESOURCE_KINDS.items():
        if model not in subresource_bodies:
            raise SystemExit(f"{key}: {model} is no longer sent to a subresource")
        kinds[key] = model
    return kinds, lists


def json_type(client_type: str, models: dict[str, dict[str, str]]) -> str | list:
    """The data file's type for a client type string: 'List[V1Container]' -> ["list", "V1Container"]."""
    if client_type in SCALARS:
        return SCALARS[client_type]
    if match := re.fullmatch(r"List\[(.+)\]", client_type):
        return ["list", json_type(match.group(1), models)]
    if match := re.fullmatch(r"Dict\[str, (.+)\]", client_type):
        return ["map", json_type(match.group(1), models)]
    if client_type in models:
        return client_type
    raise SystemExit(f"unknown client type {client_type!r}")


def referenced_models(t: str | list) -> Iterator[str]:
    if isinstance(t, list):
        yield from referenced_models(t[1])
    elif t not in SCALARS.values():
        yield t


def reachable_types(roots: set[str], models: dict[str, dict[str, str]]) -> dict[str, dict[str, str | list]]:
    """The models reachable from the roots, with their fields in the data file's types."""
    types: dict[str, dict[str, str | list]] = {}
    pending = sorted(roots)
    while pending:
        name = pending.pop()
        if name in types:
            continue
        types[name] = {field: json_type(t, models) for field, t in models[name].items()}
        pending.extend(m for t in types[name].values() for m in referenced_models(t) if m not in types)
    return types


def fields_data(files: dict[str, str]) -> dict:
    models = model_fields(files)
    operations = list(api_operations(files))
    if not models or not operations:
        # Clients before the pydantic generator (e.g. 32.x) spell types and API methods differently.
        raise SystemExit("no models or API methods found: this reads the layout of the 37.x client")
    kinds, lists = served_kinds(operations, models)
    # A List itself is not stored, but what it carries besides items (ListMeta) is.
    list_parts = {m for name in lists for field, t in models[name].items() if field != "items"
                  for m in referenced_models(json_type(t, models))}
    return {"version": client_version(files), "kinds": kinds,
            "types": reachable_types(set(kinds.values()) | list_parts, models)}


# -- the shell -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("client", nargs="?", help="kubernetes wheel, or a directory holding the package")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data = fields_data(client_files(args.client))
    args.output.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{args.output}: {data['version']}, {len(data['kinds'])} kinds, {len(data['types'])} types, "
          f"{args.output.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
