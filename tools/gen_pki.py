"""Write the example cluster's keys and certificates into policies/ (run once; the output is committed).

    python tools/gen_pki.py [policies]

EXAMPLE KEYS: they are public in this repository. They let learners and policy tests issue client
certificates and tokens that the simulated cluster trusts; never use them for anything real.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import serialization  # noqa: E402

from kauth.authn.x509 import key_pem, new_ca, new_key  # noqa: E402


def main() -> None:
    policies = Path(sys.argv[1] if len(sys.argv) > 1 else "policies")
    pki = policies / "pki"
    pki.mkdir(parents=True, exist_ok=True)
    for name, common_name in (("ca", "kubernetes"), ("front-proxy-ca", "front-proxy-ca")):
        cert, key = new_ca(common_name, days=36500)
        (pki / f"{name}.crt").write_bytes(cert)
        (pki / f"{name}.key").write_bytes(key)
    for name in ("sa", "oidc-issuer"):
        key = new_key()
        (pki / f"{name}.key").write_bytes(key_pem(key))
        public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        (pki / f"{name}.pub").write_bytes(public)
    from jwt.algorithms import RSAAlgorithm

    oidc_public = serialization.load_pem_public_key((pki / "oidc-issuer.pub").read_bytes())
    jwk = json.loads(RSAAlgorithm.to_jwk(oidc_public))
    jwk.update({"kid": "kauth-example-issuer", "use": "sig", "alg": "RS256"})
    (policies / "oidc-jwks.json").write_text(json.dumps({"keys": [jwk]}, indent=2) + "\n")
    print(f"wrote {pki} and {policies / 'oidc-jwks.json'}")


if __name__ == "__main__":
    main()
