"""Manifests read as `kubectl -f` reads them (kauth.kubectl.loader).

The expected messages and orders below were measured with kubectl v1.32: `kubectl label --local
x=y -o name -f ...` reads files exactly as `create`/`apply` do (same builder, same decoder, no
validation and no server), printing `kind/name` per object and kubectl's errors. The
`kubectl`-marked tests ask the real binary again, on generated streams and file trees.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kauth.kubectl.loader import Document, format_errors, read_manifests, read_stream


def cm(name: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


def names(documents: list[Document]) -> list[str]:
    return [d.obj["metadata"]["name"] for d in documents if d.obj is not None]


def errors(documents: list[Document]) -> list[str]:
    return [d.error for d in documents if d.error is not None]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A directory of manifests, and the working directory set to its parent (kubectl's paths are relative)."""
    d = tmp_path / "d"
    (d / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    (d / "b.yaml").write_text(cm("b"))
    (d / "a.yml").write_text(cm("a"))
    (d / "c.json.txt").write_text(cm("c"))
    (d / "j.json").write_text('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}')
    (d / "sub" / "s.yaml").write_text(cm("s"))
    (d / "sub" / "deeper" / "dd.yaml").write_text(cm("dd"))
    (d / ".hidden.yaml").write_text(cm("h"))
    (d / "Upper.YAML").write_text(cm("U"))
    (d / "z.yaml").write_text(cm("z"))
    (d / "noext").write_text(cm("noext"))
    (d / "bad.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  x: [\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- which files, in which order ---------------------------------------------------------------


def test_a_directory_gives_its_manifests_in_lexical_order(tree):
    docs = read_manifests(["d"])
    assert names(docs) == ["h", "a", "b", "j", "z"]
    assert errors(docs) == ["error parsing d/bad.yaml: error converting YAML to JSON: yaml: line 5: "
                            "did not find expected node content"]


def test_recursive_descends_depth_first_in_lexical_order(tree):
    assert names(read_manifests(["d/"], recursive=True)) == ["h", "a", "b", "j", "dd", "s", "z"]


def test_sources_are_clean_joined_paths(tree):
    assert {d.source for d in read_manifests(["./d"])} == {
        "d/.hidden.yaml", "d/a.yml", "d/b.yaml", "d/bad.yaml", "d/j.json", "d/z.yaml"}


def test_a_file_named_explicitly_is_read_whatever_its_extension(tree):
    assert names(read_manifests(["d/noext"])) == ["noext"]


def test_a_glob_expands_to_sorted_matches_hidden_files_included(tree):
    assert names(read_manifests(["d/*.yaml"])) == ["h", "b", "z"]


def test_missing_paths_stop_everything_before_reading(tree):
    docs = read_manifests(["d/b.yaml", "nope.yaml", "nope2.yaml"])
    assert [(d.source, d.obj, d.error) for d in docs] == [
        ("nope.yaml", None, 'the path "nope.yaml" does not exist'),
        ("nope2.yaml", None, 'the path "nope2.yaml" does not exist')]


@pytest.mark.parametrize("pattern,message", [
    ("empty/*", 'the path "empty/*" does not exist'),
    ("d/*.nothing", 'the path "d/*.nothing" does not exist'),
    ("d/[.yaml", 'pattern "d/[.yaml" is not valid: syntax error in pattern'),
])
def test_bad_globs(tree, pattern, message):
    assert errors(read_manifests([pattern])) == [message]


def test_a_directory_without_manifests_is_an_error_only_when_nothing_came_before(tree):
    assert errors(read_manifests(["empty", "d/z.yaml"])) == [
        "error reading [empty]: recognized file extensions are [.json .yaml .yml]"]
    assert names(read_manifests(["d/z.yaml", "empty"])) == ["z"]


def test_stdin_is_named_STDIN(tree):
    docs = read_manifests(["-"], stdin=io.StringIO(cm("in") + "---\nmetadata: {}\n"), validate=False)
    assert [(d.source, d.error) for d in docs] == [
        ("STDIN", None), ("STDIN", "unable to decode \"STDIN\": Object 'Kind' is missing in '{\"metadata\":{}}'")]


def test_stdin_twice_is_refused(tree):
    assert errors(read_manifests(["-", "-"], stdin=io.StringIO(cm("x")))) == [
        "standard input cannot be used for multiple arguments"]


def test_urls_are_not_fetched(tree):
    docs = read_manifests(["https://example.com/x.yaml", "d/z.yaml"])
    assert docs[0].source == "https://example.com/x.yaml"
    assert docs[0].error.startswith("kauth does not download manifests")
    assert names(docs) == ["z"]


def test_a_link_to_a_directory_inside_a_directory_is_read_as_a_file(tree):
    (tree / "s").mkdir()
    os.symlink("../d", tree / "s" / "link.yaml")
    (tree / "s" / "real.yaml").write_text(cm("real"))
    assert errors(read_manifests(["s"])) == ["error parsing s/link.yaml: read s/link.yaml: is a directory"]


# --- streams -----------------------------------------------------------------------------------


def test_a_syntax_error_keeps_the_documents_before_it_and_ends_the_file():
    docs = read_stream(cm("a") + "---\n" + cm("b") + "  x: [\n---\n" + cm("c"), "f.yaml")
    assert names(docs) == ["a"]
    assert errors(docs) == ["error parsing f.yaml: error converting YAML to JSON: yaml: line 5: "
                            "did not find expected node content"]


def test_a_document_without_kind_does_not_stop_the_others():
    docs = read_stream(cm("a") + "---\nmetadata: {name: b}\n---\n" + cm("c"), "f.yaml", validate=False)
    assert names(docs) == ["a", "c"]
    assert errors(docs) == ["unable to decode \"f.yaml\": Object 'Kind' is missing in '{\"metadata\":{\"name\":\"b\"}}'"]


def test_without_apiversion_the_document_still_reads_when_not_validated():
    assert names(read_stream("kind: ConfigMap\nmetadata: {name: a}\n", validate=False)) == ["a"]


@pytest.mark.parametrize("text,message", [
    ("kind: ConfigMap\n", "apiVersion not set"),
    ("apiVersion: v1\n", "kind not set"),
    ("metadata: {name: a}\n", "[apiVersion not set, kind not set]"),
    ("hello\n", "invalid object to validate"),
    ("apiVersion: 5\nkind: 5\n", "[apiVersion isn't string type, kind isn't string type]"),
    ("apiVersion: a/b/c\nkind: X\n", "unexpected GroupVersion string: a/b/c"),
    ("apiVersion: v1\nkind: List\nitems: [{metadata: {name: a}}, {metadata: {name: b}}]\n",
     "[apiVersion not set, kind not set]"),
])
def test_validation_stops_the_file_at_a_document_without_apiversion_or_kind(text, message):
    docs = read_stream(text + "---\n" + cm("after"), "f.yaml")
    assert [(d.obj, d.error) for d in docs] == [(None, f'error validating "f.yaml": error validating data: {message}; '
                                                       "if you choose to ignore these errors, turn validation off "
                                                       "with --validate=false")]


@pytest.mark.parametrize("text,message", [
    ("hello\n", "json: cannot unmarshal string into Go value of type unstructured.detector"),
    ("[1]\n", "json: cannot unmarshal array into Go value of type unstructured.detector"),
    ("42\n", "json: cannot unmarshal number into Go value of type unstructured.detector"),
    ("apiVersion: a/b/c\nkind: ConfigMap\n", "Object 'Kind' is missing in '{\"apiVersion\":\"a/b/c\",\"kind\":\"ConfigMap\"}'"),
    ("apiVersion: v1\nkind: ''\n", "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"kind\":\"\"}'"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: x\n",
     "json: cannot unmarshal string into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {version: 1}}\n",
     "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {generation: 1.5}\n",
     "json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.metadata.generation of type int64"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {ownerReferences: [{controller: 'yes'}]}\n",
     "json: cannot unmarshal string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {creationTimestamp: 2001-12-14}\n",
     'parsing time "2001-12-14" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {creationTimestamp: '2001-02-30T21:59:43Z'}\n",
     'parsing time "2001-02-30T21:59:43Z": day out of range'),
    ("apiVersion: 5\nkind: ConfigMap\n",
     "json: cannot unmarshal number into Go struct field metadataOnlyObject.apiVersion of type string"),
])
def test_documents_kubectl_reads_but_cannot_decode(text, message):
    assert errors(read_stream(text, "f.yaml", validate=False)) == [f'unable to decode "f.yaml": {message}']


def test_empty_null_and_comment_documents_are_skipped():
    assert read_stream("\n---\n# c\n---\nnull\n---\n~\n---\n") == []


def test_an_invalid_separator_loses_the_document_before_it():
    docs = read_stream(cm("a") + "--- foo\n" + cm("b"), "f.yaml")
    assert [(d.obj, d.error) for d in docs] == [(None, "error parsing f.yaml: invalid Yaml document separator: foo")]


# --- lists ---------------------------------------------------------------------------------------


def test_a_list_stands_for_its_items():
    docs = read_stream("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
                       "- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n", "l.yaml")
    assert [(d.source, d.obj["kind"], d.obj["metadata"]["name"]) for d in docs] == [
        ("l.yaml", "ConfigMap", "a"), ("l.yaml", "Secret", "b")]


def test_items_of_a_typed_list_get_its_kind_and_apiversion():
    docs = read_stream("apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: a}\n"
                       "- kind: Secret\n  metadata: {name: b}\n- apiVersion: v1\n  metadata: {name: c}\n", "l.yaml")
    assert docs[0].obj == {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "a"}}
    assert errors(docs) == [
        "unable to get type info from the object \"*unstructured.Unstructured\": Object 'apiVersion' is missing in "
        "'object has no apiVersion field'",
        "unable to get type info from the object \"*unstructured.Unstructured\": Object 'Kind' is missing in "
        "'object has no kind field '"]
    assert docs[1].from_list == docs[2].from_list is not None


def test_a_list_inside_a_list_fails_the_whole_list():
    docs = read_stream("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
                       "- {apiVersion: v1, kind: List, items: []}\n")
    assert [(d.obj, d.error) for d in docs] == [
        (None, "*unstructured.Unstructured is not a list: no Items field in this object")]


@pytest.mark.parametrize("text", ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nitems: null\n",
                                  "apiVersion: v1\nkind: List\nitems: []\n"])
def test_any_object_with_items_is_a_list_even_an_empty_one(text):
    assert read_stream(text) == []


def test_list_errors_print_together_as_kubectl_prints_them():
    docs = read_stream("apiVersion: v1\nkind: ConfigMapList\nitems:\n- kind: Secret\n  metadata: {name: b}\n"
                       "- apiVersion: v1\n  metadata: {name: c}\n---\nmetadata: {name: nokind}\n", "g.yaml",
                       validate=False)
    missing_version = ("unable to get type info from the object \"*unstructured.Unstructured\": Object 'apiVersion' "
                       "is missing in 'object has no apiVersion field'")
    missing_kind = ("unable to get type info from the object \"*unstructured.Unstructured\": Object 'Kind' is "
                    "missing in 'object has no kind field '")
    assert format_errors(docs) == (f"[{missing_version}, {missing_kind}]\n"
                                   "unable to decode \"g.yaml\": Object 'Kind' is missing in '{\"metadata\":{\"name\":\"nokind\"}}'")
    assert format_errors(docs[:2]) == f"{missing_version}\n{missing_kind}"
    assert format_errors(docs[2:]) == ("error: unable to decode \"g.yaml\": Object 'Kind' is missing in "
                                       "'{\"metadata\":{\"name\":\"nokind\"}}'")
    assert format_errors([]) == ""


# --- JSON streams --------------------------------------------------------------------------------


def test_a_json_stream_may_hold_several_objects_and_other_values():
    docs = read_stream('  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}  \n\n null [1] "s" 5 '
                       '{"apiVersion":"v1","metadata":{}}', "s.json", validate=False)
    assert names(docs) == ["a"]
    assert errors(docs) == [
        'unable to decode "s.json": json: cannot unmarshal array into Go value of type unstructured.detector',
        'unable to decode "s.json": json: cannot unmarshal string into Go value of type unstructured.detector',
        'unable to decode "s.json": json: cannot unmarshal number into Go value of type unstructured.detector',
        "unable to decode \"s.json\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{}}'"]


@pytest.mark.parametrize("text,message", [
    ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j1"}}\n{"apiVersion":"v1",', "unexpected EOF"),
    ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j1"}}\n---\n', "json: offset 66: invalid character '-' in numeric literal"),
    ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"x":NaN}', "json: offset 67: invalid character 'N' looking for beginning of value"),
    ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"x":1.}', "json: offset 69: invalid character '}' after decimal point in numeric literal"),
    ('{"a" 1}', "json: offset 6: invalid character '1' after object key"),
    ('{"a": 1 "b"}', "json: offset 9: invalid character '\"' after object key:value pair"),
    ('{"a": [1 2]}', "json: offset 10: invalid character '2' after array element"),
    ('{"a": tru}', "json: offset 10: invalid character '}' in literal true (expecting 'e')"),
    ('{"a": "\\x"}', "json: offset 9: invalid character 'x' in string escape code"),
    ('{"é": é}', "json: offset 8: invalid character 'Ã' looking for beginning of value"),
    ('{"a": ' + "[" * 10000 + "]" * 10000 + "}", "json: offset 10006: invalid character '[' exceeded max depth"),
])
def test_json_syntax_errors_use_go_s_words_and_byte_offsets(text, message):
    docs = read_stream(text, "x.json")
    assert errors(docs)[-1] == f"error parsing x.json: {message}"


def test_json_numbers_decode_as_kubernetes_decodes_them():
    obj = read_stream('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},'
                      '"x":100000000000000000000000,"y":1.0,"z":"\\ud800","w":-0}', validate=False)[0].obj
    assert (obj["x"], obj["y"], obj["z"], obj["w"]) == (1e23, 1.0, "\ufffd", 0)
    assert isinstance(obj["y"], float) and isinstance(obj["w"], int)


def test_a_json_number_past_float64_is_refused():
    assert errors(read_stream('{"apiVersion":"v1","kind":"ConfigMap","x":1e400}', "b.json", validate=False)) == [
        'unable to decode "b.json": json: cannot unmarshal number 1e400 into Go value of type float64']


def test_deeply_nested_json_within_the_limit_reads():
    text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"a":' + "[" * 5000 + "]" * 5000 + "}"
    assert names(read_stream(text)) == ["a"]


# --- bytes: BOMs, UTF-16, bad UTF-8, garbage ------------------------------------------------------


def test_byte_order_marks_and_utf16(tmp_path):
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + cm("bom").encode())
    (tmp_path / "u16.yaml").write_bytes(cm("u16").encode("utf-16"))
    (tmp_path / "u16le.yaml").write_bytes(cm("le").encode("utf-16-le"))
    assert names(read_manifests([str(tmp_path / "bom.yaml"), str(tmp_path / "u16.yaml")])) == ["bom", "u16"]
    assert errors(read_manifests([str(tmp_path / "u16le.yaml")]))[0].endswith(
        "error converting YAML to JSON: yaml: control characters are not allowed")


def test_invalid_utf8_becomes_replacement_characters(tmp_path):
    (tmp_path / "inv.yaml").write_bytes(cm("a").encode() + b'data:\n  x: "\xff\xfe bad"\n  z: \xc3\x28\n')
    assert read_manifests([str(tmp_path / "inv.yaml")])[0].obj["data"] == {"x": "\ufffd\ufffd bad", "z": "\ufffd("}


def test_binary_garbage_is_one_clear_error(tmp_path):
    import random

    rnd = random.Random(1)
    (tmp_path / "garbage.yaml").write_bytes(bytes(rnd.randrange(256) for _ in range(4000)))
    docs = read_manifests([str(tmp_path / "garbage.yaml")])
    assert len(docs) == 1 and docs[0].error.startswith(f"error parsing {tmp_path}/garbage.yaml: ")


# --- against the real kubectl --------------------------------------------------------------------

KUBECTL = shutil.which("kubectl")
requires_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl binary not on PATH: the differential "
                                                               "tests compare with the real kubectl v1.32")


def kubectl_name(obj: dict) -> str:
    """What `kubectl -o name` prints for an object read locally."""
    api_version = obj.get("apiVersion") if isinstance(obj.get("apiVersion"), str) else ""
    group = api_version.split("/")[0] if "/" in api_version else ""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return f"{obj['kind'].lower()}{'.' + group if group else ''}/{meta.get('name') or '<unknown>'}"


def kubectl_label(args: list[str], cwd, stdin: str = "") -> tuple[str, str]:
    proc = subprocess.run([KUBECTL, "label", "--local", "x=y", "-o", "name", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=60)
    return proc.stdout.strip(), proc.stderr.strip()


def kauth_label(filenames: list[str], recursive: bool, cwd, stdin: str = "") -> tuple[str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        docs = read_manifests(filenames, recursive=recursive, stdin=io.StringIO(stdin), validate=False)
    finally:
        os.chdir(old)
    return "\n".join(kubectl_name(d.obj) for d in docs if d.obj is not None), format_errors(docs)


TREE_CASES = [["-f", "d"], ["-f", "d/", "-R"], ["-f", "./d"], ["-f", "d/noext"], ["-f", "d/*.yaml"],
              ["-f", "d/b.yaml", "-f", "nope.yaml", "-f", "nope2.yaml"], ["-f", "empty"], ["-f", "d/z.yaml", "-f", "empty"],
              ["-f", "empty", "-f", "d/z.yaml"], ["-f", "empty/*"], ["-f", "d/[.yaml"], ["-f", "-", "-f", "-"],
              ["-f", "d/sub", "-f", "d/j.json", "-f", "-"]]


@requires_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("args", TREE_CASES, ids=[" ".join(a) for a in TREE_CASES])
def test_file_trees_are_read_as_kubectl_reads_them(tree, args):
    filenames = [a for a in args if a not in ("-f", "-R")]
    stdin = cm("from-stdin")
    assert kauth_label(filenames, "-R" in args, tree, stdin) == kubectl_label(args, tree, stdin)


# The pieces of generated streams: YAML documents kubectl reads, skips, or refuses in every way.
YAML_DOCUMENTS = [
    cm("alpha"), cm("beta"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    "kind: ConfigMap\nmetadata: {name: noversion}\n", "metadata: {name: nokind}\n", "apiVersion: v1\n",
    "", "\n", "# just a comment\n", "null\n", "hello\n", "[1, 2]\n", "42\n", "{}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  x: [\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tabbed}\n\tdata: x\n",
    "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: i1}}\n"
    "- {apiVersion: v1, kind: Secret, metadata: {name: i2}}\n",
    "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: t1}\n- {kind: Secret, metadata: {name: t2}}\n",
    "apiVersion: v1\nkind: List\nitems:\n- {metadata: {name: k1}}\n- {apiVersion: v1, metadata: {name: k2}}\n",
    "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n",
    "apiVersion: v1\nkind: List\nitems: {a: 1}\n", "apiVersion: v1\nkind: List\nitems: [x]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lbl, labels: {version: 1}}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inf}\ndata: {x: .inf}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n1}\nitems: null\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alias}\ndata: &d {a: b}\nbinaryData: *d\n",
]
SEPARATORS = ["---\n", "--- # next\n", "---\t\n", "--- x\n"]


@st.composite
def yaml_streams(draw) -> str:
    documents = draw(st.lists(st.sampled_from(YAML_DOCUMENTS), min_size=1, max_size=5))
    text = documents[0]
    for document in documents[1:]:
        separator = draw(st.sampled_from(SEPARATORS[:3]) if draw(st.integers(0, 9)) else st.sampled_from(SEPARATORS))
        text += ("" if text.endswith("\n") or not text else "\n") + separator + document
    return text


JSON_VALUES = [
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j1"}}', '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j2"}}',
    '{"kind":"ConfigMap","metadata":{"name":"j3"}}', '{"metadata":{"name":"j4"}}', "null", "[1]", '"s"', "7",
    '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j5"}}]}',
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j6","labels":{"a":1}}}',
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generation":1e3}}',
]
JSON_ENDINGS = ["", "\n", "  ", '{"apiVersion":"v1",', "]", "x", "NaN", "{\"a\" 1}", "---\n"]


@st.composite
def json_streams(draw) -> str:
    values = draw(st.lists(st.sampled_from(JSON_VALUES[:2]), min_size=1, max_size=1))
    values += draw(st.lists(st.sampled_from(JSON_VALUES), max_size=4))
    spacing = draw(st.sampled_from(["", "\n", " ", "\n\n  "]))
    return draw(st.sampled_from(["", " \n"])) + spacing.join(values) + spacing + draw(st.sampled_from(JSON_ENDINGS))


@requires_kubectl
@pytest.mark.kubectl
@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          derandomize=True)
@given(st.one_of(yaml_streams(), json_streams()))
def test_generated_streams_are_read_as_kubectl_reads_them(tmp_path, text):
    path = tmp_path / "stream.yaml"
    path.write_text(text)
    assert kauth_label(["stream.yaml"], False, tmp_path) == kubectl_label(["-f", "stream.yaml"], tmp_path)


VALIDATION_CASES = ["metadata: {name: a}\n", "hello\n", "[1]\n", "apiVersion: 5\nkind: 5\n", "apiVersion: a/b/c\nkind: X\n",
                    "apiVersion: v1\n", "kind: X\n---\n" + cm("later"), "null\n---\nkind: X\n", '{"kind": "X"}',
                    '[{"kind": "X"}]', "apiVersion: v1\nkind: List\nitems: [{metadata: {name: a}}, 5]\n",
                    "apiVersion: v1\nkind: List\nitems: {}\n"]


@requires_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("text", VALIDATION_CASES)
def test_validation_failures_match_kubectl_create(tmp_path, text):
    # Offline, `kubectl create --dry-run=client` gets as far as its client-side check of apiVersion
    # and kind: these documents fail it before kubectl would need a server.
    (tmp_path / "v.yaml").write_text(text)
    proc = subprocess.run([KUBECTL, "create", "-f", "v.yaml", "--dry-run=client", "-o", "name"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    expected = "\n".join(line for line in proc.stderr.strip().splitlines() if "memcache.go" not in line)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert format_errors(read_manifests(["v.yaml"])) == expected
    finally:
        os.chdir(old)


@requires_kubectl
@pytest.mark.kubectl
def test_metadata_type_errors_match_kubectl(tmp_path):
    bodies = ["metadata: x", "metadata: {name: 5}", "metadata: {labels: {a: 1}}", "metadata: {labels: [a]}",
              "metadata: {creationTimestamp: bad}", "metadata: {generation: x}", "metadata: {name: a, uid: 5}",
              "metadata: null", "metadata: {Name: 5}", "metadata: {deletionGracePeriodSeconds: 1.5}",
              "metadata: {ownerReferences: [x]}", "metadata: {managedFields: [{fieldsV1: 5, operation: 5}]}",
              'metadata: {creationTimestamp: "2001-12-14T25:59:43Z"}', 'metadata: {creationTimestamp: "2001-12-14T21:59:43+0100"}',
              'metadata: {creationTimestamp: "2001-12-14T21:59:43Zx"}', "metadata: {labels: {a: 1}}\napiVersion: 5"]
    text = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\n{body}\n" for body in bodies)
    (tmp_path / "m.yaml").write_text(text)
    assert kauth_label(["m.yaml"], False, tmp_path) == kubectl_label(["-f", "m.yaml"], tmp_path)
