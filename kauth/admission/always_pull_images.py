"""AlwaysPullImages: every container of a pod pulls its image, so a node's cached image needs credentials.

Upstream: plugin/pkg/admission/alwayspullimages/admission.go (v1.37). Mutating: on pod CREATE and
UPDATE, `imagePullPolicy: Always` on every init container, container and ephemeral container.
Validating: the same requests are refused while any container's policy is not Always. Both halves skip
pod subresources (ephemeralcontainers included) and updates that bring no image the old pod did not
already use. Off by default in kube-apiserver.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

from kauth.admission.chain import CREATE, UPDATE, Attributes, StateView, Verdict, pod_request
from kauth.api import errors
from kauth.admission.chain import forbidden

PULL_ALWAYS = "Always"
# pods.VisitContainersWithPath's order.
_CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")


class AlwaysPullImages:
    """The AlwaysPullImages admission plugin (mutating and validating)."""

    name = "AlwaysPullImages"

    def handles(self, attributes: Attributes) -> bool:
        return pod_request(attributes, (CREATE, UPDATE))

    def admit(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if _update_with_no_new_images(attributes):
            return Verdict(pod, "the update brings no new image")
        if not isinstance(pod, dict):
            raise errors.bad_request("Resource was marked with kind Pod but was unable to be converted")
        pod = copy.deepcopy(pod)
        changed = 0
        for _, container in _containers(pod):
            if container.get("imagePullPolicy") != PULL_ALWAYS:
                container["imagePullPolicy"] = PULL_ALWAYS
                changed += 1
        if not changed:
            return Verdict(attributes.object, "every container already pulls Always")
        return Verdict(pod, f"set imagePullPolicy to Always on {changed} container(s)", changed=True)

    def validate(self, attributes: Attributes, state: StateView) -> Verdict:
        pod = attributes.object
        if _update_with_no_new_images(attributes):
            return Verdict(pod, "the update brings no new image")
        if not isinstance(pod, dict):
            raise errors.bad_request("Resource was marked with kind Pod but was unable to be converted")
        problems = [
            forbidden(attributes, str(errors.not_supported(f"{path}.imagePullPolicy", _policy(container),
                                                           [PULL_ALWAYS]))).message
            for path, container in _containers(pod) if container.get("imagePullPolicy") != PULL_ALWAYS]
        if problems:
            # Upstream returns utilerrors.NewAggregate of admission.NewForbidden errors: an aggregate is not
            # a Status, so the API server answers 500 with no reason and the aggregate's text.
            raise errors.plain_error(errors.aggregate(problems))
        return Verdict(pod, "every container pulls Always")


def _containers(pod: dict) -> Iterator[tuple[str, dict]]:
    """Every container dict of the pod with its field path (spec.initContainers[0], ...)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    for field in _CONTAINER_FIELDS:
        containers = spec.get(field)
        if not isinstance(containers, list):
            continue
        for i, container in enumerate(containers):
            if isinstance(container, dict):
                yield f"spec.{field}[{i}]", container


def _update_with_no_new_images(attributes: Attributes) -> bool:
    """isUpdateWithNoNewImages: an UPDATE whose every image was already used by the old pod."""
    if attributes.operation != UPDATE:
        return False
    pod, old = attributes.object, attributes.old_object
    if not isinstance(pod, dict) or not isinstance(old, dict):
        return False
    old_images = {_image(c) for _, c in _containers(old)}
    return all(_image(c) in old_images for _, c in _containers(pod))


def _image(container: dict) -> str:
    image = container.get("image")
    return image if isinstance(image, str) else repr(image)


def _policy(container: dict) -> Any:
    policy = container.get("imagePullPolicy")
    return "" if policy is None else policy


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
