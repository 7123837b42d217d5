"""``docker build`` with the classic builder: the `Builder` service
(moby's api/server/backend/build, builder/dockerfile's ``BuildManager``
and remotecontext's ``Detect``).

The package:

| module | what (moby) |
|---|---|
| ``options.py`` | the query (router/build ``newImageBuildOptions``, tag sanitizing) |
| ``context.py`` | the context tar and image trees in memory, tarsum (remotecontext, pkg/tarsum) |
| ``args.py`` | build args (buildargs.go) |
| ``dispatch.py`` | dispatchers that change the run config; ``BuildFromConfig`` |
| ``evaluator.py`` | the stages, FROM, RUN, ADD/COPY, WORKDIR, commits (builder.go, internals.go) |
| ``copy.py`` | ADD/COPY sources and destinations (copy.go) |
| ``cache.py`` | the build cache (image/cache, imageprobe.go) |
| ``containers.py`` | the build's containers (containerbackend.go) |

`Builder.build` is an async generator of wire-ready messages (bytes:
compact JSON as Go writes it, then ``\\r\\n``).  Everything that can fail
before the first message raises a `DockerError` instead, so the router
can still answer with a status (400 for a bad parameter or Dockerfile,
500 for a missing Dockerfile or a broken context); after that, errors are
the last message (``{"errorDetail": …, "error": …}``).  With ``q=1`` the
output is held back: on success only ``{"stream": "sha256:…\\n"}`` is
sent, on failure everything held back and then the error.  If the client
goes away, closing the generator cancels the build, which removes the
container it runs; daemon shutdown cancels every build the same way
(`Builder.cancel_all`), and a stream still read ends with ``context
canceled``.
"""

import asyncio
import logging

import attrs
from typing import BinaryIO

from ...builder import dockerignore
from ...builder import instructions as I
from ...builder.parser import ParseError, parse as parse_dockerfile
from ...errors import DockerError, InvalidParameter
from ...errors import SystemError as DockerSystemError
from ....sim.golang import marshal, quote
from .context import ContextError, Tree
from .copy import BuildError
from .evaluator import Build
from .options import BuildOptions

__all__ = ["Builder", "Services"]

log = logging.getLogger("dockersim.build")

#: Messages held for a slow client before a RUN's output stops being
#: drained (its process then blocks on a full pipe, as with dockerd, whose
#: writes to the client block); drained again below LOW_WATER.
HIGH_WATER = 512
LOW_WATER = 128


@attrs.define(eq=False)
class Services:
    """What a build uses of the engine."""

    images: object  # sim ImageStore
    layers: object  # sim LayerStore
    imageservice: object  # ImageService (pulls)
    runtime: object  # sim Runtime (a copy step's root filesystem)
    records: object  # ContainerRecords
    creator: object  # Creator (the steps' containers)
    starter: object  # Starter (RUN containers)
    remover: object  # Remover
    files: object  # Files (a container's root filesystem)
    committer: object  # commit.ImageCommitter
    clock: object
    arch: str = "amd64"


def encode(message: dict) -> bytes:
    """One message as dockerd writes it."""
    return marshal(message).encode() + b"\r\n"


def error_message(err: BaseException) -> dict:
    """streamformatter ``FormatError``."""
    text = err.message if isinstance(err, DockerError) else (str(err) or type(err).__name__)
    detail = {}
    code = getattr(err, "code", None)
    if code is not None:
        detail["code"] = code
    detail["message"] = text
    return {"errorDetail": detail, "error": text}


def read_dockerfile(tree: Tree, name: str):
    """remotecontext ``withDockerfileFromContext``: the parsed Dockerfile
    (``Dockerfile`` falls back to ``dockerfile``); then ``.dockerignore``
    and the Dockerfile leave the context if its .dockerignore says so."""
    node = _open_at(tree, name)
    if node is None:
        if name == "Dockerfile" and _stat_at(tree, "dockerfile") is not None:
            return read_dockerfile(tree, "dockerfile")
        raise DockerSystemError(f"Cannot locate specified Dockerfile: {name}")
    if node.is_dir:
        raise DockerSystemError(f"unexpected error reading Dockerfile: read {name}: is a directory")
    if not node.data:
        raise InvalidParameter(f"the Dockerfile ({name}) cannot be empty")
    try:
        result = parse_dockerfile(node.data)
    except ParseError as err:
        raise InvalidParameter(f"failed to parse {name}: {err}") from None
    ignore = _open_at(tree, ".dockerignore")
    if ignore is not None and not ignore.is_dir:
        try:
            excludes = dockerignore.read_all(ignore.data)
        except dockerignore.PatternError as err:
            raise DockerSystemError(f"error reading .dockerignore: {err}") from None
        for path in dockerignore.files_to_remove(excludes, name):
            try:
                tree.remove(path)
            except ContextError:
                pass  # moby logs "failed to remove" and goes on
    return result


def _open_at(tree: Tree, name: str):
    """remotecontext ``openAt``: the node at ``name`` (None when missing);
    a path that cannot be resolved inside the context is ``FullPath``'s
    error."""
    if tree.outside(name):
        raise DockerSystemError(f"forbidden path outside the build context: {name} ()")
    try:
        return tree.lookup(name)
    except ContextError:
        raise DockerSystemError(f"forbidden path outside the build context: {name} ()") from None


def _stat_at(tree: Tree, name: str):
    """remotecontext ``StatAt`` where any error just means "not there"."""
    try:
        return _open_at(tree, name)
    except DockerSystemError:
        return None


def prepare_stages(result, options: BuildOptions) -> I.Dockerfile:
    """builder.go ``build``: the stages (cut at ``--target``) with the
    ``--label`` LABELs added to the last one."""
    try:
        df = I.parse_stages(result)
    except I.InstructionError as err:
        raise InvalidParameter(str(err)) from None
    stages = list(df.stages)
    if options.target:
        index = df.stage_index(options.target)
        if index is None:
            raise InvalidParameter(f"target stage {quote(options.target)} could not be found")
        stages = stages[:index + 1]
    if options.labels and stages:
        extra = tuple(I.label_instruction(k, options.labels[k]) for k in sorted(options.labels))
        stages[-1] = attrs.evolve(stages[-1], commands=stages[-1].commands + extra)
    return attrs.evolve(df, stages=tuple(stages))


class Builder:
    """``POST /build``: the classic builder."""

    def __init__(self, services: Services):
        self.s = services
        #: Builds running now (their `Build`), for tests and shutdown.
        self.running: "set[Build]" = set()
        self._tasks: "set[asyncio.Future]" = set()
        #: Opens the temporary file a context's large files go to (the
        #: engine's `upload_file`); None keeps them in memory.
        self.spill_file = None

    async def cancel_all(self) -> None:
        """Daemon shutdown: cancel every build still running (as the end of
        its request's context does in dockerd: the container it runs is
        removed) and wait until they have ended."""
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def build(self, body: "BinaryIO | bytes", query: "dict[str, list[str]]", headers=None,
                    api_version: str = "1.50"):
        """Build from a context tar; yields the stream's messages (bytes).
        ``headers`` are not used: dockerd reads ``X-Registry-Config`` for the
        pulls of FROM, and the simulated pulls need no credentials."""
        options = BuildOptions.from_query(query, api_version=api_version, host_arch=self.s.arch)
        if options.squash:
            raise InvalidParameter("squash is only supported with experimental mode")
        tree = Tree.from_context(body, self.s.clock.now(), spill_file=self.spill_file)
        try:
            result = read_dockerfile(tree, options.dockerfile)
            dockerfile = prepare_stages(result, options)
            if not dockerfile.stages:
                raise BuildError("No image was generated. Is your Dockerfile empty?")
        except BaseException:
            tree.close()
            raise

        queue: asyncio.Queue = asyncio.Queue()
        room = asyncio.Event()
        room.set()

        def emit(message) -> None:
            queue.put_nowait(message)
            if queue.qsize() >= HIGH_WATER:
                room.clear()  # a RUN's output waits (and its process with it)

        job = Build(self.s, options, tree, dockerfile, emit, room=room)
        for line in dockerfile.warnings_text.splitlines(keepends=True):
            job.err(line)

        async def execute():
            try:
                image_id = await job.execute()
            except asyncio.CancelledError:
                # Go's context.Canceled, for a stream still being read
                queue.put_nowait(("error", DockerSystemError("context canceled")))
                raise
            except BaseException as err:  # noqa: BLE001 - reported in-band
                queue.put_nowait(("error", err))
            else:
                queue.put_nowait(("done", image_id))

        self.running.add(job)
        task = asyncio.ensure_future(execute())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        held: "list[dict] | None" = [] if options.suppress_output else None
        sent = False
        try:
            while True:
                item = await queue.get()
                if queue.qsize() <= LOW_WATER:
                    room.set()
                if isinstance(item, dict):
                    if held is not None:
                        held.append(item)
                    else:
                        sent = True
                        yield encode(item)
                    continue
                kind, value = item
                if kind == "done":
                    if held is not None:
                        yield encode({"stream": value + "\n"})
                    return
                if held:
                    for message in held:
                        sent = True
                        yield encode(message)
                if not sent:
                    if isinstance(value, DockerError):
                        raise value
                    log.error("build failed", exc_info=value)
                    raise DockerSystemError(str(value) or type(value).__name__)
                if not isinstance(value, DockerError):
                    log.error("build failed", exc_info=value)
                yield encode(error_message(value))
                return
        finally:
            self.running.discard(job)
            if not task.done():
                task.cancel()
            tree.close()
