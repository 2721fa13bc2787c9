"""Differential tests: random objects and patches through kauth.patch and through the real kubectl.

kubectl v1.32 runs the real Go code: `kubectl patch --local` applies strategic, merge and JSON
patches; `kubectl apply` and `kubectl edit` against a stub API server show the exact patch bodies
kubectl creates. Every example must give the same object, the same patch, or the same error text.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import differential as diff
import kubectl_oracle as oracle
import pod_strategies as pods
from differential import ours
from kauth.api.merge_meta import POD
from kauth.patch import create_three_way_merge_patch, create_three_way_patch, create_two_way_patch

pytestmark = [pytest.mark.kubectl, oracle.requires_kubectl]

# Each kubectl run costs ~0.1 s; these budgets keep the module around 20 s. For a deeper run:
# KAUTH_KUBECTL_EXAMPLES=10 python3 -m pytest tests/patch/test_patch_differential.py (10x as many).
SCALE = int(os.environ.get("KAUTH_KUBECTL_EXAMPLES", "1"))
QUICK = settings(max_examples=50 * SCALE, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
SLOW = settings(QUICK, max_examples=30 * SCALE)


# -- strategic merge patch: apply ---------------------------------------------------------------

@QUICK
@given(pods.pod(), pods.pod_patch())
def test_apply_patch_matches_kubectl_patch(obj, patch):
    diff.check_strategic(obj, patch, POD, oracle.patch_local(obj, patch, "strategic"))


# -- strategic merge patch: create --------------------------------------------------------------

def _pod(**metadata) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", **metadata},
            "spec": {"containers": [{"name": "c", "image": "i"}]}}


def _with_args(*args: str) -> dict:
    pod = _pod()
    pod["spec"]["containers"][0]["args"] = list(args)
    return pod


@SLOW
@given(pods.apply_scenario(), st.booleans())
# Found by hypothesis: the conflict check names the Go struct (ObjectMeta) that has no "$..." field.
@example((_pod(finalizers=["f/one"]), _pod(finalizers=[]), _pod(finalizers=["f/two"])), False)
# Found by hypothesis: kubectl panics comparing atomic lists that deduplicate to different lengths.
@example((None, _with_args("a", "b", "c"), _with_args("a", "a", "a")), False)
def test_three_way_patch_matches_kubectl_apply(scenario, overwrite):
    last, manifest, live = scenario
    current = oracle.applied(last, live) if last is not None else live
    original = json.loads(current["metadata"]["annotations"][oracle.LAST_APPLIED]) if last is not None else None
    mine, error = ours(create_three_way_patch, original, oracle.with_last_applied(manifest), current, POD, overwrite=overwrite)
    real = oracle.apply_patch_body(current, manifest, overwrite=overwrite)
    diff.check_patch_body(mine, error, real, lambda: oracle.apply_patch_body(current, manifest, overwrite=overwrite))


@SLOW
@given(pods.pod(), pods.pod())
def test_two_way_patch_matches_kubectl_edit(current, edited):
    assume(current != edited)  # kubectl edit cancels an unchanged edit before diffing
    mine, error = ours(create_two_way_patch, current, edited, POD)
    real = oracle.edit_patch_body(current, edited)
    assert real.error is None, real.error
    diff.check_patch_body(mine, error, real, lambda: real)


# -- JSON merge patch ---------------------------------------------------------------------------

keys = st.sampled_from(["a", "b", "c", "list"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "y"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
                           max_leaves=8)


def config_map(spec) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "spec": spec}


@QUICK
@given(st.dictionaries(keys, json_values, max_size=4), st.dictionaries(keys, json_values, max_size=4))
def test_merge_patch_matches_kubectl_patch(spec, patch):
    obj, body = config_map(spec), {"spec": patch}
    diff.check_merge(obj, body, oracle.patch_local(obj, body, "merge"))


def widget(spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "default"}, "spec": spec}


@SLOW
@given(st.one_of(st.none(), st.dictionaries(keys, json_values, max_size=4)), st.dictionaries(keys, json_values, max_size=4),
       st.dictionaries(keys, json_values, max_size=4))
def test_three_way_merge_patch_matches_kubectl_apply_for_custom_resources(last, manifest, live):
    current = oracle.applied(widget(last), widget(live)) if last is not None else widget(live)
    original = json.loads(current["metadata"]["annotations"][oracle.LAST_APPLIED]) if last is not None else None
    mine, error = ours(create_three_way_merge_patch, original, oracle.with_last_applied(widget(manifest)), current)
    real = oracle.apply_patch_body(current, widget(manifest))
    diff.check_patch_body(mine, error, real, lambda: real)


# -- JSON patch ---------------------------------------------------------------------------------

segments = st.sampled_from(["a", "b", "list", "0", "1", "-", "-1", "5", "x~1y", "~0"])
paths = st.lists(segments, min_size=1, max_size=3).map(lambda parts: "/spec/" + "/".join(parts))
operations = st.one_of(
    st.builds(lambda op, path, value: {"op": op, "path": path, "value": value},
              st.sampled_from(["add", "replace", "test"]), paths, json_values),
    st.builds(lambda path: {"op": "remove", "path": path}, paths),
    st.builds(lambda op, source, path: {"op": op, "from": source, "path": path}, st.sampled_from(["move", "copy"]), paths, paths),
)


@QUICK
@given(st.dictionaries(keys, json_values, max_size=4), st.lists(operations, min_size=1, max_size=4))
def test_json_patch_matches_kubectl_patch(spec, ops):
    obj = config_map({"a": {"b": [1, {"list": []}]}, "list": [0, 1], **spec})
    diff.check_json(obj, ops, oracle.patch_local(obj, ops, "json"))


# -- long lists with duplicate keys (Go's sort.Sort and sort.SliceStable decide the pairing) -----

env_lists = st.lists(st.builds(lambda n, v: {"name": f"E{n}", "value": str(v)}, st.integers(0, 9), st.integers(0, 99)),
                     min_size=10, max_size=70)


@settings(QUICK, max_examples=20 * SCALE)
@given(env_lists, st.lists(st.tuples(st.integers(0, 2), st.integers(0, 80), st.integers(0, 11)), min_size=1, max_size=3))
def test_duplicate_keyed_lists_match_kubectl_edit_and_patch(env, edits):
    def with_env(items):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
                "spec": {"containers": [{"name": "c", "image": "x", "env": items}]}}
    edited = [dict(e) for e in env]
    for op, at, name in edits:
        at %= len(edited) + 1
        if op == 0 and at < len(edited):
            edited.pop(at)
        elif op == 1:
            edited.insert(at, {"name": f"E{name}", "value": "new"})
        elif at < len(edited):
            edited[at]["value"] = "changed"
    assume(edited != env)
    current = with_env(env)
    real = oracle.edit_patch_body(current, with_env(edited))
    assert real.error is None, real.error
    patch = create_two_way_patch(current, with_env(edited), POD)
    diff.check_patch_body(patch, None, real, lambda: real)
    diff.check_strategic(current, patch, POD, oracle.patch_local(current, patch, "strategic"))
