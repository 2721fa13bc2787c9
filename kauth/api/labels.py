"""Label and field selectors, as k8s.io/apimachinery/pkg/labels and pkg/fields parse and match them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping


class SelectorError(ValueError):
    pass


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "exists":
            return self.key in labels
        if self.operator == "!":
            return self.key not in labels
        if self.operator in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if self.operator in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator in ("gt", "lt"):
            try:
                have, want = int(labels[self.key]), int(self.values[0])
            except (KeyError, ValueError):
                return False
            return have > want if self.operator == "gt" else have < want
        return False


_TOKEN = re.compile(r"\s*(!=|==|=|!|,|\(|\)|[^\s!=,()]+)")


def parse_label_selector(text: str) -> tuple[Requirement, ...]:
    """`app=web,tier!=db,env in (a,b),!legacy,release` into requirements (all must match)."""
    tokens = [t for t in _TOKEN.findall(text or "") if t]
    reqs: list[Requirement] = []
    i = 0

    def expect_values() -> tuple[str, ...]:
        nonlocal i
        if i >= len(tokens) or tokens[i] != "(":
            raise SelectorError(f"found '{tokens[i] if i < len(tokens) else ''}', expected: '('")
        i += 1
        values = []
        while i < len(tokens) and tokens[i] != ")":
            if tokens[i] != ",":
                values.append(tokens[i])
            i += 1
        if i >= len(tokens):
            raise SelectorError("found '', expected: ')'")
        i += 1
        return tuple(values)

    while i < len(tokens):
        tok = tokens[i]
        if tok == ",":
            i += 1
            continue
        if tok == "!":
            if i + 1 >= len(tokens):
                raise SelectorError("found '', expected: identifier after '!'")
            reqs.append(Requirement(tokens[i + 1], "!"))
            i += 2
            continue
        key = tok
        i += 1
        op = tokens[i] if i < len(tokens) else ","
        if op in ("=", "==", "!="):
            if i + 1 >= len(tokens) or tokens[i + 1] == ",":
                value = ""
                i += 1
            else:
                value = tokens[i + 1]
                i += 2
            reqs.append(Requirement(key, "!=" if op == "!=" else "=", (value,)))
        elif op in ("in", "notin"):
            i += 1
            reqs.append(Requirement(key, op, expect_values()))
        elif op == ",":
            reqs.append(Requirement(key, "exists"))
        else:
            raise SelectorError(f"found '{op}', expected: ',' or '=' or '==' or '!=' or 'in' or 'notin'")
    return tuple(reqs)


def label_selector_matcher(text: str) -> Callable[[dict], bool]:
    reqs = parse_label_selector(text)

    def matches(obj: dict) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(r.matches(labels) for r in reqs)

    return matches


def selector_from_label_selector(selector: Mapping | None) -> Callable[[Mapping[str, str]], bool]:
    """A metav1.LabelSelector (matchLabels + matchExpressions) as a predicate over a label map."""
    reqs: list[Requirement] = []
    for key, value in ((selector or {}).get("matchLabels") or {}).items():
        reqs.append(Requirement(key, "=", (value,)))
    for expr in (selector or {}).get("matchExpressions") or []:
        op = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}.get(expr.get("operator"), "")
        reqs.append(Requirement(expr.get("key", ""), op, tuple(expr.get("values") or ())))
    return lambda labels: all(r.matches(labels or {}) for r in reqs)


def _field_value(obj: dict, path: str) -> str | None:
    node = obj
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, bool):
        return "true" if node else "false"
    return None if node is None else str(node)


def parse_field_selector(text: str) -> tuple[tuple[str, str, str], ...]:
    """`metadata.name=x,status.phase!=Running` into (field, op, value) triples."""
    out = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        m = re.fullmatch(r"([^=!]+)(==|!=|=)(.*)", part)
        if not m:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        out.append((m.group(1).strip(), "!=" if m.group(2) == "!=" else "=", m.group(3).strip()))
    return tuple(out)


def field_selector_matcher(text: str) -> Callable[[dict], bool]:
    terms = parse_field_selector(text)

    def matches(obj: dict) -> bool:
        for field, op, value in terms:
            have = _field_value(obj, field) or ""
            if (have == value) != (op == "="):
                return False
        return True

    return matches


def label_selector_string(selector: Mapping | None) -> str | None:
    """metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, values deduplicated and
    sorted; None for an invalid operator."""
    if selector is None:
        return ""
    reqs: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        reqs.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key = expr.get("key", "")
        op = expr.get("operator", "")
        values = sorted(set(expr.get("values") or []))
        if op == "In":
            reqs.append((key, f"{key} in ({','.join(values)})"))
        elif op == "NotIn":
            reqs.append((key, f"{key} notin ({','.join(values)})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
        else:
            return None
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)
