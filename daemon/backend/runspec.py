"""Building the runtime's `ProcessSpec` from the daemon's records."""

import attrs

from ...sim.runtime.spec import ProcessSpec


def process_spec(**fields) -> ProcessSpec:
    """A ProcessSpec; ``console_size`` only where the runtime knows it."""
    if "console_size" not in attrs.fields_dict(ProcessSpec):
        fields.pop("console_size", None)
    return ProcessSpec(**fields)
