"""Admission webhooks per request, against baselines measured in the same run.

    python benchmarks/webhooks.py [--requests 200] [--webhooks 4]

One Deployment create is admitted N times through the webhook plugins, with a local HTTPS webhook server
(tests/admission/webhook_server.py) answering. Printed per request: wall time, and the ratio against
- the plugin with no webhook configured (its fixed overhead: listing the configurations),
- one bare HTTPS POST of the same AdmissionReview with Python's client (what a call costs before kauth's work),
- W validating webhooks called one after the other instead of at once (upstream calls them in parallel), when
  each answers after a 20 ms delay.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, installed or not
sys.path.insert(0, str(ROOT / "tests" / "admission"))

from kauth.admission.webhook import client  # noqa: E402

from vap_helpers import create, deployment  # noqa: E402
from webhook_helpers import (mutating_plugin, mutating_state, state, validating_plugin,  # noqa: E402
                             validating_state, webhook)
from webhook_server import Reply, WebhookServer, allow, patch, review_reply  # noqa: E402


def per_call(fn, n: int) -> float:
    fn()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--webhooks", type=int, default=4)
    options = parser.parse_args()
    n, w = options.requests, options.webhooks
    attributes = create(deployment())
    with WebhookServer() as server:
        server.on("/allow", allow())
        server.on("/label", patch([{"op": "add", "path": "/metadata/labels/team", "value": "payments"}]))
        server.on("/slow", lambda review: Reply(review_reply(review, {"allowed": True}).body, delay=0.02))
        one = validating_state(webhook("allow.example.com", server.url("/allow"), server.ca_bundle))
        mutating = mutating_state(webhook("label.example.com", server.url("/label"), server.ca_bundle))
        slow = validating_state(*(webhook(f"slow{i}.example.com", server.url("/slow"), server.ca_bundle)
                                  for i in range(w)))
        validating, mutator = validating_plugin(), mutating_plugin()
        target = client.endpoint({"url": server.url("/allow"), "caBundle": server.ca_bundle}, 10, None)
        body = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "x"}}
        bare = per_call(lambda: client.post(target, body, 10), n)
        empty = per_call(lambda: validating.validate(attributes, state()), n)
        validate_one = per_call(lambda: validating.validate(attributes, one), n)
        mutate_one = per_call(lambda: mutator.admit(attributes, mutating), n)
        parallel = per_call(lambda: validating.validate(attributes, slow), max(n // 10, 5))
        sequential_plugin = validating_plugin()

        def sequential() -> None:
            for hook in slow.objects[("admissionregistration.k8s.io", "validatingwebhookconfigurations")][0][
                    "webhooks"]:
                sequential_plugin.validate(attributes, validating_state(hook))

        in_turn = per_call(sequential, max(n // 10, 5))
    print(f"Admission webhooks, {n} Deployment creates against a local HTTPS webhook server")
    print(f"  {'no webhook configured':<44} {empty * 1e6:>9.1f} us/request")
    print(f"  {'bare HTTPS POST of a review':<44} {bare * 1e6:>9.1f} us/request")
    print(f"  {'1 validating webhook (allow)':<44} {validate_one * 1e6:>9.1f} us/request   "
          f"x{validate_one / bare:.2f} a bare POST")
    print(f"  {'1 mutating webhook (JSON patch)':<44} {mutate_one * 1e6:>9.1f} us/request   "
          f"x{mutate_one / bare:.2f} a bare POST")
    print(f"  {f'{w} validating webhooks, 20 ms each, at once':<44} {parallel * 1e3:>9.1f} ms/request")
    print(f"  {f'{w} validating webhooks, 20 ms each, in turn':<44} {in_turn * 1e3:>9.1f} ms/request   "
          f"x{in_turn / parallel:.1f} slower")


if __name__ == "__main__":
    main()
