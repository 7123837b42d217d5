"""A killed node whose JavaScript spins on a host core: the kernel lets
the task go at once (137 for SIGKILL, 143 for an unhandled SIGTERM), and
closing its core interrupts the QuickJS turn, so the host thread stops
spinning and ends (sim.proc.cpu, daemon/backend/cores.py, jsstop.py).

The kernel is driven here as the daemon drives it, with host-thread cores
(`ThreadCores`) and a stand-in for the event loop's call_soon_threadsafe."""

import queue
import threading
import time

from dockersim.daemon.backend.cores import ThreadCores
from dockersim.sim.abi import Signal
from dockersim.sim.io.pipe import Pipe
from dockersim.sim.proc.files import PipeDesc

from .helpers import PATH, boot


class HostLoop:
    """What a ThreadCore asks of the event loop: calls from its thread,
    run here on the kernel's thread when the test drives the kernel."""

    def __init__(self):
        self.calls = queue.SimpleQueue()

    def call_soon_threadsafe(self, fn, *args):
        self.calls.put((fn, args))

    def drain(self):
        while True:
            try:
                fn, args = self.calls.get_nowait()
            except queue.Empty:
                return
            fn(*args)


class Host:
    def __init__(self):
        self.kernel, self.nsset = boot()
        self.loop = HostLoop()
        self.threads = []
        factory = ThreadCores(self.loop, lambda: None)

        def new_core():
            before = set(threading.enumerate())
            core = factory()
            self.threads += [t for t in threading.enumerate() if t not in before]
            return core

        self.kernel.cores = new_core
        self.out = Pipe(wake=self.kernel.wake_all)
        self.out.open_end("r")

    def spawn(self, argv):
        fds = {1: PipeDesc(pipe=self.out, kind="w"), 2: PipeDesc(pipe=self.out, kind="w")}
        return self.kernel.spawn(argv=argv, env={"PATH": PATH}, nsset=self.nsset, fds=fds)

    def drive(self, until, timeout=10.0):
        end = time.monotonic() + timeout
        while not until():
            self.loop.drain()
            self.kernel.run_until_idle()
            assert time.monotonic() < end, "timed out"
            time.sleep(0.002)

    def task(self, comm):
        infos = [i for i in self.kernel.task_infos(self.kernel.root_pidns) if i.comm == comm]
        return self.kernel.task_by_host_pid(infos[0].host_pid) if infos else None


def thread_cpu(thread) -> float:
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


def spinning(host, task):
    """The task waits for a turn that runs on alone, and its core's thread
    is burning CPU."""
    host.drive(lambda: task is not None and getattr(task.trap, "computing", False))
    (thread,) = host.threads
    first = thread_cpu(thread)
    end = time.monotonic() + 0.3
    host.drive(lambda: time.monotonic() > end)  # serving the calls it makes back
    assert thread.is_alive() and thread_cpu(thread) - first > 0.1  # it spins
    assert task.exit_status is None
    return thread


def test_sigkill_interrupts_the_spinning_turn_and_its_thread_ends():
    host = Host()
    task = host.spawn(["node", "-e", "let n = 0; while (true) { n++; }"])
    thread = spinning(host, task)
    host.kernel.send_signal(task, Signal.SIGKILL)
    host.drive(lambda: task.exit_status is not None)
    assert task.exit_status.signal == Signal.SIGKILL and task.exit_status.exit_code == 137
    thread.join(2.0)
    assert not thread.is_alive()


def test_an_unhandled_sigterm_ends_a_spinning_child_with_143_even_if_it_catches_its_errors():
    # node is not the namespace's init here (sh is), so SIGTERM's default
    # action kills it; its loop calls into the kernel now and then and
    # swallows every error (the calls fail once the core is closed), so
    # only the interrupt can end the turn.
    host = Host()
    code = ("const fs = require('fs');"
            " for (let i = 0; ; i++) { if (i % 100000 === 0) try { fs.statSync('/'); } catch (e) {} }")
    sh = host.spawn(["sh", "-c", f"node -e \"{code}\"; echo status $?"])
    host.drive(lambda: host.task("node") is not None)
    node = host.task("node")
    thread = spinning(host, node)
    host.kernel.send_signal(node, Signal.SIGTERM)
    host.drive(lambda: sh.exit_status is not None)
    assert node.exit_status.signal == Signal.SIGTERM
    assert host.out.drain() == b"status 143\n"
    thread.join(2.0)
    assert not thread.is_alive()


def test_a_turn_that_ends_by_itself_is_not_interrupted_by_the_close_that_follows():
    host = Host()
    task = host.spawn(["node", "-e", "let n = 0; for (let i = 0; i < 3e6; i++) n += i; console.log(n)"])
    host.drive(lambda: task.exit_status is not None)
    assert (task.exit_status.exit_code, host.out.drain()) == (0, b"4499998500000\n")
    (thread,) = host.threads
    thread.join(2.0)
    assert not thread.is_alive()
