"""UserInfo: who a request is from, as kube-apiserver's user.Info."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

ANONYMOUS = "system:anonymous"
UNAUTHENTICATED = "system:unauthenticated"
AUTHENTICATED = "system:authenticated"
MASTERS = "system:masters"


@dataclass(frozen=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def describe(self) -> str:
        groups = ", ".join(self.groups) if self.groups else "none"
        return f'user "{self.name}" (groups: {groups})'


# The CLI's default identity: what a kubeadm admin kubeconfig's client certificate says.
CLUSTER_ADMIN = UserInfo("kubernetes-admin", groups=(MASTERS, AUTHENTICATED))
