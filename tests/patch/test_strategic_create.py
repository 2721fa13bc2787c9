"""Creating strategic merge patches as kubectl v1.32 does: three-way for `kubectl apply`, two-way
for `kubectl edit`. Expected patches are the bodies the real kubectl sent (captured by a stub API
server), with the last-applied annotation left out of the inputs and the patch."""

from __future__ import annotations

import copy
import random

import pytest

from kauth.api.merge_meta import DEPLOYMENT, POD
from kauth.patch import (ConflictError, PatchError, PreconditionFailedError, apply_patch, create_three_way_patch,
                         create_two_way_patch)
from kauth.patch.strategic import KUBECTL_PRECONDITIONS, merging_maps_have_conflicts


def pod(**spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"}, "spec": spec}


NGINX = {"name": "nginx", "image": "nginx"}
LOG = {"name": "log", "image": "busybox"}


def with_metadata(obj: dict, **metadata) -> dict:
    out = copy.deepcopy(obj)
    out["metadata"].update(metadata)
    return out


# -- three-way (kubectl apply) ------------------------------------------------------------------

def test_apply_of_an_unchanged_manifest_with_unsorted_finalizers_still_sends_set_element_order():
    # Upstream sorts the live list in place while diffing, then sees it "changed".
    manifest = with_metadata(pod(containers=[NGINX]), finalizers=["b", "a"])
    assert create_three_way_patch(manifest, manifest, manifest, POD) == {"metadata": {"$setElementOrder/finalizers": ["b", "a"]}}


def test_apply_turns_a_removed_container_into_a_delete_directive():
    before, after = pod(containers=[NGINX, LOG]), pod(containers=[NGINX])
    assert create_three_way_patch(before, after, before, POD) == {
        "spec": {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"$patch": "delete", "name": "log"}]}}


def test_apply_removes_a_finalizers_field_dropped_from_the_manifest():
    before = with_metadata(pod(containers=[NGINX]), finalizers=["b", "a"])
    assert create_three_way_patch(before, pod(containers=[NGINX]), before, POD) == {"metadata": {"finalizers": None}}


def test_apply_sends_delete_from_primitive_list_for_a_removed_finalizer():
    before = with_metadata(pod(containers=[NGINX]), finalizers=["a", "b"])
    after = with_metadata(pod(containers=[NGINX]), finalizers=["a"])
    assert create_three_way_patch(before, after, before, POD) == {
        "metadata": {"$deleteFromPrimitiveList/finalizers": ["b"], "$setElementOrder/finalizers": ["a"]}}


def test_apply_sends_retain_keys_for_a_strategy_switch_and_deletes_only_what_was_applied():
    def deployment(spec):
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec}
    last = deployment({"replicas": 2, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}})
    manifest = deployment({"strategy": {"type": "Recreate"}})
    live = deployment({"replicas": 5, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}, "paused": False})
    assert create_three_way_patch(last, manifest, live, DEPLOYMENT) == {
        "spec": {"replicas": None, "strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"}}}


def test_apply_without_last_applied_deletes_nothing():
    live = pod(containers=[NGINX, LOG])
    assert create_three_way_patch(None, pod(containers=[NGINX]), live, POD) == {
        "spec": {"$setElementOrder/containers": [{"name": "nginx"}]}}


def test_apply_keeps_fields_set_by_other_writers():
    manifest = pod(containers=[NGINX])
    live = with_metadata(pod(containers=[dict(NGINX, terminationMessagePath="/dev/termination-log")], nodeName="n1"),
                         labels={"scaled-by": "hpa"})
    assert create_three_way_patch(manifest, manifest, live, POD) == {}


def test_apply_sends_an_explicit_null_from_the_manifest():
    manifest = pod(containers=[NGINX], nodeSelector=None)
    assert create_three_way_patch(pod(containers=[NGINX]), manifest, pod(containers=[NGINX]), POD) == {
        "spec": {"nodeSelector": None}}


def test_apply_reasserts_values_changed_live():
    manifest = pod(containers=[NGINX])
    live = pod(containers=[dict(NGINX, image="nginx:drifted")])
    patch = create_three_way_patch(manifest, manifest, live, POD)
    assert patch == {"spec": {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"image": "nginx", "name": "nginx"}]}}
    assert apply_patch(live, patch, POD) == manifest


def test_apply_with_overwrite_false_reports_the_conflict_like_kubectl():
    last = with_metadata(pod(containers=[NGINX]), labels={"app": "web"})
    live = with_metadata(pod(containers=[NGINX]), labels={"app": "canary"})
    manifest = with_metadata(pod(containers=[NGINX]), labels={"app": "prod"})
    with pytest.raises(ConflictError) as conflict:
        create_three_way_patch(last, manifest, live, POD, overwrite=False)
    assert str(conflict.value) == (
        "patch:\nmetadata:\n  labels:\n    app: prod\n\n"
        "conflicts with changes made from original to current:\nmetadata:\n  labels:\n    app: canary\n\n")


def test_conflict_check_panics_like_kubectl_when_an_atomic_list_runs_short_after_deduplication():
    # Found by the differential tests: slicesHaveConflicts compares equal-length scalar lists item by
    # item after deduplicating both, indexing the right one past its end (kubectl v1.32 panics).
    def with_args(*args):
        return pod(containers=[dict(NGINX, args=list(args))])
    with pytest.raises(PatchError) as panic:
        create_three_way_patch(with_args("p", "q", "r"), with_args("a", "b", "c"), with_args("a", "a", "a"), POD,
                               overwrite=False)
    assert str(panic.value) == "panic: runtime error: index out of range [1] with length 1"
    # A difference before the end is a conflict, found first.
    with pytest.raises(ConflictError):
        create_three_way_patch(with_args("p", "q", "r"), with_args("a", "b", "c"), with_args("c", "c", "c"), POD,
                               overwrite=False)


def test_conflict_yaml_quotes_and_literal_blocks_like_go_yaml():
    last = with_metadata(pod(containers=[NGINX]), annotations={"note": "a\n"}, labels={"on": "x"})
    live = with_metadata(pod(containers=[NGINX]), annotations={"note": "b\n"}, labels={"on": "yes"})
    manifest = with_metadata(pod(containers=[NGINX]), annotations={"note": "c\n"}, labels={"on": "1"})
    with pytest.raises(ConflictError) as conflict:
        create_three_way_patch(last, manifest, live, POD, overwrite=False)
    assert str(conflict.value) == (
        'patch:\nmetadata:\n  annotations:\n    note: |\n      c\n  labels:\n    "on": "1"\n\n'
        'conflicts with changes made from original to current:\nmetadata:\n  annotations:\n    note: |\n      b\n'
        '  labels:\n    "on": "yes"\n\n')


def test_apply_with_overwrite_false_passes_when_live_changes_do_not_overlap():
    last = pod(containers=[NGINX])
    live = with_metadata(pod(containers=[NGINX]), labels={"x": "1"})
    manifest = pod(containers=[dict(NGINX, image="nginx:2")])
    assert create_three_way_patch(last, manifest, live, POD, overwrite=False) == {
        "spec": {"$setElementOrder/containers": [{"name": "nginx"}], "containers": [{"image": "nginx:2", "name": "nginx"}]}}


# -- two-way (kubectl edit) ---------------------------------------------------------------------

def test_edit_adding_a_container_and_a_label():
    edited = with_metadata(pod(containers=[NGINX, LOG]), labels={"x": "1"})
    assert create_two_way_patch(pod(containers=[NGINX]), edited, POD) == {
        "metadata": {"labels": {"x": "1"}},
        "spec": {"$setElementOrder/containers": [{"name": "nginx"}, {"name": "log"}], "containers": [LOG]}}


def test_edit_reordering_containers_sends_only_the_order():
    assert create_two_way_patch(pod(containers=[NGINX, LOG]), pod(containers=[LOG, NGINX]), POD) == {
        "spec": {"$setElementOrder/containers": [{"name": "log"}, {"name": "nginx"}]}}


def test_edit_changing_the_kind_fails_its_precondition():
    with pytest.raises(PreconditionFailedError, match=r"^precondition failed for: map\[kind:Service\]$"):
        create_two_way_patch(pod(containers=[NGINX]), dict(pod(containers=[NGINX]), kind="Service"), POD,
                             preconditions=KUBECTL_PRECONDITIONS)


def test_two_way_patch_turns_original_into_modified():
    original = with_metadata(pod(containers=[NGINX, LOG], volumes=[{"name": "v", "emptyDir": {}}]), finalizers=["a", "b"])
    modified = with_metadata(pod(containers=[dict(LOG, args=["-v"]), NGINX], volumes=[{"name": "v", "configMap": {"name": "c"}}]),
                             finalizers=["c", "a"])
    patch = create_two_way_patch(original, modified, POD)
    assert patch["spec"]["volumes"] == [{"$retainKeys": ["configMap", "name"], "configMap": {"name": "c"}, "emptyDir": None, "name": "v"}]
    assert apply_patch(original, patch, POD) == modified


def test_creation_never_mutates_inputs():
    original = with_metadata(pod(containers=[NGINX, LOG]), finalizers=["b", "a"])
    modified = with_metadata(pod(containers=[LOG]), finalizers=["c"])
    current = with_metadata(pod(containers=[NGINX, LOG], nodeName="n"), finalizers=["b", "a", "z"])
    snapshot = copy.deepcopy((original, modified, current))
    create_three_way_patch(original, modified, current, POD, overwrite=False)
    create_two_way_patch(original, modified, POD)
    assert (original, modified, current) == snapshot


def test_merging_maps_have_conflicts_by_merge_key():
    left = {"spec": {"containers": [{"name": "a", "image": "1"}]}}
    assert merging_maps_have_conflicts(left, {"spec": {"containers": [{"name": "a", "image": "2"}]}}, POD)
    assert not merging_maps_have_conflicts(left, {"spec": {"containers": [{"name": "b", "image": "2"}]}}, POD)


def test_duplicate_keys_in_a_long_list_pair_up_as_go_sorts_them():
    # Duplicate env names are the classic surprise (k/k#58477): which copy is diffed against which
    # depends on Go's pdqsort, ported exactly; this patch is the one `kubectl edit` sent.
    env = [{"name": f"E{i % 7}", "value": str(i)} for i in range(20)]
    edited_env = copy.deepcopy(env)
    edited_env[3]["value"] = "chg"
    edited_env.insert(5, {"name": "E2", "value": "new"})
    patch = create_two_way_patch(pod(containers=[{"name": "c", "image": "x", "env": env}]),
                                 pod(containers=[{"name": "c", "image": "x", "env": edited_env}]), POD)
    assert patch["spec"]["containers"][0]["env"] == [
        {"name": "E0", "value": "7"}, {"name": "E0", "value": "0"}, {"name": "E1", "value": "15"},
        {"name": "E1", "value": "1"}, {"name": "E1", "value": "8"}, {"name": "E2", "value": "new"},
        {"name": "E2", "value": "9"}, {"name": "E3", "value": "chg"}, {"name": "E6", "value": "13"},
        {"name": "E6", "value": "6"}]


def test_duplicate_keys_in_a_list_long_enough_for_pdqsort_pattern_breaking():
    # 60 items: Go's sort.Sort partitions, breaks patterns (xorshift) and recurses; the pairing
    # below is what `kubectl edit` sent for this edit.
    rng = random.Random(3)
    env = [{"name": f"E{rng.randrange(9)}", "value": str(i)} for i in range(60)]
    edited_env = copy.deepcopy(env)
    edited_env[3]["value"] = "chg"
    edited_env.insert(5, {"name": "E2", "value": "new"})
    patch = create_two_way_patch(pod(containers=[{"name": "c", "image": "x", "env": env}]),
                                 pod(containers=[{"name": "c", "image": "x", "env": edited_env}]), POD)
    assert [(e["name"], e["value"]) for e in patch["spec"]["containers"][0]["env"]] == [
        ("E3", "50"), ("E3", "40"), ("E3", "58"), ("E3", "10"), ("E3", "0"), ("E3", "11"), ("E3", "18"),
        ("E2", "17"), ("E2", "54"), ("E2", "38"), ("E2", "new"), ("E2", "34"), ("E2", "19"), ("E2", "2"),
        ("E5", "chg"), ("E5", "55"), ("E5", "51"), ("E1", "36"), ("E1", "5"), ("E1", "23"),
        ("E0", "52"), ("E0", "27"), ("E0", "6"), ("E0", "22"), ("E0", "25"),
        ("E4", "28"), ("E4", "53"), ("E4", "43"), ("E4", "59"), ("E4", "26"), ("E4", "41"),
        ("E6", "42"), ("E6", "21"), ("E6", "46"), ("E6", "16"), ("E6", "49"), ("E6", "44"), ("E6", "31"), ("E6", "32")]
