"""The opaque CEL types Kubernetes' libraries add (kubernetes.Quantity, kubernetes.URL, kubernetes.Semver,
kubernetes.NamedFormat, kubernetes.Image, net.IP, net.CIDR, kubernetes.authorization.*), declared as protobuf messages so cel-cpp can carry them through an expression.

cel-expr-python passes Python values across the boundary only as CEL's own types or protobuf messages; a message
named as upstream names the opaque type makes `type(quantity('1'))` print `kubernetes.Quantity`, as cel-go does.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_STRING, _INT64, _UINT64, _BOOL = 9, 3, 4, 8
_OPTIONAL = 1

# package -> message -> fields (name, proto type)
_MESSAGES: dict[str, dict[str, tuple[tuple[str, int], ...]]] = {
    "kubernetes": {
        "Quantity": (("value", _STRING),),
        "URL": (("value", _STRING),),
        # blang/semver's Version less its build metadata, which Equal ignores too (library.py)
        "Semver": (("major", _UINT64), ("minor", _UINT64), ("patch", _UINT64), ("prerelease", _STRING)),
        # format.go's Format; Equal compares the names
        "NamedFormat": (("name", _STRING),),
        # cel/image.go's ImageReference; Equal compares every field
        "Image": (("image", _STRING), ("registry", _STRING), ("repository", _STRING), ("identifier", _STRING),
                  ("tag", _STRING), ("digest", _STRING)),
    },
    "net": {
        "IP": (("value", _STRING),),
        "CIDR": (("value", _STRING),),
    },
    "kubernetes.authorization": {
        # `handle` names the evaluation's authorizer binding (Environment keeps the table).
        "Authorizer": (("handle", _INT64), ("username", _STRING)),
        "GroupCheck": (("handle", _INT64), ("username", _STRING), ("group", _STRING)),
        "ResourceCheck": (("handle", _INT64), ("username", _STRING), ("group", _STRING), ("resource", _STRING),
                          ("subresource", _STRING), ("namespace", _STRING), ("name", _STRING),
                          ("version", _STRING), ("path", _STRING)),  # path: a PathCheck (library.py)
        "Decision": (("allowed", _BOOL), ("reason", _STRING), ("error", _STRING), ("decision", _STRING)),
    },
}


def _build_pool() -> descriptor_pool.DescriptorPool:
    pool = descriptor_pool.DescriptorPool()
    for package, messages in _MESSAGES.items():
        fdp = descriptor_pb2.FileDescriptorProto(name=f"kauth/{package}.proto", package=package, syntax="proto3")
        for message, fields in messages.items():
            m = fdp.message_type.add(name=message)
            for number, (field, kind) in enumerate(fields, start=1):
                m.field.add(name=field, number=number, type=kind, label=_OPTIONAL)
        pool.Add(fdp)
    return pool


POOL = _build_pool()


def message_class(full_name: str) -> type:
    return message_factory.GetMessageClass(POOL.FindMessageTypeByName(full_name))


Quantity = message_class("kubernetes.Quantity")
URL = message_class("kubernetes.URL")
Semver = message_class("kubernetes.Semver")
NamedFormat = message_class("kubernetes.NamedFormat")
Image = message_class("kubernetes.Image")
IP = message_class("net.IP")
CIDR = message_class("net.CIDR")
Authorizer = message_class("kubernetes.authorization.Authorizer")
GroupCheck = message_class("kubernetes.authorization.GroupCheck")
ResourceCheck = message_class("kubernetes.authorization.ResourceCheck")
Decision = message_class("kubernetes.authorization.Decision")
