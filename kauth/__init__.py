"""kauth: the Kubernetes API server and kubectl, simulated in one Python process."""

__version__ = "0.1.0"
__all__ = ["Cluster"]


def __getattr__(name: str):
    # `kauth.Cluster` without importing the pipeline on `import kauth` (the CLI starts faster).
    if name == "Cluster":
        from kauth.cluster import Cluster

        return Cluster
    raise AttributeError(f"module 'kauth' has no attribute {name!r}")
