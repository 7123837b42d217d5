"""A container's network sandbox (libnetwork's word): its network namespace
and its endpoints, made before the container starts.

dockerd creates the sandbox first (a namespace with ``lo``, then one veth
endpoint per network, each given an address by that network's IPAM), writes
the container's /etc/hosts with the addresses it got, then starts the
container inside the namespace.  When the container stops, the sandbox is
released: its addresses go back to the IPAM and whatever connections it
still had are reset.

Modes: a fresh namespace (bridge or user networks, or none at all for
``--network none``), the host's own namespace (``--network host``: never
released), or another container's (``--network container:<id>``: released
with its owner).
"""

import attrs

from ..net.stack import NetError


@attrs.frozen
class EndpointSpec:
    """Plug the container into network ``network`` (the stack's key), at
    ``ip`` (a fixed address) or the next free one; the embedded DNS answers
    ``names`` (container name, aliases, short id) with it; ``mac``: the
    interface's MAC address ("" derives one from the address, as Docker
    does)."""

    network: str
    ip: str = ""
    names: tuple = attrs.field(default=(), converter=tuple)
    mac: str = ""


@attrs.frozen
class EndpointInfo:
    """What an endpoint got: ``docker inspect``'s NetworkSettings.Networks
    fields."""

    network: str
    ip: str
    prefixlen: int
    gateway: str
    mac: str


@attrs.define(eq=False)
class NetSandbox:
    """A network namespace and its endpoints (see the module docstring)."""

    _stack: object = attrs.field(repr=False)
    ns: object = attrs.field(repr=False)
    #: "private" (its own namespace), "host", or "shared" (another's).
    mode: str = "private"
    released: bool = False

    def connect(self, endpoint: EndpointSpec) -> EndpointInfo:
        """Plug in one more network (``docker network connect``).  Raises
        NetError (Docker's words)."""
        if self.mode != "private":
            raise NetError("container sharing network namespace with another container or "
                           "host cannot be connected to any other network")
        ep = self._stack.attach(self.ns, endpoint.network, endpoint.ip, endpoint.names,
                                mac=endpoint.mac)
        return self._info(ep.network, ep.interface)

    def disconnect(self, network: str) -> None:
        if self.mode == "private":
            self._stack.detach(self.ns, network)

    def endpoints(self) -> "dict[str, EndpointInfo]":
        """Network key → what the container got there."""
        return {i.network.key: self._info(i.network, i) for i in self.ns.interfaces
                if i.network is not None} if self.mode == "private" else {}

    @staticmethod
    def _info(network, iface) -> EndpointInfo:
        # An internal network gives its endpoints no gateway (the bridge
        # driver's Join sets none), so inspect shows none.
        return EndpointInfo(network.key, str(iface.address), iface.prefixlen,
                            "" if network.internal else str(network.gateway), iface.mac)

    def release(self) -> None:
        """Give the addresses back and reset the connections (idempotent;
        the host's namespace and a borrowed one are left alone)."""
        if self.released:
            return
        self.released = True
        if self.mode == "private":
            self._stack.release_namespace(self.ns)


def new_sandbox(stack, endpoints=(), name: str = "") -> NetSandbox:
    """A fresh namespace plugged into ``endpoints`` (none: only ``lo``).
    On failure nothing is kept.  Raises NetError."""
    sandbox = NetSandbox(stack, stack.new_namespace(name))
    try:
        for endpoint in endpoints:
            sandbox.connect(endpoint)
    except BaseException:
        sandbox.release()
        raise
    return sandbox


def host_sandbox(stack) -> NetSandbox:
    return NetSandbox(stack, stack.host, mode="host")


def shared_sandbox(other: NetSandbox) -> NetSandbox:
    return NetSandbox(other._stack, other.ns, mode="shared")
