"""CEL for admission policies, as Kubernetes (cel-go) evaluates it.

The engine is cel-expr-python (Google's CEL C++ implementation, cel-cpp, with Python bindings). Chosen over
cel-python (celpy, pure Python) and common-expression-language (cel-rust) by measurement
(`python benchmarks/validating_policy.py --libraries`: 51 expressions whose cel-go answer is known, and one
image-policy expression timed per engine):

| library                          | answers as cel-go     | time per evaluation (same run)        |
|----------------------------------|-----------------------|---------------------------------------|
| cel-expr-python 0.1.3 (cel-cpp)  | 51/51                 | 39-58 us                              |
| common-expression-language 0.10  | 35/51                 | 3-4.6x slower                         |
| cel-python 0.5.0                 | 35/51                 | 28-128x slower                        |

cel-rust has no optionals, no strings extension, counts size() in bytes and does no type check; celpy has no
heterogeneous equality, no optionals and no strings extension. cel-cpp type-checks like cel-go (`found no
matching overload for '_+_' applied to '(int, string)'`), has optionals (`?.`, `orValue`), the strings
extension (`split`, `join`, `lowerAscii`, `format`, `quote`), sets, two-variable comprehensions, RE2 `matches`,
overflow errors and heterogeneous equality for dyn values; it takes Python functions, and opaque values as
protobuf messages, which is how Kubernetes' own libraries are added (library.py). Its error texts differ from
cel-go's (`Key not found in map : "x"`); errors.py rewrites them in cel-go's words (`no such key: x`).

What kauth adds around cel-cpp, and where it still differs from Kubernetes:
- cost.py: cel-cpp keeps no runtime cost; kauth bounds cel-go's from the checked AST and the request's data
  (measured list by list when the quick bound is large), and stops an expression over PerCallLimit or a policy over
  RuntimeCELCostBudget with upstream's texts. It is an upper bound: it counts every iteration, so an expression
  near the limit that relies on short-circuiting may be stopped where Kubernetes would let it finish.
- cel-cpp stops any evaluation after 10,000 comprehension iterations (not configurable from Python); cel-go only
  stops at the cost limit. kauth reports it plainly (errors.py).
- ast.py: mixed list/map literals are rejected at compile time (cel.HomogeneousAggregateLiterals).
- library.py: Kubernetes' libraries, semver, format and image included; validate() and format.named() are rewritten in the
  checked AST to give their optional results, which Python functions cannot return.
- Not as upstream: cross-type numeric comparison of *typed* operands (`1 < 1.5` is a compile error here; dyn
  operands, such as every object field, compare as in Kubernetes); `request`, `variables.x` are dyn rather than
  typed; the compile-time literal validators for regexes, durations and timestamps; validate() / format.named()
  type-check as dyn rather than optional, and an expression whose result is an optional gives value None;
  list indexOf/lastIndexOf take a dyn element; string(cidr) needs a dyn argument; and the authz selector
  functions are not provided (library.py).
"""

from kauth.admission.cel.cost import DataBounds
from kauth.admission.cel.environment import AuthorizerBinding, Compiled, Environment, Result

__all__ = ["AuthorizerBinding", "Compiled", "DataBounds", "Environment", "Result"]
