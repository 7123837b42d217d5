"""``docker rename``: moby's daemon/rename.go."""

from ..errors import InvalidParameter


def rename_container(records, ref: str, new_name: str) -> None:
    container = records.resolve(ref)
    if not new_name:
        raise InvalidParameter("Neither old nor new names may be empty")
    if new_name.lstrip("/") == container.name:
        raise InvalidParameter("Renaming a container with the same name as its current name")
    container.name = records.new_name(new_name)
    records.save(container)
