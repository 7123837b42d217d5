"""busybox's network applets in containers on simulated bridges: httpd and
wget, nc, netstat and /proc/net, ip, ifconfig, ping and nslookup."""

import attrs

from dockersim.sim.fs.memfs import make_devfs, tree_from_dict
from dockersim.sim.fs.overlay import Overlay
from dockersim.sim.fs.procfs import ProcFs
from dockersim.sim.fs.tar import LayerTree
from dockersim.sim.fs.vfs import Vfs
from dockersim.sim.io.pipe import Pipe
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.files import PipeDesc
from dockersim.sim.proc.pidns import PidNamespace

from .helpers import PATH, boot, rootfs_spec


@attrs.define
class Run:
    task: object
    out: Pipe
    err: Pipe
    stdout: bytearray = attrs.field(factory=bytearray)
    stderr: bytearray = attrs.field(factory=bytearray)

    def take(self):
        self.stdout += self.out.drain()
        self.stderr += self.err.drain()

    @property
    def exit_code(self):
        status = self.task.exit_status
        return None if status is None else status.exit_code


class World:
    """One kernel, a default bridge and a user network with the embedded
    DNS; containers are namespaces with their own rootfs and /proc."""

    def __init__(self):
        self.kernel, _ = boot()
        self.clock = self.kernel.clock
        self.stack = self.kernel.host_ns.net.stack
        self.bridge = self.stack.create_network("b" * 64, name="bridge", bridge="docker0")
        self.mynet = self.stack.create_network("c" * 64, name="mynet", embedded_dns=True)
        self.runs = []

    def container(self, name, network=None, files=None):
        network = network or self.bridge
        ns = self.stack.new_namespace(name)
        ep = self.stack.attach(ns, network.key, names=(name,))
        spec = rootfs_spec("busybox")
        resolv = "nameserver 127.0.0.11\noptions ndots:0\n" if network.embedded_dns \
            else "nameserver 192.168.65.7\n"
        spec.update({"/etc/hosts": f"127.0.0.1\tlocalhost\n{ep.ip}\t{name}\n",
                     "/etc/resolv.conf": resolv, "/www/": None})
        for path, value in (files or {}).items():
            spec[path] = value.encode() if isinstance(value, str) else value
        tree = tree_from_dict(spec, mtime=self.clock.now())
        vfs = Vfs(Overlay([LayerTree.from_tree(tree)], None, now=self.clock.now))
        vfs.mount("/dev", make_devfs(self.clock.now), create=True)
        nsset = NamespaceSet(pid=PidNamespace.child_of(self.kernel.root_pidns), mnt=vfs,
                             uts=UtsNamespace(name), net=ns)
        vfs.mount("/proc", ProcFs(self.kernel, nsset.pid, nsset.uts, net=ns))
        self.start(nsset, ["sleep", "1000000"])  # the container's init
        self.kernel.run_until_idle()
        return nsset

    def start(self, nsset, argv, stdin=b"", cwd="/"):
        out, err, pin = (Pipe(wake=self.kernel.wake_all) for _ in range(3))
        out.open_end("r")
        err.open_end("r")
        pin.open_end("w")
        if stdin is not None:
            pin.feed(stdin)
            pin.close_end("w")
        task = self.kernel.spawn(argv=list(argv), env={"PATH": PATH, "HOME": "/root"}, cwd=cwd,
                                 nsset=nsset, uid=0, gid=0,
                                 fds={0: PipeDesc(pipe=pin, kind="r"),
                                      1: PipeDesc(pipe=out, kind="w"),
                                      2: PipeDesc(pipe=err, kind="w")})
        run = Run(task, out, err)
        self.runs.append(run)
        return run

    def settle(self, until=None, limit=120.0):
        """Run until ``until`` exits (or every task sleeps), jumping the
        clock to timers, at most ``limit`` virtual seconds."""
        start = self.clock.now()
        while True:
            self.kernel.run_until_idle()
            for run in self.runs:
                run.take()
            if until is not None and until.exit_code is not None:
                return until
            deadline = self.kernel.next_deadline()
            if until is None or deadline is None or deadline - start > limit:
                return until
            self.clock.set(deadline)

    def run(self, nsset, argv, **kw):
        return self.settle(self.start(nsset, argv, **kw))


INDEX = "<html><body>hello from httpd</body></html>\n"


def test_httpd_serves_a_file_to_wget_in_another_container():
    w = World()
    web = w.container("web", files={"/www/index.html": INDEX, "/www/sub/a.txt": "A\n"})
    client = w.container("client")
    server = w.start(web, ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"])
    w.settle()
    got = w.run(client, ["wget", "-qO-", "http://172.17.0.2:8080/"])
    assert got.exit_code == 0 and got.stdout.decode() == INDEX and got.stderr == b""
    got = w.run(client, ["wget", "http://172.17.0.2:8080/sub/a.txt"], cwd="/tmp")
    assert got.exit_code == 0
    assert got.stderr.decode() == (
        "Connecting to 172.17.0.2:8080 (172.17.0.2:8080)\n"
        "saving to 'a.txt'\n"
        "a.txt                100% |********************************|     2  0:00:00 ETA\n"
        "'a.txt' saved\n")
    got = w.run(client, ["cat", "/tmp/a.txt"])
    assert got.stdout == b"A\n"
    got = w.run(client, ["wget", "-q", "-O-", "http://172.17.0.2:8080/nosuch"])
    assert got.exit_code == 1
    assert got.stderr.decode() == "wget: server returned error: HTTP/1.1 404 Not Found\n"
    got = w.run(client, ["wget", "-q", "-S", "-O-", "http://172.17.0.2:8080/"])
    head = got.stderr.decode()
    assert "  HTTP/1.1 200 OK\n" in head and "  Content-type: text/html\n" in head
    assert "  Accept-Ranges: bytes\n" in head and "  ETag: \"" in head
    assert f"  Content-Length: {len(INDEX)}\n" in head and "  Connection: close\n" in head
    assert server.exit_code is None  # still serving
    assert "172.17.0.3" in server.stderr.decode() and "response:200" in server.stderr.decode()


def test_httpd_answers_many_connections_and_its_404_page():
    w = World()
    web = w.container("web", files={"/www/index.html": INDEX})
    w.start(web, ["httpd", "-p", "80", "-h", "/www"])  # daemonizes
    w.settle()
    client = w.container("client")
    for _ in range(30):
        got = w.run(client, ["wget", "-qO-", "http://172.17.0.2/"])
        assert got.stdout.decode() == INDEX
    tasks = w.run(web, ["ps"]).stdout.decode()
    assert tasks.count("httpd") == 1  # the children reaped themselves
    pid = next(line.split()[0] for line in tasks.splitlines() if "httpd" in line)
    assert w.run(web, ["netstat", "-tlnp"]).stdout.decode() == (
        "Active Internet connections (only servers)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       "
        "PID/Program name    \n"
        f"tcp        0      0 :::80                   :::*                    LISTEN      {pid}/httpd\n")
    got = w.run(client, ["nc", "172.17.0.2", "80"], stdin=b"GET /missing HTTP/1.0\r\n\r\n")
    reply = got.stdout.decode()
    assert reply.startswith("HTTP/1.1 404 Not Found\r\nDate: ")
    assert reply.endswith("\r\n\r\n<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n"
                          "<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n"
                          "</BODY></HTML>\n")


def test_wget_errors():
    w = World()
    client = w.container("client")
    got = w.run(client, ["wget", "http://172.17.0.9:81/"])
    assert got.exit_code == 1
    got = w.run(client, ["wget", "-q", "http://172.17.0.1:81/"])
    assert got.stderr.decode() == "wget: can't connect to remote host (172.17.0.1): Connection refused\n"
    got = w.run(client, ["wget", "-q", "http://nosuch/"])
    assert got.stderr.decode() == "wget: bad address 'nosuch'\n"


def test_nc_listens_and_connects_and_netstat_shows_the_listener():
    w = World()
    a = w.container("a")
    b = w.container("b")
    server = w.start(a, ["nc", "-l", "-p", "1234"], stdin=b"pong\n")
    w.settle()
    listing = w.run(a, ["netstat", "-tln"]).stdout.decode()
    assert listing == (
        "Active Internet connections (only servers)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       \n"
        "tcp        0      0 :::1234                 :::*                    LISTEN      \n")
    tcp6 = w.run(a, ["cat", "/proc/net/tcp6"]).stdout.decode().splitlines()
    assert tcp6[1].split()[1:4] == ["00000000000000000000000000000000:04D2",
                                     "00000000000000000000000000000000:0000", "0A"]
    client = w.run(b, ["nc", "172.17.0.2", "1234"], stdin=b"ping\n")
    w.settle(server)
    assert client.stdout == b"pong\n" and server.stdout == b"ping\n"
    assert server.exit_code == 0 and client.exit_code == 0


def test_proc_net_tcp_rows_and_netstat_an():
    w = World()
    a = w.container("a")
    w.start(a, ["nc", "-l", "-p", "9000", "-s", "0.0.0.0"], stdin=None)  # stays listening
    w.start(a, ["nc", "-l", "-p", "8080", "-s", "0.0.0.0"], stdin=None)
    w.settle()
    w.start(a, ["nc", "127.0.0.1", "8080"], stdin=None)
    w.settle()
    rows = w.run(a, ["cat", "/proc/net/tcp"]).stdout.decode().splitlines()
    assert rows[0].startswith("  sl  local_address rem_address   st tx_queue rx_queue")
    assert len(rows[0]) == 149 and all(len(r) == 149 for r in rows)
    fields = [r.split() for r in rows[1:]]
    assert fields[0][1:4] == ["00000000:2328", "00000000:0000", "0A"]
    states = sorted((f[1], f[2], f[3]) for f in fields[1:])
    client_port = next(f[1] for f in fields[1:] if f[2] == "0100007F:1F90")
    assert ("0100007F:1F90", client_port, "01") in states
    assert (client_port, "0100007F:1F90", "01") in states
    out = w.run(a, ["netstat", "-an"]).stdout.decode()
    assert "tcp        0      0 0.0.0.0:9000            0.0.0.0:*               LISTEN" in out
    assert "tcp        0      0 127.0.0.1:8080          127.0.0.1:" in out
    assert "ESTABLISHED" in out and "Active UNIX domain sockets (servers and established)" in out


def test_ip_addr_ifconfig_and_route_show_the_bridge_address():
    w = World()
    a = w.container("a")
    out = w.run(a, ["ip", "addr"]).stdout.decode()
    eth = a.net.interfaces[1]
    assert out == (
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
        "    inet 127.0.0.1/8 scope host lo\n"
        "       valid_lft forever preferred_lft forever\n"
        "    inet6 ::1/128 scope host \n"
        "       valid_lft forever preferred_lft forever\n"
        f"{eth.index}: eth0@if{eth.peer_index}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 "
        "qdisc noqueue \n"
        "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n"
        "    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n"
        "       valid_lft forever preferred_lft forever\n")
    assert w.run(a, ["ip", "route"]).stdout.decode() == (
        "default via 172.17.0.1 dev eth0 \n"
        "172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n")
    w.run(a, ["ping", "-c", "1", "172.17.0.1"])
    out = w.run(a, ["ifconfig", "eth0"]).stdout.decode()
    assert out == (
        "eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02  \n"
        "          inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0\n"
        "          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n"
        "          RX packets:1 errors:0 dropped:0 overruns:0 frame:0\n"
        "          TX packets:1 errors:0 dropped:0 overruns:0 carrier:0\n"
        "          collisions:0 txqueuelen:0 \n"
        "          RX bytes:84 (84.0 B)  TX bytes:84 (84.0 B)\n\n")
    assert w.run(a, ["hostname", "-i"]).stdout == b"172.17.0.2\n"


def test_ping_between_containers_and_to_nowhere():
    w = World()
    a = w.container("a")
    w.container("b")
    start = w.clock.now()
    got = w.run(a, ["ping", "-c", "3", "172.17.0.3"])
    assert got.exit_code == 0
    assert got.stdout.decode() == (
        "PING 172.17.0.3 (172.17.0.3): 56 data bytes\n"
        "64 bytes from 172.17.0.3: seq=0 ttl=64 time=0.080 ms\n"
        "64 bytes from 172.17.0.3: seq=1 ttl=64 time=0.080 ms\n"
        "64 bytes from 172.17.0.3: seq=2 ttl=64 time=0.080 ms\n"
        "\n--- 172.17.0.3 ping statistics ---\n"
        "3 packets transmitted, 3 packets received, 0% packet loss\n"
        "round-trip min/avg/max = 0.080/0.080/0.080 ms\n")
    assert w.clock.now() - start == 2
    got = w.run(a, ["ping", "-c", "1", "10.1.2.3"])
    assert got.exit_code == 1 and got.stderr == b"ping: sendto: Network is unreachable\n"
    got = w.run(a, ["ping", "-c", "2", "-W", "1", "172.17.0.99"])
    assert got.exit_code == 1 and "2 packets transmitted, 0 packets received, 100% packet loss" \
        in got.stdout.decode()
    other = w.container("c", network=w.mynet)
    got = w.run(a, ["ping", "-c", "1", str(other.net.interfaces[1].address)])
    assert got.stderr == b"ping: sendto: Network is unreachable\n"


def test_nslookup_on_a_user_network_and_on_the_default_bridge():
    w = World()
    w.container("web", network=w.mynet)
    client = w.container("client", network=w.mynet)
    got = w.run(client, ["nslookup", "web"])
    assert got.exit_code == 0
    assert got.stdout.decode().startswith(
        "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
        "Non-authoritative answer:\nName:\tweb\nAddress: 172.18.0.2\n\n")
    got = w.run(client, ["nslookup", "nosuch"])
    assert got.exit_code == 1
    assert "** server can't find nosuch: NXDOMAIN\n" in got.stdout.decode()
    got = w.run(client, ["wget", "-q", "-O-", "http://web:81/"])
    assert got.stderr == b"wget: can't connect to remote host (172.18.0.2): Connection refused\n"
    plain = w.container("plain")
    got = w.run(plain, ["nslookup", "web"])
    assert got.exit_code == 1
    assert got.stdout == b";; connection timed out; no servers could be reached\n\n"
