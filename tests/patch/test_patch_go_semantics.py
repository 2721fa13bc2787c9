"""The Go behaviour kauth.patch reproduces: fmt's %v, go-yaml's output, and Go's sort algorithms
(list orders in patches depend on them)."""

from __future__ import annotations

import random

import pytest

from kauth.patch.errors import go_float, go_sprint, go_type_name, to_yaml
from kauth.patch.strategic import _go_slice_stable, _go_sort


@pytest.mark.parametrize("value, text", [
    (1e6, "1e+06"), (100000.0, "100000"), (123456789.0, "1.23456789e+08"), (1.5, "1.5"),
    (0.0001, "0.0001"), (0.00001, "1e-05"), (2.5e-7, "2.5e-07"), (1e21, "1e+21"), (-3.0, "-3"),
])
def test_go_float_prints_like_fmt_v(value, text):
    assert go_float(value) == text


def test_go_sprint_prints_maps_sorted_and_slices_spaced():
    assert go_sprint({"name": "x", "env": [{"a": None}, 1, True], "b": 1.5}) == "map[b:1.5 env:[map[a:<nil>] 1 true] name:x]"


def test_go_sprint_s_verb_on_non_strings():
    assert go_sprint(1, "s") == "%!s(int64=1)"
    assert go_sprint(None, "s") == "%!s(<nil>)"


def test_go_type_names():
    assert [go_type_name(v) for v in ({}, [], "", 1, 1.5, True)] == [
        "map[string]interface {}", "[]interface {}", "string", "int64", "float64", "bool"]


def test_to_yaml_orders_keys_like_go_yaml():
    text = to_yaml({"containers": [], "$setElementOrder/containers": [{"name": "a"}], "a10": 1, "a2": 2, "B": 3})
    assert text == '$setElementOrder/containers:\n- name: a\nB: 3\na2: 2\na10: 1\ncontainers: []\n'


def test_to_yaml_quotes_strings_that_would_read_back_as_other_types():
    assert to_yaml({"a": "yes", "b": "1", "c": "", "d": "plain", "e": "null", "f": "y"}) == (
        'a: "yes"\nb: "1"\nc: ""\nd: plain\ne: "null"\nf: "y"\n')


def test_go_sort_sorts():
    rng = random.Random(7)
    for n in (0, 1, 5, 12, 13, 40, 200):
        values = [rng.randrange(1000) for _ in range(n)]
        assert _go_sort(list(values), lambda a, b: a <= b) == sorted(values)


def test_go_slice_stable_sorts_and_keeps_equal_items_in_order():
    rng = random.Random(11)
    for n in (0, 3, 20, 21, 75):
        items = [(rng.randrange(5), i) for i in range(n)]
        assert _go_slice_stable(list(items), lambda a, b: a[0] < b[0]) == sorted(items, key=lambda x: x[0])


def test_insertion_sort_with_non_strict_less_swaps_equal_items():
    # sort.Sort with upstream's `a <= b` comparator reverses runs of equal keys (n <= 12).
    items = [("a", 1), ("b", 0), ("a", 2)]
    assert _go_sort(items, lambda x, y: x[0] <= y[0]) == [("a", 2), ("a", 1), ("b", 0)]
