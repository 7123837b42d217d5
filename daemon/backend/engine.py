"""The engine: Docker's semantics over the simulated machine.

`Engine` is the composition root of the backend.  It makes the stores
(the data root), the simulated machine (kernel, host, runtime), the image
and layer stores and the simulated Hub, then the small services that
implement Docker's verbs, one module each, every one given exactly what it
uses:

| service | module | what |
|---|---|---|
| `ContainerRecords` | records.py | the containers, lookup, names, persistence |
| `Processes` | processes.py | follows started processes: output into hubs, exits |
| `Networks` | networks.py | ``docker network``: the networks, persisted |
| `PortProxy` | ports.py | published ports: real listeners piped into the machine |
| `ContainerNetworking` | containernet.py | containers on networks: sandboxes, connect |
| `Creator` | create.py | ``docker create`` |
| `Starter` | start.py | ``docker start``: record -> ContainerSpec -> runtime |
| `Monitor` | monitor.py | what happens when a container exits |
| `RestartManager` | restart.py | restart policies |
| `Stopper` | stop.py | kill, stop, restart |
| `Remover` | remove.py | rm, container prune |
| `Attacher`, `LogReader` | attach.py, logs.py | attach, logs |
| `Execs` | exec.py | exec instances |
| `Files` | files.py | diff; a container's root filesystem |
| `Top`, `HostExec` | top.py, hostexec.py | top; commands on the simulated host |
| `Pauser`, `Updater`, `Stats` | pause.py, update.py, stats.py | pause/unpause, update, stats |
| `ImageService` | images.py | pull, list, inspect, history, tag, rmi, image prune |
| `ImageArchives` | imagearchive.py | save, load |
| `Pusher` | push.py | ``docker push`` to the simulated Hub |
| `Authenticator` | auth.py | ``docker login`` (``POST /auth``) |
| `RegistryService` | registry.py | ``docker search``; distribution inspect (a tag's manifest on the Hub) |
| `DiskUsage` | diskusage.py | ``docker system df`` |
| `ImageCommitter`, `Committer` | commit.py | a child image from a diff; ``docker commit`` |
| `Builder` | build/ | ``docker build`` (the classic builder) |
| `Views`, `System` | views.py, system.py | ps/inspect; version/info |
| `EventBus`, `Events` | events.py | the event log and subscribers; ``GET /events`` |

The methods below are the facets the routers call (`protocols.py`); each
hands the call to the service that owns it.
"""

import asyncio
import logging
import os
import tempfile
import time
from typing import BinaryIO

from ...sim.clock import WallClock
from ...sim.ids import IdSource
from ...sim.images.hub import Hub
from ...sim.images.image_store import ImageStore
from ...sim.images.layer_store import LayerStore
from ...sim.images.v2metadata import V2MetadataService
from ...sim.runtime.machine import Machine
from ...sim.store import MemoryStore
from .attach import Attacher
from .auth import Authenticator
from .registry import RegistryService
from .build import Builder, Services as BuildServices
from .commit import Committer, ImageCommitter
from .create import Creator
from ..errors import Conflict
from ..support import API_VERSION
from .datastore import DirStore
from .diskusage import DiskUsage
from .events import EventBus, Events, EventStream
from .exec import Execs
from .files import Files
from .health import HealthMonitor
from .hostexec import HostExec
from .imagearchive import ImageArchives
from .platforms import go_arch, parse_platform
from .images import ImageService
from .logs import LogReader
from .monitor import Monitor
from .pause import Pauser
from .processes import Processes
from .push import Pusher
from . import links
from .build.cache import prune_build_cache
from .cluster import Cluster
from .plugins import Plugins
from .records import ContainerRecords, LayerFlusher, Ticker
from .remove import Remover
from .rename import rename_container
from .resize import parse_size
from .restart import RestartManager
from .containernet import ContainerNetworking
from .networks import Networks
from .ports import PortProxy
from .start import Starter
from .mounts import Mounts
from .volumes import Volumes
from .stats import Stats
from .stop import Stopper
from .system import System
from .top import Top
from .update import Updater
from .views import Views
from .wait import wait_container

log = logging.getLogger("dockersim.engine")

#: How much of an uploaded body `Engine.upload_file` keeps in memory
#: before it goes to a file in the data root.
UPLOAD_MEMORY = 1 << 20


class Engine:
    """The backend behind every router.

    ``data_root`` None keeps everything in memory (tests).  ``seed`` makes
    ids repeatable; ``clock`` replaces the wall clock.
    """

    def __init__(self, data_root: "str | None" = None, *, seed: "int | None" = None, clock=None):
        self.data_root = os.path.abspath(data_root) if data_root else None
        self.store = DirStore(self.data_root) if self.data_root else MemoryStore()
        self.clock = clock or WallClock(time.time)
        self.ids = IdSource(seed)
        self.layers = LayerStore.load(self.store)
        self.images = ImageStore.load(self.store, self.layers, self.clock)
        self.hub = Hub.load(self.store, new_salt=lambda: self.ids.hex_id()[:32])
        self.distribution = V2MetadataService(self.store)
        self.machine = Machine.boot(self.clock, self.ids, self.layers)
        self.arch = go_arch(self.machine.arch)  # the simulated host's GOARCH
        self.daemon_id = self._daemon_id()
        self.shutting_down = False
        self.events = EventBus(self.clock)
        self.eventsvc = Events(self.events, self.clock)

        self.records = ContainerRecords(self.store, self.clock, self.ids)
        self.flusher = LayerFlusher(self.records)
        self.processes = Processes(self.machine)
        self.networks = Networks(self.store, self.machine.net, self.clock, self.ids)
        self.proxy = PortProxy(self.machine.net.connect_external, self.processes.poke,
                               self.machine.net.open_datagram)
        self.networking = ContainerNetworking(self.records, self.networks, self.machine.runtime,
                                              self.proxy, self.ids)
        self.networks.users = self.networking.users
        self.creator = Creator(self.records, self.images, self.layers, self.clock, self.ids,
                               self.networking, lambda: self.machine.hostname,
                               ncpu=self.machine.ncpu, arch=self.arch)
        self.starter = Starter(self.records, self.processes, self.machine, self.networking,
                               self.clock, self.ids)
        self.restarts = RestartManager(self.records, self.starter.start)
        self.monitor = Monitor(self.records, self.networking, self.restarts, self.clock)
        self.stopper = Stopper(self.records, self.processes, self.restarts, self.starter)
        self.execs = Execs(self.records, self.processes, self.machine.runtime, self.clock, self.ids)
        self.health = HealthMonitor(self.records, self.execs, self.clock)
        self.starter.health = self.health
        self.exec_gc = Ticker(self.execs.collect_garbage, 300.0, "collecting finished execs")
        self.remover = Remover(self.records, self.layers, self.stopper, self.restarts, self.execs,
                               self.clock)
        self.logreader = LogReader(self.records, self.store, self.clock)
        self.attacher = Attacher(self.records, self.starter, self.logreader, self.processes,
                                 self.clock)
        self.files = Files(self.records, self.machine.runtime)
        self.hostexec = HostExec(self.processes, self.machine.runtime)
        self.top = Top(self.records, self.hostexec)
        self.pauser = Pauser(self.records, self.processes)
        self.pauser.health = self.health
        self.updater = Updater(self.records, self.machine.ncpu)
        self.statistics = Stats(self.records)
        self.imageservice = ImageService(self.images, self.layers, self.hub, self.records,
                                         self.clock, self.data_root, self.distribution)
        self.archives = ImageArchives(self.images, self.layers, self.clock, self.ids, arch=self.arch)
        self.pusher = Pusher(self.images, self.layers, self.hub, self.distribution)
        self.authenticator = Authenticator(self.hub)
        self.registry = RegistryService(self.hub)
        self.cluster = Cluster()
        self.plugins = Plugins()
        self.image_committer = ImageCommitter(
            self.images, self.layers, self.store, self.clock,
            arch=self.arch)
        self.committer = Committer(self.image_committer, self.records, self.files, self.images)
        self.builder = Builder(BuildServices(
            images=self.images, layers=self.layers, imageservice=self.imageservice,
            runtime=self.machine.runtime, records=self.records, creator=self.creator,
            starter=self.starter,
            remover=self.remover, files=self.files, committer=self.image_committer,
            clock=self.clock, arch=self.image_committer.arch))
        self.volumes = Volumes(os.path.join(self.data_root, "volumes") if self.data_root else None,
                               self.clock, self.ids, self._volume_users)
        self.mounts = Mounts(self.volumes, self.records, self.images, self.layers,
                             self.machine.runtime, self.ids, self.data_root)
        self.creator.mounts = self.mounts
        self.starter.mounts = self.mounts
        self.remover.mounts = self.mounts
        self.files.mounts = self.mounts
        self.monitor.mounts = self.mounts
        self.views = Views(self.records, self.images, self.layers, self.clock, self.data_root,
                           self.networks)
        self.diskusage = DiskUsage(self.imageservice, self.views, self.volumes)
        self.system = System(self.machine, self.records, self.images, self.clock, self.daemon_id,
                             self.data_root, lambda: self.processes.driver is not None)
        # The cycles of the lifecycle, closed once everything exists.
        self.starter.on_exit = self.monitor.container_exited
        self.monitor.health = self.health
        self.starter.restarts = self.restarts
        self.starter.on_remove = self.remover.remove
        self.monitor.remove = self.remover.remove
        # Every service that emits events gets the bus (their default drops them).
        for service in self._emitters():
            service.events = self.events

        self.builder.spill_file = self.upload_file
        if isinstance(self.store, DirStore):
            for key in self.store.sweep():
                log.warning("removed %s, left half-written by a daemon that stopped", key)
        self.records.load()
        self._remove_leftovers()
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass  # no loop yet: the server calls attach_loop() once it runs
        else:
            self.attach_loop()

    # -- life cycle ----------------------------------------------------------
    def attach_loop(self) -> None:
        """Bind to the running event loop (called once the loop runs)."""
        if self.processes.attach_loop():
            self.flusher.start()
            self.exec_gc.start()
            self.restarts.at_boot()

    def _remove_leftovers(self) -> None:
        """moby's restore: without live-restore no container survives a
        daemon's end, so every ``--rm`` (AutoRemove) container, and every
        one whose removal was under way, is removed at start-up (moby's
        containerRm with force and volumes)."""
        for container in self.records:
            if container.host_config.get("AutoRemove") or container.removal_in_progress:
                container.removal_in_progress = False
                try:
                    self.remover.remove(container)
                except Exception:  # one bad record must not stop the daemon
                    log.exception("failed to remove container %s", container.id)

    async def close(self) -> None:
        """Daemon shutdown: cancel the builds (each removes the container
        it runs, as when its client leaves), stop what runs (as dockerd
        does without live-restore: SIGTERM, then SIGKILL) and save every
        container.  Restart policies rest meanwhile; they act again at the
        next start."""
        self.shutting_down = True
        self.restarts.suspended = True
        await self.builder.cancel_all()
        for container in self.records:
            self.restarts.cancel(container)
        running = [c for c in self.records if c.state.running]
        await asyncio.gather(*(self.stopper.stop(c, timeout=2) for c in running),
                             return_exceptions=True)
        self.proxy.close()
        self.flusher.close()
        self.exec_gc.close()
        self.health.close()
        for container in self.records:
            self.records.save(container)
            self.records.save_writable_layer(container)
        self.processes.close()
        self.volumes.close()

    def _emitters(self) -> list:
        return [self.volumes, self.mounts, self.creator, self.starter, self.monitor, self.stopper, self.remover,
                self.attacher, self.execs, self.files, self.top, self.imageservice,
                self.archives, self.pusher, self.image_committer, self.committer,
                self.networks, self.networking, self.pauser, self.updater, self.health]

    def _volume_users(self) -> "dict[str, list[str]]":
        """Volume name -> the containers that mount it (moby's references)."""
        out: "dict[str, list[str]]" = {}
        for c in self.records:
            for name in {mp.get("Name") for mp in c.mount_points or () if mp.get("Type") == "volume"}:
                out.setdefault(name, []).append(c.id)
        return out

    # -- volumes (moby's router/volume) --------------------------------------
    def list_volumes(self, filters: str = "") -> dict:
        return self.volumes.list_volumes(filters)

    def create_volume(self, body: dict) -> dict:
        return self.volumes.create_volume(body)

    def inspect_volume(self, name: str) -> dict:
        return self.volumes.inspect_volume(name)

    def remove_volume(self, name: str, force: bool = False) -> None:
        self.volumes.remove(name, force)

    def prune_volumes(self, filters: str = "", all_volumes: bool = False) -> dict:
        return self.volumes.prune_volumes(filters, all_volumes=all_volumes)

    def _daemon_id(self) -> str:
        doc = self.store.get_json("engine-id.json")
        if not doc:
            doc = {"ID": self.ids.hex_id()[:36]}
            self.store.put_json("engine-id.json", doc)
        return doc["ID"]

    def end_streams(self) -> None:
        """The server is stopping: the ``/events`` streams end now (their
        clients see the end of the body, as when dockerd stops)."""
        self.events.close()

    def poke(self) -> None:
        self.processes.poke()

    # -- system facet --------------------------------------------------------
    def version_info(self) -> dict:
        return self.system.version_info()

    def system_info(self) -> dict:
        return {**self.system.system_info(), "NEventsListener": self.events.listeners(),
                "Swarm": self.cluster.info()}

    def subscribe_events(self, since: str = "", until: str = "", filters: str = "",
                         api_version: str = "") -> "EventStream":
        return self.eventsvc.subscribe(since, until, filters, api_version)

    def login(self, body: bytes) -> dict:
        return self.authenticator.login(body)

    def disk_usage(self, types: "list[str] | None" = None, api_version: str = "1.50") -> dict:
        return self.diskusage.disk_usage(types, api_version)

    # -- containers facet ----------------------------------------------------
    def create_container(self, name, body: dict, platform: str = "") -> dict:
        return self.creator.create(name, body, platform)

    async def start_container(self, ref: str) -> None:
        await self.starter.start_container(ref)

    async def stop_container(self, ref: str, timeout=None, signal=None) -> None:
        await self.stopper.stop_container(ref, timeout, signal)

    async def restart_container(self, ref: str, timeout=None) -> None:
        await self.stopper.restart_container(ref, timeout)

    async def kill_container(self, ref: str, signal=None) -> None:
        await self.stopper.kill_container(ref, signal)

    async def remove_container(self, ref: str, force: bool = False, volumes: bool = False) -> None:
        await self.remover.remove_container(ref, force=force, volumes=volumes)

    def remove_link(self, ref: str) -> None:
        links.remove(self.records, ref)

    def wait_container(self, ref: str, condition: str = "not-running"):
        return wait_container(self.records, ref, condition)

    def attach_check(self, ref: str, detach_keys: str = ""):
        return self.attacher.attach_check(ref, detach_keys)

    async def attach(self, container, *, stdin: bool, stdout: bool, stderr: bool, logs: bool,
                     stream: bool, conn, detach_keys: str = "", multiplexed: bool = True) -> None:
        await self.attacher.attach(container, stdin=stdin, stdout=stdout, stderr=stderr,
                                   logs=logs, stream=stream, conn=conn, detach_keys=detach_keys,
                                   multiplexed=multiplexed)

    def logs_check(self, ref: str, stdout: bool, stderr: bool):
        return self.logreader.logs_check(ref, stdout, stderr)

    def logs(self, container, *, stdout: bool, stderr: bool, follow: bool, timestamps: bool,
             tail: str = "all", since: float = 0, until: float = 0, gone=None,
             details: bool = False):
        return self.logreader.logs(container, stdout=stdout, stderr=stderr, follow=follow,
                                   timestamps=timestamps, tail=tail, since=since, until=until,
                                   gone=gone, details=details)

    def list_containers(self, all: bool = False, limit: int = -1, size: bool = False,
                        filters: str = "") -> list:
        return self.views.list_containers(all=all, limit=limit, size=size, filters=filters)

    def inspect_container(self, ref: str, size: bool = False) -> dict:
        return self.views.inspect_container(ref, size=size)

    async def top_container(self, ref: str, ps_args: str = "") -> dict:
        return await self.top.top_container(ref, ps_args)

    def pause_container(self, ref: str) -> None:
        self.pauser.pause_container(ref)

    def unpause_container(self, ref: str) -> None:
        self.pauser.unpause_container(ref)

    def update_container(self, ref: str, body: dict) -> dict:
        return self.updater.update_container(ref, body)

    def stats_check(self, ref: str, stream: bool, one_shot: bool):
        return self.statistics.stats_check(ref, stream, one_shot)

    def stats(self, container, *, stream: bool, one_shot: bool):
        return self.statistics.stats(container, stream=stream, one_shot=one_shot)

    def resize_container(self, ref: str, height: str, width: str) -> None:
        """``h`` and ``w`` as sent (checked first, as moby's router does)."""
        rows, cols = parse_size(height, width)
        container = self.records.resolve(ref)
        if not container.state.running or container.handle is None:
            raise Conflict(f"container {container.id} is not running")
        container.handle.resize(rows, cols)
        self.processes.poke()  # SIGWINCH: the foreground job runs now
        # moby logs resize once the task's resize succeeded (containerd
        # accepts it without a terminal too).
        self.events.container(container, "resize", height=str(rows), width=str(cols))

    def container_changes(self, ref: str) -> list:
        return self.files.container_changes(ref)

    def container_stat_path(self, ref: str, path: str) -> str:
        return self.files.stat_path(ref, path)

    def container_get_archive(self, ref: str, path: str) -> "tuple[str, bytes]":
        return self.files.get_archive(ref, path)

    def container_put_archive(self, ref: str, path: str, data: "BinaryIO | bytes", *,
                              no_overwrite_dir_non_dir: bool, copy_uid_gid: bool) -> None:
        self.files.put_archive(ref, path, data, no_overwrite_dir_non_dir=no_overwrite_dir_non_dir,
                               copy_uid_gid=copy_uid_gid)

    def export_container(self, ref: str) -> bytes:
        return self.files.export(ref)

    def rename_container(self, ref: str, new_name: str) -> None:
        rename_container(self.records, ref, new_name, self.events)

    def prune_containers(self, filters: str = "") -> dict:
        return self.remover.prune_containers(filters)

    # -- networks facet ------------------------------------------------------
    def list_networks(self, filters: str = "") -> list:
        return self.networks.list_networks(filters)

    def inspect_network(self, term: str, verbose: bool = False, scope: str = "") -> dict:
        return self.networks.inspect_network(term, verbose, scope)

    def create_network(self, body: dict) -> dict:
        return self.networks.create_network(body)

    def remove_network(self, term: str) -> None:
        self.networks.remove_network(term)

    async def connect_network(self, term: str, container: str, endpoint_config) -> None:
        await self.networking.connect(term, container, endpoint_config)

    async def disconnect_network(self, term: str, container: str, force: bool = False) -> None:
        await self.networking.disconnect(term, container, force)

    def prune_networks(self, filters: str = "") -> dict:
        return self.networks.prune_networks(filters)

    # -- exec facet ----------------------------------------------------------
    def exec_create(self, ref: str, body: dict) -> dict:
        return self.execs.exec_create(ref, body)

    def exec_start_check(self, eid: str):
        return self.execs.exec_start_check(eid)

    async def exec_start(self, exe, *, detach: bool, conn, tty=None, console_size=None) -> None:
        await self.execs.exec_start(exe, detach=detach, conn=conn, tty=tty, console_size=console_size)

    def exec_inspect(self, eid: str) -> dict:
        return self.execs.exec_inspect(eid)

    async def exec_resize(self, eid: str, height: str, width: str) -> None:
        rows, cols = parse_size(height, width)
        await self.execs.exec_resize(eid, rows, cols)

    # -- images facet --------------------------------------------------------
    def pull_reference(self, from_image: str, tag: str = "") -> str:
        return self.imageservice.pull_reference(from_image, tag)

    def pull(self, ref_text: str, platform: str = ""):
        return self.imageservice.pull(ref_text, parse_platform(platform, self.arch) if platform else None)

    def list_images(self, all: bool = False, filters: str = "", shared_size: bool = False,
                    legacy_filter: str = "") -> list:
        return self.imageservice.list_images(all=all, filters=filters, shared_size=shared_size,
                                             legacy_filter=legacy_filter)

    def prune_images(self, filters: str = "") -> dict:
        return self.imageservice.prune_images(filters)

    def push_check(self, name: str, tag: str = "", registry_auth: str = "", body: bytes = b"",
                   platform: str = ""):
        return self.pusher.push_check(name, tag, registry_auth, body, platform)

    def push(self, job):
        return self.pusher.push(job)

    def search_images(self, term: str, limit: str = "", filters: str = "",
                      registry_auth: str = "") -> "list | None":
        return self.registry.search(term, limit, filters, registry_auth)

    # -- swarm (a node outside any swarm: cluster.py) ------------------------

    def swarm_init(self, body: dict) -> str:
        return self.cluster.init(body)

    def swarm_join(self, body: dict) -> None:
        self.cluster.join(body)

    def swarm_leave(self, force: bool = False) -> None:
        self.cluster.leave(force)

    def swarm_inspect(self) -> dict:
        return self.cluster.inspect()

    def swarm_update(self, body: dict, version: str, rotations: dict) -> None:
        self.cluster.update(body, version, rotations)

    def swarm_unlock_key(self) -> dict:
        return self.cluster.unlock_key()

    def swarm_unlock(self, body: dict) -> None:
        self.cluster.unlock(body)

    def cluster_list(self, kind: str, filters: str = "", status: str = "", api_version: str = "") -> list:
        return self.cluster.list(kind, filters, status, api_version)

    def cluster_inspect(self, kind: str, ref: str, insert_defaults: str = "") -> dict:
        return self.cluster.inspect_object(kind, ref, insert_defaults)

    def cluster_create(self, kind: str, body: dict, api_version: str = "") -> dict:
        return self.cluster.create(kind, body, api_version)

    def cluster_update(self, kind: str, ref: str, body: dict, version: str) -> dict:
        return self.cluster.update_object(kind, ref, body, version)

    def cluster_remove(self, kind: str, ref: str, force: bool = False) -> None:
        self.cluster.remove(kind, ref, force)

    def cluster_logs(self, kind: str, ref: str, stdout: bool, stderr: bool) -> None:
        self.cluster.logs(kind, ref, stdout, stderr)

    # -- plugins (none installed: plugins.py) -------------------------------

    def plugin_list(self, filters: str = "") -> list:
        return self.plugins.list(filters)

    def plugin_inspect(self, name: str) -> dict:
        return self.plugins.inspect(name)

    def plugin_remove(self, name: str, force: bool = False) -> None:
        self.plugins.remove(name, force)

    def plugin_enable(self, name: str, timeout: str) -> None:
        self.plugins.enable(name, timeout)

    def plugin_disable(self, name: str, force: bool = False) -> None:
        self.plugins.disable(name, force)

    def plugin_set(self, name: str, args: list) -> None:
        self.plugins.set(name, args)

    def plugin_push(self, name: str) -> None:
        self.plugins.push(name)

    def plugin_privileges(self, remote: str) -> list:
        return self.plugins.privileges(remote)

    def plugin_pull_name(self, remote: str, name: str) -> str:
        return self.plugins.pull_name(remote, name)[1]

    def plugin_pull(self, remote: str, name: str, privileges: list) -> str:
        return self.plugins.pull(remote, name, privileges)

    def plugin_upgrade(self, name: str, remote: str, privileges: list) -> None:
        self.plugins.upgrade(name, remote, privileges)

    def plugin_create(self, name: str) -> None:
        self.plugins.create(name)

    def distribution_inspect(self, name: str, registry_auth: str = "") -> dict:
        return self.registry.inspect(name, registry_auth)

    def inspect_image(self, name: str, api_version: str = API_VERSION) -> dict:
        return self.imageservice.inspect_image(name, api_version)

    def image_history(self, name: str) -> list:
        return self.imageservice.image_history(name)

    def tag_image(self, name: str, repo: str, tag: str = "") -> None:
        self.imageservice.tag_image(name, repo, tag)

    def remove_image(self, name: str, force: bool = False, noprune: bool = False) -> list:
        return self.imageservice.remove_image(name, force=force, noprune=noprune)

    def import_image(self, src: str, repo: str, tag: str, message: str, changes, data: "BinaryIO | bytes",
                     platform: str = "") -> dict:
        return self.archives.import_image(src, repo, tag, message, changes, data, platform)

    def save_images(self, names: list, platform: str = "") -> bytes:
        return self.archives.save(names, platform)

    def load_images(self, data: "BinaryIO | bytes", quiet: bool, platform: str = ""):
        return self.archives.load(data, quiet, platform)

    # -- uploads -------------------------------------------------------------
    def upload_file(self) -> "BinaryIO":
        """A temporary file for a request body a client uploads (a tar: a
        build context, ``docker load``/``import``, ``docker cp``) or for
        what is unpacked from it: in memory up to `UPLOAD_MEMORY`, then an
        unnamed file in ``<data root>/tmp`` (none is left behind, even by
        a killed daemon)."""
        tmp = None
        if self.data_root:
            tmp = os.path.join(self.data_root, "tmp")
            os.makedirs(tmp, exist_ok=True)
        return tempfile.SpooledTemporaryFile(max_size=UPLOAD_MEMORY, dir=tmp, prefix=".tmp-upload-")

    # -- build facet ---------------------------------------------------------
    def build(self, body: "BinaryIO | bytes", query: dict, headers=None, api_version: str = "1.50"):
        """``POST /build``: an async iterator of the stream's messages (bytes)."""
        return self.builder.build(body, query, headers, api_version)

    def prune_build_cache(self, filters: str = "") -> dict:
        """``POST /build/prune``."""
        return prune_build_cache(filters, self.clock.now())

    def commit_container(self, ref: str, **kwargs) -> str:
        """``POST /commit``: the new image's id."""
        return self.committer.commit_container(ref, **kwargs)

    # -- host facet ----------------------------------------------------------
    async def host_exec(self, argv: list, stdin: bytes = b"") -> "tuple[int, bytes, bytes]":
        return await self.hostexec.host_exec(argv, stdin)
