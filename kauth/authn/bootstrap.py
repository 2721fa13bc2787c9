"""Bootstrap tokens (--enable-bootstrap-token-auth): `<id>.<secret>` checked against a kube-system Secret.

Upstream: plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go and staging/src/k8s.io/cluster-bootstrap
(token/api, token/util): the Secret `bootstrap-token-<id>` of type bootstrap.kubernetes.io/token, not being
deleted, `usage-bootstrap-authentication: "true"`, not expired, secret compared in constant time.
"""

from __future__ import annotations

import base64
import hmac
import re
from datetime import datetime
from typing import Callable

from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo

TOKEN = re.compile(r"\A([a-z0-9]{6})\.([a-z0-9]{16})\Z")
EXTRA_GROUP = re.compile(r"\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\Z")
SECRET_TYPE = "bootstrap.kubernetes.io/token"
BOOTSTRAPPERS = "system:bootstrappers"


def secret_value(secret: dict, key: str) -> str | None:
    """A Secret's data[key] decoded (stringData is folded into data on write)."""
    data = secret.get("data") or {}
    if key not in data:
        return None
    try:
        return base64.b64decode(data[key]).decode()
    except (ValueError, UnicodeDecodeError):
        return None


class BootstrapTokenAuthenticator:
    name = "bootstrap-token"

    def __init__(self, get_secret: Callable[[str, str], dict | None], clock: Callable[[], datetime]) -> None:
        self.get_secret = get_secret  # (namespace, name) -> the stored Secret
        self.clock = clock

    def authenticate_token(self, token: str) -> Result | None:
        match = TOKEN.match(token)
        if not match:
            return None  # not a bootstrap token: the next authenticator may know it
        token_id, token_secret = match.groups()
        name = f"bootstrap-token-{token_id}"
        secret = self.get_secret("kube-system", name)

        def fail(why: str) -> Result:
            # Upstream logs why and answers "not authenticated": with nobody else accepting, a 401.
            return Result(None, self.name, f"bootstrap token {token_id}: {why}", error=True)

        if secret is None:
            return fail(f"no secret kube-system/{name}")
        if (secret.get("metadata") or {}).get("deletionTimestamp"):
            return fail(f"secret kube-system/{name} is being deleted")
        if secret.get("type") != SECRET_TYPE:
            return fail(f"secret kube-system/{name} is of type {secret.get('type')!r}, not {SECRET_TYPE!r}")
        stored_secret = secret_value(secret, "token-secret") or ""
        if not hmac.compare_digest(stored_secret.encode(), token_secret.encode()):
            return fail("the token secret does not match")
        if secret_value(secret, "token-id") != token_id:
            return fail("the secret's token-id does not match")
        expiration = secret_value(secret, "expiration")
        if expiration is not None:
            try:
                expires = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
            except ValueError:
                return fail(f"unparseable expiration {expiration!r}: treated as expired")
            if expires.tzinfo is None or self.clock() >= expires:
                return fail(f"expired at {expiration}")
        if secret_value(secret, "usage-bootstrap-authentication") != "true":
            return fail('usage-bootstrap-authentication is not "true"')
        groups = {BOOTSTRAPPERS}
        extra = secret_value(secret, "auth-extra-groups")
        for group in extra.split(",") if extra is not None else ():
            if not EXTRA_GROUP.match(group):
                return fail(f"auth-extra-groups entry {group!r} is not a system:bootstrappers: group")
            groups.add(group)
        user = UserInfo(f"system:bootstrap:{token_id}", groups=tuple(sorted(groups)))
        return Result(user, self.name, f"bootstrap token {token_id} matches Secret kube-system/{name}")
