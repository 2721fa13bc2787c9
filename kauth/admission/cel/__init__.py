"""CEL for admission policies, as Kubernetes (cel-go) evaluates it.

The engine is cel-expr-python (Google's CEL C++ implementation, cel-cpp, with Python bindings). Chosen over
cel-python (celpy, pure Python) and common-expression-language (cel-rust) by measurement (2026-12-02, 51 probes
of cel-go behaviour, one Deployment policy timed over 2,000 evaluations):

| library                        | probes agreeing with cel-go | time per evaluation |
|--------------------------------|-----------------------------|---------------------|
| cel-expr-python 0.1.3 (cel-cpp)| 49/51 (the 2: `1 == 1.0` is a type-check error, as in cel-go) | 39 us |
| common-expression-language 0.10| 37/51: no optionals, no strings ext, size() counts bytes, no type check | 176 us |
| cel-python 0.5.0               | 33/51: no heterogeneous equality, no optionals, no strings ext | 3,451 us |

cel-cpp type-checks like cel-go (`found no matching overload for '_+_' applied to '(int, string)'`), has
optionals (`?.`, `orValue`), the strings extension (`split`, `join`, `lowerAscii`, `format`, `quote`), RE2
`matches`, overflow errors, and heterogeneous equality for dyn values. It takes custom functions in Python and
opaque values as protobuf messages, which is how Kubernetes' libraries (quantity, url, ip, cidr, authz) are added
(library.py). It keeps no runtime cost, so cost.py computes cel-go's cost model from the checked AST; its error
texts differ from cel-go's, so errors.py rewrites them.
"""

from kauth.admission.cel.cost import DataBounds
from kauth.admission.cel.environment import AuthorizerBinding, Compiled, Environment, Result

__all__ = ["AuthorizerBinding", "Compiled", "DataBounds", "Environment", "Result"]
