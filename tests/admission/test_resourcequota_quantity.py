"""Quantity and ResourceList arithmetic (kauth/admission/quantity.py), as quota messages print it.

Upstream: k8s.io/apimachinery/pkg/api/resource/quantity.go (Add, Sub: "If the current value is zero, the
format of the quantity will be updated to the format of y") and k8s.io/apiserver/pkg/quota/v1/resources.go.
"""

from kauth.admission import quantity as qty


def q(text: str):
    parsed = qty.parse(text)
    assert parsed is not None, text
    return parsed


def test_adding_to_zero_takes_the_other_format():
    assert qty.text(qty.add(qty.zero(), q("1Gi"))) == "1Gi"


def test_adding_keeps_the_receiver_format():
    # 1Gi + 500M is not a whole number of Ki: printed as plain bytes in BinarySI.
    assert qty.text(qty.add(q("1Gi"), q("500M"))) == "1573741824"
    assert qty.text(qty.add(q("500M"), q("1Gi"))) == "1573741824"
    assert qty.text(qty.add(q("1Gi"), q("1Gi"))) == "2Gi"
    assert qty.text(qty.add(q("500m"), q("700m"))) == "1200m"


def test_subtract_with_non_negative_result():
    out = qty.subtract_non_negative({"cpu": q("1"), "memory": q("1Gi")}, {"cpu": q("2"), "pods": q("1")})
    assert {k: qty.text(v) for k, v in out.items()} == {"cpu": "0", "memory": "1Gi", "pods": "0"}


def test_exceeded_only_compares_resources_present_in_both():
    assert qty.exceeded({"cpu": q("2"), "memory": q("1")}, {"cpu": q("1"), "pods": q("0")}) == ["cpu"]


def test_pretty_sorts_by_name():
    assert qty.pretty({"requests.cpu": q("1"), "limits.cpu": q("2")}) == "limits.cpu=2,requests.cpu=1"


def test_resource_list_leaves_out_what_is_not_a_quantity():
    assert set(qty.resource_list({"cpu": "1", "memory": "lots", "pods": None, "gpu": True})) == {"cpu"}
    assert qty.resource_list(["cpu"]) == {} and qty.resource_list(None) == {}


def test_comparison_is_exact_at_any_size():
    assert qty.cmp(q("8Ei"), qty.add(q("8Ei"), q("1n"))) == -1
    assert qty.cmp(q("1e40"), q("1e40")) == 0
