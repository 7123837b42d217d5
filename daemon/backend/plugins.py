"""Managed plugins (``docker plugin``: moby's ``plugin/`` Manager and
``api/server/router/plugin``), for an engine on which none is installed.

The plugin store is a table (`PluginStore`) that nothing can fill:
installing needs a plugin image, and the simulated Docker Hub holds
images only; a plugin from a rootfs tar (``docker plugin create``) would
need plugin processes and their sockets, which dockersim does not
simulate.  So every lookup goes through moby's ``resolvePluginID`` over
an empty table, and answers what dockerd answers then:

- ``GET /plugins``: ``[]``, its filters checked as ``Manager.List``
  checks them (``enabled``, ``capability``; ``invalid filter 'x'``;
  ``enabled`` must be one boolean);
- inspect, remove, enable, disable, set, push, upgrade of any name:
  ``plugin "x" not found`` (404);
- ``GET /plugins/privileges``: moby's ``Privileges`` swallows a failed
  fetch and answers ``[]``, and so it is here;
- ``POST /plugins/pull``: the fetch fails as it fails against Docker Hub
  for a repository that holds no plugin (the token service refuses the
  ``repository(plugin)`` scope): ``error resolving plugin reference:
  pull access denied, repository does not exist or may require
  authorization: server message: insufficient_scope: authorization
  failed`` -- an untyped error, moby's 500; any other registry does not
  exist in the simulated world (``dial tcp: lookup quay.io: no such
  host``);
- ``POST /plugins/create``: the name is checked as moby checks it, then
  refused with 501 in dockersim's words.

Reference errors (``invalid reference format``) are untyped in moby (a
500); they are the client's input, so dockersim answers 400.
"""

from __future__ import annotations

import re

from ...sim.golang.errors import GoError
from ...sim.golang.strconv import atoi, quote
from ...sim.images import reference as refmod
from ...sim.images.errors import ImageError
from ..errors import Conflict, InvalidParameter, NotFound, NotImplementedYet, SystemError
from .auth import dial_error, is_insecure
from .filters import FilterError, Filters

__all__ = ["PluginStore", "Plugins", "ACCEPTED_FILTERS", "HUB_REFUSAL", "CREATE_REFUSAL"]

#: ``acceptedPluginFilterTags``.
ACCEPTED_FILTERS = {"enabled", "capability"}
#: containerd's resolver, refused the plugin scope by Docker Hub's token service.
HUB_REFUSAL = ("error resolving plugin reference: pull access denied, repository does not exist or "
               "may require authorization: server message: insufficient_scope: authorization failed")
#: dockersim's refusal of ``docker plugin create``.
CREATE_REFUSAL = ("plugins are not simulated by dockersim: cannot create plugin {name} from a rootfs "
                  "and config.json (a plugin runs as a process serving a socket the engine calls)")

_FULL_ID = re.compile(r"^([a-f0-9]{64})$")


def _parse(text: str) -> refmod.Reference:
    try:
        return refmod.parse(text)
    except ImageError as err:
        raise InvalidParameter(str(err)) from None


class PluginStore:
    """moby's ``plugin.Store``: plugins by id.  Nothing installs one."""

    def __init__(self) -> None:
        self.plugins: "dict[str, dict]" = {}  # id -> types.Plugin

    def resolve(self, id_or_name: str) -> str:
        """``resolvePluginID``: a full id, a name (``:latest`` added), or an
        unambiguous id prefix."""
        if _FULL_ID.match(id_or_name):
            return id_or_name
        try:
            ref = refmod.parse(id_or_name)
        except ImageError:
            raise NotFound(f"plugin {quote(id_or_name)} not found") from None
        if ref.digest is not None:  # canonical references cannot be resolved
            raise NotFound(f"plugin {quote(id_or_name)} not found")
        name = ref.with_default_tag().familiar_string
        for pid, plugin in self.plugins.items():
            if plugin.get("Name") == name:
                return pid
        found = [pid for pid in self.plugins if pid.startswith(id_or_name)]
        if len(found) > 1:
            raise InvalidParameter(f"multiple plugins found for {quote(id_or_name)}")
        if not found:
            raise NotFound(f"plugin {quote(id_or_name)} not found")
        return found[0]

    def get(self, ref_or_id: str) -> dict:
        """``GetV2Plugin``."""
        pid = self.resolve(ref_or_id)
        if pid not in self.plugins:
            raise NotFound(f"plugin {quote(pid)} not found")
        return self.plugins[pid]

    def validate_name(self, name: str) -> None:
        """``validateName``: a name in use is a conflict."""
        if any(p.get("Name") == name for p in self.plugins.values()):
            raise Conflict(f"plugin {name} already exists")


def parse_remote(remote: str) -> "tuple[refmod.Reference, str]":
    """``parseRemoteRef``: a reference with both a tag and a digest keeps
    the digest (and gives the tag back); a bare name gets ``latest``."""
    ref = _parse(remote)
    if ref.digest is not None and ref.tag is not None:
        return refmod.Reference(ref.domain, ref.path, None, ref.digest), ref.tag
    if ref.digest is not None:
        return ref, ""
    return ref.with_default_tag(), ""


def plugin_name(ref: refmod.Reference, tag: str, name: str) -> str:
    """``getName``: the local name of a pulled plugin."""
    if name == "":
        if ref.digest is not None:
            bare = refmod.Reference(ref.domain, ref.path)
            return (bare.with_tag(tag) if tag else bare.with_default_tag()).familiar_string
        return ref.familiar_string
    local = _parse(name)
    if local.digest is not None:
        raise InvalidParameter("cannot use digest in plugin tag")  # moby: untyped (500)
    return local.with_default_tag().familiar_string if local.tag is None else name


class Plugins:
    """The ``docker plugin`` verbs over the (empty) store."""

    def __init__(self, store: "PluginStore | None" = None) -> None:
        self.store = store or PluginStore()

    def list(self, filters: str = "") -> list:
        """``Manager.List``."""
        try:
            args = Filters.from_json(filters or "")
            args.validate(ACCEPTED_FILTERS)
            enabled = args.get_bool_or_default("enabled", False) if args.contains("enabled") else None
        except FilterError as err:
            raise InvalidParameter(str(err)) from None
        out = []
        for plugin in self.store.plugins.values():
            if enabled is not None and bool(plugin.get("Enabled")) != enabled:
                continue
            types = [t.get("Capability", "") for t in (plugin.get("Config") or {}).get("Interface", {})
                     .get("Types") or ()]
            if args.contains("capability") and not all(c in args.get("capability") for c in types):
                continue
            out.append(plugin)
        return out

    def inspect(self, name: str) -> dict:
        return self.store.get(name)

    def remove(self, name: str, force: bool = False) -> None:
        self.store.get(name)

    def enable(self, name: str, timeout: str) -> None:
        """The router reads ``timeout`` with ``strconv.Atoi`` first (moby
        returns its error untyped, a 500; dockersim says 400)."""
        try:
            atoi(timeout)
        except GoError as err:
            raise InvalidParameter(str(err)) from None
        self.store.get(name)

    def disable(self, name: str, force: bool = False) -> None:
        self.store.get(name)

    def set(self, name: str, args: list) -> None:
        self.store.get(name)

    def push(self, name: str) -> None:
        self.store.get(name)

    def privileges(self, remote: str) -> list:
        """``Manager.Privileges``: a fetch that fails answers ``[]``."""
        parse_remote(remote)
        return []

    def _fetch(self, ref: refmod.Reference) -> None:
        """``Manager.fetch``: resolve the reference on its registry."""
        if ref.domain == refmod.DEFAULT_DOMAIN:
            raise SystemError(HUB_REFUSAL)
        scheme = "http" if is_insecure(ref.domain) else "https"
        url = f"{scheme}://{ref.domain}/v2/{ref.path}/manifests/{ref.tag_or_digest}"
        raise SystemError(f'error resolving plugin reference: failed to do request: Head "{url}": '
                          f"{dial_error(ref.domain, scheme)}")

    def pull_name(self, remote: str, name: str) -> "tuple[refmod.Reference, str]":
        """What the router checks before it answers: the remote and the
        local name (``Docker-Plugin-Name``)."""
        ref, tag = parse_remote(remote)
        return ref, plugin_name(ref, tag, name)

    def pull(self, remote: str, name: str, privileges: list) -> str:
        """``POST /plugins/pull``."""
        ref, local = self.pull_name(remote, name)
        local = _parse(local).with_default_tag().familiar_string
        self.store.validate_name(local)
        self._fetch(ref)
        return local

    def upgrade(self, name: str, remote: str, privileges: list) -> None:
        """``POST /plugins/{name}/upgrade``: the plugin is looked up first."""
        ref, tag = parse_remote(remote)
        plugin_name(ref, tag, name)
        self.store.get(name)

    def create(self, name: str) -> None:
        """``POST /plugins/create``: the name as ``CreateFromContext``
        checks it, then dockersim's refusal."""
        try:
            ref = refmod.parse(name)
        except ImageError as err:
            raise InvalidParameter(f"failed to parse reference {name}: {err}") from None
        if ref.digest is not None:
            raise InvalidParameter("canonical references are not permitted")
        local = ref.with_default_tag().familiar_string
        self.store.validate_name(local)
        raise NotImplementedYet(CREATE_REFUSAL.format(name=local))
