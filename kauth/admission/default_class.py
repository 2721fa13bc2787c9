"""Which class is the default when several are marked so: the newest, ties broken by the smallest name
(storageutil.GetDefaultClass and DefaultIngressClass's getDefaultClass, both since v1.26)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

_ZERO_TIME = datetime.min.replace(tzinfo=timezone.utc)  # a missing or unreadable timestamp sorts oldest


def newest_default(classes: list, is_default: Callable[[dict], bool]) -> dict | None:
    """The newest class `is_default` accepts (ties: the smallest name), or None."""
    defaults = [c for c in classes if isinstance(c, dict) and is_default(c)]
    if not defaults:
        return None
    newest = max(creation_time(c) for c in defaults)
    return min((c for c in defaults if creation_time(c) == newest), key=lambda c: _str(c["metadata"].get("name")))


def creation_time(obj: dict) -> datetime:
    metadata = obj.get("metadata")
    stamp = metadata.get("creationTimestamp") if isinstance(metadata, dict) else None
    if not isinstance(stamp, str):
        return _ZERO_TIME
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return _ZERO_TIME
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
