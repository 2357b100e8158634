"""The stack as a graph: name indexes, reachability, effective routes and a prefix index."""

from .build import Attachment, Dangling, Resolver, Topology, build
from .dns import Destination, DnsLoop, Forwarder, Forwarding, Step
from .prefixes import PrefixIndex
from .routing import Domain, Hop, Path, Route, Routing, Walk

__all__ = [
    "Attachment",
    "Dangling",
    "Destination",
    "DnsLoop",
    "Domain",
    "Forwarder",
    "Forwarding",
    "Hop",
    "Path",
    "PrefixIndex",
    "Resolver",
    "Route",
    "Routing",
    "Step",
    "Topology",
    "Walk",
    "build",
]
