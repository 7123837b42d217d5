"""The import rules of docs/architecture.md, checked by walking every
module's imports with `ast`:

- `sim` imports only `sim`, attrs and an allow-list of standard modules
  that do no host I/O (no os, tempfile, shutil, pathlib, sockets, threads,
  asyncio, subprocess), and never reads the wall clock;
- the daemon reaches the simulation only through its public faces (the
  runtime interface, images, the clock, ids, stores, abi and errors),
  never the kernel, processes, pipes, namespaces or filesystems;
- `daemon.backend` may import `sim` and asyncio, not aiohttp;
- `daemon.routers` and `daemon.streams` may import aiohttp, never `sim`;
- `daemon.wire` is pure (stdlib only);
- `daemon.builder` imports only the stdlib, attrs, itself and `sim.golang`;
- `client` imports only `daemon.wire` of the project.
"""

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names)
#: The standard modules `sim` may use: pure computation, no host I/O.
#: (``time`` only formats times: `test_sim_never_reads_the_wall_clock`.)
SIM_STDLIB = {
    "__future__", "abc", "base64", "binascii", "bisect", "bz2", "calendar", "codecs",
    "collections", "contextlib", "copy", "dataclasses", "datetime", "enum", "fnmatch",
    "functools", "gzip", "hashlib", "heapq", "hmac", "importlib", "io", "ipaddress", "itertools",
    "json", "lzma", "math", "operator", "posixpath", "random", "re", "shlex", "stat",
    "string", "struct", "tarfile", "textwrap", "time", "traceback", "types", "typing",
    "unicodedata", "weakref", "zlib",
}
#: quickjs (quickjs-ng): the JavaScript engine of the node program.
THIRD_PARTY_ALLOWED_IN_SIM = {"attrs", "quickjs"}
#: What the daemon may import of the simulation.
SIM_PUBLIC = ("dockersim.sim.runtime", "dockersim.sim.images", "dockersim.sim.clock",
              "dockersim.sim.ids", "dockersim.sim.store", "dockersim.sim.abi",
              "dockersim.sim.errors", "dockersim.sim.golang", "dockersim.sim.fs.goarchive",
              "dockersim.sim.net")


def modules(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path


def imports_of(path: pathlib.Path):
    """(absolute module name, lineno) for every import in ``path``,
    relative imports resolved against the file's package."""
    rel = path.relative_to(ROOT).with_suffix("")
    package = ["dockersim", *rel.parts[:-1]]
    if rel.parts[-1] == "__init__":
        pass
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:  # the module or the name it imports
                    yield f"{name}.{alias.name}", node.lineno
            else:
                for alias in node.names:
                    yield f"{node.module}.{alias.name}", node.lineno


def violations(folder: str, allowed) -> list:
    out = []
    for path in modules(folder):
        for name, line in imports_of(path):
            if not allowed(name):
                out.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    return out


def top(name: str) -> str:
    return name.split(".")[0]


def sim_allowed(name: str) -> bool:
    if name.startswith("dockersim.sim"):
        return True
    if name.startswith("dockersim"):
        return False
    return top(name) in SIM_STDLIB or top(name) in THIRD_PARTY_ALLOWED_IN_SIM


def test_sim_imports_only_itself_and_the_stdlib():
    assert violations("sim", sim_allowed) == []


def test_sim_never_reads_the_wall_clock():
    """``time`` is in the allow-list for formatting (gmtime, strftime);
    the clock itself is injected."""
    found = []
    for path in modules("sim"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in WALL_CLOCK and \
                    isinstance(node.value, ast.Name) and node.value.id in ("time", "_time"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: time.{node.attr}")
    assert found == []


WALL_CLOCK = {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "sleep", "localtime"}


def test_the_daemon_uses_only_the_simulations_public_faces():
    def allowed(name):
        return not name.startswith("dockersim.sim") or name.startswith(SIM_PUBLIC)
    assert violations("daemon", allowed) == []


def test_backend_does_not_import_aiohttp():
    assert violations("daemon/backend", lambda n: top(n) != "aiohttp") == []


@pytest.mark.parametrize("folder", ["daemon/routers", "daemon/streams"])
def test_http_layer_does_not_import_sim(folder):
    assert violations(folder, lambda n: not n.startswith("dockersim.sim")) == []


def test_wire_is_pure():
    assert violations("daemon/wire", lambda n: top(n) in STDLIB or n.startswith("dockersim.daemon.wire")) == []


def test_builder_is_pure():
    def allowed(name):
        if name.startswith("dockersim"):
            return name.startswith(("dockersim.daemon.builder", "dockersim.sim.golang"))
        return top(name) in STDLIB or top(name) == "attrs"
    assert violations("daemon/builder", allowed) == []


def test_client_imports_only_wire():
    def allowed(name):
        if name.startswith("dockersim"):
            return name.startswith("dockersim.daemon.wire") or name.startswith("dockersim.client") \
                or name.startswith("dockersim.daemon.server") or name == "dockersim.daemon"
        return True
    assert violations("client", allowed) == []


def test_the_checker_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The rule can fail: a sim module importing asyncio is reported."""
    fake_root = tmp_path
    (fake_root / "sim").mkdir()
    (fake_root / "sim" / "bad.py").write_text("import asyncio\nimport os\nfrom ..daemon import app\n")
    (fake_root / "daemon").mkdir()
    (fake_root / "daemon" / "bad.py").write_text("from ..sim.proc import task\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    assert len(violations("sim", sim_allowed)) == 3
    with pytest.raises(AssertionError):
        test_the_daemon_uses_only_the_simulations_public_faces()
