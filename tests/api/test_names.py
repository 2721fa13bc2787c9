"""Names, labels and object metadata: cases ported from apimachinery's own tests.

Sources: staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go (good/bad value lists),
pkg/api/validate/content/kube_test.go, pkg/api/validation/objectmeta_test.go.
"""

from __future__ import annotations

import pytest

from kauth.api import names
from kauth.api.resources import ResourceTable, ResourceType

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
    "is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NAME_PART_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)

TABLE = ResourceTable.builtin()
POD = TABLE.for_kind("v1", "Pod")
NAMESPACE = TABLE.for_kind("v1", "Namespace")
SERVICE = TABLE.for_kind("v1", "Service")
ROLE = TABLE.for_kind("rbac.authorization.k8s.io/v1", "Role")
EVENT = TABLE.for_kind("v1", "Event")
TOKEN_REVIEW = TABLE.for_kind("authentication.k8s.io/v1", "TokenReview")


# --- TestIsDNS1123Label / TestIsDNS1123Subdomain / TestIsDNS1035Label ----------------------------------

@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a",
                                   "1--a--b--2", "a" * 63])
def test_dns1123_label_accepts(value):
    assert names.is_dns1123_label(value) == []


@pytest.mark.parametrize("value", ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_",
                                   "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ",
                                   "a ", " a", "a b", "1 ", " 1", "1 2", "a" * 64])
def test_dns1123_label_rejects(value):
    assert names.is_dns1123_label(value) != []


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a",
                                   "1--a--b--2", "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1",
                                   "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a",
                                   "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e",
                                   "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a" * 253])
def test_dns1123_subdomain_accepts(value):
    assert names.is_dns1123_subdomain(value) == []


@pytest.mark.parametrize("value", ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_",
                                   "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ",
                                   "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1",
                                   "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A", "A.B.C.D.E",
                                   "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b", "a;b", "a:b",
                                   "a%b", "a?b", "a$b", "a" * 254])
def test_dns1123_subdomain_rejects(value):
    assert names.is_dns1123_subdomain(value) != []


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a" * 63])
def test_dns1035_label_accepts(value):
    assert names.is_dns1035_label(value) == []


@pytest.mark.parametrize("value", ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1",
                                   "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".",
                                   "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2",
                                   "a" * 64])
def test_dns1035_label_rejects(value):
    assert names.is_dns1035_label(value) != []


def test_subdomain_message_is_upstream_regex_error():
    assert names.is_dns1123_subdomain("Bad_Name") == [SUBDOMAIN_MSG]


def test_label_with_dots_says_no_dots():
    assert names.is_dns1123_label("a.b") == ["must not contain dots"]


def test_label_message_is_upstream_regex_error():
    assert names.is_dns1123_label("A") == [LABEL_MSG]


def test_dns1035_message_is_upstream_regex_error():
    assert names.is_dns1035_label("1abc") == [DNS1035_MSG]


def test_too_long_subdomain_reports_length_and_format():
    assert names.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]
    assert names.is_dns1123_subdomain("A" * 254) == ["must be no more than 253 characters", SUBDOMAIN_MSG]


def test_too_long_label_reports_length():
    assert names.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


# --- TestIsValidPortNum / TestIsValidPortName / TestIsValidPercent / TestIsConfigMapKey ---------------

@pytest.mark.parametrize("port", [1, 2, 1000, 16384, 32768, 65535])
def test_port_number_accepts(port):
    assert names.is_valid_port_num(port) == []


@pytest.mark.parametrize("port", [0, -1, 65536, 100000])
def test_port_number_rejects(port):
    assert names.is_valid_port_num(port) == ["must be between 1 and 65535, inclusive"]


@pytest.mark.parametrize("value", ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"])
def test_port_name_accepts(value):
    assert names.is_valid_port_name(value) == []


@pytest.mark.parametrize("value", ["longerthan15characters", "", "a" * 16, "12345", "1-2-3-4", "-begin", "end-",
                                   "two--hyphens", "whois++"])
def test_port_name_rejects(value):
    assert names.is_valid_port_name(value) != []


def test_port_name_messages():
    assert names.is_valid_port_name("12345") == ["must contain at least one letter (a-z)"]
    assert names.is_valid_port_name("two--hyphens") == ["must not contain consecutive hyphens"]
    assert names.is_valid_port_name("-begin") == ["must not begin or end with a hyphen"]
    assert names.is_valid_port_name("whois++") == ["must contain only alpha-numeric characters (a-z, 0-9), and "
                                                   "hyphens (-)"]


@pytest.mark.parametrize("value", ["0%", "00000%", "1%", "01%", "99%", "100%", "101%"])
def test_percent_accepts(value):
    assert names.is_valid_percent(value) == []


@pytest.mark.parametrize("value", ["", "0", "100", "0.0%", "99.9%", "hundred", " 1%", "1% ", "-0%", "-1%", "+1%"])
def test_percent_rejects(value):
    assert names.is_valid_percent(value) != []


@pytest.mark.parametrize("value", ["a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this",
                                   "THIS_IS_GOOD", "so_is_this_17"])
def test_config_map_key_accepts(value):
    assert names.is_config_map_key(value) == []


@pytest.mark.parametrize("value", [".", "..", "..bad", "b*d", "bad!&bad"])
def test_config_map_key_rejects(value):
    assert names.is_config_map_key(value) != []


def test_config_map_key_dot_messages():
    assert names.is_config_map_key(".") == ["must not be '.'"]
    assert names.is_config_map_key("..bad") == ["must not start with '..'"]


@pytest.mark.parametrize("value", ["Accept-Encoding", "Host", "If-Modified-Since", "X-Forwarded-For", "a", "ab",
                                   "-a", "a-", "a--1--2--b", "--abc-123", "A", "AbC", "-A", "A--1--2--B"])
def test_http_header_name_accepts(value):
    assert names.is_http_header_name(value) == []


@pytest.mark.parametrize("value", ["Host:", "X-Forwarded-For:", "X-@Home", "", "_", "a_", "1_2", ".", "a.b", " ",
                                   "a b", "#a#", "^", ",", ";", "=", "<", "?", "@", "{"])
def test_http_header_name_rejects(value):
    assert names.is_http_header_name(value) != []


@pytest.mark.parametrize("value", ["*.example.com", "*.bar.com", "*.foo.bar.com"])
def test_wildcard_subdomain_accepts(value):
    assert names.is_wildcard_dns1123_subdomain(value) == []


@pytest.mark.parametrize("value", ["*.*.bar.com", "*.foo.*.com", "*bar.com", "f*.bar.com", "*"])
def test_wildcard_subdomain_rejects(value):
    assert names.is_wildcard_dns1123_subdomain(value) != []


@pytest.mark.parametrize("value", ["a/b", "a/b/c/d", "a.com/foo", "a.b.c.d/foo", "k8s.io/foo/bar", "k8s.io/FOO/BAR",
                                   "dev.k8s.io/more/path", "bbc.co.uk/path/goes/here", "10.0.0.1/foo",
                                   "hyphens-are-good.k8s.io/and-in-paths-too", "a" * 240 + ".k8s.io/a",
                                   "k8s.io/" + "a" * 240])
def test_domain_prefixed_path_accepts(value):
    assert names.is_domain_prefixed_path("f", value) == []


@pytest.mark.parametrize("value", [".", "...", "/b", "com", ".com", "a.b.c.d/foo?a=b", "a.b.c.d/foo#a", "Dev.k8s.io",
                                   ".foo.example.com", "*.example.com", "example.com/foo{}[]@^`",
                                   "underscores_are_bad.k8s.io", "underscores_are_bad.k8s.io/foo",
                                   "foo@bar.example.com", "foo@bar.example.com/foo", "a" * 247 + ".k8s.io"])
def test_domain_prefixed_path_rejects(value):
    assert names.is_domain_prefixed_path("f", value) != []


@pytest.mark.parametrize("value", ["-", ":", "_", "+a", ">a", "<a", "a.", "a..", "*a", "%a", "?a", "a:a", "a_a", "aAz",
                                   "~a", "|a", "a0a", "a9", "/a", "a ", "#a", "0a", "0 a", "'a", "(a", "@a"])
def test_relaxed_env_var_name_accepts(value):
    assert names.is_relaxed_env_var_name(value) == []


@pytest.mark.parametrize("value", ["", "=", "a=", "1=a", "a=b", "é"])
def test_relaxed_env_var_name_rejects(value):
    assert names.is_relaxed_env_var_name(value) != []


# --- TestIsQualifiedName / TestIsValidLabelValue (content.IsLabelKey / IsLabelValue) -------------------

@pytest.mark.parametrize("value", ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
                                   "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
                                   "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678",
                                   "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
                                   "requests.storage-foo", "a" * 63, "a" * 253 + "/" + "b" * 63])
def test_qualified_name_accepts(value):
    assert names.is_qualified_name(value) == []


@pytest.mark.parametrize("value", ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-",
                                   "only/one/slash", "Example.com/abc", "example_com/abc", "example.com/", "/simple",
                                   "a" * 64, "a" * 254 + "/abc"])
def test_qualified_name_rejects(value):
    assert names.is_qualified_name(value) != []


def test_qualified_name_messages():
    assert names.is_qualified_name("cantendwithadash-") == [NAME_PART_MSG]
    assert names.is_qualified_name("example.com/") == ["name part must be non-empty", NAME_PART_MSG]
    assert names.is_qualified_name("/simple") == ["prefix part must be non-empty"]
    assert names.is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]
    assert names.is_qualified_name("Example.com/abc") == ["prefix part " + SUBDOMAIN_MSG]
    assert names.is_qualified_name("only/one/slash") == [
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
        "(e.g. 'example.com/MyName')"]


@pytest.mark.parametrize("value", ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234",
                                   "a" * 63, ""])
def test_label_value_accepts(value):
    assert names.is_label_value(value) == []


@pytest.mark.parametrize("value", ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                                   "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.",
                                   "a" * 64])
def test_label_value_rejects(value):
    assert names.is_label_value(value) != []


def test_label_value_message():
    assert names.is_label_value("-x") == [LABEL_VALUE_MSG]


# --- path segment names (content/path.go) --------------------------------------------------------

@pytest.mark.parametrize("value,expected", [(".", ["may not be '.'"]), ("..", ["may not be '..'"]),
                                            ("a/b", ["may not contain '/'"]), ("a%b", ["may not contain '%'"]),
                                            ("a/%", ["may not contain '/'", "may not contain '%'"]),
                                            ("Any:Thing.Else", [])])
def test_path_segment_name(value, expected):
    assert names.is_path_segment_name(value) == expected


def test_generate_name_prefix_masks_trailing_dash():
    assert names.name_is_dns_subdomain("web-", prefix=True) == []
    assert names.name_is_dns_subdomain("web-", prefix=False) == [SUBDOMAIN_MSG]


# --- validate_object_meta (ValidateObjectMeta / ValidateObjectMetaUpdate) ---------------------------

def meta_errors(rt, meta, old_meta=None):
    obj = {"metadata": meta}
    old = None if old_meta is None else {"metadata": old_meta}
    return [str(e) for e in names.validate_object_meta(rt, obj, old)]


def test_name_required_without_generate_name():
    assert meta_errors(POD, {"namespace": "default"}) == [
        "metadata.name: Required value: name or generateName is required"]


def test_generate_name_alone_is_accepted():
    assert meta_errors(POD, {"generateName": "web-", "namespace": "default"}) == []


def test_bad_generate_name_is_reported_on_generate_name():
    assert meta_errors(POD, {"generateName": "Web-", "namespace": "default"}) == [
        'metadata.generateName: Invalid value: "Web-": ' + SUBDOMAIN_MSG]


def test_name_checked_by_the_kinds_rule():
    assert meta_errors(POD, {"name": "Bad_Name", "namespace": "default"}) == [
        'metadata.name: Invalid value: "Bad_Name": ' + SUBDOMAIN_MSG]
    assert meta_errors(SERVICE, {"name": "1svc", "namespace": "default"}) == [
        'metadata.name: Invalid value: "1svc": ' + DNS1035_MSG]
    assert meta_errors(NAMESPACE, {"name": "a.b"}) == ['metadata.name: Invalid value: "a.b": must not contain dots']
    assert meta_errors(ROLE, {"name": "system:role", "namespace": "default"}) == []
    assert meta_errors(ROLE, {"name": "a/b", "namespace": "default"}) == [
        "metadata.name: Invalid value: \"a/b\": may not contain '/'"]


def test_kinds_without_a_name_rule_only_require_a_name():
    assert meta_errors(EVENT, {"name": "Not_A_DNS_Name", "namespace": "default"}) == []
    assert meta_errors(EVENT, {"namespace": "default"}) == [
        "metadata.name: Required value: name or generateName is required"]


def test_create_only_reviews_ignore_metadata():
    assert meta_errors(TOKEN_REVIEW, {}) == []


def test_long_name_reports_the_limit():
    assert meta_errors(POD, {"name": "a" * 254, "namespace": "default"}) == [
        f'metadata.name: Invalid value: "{"a" * 254}": must be no more than 253 characters']


def test_namespaced_kind_requires_a_namespace():
    assert meta_errors(POD, {"name": "p"}) == ["metadata.namespace: Required value"]


def test_namespace_must_be_a_dns_label():
    # TestValidateObjectMetaNamespaces
    assert meta_errors(POD, {"name": "test", "namespace": "foo.bar"}) == [
        'metadata.namespace: Invalid value: "foo.bar": must not contain dots']
    errs = meta_errors(POD, {"name": "test", "namespace": "A" * 64})
    assert len(errs) == 2 and all("Invalid value" in e for e in errs)


def test_cluster_scoped_kind_forbids_namespace():
    assert meta_errors(NAMESPACE, {"name": "dev", "namespace": "x"}) == [
        "metadata.namespace: Forbidden: not allowed on this type"]


def test_bad_label_key_and_value():
    assert meta_errors(POD, {"name": "p", "namespace": "d", "labels": {"bad key": "-v"}}) == [
        'metadata.labels: Invalid value: "bad key": ' + NAME_PART_MSG,
        'metadata.labels: Invalid value: "-v": ' + LABEL_VALUE_MSG,
    ]


def test_annotation_keys_are_case_insensitive_qualified_names():
    assert meta_errors(POD, {"name": "p", "namespace": "d", "annotations": {"Example.com/Key": "v"}}) == []
    assert meta_errors(POD, {"name": "p", "namespace": "d", "annotations": {"a b": "v"}}) == [
        'metadata.annotations: Invalid value: "a b": ' + NAME_PART_MSG]


def test_annotations_total_size_limit():
    big = {"a": "x" * (256 * 1024)}
    assert meta_errors(POD, {"name": "p", "namespace": "d", "annotations": big}) == [
        "metadata.annotations: Too long: may not be more than 262144 bytes"]
    fits = {"a": "x" * (256 * 1024 - 1)}
    assert meta_errors(POD, {"name": "p", "namespace": "d", "annotations": fits}) == []


@pytest.mark.parametrize("refs,expected", [
    # TestValidateObjectMetaOwnerReferences
    ([{"apiVersion": "customresourceVersion", "kind": "customresourceKind", "name": "name", "uid": "1"}], []),
    ([{"apiVersion": "v1", "kind": "Event", "name": "name", "uid": "1"}],
     ['metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"name", '
      'UID:"1", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being '
      'an owner']),
    ([{"apiVersion": "v1", "kind": "Pod", "name": "name", "uid": "1"}], []),
    ([{"kind": "Pod", "name": "n", "uid": "1"}],
     ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty']),
    ([{"apiVersion": "v1"}],
     ['metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty']),
])
def test_owner_references(refs, expected):
    assert meta_errors(POD, {"name": "test", "namespace": "test", "ownerReferences": refs}) == expected


def test_only_one_owner_reference_may_be_the_controller():
    refs = [{"apiVersion": "v", "kind": f"customresourceKind{i}", "name": "name", "uid": str(i),
             "controller": i in (2, 3)} for i in range(1, 5)]
    errs = meta_errors(POD, {"name": "test", "namespace": "test", "ownerReferences": refs})
    assert len(errs) == 1
    assert errs[0].endswith('Only one reference can have Controller set to true. Found "true" in references for '
                            'customresourceKind2/name and customresourceKind3/name')


def test_conflicting_finalizers():
    # TestValidateFinalizersPreventConflictingFinalizers
    errs = meta_errors(NAMESPACE, {"name": "test", "finalizers": ["orphan", "foregroundDeletion"]})
    assert errs == ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan '
                    'and foregroundDeletion cannot be both set']


def test_unqualified_finalizer_must_be_standard():
    assert meta_errors(POD, {"name": "p", "namespace": "d", "finalizers": ["foo", "example.com/foo", "kubernetes"]}) \
        == ['metadata.finalizers[0]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully '
            'qualified']


def test_custom_resources_skip_the_builtin_finalizer_rule():
    custom = ResourceType("example.com", "v1", "Widget", "widgets", True, schema=None)
    assert custom.is_custom
    assert meta_errors(custom, {"name": "w", "namespace": "d", "finalizers": ["foo"]}) == []


@pytest.mark.parametrize("old,new,expected", [
    # TestValidateFinalizersUpdate
    ({"finalizers": ["x/a"], "deletionTimestamp": "t"}, {"finalizers": ["x/a", "y/b"], "deletionTimestamp": "t"},
     ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new '
      'finalizers []string{"y/b"}']),
    ({"finalizers": ["x/a"], "deletionTimestamp": "t"}, {"finalizers": ["x/b"], "deletionTimestamp": "t"},
     ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new '
      'finalizers []string{"x/b"}']),
    ({"finalizers": ["x/a", "y/b"], "deletionTimestamp": "t"}, {"finalizers": ["x/a"], "deletionTimestamp": "t"}, []),
    ({"finalizers": ["x/a"]}, {"finalizers": ["x/a", "y/b"]}, []),
])
def test_finalizers_on_update(old, new, expected):
    base = {"name": "test", "namespace": "d", "resourceVersion": "1"}
    assert meta_errors(POD, {**base, **new}, {**base, **old}) == expected


@pytest.mark.parametrize("old,new,expected", [
    # TestValidateObjectMetaUpdatePreventsDeletionFieldMutation
    ({}, {}, []),
    ({"deletionTimestamp": "1970-01-01T00:16:40Z"}, {"deletionTimestamp": "1970-01-01T00:16:40Z"}, []),
    ({}, {"deletionTimestamp": "1970-01-01T00:16:40Z"},
     ['metadata.deletionTimestamp: Invalid value: "1970-01-01T00:16:40Z": field is immutable']),
    ({"deletionTimestamp": "1970-01-01T00:16:40Z"}, {},
     ["metadata.deletionTimestamp: Invalid value: null: field is immutable"]),
    ({"deletionTimestamp": "1970-01-01T00:16:40Z"}, {"deletionTimestamp": "1970-01-01T00:33:20Z"},
     ['metadata.deletionTimestamp: Invalid value: "1970-01-01T00:33:20Z": field is immutable']),
    ({}, {"deletionGracePeriodSeconds": 30},
     ["metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable"]),
])
def test_deletion_fields_are_immutable(old, new, expected):
    base = {"name": "test", "namespace": "d", "resourceVersion": "1"}
    assert meta_errors(POD, {**base, **new}, {**base, **old}) == expected


def test_name_namespace_uid_are_immutable_on_update():
    old = {"name": "a", "namespace": "d", "uid": "1"}
    assert meta_errors(POD, {"name": "b", "namespace": "e", "uid": "2"}, old) == [
        'metadata.name: Invalid value: "b": field is immutable',
        'metadata.namespace: Invalid value: "e": field is immutable',
        'metadata.uid: Invalid value: "2": field is immutable',
    ]


def test_omitted_uid_and_creation_timestamp_are_taken_from_the_stored_object():
    old = {"name": "a", "namespace": "d", "uid": "1", "creationTimestamp": "2024-01-01T00:00:00Z"}
    assert meta_errors(POD, {"name": "a", "namespace": "d"}, old) == []


def test_labels_are_checked_on_update_too():
    old = {"name": "a", "namespace": "d"}
    assert meta_errors(POD, {"name": "a", "namespace": "d", "labels": {"k": "-"}}, old) == [
        'metadata.labels: Invalid value: "-": ' + LABEL_VALUE_MSG]


def test_label_selector_requirements():
    errs = [str(e) for e in names.validate_label_selector(
        {"matchExpressions": [{"key": "a", "operator": "In"}, {"key": "b", "operator": "Exists", "values": ["x"]},
                              {"key": "c", "operator": "Near"}]}, "spec.selector")]
    assert errs == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or "
        "'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
        "'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]


@pytest.mark.parametrize("selector,labels,matches", [
    ({"matchLabels": {"app": "web"}}, {"app": "web", "tier": "x"}, True),
    ({"matchLabels": {"app": "web"}}, {"app": "db"}, False),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]}, {"app": "b"}, True),
    ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]}, {}, True),
    ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, {}, False),
    ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, {"app": "x"}, False),
    ({}, {"anything": "goes"}, True),
    (None, {"app": "web"}, False),
])
def test_selector_matches(selector, labels, matches):
    assert names.selector_matches(selector, labels) is matches
