"""Manifests read as `kubectl -f` reads them: files, directories, globs and stdin, to objects.

Mirrors k8s.io/cli-runtime/pkg/resource (builder.go FilenameParam/Path, visitor.go
ExpandPathsToFileVisitors, FileVisitor, StreamVisitor, FlattenListVisitor; mapper.go
infoForData) and apimachinery's YAMLOrJSONDecoder, with kubectl's messages:

- A path that does not exist, a glob that matches nothing, `-` given twice, or a directory with
  no manifests stops everything before a single file is read (kubectl's builder errors).
- A directory contributes its `.json`, `.yaml` and `.yml` files in lexical order (any file named
  explicitly is read whatever its name); sub-directories only with `recursive` (`-R`).
- A stream whose first non-blank character is `{` is a JSON stream (several objects may follow
  one another); anything else is YAML, cut into documents at `---` lines. A syntax error ends the
  file at that point: the documents before it are kept, the ones after it are never read.
- A document that reads but is not an object (`Object 'Kind' is missing`, a bare list, a string)
  is an error for that document only; the next ones are read.
- Any object with an `items` field is a list and stands for its items, which keep the file as
  their source (a `kind: ConfigMapList`'s items without kind and apiVersion get them from the list).
- With `validate` (kubectl's default) a document without apiVersion or kind stops its file, as
  kubectl's client-side check does; without it (`--validate=false`) only a missing kind is an
  error. Whether the apiVersion/kind is served is for the resource table to say, not for reading.

Errors are kubectl's messages without the `error: ` that kubectl prints before a lone error;
`format_errors` prints a run of them the way kubectl does.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from kauth.api import yaml11
from kauth.api.json_syntax import json_kind
from kauth.kubectl.serialize import to_compact_json
from kauth.api.json_syntax import END, END_CONTAINER, ERROR, JSON_SPACE, GoJSONScanner, quote_char
from kauth.api.names import parse_group_version
from kauth.api.yaml11 import INT64_MAX, INT64_MIN, YAMLError, go_quote

__all__ = ["Document", "read_manifests", "read_stream", "format_errors", "with_errors", "FILE_EXTENSIONS"]

FILE_EXTENSIONS = (".json", ".yaml", ".yml")
STDIN_SOURCE = "STDIN"
_STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"
_JSON_SNIFF_BYTES = 4096  # how far kubectl looks for the `{` that makes a stream JSON


@dataclass(frozen=True)
class Document:
    """One object read from a manifest, or the error kubectl reports in its place.

    `source` is the file as kubectl names it (`STDIN` for `-`). `error` is kubectl's message
    (without the `error: ` prefix). `from_list` numbers the List an item error came from: kubectl
    reports the errors of one List's items together (see `format_errors`)."""

    source: str
    obj: dict | None
    error: str | None
    from_list: int | None = None


def format_errors(documents: list[Document]) -> str:
    """The errors among `documents` as kubectl prints them (cmdutil.CheckErr on its aggregate):
    a lone error as `error: MESSAGE`, several as one message a line. The errors of one List's items
    are an aggregate of their own: alone they print one a line without `error: `; among other
    errors they share one bracketed line. "" when there is none."""
    groups: list[list[str]] = []
    from_list: list[bool] = []
    last_list = None
    for doc in documents:
        if doc.error is None:
            continue
        if doc.from_list is not None and doc.from_list == last_list:
            groups[-1].append(doc.error)
        else:
            groups.append([doc.error])
            from_list.append(doc.from_list is not None)
        last_list = doc.from_list
    if not groups:
        return ""
    if len(groups) == 1:
        if from_list[0]:  # a List's item errors are an aggregate of their own: one a line, no prefix
            return "\n".join(groups[0])
        message = groups[0][0]
        return message if message.startswith("error: ") else f"error: {message}"
    return "\n".join(_aggregate(group) for group in groups)


def with_errors(documents: list[Document]) -> Iterator[tuple[Document, "ClientError | None"]]:
    """Each document with the error a command reports for it, in order. The errors of one List's
    items come as one ClientError (a nested aggregate, see format_errors), at the first of them."""
    from kauth.api.errors import ClientError

    grouped: dict[int, list[str]] = {}
    for doc in documents:
        if doc.error is not None and doc.from_list is not None:
            grouped.setdefault(doc.from_list, []).append(doc.error)
    reported: set[int] = set()
    for doc in documents:
        if doc.error is None:
            yield doc, None
        elif doc.from_list is None:
            yield doc, ClientError(doc.error)
        elif doc.from_list not in reported:
            reported.add(doc.from_list)
            items = grouped[doc.from_list]
            yield doc, ClientError(_aggregate(items), items=items)


def _aggregate(messages: list[str]) -> str:
    """utilerrors.Aggregate.Error(): one message, or the distinct ones bracketed."""
    distinct = list(dict.fromkeys(messages))
    return distinct[0] if len(distinct) == 1 else "[" + ", ".join(distinct) + "]"


# --- which files: builder.go FilenameParam, Path, ExpandPathsToFileVisitors -----------------


def read_manifests(filenames: list[str], *, recursive: bool = False, stdin: TextIO | None = None,
                   validate: bool = True) -> list[Document]:
    """The objects of `kubectl -f F [-f F ...] [-R]`, in the order kubectl visits them.

    `-` reads `stdin` (default sys.stdin) once. URLs are not fetched: kauth has no network, so an
    http(s) filename is an error document. `validate=False` is `--validate=false`."""
    sources, errors = _expand(filenames, recursive)
    if errors:
        return [Document(source, None, message) for source, message in errors]
    documents: list[Document] = []
    lists = _ListCounter()
    for kind, name in sources:
        if kind == "stdin":
            data = _read_stdin(stdin if stdin is not None else sys.stdin)
            documents.extend(_visit(data, STDIN_SOURCE, validate, lists))
        elif kind == "url":
            documents.append(Document(name, None, f"kauth does not download manifests: {go_quote(name)} "
                                                   "(save it and pass the file's path instead)"))
        else:
            data, error = _read_file(name)
            if error is not None:
                documents.append(Document(name, None, error))
            else:
                documents.extend(_visit(data, name, validate, lists))
    return documents


def read_stream(data: bytes | str, source: str = STDIN_SOURCE, *, validate: bool = True) -> list[Document]:
    """The objects of one stream (a file's bytes or text), as kubectl's StreamVisitor reads them."""
    if isinstance(data, bytes):
        data = _decode_bytes(data)
    return list(_visit(data, source, validate, _ListCounter()))


def _expand(filenames: list[str], recursive: bool) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The streams to read, in order, and the builder's errors (any of which stops everything)."""
    sources: list[tuple[str, str]] = []
    errors: list[tuple[str, str]] = []
    stdin_used = False
    for name in filenames:
        if name == "-":
            if stdin_used:
                errors.append((name, "standard input cannot be used for multiple arguments"))
                continue
            stdin_used = True
            sources.append(("stdin", STDIN_SOURCE))
            continue
        if name.startswith("http://") or name.startswith("https://"):
            sources.append(("url", name))
            continue
        try:
            matches = _expand_if_file_pattern(name)
        except _PathError as err:
            errors.append((name, str(err)))
            continue
        for path in matches:
            try:
                os.stat(path)
            except FileNotFoundError:
                errors.append((path, f"the path {go_quote(path)} does not exist"))
                continue
            except OSError as err:
                errors.append((path, f"the path {go_quote(path)} cannot be accessed: {_go_os_error('stat', path, err)}"))
                continue
            try:
                sources.extend(("file", f) for f in _walk(path, recursive))
            except OSError as err:
                errors.append((path, f"error reading {go_quote(path)}: {_go_os_error('open', err.filename or path, err)}"))
        if not sources and not errors:  # builder.Path: nothing to read so far, and no other complaint
            errors.append((name, f"error reading [{' '.join(matches)}]: recognized file extensions are "
                                 f"[{' '.join(FILE_EXTENSIONS)}]"))
    return sources, errors


class _PathError(Exception):
    pass


def _expand_if_file_pattern(pattern: str) -> list[str]:
    """expandIfFilePattern: a path that exists as given, else its glob matches (sorted)."""
    if os.path.exists(pattern):
        return [pattern]
    try:
        matches = _go_glob(pattern)
    except _BadPattern:
        raise _PathError(f"pattern {go_quote(pattern)} is not valid: syntax error in pattern") from None
    if not matches:
        raise _PathError(f"the path {go_quote(pattern)} does not exist")
    return matches


def _walk(root: str, recursive: bool) -> list[str]:
    """filepath.Walk from `root`: depth first, each directory's entries in lexical order; below the
    root only manifests (by extension) and, without `recursive`, no sub-directory."""
    if not stat.S_ISDIR(os.lstat(root).st_mode):
        return [root]  # named explicitly: read whatever its extension (a link to a directory too)
    found: list[str] = []
    pending = [(root, iter(sorted(os.listdir(root))))]
    while pending:
        directory, names = pending[-1]
        name = next(names, None)
        if name is None:
            pending.pop()
            continue
        path = _go_join(directory, name)
        if stat.S_ISDIR(os.lstat(path).st_mode):
            if recursive:
                pending.append((path, iter(sorted(os.listdir(path)))))
            continue
        dot = name.rfind(".")
        if dot >= 0 and name[dot:] in FILE_EXTENSIONS:
            found.append(path)
    return found


def _go_join(directory: str, name: str) -> str:
    """filepath.Join: joined and Cleaned (`./d` + `a.yaml` is `d/a.yaml`)."""
    return _go_clean(posixpath.join(directory, name))


def _go_clean(path: str) -> str:
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


class _BadPattern(Exception):
    pass


def _go_glob(pattern: str) -> list[str]:
    """filepath.Glob: `*`, `?`, `[...]` (with `^`), `\\` escapes; hidden files match `*` too."""
    _match_regex(pattern)  # Go checks the whole pattern's syntax first
    if not _has_meta(pattern):
        return [pattern] if os.path.lexists(pattern) else []
    directory, file_pattern = posixpath.split(pattern)
    if directory == "":
        directory = "."
    elif directory != "/":
        directory = directory.rstrip("/") or "/"
    if not _has_meta(directory):
        return _glob_in(directory, file_pattern, [])
    if directory == pattern:
        raise _BadPattern()
    matches: list[str] = []
    for parent in _go_glob(directory):
        matches = _glob_in(parent, file_pattern, matches)
    return matches


def _has_meta(path: str) -> bool:
    return any(c in path for c in "*?[\\")


def _glob_in(directory: str, file_pattern: str, matches: list[str]) -> list[str]:
    if not os.path.isdir(directory):
        return matches
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return matches
    regex = _match_regex(file_pattern)
    return matches + [_go_join(directory, n) for n in names if regex.fullmatch(n)]


def _match_regex(pattern: str) -> re.Pattern:
    """filepath.Match's pattern language as a regex; malformed patterns raise _BadPattern."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\":
            i += 1
            if i >= len(pattern):
                raise _BadPattern()
            out.append(re.escape(pattern[i]))
        elif char == "[":
            i += 1
            negated = i < len(pattern) and pattern[i] == "^"
            if negated:
                i += 1
            parts = []
            first = True
            while True:
                if i >= len(pattern):
                    raise _BadPattern()
                if pattern[i] == "]" and not first:
                    break
                low, i = _class_char(pattern, i)
                high = low
                if i < len(pattern) and pattern[i] == "-":
                    high, i = _class_char(pattern, i + 1)
                parts.append(re.escape(low) + ("-" + re.escape(high) if high != low else ""))
                first = False
            out.append("[" + ("^" if negated else "") + "".join(parts) + "]")
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    if i >= len(pattern) or pattern[i] in "-]":
        raise _BadPattern()
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise _BadPattern()
    return pattern[i], i + 1


# --- reading bytes: FileVisitor (BOMOverride(UTF-8)) ---------------------------------------


def _read_file(path: str) -> tuple[str | None, str | None]:
    if os.path.isdir(path):  # Go opens a directory fine and fails on the first read
        return None, f"error parsing {path}: read {path}: is a directory"
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        return None, _go_os_error("open", path, err)
    return _decode_bytes(data), None


def _read_stdin(stream: TextIO) -> str:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return _decode_bytes(buffer.read())
    text = stream.read()
    return text[1:] if text.startswith("\ufeff") else text


def _decode_bytes(data: bytes) -> str:
    """unicode.BOMOverride(UTF8): a UTF-8 BOM is dropped, UTF-16 with a BOM decoded, bad bytes U+FFFD."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    elif data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("utf-8", "go-replace")


def _go_os_error(op: str, path: str, err: OSError) -> str:
    """os.PathError's text: `open x.yaml: permission denied`."""
    reason = (err.strerror or str(err)).lower()
    return f"{op} {path}: {reason}"


# --- one stream: StreamVisitor, then FlattenListVisitor -------------------------------------


class _ListCounter:
    def __init__(self) -> None:
        self.next = 0

    def take(self) -> int:
        self.next += 1
        return self.next


def _visit(text: str, source: str, validate: bool, lists: _ListCounter) -> Iterator[Document]:
    """Each value of the stream as kubectl's StreamVisitor decodes it."""
    if _is_json_stream(text):
        values = _json_values(text)
    else:
        values = _yaml_values(text)
    quoted = go_quote(source)
    while True:
        try:
            item = next(values)
        except StopIteration:
            return
        except _StreamError as err:
            yield Document(source, None, f"error parsing {source}: {err}")
            return
        value, raw, problem, literals = item
        if validate:
            invalid = _validation_error(value)
            if invalid is not None:  # kubectl's client-side check stops the whole file
                yield Document(source, None, f"error validating {quoted}: error validating data: {invalid}; "
                                             f"{_STOP_VALIDATE}")
                return
        if problem is not None:
            yield Document(source, None, f"unable to decode {quoted}: {problem}")
            continue
        yield from _decode(value, raw, source, quoted, lists, literals)


class _StreamError(Exception):
    """The stream cannot be read past this point: kubectl's `error parsing FILE: ...` text follows."""


def _yaml_values(text: str) -> Iterator[tuple[object, object, str | None]]:
    try:
        for chunk in yaml11.split_documents(text):
            value = yaml11.load(chunk)
            if value is not None:
                yield value, _YamlRaw(value), None, None
    except YAMLError as err:
        raise _StreamError(str(err)) from None


class _YamlRaw:
    """The JSON sigs.k8s.io/yaml made of a YAML document, only spelled out for a message."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        try:
            return to_compact_json(self.value)
        except RecursionError:  # nested past Python's recursion limit: elide the depths
            return _elided_json(self.value)


def _elided_json(value: object, depth: int = 0) -> str:
    if depth >= 100 and isinstance(value, (dict, list)):
        return "{...}" if isinstance(value, dict) else "[...]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_elided_json(value[k], depth + 1)}"
                              for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_elided_json(v, depth + 1) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _validation_error(value: object) -> str | None:
    """kubectl's client-side check (validation.paramVerifyingSchema), or None.

    Only apiVersion and kind are checked on the client (a v1.37 server validates the rest); a
    `v1` `List` has each of its items checked instead."""
    problems = _object_kind_problems(value)
    if not problems and parse_group_version(value["apiVersion"]) == ("", "v1") and value["kind"] == "List":
        items = value.get("items")
        if not isinstance(items, list):
            return "invalid object to validate"
        for item in items:
            problems.extend(_object_kind_problems(item))
    return _aggregate(problems) if problems else None


def _object_kind_problems(value: object) -> list[str]:
    """validation.getObjectKind's complaints about one object."""
    if not isinstance(value, dict):
        return ["invalid object to validate"]
    problems = []
    api_version = value.get("apiVersion")
    if api_version is None:
        problems.append("apiVersion not set")
    elif not isinstance(api_version, str):
        problems.append("apiVersion isn't string type")
    elif parse_group_version(api_version) is None:
        problems.append(f"unexpected GroupVersion string: {api_version}")
    kind = value.get("kind")
    if kind is None:
        problems.append("kind not set")
    elif not isinstance(kind, str):
        problems.append("kind isn't string type")
    return problems


def _kind_of(obj: dict) -> tuple[str, str]:
    """Unstructured.GroupVersionKind(): (version, kind); both empty when apiVersion does not parse."""
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    group_version = parse_group_version(api_version if isinstance(api_version, str) else "")
    if group_version is None:
        return "", ""
    return group_version[1], kind if isinstance(kind, str) else ""


def _decode(value: object, raw: object, source: str, quoted: str, lists: _ListCounter,
            literals: dict[int, str] | None) -> Iterator[Document]:
    """infoForData (unstructured decoding) and FlattenListVisitor for one document."""
    if not isinstance(value, dict):
        yield Document(source, None, f"unable to decode {quoted}: json: cannot unmarshal {json_kind(value)} "
                                     "into Go value of type unstructured.detector")
        return
    if "items" not in value:
        if not _kind_of(value)[1]:
            yield Document(source, None, f"unable to decode {quoted}: Object 'Kind' is missing in '{raw}'")
            return
        problem = _metadata_problem(value, literals)
        if problem is not None:
            yield Document(source, None, f"unable to decode {quoted}: {problem}")
            return
        yield Document(source, value, None)
        return
    # Any object with `items` decodes as a list, whatever its kind.
    items = value["items"]
    if items is not None and not isinstance(items, list):
        yield Document(source, None, f"unable to decode {quoted}: json: cannot unmarshal {json_kind(items)} "
                                     "into Go struct field decodeList.items of type []json.RawMessage")
        return
    items = items or []
    list_api_version = value.get("apiVersion") if isinstance(value.get("apiVersion"), str) else ""
    list_kind = value.get("kind") if isinstance(value.get("kind"), str) else ""
    item_kind = list_kind[:-4] if list_kind.endswith("List") else list_kind
    objects = []
    for item in items:
        if item is None:
            item = {}
        if not isinstance(item, dict):
            yield Document(source, None, f"unable to decode {quoted}: json: cannot unmarshal {json_kind(item)} "
                                         "into Go value of type map[string]interface {}")
            return
        if not (isinstance(item.get("kind"), str) and item["kind"]) and \
                not (isinstance(item.get("apiVersion"), str) and item["apiVersion"]):
            item = {**item, "kind": item_kind, "apiVersion": list_api_version}  # typed lists omit them
        objects.append(item)
    if not _kind_of(value)[1]:
        yield Document(source, None, f"unable to decode {quoted}: Object 'Kind' is missing in '{raw}'")
        return
    problem = _metadata_problem(value, literals)
    if problem is not None:
        yield Document(source, None, f"unable to decode {quoted}: {problem}")
        return
    if any(isinstance(item.get("items"), list) for item in objects):
        yield Document(source, None, "*unstructured.Unstructured is not a list: no Items field in this object")
        return
    list_id = lists.take()
    for item in objects:
        version, kind = _kind_of(item)
        if not kind:
            problem = "Object 'Kind' is missing in 'object has no kind field '"
        elif not version:
            problem = "Object 'apiVersion' is missing in 'object has no apiVersion field'"
        else:
            yield Document(source, item, None)
            continue
        yield Document(source, None, f'unable to get type info from the object "*unstructured.Unstructured": '
                                     f"{problem}", from_list=list_id)


# --- metadataValidatingDecoder: the document must decode into TypeMeta and ObjectMeta ---------

_TIME = "time"
_OWNER_REFERENCE = ("struct", "OwnerReference", "v1.OwnerReference", {
    "apiVersion": "string", "kind": "string", "name": "string", "uid": ("string", "types.UID"),
    "controller": "bool", "blockOwnerDeletion": "bool"})
_MANAGED_FIELDS_ENTRY = ("struct", "ManagedFieldsEntry", "v1.ManagedFieldsEntry", {
    "manager": "string", "operation": ("string", "v1.ManagedFieldsOperationType"), "apiVersion": "string",
    "time": _TIME, "fieldsType": "string", "fieldsV1": "any", "subresource": "string"})
_OBJECT_META = ("struct", "ObjectMeta", "v1.ObjectMeta", {
    "name": "string", "generateName": "string", "namespace": "string", "selfLink": "string",
    "uid": ("string", "types.UID"), "resourceVersion": "string", "generation": "int64",
    "creationTimestamp": _TIME, "deletionTimestamp": _TIME, "deletionGracePeriodSeconds": "int64",
    "labels": ("map", "string"), "annotations": ("map", "string"), "ownerReferences": ("list", _OWNER_REFERENCE),
    "finalizers": ("list", "string"), "managedFields": ("list", _MANAGED_FIELDS_ENTRY)})
_METADATA_ONLY_OBJECT = ("struct", "metadataOnlyObject", "", {
    "apiVersion": "string", "kind": "string", "metadata": _OBJECT_META})


class _TimeError(Exception):
    pass


def _metadata_problem(obj: dict, literals: dict[int, str] | None) -> str | None:
    """cli-runtime's metadataValidatingDecoder: the document decoded into metadataOnlyObject (its
    TypeMeta and ObjectMeta) with case-sensitive encoding/json. The first type mismatch, or a
    timestamp that does not parse (which stops decoding at once), as Go words it.

    Go decodes keys in the order of the JSON text: sorted for YAML (json.Marshal wrote it), as
    written for JSON files, whose number `literals` (by id) messages quote as written."""
    first: list[str] = []
    try:
        _check_type(obj, _METADATA_ONLY_OBJECT, "metadataOnlyObject", "", first, literals)
    except _TimeError as err:
        return str(err)
    return first[0] if first else None


def _type_name(kind) -> str:
    if isinstance(kind, str):
        return {"any": "interface {}", _TIME: "v1.Time"}.get(kind, kind)
    if kind[0] == "struct":
        return kind[2]
    if kind[0] == "map":
        return f"map[string]{_type_name(kind[1])}"
    if kind[0] == "list":
        return f"[]{_type_name(kind[1])}"
    return kind[1]  # ("string", named string type)


def _check_type(value, kind, struct: str, field: str, first: list[str], literals: dict[int, str] | None) -> None:
    """encoding/json's type checks for one value; mismatches are saved, not raised (Go goes on)."""
    if value is None or kind == "any":
        return

    def mismatch(shown: str, type_name: str) -> None:
        if not first:
            first.append(f"json: cannot unmarshal {shown} into Go struct field {struct}.{field} of type {type_name}")

    json_type = json_kind(value)
    if kind == _TIME:
        if not isinstance(value, str):  # metav1.Time.UnmarshalJSON: json.Unmarshal into a string fails
            raise _TimeError(f"json: cannot unmarshal {json_type} into Go struct field {struct}.{field} of type string")
        problem = _rfc3339_problem(value)
        if problem is not None:
            raise _TimeError(problem)
        return
    if isinstance(kind, tuple) and kind[0] == "string" or kind == "string":
        if not isinstance(value, str):
            mismatch(json_type, _type_name(kind))
        return
    if kind == "bool":
        if not isinstance(value, bool):
            mismatch(json_type, "bool")
        return
    if kind == "int64":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            mismatch(json_type, "int64")
        elif isinstance(value, float) or not INT64_MIN <= value <= INT64_MAX:
            literal = literals.get(id(value)) if literals else None
            mismatch(f"number {literal or _go_json_number(value)}", "int64")
        return
    if kind[0] == "map":
        if not isinstance(value, dict):
            mismatch(json_type, _type_name(kind))
            return
        for key in (value if literals is not None else sorted(value)):
            _check_type(value[key], kind[1], struct, field, first, literals)
        return
    if kind[0] == "list":
        if not isinstance(value, list):
            mismatch(json_type, _type_name(kind))
            return
        for item in value:
            _check_type(item, kind[1], struct, field, first, literals)
        return
    # a struct: its known fields, matched case-sensitively; unknown fields are ignored
    if not isinstance(value, dict):
        mismatch(json_type, kind[2])
        return
    fields = kind[3]
    for key in (value if literals is not None else sorted(value)):
        if key in fields:
            _check_type(value[key], fields[key], kind[1], f"{field}.{key}" if field else key, first, literals)


def _go_json_number(value: int | float) -> str:
    return to_compact_json(value)


_RFC3339 = "2006-01-02T15:04:05Z07:00"
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rfc3339_problem(value: str) -> str | None:
    """time.Parse(time.RFC3339, value)'s error text, or None when it parses (metav1.Time)."""
    rest = value

    def cannot(value_elem: str, layout_elem: str) -> str:
        return (f"parsing time {_time_quote(value)} as {_time_quote(_RFC3339)}: cannot parse "
                f"{_time_quote(value_elem)} as {_time_quote(layout_elem)}")

    def out_of_range(what: str) -> str:
        return f"parsing time {_time_quote(value)}: {what} out of range"

    def number(text: str, fixed: bool) -> tuple[int, str] | None:
        if not text[:1].isdigit() or not text[:1].isascii():
            return None
        if not (text[1:2].isdigit() and text[1:2].isascii()):
            return None if fixed else (int(text[0]), text[1:])
        return int(text[:2]), text[2:]

    if len(rest) < 4 or not rest[0].isascii() or not rest[0].isdigit() or not (rest[:4].isascii() and rest[:4].isdigit()):
        return cannot(rest, "2006")
    year, rest = int(rest[:4]), rest[4:]
    fields = {}
    for literal, element, fixed, limit, name in (("-", "01", True, 12, "month"), ("-", "02", True, None, "day"),
                                                 ("T", "15", False, 23, "hour"), (":", "04", True, 59, "minute"),
                                                 (":", "05", True, 59, "second")):
        if not rest.startswith(literal):
            return cannot(rest, literal)
        rest = rest[len(literal):]
        parsed = number(rest, fixed)
        if parsed is None:
            return cannot(rest, element)
        fields[name], rest = parsed
        if name == "month" and not 1 <= fields[name] <= 12 or limit is not None and name != "month" and fields[name] > limit:
            return out_of_range(name)
    if len(rest) >= 2 and rest[0] in ".," and rest[1].isascii() and rest[1].isdigit():
        end = 2
        while end < len(rest) and rest[end].isascii() and rest[end].isdigit():
            end += 1
        rest = rest[end:]
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        zone = rest
        if len(zone) < 6 or zone[3] != ":" or zone[0] not in "+-":
            return cannot(zone, "Z07:00")
        hours, minutes = number(zone[1:3], True), number(zone[4:6], True)
        if hours is None or minutes is None:
            return cannot(zone, "Z07:00")
        if hours[0] > 24:
            return out_of_range("time zone offset hour")
        if minutes[0] > 60:
            return out_of_range("time zone offset minute")
        rest = zone[6:]
    if rest:
        return f"parsing time {_time_quote(value)}: extra text: {_time_quote(rest)}"
    days = _MONTH_DAYS[fields["month"] - 1] + (1 if fields["month"] == 2 and (
        year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 0)
    if not 1 <= fields["day"] <= days:
        return out_of_range("day")
    return None


def _time_quote(text: str) -> str:
    """The time package's quote: non-ASCII and control bytes as \\xNN."""
    out = ['"']
    for char in text:
        if char >= "\x80" or char < " ":
            out.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8"))
        else:
            out.append("\\" + char if char in '"\\' else char)
    out.append('"')
    return "".join(out)


# --- JSON streams: YAMLOrJSONDecoder's json.Decoder ------------------------------------------

_GO_SPACE = yaml11.GO_SPACE


def _is_json_stream(text: str) -> bool:
    """GuessJSONStream: the first non-space character within kubectl's 4096-byte peek is `{`."""
    start = len(text) - len(text.lstrip(_GO_SPACE))
    if start >= len(text) or text[start] != "{":
        return False
    return start < _JSON_SNIFF_BYTES and len(text[:start + 1].encode("utf-8")) <= _JSON_SNIFF_BYTES


def _json_values(text: str) -> Iterator[tuple[object, str, str | None]]:
    """Each value of a JSON stream: (value, its raw text, a decoding problem or None)."""
    position = 0
    length = len(text)
    while True:
        while position < length and text[position] in JSON_SPACE:
            position += 1
        if position >= length:
            return
        overflow: list[str] = []
        literals: dict[int, str] = {}
        value, end = _json_value(text, position, overflow, literals)
        raw = text[position:end]
        position = end
        if value is None and raw == "null":
            continue
        problem = f"json: cannot unmarshal number {overflow[0]} into Go value of type float64" if overflow else None
        yield value, raw, problem, literals


def _json_value(text: str, position: int, overflow: list[str], literals: dict[int, str]) -> tuple[object, int]:
    """One JSON value from `position`: Python's parser when it agrees with Go's, else Go's scanner."""
    decoder = _json_decoder(overflow, literals)
    if text[position] in "{[\"tfn":
        try:
            value, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            pass
        else:
            return _fix_surrogates(value, text, position, end), end
    end = _go_scan(text, position)  # raises _StreamError with Go's message when the value is bad
    return _go_parse(text[position:end], overflow, literals), end


def _json_decoder(overflow: list[str], literals: dict[int, str]) -> json.JSONDecoder:
    """Kubernetes' JSON numbers: int64 when the literal is an integer that fits, else float64 (an
    overflow is recorded); float literals are remembered for messages that quote them."""

    def parse_int(literal: str) -> int | float:
        if len(literal) < 19:
            return int(literal)
        number = float(literal)
        if number in (float("inf"), float("-inf")):
            overflow.append(literal)
            return 0
        exact = int(literal) if len(literal) < 4000 else None
        if exact is not None and INT64_MIN <= exact <= INT64_MAX:
            return exact
        literals[id(number)] = literal
        return number

    def parse_float(literal: str) -> float:
        number = float(literal)
        if number in (float("inf"), float("-inf")):
            overflow.append(literal)
            return 0.0
        literals[id(number)] = literal
        return number

    def parse_constant(name: str):
        raise ValueError(name)  # NaN and Infinity are not JSON to Go

    return json.JSONDecoder(parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(value: object, text: str, start: int, end: int) -> object:
    """Go decodes an unpaired surrogate escape (`\\ud800`) to U+FFFD; Python keeps the surrogate."""
    if not _SURROGATE_ESCAPE.search(text, start, end):
        return value
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in list(item):
                child = item.pop(key)
                item[_LONE_SURROGATE.sub("\ufffd", key)] = child
            for key, child in item.items():
                if isinstance(child, str):
                    item[key] = _LONE_SURROGATE.sub("\ufffd", child)
                else:
                    stack.append(child)
        elif isinstance(item, list):
            for index, child in enumerate(item):
                if isinstance(child, str):
                    item[index] = _LONE_SURROGATE.sub("\ufffd", child)
                else:
                    stack.append(child)
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _go_scan(text: str, position: int) -> int:
    """json.Decoder.readValue over one value of a stream: the index just after the value, or
    _StreamError with Go's text (`json: offset N: invalid character ...`, `unexpected EOF`)."""
    scanner = GoJSONScanner()
    for index in range(position, len(text)):
        char = text[index]
        op = scanner.step(char)
        if op == END:
            return index
        if op == END_CONTAINER and not scanner.stack:
            return index + 1
        if op == ERROR:
            offset = len(text[:index].encode("utf-8")) + 1  # Go counts bytes, the bad one included
            raise _StreamError(f"json: offset {offset}: invalid character {quote_char(char)} {scanner.context}")
    if scanner.step(" ") == END:
        return len(text)
    raise _StreamError("unexpected EOF")


_JSON_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)|([{}\[\],:]))',
                         re.ASCII | re.DOTALL)


def _go_parse(raw: str, overflow: list[str], literals: dict[int, str]) -> object:
    """A JSON value Go's scanner accepted but Python's parser would not take (deep nesting, a
    top-level number): built without recursion."""
    decoder = _json_decoder(overflow, literals)
    stack: list[list] = []  # [container, pending key]
    result = None
    position = 0
    while True:
        match = _JSON_TOKEN.match(raw, position)
        if match is None:
            return result
        position = match.end()
        string, number, word, punct = match.groups()
        if punct in ("{", "["):
            stack.append([{} if punct == "{" else [], None])
            continue
        if punct in (",", ":"):
            continue
        if punct in ("}", "]"):
            value = stack.pop()[0]
        elif string is not None:
            value = _fix_surrogates(json.loads(string), string, 0, len(string))
            if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is None:
                stack[-1][1] = value
                continue
        elif number is not None:
            value = decoder.decode(number)
        else:
            value = {"true": True, "false": False, "null": None}[word]
        if not stack:
            return value
        container, key = stack[-1]
        if isinstance(container, dict):
            container[key] = value
            stack[-1][1] = None
        else:
            container.append(value)
