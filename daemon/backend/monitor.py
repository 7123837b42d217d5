"""What happens when a container's first process exits: moby's
daemon/monitor.go (``handleContainerExit``).

By the time `container_exited` runs, `Processes` has moved the last output
into the container's hub.  The record becomes ``exited`` with the exit
code, the bridge address goes back to the pool, the writable layer and
the network files are saved (after the ``oom`` event and State.OOMKilled
when the kernel's OOM killer struck in the run), every ``/wait`` caller is
answered, and
then ``--rm`` removes the container or the restart policy schedules its
next start.
"""

from .container import Container
from .events import NO_EVENTS


class Monitor:
    events = NO_EVENTS

    def __init__(self, records, networking, restarts, clock):
        self.records = records
        self.networking = networking
        self.restarts = restarts
        self.clock = clock
        #: Set by the engine: removes a record (``--rm``).
        self.remove = None

    #: Set by the engine: volume unmount events (mounts.py).
    mounts = None
    #: Set by the engine: the health-check monitors (health.py).
    health = None

    def container_exited(self, container: Container, exit_code: int) -> None:
        if container.handle is None:  # already handled (a record dropped meanwhile)
            return
        files = container.handle.rootfs.file_mounts()  # as the container left them
        if container.handle.oom_killed:
            # containerd's OOM event comes before the exit: moby records
            # OOMKilled and logs "oom" (the CLI's docker events shows it before "die").
            container.state.oom_killed = True
            self.events.container(container, "oom")
        container.handle = None
        if self.health is not None:
            self.health.stop(container)  # moby's stopHealthchecks
        state = container.state
        state.transition("exit")
        state.exit_code = exit_code
        state.pid = 0
        state.finished_at = self.clock.now()
        self.networking.released(container)  # ports freed, endpoints' addresses cleared
        if self.mounts is not None:
            self.mounts.unmounted(container)
        container.sandbox_id = ""
        hub = self.records.hub(container)
        hub.close()
        hub.stdin = None  # the next run gets a new stdin
        auto_remove = container.host_config.get("AutoRemove")
        if not auto_remove:
            self.records.save_writable_layer(container)
            self.records.save_network_files(container, files)
        self.records.save(container)
        self.events.container(container, "die", exitCode=str(exit_code),
                              execDuration=str(int(state.finished_at - (state.started_at or state.finished_at))))
        hub.wake_exit_waiters({"StatusCode": state.exit_code, "Error": None})
        if auto_remove:
            self.remove(container)
        else:
            self.restarts.after_exit(container)
