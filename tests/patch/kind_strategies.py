"""Hypothesis strategies for the kinds beyond Pod: Deployment, DaemonSet, StatefulSet (a pod template
inside each), Service, ConfigMap; strategic patches with every directive for each; and two generic
patch shapes that work on any object: a JSON merge patch and a JSON patch drawn from the object.

The pod pieces (containers, volumes, the pod patch) come from pod_strategies. Service ports are
merged by `port` alone, so 53/TCP and 53/UDP in one list collide, as kubectl's own ones do.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

import pod_strategies as pods
from pod_strategies import nullable_map, short_text, string_map, unique_by

KINDS = ["Pod", "Deployment", "DaemonSet", "StatefulSet", "Service", "ConfigMap"]
SELECTOR_KEYS = ["app", "tier"]
INTS = st.integers(0, 3)
INT_OR_PERCENT = st.one_of(st.integers(0, 2), st.sampled_from(["25%", "50%"]))


def metadata():
    return st.fixed_dictionaries(
        {"name": st.just("x"), "namespace": st.just("default")},
        optional={
            "labels": string_map(),
            "annotations": string_map(["note", "owner"]),
            "finalizers": st.lists(st.sampled_from(pods.FINALIZERS), unique=True, max_size=3),
        },
    )


def label_selector():
    expression = st.fixed_dictionaries({"key": st.sampled_from(SELECTOR_KEYS), "operator": st.sampled_from(["In", "Exists"])},
                                       optional={"values": st.lists(short_text, max_size=2)})
    return st.fixed_dictionaries({}, optional={"matchLabels": string_map(SELECTOR_KEYS),
                                               "matchExpressions": st.lists(expression, max_size=2)})


def pod_template():
    pod = pods.pod()
    return st.builds(lambda p, m: {"metadata": m, "spec": p["spec"]}, pod,
                     st.fixed_dictionaries({}, optional={"labels": string_map(), "annotations": string_map(["note"])}))


def deployment_strategy():
    rolling = st.fixed_dictionaries({}, optional={"maxSurge": INT_OR_PERCENT, "maxUnavailable": INT_OR_PERCENT})
    return st.one_of(st.just({"type": "Recreate"}),
                     st.fixed_dictionaries({"type": st.just("RollingUpdate")}, optional={"rollingUpdate": rolling}),
                     st.fixed_dictionaries({}, optional={"rollingUpdate": rolling}))


def daemon_set_strategy():
    rolling = st.fixed_dictionaries({}, optional={"maxSurge": INT_OR_PERCENT, "maxUnavailable": INT_OR_PERCENT})
    return st.one_of(st.just({"type": "OnDelete"}),
                     st.fixed_dictionaries({"type": st.just("RollingUpdate")}, optional={"rollingUpdate": rolling}))


def stateful_set_strategy():
    rolling = st.fixed_dictionaries({}, optional={"partition": INTS, "maxUnavailable": INT_OR_PERCENT})
    return st.one_of(st.just({"type": "OnDelete"}),
                     st.fixed_dictionaries({"type": st.just("RollingUpdate")}, optional={"rollingUpdate": rolling}))


CLAIMS = ["data", "logs", "cache"]


def claim_template():
    spec = st.fixed_dictionaries({"accessModes": st.lists(st.sampled_from(["ReadWriteOnce", "ReadOnlyMany"]), unique=True,
                                                           min_size=1, max_size=2)},
                                 optional={"resources": st.builds(lambda s: {"requests": {"storage": s}},
                                                                  st.sampled_from(["1Gi", "2Gi"])),
                                           "storageClassName": short_text})
    return st.builds(lambda name, s: {"metadata": {"name": name}, "spec": s}, st.sampled_from(CLAIMS), spec)


def workload(kind: str):
    common = {"selector": label_selector(), "template": pod_template()}
    optional = {"minReadySeconds": INTS, "revisionHistoryLimit": INTS}
    if kind == "Deployment":
        optional.update(replicas=INTS, strategy=deployment_strategy(), paused=st.booleans(), progressDeadlineSeconds=INTS)
    elif kind == "DaemonSet":
        optional.update(updateStrategy=daemon_set_strategy())
    else:
        optional.update(
            replicas=INTS, serviceName=short_text, updateStrategy=stateful_set_strategy(),
            podManagementPolicy=st.sampled_from(["OrderedReady", "Parallel"]),
            volumeClaimTemplates=st.lists(claim_template(), max_size=2).map(lambda xs: unique_by_name(xs)),
            persistentVolumeClaimRetentionPolicy=st.fixed_dictionaries(
                {}, optional={"whenDeleted": st.sampled_from(["Retain", "Delete"]), "whenScaled": st.sampled_from(["Retain", "Delete"])}),
            ordinals=st.builds(lambda n: {"start": n}, INTS),
        )
    return st.builds(lambda m, s: {"apiVersion": "apps/v1", "kind": kind, "metadata": m, "spec": s},
                     metadata(), st.fixed_dictionaries(common, optional=optional))


def unique_by_name(claims):
    seen, out = set(), []
    for claim in claims:
        if claim["metadata"]["name"] not in seen:
            seen.add(claim["metadata"]["name"])
            out.append(claim)
    return out


SERVICE_PORTS = [53, 80, 443]


def service_port():
    return st.fixed_dictionaries({"port": st.sampled_from(SERVICE_PORTS)},
                                 optional={"protocol": st.sampled_from(["TCP", "UDP"]), "name": st.sampled_from(["dns", "web", "tls"]),
                                           "targetPort": st.one_of(st.integers(8080, 8081), st.sampled_from(["http", "dns"])),
                                           "nodePort": st.sampled_from([30053, 30080])})


def service_ports():
    # Unique by (port, protocol) as the API server requires, yet 53/TCP and 53/UDP may both be there.
    return st.lists(service_port(), max_size=4).map(lambda xs: unique_by_pair(xs))


def unique_by_pair(ports):
    seen, out = set(), []
    for p in ports:
        pair = (p["port"], p.get("protocol", "TCP"))
        if pair not in seen:
            seen.add(pair)
            out.append(p)
    return out


def service():
    spec = st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]),
        "selector": string_map(SELECTOR_KEYS),
        "ports": service_ports(),
        "clusterIP": st.sampled_from(["None", "10.0.0.1"]),
        "externalIPs": st.lists(st.sampled_from(["1.1.1.1", "2.2.2.2"]), unique=True, max_size=2),
        "sessionAffinity": st.sampled_from(["None", "ClientIP"]),
        "ipFamilies": st.lists(st.sampled_from(["IPv4", "IPv6"]), unique=True, max_size=2),
    })
    return st.builds(lambda m, s: {"apiVersion": "v1", "kind": "Service", "metadata": m, "spec": s}, metadata(), spec)


DATA_KEYS = ["a.conf", "b", "c"]


def config_map():
    fields = st.fixed_dictionaries({}, optional={
        "data": string_map(DATA_KEYS),
        "binaryData": st.dictionaries(st.sampled_from(DATA_KEYS), st.sampled_from(["AA==", "aGk="]), max_size=2),
        "immutable": st.booleans(),
    })
    return st.builds(lambda m, f: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": m, **f}, metadata(), fields)


def objects(kind: str):
    """Objects of `kind`, as a user or the API server would have them."""
    if kind == "Pod":
        return pods.pod().map(lambda p: dict(p, metadata=dict(p["metadata"], name="x")))
    if kind in ("Deployment", "DaemonSet", "StatefulSet"):
        return workload(kind)
    return service() if kind == "Service" else config_map()


# -- strategic patches ------------------------------------------------------------------------------

@st.composite
def map_patch(draw, keys):
    """A patch of a plain map: set or null keys, sometimes with `$patch: replace|merge|delete`."""
    out = draw(nullable_map(keys))
    roll = draw(st.integers(0, 9))
    if roll == 0:
        return {"$patch": "replace", **{k: v for k, v in out.items() if v is not None}}
    if roll == 1:
        return {"$patch": "merge", **out}
    if roll == 2:
        return {"$patch": "delete"}
    return out


@st.composite
def metadata_patch(draw):
    out = {}
    if draw(st.booleans()):
        out["labels"] = draw(st.one_of(st.none(), map_patch(pods.LABEL_KEYS)))
    if draw(st.integers(0, 2)) == 0:
        out["annotations"] = draw(map_patch(["note", "owner"]))
    if draw(st.integers(0, 2)) == 0:
        out.update(draw(pods.primitive_list_patch()))
    return out


@st.composite
def retained(draw, value):
    """A union struct patch (`strategy`, `updateStrategy`): `$retainKeys` naming its keys, or not."""
    value = dict(value)
    roll = draw(st.integers(0, 3))
    if roll == 0:
        value["$retainKeys"] = sorted(value)
    elif roll == 1:
        value["$retainKeys"] = sorted(set(value) | set(draw(st.lists(st.sampled_from(["type", "rollingUpdate"]), max_size=2))))
    elif roll == 2:
        value["$patch"] = draw(st.sampled_from(["replace", "merge"]))
    return value


@st.composite
def template_patch(draw):
    patch = draw(pods.pod_patch())
    if draw(st.integers(0, 4)) == 0:
        patch["$patch"] = "merge"
    return patch


def nullable(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def strategic_patch(draw, kind: str):
    """A strategic merge patch for `kind`: its maps, merging lists and union structs, with directives."""
    if kind == "Pod":
        patch = draw(pods.pod_patch())
        if draw(st.booleans()):
            patch.setdefault("metadata", {}).update(draw(metadata_patch()))
        return patch
    patch = {}
    meta = draw(metadata_patch())
    if meta:
        patch["metadata"] = meta
    if kind == "ConfigMap":
        for name, keys in (("data", DATA_KEYS), ("binaryData", DATA_KEYS)):
            if draw(st.booleans()):
                patch[name] = draw(st.one_of(st.none(), map_patch(keys)))
        if draw(st.integers(0, 4)) == 0:
            patch["immutable"] = draw(nullable(st.booleans()))
        return patch
    spec = {}
    if kind == "Service":
        if draw(st.booleans()):
            spec.update(draw(pods.keyed_list_patch("ports", service_port(), "port", SERVICE_PORTS)))
        if draw(st.integers(0, 2)) == 0:
            spec["selector"] = draw(nullable(map_patch(SELECTOR_KEYS)))
        if draw(st.integers(0, 3)) == 0:
            spec["externalIPs"] = draw(nullable(st.lists(st.sampled_from(["1.1.1.1", "3.3.3.3"]), unique=True, max_size=2)))
        if draw(st.integers(0, 3)) == 0:
            spec["type"] = draw(nullable(st.sampled_from(["ClusterIP", "NodePort"])))
    else:
        if draw(st.booleans()):
            spec["template"] = draw(st.one_of(st.none(), template_patch()))
        if draw(st.integers(0, 3)) == 0:
            spec["selector"] = draw(st.one_of(st.none(), st.fixed_dictionaries(
                {}, optional={"matchLabels": nullable(map_patch(SELECTOR_KEYS)), "matchExpressions": st.none()})))
        union = {"Deployment": ("strategy", deployment_strategy()), "DaemonSet": ("updateStrategy", daemon_set_strategy()),
                 "StatefulSet": ("updateStrategy", stateful_set_strategy())}[kind]
        if draw(st.booleans()):
            spec[union[0]] = draw(st.one_of(st.none(), union[1].flatmap(retained)))
        if draw(st.integers(0, 3)) == 0:
            spec["minReadySeconds"] = draw(nullable(INTS))
        if kind == "StatefulSet" and draw(st.integers(0, 2)) == 0:
            spec["volumeClaimTemplates"] = draw(nullable(st.lists(claim_template(), max_size=2).map(unique_by_name)))
        if kind == "StatefulSet" and draw(st.integers(0, 3)) == 0:
            spec["persistentVolumeClaimRetentionPolicy"] = draw(nullable(map_patch(["whenDeleted", "whenScaled"])).map(
                lambda m: m and {k: ("Retain" if v == "" else v) for k, v in m.items()}))
    if spec or draw(st.integers(0, 4)) == 0:
        patch["spec"] = spec
    return patch


# -- patches drawn from an object: JSON merge patch and JSON patch --------------------------------

@st.composite
def merge_patch_between(draw, current: dict, other: dict):
    """A JSON merge patch with parts of `other` (another object of the kind) and nulls for parts of
    `current`: what `kubectl patch --type merge` users write, and more."""
    def walk(cur, oth, depth):
        out = {}
        for key in sorted(set(cur) | set(oth)):
            if (depth == 1 and key in ("name", "namespace")) or (depth == 0 and key in ("apiVersion", "kind")):
                continue  # batch items are told apart by name, and kubectl decodes the result by kind
            roll = draw(st.integers(2, 5) if depth == 0 and key == "metadata" else st.integers(0, 5))
            if roll == 0 and key in cur:
                out[key] = None
            elif roll == 1 and key in oth:
                out[key] = copy.deepcopy(oth[key])
            elif roll == 2 and isinstance(cur.get(key), dict) and isinstance(oth.get(key, {}), dict):
                sub = walk(cur[key], oth.get(key, {}), depth + 1)
                if sub or draw(st.booleans()):
                    out[key] = sub
        return out
    return walk(current, other, 0)


def _paths(value, prefix=""):
    """Every JSON pointer into `value` (below the root)."""
    out = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        path = f"{prefix}/{str(key).replace('~', '~0').replace('/', '~1')}"
        out.append(path)
        out.extend(_paths(child, path))
    return out


def _writable(path: str) -> bool:
    # Batch items are told apart by name: leave metadata.name/namespace and the top level alone.
    return path.count("/") > 1 and not path.startswith(("/metadata/name", "/metadata/namespace", "/apiVersion", "/kind"))


@st.composite
def json_patch_for(draw, obj: dict):
    """An RFC 6902 patch whose paths mostly exist in `obj` (and sometimes just past its end)."""
    existing = [p for p in _paths(obj) if _writable(p)]
    paths = existing or ["/metadata/labels"]
    def target():
        path = draw(st.sampled_from(paths))
        roll = draw(st.integers(0, 5))
        if roll == 0:
            return path.rsplit("/", 1)[0] + "/-"
        if roll == 1:
            return path + "/zz"
        return path
    value = st.one_of(short_text, st.integers(0, 3), st.none(), string_map(["k"]), st.lists(short_text, max_size=2))
    ops = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["add", "replace", "remove", "test", "move", "copy"]))
        if op in ("move", "copy"):
            ops.append({"op": op, "from": target(), "path": target()})
        elif op == "remove":
            ops.append({"op": op, "path": target()})
        elif op == "test" and existing and draw(st.booleans()):
            path = draw(st.sampled_from(existing))
            ops.append({"op": op, "path": path, "value": _at(obj, path)})
        else:
            ops.append({"op": op, "path": target(), "value": draw(value)})
    return ops


def _at(obj, pointer: str):
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return copy.deepcopy(obj)


# -- apply and edit scenarios ---------------------------------------------------------------------------

@st.composite
def apply_scenario(draw, kind: str, pool: list[dict]):
    """(last-applied manifest or None, new manifest, live object) of `kind`, as kubectl apply sees them,
    made of objects from `pool` (drawing fresh objects for every scenario costs hypothesis too much)."""
    pick = st.sampled_from(pool).map(copy.deepcopy)
    new = draw(pick)
    last = draw(st.one_of(st.none(), pick, st.just(new)))
    live = draw(pick) if draw(st.integers(0, 3)) == 0 else copy.deepcopy(last or new)
    if draw(st.booleans()):
        live["metadata"].setdefault("labels", {})["drift"] = "yes"
    if draw(st.booleans()):
        live["metadata"]["finalizers"] = draw(st.lists(st.sampled_from(pods.FINALIZERS), unique=True, max_size=3))
    if draw(st.booleans()):
        live.update(draw(server_side_drift(kind, live)))
    return last, new, live


@st.composite
def server_side_drift(draw, kind: str, live: dict):
    """Fields the API server or a controller set on the live object that no manifest had."""
    if kind == "ConfigMap":
        return {"data": dict(live.get("data") or {}, fromServer="1")}
    spec = copy.deepcopy(live["spec"])
    if kind == "Service":
        spec["clusterIP"] = spec.get("clusterIP", "10.0.0.9")
        spec["ports"] = [dict(p, protocol=p.get("protocol", "TCP")) for p in spec.get("ports", [])]
    elif kind == "Pod":
        spec["containers"][0].setdefault("terminationMessagePath", "/dev/termination-log")
    else:
        spec.setdefault("revisionHistoryLimit", 10)
        spec["template"]["spec"]["containers"][0]["image"] = draw(st.sampled_from(["drifted", "nginx"]))
    return {"spec": spec}


# -- directives anywhere -----------------------------------------------------------------------------

MERGE_KEYS = ("name", "port", "containerPort", "mountPath", "ip", "devicePath")


@st.composite
def sprinkled(draw, patch):
    """`patch` with directives added at random maps in it, sensible or not: `$patch` (replace, merge,
    delete or unknown), `$retainKeys`, `$setElementOrder/...` and `$deleteFromPrimitiveList/...` for
    lists of any strategy. Upstream's answer for each, error texts included, is the specification."""
    def visit(node, path=()):
        if isinstance(node, list):
            return [visit(item, path + ("[]",)) for item in node]
        if not isinstance(node, dict):
            return node
        node = {k: visit(v, path + (k,)) for k, v in node.items()}
        # Not at the root nor in metadata: kubectl would fail to decode what is left ("Object 'Kind' is
        # missing"), or print an object without the name its batch tells it apart by.
        if path in ((), ("metadata",)) or draw(st.integers(0, 7)) != 0:
            return node
        lists = sorted(k for k, v in node.items() if isinstance(v, list) and not k.startswith("$"))
        choice = draw(st.sampled_from(["patch", "retainKeys", "order", "delete-from"] if lists else ["patch", "retainKeys"]))
        if choice == "patch":
            node["$patch"] = draw(st.sampled_from(["replace", "merge", "delete", "keep"]))
        elif choice == "retainKeys":
            keys = [k for k in node if not k.startswith("$")]
            node["$retainKeys"] = draw(st.one_of(st.lists(st.sampled_from(keys + ["other"]), unique=True, max_size=3),
                                                 st.sampled_from(["type", None, 1])))
        else:
            field = draw(st.sampled_from(lists))
            items = [item for item in node[field] if not (isinstance(item, dict) and "$patch" in item)]
            if choice == "order":
                node[f"$setElementOrder/{field}"] = draw(st.permutations([_key_of(item) for item in items]))
            else:
                node[f"$deleteFromPrimitiveList/{field}"] = draw(st.lists(st.sampled_from(
                    [i for i in items if not isinstance(i, (dict, list))] or ["one", "f/one"]), unique=True, max_size=2))
        return node
    return visit(patch)


def _key_of(item):
    if isinstance(item, dict):
        key = next((k for k in MERGE_KEYS if k in item), None)
        return {key: item[key]} if key else dict(item)
    return item
