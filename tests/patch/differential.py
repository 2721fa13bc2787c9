"""One comparison of kauth against kubectl per case, and the tally the session summary prints.

A case is one (input, kubectl answer) pair: an object and a patch applied by `kubectl patch
--local`, or the patch body `kubectl apply` / `kubectl edit` sent for one object. Each `check_*`
asserts that kauth gives the same object, patch or error text, and counts the case.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any, Callable

import kubectl_oracle as oracle
from kauth.patch import PatchError

COMPARED: Counter = Counter()  # test function -> cases compared with kubectl
MISMATCHED: Counter = Counter()  # test function -> cases where kauth and kubectl differed


def current_test() -> str:
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
    return test.rsplit("::", 1)[-1].split("[")[0]


def counted(check: Callable) -> Callable:
    """Count each call of a comparison, and each one whose assertion failed as a mismatch."""
    def run(*args, **kwargs):
        test = current_test()
        COMPARED[test] += 1
        try:
            return check(*args, **kwargs)
        except AssertionError:
            MISMATCHED[test] += 1
            raise
    run.__name__, run.__doc__ = check.__name__, check.__doc__
    return run


def ours(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs), None
    except PatchError as e:
        return None, str(e)


def same_error(mine: str | None, real: str | None) -> bool:
    return mine is not None and real is not None and mine.strip() in real


def kubectl_words(message: str) -> str:
    """kubectl patch --local rewrites the library's "doc is missing key" errors (patch.go)."""
    if "doc is missing key" in message:
        return f"Object to be patched is missing field ({message[message.index('key:') + 5:]})"
    return message


def kubectl_panicked(message: str | None) -> bool:
    """kubectl patch --local does not recover a Go panic: its stderr is the runtime's trace."""
    return message is not None and message.startswith("panic:")


@counted
def check_strategic(obj: dict, patch: Any, schema, real: oracle.Outcome) -> None:
    """apply_patch against `kubectl patch --local --type strategic`."""
    from kauth.patch import apply_patch

    mine, error = ours(apply_patch, obj, patch, schema)
    # Go walks a patch in map order: with several bad $setElementOrder lists it reports whichever it
    # meets first, and a list set by the patch may or may not exist yet when its
    # $deleteFromPrimitiveList is processed (an error, or not). Ours must be one of kubectl's answers.
    for _ in range(16):
        if real.error is None and error is None:
            assert mine == real.value
            return
        if same_error(error, real.error):
            return
        real = oracle.patch_local(obj, patch, "strategic")
    assert real.error is not None, f"kubectl succeeded, we failed: {error}"
    assert error == real.error


@counted
def check_merge(obj: dict, patch: Any, real: oracle.Outcome) -> None:
    """apply_merge_patch against `kubectl patch --local --type merge`."""
    from kauth.patch import apply_merge_patch

    mine, error = ours(apply_merge_patch, obj, patch)
    assert error is None and real.error is None, (error, real.error)
    assert mine == real.value


@counted
def check_json(obj: dict, ops: Any, real: oracle.Outcome) -> None:
    """apply_json_patch against `kubectl patch --local --type json`, panics and error texts included."""
    from kauth.patch import apply_json_patch

    try:
        mine, failure = apply_json_patch(obj, ops), None
    except PatchError as e:
        mine, failure = None, e
    # A `test` walks an object's members in Go's random map order: when one member differs and
    # another panics, kubectl answers either way (we report the difference), so ask it again.
    for _ in range(8):
        if not (kubectl_panicked(real.error) and failure is not None and str(failure).endswith(": test failed")):
            break
        real = oracle.patch_local(obj, ops, "json")
    if kubectl_panicked(real.error):
        assert failure is not None and failure.code == 500, (f"kubectl panicked, we gave {failure or mine!r}",
                                                             real.error.splitlines()[0])
    elif real.error is not None:
        assert failure is not None and kubectl_words(str(failure)) == real.error, real.error
        assert failure.code != 500, "we panicked, kubectl failed"
    else:
        assert failure is None, f"kubectl succeeded, we failed: {failure} (code {failure.code})"
        assert mine == real.value


@counted
def check_patch_body(mine: Any, error: str | None, real: oracle.Outcome, ask_again: Callable[[], oracle.Outcome]) -> None:
    """A patch kauth created against the body kubectl apply / edit sent (None: sent nothing).

    Where both a conflict and a bad directive are there to find, Go reports whichever its map
    iteration meets first: ours must be one of its answers, so kubectl is asked again."""
    # Not always a fair coin: Go picks the first offending key in random map order at each level, so an
    # answer may come once in six walks (two top-level keys, then one of three); 64 more asks make a false
    # failure about one in 100,000 such cases.
    for _ in range(64):
        if real.error is None or same_error(error, real.error):
            break
        real = ask_again()
    if real.error is not None:
        assert same_error(error, real.error) or same_conflict(error, real.error), real.error
        return
    assert error is None, error
    assert (mine or None) == (real.value[1] if real.value else None)


CONFLICT = "\nconflicts with changes made from original to current:\n"


def same_conflict(mine: str | None, real: str) -> bool:
    """Both report the same conflict, up to the order of lists of scalars.

    The conflict check walks the patch in Go's map order and dedupes and sorts each list of scalars
    it compares in place, so the message shows some lists sorted and others not depending on the
    walk: a rare walk cannot be waited for. Everything else in the two YAML documents must match."""
    if mine is None or CONFLICT not in mine or CONFLICT not in real:
        return False
    real = real.split("for:: ", 1)[-1]
    return _conflict_parts(mine) == _conflict_parts(real)


def _conflict_parts(message: str) -> tuple:
    import yaml

    patch, changed = message.split(CONFLICT, 1)
    return tuple(_scalar_lists_as_sets(yaml.safe_load(part.removeprefix("patch:\n"))) for part in (patch, changed))


def _scalar_lists_as_sets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scalar_lists_as_sets(v) for k, v in value.items()}
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ("scalars", sorted({json.dumps(v) for v in value}))
        return [_scalar_lists_as_sets(v) for v in value]
    return value


def summary() -> tuple[int, int]:
    return sum(COMPARED.values()), sum(MISMATCHED.values())
