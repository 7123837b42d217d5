"""The real docker CLI in a pseudo-terminal, driven as a person types.

Each test opens a pty pair on this machine (the "outer terminal"), sets
its window size (TIOCSWINSZ on the slave, before the CLI starts, as a
terminal emulator does), and runs the CLI with the slave as its stdin,
stdout, stderr and controlling terminal (a session of its own), so a later
TIOCSWINSZ sends it SIGWINCH as a real window resize does.  The CLI puts
that terminal in raw mode: Enter arrives as ``\\r``, and every echo,
``\\r\\n`` and prompt seen on the screen comes from the simulated pty and
shell behind the API.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from .helpers import ok

KUBIA = Path(__file__).resolve().parent.parent / "data" / "kubia"


class Terminal:
    """One outer terminal with the docker CLI running in it."""

    def __init__(self, argv, env, rows=24, cols=80):
        self.master, slave = os.openpty()
        self._set_size(slave, rows, cols)

        def controlling_terminal():  # in the child, after setsid
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, preexec_fn=controlling_terminal)
        os.close(slave)
        self.screen = b""
        self.mark = 0  # read_until looks at what came after the last match

    @staticmethod
    def _set_size(fd, rows, cols):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def resize(self, rows, cols):
        """The window changes size: the kernel sends the CLI SIGWINCH."""
        self._set_size(self.master, rows, cols)

    def _pump(self, timeout) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the CLI and everything on the slave are gone
            return False
        if not chunk:
            return False
        self.screen += chunk
        return True

    def read_until(self, pattern: bytes, timeout: float = 15) -> re.Match:
        end = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.screen, self.mark)
            if match:
                self.mark = match.end()
                return match
            left = end - time.monotonic()
            if left <= 0 or not self._pump(min(left, 0.1)) and not re.search(pattern, self.screen[self.mark:]):
                raise AssertionError(f"{pattern!r} not on the screen: {self.screen[self.mark:]!r}"
                                     f" (whole screen: {self.screen!r})")

    def raw_mode(self, timeout: float = 15) -> None:
        """Wait until the CLI has put the terminal in raw mode (it has
        attached): keys typed before that would be echoed by this side."""
        end = time.monotonic() + timeout
        while termios.tcgetattr(self.master)[3] & termios.ECHO:
            assert time.monotonic() < end, "the CLI never put the terminal in raw mode"
            self._pump(0.02)

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self, timeout: float = 15) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > end:
                self.proc.kill()
                raise AssertionError(f"the CLI did not exit; screen: {self.screen!r}")
            self._pump(0.05)
        while self._pump(0.05) and select.select([self.master], [], [], 0)[0]:
            pass
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal(docker, docker_cli, docker_host, tmp_path):  # after docker: it makes the config dir
    """``terminal(*args, rows=, cols=)``: the docker CLI in a new outer
    terminal (same DOCKER_HOST and private config as ``docker``)."""
    config_dir = tmp_path / "docker-config"
    config_dir.mkdir(exist_ok=True)
    env = dict(os.environ, DOCKER_HOST=docker_host, DOCKER_CONFIG=str(config_dir), TERM="xterm")
    for name in ("DOCKER_API_VERSION", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        env.pop(name, None)
    opened = []

    def open_terminal(*args, rows=24, cols=80):
        term = Terminal([docker_cli, *map(str, args)], env, rows, cols)
        opened.append(term)
        return term

    open_terminal.config_dir = config_dir
    yield open_terminal
    for term in opened:
        term.close()


def _status(docker, name) -> str:
    """The STATUS column of ``docker ps -a`` for ``name``."""
    rows = ok(docker("ps", "-a", "--format", "{{.Names}}\t{{.Status}}")).stdout.splitlines()
    return dict(row.split("\t", 1) for row in rows).get(name, "")


def _stty_size(term, rows, cols):
    """``stty size`` in the container's shell shows ``rows cols``."""
    term.type(b"stty size\r")
    match = term.read_until(rb"stty size\r\n(.*)\r\n")
    assert match.group(1) == f"{rows} {cols}".encode()


def test_run_it_busybox_sh_as_a_person_types(terminal, docker):
    term = terminal("run", "-it", "--name", "tty-sh", "busybox", "sh", rows=33, cols=101)
    try:
        term.read_until(rb"/ # $")
        term.type(b"echo hi\r")
        term.read_until(rb"echo hi\r\nhi\r\n/ # $")
        term.type(b"echo hx\x7fi\r")  # DEL erases the x: the line discipline echoes "\b \b"
        term.read_until(rb"echo hx\x08 \x08i\r\nhi\r\n/ # $")
        term.type(b"sleep 100\r")
        term.read_until(rb"sleep 100\r\n")
        time.sleep(0.3)
        typed = time.monotonic()
        term.type(b"\x03")  # ^C: SIGINT to the foreground job, the prompt comes back
        term.read_until(rb"\^C\r\n/ # $", timeout=5)  # n_tty echoes ^C, the shell a new line
        assert time.monotonic() - typed < 1.0
        term.type(b"exit 3\r")
        assert term.wait() == 3
        assert _status(docker, "tty-sh").startswith("Exited (3)")
    finally:
        docker("rm", "-f", "tty-sh")


def test_a_tty_containers_log_is_its_screen(terminal, docker):
    term = terminal("run", "-it", "--name", "tty-log", "busybox", "sh")
    try:
        term.read_until(rb"/ # $")
        term.type(b"echo logged\r")
        term.read_until(rb"logged\r\n/ # $")
        term.type(b"exit\r")
        assert term.wait() == 0
        logs = ok(docker("logs", "tty-log", input=b""))  # bytes: the \r stay
        assert logs.stdout == b"/ # echo logged\r\nlogged\r\n/ # exit\r\n"
    finally:
        docker("rm", "-f", "tty-log")


def test_stty_size_is_the_outer_terminals_and_follows_its_resizes(terminal, docker):
    term = terminal("run", "-it", "--rm", "--name", "tty-size", "busybox", "sh", rows=33, cols=101)
    try:
        term.read_until(rb"/ # $")
        _stty_size(term, 33, 101)
        term.resize(40, 120)
        time.sleep(0.5)  # the CLI's SIGWINCH handler posts /resize
        _stty_size(term, 40, 120)
    finally:
        docker("rm", "-f", "tty-size")


def test_ctrl_p_ctrl_q_detaches_and_attach_gets_the_live_terminal(terminal, docker):
    term = terminal("run", "-it", "--name", "tty-detach", "busybox", "sh")
    try:
        term.read_until(rb"/ # $")
        term.type(b"echo before\r")
        term.read_until(rb"before\r\n/ # $")
        term.type(b"\x10\x11")
        assert term.wait() == 0  # run -it: a detach is a success, and nothing is printed
        assert term.screen.endswith(b"before\r\n/ # ")
        assert _status(docker, "tty-detach").startswith("Up ")

        # docker attach: no replay of what the terminal showed before
        term = terminal("attach", "tty-detach")
        term.raw_mode()
        term.type(b"echo again\r")
        term.read_until(rb"echo again\r\nagain\r\n/ # $")
        assert b"before" not in term.screen
        _stty_size(term, 24, 80)  # the attach's resize nudge ends at the outer terminal's size
        term.type(b"\x10\x11")
        assert term.wait() == 1  # docker attach reports the detach as an error ...
        assert term.screen.endswith(b"read escape sequence\r\n")  # ... in these words
        assert _status(docker, "tty-detach").startswith("Up ")

        # --detach-keys, and a broken sequence goes through to the shell
        term = terminal("attach", "--detach-keys", "q,z", "tty-detach")
        term.raw_mode()
        term.type(b"echo qa\r")  # q then a: not the sequence, both reach the shell
        term.read_until(rb"echo qa\r\nqa\r\n/ # $")
        term.type(b"qz")
        assert term.wait() == 1 and b"read escape sequence" in term.screen
        assert _status(docker, "tty-detach").startswith("Up ")

        # the CLI's config file: detachKeys
        (terminal.config_dir / "config.json").write_text(json.dumps({"detachKeys": "ctrl-a"}))
        term = terminal("attach", "tty-detach")
        term.raw_mode()
        term.type(b"\x01")
        assert term.wait() == 1
        assert _status(docker, "tty-detach").startswith("Up ")
        (terminal.config_dir / "config.json").unlink()

        # keys that do not parse: a 400 on attach (the CLI cannot upgrade), a 500 on exec create
        term = terminal("attach", "--detach-keys", "ctrl-1", "tty-detach")
        assert term.wait() == 1 and term.screen == b"unable to upgrade to tcp, received 400\r\n"
        term = terminal("exec", "-it", "--detach-keys", "ctrl-1", "tty-detach", "sh")
        assert term.wait() == 1
        assert term.screen == b"Error response from daemon: Invalid escape keys (ctrl-1) provided\r\n"

        # exit ends it, with the shell's code
        term = terminal("attach", "tty-detach")
        term.raw_mode()
        term.type(b"exit 4\r")
        assert term.wait() == 4
        assert _status(docker, "tty-detach").startswith("Exited (4)")
    finally:
        docker("rm", "-f", "tty-detach")


@pytest.mark.parametrize("image, shell, prompt", [("busybox", "sh", rb"/ # "),
                                                  ("node:20", "bash", rb"root@[0-9a-f]{12}:/# ")])
def test_attach_shows_the_prompt_again_after_the_resize_nudge(terminal, docker, image, shell, prompt):
    """moby's CLI resizes an attached TTY to h+1, w+1 and back, so the
    shell's line editor redraws its line: the prompt shows at once."""
    term = terminal("run", "-it", "--name", "tty-redraw", image, shell)
    try:
        term.read_until(prompt + b"$", timeout=60)
        term.type(b"\x10\x11")
        assert term.wait() == 0
        term = terminal("attach", "tty-redraw")
        term.raw_mode()
        term.read_until(prompt, timeout=3)
    finally:
        docker("rm", "-f", "tty-redraw")


def test_start_ai_attaches_and_detaches(terminal, docker):
    ok(docker("create", "-it", "--name", "tty-start", "busybox", "sh"))
    try:
        term = terminal("start", "-ai", "tty-start")
        term.read_until(rb"/ # $")
        term.type(b"echo started\r")
        term.read_until(rb"started\r\n/ # $")
        term.type(b"\x10\x11")
        assert term.wait() == 0
        assert _status(docker, "tty-start").startswith("Up ")
    finally:
        docker("rm", "-f", "tty-start")


def test_exec_it_bash_shows_the_prompt_with_the_hostname(terminal, docker):
    cid = ok(docker("run", "-d", "--name", "tty-node", "node:20", "sleep", "1000")).stdout.strip()
    try:
        term = terminal("exec", "-it", "tty-node", "bash", rows=33, cols=101)
        prompt = f"root@{cid[:12]}:/# ".encode()
        term.read_until(re.escape(prompt) + b"$")
        first_screen = term.screen
        term.type(b"ps aux\r")
        listing = term.read_until(rb"ps aux\r\n((?:.*\r\n)+)[^\n]*root@").group(1).decode()
        rows = [line.split() for line in listing.splitlines()]
        assert rows[0][:2] == ["USER", "PID"]
        bash = next(r for r in rows if r[-1] == "bash")
        assert bash[6] == "pts/0"  # TTY column: the exec's terminal
        sleep = next(r for r in rows if r[-2:] == ["sleep", "1000"])
        assert sleep[1] == "1" and sleep[6] == "?"
        _stty_size(term, 33, 101)  # ConsoleSize on exec create and start, then /exec/{id}/resize
        term.resize(20, 70)
        time.sleep(0.5)
        _stty_size(term, 20, 70)
        term.type(b"exit 7\r")
        assert term.wait() == 7

        # ctrl-p ctrl-q leaves the exec'd shell running
        term = terminal("exec", "-it", "tty-node", "bash")
        term.read_until(rb"# $")
        term.type(b"\x10\x11")
        assert term.wait() == 1 and term.screen.endswith(b"read escape sequence\r\n")
        top = ok(docker("top", "tty-node")).stdout
        assert re.search(r"\sbash\s*$", top, re.M), top

        # bash read root's .bashrc (debian's: shopt, PS1 with ${debian_chroot:+...}) cleanly
        assert first_screen == prompt
    finally:
        docker("rm", "-f", "tty-node")


def test_walkthrough_s08_exec_bash_in_kubia(terminal, docker):
    """The seed's `docker exec -it kubia-container /bin/bash`: `ps aux`
    shows `node app.js` as PID 1, `hostname` the container's short id,
    `exit` ends the CLI with 0."""
    ok(docker("build", "-t", "kubia-tty", str(KUBIA), env={"DOCKER_BUILDKIT": "0"}, timeout=180))
    cid = ok(docker("run", "--name", "kubia-tty-container", "-d", "kubia-tty")).stdout.strip()
    try:
        term = terminal("exec", "-it", "kubia-tty-container", "/bin/bash")
        term.read_until(rb"[#$] $")
        term.type(b"ps aux\r")
        listing = term.read_until(rb"ps aux\r\n((?:.*\r\n)+).*[#$] $").group(1).decode()
        node = next(line.split() for line in listing.splitlines() if "node app.js" in line)
        assert node[1] == "1"
        term.type(b"hostname\r")
        assert term.read_until(rb"hostname\r\n(.*)\r\n").group(1).decode() == cid[:12]
        term.type(b"exit\r")
        assert term.wait() == 0
    finally:
        docker("rm", "-f", "kubia-tty-container")
        docker("rmi", "kubia-tty")
