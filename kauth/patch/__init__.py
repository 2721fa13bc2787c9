"""Pure patch functions: strategic merge patch, JSON merge patch (RFC 7386), JSON patch (RFC 6902).

Each behaves as the Kubernetes code it stands for (apimachinery strategicpatch/jsonmergepatch and
evanphx/json-patch v4 inside kube-apiserver and kubectl v1.32), error texts included.
"""

from kauth.patch.errors import ConflictError, PatchError, PreconditionFailedError
from kauth.patch.jsonpatch import apply_json_patch
from kauth.patch.merge import apply_merge_patch, create_merge_patch, create_three_way_merge_patch
from kauth.patch.strategic import apply_patch, create_three_way_patch, create_two_way_patch

__all__ = [
    "PatchError", "ConflictError", "PreconditionFailedError",
    "apply_patch", "create_two_way_patch", "create_three_way_patch",
    "apply_merge_patch", "create_merge_patch", "create_three_way_merge_patch",
    "apply_json_patch",
]
