"""`kauth diff -f`: live against the server's dry-run apply, as a unified diff; exit 0 same, 1 different."""

import pytest

from kauth.cluster import Cluster
from kauth.kubectl.apply import apply
from kauth.kubectl.client import Client
from kauth.kubectl.diff import diff
from kauth.kubectl.loader import Document


@pytest.fixture
def client():
    return Client(Cluster.in_memory())


def configmap(**data):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": data}


def docs(obj):
    return [Document("cm.yaml", obj, None)]


def test_a_new_object_is_all_additions(client):
    outcome = diff(client, docs(configmap(a="1")))
    assert outcome.exit_code == 1
    lines = outcome.text.splitlines()
    assert lines[0] == ("diff -u -N /tmp/LIVE-kauth/v1.ConfigMap.default.settings "
                        "/tmp/MERGED-kauth/v1.ConfigMap.default.settings")
    assert lines[3].startswith("@@ -0,0 +1,")
    assert all(line.startswith("+") for line in lines[4:])


def test_no_change_is_exit_0_and_silent(client):
    apply(client, docs(configmap(a="1")))
    outcome = diff(client, docs(configmap(a="1")))
    assert (outcome.exit_code, outcome.text) == (0, "")


def test_a_change_shows_only_what_apply_would_change(client):
    apply(client, docs(configmap(a="1", b="2")))
    outcome = diff(client, docs(configmap(a="1", b="3")))
    assert outcome.exit_code == 1
    changed = [line for line in outcome.text.splitlines() if line[:1] in "+-" and not line.startswith(("---", "+++"))]
    assert '-  b: "2"' in changed and '+  b: "3"' in changed
    assert not any("resourceVersion" in line for line in changed)  # a dry run keeps the stored one


def test_diff_changes_nothing(client):
    before = client.server.store.revision()
    diff(client, docs(configmap(a="1")))
    assert client.server.store.revision() == before


def test_secret_values_are_masked(client):
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "old"}}
    apply(client, [Document("s.yaml", secret, None)])
    secret["stringData"] = {"k": "new"}
    text = diff(client, [Document("s.yaml", secret, None)]).text
    assert "-  k: '*** (before)'" in text and "+  k: '*** (after)'" in text


def test_an_error_exits_above_1(client):
    bad = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad", "namespace": "nowhere"}, "data": {}}
    outcome = diff(client, docs(bad))
    assert outcome.exit_code == 2
