"""The network stack without an event loop: sockets over loopback and
bridges, refusal, address conflicts, half-close, resets, back-pressure,
routing between namespaces, the daemon's external connections and the
embedded DNS."""

import pytest

from dockersim.sim.abi import AF_INET, AF_INET6, SHUT_WR, SO_REUSEADDR, SOCK_DGRAM, SOL_SOCKET, Errno
from dockersim.sim.errors import SimError
from dockersim.sim.io.waiter import POLLIN, POLLOUT
from dockersim.sim.net.stack import NetError
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.pidns import PidNamespace
from dockersim.sim.proc.task import ProgramImage
from dockersim.sim.programs.table import Program

from .helpers import PATH, boot


class World:
    """A kernel with a stack and helpers to run Python coroutines as tasks
    in chosen network namespaces."""

    def __init__(self):
        self.kernel, self.nsset = boot()
        self.stack = self.kernel.host_ns.net.stack
        self.bridge = self.stack.create_network("b" * 64, name="bridge", bridge="docker0")
        self.clock = self.kernel.clock

    def namespace(self, network=None, names=()):
        ns = self.stack.new_namespace()
        if network is not None:
            self.stack.attach(ns, network.key, names=names)
        return ns

    def run(self, main, net=None):
        nsset = NamespaceSet(pid=PidNamespace.child_of(self.kernel.root_pidns), mnt=self.nsset.mnt,
                             uts=UtsNamespace("t"), net=net or self.nsset.net)
        image = ProgramImage(Program("t", main), ("t",), "/t", "t")
        return self.kernel.create_task(parent=None, image=image, nsset=nsset, env={"PATH": PATH},
                                       cwd="/", coro_fn=lambda proc: main(proc))

    def settle(self, seconds=0):
        self.kernel.run_until_idle()
        if seconds:
            self.clock.advance(seconds)
            self.kernel.poke()
            self.kernel.run_until_idle()


async def echo_server(proc, port=7, family=AF_INET, host="", once=True):
    fd = proc.socket(family)
    proc.bind(fd, (host, port))
    proc.listen(fd, 16)
    while True:
        conn, peer = await proc.accept(fd)
        proc.log.append(("peer", peer))
        while True:
            data = await proc.read(conn)
            if not data:
                break
            await proc.write(conn, data.upper())
        proc.close(conn)
        if once:
            return 0


def test_loopback_echo_with_half_close():
    w = World()
    seen = {}

    async def server(proc):
        fd = proc.socket()
        proc.bind(fd, ("127.0.0.1", 7000))
        proc.listen(fd)
        conn, peer = await proc.accept(fd)
        seen["peer"] = peer
        data = await proc.read_all(conn)
        await proc.write(conn, data.upper())
        proc.close(conn)

    async def client(proc):
        fd = proc.socket()
        await proc.connect(fd, ("127.0.0.1", 7000))
        seen["local"] = proc.getsockname(fd)
        await proc.write(fd, b"hello")
        proc.shutdown(fd, SHUT_WR)
        seen["reply"] = await proc.read_all(fd)

    w.run(server)
    w.settle()
    w.run(client)
    w.settle()
    assert seen["reply"] == b"HELLO"
    assert seen["peer"] == seen["local"]
    assert seen["local"][0] == "127.0.0.1" and 32768 <= seen["local"][1] <= 60999


def test_connection_refused_and_address_in_use():
    w = World()
    seen = {}

    async def prog(proc):
        fd = proc.socket()
        try:
            await proc.connect(fd, ("127.0.0.1", 9))
        except SimError as err:
            seen["connect"] = err.errno
        a = proc.socket()
        proc.bind(a, ("0.0.0.0", 8080))
        proc.listen(a)
        b = proc.socket(AF_INET6)
        try:
            proc.bind(b, ("::", 8080))
        except SimError as err:
            seen["bind"] = err.errno
        c = proc.socket()
        try:
            proc.bind(c, ("10.9.9.9", 1234))
        except SimError as err:
            seen["foreign"] = err.errno

    w.run(prog)
    w.settle()
    assert seen == {"connect": Errno.ECONNREFUSED, "bind": Errno.EADDRINUSE,
                    "foreign": Errno.EADDRNOTAVAIL}


def test_reuseaddr_lets_a_closed_listeners_port_be_bound_again():
    w = World()
    seen = {}

    async def prog(proc):
        a = proc.socket()
        proc.setsockopt(a, SOL_SOCKET, SO_REUSEADDR, 1)
        proc.bind(a, ("", 5000))
        proc.listen(a)
        proc.close(a)
        b = proc.socket()
        proc.bind(b, ("", 5000))
        seen["ok"] = proc.getsockname(b)

    w.run(prog)
    w.settle()
    assert seen["ok"] == ("0.0.0.0", 5000)


def test_containers_reach_each_other_across_the_bridge_but_not_outside():
    w = World()
    server_ns = w.namespace(w.bridge)
    client_ns = w.namespace(w.bridge)
    server_ip = server_ns.interfaces[1].address
    seen = {}

    async def server(proc):
        proc.log = []
        fd = proc.socket(AF_INET6)
        proc.bind(fd, ("::", 8080))
        proc.listen(fd)
        conn, peer = await proc.accept(fd)
        seen["peer"] = peer
        await proc.write(conn, b"hi from " + proc.getsockname(conn)[0].encode())
        proc.close(conn)

    async def client(proc):
        fd = proc.socket()
        await proc.connect(fd, (str(server_ip), 8080))
        seen["reply"] = await proc.read_all(fd)
        fd2 = proc.socket()
        try:
            await proc.connect(fd2, ("8.8.8.8", 53))
        except SimError as err:
            seen["outside"] = err.errno

    w.run(server, server_ns)
    w.settle()
    w.run(client, client_ns)
    w.settle()
    client_ip = client_ns.interfaces[1].address
    assert str(server_ip) == "172.17.0.2" and str(client_ip) == "172.17.0.3"
    assert seen["peer"] == (f"::ffff:{client_ip}", seen["peer"][1])
    assert seen["reply"] == f"hi from ::ffff:{server_ip}".encode()
    assert seen["outside"] == Errno.ENETUNREACH
    assert client_ns.interfaces[1].counters.tx_bytes == 0  # the client sent nothing
    assert client_ns.interfaces[1].counters.rx_bytes == len(seen["reply"])


def test_networks_are_isolated_from_each_other():
    w = World()
    other = w.stack.create_network("c" * 64, name="mynet", embedded_dns=True)
    assert str(other.subnet) == "172.18.0.0/16" and str(other.gateway) == "172.18.0.1"
    a = w.namespace(w.bridge)
    b = w.namespace(other)
    with pytest.raises(SimError) as err:
        w.stack.route(a, b.interfaces[1].address)
    assert err.value.errno == Errno.ENETUNREACH
    with pytest.raises(NetError, match="overlaps"):
        w.stack.create_network("d" * 64, name="x", subnet="172.18.5.0/24")


def test_embedded_dns_answers_on_user_networks_only():
    w = World()
    mynet = w.stack.create_network("c" * 64, name="mynet", embedded_dns=True)
    web = w.namespace(mynet, names=("web", "abcdef123456", "www"))
    client = w.namespace(mynet)
    plain = w.namespace(w.bridge, names=("plain",))
    assert w.stack.lookup(client, "web") == [str(web.interfaces[1].address)]
    assert w.stack.lookup(client, "www") == [str(web.interfaces[1].address)]
    assert w.stack.lookup(client, "nosuch") == []
    assert w.stack.lookup(plain, "web") is None


def test_back_pressure_holds_a_fast_writer_until_the_reader_reads():
    w = World()
    seen = {"wrote": 0}

    async def server(proc):
        fd = proc.socket()
        proc.bind(fd, ("", 9000))
        proc.listen(fd)
        conn, _ = await proc.accept(fd)
        await proc.sleep(5)
        seen["got"] = len(await proc.read_all(conn))

    async def client(proc):
        fd = proc.socket()
        await proc.connect(fd, ("127.0.0.1", 9000))
        proc.set_nonblocking(fd)
        seen["ready_before"] = await proc.poll([(fd, POLLOUT)], timeout=0)
        try:
            while True:
                seen["wrote"] += await proc.write(fd, b"x" * 65536)
        except SimError as err:
            seen["full"] = err.errno
        proc.set_nonblocking(fd, False)
        await proc.write(fd, b"y" * 100)  # blocks until the server reads
        proc.close(fd)

    w.run(server)
    w.settle()
    w.run(client)
    w.settle()
    assert seen["full"] == Errno.EAGAIN and seen["wrote"] == 212992
    w.settle(5)
    assert seen["got"] == 212992 + 100


def test_closing_with_unread_data_resets_the_peer():
    w = World()
    seen = {}

    async def server(proc):
        fd = proc.socket()
        proc.bind(fd, ("", 9001))
        proc.listen(fd)
        conn, _ = await proc.accept(fd)
        await proc.sleep(1)
        proc.close(conn)  # the client's bytes were never read: RST

    async def client(proc):
        fd = proc.socket()
        await proc.connect(fd, ("127.0.0.1", 9001))
        await proc.write(fd, b"unread")
        try:
            await proc.read(fd)
        except SimError as err:
            seen["read"] = err.errno

    w.run(server)
    w.settle()
    w.run(client)
    w.settle(1)
    assert seen["read"] == Errno.ECONNRESET


def test_the_daemon_connects_from_the_host_through_the_gateway():
    w = World()
    ns = w.namespace(w.bridge)
    seen = {}

    async def server(proc):
        fd = proc.socket(AF_INET6)
        proc.bind(fd, ("", 8080))
        proc.listen(fd)
        conn, peer = await proc.accept(fd)
        seen["peer"] = peer
        request = await proc.read(conn)
        await proc.write(conn, b"echo:" + request)
        proc.close(conn)

    w.run(server, ns)
    w.settle()
    with pytest.raises(SimError) as err:
        w.stack.connect_external(str(ns.interfaces[1].address), 9999)
    assert err.value.errno == Errno.ECONNREFUSED
    conn = w.stack.connect_external(str(ns.interfaces[1].address), 8080)
    changes = []
    conn.listeners.append(lambda: changes.append(1))
    conn.send(b"GET")
    w.settle()
    assert conn.recv() == b"echo:GET" and conn.eof and changes
    assert seen["peer"][0] == "::ffff:172.17.0.1"


def test_datagrams_between_namespaces_and_poll_on_a_socket():
    w = World()
    a = w.namespace(w.bridge)
    b = w.namespace(w.bridge)
    seen = {}

    async def receiver(proc):
        fd = proc.socket(AF_INET, SOCK_DGRAM)
        proc.bind(fd, ("", 5353))
        seen["ready"] = await proc.poll([(fd, POLLIN)], timeout=10)
        seen["msg"] = await proc.recvfrom(fd)

    async def sender(proc):
        fd = proc.socket(AF_INET, SOCK_DGRAM)
        await proc.sendto(fd, b"ping", (str(b.interfaces[1].address), 5353))

    w.run(receiver, b)
    w.settle()
    w.run(sender, a)
    w.settle()
    assert seen["ready"][0][1] == POLLIN
    assert seen["msg"][0] == b"ping" and seen["msg"][1][0] == str(a.interfaces[1].address)


def test_releasing_a_namespace_frees_its_address_and_resets_connections():
    w = World()
    ns = w.namespace(w.bridge)
    ip = ns.interfaces[1].address

    async def server(proc):
        fd = proc.socket()
        proc.bind(fd, ("", 80))
        proc.listen(fd)
        await proc.accept(fd)
        await proc.sleep(100)

    w.run(server, ns)
    w.settle()
    conn = w.stack.connect_external(str(ip), 80)
    w.settle()
    w.stack.release_namespace(ns)
    assert conn.reset and ip not in w.bridge.endpoints
    again = w.namespace(w.bridge)
    assert again.interfaces[1].address == ip  # lowest free first: handed out again


def test_the_daemon_sends_datagrams_from_the_host_and_hears_replies():
    w = World()
    ns = w.namespace(w.bridge)
    seen = {}

    async def echo(proc):
        fd = proc.socket(AF_INET, SOCK_DGRAM)
        proc.bind(fd, ("", 53))
        data, peer = await proc.recvfrom(fd)
        seen["peer"] = peer
        await proc.sendto(fd, data.upper(), peer)

    w.run(echo, ns)
    w.settle()
    flow = w.stack.open_datagram(str(ns.interfaces[1].address), 53)
    heard = []
    flow.listeners.append(lambda: heard.append(1))
    flow.send(b"query")
    w.settle()
    assert flow.recv() == [b"QUERY"] and heard
    assert seen["peer"] == ("172.17.0.1", flow.local[1])
    flow.close()
