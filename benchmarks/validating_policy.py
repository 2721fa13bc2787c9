"""ValidatingAdmissionPolicy evaluations per request, against baselines measured in the same run.

    python benchmarks/validating_policy.py [--evaluations 1000]

One Deployment create is admitted N times through the ValidatingAdmissionPolicy plugin with three bound policies
(a replicas limit, an image rule over the containers with variables, a params-driven limit from a ConfigMap).
Printed per evaluation: wall time, CEL runtime cost (kauth's bound of cel-go's cost), and the ratio against
- the plugin with no policy bound (its fixed overhead: listing policies and bindings), and
- the same three checks written as plain Python (what the CEL engine costs on top of the logic itself).
With --libraries, the policy's image expression is also timed in the other CEL engines that were compared
(cel-python, common-expression-language) when they are installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not
sys.path.insert(0, str(ROOT / "tests" / "admission"))

from kauth.admission.cel import DataBounds  # noqa: E402
from kauth.admission.cel.cost import evaluate_polynomial  # noqa: E402
from kauth.admission.validatingpolicy import ValidatingAdmissionPolicy  # noqa: E402
from kauth.admission.cel.cost import PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET  # noqa: E402
from vap_helpers import binding, create, deployment, policy, state  # noqa: E402

IMAGES = ("variables.containers.all(c, c.image.startsWith('registry.example.com/') "
          "&& c.image.contains(':'))")


def cluster_state():
    replicas = policy("replicas.example.com")
    images = policy("images.example.com",
                    variables=[{"name": "containers", "expression": "object.spec.template.spec.containers"}],
                    validations=[{"expression": IMAGES, "messageExpression": "'untrusted image'"}])
    limits = policy("limits.example.com", paramKind={"apiVersion": "v1", "kind": "ConfigMap"},
                    validations=[{"expression": "object.spec.replicas <= int(params.data.max)"}])
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "limits", "namespace": "default"},
          "data": {"max": "10"}}
    return state(replicas, images, limits, cm, binding("replicas", "replicas.example.com"),
                 binding("images", "images.example.com"),
                 binding("limits", "limits.example.com", paramRef={"name": "limits",
                                                                    "parameterNotFoundAction": "Deny"}))


def request():
    obj = deployment(replicas=3)
    obj["spec"]["template"]["spec"]["containers"] = [
        {"name": f"c{i}", "image": f"registry.example.com/app{i}:v1"} for i in range(5)]
    return create(obj)


def native(attributes, s) -> None:
    """The three policies as Python."""
    obj = attributes.object
    assert obj["spec"]["replicas"] <= 5
    assert all(c["image"].startswith("registry.example.com/") and ":" in c["image"]
               for c in obj["spec"]["template"]["spec"]["containers"])
    cm = s.get("", "configmaps", "default", "limits")
    assert obj["spec"]["replicas"] <= int(cm["data"]["max"])


def per_call(fn, n: int, repeat: int = 5) -> float:
    """Median over `repeat` rounds of the mean seconds per call of n calls."""
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - start) / n)
    return statistics.median(rounds)


def cel_cost(plugin, attributes, s) -> int:
    """The summed CEL cost of one request's validations (kauth's bound of cel-go's runtime cost)."""
    data = {"object": attributes.object, "params": {"data": {"max": "10"}}}
    bounds = DataBounds.of(data.values())
    total = 0
    for p in s.list("admissionregistration.k8s.io", "validatingadmissionpolicies"):
        compiled = plugin._compile(p)
        for _, expr in compiled.variables:
            total += evaluate_polynomial(expr.cost, bounds)
        for _, expr, _ in compiled.validations:
            total += evaluate_polynomial(expr.cost, bounds)
    return total


def libraries(n: int) -> None:
    obj = request().object
    data = {"object": obj}
    expression = IMAGES.replace("variables.containers", "object.spec.template.spec.containers")
    from kauth.admission.cel import Environment
    env = Environment()
    compiled = env.compile(expression)
    rows = [("cel-expr-python (cel-cpp, used)",
             lambda: env.evaluate(compiled, {**data, "variables": {}}, DataBounds(5, 40)))]
    try:
        import cel as rust_cel
        program = rust_cel.compile(expression)
        rows.append(("common-expression-language (cel-rust)", lambda: program.execute(data)))
    except ImportError:
        print("common-expression-language: not installed")
    try:
        import celpy
        celpy_env = celpy.Environment()
        celpy_program = celpy_env.program(celpy_env.compile(expression))
        rows.append(("cel-python (pure Python)",
                     lambda: celpy_program.evaluate({"object": celpy.json_to_cel(obj)})))
    except ImportError:
        print("cel-python: not installed")
    base = None
    for name, fn in rows:
        t = per_call(fn, n)
        base = base or t
        print(f"  {name:<40} {t * 1e6:>9.1f} us/eval   x{t / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument("--libraries", action="store_true")
    options = parser.parse_args()
    n = options.evaluations
    s, attributes = cluster_state(), request()
    plugin = ValidatingAdmissionPolicy()
    verdict = plugin.validate(attributes, s)  # compiles the policies once, as upstream's controller does
    assert not verdict.warnings, verdict.warnings
    empty = state()
    vap = per_call(lambda: plugin.validate(attributes, s), n)
    no_policy = per_call(lambda: plugin.validate(attributes, empty), n)
    python = per_call(lambda: native(attributes, s), n)
    cost = cel_cost(plugin, attributes, s)
    print(f"ValidatingAdmissionPolicy, {n} evaluations of one Deployment create against 3 bound policies")
    print(f"  {'3 policies (CEL)':<40} {vap * 1e6:>9.1f} us/request   CEL cost {cost} per request "
          f"(limits: {PER_CALL_LIMIT:,} per expression, {RUNTIME_CEL_COST_BUDGET:,} per policy)")
    print(f"  {'no policy bound (plugin overhead)':<40} {no_policy * 1e6:>9.1f} us/request   ratio x{vap / no_policy:.1f}")
    print(f"  {'the same checks in Python':<40} {python * 1e6:>9.1f} us/request   ratio x{vap / python:.1f}")
    if options.libraries:
        print("One image expression over 5 containers, per CEL engine:")
        libraries(n)


if __name__ == "__main__":
    main()
