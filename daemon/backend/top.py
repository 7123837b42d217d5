"""``docker top``: moby's daemon/top_unix.go.  ``ps`` runs on the host
and only the rows of the container's processes (their host PIDs, from the
runtime handle) are kept."""

from ..errors import Conflict, InvalidParameter
from .events import NO_EVENTS


class Top:
    events = NO_EVENTS

    def __init__(self, records, host):
        self.records = records
        self.host = host  # HostExec

    async def top_container(self, ref: str, ps_args: str = "") -> dict:
        container = self.records.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")
        pids = set(container.handle.pids())
        args = ps_args.split() if ps_args else ["-ef"]
        code, out, err = await self.host.host_exec(["ps"] + args)
        if code != 0:
            raise InvalidParameter(f"ps: {err.decode(errors='replace').strip()}")
        lines = out.decode(errors="replace").splitlines()
        if not lines:
            return {"Titles": [], "Processes": []}
        titles = lines[0].split()
        if "PID" not in titles:
            raise InvalidParameter("Couldn't find PID field in ps output")
        pid_col = titles.index("PID")
        processes = []
        for line in lines[1:]:
            fields = line.split(None, len(titles) - 1)
            if len(fields) > pid_col and fields[pid_col].isdigit() and int(fields[pid_col]) in pids:
                processes.append(fields)
        self.events.container(container, "top")
        return {"Titles": titles, "Processes": processes}
