"""The kauth command line: kubectl's commands against a simulated cluster state.

A shell: each command parses options, calls one function of kauth.kubectl (or kauth.state),
prints what it returns. Imports are lazy so `kauth --help` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from typing import Any, Callable, Iterator

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


def _connection_options(func: Callable, *, shadowed: tuple[str, ...] = ()) -> Callable:
    """Flags every API command takes, as kubectl's global flags: state, identity, namespace, --explain.
    `shadowed`: global flags a command's own flag of the same name hides (create rolebinding --user)."""
    option = click.option
    options = [
        ("state", option("--state", "state", metavar="PATH",
                         help="State file (default: $KAUTH_STATE, else ./.kauth/state.db).")),
        ("namespace", option("-n", "--namespace", "namespace", metavar="NS",
                             help="The namespace scope for this request.")),
        ("as", option("--as", "as_user", metavar="USER", help="Username to impersonate for the operation.")),
        ("as-group", option("--as-group", "as_groups", multiple=True, metavar="GROUP",
                            help="Group to impersonate (repeatable).")),
        ("as-uid", option("--as-uid", "as_uid", metavar="UID", help="UID to impersonate for the operation.")),
        ("kubeconfig", option("--kubeconfig", metavar="PATH", help="Path to the kubeconfig file (default: "
                              "$KUBECONFIG); without one, kauth acts as the kubeadm admin (system:masters).")),
        ("context", option("--context", "kube_context", metavar="NAME", help="The kubeconfig context to use.")),
        ("user", option("--user", "kube_user", metavar="NAME", help="The kubeconfig user to use.")),
        ("token", option("--token", metavar="TOKEN", help="Bearer token for authentication to the API server.")),
        ("client-certificate", option("--client-certificate", metavar="PATH",
                                      help="Path to a client certificate file for TLS.")),
        ("client-key", option("--client-key", metavar="PATH", help="Path to a client key file for TLS.")),
        ("explain", option("--explain", is_flag=True,
                           help="Print how the API server handled each request (the pipeline trace).")),
        ("explain-output", option("--explain-output", type=click.Choice(["tree", "json"]), default="tree",
                                  show_default=True, help="Format of --explain.")),
    ]
    for flag, decorator in reversed(options):
        if flag not in shadowed:
            func = decorator(func)
    return func


def _file_options(func: Callable) -> Callable:
    func = click.option("-R", "--recursive", is_flag=True, help="Process the directory used in -f recursively.")(func)
    return click.option("-f", "--filename", "filenames", multiple=True, metavar="FILE",
                        help="Files, directories or - (stdin) with the objects.")(func)


def _dry_run_option(func: Callable) -> Callable:
    return click.option("--dry-run", "dry_run", type=click.Choice(["none", "client", "server"]), default="none",
                        is_flag=False, flag_value="client", show_default=True,
                        help='"server": run the whole pipeline without persisting; "client": send nothing.')(func)


def _validate_option(func: Callable) -> Callable:
    return click.option("--validate", "validate", default="strict", is_flag=False, flag_value="true",
                        show_default=True, metavar="strict|warn|ignore",
                        help='How the server treats unknown fields (fieldValidation): "strict" (or true) fails the '
                             'request, "warn" warns and drops them, "ignore" (or false) drops them silently.')(func)


def _local_edit_options(func: Callable) -> Callable:
    """--local, --dry-run and -o: the flags of the commands that edit objects from the server or from files."""
    func = _output_option(_dry_run_option(func))
    return click.option("--local", is_flag=True, help="Only change the files' objects locally and print them.")(func)


def _output_option(func: Callable) -> Callable:
    return click.option("-o", "--output", "output", default="", metavar="FORMAT",
                        help="json|yaml|name|wide|jsonpath=TEMPLATE|custom-columns=SPEC")(func)


class Session:
    """What one invocation needs: the cluster (opened lazily) and the kubectl client over it."""

    def __init__(self, kwargs: dict[str, Any]):
        self.kwargs = kwargs
        self.cluster = None

    def open(self):
        from kauth.cluster import Cluster

        if self.cluster is None:
            self.cluster = Cluster.open(self.kwargs.get("state"))
        return self.cluster

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def client(self):
        from kauth.apiserver.request import Impersonation
        from kauth.kubectl.client import Client

        from kauth.kubectl.kubeconfig import resolve

        cluster = self.open()
        namespace = self.kwargs.get("namespace")
        impersonate = None
        if self.kwargs.get("as_user") or self.kwargs.get("as_groups") or self.kwargs.get("as_uid"):
            impersonate = Impersonation(self.kwargs.get("as_user") or "", tuple(self.kwargs.get("as_groups") or ()),
                                        self.kwargs.get("as_uid") or "")
        identity = resolve(kubeconfig=self.kwargs.get("kubeconfig"), context=self.kwargs.get("kube_context"),
                           user=self.kwargs.get("kube_user"), token=self.kwargs.get("token"),
                           client_certificate=self.kwargs.get("client_certificate"),
                           client_key=self.kwargs.get("client_key"))
        options = {} if identity is None else {"credentials": identity.credentials}
        default_namespace = (identity.namespace if identity else "") or "default"
        return Client(cluster, impersonate=impersonate, namespace=namespace or default_namespace,
                      namespace_explicit=bool(namespace), **options)

    def required_documents(self, message: str = "must specify one of -f and -k", exit_code: int = 1):
        """The -f documents of a command that needs them, or kubectl's error when none was given."""
        documents = self.documents()
        if documents is None:
            from kauth.api.errors import ClientError

            raise ClientError(message, exit_code=exit_code)
        return documents

    def documents(self):
        from kauth.kubectl.loader import read_manifests

        filenames = list(self.kwargs.get("filenames") or ())
        if not filenames:
            return None
        return read_manifests(filenames, recursive=bool(self.kwargs.get("recursive")), stdin=sys.stdin)


def _finish(outcome, kwargs: dict[str, Any]) -> None:
    """Print stdout, stderr and (with --explain) the trace; exit with kubectl's code."""
    click.echo(outcome.text, nl=False)
    if outcome.stderr:
        click.echo(outcome.stderr, err=True, nl=False)
    if kwargs.get("explain"):
        from kauth.cli.explain import print_explanations, print_trace

        print_explanations(outcome.explained(), kwargs.get("explain_output", "tree"))
        print_trace(outcome.responses, kwargs.get("explain_output", "tree"))
    sys.exit(outcome.exit_code)


def _policy_errors() -> tuple[type[Exception], ...]:
    """The errors of a policies directory kube-apiserver would refuse to start with."""
    from kauth.admission.plugins import AdmissionConfigError
    from kauth.admission.podsecurity.config import ConfigError as PodSecurityConfigError
    from kauth.authn.config import ConfigError as AuthenticationConfigError

    return AdmissionConfigError, PodSecurityConfigError, AuthenticationConfigError


def _command(func: Callable) -> Callable:
    """Turn kauth's own errors (no state, unreadable files) into kubectl-style messages and exit 1."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> None:
        session = Session(kwargs)
        with reported_errors(session):
            outcome = func(session, **kwargs)
        _finish(outcome, kwargs)

    return wrapper


@contextlib.contextmanager
def reported_errors(session: Session) -> Iterator[None]:
    """kauth's own errors (no state, a broken policies directory, kubectl's client-side refusals) printed as
    kubectl prints them, with its exit code; the session closed whatever happens."""
    from kauth.api.errors import ClientError
    from kauth.cluster import StateMissing

    try:
        yield
    except (StateMissing, *_policy_errors()) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except ClientError as err:
        click.echo(err.kubectl_text(), err=True)
        sys.exit(err.exit_code)
    finally:
        session.close()


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="kauth", prog_name="kauth")
def cli() -> None:
    """kauth: what would happen if this person ran this command against this cluster state, and why?

    A Kubernetes API server (v1.37) and kubectl (v1.32) simulated in one process, on a state kept
    in a SQLite file. Start with `kauth init`, then use kubectl's commands.
    """


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--state", metavar="PATH", help="Where to create the state (default: $KAUTH_STATE, else ./.kauth/state.db).")
@click.option("--policies", metavar="DIR", help="Policies directory (default: ./policies when present).")
@click.option("--force", is_flag=True, help="Replace an existing state.")
def init(state: str | None, policies: str | None, force: bool) -> None:
    """Create a cluster state: system namespaces, default ServiceAccounts, bootstrap RBAC."""
    from kauth.cluster import Cluster, policies_dir, state_path

    try:
        cluster = Cluster.init(state, policies=policies_dir(policies), force=force)
    except (FileExistsError, *_policy_errors()) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    count = len(cluster.store.all_objects())
    cluster.close()
    click.echo(f"kauth state initialised at {state_path(state)} ({count} objects)")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--state", metavar="PATH", help="State file (default: $KAUTH_STATE, else ./.kauth/state.db).")
@click.option("--policies", metavar="DIR", help="Policies directory (default: ./policies when present).")
@click.option("--bind-address", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--secure-port", default=6443, show_default=True, type=int, help="The HTTPS port (0: any free one).")
@click.option("--tls-cert-file", metavar="PATH", help="Serving certificate (default: one signed by the cluster CA).")
@click.option("--tls-private-key-file", metavar="PATH", help="Key of --tls-cert-file.")
def serve(state: str | None, policies: str | None, bind_address: str, secure_port: int, tls_cert_file: str | None,
          tls_private_key_file: str | None) -> None:
    """Serve the state over HTTPS with kube-apiserver's REST API, so a real kubectl can talk to it.

    Every request goes through the same pipeline as kauth's own commands (authentication, RBAC,
    admission, storage) and writes persist in the state. Not served: watches, and request bodies in
    protobuf (kubectl's typed clients, e.g. `kubectl create deployment`, `kubectl auth can-i`, send them).
    """
    from pathlib import Path

    from kauth.apiserver.http import TLS, default_tls, make_server
    from kauth.authn.config import read_flags
    from kauth.cluster import Cluster, StateMissing, policies_dir, state_path

    folder = policies_dir(policies)
    try:
        cluster = Cluster.open(state, policies=folder)
    except (StateMissing, *_policy_errors()) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    client_ca_file = str(read_flags(folder).get("client-ca-file", ""))
    tls, trust = default_tls(folder, client_ca_file)
    if tls_cert_file or tls_private_key_file:
        if not (tls_cert_file and tls_private_key_file):
            click.echo("error: --tls-cert-file and --tls-private-key-file go together", err=True)
            sys.exit(1)
        tls = TLS(Path(tls_cert_file).read_bytes(), Path(tls_private_key_file).read_bytes(), tls.client_ca_pem)
        trust = b""
    server = make_server(cluster, bind_address, secure_port, tls)
    url = f"https://{bind_address}:{server.server_address[1]}"
    ca_file = state_path(state).parent / "serving-ca.crt"
    if trust:
        ca_file.write_bytes(trust)
    click.echo(f"kauth: serving {state_path(state)} at {url} (Ctrl-C stops)")
    click.echo(f"  kubectl --server {url} --certificate-authority {ca_file if trust else tls_cert_file} "
               "--token TOKEN get pods")
    sys.stdout.flush()  # the lines above must reach a log file before the server blocks
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        cluster.close()


# `kauth create -f FILE` creates from files; `kauth create token SA` (later: the generators) are subcommands.
@cli.group(invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@_file_options
@_dry_run_option
@_output_option
@click.option("--save-config", is_flag=True, help="Record the configuration in the last-applied annotation.")
@_validate_option
@_connection_options
@click.pass_context
def create(ctx: click.Context, **kw: Any) -> None:
    """Create objects from files (POST); an existing object is an AlreadyExists error."""
    if ctx.invoked_subcommand is None:
        _create_from_files(**kw)


@_command
def _create_from_files(session: Session, **kw: Any):
    from kauth.kubectl.client import validation_directive
    from kauth.kubectl.create import create as run

    field_validation = validation_directive(kw["validate"])
    documents = session.required_documents()
    return run(session.client(), documents, dry_run=kw["dry_run"], output=kw["output"], save_config=kw["save_config"],
               field_validation=field_validation)


@cli.command(context_settings=CONTEXT_SETTINGS)
@_file_options
@_dry_run_option
@_output_option
@_validate_option
@click.option("--overwrite", type=click.BOOL, default=True, is_flag=False, flag_value="true", show_default=True,
              help="Overwrite fields changed on the live object since the last apply (--overwrite=false refuses).")
@click.option("--server-side", is_flag=True, help="Server-side apply (not simulated yet).")
@click.option("-l", "--selector", default="", help="Apply only the objects of the files with these labels "
              "(e.g. app=web); with --prune, prune only objects with them.")
@click.option("--all", "select_all", is_flag=True, help="With --prune: consider every object of the allowlisted types.")
@click.option("--prune", is_flag=True, help="Delete objects applied before (they carry last-applied) that match -l "
              "or --all but are no longer in the files.")
@click.option("--prune-allowlist", multiple=True, metavar="GROUP/VERSION/KIND",
              help="Types --prune may delete, e.g. core/v1/ConfigMap (repeatable; default: kubectl's list).")
@click.option("--force", is_flag=True, help="If the patch is refused (Conflict or Invalid), delete the object and "
              "create it from the file.")
@_connection_options
@_command
def apply(session: Session, **kw: Any):
    """Apply a configuration to objects by files: create them, or three-way patch them (client-side apply)."""
    from kauth.kubectl.apply import apply as run
    from kauth.kubectl.client import validation_directive

    field_validation = validation_directive(kw["validate"])
    documents = session.required_documents()
    return run(session.client(), documents, dry_run=kw["dry_run"], output=kw["output"],
               field_validation=field_validation, overwrite=kw["overwrite"], server_side=kw["server_side"],
               selector=kw["selector"], select_all=kw["select_all"], prune=kw["prune"],
               prune_allowlist=tuple(kw["prune_allowlist"]), force=kw["force"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@_file_options
@click.option("-o", "--output", default="", help="json for scripts; a table per object otherwise.")
@_connection_options
@_command
def compare(session: Session, **kw: Any):
    """Run apply, create and replace on copies of the state, side by side (the state is never changed)."""
    import json as json_module

    from kauth.kubectl.compare import compare as run, render
    from kauth.kubectl.output import Outcome

    documents = session.required_documents()
    template = session.client()

    def client_for(cluster):
        from kauth.kubectl.client import Client

        return Client(cluster, credentials=template.credentials, impersonate=template.impersonate,
                      namespace=template.namespace, namespace_explicit=template.namespace_explicit)

    comparisons = run(session.open(), client_for, documents)
    outcome = Outcome()
    if kw["output"] == "json":
        outcome.write(json_module.dumps([c.to_dict() for c in comparisons], indent=2, ensure_ascii=False) + "\n")
    else:
        outcome.write(render(comparisons))
    return outcome


@cli.command(context_settings=CONTEXT_SETTINGS)
@_file_options
@_validate_option
@_connection_options
@_command
def diff(session: Session, **kw: Any):
    """Diff the live objects against what apply would make of them. Exit 0: same; 1: different; >1: error."""
    from kauth.kubectl.client import validation_directive
    from kauth.kubectl.diff import diff as run

    documents = session.required_documents("must specify one of -f and -k", exit_code=2)
    return run(session.client(), documents, field_validation=validation_directive(kw["validate"]))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@_output_option
@click.option("-A", "--all-namespaces", is_flag=True, help="List across all namespaces.")
@click.option("-l", "--selector", default="", help="Label selector (e.g. app=web,tier!=db).")
@click.option("--field-selector", default="", help="Field selector (e.g. metadata.name=x).")
@click.option("--show-labels", is_flag=True, help="Show all labels as the last column.")
@click.option("-L", "--label-columns", multiple=True, help="Labels to show as columns.")
@click.option("--no-headers", is_flag=True, help="Omit the table header.")
@click.option("--ignore-not-found", is_flag=True, help="Treat NotFound as success.")
@click.option("--show-managed-fields", is_flag=True,
              help="Keep metadata.managedFields when printing objects as JSON or YAML.")
@_connection_options
@_command
def get(session: Session, **kw: Any):
    """Display one or many objects (TYPE, TYPE NAME..., TYPE/NAME..., TYPE1,TYPE2, all)."""
    from kauth.kubectl.get import get as run

    columns = tuple(c for spec in kw["label_columns"] for c in spec.split(",") if c)
    return run(session.client(), list(kw["args"]), documents=session.documents(),
               all_namespaces=kw["all_namespaces"], selector=kw["selector"], field_selector=kw["field_selector"],
               output=kw["output"], show_labels=kw["show_labels"], label_columns=columns,
               no_headers=kw["no_headers"], ignore_not_found=kw["ignore_not_found"],
               show_managed_fields=kw["show_managed_fields"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@_dry_run_option
@click.option("-o", "--output", default="", help="name: print only resource/name.")
@click.option("-l", "--selector", default="", help="Label selector.")
@click.option("--all", "all_objects", is_flag=True, help="Delete all objects of the given types in the namespace.")
@click.option("-A", "--all-namespaces", is_flag=True, help="With -l or --all: across all namespaces.")
@click.option("--ignore-not-found", is_flag=True, help="Treat NotFound as success.")
@_connection_options
@_command
def delete(session: Session, **kw: Any):
    """Delete objects by files, by TYPE NAME, or by selector."""
    from kauth.kubectl.delete import delete as run

    return run(session.client(), list(kw["args"]), documents=session.documents(), selector=kw["selector"],
               all_objects=kw["all_objects"], all_namespaces=kw["all_namespaces"],
               ignore_not_found=kw["ignore_not_found"], dry_run=kw["dry_run"], output=kw["output"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@_file_options
@_dry_run_option
@_output_option
@click.option("--save-config", is_flag=True, help="Record the configuration in the last-applied annotation.")
@click.option("--force", is_flag=True, help="Delete the objects, then create them from the files.")
@click.option("--grace-period", type=int, default=-1, help="Seconds given to the deleted objects (with --force).")
@click.option("--timeout", default="0s", help="How long to wait for the deletion (with --force).")
@_validate_option
@_connection_options
@_command
def replace(session: Session, **kw: Any):
    """Replace objects by files (GET the live resourceVersion, then PUT; --force deletes and re-creates)."""
    from kauth.kubectl.client import validation_directive
    from kauth.kubectl.replace import replace as run, validate

    field_validation = validation_directive(kw["validate"])
    validate(force=kw["force"], grace_period=kw["grace_period"], timeout=kw["timeout"], dry_run=kw["dry_run"])
    documents = session.required_documents("must specify --filename to replace")
    return run(session.client(), documents, save_config=kw["save_config"], dry_run=kw["dry_run"], output=kw["output"],
               field_validation=field_validation, force=kw["force"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@click.option("-p", "--patch", "patch_text", default="", help="The patch (JSON or YAML).")
@click.option("--type", "patch_type", default="strategic", show_default=True, help="json, merge or strategic.")
@click.option("--subresource", default="", help="status or scale.")
@_local_edit_options
@_connection_options
@_command
def patch(session: Session, **kw: Any):
    """Update fields of an object with a strategic merge, JSON merge or JSON patch."""
    from kauth.kubectl.patch import patch as run

    return run(_client_or_offline(session, kw), list(kw["args"]), kw["patch_text"], patch_type=kw["patch_type"],
               documents=session.documents(), dry_run=kw["dry_run"], output=kw["output"],
               subresource=kw["subresource"], local=kw["local"])


def _label_command(kind: str) -> None:
    @cli.command(kind, context_settings=CONTEXT_SETTINGS)
    @click.argument("args", nargs=-1)
    @_file_options
    @click.option("--overwrite", is_flag=True, help=f"Allow {kind} changes to overwrite existing values.")
    @_local_edit_options
    @_connection_options
    @_command
    def command(session: Session, **kw: Any):
        from kauth.kubectl.label import label as run

        return run(_client_or_offline(session, kw), list(kw["args"]), session.documents(), kind=kind,
                   overwrite=kw["overwrite"], local=kw["local"], dry_run=kw["dry_run"], output=kw["output"])

    command.__doc__ = (f"Update the {'labels' if kind == 'label' else 'annotations'} on objects: "
                       "TYPE NAME KEY=VALUE... or -f FILE KEY=VALUE...; KEY- removes one.")


def _client_or_offline(session: Session, kw: dict[str, Any]) -> Any:
    """The session's client, or with --local one that knows the built-in kinds and sends nothing."""
    if not kw.get("local"):
        return session.client()
    from kauth.kubectl.client import Client

    return Client(_OfflineServer(), namespace=kw.get("namespace") or "default",
                  namespace_explicit=bool(kw.get("namespace")))


class _OfflineServer:
    """What --local needs: discovery (the built-in kinds), no state, no requests."""

    def table(self):
        from kauth.api.resources import ResourceTable

        return ResourceTable.builtin()

    def handle(self, request):
        raise AssertionError("--local sends no request")


_label_command("label")
_label_command("annotate")


@cli.group("set", context_settings=CONTEXT_SETTINGS)
def set_group() -> None:
    """Configure application resources (set image, set env)."""


@set_group.command("image", context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@_local_edit_options
@_connection_options
@_command
def set_image(session: Session, **kw: Any):
    """Update the image of a pod template: TYPE NAME CONTAINER=IMAGE... (`*` for every container)."""
    from kauth.kubectl.set_image import set_image as run

    return run(_client_or_offline(session, kw), list(kw["args"]), session.documents(), local=kw["local"],
               dry_run=kw["dry_run"], output=kw["output"])


@set_group.command("env", context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@click.option("-c", "--containers", default="*", show_default=True, help="The names of containers to change (a glob).")
@click.option("--overwrite", type=click.BOOL, default=True, is_flag=False, flag_value="true", show_default=True,
              help="Allow changing existing values (--overwrite=false refuses).")
@click.option("--list", "list_only", is_flag=True, help="Print the environment of each container, change nothing.")
@click.option("--resolve", is_flag=True, help="With --list, show the values of secret and config map references.")
@click.option("--from", "from_source", default="", help="A configmap or secret to take every key from "
              "(configmap/NAME or secret/NAME).")
@click.option("--prefix", default="", help="A prefix for the names of the variables set.")
@click.option("--keys", multiple=True, help="Only these keys of --from (comma-separated, repeatable).")
@click.option("-e", "--env", "env_params", multiple=True, metavar="KEY=VAL",
              help="A variable to set (repeatable), as the KEY=VAL arguments.")
@_local_edit_options
@_connection_options
@_command
def set_env(session: Session, **kw: Any):
    """Update the environment of a pod template: TYPE NAME KEY=VAL... KEY-..."""
    from kauth.kubectl.env_refs import ReferenceStore, server_fetch
    from kauth.kubectl.pflag import string_slice
    from kauth.kubectl.set_env import EnvOptions, set_env as run

    options = EnvOptions(containers=kw["containers"], overwrite=kw["overwrite"], list_only=kw["list_only"],
                         resolve=kw["resolve"], from_source=kw["from_source"], prefix=kw["prefix"],
                         keys=tuple(string_slice(kw["keys"])), local=kw["local"], env_params=tuple(kw["env_params"]))
    store = None
    if kw["resolve"]:  # references are read from the server even for local objects, as kubectl does
        client = session.client()
        store = ReferenceStore(server_fetch(client, client.namespace))
    return run(_client_or_offline(session, kw), list(kw["args"]), session.documents(), options, dry_run=kw["dry_run"],
               output=kw["output"], store=store, read_stdin=sys.stdin.read)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@click.option("--replicas", type=int, default=None, help="The new desired number of replicas. Required.")
@click.option("--current-replicas", type=int, default=-1, help="Precondition for current size: scale only if the "
              "object has exactly this many replicas now (-1: no condition).")
@_dry_run_option
@_output_option
@_connection_options
@_command
def scale(session: Session, **kw: Any):
    """Set a new size for a deployment, replica set, stateful set or replication controller (the scale subresource)."""
    from kauth.api.errors import ClientError
    from kauth.kubectl.scale import scale as run

    if kw["replicas"] is None:
        raise ClientError('required flag(s) "replicas" not set')
    return run(session.client(), list(kw["args"]), session.documents(), replicas=kw["replicas"],
               current_replicas=kw["current_replicas"], dry_run=kw["dry_run"], output=kw["output"])


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1, required=True)
@click.option("--image", default="", help="The image for the container to run.")
@click.option("--port", default="", help="The port that this container exposes.")
@click.option("--env", "env", multiple=True, help="Environment variables to set in the container (repeatable).")
@click.option("-l", "--labels", default="", help="Comma separated labels to apply to the pod.")
@click.option("--annotations", "annotations", multiple=True, help="Annotations to apply to the pod (repeatable).")
@click.option("--restart", default="", help="The restart policy for this Pod: Always, OnFailure or Never.")
@click.option("--command", is_flag=True, help="Use the extra arguments as the container's command, not its args.")
@click.option("--privileged", is_flag=True, help="Run the container in privileged mode.")
@click.option("--image-pull-policy", default="", help="The image pull policy for the container.")
@click.option("--overrides", default="", help="An inline JSON override for the generated object.")
@click.option("--override-type", default="merge", show_default=True, help="json, merge or strategic.")
@click.option("--save-config", is_flag=True, help="Record the configuration in the last-applied annotation.")
@click.option("--expose", is_flag=True, help="Also create a ClusterIP Service for the pod, on --port.")
@click.option("-i", "--stdin", is_flag=True, help="Keep stdin open on the container (attaches; not simulated).")
@click.option("-t", "--tty", is_flag=True, help="Allocate a TTY for the container (needs -i).")
@click.option("--attach/--no-attach", "attach", default=None, help="Wait for the Pod to run and attach to it "
              "(default: with -i). kauth runs no containers, so it says so after creating the Pod.")
@click.option("--rm", "remove", is_flag=True, help="Delete the Pod (and Service) after attaching.")
@click.option("--leave-stdin-open", is_flag=True, help="Leave stdin open after the first attach completes.")
@click.option("-q", "--quiet", is_flag=True, help="Print no messages beyond the output.")
@click.option("--pod-running-timeout", default="1m0s", show_default=True,
              help="How long to wait for the Pod to run before attaching (kauth's never do).")
@_dry_run_option
@_output_option
@_connection_options
@_command
def run(session: Session, **kw: Any):
    """Create and run a particular image in a pod: NAME --image=IMAGE [-- ARGS...]."""
    from kauth.kubectl.generators import create_generated
    from kauth.kubectl.run import Attach, exposing_service, pod, validate, with_overrides

    name, *args = kw["args"]
    attach = Attach(stdin=kw["stdin"], tty=kw["tty"], attach=kw["attach"], remove=kw["remove"],
                    leave_stdin_open=kw["leave_stdin_open"])
    validate(kw["image"], kw["restart"], kw["image_pull_policy"], attach, expose=kw["expose"], port=kw["port"],
             dry_run=kw["dry_run"], pod_running_timeout=kw["pod_running_timeout"])
    client = session.client()
    obj = pod(name, client.namespace if kw.get("namespace") else "", image=kw["image"], args=args,
              command=kw["command"], port=kw["port"], env=list(kw["env"]), labels=kw["labels"],
              annotations=list(kw["annotations"]), restart=kw["restart"], image_pull_policy=kw["image_pull_policy"],
              privileged=kw["privileged"], attach=attach)
    if kw["overrides"]:
        obj = with_overrides(obj, kw["overrides"], kw["override_type"], client.table().for_kind("v1", "Pod").schema)
    save_config = kw["save_config"] and kw["dry_run"] != "client"
    created = create_generated(client, obj, what="", dry_run=kw["dry_run"], output=kw["output"],
                               save_config=save_config, field_validation="", field_manager="kubectl-run")
    if created.errors:
        return created
    if not kw["expose"]:
        if not attach.attaches:
            return created
        created.stdout.clear()  # an attached Pod is not printed
        return _attach_to_run_pod(client, created, name, False, attach.remove, kw["quiet"])
    # run.go creates the Pod, then creates and prints the Service, then prints the Pod; a Service that fails
    # leaves the Pod created and is reported after it.
    service = exposing_service(name, client.namespace if kw.get("namespace") else "", kw["port"], kw["labels"])
    outcome = create_generated(client, service, what="", dry_run=kw["dry_run"], output=kw["output"],
                               save_config=save_config, field_validation="", field_manager="kubectl-run")
    outcome.responses[:0] = created.responses
    outcome.warnings[:0] = created.warnings
    if attach.attaches:
        return _attach_to_run_pod(client, outcome, name, not outcome.errors, attach.remove, kw["quiet"])
    if kw["output"] == "yaml" and outcome.stdout:
        outcome.write("---\n---\n")  # kubectl 1.32 writes the separator twice between the two
    outcome.stdout += created.stdout
    return outcome


def _attach_to_run_pod(client: Any, outcome: Any, name: str, service: bool, remove: bool, quiet: bool) -> Any:
    """kubectl run -i/--attach after the Pod (and the Service of --expose) was created: the Pod is not
    printed; attaching needs a running container, which kauth cannot give, so that is the error; --rm
    then deletes what was created, as kubectl's deferred removeCreatedObjects does either way."""
    from kauth.kubectl.delete import delete
    from kauth.kubectl.run import attach_refused

    outcome.fail(attach_refused(f"pod/{name}"))
    for kind in ("pod", "service")[:2 if service else 1] if remove else ():
        removed = delete(client, [kind, name])
        outcome.responses.extend(removed.responses)
        if not quiet:
            outcome.stdout += removed.stdout
        outcome.errors.extend(removed.errors)
    return outcome


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@_file_options
@click.option("--port", default="", help="The port(s) the service serves on (comma-separated); the object's when unset.")
@click.option("--protocol", default="", help="The network protocol: TCP, UDP or SCTP; the object's when unset.")
@click.option("--target-port", default="", help="Name or number of the port on the pods the service directs to.")
@click.option("--name", default="", help="The name of the service; the object's when unset.")
@click.option("--type", "service_type", default="", help="ClusterIP, NodePort, LoadBalancer or ExternalName.")
@click.option("--selector", default="", help="A label selector (key=value,...) for the service; the object's when "
              "unset.")
@click.option("-l", "--labels", default="", help="Labels for the service; the object's when unset.")
@click.option("--external-ip", default="", help="An external IP address for the service.")
@click.option("--load-balancer-ip", default="", help="The IP of a LoadBalancer service.")
@click.option("--session-affinity", default="", help="None or ClientIP.")
@click.option("--cluster-ip", default="", help="The ClusterIP, or None for a headless service.")
@_dry_run_option
@_output_option
@_connection_options
@_command
def expose(session: Session, **kw: Any):
    """Expose a pod, service, replication controller, deployment or replica set as a new Service."""
    from kauth.kubectl.expose import ExposeOptions, expose as run

    options = ExposeOptions(port=kw["port"], protocol=kw["protocol"], target_port=kw["target_port"], name=kw["name"],
                            service_type=kw["service_type"], selector=kw["selector"], labels=kw["labels"],
                            external_ip=kw["external_ip"], load_balancer_ip=kw["load_balancer_ip"],
                            session_affinity=kw["session_affinity"], cluster_ip=kw["cluster_ip"])
    return run(session.client(), list(kw["args"]), session.documents(), options, dry_run=kw["dry_run"],
               output=kw["output"])


@cli.command("api-resources", context_settings=CONTEXT_SETTINGS)
@click.option("--namespaced", type=click.BOOL, default=None, help="true: namespaced only; false: cluster-scoped only.")
@click.option("-o", "--output", default="", help="wide or name.")
@_connection_options
@_command
def api_resources(session: Session, **kw: Any):
    """The resource types the server serves (built-in kinds and stored CRDs)."""
    from kauth.kubectl.api_resources import api_resources as run

    return run(session.client(), namespaced=kw["namespaced"], output=kw["output"])


@create.command("token", context_settings=CONTEXT_SETTINGS)
@click.argument("service_account")
@click.option("--audience", "audiences", multiple=True, help="Audience of the requested token (repeatable).")
@click.option("--duration", default="", help="Requested lifetime of the token (e.g. 10m, 1h); the server's default "
              "when unset.")
@click.option("--bound-object-kind", default="", help="Kind of an object to bind the token to: Pod, Secret or Node.")
@click.option("--bound-object-name", default="", help="Name of the object to bind the token to.")
@click.option("--bound-object-uid", default="", help="UID of the object to bind the token to.")
@click.option("-o", "--output", default="", help="json or yaml: the whole TokenRequest.")
@_connection_options
@_command
def create_token(session: Session, **kw: Any):
    """Request a service account token (the TokenRequest API), as `kubectl create token`."""
    from kauth.kubectl.tokens import create_token as run

    return run(session.client(), kw["service_account"], audiences=list(kw["audiences"]), duration=kw["duration"],
               bound_kind=kw["bound_object_kind"], bound_name=kw["bound_object_name"],
               bound_uid=kw["bound_object_uid"], output=kw["output"])


@create.command("bootstrap-token", context_settings=CONTEXT_SETTINGS)
@click.option("--ttl", default="24h", show_default=True, help="How long the token is valid (0: forever).")
@click.option("--groups", default="", help="Comma-separated system:bootstrappers:* groups the token adds.")
@click.option("--usages", default="signing,authentication", show_default=True, help="signing and/or authentication.")
@click.option("--description", default="", help="A human-friendly description of the token's use.")
@_connection_options
@_command
def create_bootstrap_token(session: Session, **kw: Any):
    """A bootstrap token and its kube-system Secret, as `kubeadm token create`."""
    from kauth.kubectl.tokens import create_bootstrap_token as run

    return run(session.client(), ttl=kw["ttl"], groups=tuple(g for g in kw["groups"].split(",") if g),
               usages=tuple(u for u in kw["usages"].split(",") if u), description=kw["description"])


def _generator(name: str, parent: Any = None, help_text: str = "", shadowed: tuple[str, ...] = ()) -> Callable:
    """A `kauth create <name>` generator command: kubectl's shared flags, then the object built and sent."""
    def decorate(build: Callable) -> Callable:
        @functools.wraps(build)
        def command(session: Session, **kw: Any):
            from kauth.kubectl.client import validation_directive
            from kauth.kubectl.generators import create_generated

            from kauth.api.errors import ClientError
            from kauth.kubectl.output import Outcome

            client = session.client()
            namespace = client.namespace if kw.get("namespace") else ""
            parameters = set(inspect.signature(build).parameters)
            # a generator that maps resources gets discovery; one that warns gets a list for its warnings
            context = {"table": client.table, "notes": list}
            extra = {k: make() for k, make in context.items() if k in parameters}
            wanted = parameters - {"namespace", *context}
            try:
                obj = build(namespace=namespace, **extra, **{k: v for k, v in kw.items() if k in wanted})
            except ClientError as err:
                outcome = Outcome(notes=extra.get("notes", []))
                outcome.fail(err)
                return outcome
            outcome = create_generated(client, obj, what=name.split()[-1] if parent is None else parent.name,
                                       dry_run=kw["dry_run"], output=kw["output"], save_config=kw["save_config"],
                                       field_validation=validation_directive(kw["validate"]))
            outcome.notes[:0] = extra.get("notes", [])
            return outcome

        command.__click_params__ = list(getattr(build, "__click_params__", []))  # the generator's own, in order
        decorated = _command(command)
        for option in (functools.partial(_connection_options, shadowed=shadowed), _validate_option,
                       click.option("--save-config", is_flag=True, help="Record the configuration in the "
                                    "last-applied annotation."), _output_option, _dry_run_option):
            decorated = option(decorated)
        return (parent or create).command(name.split()[-1], context_settings=CONTEXT_SETTINGS,
                                          help=help_text or build.__doc__)(decorated)
    return decorate


@_generator("deployment")
@click.argument("name")
@click.option("--image", "images", multiple=True, help="Image names to run (repeatable).")
@click.option("--replicas", type=int, default=1, show_default=True, help="Number of replicas to create.")
@click.option("--port", type=int, default=-1, help="The containerPort this deployment exposes.")
@click.argument("command", nargs=-1)
def create_deployment(namespace: str, name: str, images: tuple[str, ...], replicas: int, port: int,
                      command: tuple[str, ...]) -> dict:
    """Create a deployment with the specified name (`-- COMMAND [args...]` sets the containers' command)."""
    from kauth.kubectl.generators import deployment

    return deployment(name, namespace, images=list(images), replicas=replicas, port=port, command=list(command))


@_generator("configmap")
@click.argument("name")
@click.option("--from-literal", "literals", multiple=True, help="key=value (repeatable).")
@click.option("--from-file", "files", multiple=True, help="[key=]path (repeatable).")
def create_configmap(namespace: str, name: str, literals: tuple[str, ...], files: tuple[str, ...]) -> dict:
    """Create a config map from literals or files."""
    from kauth.kubectl.generators import configmap

    return configmap(name, namespace, literals=list(literals), files=list(files))


@create.group("secret", context_settings=CONTEXT_SETTINGS)
def create_secret() -> None:
    """Create a secret (generic)."""


@_generator("secret generic", parent=create_secret)
@click.argument("name")
@click.option("--from-literal", "literals", multiple=True, help="key=value (repeatable).")
@click.option("--from-file", "files", multiple=True, help="[key=]path (repeatable).")
@click.option("--type", "secret_type", default="", help="The type of secret to create.")
def create_secret_generic(namespace: str, name: str, literals: tuple[str, ...], files: tuple[str, ...],
                          secret_type: str) -> dict:
    """Create a secret from literals or files."""
    from kauth.kubectl.generators import secret_generic

    return secret_generic(name, namespace, literals=list(literals), files=list(files), secret_type=secret_type)


@_generator("namespace")
@click.argument("name")
def create_namespace(namespace: str, name: str) -> dict:
    """Create a namespace with the specified name."""
    from kauth.kubectl.generators import namespace as build

    return build(name)


@_generator("serviceaccount")
@click.argument("name")
def create_serviceaccount(namespace: str, name: str) -> dict:
    """Create a service account with the specified name."""
    from kauth.kubectl.generators import serviceaccount

    return serviceaccount(name, namespace)


@create.group("service", context_settings=CONTEXT_SETTINGS)
def create_service() -> None:
    """Create a service: clusterip, nodeport, loadbalancer or externalname."""


def _service_generator(kind: str) -> None:
    @_generator(f"service {kind}", parent=create_service, help_text=f"Create a {kind} service.")
    @click.argument("name")
    @click.option("--tcp", multiple=True, help="Port pairs port[:targetPort] (repeatable, comma-separated).")
    @click.option("--clusterip", "cluster_ip", default="", help="Assign your own ClusterIP, or None for headless.")
    @click.option("--node-port", type=int, default=0, help="Port used to expose the service on each node.")
    @click.option("--external-name", default="", help="External name of the service (externalname).")
    def build(namespace: str, name: str, tcp: tuple[str, ...], cluster_ip: str, node_port: int,
              external_name: str) -> dict:
        from kauth.kubectl.generators import service

        return service(kind, name, namespace, tcp=list(tcp), cluster_ip=cluster_ip, node_port=node_port,
                       external_name=external_name)


for _kind in ("clusterip", "nodeport", "loadbalancer", "externalname"):
    _service_generator(_kind)


@_generator("rolebinding", shadowed=("user",))
@click.argument("name")
@click.option("--role", default="", help="Role this RoleBinding should reference.")
@click.option("--clusterrole", "cluster_role", default="", help="ClusterRole this RoleBinding should reference.")
@click.option("--user", "users", multiple=True, help="Usernames to bind (repeatable).")
@click.option("--group", "groups", multiple=True, help="Groups to bind (repeatable).")
@click.option("--serviceaccount", "service_accounts", multiple=True, help="namespace:name (repeatable).")
def create_rolebinding(namespace: str, name: str, role: str, cluster_role: str, users: tuple[str, ...],
                       groups: tuple[str, ...], service_accounts: tuple[str, ...]) -> dict:
    """Create a role binding for a particular role or cluster role."""
    from kauth.kubectl.generators import role_binding

    return role_binding(name, namespace, role=role, cluster_role=cluster_role, users=list(users), groups=list(groups),
                        service_accounts=list(service_accounts))


@_generator("clusterrolebinding", shadowed=("user",))
@click.argument("name")
@click.option("--clusterrole", "cluster_role", default="", help="ClusterRole this binding should reference.")
@click.option("--user", "users", multiple=True, help="Usernames to bind (repeatable).")
@click.option("--group", "groups", multiple=True, help="Groups to bind (repeatable).")
@click.option("--serviceaccount", "service_accounts", multiple=True, help="namespace:name (repeatable).")
def create_clusterrolebinding(namespace: str, name: str, cluster_role: str, users: tuple[str, ...],
                              groups: tuple[str, ...], service_accounts: tuple[str, ...]) -> dict:
    """Create a cluster role binding for a particular cluster role."""
    from kauth.kubectl.generators import cluster_role_binding

    return cluster_role_binding(name, cluster_role=cluster_role, users=list(users), groups=list(groups),
                                service_accounts=list(service_accounts))


@_generator("job")
@click.argument("name")
@click.option("--image", default="", help="Image name to run.")
@click.argument("command", nargs=-1)
def create_job(namespace: str, name: str, image: str, command: tuple[str, ...]) -> dict:
    """Create a job with the specified name (`-- COMMAND [args...]`)."""
    from kauth.kubectl.generators import job

    return job(name, namespace, image=image, command=list(command))


@_generator("cronjob")
@click.argument("name")
@click.option("--image", default="", help="Image name to run.")
@click.option("--schedule", default="", help="A schedule in the Cron format the job should be run with.")
@click.option("--restart", default="OnFailure", show_default=True, help="OnFailure or Never.")
@click.argument("command", nargs=-1)
def create_cronjob(namespace: str, name: str, image: str, schedule: str, restart: str,
                   command: tuple[str, ...]) -> dict:
    """Create a cron job with the specified name."""
    from kauth.kubectl.generators import cronjob

    return cronjob(name, namespace, image=image, schedule=schedule, restart=restart, command=list(command))


@_generator("quota")
@click.argument("name")
@click.option("--hard", default="", help="Comma-delimited resource=quantity pairs.")
@click.option("--scopes", default="", help="Comma-delimited quota scopes.")
def create_quota(namespace: str, name: str, hard: str, scopes: str) -> dict:
    """Create a resource quota with the specified name."""
    from kauth.kubectl.generators import quota

    return quota(name, namespace, hard=hard, scopes=scopes)


@_generator("priorityclass")
@click.argument("name")
@click.option("--value", type=int, default=0, help="The value of this priority class.")
@click.option("--global-default", is_flag=True, help="Whether this priority class is the global default.")
@click.option("--description", default="", help="Description of this priority class.")
@click.option("--preemption-policy", default="PreemptLowerPriority", show_default=True, help="Never or "
              "PreemptLowerPriority.")
def create_priorityclass(namespace: str, name: str, value: int, global_default: bool, description: str,
                         preemption_policy: str) -> dict:
    """Create a priority class with the specified name."""
    from kauth.kubectl.generators import priority_class

    return priority_class(name, value=value, global_default=global_default, description=description,
                          preemption_policy=preemption_policy)


@_generator("role")
@click.argument("name")
@click.option("--verb", "verbs", multiple=True, help="Verb that applies to the resources contained in the rule.")
@click.option("--resource", "resources", multiple=True, help="Resource that the rule applies to "
              "(resource.group/subresource).")
@click.option("--resource-name", "resource_names", multiple=True, help="Resource in the white list that the rule "
              "applies to (repeatable).")
def create_role(namespace: str, name: str, verbs: tuple[str, ...], resources: tuple[str, ...],
                resource_names: tuple[str, ...], table: Any, notes: list[str]) -> dict:
    """Create a role with a single rule."""
    from kauth.kubectl.create_role import role
    from kauth.kubectl.pflag import string_slice

    return role(table, name, namespace, verbs=string_slice(verbs), resources=string_slice(resources),
                resource_names=list(resource_names), notes=notes)


@_generator("clusterrole")
@click.argument("name")
@click.option("--verb", "verbs", multiple=True, help="Verb that applies to the resources contained in the rule.")
@click.option("--resource", "resources", multiple=True, help="Resource that the rule applies to.")
@click.option("--resource-name", "resource_names", multiple=True, help="Resource in the white list that the rule "
              "applies to (repeatable).")
@click.option("--non-resource-url", "non_resource_urls", multiple=True, help="A partial url that user should have "
              "access to.")
@click.option("--aggregation-rule", "aggregation_rules", multiple=True, help="An aggregation label selector for "
              "combining ClusterRoles (key=value,...).")
def create_clusterrole(namespace: str, name: str, verbs: tuple[str, ...], resources: tuple[str, ...],
                       resource_names: tuple[str, ...], non_resource_urls: tuple[str, ...],
                       aggregation_rules: tuple[str, ...], table: Any, notes: list[str]) -> dict:
    """Create a cluster role."""
    from kauth.kubectl.create_role import cluster_role
    from kauth.kubectl.pflag import map_string_string, string_slice

    rule = map_string_string(list(aggregation_rules), command="create clusterrole", flag="aggregation-rule")
    return cluster_role(table, name, verbs=string_slice(verbs), resources=string_slice(resources),
                        resource_names=list(resource_names), non_resource_urls=string_slice(non_resource_urls),
                        aggregation_rule=rule, notes=notes)


@_generator("ingress")
@click.argument("name")
@click.option("--class", "ingress_class", default="", help="Ingress Class to be used.")
@click.option("--rule", "rules", multiple=True, help="host/path=service:port[,tls[=secret]] (repeatable); a path "
              "ending in * is a Prefix path.")
@click.option("--default-backend", default="", help="Default service for backend, in format of svcname:port.")
@click.option("--annotation", "annotations", multiple=True, help="Annotation to insert in the ingress object, "
              "annotation=value (repeatable).")
def create_ingress(namespace: str, name: str, ingress_class: str, rules: tuple[str, ...], default_backend: str,
                   annotations: tuple[str, ...]) -> dict:
    """Create an ingress with the specified name."""
    from kauth.kubectl.create_ingress import ingress

    return ingress(name, namespace, rules=list(rules), annotations=list(annotations),
                   default_backend=default_backend, ingress_class=ingress_class)


@cli.group(context_settings=CONTEXT_SETTINGS)
def certs() -> None:
    """Issue client certificates signed by the cluster's CA (policies/pki), for learners and policy tests."""


@certs.command("issue", context_settings=CONTEXT_SETTINGS)
@click.option("--user", "common_name", required=True, help="The user name: the certificate's CN.")
@click.option("--group", "groups", multiple=True, help="A group: one O each (repeatable).")
@click.option("--days", type=float, default=365, show_default=True, help="Validity, in days.")
@click.option("--policies", metavar="DIR", help="Policies directory with pki/ca.crt and pki/ca.key (default ./policies).")
@click.option("--out", "out_dir", default=".", show_default=True, help="Where to write <user>.crt and <user>.key.")
@click.option("--kubeconfig", metavar="PATH", help="Also add a user entry (and a context) to this kubeconfig.")
def certs_issue(common_name: str, groups: tuple[str, ...], days: float, policies: str | None, out_dir: str,
                kubeconfig: str | None) -> None:
    """A key and a client certificate (CN=user, O=group...) signed by the cluster's client CA."""
    from kauth.cluster import policies_dir
    from kauth.kubectl.tokens import issue_certificate

    try:
        lines = issue_certificate(policies_dir(policies), common_name, groups, days, out_dir, kubeconfig)
    except (OSError, ValueError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("\n".join(lines))


@cli.group(context_settings=CONTEXT_SETTINGS)
def auth() -> None:
    """Inspect authorization: can-i, who-can, access-matrix, whoami."""


@auth.command("can-i", context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@click.option("-A", "--all-namespaces", is_flag=True, help="If true, check the specified action in all namespaces.")
@click.option("-q", "--quiet", is_flag=True, help="If true, suppress output and just return the exit code.")
@click.option("--subresource", default="", help="SubResource such as pod/log or deployment/scale.")
@click.option("--list", "list_all", is_flag=True, help="If true, prints all allowed actions.")
@click.option("--no-headers", is_flag=True, help="If true, prints allowed actions without headers.")
@_connection_options
@_command
def can_i(session: Session, **kw: Any):
    """Check whether an action is allowed: VERB [TYPE | TYPE/NAME | NONRESOURCEURL]. Exit 0 for yes, 1 for no."""
    from kauth.api.errors import ClientError
    from kauth.kubectl.auth import can_i as run, can_i_list

    if kw["list_all"]:
        if kw["args"]:
            raise ClientError("list option must be specified with no arguments")
        if kw["quiet"] or kw["all_namespaces"] or kw["subresource"]:
            raise ClientError("list option can't be specified with neither quiet, all-namespaces nor subresource options")
        return can_i_list(session.client(), no_headers=kw["no_headers"])
    return run(session.client(), list(kw["args"]), all_namespaces=kw["all_namespaces"], subresource=kw["subresource"],
               quiet=kw["quiet"], no_headers=kw["no_headers"])


@auth.command("whoami", context_settings=CONTEXT_SETTINGS)
@click.option("-o", "--output", default="", help="json or yaml.")
@_connection_options
@_command
def whoami(session: Session, **kw: Any):
    """Who the API server thinks you are (a SelfSubjectReview)."""
    from kauth.kubectl.auth import whoami as run

    return run(session.client(), output=kw["output"])


@auth.command("who-can", context_settings=CONTEXT_SETTINGS)
@click.argument("args", nargs=-1)
@click.option("-A", "--all-namespaces", is_flag=True, help="Count RoleBindings in every namespace.")
@click.option("--subresource", default="", help="SubResource such as pod/log or deployment/scale.")
@click.option("-o", "--output", default="", help="json for scripts.")
@_connection_options
@_command
def who_can(session: Session, **kw: Any):
    """Every subject allowed an action, and the binding and role that allow it: VERB TYPE[/NAME] | VERB /path."""
    from kauth.kubectl.auth import who_can as run

    return run(session.client(), session.open(), list(kw["args"]), all_namespaces=kw["all_namespaces"],
               subresource=kw["subresource"], output=kw["output"])


@auth.command("access-matrix", context_settings=CONTEXT_SETTINGS)
@click.option("-A", "--all-namespaces", is_flag=True, help="Cluster-wide: every resource type, no namespace.")
@click.option("--verbs", default=",".join(("get", "list", "watch", "create", "update", "patch", "delete")),
              show_default=True, help="Comma-separated verbs, one column each.")
@click.option("-o", "--output", default="", help="json for scripts.")
@_connection_options
@_command
def access_matrix(session: Session, **kw: Any):
    """What you (or --as) may do to every resource type: rakkess's grid."""
    from kauth.kubectl.auth import access_matrix as run

    verbs = tuple(v for v in kw["verbs"].split(",") if v)
    return run(session.client(), verbs=verbs, all_namespaces=kw["all_namespaces"], output=kw["output"])


@auth.command("reconcile", context_settings=CONTEXT_SETTINGS)
@_file_options
@_dry_run_option
@click.option("-o", "--output", default="", help="name, json or yaml.")
@click.option("--remove-extra-permissions", is_flag=True, help="If true, removes extra permissions added to roles.")
@click.option("--remove-extra-subjects", is_flag=True, help="If true, removes extra subjects added to rolebindings.")
@_connection_options
@_command
def reconcile(session: Session, **kw: Any):
    """Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects."""
    from kauth.kubectl.reconcile import reconcile as run

    documents = session.required_documents()
    return run(session.client(), documents, remove_extra_permissions=kw["remove_extra_permissions"],
               remove_extra_subjects=kw["remove_extra_subjects"], dry_run=kw["dry_run"], output=kw["output"])


@cli.group(context_settings=CONTEXT_SETTINGS)
def state() -> None:
    """Export or import the whole stored state."""


@state.command("export", context_settings=CONTEXT_SETTINGS)
@click.option("--state", "state_file", metavar="PATH", help="State file.")
@click.option("-o", "--output", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
def state_export(state_file: str | None, output: str) -> None:
    """Print every stored object as one List."""
    from kauth.cluster import Cluster, StateMissing
    from kauth.kubectl.printing import render
    from kauth.state import export_state

    try:
        cluster = Cluster.open(state_file)
    except StateMissing as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    with cluster:
        click.echo(render(export_state(cluster.store), output), nl=False)


@state.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("filename")
@click.option("--state", "state_file", metavar="PATH", help="State file.")
def state_import(filename: str, state_file: str | None) -> None:
    """Load objects exactly as given (metadata, status and all), e.g. `kubectl get ... -A -o yaml` output."""
    from kauth.api.errors import ClientError
    from kauth.cluster import Cluster, StateMissing, state_path
    from kauth.kubectl.loader import read_manifests
    from kauth.state import import_state

    try:
        with Cluster.open(state_file) as cluster:
            documents = read_manifests([filename], stdin=sys.stdin)
            bad = [d.error for d in documents if d.error]
            if bad:
                raise ClientError(bad[0])
            count = import_state(cluster.store, [d.obj for d in documents], cluster.server.table())
    except (StateMissing, ClientError) as err:
        click.echo(err.kubectl_text() if isinstance(err, ClientError) else f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"imported {count} objects into {state_path(state_file)}")


from kauth.cli.test_command import test as _test_command; cli.add_command(_test_command)  # noqa: E402,E702
from kauth.cli.explain import explain_group as _explain_group; cli.add_command(_explain_group())  # noqa: E402,E702


def main() -> None:
    cli(prog_name="kauth")


if __name__ == "__main__":
    main()
