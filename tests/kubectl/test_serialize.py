"""kubectl's -o yaml / -o json / compact JSON, byte for byte.

The table's expected text was printed by kubectl v1.32 (`kubectl patch -f obj.json --local --type merge
-p '{}' -o yaml` on an object of an unknown kind, so it stays unstructured); the tests marked kubectl
check the table and generated documents against the real binary.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kauth.kubectl.serialize import YAMLConversionError, to_compact_json, to_json, to_yaml

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl v1.32 is not installed: it is the oracle here")
# each example is BATCH documents through two kubectl runs; raise EXAMPLES to fuzz harder locally
EXAMPLES = int(os.environ.get("KAUTH_SERIALIZE_EXAMPLES", "60"))
BATCH = 10

HEADER = "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: x\nspec:\n"
WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt"


def foo(spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "x"}, "spec": spec}


# (name, value of spec.v, what kubectl prints below `spec:`)
YAML_CASES = [
    ('yaml11_bool_y', 'y',
     '  v: "y"\n'),
    ('yaml11_bool_on', 'on',
     '  v: "on"\n'),
    ('yaml11_bool_No', 'No',
     '  v: "No"\n'),
    ('null_tilde', '~',
     '  v: "~"\n'),
    ('null_word', 'Null',
     '  v: "Null"\n'),
    ('empty_string', '',
     '  v: ""\n'),
    ('int_string', '123',
     '  v: "123"\n'),
    ('signed_int_string', '+123',
     '  v: "+123"\n'),
    ('float_exponent_string', '1e3',
     '  v: "1e3"\n'),
    ('octal_go_string', '0o17',
     '  v: "0o17"\n'),
    ('hex_string', '0x1F',
     '  v: "0x1F"\n'),
    ('underscore_int_string', '1_000',
     '  v: "1_000"\n'),
    ('base60_string', '1:20',
     '  v: "1:20"\n'),
    ('dot_float_string', '.5',
     '  v: ".5"\n'),
    ('inf_string', '.inf',
     '  v: ".inf"\n'),
    ('not_a_number_word', 'nan',
     '  v: nan\n'),
    ('too_big_float_string', '1e400',
     '  v: 1e400\n'),
    ('hex_beyond_uint64_string', '0x123456789abcdef0123',
     '  v: 0x123456789abcdef0123\n'),
    ('merge_key_string', '<<',
     '  v: <<\n'),
    ('timestamp_string', '2024-01-01T00:00:00Z',
     '  v: "2024-01-01T00:00:00Z"\n'),
    ('date_string', '2024-1-2',
     '  v: "2024-1-2"\n'),
    ('invalid_date_string', '2024-02-30',
     '  v: 2024-02-30\n'),
    ('leading_space', ' lead',
     "  v: ' lead'\n"),
    ('trailing_space', 'trail ',
     "  v: 'trail '\n"),
    ('colon_space', 'a: b',
     "  v: 'a: b'\n"),
    ('colon_no_space', 'a:b',
     '  v: a:b\n'),
    ('trailing_colon', 'a:',
     "  v: 'a:'\n"),
    ('leading_hash', '#x',
     "  v: '#x'\n"),
    ('inner_hash', 'a #b',
     "  v: 'a #b'\n"),
    ('hash_no_space', 'a#b',
     '  v: a#b\n'),
    ('dash_space', '- a',
     "  v: '- a'\n"),
    ('dash_word', '-a',
     '  v: -a\n'),
    ('document_start', '---',
     "  v: '---'\n"),
    ('single_quote_inside', "it's",
     "  v: it's\n"),
    ('leading_single_quote', "'a'",
     "  v: '''a'''\n"),
    ('leading_double_quote', '"a"',
     '  v: \'"a"\'\n'),
    ('backslash', 'a\\b',
     '  v: a\\b\n'),
    ('braces', '{a}',
     "  v: '{a}'\n"),
    ('comma_inside', 'a,b',
     '  v: a,b\n'),
    ('tab', 'a\tb',
     '  v: "a\\tb"\n'),
    ('escape_char', 'a\x1bb',
     '  v: "a\\eb"\n'),
    ('nul', 'a\x00b',
     '  v: "a\\0b"\n'),
    ('bell', '\x07',
     '  v: "\\a"\n'),
    ('unicode_bmp', 'ünï中',
     '  v: ünï中\n'),
    ('unicode_astral', 'a😀',
     '  v: "a\\U0001F600"\n'),
    ('nel_folded', 'a\x85b',
     '  v: a b\n'),
    ('nel_twice', 'a\x85\x85b',
     '  v: |-\n    a\n    b\n'),
    ('multiline_clip', 'line1\nline2\n',
     '  v: |\n    line1\n    line2\n'),
    ('multiline_strip', 'line1\nline2',
     '  v: |-\n    line1\n    line2\n'),
    ('multiline_keep', 'a\n\n',
     '  v: |+\n    a\n\n'),
    ('multiline_leading_space', '  a\nb',
     '  v: |2-\n      a\n    b\n'),
    ('multiline_leading_break', '\na',
     '  v: |2-\n\n    a\n'),
    ('multiline_only_break', '\n',
     '  v: |2+\n\n'),
    ('multiline_trailing_space', 'a\nb ',
     '  v: "a\\nb "\n'),
    ('multiline_space_before_break', 'a \nb',
     '  v: "a \\nb"\n'),
    ('multiline_tab', 'a\tb\nc',
     '  v: "a\\tb\\nc"\n'),
    ('multiline_blank_line', 'a\n\nb',
     '  v: |-\n    a\n\n    b\n'),
    ('multiline_crlf', 'a\r\nb',
     '  v: "a\\r\\nb"\n'),
    ('int', 42,
     '  v: 42\n'),
    ('negative_int', -7,
     '  v: -7\n'),
    ('int64_max', 9223372036854775807,
     '  v: 9223372036854775807\n'),
    ('beyond_int64', 9223372036854775808,
     '  v: 9223372036854776000\n'),
    ('beyond_uint64', 18446744073709551616,
     '  v: 1.8446744073709552e+19\n'),
    ('float_integral', 1.0,
     '  v: 1\n'),
    ('float', 1.5,
     '  v: 1.5\n'),
    ('float_large_fraction', 1234567.5,
     '  v: 1.2345675e+06\n'),
    ('float_small', 1e-06,
     '  v: 1e-06\n'),
    ('float_tiny', 1e-07,
     '  v: 1e-07\n'),
    ('float_1e20', 1e+20,
     '  v: 1e+20\n'),
    ('float_1e21', 1e+21,
     '  v: 1e+21\n'),
    ('float_negative_1e19', -1e+19,
     '  v: -1e+19\n'),
    ('float_negative_zero', -0.0,
     '  v: 0\n'),
    ('true', True,
     '  v: true\n'),
    ('false', False,
     '  v: false\n'),
    ('null', None,
     '  v: null\n'),
    ('empty_map', {},
     '  v: {}\n'),
    ('empty_list', [],
     '  v: []\n'),
    ('list_of_maps', [{'name': 'a', 'image': 'nginx'}, {'name': 'b'}],
     '  v:\n  - image: nginx\n    name: a\n  - name: b\n'),
    ('nested_lists', [['a', 'b'], [], [{}]],
     '  v:\n  - - a\n    - b\n  - []\n  - - {}\n'),
    ('map_of_lists', {'items': ['x'], 'more': {'deeper': [1, [2]]}},
     '  v:\n    items:\n    - x\n    more:\n      deeper:\n      - 1\n      - - 2\n'),
    ('keys_natural_order', {'k10': 1, 'k2': 2, 'k1': 3, 'a': 4, 'B': 5, '_': 6, '10': 7, '9': 8},
     '  v:\n    _: 6\n    "9": 8\n    "10": 7\n    B: 5\n    a: 4\n    k1: 3\n    k2: 2\n    k10: 1\n'),
    ('keys_needing_quotes', {'n': 1, 'yes': 2, '123': 3, '': 4, 'a: b': 5, ' x': 6, '#c': 7},
     '  v:\n    "": 4\n    \' x\': 6\n    \'#c\': 7\n    "123": 3\n    \'a: b\': 5\n    "n": 1\n    "yes": 2\n'),
    ('key_multiline', {'a\nb': 1},
     '  v:\n    ? |-\n      a\n      b\n    : 1\n'),
    ("nbsp", "a\u00a0b",
     "  v: a\u00a0b\n"),
    # go-yaml's is_bom looks at the first character of the string: then every character is escaped
    ("bom_first", "\ufeffab c",
     '  v: "\\uFEFF\\x61\\x62\\x20\\x63"\n'),
    # a line separator is a line break that single quotes may hold: written raw, then indented
    ("line_separator", "a\u2028b",
     "  v: 'a\u2028    b'\n"),
    ("long_plain_folds_past_column_80", f"{WORDS} {WORDS}",
     "  v: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n"
     "    incididunt lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n"
     "    tempor incididunt\n"),
    ("long_single_quoted_folds", f"'{WORDS} {WORDS}",
     "  v: '''lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n"
     "    incididunt lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n"
     "    tempor incididunt'\n"),
    ("long_double_quoted_folds", f"\t{WORDS}  {WORDS}",
     '  v: "\\tlorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n'
     "    incididunt  lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n"
     '    tempor incididunt"\n'),
    ("long_without_spaces_stays_on_one_line", "x" * 100,
     f"  v: {'x' * 100}\n"),
    ("long_with_only_double_spaces_stays_on_one_line", WORDS.replace(" ", "  "),
     f"  v: {WORDS.replace(' ', '  ')}\n"),
    ("key_longer_than_128_bytes", {"k" * 129: 1},
     f"  v:\n    ? {'k' * 129}\n    : 1\n"),
]


@pytest.mark.parametrize("name,value,expected", YAML_CASES, ids=[case[0] for case in YAML_CASES])
def test_yaml_prints_as_kubectl(name, value, expected):
    assert to_yaml(foo({"v": value})) == HEADER + expected


def test_yaml_sequences_are_not_indented_under_their_key():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]}}
    assert to_yaml(pod) == (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  labels:\n"
        "    app: web\n"
        "  name: web\n"
        "spec:\n"
        "  containers:\n"
        "  - image: nginx:1.25\n"
        "    name: nginx\n"
        "    ports:\n"
        "    - containerPort: 80\n"
    )


def test_yaml_prints_last_applied_annotation_as_literal_block():
    annotation = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"c"}}\n'
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": annotation}}}
    assert to_yaml(obj) == (
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        '      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"c"}}\n'
        "  name: c\n"
    )


def test_yaml_key_order_is_natural_and_letters_come_last():
    assert to_yaml({"b": 1, "a10": 2, "a9": 3, "A": 4, "-x": 5, "7": 6}) == (
        '-x: 5\n"7": 6\nA: 4\na9: 3\na10: 2\nb: 1\n')


@pytest.mark.parametrize("text", ["a\x7fb", "\x80", "a\x9f", "\ufffe", "\uffff"])
def test_yaml_rejects_characters_the_yaml_reader_forbids(text):
    # encoding/json leaves these raw; go-yaml's reader then fails, and so does kubectl -o yaml
    with pytest.raises(YAMLConversionError, match="control characters are not allowed"):
        to_yaml(foo({"v": text}))
    assert json.loads(to_json(foo({"v": text})))["spec"]["v"] == text


def test_yaml_rejects_a_key_longer_than_the_yaml_scanner_allows():
    with pytest.raises(YAMLConversionError):
        to_yaml({"k" * 1023: 1})
    assert to_yaml({"k" * 1022: 1}).startswith("? k")


def test_json_is_marshal_indent_with_four_spaces_sorted_keys_and_newline():
    assert to_json({"b": [1, {"c": None}], "a": {}, "k10": [], "k2": True}) == (
        '{\n'
        '    "a": {},\n'
        '    "b": [\n'
        '        1,\n'
        '        {\n'
        '            "c": null\n'
        '        }\n'
        '    ],\n'
        '    "k10": [],\n'
        '    "k2": true\n'
        '}\n'
    )


@pytest.mark.parametrize("value,expected", [
    ("<b>&", '"\\u003cb\\u003e\\u0026"'),
    ("\u2028\u2029", '"\\u2028\\u2029"'),
    ("\x1b\x00\x7f", '"\\u001b\\u0000\x7f"'),
    ("\b\f\n\r\t", '"\\b\\f\\n\\r\\t"'),
    ('"\\', '"\\"\\\\"'),
    ("ünï😀", '"ünï😀"'),
    (1.0, "1"),
    (-0.0, "0"),
    (1.5, "1.5"),
    (1e21, "1e+21"),
    (1e20, "100000000000000000000"),
    (0.000001, "0.000001"),
    (1e-7, "1e-7"),
    (1.5e300, "1.5e+300"),
    (9223372036854775807, "9223372036854775807"),
    (9223372036854775808, "9223372036854776000"),
    (12345678901234567890, "12345678901234567000"),
])
def test_json_scalars_print_as_go_encoding_json(value, expected):
    assert to_compact_json(value) == expected


def test_compact_json_is_what_kubectl_puts_in_last_applied():
    # kubectl create configmap x --from-literal=a='<b>&é' --from-literal=k10=$'x\u2028y'
    #   --from-literal=k2='"q"' --dry-run=client --save-config -o json: the annotation's data
    data = {"k2": '"q"', "a": "<b>&é", "k10": "x\u2028y"}
    assert to_compact_json({"data": data}) == (
        '{"data":{"a":"\\u003cb\\u003e\\u0026é","k10":"x\\u2028y","k2":"\\"q\\""}}')


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**400])
def test_numbers_json_cannot_hold_are_errors(value):
    with pytest.raises(ValueError):
        to_json({"v": value})


# --- differential tests against kubectl --------------------------------------------------------


def kubectl_prints(objects: list[dict], output: str) -> list[str | None]:
    """What one kubectl run prints for each object with -o OUTPUT (None where it failed on that one).
    The objects must be named x0, x1, ... in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        file.write("\n".join(json.dumps(obj) for obj in objects))
    try:
        done = subprocess.run([KUBECTL, "patch", "-f", file.name, "--local", "--type", "merge", "-p", "{}",
                               "-o", output], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(file.name)
    start = "apiVersion: example.com/v1\n" if output == "yaml" else "{\n"
    name = r"^metadata:\n  name: x(\d+)$" if output == "yaml" else r'^    "metadata": {\n        "name": "x(\d+)"$'
    printed: list[str | None] = [None] * len(objects)
    for document in re.split(f"(?m)^(?={re.escape(start)})", done.stdout):
        if document:
            printed[int(re.search(name, document, re.M).group(1))] = document
    return printed


def named(specs: list) -> list[dict]:
    return [{**foo(spec), "metadata": {"name": f"x{i}"}} for i, spec in enumerate(specs)]


def compact(indented: str) -> str:
    """MarshalIndent's output without its indentation, i.e. json.Marshal's."""
    out, in_string, escaped = [], False, False
    for char in indented.rstrip("\n"):
        if in_string:
            out.append(char)
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif char == '"':
            out.append(char)
            in_string = True
        elif char not in " \n":
            out.append(char)
    return "".join(out)


def assert_print_as_kubectl(objects: list[dict]) -> None:
    for obj, want_yaml, want_json in zip(objects, kubectl_prints(objects, "yaml"), kubectl_prints(objects, "json")):
        if want_yaml is None:
            with pytest.raises(YAMLConversionError):
                to_yaml(obj)
        else:
            assert to_yaml(obj) == want_yaml
        assert to_json(obj) == want_json
        assert to_compact_json(obj) == compact(want_json)


@needs_kubectl
@pytest.mark.kubectl
def test_table_matches_kubectl():
    printed = kubectl_prints(named([{"v": value} for _, value, _ in YAML_CASES]), "yaml")
    for i, (name, _, expected) in enumerate(YAML_CASES):
        assert printed[i] == HEADER.replace("name: x", f"name: x{i}") + expected, name


# Strings go-yaml must quote, strings it must not, and everything in between.
TRICKY = [
    "y", "Y", "yes", "n", "NO", "true", "False", "on", "Off", "null", "Null", "~", "", ".nan", ".Inf", "-.inf", "<<",
    "123", "-123", "+123", "0x1F", "0o17", "0b101", "017", "08", "09.5", "1e3", "1E3", "1.", "-1.5e-3", ".5",
    "._5", ".5_5", "1_000", "0x_1F", "1:20", "190:20:30.15", "-1:20", "2024-01-01", "2024-1-1",
    "2024-01-01T00:00:00Z", "2024-01-01 00:00:00", "2024-02-29", "2023-02-29", "2024-01-01T25:00:00Z",
    "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00.123456789012Z", "2024-01-01T1:2:3,5Z",
    "12345678901234567890", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "1e400",
    "0x123456789abcdef0123", "---", "...", "- ", "-", "?", "? x", ":", ": x", "a:", "a: b", "a:b", "#a",
    "a #b", "a#b", "@a", "`a", "%a", "!a", "&a", "*a", "|a", ">a", "'a", '"a', "a'", "a,b", "[a]", "{a}", "-a",
    "--- a", "... a", "a\x85b", "a \x85 \x85 b", "\x85a", "a\u2028\u2029b", "\ufeffx", "\x00", "\t", " ", "a  ",
]
SAFE_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x7f\ufffe\uffff").filter(
    lambda c: not ("\x80" <= c <= "\x9f") or c == "\x85")
ALPHABET = "ab yzn01 9:#-?'\"\n\t\\,[]{}&*!|>%@`._+eExob\u00e9\u00a0\u2028\x85\ufeff\x00\x1b\U0001F600\u4e2d"
WORD = st.sampled_from(["a", "word", "longerword", "x" * 30, "", " ", "b:", "#c", "é", "'", '"', "\\"])
LONG = st.lists(WORD, min_size=10, max_size=40).map(" ".join)
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(ALPHABET, max_size=12),
    st.text(SAFE_TEXT, max_size=10),
    LONG,
    st.tuples(LONG, st.sampled_from(["\n", "\n\n", " \n", "\n "]), LONG).map("".join),
)
KEY = st.one_of(
    st.sampled_from(TRICKY),
    st.text("ab1290_-./:# é\nA", max_size=6),
    st.from_regex(r"[a-z]{0,3}[0-9]{1,3}[a-z]{0,2}", fullmatch=True),
)
NUMBER = st.one_of(
    st.integers(-2**70, 2**70), st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False), st.floats(-1e7, 1e7).map(lambda f: round(f, 3)),
)


def totally_ordered(mapping: dict) -> bool:
    """Whether go-yaml orders these keys the same whatever order Go's map hands them over in."""
    from kauth.kubectl.serialize import _key_less, _sorted_keys

    keys = _sorted_keys(mapping)
    return all(_key_less(keys[i], keys[j]) and not _key_less(keys[j], keys[i])
               for i in range(len(keys)) for j in range(i + 1, len(keys)))


def ordered_keys(mapping: dict) -> dict:
    """The mapping without the keys that would make go-yaml's order depend on Go's map order."""
    kept: dict = {}
    for key, value in mapping.items():
        if totally_ordered({**kept, key: value}):
            kept[key] = value
    return kept


MAPPING = lambda values: st.dictionaries(KEY, values, max_size=5).filter(totally_ordered)  # noqa: E731
# small documents: hypothesis slows down sharply once a batch of them outgrows its buffer
VALUE = st.recursive(st.one_of(TEXT, NUMBER, st.booleans(), st.none()),
                     lambda inner: st.one_of(st.lists(inner, max_size=3), MAPPING(inner)), max_leaves=10)
SPEC = st.dictionaries(KEY, VALUE, min_size=1, max_size=4).filter(totally_ordered)


@needs_kubectl
@pytest.mark.kubectl
def test_tricky_strings_print_as_kubectl():
    assert_print_as_kubectl(named([
        {"values": {f"v{i:03d}": text for i, text in enumerate(TRICKY)}},
        {"keys": ordered_keys({text: i for i, text in enumerate(TRICKY) if "\x85" not in text})},
        {"in_lists": [[text] for text in TRICKY]},
        {"bad": "a\x7fb"},
        {"bad_key": {"a\x85b": 1}},
        {"bad_document_start": "a\x85--- b"},
    ]))


@needs_kubectl
@pytest.mark.kubectl
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(SPEC, min_size=BATCH, max_size=BATCH))
def test_generated_documents_print_as_kubectl(specs):
    assert_print_as_kubectl(named(specs))
