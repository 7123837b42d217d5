"""Typed Dockerfile instructions: buildkit's ``instructions`` package (v0.22.0)
as moby v28.2.2's classic builder uses it.

``parse_dockerfile(text)`` gives the stages (each a FROM and the
instructions under it) and the meta ARGs (ARGs before the first FROM).
Every instruction is a frozen value; ``str(instruction)`` is its source
line with surrounding whitespace cut, which is what the classic builder
prints as ``Step N/M : <that>`` (:func:`step_line`).

Variable expansion is not done here (it needs the build's state): an
instruction that the classic builder expands word by word has an
``expand(expander)`` method returning the expanded copy, and
:func:`expand` applies it when present.  The expander is normally
``lambda w: Lex(escape_token).process_word(w, env)``.

buildkit builds that moby does not use (labs features) are left out as
moby leaves them out: ``COPY --parents``, ``--exclude`` and ``RUN
--security`` are unknown flags here, as in the classic builder.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import attrs

from ...sim import golang as gotext
from .parser import Node, ParseResult, chomp_heredoc_content
from .parser import must_parse_heredoc, parse as parse_text

__all__ = [
    "InstructionError", "UnknownInstructionError", "Instruction", "Stage", "Dockerfile",
    "KeyValuePair", "KeyValuePairOptional", "SourceContent", "ShellInlineFile", "HealthConfig",
    "Mount", "Device", "EnvInstruction", "MaintainerInstruction", "LabelInstruction",
    "AddInstruction", "CopyInstruction", "OnbuildInstruction", "WorkdirInstruction",
    "RunInstruction", "CmdInstruction", "EntrypointInstruction", "HealthcheckInstruction",
    "ExposeInstruction", "UserInstruction", "VolumeInstruction", "StopSignalInstruction",
    "ArgInstruction", "ShellInstruction", "parse_instruction", "parse_command", "parse_stages",
    "parse_dockerfile", "parse_changes", "parse_mount", "parse_device", "expand",
    "label_instruction", "step_line", "step_total", "BUILDKIT_REQUIRED", "COMMIT_CHANGE_COMMANDS",
]

Expander = Callable[[str], str]

BUILDKIT_REQUIRED = ("the --%s option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
                     "to learn how to build images with BuildKit enabled")
"""The classic builder's refusal, ``% "mount"`` (RUN's first flag) or ``% "chmod"`` (ADD/COPY)."""

INSTRUCTION_NAMES = ("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
                     "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
                     "STOPSIGNAL", "USER", "VOLUME", "WORKDIR")

COMMIT_CHANGE_COMMANDS = frozenset({"cmd", "entrypoint", "healthcheck", "env", "expose", "label",
                                    "onbuild", "stopsignal", "user", "volume", "workdir"})
"""Instructions ``docker commit --change`` / ``docker import --change`` accept."""


class InstructionError(ValueError):
    """An instruction buildkit refuses.  ``str()`` is the text the classic
    builder reports; ``start_line``/``end_line`` locate it."""

    def __init__(self, message: str, start_line: int = 0, end_line: int = 0, inner=None):
        super().__init__(message)
        self.message = message
        self.start_line = start_line
        self.end_line = end_line
        self.inner = inner

    @property
    def unknown_instruction(self) -> bool:
        """True when this is (or wraps) an unknown instruction."""
        return isinstance(self, UnknownInstructionError) or isinstance(self.inner, UnknownInstructionError)


class UnknownInstructionError(InstructionError):
    """``unknown instruction: FOO`` (with `` (did you mean X?)`` when close)."""

    def __init__(self, instruction: str, line: int, message: str):
        super().__init__(message, line, line)
        self.instruction = instruction


# --- values ------------------------------------------------------------------------

@attrs.frozen
class KeyValuePair:
    """ENV/LABEL pair; ``no_delim`` for the legacy ``ENV key value`` form."""
    key: str
    value: str
    no_delim: bool = False

    def __str__(self) -> str:
        return "%s=%s" % (self.key, self.value)

    def expand(self, expander: Expander) -> "KeyValuePair":
        return KeyValuePair(expander(self.key), expander(self.value), self.no_delim)


@attrs.frozen
class KeyValuePairOptional:
    """ARG name with an optional default (``value`` None when not given);
    ``comment``: the doc comment (``# NAME text`` right above)."""
    key: str
    value: str | None = None
    comment: str = ""

    def __str__(self) -> str:
        return "%s=%s" % (self.key, self.value or "")


@attrs.frozen
class SourceContent:
    """A heredoc used as a COPY/ADD source (the classic builder ignores it)."""
    path: str
    data: str
    expand: bool


@attrs.frozen
class ShellInlineFile:
    """A heredoc attached to RUN (the classic builder ignores it)."""
    name: str
    data: str
    chomp: bool


@attrs.frozen
class HealthConfig:
    """A HEALTHCHECK's config; durations in nanoseconds, 0 = not set."""
    test: tuple[str, ...]
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0

    def go_q(self) -> str:
        """``fmt.Sprintf("%q", *HealthConfig)`` as the classic builder puts it
        in the history: ``&{["CMD-SHELL" "curl x"] "30s" "0s" "0s" "0s" '\\x03'}``
        (durations quoted, retries quoted as a rune)."""
        parts = [gotext.format_q_list(self.test)]
        parts += [gotext.quote(gotext.format_duration(d))
                  for d in (self.interval, self.timeout, self.start_period, self.start_interval)]
        parts.append(gotext.quote_rune(self.retries))
        return "&{" + " ".join(parts) + "}"


@attrs.frozen
class Mount:
    """A ``RUN --mount`` spec (buildkit's ``instructions.Mount``)."""
    type: str = "bind"
    from_: str = ""
    source: str = ""
    target: str = ""
    read_only: bool = False
    size_limit: int = 0
    cache_id: str = ""
    cache_sharing: str = ""
    required: bool = False
    env: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None


@attrs.frozen
class Device:
    """A ``RUN --device`` spec."""
    name: str = ""
    required: bool = False


# --- instructions ---------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class Instruction:
    """Common to every instruction: ``name`` as written (``run``/``RUN``),
    ``code`` (the source line, trimmed: ``str()`` of the instruction and the
    step text), ``location`` (first and last line)."""
    name: str
    code: str
    location: tuple[int, int] = (0, 0)

    def __str__(self) -> str:
        return self.code


@attrs.frozen(kw_only=True)
class EnvInstruction(Instruction):
    env: tuple[KeyValuePair, ...]

    def expand(self, expander: Expander) -> "EnvInstruction":
        return attrs.evolve(self, env=tuple(kv.expand(expander) for kv in self.env))

    def commit_comment(self) -> str:
        """``ENV k=v k2=v2`` (after expansion)."""
        return "ENV" + "".join(" " + str(kv) for kv in self.env)


@attrs.frozen(kw_only=True)
class MaintainerInstruction(Instruction):
    maintainer: str

    def commit_comment(self) -> str:
        return "MAINTAINER " + self.maintainer


@attrs.frozen(kw_only=True)
class LabelInstruction(Instruction):
    labels: tuple[KeyValuePair, ...]
    no_expand: bool = False

    def expand(self, expander: Expander) -> "LabelInstruction":
        if self.no_expand:
            return self
        return attrs.evolve(self, labels=tuple(kv.expand(expander) for kv in self.labels))

    def commit_comment(self) -> str:
        """``LABEL k=v k2=v2``."""
        return "LABEL" + "".join(" " + str(kv) for kv in self.labels)


@attrs.frozen(kw_only=True)
class _SourcesAndDest(Instruction):
    dest_path: str
    source_paths: tuple[str, ...]
    source_contents: tuple[SourceContent, ...] = ()
    chown: str = ""
    chmod: str = ""
    link: bool = False


@attrs.frozen(kw_only=True)
class AddInstruction(_SourcesAndDest):
    """ADD.  The classic builder refuses ``--chmod`` (``BUILDKIT_REQUIRED %
    "chmod"``, after expansion) and ignores ``--link``, ``--keep-git-dir``
    and ``--checksum``."""
    keep_git_dir: bool = False
    checksum: str = ""

    def expand(self, expander: Expander) -> "AddInstruction":
        chown, chmod, checksum = expander(self.chown), expander(self.chmod), expander(self.checksum)
        return attrs.evolve(self, chown=chown, chmod=chmod, checksum=checksum,
                            source_paths=tuple(expander(p) for p in self.source_paths),
                            dest_path=expander(self.dest_path))


@attrs.frozen(kw_only=True)
class CopyInstruction(_SourcesAndDest):
    """COPY.  The classic builder refuses ``--chmod`` and ignores ``--link``."""
    from_: str = ""

    def expand(self, expander: Expander) -> "CopyInstruction":
        chown, chmod = expander(self.chown), expander(self.chmod)
        return attrs.evolve(self, chown=chown, chmod=chmod,
                            source_paths=tuple(expander(p) for p in self.source_paths),
                            dest_path=expander(self.dest_path))


@attrs.frozen(kw_only=True)
class OnbuildInstruction(Instruction):
    """``expression``: the trigger text stored in the image's OnBuild list
    (the line without ``ONBUILD``; heredoc bodies appended)."""
    expression: str

    def commit_comment(self) -> str:
        return "ONBUILD " + self.expression


@attrs.frozen(kw_only=True)
class WorkdirInstruction(Instruction):
    path: str

    def expand(self, expander: Expander) -> "WorkdirInstruction":
        return attrs.evolve(self, path=expander(self.path))


@attrs.frozen(kw_only=True)
class _ShellDependent(Instruction):
    """``cmd_line``: the JSON strings (exec form), or the shell-form text as a
    single string; None only for an empty ENTRYPOINT.  ``prepend_shell``:
    shell form (the stage's SHELL goes in front).  ``files``: heredocs."""
    cmd_line: tuple[str, ...] | None
    prepend_shell: bool
    files: tuple[ShellInlineFile, ...] = ()

    def resolve(self, shell: Iterable[str]) -> tuple[str, ...] | None:
        """The command the classic builder runs/stores: ``shell + cmd_line``
        in shell form, ``cmd_line`` otherwise (Unix ``resolveCmdLine``)."""
        if self.prepend_shell and self.cmd_line is not None:
            return tuple(shell) + self.cmd_line
        return self.cmd_line


@attrs.frozen(kw_only=True)
class RunInstruction(_ShellDependent):
    """RUN.  ``flags_used``: the flags given, in order; the classic builder
    refuses the first with ``BUILDKIT_REQUIRED % flags_used[0]`` (after
    :meth:`expand`, which can fail first on a bad ``--mount``).
    ``mount_specs``: the raw ``--mount`` values; ``mounts``: parsed without
    expansion (only ``from`` is checked then)."""
    flags_used: tuple[str, ...] = ()
    mount_specs: tuple[str, ...] = ()
    mounts: tuple[Mount, ...] = ()
    network: str = "default"
    devices: tuple[Device, ...] = ()

    def expand(self, expander: Expander) -> "RunInstruction":
        return attrs.evolve(self, mounts=tuple(parse_mount(s, expander) for s in self.mount_specs))


@attrs.frozen(kw_only=True)
class CmdInstruction(_ShellDependent):
    pass


@attrs.frozen(kw_only=True)
class EntrypointInstruction(_ShellDependent):
    pass


@attrs.frozen(kw_only=True)
class HealthcheckInstruction(Instruction):
    health: HealthConfig

    def commit_comment(self) -> str:
        return "HEALTHCHECK " + self.health.go_q()


@attrs.frozen(kw_only=True)
class ExposeInstruction(Instruction):
    """``ports`` sorted as strings; the classic builder expands each with
    ``process_words`` (one word may become several ports) at dispatch."""
    ports: tuple[str, ...]


@attrs.frozen(kw_only=True)
class UserInstruction(Instruction):
    user: str

    def expand(self, expander: Expander) -> "UserInstruction":
        return attrs.evolve(self, user=expander(self.user))

    def commit_comment(self) -> str:
        return "USER " + self.user


@attrs.frozen(kw_only=True)
class VolumeInstruction(Instruction):
    volumes: tuple[str, ...]

    def expand(self, expander: Expander) -> "VolumeInstruction":
        return attrs.evolve(self, volumes=tuple(expander(v) for v in self.volumes))

    def commit_comment(self) -> str:
        """``VOLUME [/a /b]``."""
        return "VOLUME " + gotext.format_v_list(self.volumes)


@attrs.frozen(kw_only=True)
class StopSignalInstruction(Instruction):
    signal: str

    def expand(self, expander: Expander) -> "StopSignalInstruction":
        return attrs.evolve(self, signal=expander(self.signal))

    def commit_comment(self) -> str:
        return "STOPSIGNAL " + self.signal


@attrs.frozen(kw_only=True)
class ArgInstruction(Instruction):
    args: tuple[KeyValuePairOptional, ...]

    def expand(self, expander: Expander) -> "ArgInstruction":
        out = []
        for kv in self.args:
            value = expander(kv.value) if kv.value is not None else None
            out.append(attrs.evolve(kv, key=expander(kv.key), value=value))
        return attrs.evolve(self, args=tuple(out))

    def commit_comment(self) -> str:
        """``ARG a=1 b`` (a name without default has no ``=``)."""
        return "ARG " + " ".join(kv.key if kv.value is None else "%s=%s" % (kv.key, kv.value)
                                 for kv in self.args)


@attrs.frozen(kw_only=True)
class ShellInstruction(Instruction):
    shell: tuple[str, ...]

    def commit_comment(self) -> str:
        """``SHELL [/bin/bash -c]``."""
        return "SHELL " + gotext.format_v_list(self.shell)


@attrs.frozen
class Stage:
    """A FROM and what follows it.  ``name``: the ``AS`` name lower-cased
    (``""`` when none); ``base_name``: the image or stage named, unexpanded;
    ``platform``: ``--platform``'s value, unexpanded; ``source_code``: the
    FROM line trimmed (its step text); ``orig_cmd``: ``FROM`` as written;
    ``comment``: the doc comment for the name."""
    name: str
    base_name: str
    platform: str
    source_code: str
    orig_cmd: str
    commands: tuple[Instruction, ...] = ()
    comment: str = ""
    location: tuple[int, int] = (0, 0)

    def __str__(self) -> str:
        return self.source_code


@attrs.frozen
class Dockerfile:
    """A parsed Dockerfile: ``stages``, ``meta_args`` (ARGs before the first
    FROM), the ``escape_token`` and the parser's ``warnings_text``."""
    stages: tuple[Stage, ...]
    meta_args: tuple[ArgInstruction, ...]
    escape_token: str = "\\"
    warnings_text: str = ""

    def stage_index(self, name: str) -> int | None:
        """Index of the stage named ``name`` (case-insensitive), or None
        (``--target``; the classic builder then fails with ``target stage
        "x" could not be found``)."""
        for i, stage in enumerate(self.stages):
            if stage.name.lower() == name.lower():
                return i
        return None


# --- flags -------------------------------------------------------------------------

class _Flag:
    def __init__(self, name: str, kind: str, default: str = ""):
        self.name = name
        self.kind = kind
        self.value = default
        self.values: list[str] = []


class _BFlags:
    """buildkit's ``BFlags``: declare the flags an instruction takes, then
    :meth:`parse` the ones written."""

    def __init__(self, args: Iterable[str]):
        self.args = list(args)
        self.flags: dict[str, _Flag] = {}
        self.used: dict[str, _Flag] = {}

    def add(self, name: str, kind: str, default: str = "") -> _Flag:
        flag = _Flag(name, kind, default)
        self.flags[name] = flag
        return flag

    def add_bool(self, name: str) -> _Flag:
        return self.add(name, "bool", "false")

    def add_string(self, name: str, default: str = "") -> _Flag:
        return self.add(name, "string", default)

    def add_strings(self, name: str) -> _Flag:
        return self.add(name, "strings")

    def parse(self) -> None:
        for a in self.args:
            if a == "--":
                return
            if not a.startswith("--"):
                raise InstructionError("arg should start with -- : %s" % a)
            flag_name, has_value, value = a.partition("=")
            has_value = bool(has_value)
            arg = flag_name[2:]
            flag = self.flags.get(arg)
            if flag is None:
                raise InstructionError(gotext.with_suggestion(
                    "unknown flag: %s" % flag_name, arg, list(self.flags), True))
            if arg in self.used and flag.kind != "strings":
                raise InstructionError("duplicate flag specified: %s" % flag_name)
            self.used[arg] = flag
            if flag.kind == "bool":
                if has_value and value == "":
                    raise InstructionError("missing a value on flag: %s" % flag_name)
                if value.lower() in ("true", ""):
                    flag.value = "true"
                elif value.lower() == "false":
                    flag.value = "false"
                else:
                    raise InstructionError("expecting boolean value for flag %s, not: %s"
                                           % (flag_name, value))
            elif not has_value:
                raise InstructionError("missing a value on flag: %s" % flag_name)
            elif flag.kind == "string":
                flag.value = value
            else:
                flag.values.append(value)


# --- RUN --mount / --device ----------------------------------------------------------

_MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
_SHARING = ("shared", "private", "locked")
_MOUNT_KEYS = ("type", "from", "source", "target", "readonly", "id", "sharing", "required", "size",
               "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env")


def _csv_fields(line: str, what: str) -> list[str]:
    """One CSV record (Go encoding/csv rules as tonistiigi/go-csvvalue has them)."""
    if line.endswith("\r\n"):
        line = line[:-2]
    elif line.endswith("\n"):
        line = line[:-1]
    if line == "":
        raise InstructionError("failed to parse csv %s: EOF" % what)

    def err(pos: int, text: str):
        return InstructionError("failed to parse csv %s: parse error on line 1, column %d: %s"
                                % (what, pos + 1, text))

    out: list[str] = []
    pos = 0
    while True:
        if line == "" or line[0] != '"':
            i = line.find(",")
            field = line[:i] if i >= 0 else line
            j = field.find('"')
            if j >= 0:
                raise err(pos + len(gotext.encode(field[:j])), 'bare " in non-quoted-field')
            out.append(field)
            if i >= 0:
                line = line[i + 1:]
                pos += len(gotext.encode(field)) + 1
                continue
            return out
        line = line[1:]
        pos += 1
        half_open = False
        while True:
            i = line.find('"')
            if i < 0:
                raise err(pos, 'extraneous or missing " in quoted-field')
            if not half_open:
                out.append(line[:i])
            else:
                out[-1] += line[:i]
            half_open = False
            pos += len(gotext.encode(line[:i])) + 1
            line = line[i + 1:]
            if line.startswith('"'):
                out[-1] += '"'
                line = line[1:]
                pos += 1
                half_open = True
            elif line.startswith(","):
                line = line[1:]
                pos += 1
                break
            elif line == "":
                return out
            else:
                raise err(pos - 1, 'extraneous or missing " in quoted-field')


def _parse_size(s: str) -> int:
    """go-units ``RAMInBytes``; raises ValueError."""
    idx = max(s.rfind(c) for c in "0123456789. ")
    if idx < 0:
        raise ValueError(s)
    if s[idx] != " ":
        num, sfx = s[:idx + 1], s[idx + 1:]
    else:
        num, sfx = s[:idx], s[idx + 1:]
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", num):
        raise ValueError(s)
    size = float(num)
    if size < 0:
        raise ValueError(s)
    if sfx == "":
        return int(size)
    sfx = sfx.lower()
    if len(sfx) > 3:
        raise ValueError(s)
    if sfx[0] == "b":
        if len(sfx) > 1:
            raise ValueError(s)
        return int(size)
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}.get(sfx[0])
    if mult is None or (len(sfx) == 2 and sfx[1] != "b") or (len(sfx) == 3 and sfx[1:] != "ib"):
        raise ValueError(s)
    return int(size * mult)


def parse_mount(spec: str, expander: Expander | None = None) -> Mount:
    """One ``--mount`` value.  Without an expander only ``from`` is checked
    (``'from' doesn't support variable expansion, define alias stage
    instead``); with one every value is expanded and validated, with
    buildkit's messages."""
    fields = _csv_fields(spec, "mounts")
    m: dict = {"type": "bind"}
    ro_auto = True

    def fail(text: str):
        return InstructionError(text)

    for field in fields:
        key, eq, value = field.partition("=")
        key = key.lower()
        if not eq:
            if expander is None:
                continue
            if key in ("readonly", "ro"):
                m["read_only"], ro_auto = True, False
                continue
            if key in ("readwrite", "rw"):
                m["read_only"], ro_auto = False, False
                continue
            if key == "required":
                if m["type"] in ("secret", "ssh"):
                    m["required"] = True
                    continue
                raise fail("unexpected key '%s' for mount type '%s'" % (key, m["type"]))
            raise fail("invalid field '%s' must be a key=value pair" % field)
        if expander is not None:
            value = expander(value)
        elif key == "from":
            idx = value.find("$")
            if idx != -1 and idx != len(value) - 1:
                raise fail("'%s' doesn't support variable expansion, define alias stage instead" % key)
        else:
            continue
        if key == "type":
            v = value.lower()
            if v not in _MOUNT_TYPES:
                raise fail(gotext.with_suggestion("unsupported mount type %s" % gotext.quote(value),
                                                  value, _MOUNT_TYPES, True))
            m["type"] = v
        elif key == "from":
            m["from_"] = value
        elif key in ("source", "src"):
            m["source"] = value
        elif key in ("target", "dst", "destination"):
            m["target"] = value
        elif key in ("readonly", "ro", "readwrite", "rw"):
            try:
                b = gotext.parse_bool(value)
            except gotext.GoError:
                raise fail("invalid value for %s: %s" % (key, value)) from None
            m["read_only"] = b if key in ("readonly", "ro") else not b
            ro_auto = False
        elif key == "required":
            if m["type"] not in ("secret", "ssh"):
                raise fail("unexpected key '%s' for mount type '%s'" % (key, m["type"]))
            try:
                m["required"] = gotext.parse_bool(value)
            except gotext.GoError:
                raise fail("invalid value for %s: %s" % (key, value)) from None
        elif key == "size":
            if m["type"] != "tmpfs":
                raise fail("unexpected key '%s' for mount type '%s'" % (key, m["type"]))
            try:
                m["size_limit"] = _parse_size(value)
            except ValueError:
                raise fail("invalid value for %s: %s" % (key, value)) from None
        elif key == "id":
            m["cache_id"] = value
        elif key == "sharing":
            v = value.lower()
            if v not in _SHARING:
                raise fail(gotext.with_suggestion("unsupported sharing value %s" % gotext.quote(value),
                                                  value, _SHARING, True))
            m["cache_sharing"] = v
        elif key in ("mode", "uid", "gid"):
            try:
                n = gotext.parse_uint(value, 8 if key == "mode" else 10, 32)
            except gotext.GoError:
                raise fail("invalid value %s for %s" % (value, key)) from None
            m[key] = n
        elif key == "env":
            m["env"] = value
        else:
            raise fail(gotext.with_suggestion("unexpected key '%s' in '%s'" % (key, field),
                                              key, _MOUNT_KEYS, True))
    mtype = m["type"]
    if mtype not in ("secret", "ssh", "cache"):
        for k in ("mode", "uid", "gid"):
            if m.get(k) is not None:
                raise fail("%s not allowed for %s type mounts" % (k, gotext.quote(mtype)))
    if ro_auto:
        m["read_only"] = mtype not in ("cache", "tmpfs")
    if mtype == "secret":
        if m.get("from_"):
            raise fail("secret mount should not have a from")
        if m.get("cache_sharing"):
            raise fail("secret mount should not define sharing")
        if not m.get("source") and not m.get("target") and not m.get("cache_id"):
            raise fail("invalid secret mount. one of source, target required")
        if m.get("source") and m.get("cache_id"):
            raise fail("both source and id can't be set")
    if m.get("cache_sharing") and mtype != "cache":
        raise fail("invalid cache sharing set for %s mount" % mtype)
    return Mount(**m)


def parse_device(spec: str) -> Device:
    """One ``--device`` value (buildkit's ``ParseDevice``)."""
    fields = _csv_fields(spec, "devices")
    name, required = "", False
    for field in fields:
        key, eq, value = field.partition("=")
        key = key.lower()
        if not eq:
            if key == "required":
                required = True
                continue
            if name == "":
                name = field
                continue
            raise InstructionError("invalid field '%s' must be a key=value pair" % field)
        if key == "name":
            if name != "":
                raise InstructionError("device name already set to %s" % name)
            name = value
        elif key == "required":
            try:
                required = gotext.parse_bool(value)
            except gotext.GoError:
                raise InstructionError("invalid value for %s: %s" % (key, value)) from None
        elif name == "":
            name = field
        else:
            raise InstructionError(gotext.with_suggestion(
                "unexpected key '%s' in '%s'" % (key, field), key, ("name", "required"), True))
    return Device(name, required)


# --- parsing one instruction ---------------------------------------------------------

class _Req:
    """buildkit's ``parseRequest``."""

    def __init__(self, node: Node):
        self.node = node
        self.command = node.value
        self.args = list(node.args)
        self.heredocs = node.heredocs
        self.json = node.json
        self.original = node.original
        self.flags = _BFlags(node.flags)
        self.location = node.location
        self.comments = node.prev_comment

    def base(self) -> dict:
        return {"name": self.command, "code": gotext.trim_space(self.original),
                "location": self.location}


def _at_least_one(cmd: str) -> InstructionError:
    return InstructionError("%s requires at least one argument" % cmd)


def _exactly_one(cmd: str) -> InstructionError:
    return InstructionError("%s requires exactly one argument" % cmd)


def _handle_json_args(args: list[str], is_json: bool) -> list[str]:
    if not args:
        return []
    if is_json:
        return args
    return [" ".join(args)]


def _parse_kvps(args: list[str], cmd: str) -> tuple[KeyValuePair, ...]:
    if not args:
        raise _at_least_one(cmd)
    if len(args) % 3:
        raise InstructionError("Bad input to %s, too many arguments" % cmd)
    out = []
    for j in range(0, len(args), 3):
        if args[j] == "":
            raise InstructionError("%s names can not be blank" % cmd)
        out.append(KeyValuePair(args[j], args[j + 1], args[j + 2] == ""))
    return tuple(out)


def _get_comment(comments, name: str) -> str:
    if not name:
        return ""
    for line in comments:
        if line.startswith(name + " "):
            return line[len(name) + 1:]
    return ""


def _parse_env(req: _Req):
    req.flags.parse()
    return EnvInstruction(env=_parse_kvps(req.args, "ENV"), **req.base())


def _parse_maintainer(req: _Req):
    if len(req.args) != 1:
        raise _exactly_one("MAINTAINER")
    req.flags.parse()
    return MaintainerInstruction(maintainer=req.args[0], **req.base())


def _parse_label(req: _Req):
    req.flags.parse()
    return LabelInstruction(labels=_parse_kvps(req.args, "LABEL"), **req.base())


def _sources_and_dest(req: _Req, cmd: str) -> dict:
    srcs, dest = req.args[:-1], req.args[-1]
    if must_parse_heredoc(dest) is not None:
        raise InstructionError("%s cannot accept a heredoc as a destination" % cmd)
    lookup = {h.name: h for h in req.heredocs}
    paths, contents = [], []
    for src in srcs:
        doc = must_parse_heredoc(src)
        if doc is None:
            paths.append(src)
            continue
        content = lookup[doc.name].content if doc.name in lookup else ""
        if doc.chomp:
            content = chomp_heredoc_content(content)
        contents.append(SourceContent(path=doc.name, data=content, expand=doc.expand))
    return {"dest_path": dest, "source_paths": tuple(paths), "source_contents": tuple(contents)}


def _parse_add(req: _Req):
    if len(req.args) < 2:
        raise InstructionError("ADD requires at least two arguments, but only one was provided. "
                               "Destination could not be determined")
    chown = req.flags.add_string("chown")
    chmod = req.flags.add_string("chmod")
    link = req.flags.add_bool("link")
    keep = req.flags.add_bool("keep-git-dir")
    checksum = req.flags.add_string("checksum")
    req.flags.parse()
    sd = _sources_and_dest(req, "ADD")
    return AddInstruction(chown=chown.value, chmod=chmod.value, link=link.value == "true",
                          keep_git_dir=keep.value == "true", checksum=checksum.value,
                          **sd, **req.base())


def _parse_copy(req: _Req):
    if len(req.args) < 2:
        raise InstructionError("COPY requires at least two arguments, but only one was provided. "
                               "Destination could not be determined")
    chown = req.flags.add_string("chown")
    from_ = req.flags.add_string("from")
    chmod = req.flags.add_string("chmod")
    link = req.flags.add_bool("link")
    req.flags.parse()
    sd = _sources_and_dest(req, "COPY")
    return CopyInstruction(chown=chown.value, chmod=chmod.value, link=link.value == "true",
                           from_=from_.value, **sd, **req.base())


_STAGE_NAME = re.compile(r"[a-z][a-z0-9-_.]*\Z")


def _parse_from(req: _Req):
    args = req.args
    name = ""
    if len(args) == 3 and args[1].lower() == "as":
        name = args[2].lower()
        if not _STAGE_NAME.match(name):
            raise InstructionError("invalid name for build stage: %s, name can't start with a number "
                                   "or contain symbols" % gotext.quote(args[2]))
    elif len(args) != 1:
        raise InstructionError("FROM requires either one or three arguments")
    platform = req.flags.add_string("platform")
    req.flags.parse()
    return Stage(name=name, base_name=args[0], platform=platform.value,
                 source_code=gotext.trim_space(req.original), orig_cmd=req.command,
                 comment=_get_comment(req.comments, name), location=req.location)


_ONBUILD_PREFIX = re.compile(r"^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*", re.I)


def _parse_onbuild(req: _Req):
    if not req.args:
        raise _at_least_one("ONBUILD")
    req.flags.parse()
    trigger = gotext.trim_space(req.args[0]).upper()
    if trigger == "ONBUILD":
        raise InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    if trigger in ("MAINTAINER", "FROM"):
        raise InstructionError("%s isn't allowed as an ONBUILD trigger" % trigger)
    expression = _ONBUILD_PREFIX.sub("", req.original, count=1)
    for doc in req.heredocs:
        expression += "\n" + doc.content + doc.name
    return OnbuildInstruction(expression=expression, **req.base())


def _parse_workdir(req: _Req):
    if len(req.args) != 1:
        raise _exactly_one("WORKDIR")
    req.flags.parse()
    return WorkdirInstruction(path=req.args[0], **req.base())


def _shell_dependent(req: _Req, empty_as_none: bool) -> dict:
    files = tuple(ShellInlineFile(h.name, h.content, h.chomp) for h in req.heredocs)
    args = _handle_json_args(req.args, req.json)
    cmd_line = None if (empty_as_none and not args) else tuple(args)
    return {"cmd_line": cmd_line, "files": files, "prepend_shell": not req.json}


def _parse_run(req: _Req):
    devices_flag = req.flags.add_strings("device")
    mount_flag = req.flags.add_strings("mount")
    network_flag = req.flags.add_string("network", "default")
    req.flags.parse()
    used = tuple(req.flags.used)
    body = _shell_dependent(req, False)
    devices = tuple(parse_device(s) for s in devices_flag.values)
    mounts = tuple(parse_mount(s) for s in mount_flag.values)
    if network_flag.value not in ("default", "none", "host"):
        raise InstructionError("invalid network mode %s" % gotext.quote(network_flag.value))
    return RunInstruction(flags_used=used, mount_specs=tuple(mount_flag.values), mounts=mounts,
                          network=network_flag.value, devices=devices, **body, **req.base())


def _parse_cmd(req: _Req):
    req.flags.parse()
    return CmdInstruction(**_shell_dependent(req, False), **req.base())


def _parse_entrypoint(req: _Req):
    req.flags.parse()
    return EntrypointInstruction(**_shell_dependent(req, True), **req.base())


def _opt_interval(flag: _Flag) -> int:
    if flag.value == "":
        return 0
    try:
        d = gotext.parse_duration(flag.value)
    except gotext.GoError as e:
        raise InstructionError(str(e)) from None
    if d == 0:
        return 0
    if d < 1_000_000:
        raise InstructionError("Interval %s cannot be less than 1ms" % gotext.quote(flag.name))
    return d


def _parse_healthcheck(req: _Req):
    if not req.args:
        raise _at_least_one("HEALTHCHECK")
    typ = req.args[0].upper()
    args = req.args[1:]
    if typ == "NONE":
        if args:
            raise InstructionError("HEALTHCHECK NONE takes no arguments")
        return HealthcheckInstruction(health=HealthConfig(test=("NONE",)), **req.base())
    interval = req.flags.add_string("interval")
    timeout = req.flags.add_string("timeout")
    start_period = req.flags.add_string("start-period")
    start_interval = req.flags.add_string("start-interval")
    retries = req.flags.add_string("retries")
    req.flags.parse()
    if typ != "CMD":
        raise InstructionError("Unknown type %s in HEALTHCHECK (try CMD)" % gotext.quote(typ))
    cmd = _handle_json_args(args, req.json)
    if not cmd:
        raise InstructionError("Missing command after HEALTHCHECK CMD")
    test = (typ if req.json else "CMD-SHELL",) + tuple(cmd)
    values = [_opt_interval(f) for f in (interval, timeout, start_period, start_interval)]
    n = 0
    if retries.value != "":
        try:
            n = gotext.parse_int(retries.value, 32)
        except gotext.GoError as e:
            raise InstructionError(str(e)) from None
        if n < 0:
            raise InstructionError("--retries cannot be negative (%d)" % n)
    health = HealthConfig(test, values[0], values[1], values[2], values[3], n)
    return HealthcheckInstruction(health=health, **req.base())


def _parse_expose(req: _Req):
    if not req.args:
        raise _at_least_one("EXPOSE")
    req.flags.parse()
    return ExposeInstruction(ports=tuple(sorted(req.args, key=gotext.encode)), **req.base())


def _parse_user(req: _Req):
    if len(req.args) != 1:
        raise _exactly_one("USER")
    req.flags.parse()
    return UserInstruction(user=req.args[0], **req.base())


def _parse_volume(req: _Req):
    if not req.args:
        raise _at_least_one("VOLUME")
    req.flags.parse()
    volumes = []
    for v in req.args:
        v = gotext.trim_space(v)
        if v == "":
            raise InstructionError("VOLUME specified can not be an empty string")
        volumes.append(v)
    return VolumeInstruction(volumes=tuple(volumes), **req.base())


def _parse_stopsignal(req: _Req):
    if len(req.args) != 1:
        raise _exactly_one("STOPSIGNAL")
    return StopSignalInstruction(signal=req.args[0], **req.base())


def _parse_arg(req: _Req):
    if not req.args:
        raise _at_least_one("ARG")
    pairs = []
    for arg in req.args:
        if "=" in arg:
            key, _, value = arg.partition("=")
            if key == "":
                raise InstructionError("ARG names can not be blank")
            pairs.append(KeyValuePairOptional(key, value, _get_comment(req.comments, key)))
        else:
            pairs.append(KeyValuePairOptional(arg, None, _get_comment(req.comments, arg)))
    return ArgInstruction(args=tuple(pairs), **req.base())


def _parse_shell(req: _Req):
    req.flags.parse()
    shell = _handle_json_args(req.args, req.json)
    if not shell:
        raise _at_least_one("SHELL")
    if not req.json:
        raise InstructionError("SHELL requires the arguments to be in JSON form")
    return ShellInstruction(shell=tuple(shell), **req.base())


_PARSERS = {
    "env": _parse_env, "maintainer": _parse_maintainer, "label": _parse_label, "add": _parse_add,
    "copy": _parse_copy, "from": _parse_from, "onbuild": _parse_onbuild, "workdir": _parse_workdir,
    "run": _parse_run, "cmd": _parse_cmd, "healthcheck": _parse_healthcheck,
    "entrypoint": _parse_entrypoint, "expose": _parse_expose, "user": _parse_user,
    "volume": _parse_volume, "stopsignal": _parse_stopsignal, "arg": _parse_arg,
    "shell": _parse_shell,
}


def parse_instruction(node: Node) -> "Instruction | Stage":
    """One parser node as an instruction, or a :class:`Stage` for FROM
    (buildkit's ``ParseInstruction``).  Raises :class:`InstructionError`
    with buildkit's bare text (no line prefix)."""
    fn = _PARSERS.get(node.value.lower())
    if fn is None:
        msg = gotext.with_suggestion("unknown instruction: %s" % node.value, node.value,
                                     INSTRUCTION_NAMES, False)
        raise UnknownInstructionError(node.value, node.start_line, msg)
    try:
        return fn(_Req(node))
    except InstructionError as e:
        if not e.start_line:
            e.start_line, e.end_line = node.location
        raise


def parse_command(node: Node) -> Instruction:
    """Like :func:`parse_instruction` but FROM is refused (buildkit's
    ``ParseCommand``: ONBUILD triggers and ``--change`` lines)."""
    inst = parse_instruction(node)
    if isinstance(inst, Stage):
        raise InstructionError("*instructions.Stage is not a command type", *node.location)
    return inst


def parse_stages(result: ParseResult) -> Dockerfile:
    """buildkit's ``instructions.Parse``: the stages and meta ARGs.  An error
    in an instruction is ``dockerfile parse error on line N: <text>``; an
    instruction before any FROM (other than ARG) is ``no build stage in
    current context``."""
    stages: list[tuple[Stage, list[Instruction]]] = []
    meta: list[ArgInstruction] = []
    for node in result.children:
        try:
            inst = parse_instruction(node)
        except InstructionError as e:
            raise InstructionError("dockerfile parse error on line %d: %s" % (node.start_line, e.message),
                                   node.start_line, node.end_line, inner=e) from None
        if not stages and isinstance(inst, ArgInstruction):
            meta.append(inst)
            continue
        if isinstance(inst, Stage):
            stages.append((inst, []))
        elif not stages:
            raise InstructionError("no build stage in current context", *node.location)
        else:
            stages[-1][1].append(inst)
    return Dockerfile(
        stages=tuple(attrs.evolve(s, commands=tuple(cmds)) for s, cmds in stages),
        meta_args=tuple(meta), escape_token=result.escape_token,
        warnings_text=result.warnings_text())


def parse_dockerfile(source: "str | bytes") -> Dockerfile:
    """Text to stages in one go.  Raises :class:`ParseError` (parser) or
    :class:`InstructionError` (instructions); the classic builder reports
    the first as ``failed to parse <Dockerfile name>: <text>`` and the
    second as is."""
    return parse_stages(parse_text(source))


def parse_changes(changes: Iterable[str]) -> tuple[Instruction, ...]:
    """``docker commit --change`` / ``docker import --change`` lines, as the
    daemon reads them (moby ``BuildFromConfig``): joined with newlines and
    parsed as a Dockerfile; only CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK,
    LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME and WORKDIR are allowed, any
    other is ``<WORD> is not a valid change command`` (the word as written).
    An empty list gives ``()``.  Raises ParseError / InstructionError."""
    changes = list(changes)
    if not changes:
        return ()
    result = parse_text("\n".join(changes))
    for node in result.children:
        if node.value.lower() not in COMMIT_CHANGE_COMMANDS:
            raise InstructionError("%s is not a valid change command" % node.value, *node.location)
    return tuple(parse_command(node) for node in result.children)


def expand(instruction: Instruction, expander: Expander) -> Instruction:
    """The instruction with its words expanded when the classic builder
    expands it (ENV, LABEL unless from ``--label``, ADD, COPY, WORKDIR, RUN's
    mounts, USER, VOLUME, STOPSIGNAL, ARG); others unchanged (CMD,
    ENTRYPOINT, HEALTHCHECK, SHELL, MAINTAINER, ONBUILD; EXPOSE is
    expanded by the dispatcher with ``process_words``)."""
    fn = getattr(instruction, "expand", None)
    return fn(expander) if fn is not None else instruction


def label_instruction(key: str, value: str) -> LabelInstruction:
    """The LABEL the classic builder appends to the last stage for each
    ``--label`` (sorted by key): step text ``LABEL key=value``, never
    expanded."""
    return LabelInstruction(name="label", code="LABEL %s=%s" % (key, value),
                            labels=(KeyValuePair(key, value),), no_expand=True)


def step_total(dockerfile: Dockerfile) -> int:
    """M in ``Step N/M``: meta ARGs + FROMs + instructions (after ``--target``
    cut the stages and ``--label`` added its LABELs)."""
    return len(dockerfile.meta_args) + len(dockerfile.stages) + sum(len(s.commands) for s in dockerfile.stages)


def step_line(n: int, total: int, item: "Instruction | Stage") -> str:
    """``Step n/total : <source line>`` (no newline), as the classic builder
    prints before each meta ARG, FROM and instruction."""
    return "Step %d/%d : %s" % (n, total, item)
