"""The builder's containers: moby's builder/dockerfile/containerbackend.go
(``containerManager``).

moby's classic builder runs every RUN, and records every metadata step,
in an ordinary container: created with the step's run config (``docker
ps -a`` lists it while the step lasts, with a generated name), started and
attached for RUN (its stdout and stderr become the build's output), its
writable layer committed as the step's image, and then removed:

- after each step that succeeded, when ``rm`` (the default) is set;
- after each step, failed or not, with ``forcerm``;
- never with ``rm=0`` (docker-py's default): the containers stay, exited.

So a failed RUN leaves its exited container behind unless ``forcerm``,
exactly as in Docker.  Each removal prints `` ---> Removed intermediate
container <12 hex>``.  A client that goes away mid-build cancels it: the
container being run is killed and removed, whatever ``rm`` says (moby's
``Run`` force-removes it when the build's context is cancelled); the
earlier steps' containers are left to ``rm``/``forcerm`` as after a
failed step (with ``rm=0`` they stay).

The container is a real record (`ContainerRecords`), started by the
`Starter` like any other, so the simulated kernel runs it through the
runtime interface and `Processes` moves its output into its hub, which
the build reads as an attached client would.
"""

import asyncio

from ....sim.runtime.handle import ArchiveError
from ...errors import DockerError
from .. import resources
from ..commit import go_config, merge_configs
from ..container import Container
from ..create import host_config_defaults


class StatusCodeError(Exception):
    """A RUN's process exited non-zero."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class BuildContainers:
    """The containers of one build (moby's ``containerManager``)."""

    def __init__(self, services, options):
        self.s = services
        self.host_config = host_config_defaults({
            "NetworkMode": options.network_mode or "default",
            "LogConfig": {"Type": "none", "Config": {}},
            "ShmSize": options.shm_size,
            "ExtraHosts": list(options.extra_hosts) or None,
            "Isolation": options.isolation,
            **options.resources,
        })
        #: id -> Container, created by this build and not removed yet.
        self.tmp: "dict[str, Container]" = {}

    def create(self, run_config: dict, image) -> Container:
        """A container record for a step (not started), made by the
        `Creator` (moby's ``ContainerCreateIgnoreImagesArgsEscaped``).
        Like moby's create it writes into ``run_config`` (a Go-shaped
        config), which a metadata step then commits as its container
        config: the image's config merged in (``mergeAndVerifyConfig``:
        empty Labels become ``{}``), an ``Entrypoint`` of ``[""]`` (RUN's
        override) reset to none, the Hostname the container's short id
        (``newContainer``).  The working directory is made before the
        container is recorded: if it cannot be made there is no
        container."""
        image_config = image.config.get("config") if image is not None else None
        if image_config is not None:
            merge_configs(run_config, go_config(image_config))
        if run_config.get("Entrypoint") == [""]:
            run_config["Entrypoint"] = None
        prepare = self.setup_workdir if run_config.get("WorkingDir") else None
        resources.verify(self.host_config, self.s.creator.ncpu)  # as every create does
        container = self.s.creator.create_for_build(run_config, image, self.host_config, prepare)
        self.tmp[container.id] = container
        return container

    def setup_workdir(self, container: Container) -> None:
        """moby's ``SetupWorkingDirectory``: make the working directory
        (root-owned, 0755) if it is missing."""
        workdir = container.config.get("WorkingDir") or ""
        rootfs = self.s.files.rootfs(container)
        try:
            existing = rootfs.stat(workdir)
        except ArchiveError:  # missing, or a file on the way
            existing = None
        if existing is not None and existing.is_dir:
            return
        try:
            rootfs.mkdir_all(workdir)
        except ArchiveError as err:
            if existing is not None:
                raise DockerError(f"Cannot mkdir: {workdir} is not a directory") from None
            raise DockerError(err.message) from None

    async def run(self, container: Container, on_output, room=None) -> None:
        """Start the container and follow it to its exit, handing each
        chunk of output to ``on_output(stream, bytes)`` as it is written
        (waiting for ``room``, an asyncio.Event, when the client is behind);
        raise `StatusCodeError` for a non-zero exit.  A cancelled build
        force-removes the container (moby's ``Run``)."""
        hub = self.s.records.hub(container)
        listener = hub.listen((1, 2))
        exited = asyncio.get_running_loop().create_future()
        hub.exit_waiters.append(exited)
        try:
            try:
                self.s.starter.start(container)
            except BaseException:
                if exited in hub.exit_waiters:
                    hub.exit_waiters.remove(exited)
                raise
            while True:
                item = await listener.queue.get()
                listener.took()
                if item is None:
                    break
                stream, data, _stamp = item
                on_output(stream, data)
                if room is not None and not room.is_set():
                    await room.wait()
            result = await exited
        except asyncio.CancelledError:
            self.tmp.pop(container.id, None)
            await asyncio.shield(self._force_remove(container))
            raise
        finally:
            hub.unlisten(listener)
        code = result["StatusCode"]
        if code != 0:
            raise StatusCodeError(code)

    def remove_all(self, out) -> None:
        """moby's ``RemoveAll``: remove every container of this build
        still there, saying so for each."""
        for cid, container in list(self.tmp.items()):
            if container.id in self.s.records and container.state.running:
                continue  # cannot happen between steps; left to cancel()
            if container.id in self.s.records:
                self.s.remover.remove(container)
            del self.tmp[cid]
            out(f" ---> Removed intermediate container {cid[:12]}\n")

    async def _force_remove(self, container: Container) -> None:
        try:
            await self.s.remover.remove_container(container.id, force=True, volumes=True)
        except DockerError:
            pass
