"""`kubectl set image TYPE NAME CONTAINER=IMAGE... | -f FILE CONTAINER=IMAGE...` (`*` means every container).

kubectl decodes the object (from the file with --local, from the server otherwise) into its Go type, so what
it prints shows the type's zero values (`creationTimestamp: null`, `strategy: {}`) and, in JSON, the struct
field order (kauth/kubectl/typed.py, struct_order.py).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go: the pairs follow the resources, init, regular
and ephemeral containers are all matched by name, an unknown name is an error, and the change goes out as a
two-way strategic merge patch (field manager kubectl-set); no change sends and prints nothing.
"""

from __future__ import annotations

import copy

from kauth.api.errors import ClientError, StatusError
from kauth.kubectl.builder import Target, document_targets, select
from kauth.kubectl.client import Client
from kauth.kubectl.label import resources_and_pairs
from kauth.kubectl.loader import Document
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report
from kauth.kubectl.typed import as_typed

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def pod_spec(obj: dict) -> dict | None:
    """Where a kind keeps its pod spec (polymorphichelpers.updatePodSpecForObject)."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
    if kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"):
        return (spec.get("template") or {}).get("spec")
    return None


def parse_images(pairs: list[str]) -> dict[str, str]:
    """cmdutil.ParsePairs without removal: NAME=IMAGE only."""
    images: dict[str, str] = {}
    for pair in pairs:
        if "=" in pair and not pair.startswith("="):
            name, image = pair.split("=", 1)
            images[name] = image
        else:
            raise ClientError(f"invalid image format: {pair}")
    return images


def with_images(obj: dict, images: dict[str, str]) -> dict:
    out = copy.deepcopy(obj)
    spec = pod_spec(out)
    if spec is None:
        raise ClientError(f"the object of kind {obj.get('kind')} has no pod template")
    missing = []
    for name, image in images.items():
        found = False
        for field in CONTAINER_LISTS:
            for container in spec.get(field) or []:
                if name in ("*", container.get("name")):
                    found = True
                    if image:
                        container["image"] = image
                    else:
                        container.pop("image", None)  # Go's omitempty drops an empty image
        if not found:
            missing.append(f'unable to find container named "{name}"')
    if missing:
        raise ClientError("\nerror: ".join(missing))
    return out


def set_image(client: Client, args: list[str], documents: list[Document] | None, *, local: bool = False,
              dry_run: DryRun = "none", output: str = "") -> Outcome:
    resource_args, pairs = resources_and_pairs(args, "image")
    images = parse_images(pairs)
    if local and resource_args:
        raise ClientError("you must specify resources by --filename when --local is set.\nExample resource "
                          "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")
    problems = []
    if not resource_args and not documents:
        problems.append("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append("all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs")
    if problems:
        raise ClientError("\nerror: ".join(problems))
    outcome = Outcome()
    if documents:
        targets: list[Target] = []
        for target, doc in document_targets(client.table(), documents, client.namespace, client.namespace_explicit,
                                            outcome.fail):
            targets.append(Target(target.rt, target.namespace, target.name, target.source, doc.obj) if local
                           else target)
    else:
        targets = list(select(client.table(), resource_args, client.namespace, "set image").targets)
    for target in targets:
        try:
            if local:
                report(outcome, target.rt, as_typed(with_images(target.obj, images)), output, "image updated",
                       typed=True)
                continue
            found = client.send("get", target.rt, target.namespace, target.name)
            if not outcome.answered(found):
                continue
            changed = with_images(found.body, images)
            if changed == found.body:
                continue  # an empty patch: kubectl sends and prints nothing
            if dry_run == "client":
                report(outcome, target.rt, as_typed(changed), output, "image updated", dry_run, typed=True)
                continue
            from kauth.patch.strategic import create_two_way_patch

            patch = create_two_way_patch(found.body, changed, target.rt.schema)
            response = client.send("patch", target.rt, target.namespace, target.name, body=patch,
                                   patch_type="strategic", dry_run=dry_run == "server", field_manager="kubectl-set")
            if outcome.answered(response):
                report(outcome, target.rt, response.body, output, "image updated", dry_run, typed=True)
        except (ClientError, StatusError) as err:
            outcome.fail(err)
    return outcome
