"""The static token file (--token-auth-file): CSV rows `token,user,uid[,"group1,group2"]`.

Upstream: staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go (NewCSV): a row of
fewer than 3 columns stops the server from starting; an empty token is skipped; a repeated token keeps
the last row; column 4 is split on commas.
"""

from __future__ import annotations

import csv
import io

from kauth.authn.authenticator import Result
from kauth.authn.user import UserInfo


class TokenFileError(ValueError):
    """The file cannot be loaded (kube-apiserver would refuse to start)."""


def parse(text: str, source: str = "token file") -> dict[str, UserInfo]:
    tokens: dict[str, UserInfo] = {}
    reader = csv.reader(io.StringIO(text))
    for number, row in enumerate(reader, 1):
        if len(row) < 3:
            raise TokenFileError(f"{source}: line {number}: token file '{source}' must have at least 3 columns "
                                 f"(token, user name, user uid), found {len(row)}")
        token, name, uid = row[0].strip(), row[1].strip(), row[2].strip()
        if not token:
            continue
        groups = tuple(row[3].split(",")) if len(row) >= 4 else ()
        tokens[token] = UserInfo(name, uid, groups)
    return tokens


class TokenFileAuthenticator:
    name = "token-file"

    def __init__(self, tokens: dict[str, UserInfo]) -> None:
        self.tokens = tokens

    def authenticate_token(self, token: str) -> Result | None:
        user = self.tokens.get(token)  # a map lookup, as upstream's
        if user is None:
            return None  # a miss is no error: the next token authenticator may know the token
        return Result(user, self.name, f'static token of user "{user.name}" (--token-auth-file)')
