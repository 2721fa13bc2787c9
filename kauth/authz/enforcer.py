"""casbin's Enforcer over kauth's RBAC model (policies/rbac_model.conf), deciding one policy line at a time."""

from __future__ import annotations

import ast
import re
from importlib import resources
from typing import Callable

import casbin

from kauth.authz import rules as match


def model_text() -> str:
    return (resources.files("kauth") / "policies" / "rbac_model.conf").read_text()


_ALLOWED_NODES = (ast.Expression, ast.Lambda, ast.arguments, ast.arg, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp,
                  ast.Not, ast.Compare, ast.Eq, ast.NotEq, ast.Call, ast.Name, ast.Load, ast.Constant)


class RBACEnforcer(casbin.Enforcer):
    """casbin's Enforcer over the RBAC model, able to decide one policy line at a time.

    casbin's enforce_ex re-parses the matcher and interprets it with simpleeval on every call (about
    100 µs before the first line); here the model's matcher is compiled once into a Python function
    of the request and policy tokens, after checking it uses nothing but comparisons, boolean logic
    and the registered functions. `enforce_ex` (casbin's own loop) still works on the same model,
    policy and role manager: the tests compare the two.
    """

    def __init__(self, text: str | None = None) -> None:
        model = casbin.Enforcer.new_model(text=text or model_text())
        super().__init__(model)
        self.domains = self.get_role_manager()
        self.domains.add_matching_func(None)  # names match exactly; with a function each link is O(n)
        for name, fn in match.MATCHER_FUNCTIONS.items():
            self.add_function(name, fn)
        self.known: set[tuple[str, str]] = set()  # (subject, domain) pairs the role manager holds
        self.matches = self._compile()

    def _g(self, subject: str, role: str, domain: str) -> bool:
        """g(r.sub, p.role, r.dom), read from casbin's role graph for the domain. The model has no role
        hierarchy (subjects link straight to roles), so a direct link is the whole answer; has_link's
        breadth-first search costs 10 µs a call, and would create an entry for every unknown name asked."""
        if (subject, domain) not in self.known:
            return False
        manager = self.domains.rm_map.get(domain) or self.domains._get_role_manager(domain)
        held, wanted = manager.all_roles.get(subject), manager.all_roles.get(role)
        return held is not None and wanted is not None and wanted in held.roles

    def _compile(self) -> Callable[..., bool]:
        tokens = [*self.model["r"]["r"].tokens, *self.model["p"]["p"].tokens]
        expression = self.model["m"]["m"].value.replace("&&", " and ").replace("||", " or ")
        expression = re.sub(r"!(?!=)", " not ", expression)
        tree = ast.parse(f"lambda {', '.join(tokens)}: {expression}", mode="eval")
        functions = {**match.MATCHER_FUNCTIONS, "g": self._g}
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED_NODES):
                raise ValueError(f"the RBAC model's matcher may not use {type(node).__name__}")
            if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in functions):
                raise ValueError("the RBAC model's matcher calls an unregistered function")
            if isinstance(node, ast.Name) and node.id not in tokens and node.id not in functions:
                raise ValueError(f"the RBAC model's matcher names {node.id!r}, which is no token")
        return eval(compile(tree, "<rbac_model.conf matcher>", "eval"), {"__builtins__": {}, **functions})

    def add_lines(self, lines: list[list[str]]) -> None:
        self.model["p"]["p"].policy.extend(lines)

    def remove_lines(self, lines: list[list[str]]) -> None:
        if not lines:
            return
        doomed = {id(line) for line in lines}
        policy = self.model["p"]["p"].policy
        policy[:] = [line for line in policy if id(line) not in doomed]

    def add_link(self, subject: str, role: str, domain: str) -> None:
        self.known.add((subject, domain))
        self.model["g"]["g"].policy.append([subject, role, domain])
        self.domains.add_link(subject, role, domain)

    def remove_link(self, subject: str, role: str, domain: str) -> None:
        self.model["g"]["g"].policy.remove([subject, role, domain])
        self.domains.delete_link(subject, role, domain)
