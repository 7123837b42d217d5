"""dockersim: a Docker Engine over a simulated kernel.

The repository root is this package: ``dockersim.sim`` (the pure simulated
kernel), ``dockersim.daemon`` (the Engine API over aiohttp) and
``dockersim.client`` (our client and the ``dockersim`` command).
"""

__version__ = "0.1.0"
