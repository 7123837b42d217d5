"""Legacy links (``--link child:alias``): moby's ``linkIndex`` and the
names it registers.

moby keeps a graph of links and registers each one as a name of the
child, ``/<parent>/<alias>``: the child answers to that name
(``GetContainer``), ``/containers/json`` lists it among the child's
Names (``docker ps --no-trunc`` shows ``db,web/dbx``), inspect shows the
parent's links as ``/<child>:/<parent>/<alias>``, and ``docker rm --link
/web/dbx`` removes one.

Here the graph is the parents' ``HostConfig.Links`` (the user's
``child[:alias]`` strings, checked at create by
`ContainerNetworking.check_links`), read when asked; a link whose child is
gone is no link.
"""

from __future__ import annotations

from ..errors import Conflict, NotFound


def parse(link: str) -> "tuple[str, str]":
    """``child[:alias]`` -> (child name, alias), as moby's ``ParseLink``
    (the alias's last path component)."""
    name, _, alias = link.partition(":")
    return name.lstrip("/"), (alias or name).lstrip("/").split("/")[-1]


def children(records, parent) -> "list[tuple[str, object]]":
    """(alias, child container) for each live link of ``parent``."""
    out = []
    for link in parent.host_config.get("Links") or ():
        name, alias = parse(link)
        try:
            out.append((alias, records.resolve(name)))
        except NotFound:
            continue
    return out


def link_names(records) -> "dict[str, list[str]]":
    """child id -> its link names (``/parent/alias``), sorted."""
    out: "dict[str, list[str]]" = {}
    for parent in list(records):
        if parent.host_config.get("Links"):
            for alias, child in children(records, parent):
                out.setdefault(child.id, []).append(f"/{parent.name}/{alias}")
    for names in out.values():
        names.sort()
    return out


def inspect_links(records, parent) -> "list[str] | None":
    """inspect's ``HostConfig.Links``: ``/child:/parent/alias``."""
    links = [f"/{child.name}:/{parent.name}/{alias}" for alias, child in children(records, parent)]
    return links or None


def resolve(records, ref: str):
    """The child a link name (``/web/dbx`` or ``web/dbx``) names, or None."""
    parent_name, sep, alias = ref.strip("/").rpartition("/")
    if not sep or "/" in parent_name:
        return None
    try:
        parent = records.resolve(parent_name)
    except NotFound:
        return None
    for name, child in children(records, parent):
        if name == alias:
            return child
    return None


def remove(records, ref: str) -> None:
    """``DELETE /containers/{name}?link=1`` (moby's ``rmLink``): ``ref``
    must name a container (a link name, or a plain name, which moby
    refuses as the default link name); the parent's link is dropped."""
    child = resolve(records, ref)
    if child is None:
        records.resolve(ref)  # No such container: <ref>
        raise Conflict("Conflict, cannot remove the default link name of the container")
    parent_name, _, alias = ref.strip("/").rpartition("/")
    parent = records.resolve(parent_name)
    parent.host_config["Links"] = [link for link in parent.host_config.get("Links") or ()
                                   if parse(link)[1] != alias] or None
    records.save(parent)


def _port_key(port: str) -> "tuple[int, str, int]":
    """moby's ``withTCPPriority``: tcp first, then the protocols by
    name; by number within one."""
    number, _, proto = port.partition("/")
    proto = (proto or "tcp").lower()
    return (0 if proto == "tcp" else 1, proto, int(number) if number.isdigit() else 0)


def env_vars(name: str, child_ip: str, env, exposed) -> "list[str]":
    """moby's ``links.Link.ToEnv``: ``<ALIAS>_PORT…`` for each exposed
    port of the child (ranges of consecutive ports get ``_START``/``_END``),
    ``<ALIAS>_NAME``, and the child's environment as ``<ALIAS>_ENV_…``
    (HOME and PATH left out).  ``name`` is the link's name,
    ``/parent/alias``."""
    alias = name.rsplit("/", 1)[-1].upper().replace("-", "_")
    ports = sorted(exposed or (), key=_port_key)
    out = []
    start = end = None
    for i, port in enumerate(ports):
        number, _, proto = port.partition("/")
        proto = proto or "tcp"
        if i == 0:
            start = end = (int(number), proto)
            out.append(f"{alias}_PORT={proto}://{child_ip}:{number}")
        prefix = f"{alias}_PORT_{number}_{proto.upper()}"
        out += [f"{prefix}={proto}://{child_ip}:{number}", f"{prefix}_ADDR={child_ip}",
                f"{prefix}_PORT={number}", f"{prefix}_PROTO={proto}"]
        if int(number) == end[0] + 1 and proto.lower() == start[1].lower():
            end = (int(number), proto)
            if i < len(ports) - 1:
                continue
        if end != start:
            prefix = f"{alias}_PORT_{start[0]}_{start[1].upper()}"
            out += [f"{prefix}_START={start[1]}://{child_ip}:{start[0]}",
                    f"{prefix}_PORT_START={start[0]}",
                    f"{prefix}_END={end[1]}://{child_ip}:{end[0]}",
                    f"{prefix}_PORT_END={end[0]}"]
        start = end = (int(number), proto)
    out.append(f"{alias}_NAME={name}")
    for item in env or ():
        key, sep, value = item.partition("=")
        if sep and key not in ("HOME", "PATH"):
            out.append(f"{alias}_ENV_{key}={value}")
    return out


def environment(records, parent) -> "list[str]":
    """The link variables of ``parent``'s process (moby's
    ``setupLinkedContainers``): each running child's on the default
    bridge, in link-name order."""
    out = []
    for alias, child in sorted(children(records, parent), key=lambda pair: pair[0]):
        settings = child.networks.get("bridge") or {}
        if not child.state.running or not settings.get("IPAddress"):
            continue  # refused by the start's /etc/hosts links first
        out += env_vars(f"/{parent.name}/{alias}", settings["IPAddress"], child.config.get("Env"),
                        child.config.get("ExposedPorts"))
    return out
