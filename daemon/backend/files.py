"""A container's filesystem from outside: ``docker diff`` (moby's
daemon/changes.go), ``docker cp`` (daemon/archive.go) and ``docker
export`` (daemon/export.go), whether the container runs or not.

The copy itself is the runtime's (`RootFs`: moby's rules and words, in
`sim.fs.archive`); this service finds the container, picks its root
filesystem (the running one, or its image layers under its writable
layer), maps the archive errors to their HTTP kinds, and saves the
writable layer after a copy into it.
"""

from typing import BinaryIO

import attrs

from ...sim.runtime.handle import ArchiveError, check_path_param
from ...sim.runtime.spec import RootSpec
from ..errors import Conflict, DockerError, InvalidParameter, NotFound, SystemError
from .netfiles import saved_network_mounts
from .events import NO_EVENTS

CHANGE_KINDS = {"C": 0, "A": 1, "D": 2}

_KINDS = {"not_found": NotFound, "invalid": InvalidParameter, "conflict": Conflict,
          "system": SystemError}


def archive_error(err: ArchiveError):
    return _KINDS.get(err.kind, SystemError)(err.message)


def check_path(path: str) -> None:
    """moby's ArchiveFormValues: the path query parameter is required
    (checked before the container is looked up)."""
    try:
        check_path_param(path)
    except ArchiveError as err:
        raise archive_error(err) from None


class Files:
    events = NO_EVENTS

    def __init__(self, records, runtime):
        self.records = records
        self.runtime = runtime

    #: Set by the engine: a stopped container's volumes and binds (mounts.py).
    mounts = None

    def rootfs(self, container, with_mounts: bool = True):
        """The running container's filesystem, or the stopped one's
        (its image layers under its writable layer, with the network files
        of its last run mounted, and, for ``docker cp``, its volumes and
        bind mounts as moby's ``mountVolumes`` mounts them)."""
        if container.handle is not None:
            return container.handle.rootfs
        writable = self.records.writable_layer(container)
        readonly = bool(container.host_config.get("ReadonlyRootfs"))
        rootfs = self.runtime.rootfs(RootSpec(container.diff_ids, writable, readonly=readonly),
                                     saved_network_mounts(self.records.network_files(container),
                                                          readonly=readonly),
                                     self._dir_mounts(container) if with_mounts else ())
        if writable is None:
            container.writable = rootfs.writable
        return rootfs

    def _dir_mounts(self, container) -> tuple:
        if self.mounts is None:
            return ()
        try:
            return tuple(attrs.evolve(m, copy_up=False) for m in self.mounts.dir_mounts(container)
                         if m.kind != "tmpfs")
        except DockerError:
            return ()

    def container_changes(self, ref: str) -> list:
        """``docker diff``: [{"Path", "Kind"}], Kind 0 modified, 1 added,
        2 deleted."""
        container = self.records.resolve(ref)
        return [{"Path": path, "Kind": CHANGE_KINDS[kind]}
                for kind, path in self.rootfs(container, with_mounts=False).changes()]

    # -- docker cp -----------------------------------------------------------
    def stat_path(self, ref: str, path: str) -> str:
        """``HEAD /containers/{id}/archive``: the PathStat, encoded for the
        ``X-Docker-Container-Path-Stat`` header (base64 of Go's JSON)."""
        check_path(path)
        container = self.records.resolve(ref)
        try:
            return self.rootfs(container).stat(path, container=ref).header_value()
        except ArchiveError as err:
            raise archive_error(err) from None

    def get_archive(self, ref: str, path: str) -> "tuple[str, bytes]":
        """``GET /containers/{id}/archive``: (the PathStat header, the tar)."""
        check_path(path)
        container = self.records.resolve(ref)
        try:
            stat, data = self.rootfs(container).get_archive(path, container=ref)
        except ArchiveError as err:
            raise archive_error(err) from None
        self.events.container(container, "archive-path")
        return stat.header_value(), data

    def put_archive(self, ref: str, path: str, data: "BinaryIO | bytes", *, no_overwrite_dir_non_dir: bool,
                    copy_uid_gid: bool) -> None:
        """``PUT /containers/{id}/archive``: extract a tar into ``path``."""
        check_path(path)
        container = self.records.resolve(ref)
        rootfs = self.rootfs(container)
        try:
            rootfs.put_archive(path, data, no_overwrite_dir_non_dir=no_overwrite_dir_non_dir,
                               copy_uid_gid=copy_uid_gid, user=container.config.get("User") or "",
                               container=ref)
        except ArchiveError as err:
            raise archive_error(err) from None
        finally:  # running or not; entries before an error stay, as in moby
            self.records.save_writable_layer(container)
        self.events.container(container, "extract-to-dir")

    def export(self, ref: str) -> bytes:
        """``GET /containers/{id}/export``: the merged filesystem as a tar."""
        container = self.records.resolve(ref)
        if container.state.status == "dead":
            raise Conflict(f"You cannot export container {container.id} which is Dead")
        if container.state.status == "removing":
            raise Conflict(f"You cannot export container {container.id} which is being removed")
        try:
            data = self.rootfs(container, with_mounts=False).export()
        except ArchiveError as err:
            raise SystemError(f"Error exporting container {ref}: {err.message}") from None
        self.events.container(container, "export")
        return data
