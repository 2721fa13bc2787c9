"""ValidatingAdmissionPolicy evaluations per request, against baselines measured in the same run.

    python benchmarks/validating_policy.py [--evaluations 1000]

One Deployment create is admitted N times through the ValidatingAdmissionPolicy plugin with three bound policies
(a replicas limit, an image rule over the containers with variables, a params-driven limit from a ConfigMap).
Printed per evaluation: wall time, CEL runtime cost (kauth's bound of cel-go's cost), and the ratio against
- the plugin with no policy bound (its fixed overhead: listing policies and bindings), and
- the same three checks written as plain Python (what the CEL engine costs on top of the logic itself).
With --libraries, the policy's image expression is also timed in the other CEL engines that were compared
(cel-python, common-expression-language) when they are installed, and each engine answers PROBES, expressions
whose cel-go (Kubernetes) answers are known: how the engine was chosen (kauth/admission/cel/__init__.py).
"""

from __future__ import annotations

import argparse
import re
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


ERROR = "error"
PROBE_OBJECT = {"spec": {"replicas": 3, "containers": [{"name": "a", "image": "nginx"}]}, "metadata": {"name": "x"}}
# (expression over `o`, cel-go's answer); ERROR: an evaluation or compilation error
PROBES = [
    ("1 == 1.0", ERROR), ("1u == 1", ERROR), ("dyn(1) == 1.0", True), ("dyn(1) < 1.5", True),
    ("{'a': 1}['b']", ERROR), ("has(o.spec.x)", False), ("has(o.spec.replicas)", True), ("o.spec.x", ERROR),
    ("o.?spec.?x.orValue(5)", 5), ("o.spec.replicas <= 5", True), ("o.spec.containers.all(c, c.image != '')", True),
    ("[1,2,3].exists_one(x, x > 2)", True), ("[1,2,3].map(x, x * 2)", [2, 4, 6]),
    ("[1,2,3].filter(x, x > 1)", [2, 3]), ("'a,b'.split(',')", ["a", "b"]), ("['a','b'].join('-')", "a-b"),
    ("'ABC'.lowerAscii()", "abc"), ("'abc'.matches('^a')", True), ("9223372036854775807 + 1", ERROR),
    ("1 / 0", ERROR), ("'%s-%d'.format([dyn('a'), dyn(1)])", "a-1"), ("int('12')", 12), ("-5 / 2", -2),
    ("-5 % 2", -1), ("'abc'.substring(1)", "bc"), ("size('h\u00e9llo')", 5),
    ("timestamp('2024-01-01T00:00:00Z') + duration('1h') > timestamp('2024-01-01T00:30:00Z')", True),
    ("(1/0 > 0) || true", True), ("'x' in {'x': 1}", True), ("[1,2,3].all(x, 1/(x-2) > -5)", ERROR),
    ("type(1) == int", True), ("uint(1) + 1u", 2), ("optional.of(1).hasValue()", True), ("'abc'.indexOf('c')", 2),
    ("string(1.5)", "1.5"), ("[1,2,3][5]", ERROR), ("1 + 1.0", ERROR), ("18446744073709551615u + 1u", ERROR),
    ("'abc'.charAt(1)", "b"), ("' a '.trim()", "a"), ("'a'.replace('a','b')", "b"),
    ("[[1],[2]].exists(l, l.exists(x, x == 2))", True), ("o.metadata.?labels.orValue({}).size()", 0),
    ("'abc'.startsWith('a') && 'abc'.endsWith('c')", True), ("double(5) / 2.0", 2.5), ("int(2.9)", 2),
    ("duration('1m').getSeconds()", 60), ("[1,2,3].exists(x, x == 2) ? 'y' : 'n'", "y"),
    ("{'a': 1, 'b': 2}.all(k, k != '')", True), ("'abc'.upperAscii()", "ABC"), ("strings.quote('a')", '"a"'),
]


def _agrees(run, expression: str, expected) -> bool:
    try:
        got = run(expression)
    except Exception:
        return expected is ERROR
    if expected is ERROR:
        return False
    return got == expected and type(got) is type(expected)


def fidelity() -> None:
    from kauth.admission.cel import Environment
    env = Environment()

    def kauth_run(expression):
        compiled = env.compile(expression)
        if compiled.error:
            raise ValueError(compiled.error)
        result = env.evaluate(compiled, {"object": PROBE_OBJECT}, DataBounds(5, 40))
        if result.error:
            raise ValueError(result.error)
        return result.value

    engines = [("cel-expr-python (cel-cpp, used)", kauth_run)]
    try:
        import cel as rust_cel
        engines.append(("common-expression-language (cel-rust)",
                        lambda e: _plain(rust_cel.compile(e).execute({"o": PROBE_OBJECT}))))
    except ImportError:
        pass
    try:
        import celpy

        def celpy_run(expression):
            env_ = celpy.Environment()
            result = env_.program(env_.compile(expression)).evaluate({"o": celpy.json_to_cel(PROBE_OBJECT)})
            if isinstance(result, celpy.CELEvalError):
                raise ValueError(str(result))
            return _plain(result)
        engines.append(("cel-python (pure Python)", celpy_run))
    except ImportError:
        pass
    for index, (name, run) in enumerate(engines):
        # kauth's environment declares `object`, not `o`
        agree = [e for e, want in PROBES if _agrees(run, re.sub(r"\bo\.", "object.", e) if index == 0 else e, want)]
        print(f"  {name:<40} {len(agree):>3}/{len(PROBES)} probes answer as cel-go")


def _plain(value):
    """celpy's and cel-rust's values as plain Python (bool before int: celpy's BoolType is an int)."""
    name = type(value).__name__
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if name == "BoolType" or isinstance(value, bool):
        return bool(value)
    if name in ("IntType", "UintType"):
        return int(value)
    if name == "DoubleType":
        return float(value)
    if name == "StringType":
        return str(value)
    return value


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
        print("Fidelity: expressions whose cel-go answer is known, per CEL engine:")
        fidelity()


if __name__ == "__main__":
    main()
