"""kauth: the Kubernetes API server and kubectl, simulated in one Python process."""

__version__ = "0.1.0"
