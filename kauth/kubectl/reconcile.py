"""`kubectl auth reconcile -f`: make RBAC objects cover the file's rules and subjects, additively by default.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/auth/reconcile.go and
staging/src/k8s.io/component-helpers/auth/rbac/reconciliation (computeReconciledRole,
computeReconciledRoleBinding). Observed behaviour and output: docs/rbac-reviews.md section 4.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from kauth.api import errors
from kauth.api.errors import ClientError, StatusError
from kauth.authz.escalation import uncovered
from kauth.kubectl.client import Client
from kauth.kubectl.loader import Document, with_errors
from kauth.kubectl.output import Outcome
from kauth.kubectl.printing import DryRun, report
from kauth.patch.errors import go_slice

RBAC = "rbac.authorization.k8s.io"
ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate"


@dataclass
class Result:
    operation: str  # none, create, update, recreate
    protected: bool
    obj: dict
    missing_rules: list[dict] = field(default_factory=list)
    extra_rules: list[dict] = field(default_factory=list)
    missing_subjects: list[dict] = field(default_factory=list)
    extra_subjects: list[dict] = field(default_factory=list)


def reconcile(client: Client, documents: list[Document], *, remove_extra_permissions: bool = False,
              remove_extra_subjects: bool = False, dry_run: DryRun = "none", output: str = "") -> Outcome:
    if dry_run == "server":
        raise ClientError("--dry-run=server for command reconcile is not supported yet")
    outcome = Outcome()
    later: list[StatusError | ClientError] = []  # kubectl reports every failure after all the objects
    for doc, problem in with_errors(documents):
        if problem is not None:
            later.append(problem)
            continue
        obj = doc.obj
        namespace = (obj.get("metadata") or {}).get("namespace") or ""
        if client.namespace_explicit and namespace and namespace != client.namespace:
            later.append(errors.namespace_mismatch(namespace, client.namespace))
            continue
        group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
        kind = obj.get("kind")
        if kind not in ROLE_KINDS + BINDING_KINDS or group != RBAC:
            continue  # reconcile skips every other kind
        if version != "v1":
            later.append(ClientError(f"only rbac.authorization.k8s.io/v1 is supported: not *{version}.{kind}"))
            continue
        if kind in ("Role", "RoleBinding") and not namespace:
            later.append(ClientError("resource name may not be empty"))
            continue
        try:
            result = _reconcile_one(client, obj, namespace, remove_extra_permissions, remove_extra_subjects,
                                    dry_run == "client")
        except StatusError as err:
            later.append(err)
            continue
        rt = client.table().for_kind(obj["apiVersion"], kind)
        report(outcome, rt, result.obj, output, "reconciled", dry_run)
        _print_result(outcome, result, remove_extra_permissions, remove_extra_subjects)
    for err in later:
        outcome.fail(err)
    return outcome


def _reconcile_one(client: Client, expected: dict, namespace: str, remove_extra_permissions: bool,
                   remove_extra_subjects: bool, dry_run: bool) -> Result:
    rt = client.table().for_kind(expected["apiVersion"], expected["kind"])
    name = expected["metadata"]["name"]
    response = client.send("get", rt, namespace, name)
    if response.code == 404:
        result = Result("create", False, copy.deepcopy(expected))
        if expected["kind"] in ROLE_KINDS:
            result.missing_rules = list(expected.get("rules") or [])
        else:
            result.missing_subjects = list(expected.get("subjects") or [])
    elif not response.ok:
        raise StatusError.from_status(response.body)
    elif expected["kind"] in ROLE_KINDS:
        result = _reconciled_role(response.body, expected, remove_extra_permissions)
    else:
        result = _reconciled_binding(response.body, expected, remove_extra_subjects)
    if dry_run or result.protected or result.operation == "none":
        return result
    if result.operation == "recreate":
        uid = response.body["metadata"].get("uid")
        gone = client.send("delete", rt, namespace, name, body={"kind": "DeleteOptions", "apiVersion": "v1",
                                                                "preconditions": {"uid": uid}})
        if not gone.ok:
            raise StatusError.from_status(gone.body)
    if result.operation in ("create", "recreate"):
        if namespace:
            _ensure_namespace(client, namespace)
        body = {k: v for k, v in result.obj.items() if k != "status"}
        body["metadata"] = {k: v for k, v in body["metadata"].items()
                            if k not in ("resourceVersion", "uid", "creationTimestamp", "managedFields")}
        written = client.send("create", rt, namespace, body=body)
    else:
        written = client.send("update", rt, namespace, name, body=result.obj)
    if not written.ok:
        raise StatusError.from_status(written.body)
    result.obj = written.body
    return result


def _merged(expected: dict | None, existing: dict | None) -> dict:
    """Labels and annotations: the file's keys are added; values already on the server win."""
    return {**(expected or {}), **(existing or {})}


def _with_merged_metadata(existing: dict, expected: dict) -> tuple[dict, bool]:
    out = copy.deepcopy(existing)
    meta = out.setdefault("metadata", {})
    changed = False
    for key in ("labels", "annotations"):
        merged = _merged((expected.get("metadata") or {}).get(key), meta.get(key))
        if merged != (meta.get(key) or {}):
            meta[key] = merged
            changed = True
    return out, changed


def _protected(existing: dict) -> bool:
    return ((existing.get("metadata") or {}).get("annotations") or {}).get(AUTOUPDATE) == "false"


def _reconciled_role(existing: dict, expected: dict, remove_extra: bool) -> Result:
    out, changed = _with_merged_metadata(existing, expected)
    result = Result("update" if changed else "none", _protected(existing), out)
    have, want = list(existing.get("rules") or []), list(expected.get("rules") or [])
    result.missing_rules = uncovered(have, want)
    both_aggregated = existing.get("aggregationRule") is not None and expected.get("aggregationRule") is not None
    if not both_aggregated:
        result.extra_rules = uncovered(want, have)
    if expected["kind"] == "ClusterRole":
        had, wanted = existing.get("aggregationRule"), expected.get("aggregationRule")
        if wanted is None and had is not None:
            out.pop("aggregationRule")
            result.operation = "update"
        elif wanted is not None:
            have_selectors = (had or {}).get("clusterRoleSelectors") or []
            want_selectors = wanted.get("clusterRoleSelectors") or []
            missing = [s for s in want_selectors if s not in have_selectors]
            extra = [s for s in have_selectors if s not in want_selectors]
            if remove_extra and (missing or extra):
                out["aggregationRule"] = copy.deepcopy(wanted)
                result.operation = "update"
            elif missing:
                out["aggregationRule"] = {"clusterRoleSelectors": have_selectors + missing}
                result.operation = "update"
    _settle(result, "rules", have, want, result.missing_rules, result.extra_rules, remove_extra)
    return result


def _settle(result: Result, key: str, have: list, want: list, missing: list, extra: list, remove_extra: bool) -> None:
    """Additive by default (what is missing is appended); with --remove-extra-*, exactly the file's list."""
    if remove_extra and (missing or extra):
        result.obj[key] = copy.deepcopy(want)
        result.operation = "update"
    elif missing:
        result.obj[key] = have + copy.deepcopy(missing)
        result.operation = "update"


def _subject_key(subject: dict) -> tuple:
    return tuple(str(subject.get(k) or "") for k in ("kind", "apiGroup", "name", "namespace"))


def _reconciled_binding(existing: dict, expected: dict, remove_extra: bool) -> Result:
    def ref_key(obj: dict) -> tuple:
        ref = obj.get("roleRef") or {}
        return tuple(str(ref.get(k) or "") for k in ("apiGroup", "kind", "name"))

    if ref_key(existing) != ref_key(expected):
        return Result("recreate", _protected(existing), copy.deepcopy(expected))
    out, changed = _with_merged_metadata(existing, expected)
    result = Result("update" if changed else "none", _protected(existing), out)
    have, want = list(existing.get("subjects") or []), list(expected.get("subjects") or [])
    have_keys, want_keys = {_subject_key(s) for s in have}, {_subject_key(s) for s in want}
    result.missing_subjects = [s for s in want if _subject_key(s) not in have_keys]
    result.extra_subjects = [s for s in have if _subject_key(s) not in want_keys]
    _settle(result, "subjects", have, want, result.missing_subjects, result.extra_subjects, remove_extra)
    return result


def _ensure_namespace(client: Client, namespace: str) -> None:
    """tryEnsureNamespace: create it when missing; a 403 or AlreadyExists is no reason to stop."""
    rt = client.table().for_kind("v1", "Namespace")
    found = client.send("get", rt, "", namespace)
    if found.ok or found.code == 403:
        return
    if found.code != 404:
        raise StatusError.from_status(found.body)
    made = client.send("create", rt, body={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    if not made.ok and made.code not in (403, 409):
        raise StatusError.from_status(made.body)


def policy_rule_plus_v(rule: dict) -> str:
    """Go's %+v of an rbacv1.PolicyRule value."""
    return ("{" + " ".join(f"{label}:{go_slice(rule.get(key))}" for label, key in (
        ("Verbs", "verbs"), ("APIGroups", "apiGroups"), ("Resources", "resources"),
        ("ResourceNames", "resourceNames"), ("NonResourceURLs", "nonResourceURLs"))) + "}")


def subject_plus_v(subject: dict) -> str:
    """Go's %+v of an rbacv1.Subject value."""
    return "{" + " ".join(f"{label}:{subject.get(key) or ''}" for label, key in (
        ("Kind", "kind"), ("APIGroup", "apiGroup"), ("Name", "name"), ("Namespace", "namespace"))) + "}"


def _print_result(outcome: Outcome, result: Result, remove_extra_permissions: bool, remove_extra_subjects: bool) -> None:
    """printResults: what had to change, on stderr, tab-indented (nothing when nothing did)."""
    if result.operation == "none":
        return
    caveat = f", but object opted out ({AUTOUPDATE}: false)" if result.protected else ""
    lines = [f"\treconciliation required {result.operation}{caveat}"]
    sections = [("missing subjects added", result.missing_subjects, subject_plus_v, True),
                ("extra subjects removed", result.extra_subjects, subject_plus_v, remove_extra_subjects),
                ("missing rules added", result.missing_rules, policy_rule_plus_v, True),
                ("extra rules removed", result.extra_rules, policy_rule_plus_v, remove_extra_permissions)]
    for heading, items, shown, wanted in sections:
        if wanted and items:
            lines.append(f"\t{heading}:")
            lines.extend(f"\t\t{shown(item)}" for item in items)
    # kubectl writes these right after the object's line on stdout; kauth keeps the two streams apart.
    outcome.notes.extend(lines)
