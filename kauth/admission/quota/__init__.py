"""Quota evaluators: how much of each quota resource one object uses, and which quotas it falls under.

Upstream: pkg/quota/v1/evaluator/core (pods, services, persistentvolumeclaims) and
k8s.io/apiserver/pkg/quota/v1/generic (object counts, matching, usage over a namespace). The
ResourceQuota admission plugin (kauth/admission/resourcequota.py) decides with them.
"""
