"""What the two webhook plugins share: their arguments, the caller and matchConditions they build, and the rule
that admission's own configuration is never sent to a webhook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kauth.admission.cel import Environment
from kauth.admission.chain import Attributes
from kauth.admission.webhook import client
from kauth.admission.webhook.call import Caller
from kauth.admission.webhook.matching import MatchConditions, is_exempt
from kauth.api.resources import ResourceTable


@dataclass
class WebhookPlugin:
    """`service_resolver` maps a `clientConfig.service` (namespace, name, port) to a base URL (a simulated cluster
    has no cluster network: without one, calls to services fail); `allow_http` accepts `http://` URLs
    (kube-apiserver refuses them when the configuration is written; for local tests); `authorizer` answers the
    `authorizer` variable of matchConditions; `resources` serves matchPolicy Equivalent and conversion."""

    service_resolver: client.ServiceResolver | None = None
    allow_http: bool = False
    authorizer: Any = None
    resources: ResourceTable = field(default_factory=ResourceTable.builtin, repr=False)
    environment: Environment = field(default_factory=Environment, repr=False)
    caller: Caller | None = None
    name: str = ""
    _conditions: MatchConditions | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.caller is None:
            self.caller = Caller(self.service_resolver, self.allow_http)
        self._conditions = MatchConditions(self.environment, self.authorizer)

    def handles(self, attributes: Attributes) -> bool:
        # webhooks are never called on admission configuration itself, so a broken webhook can be removed
        return not is_exempt(attributes)
