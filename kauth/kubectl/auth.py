"""`kubectl auth can-i` (and `--list`), `auth whoami`, and kauth's offline `who-can` and `access-matrix`.

can-i is kubectl's client logic (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go): the TYPE argument is
resolved through discovery, a SelfSubjectAccessReview (or SelfSubjectRulesReview) goes through the API
server as the caller (impersonation included), and the answer is printed with kubectl's words, warnings
and exit codes. docs/rbac-reviews.md holds the observed behaviour this follows.
"""

from __future__ import annotations

import json
from typing import Any

from kauth.api.errors import ClientError
from kauth.api.resources import NoKindMatch, ResourceType
from kauth.kubectl.client import Client
from kauth.kubectl.output import Outcome
from kauth.kubectl.printers import tabwrite
from kauth.patch.errors import go_slice

AUTHORIZATION = "authorization.k8s.io"
KNOWN_RESOURCE_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind",
                        "impersonate", "*", "approve", "sign", "escalate", "attest")
KNOWN_NON_RESOURCE_VERBS = ("get", "put", "post", "head", "options", "delete", "patch", "*")
NON_STANDARD_RESOURCES = ("users", "groups")


def _review_type(client: Client, plural: str, group: str = AUTHORIZATION) -> ResourceType:
    return next(rt for rt in client.table().all() if rt.group == group and rt.plural == plural)


def _ask(client: Client, outcome: Outcome, kind: str, spec: dict) -> dict | None:
    """Create a review as the caller; its status, or None with the server's error recorded."""
    body = {"apiVersion": f"{AUTHORIZATION}/v1", "kind": kind, "metadata": {}, "spec": spec}
    response = client.send("create", _review_type(client, kind.lower() + "s"), body=body)
    return (response.body.get("status") or {}) if outcome.answered(response) else None


def _warn(outcome: Outcome, message: str) -> None:
    """kubectl's WarningPrinter: `Warning: <message>`; can-i's messages end in a newline of their own."""
    outcome.notes.append(f"Warning: {message}\n")


def resource_for(client: Client, type_arg: str, outcome: Outcome) -> tuple[str, str, ResourceType | None]:
    """(group, resource, the resolved type or None) as cani.go's resourceFor: an unknown TYPE is sent as typed,
    with a warning naming the lower-cased parse."""
    if type_arg == "*":
        return "", "*", None
    lowered = type_arg.lower()
    try:
        rt = client.table().resolve(lowered)
        return rt.group, rt.plural, rt
    except NoKindMatch:
        pass
    if lowered not in NON_STANDARD_RESOURCES:
        resource, _, group = lowered.partition(".")
        _warn(outcome, f"the server doesn't have a resource type '{resource}'" +
              (f" in group '{group}'" if group else ""))
    return "", type_arg, None


def can_i(client: Client, args: list[str], *, all_namespaces: bool = False, subresource: str = "",
          quiet: bool = False, no_headers: bool = False) -> Outcome:
    outcome = Outcome()
    if len(args) != 2:
        raise ClientError("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                          "See 'kauth auth can-i -h' for help and examples.")
    verb, target = args
    spec: dict[str, Any]
    if target.startswith("/"):
        if subresource:
            raise ClientError("--subresource can not be used with NonResourceURL")
        if verb not in KNOWN_NON_RESOURCE_VERBS:
            _warn(outcome, f"verb '{verb}' is not a known verb")
        spec = {"nonResourceAttributes": {"path": target, "verb": verb}}
    else:
        type_arg, _, name = target.partition("/")
        group, resource, rt = resource_for(client, type_arg, outcome)
        namespace = "" if all_namespaces else client.namespace
        if not all_namespaces:
            if rt is not None and not rt.namespaced:
                _warn(outcome, f"resource '{resource}' is not namespace scoped" +
                      (f" in group '{group}'" if group else ""))
            if verb not in KNOWN_RESOURCE_VERBS:
                _warn(outcome, f"verb '{verb}' is not a known verb")
        attributes = {"namespace": namespace, "verb": verb, "group": group, "resource": resource,
                      "subresource": subresource, "name": name}
        spec = {"resourceAttributes": {k: v for k, v in attributes.items() if v}}
    if no_headers:
        outcome.fail(ClientError("--no-headers cannot be set without --list specified"))
        return outcome
    status = _ask(client, outcome, "SelfSubjectAccessReview", spec)
    if status is None:
        return outcome
    if status.get("allowed"):
        answer = "yes"
    else:
        answer = "no" + "".join(f" - {status[k]}" for k in ("reason", "evaluationError") if status.get(k))
        outcome.status = 1  # kubectl exits 1 on "no", printing nothing more
    if not quiet:
        outcome.print(answer)
    return outcome


def can_i_list(client: Client, *, no_headers: bool = False) -> Outcome:
    """`can-i --list`: the SelfSubjectRulesReview of the namespace, as kubectl tabulates it."""
    outcome = Outcome()
    status = _ask(client, outcome, "SelfSubjectRulesReview", {"namespace": client.namespace})
    if status is None:
        return outcome
    if status.get("incomplete"):
        outcome.notes.append(f"Warning: the list may be incomplete: {status.get('evaluationError', '')}")
    outcome.write(rules_table(status, no_headers=no_headers))
    return outcome


def rules_table(status: dict, *, no_headers: bool = False) -> str:
    """A SubjectRulesReviewStatus as `can-i --list` prints it: every rule broken down to one verb, resource and
    name, merged back per resource, sorted by PolicyRule.String() (so by verbs first)."""
    from kauth.authz.escalation import breakdown

    rules = [{k: r.get(k) for k in ("verbs", "apiGroups", "resources", "resourceNames")}
             for r in status.get("resourceRules") or []]
    rules += [{"verbs": r.get("verbs"), "nonResourceURLs": r.get("nonResourceURLs")}
              for r in status.get("nonResourceRules") or []]
    pieces = [piece for rule in rules for piece in breakdown(rule)]
    rows = sorted(_compact(pieces), key=_policy_rule_string)
    lines = [] if no_headers else [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]]
    for rule in rows:
        lines.append([_combine_resource_group(rule.get("resources") or [], rule.get("apiGroups") or []),
                      go_slice(rule.get("nonResourceURLs")), go_slice(rule.get("resourceNames")),
                      go_slice(rule.get("verbs"))])
    return tabwrite(lines)


def _compact(rules: list[dict]) -> list[dict]:
    """kubectl's CompactRules: one-group one-resource rules merge per (group, resource, name), each verb once;
    URL rules are kept as they are, duplicates included."""
    kept: list[dict] = []
    simple: dict[tuple, dict] = {}
    for rule in rules:
        if rule.get("nonResourceURLs"):
            kept.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], tuple(rule.get("resourceNames") or ()))
        merged = simple.setdefault(key, {**rule, "verbs": []})
        merged["verbs"] += [v for v in rule["verbs"] if v not in merged["verbs"]]
    return kept + list(simple.values())


def _policy_rule_string(rule: dict) -> str:
    """PolicyRule.String(), the key kubectl sorts the --list rows by."""
    return ("&PolicyRule{" + "".join(f"{label}:{go_slice(rule.get(field))}," for label, field in (
        ("Verbs", "verbs"), ("APIGroups", "apiGroups"), ("Resources", "resources"), ("ResourceNames", "resourceNames"),
        ("NonResourceURLs", "nonResourceURLs"))) + "}")


def _combine_resource_group(resources: list[str], groups: list[str]) -> str:
    """describe.CombineResourceGroup: `deployments.apps/scale`, `pods`, `*.*`."""
    if not resources:
        return ""
    resource, _, sub = resources[0].partition("/")
    combined = resource + (f".{groups[0]}" if groups and groups[0] else "")
    return combined + (f"/{sub}" if "/" in resources[0] else "")


def whoami(client: Client, *, output: str = "") -> Outcome:
    """`kubectl auth whoami`: the SelfSubjectReview's user, as a table (or -o json|yaml)."""
    outcome = Outcome()
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview", "metadata": {}}
    response = client.send("create", _review_type(client, "selfsubjectreviews", "authentication.k8s.io"), body=body)
    if not outcome.answered(response):
        return outcome
    if output in ("json", "yaml"):
        from kauth.kubectl.printing import render

        outcome.write(render(response.body, output))
        return outcome
    info = (response.body.get("status") or {}).get("userInfo") or {}
    lines = [["ATTRIBUTE", "VALUE"], ["Username", info.get("username", "")]]
    if info.get("uid"):
        lines.append(["UID", info["uid"]])
    if info.get("groups"):
        lines.append(["Groups", go_slice(info["groups"])])
    for key, values in sorted((info.get("extra") or {}).items()):
        lines.append([f"Extra: {key}", go_slice(values)])
    outcome.write(tabwrite(lines))
    return outcome


def who_can(client: Client, cluster: Any, args: list[str], *, all_namespaces: bool = False, subresource: str = "",
            output: str = "") -> Outcome:
    """kauth's offline who-can: the subjects RBAC allows a request for, with the binding and role that grant it."""
    from kauth.authn.user import UserInfo
    from kauth.authz.authorizer import Attributes
    from kauth.authz.who_can import who_can as grants_for

    outcome = Outcome()
    if len(args) != 2:
        raise ClientError("you must specify two arguments: verb resource or verb resource/resourceName.")
    verb, target = args
    if target.startswith("/"):
        attributes = Attributes(UserInfo(""), verb, False, path=target)
        what = f"{verb} {target}"
    else:
        type_arg, _, name = target.partition("/")
        group, resource, rt = resource_for(client, type_arg, outcome)
        namespace = "" if all_namespaces or (rt is not None and not rt.namespaced) else client.namespace
        attributes = Attributes(UserInfo(""), verb, True, group, "", resource, subresource, namespace, name)
        what = f"{verb} {resource}" + (f"/{name}" if name else "")
    grants = grants_for(cluster.server.rbac.policy(), attributes, all_namespaces=all_namespaces)
    if output == "json":
        outcome.write(json.dumps([g.to_dict() for g in grants], indent=2) + "\n")
        return outcome
    sections = []
    role_bindings = [g for g in grants if g.binding_kind == "RoleBinding"]
    if attributes.resource_request:
        if role_bindings:
            sections.append(tabwrite([["ROLEBINDING", "NAMESPACE", "ROLE", "SUBJECT", "TYPE", "SA-NAMESPACE"]] + [
                [g.binding, g.binding_namespace, f"{g.role_kind}/{g.role}", g.subject, g.subject_kind,
                 g.subject_namespace] for g in role_bindings]))
        else:
            sections.append(f"No subjects found with permissions to {what} assigned through RoleBindings\n")
    cluster_bindings = [g for g in grants if g.binding_kind != "RoleBinding"]
    sections.append(tabwrite([["CLUSTERROLEBINDING", "ROLE", "SUBJECT", "TYPE", "SA-NAMESPACE"]] + [
        [g.binding or "(system:masters: allowed before RBAC)", f"{g.role_kind}/{g.role}" if g.role else "-", g.subject,
         g.subject_kind, g.subject_namespace] for g in cluster_bindings]))
    outcome.write("\n".join(sections))
    return outcome


MATRIX_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")


def access_matrix(client: Client, *, verbs: tuple[str, ...] = MATRIX_VERBS, all_namespaces: bool = False,
                  output: str = "") -> Outcome:
    """rakkess's grid: every served resource type against each verb (✔ allowed, ✖ not), each cell a
    SelfSubjectAccessReview sent as the caller (so --as works), in the namespace or cluster-wide."""
    outcome = Outcome()
    namespace = "" if all_namespaces else client.namespace
    review = _review_type(client, "selfsubjectaccessreviews")
    rows = []
    for rt in sorted(client.table().preferred(), key=lambda t: t.group_resource):
        if not all_namespaces and not rt.namespaced:
            continue
        allowed: dict[str, bool | None] = {}
        for verb in verbs:
            if verb not in rt.verbs:
                allowed[verb] = None  # the resource does not serve it
                continue
            attributes = {"verb": verb, "group": rt.group, "resource": rt.plural,
                          "namespace": namespace if rt.namespaced else ""}
            body = {"apiVersion": f"{AUTHORIZATION}/v1", "kind": "SelfSubjectAccessReview", "metadata": {},
                    "spec": {"resourceAttributes": {k: v for k, v in attributes.items() if v}}}
            response = client.send("create", review, body=body)
            if not response.ok:
                outcome.answered(response)
                return outcome
            allowed[verb] = bool((response.body.get("status") or {}).get("allowed"))
        rows.append((rt.group_resource, allowed))
    if output == "json":
        outcome.write(json.dumps({"namespace": namespace or None, "resources": dict(rows)}, indent=2) + "\n")
        return outcome
    mark = {True: "✔", False: "✖", None: ""}
    outcome.write(tabwrite([["NAME", *[v.upper() for v in verbs]]] +
                           [[name, *[mark[allowed[v]] for v in verbs]] for name, allowed in rows]))
    return outcome
