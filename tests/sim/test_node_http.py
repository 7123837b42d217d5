"""node's http and net over the kernel's sockets: the kubia app answers
through the daemon's external connection (as a published port would
reach it), keep-alive, state across requests, EADDRINUSE, a client."""

import pathlib
import re

from dockersim.sim.io.pipe import Pipe
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.files import PipeDesc
from dockersim.sim.proc.pidns import PidNamespace

from .helpers import PATH, boot

#: The seed's kubia app (a copy of shared/acceptance/kubia/app.js).
KUBIA_APP = (pathlib.Path(__file__).resolve().parents[1] / "data" / "kubia" / "app.js").read_text()


class Box:
    """A kernel with a bridge; node programs run in containers' namespaces."""

    def __init__(self, files):
        self.kernel, self.nsset = boot(files)
        self.stack = self.kernel.host_ns.net.stack
        self.bridge = self.stack.create_network("b" * 64, name="bridge", bridge="docker0")
        self.clock = self.kernel.clock

    def start(self, argv, hostname="kubia-1"):
        ns = self.stack.new_namespace()
        self.stack.attach(ns, self.bridge.key)
        out = Pipe(wake=self.kernel.wake_all)
        err = Pipe(wake=self.kernel.wake_all)
        out.open_end("r")
        err.open_end("r")
        nsset = NamespaceSet(pid=PidNamespace.child_of(self.kernel.root_pidns), mnt=self.nsset.mnt,
                             uts=UtsNamespace(hostname), net=ns)
        task = self.kernel.spawn(argv=argv, env={"PATH": PATH, "HOSTNAME": hostname}, cwd="/app",
                                 nsset=nsset, fds={1: PipeDesc(pipe=out, kind="w"),
                                                   2: PipeDesc(pipe=err, kind="w")})
        return task, str(ns.interfaces[1].address), out, err

    def settle(self, seconds=0.0):
        self.kernel.run_until_idle()
        if seconds:
            self.clock.advance(seconds)
            self.kernel.poke()
            self.kernel.run_until_idle()


def exchange(box, conn, request: bytes) -> bytes:
    conn.send(request)
    box.settle()
    return conn.recv()


def test_kubia_answers_twice_on_one_keep_alive_connection():
    box = Box({"/app/app.js": KUBIA_APP})
    task, ip, out, err = box.start(["node", "app.js"])
    box.settle()
    assert out.drain() == b"Kubia server starting...\n"
    conn = box.stack.connect_external(ip, 8080)
    request = b"GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
    first = exchange(box, conn, request)
    head, _, body = first.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    assert re.fullmatch(r"Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", lines[1])
    assert lines[2:] == ["Connection: keep-alive", "Keep-Alive: timeout=5", "Transfer-Encoding: chunked"]
    assert body == b"13\r\nYou've hit kubia-1\n\r\n0\r\n\r\n"
    second = exchange(box, conn, request)
    assert second.endswith(b"You've hit kubia-1\n\r\n0\r\n\r\n") and not conn.eof
    assert out.drain() == b"Received request from ::ffff:172.17.0.1\n" * 2
    # idle keep-alive connections close after five seconds
    box.settle(5.1)
    assert conn.eof
    assert task.exit_status is None and err.drain() == b""


APP = r"""
const http = require('http');
let hits = 0;
const server = http.createServer((req, res) => {
  hits += 1;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ hits, method: req.method, url: req.url, body, ua: req.headers['user-agent'] }));
  });
});
server.listen(3000, () => console.log('listening on', server.address()));
"""


def test_state_persists_across_requests_and_bodies_arrive():
    box = Box({"/app/server.js": APP})
    task, ip, out, err = box.start(["node", "server.js"])
    box.settle()
    assert out.drain() == b"listening on { address: '::', family: 'IPv6', port: 3000 }\n"
    answers = []
    for n in range(3):
        conn = box.stack.connect_external(ip, 3000)
        body = f"n={n}".encode()
        reply = exchange(box, conn, b"POST /count?x=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n"
                                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        head, _, payload = reply.partition(b"\r\n\r\n")
        assert b"Connection: close" in head and b"Content-Type: application/json" in head
        assert b"Content-Length: %d" % len(payload) in head
        assert conn.eof
        answers.append(payload.decode())
    assert answers[2] == '{"hits":3,"method":"POST","url":"/count?x=1","body":"n=2","ua":"t"}'
    assert err.drain() == b""


def test_listen_on_a_port_in_use_reports_eaddrinuse():
    app = "require('http').createServer(() => {}).listen(8080);\n" \
          "require('http').createServer(() => {}).listen(8080);\n"
    box = Box({"/app/twice.js": app})
    task, ip, out, err = box.start(["node", "twice.js"])
    box.settle()
    assert task.exit_status is not None and task.exit_status.exit_code == 1
    text = err.drain().decode()
    assert "Error: listen EADDRINUSE: address already in use :::8080" in text
    assert "code: 'EADDRINUSE'" in text and "port: 8080" in text and text.endswith("\n\nNode.js v22.13.0\n")


def test_a_client_in_one_container_gets_from_a_server_in_another():
    box = Box({"/app/app.js": KUBIA_APP, "/app/client.js": r"""
const http = require('http');
http.get('http://' + process.argv[2] + ':8080/', (res) => {
  let data = '';
  res.on('data', (c) => data += c);
  res.on('end', () => console.log(res.statusCode, res.headers['transfer-encoding'], JSON.stringify(data)));
}).on('error', (e) => console.log('error', e.message));
const net = require('net');
const s = net.connect(8080, process.argv[2], () => { s.end('GET / HTTP/1.0\r\n\r\n'); });
let raw = '';
s.on('data', (c) => raw += c);
s.on('close', () => console.log(raw.split('\r\n')[0], raw.includes('Connection: close')));
"""})
    server, ip, sout, serr = box.start(["node", "app.js"], hostname="server")
    box.settle()
    client, _, cout, cerr = box.start(["node", "client.js", ip], hostname="client")
    box.settle()
    assert client.exit_status is not None and client.exit_status.exit_code == 0, cerr.drain()
    assert cout.drain().decode().splitlines() == [
        '200 chunked "You\'ve hit server\\n"',
        "HTTP/1.1 200 OK true",
    ]


def test_net_echo_client_errors_and_interfaces():
    box = Box({"/app/x.js": r"""
const os = require('os');
console.log(Object.keys(os.networkInterfaces()), os.networkInterfaces().eth0[0].cidr);
require('http').get('http://127.0.0.1:9/', () => {}).on('error', (e) => console.log(e.message, e.code));
require('http').get('http://nosuchhost:9/', () => {}).on('error', (e) => console.log(e.message, e.code));
const s = require('net').createServer((c) => { c.pipe(c); }).listen(7000, '127.0.0.1', () => {
  const c = require('net').connect(7000, '127.0.0.1', () => c.write('ping'));
  c.setEncoding('utf8');
  c.on('data', (d) => { console.log('echo', d); c.end(); s.close(() => console.log('closed')); });
});
"""})
    task, ip, out, err = box.start(["node", "x.js"])
    box.settle()
    assert task.exit_status is not None and task.exit_status.exit_code == 0, err.drain()
    assert out.drain().decode().splitlines() == [
        f"[ 'lo', 'eth0' ] {ip}/16",
        "getaddrinfo ENOTFOUND nosuchhost ENOTFOUND",
        "connect ECONNREFUSED 127.0.0.1:9 ECONNREFUSED",
        "echo ping",
        "closed",
    ]
