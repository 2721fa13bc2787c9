"""YAML read exactly as kubectl v1.32 reads it (kauth.api.yaml11).

Every expected value below was measured with kubectl: `kubectl patch -f x.yaml --local --type
merge -p '{}' -o json` prints the object as kubectl parsed it, or the error it stopped with. The
`kubectl`-marked tests ask the real binary again, on generated documents.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kauth.api.yaml11 import YAMLError, load, load_all, split_documents

HEADER = "apiVersion: example.com/v1\nkind: Foo\n"


def error_of(text: str) -> str:
    with pytest.raises(YAMLError) as caught:
        load_all(text)
    return str(caught.value)


# --- scalars: go-yaml v2 resolution, then JSON as Kubernetes decodes it ----------------------

SCALARS = [
    # booleans (YAML 1.1)
    ("y", True), ("Y", True), ("yes", True), ("Yes", True), ("on", True), ("ON", True), ("TRUE", True),
    ("n", False), ("NO", False), ("off", False), ("Off", False), ("False", False),
    ("tRUE", "tRUE"), ("yEs", "yEs"), ("nULL", "nULL"),
    # null
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
    # integers: Go's base-0 syntax after go-yaml drops underscores
    ("0o17", 15), ("0O7", 7), ("017", 15), ("0x1F", 31), ("0X1f", 31), ("0b101", 5), ("0B11", 3), ("-0b11", -3),
    ("-0x1F", -31), ("+0x10", 16), ("-0o17", -15), ("1_000", 1000), ("0_17", 15), ("1__2", 12), ("12_", 12),
    ("-_1", -1), ("+12", 12), ("-0", 0), ("+0", 0), ("00", 0), ("0x_1F", 31), ("0b_1", 1),
    ("9223372036854775807", 9223372036854775807), ("0777777777777777777777", 9223372036854775807),
    ("0x7fffffffffffffff", 9223372036854775807),
    # beyond int64: a float64 once Kubernetes decodes the JSON
    ("9223372036854775808", 9223372036854775808.0), ("18446744073709551615", 18446744073709551615.0),
    ("0xffffffffffffffff", 18446744073709551615.0), ("18446744073709551616", 18446744073709551616.0),
    ("-9223372036854775809", -9223372036854775809.0), ("123456789012345678901234567890", 1.2345678901234568e29),
    # floats: whole ones become JSON integers
    ("1e3", 1000), ("1.0e+3", 1000), ("1E5", 100000), (".5", 0.5), ("1.", 1), ("0.", 0), ("0.1e1", 1), ("3.0", 3),
    ("08", 8), ("09", 9), ("-09", -9), ("1.e5", 100000), ("+1.", 1), ("00.5", 0.5), (".5e3", 500), ("+.5", 0.5),
    ("-.5e-3", -0.0005), ("1_0.5", 10.5), ("0.1_1", 0.11), ("1e1_0", 10000000000), ("+1_2e1", 120),
    ("1_000_000.5e-3_", 1000.0005), (".5_0", 0.5), ("-0.0", 0), ("0e0", 0), ("0.1", 0.1), ("1e-7", 1e-07),
    ("0.000001", 1e-06), ("1e20", 1e20), ("1e21", 1e21), ("1e22", 1e22), ("1.7976931348623157e308", 1.7976931348623157e308),
    ("4.9e-324", 5e-324), ("0.0000001e-400", 0), ("-1e-400", 0),
    # strings that look like something else
    ("12e", "12e"), ("1e+", "1e+"), ("1.5e400", "1.5e400"), ("-1.5e400", "-1.5e400"), ("1e400", "1e400"),
    ("0x10000000000000000", "0x10000000000000000"), ("1" + "0" * 400, "1" + "0" * 400),
    ("0o", "0o"), ("0o8", "0o8"), ("0b2", "0b2"), ("0b", "0b"), ("0x", "0x"), ("_12", "_12"), ("._5", "._5"),
    (".e3", ".e3"), ("+.e5", "+.e5"), ("+", "+"), ("-.", "-."), (".", "."), ("0.5.5", "0.5.5"), ("1e5.5", "1e5.5"),
    (".1e", ".1e"), (".Inf5", ".Inf5"), ("0x1p3", "0x1p3"), ("0x1.8p1", "0x1.8p1"), ("1,000", "1,000"),
    ("2001-12-14", "2001-12-14"), ("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"), ("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"),
    ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"), ("2001-13-14", "2001-13-14"), ("2001-1-2", "2001-1-2"),
    ("190:20:30", "190:20:30"), ("12:30", "12:30"), ("1:20", "1:20"),
]


@pytest.mark.parametrize("text,expected", SCALARS, ids=[repr(t) for t, _ in SCALARS])
def test_plain_scalar_reads_as_kubectl_reads_it(text, expected):
    value = load(HEADER + f"a: {text}\n")["a"]
    assert json.dumps(value) == json.dumps(expected)


@pytest.mark.parametrize("text,expected", [
    ("'yes'", "yes"), ('"0x1F"', "0x1F"), ("|\n  yes\n", "yes\n"), (">\n  on\n", "on\n"),
    ('"y"', "y"), ("'1e3'", "1e3"),
])
def test_quoted_and_block_scalars_are_strings(text, expected):
    assert load(HEADER + f"a: {text}\n")["a"] == expected


@pytest.mark.parametrize("text,message", [
    (".inf", "json: unsupported value: +Inf"),
    ("+.Inf", "json: unsupported value: +Inf"),
    ("-.inf", "json: unsupported value: -Inf"),
    (".nan", "json: unsupported value: NaN"),
    (".NaN", "json: unsupported value: NaN"),
])
def test_infinity_and_nan_cannot_become_json(text, message):
    assert error_of(HEADER + f"a: {text}\n") == f"error converting YAML to JSON: {message}"


def test_the_first_unsupported_number_in_sorted_key_order_is_reported():
    assert error_of(HEADER + "b: -.inf\na: .nan\n") == "error converting YAML to JSON: json: unsupported value: NaN"


# --- keys --------------------------------------------------------------------------------------


def test_keys_are_resolved_then_turned_into_json_strings():
    obj = load(HEADER + "n: 1.5\ny: f\n1.5: a\n0.1: b\n1e6: c\n123456.0: d\n1234567: e\n2001-12-14: t\n")
    assert obj == {"apiVersion": "example.com/v1", "kind": "Foo", "false": 1.5, "true": "f", "1.5": "a",
                   "0.1": "b", "1e+06": "c", "123456": "d", "1234567": "e", "2001-12-14": "t"}


def test_float_keys_are_formatted_as_float32():
    obj = load(HEADER + "x:\n  3.14159265358979: a\n  1e300: b\n  -0.0: c\n  .nan: d\n  -.inf: e\n"
                        "  1e-7: f\n  0.000123: g\n  -9223372036854775809: h\n")
    assert obj["x"] == {"3.1415927": "a", ".inf": "b", "-0": "c", ".nan": "d", "-.inf": "e", "1e-07": "f",
                        "0.000123": "g", "-9.223372e+18": "h"}


def test_a_null_key_is_refused_with_the_value_it_held():
    assert error_of(HEADER + "~: g\n") == ("error converting YAML to JSON: unsupported map key of type: "
                                           '%!s(<nil>), key: <nil>, value: "g"')


def test_a_uint64_key_is_refused():
    assert error_of(HEADER + "x:\n  18446744073709551615: a\n") == (
        'error converting YAML to JSON: unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "a"')


@pytest.mark.parametrize("key,shown", [("[1,2]", "[]interface {}{1, 2}"),
                                       ("{a: 1}", 'map[interface {}]interface {}{"a":1}')])
def test_a_collection_key_is_refused(key, shown):
    assert error_of(HEADER + f"{key}: a\n") == f"error converting YAML to JSON: yaml: invalid map key: {shown}"


def test_duplicate_keys_the_last_one_wins_silently():
    assert load(HEADER + "a: 1\na: 2\n")["a"] == 2


# --- anchors, aliases and merges (go-yaml's decoder, not PyYAML's constructor) ------------------


def test_aliases_expand_to_independent_copies():
    obj = load(HEADER + "x: &x {a: 1}\nw: *x\n")
    assert obj["x"] == obj["w"] == {"a": 1}
    obj["x"]["a"] = 2
    assert obj["w"] == {"a": 1}


def test_a_merge_overwrites_keys_set_before_it_as_go_yaml_does():
    assert load(HEADER + "a: 1\n<<: {a: 2, b: 3}\nb: 4\n") == {
        "apiVersion": "example.com/v1", "kind": "Foo", "a": 2, "b": 4}


def test_a_merge_list_gives_earlier_maps_precedence():
    obj = load(HEADER + "x: &x {a: 1}\nz:\n  <<: [*x, {a: 3, c: 4}]\n  c: 5\n")
    assert obj["z"] == {"a": 1, "c": 5}


@pytest.mark.parametrize("body", ["x: &x 1\nz:\n  <<: *x\n", "m: &m [1]\nn:\n  <<: *m\n", "n:\n  <<: [{a: 1}, 5]\n",
                                  "n:\n  <<: 5\n"])
def test_a_merge_of_something_else_than_maps_is_refused(body):
    assert error_of(HEADER + body) == ("error converting YAML to JSON: yaml: map merge requires map or sequence "
                                       "of maps as the value")


def test_a_quoted_or_aliased_merge_key_is_an_ordinary_key():
    assert load(HEADER + "p:\n  '<<': {a: 1}\n")["p"] == {"<<": {"a": 1}}
    assert load(HEADER + "m: &m <<\np:\n  *m : {a: 1}\n")["p"] == {"<<": {"a": 1}}


def test_an_anchor_redefined_later_wins():
    assert load(HEADER + "a: &a 1\nb: &a 2\nc: *a\n")["c"] == 2
    assert load(HEADER + "a: &a [1, &a 2]\nb: *a\n")["b"] == 2


def test_an_unknown_alias_is_refused_without_a_line():
    assert error_of(HEADER + "a: &a 1\nb: *a\nc: *b\n") == "error converting YAML to JSON: yaml: unknown anchor 'b' referenced"


@pytest.mark.parametrize("body", ["a: &x [*x]\n", "a: &a {b: *a}\n", "a: &a [*a, 1]\n"])
def test_an_anchor_that_contains_itself_is_refused(body):
    name = body.split("&")[1][0]
    assert error_of(HEADER + body) == f"error converting YAML to JSON: yaml: anchor '{name}' value contains itself"


def billion_laughs(levels: int = 9) -> str:
    lines = [HEADER.rstrip("\n"), 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_expands():
    assert error_of(billion_laughs()) == "error converting YAML to JSON: yaml: document contains excessive aliasing"


def test_moderate_alias_use_is_fine():
    text = HEADER + "base: &b {" + ", ".join(f"k{i}: v{i}" for i in range(20)) + "}\n"
    text += "".join(f"x{i}: *b\n" for i in range(50))
    assert len(load(text)["x49"]) == 20


# --- tags ---------------------------------------------------------------------------------------


def test_explicit_tags_as_go_yaml_reads_them():
    obj = load(HEADER + 'a: !!int "12"\nb: !!str 12\nc: !foo 12\nd: !!float 1\ne: !!binary aGVsbG8=\n'
                        "f: ! 12\ng: !!timestamp 2001-12-14\nh: !!str {a: b}\ni: !!map [1]\n")
    assert {k: obj[k] for k in "abcdefghi"} == {"a": 12, "b": "12", "c": "12", "d": 1, "e": "hello", "f": "12",
                                                "g": "2001-12-14", "h": {"a": "b"}, "i": [1]}


@pytest.mark.parametrize("body,message", [
    ("a: !!int abc\n", "yaml: cannot decode !!str `abc` as a !!int"),
    ("n: !!null x\n", "yaml: cannot decode !!str `x` as a !!null"),
    ("o: !!int 1.5\n", "yaml: cannot decode !!float `1.5` as a !!int"),
    ("a: !!int 2001-12-14\n", "yaml: cannot decode !!str `2001-12-14` as a !!int"),
    ("e: [!!int , x]\n", "yaml: cannot decode !!null `` as a !!int"),
    ("a: !!binary 'a!'\n", "yaml: !!binary value contains invalid base64 data"),
])
def test_a_tag_that_does_not_fit_the_value_is_refused(body, message):
    assert error_of(HEADER + body) == f"error converting YAML to JSON: {message}"


def test_binary_that_is_not_utf8_becomes_replacement_characters():
    assert load(HEADER + "b: !!binary /w==\n")["b"] == "\ufffd"


# --- syntax errors: go-yaml's text, the line counted from the document's start -----------------

MALFORMED = [
    ("a: [1, 2\nb: 3\n", "line 3: did not find expected ',' or ']'"),
    ("a: [1, 2\n", "line 3: did not find expected ',' or ']'"),
    ("a:\n  b: 1\n c: 2\n", "line 4: did not find expected key"),
    ("a:\n\tb: 1\n", "line 4: found character that cannot start any token"),
    ('a: "unterminated\nb: 2\n', "line 5: found unexpected end of stream"),
    ("a: 'unterminated\n", "line 4: found unexpected end of stream"),
    ("a: {b: 1\n", "line 3: did not find expected ',' or '}'"),
    ("a: b: c\n", "line 3: mapping values are not allowed in this context"),
    ("- a\nb: 1\n", "line 2: did not find expected key"),
    ("a: @foo\n", "line 3: found character that cannot start any token"),
    ("key: value\n  bad: indent\n", "line 4: mapping values are not allowed in this context"),
    ("a:\n  - 1\n  b: 2\n", "line 4: did not find expected '-' indicator"),
    ("\ta: 1\n", "line 3: found a tab character that violates indentation"),
    ("a: 1\nb: [\n", "line 4: did not find expected node content"),
    ("{a: 1}}\n", "line 3: could not find expected ':'"),
    ('a: "\\q"\n', "line 3: found unknown escape character"),
    ("a: >\n foo\n\tbar\n", "line 5: found a tab character where an indentation space is expected"),
    ('"a\nb": 1\n', "line 4: could not find expected ':'"),
    ("a:\n  b:\n    c: [1,\n  d: 2\n", "line 6: did not find expected ',' or ']'"),
    ("i: -\n", "line 3: block sequence entries are not allowed in this context"),
    ("a: [b:[c]]\n", "line 2: did not find expected ',' or ']'"),
    ("a: [b?c]\n", "line 2: did not find expected ',' or ']'"),
    ("a: {b:?c}\n", "line 2: did not find expected ',' or '}'"),
    ("g: &x {h?: 1}\n", "line 2: did not find expected ',' or '}'"),
]


@pytest.mark.parametrize("body,message", MALFORMED, ids=[repr(b) for b, _ in MALFORMED])
def test_syntax_errors_name_the_line_as_kubectl_does(body, message):
    assert error_of(HEADER + body) == f"error converting YAML to JSON: yaml: {message}"


def test_an_error_on_the_documents_first_line_has_no_line_number():
    # go-yaml only names a line when the 0-based line of the problem is not 0
    assert error_of("a: b: c\n") == "error converting YAML to JSON: yaml: mapping values are not allowed in this context"


@pytest.mark.parametrize("body,value", [
    ("a: [b:]\n", ["b:"]), ("a: {b:}\n", {"b:": None}), ("a: [b:,c]\n", ["b:", "c"]), ("a: [b::]\n", ["b::"]),
    ("a: x:]\n", "x:]"), ("a: [http://x:80/]\n", ["http://x:80/"]), ("a: [b,?c]\n", ["b", {"c": None}]),
])
def test_colons_in_flow_scalars_as_go_yaml_reads_them(body, value):
    assert load(HEADER + body)["a"] == value


def test_reserved_and_control_characters():
    assert error_of(HEADER + "a: `foo\n") == "error converting YAML to JSON: yaml: line 3: found character that cannot start any token"
    assert error_of(HEADER + "a: \x01\n") == "error converting YAML to JSON: yaml: control characters are not allowed"
    assert error_of(HEADER + "a: a\x00b\n") == "error converting YAML to JSON: yaml: control characters are not allowed"


def test_a_syntax_error_well_before_a_control_character_is_reported_first():
    body = "a: [1, 2\nb: 3\n" + "c: x\n" * 150 + "d: \x01\n"
    assert error_of(HEADER + body) == "error converting YAML to JSON: yaml: line 3: did not find expected ',' or ']'"


def test_binary_garbage_is_a_clear_error():
    rnd = random.Random(7)
    garbage = bytes(rnd.randrange(256) for _ in range(3000)).decode("latin-1")
    assert error_of(garbage).startswith("error converting YAML to JSON: yaml: ")


def test_undecodable_bytes_smuggled_in_text_become_replacement_characters():
    assert load("a: \udcff\ud800b\n") == {"a": "\ufffd" * 6 + "b"}


def test_only_the_first_document_of_a_chunk_is_read():
    assert load(HEADER + "a: 1\n...\nb: [\n") == {"apiVersion": "example.com/v1", "kind": "Foo", "a": 1}


# --- limits -------------------------------------------------------------------------------------


def test_flow_nesting_up_to_the_limit_reads():
    assert load("a: " + "[" * 9999 + "]" * 9999 + "\n") is not None


def test_flow_nesting_past_10000_is_refused():
    assert error_of(HEADER + "a: " + "[" * 10001 + "]" * 10001 + "\n") == (
        "error converting YAML to JSON: yaml: line 3: exceeded max depth of 10000")


def test_block_nesting_past_10000_is_refused():
    # `- - - x`: each entry opens an indentation level, as `a:` nested ever deeper would
    assert error_of(HEADER + "a:\n" + "- " * 10001 + "x\n") == (
        "error converting YAML to JSON: yaml: line 4: exceeded max depth of 10000")


@pytest.mark.parametrize("body,opening", [("a: " + "[" * 10000 + "]" * 10000 + "\n", "["),
                                          ("a: " + "{a: " * 10000 + "}" * 10000 + "\n", "{"),
                                          ("a:\n" + "- " * 10000 + "x\n", "[")])
def test_json_nesting_past_10000_is_refused_when_kubectl_decodes_the_json(body, opening):
    assert error_of(HEADER + body) == (
        f"error unmarshaling JSON: while decoding JSON: invalid character '{opening}' exceeded max depth")


def test_a_libyaml_that_stops_at_its_own_nesting_limit_hands_over_to_the_python_parser(monkeypatch):
    """libyaml 0.2.6 stops at 1000 levels; where its limit cannot be raised, PyYAML's parser reads on."""
    import yaml

    from kauth.api import yaml11

    class StopsAtItsLimit:
        def __init__(self, text):
            pass

        def get_event(self):
            raise yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth", None)

    monkeypatch.setattr(yaml11, "_Loader", StopsAtItsLimit)
    deep = "a: " + "[" * 1500 + "x" + "]" * 1500 + "\n"
    value = load(deep)
    for _ in range(1500):
        (value,) = value["a"] if isinstance(value, dict) else value
    assert value == "x"
    assert error_of(HEADER + "a:\n" + "- " * 10001 + "x\n") == (
        "error converting YAML to JSON: yaml: line 4: exceeded max depth of 10000")


def test_the_reason_leaves_out_the_unmarshal_prefix():
    with pytest.raises(YAMLError) as caught:
        load("a: [1\nb: 2")
    assert caught.value.reason == "yaml: line 1: did not find expected ',' or ']'"


# --- documents: kubectl's YAMLReader ------------------------------------------------------------


def test_documents_are_cut_at_separator_lines():
    assert list(split_documents("a: 1\n---\nb: 2\n--- # comment\nc: 3\n---\t\n\n---\nd: 4")) == [
        "a: 1\n", "b: 2\n", "c: 3\n", "\n", "d: 4\n"]


def test_a_separator_that_opens_an_empty_document_stays_in_it_and_counts_in_line_numbers():
    assert list(split_documents("---\na: 1\n---\n---\nb: 2\n")) == ["---\na: 1\n", "---\nb: 2\n"]
    assert error_of("---\n" + HEADER + "a: [\n") == "error converting YAML to JSON: yaml: line 4: did not find expected node content"


def test_crlf_line_ends_become_lf():
    assert list(split_documents("a: 1\r\n---\r\nb: |\r\n  x\r\n")) == ["a: 1\n", "b: |\n  x\n"]


@pytest.mark.parametrize("line,rest", [("--- foo", "foo"), ("----", "-"), ("--- !!map", "!!map"), ("--- |", "|")])
def test_only_spaces_or_a_comment_may_follow_a_separator(line, rest):
    with pytest.raises(YAMLError, match=f"^invalid Yaml document separator: {rest}$".replace("|", r"\|")):
        list(split_documents(f"a: 1\n{line}\nb: 2\n"))


def test_empty_and_null_documents_are_skipped():
    assert load_all("\n\n---\n# only a comment\n---\n   \n---\nnull\n---\n~\n---\na: 1\n") == [{"a": 1}]


def test_a_separator_inside_a_block_scalar_still_cuts():
    assert load_all("a: |\n  x\n---\n  z\n") == [{"a": "x\n"}, "z"]


# --- against the real kubectl --------------------------------------------------------------------

KUBECTL = shutil.which("kubectl")
requires_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl binary not on PATH: the differential "
                                                               "tests compare with the real kubectl v1.32")
INT64 = (-(1 << 63), (1 << 63) - 1)


def _as_kubernetes_number(literal: str):
    value = int(literal)
    return value if INT64[0] <= value <= INT64[1] else float(literal)


def kubectl_reads(text: str) -> tuple[str, str]:
    """("ok", canonical JSON) of the object kubectl read, or ("error", the text after `error parsing FILE: `)."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "x.yaml")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        proc = subprocess.run([KUBECTL, "patch", "-f", path, "--local", "--type", "merge", "-p", "{}", "-o", "json"],
                              capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        message = proc.stderr.strip().removeprefix("error: ")
        return "error", message.removeprefix(f"error parsing {path}: ")
    value = json.loads(proc.stdout, parse_int=_as_kubernetes_number, parse_float=float)
    return "ok", json.dumps(value, sort_keys=True)


def kauth_reads(text: str) -> tuple[str, str]:
    try:
        documents = load_all(text)
    except YAMLError as err:
        return "error", str(err)
    return "ok", json.dumps(documents[0], sort_keys=True)


# Plain scalars that have tripped YAML readers: YAML 1.1 words, number spellings, near misses.
TRICKY = [s for s, _ in SCALARS if s] + [
    ".inf", "-.Inf", ".nan", "<<", "0o", "0b1_0", "1e-5", "+.5e+5", "0x_", "-0b-1", "2001-02-29", "2000-02-29",
    "2001-12-14T21:59:43Z", "2001-12-14t21:59:43.5+01:00", "1_", "_", "-_", "0_0", "1e0_1", "+0b1", "-.5",
]
NUMBERISH = st.text(alphabet="0123456789+-._eExXoObB", min_size=1, max_size=8)
WORDISH = st.text(alphabet="abcdefghijklmnopqrstuvwxyzYNTFO~ ", min_size=1, max_size=6).map(str.strip).filter(bool)
SCALAR = st.one_of(st.sampled_from(TRICKY), NUMBERISH, WORDISH)


def _quoted(text: str) -> str:
    return json.dumps(text)


@st.composite
def documents_with_scalars(draw) -> str:
    values = draw(st.lists(SCALAR, min_size=1, max_size=6))
    keys = draw(st.lists(SCALAR, min_size=0, max_size=4, unique=True))
    quoted = draw(st.lists(SCALAR, max_size=2))
    keys = [k for k in keys if k not in ("apiVersion", "kind")]
    lines = [HEADER.rstrip("\n")]
    lines.append("flow: [" + ", ".join(values) + "]")
    lines.append("block:")
    lines += [f"- {v}" for v in values]
    if keys:
        lines.append("keys:")
        lines += [f"  {k}: {i}" for i, k in enumerate(keys)]
    lines += [f"q{i}: {_quoted(v)}" for i, v in enumerate(quoted)]
    return "\n".join(lines) + "\n"


@requires_kubectl
@pytest.mark.kubectl
@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(documents_with_scalars())
def test_generated_scalars_read_as_kubectl_reads_them(text):
    assert kauth_reads(text) == kubectl_reads(text)


@st.composite
def documents_with_aliases_and_merges(draw) -> str:
    """Anchored nodes, then one that refers to them: aliases, `<<: *a` and `<<: [*a, *b]`, nested."""
    names: list[str] = []

    def node(depth: int) -> str:
        choice = draw(st.integers(0, 9))
        if names and choice < 3:
            return "*" + draw(st.sampled_from(names))
        if depth > 2 or choice < 5:
            return draw(st.sampled_from(["1", "x", "y", "'<<'", "2.5", "~", "true", "k"]))
        if choice < 7:
            return "[" + ", ".join(node(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        pairs = []
        for _ in range(draw(st.integers(0, 3))):
            if names and draw(st.booleans()):
                refs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
                pairs.append("<<: " + ("*" + refs[0] if len(refs) == 1 else "[" + ", ".join("*" + r for r in refs) + "]"))
            else:
                pairs.append(f"{draw(st.sampled_from('abcd'))}: {node(depth + 1)}")
        return "{" + ", ".join(pairs) + "}"

    lines = []
    for i in range(draw(st.integers(1, 4))):
        lines.append(f"k{i}: &n{i} {node(0)}")
        names.append(f"n{i}")
    lines.append(f"out: {node(0)}")
    return HEADER + "\n".join(lines) + "\n"


@requires_kubectl
@pytest.mark.kubectl
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(documents_with_aliases_and_merges())
def test_generated_aliases_and_merges_read_as_kubectl_reads_them(text):
    assert kauth_reads(text) == kubectl_reads(text)


BASES = [
    HEADER + "spec:\n  a: [1, {b: 'c', d: \"e\"}]\n  f: |\n    text\n  g: &x {h: 1}\n  i: *x\n  j:\n  - k: l\n    m: n\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 3\n"
    "  template:\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        args: [\"-g\", 'daemon off;']\n",
]
# Characters that matter to YAML's grammar. Tags (`!`) are left out: go-yaml lets a tag in a flow
# collection run on through `,`, `[` and `]` where libyaml stops (a known difference, see yaml11).
MUTATIONS = ["[", "]", "{", "}", ":", ": ", "- ", "'", '"', "\t", "  ", "\n", "&a ", "*a", "|", ">", "#", ",", "?",
             "%", "@", "`", "\\", "...", "<<: ", "\x01", "\u00e9", "\r", "\ufeff"]


@st.composite
def damaged_documents(draw) -> str:
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.sampled_from(MUTATIONS)) + text[position:]
    return text


@requires_kubectl
@pytest.mark.kubectl
@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(damaged_documents())
def test_damaged_documents_fail_or_read_as_kubectl_says(text):
    text = text.replace("---", "- --")  # one document: splitting is covered by the loader's tests
    assume(not text.lstrip().startswith("{"))  # kubectl would read that as a JSON stream
    expected = kubectl_reads(text)
    if expected[0] == "error" and expected[1].startswith("unable to decode"):
        # kubectl read the YAML; the object then lacked a kind (the damage hit `kind:`)
        assert kauth_reads(text)[0] == "ok"
        return
    assert kauth_reads(text) == expected


@requires_kubectl
@pytest.mark.kubectl
def test_the_measured_tables_still_hold_for_this_kubectl():
    body = "".join(f"k{i}: {text}\n" for i, (text, _) in enumerate(SCALARS))
    kind, value = kubectl_reads(HEADER + body)
    assert kind == "ok"
    assert kauth_reads(HEADER + body) == (kind, value)
    for body, message in MALFORMED[:8]:
        assert kubectl_reads(HEADER + body) == ("error", f"error converting YAML to JSON: yaml: {message}")
