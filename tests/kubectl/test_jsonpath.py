"""kubectl's JSONPath templates: kauth.api.jsonpath against the real kubectl v1.32.

The oracle: `kubectl patch -f obj.json --local --type merge -p '{}' -o jsonpath=TEMPLATE`
runs client-go's jsonpath on an unstructured object, offline. Every document is wrapped
in a Pod (`{"apiVersion": "v1", "kind": "Pod", "metadata": {...}, "x": DOC}`) so kubectl
accepts it; a top-level `items` would make kubectl treat the file as a List, so documents
live under `x`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kauth.api import jsonpath as jp
from kauth.api.jsonpath import JSONPathError, evaluate, relaxed_expression
from kauth.kubectl.printers import custom_columns

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl binary not found on PATH (differential oracle)")


def wrap(doc) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "x": doc}


def run_kubectl(obj: dict, template: str, output: str = "jsonpath") -> tuple[int, str, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(obj, f)
        path = f.name
    try:
        r = subprocess.run(
            [KUBECTL, "patch", "-f", path, "--local", "--type", "merge", "-p", "{}", "-o", f"{output}={template}"],
            capture_output=True, text=True, timeout=30, env={**os.environ, "KUBECONFIG": os.devnull},
        )
        return r.returncode, r.stdout, r.stderr
    finally:
        os.unlink(path)


def ours(obj: dict, template: str, output: str = "jsonpath") -> tuple[int, str, str]:
    try:
        return 0, evaluate(template, obj, output_json=output == "jsonpath-as-json"), ""
    except JSONPathError as e:
        return 1, "", e.kubectl_message


def nondeterministic(template: str) -> bool:
    """`*` on a map and `..` walk Go maps, whose iteration order is random."""
    return "*" in template.replace("[*]", "") or ".." in template


def assert_same(obj: dict, template: str, output: str = "jsonpath", kubectl=None) -> None:
    k_rc, k_out, k_err = kubectl if kubectl is not None else run_kubectl(obj, template, output)
    o_rc, o_out, o_err = ours(obj, template, output)
    context = f"template {template!r} on {json.dumps(obj)[:300]}"
    assert (o_rc == 0) == (k_rc == 0), f"{context}: kubectl rc={k_rc} err={k_err!r}, ours rc={o_rc} err={o_err!r}"
    if nondeterministic(template):
        assert sorted(o_out.split(" ")) == sorted(k_out.split(" ")), context
        return
    assert o_out == k_out, context
    if k_rc != 0 and k_err.startswith("panic:"):
        assert o_err.startswith("panic:"), context  # client-go crashes here; we report it
    elif k_rc != 0:
        assert o_err == k_err, context


# ---------------------------------------------------------------- documented behaviour (no kubectl needed)

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "my-nginx", "namespace": "default",
                 "labels": {"app": "nginx", "app.kubernetes.io/name": "web"}},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}]},
                            {"name": "side", "image": "busybox"}]},
    "status": {"phase": "Running"},
}

LIST = {"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "a", "labels": {"tier": "web"}}, "status": {"podIP": "10.0.0.1"}},
    {"metadata": {"name": "b"}, "status": {"podIP": "10.0.0.2"}},
]}


@pytest.mark.parametrize("template, expected", [
    ("{.metadata.name}", "my-nginx"),
    ("{.spec.containers[*].name}", "nginx side"),
    ("{.spec.containers[0].ports[0].containerPort}", "80"),
    ("{.metadata.labels}", '{"app":"nginx","app.kubernetes.io/name":"web"}'),
    ("{.metadata.labels.app\\.kubernetes\\.io/name}", "web"),
    ('{.spec.containers[?(@.name=="side")].image}', "busybox"),
    ("{.spec.containers[-1:].name}", "side"),
    ("{..image}", "nginx:1.25 busybox"),
    ("{$.kind}", "Pod"),
    ("{.missing}", ""),
    ('{range .spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}', "nginx\tnginx:1.25\nside\tbusybox\n"),
    ("name: {.metadata.name}", "name: my-nginx"),
    ("{.status}", '{"phase":"Running"}'),
])
def test_evaluate_prints_like_kubectl(template, expected):
    assert evaluate(template, POD) == expected


def test_items_of_a_list_join_with_spaces():
    assert evaluate("{.items[*].metadata.name}", LIST) == "a b"
    assert evaluate("{.items[?(@.metadata.labels.tier)].status.podIP}", LIST) == "10.0.0.1"


def test_missing_keys_print_nothing_unless_disallowed():
    assert evaluate("{.items[*].metadata.labels.tier}", LIST) == "web"
    with pytest.raises(JSONPathError, match="nope is not found"):
        evaluate("{.nope}", LIST, allow_missing_keys=False)


def test_jsonpath_as_json_prints_one_indented_array_per_expression():
    assert evaluate("{.spec.containers[*].name}", POD, output_json=True) == '[\n    "nginx",\n    "side"\n]\n'
    assert evaluate("{.nope}", POD, output_json=True) == "[]\n"


def test_parse_error_carries_kubectls_message():
    with pytest.raises(JSONPathError) as err:
        evaluate("{.metadata.name", POD)
    assert err.value.kubectl_message == "error: error parsing jsonpath {.metadata.name, unclosed action\n"


def test_execution_error_carries_kubectls_debug_dump():
    with pytest.raises(JSONPathError) as err:
        evaluate("{.spec.containers[5]}", {"spec": {"containers": [1, "a", None, 1.5]}})
    assert str(err.value) == "array index out of bounds: index 5, length 4"
    assert err.value.kubectl_message == (
        'error: error executing jsonpath "{.spec.containers[5]}": Error executing template: '
        "array index out of bounds: index 5, length 4. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.spec.containers[5]}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"spec":map[string]interface {}{"containers":[]interface {}{1, "a", '
        "interface {}(nil), 1.5}}}\n\n\n"
    )


def test_numbers_print_as_go_does():
    doc = {"i": 1234567, "f": 1234567.5, "small": 0.000001, "big": 1e21, "two": 2.0}
    assert evaluate("{.i} {.f} {.small} {.big} {.two}", doc) == "1234567 1.2345675e+06 1e-06 1e+21 2"
    assert evaluate("{$}", doc) == '{"big":1e+21,"f":1234567.5,"i":1234567,"small":0.000001,"two":2}'


def test_filters_compare_one_go_kind_only():
    with pytest.raises(JSONPathError, match="incompatible types for comparison"):
        evaluate("{.a[?(@.v>1.5)]}", {"a": [{"v": 2}]})
    with pytest.raises(JSONPathError, match="invalid type for comparison"):
        evaluate("{.a[?(@ == 1)]}", {"a": [1, None]})


def test_relaxed_expression_accepts_kubectls_shorthands():
    assert relaxed_expression(".metadata.name") == "{.metadata.name}"
    assert relaxed_expression("metadata.name") == "{.metadata.name}"
    assert relaxed_expression("{metadata.name}") == "{.metadata.name}"
    assert relaxed_expression("{.metadata.name}") == "{.metadata.name}"


def test_custom_columns_print_none_for_missing_and_join_lists_with_commas():
    out = custom_columns("NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:.spec.nodeName", [POD])
    assert out == (
        "NAME       IMAGES               NODE\n"
        "my-nginx   nginx:1.25,busybox   <none>\n"
    )


def test_custom_columns_reject_a_spec_without_a_path():
    with pytest.raises(JSONPathError, match="expected <header>:<json-path-expr>"):
        custom_columns("NAME", [POD])


# ---------------------------------------------------------------- differential: hand-picked templates

DOC = {
    "items": [
        {"n": "a", "v": 1, "s": {"t": [1, 2]}, "tags": ["x", "y"]},
        {"n": "b", "v": 2, "s": {"t": [3]}, "f": 2.5},
        {"n": "c", "v": 3, "ok": True},
    ],
    "m": {"a": 1},
    "one": {"only": "v"},
    "str": "hello",
    "nul": None,
    "empty": [],
    "emptym": {},
    "num": 12345678,
    "flt": 0.25,
    "neg": -3,
    "big": 12345678901234567890,
    "html": "<a&b>",
    "uni": "héllo ✓",
    "dot.key": {"a/b": "slash"},
    "ctl": "tab\there",
}

TEMPLATES = [
    "{.x.str}", "{.x.num} {.x.flt} {.x.neg} {.x.big}", "{.x.nul}", "{.x.html}", "{.x.uni}", "{.x.ctl}",
    "{.x.items}", "{.x.items[0]}", "{.x.items[*].n}", "{.x.items[0].n}", "{.x.items[-1].n}", "{.x.items[1:].n}",
    "{.x.items[:2].n}", "{.x.items[::2].n}", "{.x.items[0:3:2].n}", "{.x.items[-2:].n}", "{.x.items[3:3]}",
    "{.x.items[5:5]}", "{.x.items[3]}", "{.x.items[-4]}", "{.x.items[2:1]}", "{.x.items[1:2:0]}",
    "{.x.items[0,2].n}", "{.x.items[0]['n']}", "{.x.items[0]['n','v']}", "{.x.items[].n}",
    "{.x.items[?(@.v>1)].n}", "{.x.items[?(@.v>=2)].n}", "{.x.items[?(@.v<2)].n}", "{.x.items[?(@.v<=2)].n}",
    "{.x.items[?(@.v==2)].n}", "{.x.items[?(@.v!=2)].n}", '{.x.items[?(@.n=="b")].v}', "{.x.items[?(@.n=='c')].v}",
    '{.x.items[?(@.n<"b")].n}', "{.x.items[?(@.f)].n}", "{.x.items[?(@.ok==true)].n}", "{.x.items[?(@.v>1.5)].n}",
    "{.x.items[?(@.f>2)].n}", "{.x.items[?(@.s.t)].n}", "{.x.items[?(@.v==@.v)].n}", "{.x.items[?(@.v=2)].n}",
    "{.x.items[*].s.t[*]}", "{.x.items[*].tags}", "{.x.items[*].f}", "{.x.items[*].nope}",
    "{range .x.items[*]}{.n}={.v};{end}", '{range .x.items[*]}{.n}{"\\n"}{end}',
    "{range .x.items[*]}{.n}{range .s.t[*]}<{@}>{end}|{end}", "{range .x.items[*]}{.n}{end}{.kind}",
    "{range .x.items[*]}{.n}", "{range .x.empty[*]}{.n}{end}done", "{end}", "{range .x.items[*]}{end}{end}",
    "{range .x.items[*]}[{range .tags[*]}{@},{end}]{end}",
    "{.x.dot\\.key.a/b}", "{.x['dot.key']}", "{.x.m}", "{.x.emptym}", "{.x.empty}", "{.x.one.*}",
    "{.x.str[0]}", "{.x.m[0]}", "{.x.flt[*]}", "{.x.m[?(@.a)]}", "{.x.nul[?(@.a)]}", "{.x.nul.a}", "{.x.nul[0]}",
    "{.}", "{$}", "{@.kind}", "{.kind}{.metadata.name}", "{1}{2.5}{true}{false}{-3}", '{"a\\tb"}', "{'q'}",
    '{"\\u00e9\\x41"}', '{"bad\\q"}', "{.x.items[*]['n']}", "{..n}", "{.x..v}", "{.x.items..t}",
    "literal only", "a{.kind}b{.metadata.name}c", "{ .kind }", "{.kind", "{.x[}", "{.x[a]}", "{!}", "{.x,}",
    "{foo}", "{range}", "{.x.items[*].n,v}", "{.x.items[?(@.v>)]}", "{.x.items[?(@.v]}", "{...n}", "{.x..}",
    '{"unterminated}', "{.x.items[?(@.n=='a')].s.t[*]}", "{.x.items[0].s.t[-1]}", "{.x.items[99999999999999999999]}",
    "{.x.items[+1].n}", "{.x.items[-0].n}", "{.x.items[?(@.tags[0]=='x')].n}", "{.x.items[?(@.tags[*]=='x')].n}",
    "{.x.items[?(@.n>'a')].v}", "{.x.items[?(@.v>-1)].n}", "{.x.items[?(@.ok!=false)].n}",
]


@needs_kubectl
@pytest.mark.kubectl
def test_hand_picked_templates_match_kubectl():
    obj = wrap(DOC)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda t: run_kubectl(obj, t), TEMPLATES))
    for template, answer in zip(TEMPLATES, answers):
        assert_same(obj, template, kubectl=answer)


@needs_kubectl
@pytest.mark.kubectl
@pytest.mark.parametrize("template", [
    "{.x.items[*].n}", "{.x.items[0]}", "{.x.nope}", "{.x.str}{.x.num}", "{range .x.items[*]}{.n}{end}",
    "{.x.html}{.x.uni}", "{.x.nul}",
])
def test_jsonpath_as_json_matches_kubectl(template):
    assert_same(wrap(DOC), template, output="jsonpath-as-json")


# ---------------------------------------------------------------- differential: generated documents and templates

KEYS = ["a", "b", "c"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e300),
    st.text(alphabet="ab xé<\"\\", max_size=4),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    ),
    max_leaves=10,
)


@st.composite
def paths(draw, depth=3):
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=depth))):
        parts.append(draw(st.one_of(
            st.sampled_from(KEYS).map(lambda k: "." + k),
            st.integers(min_value=-3, max_value=3).map(lambda i: f"[{i}]"),
            st.sampled_from(["[*]", "[0:2]", "[1:]", "[:-1]", "[::2]", "[0,1]", "['a']", ".*", "..a", "['a','b']",
                             "[-1:]", "[?(@)]", "[?(@==1)]"]),
            st.sampled_from(KEYS).map(lambda k: f"[?(@.{k})]"),
            st.tuples(st.sampled_from(KEYS), st.sampled_from(["==", "!=", "<", ">", "<=", ">="]),
                      st.sampled_from(["1", "0", "'a'", '"x"', "true", "1.5", "-2"])).map(
                lambda t: f"[?(@.{t[0]}{t[1]}{t[2]})]"),
        )))
    return "{.x" + "".join(parts) + "}"


@st.composite
def templates(draw):
    shape = draw(st.sampled_from(["path", "two", "range", "text"]))
    if shape == "path":
        return draw(paths())
    if shape == "two":
        return draw(paths()) + "|" + draw(paths(depth=2))
    if shape == "range":
        body = draw(paths(depth=2)).replace("{.x", "{", 1)
        return "{range " + draw(paths()).strip("{}") + "}" + body + ";{end}"
    return "<" + draw(paths()) + draw(st.sampled_from(['{"\\n"}', "{'-'}", "{1}", ""])) + ">"


@needs_kubectl
@pytest.mark.kubectl
# each example costs one kubectl run (~60 ms): a fixed, unshrunk sample keeps the file under 40 s
@settings(max_examples=150, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, template=templates())
def test_generated_templates_match_kubectl(doc, template):
    assert_same(wrap(doc), template)


@settings(max_examples=300, deadline=None)
@given(doc=documents, template=templates())
def test_generated_templates_never_crash(doc, template):
    try:
        evaluate(template, wrap(doc))
    except JSONPathError:
        pass


@pytest.mark.parametrize("value, text", [
    (0.1, "0.1"), (100.0, "100"), (123456.0, "123456"), (1234567.0, "1.234567e+06"), (1e-5, "1e-05"),
    (0.0001, "0.0001"), (-2.5e-7, "-2.5e-07"), (1e300, "1e+300"),
])
def test_go_float_formatting(value, text):
    assert jp.go_float(value) == text
