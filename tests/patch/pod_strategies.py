"""Hypothesis strategies: Pod-like objects and strategic patches over the fields kauth's POD schema
describes (containers, initContainers, env, ports, volumeMounts, volumes, imagePullSecrets,
finalizers) plus plain maps (labels, annotations, nodeSelector) and atomic lists (args, tolerations).

Patches avoid the two things Go itself does not do deterministically: adding and deleting the same
scalar in one patch (`x` and `$deleteFromPrimitiveList/x` are processed in map order), and
everything else upstream rejects is fair game.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["a", "b", "c", "d"]
FINALIZERS = ["f/one", "f/two", "f/three", "f/four"]
ENV = ["E1", "E2", "E3"]
PORTS = [80, 81, 8080]
MOUNTS = ["/m1", "/m2", "/m3"]
VOLUMES = ["v1", "v2", "v3"]
LABEL_KEYS = ["app", "tier", "team", "x"]

short_text = st.sampled_from(["nginx", "busybox", "redis:7", "one", "two", ""])


def unique_by(items, key):
    seen, out = set(), []
    for item in items:
        if item[key] not in seen:
            seen.add(item[key])
            out.append(item)
    return out


def env_var(names=ENV):
    return st.fixed_dictionaries({"name": st.sampled_from(names)}, optional={"value": short_text})


def port():
    return st.fixed_dictionaries({"containerPort": st.sampled_from(PORTS)},
                                 optional={"protocol": st.sampled_from(["TCP", "UDP"]), "name": st.sampled_from(["http", "web"])})


def mount():
    return st.fixed_dictionaries({"mountPath": st.sampled_from(MOUNTS), "name": st.sampled_from(VOLUMES)},
                                 optional={"readOnly": st.booleans()})


def container(names=NAMES):
    return st.fixed_dictionaries(
        {"name": st.sampled_from(names), "image": short_text},
        optional={
            "env": st.lists(env_var(), max_size=3).map(lambda xs: unique_by(xs, "name")),
            "ports": st.lists(port(), max_size=2).map(lambda xs: unique_by(xs, "containerPort")),
            "volumeMounts": st.lists(mount(), max_size=2).map(lambda xs: unique_by(xs, "mountPath")),
            "args": st.lists(short_text, max_size=3),
            "imagePullPolicy": st.sampled_from(["Always", "IfNotPresent"]),
        },
    )


def volume():
    source = st.one_of(
        st.just({"emptyDir": {}}),
        st.builds(lambda n: {"configMap": {"name": n}}, short_text),
        st.builds(lambda n: {"secret": {"secretName": n}}, short_text),
    )
    return st.builds(lambda name, src: {"name": name, **src}, st.sampled_from(VOLUMES), source)


def string_map(keys=LABEL_KEYS):
    return st.dictionaries(st.sampled_from(keys), short_text, max_size=3)


def pod():
    metadata = st.fixed_dictionaries(
        {"name": st.just("p"), "namespace": st.just("default")},
        optional={
            "labels": string_map(),
            "annotations": string_map(["note", "owner"]),
            "finalizers": st.lists(st.sampled_from(FINALIZERS), unique=True, max_size=3),
        },
    )
    spec = st.fixed_dictionaries(
        {"containers": st.lists(container(), min_size=1, max_size=3).map(lambda xs: unique_by(xs, "name"))},
        optional={
            "initContainers": st.lists(container(), max_size=2).map(lambda xs: unique_by(xs, "name")),
            "volumes": st.lists(volume(), max_size=3).map(lambda xs: unique_by(xs, "name")),
            "imagePullSecrets": st.lists(st.builds(lambda n: {"name": n}, st.sampled_from(["r1", "r2", "r3"])),
                                         max_size=2).map(lambda xs: unique_by(xs, "name")),
            "nodeSelector": string_map(["disk", "zone"]),
            "tolerations": st.lists(st.builds(lambda k: {"key": k, "operator": "Exists"}, st.sampled_from(["k1", "k2"])),
                                    max_size=2),
            "restartPolicy": st.sampled_from(["Always", "Never"]),
        },
    )
    return st.builds(lambda m, s: {"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": s}, metadata, spec)


# -- patches ------------------------------------------------------------------------------------

def nullable_map(keys):
    return st.dictionaries(st.sampled_from(keys), st.one_of(st.none(), short_text), max_size=3)


@st.composite
def primitive_list_patch(draw, values=FINALIZERS):
    """A patch of a merging list of scalars: items, $deleteFromPrimitiveList, $setElementOrder."""
    out = {}
    items = draw(st.lists(st.sampled_from(values), unique=True, max_size=3))
    if draw(st.booleans()):
        out["finalizers"] = items
    if draw(st.integers(0, 3)) == 0:
        doomed = [v for v in values if v not in items]
        out["$deleteFromPrimitiveList/finalizers"] = draw(st.lists(st.sampled_from(doomed or values), unique=True, max_size=2))
    if draw(st.integers(0, 2)) == 0:
        extra = draw(st.lists(st.sampled_from(values), unique=True, max_size=2))
        order = list(items) + [v for v in extra if v not in items]
        out["$setElementOrder/finalizers"] = draw(st.permutations(order)) if draw(st.booleans()) else order
    return out


@st.composite
def keyed_list_patch(draw, field, item, key, names):
    """A patch of a list merged by `key`: new/changed items, $patch delete/replace, $setElementOrder."""
    items = draw(st.lists(item, max_size=3).map(lambda xs: unique_by(xs, key)))
    doomed = [n for n in names if n not in {i[key] for i in items}]
    for name in draw(st.lists(st.sampled_from(doomed), unique=True, max_size=1)) if doomed else []:
        items.append({key: name, "$patch": "delete"})
    if draw(st.integers(0, 9)) == 0:
        # Upstream rejects a trailing directive item when $setElementOrder ends at the last item.
        items.insert(draw(st.integers(0, len(items))), {"$patch": "replace"})
    out = {}
    if items or draw(st.booleans()):
        out[field] = items
    if draw(st.integers(0, 2)) == 0:
        kept = [{key: i[key]} for i in items if "$patch" not in i]
        extra = [{key: n} for n in draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
                 if n not in {k[key] for k in kept}]
        out[f"$setElementOrder/{field}"] = kept + extra
    return out


def container_patch():
    return st.fixed_dictionaries(
        {"name": st.sampled_from(NAMES)},
        optional={
            "image": st.one_of(st.none(), short_text),
            "env": st.lists(st.one_of(env_var(), st.builds(lambda n: {"name": n, "$patch": "delete"}, st.sampled_from(ENV))),
                            max_size=2).map(lambda xs: unique_by(xs, "name")),
            "ports": st.lists(port(), max_size=2).map(lambda xs: unique_by(xs, "containerPort")),
            "args": st.one_of(st.none(), st.lists(short_text, max_size=2)),
            "imagePullPolicy": st.none(),
        },
    )


@st.composite
def pod_patch(draw):
    metadata = {}
    if draw(st.booleans()):
        metadata["labels"] = draw(st.one_of(nullable_map(LABEL_KEYS), st.none(),
                                            nullable_map(LABEL_KEYS).map(lambda m: {"$patch": "replace", **m})))
    if draw(st.booleans()):
        metadata["annotations"] = draw(nullable_map(["note", "owner"]))
    if draw(st.booleans()):
        metadata.update(draw(primitive_list_patch()))
    spec = {}
    if draw(st.booleans()):
        spec.update(draw(keyed_list_patch("containers", container_patch(), "name", NAMES)))
    if draw(st.integers(0, 2)) == 0:
        spec.update(draw(keyed_list_patch("initContainers", container(), "name", NAMES)))
    if draw(st.integers(0, 2)) == 0:
        spec.update(draw(keyed_list_patch("volumes", volume(), "name", VOLUMES)))
    if draw(st.integers(0, 3)) == 0:
        spec.pop("$setElementOrder/volumes", None)
        spec["volumes"] = [dict(v, **{"$retainKeys": sorted(k for k in v if k != "$retainKeys")})
                           for v in draw(st.lists(volume(), min_size=1, max_size=2).map(lambda xs: unique_by(xs, "name")))]
    if draw(st.integers(0, 3)) == 0:
        spec["nodeSelector"] = draw(st.one_of(st.none(), nullable_map(["disk", "zone"])))
    if draw(st.integers(0, 3)) == 0:
        spec["tolerations"] = draw(st.one_of(st.none(), st.lists(
            st.builds(lambda k: {"key": k, "operator": "Exists"}, st.sampled_from(["k1", "k2", "k3"])), max_size=2)))
    if draw(st.integers(0, 4)) == 0:
        spec["restartPolicy"] = draw(st.one_of(st.none(), st.sampled_from(["Never", "OnFailure"])))
    patch = {}
    if metadata:
        patch["metadata"] = metadata
    if spec or draw(st.booleans()):
        patch["spec"] = spec
    return patch


# -- manifests for apply: a last-applied manifest, a new manifest, live drift ------------------

@st.composite
def apply_scenario(draw):
    """(last_applied_manifest or None, new_manifest, live_object) as kubectl apply sees them."""
    new = draw(pod())
    last = draw(st.one_of(st.none(), pod(), st.just(new)))
    # The live object: the last manifest (or the new one) as stored, plus drift from other writers.
    live = draw(pod()) if draw(st.integers(0, 3)) == 0 else _copy(last or new)
    if draw(st.booleans()):
        live["metadata"].setdefault("labels", {})["drift"] = "yes"
    if draw(st.booleans()):
        live["spec"]["containers"][0]["image"] = "drifted"
    if draw(st.booleans()):
        live["metadata"]["finalizers"] = draw(st.lists(st.sampled_from(FINALIZERS), unique=True, max_size=3))
    if draw(st.booleans()):
        live["spec"]["containers"][0].setdefault("terminationMessagePath", "/dev/termination-log")
    return last, new, live


def _copy(obj):
    import copy

    return copy.deepcopy(obj)
