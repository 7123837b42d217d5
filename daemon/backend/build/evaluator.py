"""One classic build: moby's builder/dockerfile/builder.go (``build``,
``dispatchDockerfileWithCancellation``), internals.go (``commit``,
``probeAndCreate``, ``performCopy``, ``exportImage``) and the dispatchers
that touch files: RUN, ADD, COPY, WORKDIR, FROM, ONBUILD triggers.

The stream, message by message (each ``Fprint`` of moby is one
``{"stream": …}``)::

    Step 1/3 : FROM node            then "\\n" as a message of its own
    <pull progress, if the image is missing or pull=1>
     ---> 08ab96b7640b
    Step 2/3 : ADD ./app.js /app.js
     ---> 7ed22638ac69               (a copy runs in no container)
    Step 3/3 : ENTRYPOINT ["node", "app.js"]
     ---> Running in e28ccd04181f    (a container made only to be committed)
     ---> Removed intermediate container e28ccd04181f
     ---> a0e9bd561253
    {"aux": {"ID": "sha256:…"}}      (after each stage)
    Successfully built a0e9bd561253
    Successfully tagged kubia:latest

A cached step says `` ---> Using cache`` instead of running; a RUN's
output comes between ``Running in`` and ``Removed``, its stderr wrapped in
``\\x1b[91m…\\x1b[0m``; a RUN that exits non-zero ends the build with
``The command '/bin/sh -c exit 3' returned a non-zero code: 3``.
"""

from ....sim.images.errors import ImageNotFound, InvalidReference
from ....sim.runtime.spec import RootSpec
from ....sim import golang as gotext
from ...builder import instructions as I
from ...builder.parser import ParseError, parse as parse_dockerfile_text
from ...builder.shell import ShellError as ShellError_
from ...errors import DockerError, InvalidParameter, NotFound
from ..commit import copy_config
from ..images import image_error
from .args import BuildArgs
from .cache import ImageProber
from .containers import BuildContainers, StatusCodeError
from .context import Tree
from .copy import BuildError, Copier, chown_identity, perform_copy, source_hash
from .dispatch import DispatchState, Dispatcher, shell_of, truncate_id
from .options import Platform, parse_platform

RED, RESET = "\x1b[91m", "\x1b[0m"


class StageResults:
    """moby's ``stagesBuildResults``: each finished stage's run config
    (its ``Image`` is the stage's image), by name and by index."""

    def __init__(self):
        self.flat: "list[dict]" = []
        self.indexed: "dict[str, dict]" = {}

    def get_by_name(self, name: str) -> "dict | None":
        return self.indexed.get(name.lower())

    def get(self, name_or_index: str) -> "dict | None":
        found = self.get_by_name(name_or_index)
        if found is not None:
            return found
        try:
            i = gotext.parse_int(name_or_index, 64)
        except gotext.GoError:
            return None
        if i == len(self.flat):
            raise BuildError("refers to current build stage")
        if i < 0 or i > len(self.flat):
            raise BuildError("index out of bounds")
        return self.flat[i]

    def check_name_available(self, name: str) -> None:
        if name and self.get_by_name(name) is not None:
            raise BuildError(f"{name} stage name already used")

    def commit_stage(self, name: str, config: dict) -> None:
        if name:
            self.check_name_available(name)
            self.indexed[name.lower()] = config
        self.flat.append(config)


class Build(Dispatcher):
    """The evaluation of one Dockerfile.  ``emit(message)`` receives every
    message of the stream (dicts), in order."""

    def __init__(self, services, options, tree: Tree, dockerfile: I.Dockerfile, emit, room=None):
        super().__init__(dockerfile.escape_token)
        #: Set while the client keeps up (an asyncio.Event), or None.
        self.room = room
        self.s = services
        self.options = options
        self.tree = tree
        self.dockerfile = dockerfile
        self.emit = emit
        self.prober = ImageProber(services.images, services.committer, options.cache_from,
                                  options.no_cache)
        self.containers = BuildContainers(services, options)
        self.stages = StageResults()
        self._trees: "dict[str, Tree]" = {}
        host = Platform("linux", services.arch)
        self.platform = options.platform or host

    # -- output ----------------------------------------------------------------------
    def out(self, text: str) -> None:
        self.emit({"stream": text})

    def err(self, text: str) -> None:
        self.emit({"stream": RED + text + RESET})

    def _run_output(self, stream: int, data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        (self.out if stream == 1 else self.err)(text)

    def print_step(self, n: int, total: int, item) -> int:
        self.out(I.step_line(n, total, item))
        self.out("\n")
        return n + 1

    # -- the whole build ---------------------------------------------------------------
    async def execute(self) -> str:
        """Run every stage; return the image id (moby's ``build`` and the
        backend's ``Build``: the final lines and the tags)."""
        state = await self._dispatch_all()  # each step's deferred removal did forcerm's work
        if not state or not state.image_id:
            raise BuildError("No image was generated. Is your Dockerfile empty?")
        image_id = state.image_id
        self.out(f"Successfully built {truncate_id(image_id)}\n")
        for ref in self.options.tags:
            self.s.imageservice.tag_reference(image_id, ref)
            self.out(f"Successfully tagged {ref.familiar_string}\n")
        return image_id

    async def _dispatch_all(self) -> "DispatchState | None":
        df = self.dockerfile
        build_args = BuildArgs(self.options.build_args)
        total = I.step_total(df)
        n = 1
        for meta in df.meta_args:
            n = self.print_step(n, total, meta)
            self._process_meta_arg(meta, build_args)
        state = None
        for stage in df.stages:
            self.stages.check_name_available(stage.name)
            state = DispatchState.for_stage(build_args)
            n = self.print_step(n, total, stage)
            await self._initialize_stage(state, stage)
            state.update_run_config()
            self.out(f" ---> {truncate_id(state.image_id)}\n")
            for cmd in stage.commands:
                n = self.print_step(n, total, cmd)
                await self.dispatch(state, cmd)
                state.update_run_config()
                self.out(f" ---> {truncate_id(state.image_id)}\n")
            if self.options.want_aux and state.image_id:
                self.emit({"aux": {"ID": state.image_id}})
            build_args.merge_referenced(state.build_args)
            self.stages.commit_stage(state.stage_name, state.run_config)
        unused = build_args.unused()
        if unused:
            self.out(f"[Warning] One or more build-args [{' '.join(unused)}] were not consumed\n")
        return state

    def _process_meta_arg(self, meta: I.ArgInstruction, args: BuildArgs) -> None:
        envs = dict(args.all_allowed())
        try:
            meta = meta.expand(lambda w: self.lex.process_word(w, envs))
        except (ShellError_, I.InstructionError) as err:
            raise InvalidParameter(str(err)) from None
        for kv in meta.args:
            args.add_arg(kv.key, kv.value)
            args.add_meta_arg(kv.key, kv.value)

    async def dispatch(self, state: DispatchState, cmd) -> None:
        """moby's ``dispatch``, with its deferred removal of the step's
        containers (``rm``: after success; ``forcerm``: always)."""
        ok = False
        try:
            await super().dispatch(state, cmd)
            ok = True
        finally:
            if self.options.force_remove or (self.options.remove and ok):
                self.containers.remove_all(self.out)

    # -- FROM --------------------------------------------------------------------------
    def _expand_meta(self, state: DispatchState, word: str) -> str:
        return self.lex.process_word(word, state.build_args.all_meta())

    async def _initialize_stage(self, state: DispatchState, stage: I.Stage) -> None:
        self.prober.reset()
        platform = None
        if stage.platform:
            try:
                value = self._expand_meta(state, stage.platform)
            except ShellError_ as err:
                raise BuildError(f"failed to process arguments for platform {stage.platform}: {err}") from None
            try:
                platform = parse_platform(value, self.s.arch)
            except DockerError as err:
                raise InvalidParameter(f"failed to parse platform {value}: {err.message}") from None
        try:
            name = self._expand_meta(state, stage.base_name)
        except ShellError_ as err:
            raise InvalidParameter(str(err)) from None
        if name == "":
            raise BuildError(f"base name ({stage.base_name}) should not be blank")
        local_only = False
        found = self.stages.get_by_name(name)
        if found is not None:
            name, local_only = found["Image"], True
        platform = platform or self.options.platform
        if name == "scratch":
            image, os_name = None, (platform.os if platform else "linux")
        else:
            image = await self.get_image(name, local_only, platform)
            os_name = (image.config.get("os") or "linux") if image is not None else "linux"
        state.begin_stage(stage.name, image, os_name)
        triggers = state.run_config.get("OnBuild")
        if triggers:
            state.run_config["OnBuild"] = None
            await self._dispatch_triggers(state, list(triggers))

    async def _dispatch_triggers(self, state: DispatchState, triggers) -> None:
        self.out(f"# Executing {len(triggers)} build trigger")
        if len(triggers) > 1:
            self.out("s")
        self.out("\n")
        for trigger in triggers:
            state.update_run_config()
            try:
                result = parse_dockerfile_text(trigger)
            except ParseError as err:
                raise BuildError(str(err)) from None
            if len(result.children) != 1:
                raise BuildError("onbuild trigger should be a single expression")
            try:
                cmd = I.parse_command(result.children[0])
            except I.InstructionError as err:
                raise BuildError(str(err)) from None
            await self.dispatch(state, cmd)

    async def get_image(self, ref: str, local_only: bool, platform=None):
        """moby's ``GetImageAndReleasableLayer``: the local image (stages
        are local only), else pulled with its progress in the stream;
        ``pull=1`` pulls a named base image every time.  ``""`` is scratch
        (None)."""
        if ref == "":
            return None
        if local_only or not self.options.pull_parent:
            try:
                image = self.s.images.lookup(ref)
            except ImageNotFound as err:
                if local_only:
                    raise NotFound(str(err)) from None
                image = None
            except InvalidReference as err:
                raise InvalidParameter(str(err)) from None
            if image is not None:
                self._check_platform(ref, image, platform)
                return image
        async for message in self.s.imageservice.pull(ref):
            self.emit(message)
        try:
            image = self.s.images.lookup(ref)
        except (ImageNotFound, InvalidReference) as err:
            raise image_error(err) from None
        self._check_platform(ref, image, platform)
        return image

    def _check_platform(self, ref: str, image, platform) -> None:
        if platform is None:
            return
        have = Platform(image.config.get("os") or "linux", image.config.get("architecture") or "",
                        image.config.get("variant") or "")
        if (have.os, have.architecture) != (platform.os, platform.architecture):
            raise NotFound(f"image with reference {ref} was found but its platform ({have}) does "
                           f"not match the specified platform ({platform})")

    # -- commits -------------------------------------------------------------------------
    def _platform_of(self, state: DispatchState) -> Platform:
        p = self.platform
        return Platform(state.operating_system or p.os, p.architecture, p.variant)

    async def probe_cache(self, state: DispatchState, config: dict) -> bool:
        found = self.prober.probe(state.image_id, config, self._platform_of(state))
        if not found:
            return False
        self.out(" ---> Using cache\n")
        state.image_id = found
        return True

    def _image(self, image_id: str):
        return self.s.images.get(image_id) if image_id else None

    def create(self, state: DispatchState, config: dict):
        container = self.containers.create(config, self._image(state.image_id))
        self.out(f" ---> Running in {container.id[:12]}\n")
        return container

    async def probe_and_create(self, state: DispatchState, config: dict):
        if await self.probe_cache(state, config):
            return None
        return self.create(state, config)

    async def commit(self, state: DispatchState, comment: str) -> None:
        if not state.has_from_image():
            raise BuildError("Please provide a source image with `from` prior to commit")
        config = copy_config(state.run_config)
        config["Cmd"] = shell_of(config) + ["#(nop) ", comment]
        container = await self.probe_and_create(state, config)
        if container is not None:
            self.commit_container(state, container, config)

    def commit_container(self, state: DispatchState, container, container_config: dict) -> None:
        """moby's ``commitContainer`` / ``CommitBuildStep``: the
        container's writable layer on its image."""
        diff = container.writable.tar() if container.writable is not None else None
        parent = self._image(container.image_id)
        img = self.s.committer.commit(parent, diff, config=copy_config(state.run_config),
                                      container_config=container_config,
                                      container_id=container.id, author=state.maintainer,
                                      os_name=state.operating_system or "linux")
        state.image_id = img.id

    async def commit_workdir(self, state: DispatchState) -> None:
        config = copy_config(state.run_config)
        config["Cmd"] = shell_of(config) + ["#(nop) WORKDIR " + config["WorkingDir"]]
        container = await self.probe_and_create(state, config)
        if container is None:
            return
        self.containers.setup_workdir(container)
        self.commit_container(state, container, config)

    # -- RUN -------------------------------------------------------------------------------
    async def dispatch_run(self, state: DispatchState, cmd: I.RunInstruction, envs) -> None:
        if cmd.flags_used:
            raise BuildError(I.BUILDKIT_REQUIRED % cmd.flags_used[0])
        rc = state.run_config
        cmd_from_args = list(cmd.resolve(shell_of(rc)) or [])
        build_args = state.build_args.filter_allowed(rc.get("Env") or [])
        save_cmd = cmd_from_args
        if build_args:
            kept = sorted(e for e in build_args
                          if state.build_args.is_referenced_or_not_builtin(e.partition("=")[0]))
            save_cmd = [f"|{len(kept)}"] + kept + cmd_from_args
        probe = copy_config(rc)
        probe["Cmd"] = save_cmd
        probe.pop("ArgsEscaped", None)
        if save_cmd:
            probe["Entrypoint"] = None
        if await self.probe_cache(state, probe):
            return
        run = copy_config(rc)
        run["Cmd"] = cmd_from_args
        run.pop("ArgsEscaped", None)
        run["Env"] = list(rc.get("Env") or []) + build_args
        if save_cmd:
            run["Entrypoint"] = [""]
        run["Healthcheck"] = {"Test": ["NONE"]}
        container = self.create(state, run)
        try:
            await self.containers.run(container, self._run_output, self.room)
        except StatusCodeError as err:
            raise BuildError(f"The command '{' '.join(run['Cmd'])}' returned a non-zero code: "
                             f"{err.code}", code=err.code) from None
        self.commit_container(state, container, probe)

    # -- ADD / COPY --------------------------------------------------------------------------
    async def dispatch_add(self, state: DispatchState, cmd: I.AddInstruction, envs) -> None:
        if cmd.chmod:
            raise BuildError(I.BUILDKIT_REQUIRED % "chmod")
        copier = Copier(self.tree, image_source=False, cmd_name="ADD")
        inst = copier.create_copy_instruction(cmd.source_paths, cmd.dest_path)
        inst.chown = cmd.chown
        inst.allow_decompression = True
        await self._perform_copy(state, inst)

    async def dispatch_copy(self, state: DispatchState, cmd: I.CopyInstruction, envs) -> None:
        if cmd.chmod:
            raise BuildError(I.BUILDKIT_REQUIRED % "chmod")
        tree, image_source = self.tree, False
        if cmd.from_:
            try:
                tree = await self._tree_for(cmd.from_)
            except DockerError as err:
                raise BuildError(f"invalid from flag value {cmd.from_}: {err.message}") from None
            image_source = True
        copier = Copier(tree, image_source=image_source, cmd_name="COPY")
        inst = copier.create_copy_instruction(cmd.source_paths, cmd.dest_path)
        inst.chown = cmd.chown
        inst.preserve_ownership = bool(cmd.from_) and not cmd.chown
        await self._perform_copy(state, inst)

    async def _tree_for(self, name: str) -> Tree:
        """The files of a stage or an image (``--from``): its layers
        without the init layer, as moby's ``imageMount`` mounts them."""
        local_only = False
        stage = self.stages.get(name)
        if stage is not None:
            name, local_only = stage["Image"], True
        image = await self.get_image(name, local_only, self.options.platform)
        key = image.id if image is not None else ""
        tree = self._trees.get(key)
        if tree is None:
            diff_ids = image.diff_ids if image is not None else []
            root = self.s.runtime.rootfs(RootSpec(diff_ids, init_layer=False))
            tree = self._trees[key] = Tree.from_image(root.export())
        return tree

    async def _perform_copy(self, state: DispatchState, inst) -> None:
        rc = state.run_config
        chown = f"--chown={inst.chown} " if inst.chown else ""
        comment = f"{inst.cmd_name} {chown}{source_hash(inst.infos)} in {inst.dest} "
        config = copy_config(rc)
        config["Cmd"] = shell_of(config) + ["#(nop) " + comment]
        if await self.probe_cache(state, config):
            return
        parent = self._image(state.image_id)
        # moby copies into a layer on the image alone (imageMount.NewRWLayer):
        # no init layer, so the image's own /etc/hosts and /etc stay as they are.
        rootfs = self.s.runtime.rootfs(RootSpec(parent.diff_ids if parent is not None else [],
                                                init_layer=False))
        identity = (0, 0)
        if inst.chown:
            identity = chown_identity(rootfs, inst.chown)
        perform_copy(rootfs, inst, rc.get("WorkingDir") or "",
                     None if inst.preserve_ownership else identity, self.s.clock.now())
        parent_doc = None
        if parent is None:  # scratch: the builder's platform
            parent_doc = {"architecture": self.platform.architecture, "os": self.platform.os}
            if self.platform.variant:
                parent_doc["variant"] = self.platform.variant
        img = self.s.committer.commit(parent, rootfs.diff_tar(), config=copy_config(rc),
                                      container_config=config, author=state.maintainer,
                                      os_name=(parent.config.get("os") if parent is not None
                                               else self.platform.os) or "linux",
                                      parent_doc=parent_doc)
        state.image_id = img.id

