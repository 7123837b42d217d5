"""``docker rename``: moby's daemon/rename.go."""

from ..errors import InvalidParameter
from .events import NO_EVENTS


def rename_container(records, ref: str, new_name: str, events=NO_EVENTS) -> None:
    container = records.resolve(ref)
    if not new_name:
        raise InvalidParameter("Neither old nor new names may be empty")
    if new_name.lstrip("/") == container.name:
        raise InvalidParameter("Renaming a container with the same name as its current name")
    old_name = container.name
    container.name = records.new_name(new_name)
    records.save(container)
    events.container(container, "rename", oldName="/" + old_name.lstrip("/"))
