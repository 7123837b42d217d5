"""A container's filesystem from outside: ``docker diff`` (moby's
daemon/changes.go), and the root filesystem of a container whether it
runs or not (what ``docker cp``, ``export`` and ``commit`` read)."""

from ...sim.runtime.spec import RootSpec

CHANGE_KINDS = {"C": 0, "A": 1, "D": 2}


class Files:
    def __init__(self, records, runtime):
        self.records = records
        self.runtime = runtime

    def rootfs(self, container):
        """The running container's filesystem, or the stopped one's
        (its image layers under its writable layer)."""
        if container.handle is not None:
            return container.handle.rootfs
        writable = self.records.writable_layer(container)
        rootfs = self.runtime.rootfs(RootSpec(container.diff_ids, writable))
        if writable is None:
            container.writable = rootfs.writable
        return rootfs

    def container_changes(self, ref: str) -> list:
        """``docker diff``: [{"Path", "Kind"}], Kind 0 modified, 1 added,
        2 deleted."""
        container = self.records.resolve(ref)
        return [{"Path": path, "Kind": CHANGE_KINDS[kind]}
                for kind, path in self.rootfs(container).changes()]
