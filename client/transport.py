"""A tiny HTTP-over-Unix-socket client (stdlib only).

    status, headers, body = request("GET", "/_ping", socket_path="/tmp/d.sock")

``DOCKER_HOST`` (``unix:///abs/path.sock``) names the daemon when no socket
path is given.  One connection per call; no keep-alive, no hijacking.
"""

from __future__ import annotations

import http.client
import os
import socket
from typing import Mapping, Optional

__all__ = ["TransportError", "UnixHTTPConnection", "socket_path_from_host", "default_socket_path", "request"]


class TransportError(OSError):
    """The daemon could not be reached (no socket, refused, bad DOCKER_HOST)."""


class UnixHTTPConnection(http.client.HTTPConnection):
    """``http.client.HTTPConnection`` that connects to a Unix socket path."""

    def __init__(self, socket_path: str, timeout: Optional[float] = None) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if self.timeout is not None:
            sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def socket_path_from_host(docker_host: str) -> str:
    """``unix:///run/x.sock`` -> ``/run/x.sock``; raises ``TransportError`` otherwise."""
    if not docker_host.startswith("unix://"):
        raise TransportError(f"unsupported DOCKER_HOST {docker_host!r}: only unix:// sockets are supported")
    path = docker_host[len("unix://"):]
    if not path:
        raise TransportError("DOCKER_HOST has an empty socket path")
    return path


def default_socket_path() -> str:
    """The socket named by ``DOCKER_HOST``, else ``/var/run/docker.sock``."""
    host = os.environ.get("DOCKER_HOST")
    if host:
        return socket_path_from_host(host)
    return "/var/run/docker.sock"


def request(method: str, path: str, body: "bytes | None" = None, headers: "Mapping[str, str] | None" = None,
            *, socket_path: "str | None" = None, timeout: "float | None" = 60.0) -> tuple[int, dict[str, str], bytes]:
    """Send one request and return ``(status, headers, body)``.

    Header names in the result are lower-cased.  Raises ``TransportError``
    when the daemon cannot be reached.
    """
    path_to_socket = socket_path or default_socket_path()
    conn = UnixHTTPConnection(path_to_socket, timeout=timeout)
    all_headers = {"Host": "api.moby.localhost", "User-Agent": "dockersim-client"}
    all_headers.update(headers or {})
    try:
        try:
            conn.request(method, path, body=body, headers=all_headers)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise TransportError(
                f"Cannot connect to the Docker daemon at unix://{path_to_socket}. Is the docker daemon running?"
            ) from exc
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()
