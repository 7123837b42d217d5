"""The engine offers every method the routers' facet protocols name."""

import inspect

import pytest

from dockersim.daemon.backend import protocols
from dockersim.daemon.backend.engine import Engine

FACETS = [protocols.SystemBackend, protocols.ContainersBackend, protocols.ExecBackend,
          protocols.ImagesBackend, protocols.HostBackend, protocols.AuthBackend,
          protocols.DiskUsageBackend, protocols.NetworksBackend, protocols.EventsBackend]


@pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.__name__)
def test_engine_implements(facet):
    names = [n for n, v in vars(facet).items() if inspect.isfunction(v) and not n.startswith("_")]
    assert names
    for name in names:
        ours = getattr(Engine, name, None)
        assert callable(ours), f"Engine lacks {facet.__name__}.{name}"
        wanted = list(inspect.signature(getattr(facet, name)).parameters)
        have = list(inspect.signature(ours).parameters)
        assert have[:len(wanted)] == wanted, f"{name}: {have} vs {wanted}"
