"""Differences for people (kauth.api.changes): what compare and the admission trace print."""

from kauth.api.changes import field_changes


def lines(before, after):
    return [line for _, line in field_changes(before, after)]


def test_changed_added_and_removed_fields_one_line_each_sorted_by_path():
    before = {"spec": {"replicas": 5, "paused": True}, "metadata": {"labels": {"app": "web"}}}
    after = {"spec": {"replicas": 2}, "metadata": {"labels": {"app": "web", "tier": "front"}}}
    assert lines(before, after) == ['metadata.labels.tier: (none) → "front"',
                                    "spec.paused: true → (removed)",
                                    "spec.replicas: 5 → 2"]


def test_lists_compare_by_index_and_report_items_added_at_the_end():
    before = {"containers": [{"name": "a", "image": "x"}]}
    after = {"containers": [{"name": "a", "image": "y"}, {"name": "b"}]}
    assert lines(before, after) == ['containers[0].image: "x" → "y"', 'containers[1]: (none) → {"name": "b"}']


def test_json_types_differ_even_when_python_equal():
    assert lines({"a": 1}, {"a": 1.0}) == ["a: 1 → 1.0"]
    assert lines({"a": 1}, {"a": True}) == ["a: 1 → true"]


def test_long_values_are_shortened_and_deep_nesting_does_not_recurse():
    deep = current = {}
    for _ in range(5000):
        current["x"] = {}
        current = current["x"]
    assert len(lines({}, {"v": "y" * 100})[0]) < 80
    assert lines(deep, deep) == []
