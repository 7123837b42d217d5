"""Platforms (``os/arch/variant``) as dockerd reads and compares them:
containerd's ``platforms`` package (v1.0.0-rc.1, what moby 28.2.2
vendors) and moby's ``httputils.DecodePlatform``.

Two spellings reach the API:

- a specifier (``linux/arm64``; ``POST /images/create``'s ``platform`` for
  pull and import, and ``POST /build``'s): `parse_platform`, containerd's
  ``platforms.Parse``.  The 2- and 3-part forms take any ``os`` and
  ``arch`` made of ``[A-Za-z0-9_-]`` (the arch aliases normalised:
  ``x86_64`` is ``amd64``, ``aarch64`` is ``arm64``; ``linux/arm64/v8``
  keeps its ``v8``); only the 1-part form must be a known OS (the host's
  architecture then) or a known architecture (on linux).
- the OCI platform as JSON (``{"os":"linux","architecture":"arm64"}``;
  ``docker push``/``save``/``load --platform``): `decode_platform`.

Images are compared with containerd's matchers: `only_strict` (save and
load: equal once normalised), `only` (a platform and those it can run:
amd64 runs 386, arm64 runs arm/v8 and below) and `only_with_fallback`
(moby's ``OnlyPlatformWithFallback``: an image config without a variant
matches on os and architecture; push's check).
"""

import re
from typing import Callable

import attrs

from ...sim.golang import join_path, quote
from ...sim.golang.json import STRING, STRINGS, Field, JSONError, Struct, unmarshal
from ..errors import InvalidParameter

#: The GOOS values containerd knows (``isKnownOS``).
KNOWN_OS = frozenset({"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
                      "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows",
                      "zos"})
#: The GOARCH values containerd knows (``isKnownArch``).
KNOWN_ARCH = frozenset({"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64",
                        "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32",
                        "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc",
                        "sparc64", "wasm"})

#: containerd's patterns (as its messages quote them); Go's ``$`` is the
#: end of the text, so they are matched whole.
_OS_AND_VERSION = r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$"
_SPECIFIER = r"^[A-Za-z0-9_.-]+$"
_OS_AND_VERSION_RE = re.compile(_OS_AND_VERSION[1:-1])
_SPECIFIER_RE = re.compile(_SPECIFIER[1:-1])

#: ocispec.Platform as Go decodes it.
_OCI_PLATFORM = Struct("Platform", "v1.Platform", (
    Field("architecture", STRING), Field("os", STRING), Field("os.version", STRING, True),
    Field("os.features", STRINGS, True), Field("variant", STRING, True)))


@attrs.frozen
class Platform:
    """An OCI platform.  ``str()`` is containerd's ``FormatAll``."""

    os: str
    architecture: str
    variant: str = ""
    os_version: str = ""

    def __str__(self) -> str:
        return format_all(self)


def go_arch(machine: str) -> str:
    """The GOARCH of a host whose ``uname -m`` is ``machine``."""
    return {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7l": "arm"}.get(machine, machine)


def format_all(p: Platform) -> str:
    """``platforms.FormatAll``: ``os[(version)]/arch[/variant]``;
    ``unknown`` without an os."""
    if not p.os:
        return "unknown"
    head = f"{p.os}({p.os_version})" if p.os_version else p.os
    return join_path(head, p.architecture, p.variant)


def image_platform(config: dict) -> Platform:
    """The os, architecture and variant an image config states."""
    return Platform(config.get("os") or "", config.get("architecture") or "",
                    config.get("variant") or "")


def image_mismatch(name: str, config: dict, wanted: Platform) -> "str | None":
    """moby's ``GetImage`` with a platform: None when the image config
    matches ``wanted`` (`only_with_fallback`), else its NotFound message
    (``name`` is the reference as the user gave it, familiar)."""
    have = image_platform(config)
    if only_with_fallback(wanted)(have):
        return None
    return (f"image with reference {name} was found but its platform ({have}) does not match "
            f"the specified platform ({wanted})")


def _invalid(message: str) -> InvalidParameter:
    return InvalidParameter(f"{message}: invalid argument")


def parse_platform(text: str, host_arch: str = "amd64") -> Platform:
    """containerd's ``platforms.Parse`` of ``os[(version)]``, ``arch``,
    ``os/arch`` or ``os/arch/variant``; a known OS alone gets the host's
    architecture (``host_arch``, a GOARCH), a known architecture alone
    the host's OS (linux).  Raises InvalidParameter with containerd's
    words (``"linux/x y" is an invalid component of …: invalid argument``)."""
    if "*" in text:
        raise _invalid(f"{quote(text)}: wildcards not yet supported")
    parts = text.split("/", 3)
    os_name = os_version = ""
    for i, part in enumerate(parts):
        if i == 0:
            found = _OS_AND_VERSION_RE.fullmatch(part)
            if found is None:
                raise _invalid(f"{quote(part)} is an invalid OS component of {quote(text)}: "
                               f"OSAndVersion specifier component must match {quote(_OS_AND_VERSION)}")
            os_name, os_version = _normalize_os(found.group(1)), found.group(2) or ""
        elif not _SPECIFIER_RE.fullmatch(part):
            raise _invalid(f"{quote(part)} is an invalid component of {quote(text)}: "
                           f"platform specifier component must match {quote(_SPECIFIER)}")
    if len(parts) == 1:
        if os_name in KNOWN_OS:
            return Platform(os_name, host_arch, "", os_version)
        arch, variant = _normalize_arch(parts[0], "")
        if arch == "arm" and variant == "v7":
            variant = ""
        if arch in KNOWN_ARCH:
            return Platform("linux", arch, variant, os_version)
        raise _invalid(f"{quote(text)}: unknown operating system or architecture")
    if len(parts) == 2:
        arch, variant = _normalize_arch(parts[1], "")
        if arch == "arm" and variant == "v7":
            variant = ""
        return Platform(os_name, arch, variant, os_version)
    if len(parts) == 3:
        arch, variant = _normalize_arch(parts[1], parts[2])
        if arch == "arm64" and variant == "":
            variant = "v8"
        return Platform(os_name, arch, variant, os_version)
    raise _invalid(f"{quote(text)}: cannot parse platform specifier")


def decode_platform(text: str) -> Platform:
    """moby's ``DecodePlatform``: the OCI platform as JSON, with an os and
    an architecture.  Raises InvalidParameter."""
    try:
        doc = unmarshal(text, _OCI_PLATFORM) or {}
    except JSONError as err:
        raise InvalidParameter(f"failed to parse platform: {err}") from None
    p = Platform(doc.get("os") or "", doc.get("architecture") or "", doc.get("variant") or "",
                 doc.get("os.version") or "")
    if not p.os and not p.architecture and (p.variant or p.os_version or doc.get("os.features")):
        raise InvalidParameter("optional platform fields provided, but OS and Architecture are missing")
    if not p.os or not p.architecture:
        raise InvalidParameter("both OS and Architecture must be provided")
    return p


def _normalize_os(os_name: str) -> str:
    os_name = os_name.lower() if os_name else "linux"
    return "darwin" if os_name == "macos" else os_name


def _normalize_arch(arch: str, variant: str) -> "tuple[str, str]":
    """containerd's ``normalizeArch``."""
    arch, variant = arch.lower(), variant.lower()
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        variant = {"8": "", "v8": "", "v8.0": "", "9": "v9", "9.0": "v9", "v9.0": "v9"}.get(variant, variant)
        return "arm64", variant
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        if variant in ("", "7"):
            variant = "v7"
        elif variant in ("5", "6", "8"):
            variant = "v" + variant
    return arch, variant


def normalize(p: Platform) -> Platform:
    """``platforms.Normalize``."""
    arch, variant = _normalize_arch(p.architecture, p.variant)
    return Platform(_normalize_os(p.os), arch, variant, p.os_version)


Matcher = Callable[[Platform], bool]


def _equal(p: Platform) -> Matcher:
    """``NewMatcher``: the same os, architecture and variant once both are
    normalised (Windows OS versions are not compared: no Windows here)."""
    want = normalize(p)

    def match(other: Platform) -> bool:
        n = normalize(other)
        return (n.os, n.architecture, n.variant) == (want.os, want.architecture, want.variant)
    return match


def only_strict(p: Platform) -> Matcher:
    """``platforms.OnlyStrict``: that platform only (save and load)."""
    return _equal(p)


_ARM64_VERSIONS = {f"v8.{m}": ((8,), (m,)) for m in range(10)}
_ARM64_VERSIONS.update({"v8": ((8,), (0,)), "v9": ((9, 8), (0, 5))})
_ARM64_VERSIONS.update({f"v9.{m}": ((9, 8), (m, min(m + 5, 9))) for m in range(8)})


def _vector(p: Platform) -> "list[Platform]":
    """containerd's ``platformVector``: the platform and the ones it can
    run, best first."""
    out = [p]
    version = p.variant[1:] if p.variant.startswith("v") else p.variant
    if p.architecture == "amd64":
        if version.isdigit() and int(version) > 1:
            out += [attrs.evolve(p, variant=f"v{n}") for n in range(int(version) - 1, 0, -1)]
        out.append(Platform(p.os, "386", "", p.os_version))
    elif p.architecture == "arm":
        if version.isdigit() and int(version) > 5:
            out += [attrs.evolve(p, variant=f"v{n}") for n in range(int(version) - 1, 4, -1)]
    elif p.architecture == "arm64":
        variant = p.variant or "v8"
        out = []
        majors, minors = _ARM64_VERSIONS.get(variant, ((), ()))
        for major, top in zip(majors, minors):
            for minor in range(top, -1, -1):
                out.append(attrs.evolve(p, variant=f"v{major}" if minor == 0 else f"v{major}.{minor}"))
        if variant.startswith(("v8", "v9")):
            variant = "v8"
        out += _vector(Platform(p.os, "arm", variant, p.os_version))
    return out


def only(p: Platform) -> Matcher:
    """``platforms.Only``: the platform or one it can run."""
    matchers = [_equal(q) for q in _vector(normalize(p))]
    return lambda other: any(m(other) for m in matchers)


def only_with_fallback(p: Platform) -> Matcher:
    """moby's ``OnlyPlatformWithFallback``: `only`, or (for an image
    config without a variant) the same os and architecture."""
    first, want = only(p), normalize(p)

    def match(other: Platform) -> bool:
        if first(other):
            return True
        if other.variant:
            return False
        n = normalize(other)
        return (n.os, n.architecture) == (want.os, want.architecture)
    return match
