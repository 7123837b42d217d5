"""The ``dockersim`` command.

    dockersim daemon [--socket PATH] [--data-root DIR] [--log-level LEVEL]
    dockersim host COMMAND [ARG...]

``daemon`` serves the Engine API (see ``dockersim.daemon.server``).  The data
root defaults to ``$XDG_DATA_HOME/dockersim`` (``~/.local/share/dockersim``)
and the socket to ``<data-root>/docker.sock``.

``host`` runs a simulated program on the simulated host of the daemon named
by ``DOCKER_HOST`` (``POST /dockersim/host/exec``), prints its output and
exits with its exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from ..daemon.wire import hostexec
from . import transport

__all__ = ["main", "default_data_root"]


def default_data_root() -> Path:
    """``$XDG_DATA_HOME/dockersim``, or ``~/.local/share/dockersim``."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dockersim"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dockersim", description="A Docker Engine over a simulated kernel.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    daemon = sub.add_parser("daemon", help="serve the Docker Engine API on a Unix socket")
    daemon.add_argument("--socket", metavar="PATH", help="socket path (default: <data-root>/docker.sock)")
    daemon.add_argument("--data-root", metavar="DIR", help=f"state directory (default: {default_data_root()})")
    daemon.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error", "critical"],
                        type=str.lower, help="logging level (default: info)")

    host = sub.add_parser("host", help="run a program on the simulated host (needs DOCKER_HOST)")
    host.add_argument("argv", nargs=argparse.REMAINDER, metavar="COMMAND [ARG...]")
    return parser


def _cmd_daemon(args: argparse.Namespace) -> int:
    from ..daemon import server  # late: only this command needs aiohttp

    data_root = Path(args.data_root).expanduser() if args.data_root else default_data_root()
    socket_path = Path(args.socket).expanduser() if args.socket else data_root / "docker.sock"
    return server.run(str(socket_path.absolute()), str(data_root.absolute()), args.log_level)


def _cmd_host(args: argparse.Namespace) -> int:
    argv = list(args.argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: dockersim host COMMAND [ARG...]", file=sys.stderr)
        return 2
    try:
        status, _headers, body = transport.request(
            "POST", hostexec.PATH, hostexec.encode_request(argv), {"Content-Type": "application/json"}
        )
    except OSError as exc:
        print(f"dockersim host: {exc}", file=sys.stderr)
        return 1
    if status != 200:
        try:
            message = json.loads(body).get("message") or body.decode(errors="replace")
        except (ValueError, AttributeError):
            message = body.decode(errors="replace") or f"HTTP {status}"
        print(f"dockersim host: {message}", file=sys.stderr)
        return 1
    try:
        result = hostexec.decode_result(body)
    except ValueError as exc:
        print(f"dockersim host: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(result.stdout)
    sys.stdout.buffer.flush()
    sys.stderr.buffer.write(result.stderr)
    sys.stderr.buffer.flush()
    return result.exit_code


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Console-script entry point; returns the exit code (also via SystemExit)."""
    args = _build_parser().parse_args(argv)
    if args.command == "daemon":
        code = _cmd_daemon(args)
    else:
        code = _cmd_host(args)
    if argv is None:
        sys.exit(code)
    return code


if __name__ == "__main__":  # pragma: no cover
    main()
