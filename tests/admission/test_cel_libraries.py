"""Kubernetes' CEL libraries beyond the first set (semver, format, the lists library's indexOf/lastIndexOf,
string(ip)/string(cidr)), checked against the answers cel-go gives in upstream's library tests
(staging/src/k8s.io/apiserver/pkg/cel/library/{semver,format,lists,ip,cidr}_test.go)."""

from __future__ import annotations

import pytest

from kauth.admission.cel import DataBounds, Environment

ENV = Environment()


def evaluate(expression: str, **data):
    compiled = ENV.compile(expression)
    assert not compiled.error, compiled.error
    return ENV.evaluate(compiled, data, DataBounds.of(data.values()))


def value(expression: str, **data):
    result = evaluate(expression, **data)
    assert result.ok, result.error
    return result.value


def error(expression: str, **data) -> str:
    result = evaluate(expression, **data)
    assert not result.ok, result.value
    return result.error


# -- semver (semver_test.go) ----------------------------------------------------------------------------------

@pytest.mark.parametrize("expression, expected", [
    ('isSemver("1.2.3-beta.1+build.1")', True),
    ('isSemver("")', False),
    ('isSemver("v1.0.0")', False),
    ('isSemver(" 1.0.0")', False),
    ('isSemver("1. 0.0")', False),
    ('isSemver("1.0.0 ")', False),
    ('isSemver("01.01.01")', False),
    ('isSemver("1")', False),
    ('isSemver("1.1")', False),
    ('isSemver("", true)', False),
    ('isSemver(" 1.0.0", true)', False),
    ('isSemver("1. 0.0", true)', False),
    ('isSemver("1.0.0 ", true)', False),
    ('isSemver("v1.0.0", true)', True),
    ('isSemver("01.01.01", true)', True),
    ('isSemver("1", true)', True),
    ('isSemver("1.1", true)', True),
    ('semver("v01.01", true) == semver("1.1.0")', True),
    ('semver("1.2.3") == semver("1.2.3")', True),
    ('semver("1.2.3") == semver("1.0.0")', False),
    ('semver("1.0.0").isLessThan(semver("1.2.3"))', True),
    ('semver("1.0.0").isLessThan(semver("1.0.0"))', False),
    ('semver("1.2.3").isGreaterThan(semver("1.0.0"))', True),
    ('semver("1.0.0").isGreaterThan(semver("1.0.0"))', False),
    ('semver("1.2.3").compareTo(semver("1.2.3"))', 0),
    ('semver("1.0.0").compareTo(semver("1.2.3"))', -1),
    ('semver("1.2.3").compareTo(semver("1.0.0"))', 1),
    ('semver("1.2.3").major()', 1),
    ('semver("1.2.3").minor()', 2),
    ('semver("1.2.3").patch()', 3),
])
def test_semver_answers_as_cel_go(expression, expected):
    got = value(expression)
    assert got == expected and type(got) is type(expected)


def test_semver_parses_to_the_kubernetes_semver_type():
    assert str(value('type(semver("1.2.3"))')) == "kubernetes.Semver"


@pytest.mark.parametrize("lower, higher", [
    ("1.0.0-alpha", "1.0.0-alpha.1"),
    ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("1.0.0-beta.2", "1.0.0-beta.11"),
    ("1.0.0-rc.1", "1.0.0"),
    ("1.9.0", "1.10.0"),
])
def test_semver_orders_prereleases_as_semver_2(lower, higher):
    assert value(f'semver("{lower}").isLessThan(semver("{higher}"))') is True
    assert value(f'semver("{higher}").compareTo(semver("{lower}"))') == 1


def test_semver_equality_ignores_build_metadata():
    assert value('semver("1.0.0+build.1") == semver("1.0.0+build.2")') is True


@pytest.mark.parametrize("expression, message", [
    ('semver("v1.0")', "No Major.Minor.Patch elements found"),
    ('semver("")', "Version string empty"),
    ('semver("a.0.0")', 'Invalid character(s) found in major number "a"'),
    ('semver("01.0.0")', 'Major number must not contain leading zeroes "01"'),
    ('semver("1.02.0")', 'Minor number must not contain leading zeroes "02"'),
    ('semver("1.0.x")', 'Invalid character(s) found in patch number "x"'),
    ('semver("1.0.0-01")', 'Numeric PreRelease version must not contain leading zeroes "01"'),
    ('semver("1.0.0-a..b")', "Prerelease is empty"),
    ('semver("1.0.0-a_b")', 'Invalid character(s) found in prerelease "a_b"'),
    ('semver("1.0.0+")', "Build meta data is empty"),
    ('semver("1.0.0+a_b")', 'Invalid character(s) found in build meta data "a_b"'),
    ('semver(".0.0")', 'strconv.ParseUint: parsing "": invalid syntax'),
    ('semver("18446744073709551616.0.0")', 'strconv.ParseUint: parsing "18446744073709551616": value out of range'),
    ('semver("1-rc", true)', "short version cannot contain PreRelease/Build meta data"),
])
def test_semver_parse_errors_are_blang_semvers(expression, message):
    assert error(expression) == message


def test_semver_major_wraps_past_int64_as_go():
    assert value('semver("18446744073709551615.0.0").major()') == -1


def test_is_semver_of_a_list_is_a_compile_error():
    assert ENV.compile("isSemver([1, 2, 3])").error.startswith(
        "ERROR: <input>:1:9: found no matching overload for 'isSemver' applied to '(list(int))'")


def test_compare_to_of_a_semver_and_a_quantity_finds_no_overload():
    assert error('dyn(semver("1.0.0")).compareTo(dyn(quantity("1")))') == "no such overload"


def test_quantity_comparisons_still_compare_quantities():
    assert value('quantity("1").compareTo(quantity("1000m"))') == 0
    assert value('quantity("2").isGreaterThan(quantity("1500m"))') is True


def test_semver_parsing_costs_a_string_traversal():
    short = evaluate("isSemver(object.v)", object={"v": "1.0.0"}).cost
    long = evaluate("isSemver(object.v)", object={"v": "1.0.0-" + "a" * 200}).cost
    assert long - short >= 20  # cel-go: ceil(0.1 * len) for semver and isSemver (library/cost.go)
