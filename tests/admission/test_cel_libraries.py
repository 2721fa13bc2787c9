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


# -- format (format_test.go) ----------------------------------------------------------------------------------

FORMAT_NAMES = ["dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix",
                "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date",
                "datetime"]


@pytest.mark.parametrize("expression", [
    'format.dns1123Label().validate("my-label-name")',
    'format.dns1123Subdomain().validate("apiextensions.k8s.io")',
    'format.qualifiedName().validate("apiextensions.k8s.io/v1beta1")',
    'format.dns1123LabelPrefix().validate("my-label-prefix-")',
    'format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-")',
    'format.dns1035LabelPrefix().validate("my-label-prefix-")',
    'format.uri().validate("http://example.com")',
    'format.uuid().validate("123e4567-e89b-12d3-a456-426614174000")',
    'format.byte().validate("aGVsbG8=")',
    'format.date().validate("2021-01-01")',
    'format.datetime().validate("2021-01-01T00:00:00Z")',
    'format.dns1123Subdomain().validate("example.com")',
    'format.dns1035Label().validate("my-label-name")',
    'format.qualifiedName().validate("my.name")',
    'format.date().validate("2020-01-01")',
    'format.labelValue().validate("my-cool-label-Value")',
])
def test_format_validate_of_a_valid_string_is_optional_none(expression):
    assert value(f"{expression} == optional.none()") is True
    assert value(f"{expression}.hasValue()") is False


DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                 "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1123_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                     "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                     "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DNS1035_LABEL = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                 "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                 "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")


@pytest.mark.parametrize("expression, errors", [
    ('format.dns1123Label().validate("contains a space")', [DNS1123_LABEL]),
    ('format.dns1123Subdomain().validate("contains a space")', [DNS1123_SUBDOMAIN]),
    ('format.dns1035Label().validate("contains a space")', [DNS1035_LABEL]),
    ('format.qualifiedName().validate("contains a space")',
     ["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
      "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]),
    ('format.dns1123LabelPrefix().validate("contains a space-")', [DNS1123_LABEL]),
    ('format.dns1123SubdomainPrefix().validate("contains a space-")', [DNS1123_SUBDOMAIN]),
    ('format.dns1035LabelPrefix().validate("contains a space-")', [DNS1035_LABEL]),
    ('format.byte().validate("aGVsbG8")', ["invalid base64"]),
    ('format.date().validate("2020-01-32")', ["invalid date"]),
    ('format.datetime().validate("2020-01-32T00:00:00Z")', ["invalid datetime"]),
    ('format.labelValue().validate("my-cool-label-Value!!\\n\\n!!!")',
     ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
      "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
      "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ('format.uuid().validate("123e4567-e89b-12d3-a456")', ["does not match the UUID format"]),
])
def test_format_validate_of_an_invalid_string_is_its_errors(expression, errors):
    assert value(f"{expression}.value()") == errors
    assert value(f"{expression} == optional.of(object.errors)", object={"errors": errors}) is True


@pytest.mark.parametrize("text, message", [
    ("example.com", 'parse "example.com": invalid URI for request'),
    ("", 'parse "": empty url'),
    (":foo", 'parse ":foo": missing protocol scheme'),
    ("http://exa mple.com/", 'parse "http://exa mple.com/": invalid character " " in host name'),
    ("http://example.com:80a/", 'parse "http://example.com:80a/": invalid port ":80a" after host'),
    ("http://[::1/", 'parse "http://[::1/": missing \']\' in host'),
    ("/a%zzb", 'parse "/a%zzb": invalid URL escape "%zz"'),
])
def test_format_uri_errors_are_go_url_parse_request_uri_errors(text, message):
    assert value("format.uri().validate(object.s).value()", object={"s": text}) == [message]


@pytest.mark.parametrize("text", ["/relative/path", "mailto:someone@example.com", "https://u:p@[::1]:8443/a?b=c"])
def test_format_uri_accepts_what_parse_request_uri_accepts(text):
    assert value("format.uri().validate(object.s).hasValue()", object={"s": text}) is False


@pytest.mark.parametrize("text, valid", [
    ("2024-02-29", True), ("2023-02-29", False), ("2021-13-01", False), ("21-01-01", False), ("2021-1-01", False),
])
def test_format_date_checks_the_calendar_as_go_time_parse(text, valid):
    assert value("format.date().validate(object.s).hasValue()", object={"s": text}) is (not valid)


@pytest.mark.parametrize("text, valid", [
    ("2021-01-01T23:59:59.123+02:00", True), ("2021-01-01t00:00:00z", True), ("2021-01-01T24:00:00Z", False),
    ("2021-01-01T00:00:00", False), ("2021-01-01 00:00:00Z", False),
])
def test_format_datetime_follows_strfmt(text, valid):
    assert value("format.datetime().validate(object.s).hasValue()", object={"s": text}) is (not valid)


def test_format_named_of_an_unknown_name_is_optional_none():
    assert value('format.named("unknown").hasValue()') is False


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_format_named_finds_each_constant_format(name):
    assert value(f'format.named("{name}").hasValue()') is True
    assert value(f'format.named("{name}").value() == format.{name}()') is True


@pytest.mark.parametrize("left", FORMAT_NAMES)
def test_formats_differ_from_each_other(left):
    for right in FORMAT_NAMES:
        if right != left:
            assert value(f"format.{left}() == format.{right}()") is False


def test_format_is_the_kubernetes_named_format_type():
    assert str(value("type(format.uri())")) == "kubernetes.NamedFormat"


def test_format_validate_of_a_named_format_reads_the_optional():
    assert value('format.named("dns1123Label").value().validate("x y").value().size()') == 1
    assert value('format.named("nope").orValue(format.uuid()).validate("x").value()') == [
        "does not match the UUID format"]


def test_format_validate_in_a_comprehension_checks_each_element():
    assert value("object.names.filter(n, format.dns1123Label().validate(n).hasValue())",
                 object={"names": ["ok", "Not OK", "fine"]}) == ["Not OK"]


def test_format_validate_message_expression_joins_the_errors():
    assert value('format.byte().validate("%").orValue([]).join("\\n")') == "invalid base64"


def test_format_validate_costs_by_the_format_regex_size():
    # ceil((1 + len) * 0.1) * ceil(MaxRegexSize * 0.25) (library/cost.go): uri's regex is the largest
    label = evaluate("format.dns1123Label().validate(object.s)", object={"s": "x" * 100}).cost
    uri = evaluate("format.uri().validate(object.s)", object={"s": "x" * 100}).cost
    assert label >= 11 * 8 and uri >= 11 * 90 and uri > label


def test_format_validate_of_an_unknown_receiver_costs_as_the_largest_format():
    cost = evaluate('format.named(object.n).value().validate(object.s)', object={"n": "uuid", "s": "x" * 100}).cost
    assert cost >= 11 * 90


# -- lists indexOf / lastIndexOf (lists_test.go) ----------------------------------------------------------------

@pytest.mark.parametrize("expression, expected", [
    ("[1, 2, 2, 3].indexOf(2)", 1),
    ("['a', 'b', 'b', 'c'].lastIndexOf('b')", 2),
    ("[1.0].indexOf(1.1)", -1),
    ("[].indexOf('string')", -1),
    ("[1, 2, 3, 2, 1].lastIndexOf(1)", 4),
    ("[[1], [2]].indexOf([2])", 1),
    ("[{'a': 1}, {'b': 2}].lastIndexOf({'a': 1})", 0),
    ("dyn([1, 2]).indexOf(2.0)", 1),
    ("dyn([1u, 2u]).indexOf(2)", 1),
    ("[true].indexOf(1)", -1),
    ("['1'].indexOf(1)", -1),
])
def test_list_index_of_answers_as_cel_go(expression, expected):
    assert value(expression) == expected


def test_list_index_of_reads_request_data():
    assert value("object.spec.ports.indexOf(443)", object={"spec": {"ports": [80, 443]}}) == 1


@pytest.mark.parametrize("expression, expected", [
    ("'abcabc'.indexOf('c')", 2), ("'abcabc'.lastIndexOf('c')", 5), ("'abcabc'.indexOf('c', 3)", 5),
    ("'abcabc'.lastIndexOf('c', 4)", 2), ("'abc'.indexOf('z')", -1),
])
def test_strings_index_of_still_searches_strings(expression, expected):
    assert value(expression) == expected


def test_list_index_of_costs_a_traversal_of_the_list():
    small = evaluate("object.l.indexOf(-1)", object={"l": list(range(10))}).cost
    large = evaluate("object.l.indexOf(-1)", object={"l": list(range(1000))}).cost
    assert large - small >= 990


# -- string(ip) / string(cidr) (ip_test.go, cidr_test.go) -------------------------------------------------------

@pytest.mark.parametrize("expression, expected", [
    ("string(ip('192.168.0.1'))", "192.168.0.1"),
    ("string(ip('2001:db8::68'))", "2001:db8::68"),
    ("string(ip('2001:DB8:0:0::68'))", "2001:db8::68"),
    ("string(cidr('192.168.0.0/24').ip())", "192.168.0.0"),
    ("string(dyn(cidr('192.168.0.0/24')))", "192.168.0.0/24"),
    ("string(dyn(cidr('10.1.2.3/8')))", "10.1.2.3/8"),
    ("string(dyn(cidr('2001:DB8::/32')))", "2001:db8::/32"),
])
def test_string_of_an_address_is_its_canonical_form(expression, expected):
    assert value(expression) == expected


def test_string_of_other_types_is_unchanged():
    assert value("string(1) + string(2.5) + string(true)") == "12.5true"


def test_string_of_a_typed_cidr_is_a_compile_error_here():
    # cel-go accepts it; cel-cpp can register one string() implementation for both message types (library.py)
    assert ENV.compile("string(cidr('192.168.0.0/24'))").error.startswith(
        "ERROR: <input>:1:7: found no matching overload for 'string' applied to '(net.CIDR)'")


# -- image (image_test.go) ------------------------------------------------------------------------------------

DIGEST = "sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2"


@pytest.mark.parametrize("expression, expected", [
    ('isImage("registry.k8s.io/kube-apiserver-arm64:latest")', True),
    ('isImage("registry.k8s.io/kube-apiserver-arm64:@")', False),
    ('image("registry.k8s.io/kube-apiserver-arm64").containsDigest()', False),
    ('image("registry.k8s.io/kube-apiserver-arm64:latest").containsDigest()', False),
    (f'image("registry.k8s.io/kube-apiserver-arm64@{DIGEST}").containsDigest()', True),
    (f'image("registry.k8s.io/kube-apiserver-arm64:latest@{DIGEST}").containsDigest()', True),
    ('image("registry.k8s.io/kube-apiserver-arm64").registry() == "registry.k8s.io"', True),
    ('image("kube-apiserver-arm64:testtag").registry()', "index.docker.io"),
    ('image("registry.k8s.io/kube-apiserver-arm64").registry().matches("(registry.k8s.io|ghcr.io)")', True),
    ('image("registry.k8s.io/kube-apiserver-arm64").repository() == "kube-apiserver-arm64"', True),
    ('image("registry.k8s.io/kube-apiserver-arm64:testtag").identifier()', "testtag"),
    (f'image("registry.k8s.io/kube-apiserver-arm64@{DIGEST}").identifier()', DIGEST),
    (f'image("registry.k8s.io/kube-apiserver-arm64:latest@{DIGEST}").identifier()', DIGEST),
    ('image("registry.k8s.io/kube-apiserver-arm64").identifier()', "latest"),
    ('image("registry.k8s.io/kube-apiserver-arm64:testtag").tag()', "testtag"),
    ('image("registry.k8s.io/kube-apiserver-arm64").tag()', "latest"),
    (f'image("registry.k8s.io/kube-apiserver-arm64@{DIGEST}").tag()', ""),
    ('image("registry.k8s.io/kube-apiserver-arm64").digest()', ""),
    ('image("registry.k8s.io/kube-apiserver-arm64:testtag").digest()', ""),
    (f'image("registry.k8s.io/kube-apiserver-arm64@{DIGEST}").digest()', DIGEST),
    (f'image("registry.k8s.io/kube-apiserver-arm64:latest@{DIGEST}").digest() == "{DIGEST}"', True),
])
def test_image_answers_as_cel_go(expression, expected):
    got = value(expression)
    assert got == expected and type(got) is type(expected)


def test_image_parse_error_is_go_containerregistrys():
    assert error('image("registry.k8s.io/kube-apiserver-arm64:@")') == (
        "could not parse reference: registry.k8s.io/kube-apiserver-arm64:@")


def test_is_image_of_an_int_is_a_compile_error():
    assert ENV.compile("isImage(0)").error.startswith(
        "ERROR: <input>:1:8: found no matching overload for 'isImage' applied to '(int)'")


@pytest.mark.parametrize("reference, registry, repository, identifier", [
    ("nginx", "index.docker.io", "library/nginx", "latest"),
    ("nginx:", "index.docker.io", "library/nginx", "latest"),  # an empty tag is no tag to NewTag
    ("docker.io/nginx:1.27", "index.docker.io", "library/nginx", "1.27"),
    ("bitnami/redis", "index.docker.io", "bitnami/redis", "latest"),
    ("localhost:5000/team/app:v2", "localhost:5000", "team/app", "v2"),
    (f"nginx@{DIGEST}", "index.docker.io", "library/nginx", DIGEST),
])
def test_image_components_default_as_docker_hub(reference, registry, repository, identifier):
    image = 'image(object.ref)'
    assert value(f"[{image}.registry(), {image}.repository(), {image}.identifier()]",
                 object={"ref": reference}) == [registry, repository, identifier]


@pytest.mark.parametrize("reference", [
    "NGINX", "a", "nginx:bad tag", "nginx@sha256:abc", "reg istry.io/app", "nginx@a@b", "",
])
def test_image_rejects_what_parse_reference_rejects(reference):
    assert value("isImage(object.ref)", object={"ref": reference}) is False
    assert error("image(object.ref)", object={"ref": reference}) == f"could not parse reference: {reference}"


def test_images_are_equal_when_every_component_is():
    assert value('image("nginx") == image("nginx")') is True
    assert value('image("nginx") == image("nginx:latest")') is False  # the original text differs, as upstream


def test_image_is_the_kubernetes_image_type():
    assert str(value('type(image("nginx"))')) == "kubernetes.Image"


def test_string_of_another_opaque_value_is_a_type_conversion_error():
    assert error("string(dyn(quantity('1')))") == "type conversion error from 'kubernetes.Quantity' to 'string'"


# -- ip / cidr parse errors (ip_test.go, cidr_test.go; Go's net/netip for the inner texts) -----------------------

@pytest.mark.parametrize("expression, expected", [
    ('ip("192.168.0.1.0")', 'IP Address "192.168.0.1.0" parse error during conversion from string: '
                            'ParseAddr("192.168.0.1.0"): IPv4 address too long'),
    ('ip.isCanonical("127.0.0.1.0")', 'IP Address "127.0.0.1.0" parse error during conversion from string: '
                                      'ParseAddr("127.0.0.1.0"): IPv4 address too long'),
    ('ip("2001:db8:::68")', 'IP Address "2001:db8:::68" parse error during conversion from string: '
                            'ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit '
                            '(at ":68")'),
    ('cidr("192.168.0.0/")', "network address parse error during conversion from string: network address parse "
                             'error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after '
                             'slash: ""'),
    ('cidr("2001:db8::/")', "network address parse error during conversion from string: network address parse "
                            'error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after '
                            'slash: ""'),
    # parseIPAddr's and parseCIDR's own refusals (ip.go, cidr.go)
    ('ip("fe80::1%en0")', 'IP address "fe80::1%en0" with zone value is not allowed'),
    ('ip("::ffff:1.2.3.4")', 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed'),
    ('cidr("::ffff:1.2.3.4/120")', 'network address parse error during conversion from string: IPv4-mapped IPv6 '
                                   'address "::ffff:1.2.3.4/120" is not allowed'),
    # netip's other texts
    ('ip("1.02.3.4")', 'IP Address "1.02.3.4" parse error during conversion from string: ParseAddr("1.02.3.4"): '
                       "IPv4 field has octet with leading zero"),
    ('ip("1.2.3")', 'IP Address "1.2.3" parse error during conversion from string: ParseAddr("1.2.3"): IPv4 '
                    "address too short"),
    ('ip("1.2.3.256")', 'IP Address "1.2.3.256" parse error during conversion from string: ParseAddr("1.2.3.256"): '
                        "IPv4 field has value >255"),
    ('ip("1.2..4")', 'IP Address "1.2..4" parse error during conversion from string: ParseAddr("1.2..4"): IPv4 field '
                     'must have at least one digit (at ".4")'),
    ('ip("x")', 'IP Address "x" parse error during conversion from string: ParseAddr("x"): unable to parse IP'),
    ('ip("1::2::3")', 'IP Address "1::2::3" parse error during conversion from string: ParseAddr("1::2::3"): '
                      'multiple :: in address (at ":3")'),
    ('ip("1:2:3:4:5:6:7")', 'IP Address "1:2:3:4:5:6:7" parse error during conversion from string: '
                            'ParseAddr("1:2:3:4:5:6:7"): address string too short'),
    ('ip("10000::")', 'IP Address "10000::" parse error during conversion from string: ParseAddr("10000::"): IPv6 '
                      'field has value >=2^16 (at "10000::")'),
    ('cidr("10.0.0.0/33")', "network address parse error during conversion from string: network address parse "
                            'error during conversion from string: netip.ParsePrefix("10.0.0.0/33"): prefix length out '
                            "of range"),
    ('cidr("10.0.0.0/08")', "network address parse error during conversion from string: network address parse "
                            'error during conversion from string: netip.ParsePrefix("10.0.0.0/08"): bad bits after '
                            'slash: "08"'),
    ('cidr("10.0.0.0")', "network address parse error during conversion from string: network address parse error "
                         "during conversion from string: netip.ParsePrefix(\"10.0.0.0\"): no '/'"),
    ('cidr("fe80::1%eth0/64")', "network address parse error during conversion from string: network address parse "
                                'error during conversion from string: netip.ParsePrefix("fe80::1%eth0/64"): IPv6 '
                                "zones cannot be present in a prefix"),
])
def test_ip_and_cidr_parse_errors_are_upstreams(expression, expected):
    assert error(expression) == expected


@pytest.mark.parametrize("expression, expected", [
    ('isCIDR("10.0.0.0/8")', True), ('isCIDR("10.0.0.0")', False), ('isCIDR("1.2.3.0/255.255.255.0")', False),
    ('isCIDR("10.0.0.0/+8")', False), ('isIP("::")', True), ('isIP("1.2.3.4%eth0")', False),
    ('cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")', True),
    ('string(dyn(cidr("192.168.0.1/24").masked()))', "192.168.0.0/24"),
])
def test_go_accepts_what_kubernetes_accepts(expression, expected):
    assert value(expression) == expected
