"""The DenyServiceExternalIPs admission plugin, as plugin/pkg/admission/denyserviceexternalips (v1.37).

Expectations follow admission.go: Validate and isSubset, and its message.
"""

from __future__ import annotations

import pytest

from kauth.admission.chain import CREATE, DELETE, UPDATE, Attributes
from kauth.admission.deny_external_ips import DenyServiceExternalIPs
from kauth.api.errors import StatusError
from kauth.api.resources import ResourceTable
from kauth.authn.user import UserInfo

TABLE = ResourceTable.builtin()
SERVICES = TABLE.for_resource("", "v1", "services")
DENIED = 'services "web" is forbidden: Use of external IPs is denied by admission control'


def service(*ips: str, name: str = "web") -> dict:
    spec = {"ports": [{"port": 80}]}
    if ips:
        spec["externalIPs"] = list(ips)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "ns"}, "spec": spec}


def validate(new, old=None, operation: str | None = None, name: str = "web"):
    operation = operation or (UPDATE if old is not None else CREATE)
    attributes = Attributes(operation, SERVICES, "ns", name, new, old, UserInfo("alice"))
    return DenyServiceExternalIPs().validate(attributes, None)


def denied(new, old=None, **kw) -> StatusError:
    with pytest.raises(StatusError) as info:
        validate(new, old, **kw)
    return info.value


def test_create_without_external_ips_is_allowed():
    validate(service())


def test_create_with_external_ips_is_forbidden():
    err = denied(service("1.1.1.1"))
    assert (err.code, err.reason, err.message) == (403, "Forbidden", DENIED)


def test_create_with_empty_list_is_allowed():
    obj = service()
    obj["spec"]["externalIPs"] = []
    validate(obj)


def test_update_keeping_the_same_ips_is_allowed():
    validate(service("1.1.1.1", "2.2.2.2"), service("1.1.1.1", "2.2.2.2"))


def test_update_reordering_ips_is_allowed():
    validate(service("2.2.2.2", "1.1.1.1"), service("1.1.1.1", "2.2.2.2"))


def test_update_removing_ips_is_allowed():
    validate(service("1.1.1.1"), service("1.1.1.1", "2.2.2.2"))
    validate(service(), service("1.1.1.1"))


def test_update_adding_an_ip_is_forbidden():
    assert denied(service("1.1.1.1", "3.3.3.3"), service("1.1.1.1")).message == DENIED


def test_update_adding_the_first_ip_is_forbidden():
    assert denied(service("1.1.1.1"), service()).message == DENIED


def test_update_replacing_an_ip_is_forbidden():
    assert denied(service("2.2.2.2"), service("1.1.1.1")).message == DENIED


def test_ips_are_compared_as_written():
    # isSubset compares strings: "1.1.1.01" is not "1.1.1.1".
    assert denied(service("1.1.1.01"), service("1.1.1.1")).message == DENIED


def test_forbidden_names_generate_name_without_a_name():
    obj = service("1.1.1.1")
    obj["metadata"] = {"generateName": "web-"}
    assert denied(obj, name="").message == ('services "web-" is forbidden: '
                                            'Use of external IPs is denied by admission control')


def test_handles_service_create_and_update_only():
    plugin = DenyServiceExternalIPs()
    user = UserInfo("alice")
    assert plugin.handles(Attributes(CREATE, SERVICES, "ns", "web", service(), None, user))
    assert plugin.handles(Attributes(UPDATE, SERVICES, "ns", "web", service(), service(), user))
    assert not plugin.handles(Attributes(DELETE, SERVICES, "ns", "web", None, service(), user))
    assert not plugin.handles(Attributes(UPDATE, SERVICES, "ns", "web", service(), service(), user, "status"))
    pods = TABLE.for_resource("", "v1", "pods")
    assert not plugin.handles(Attributes(CREATE, pods, "ns", "web", service("1.1.1.1"), None, user))


def test_plugin_is_validating_only():
    assert not hasattr(DenyServiceExternalIPs(), "admit")


# --- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize("new, old", [("svc", None), (service(), "svc")])
def test_non_object_is_an_internal_error(new, old):
    err = denied(new, old, operation=UPDATE if old is not None else CREATE)
    assert (err.code, err.message) == (500, "Internal error occurred: Expected Service resource, got: /v1, Kind=Service")


@pytest.mark.parametrize("spec", [None, [], "x", {"externalIPs": "1.1.1.1"}])
def test_malformed_specs_are_left_to_validation(spec):
    validate({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec})


def test_non_string_ips_are_still_new():
    obj = service()
    obj["spec"]["externalIPs"] = [{"ip": "1.1.1.1"}]
    assert denied(obj).message == DENIED


def test_thousands_of_ips():
    ips = [f"10.{i // 256}.{i % 256}.1" for i in range(20000)]
    validate(service(*reversed(ips)), service(*ips))
    assert denied(service(*ips, "192.0.2.1"), service(*ips)).message == DENIED
