"""The backend's facets, one ``typing.Protocol`` each (moby's ``backend.go``).

Routers depend on these protocols, never on the concrete engine, so tests can
hand ``create_app`` a small fake.  Facets raise the error kinds from
``dockersim.daemon.errors`` (``NotFound``, ``Conflict``, ...); they never build
HTTP responses.

The engine (``daemon/backend/engine.py``) implements them all, one module
per facet.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, BinaryIO, Awaitable, Callable, Optional, Protocol, runtime_checkable

__all__ = ["SystemBackend", "ContainersBackend", "ExecBackend", "ImagesBackend", "HostBackend",
           "EventsBackend",
           "NetworksBackend",
           "HijackedConn"]


@runtime_checkable
class SystemBackend(Protocol):
    """What ``GET /info`` and ``GET /version`` need from the engine.

    Both methods are synchronous and cheap (counts and host facts); the router
    fills every other field of ``SystemInfo`` / ``SystemVersion`` itself.
    """

    def system_info(self) -> dict[str, Any]:
        """Facts about the simulated host and the engine's objects.

        Keys (all optional; missing ones get neutral defaults):
        ``Containers``, ``ContainersRunning``, ``ContainersPaused``,
        ``ContainersStopped``, ``Images`` (ints); ``Name`` (host name), ``ID``
        (stable daemon id), ``KernelVersion``, ``OperatingSystem``,
        ``DockerRootDir`` (str); ``NCPU``, ``MemTotal`` (ints, bytes for
        memory).  Any other ``SystemInfo`` key given here overrides the
        router's default (e.g. ``Warnings``).
        """
        ...

    def version_info(self) -> dict[str, Any]:
        """``Arch`` (GOARCH spelling: ``amd64``, ``arm64``) and
        ``KernelVersion`` (``uname -r`` of the simulated host)."""
        ...


class DiskUsageBackend(Protocol):
    """``GET /system/df`` (``daemon/backend/diskusage.py``)."""

    def disk_usage(self, types: "list[str] | None" = None, api_version: str = "1.50") -> dict:
        """``types`` None means every kind."""
        ...


class AuthBackend(Protocol):
    """``POST /auth`` (``daemon/backend/auth.py``)."""

    def login(self, body: bytes) -> dict:
        """The raw request body; ConnectionAbortedError when dockerd would
        drop the connection (a ``null`` body)."""
        ...


class HijackedConn(Protocol):
    """The hijacked attach/exec connection a router hands the backend
    (``daemon.streams.hijack.Hijacked``), typed here so the backend need not
    import the aiohttp-facing module.

    Output written after the client left is dropped quietly: ``write*``
    returns False and ``closed`` turns True.  Send nothing before ``start``
    has run the process (the client registered for output first), and set
    exit codes (exec ``ExitCode``/``Running``) *before* ``close()``.
    """

    tty: bool  # raw output when True, stdcopy frames when False

    async def read(self, max_bytes: int = -1) -> bytes:
        """Next stdin bytes; ``b""`` once the client half-closed or left."""
        ...

    async def write(self, data: bytes) -> bool:
        """Send bytes verbatim (already framed, or raw for a TTY)."""
        ...

    async def write_frame(self, stream: int, data: bytes) -> bool:
        """Send *data* for stream 1 (stdout) or 2 (stderr): framed without a TTY, raw with one."""
        ...

    async def close(self) -> None:
        """End the stream: the client sees EOF."""
        ...

    @property
    def closed(self) -> bool:
        """True once the stream ended or the client went away."""
        ...

    async def wait_closed(self) -> None:
        """Return once the connection is over."""
        ...


class ContainersBackend(Protocol):
    """The container verbs (``daemon/backend/containers.py``).  Every
    ``ref`` is what the client typed: a full id, a name or a unique id
    prefix."""

    def create_container(self, name: Optional[str], body: dict) -> dict: ...
    async def start_container(self, ref: str) -> None: ...
    async def stop_container(self, ref: str, timeout: Optional[int] = None,
                             signal: Optional[str] = None) -> None: ...
    async def restart_container(self, ref: str, timeout: Optional[int] = None) -> None: ...
    async def kill_container(self, ref: str, signal: Optional[str] = None) -> None: ...
    async def remove_container(self, ref: str, force: bool = False, volumes: bool = False) -> None: ...

    def wait_container(self, ref: str, condition: str = "not-running") -> Awaitable[dict]:
        """Validates at once (a missing container is a plain 404); the
        awaitable gives the wait body when the condition is met."""

    def attach_check(self, ref: str, detach_keys: str = "") -> Any:
        """The container; a 400 for detach keys that do not parse."""
    async def attach(self, container: Any, *, stdin: bool, stdout: bool, stderr: bool,
                     logs: bool, stream: bool, conn: "HijackedConn", detach_keys: str = "",
                     multiplexed: bool = True) -> None: ...
    def logs_check(self, ref: str, stdout: bool, stderr: bool) -> Any: ...

    def logs(self, container: Any, *, stdout: bool, stderr: bool, follow: bool, timestamps: bool,
             tail: str = "all", since: float = 0, until: float = 0,
             gone: Optional[Callable[[], Awaitable[None]]] = None) -> AsyncIterator[bytes]: ...

    def list_containers(self, all: bool = False, limit: int = -1, size: bool = False,
                        filters: Optional[dict] = None) -> list: ...
    def inspect_container(self, ref: str, size: bool = False) -> dict: ...
    async def top_container(self, ref: str, ps_args: str = "") -> dict: ...
    def pause_container(self, ref: str) -> None: ...
    def unpause_container(self, ref: str) -> None: ...
    def update_container(self, ref: str, body: dict) -> dict: ...
    def stats_check(self, ref: str, stream: bool, one_shot: bool) -> Any: ...
    def stats(self, container: Any, *, stream: bool, one_shot: bool) -> AsyncIterator[bytes]: ...
    def resize_container(self, ref: str, height: str, width: str) -> None:
        """``h`` and ``w`` as the query has them ("" when absent)."""
    def container_changes(self, ref: str) -> list: ...

    def container_stat_path(self, ref: str, path: str) -> str:
        """The ``X-Docker-Container-Path-Stat`` header for ``path``: base64
        of the PathStat JSON (name, size, mode as Go's FileMode, mtime,
        linkTarget)."""
    def container_get_archive(self, ref: str, path: str) -> "tuple[str, bytes]":
        """(the PathStat header, a tar of the path)."""
    def container_put_archive(self, ref: str, path: str, data: BinaryIO, *,
                              no_overwrite_dir_non_dir: bool, copy_uid_gid: bool) -> None: ...
    def export_container(self, ref: str) -> bytes:
        """The container's merged filesystem as a tar."""
    def rename_container(self, ref: str, new_name: str) -> None: ...
    def prune_containers(self, filters: Optional[dict] = None) -> dict: ...


class ExecBackend(Protocol):
    """``docker exec`` (``daemon/backend/exec.py``)."""

    def exec_create(self, ref: str, body: dict) -> dict: ...
    def exec_start_check(self, eid: str) -> Any:
        """Validates and claims the instance (a second start is a 409)."""
    async def exec_start(self, exe: Any, *, detach: bool, conn: Optional["HijackedConn"],
                         tty: Optional[bool] = None, console_size: Any = None) -> None:
        """``tty`` and ``console_size``: the start body's ``Tty`` and ``ConsoleSize``."""
    def exec_inspect(self, eid: str) -> dict: ...
    async def exec_resize(self, eid: str, height: str, width: str) -> None:
        """``h`` and ``w`` as the query has them ("" when absent)."""


class ImagesBackend(Protocol):
    """Images (``daemon/backend/images.py``)."""

    def pull_reference(self, from_image: str, tag: str = "") -> str: ...
    def pull(self, ref_text: str, platform: str = "") -> AsyncIterator[dict]:
        """JSON progress messages; errors before the first one raise (a
        bad ``platform`` specifier at the call)."""
    def list_images(self, all: bool = False, filters: str = "", shared_size: bool = False,
                    legacy_filter: str = "") -> list:
        """``filters`` is the raw JSON query parameter, ``legacy_filter``
        the ``filter`` one of API versions before 1.41."""
    def prune_images(self, filters: str = "") -> dict: ...
    def push_check(self, name: str, tag: str = "", registry_auth: str = "", body: bytes = b"",
                   platform: str = "") -> Any:
        """Validates the request (400s) before the stream starts;
        ``platform`` is the OCI platform as JSON."""
    def push(self, job: Any) -> AsyncIterator[dict]:
        """JSON progress messages; every error is in-band."""
    def search_images(self, term: str, limit: str = "", filters: str = "",
                      registry_auth: str = "") -> "list | None":
        """``docker search`` on the simulated Hub: moby's SearchResult
        dicts.  ``limit`` and ``filters`` are the raw query parameters;
        None where dockerd writes no answer (a negative limit)."""
    def distribution_inspect(self, name: str, registry_auth: str = "") -> dict:
        """``{"Descriptor", "Platforms"}`` of the manifest a name has on
        the Hub."""
    def inspect_image(self, name: str, api_version: str = "1.50") -> dict: ...
    def image_history(self, name: str) -> list: ...
    def tag_image(self, name: str, repo: str, tag: str = "") -> None: ...
    def remove_image(self, name: str, force: bool = False, noprune: bool = False) -> list: ...
    def import_image(self, src: str, repo: str, tag: str, message: str, changes: list, data: BinaryIO,
                     platform: str = "") -> dict:
        """``docker import``: a one-layer image from a filesystem tar;
        returns the closing ``{"status": "sha256:…"}`` message."""
    def save_images(self, names: list, platform: str = "") -> bytes:
        """The ``docker save`` tar; errors (unknown names, a platform no
        image has) raise first.  ``platform``: the OCI platform as JSON."""
    def load_images(self, data: BinaryIO, quiet: bool, platform: str = "") -> AsyncIterator[dict]:
        """The ``docker load`` messages; a bad archive raises in the
        iteration after the images that did load (a bad ``platform`` at
        the call)."""


class UploadsBackend(Protocol):
    """Where a tar a client uploads goes while it is read (``Engine``)."""

    def upload_file(self) -> BinaryIO:
        """A new temporary file (spooled: in memory while small, then an
        unnamed file in the data root's tmp); the caller closes it."""


class HostBackend(Protocol):
    """``dockersim host COMMAND`` (``daemon/backend/hostexec.py``)."""

    async def host_exec(self, argv: list, stdin: bytes = b"") -> "tuple[int, bytes, bytes]": ...


class NetworksBackend(Protocol):
    """``docker network`` (``daemon/backend/networks.py``, connect and
    disconnect in ``daemon/backend/netconnect.py``)."""

    def list_networks(self, filters: str = "") -> list: ...

    def inspect_network(self, term: str, verbose: bool = False, scope: str = "") -> dict: ...

    def create_network(self, body: dict) -> dict: ...

    def remove_network(self, term: str) -> None: ...

    async def connect_network(self, term: str, container: str, endpoint_config) -> None: ...

    async def disconnect_network(self, term: str, container: str, force: bool = False) -> None: ...

    def prune_networks(self, filters: str = "") -> dict: ...


class EventsBackend(Protocol):
    """``GET /events`` (``daemon/backend/events.py``)."""

    def subscribe_events(self, since: str = "", until: str = "", filters: str = "",
                         api_version: str = "") -> Any:
        """An ``EventStream``: ``buffered`` (the replay), ``subscription``
        (``queue``, ``await next()``, ``close()``), ``past_only``,
        ``deadline`` (seconds, or None) and ``encode(msg) -> bytes``.
        Raises InvalidParameter (``until`` before ``since``, bad filters)
        or SystemError (a time that is not ``<seconds>[.<fraction>]``)."""
        ...
