"""Pipes as the daemon holds them (sim.runtime.streams over sim.io.pipe)."""

from dockersim.sim.io.pipe import Pipe
from dockersim.sim.runtime.streams import OutputStream


def test_the_daemon_draining_output_wakes_writers_but_tells_no_listener():
    woken, heard = [], []
    stream = OutputStream.new(lambda waiters: woken.append(set(waiters)))
    pipe = stream.pipe
    pipe.open_end("w")
    stream.on_change(lambda: heard.append("change"))
    pipe.try_write(b"x" * pipe.capacity)
    assert heard == ["change"]  # a process wrote: the daemon's listener hears it
    pipe.waiters.add("writer")  # a writer blocked on the full pipe
    heard.clear()
    assert stream.read() == b"x" * pipe.capacity
    assert woken[-1] == {"writer"} and heard == []  # room again, and no new work for the daemon
    assert stream.read() == b"" and heard == []


def test_a_process_reading_stdin_still_tells_the_daemon():
    heard = []
    pipe = Pipe()
    pipe.open_end("r")
    pipe.listeners.append(lambda: heard.append("room"))
    pipe.feed(b"abc")
    heard.clear()
    assert pipe.try_read(10) == b"abc" and heard == ["room"]
