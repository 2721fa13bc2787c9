"""Apply a patch of any of the three types kubectl sends: the one switch over patch types."""

from __future__ import annotations

from typing import Any

from kauth.api.schema import Schema


class UnsupportedPatch(ValueError):
    """The patch type cannot be used on this kind (strategic on custom resources) or is unknown."""


def apply_by_type(patch_type: str, current: dict, patch: Any, schema: Schema | None, *, custom: bool) -> dict:
    """`strategic` (schema-driven), `merge` (RFC 7386) or `json` (RFC 6902); raises PatchError on bad patches."""
    if patch_type == "strategic":
        if custom:
            raise UnsupportedPatch("application/strategic-merge-patch+json")
        from kauth.patch.strategic import apply_patch

        return apply_patch(current, patch, schema)
    if patch_type == "merge":
        from kauth.patch.merge import apply_merge_patch

        return apply_merge_patch(current, patch)
    if patch_type == "json":
        from kauth.patch.jsonpatch import apply_json_patch

        return apply_json_patch(current, patch)
    raise UnsupportedPatch(patch_type)
