"""Stopping a QuickJS turn from another thread (for `cores.ThreadCore`).

A killed program's JavaScript may be spinning (``while (true) {}``) on its
core's host thread, where nothing reaches it: the kernel has let the task
go, but the thread would spin until the daemon exits.  QuickJS polls an
*interrupt handler* as it runs (on backward jumps and calls, every few
thousand instructions); when the handler answers non-zero it throws an
uncatchable "interrupted" error that unwinds the whole turn, ``try``
blocks included, back to Python.

The binding (quickjs-ng's ``_quickjs``) installs a handler only for its
CPU-time limit, and only when a call begins (so an armed limit cannot be
tightened mid-turn), and while armed it refuses every call into Python,
which the node bridge needs.  So a turn normally runs with no handler at
all (no cost), and stopping one installs a handler from the kernel's
thread with QuickJS's own ``JS_SetInterruptHandler``, which the binding's
shared library exports: it stores two pointers in the runtime, which the
engine's thread reads at its next poll.  The handler is a C function that
answers non-zero without the GIL: ``JS_IsRegisteredClass(rt, 1)`` (class 1,
JS_CLASS_OBJECT, is registered in every runtime; the signature matches
JSInterruptHandler's ``int (*)(JSRuntime *, void *opaque)`` with opaque 1).
It stays installed: every later turn of that engine stops at once.

The runtime pointer is the binding's ``RuntimeData.runtime``, the first
field after the object header; the layout is checked before it is used
(the object's size, and the runtime's opaque pointing back at the
context, as the binding sets it).  When the check fails (another binding),
`stopper` returns None and the core says so in the log: a killed spinning
turn then keeps its thread.
"""

import ctypes
import sys

#: sizeof(RuntimeData) in quickjs-ng's module.c (64-bit): the header, the
#: runtime and context pointers, the time limit's fields, the saved thread
#: state, the interrupt data and the callables' list.
_RUNTIME_DATA_SIZE = 80
#: JS_CLASS_OBJECT: registered in every runtime.
_CLASS_OBJECT = 1


class _Api:
    """The C functions of the binding's library this module calls."""

    def __init__(self, path: str):
        lib = ctypes.CDLL(path)
        self.set_handler = lib.JS_SetInterruptHandler
        self.set_handler.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        self.set_handler.restype = None
        self.runtime_opaque = lib.JS_GetRuntimeOpaque
        self.runtime_opaque.argtypes = [ctypes.c_void_p]
        self.runtime_opaque.restype = ctypes.c_void_p
        self.always = ctypes.cast(lib.JS_IsRegisteredClass, ctypes.c_void_p).value


_apis: dict = {}


def _api(engine) -> "_Api | None":
    module = sys.modules.get(type(engine).__module__)
    path = getattr(module, "__file__", None)
    if not path:
        return None
    if path not in _apis:
        try:
            _apis[path] = _Api(path)
        except (OSError, AttributeError):  # not a QuickJS library, or not exporting its API
            _apis[path] = None
    return _apis[path]


class Stopper:
    """Stops the turns of one QuickJS context (see the module docstring).
    Holds the context, so its runtime lives as long as the stopper."""

    def __init__(self, api: _Api, engine, runtime: int):
        self._api = api
        self._engine = engine
        self._runtime = runtime

    def stop(self) -> None:
        """From any thread: the running turn (and every later one) ends at
        the engine's next poll with an uncatchable "interrupted" error."""
        self._api.set_handler(self._runtime, self._api.always, _CLASS_OBJECT)


def stopper(engine) -> "Stopper | None":
    """A `Stopper` for ``engine`` (a ``quickjs.Context``), or None if its
    binding is not the one whose layout this module knows."""
    if type(engine).__name__ != "Context" or type(engine).__basicsize__ != _RUNTIME_DATA_SIZE \
            or ctypes.sizeof(ctypes.c_void_p) != 8:
        return None
    api = _api(engine)
    if api is None:
        return None
    runtime = ctypes.c_void_p.from_address(id(engine) + object.__basicsize__).value
    if not runtime or api.runtime_opaque(runtime) != id(engine):
        return None
    return Stopper(api, engine, runtime)
