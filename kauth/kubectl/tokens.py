"""Making credentials: `kubectl create token` (the TokenRequest API) and client certificates from the CA.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create_token.go (its flag checks and messages).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from kauth.api.errors import ClientError
from kauth.kubectl.client import Client
from kauth.kubectl.output import Outcome

BOUND_KINDS = ("Pod", "Secret", "Node")


def _duration_seconds(text: str) -> float:
    """--duration, a Go duration (`10m`, `1h30m`, `600s`), in seconds; pflag refuses what Go cannot parse."""
    from kauth.kubectl.pflag import flag_error, parse_go_duration

    seconds, why = parse_go_duration(text)
    if seconds is None:
        raise flag_error("create token", "duration", text, why)
    return seconds


def create_token(client: Client, service_account: str, *, audiences: list[str], duration: str = "",
                 bound_kind: str = "", bound_name: str = "", bound_uid: str = "", output: str = "") -> Outcome:
    outcome = Outcome()
    seconds = _duration_seconds(duration) if duration else 0  # a flag's value is parsed before the command runs
    if any(not a for a in audiences):  # TokenOptions.Validate's checks, in its order
        raise ClientError("--audience must not be an empty string")
    if seconds < 0:
        raise ClientError("--duration must be greater than or equal to 0")
    if seconds != int(seconds):
        raise ClientError("--duration cannot be expressed in units less than seconds")
    spec: dict = {}
    if audiences:
        spec["audiences"] = audiences
    if seconds:  # 0 leaves the expiry to the server
        spec["expirationSeconds"] = int(seconds)
    if bound_kind:
        if bound_kind not in BOUND_KINDS:
            raise ClientError(f"supported --bound-object-kind values are {', '.join(BOUND_KINDS)}")
        if not bound_name:
            raise ClientError("--bound-object-name is required if --bound-object-kind is specified")
        spec["boundObjectRef"] = {"kind": bound_kind, "apiVersion": "v1", "name": bound_name,
                                  **({"uid": bound_uid} if bound_uid else {})}
    elif bound_name or bound_uid:
        raise ClientError("--bound-object-name can only be set if --bound-object-kind is provided" if bound_name
                          else "--bound-object-uid can only be set if --bound-object-kind is provided")
    rt = next(t for t in client.table().all() if t.group == "" and t.plural == "serviceaccounts")
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "metadata": {}, "spec": spec}
    response = client.send("create", rt, client.namespace, service_account, body=body, subresource="token")
    if not outcome.answered(response):
        return outcome
    if output in ("json", "yaml"):
        from kauth.kubectl.printing import render

        outcome.write(render(response.body, output, typed=True))  # CoreV1().ServiceAccounts().CreateToken: typed
    else:
        outcome.print(response.body["status"]["token"])
    return outcome


def issue_certificate(policies: Path | None, user: str, groups: tuple[str, ...], days: float, out_dir: str,
                      kubeconfig: str | None) -> list[str]:
    """Write <user>.crt and <user>.key signed by <policies>/pki/ca.{crt,key}; optionally a kubeconfig entry."""
    from kauth.authn.x509 import issue

    if policies is None:
        raise ValueError("no policies directory: pass --policies DIR (it holds pki/ca.crt and pki/ca.key)")
    if not user:
        raise ValueError("--user must not be empty: a certificate without a CN authenticates no one")
    ca_cert, ca_key = (policies / "pki" / "ca.crt").read_bytes(), (policies / "pki" / "ca.key").read_bytes()
    cert, key = issue(ca_cert, ca_key, common_name=user, organizations=groups, days=days)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", user)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = out / f"{safe}.crt", out / f"{safe}.key"
    cert_path.write_bytes(cert)
    key_path.write_bytes(key)
    key_path.chmod(0o600)
    lines = [f"wrote {cert_path} (CN={user}" + (f", O={','.join(groups)}" if groups else "") + f", {days:g} days)",
             f"wrote {key_path}"]
    if kubeconfig:
        _add_user(Path(kubeconfig), user, cert, key)
        lines.append(f'added user and context "{user}" to {kubeconfig}')
    return lines


def _add_user(path: Path, user: str, cert: bytes, key: bytes) -> None:
    """A kubeconfig user with embedded credentials, and a context of the same name (kubectl config set-credentials)."""
    import yaml

    from kauth.api.yaml11 import load_config

    config = load_config(path.read_text()) if path.exists() else None
    config = config or {"apiVersion": "v1", "kind": "Config", "clusters": [], "contexts": [], "users": [],
                        "preferences": {}, "current-context": ""}
    entry = {"name": user, "user": {"client-certificate-data": base64.b64encode(cert).decode(),
                                    "client-key-data": base64.b64encode(key).decode()}}
    config["users"] = [u for u in config.get("users") or [] if u.get("name") != user] + [entry]
    context = {"name": user, "context": {"cluster": "kauth", "user": user}}
    config["contexts"] = [c for c in config.get("contexts") or [] if c.get("name") != user] + [context]
    if not any(c.get("name") == "kauth" for c in config.get("clusters") or []):
        config.setdefault("clusters", []).append({"name": "kauth", "cluster": {"server": "https://kauth.invalid"}})
    config["current-context"] = config.get("current-context") or user
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def create_bootstrap_token(client: Client, *, ttl: str = "24h", groups: tuple[str, ...] = (),
                           usages: tuple[str, ...] = ("signing", "authentication"), description: str = "") -> Outcome:
    """`kubeadm token create`: a random <id>.<secret> and its kube-system/bootstrap-token-<id> Secret."""
    import secrets
    import string
    from datetime import datetime, timedelta, timezone

    from kauth.authn.bootstrap import EXTRA_GROUP

    outcome = Outcome()
    for group in groups:
        if not EXTRA_GROUP.match(group):
            raise ClientError(f'--groups: bootstrap group "{group}" is invalid (must match '
                              r"\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z)")
    for usage in usages:
        if usage not in ("signing", "authentication"):
            raise ClientError(f'--usages: invalid bootstrap token usage string: {usage}, valid usage options: '
                              "signing,authentication")
    alphabet = string.ascii_lowercase + string.digits
    token_id = "".join(secrets.choice(alphabet) for _ in range(6))
    token_secret = "".join(secrets.choice(alphabet) for _ in range(16))
    data = {"token-id": token_id, "token-secret": token_secret}
    seconds = _duration_seconds(ttl) if ttl not in ("0", "0s") else 0
    if seconds:
        expires = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        data["expiration"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    for usage in usages:
        data[f"usage-bootstrap-{usage}"] = "true"
    data["auth-extra-groups"] = ",".join(groups or ("system:bootstrappers:kubeadm:default-node-token",))
    if description:
        data["description"] = description
    body = {"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
            "metadata": {"name": f"bootstrap-token-{token_id}", "namespace": "kube-system"}, "stringData": data}
    rt = client.table().for_kind("v1", "Secret")
    if outcome.answered(client.send("create", rt, "kube-system", body=body)):
        outcome.print(f"{token_id}.{token_secret}")
    return outcome
