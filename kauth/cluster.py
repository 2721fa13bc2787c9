"""Cluster: a state (store) plus the configured API server in front of it. The public Python API.

    cluster = kauth.Cluster.open(".kauth/state.db")
    response = cluster.handle(Request("get", "", "v1", "pods", "default", "my-nginx"))
    review = cluster.authorize(user="alice", groups=["dev"], verb="create", resource="pods", namespace="dev")
    review.allowed, review.reason
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kauth.apiserver.pipeline import APIServer
from kauth.apiserver.request import Credentials, Request, Response
from kauth.authn.user import MASTERS, UserInfo
from kauth.authz.authorizer import AccessReview, Attributes, review
from kauth.store.base import Store

DEFAULT_STATE = Path(".kauth") / "state.db"
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# kube-apiserver bootstraps the cluster as this identity.
APISERVER = UserInfo("system:apiserver", groups=(MASTERS,))


class StateMissing(Exception):
    """No state where one was expected: the message says how to make one."""


def state_path(explicit: str | None = None) -> Path:
    """--state PATH, else $KAUTH_STATE, else ./.kauth/state.db."""
    return Path(explicit or os.environ.get("KAUTH_STATE") or DEFAULT_STATE)


def policies_dir(explicit: str | None = None) -> Path | None:
    """--policies DIR, else $KAUTH_POLICIES, else ./policies when present; None means the package's built-in
    defaults only."""
    explicit = explicit or os.environ.get("KAUTH_POLICIES")
    if explicit:
        return Path(explicit).resolve()
    here = Path("policies")
    return here.resolve() if here.is_dir() else None


@dataclass
class Cluster:
    store: Store
    server: APIServer
    policies: Path | None = None  # where the authentication configuration (and init's RBAC) came from

    @classmethod
    def from_store(cls, store: Store, policies: Path | None = None) -> "Cluster":
        """The API server over a state, authenticating as `<policies>/authentication.yaml` says (without one,
        only asserted identities and anonymous requests)."""
        from kauth.authn.config import build
        from kauth.store.base import Key

        server = APIServer(store)
        server.admission = admission_chain(policies, server.authorizer)
        authentication = build(policies, lambda resource, namespace, name: server.store.get(
            Key("", resource, namespace, name)), lambda: server.clock())
        server.authenticator = authentication.union
        server.token_issuer = authentication.token_issuer
        server.root_ca_pem = authentication.root_ca_pem
        return cls(store, server, policies)

    @classmethod
    def open(cls, path: str | Path | None = None, *, policies: Path | None = None) -> "Cluster":
        """The state at `path`, served with `policies` (default: ./policies when present)."""
        from kauth.store.sqlite import SqliteStore, StateNotFound

        target = state_path(str(path) if path else None)
        try:
            return cls.from_store(SqliteStore(target), policies if policies is not None else policies_dir())
        except StateNotFound:
            raise StateMissing(
                f'no kauth state at {target}: run "kauth init" to create one '
                f"(or pass --state PATH / set KAUTH_STATE)") from None

    @classmethod
    def init(cls, path: str | Path | None = None, *, policies: Path | None = None, force: bool = False) -> "Cluster":
        """Create a new state holding what a fresh kubeadm cluster holds (see `bootstrap`)."""
        from kauth.store.sqlite import SqliteStore

        from kauth.store.memory import MemoryStore

        target = state_path(str(path) if path else None)
        if target.exists() and not force:
            raise FileExistsError(f"a kauth state already exists at {target} (use --force to replace it)")
        cls.from_store(MemoryStore(), policies)  # policies kube-apiserver would refuse fail here, replacing nothing
        if target.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
        store = SqliteStore(target, create=True)
        try:
            cluster = cls.from_store(store, policies)
            cluster.bootstrap(policies)
        except BaseException:  # a policies directory kube-apiserver would refuse: leave no half-made state
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            raise
        return cluster

    @classmethod
    def in_memory(cls, *, bootstrap: bool = True, policies: Path | None = None) -> "Cluster":
        from kauth.store.memory import MemoryStore

        cluster = cls.from_store(MemoryStore(), policies)
        if bootstrap:
            cluster.bootstrap(policies)
        return cluster

    @classmethod
    def from_files(cls, *paths: str | Path, policies: Path | None = None, bootstrap: bool = True) -> "Cluster":
        """An in-memory cluster (bootstrapped as `kauth init` does, unless told not to) holding the objects of
        these YAML or JSON files, or of every .yaml/.yml/.json file in these directories, created in order."""
        cluster = cls.in_memory(bootstrap=bootstrap, policies=policies)
        objects: list[dict] = []
        for path in map(Path, paths):
            files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json")) if path.is_dir() \
                else [path]
            for file in files:
                objects.extend(_items(file.read_text()))
        cluster.create_objects(objects)
        return cluster

    def authorize(self, *, user: str, groups: list[str] | tuple[str, ...] = (), verb: str, resource: str = "",
                  api_group: str = "", subresource: str = "", namespace: str = "", name: str = "", path: str = "",
                  uid: str = "") -> AccessReview:
        """Would the API server's authorizers (system:masters, then RBAC) allow this request? As a
        SubjectAccessReview: the groups are used as given (no system:authenticated is added). A `path` makes it
        a non-resource request (`/healthz`); otherwise `resource` is required."""
        if not path and not resource:
            raise ValueError("authorize needs a resource, or a path for a non-resource request")
        if path and resource:
            raise ValueError("a request names either a resource or a non-resource path, not both")
        who = UserInfo(user, uid, tuple(groups))
        if path:
            attributes = Attributes(who, verb, False, path=path)
        else:
            attributes = Attributes(who, verb, True, api_group, "", resource, subresource, namespace, name)
        return review(self.server.authorizer, attributes)

    def copy(self) -> "Cluster":
        """An independent in-memory copy: what-if runs change it, never the original."""
        twin = Cluster.from_store(self.store.copy(), self.policies)
        self.server.rbac.share_with(twin.server.rbac)
        return twin

    def handle(self, request: Request) -> Response:
        return self.server.handle(request)

    def close(self) -> None:
        """Release the state; for SQLite this checkpoints the write-ahead log so the file stands alone."""
        self.store.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table(self):
        """The resource table this cluster's API server serves (what discovery would report)."""
        return self.server.table()

    def bootstrap(self, policies: Path | None = None) -> list[Response]:
        """The system namespaces (each gets its `default` ServiceAccount and, with a cluster CA, its
        `kube-root-ca.crt` ConfigMap from the simulated controllers), the `kubernetes` Service, the system
        PriorityClasses, and the bootstrap RBAC policy plus `<policies>/rbac/*.yaml`."""
        objects: list[dict] = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}
                               for n in SYSTEM_NAMESPACES]
        objects.append({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "type": "ClusterIP",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]},
        })
        objects.extend(system_priority_classes())
        objects.extend(bootstrap_rbac(policies))
        if policies is not None:
            objects.extend(_policy_objects(policies / "rbac"))
        return self.create_objects(objects)

    def create_objects(self, objects: list[dict]) -> list[Response]:
        """Create each object through the pipeline as kube-apiserver's own identity; stops at the first failure."""
        out = []
        table = self.server.table()
        for obj in objects:
            rt = table.for_kind(obj["apiVersion"], obj["kind"])
            namespace = (obj.get("metadata", {}).get("namespace") or "default") if rt.namespaced else ""
            response = self.handle(Request("create", rt.group, rt.version, rt.plural, namespace, body=obj,
                                           credentials=Credentials(asserted_user=APISERVER),
                                           user_agent=APISERVER_USER_AGENT))
            if not response.ok:
                raise RuntimeError(f"creating failed for {obj['kind']} {obj['metadata'].get('name')}: "
                                   f"{response.message}")
            out.append(response)
            if obj.get("kind") == "CustomResourceDefinition":
                table = self.server.table()
        return out


# kube-apiserver's own client: its writes are recorded under the manager `kube-apiserver` (the User-Agent's prefix).
APISERVER_USER_AGENT = "kube-apiserver/v1.37.0 (linux/amd64) kubernetes/kauth"


def admission_chain(policies: Path | None, authorizer):
    """The admission chain `<policies>/admission.yaml` configures (kube-apiserver's defaults without it)."""
    from kauth.admission.plugins import build_chain, read_options

    return build_chain(read_options(policies), authorizer=authorizer)


def system_priority_classes() -> list[dict]:
    """What kube-apiserver's post-start hook scheduling/bootstrap-system-priority-classes creates
    (pkg/registry/scheduling/rest/storage_scheduling.go): name, value and description only; defaulting
    adds preemptionPolicy."""
    from kauth.admission.priority import SYSTEM_PRIORITY_CLASSES

    return [{"apiVersion": c["apiVersion"], "kind": c["kind"], "metadata": {"name": c["metadata"]["name"]},
             "value": c["value"], "description": c["description"]} for c in SYSTEM_PRIORITY_CLASSES.values()]


def bootstrap_rbac(policies: Path | None = None) -> list[dict]:
    """The bootstrap RBAC objects of a real cluster: `<policies>/rbac-bootstrap/` when that exists
    (a team may edit its copy), else the copy shipped inside the package."""
    folder = policies / "rbac-bootstrap" if policies is not None else None
    if folder is None or not folder.is_dir():
        folder = resources.files("kauth") / "policies" / "rbac-bootstrap"
    out: list[dict] = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")):
        out.extend(_items((folder / name).read_text()))
    return out


def _policy_objects(folder: Path) -> list[dict]:
    if not folder.is_dir():
        return []
    out: list[dict] = []
    for path in sorted(folder.glob("*.y*ml")):
        out.extend(_items(path.read_text()))
    return out


def _items(text: str) -> list[dict]:
    from kauth.api.yaml11 import load_all

    out = []
    for doc in load_all(text):
        if not doc:
            continue
        if isinstance(doc.get("items"), list) and doc.get("kind", "").endswith("List"):
            out.extend(doc["items"])
        else:
            out.append(doc)
    return out
