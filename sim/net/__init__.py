"""The simulated network: namespaces, bridges, routing and sockets.

`stack` holds the topology (namespaces, networks, IPAM, routes and the
embedded DNS), `socket` the sockets programs use, `external` the
connections the daemon makes into the simulation for published ports,
`addr` the address rules, `procnet` the /proc/net tables.
"""

from .external import ExternalConn, connect_external
from .stack import Endpoint, InterfaceInfo, NetError, NetNamespace, NetStack, Network

__all__ = ["Endpoint", "ExternalConn", "InterfaceInfo", "NetError", "NetNamespace", "NetStack",
           "Network", "connect_external"]
